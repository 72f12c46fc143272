//! What both feeds say: the channel's title, link and description, and for
//! each paper its link, stable id, date, creators, categories and summary.

use std::fmt::Write as _;

use paper_format::WriteOptions;
use paper_model::{CollectionHeader, Paper};

use crate::date::Moment;
use crate::xml::xml_clean;
use crate::{FEED_DESCRIPTION, FEED_LINK, FEED_TITLE, FEED_URL};

/// The authority and date of the `tag:` URIs (RFC 4151) this crate mints.
/// Fixed forever: changing it would change every guid.
pub const TAG_PREFIX: &str = "tag:paper-export,2026:";

/// The title of a feed whose collection has none and no `feed-title` is set.
pub const DEFAULT_TITLE: &str = "Papers";

/// Settings shared by both writers, read once from the options.
#[derive(Clone, Debug)]
pub(crate) struct FeedOptions {
    pub(crate) lang: String,
    pub(crate) timestamp: Option<Moment>,
    title: Option<String>,
    link: Option<String>,
    description: Option<String>,
    self_url: Option<String>,
}

/// The value without forbidden characters and surrounding white space,
/// or `None` when nothing is left.
fn non_empty(value: Option<&str>) -> Option<String> {
    let clean = xml_clean(value?);
    let trimmed = clean.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl FeedOptions {
    pub(crate) fn from_options(options: &WriteOptions) -> Self {
        FeedOptions {
            lang: non_empty(Some(&options.lang)).unwrap_or_else(|| "en".to_owned()),
            timestamp: options.timestamp.and_then(Moment::from_timestamp),
            title: non_empty(options.setting(FEED_TITLE)),
            link: non_empty(options.setting(FEED_LINK)),
            description: non_empty(options.setting(FEED_DESCRIPTION)),
            self_url: non_empty(options.setting(FEED_URL)),
        }
    }

    /// The channel: settings first, then the collection header.
    pub(crate) fn channel(&self, header: &CollectionHeader) -> Channel {
        let title = self
            .title
            .clone()
            .or_else(|| non_empty(Some(header.title_in(&self.lang))))
            .unwrap_or_else(|| DEFAULT_TITLE.to_owned());
        let link = self
            .link
            .clone()
            .or_else(|| non_empty(Some(&header.homepage)))
            .or_else(|| self.self_url.clone());
        let description = self
            .description
            .clone()
            .or_else(|| non_empty(Some(&header.description)))
            .unwrap_or_else(|| title.clone());
        Channel {
            title,
            link,
            description,
            self_url: self.self_url.clone(),
            lang: self.lang.clone(),
        }
    }
}

/// The feed as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Channel {
    pub(crate) title: String,
    /// The page the feed belongs to: `feed-link`, else the collection's
    /// homepage, else the feed's own URL.
    pub(crate) link: Option<String>,
    pub(crate) description: String,
    /// Where the feed itself is published (`feed-url`).
    pub(crate) self_url: Option<String>,
    pub(crate) lang: String,
}

impl Channel {
    /// The Atom feed id: the feed's own URL, else its page, else a `tag:`
    /// URI from the title.
    pub(crate) fn atom_id(&self) -> String {
        match self.self_url.as_ref().or(self.link.as_ref()) {
            Some(url) => url.clone(),
            None => format!("{TAG_PREFIX}feed/{}", fnv1a_hex(&[&self.title])),
        }
    }
}

/// One paper as a feed item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry<'p> {
    pub(crate) title: &'p str,
    pub(crate) link: Option<String>,
    /// The RSS guid and the Atom id.
    pub(crate) id: String,
    /// True when `id` is a link to the paper (the DOI link).
    pub(crate) id_is_link: bool,
    pub(crate) date: Option<Moment>,
    pub(crate) authors: Vec<String>,
    pub(crate) tags: &'p [String],
    /// The summary as an HTML fragment.
    pub(crate) html: String,
}

