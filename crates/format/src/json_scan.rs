//! A byte scanner that splits a JSON document into its values while the
//! input streams by, tracking line and column.
//!
//! JSON readers use it to hand one element of a large array at a time to
//! `serde_json` (or any parser) instead of loading the whole document: skip
//! white space, look at the next byte, and copy one whole value into a
//! buffer. Only the structure is checked here (brackets, strings, escapes);
//! the parser checks the rest.
//!
//! ```
//! use paper_format::json_scan::{Position, Scanner};
//!
//! let mut input = "[\n {\"a\": \"]\"},\n 2\n]".as_bytes();
//! let mut scanner = Scanner::new(&mut input);
//! let mut value = Vec::new();
//! assert_eq!(scanner.skip_whitespace()?, Some(b'['));
//! scanner.bump()?;
//! scanner.skip_whitespace()?;
//! assert_eq!(scanner.position(), Position { line: 2, column: 2 });
//! scanner.take_value(&mut value).unwrap();
//! assert_eq!(value, br#"{"a": "]"}"#);
//! assert_eq!(scanner.skip_whitespace()?, Some(b','));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! It also holds what the JSON readers and writers share beyond scanning:
//! the wording of their structural errors ([`Scanner::unexpected`],
//! [`Scanner::take_value_in`], [`error_inside`]) and the layout of a pretty
//! array element ([`array_element`]).

use std::io::{self, BufRead};

use crate::{Error, Source};

/// Where the scanner is: line and column of the next byte, from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: u64,
    /// Column in characters (not bytes), from 1.
    pub column: u64,
}

impl Position {
    /// Moves past `bytes`: counts the lines, and the characters of the last one.
    fn advance_over(&mut self, bytes: &[u8]) {
        let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        match memchr::memrchr(b'\n', bytes) {
            None => self.column += chars(bytes),
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
                self.column = 1 + chars(&bytes[last + 1..]);
            }
        }
    }

    /// The place of `line` and `column` (from 1) counted inside a value
    /// that starts here: the place a parser's error inside a buffer taken
    /// by [`Scanner::take_value`] has in the whole input.
    ///
    /// ```
    /// use paper_format::json_scan::Position;
    ///
    /// let start = Position { line: 4, column: 3 };
    /// assert_eq!(start.within(1, 5), Position { line: 4, column: 7 });
    /// assert_eq!(start.within(2, 5), Position { line: 5, column: 5 });
    /// ```
    pub fn within(self, line: u64, column: u64) -> Position {
        if line <= 1 {
            Position {
                line: self.line,
                column: self.column + column.saturating_sub(1),
            }
        } else {
            Position {
                line: self.line + line - 1,
                column,
            }
        }
    }

    fn advance(&mut self, byte: u8) {
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if byte & 0xC0 != 0x80 {
            // Count characters, not the continuation bytes of UTF-8.
            self.column += 1;
        }
    }
}

/// Why a value could not be taken from the input.
#[derive(Debug)]
pub enum ScanError {
    /// Reading the input failed.
    Io(io::Error),
    /// The input ended inside a value.
    Eof,
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::Io(e) => e.fmt(f),
            ScanError::Eof => f.write_str("the input ends inside a value"),
        }
    }
}

impl std::error::Error for ScanError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScanError::Io(e) => Some(e),
            ScanError::Eof => None,
        }
    }
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> Self {
        ScanError::Io(e)
    }
}

/// Reads JSON from a [`BufRead`] one value or one structural byte at a time.
pub struct Scanner<'a> {
    input: &'a mut dyn BufRead,
    position: Position,
}

/// The bytes that matter inside a container: brackets and quotes.
static STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table[b'"' as usize] = true;
    table
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first byte of the value.
    Start,
    /// Inside an object or array, outside strings.
    Nested,
    /// Inside a string; `nested` says whether the string sits in a container.
    Str { escaped: bool, nested: bool },
    /// Inside a number, `true`, `false` or `null`.
    Scalar,
}

impl<'a> Scanner<'a> {
    /// A scanner at line 1, column 1 of `input`.
    pub fn new(input: &'a mut dyn BufRead) -> Self {
        Scanner {
            input,
            position: Position { line: 1, column: 1 },
        }
    }

    /// Line and column of the next byte.
    pub fn position(&self) -> Position {
        self.position
    }

    fn advance(&mut self, byte: u8) {
        self.position.advance(byte);
    }

    /// The next byte, without taking it.
    pub fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Takes the next byte.
    pub fn bump(&mut self) -> io::Result<Option<u8>> {
        let byte = self.peek()?;
        if let Some(b) = byte {
            self.input.consume(1);
            self.advance(b);
        }
        Ok(byte)
    }

