//! Splits a `.bib` stream into entries without parsing their fields.
//!
//! The splitter reads line by line and keeps only the entry it is inside.
//! Outside entries, text is a comment (as in BibTeX) and `%` starts a
//! line comment (as in the `biblatex` crate). An entry is `@type{...}` or
//! `@type(...)`; inside it, braces are counted and a backslash hides the
//! next character, as the `biblatex` crate does. A line inside an entry
//! that starts with `@type{` or `@type(` means the entry was never closed:
//! it is reported and a new entry starts there, so one missing brace costs
//! one entry, not the rest of the file.

use std::io::BufRead;

use paper_format::Error;

/// What the splitter found.
pub(crate) enum Piece<'a> {
    /// A complete entry, from `@` to its closing delimiter.
    Entry {
        text: &'a [u8],
        line: u64,
        column: u64,
        /// The entry type as written (`Article`, `string`).
        kind: &'a [u8],
    },
    /// An entry that was not closed before the next entry or the end.
    Unclosed {
        line: u64,
        column: u64,
        /// Where the next entry starts; `None` at the end of the input.
        next_line: Option<u64>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Top,
    Header,
    Body,
}

pub(crate) struct Splitter {
    mode: Mode,
    buf: Vec<u8>,
    line: u64,
    start_line: u64,
    start_column: u64,
    kind_end: usize,
    depth: u32,
    close: u8,
    escaped: bool,
}

impl Splitter {
    pub(crate) fn new() -> Self {
        Splitter {
            mode: Mode::Top,
            buf: Vec::with_capacity(4096),
            line: 0,
            start_line: 0,
            start_column: 0,
            kind_end: 0,
            depth: 0,
            close: b'}',
            escaped: false,
        }
    }

    /// Reads all of `input`, calling `f` for every piece.
    pub(crate) fn run(
        &mut self,
        input: &mut dyn BufRead,
        mut f: impl FnMut(Piece<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut line = Vec::with_capacity(1024);
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            self.line += 1;
            let mut text: &[u8] = &line;
            if self.line == 1 {
                text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            }
            self.feed_line(text, &mut f)?;
        }
        if self.mode == Mode::Body {
            self.mode = Mode::Top;
            f(Piece::Unclosed {
                line: self.start_line,
                column: self.start_column,
                next_line: None,
            })?;
        }
        Ok(())
    }

