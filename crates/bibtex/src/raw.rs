//! An entry cut into its type, key and fields, without the `biblatex`
//! crate when the entry is plain enough.
//!
//! [`RawFields::parse`] reads the common shape of an entry,
//! `@type{key, name = {value} # "value" # 1999 # jan, ...}`, with the
//! crate's rules for each piece (braces counted in `{...}`, not in `"..."`,
//! a backslash hides the next character). It gives up, returning `None`,
//! on anything else (comments, non-ASCII names, odd delimiters), and the
//! reader then asks the crate, whose raw parser allocates for every field
//! and was a tenth of reading time. So whatever this accepts, the crate
//! reads the same way; the reader's property tests compare the two.

use biblatex::{RawChunk, RawEntry};

use crate::split::is_delimiter;

/// An entry's type, key and fields, each field's value as its pieces
/// (`{...}` and `"..."` texts and numbers as [`RawChunk::Normal`], `@string`
/// names as [`RawChunk::Abbreviation`]).
pub(crate) struct RawFields<'s> {
    pub(crate) kind: &'s str,
    pub(crate) key: &'s str,
    /// Name, and the range of its pieces in `chunks`.
    fields: Vec<(&'s str, usize, usize)>,
    chunks: Vec<RawChunk<'s>>,
}

impl<'s> RawFields<'s> {
    /// The same shape, from the crate's raw entry.
    pub(crate) fn from_crate(entry: &RawEntry<'s>) -> Self {
        let mut raw = RawFields {
            kind: entry.kind.v,
            key: entry.key.v,
            fields: Vec::with_capacity(entry.fields.len()),
            chunks: Vec::new(),
        };
        for pair in &entry.fields {
            let start = raw.chunks.len();
            raw.chunks
                .extend(pair.value.v.iter().map(|chunk| chunk.v.clone()));
            raw.fields.push((pair.key.v, start, raw.chunks.len()));
        }
        raw
    }

    /// The fields in order, each with its pieces.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (&'s str, &[RawChunk<'s>])> + '_ {
        self.fields
            .iter()
            .map(|&(name, start, end)| (name, &self.chunks[start..end]))
    }

    /// Reads one entry (`@` to its closing brace, nothing but white space
    /// after it), or `None` when it is not of the plain shape.
    pub(crate) fn parse(text: &'s str) -> Option<Self> {
        let mut p = Cursor { text, at: 0 };
        p.eat(b'@')?;
        let kind = p.ident()?;
        if ["string", "preamble", "comment"]
            .iter()
            .any(|special| kind.eq_ignore_ascii_case(special))
        {
            return None;
        }
        p.skip_space();
        p.eat(b'{')?;
        p.skip_space();
        let key = p.key();
        p.skip_space();
        p.eat(b',')?;
        let mut raw = RawFields {
            kind,
            key,
            fields: Vec::with_capacity(16),
            chunks: Vec::with_capacity(16),
        };
        loop {
            p.skip_space();
            if p.peek()? == b'}' {
                break;
            }
            let name = p.ident()?;
            p.skip_space();
            p.eat(b'=')?;
            p.skip_space();
            let start = raw.chunks.len();
            loop {
                raw.chunks.push(p.piece()?);
                p.skip_space();
                if p.peek()? != b'#' {
                    break;
                }
                p.at += 1;
                p.skip_space();
            }
            raw.fields.push((name, start, raw.chunks.len()));
            match p.peek()? {
                b',' => p.at += 1,
                b'}' => break,
                _ => return None,
            }
        }
        p.at += 1; // `}`
        p.skip_space();
        (p.at == text.len()).then_some(raw)
    }
}

struct Cursor<'s> {
    text: &'s str,
    at: usize,
}

