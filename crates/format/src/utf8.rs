//! A UTF-8 check that readers put in front of their input, so that a bad
//! byte is reported with its byte offset, line and column whatever the
//! format.

use std::fmt;
use std::io::{self, BufRead, Read};

use crate::{Error, Source};

/// Where an input stops being UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Offset of the first bad byte from the start of the input, from 0.
    pub offset: u64,
    /// Line of that byte, from 1.
    pub line: u64,
    /// Column of that byte in characters, from 1.
    pub column: u64,
    /// The bad byte, or `None` when the input ends inside a character.
    pub byte: Option<u8>,
}

impl fmt::Display for InvalidUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.byte {
            Some(b) => write!(
                f,
                "invalid UTF-8 at byte offset {} (byte 0x{b:02x}): the input must be UTF-8",
                self.offset
            ),
            None => write!(
                f,
                "invalid UTF-8 at byte offset {}: the input ends inside a character",
                self.offset
            ),
        }
    }
}

impl std::error::Error for InvalidUtf8 {}

/// `std::str::from_utf8`, with a SIMD check first: most input is valid, and
/// the standard check is the slow part of reading large files. Invalid input
/// gets the standard error, with its position.
///
/// ```
/// assert_eq!(paper_format::str_from_utf8("café".as_bytes()), Ok("café"));
/// let bad = paper_format::str_from_utf8(b"caf\xe9").unwrap_err();
/// assert_eq!(bad.valid_up_to(), 3);
/// ```
pub fn str_from_utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes),
    }
}

impl Error {
    /// Turns an I/O error that carries an [`InvalidUtf8`] (as [`Utf8Input`]
    /// returns it) into a parse error at its place in `source`; any other
    /// error is returned unchanged.
    ///
    /// ```
    /// use std::io::Read;
    /// use paper_format::{Error, Source, Utf8Input};
    ///
    /// let mut input = Utf8Input::new(&b"ok\nbad \xff"[..]);
    /// let err = Error::from(input.read_to_end(&mut Vec::new()).unwrap_err());
    /// let err = err.at_source(&Source::new("in.md"));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "in.md:2:5: invalid UTF-8 at byte offset 7 (byte 0xff): the input must be UTF-8"
    /// );
    /// ```
    pub fn at_source(self, source: &Source) -> Error {
        match self {
            Error::Io(e) => match e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<InvalidUtf8>())
            {
                Some(bad) => Error::parse(source.at(bad.line, bad.column), bad.to_string()),
                None => Error::Io(e),
            },
            other => other,
        }
    }
}

const CAPACITY: usize = 256 * 1024;

/// How many bytes match: counted in blocks of 128 into a byte-sized
/// counter, a loop the compiler turns into vector instructions.
fn count(bytes: &[u8], hit: impl Fn(u8) -> bool) -> usize {
    let mut blocks = bytes.chunks_exact(128);
    let mut total = 0;
    for block in &mut blocks {
        let mut n = 0u8;
        for &b in block {
            n += u8::from(hit(b));
        }
        total += usize::from(n);
    }
    total + blocks.remainder().iter().filter(|&&b| hit(b)).count()
}

/// A buffered reader that hands out only bytes it has checked to be UTF-8.
///
/// The first bad byte makes `read`/`fill_buf` fail with an
/// [`io::ErrorKind::InvalidData`] error that carries an [`InvalidUtf8`];
/// everything before it is handed out first. [`Error::at_source`] turns
/// that into a parse error naming the file, line, column and byte offset.
/// A byte order mark is passed through unchanged.
pub struct Utf8Input<R> {
    inner: R,
    buf: Box<[u8]>,
    /// Next byte to hand out.
    pos: usize,
    /// End of the checked bytes.
    valid: usize,
    /// End of the bytes read from `inner`.
    filled: usize,
    /// Stream offset of `buf[valid]`.
    offset: u64,
    /// Line and column of `buf[valid]`.
    line: u64,
    column: u64,
    /// The error to return once the valid bytes before it are used up.
    failed: Option<InvalidUtf8>,
    eof: bool,
}

impl<R: Read> Utf8Input<R> {
    /// Checks `inner` as it is read.
    pub fn new(inner: R) -> Self {
        Utf8Input {
            inner,
            buf: vec![0; CAPACITY].into_boxed_slice(),
            pos: 0,
            valid: 0,
            filled: 0,
            offset: 0,
            line: 1,
            column: 1,
            failed: None,
            eof: false,
        }
    }

