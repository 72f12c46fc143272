//! Papers as JSON text, written directly: byte for byte what `serde_json`
//! writes for a [`Paper`] (compact, or pretty-printed some levels deep),
//! without going through serde.
//!
//! `serde_json` escapes strings one byte at a time; in a JSON → JSON
//! conversion of 10,000 papers its serializing was about a fifth of all
//! instructions (callgrind). Here a string is checked sixteen bytes at a
//! time and copied in runs, and the model's keys are written as they are:
//! the whole conversion takes 9% fewer instructions. The derived
//! `Serialize` stays the definition: the tests compare the two on arbitrary
//! papers and check that every property of the paper schema is written
//! here.

use paper_model::{Author, Paper, Text};

/// How the JSON is laid out.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Layout {
    /// `serde_json::to_writer`: no white space.
    Compact,
    /// `serde_json::to_writer_pretty`, as if the value were `level` levels
    /// deep (two spaces each).
    Pretty { level: usize },
}

/// Appends `paper` to `out` in `layout`.
pub(crate) fn encode_paper(out: &mut Vec<u8>, paper: &Paper, layout: Layout) {
    let (pretty, level) = match layout {
        Layout::Compact => (false, 0),
        Layout::Pretty { level } => (true, level),
    };
    Encoder { out, pretty, level }.paper(paper);
}

/// A key of the model as written before its value, `"name": ` (compact
/// output drops the space): one piece to copy instead of four.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\": ")
    };
}

/// A new line and the indent of up to 16 levels.
const LINE: [u8; 33] = *b"\n                                ";

struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    pretty: bool,
    /// Depth of the value being written.
    level: usize,
}

/// Whether a container has had an element yet.
struct Container {
    empty: bool,
}