impl<'s> Cursor<'s> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Skips ASCII white space (a character beyond ASCII stops it; if it
    /// is white space to the crate, the next step gives up).
    fn skip_space(&mut self) {
        self.take_while(is_space);
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'s str {
        let start = self.at;
        let rest = self.text.as_bytes().get(start..).unwrap_or_default();
        self.at += rest.iter().position(|&b| !keep(b)).unwrap_or(rest.len());
        &self.text[start..self.at]
    }

    /// A field name or entry type: the crate's identifier, ASCII only.
    fn ident(&mut self) -> Option<&'s str> {
        let first = self.peek()?;
        if !is_ident(first) || matches!(first, b':' | b'<' | b'-' | b'>') {
            return None;
        }
        let ident = self.take_while(is_ident);
        // A character beyond ASCII right after: the crate may go on.
        (self.peek().is_none_or(|b| b.is_ascii())).then_some(ident)
    }

    /// The entry key: anything up to `,`, `}` or white space (the crate's
    /// rule), here without control or non-ASCII characters.
    fn key(&mut self) -> &'s str {
        self.take_while(|b| b.is_ascii_graphic() && b != b',' && b != b'}')
    }

    /// One piece of a value: `{...}`, `"..."`, a number or a name.
    fn piece(&mut self) -> Option<RawChunk<'s>> {
        match self.peek()? {
            b'{' => self.delimited(b'}', true).map(RawChunk::Normal),
            b'"' => self.delimited(b'"', false).map(RawChunk::Normal),
            b'0'..=b'9' => {
                let number = self.take_while(|b| b.is_ascii_digit());
                // Decimal points and the end of the input: the crate's rules.
                (self.peek()? != b'.').then_some(RawChunk::Normal(number))
            }
            _ => self.ident().map(RawChunk::Abbreviation),
        }
    }

    /// The text between an opening delimiter (at the cursor) and `close`,
    /// counting braces when `nested`; a backslash hides the next byte.
    fn delimited(&mut self, close: u8, nested: bool) -> Option<&'s str> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut depth = 0usize;
        let mut i = start;
        // Jump from one byte that matters to the next.
        let (open, escape) = (if nested { b'{' } else { close }, b'\\');
        while let Some(found) = memchr::memchr3(open, close, escape, &bytes[i..]) {
            i += found;
            match bytes[i] {
                b'\\' => i += 1,
                b'{' if nested => depth += 1,
                b'}' if nested && depth > 0 => depth -= 1,
                _ => {
                    self.at = i + 1;
                    return Some(&self.text[start..i]);
                }
            }
            i += 1;
            if i >= bytes.len() {
                break;
            }
        }
        None
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C')
}

/// The crate's identifier characters, within ASCII.
fn is_ident(b: u8) -> bool {
    /// Looked up: a test of the delimiters one by one was a tenth of
    /// reading an entry's fields.
    const IDENT: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = (b as u8).is_ascii_graphic() && !is_delimiter(b as u8);
            b += 1;
        }
        table
    };
    IDENT[usize::from(b)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use biblatex::RawBibliography;

    fn shape(raw: &RawFields<'_>) -> String {
        let mut out = format!("{} {}", raw.kind, raw.key);
        for (name, chunks) in raw.fields() {
            out.push_str(&format!(" | {name} = {chunks:?}"));
        }
        out
    }

    /// Every text here is read by both, or left to the crate.
    #[test]
    fn reads_what_the_crate_reads_or_gives_up() {
        let read = [
            "@article{k, title = {A {B} \\} c}, year = 1999, month = jan,\n  note = \"x {\" # {y}}",
            "@Book{ key:1 ,author={A and B},}",
            "@misc{k,}",
            "@misc{,title={T}}\n",
            "@article{k, title = {\\{}, pages = \"1--2\"}",
        ];
        for text in read {
            let ours = RawFields::parse(text).unwrap_or_else(|| panic!("{text}"));
            let crate_raw = RawBibliography::parse(text).unwrap();
            let [entry] = crate_raw.entries.as_slice() else {
                panic!("{text}")
            };
            assert_eq!(
                shape(&ours),
                shape(&RawFields::from_crate(&entry.v)),
                "{text}"
            );
        }
        let left = [
            "@article{k, title = {T}, % a comment\n year = 1}",
            "@article{k, title = {T} year = 1}",
            "@article{k, title = {T}",
            "@article{k, title = 1.5}",
            "@article{k, tïtle = {T}}",
            "@article{k title = {T}}",
            "@article(k, title = {T})",
            "@article{k, title = {T}} @misc{j,}",
            "@article{k, title =\u{a0}{T}}",
            "@article{k, -x = {T}}",
        ];
        for text in left {
            assert!(RawFields::parse(text).is_none(), "{text}");
        }
    }
}