    /// Counts lines and characters of the newly checked bytes.
    fn advance(&mut self, checked: usize) {
        let bytes = &self.buf[self.valid..self.valid + checked];
        let last_line = match bytes.iter().rposition(|&b| b == b'\n') {
            Some(i) => {
                self.line += count(bytes, |b| b == b'\n') as u64;
                self.column = 1;
                &bytes[i + 1..]
            }
            None => bytes,
        };
        self.column += count(last_line, |b| b & 0xC0 != 0x80) as u64;
        self.offset += checked as u64;
        self.valid += checked;
    }

    fn error(&self) -> io::Error {
        let bad = self.failed.clone().unwrap_or(InvalidUtf8 {
            offset: self.offset,
            line: self.line,
            column: self.column,
            byte: None,
        });
        io::Error::new(io::ErrorKind::InvalidData, bad)
    }

    /// Makes checked bytes available, reading more when needed.
    fn refill(&mut self) -> io::Result<()> {
        while self.pos == self.valid {
            if self.failed.is_some() {
                return Err(self.error());
            }
            // Keep the unchecked tail (at most 3 bytes of a cut character).
            self.buf.copy_within(self.valid..self.filled, 0);
            self.filled -= self.valid;
            self.pos = 0;
            self.valid = 0;
            if self.eof {
                if self.filled == 0 {
                    return Ok(());
                }
                self.failed = Some(InvalidUtf8 {
                    offset: self.offset,
                    line: self.line,
                    column: self.column,
                    byte: None,
                });
                return Err(self.error());
            }
            let n = loop {
                match self.inner.read(&mut self.buf[self.filled..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            if n == 0 {
                self.eof = true;
                continue;
            }
            self.filled += n;
            match str_from_utf8(&self.buf[..self.filled]) {
                Ok(_) => self.advance(self.filled),
                Err(e) => {
                    let good = e.valid_up_to();
                    self.advance(good);
                    if e.error_len().is_some() {
                        self.failed = Some(InvalidUtf8 {
                            offset: self.offset,
                            line: self.line,
                            column: self.column,
                            byte: Some(self.buf[good]),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf8Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Utf8Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.refill()?;
        Ok(&self.buf[self.pos..self.valid])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.valid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one byte at a time, to cut characters at every place.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || out.is_empty() {
                return Ok(0);
            }
            out[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    fn bad(input: &[u8]) -> (Vec<u8>, InvalidUtf8) {
        let mut out = Vec::new();
        let mut reader = Utf8Input::new(Trickle(input));
        let err = reader.read_to_end(&mut out).unwrap_err();
        let inner = err.into_inner().unwrap().downcast::<InvalidUtf8>().unwrap();
        (out, *inner)
    }

    #[test]
    fn passes_valid_text_through_even_when_cut_anywhere() {
        let text = "\u{feff}héllo\n何恺明 𝔘\n".repeat(3);
        let mut out = Vec::new();
        Utf8Input::new(Trickle(text.as_bytes()))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, text.as_bytes());
        let mut out = String::new();
        Utf8Input::new(text.as_bytes())
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn names_offset_line_and_column_of_the_bad_byte() {
        let (good, e) = bad(b"ab\n\xc3\xa9x\xffrest");
        assert_eq!(good, b"ab\n\xc3\xa9x");
        assert_eq!(
            e,
            InvalidUtf8 {
                offset: 6,
                line: 2,
                column: 3,
                byte: Some(0xff)
            }
        );
        let (_, e) = bad(b"\xe4\xbd");
        assert_eq!((e.offset, e.byte), (0, None));
        assert!(e.to_string().contains("ends inside a character"));
    }

    #[test]
    fn counting_in_blocks() {
        let text = "a\né\n".repeat(100);
        assert_eq!(count(text.as_bytes(), |b| b == b'\n'), 200);
        assert_eq!(count(text.as_bytes(), |b| b & 0xC0 != 0x80), 400);
        let mut input = format!("{text}x").into_bytes();
        input.push(0xFF);
        let (_, e) = bad(&input);
        assert_eq!((e.line, e.column), (201, 2));
    }

    #[test]
    fn error_past_the_first_buffer() {
        let mut input = vec![b'a'; CAPACITY * 2 + 5];
        input.push(0xC0);
        input.push(b'b');
        let mut out = Vec::new();
        let err = Utf8Input::new(&input[..])
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(out.len(), CAPACITY * 2 + 5);
        let e = Error::from(err).at_source(&Source::new("x"));
        assert_eq!(
            e.to_string(),
            format!(
                "x:1:{}: invalid UTF-8 at byte offset {} (byte 0xc0): the input must be UTF-8",
                CAPACITY * 2 + 6,
                CAPACITY * 2 + 5
            )
        );
    }
}
