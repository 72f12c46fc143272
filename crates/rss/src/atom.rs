use std::io::Write;

use paper_format::{Error, WriteOptions, Writer};
use paper_model::{CollectionHeader, Paper};

use crate::date::Moment;
use crate::feed::{Channel, Entry, FeedOptions};
use crate::xml::Xml;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The `updated` date of an entry or feed that has no date at all: Atom
/// requires one, and a fixed one keeps the output deterministic.
const NO_DATE: &str = "1970-01-01T00:00:00Z";

/// Writes an Atom 1.0 feed (RFC 4287), one `<entry>` per paper.
///
/// The feed's `updated` is [`WriteOptions::timestamp`]; then every entry
/// is written as its paper arrives. Without a timestamp it is the newest
/// entry's date, and unlike RSS it cannot follow the entries: the W3C feed
/// validator rejects Atom feed metadata after the first entry. So in that
/// case, and only then, the writer holds the written entries (as bytes)
/// until [`Writer::finish`], then writes the feed's head and the entries.
#[derive(Debug)]
pub struct AtomWriter {
    options: FeedOptions,
    /// The feed's head, kept until `finish` when there is no timestamp.
    channel: Option<Channel>,
    held: Vec<u8>,
    newest: Option<Moment>,
}

impl AtomWriter {
    /// A writer configured from the options (see the crate documentation
    /// for the settings).
    pub fn from_options(options: &WriteOptions) -> Self {
        AtomWriter {
            options: FeedOptions::from_options(options),
            channel: None,
            held: Vec::new(),
            newest: None,
        }
    }

    fn holds_entries(&self) -> bool {
        self.options.timestamp.is_none()
    }
}

fn write_head(out: &mut dyn Write, channel: &Channel, updated: &str) -> Result<(), Error> {
    let mut xml = Xml::new(out);
    xml.declaration()?;
    xml.open(
        0,
        "feed",
        &[("xmlns", ATOM_NS), ("xml:lang", &channel.lang)],
    )?;
    xml.text(1, "id", &[], &channel.atom_id())?;
    xml.text(1, "title", &[], &channel.title)?;
    xml.text(1, "subtitle", &[], &channel.description)?;
    if let Some(link) = &channel.link {
        xml.empty(1, "link", &[("rel", "alternate"), ("href", link)])?;
    }
    if let Some(url) = &channel.self_url {
        xml.empty(
            1,
            "link",
            &[
                ("rel", "self"),
                ("href", url),
                ("type", "application/atom+xml"),
            ],
        )?;
    }
    // The feed's author covers entries of papers with no authors, which
    // RFC 4287 would otherwise reject: the collection, by its title.
    xml.open(1, "author", &[])?;
    xml.text(2, "name", &[], &channel.title)?;
    xml.close(1, "author")?;
    xml.text(
        1,
        "generator",
        &[("version", crate::VERSION)],
        crate::GENERATOR_NAME,
    )?;
    xml.text(1, "updated", &[], updated)?;
    Ok(())
}

fn write_entry(out: &mut dyn Write, entry: &Entry<'_>) -> Result<(), Error> {
    let date = entry.date.map(Moment::rfc3339);
    let mut xml = Xml::new(out);
    xml.open(1, "entry", &[])?;
    xml.text(2, "id", &[], &entry.id)?;
    xml.text(2, "title", &[("type", "text")], entry.title)?;
    xml.text(2, "updated", &[], date.as_deref().unwrap_or(NO_DATE))?;
    if let Some(date) = &date {
        xml.text(2, "published", &[], date)?;
    }
    for author in &entry.authors {
        xml.open(2, "author", &[])?;
        xml.text(3, "name", &[], author)?;
        xml.close(2, "author")?;
    }
    if let Some(link) = &entry.link {
        xml.empty(2, "link", &[("rel", "alternate"), ("href", link)])?;
    }
    for tag in entry.tags {
        xml.empty(2, "category", &[("term", tag)])?;
    }
    if !entry.html.is_empty() {
        xml.text(2, "summary", &[("type", "html")], &entry.html)?;
    }
    if entry.link.is_none() {
        // RFC 4287 §4.1.1: an entry without an alternate link must have
        // content. The summary is the best content there is.
        xml.text(2, "content", &[("type", "html")], &entry.html)?;
    }
    xml.close(1, "entry")?;
    Ok(())
}

