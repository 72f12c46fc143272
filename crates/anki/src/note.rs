//! What one paper becomes in Anki: its note's fields, tags, GUID, sort
//! field and first-field checksum. Both formats (`anki`, `anki-tsv`) use
//! this, so the two routes into Anki give the same notes.

use std::fmt::Write as _;

use paper_format::citation_key::base_key;
use paper_model::{Author, Paper};

use crate::notetype::NOTETYPE_NAME;

/// The note type's fields, in order. `Key` is first: Anki's duplicate check
/// and checksum use the first field, so it holds a value unique per paper.
pub const FIELD_NAMES: [&str; 8] = [
    "Key", "Question", "Title", "Authors", "Year", "Venue", "Link", "Note",
];

/// Index of the sort field (`Title`) in [`FIELD_NAMES`].
pub const SORT_FIELD: usize = 2;

/// One paper as an Anki note.
///
/// Every field is HTML: text is escaped, line breaks become `<br>`, and the
/// only markup is the link in `Link`. Build one with [`Note::from_paper`],
/// or reuse one across papers with [`Note::fill`] to save allocations.
///
/// ```
/// use paper_anki::Note;
/// use paper_model::Paper;
///
/// let mut paper = Paper::new("R&D <at> scale", 1997);
/// paper.id = "lstm1997".into();
/// paper.tags = vec!["sequence models".into()];
/// paper.doi = Some("10.1162/neco.1997.9.8.1735".into());
/// let note = Note::from_paper(&paper, "en");
/// assert_eq!(note.fields[0], "lstm1997");
/// assert_eq!(note.fields[2], "R&amp;D &lt;at&gt; scale");
/// assert_eq!(
///     note.fields[6],
///     "<a href=\"https://doi.org/10.1162/neco.1997.9.8.1735\">https://doi.org/10.1162/neco.1997.9.8.1735</a>"
/// );
/// assert_eq!(note.tags, ["1990s", "sequence_models"]);
/// assert_eq!(note.guid, Note::from_paper(&paper, "zh").guid);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Note {
    /// The fields, in the order of [`FIELD_NAMES`], as HTML.
    pub fields: [String; 8],
    /// Tags: the paper's tags and its decade (`1980s`), spaces turned into
    /// `_`, sorted, without repeats (compared ignoring case, as Anki does).
    pub tags: Vec<String>,
    /// The note's GUID, derived from the paper's identity (see [`identity`]).
    pub guid: String,
    /// The decade the paper belongs to (`1980` for 1986), if it has a year.
    pub decade: Option<i32>,
    /// The sort field as Anki stores it: the title as plain text.
    pub sort_field: String,
    /// Anki's checksum of the first field: the first 4 bytes of the SHA-1 of
    /// its plain text, as a number.
    pub checksum: u32,
}

impl Note {
    /// The note for `paper`, with the question and note in `lang` (falling
    /// back to English).
    pub fn from_paper(paper: &Paper, lang: &str) -> Self {
        let mut note = Note::default();
        note.fill(paper, lang);
        note
    }

    /// Replaces this note's content with the note for `paper`. Its `Key` is
    /// the paper's id, else its [`base_key`]; a writer that must keep keys
    /// unique across papers uses [`Note::fill_with_key`] with a [`KeyGen`].
    ///
    /// [`KeyGen`]: paper_format::citation_key::KeyGen
    pub fn fill(&mut self, paper: &Paper, lang: &str) {
        let key = if paper.id.is_empty() {
            base_key(paper)
        } else {
            paper.id.clone()
        };
        self.fill_with_key(paper, lang, &key);
    }