impl Encoder<'_> {
    fn paper(&mut self, paper: &Paper) {
        let mut object = self.open(b'{');
        if !paper.id.is_empty() {
            self.key(&mut object, key!("id"));
            self.string(&paper.id);
        }
        self.key(&mut object, key!("type"));
        self.string(paper.kind.as_str());
        self.key(&mut object, key!("title"));
        self.string(&paper.title);
        if !paper.authors.is_empty() {
            self.key(&mut object, key!("authors"));
            self.list(&paper.authors, Self::author);
        }
        if paper.authors_truncated {
            self.key(&mut object, key!("authors_truncated"));
            self.out.extend_from_slice(b"true");
        }
        for (key, number) in [
            (key!("year"), paper.year),
            (key!("month"), paper.month.map(i32::from)),
            (key!("day"), paper.day.map(i32::from)),
        ] {
            if let Some(number) = number {
                self.key(&mut object, key);
                self.integer(number);
            }
        }
        for (key, text) in [
            (key!("venue"), &paper.venue),
            (key!("volume"), &paper.volume),
            (key!("number"), &paper.number),
            (key!("pages"), &paper.pages),
            (key!("publisher"), &paper.publisher),
            (key!("doi"), &paper.doi),
            (key!("arxiv"), &paper.arxiv),
            (key!("url"), &paper.url),
            (key!("isbn"), &paper.isbn),
        ] {
            if let Some(text) = text {
                self.key(&mut object, key);
                self.string(text);
            }
        }
        if !paper.tags.is_empty() {
            self.key(&mut object, key!("tags"));
            self.list(&paper.tags, |e, tag| e.string(tag));
        }
        for (key, text) in [
            (key!("question"), &paper.question),
            (key!("note"), &paper.note),
        ] {
            if !Text::is_empty(text) {
                self.key(&mut object, key);
                self.map(&text.0);
            }
        }
        if !paper.extra.is_empty() {
            self.key(&mut object, key!("extra"));
            self.map(&paper.extra);
        }
        self.close(object, b'}');
    }

    /// An array of `items`, each written by `write`.
    fn list<T>(&mut self, items: &[T], mut write: impl FnMut(&mut Self, &T)) {
        let mut list = self.open(b'[');
        for item in items {
            self.element(&mut list);
            write(self, item);
        }
        self.close(list, b']');
    }

    fn author(&mut self, author: &Author) {
        let mut object = self.open(b'{');
        match author {
            Author::Person(person) => {
                self.key(&mut object, key!("family"));
                self.string(&person.family);
                for (key, part) in [
                    (key!("given"), &person.given),
                    (key!("particle"), &person.particle),
                    (key!("suffix"), &person.suffix),
                ] {
                    if let Some(part) = part {
                        self.key(&mut object, key);
                        self.string(part);
                    }
                }
            }
            Author::Organization(organization) => {
                self.key(&mut object, key!("literal"));
                self.string(&organization.literal);
            }
        }
        self.close(object, b'}');
    }

    fn map(&mut self, map: &std::collections::BTreeMap<String, String>) {
        let mut object = self.open(b'{');
        for (key, value) in map {
            self.text_key(&mut object, key);
            self.string(value);
        }
        self.close(object, b'}');
    }

    fn open(&mut self, bracket: u8) -> Container {
        self.level += 1;
        self.out.push(bracket);
        Container { empty: true }
    }

    fn close(&mut self, container: Container, bracket: u8) {
        self.level -= 1;
        if self.pretty && !container.empty {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// What comes before an element of an array or an object.
    fn element(&mut self, container: &mut Container) {
        let comma = !container.empty;
        container.empty = false;
        if !self.pretty {
            if comma {
                self.out.push(b',');
            }
            return;
        }
        // The comma (if any), the new line and the indent in one piece.
        const COMMA_LINE: &[u8; 34] = b",\n                                ";
        let len = usize::from(comma) + 1 + 2 * self.level;
        if len > COMMA_LINE.len() {
            if comma {
                self.out.push(b',');
            }
            self.newline();
        } else if comma {
            self.put_prefix(COMMA_LINE, len);
        } else {
            self.put_prefix(&LINE, len);
        }
    }

    /// Appends the first `len` bytes of `piece`: all of it is copied (a
    /// copy of known length is a few moves, where one of any length is a
    /// call) and the rest cut off again.
    #[inline]
    fn put_prefix<const N: usize>(&mut self, piece: &[u8; N], len: usize) {
        let end = self.out.len() + len;
        self.out.extend_from_slice(piece);
        self.out.truncate(end);
    }

    /// A key of the model's own, as [`key!`] writes it.
    fn key(&mut self, object: &mut Container, key: &'static str) {
        self.element(object);
        let key = key.as_bytes();
        let key = if self.pretty {
            key
        } else {
            &key[..key.len() - 1]
        };
        self.out.extend_from_slice(key);
    }

    /// A key from the data: escaped.
    fn text_key(&mut self, object: &mut Container, key: &str) {
        self.element(object);
        self.string(key);
        self.colon();
    }

    fn colon(&mut self) {
        self.out
            .extend_from_slice(if self.pretty { b": " } else { b":" });
    }

    fn newline(&mut self) {
        let len = 1 + 2 * self.level;
        if len <= LINE.len() {
            self.put_prefix(&LINE, len);
        } else {
            self.out.push(b'\n');
            for _ in 0..self.level {
                self.out.extend_from_slice(b"  ");
            }
        }
    }

    fn integer(&mut self, n: i32) {
        if n < 0 {
            self.out.push(b'-');
        }
        let mut digits = [0u8; 10];
        let mut rest = n.unsigned_abs();
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[start..]);
    }

    /// A string in quotes, escaped as `serde_json` escapes it: `"`, `\` and
    /// the control characters below U+0020 (short forms where JSON has them,
    /// `\u00XX` with lowercase hex otherwise); everything else as it is.
    fn string(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        let mut copied = 0;
        while let Some(at) = next_special(bytes, copied) {
            self.out.extend_from_slice(&bytes[copied..at]);
            let (escape, len) = escape(bytes[at]);
            self.out.extend_from_slice(&escape[..len]);
            copied = at + 1;
        }
        self.out.extend_from_slice(&bytes[copied..]);
        self.out.push(b'"');
    }
}