    /// Skips a UTF-8 byte order mark at the very start.
    pub fn skip_bom(&mut self) -> io::Result<()> {
        if self.input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            self.input.consume(3);
        }
        Ok(())
    }

    /// Skips JSON white space and returns the next byte, not taken.
    pub fn skip_whitespace(&mut self) -> io::Result<Option<u8>> {
        loop {
            match self.peek()? {
                Some(b @ (b' ' | b'\t' | b'\n' | b'\r')) => {
                    self.input.consume(1);
                    self.advance(b);
                }
                other => return Ok(other),
            }
        }
    }

    /// Copies one whole JSON value (object, array, string or scalar) into
    /// `out`, which is cleared first. Only the structure is checked here;
    /// the parser of `out` checks the rest.
    pub fn take_value(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        out.clear();
        let mut state = State::Start;
        let mut depth = 0u32;
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return match state {
                    State::Scalar => Ok(()),
                    _ => Err(ScanError::Eof),
                };
            }
            let mut i = 0;
            let mut end = None;
            while i < buf.len() {
                match state {
                    State::Str {
                        escaped: true,
                        nested,
                    } => {
                        state = State::Str {
                            escaped: false,
                            nested,
                        };
                        i += 1;
                    }
                    State::Str {
                        escaped: false,
                        nested,
                    } => {
                        // Jump to the next quote or backslash.
                        match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                            None => i = buf.len(),
                            Some(at) => {
                                i += at;
                                if buf[i] == b'\\' {
                                    state = State::Str {
                                        escaped: true,
                                        nested,
                                    };
                                } else if nested {
                                    state = State::Nested;
                                } else {
                                    end = Some(i + 1);
                                    break;
                                }
                                i += 1;
                            }
                        }
                    }
                    State::Start => {
                        state = match buf[i] {
                            b'{' | b'[' => {
                                depth = 1;
                                State::Nested
                            }
                            b'"' => State::Str {
                                escaped: false,
                                nested: false,
                            },
                            _ => State::Scalar,
                        };
                        i += 1;
                    }
                    State::Nested => {
                        // Skip what cannot change the state: white space,
                        // `:`, `,`, numbers and literals.
                        while i < buf.len() && !STRUCTURAL[buf[i] as usize] {
                            i += 1;
                        }
                        if i == buf.len() {
                            break;
                        }
                        match buf[i] {
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = Some(i + 1);
                                    break;
                                }
                            }
                            b'"' => {
                                state = State::Str {
                                    escaped: false,
                                    nested: true,
                                }
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                    State::Scalar => match buf[i] {
                        b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r' => {
                            end = Some(i);
                            break;
                        }
                        _ => i += 1,
                    },
                }
            }
            let taken = end.unwrap_or(buf.len());
            out.extend_from_slice(&buf[..taken]);
            self.position.advance_over(&buf[..taken]);
            self.input.consume(taken);
            if end.is_some() {
                return Ok(());
            }
        }
    }
}

impl Scanner<'_> {
    /// An error at the scanner's place in `source`.
    pub fn error_here(&self, source: &Source, message: impl Into<String>) -> Error {
        let at = self.position();
        Error::parse(source.at(at.line, at.column), message)
    }

    /// `expected …, found …` at the scanner's place.
    pub fn unexpected(&self, source: &Source, found: u8, expected: &str) -> Error {
        let shown = if found.is_ascii_graphic() {
            format!("`{}`", found as char)
        } else {
            format!("byte 0x{found:02x}")
        };
        self.error_here(source, format!("expected {expected}, found {shown}"))
    }

    /// [`Scanner::take_value`], returning where the value starts; an input
    /// that ends inside the value is a parse error naming `what` it was.
    pub fn take_value_in(
        &mut self,
        source: &Source,
        out: &mut Vec<u8>,
        what: &str,
    ) -> Result<Position, Error> {
        let start = self.position();
        match self.take_value(out) {
            Ok(()) => Ok(start),
            Err(ScanError::Io(e)) => Err(e.into()),
            Err(ScanError::Eof) => Err(self.error_here(
                source,
                format!(
                    "the input ends inside {what} that starts at line {}, column {}",
                    start.line, start.column
                ),
            )),
        }
    }
}

/// The error a parser reported at `line` and `column` inside a value that
/// starts at `start`, placed in the whole input. A trailing ` at line …`
/// (serde_json's own position) is dropped from `message`.
pub fn error_inside(
    source: &Source,
    start: Position,
    line: u64,
    column: u64,
    message: &str,
) -> Error {
    let at = start.within(line, column);
    let message = message.split(" at line ").next().unwrap_or(message);
    Error::parse(source.at(at.line, at.column), message)
}

/// Writes one value as an element of a pretty array into `element`
/// (cleared first): a comma unless it is the first, a new line, and the
/// value laid out as `serde_json::to_string_pretty` does, `level` levels
/// deep (two spaces each). Writers then hand the element to their output
/// in one write.
///
/// ```
/// let mut element = Vec::new();
/// let value = serde_json::json!({"a": [1, 2], "b": {}});
/// paper_format::json_scan::array_element(&mut element, false, 1, &value).unwrap();
/// assert_eq!(
///     String::from_utf8(element).unwrap(),
///     ",\n  {\n    \"a\": [\n      1,\n      2\n    ],\n    \"b\": {}\n  }"
/// );
/// ```
pub fn array_element(
    element: &mut Vec<u8>,
    first: bool,
    level: usize,
    value: &impl serde::Serialize,
) -> serde_json::Result<()> {
    element.clear();
    if !first {
        element.push(b',');
    }
    element.push(b'\n');
    indent(element, level).map_err(serde_json::Error::io)?;
    let formatter = Indented {
        level,
        has_value: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(
        element, formatter,
    ))
}

