//! A thin layer over quick-xml's writer: one element per line, indented by
//! two spaces, and every piece of text cleaned of the characters XML 1.0
//! forbids before quick-xml escapes it.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// True for a character that XML 1.0 allows in a document: tab, line feed,
/// carriage return, and everything from U+0020 except U+FFFE and U+FFFF
/// (Rust's `char` already excludes the surrogates).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// The text without the characters XML 1.0 forbids (see [`is_xml_char`]).
///
/// ```
/// assert_eq!(paper_rss::xml_clean("a\u{7}b\tc\u{FFFF}"), "ab\tc");
/// ```
pub fn xml_clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Writes a feed document, one element per line.
pub(crate) struct Xml<'a> {
    writer: Writer<&'a mut dyn Write>,
}

/// Attributes as `(name, value)`; values are cleaned and escaped.
pub(crate) type Attrs<'a> = &'a [(&'a str, &'a str)];

impl<'a> Xml<'a> {
    pub(crate) fn new(out: &'a mut dyn Write) -> Self {
        Xml {
            writer: Writer::new(out),
        }
    }

    fn indent(&mut self, depth: usize) -> io::Result<()> {
        for _ in 0..depth {
            self.writer.get_mut().write_all(b"  ")?;
        }
        Ok(())
    }

    fn newline(&mut self) -> io::Result<()> {
        self.writer.get_mut().write_all(b"\n")
    }

    fn start<'n>(name: &'n str, attrs: Attrs<'_>) -> BytesStart<'n> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute((*key, xml_clean(value)));
        }
        start
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>` and a line break.
    pub(crate) fn declaration(&mut self) -> io::Result<()> {
        let decl = BytesDecl::new("1.0", Some("UTF-8"), None);
        self.writer.write_event(Event::Decl(decl))?;
        self.newline()
    }

    /// An opening tag on its own line.
    pub(crate) fn open(&mut self, depth: usize, name: &str, attrs: Attrs<'_>) -> io::Result<()> {
        self.indent(depth)?;
        self.writer
            .write_event(Event::Start(Self::start(name, attrs)))?;
        self.newline()
    }

    /// A closing tag on its own line.
    pub(crate) fn close(&mut self, depth: usize, name: &str) -> io::Result<()> {
        self.indent(depth)?;
        self.writer.write_event(Event::End(BytesEnd::new(name)))?;
        self.newline()
    }

    /// An empty element on its own line.
    pub(crate) fn empty(&mut self, depth: usize, name: &str, attrs: Attrs<'_>) -> io::Result<()> {
        self.indent(depth)?;
        self.writer
            .write_event(Event::Empty(Self::start(name, attrs)))?;
        self.newline()
    }

    /// An element holding text, escaped once (`&`, `<`, `>` and carriage
    /// returns become references).
    pub(crate) fn text(
        &mut self,
        depth: usize,
        name: &str,
        attrs: Attrs<'_>,
        text: &str,
    ) -> io::Result<()> {
        self.indent(depth)?;
        self.writer
            .write_event(Event::Start(Self::start(name, attrs)))?;
        let escaped = partial_escape(xml_clean(text));
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(escaped)))?;
        self.writer.write_event(Event::End(BytesEnd::new(name)))?;
        self.newline()
    }

    /// An element holding text in CDATA sections; a `]]>` in the text is
    /// split across two sections, so it can never end one early.
    pub(crate) fn cdata(
        &mut self,
        depth: usize,
        name: &str,
        attrs: Attrs<'_>,
        text: &str,
    ) -> io::Result<()> {
        self.indent(depth)?;
        self.writer
            .write_event(Event::Start(Self::start(name, attrs)))?;
        let clean = xml_clean(text);
        for section in BytesCData::escaped(&clean) {
            self.writer.write_event(Event::CData(section))?;
        }
        self.writer.write_event(Event::End(BytesEnd::new(name)))?;
        self.newline()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Xml<'_>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut Xml::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn forbidden_characters_are_removed_and_allowed_ones_kept() {
        assert!(matches!(xml_clean("plain"), Cow::Borrowed("plain")));
        let all_c0: String = (0u8..0x20).map(char::from).collect();
        assert_eq!(xml_clean(&all_c0), "\t\n\r");
        assert_eq!(
            xml_clean("a\u{FFFE}\u{FFFF}\u{FFFD}\u{10000}"),
            "a\u{FFFD}\u{10000}"
        );
        // C1 controls and DEL are allowed by XML 1.0.
        assert_eq!(xml_clean("\u{7F}\u{85}"), "\u{7F}\u{85}");
    }

    #[test]
    fn text_is_escaped_once() {
        let out = written(|x| x.text(1, "title", &[], "Tom & <b>Jerry</b> \"q\" ]]> \u{1}\r"));
        assert_eq!(
            out,
            "  <title>Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; \"q\" ]]&gt; &#13;</title>\n"
        );
    }

    #[test]
    fn attributes_are_escaped_and_cleaned() {
        let out = written(|x| x.empty(0, "link", &[("href", "https://x.org/?a=1&b=\"2\"\u{0}\t")]));
        assert_eq!(
            out,
            "<link href=\"https://x.org/?a=1&amp;b=&quot;2&quot;&#9;\"/>\n"
        );
    }

    #[test]
    fn cdata_splits_the_end_marker() {
        let out = written(|x| x.cdata(0, "d", &[], "<p>a ]]> b\u{8}</p>"));
        assert_eq!(out, "<d><![CDATA[<p>a ]]]]><![CDATA[> b</p>]]></d>\n");
        let out = written(|x| x.cdata(0, "d", &[], ""));
        assert_eq!(out, "<d><![CDATA[]]></d>\n");
    }

    #[test]
    fn document_shape() {
        let out = written(|x| {
            x.declaration()?;
            x.open(0, "a", &[("v", "1")])?;
            x.close(0, "a")
        });
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a v=\"1\">\n</a>\n"
        );
    }
}