    fn feed_line(
        &mut self,
        line: &[u8],
        f: &mut impl FnMut(Piece<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if self.mode == Mode::Body && starts_entry(line) {
            self.mode = Mode::Top;
            f(Piece::Unclosed {
                line: self.start_line,
                column: self.start_column,
                next_line: Some(self.line),
            })?;
        }
        let mut i = 0;
        while i < line.len() {
            match self.mode {
                Mode::Top => {
                    // Skip to the next `@` or `%`.
                    let Some(offset) = line[i..].iter().position(|&b| b == b'@' || b == b'%')
                    else {
                        return Ok(());
                    };
                    i += offset;
                    if line[i] == b'%' {
                        return Ok(());
                    }
                    self.mode = Mode::Header;
                    self.buf.clear();
                    self.buf.push(b'@');
                    self.start_line = self.line;
                    self.start_column = column_of(line, i);
                    self.kind_end = 0;
                    i += 1;
                }
                Mode::Header => {
                    let b = line[i];
                    if self.kind_end == 0 && is_ident_byte(b) {
                        self.buf.push(b);
                        i += 1;
                        if i >= line.len() || !is_ident_byte(line[i]) {
                            self.kind_end = self.buf.len();
                        }
                    } else if self.kind_end > 0 && b.is_ascii_whitespace() {
                        self.buf.push(b);
                        i += 1;
                    } else if self.kind_end > 0 && (b == b'{' || b == b'(') {
                        self.buf.push(b);
                        self.close = if b == b'{' { b'}' } else { b')' };
                        self.depth = 0;
                        self.escaped = false;
                        self.mode = Mode::Body;
                        i += 1;
                    } else {
                        // Not an entry: `@` in comment text.
                        self.mode = Mode::Top;
                    }
                }
                Mode::Body => {
                    let rest = &line[i..];
                    let end = if self.close == b'}' {
                        self.brace_close(rest)
                    } else {
                        self.paren_close(rest)
                    };
                    match end {
                        None => {
                            self.buf.extend_from_slice(rest);
                            return Ok(());
                        }
                        Some(j) => {
                            self.buf.extend_from_slice(&rest[..=j]);
                            i += j + 1;
                            self.mode = Mode::Top;
                            f(Piece::Entry {
                                text: &self.buf,
                                line: self.start_line,
                                column: self.start_column,
                                kind: &self.buf[1..self.kind_end],
                            })?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Where the `}` that closes the entry is in `rest`, if it is there;
    /// counts braces and escapes on the way.
    fn brace_close(&mut self, rest: &[u8]) -> Option<usize> {
        let mut j = 0;
        if self.escaped && !rest.is_empty() {
            self.escaped = false;
            j = 1;
        }
        while let Some(k) = memchr::memchr3(b'{', b'}', b'\\', &rest[j.min(rest.len())..]) {
            let at = j + k;
            match rest[at] {
                b'\\' => {
                    j = at + 2;
                    if j > rest.len() {
                        self.escaped = true;
                        break;
                    }
                }
                b'{' => {
                    self.depth += 1;
                    j = at + 1;
                }
                _ if self.depth > 0 => {
                    self.depth -= 1;
                    j = at + 1;
                }
                _ => return Some(at),
            }
        }
        None
    }

    /// Where the `)` that closes the entry is in `rest`, if it is there.
    fn paren_close(&mut self, rest: &[u8]) -> Option<usize> {
        for (j, &b) in rest.iter().enumerate() {
            if self.escaped {
                self.escaped = false;
                continue;
            }
            match b {
                b'\\' => self.escaped = true,
                b'{' => self.depth += 1,
                b'}' if self.depth > 0 => self.depth -= 1,
                b')' if self.depth == 0 => return Some(j),
                _ => {}
            }
        }
        None
    }
}

/// Bytes of an entry type name.
fn is_ident_byte(b: u8) -> bool {
    !b.is_ascii_whitespace() && !b.is_ascii_control() && !is_delimiter(b)
}

/// The bytes that end an identifier for the `biblatex` crate (besides
/// white space and control characters).
pub(crate) fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'@' | b'{' | b'}' | b'"' | b'#' | b'\'' | b'(' | b')' | b',' | b'=' | b'%' | b'\\' | b'~'
    )
}

/// True when a line starts (after blanks) with `@name{` or `@name(`.
fn starts_entry(line: &[u8]) -> bool {
    let rest = line.trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b"@") else {
        return false;
    };
    let name_len = rest.iter().take_while(|&&b| is_ident_byte(b)).count();
    if name_len == 0 {
        return false;
    }
    let after = rest[name_len..].trim_ascii_start();
    matches!(after.first(), Some(b'{' | b'('))
}

/// The column, in characters from 1, of byte `index` of `line`.
pub(crate) fn column_of(line: &[u8], index: usize) -> u64 {
    let chars = line[..index.min(line.len())]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count();
    chars as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Got {
        Entry(String, u64, u64, String),
        Unclosed(u64, u64, Option<u64>),
    }

    fn split(input: &str) -> Vec<Got> {
        let mut got = Vec::new();
        let mut bytes = input.as_bytes();
        Splitter::new()
            .run(&mut bytes, |piece| {
                got.push(match piece {
                    Piece::Entry {
                        text,
                        line,
                        column,
                        kind,
                    } => Got::Entry(
                        String::from_utf8_lossy(text).into_owned(),
                        line,
                        column,
                        String::from_utf8_lossy(kind).into_owned(),
                    ),
                    Piece::Unclosed {
                        line,
                        column,
                        next_line,
                    } => Got::Unclosed(line, column, next_line),
                });
                Ok(())
            })
            .unwrap();
        got
    }

    #[test]
    fn entries_comments_and_positions() {
        let got = split(
            "\u{feff}% @fake{x}\nmail me@home\n  @Article{a,\n title = {x \\} {y}}}@misc (b, t={)})\n",
        );
        assert_eq!(
            got,
            [
                Got::Entry(
                    "@Article{a,\n title = {x \\} {y}}}".into(),
                    3,
                    3,
                    "Article".into()
                ),
                Got::Entry("@misc (b, t={)})".into(), 4, 21, "misc".into()),
            ]
        );
    }

    #[test]
    fn an_unclosed_entry_costs_only_itself() {
        let got = split("@article{a,\n title = {x,\n}\n@book{b, title={y}}\n@misc{c,\n");
        assert_eq!(
            got,
            [
                Got::Unclosed(1, 1, Some(4)),
                Got::Entry("@book{b, title={y}}".into(), 4, 1, "book".into()),
                Got::Unclosed(5, 1, None),
            ]
        );
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(column_of("é @".as_bytes(), 3), 3);
    }
}
