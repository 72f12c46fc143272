//! RSS 2.0 (`rss`) and Atom 1.0 (`atom`) feeds of a paper list, written
//! with quick-xml as streams: each paper becomes an item as it arrives.
//!
//! ## The channel
//!
//! | element | RSS 2.0 | Atom 1.0 |
//! |---|---|---|
//! | title | `title`: setting `feed-title`, else the collection title in the language, else `Papers` | `title` |
//! | link | `link`: `feed-link`, else the collection homepage, else `feed-url` | `link rel="alternate"` |
//! | description | `description`: `feed-description`, else the collection description, else the title | `subtitle` |
//! | language | `language`: [`WriteOptions::lang`] | `xml:lang` |
//! | self link | `atom:link rel="self"` from `feed-url` | `link rel="self"` |
//! | generator | `generator`: `paper-export` and the version | `generator` |
//! | date | `lastBuildDate` | `updated` |
//! | id | – | `feed-url`, else the link, else a `tag:` URI from the title |
//! | author | – | the feed title (covers papers with no authors) |
//!
//! The date is [`WriteOptions::timestamp`] (`SOURCE_DATE_EPOCH` in the
//! CLI), written before the items, and both writers stream. Without a
//! timestamp it is the newest item's date, known only at the end:
//!
//! - RSS keeps that one date, not the papers, and writes `lastBuildDate`
//!   **after** the last item. RSS 2.0 gives the children of `<channel>` no
//!   order; feedparser and the W3C feed validator accept it.
//! - Atom cannot do that: the W3C feed validator rejects feed metadata
//!   after the first entry. The Atom writer then holds the written
//!   entries, as bytes, and writes the head with `updated` at the end. An
//!   Atom feed with no dated paper at all gets `1970-01-01T00:00:00Z`.
//!
//! ## The items
//!
//! | | RSS 2.0 | Atom 1.0 |
//! |---|---|---|
//! | title | `title`, plain text | `title type="text"` |
//! | link | `link`: [`item_link`] (DOI link, else url, else arXiv page) | `link rel="alternate"` |
//! | id | `guid`: [`item_id`]; `isPermaLink="true"` for the DOI link only | `id` |
//! | date | `pubDate`, RFC 822 | `updated` and `published`, RFC 3339 |
//! | authors | one `dc:creator` per author | one `author` per author |
//! | tags | one `category` per tag | one `category term` per tag |
//! | summary | `description`, HTML in CDATA: [`summary_html`] | `summary type="html"` |
//!
//! Dates are midnight UTC of the paper's date; **a year alone is 1
//! January of that year** and a year and month the first of the month. A
//! paper without a year has no `pubDate`; its Atom `updated` is
//! `1970-01-01T00:00:00Z`. An Atom entry without a link also gets the
//! summary as `content`, as RFC 4287 requires.
//!
//! Text is escaped once, and the summary's text is HTML-escaped first, so
//! a reader shows `<i>` as typed rather than in italics. Characters that
//! XML 1.0 forbids (C0 controls other than tab, line feed and carriage
//! return; U+FFFE; U+FFFF) are removed everywhere ([`xml_clean`]); a `]]>`
//! in a text is escaped, or split across two CDATA sections.
//!
//! ## Order
//!
//! Feed readers expect the newest item first, so both formats ask for
//! [`PaperOrder::NewestFirst`] ([`Format::default_order`]); the caller sorts.
//!
//! ## Settings
//!
//! [`FEED_TITLE`], [`FEED_LINK`], [`FEED_DESCRIPTION`], [`FEED_URL`] (the
//! CLI's `--feed-title`, `--feed-link`, `--feed-description`,
//! `--feed-url`). Without `feed-url` the feed has no self link, which
//! validators warn about: [`Format::option_warnings`] says so.
//!
//! ```
//! use paper_format::{Format, WriteOptions};
//! use paper_model::{CollectionHeader, Paper};
//!
//! let mut options = WriteOptions::default().with(paper_rss::FEED_TITLE, "Reading list");
//! options.timestamp = Some(0);
//! let mut writer = paper_rss::Rss.writer(&options).unwrap();
//! let mut paper = Paper::new("Learning representations by back-propagating errors", 1986);
//! paper.month = Some(10);
//! paper.day = Some(9);
//! paper.doi = Some("10.1038/323533a0".into());
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &paper)?;
//! writer.finish(&mut out)?;
//! let xml = String::from_utf8(out).unwrap();
//! assert!(xml.contains("<title>Reading list</title>"));
//! assert!(xml.contains("<lastBuildDate>Thu, 01 Jan 1970 00:00:00 +0000</lastBuildDate>"));
//! assert!(xml.contains(
//!     "<guid isPermaLink=\"true\">https://doi.org/10.1038/323533a0</guid>"
//! ));
//! assert!(xml.contains("<pubDate>Thu, 09 Oct 1986 00:00:00 +0000</pubDate>"));
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod atom;
mod date;
mod feed;
mod rss;
mod xml;