impl<'p> Entry<'p> {
    pub(crate) fn new(paper: &'p Paper, lang: &str) -> Self {
        let (id, id_is_link) = item_id(paper);
        Entry {
            title: &paper.title,
            link: item_link(paper),
            id,
            id_is_link,
            date: Moment::of_paper(paper),
            authors: paper.authors.iter().map(|a| a.display_name()).collect(),
            tags: &paper.tags,
            html: summary_html(paper, lang),
        }
    }
}

/// True for the characters a URI path or a `tag:` URI may hold as they
/// are: RFC 3986 unreserved and sub-delims, `:`, `@` and `/`.
fn uri_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b)
}

/// Percent-encodes every byte of the UTF-8 text that [`uri_safe`] rejects.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if uri_safe(b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `https://doi.org/` and the DOI, with the characters a URL cannot hold
/// percent-encoded (`10.1000/a<b>` → `https://doi.org/10.1000/a%3Cb%3E`).
///
/// ```
/// assert_eq!(paper_rss::doi_link("10.1038/323533a0"), "https://doi.org/10.1038/323533a0");
/// assert_eq!(paper_rss::doi_link("10.1000/x#1 %"), "https://doi.org/10.1000/x%231%20%25");
/// ```
pub fn doi_link(doi: &str) -> String {
    format!("https://doi.org/{}", percent_encode(doi))
}

/// The item link: the DOI link, else the url as given, else the arXiv
/// abstract page ([`Paper::link`], with DOI and arXiv id percent-encoded).
pub fn item_link(paper: &Paper) -> Option<String> {
    fn present(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|v| !v.trim().is_empty())
    }
    if let Some(doi) = present(&paper.doi) {
        return Some(doi_link(doi));
    }
    if let Some(url) = present(&paper.url) {
        return Some(url.to_owned());
    }
    present(&paper.arxiv).map(|a| format!("https://arxiv.org/abs/{}", percent_encode(a)))
}

/// The item's stable id and whether it is a link: the DOI link when the
/// paper has a DOI; else `tag:paper-export,2026:` + the paper id
/// (percent-encoded); else, for a paper without an id,
/// `tag:paper-export,2026:hash/` + 16 hex digits of a 64-bit FNV-1a hash of
/// the title, the year and the authors' names. The hash is stable across
/// runs, machines and versions, but editing the title, year or authors of
/// such a paper changes its id, so give papers an id.
///
/// ```
/// use paper_model::Paper;
/// let mut p = Paper::new("Long Short-Term Memory", 1997);
/// p.id = "hochreiter1997long".into();
/// assert_eq!(
///     paper_rss::item_id(&p),
///     ("tag:paper-export,2026:hochreiter1997long".to_owned(), false)
/// );
/// p.doi = Some("10.1162/neco.1997.9.8.1735".into());
/// assert_eq!(
///     paper_rss::item_id(&p),
///     ("https://doi.org/10.1162/neco.1997.9.8.1735".to_owned(), true)
/// );
/// ```
pub fn item_id(paper: &Paper) -> (String, bool) {
    if let Some(doi) = paper.doi.as_deref().filter(|d| !d.trim().is_empty()) {
        return (doi_link(doi), true);
    }
    if !paper.id.trim().is_empty() {
        return (format!("{TAG_PREFIX}{}", percent_encode(&paper.id)), false);
    }
    let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
    let authors: Vec<String> = paper.authors.iter().map(|a| a.display_name()).collect();
    let mut parts: Vec<&str> = vec![&paper.title, &year];
    parts.extend(authors.iter().map(String::as_str));
    (format!("{TAG_PREFIX}hash/{}", fnv1a_hex(&parts)), false)
}

/// 64-bit FNV-1a over the parts, each followed by a 0x1F separator byte,
/// as 16 lowercase hex digits. Written out here so that it never changes.
fn fnv1a_hex(parts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0x1F]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

/// Escapes text for HTML: `&`, `<` and `>`.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Words of the summary in one language.
struct Labels {
    question: &'static str,
    note: &'static str,
    /// Between a label and its text.
    gap: &'static str,
    et_al: &'static str,
}