    /// Replaces this note's content with the note for `paper`, whose `Key`
    /// is `key` (its citation key, the same as in every other format).
    pub fn fill_with_key(&mut self, paper: &Paper, lang: &str, key: &str) {
        let [
            f_key,
            f_question,
            f_title,
            f_authors,
            f_year,
            f_venue,
            f_link,
            f_note,
        ] = &mut self.fields;
        for field in [
            &mut *f_key,
            &mut *f_question,
            &mut *f_title,
            &mut *f_authors,
            &mut *f_year,
            &mut *f_venue,
            &mut *f_link,
            &mut *f_note,
        ] {
            field.clear();
        }
        push_html(f_key, key);
        if let Some(question) = paper.question.get(lang) {
            push_html(f_question, question);
        }
        push_html(f_title, &paper.title);
        for (i, author) in paper.authors.iter().enumerate() {
            if i > 0 {
                f_authors.push_str("; ");
            }
            push_inverted_name(f_authors, author);
        }
        if paper.authors_truncated {
            if !f_authors.is_empty() {
                f_authors.push_str("; ");
            }
            f_authors.push_str("et al.");
        }
        if let Some(year) = paper.year {
            let _ = write!(f_year, "{year}");
        }
        if let Some(venue) = paper.venue.as_deref() {
            push_html(f_venue, venue);
        }
        push_link(f_link, paper);
        if let Some(text) = paper.note.get(lang) {
            push_html(f_note, text);
        }

        // Tags: the strings are reused from paper to paper.
        self.decade = paper.year.map(|y| y.div_euclid(10) * 10);
        let mut count = 0;
        let decade = self.decade.map(|d| format!("{d}s"));
        for tag in paper
            .tags
            .iter()
            .map(String::as_str)
            .chain(decade.as_deref())
        {
            if count == self.tags.len() {
                self.tags.push(String::new());
            }
            let slot = &mut self.tags[count];
            slot.clear();
            push_tag_name(slot, tag);
            if !slot.is_empty() {
                count += 1;
            }
        }
        self.tags.truncate(count);
        self.tags.sort_by(|a, b| {
            let lower = |s: &String| s.chars().flat_map(char::to_lowercase).collect::<Vec<_>>();
            if a.is_ascii() && b.is_ascii() {
                a.bytes()
                    .map(|c| c.to_ascii_lowercase())
                    .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
                    .then(a.cmp(b))
            } else {
                lower(a).cmp(&lower(b)).then(a.cmp(b))
            }
        });
        self.tags.dedup_by(|a, b| {
            a.chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase))
        });

        self.guid.clear();
        push_guid(&mut self.guid, paper);
        self.sort_field.clear();
        push_plain_line(&mut self.sort_field, &paper.title);
        self.checksum = if key.bytes().any(|b| SPECIAL[usize::from(b)]) {
            let mut plain_key = String::new();
            push_plain_line(&mut plain_key, key);
            field_checksum(&plain_key)
        } else {
            field_checksum(key)
        };
    }

    /// The tags as Anki's notes table stores them: space-separated, with a
    /// space before and after (empty when there are none).
    pub fn tags_field(&self) -> String {
        let mut out = String::new();
        self.push_tags_field(&mut out);
        out
    }

    /// Appends [`Note::tags_field`] to `out`.
    pub fn push_tags_field(&self, out: &mut String) {
        if self.tags.is_empty() {
            return;
        }
        for tag in &self.tags {
            out.push(' ');
            out.push_str(tag);
        }
        out.push(' ');
    }
}

/// The stable identity of a paper, the seed of its note's GUID: its id, else
/// its DOI (lower case), else its arXiv id, else its title and year.
///
/// ```
/// use paper_model::Paper;
/// let mut p = Paper::new("A  Title", 2001);
/// assert_eq!(paper_anki::identity(&p), "title:a title|2001");
/// p.doi = Some("10.1000/ABC".into());
/// assert_eq!(paper_anki::identity(&p), "doi:10.1000/abc");
/// p.id = "key2001".into();
/// assert_eq!(paper_anki::identity(&p), "id:key2001");
/// ```
pub fn identity(paper: &Paper) -> String {
    let mut out = String::new();
    for piece in identity_pieces(paper) {
        out.push_str(piece.as_ref());
    }
    out
}