#[cfg(test)]
mod testing;

use paper_format::{Format, FormatInfo, PaperOrder, WriteOptions, Writer};

pub use atom::AtomWriter;
pub use feed::{DEFAULT_TITLE, TAG_PREFIX, doi_link, item_id, item_link, summary_html};
pub use rss::RssWriter;
pub use xml::{is_xml_char, xml_clean};

/// Setting: the feed title (`--feed-title`).
pub const FEED_TITLE: &str = "feed-title";
/// Setting: the page the feed belongs to (`--feed-link`).
pub const FEED_LINK: &str = "feed-link";
/// Setting: the feed description (`--feed-description`).
pub const FEED_DESCRIPTION: &str = "feed-description";
/// Setting: the URL the feed itself is published at (`--feed-url`).
pub const FEED_URL: &str = "feed-url";

const VERSION: &str = env!("CARGO_PKG_VERSION");
const GENERATOR_NAME: &str = "paper-export";
const GENERATOR: &str = concat!("paper-export ", env!("CARGO_PKG_VERSION"));

/// RSS 2.0.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rss;

/// Atom 1.0 (RFC 4287).
#[derive(Clone, Copy, Debug, Default)]
pub struct Atom;

static RSS_INFO: FormatInfo = FormatInfo {
    name: "rss",
    aliases: &["rss2"],
    extensions: &["rss"],
    summary: "RSS 2.0 feed, newest paper first",
    binary: false,
};

static ATOM_INFO: FormatInfo = FormatInfo {
    name: "atom",
    aliases: &[],
    extensions: &["atom"],
    summary: "Atom 1.0 feed, newest paper first",
    binary: false,
};

fn self_link_warning(options: &WriteOptions, element: &str) -> Vec<String> {
    if options
        .setting(FEED_URL)
        .is_some_and(|url| !url.trim().is_empty())
    {
        Vec::new()
    } else {
        vec![format!(
            "the feed has no {element}: give --feed-url with the URL it will be published at"
        )]
    }
}

impl Format for Rss {
    fn info(&self) -> &FormatInfo {
        &RSS_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(RssWriter::from_options(options)))
    }
    fn default_order(&self) -> PaperOrder {
        PaperOrder::NewestFirst
    }
    fn option_warnings(&self, options: &WriteOptions) -> Vec<String> {
        self_link_warning(options, "<atom:link rel=\"self\">")
    }
}

impl Format for Atom {
    fn info(&self) -> &FormatInfo {
        &ATOM_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(AtomWriter::from_options(options)))
    }
    fn default_order(&self) -> PaperOrder {
        PaperOrder::NewestFirst
    }
    fn option_warnings(&self, options: &WriteOptions) -> Vec<String> {
        self_link_warning(options, "<link rel=\"self\">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_feeds_are_newest_first_and_want_a_self_url() {
        for format in [&Rss as &dyn Format, &Atom] {
            assert_eq!(format.default_order(), PaperOrder::NewestFirst);
            assert!(format.can_write() && !format.can_read());
            let warnings = format.option_warnings(&WriteOptions::default());
            assert_eq!(warnings.len(), 1);
            assert!(warnings[0].contains("--feed-url"), "{warnings:?}");
            let blank = WriteOptions::default().with(FEED_URL, " ");
            assert_eq!(format.option_warnings(&blank).len(), 1);
            let given = WriteOptions::default().with(FEED_URL, "https://example.org/f");
            assert!(format.option_warnings(&given).is_empty());
        }
        assert_eq!(Rss.info().extensions, ["rss"]);
        assert_eq!(Atom.info().extensions, ["atom"]);
    }
}