fn indent<W: ?Sized + io::Write>(out: &mut W, level: usize) -> io::Result<()> {
    for _ in 0..level {
        out.write_all(b"  ")?;
    }
    Ok(())
}

/// `serde_json`'s pretty layout, starting some levels deep.
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn open<W: ?Sized + io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            indent(out, self.level)?;
        }
        out.write_all(bracket)
    }

    fn next<W: ?Sized + io::Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        indent(out, self.level)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(out, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(out, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(input: &str) -> Vec<String> {
        let mut bytes = input.as_bytes();
        let mut scanner = Scanner::new(&mut bytes);
        let mut out = Vec::new();
        let mut found = Vec::new();
        while scanner.skip_whitespace().unwrap().is_some() {
            scanner.take_value(&mut out).unwrap();
            found.push(String::from_utf8(out.clone()).unwrap());
            if scanner.skip_whitespace().unwrap() == Some(b',') {
                scanner.bump().unwrap();
            }
        }
        found
    }

    #[test]
    fn splits_values_with_tricky_strings() {
        let v = values(r#"{"a":"}]\"{"} , [1,[2]], "x\\", 12.5e3,true"#);
        assert_eq!(
            v,
            [r#"{"a":"}]\"{"}"#, "[1,[2]]", r#""x\\""#, "12.5e3", "true"]
        );
    }

    #[test]
    fn buffer_boundaries_do_not_matter() {
        let first = r#"{"a":"x\"}\\", "é": [1, {"b": "]"}]}"#;
        let input = format!("{first}\n  \"tail\\\"\" 12");
        for capacity in 1..9 {
            let mut reader = std::io::BufReader::with_capacity(capacity, input.as_bytes());
            let mut scanner = Scanner::new(&mut reader);
            let mut out = Vec::new();
            scanner.take_value(&mut out).unwrap();
            let object: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(object["a"], "x\"}\\", "capacity {capacity}");
            let column = 1 + first.chars().count() as u64;
            assert_eq!(scanner.position(), Position { line: 1, column });
            scanner.skip_whitespace().unwrap();
            scanner.take_value(&mut out).unwrap();
            assert_eq!(out, br#""tail\"""#, "capacity {capacity}");
            assert_eq!(
                scanner.position(),
                Position {
                    line: 2,
                    column: 11
                }
            );
            scanner.skip_whitespace().unwrap();
            scanner.take_value(&mut out).unwrap();
            assert_eq!(out, b"12");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, failure_persistence: None, ..Default::default() })]

        /// Values of any size, with quotes, backslashes and brackets in
        /// their strings, come out whole whatever the reader's buffer size
        /// (so block and buffer ends fall everywhere).
        #[test]
        fn values_come_out_whole_whatever_the_buffer(
            texts in proptest::collection::vec("[\"\\\\{}\\[\\] aé\n]{0,40}", 1..12),
            pretty in proptest::bool::ANY,
            capacity in 1usize..100,
        ) {
            let values: Vec<serde_json::Value> = texts
                .iter()
                .map(|t| serde_json::json!({"k": t, "list": [t, {"x": [t, 1, null]}], "n": 2}))
                .collect();
            let written: Vec<String> = values
                .iter()
                .map(|v| if pretty { serde_json::to_string_pretty(v) } else { serde_json::to_string(v) }.unwrap())
                .collect();
            let input = written.join(",\n  ");
            let mut reader = std::io::BufReader::with_capacity(capacity, input.as_bytes());
            let mut scanner = Scanner::new(&mut reader);
            let mut out = Vec::new();
            for value in &values {
                scanner.skip_whitespace().unwrap();
                scanner.take_value(&mut out).unwrap();
                let read: serde_json::Value = serde_json::from_slice(&out).unwrap();
                proptest::prop_assert_eq!(&read, value);
                if scanner.skip_whitespace().unwrap() == Some(b',') {
                    scanner.bump().unwrap();
                }
            }
            proptest::prop_assert_eq!(scanner.skip_whitespace().unwrap(), None);
        }
    }

    #[test]
    fn tracks_lines_and_characters() {
        let mut bytes = "\n  \"é\" x".as_bytes();
        let mut scanner = Scanner::new(&mut bytes);
        scanner.skip_whitespace().unwrap();
        assert_eq!(scanner.position(), Position { line: 2, column: 3 });
        scanner.take_value(&mut Vec::new()).unwrap();
        assert_eq!(scanner.position(), Position { line: 2, column: 6 });
    }

    #[test]
    fn truncated_value_is_eof() {
        let mut bytes = r#"{"a": [1, 2"#.as_bytes();
        let mut scanner = Scanner::new(&mut bytes);
        assert!(matches!(
            scanner.take_value(&mut Vec::new()),
            Err(ScanError::Eof)
        ));
    }
}