/// The identity in pieces, so that it can be hashed without being built.
fn identity_pieces(paper: &Paper) -> Vec<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    if !paper.id.is_empty() {
        return vec![Cow::Borrowed("id:"), Cow::Borrowed(&paper.id)];
    }
    if let Some(doi) = nonempty(paper.doi.as_deref()) {
        return vec![Cow::Borrowed("doi:"), Cow::Owned(doi.to_lowercase())];
    }
    if let Some(arxiv) = nonempty(paper.arxiv.as_deref()) {
        return vec![Cow::Borrowed("arxiv:"), Cow::Borrowed(arxiv)];
    }
    let title: Vec<String> = paper
        .title
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
    vec![Cow::Owned(format!("title:{}|{year}", title.join(" ")))]
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The GUID of the note whose paper has this identity.
///
/// The identity is hashed (SHA-1) together with the note type's name, so
/// GUIDs are namespaced: another tool's note, or a later version of this
/// note type, never collides with these. The first 64 bits of the hash are
/// written in base 62, which has no character that needs quoting anywhere.
pub fn guid_for(identity: &str) -> String {
    let mut out = String::with_capacity(11);
    push_guid_of(&mut out, [identity]);
    out
}

/// Appends the GUID of `paper`'s note (see [`guid_for`]).
fn push_guid(out: &mut String, paper: &Paper) {
    if paper.id.is_empty() {
        push_guid_of(out, identity_pieces(paper).iter().map(|p| p.as_ref()));
    } else {
        push_guid_of(out, ["id:", paper.id.as_str()]);
    }
}

fn push_guid_of<'a>(out: &mut String, identity: impl IntoIterator<Item = &'a str>) {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(b"paper-export\x1f");
    hasher.update(NOTETYPE_NAME.as_bytes());
    hasher.update(b"\x1f");
    for piece in identity {
        hasher.update(piece.as_bytes());
    }
    let digest = hasher.digest().bytes();
    let mut n = u64::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
    ]);
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut digits = [b'0'; 11];
    for slot in digits.iter_mut().rev() {
        *slot = DIGITS[(n % 62) as usize];
        n /= 62;
    }
    out.extend(digits.iter().map(|&b| char::from(b)));
}

/// Anki's checksum of a first field: the first 4 bytes of the SHA-1 of its
/// plain text, big-endian.
pub fn field_checksum(plain: &str) -> u32 {
    let digest = sha1_smol::Sha1::from(plain).digest().bytes();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// A tag as Anki wants it: control characters dropped, each run of
/// whitespace turned into one `_`, no `_` at either end.
///
/// ```
/// assert_eq!(paper_anki::tag_name(" machine  learning "), "machine_learning");
/// assert_eq!(paper_anki::tag_name("ML::vision"), "ML::vision");
/// ```
pub fn tag_name(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    push_tag_name(&mut out, tag);
    out
}

fn push_tag_name(out: &mut String, tag: &str) {
    let start = out.len();
    for word in tag.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if out.len() > start {
            out.push('_');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
}

/// Appends an author's name as `Family, Given` (the model's
/// [`Author::inverted_name`]), HTML-escaped, without building it first.
fn push_inverted_name(out: &mut String, author: &Author) {
    match author {
        Author::Organization(o) => push_html(out, &o.literal),
        Author::Person(p) => {
            if let Some(particle) = p.particle.as_deref().filter(|s| !s.is_empty()) {
                push_html(out, particle);
                out.push(' ');
            }
            push_html(out, &p.family);
            if let Some(suffix) = p.suffix.as_deref().filter(|s| !s.is_empty()) {
                out.push_str(", ");
                push_html(out, suffix);
            }
            if let Some(given) = p.given.as_deref().filter(|s| !s.is_empty()) {
                out.push_str(", ");
                push_html(out, given);
            }
        }
    }
}

/// True for characters that must not reach a field: C0 controls other than
/// tab, line feed and carriage return (Anki separates fields with U+001F),
/// and DEL.
fn is_dropped(c: char) -> bool {
    (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// Bytes that [`push_html`] replaces or drops.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'&' | b'<' | b'>' | b'"' | b'\n' | b'\r')
            || (b < 0x20 && b != b'\t' as usize)
            || b == 0x7f;
        b += 1;
    }
    table
};

/// The position of the first byte [`push_html`] must look at. Reads eight
/// bytes at a time: a word with none of them is skipped whole (most text).
fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Nonzero when some byte of `w` is zero (no false negatives).
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let hit = below_space
            | zero(w ^ (ONES * u64::from(b'&')))
            | zero(w ^ (ONES * u64::from(b'<')))
            | zero(w ^ (ONES * u64::from(b'>')))
            | zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * 0x7f));
        if hit != 0
            && let Some(i) = chunk.iter().position(|&b| SPECIAL[usize::from(b)])
        {
            return Some(offset + i);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| SPECIAL[usize::from(b)])
        .map(|i| offset + i)
}