/// Where the next byte that needs an escape is, from `from` on (in JSON
/// text: where a string ends, or has an escape or a byte it may not have).
///
/// Bytes are tested a block at a time without branching (the compiler
/// turns the test into vector instructions), and one by one only in a
/// block that has such a byte, or in the last few.
pub(crate) fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 16;
    let mut at = from;
    while let Some(block) = bytes.get(at..at + BLOCK) {
        let block: &[u8; BLOCK] = block.try_into().ok()?;
        if block.iter().fold(false, |any, &b| any | needs_escape(b)) {
            return block.iter().position(|&b| needs_escape(b)).map(|i| at + i);
        }
        at += BLOCK;
    }
    // The last few, in a block padded with a byte that needs nothing.
    let rest = bytes.get(at..)?;
    let mut block = [b'a'; BLOCK];
    block[..rest.len()].copy_from_slice(rest);
    if !block.iter().fold(false, |any, &b| any | needs_escape(b)) {
        return None;
    }
    rest.iter().position(|&b| needs_escape(b)).map(|i| at + i)
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The escape of a byte that [`needs_escape`]: `\n`, `\u001f`, and so on.
fn escape(byte: u8) -> ([u8; 6], usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            let hi = HEX[usize::from(byte >> 4)];
            let lo = HEX[usize::from(byte & 0xf)];
            return ([b'\\', b'u', b'0', b'0', hi, lo], 6);
        }
    };
    ([b'\\', short, 0, 0, 0, 0], 2)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use paper_format::json_scan::array_element;
    use paper_model::{Organization, PaperType, Person};
    use proptest::collection::{btree_map, vec};
    use proptest::option;
    use proptest::prelude::*;

    fn compact(paper: &Paper) -> String {
        let mut out = Vec::new();
        encode_paper(&mut out, paper, Layout::Compact);
        String::from_utf8(out).unwrap()
    }

    fn pretty(paper: &Paper, level: usize) -> String {
        let mut out = Vec::new();
        encode_paper(&mut out, paper, Layout::Pretty { level });
        String::from_utf8(out).unwrap()
    }

    /// What serde_json writes for `paper` as the first element of an array
    /// `level` levels deep, without the new line and indentation before it.
    fn serde_pretty(paper: &Paper, level: usize) -> String {
        let mut element = Vec::new();
        array_element(&mut element, true, level, paper).unwrap();
        let text = String::from_utf8(element).unwrap();
        text[1 + 2 * level..].to_owned()
    }

    /// Strings with everything that JSON escapes, and multi-byte text
    /// straddling the eight-byte steps.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 ]{0,20}",
            "[\\x00-\\x7f]{0,24}",
            "[\"\\\\\\x00-\\x1f\\x7f a-é]{0,24}",
            any::<String>(),
            "(何恺明|Łukasz|\"|\\\\|\n|é){0,12}",
        ]
    }

    fn author() -> impl Strategy<Value = Author> {
        prop_oneof![
            text().prop_map(|literal| Author::Organization(Organization { literal })),
            (
                text(),
                option::of(text()),
                option::of(text()),
                option::of(text())
            )
                .prop_map(|(family, given, particle, suffix)| {
                    Author::Person(Person {
                        family,
                        given,
                        particle,
                        suffix,
                    })
                }),
        ]
    }

    fn lang_text() -> impl Strategy<Value = Text> {
        btree_map("[a-z]{2}", text(), 0..3).prop_map(Text)
    }

    prop_compose! {
        pub(crate) fn paper()(
            (id, kind, title, authors, authors_truncated, year, month, day) in (
                text(), proptest::sample::select(PaperType::ALL.to_vec()), text(),
                vec(author(), 0..4), any::<bool>(),
                option::of(any::<i32>()), option::of(any::<u8>()), option::of(any::<u8>()),
            ),
            (venue, volume, number, pages, publisher, doi, arxiv, url, isbn) in (
                option::of(text()), option::of(text()), option::of(text()),
                option::of(text()), option::of(text()), option::of(text()),
                option::of(text()), option::of(text()), option::of(text()),
            ),
            tags in vec(text(), 0..3),
            question in lang_text(),
            note in lang_text(),
            extra in btree_map(text(), text(), 0..3),
        ) -> Paper {
            let mut p = Paper::default();
            p.id = id; p.kind = kind; p.title = title; p.authors = authors;
            p.authors_truncated = authors_truncated; p.year = year; p.month = month;
            p.day = day; p.venue = venue; p.volume = volume; p.number = number;
            p.pages = pages; p.publisher = publisher; p.doi = doi; p.arxiv = arxiv;
            p.url = url; p.isbn = isbn; p.tags = tags; p.question = question;
            p.note = note; p.extra = extra;
            p
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn writes_what_serde_json_writes(paper in paper(), level in prop_oneof![0usize..4, 14usize..20]) {
            prop_assert_eq!(compact(&paper), serde_json::to_string(&paper).unwrap());
            prop_assert_eq!(pretty(&paper, level), serde_pretty(&paper, level));
        }
    }

    #[test]
    fn every_control_character_quote_and_backslash_is_escaped_like_serde_json() {
        let mut paper = Paper::new("", 2024);
        for byte in 0u8..=0x7f {
            for at in 0..9 {
                // The byte at each place of an eight-byte step.
                paper.title = format!("{}{}é", "x".repeat(at), char::from(byte));
                assert_eq!(compact(&paper), serde_json::to_string(&paper).unwrap());
            }
        }
    }

    #[test]
    fn finds_every_byte_that_needs_an_escape_wherever_it_is() {
        // Every byte value at every place of strings around the block size,
        // after and before other text.
        for byte in 0u8..=0xff {
            for len in [1, 7, 15, 16, 17, 33] {
                for place in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[place] = byte;
                    let expected = bytes.iter().position(|&b| needs_escape(b));
                    assert_eq!(next_special(&bytes, 0), expected, "{bytes:?}");
                    let from = place.min(3);
                    let expected = bytes[from..].iter().position(|&b| needs_escape(b));
                    assert_eq!(next_special(&bytes, from), expected.map(|i| i + from));
                }
            }
        }
        assert_eq!(next_special(b"", 0), None);
        assert_eq!(next_special(b"ab", 2), None);
    }

    /// Every property of the paper and author schemas (generated from the
    /// types) is written here: a field added to the model without being
    /// added to this encoder fails this test.
    #[test]
    fn writes_every_property_of_the_schema() {
        let schema: serde_json::Value = serde_json::from_str(&paper_model::paper_schema()).unwrap();
        let names = |properties: &serde_json::Value| {
            let mut names: Vec<String> = properties.as_object().unwrap().keys().cloned().collect();
            names.sort();
            names
        };
        let mut keys: Vec<String> = crate::decode::PAPER_KEYS
            .iter()
            .map(|k| k.to_string())
            .collect();
        keys.sort();
        assert_eq!(names(&schema["properties"]), keys);

        let mut paper = Paper::new("t", 1);
        paper.authors = vec![
            Author::Person(Person {
                family: "f".into(),
                given: Some("g".into()),
                particle: Some("p".into()),
                suffix: Some("s".into()),
            }),
            Author::Organization(Organization {
                literal: "l".into(),
            }),
        ];
        let written: serde_json::Value = serde_json::from_str(&compact(&paper)).unwrap();
        let defs = &schema["$defs"];
        assert_eq!(
            names(&defs["Person"]["properties"]),
            names(&written["authors"][0])
        );
        assert_eq!(
            names(&defs["Organization"]["properties"]),
            names(&written["authors"][1])
        );
    }
}