fn labels(lang: &str) -> Labels {
    if lang == "zh" || lang.starts_with("zh-") {
        Labels {
            question: "问题：",
            note: "笔记：",
            gap: "",
            et_al: "等",
        }
    } else {
        Labels {
            question: "Question:",
            note: "Note:",
            gap: " ",
            et_al: "et al.",
        }
    }
}

/// The summary of a paper as an HTML fragment, one paragraph per line:
/// the authors, the venue and year, the question and the note in `lang`
/// (falling back to English). Every piece of text is HTML-escaped once;
/// the XML writer escapes the whole fragment once more (or wraps it in
/// CDATA), so a reader shows exactly the text of the model.
///
/// ```
/// use paper_model::{Author, Paper};
/// let mut p = Paper::new("T", 1986);
/// p.authors = vec![Author::person("Rumelhart", "David E.")];
/// p.venue = Some("Nature".into());
/// p.note.set("en", "x < y & z");
/// assert_eq!(
///     paper_rss::summary_html(&p, "en"),
///     "<p>David E. Rumelhart</p>\n<p><em>Nature</em>, 1986</p>\n<p><strong>Note:</strong> x &lt; y &amp; z</p>"
/// );
/// ```
pub fn summary_html(paper: &Paper, lang: &str) -> String {
    let words = labels(lang);
    let mut paragraphs = Vec::new();
    let mut names: Vec<String> = paper
        .authors
        .iter()
        .map(|a| html_escape(&a.display_name()))
        .collect();
    if paper.authors_truncated {
        names.push(words.et_al.to_owned());
    }
    if !names.is_empty() {
        paragraphs.push(format!("<p>{}</p>", names.join(", ")));
    }
    let year = paper.year.map(|y| y.to_string());
    match (paper.venue.as_deref().filter(|v| !v.is_empty()), year) {
        (Some(venue), Some(year)) => {
            paragraphs.push(format!("<p><em>{}</em>, {year}</p>", html_escape(venue)))
        }
        (Some(venue), None) => paragraphs.push(format!("<p><em>{}</em></p>", html_escape(venue))),
        (None, Some(year)) => paragraphs.push(format!("<p>{year}</p>")),
        (None, None) => {}
    }
    if let Some(question) = paper.question.get(lang) {
        paragraphs.push(format!(
            "<p><strong>{}</strong>{}{}</p>",
            words.question,
            words.gap,
            html_escape(question)
        ));
    }
    if let Some(note) = paper.note.get(lang) {
        paragraphs.push(format!(
            "<p><strong>{}</strong>{}{}</p>",
            words.note,
            words.gap,
            html_escape(note)
        ));
    }
    paragraphs.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Author;

    #[test]
    fn links_prefer_doi_then_url_then_arxiv_like_the_model() {
        let mut p = Paper::new("T", 2000);
        assert_eq!(item_link(&p), None);
        p.arxiv = Some("1706.03762".into());
        assert_eq!(item_link(&p), p.link());
        p.url = Some("https://example.org/100%25_done?q=a%20b&x=<1>".into());
        assert_eq!(item_link(&p), p.link(), "a url is kept as given");
        p.doi = Some("10.1038/323533a0".into());
        assert_eq!(item_link(&p), p.link());
        p.doi = Some("10.1000/xyz_123<>".into());
        assert_eq!(
            item_link(&p).as_deref(),
            Some("https://doi.org/10.1000/xyz_123%3C%3E")
        );
        p.doi = Some("10.1002/(SICI)1097-4571;2-#?é".into());
        assert_eq!(
            item_link(&p).as_deref(),
            Some("https://doi.org/10.1002/(SICI)1097-4571;2-%23%3F%C3%A9")
        );
    }

    #[test]
    fn ids_are_doi_links_tag_uris_or_content_hashes() {
        let mut p = Paper::new("深度残差学习", 2017);
        p.authors = vec![Author::person("何", "恺明")];
        let (hashed, link) = item_id(&p);
        assert!(!link);
        assert_eq!(hashed, "tag:paper-export,2026:hash/c9b7347e58a8216a");
        // The hash depends on the title, the year and the authors only.
        let mut q = p.clone();
        q.tags = vec!["vision".into()];
        q.note.set("en", "n");
        assert_eq!(item_id(&q).0, hashed);
        q.title.push('!');
        assert_ne!(item_id(&q).0, hashed);
        let mut r = p.clone();
        r.year = Some(2018);
        assert_ne!(item_id(&r).0, hashed);

        p.id = "he 2016/deep#1".into();
        assert_eq!(
            item_id(&p),
            ("tag:paper-export,2026:he%202016/deep%231".into(), false)
        );
        p.doi = Some("10.1109/CVPR.2016.90".into());
        assert_eq!(
            item_id(&p),
            ("https://doi.org/10.1109/CVPR.2016.90".into(), true)
        );
    }

    #[test]
    fn fnv1a_known_values() {
        // FNV-1a 64 of no bytes is the offset basis; each part is followed
        // by 0x1F, so this is FNV-1a 64 of b"a\x1f" (checked in Python).
        assert_eq!(fnv1a_hex(&[]), "cbf29ce484222325");
        assert_eq!(fnv1a_hex(&["a"]), "089be907b544fdc9");
        assert_ne!(fnv1a_hex(&["ab", "c"]), fnv1a_hex(&["a", "bc"]));
    }

    #[test]
    fn summary_escapes_once_and_uses_the_language() {
        let mut p = Paper::new("T", 2019);
        p.authors = vec![
            Author::organization("AT&T Labs"),
            Author::person("<b>", "x"),
        ];
        p.authors_truncated = true;
        p.question.set("en", "Is ]]> safe?");
        p.question.set("zh", "安全吗？");
        p.note.set("en", "&amp; stays");
        assert_eq!(
            summary_html(&p, "en"),
            "<p>AT&amp;T Labs, x &lt;b&gt;, et al.</p>\n<p>2019</p>\n\
             <p><strong>Question:</strong> Is ]]&gt; safe?</p>\n\
             <p><strong>Note:</strong> &amp;amp; stays</p>"
        );
        assert_eq!(
            summary_html(&p, "zh"),
            "<p>AT&amp;T Labs, x &lt;b&gt;, 等</p>\n<p>2019</p>\n\
             <p><strong>问题：</strong>安全吗？</p>\n\
             <p><strong>笔记：</strong>&amp;amp; stays</p>"
        );
        assert_eq!(summary_html(&Paper::default(), "en"), "");
    }

    #[test]
    fn channel_from_settings_then_header() {
        let mut header = CollectionHeader::default();
        header.title = "Famous".into();
        header.title_translations.insert("zh".into(), "著名".into());
        header.homepage = "https://example.org/".into();
        let options = WriteOptions::default();
        let channel = FeedOptions::from_options(&options).channel(&header);
        assert_eq!(channel.title, "Famous");
        assert_eq!(channel.description, "Famous");
        assert_eq!(channel.link.as_deref(), Some("https://example.org/"));
        assert_eq!(channel.self_url, None);
        assert_eq!(channel.atom_id(), "https://example.org/");

        let mut options = WriteOptions::default()
            .with(FEED_TITLE, "Mine")
            .with(FEED_LINK, " ")
            .with(FEED_DESCRIPTION, "D")
            .with(FEED_URL, "https://example.org/feed.xml");
        options.lang = "zh".into();
        let channel = FeedOptions::from_options(&options).channel(&header);
        assert_eq!(channel.title, "Mine");
        assert_eq!(channel.link.as_deref(), Some("https://example.org/"));
        assert_eq!(channel.description, "D");
        assert_eq!(channel.atom_id(), "https://example.org/feed.xml");
        assert_eq!(channel.lang, "zh");

        let options = WriteOptions::default().with(FEED_URL, "https://x.org/f");
        let mut options = options;
        options.lang = "zh".into();
        let channel = FeedOptions::from_options(&options).channel(&header);
        assert_eq!(channel.title, "著名");

        let bare = FeedOptions::from_options(&WriteOptions::default())
            .channel(&CollectionHeader::default());
        assert_eq!(bare.title, DEFAULT_TITLE);
        assert_eq!(bare.link, None);
        assert!(bare.atom_id().starts_with("tag:paper-export,2026:feed/"));
    }
}
