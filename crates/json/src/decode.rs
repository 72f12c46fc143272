//! Papers read from JSON text directly, without serde, when the text is a
//! well-formed paper: the mirror of [`encode`](crate::encode).
//!
//! Going through serde's derived `Deserialize` took about a third of the
//! instructions of a JSON → BibTeX conversion (callgrind, 10,000 papers):
//! every key is matched through a visitor, every string copied, every bit
//! of white space looked at on its own. Here keys are matched as they are,
//! strings without escapes are taken whole, and the model is filled in
//! directly. This reader accepts only what serde accepts and reads it the
//! same way: anything it does not read (every kind of error, and anything
//! unusual) gives `None`, and `serde_json` reads the text instead, which
//! also words the error. A property test holds the two equal.

use std::borrow::Cow;
use std::collections::BTreeMap;

use paper_model::{Author, Organization, Paper, PaperType, Person, Text};

use crate::encode::next_special;

/// The paper in `text` (one JSON object and white space), or `None` when
/// serde should read it.
pub(crate) fn paper(text: &str) -> Option<Paper> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    parser.white_space();
    let paper = parser.paper()?;
    parser.white_space();
    (parser.at == text.len()).then_some(paper)
}

/// The keys of a paper, in the order of [`Paper`]'s fields (and of the
/// encoder's output); the encoder's tests hold them to the schema.
pub(crate) const PAPER_KEYS: [&str; 21] = [
    "id",
    "type",
    "title",
    "authors",
    "authors_truncated",
    "year",
    "month",
    "day",
    "venue",
    "volume",
    "number",
    "pages",
    "publisher",
    "doi",
    "arxiv",
    "url",
    "isbn",
    "tags",
    "question",
    "note",
    "extra",
];

