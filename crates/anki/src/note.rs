//! What one paper becomes in Anki: its note's fields, tags, GUID, sort
//! field and first-field checksum. Both formats (`anki`, `anki-tsv`) use
//! this, so the two routes into Anki give the same notes.

use std::fmt::Write as _;

use paper_format::citation_key::base_key;
use paper_model::Paper;

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
        let mut authors = paper.authors_inverted();
        if paper.authors_truncated {
            if !authors.is_empty() {
                authors.push_str("; ");
            }
            authors.push_str("et al.");
        }
        push_html(f_authors, &authors);
        if let Some(year) = paper.year {
            let _ = write!(f_year, "{year}");
        }
        if let Some(venue) = paper.venue.as_deref() {
            push_html(f_venue, venue);
        }
        if let Some(link) = paper.link() {
            push_link(f_link, &link);
        }
        if let Some(text) = paper.note.get(lang) {
            push_html(f_note, text);
        }

        self.decade = paper.year.map(|y| y.div_euclid(10) * 10);
        self.tags.clear();
        for tag in &paper.tags {
            let tag = tag_name(tag);
            if !tag.is_empty() {
                self.tags.push(tag);
            }
        }
        if let Some(decade) = self.decade {
            self.tags.push(format!("{decade}s"));
        }
        self.tags
            .sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b)));
        self.tags
            .dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());

        self.guid = guid_for(&identity(paper));
        self.sort_field.clear();
        push_plain_line(&mut self.sort_field, &paper.title);
        let mut plain_key = String::new();
        push_plain_line(&mut plain_key, key);
        self.checksum = field_checksum(&plain_key);
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
    if !paper.id.is_empty() {
        return format!("id:{}", paper.id);
    }
    if let Some(doi) = nonempty(paper.doi.as_deref()) {
        return format!("doi:{}", doi.to_lowercase());
    }
    if let Some(arxiv) = nonempty(paper.arxiv.as_deref()) {
        return format!("arxiv:{arxiv}");
    }
    let title: Vec<String> = paper
        .title
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
    format!("title:{}|{year}", title.join(" "))
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
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(b"paper-export\x1f");
    hasher.update(NOTETYPE_NAME.as_bytes());
    hasher.update(b"\x1f");
    hasher.update(identity.as_bytes());
    let digest = hasher.digest().bytes();
    let mut n = u64::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
    ]);
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = [b'0'; 11];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 62) as usize];
        n /= 62;
    }
    out.iter().map(|&b| b as char).collect()
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
    for word in tag.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
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
        match bytes[i..].iter().position(|&b| SPECIAL[usize::from(b)]) {
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

/// Appends the link: an anchor for `http` and `https` addresses, the
/// escaped text for anything else (a `javascript:` address stays inert).
fn push_link(out: &mut String, url: &str) {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        let mut escaped = String::with_capacity(url.len());
        push_html(&mut escaped, url);
        out.push_str("<a href=\"");
        out.push_str(&escaped);
        out.push_str("\">");
        out.push_str(&escaped);
        out.push_str("</a>");
    } else {
        push_html(out, url);
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