/// Appends `text` as HTML: `& < > "` escaped, line breaks as `<br>`,
/// unwanted control characters dropped.
///
/// ```
/// let mut out = String::new();
/// paper_anki::push_html(&mut out, "a < b & \"c\"\nd\u{1f}");
/// assert_eq!(out, "a &lt; b &amp; &quot;c&quot;<br>d");
/// ```
pub fn push_html(out: &mut String, text: &str) {
    // Every character that needs work is ASCII, so scan bytes and copy the
    // runs between them whole.
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match find_special(&bytes[i..]) {
            Some(offset) => i += offset,
            None => break,
        }
        let b = bytes[i];
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\n' => "<br>",
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    out.push_str(&text[start..i]);
                    i += 1;
                    start = i;
                }
                "<br>"
            }
            b if is_dropped(char::from(b)) => "",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += 1;
        start = i;
    }
    out.push_str(&text[start..]);
}

/// Appends the paper's link ([`Paper::link`]): an anchor for `http` and
/// `https` addresses, the escaped text for anything else (a `javascript:`
/// address stays inert).
fn push_link(out: &mut String, paper: &Paper) {
    let (prefix, rest) = if let Some(doi) = paper.doi.as_deref().filter(|d| !d.is_empty()) {
        ("https://doi.org/", doi)
    } else if let Some(url) = paper.url.as_deref().filter(|u| !u.is_empty()) {
        ("", url)
    } else if let Some(arxiv) = paper.arxiv.as_deref().filter(|a| !a.is_empty()) {
        ("https://arxiv.org/abs/", arxiv)
    } else {
        return;
    };
    let bytes = rest.trim_start().as_bytes();
    let starts = |p: &[u8]| bytes.len() >= p.len() && bytes[..p.len()].eq_ignore_ascii_case(p);
    let clickable = !prefix.is_empty() || starts(b"https://") || starts(b"http://");
    if clickable {
        let start = out.len();
        out.push_str("<a href=\"");
        out.push_str(prefix);
        push_html(out, rest);
        let escaped = start + "<a href=\"".len();
        let url = out[escaped..].to_owned();
        out.push_str("\">");
        out.push_str(&url);
        out.push_str("</a>");
    } else {
        push_html(out, rest);
    }
}

/// Appends `text` as the plain text Anki derives from the HTML field we
/// write: unwanted controls dropped, line breaks (our `<br>`) removed.
fn push_plain_line(out: &mut String, text: &str) {
    out.extend(
        text.chars()
            .filter(|&c| !is_dropped(c) && c != '\n' && c != '\r'),
    );
}

/// The deck a note goes to: `deck`, or with `by_decade` its decade subdeck
/// (`deck::1980s`); papers without a year stay in `deck`.
pub(crate) fn deck_for(deck: &str, decade: Option<i32>, by_decade: bool) -> String {
    match decade {
        Some(d) if by_decade => format!("{deck}::{d}s"),
        _ => deck.to_owned(),
    }
}

