//! Helpers for the unit tests: run a writer, read its output back.

use paper_format::Writer;
use paper_model::{CollectionHeader, Paper};
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

use crate::is_xml_char;

/// The whole output of a writer for these papers, as text.
pub(crate) fn write_feed(
    writer: &mut dyn Writer,
    header: &CollectionHeader,
    papers: &[Paper],
) -> String {
    let mut out = Vec::new();
    writer.begin(&mut out, header).unwrap();
    for paper in papers {
        writer.write_paper(&mut out, paper).unwrap();
    }
    writer.finish(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.chars().all(is_xml_char),
        "a character XML forbids: {text:?}"
    );
    text
}

/// The text of every element with this name, in document order, as an XML
/// parser gives it (references resolved, CDATA sections joined). Panics
/// when the document is not well-formed.
pub(crate) fn texts(xml: &str, name: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    let mut depth = 0usize;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                depth += 1;
                if e.name().as_ref() == name {
                    current = Some(String::new());
                }
            }
            Event::End(e) => {
                depth -= 1;
                if e.name().as_ref() == name
                    && let Some(text) = current.take()
                {
                    found.push(text);
                }
            }
            Event::Text(t) => {
                if let Some(text) = current.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if let Some(text) = current.as_mut() {
                    text.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(text) = current.as_mut() {
                    match r.resolve_char_ref().unwrap() {
                        Some(c) => text.push(c),
                        None => text.push_str(resolve_predefined_entity(&r).unwrap()),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    found
}

/// The value of attribute `attr` on every element named `name`, as an
/// XML parser gives it (references resolved, white space normalised).
pub(crate) fn attributes(xml: &str, name: &str, attr: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == name => {
                for a in e.attributes() {
                    let a = a.unwrap();
                    if a.key.as_ref() == attr {
                        found.push(
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        );
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// Strings from an alphabet of trouble, drawn by a fixed xorshift so
/// the test is the same on every run.
pub(crate) fn troublesome_strings(count: usize) -> Vec<String> {
    const ALPHABET: &[&str] = &[
        "a",
        " ",
        "&",
        "&amp;",
        "<",
        ">",
        "]]>",
        "]",
        "\"",
        "'",
        "\r",
        "\r\n",
        "\n",
        "\t",
        "\u{0}",
        "\u{1}",
        "\u{8}",
        "\u{b}",
        "\u{c}",
        "\u{1f}",
        "\u{7f}",
        "\u{85}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{fffd}",
        "é",
        "何",
        "😀",
        "<![CDATA[",
        "-->",
        "&#0;",
        "%",
        "#",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = next() % 12 + 1;
            (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect()
        })
        .collect()
}
