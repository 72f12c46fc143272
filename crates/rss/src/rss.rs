use std::io::Write;

use paper_format::{Error, WriteOptions, Writer};
use paper_model::{CollectionHeader, Paper};

use crate::date::Moment;
use crate::feed::{Entry, FeedOptions};
use crate::xml::Xml;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// Writes an RSS 2.0 feed, one `<item>` per paper as it arrives.
///
/// `lastBuildDate` comes from [`WriteOptions::timestamp`] and is then
/// written with the other channel elements, before the items. Without a
/// timestamp it is the newest item's date, which is known only at the end:
/// the writer keeps that one date (nothing else) and writes
/// `lastBuildDate` after the last item. RSS 2.0 gives the sub-elements of
/// `<channel>` no order, so this is valid, and feed readers accept it.
#[derive(Debug)]
pub struct RssWriter {
    options: FeedOptions,
    begun: bool,
    newest: Option<Moment>,
}

impl RssWriter {
    /// A writer configured from the options (see the crate documentation
    /// for the settings).
    pub fn from_options(options: &WriteOptions) -> Self {
        RssWriter {
            options: FeedOptions::from_options(options),
            begun: false,
            newest: None,
        }
    }
}

impl Writer for RssWriter {
    fn begin(&mut self, out: &mut dyn Write, header: &CollectionHeader) -> Result<(), Error> {
        self.begun = true;
        let channel = self.options.channel(header);
        let mut xml = Xml::new(out);
        xml.declaration()?;
        xml.open(
            0,
            "rss",
            &[
                ("version", "2.0"),
                ("xmlns:atom", ATOM_NS),
                ("xmlns:dc", DC_NS),
            ],
        )?;
        xml.open(1, "channel", &[])?;
        xml.text(2, "title", &[], &channel.title)?;
        if let Some(link) = &channel.link {
            xml.text(2, "link", &[], link)?;
        }
        xml.text(2, "description", &[], &channel.description)?;
        xml.text(2, "language", &[], &channel.lang)?;
        xml.text(2, "generator", &[], crate::GENERATOR)?;
        if let Some(moment) = self.options.timestamp {
            xml.text(2, "lastBuildDate", &[], &moment.rfc822())?;
        }
        if let Some(url) = &channel.self_url {
            xml.empty(
                2,
                "atom:link",
                &[
                    ("href", url),
                    ("rel", "self"),
                    ("type", "application/rss+xml"),
                ],
            )?;
        }
        Ok(())
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        if !self.begun {
            self.begin(out, &CollectionHeader::default())?;
        }
        let entry = Entry::new(paper, &self.options.lang);
        if entry.date > self.newest {
            self.newest = entry.date;
        }
        let mut xml = Xml::new(out);
        xml.open(2, "item", &[])?;
        xml.text(3, "title", &[], entry.title)?;
        if let Some(link) = &entry.link {
            xml.text(3, "link", &[], link)?;
        }
        if !entry.html.is_empty() {
            xml.cdata(3, "description", &[], &entry.html)?;
        }
        let permalink = if entry.id_is_link { "true" } else { "false" };
        xml.text(3, "guid", &[("isPermaLink", permalink)], &entry.id)?;
        if let Some(date) = entry.date {
            xml.text(3, "pubDate", &[], &date.rfc822())?;
        }
        for author in &entry.authors {
            xml.text(3, "dc:creator", &[], author)?;
        }
        for tag in entry.tags {
            xml.text(3, "category", &[], tag)?;
        }
        xml.close(2, "item")?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        if !self.begun {
            self.begin(out, &CollectionHeader::default())?;
        }
        let mut xml = Xml::new(out);
        if self.options.timestamp.is_none()
            && let Some(newest) = self.newest
        {
            xml.text(2, "lastBuildDate", &[], &newest.rfc822())?;
        }
        xml.close(1, "channel")?;
        xml.close(0, "rss")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{texts, troublesome_strings, write_feed};
    use crate::{FEED_URL, summary_html, xml_clean};
    use paper_model::Author;

    fn header() -> CollectionHeader {
        let mut header = CollectionHeader::default();
        header.title = "Papers & <friends>".into();
        header.homepage = "https://example.org/?a=1&b=2".into();
        header.description = "Old papers".into();
        header
    }

    fn rumelhart() -> Paper {
        let mut p = Paper::new("Learning representations by back-propagating errors", 1986);
        p.id = "rumelhart1986learning".into();
        p.month = Some(10);
        p.day = Some(9);
        p.doi = Some("10.1038/323533a0".into());
        p.authors = vec![
            Author::person("Rumelhart", "David E."),
            Author::person("Hinton", "Geoffrey E."),
        ];
        p.tags = vec!["learning-rule".into(), "representation".into()];
        p.venue = Some("Nature".into());
        p.note.set("en", "Backprop & <hidden> units.");
        p
    }

    fn elman() -> Paper {
        let mut p = Paper::new("Finding Structure in Time", 1990);
        p.id = "elman1990finding".into();
        p.url = Some("https://example.org/elman?x=1&y=2".into());
        p
    }

    #[test]
    fn a_whole_feed_with_a_timestamp_and_a_self_link() {
        let mut options =
            WriteOptions::default().with(FEED_URL, "https://example.org/feed.rss?a=1&b=2");
        options.timestamp = Some(1_700_000_000);
        let out = write_feed(
            &mut RssWriter::from_options(&options),
            &header(),
            &[rumelhart(), elman()],
        );
        let expected = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Papers &amp; &lt;friends&gt;</title>
    <link>https://example.org/?a=1&amp;b=2</link>
    <description>Old papers</description>
    <language>en</language>
    <generator>paper-export {}</generator>
    <lastBuildDate>Tue, 14 Nov 2023 22:13:20 +0000</lastBuildDate>
    <atom:link href="https://example.org/feed.rss?a=1&amp;b=2" rel="self" type="application/rss+xml"/>
    <item>
      <title>Learning representations by back-propagating errors</title>
      <link>https://doi.org/10.1038/323533a0</link>
      <description><![CDATA[<p>David E. Rumelhart, Geoffrey E. Hinton</p>
<p><em>Nature</em>, 1986</p>
<p><strong>Note:</strong> Backprop &amp; &lt;hidden&gt; units.</p>]]></description>
      <guid isPermaLink="true">https://doi.org/10.1038/323533a0</guid>
      <pubDate>Thu, 09 Oct 1986 00:00:00 +0000</pubDate>
      <dc:creator>David E. Rumelhart</dc:creator>
      <dc:creator>Geoffrey E. Hinton</dc:creator>
      <category>learning-rule</category>
      <category>representation</category>
    </item>
    <item>
      <title>Finding Structure in Time</title>
      <link>https://example.org/elman?x=1&amp;y=2</link>
      <description><![CDATA[<p>1990</p>]]></description>
      <guid isPermaLink="false">tag:paper-export,2026:elman1990finding</guid>
      <pubDate>Mon, 01 Jan 1990 00:00:00 +0000</pubDate>
    </item>
  </channel>
</rss>
"#,
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn without_a_timestamp_the_newest_date_follows_the_items() {
        let options = WriteOptions::default();
        let mut undated = Paper::new("Undated", 1);
        undated.year = None;
        let out = write_feed(
            &mut RssWriter::from_options(&options),
            &header(),
            &[rumelhart(), undated.clone(), elman()],
        );
        assert_eq!(
            texts(&out, "lastBuildDate"),
            ["Mon, 01 Jan 1990 00:00:00 +0000"]
        );
        let last_item = out.rfind("</item>").unwrap();
        let build_date = out.find("<lastBuildDate>").unwrap();
        assert!(build_date > last_item);
        assert!(out.ends_with("</lastBuildDate>\n  </channel>\n</rss>\n"));
        // No self link without feed-url; the undated paper has no pubDate.
        assert!(!out.contains("atom:link "));
        assert_eq!(texts(&out, "pubDate").len(), 2);

        // No dated paper: no lastBuildDate at all.
        let out = write_feed(
            &mut RssWriter::from_options(&options),
            &header(),
            &[undated],
        );
        assert!(texts(&out, "lastBuildDate").is_empty());
    }

    #[test]
    fn an_empty_feed_and_a_feed_without_begin_are_whole_documents() {
        let out = write_feed(
            &mut RssWriter::from_options(&WriteOptions::default()),
            &CollectionHeader::default(),
            &[],
        );
        assert_eq!(texts(&out, "title"), ["Papers"]);
        assert_eq!(texts(&out, "description"), ["Papers"]);
        assert!(texts(&out, "link").is_empty());
        assert!(texts(&out, "item").is_empty());

        let mut writer = RssWriter::from_options(&WriteOptions::default());
        let mut out = Vec::new();
        writer.write_paper(&mut out, &elman()).unwrap();
        writer.finish(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            texts(&out, "guid"),
            ["tag:paper-export,2026:elman1990finding"]
        );
        assert_eq!(texts(&out, "rss").len(), 1);
    }

    #[test]
    fn language_comes_from_the_options() {
        let mut options = WriteOptions::default();
        options.lang = "zh".into();
        let mut p = rumelhart();
        p.note.set("zh", "反向传播");
        let mut h = header();
        h.title_translations.insert("zh".into(), "论文".into());
        let out = write_feed(&mut RssWriter::from_options(&options), &h, &[p]);
        assert_eq!(texts(&out, "language"), ["zh"]);
        assert_eq!(texts(&out, "title")[0], "论文");
        assert!(texts(&out, "description")[1].ends_with("<p><strong>笔记：</strong>反向传播</p>"));
    }

    #[test]
    fn any_text_comes_back_from_an_xml_parser_without_forbidden_characters() {
        for text in troublesome_strings(400) {
            let mut p = Paper::new(format!("T{text}"), 2000);
            p.id = format!("id{}", text.replace(char::is_whitespace, ""));
            p.authors = vec![Author::organization(format!("O{text}"))];
            p.tags = vec![text.clone()];
            p.note.set("en", text.clone());
            let options = WriteOptions::default().with(crate::FEED_TITLE, text.clone());
            let out = write_feed(
                &mut RssWriter::from_options(&options),
                &CollectionHeader::default(),
                &[p.clone()],
            );
            let clean = |s: &str| xml_clean(s).into_owned();
            let titles = texts(&out, "title");
            let expected_feed_title = match clean(&text).trim() {
                "" => crate::DEFAULT_TITLE.to_owned(),
                t => t.to_owned(),
            };
            assert_eq!(titles, [expected_feed_title, clean(&p.title)], "{text:?}");
            assert_eq!(texts(&out, "category"), [clean(&text)], "{text:?}");
            assert_eq!(texts(&out, "dc:creator"), [clean(&format!("O{text}"))]);
            // CDATA keeps the text as is, except that an XML parser turns
            // each carriage return into a line feed (HTML whitespace).
            let description = texts(&out, "description").pop().unwrap();
            let expected = clean(&summary_html(&p, "en"))
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            assert_eq!(description, expected, "{text:?}");
        }
    }
}