/// A deck name cleaned as Anki would: each `::` part trimmed, runs of
/// whitespace and control characters made one space, empty parts removed. `None` when nothing is left.
///
/// ```
/// assert_eq!(paper_anki::deck_name(" Papers :: ML "), Some("Papers::ML".to_owned()));
/// assert_eq!(paper_anki::deck_name(":: "), None);
/// ```
pub fn deck_name(name: &str) -> Option<String> {
    let parts: Vec<String> = name
        .split("::")
        .map(|part| {
            let cleaned: String = part
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("::"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Author;

    fn hostile() -> Paper {
        let mut p = Paper::new("<script>alert(\"x\")</script> & <b>bold</b>", 2020);
        p.id = "script2020".into();
        p.authors = vec![Author::person("何", "恺明"), Author::organization("AT&T")];
        p.authors_truncated = true;
        p.venue = Some("R&D <Studies>".into());
        p.url = Some("https://example.org/?a=1&b=\"2\"".into());
        p.tags = vec!["machine learning".into(), "Robust".into(), "robust".into()];
        p.question.set("en", "Line one\nline two\u{7}");
        p.question.set("zh", "问题？");
        p.note.set("en", "a\r\nb");
        p
    }

    #[test]
    fn every_field_is_escaped() {
        let note = Note::from_paper(&hostile(), "en");
        assert_eq!(
            note.fields,
            [
                "script2020".to_owned(),
                "Line one<br>line two".to_owned(),
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
                    .to_owned(),
                "何, 恺明; AT&amp;T; et al.".to_owned(),
                "2020".to_owned(),
                "R&amp;D &lt;Studies&gt;".to_owned(),
                "<a href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\">https://example.org/?a=1&amp;b=&quot;2&quot;</a>".to_owned(),
                "a<br>b".to_owned(),
            ]
        );
        assert_eq!(
            note.sort_field,
            "<script>alert(\"x\")</script> & <b>bold</b>"
        );
        assert_eq!(note.tags, ["2020s", "machine_learning", "Robust"]);
        assert_eq!(note.tags_field(), " 2020s machine_learning Robust ");
    }

    #[test]
    fn html_escaping_edge_cases() {
        let html = |s: &str| {
            let mut out = String::new();
            push_html(&mut out, s);
            out
        };
        assert_eq!(html(""), "");
        assert_eq!(html("plain 中文"), "plain 中文");
        assert_eq!(html("a\r\nb\rc\nd"), "a<br>b<br>c<br>d");
        assert_eq!(html("\r\n\r\n"), "<br><br>");
        assert_eq!(html("\u{1f}x\u{7f}y\u{0}"), "xy");
        assert_eq!(html("tab\there"), "tab\there");
        assert_eq!(html("é&ü<"), "é&amp;ü&lt;");
    }

    #[test]
    fn special_bytes_are_found_at_every_position() {
        for len in 0..20 {
            for at in 0..len {
                for special in [b'&', b'<', b'>', b'"', b'\n', b'\r', 0x00, 0x01, 0x1f, 0x7f] {
                    let mut text = vec![b'a'; len];
                    text[at] = special;
                    assert_eq!(find_special(&text), Some(at), "{len} {at} {special}");
                }
            }
            assert_eq!(find_special(&vec![b'a'; len]), None);
            assert_eq!(find_special(&vec![b'\t'; len]), None, "tabs stay");
        }
        let mixed = "ünïcödé 中文 text, no specials at all here".as_bytes();
        assert_eq!(find_special(mixed), None);
        let text = "中文中文中文<".as_bytes();
        assert_eq!(find_special(text), Some(text.len() - 1));
    }

    #[test]
    fn chinese_question_and_fallback() {
        let note = Note::from_paper(&hostile(), "zh");
        assert_eq!(note.fields[1], "问题？");
        assert_eq!(note.fields[7], "a<br>b", "the note falls back to English");
    }

    #[test]
    fn links_other_than_http_are_not_clickable() {
        let mut p = Paper::new("T", 2000);
        p.url = Some("javascript:alert(1)".into());
        assert_eq!(Note::from_paper(&p, "en").fields[6], "javascript:alert(1)");
        p.url = None;
        p.arxiv = Some("1706.03762".into());
        assert_eq!(
            Note::from_paper(&p, "en").fields[6],
            "<a href=\"https://arxiv.org/abs/1706.03762\">https://arxiv.org/abs/1706.03762</a>"
        );
    }

    #[test]
    fn authors_match_the_model_and_links_any_case() {
        let authors = vec![
            Author::person("Driessche", "George"),
            Author::organization("AT&T <Labs>"),
            Author::Person(paper_model::Person {
                family: "King".into(),
                given: Some("Martin Luther".into()),
                particle: Some("van".into()),
                suffix: Some("Jr.".into()),
            }),
            Author::person("何", ""),
        ];
        let mut p = Paper::new("T", 2000);
        p.authors = authors.clone();
        p.url = Some("HTTP://Example.org/é".into());
        let note = Note::from_paper(&p, "en");
        let mut expected = String::new();
        push_html(&mut expected, &p.authors_inverted());
        assert_eq!(note.fields[3], expected);
        assert_eq!(
            note.fields[6],
            "<a href=\"HTTP://Example.org/é\">HTTP://Example.org/é</a>"
        );
    }

    #[test]
    fn tags_sort_ignoring_case_in_any_script() {
        let mut p = Paper::new("T", 1999);
        p.tags = vec![
            "Émotion".into(),
            "zeta".into(),
            "émotion".into(),
            "Alpha".into(),
            " ".into(),
            "a\u{7}b".into(),
        ];
        let note = Note::from_paper(&p, "en");
        assert_eq!(note.tags, ["1990s", "ab", "Alpha", "zeta", "Émotion"]);
        // Reusing the note for a paper with fewer tags leaves none behind.
        let mut note = note;
        p.tags = vec!["x".into()];
        p.year = None;
        note.fill(&p, "en");
        assert_eq!(note.tags, ["x"]);
    }

    #[test]
    fn guid_depends_on_identity_only() {
        let a = hostile();
        let mut b = hostile();
        b.title = "Another title".into();
        b.tags.clear();
        assert_eq!(
            Note::from_paper(&a, "en").guid,
            Note::from_paper(&b, "en").guid
        );
        b.id = "other".into();
        assert_ne!(
            Note::from_paper(&a, "en").guid,
            Note::from_paper(&b, "en").guid
        );
        let guid = guid_for("id:script2020");
        assert_eq!(guid.len(), 11);
        assert!(guid.bytes().all(|c| c.is_ascii_alphanumeric()));
        // Fixed forever for note type v1: a change here breaks every
        // learner's updates.
        assert_eq!(guid, guid_for("id:script2020"));
    }

    #[test]
    fn checksum_matches_anki() {
        // sha1("rumelhart1986learning") starts with these 4 bytes.
        let digest = sha1_smol::Sha1::from("rumelhart1986learning")
            .digest()
            .to_string();
        assert_eq!(
            field_checksum("rumelhart1986learning"),
            u32::from_str_radix(&digest[..8], 16).unwrap()
        );
    }

    #[test]
    fn keys_without_ids_are_citation_keys() {
        let mut p = Paper::new("The Deep Learning of Keys", 2018);
        p.authors = vec![Author::person("Müller", "Anna")];
        p.doi = Some("10.1/X".into());
        let note = Note::from_paper(&p, "en");
        assert_eq!(note.fields[0], "muller2018deep");
        assert_eq!(note.checksum, field_checksum("muller2018deep"));
        let mut again = Note::default();
        again.fill_with_key(&p, "en", "muller2018deepa");
        assert_eq!(again.fields[0], "muller2018deepa");
        assert_eq!(again.guid, note.guid, "the GUID does not follow the key");
        assert_eq!(identity(&p), "doi:10.1/x");
    }

    #[test]
    fn undated_papers_have_no_decade() {
        let mut p = Paper::new("T", 1999);
        p.year = None;
        let note = Note::from_paper(&p, "en");
        assert_eq!(note.decade, None);
        assert!(note.tags.is_empty());
        assert_eq!(note.tags_field(), "");
        assert_eq!(deck_for("D", Some(1980), true), "D::1980s");
        assert_eq!(deck_for("D", None, true), "D");
        assert_eq!(deck_for("D", Some(1980), false), "D");
    }
}