/// The keys of an author, in the order of [`Person`] and [`Organization`].
const AUTHOR_KEYS: [&str; 5] = ["family", "given", "particle", "suffix", "literal"];

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl<'t> Parser<'t> {
    fn white_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.bytes.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    /// Eats `literal` (`null`, `true`) if it comes next.
    fn eat_literal(&mut self, literal: &[u8]) -> bool {
        let found = self.bytes[self.at..].starts_with(literal);
        if found {
            self.at += literal.len();
        }
        found
    }

    /// An object, calling `field` for each key to read its value.
    fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, Cow<'t, str>) -> Option<()>,
    ) -> Option<()> {
        self.sequence(b'{', b'}', |p| {
            let key = p.string()?;
            p.white_space();
            p.eat(b':')?;
            p.white_space();
            field(p, key)
        })
    }

    /// An object whose keys are among `keys`, calling `field` with the
    /// index of each key to read its value (a key not among them: `None`).
    fn known_object(
        &mut self,
        keys: &[&str],
        mut field: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        // The key after the one before it, in the order serde writes them.
        let mut expected = 0;
        self.sequence(b'{', b'}', |p| {
            let i = p.known_key(keys, expected)?;
            expected = i + 1;
            p.white_space();
            p.eat(b':')?;
            p.white_space();
            field(p, i)
        })
    }

    /// The index in `keys` of the key at the cursor. A key written as it
    /// is (as serde writes them) is compared in place, from the `expected`
    /// one on, which is most often the one: no search for the end of the
    /// string and no list search. Others are read as strings.
    fn known_key(&mut self, keys: &[&str], expected: usize) -> Option<usize> {
        let rest = self.bytes.get(self.at + 1..)?;
        if self.bytes[self.at] == b'"' {
            let is_at = |key: &str| {
                let key = key.as_bytes();
                rest.get(key.len()) == Some(&b'"') && rest.iter().zip(key).all(|(a, b)| a == b)
            };
            let found = keys[expected.min(keys.len())..]
                .iter()
                .position(|key| is_at(key))
                .map(|i| expected + i)
                .or_else(|| keys.iter().position(|key| is_at(key)));
            if let Some(i) = found {
                self.at += keys[i].len() + 2;
                return Some(i);
            }
        }
        let key = self.string()?;
        keys.iter().position(|k| *k == key)
    }

    /// An array, calling `element` to read each element.
    fn array(&mut self, element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.sequence(b'[', b']', element)
    }

    /// `open`, items separated by commas (read by `item`), `close`.
    fn sequence(
        &mut self,
        open: u8,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.eat(open)?;
        self.white_space();
        if self.eat(close).is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            self.white_space();
            match *self.bytes.get(self.at)? {
                b',' => {
                    self.at += 1;
                    self.white_space();
                }
                b if b == close => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A string, borrowed when it has no escapes.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        self.eat(b'"')?;
        let start = self.at;
        let at = next_special(self.bytes, start)?;
        match self.bytes[at] {
            b'"' => {
                self.at = at + 1;
                Some(Cow::Borrowed(&self.text[start..at]))
            }
            b'\\' => self.escaped(start, at).map(Cow::Owned),
            // A control character: not allowed in a string.
            _ => None,
        }
    }

    /// The rest of a string whose first escape is at `at`.
    fn escaped(&mut self, start: usize, mut at: usize) -> Option<String> {
        let mut out = String::with_capacity(at - start + 16);
        out.push_str(&self.text[start..at]);
        loop {
            match self.bytes[at] {
                b'"' => {
                    self.at = at + 1;
                    return Some(out);
                }
                b'\\' => {
                    let (c, next) = self.escape(at + 1)?;
                    out.push(c);
                    at = next;
                }
                _ => return None,
            }
            let next = next_special(self.bytes, at)?;
            out.push_str(&self.text[at..next]);
            at = next;
        }
    }

    /// The character of the escape whose letter is at `at`, and where the
    /// text goes on. Lone surrogates are left to serde (an error there).
    fn escape(&self, at: usize) -> Option<(char, usize)> {
        let c = match *self.bytes.get(at)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex(at + 1)?;
                if !(0xD800..=0xDFFF).contains(&first) {
                    return Some((char::from_u32(first)?, at + 5));
                }
                if first >= 0xDC00 || self.bytes.get(at + 5..at + 7)? != b"\\u" {
                    return None;
                }
                let second = self.hex(at + 7)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Some((char::from_u32(c)?, at + 11));
            }
            _ => return None,
        };
        Some((c, at + 1))
    }

    fn hex(&self, at: usize) -> Option<u32> {
        self.bytes
            .get(at..at + 4)?
            .iter()
            .try_fold(0, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
    }

    fn owned_string(&mut self) -> Option<String> {
        self.string().map(Cow::into_owned)
    }

    /// A string or `null`.
    fn optional_string(&mut self) -> Option<Option<String>> {
        if self.eat_literal(b"null") {
            return Some(None);
        }
        self.owned_string().map(Some)
    }

    /// An integer (no fraction, no exponent: serde refuses those for
    /// integer fields), or `null`.
    fn optional_integer<T: TryFrom<i64>>(&mut self) -> Option<Option<T>> {
        if self.eat_literal(b"null") {
            return Some(None);
        }
        let negative = self.eat(b'-').is_some();
        let start = self.at;
        while let Some(b'0'..=b'9') = self.bytes.get(self.at) {
            self.at += 1;
        }
        let digits = &self.bytes[start..self.at];
        let leading_zero = digits.len() > 1 && digits[0] == b'0';
        if digits.is_empty() || digits.len() > 12 || leading_zero {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = self.bytes.get(self.at) {
            return None;
        }
        let n = digits
            .iter()
            .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
        if negative && n == 0 {
            // serde_json reads `-0` as a float.
            return None;
        }
        T::try_from(if negative { -n } else { n }).ok().map(Some)
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let mut list = Vec::new();
        self.array(|p| {
            list.push(p.owned_string()?);
            Some(())
        })?;
        Some(list)
    }

    /// An object of strings; a repeated key keeps its last value, as in
    /// serde's maps.
    fn string_map(&mut self) -> Option<BTreeMap<String, String>> {
        let mut map = BTreeMap::new();
        self.object(|p, key| {
            let value = p.owned_string()?;
            map.insert(key.into_owned(), value);
            Some(())
        })?;
        Some(map)
    }

    fn author(&mut self) -> Option<Author> {
        let mut parts: [Option<String>; 5] = Default::default();
        let mut seen = [false; 5];
        self.known_object(&AUTHOR_KEYS, |p, i| {
            if std::mem::replace(&mut seen[i], true) {
                return None;
            }
            parts[i] = p.optional_string()?;
            Some(())
        })?;
        let [family, given, particle, suffix, literal] = parts;
        match (family, literal) {
            (Some(family), None) => Some(Author::Person(Person {
                family,
                given,
                particle,
                suffix,
            })),
            (None, Some(literal)) if given.is_none() && particle.is_none() && suffix.is_none() => {
                Some(Author::Organization(Organization { literal }))
            }
            // Errors: serde words them.
            _ => None,
        }
    }

    fn paper(&mut self) -> Option<Paper> {
        let mut paper = Paper::default();
        let mut seen = [false; PAPER_KEYS.len()];
        self.known_object(&PAPER_KEYS, |p, i| {
            if std::mem::replace(&mut seen[i], true) {
                return None;
            }
            match i {
                0 => paper.id = p.owned_string()?,
                1 => paper.kind = PaperType::from_name(&p.string()?)?,
                2 => paper.title = p.owned_string()?,
                3 => {
                    p.array(|p| {
                        paper.authors.push(p.author()?);
                        Some(())
                    })?;
                }
                4 => {
                    paper.authors_truncated = if p.eat_literal(b"true") {
                        true
                    } else if p.eat_literal(b"false") {
                        false
                    } else {
                        return None;
                    };
                }
                5 => paper.year = p.optional_integer()?,
                6 => paper.month = p.optional_integer()?,
                7 => paper.day = p.optional_integer()?,
                8 => paper.venue = p.optional_string()?,
                9 => paper.volume = p.optional_string()?,
                10 => paper.number = p.optional_string()?,
                11 => paper.pages = p.optional_string()?,
                12 => paper.publisher = p.optional_string()?,
                13 => paper.doi = p.optional_string()?,
                14 => paper.arxiv = p.optional_string()?,
                15 => paper.url = p.optional_string()?,
                16 => paper.isbn = p.optional_string()?,
                17 => paper.tags = p.strings()?,
                18 => paper.question = Text(p.string_map()?),
                19 => paper.note = Text(p.string_map()?),
                _ => paper.extra = p.string_map()?,
            }
            Some(())
        })?;
        // The title is the one field serde requires.
        seen[2].then_some(paper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::tests::paper as any_paper;
    use proptest::prelude::*;

    fn serde(text: &str) -> Option<Paper> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn reads_escapes_nulls_and_odd_spacing() {
        let text = "{\"title\":\"a\\u00e9\\ud83d\\ude00\\n\\/\" , \"year\" : -12,\r\n\t\"venue\": null,\
            \"authors\": [{\"literal\": \"OpenAI\"}, {\"family\": \"Le Cun\", \"given\": null}],\
            \"ty\\u0070e\": \"book\", \"note\": {\"en\": \"x\", \"en\": \"y\"}}";
        let paper = paper(text).unwrap();
        assert_eq!(paper.title, "aé😀\n/");
        assert_eq!(paper.kind, PaperType::Book);
        assert_eq!(paper.note.0["en"], "y");
        assert_eq!(paper.year, Some(-12));
        assert_eq!(Some(paper), serde(text));
    }

    #[test]
    fn leaves_errors_and_oddities_to_serde() {
        for text in [
            r#"{}"#,
            r#"{"title": "a", "title": "b"}"#,
            r#"{"title": "a", "colour": "red"}"#,
            r#"{"title": "a", "year": 1986.0}"#,
            r#"{"title": "a", "year": 01986}"#,
            r#"{"title": "a", "year": -0}"#,
            r#"{"title": "a", "month": 256}"#,
            r#"{"title": "a", "month": -1}"#,
            r#"{"title": "a", "year": 99999999999}"#,
            r#"{"title": "\ud800"}"#,
            r#"{"title": "\udc00\ud800"}"#,
            "{\"title\": \"tab\there\"}",
            r#"{"title": "a", "authors": [{"family": "x", "literal": "y"}]}"#,
            r#"{"title": "a", "authors": [{"literal": "y", "given": "z"}]}"#,
            r#"{"title": "a", "authors": [{}]}"#,
            r#"{"title": "a", "type": "poem"}"#,
            r#"{"title": "a",}"#,
            r#"{"title": "a"} x"#,
            r#"{"title": null}"#,
            r#"{"title": "a", "authors_truncated": 1}"#,
        ] {
            assert_eq!(paper(text), None, "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

        /// What serde_json writes for any paper is read here, as serde
        /// reads it.
        #[test]
        fn reads_what_serde_writes(paper in any_paper(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&paper)
            } else {
                serde_json::to_string(&paper)
            }
            .unwrap();
            // (Not always `paper` itself: a language with empty text is
            // left out when written.)
            let read = super::paper(&text);
            prop_assert!(read.is_some(), "{}", text);
            prop_assert_eq!(read, serde(&text));
        }

        /// On damaged text, whatever is read here serde reads alike (and
        /// what serde refuses is not read here).
        #[test]
        fn damaged_text_is_read_as_serde_reads_it_or_not_at_all(
            paper in any_paper(),
            at in any::<prop::sample::Index>(),
            cut in 0usize..3,
            insert in prop::sample::select(vec![
                "", "\"", "\\", ",", "}", "]", "{", "[", ":", "null", "1", "-", ".5", "e3",
                "\"title\": \"x\",", " ", "\\u0041", "\\ud800", "\u{1}", "true",
            ]),
        ) {
            let text = serde_json::to_string(&paper).unwrap();
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let damaged = format!("{}{}{}", &text[..at], insert, &text[end..]);
            if let Some(read) = super::paper(&damaged) {
                prop_assert_eq!(Some(read), serde(&damaged), "{}", damaged);
            }
        }
    }
}