impl Writer for AtomWriter {
    fn begin(&mut self, out: &mut dyn Write, header: &CollectionHeader) -> Result<(), Error> {
        let channel = self.options.channel(header);
        if let Some(moment) = self.options.timestamp {
            write_head(out, &channel, &moment.rfc3339())?;
        }
        self.channel = Some(channel);
        Ok(())
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        if self.channel.is_none() {
            self.begin(out, &CollectionHeader::default())?;
        }
        let entry = Entry::new(paper, &self.options.lang);
        if entry.date > self.newest {
            self.newest = entry.date;
        }
        if self.holds_entries() {
            write_entry(&mut self.held, &entry)
        } else {
            write_entry(out, &entry)
        }
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        if self.channel.is_none() {
            self.begin(out, &CollectionHeader::default())?;
        }
        if self.holds_entries()
            && let Some(channel) = &self.channel
        {
            let newest = self.newest.map(Moment::rfc3339);
            write_head(out, channel, newest.as_deref().unwrap_or(NO_DATE))?;
            out.write_all(&std::mem::take(&mut self.held))?;
        }
        Xml::new(out).close(0, "feed")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{attributes, texts, troublesome_strings, write_feed};
    use crate::{FEED_LINK, FEED_URL, summary_html, xml_clean};
    use paper_model::Author;

    fn header() -> CollectionHeader {
        let mut header = CollectionHeader::default();
        header.title = "Papers & <friends>".into();
        header.homepage = "https://example.org/?a=1&b=2".into();
        header.description = "Old papers".into();
        header
    }

    fn lstm() -> Paper {
        let mut p = Paper::new("Long Short-Term Memory", 1997);
        p.id = "hochreiter1997long".into();
        p.month = Some(11);
        p.day = Some(15);
        p.doi = Some("10.1162/neco.1997.9.8.1735".into());
        p.authors = vec![
            Author::person("Hochreiter", "Sepp"),
            Author::person("Schmidhuber", "Jürgen"),
        ];
        p.tags = vec!["sequence".into(), "R&D".into()];
        p.question.set("en", "Can <gates> help?");
        p
    }

    fn unlinked() -> Paper {
        let mut p = Paper::new("Implementing Semantic Networks", 1981);
        p.id = "hinton1981implementing".into();
        p
    }

    #[test]
    fn a_whole_feed_with_a_timestamp_streams() {
        let mut options = WriteOptions::default()
            .with(FEED_URL, "https://example.org/feed.atom")
            .with(FEED_LINK, "https://example.org/list?x=1&y=2");
        options.timestamp = Some(1_700_000_000);
        let out = write_feed(
            &mut AtomWriter::from_options(&options),
            &header(),
            &[lstm(), unlinked()],
        );
        let expected = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>https://example.org/feed.atom</id>
  <title>Papers &amp; &lt;friends&gt;</title>
  <subtitle>Old papers</subtitle>
  <link rel="alternate" href="https://example.org/list?x=1&amp;y=2"/>
  <link rel="self" href="https://example.org/feed.atom" type="application/atom+xml"/>
  <author>
    <name>Papers &amp; &lt;friends&gt;</name>
  </author>
  <generator version="{}">paper-export</generator>
  <updated>2023-11-14T22:13:20Z</updated>
  <entry>
    <id>https://doi.org/10.1162/neco.1997.9.8.1735</id>
    <title type="text">Long Short-Term Memory</title>
    <updated>1997-11-15T00:00:00Z</updated>
    <published>1997-11-15T00:00:00Z</published>
    <author>
      <name>Sepp Hochreiter</name>
    </author>
    <author>
      <name>Jürgen Schmidhuber</name>
    </author>
    <link rel="alternate" href="https://doi.org/10.1162/neco.1997.9.8.1735"/>
    <category term="sequence"/>
    <category term="R&amp;D"/>
    <summary type="html">&lt;p&gt;Sepp Hochreiter, Jürgen Schmidhuber&lt;/p&gt;
&lt;p&gt;1997&lt;/p&gt;
&lt;p&gt;&lt;strong&gt;Question:&lt;/strong&gt; Can &amp;lt;gates&amp;gt; help?&lt;/p&gt;</summary>
  </entry>
  <entry>
    <id>tag:paper-export,2026:hinton1981implementing</id>
    <title type="text">Implementing Semantic Networks</title>
    <updated>1981-01-01T00:00:00Z</updated>
    <published>1981-01-01T00:00:00Z</published>
    <summary type="html">&lt;p&gt;1981&lt;/p&gt;</summary>
    <content type="html">&lt;p&gt;1981&lt;/p&gt;</content>
  </entry>
</feed>
"#,
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn streams_with_a_timestamp_and_holds_entries_without_one() {
        let mut options = WriteOptions::default();
        options.timestamp = Some(0);
        let mut writer = AtomWriter::from_options(&options);
        let mut out = Vec::new();
        writer.begin(&mut out, &header()).unwrap();
        writer.write_paper(&mut out, &lstm()).unwrap();
        assert!(String::from_utf8_lossy(&out).ends_with("</entry>\n"));

        let mut writer = AtomWriter::from_options(&WriteOptions::default());
        let mut out = Vec::new();
        writer.begin(&mut out, &header()).unwrap();
        writer.write_paper(&mut out, &unlinked()).unwrap();
        writer.write_paper(&mut out, &lstm()).unwrap();
        assert!(out.is_empty(), "held until the newest date is known");
        writer.finish(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        // The feed's updated is the newest entry's date, before the entries.
        assert_eq!(
            texts(&out, "updated"),
            [
                "1997-11-15T00:00:00Z",
                "1981-01-01T00:00:00Z",
                "1997-11-15T00:00:00Z"
            ]
        );
        assert!(out.find("<updated>").unwrap() < out.find("<entry>").unwrap());
    }

    #[test]
    fn undated_papers_and_empty_feeds_still_have_every_required_element() {
        let mut undated = unlinked();
        undated.year = None;
        let out = write_feed(
            &mut AtomWriter::from_options(&WriteOptions::default()),
            &CollectionHeader::default(),
            &[undated],
        );
        assert_eq!(texts(&out, "updated"), [NO_DATE, NO_DATE]);
        assert!(texts(&out, "published").is_empty());
        assert_eq!(texts(&out, "name"), [crate::DEFAULT_TITLE]);
        let id = &texts(&out, "id")[0];
        assert!(id.starts_with("tag:paper-export,2026:feed/"), "{id}");
        // No summary to give: the content is empty but present.
        assert_eq!(texts(&out, "content"), [""]);

        let out = write_feed(
            &mut AtomWriter::from_options(&WriteOptions::default()),
            &header(),
            &[],
        );
        assert_eq!(texts(&out, "updated"), [NO_DATE]);
        assert!(texts(&out, "entry").is_empty());
        assert!(out.ends_with("</updated>\n</feed>\n"));
    }

    #[test]
    fn any_text_comes_back_from_an_xml_parser_without_forbidden_characters() {
        for text in troublesome_strings(400) {
            let mut p = lstm();
            p.title = format!("T{text}");
            p.authors = vec![Author::organization(format!("O{text}"))];
            p.tags = vec![text.clone()];
            p.url = Some(format!("https://example.org/{text}"));
            p.doi = None;
            p.note.set("en", text.clone());
            let out = write_feed(
                &mut AtomWriter::from_options(&WriteOptions::default()),
                &header(),
                &[p.clone()],
            );
            let clean = |s: &str| xml_clean(s).into_owned();
            assert_eq!(texts(&out, "title")[1], clean(&p.title), "{text:?}");
            assert_eq!(texts(&out, "name")[1], clean(&format!("O{text}")));
            assert_eq!(texts(&out, "summary"), [clean(&summary_html(&p, "en"))]);
            assert_eq!(attributes(&out, "category", "term"), [clean(&text)]);
            let hrefs = attributes(&out, "link", "href");
            assert_eq!(hrefs[1], clean(&format!("https://example.org/{text}")));
        }
    }
}
