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
//!
//! Lines and entries are read in place from the reader's buffer; only an
//! entry (or a line) cut by the end of the buffer is copied.

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

/// Where the text of the entry being read is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    /// In the current buffer of the reader, from this offset.
    InBuffer(usize),
    /// In `Splitter::copied` (the entry began in an earlier buffer).
    Copied,
}

/// A line and where it is: at an offset of the reader's buffer, or copied
/// (it was cut by the end of a buffer).
struct Line<'a> {
    text: &'a [u8],
    offset: Option<usize>,
}

pub(crate) struct Splitter {
    mode: Mode,
    held: Held,
    /// The text of an entry cut by the end of a buffer.
    copied: Vec<u8>,
    line: u64,
    start_line: u64,
    start_column: u64,
    /// Bytes from `@` to the end of the entry type.
    kind_end: usize,
    /// Bytes of the entry read so far (from `@`).
    entry_len: usize,
    depth: u32,
    close: u8,
    escaped: bool,
    /// Whether whole lines of an entry's body are taken at once (see
    /// [`Splitter::skip_body_lines`]); the tests compare with line by line.
    skip_lines: bool,
}

impl Splitter {
    pub(crate) fn new() -> Self {
        Splitter {
            mode: Mode::Top,
            held: Held::Copied,
            copied: Vec::new(),
            line: 0,
            start_line: 0,
            start_column: 0,
            kind_end: 0,
            entry_len: 0,
            depth: 0,
            close: b'}',
            escaped: false,
            skip_lines: true,
        }
    }

    /// Reads all of `input`, calling `f` for every piece.
    pub(crate) fn run(
        &mut self,
        input: &mut dyn BufRead,
        mut f: impl FnMut(Piece<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        // A line cut by the end of a buffer, completed from the next one.
        let mut cut: Vec<u8> = Vec::new();
        loop {
            let buffer = input.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            let len = buffer.len();
            let mut start = 0;
            if !cut.is_empty() {
                let Some(end) = memchr::memchr(b'\n', buffer) else {
                    cut.extend_from_slice(buffer);
                    input.consume(len);
                    continue;
                };
                cut.extend_from_slice(&buffer[..=end]);
                let line = Line {
                    text: &cut,
                    offset: None,
                };
                self.feed_line(buffer, line, &mut f)?;
                cut.clear();
                start = end + 1;
            }
            loop {
                if self.mode == Mode::Body && self.close == b'}' && !self.escaped && self.skip_lines
                {
                    start = self.skip_body_lines(buffer, start);
                }
                let Some(end) = memchr::memchr(b'\n', &buffer[start..]) else {
                    break;
                };
                let line = Line {
                    text: &buffer[start..=start + end],
                    offset: Some(start),
                };
                self.feed_line(buffer, line, &mut f)?;
                start += end + 1;
            }
            cut.extend_from_slice(&buffer[start..]);
            self.copy_held(&buffer[..start]);
            input.consume(len);
        }
        if !cut.is_empty() {
            let line = Line {
                text: &cut,
                offset: None,
            };
            self.feed_line(&[], line, &mut f)?;
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

    /// In the body of a `{...}` entry at the start of a line: takes the
    /// whole lines of `buffer` from `start` that neither hold the entry's
    /// closing brace nor start another entry, and returns where the next
    /// line starts. What [`Splitter::feed_line`] would do line by line,
    /// with one search for braces across the lines instead of several per
    /// line.
    fn skip_body_lines(&mut self, buffer: &[u8], start: usize) -> usize {
        let Some(last) = memchr::memrchr(b'\n', &buffer[start..]) else {
            return start;
        };
        let lines = &buffer[start..=start + last];
        let (mut end, depth) = match close_in(lines, self.depth) {
            // Up to the line with the closing brace, whose depth at its
            // start follows from that line's own braces before it.
            Ok(close) => {
                let line = memchr::memrchr(b'\n', &lines[..close]).map_or(0, |i| i + 1);
                let opened = u32::try_from(-depth_change(&lines[line..close])).unwrap_or(0);
                (line, opened)
            }
            Err(depth) => (lines.len(), depth),
        };
        // A line that starts another entry ends this one (the depth no
        // longer matters then).
        if let Some(entry_line) = first_entry_line(&lines[..end]) {
            end = entry_line;
        }
        self.take(&lines[..end]);
        self.line += memchr::memchr_iter(b'\n', &lines[..end]).count() as u64;
        self.depth = depth;
        start + end
    }

    /// Before the reader's buffer is given back: copies the part of an
    /// unfinished entry that is in it.
    fn copy_held(&mut self, buffer: &[u8]) {
        if self.mode == Mode::Top {
            return;
        }
        if let Held::InBuffer(from) = self.held {
            self.copied.clear();
            self.copied
                .extend_from_slice(&buffer[from..from + self.entry_len]);
            self.held = Held::Copied;
        }
    }

    /// Adds `bytes` (which follow what was read) to the entry being read.
    fn take(&mut self, bytes: &[u8]) {
        self.entry_len += bytes.len();
        if self.held == Held::Copied {
            self.copied.extend_from_slice(bytes);
        }
    }

    /// The entry read so far.
    fn entry<'b>(&'b self, buffer: &'b [u8]) -> &'b [u8] {
        match self.held {
            Held::InBuffer(from) => &buffer[from..from + self.entry_len],
            Held::Copied => &self.copied,
        }
    }

    fn feed_line(
        &mut self,
        buffer: &[u8],
        line: Line<'_>,
        f: &mut impl FnMut(Piece<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.line += 1;
        let Line {
            text: mut line,
            mut offset,
        } = line;
        if self.line == 1
            && let Some(rest) = line.strip_prefix(b"\xEF\xBB\xBF")
        {
            line = rest;
            offset = offset.map(|o| o + 3);
        }
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
                    let Some(found) = memchr::memchr2(b'@', b'%', &line[i..]) else {
                        return Ok(());
                    };
                    i += found;
                    if line[i] == b'%' {
                        return Ok(());
                    }
                    self.mode = Mode::Header;
                    self.held = match offset {
                        Some(offset) => Held::InBuffer(offset + i),
                        None => {
                            self.copied.clear();
                            Held::Copied
                        }
                    };
                    self.entry_len = 0;
                    self.take(b"@");
                    self.start_line = self.line;
                    self.start_column = column_of(line, i);
                    self.kind_end = 0;
                    i += 1;
                }
                Mode::Header => {
                    let b = line[i];
                    if self.kind_end == 0 && is_ident_byte(b) {
                        let name = line[i..].iter().take_while(|&&b| is_ident_byte(b)).count();
                        self.take(&line[i..i + name]);
                        i += name;
                        self.kind_end = self.entry_len;
                    } else if self.kind_end > 0 && b.is_ascii_whitespace() {
                        self.take(&line[i..=i]);
                        i += 1;
                    } else if self.kind_end > 0 && (b == b'{' || b == b'(') {
                        self.take(&line[i..=i]);
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
                    let Some(j) = end else {
                        self.take(rest);
                        return Ok(());
                    };
                    self.take(&rest[..=j]);
                    i += j + 1;
                    self.mode = Mode::Top;
                    let text = self.entry(buffer);
                    f(Piece::Entry {
                        text,
                        line: self.start_line,
                        column: self.start_column,
                        kind: &text[1..self.kind_end],
                    })?;
                }
            }
        }
        Ok(())
    }

    /// Where the `}` that closes the entry is in `rest`, if it is there;
    /// counts braces and escapes on the way.
    fn brace_close(&mut self, rest: &[u8]) -> Option<usize> {
        match scan_braces(rest, self.depth, self.escaped) {
            Ok(at) => {
                self.escaped = false;
                Some(at)
            }
            Err((depth, escaped)) => {
                self.depth = depth;
                self.escaped = escaped;
                None
            }
        }
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

/// Scans for the brace that closes a `{...}` entry, `depth` braces being
/// open at the start of `bytes`: a backslash hides the next byte (with
/// `escaped`, the first byte is hidden). Gives where the closing brace is,
/// or the depth at the end and whether a backslash there hides the next
/// byte.
fn scan_braces(bytes: &[u8], mut depth: u32, escaped: bool) -> Result<usize, (u32, bool)> {
    if escaped && bytes.is_empty() {
        return Err((depth, true));
    }
    let mut i = usize::from(escaped);
    while let Some(found) = memchr::memchr3(b'{', b'}', b'\\', &bytes[i.min(bytes.len())..]) {
        let at = i + found;
        match bytes[at] {
            b'\\' => {
                i = at + 2;
                if i > bytes.len() {
                    return Err((depth, true));
                }
            }
            b'{' => {
                depth += 1;
                i = at + 1;
            }
            _ if depth > 0 => {
                depth -= 1;
                i = at + 1;
            }
            _ => return Ok(at),
        }
    }
    Err((depth, false))
}

/// Where the brace that closes a `{...}` entry is in `lines` (whole lines,
/// `depth` braces open at their start), or the depth at their end. Lines
/// end with a new line, so no backslash hides the first byte of the next.
fn close_in(lines: &[u8], depth: u32) -> Result<usize, u32> {
    scan_braces(lines, depth, false).map_err(|(depth, _)| depth)
}

/// Opening minus closing braces in `bytes` (the start of a line, before
/// the closing brace), backslashes hiding the next byte.
fn depth_change(bytes: &[u8]) -> i64 {
    // So many braces open that none can close the entry.
    const OPEN: u32 = u32::MAX / 2;
    scan_braces(bytes, OPEN, false)
        .err()
        .map_or(0, |(depth, _)| i64::from(depth) - i64::from(OPEN))
}

/// Where the first line of `lines` that starts an entry (see
/// [`starts_entry`]) starts.
fn first_entry_line(lines: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'@', &lines[from..]) {
        let at = from + found;
        let line_start = memchr::memrchr(b'\n', &lines[..at]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &lines[at..]).map_or(lines.len(), |i| at + i + 1);
        if starts_entry(&lines[line_start..line_end]) {
            return Some(line_start);
        }
        from = line_end;
    }
    None
}

/// Bytes of an entry type name.
fn is_ident_byte(b: u8) -> bool {
    !b.is_ascii_whitespace() && !b.is_ascii_control() && !is_delimiter(b)
}

/// The bytes that end an identifier for the `biblatex` crate (besides
/// white space and control characters).
pub(crate) const fn is_delimiter(b: u8) -> bool {
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

    #[derive(Clone, Debug, PartialEq)]
    enum Got {
        Entry(String, u64, u64, String),
        Unclosed(u64, u64, Option<u64>),
    }

    fn split(input: &str) -> Vec<Got> {
        split_from(&mut input.as_bytes())
    }

    fn split_from(input: &mut dyn BufRead) -> Vec<Got> {
        split_with(Splitter::new(), input)
    }

    fn split_with(mut splitter: Splitter, input: &mut dyn BufRead) -> Vec<Got> {
        let mut got = Vec::new();
        splitter
            .run(input, |piece| {
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

    /// The tricky cases of the tests above in one input.
    const TRICKY: &str = "\u{feff}% @fake{x}\nmail me@home\n  @Article{a,\n title = {x \\} {y}}}@misc (b, t={)})\n@article{c,\n title = {x,\n}\n@misc{f, t={z}}\n@book\n {d, title={y\\\n}}\n@misc{e,\n";

    #[test]
    fn entries_and_lines_cut_by_the_buffer_end_are_read_alike() {
        let whole = split(TRICKY);
        assert_eq!(
            whole
                .iter()
                .map(|g| match g {
                    Got::Entry(_, line, column, kind) => format!("{kind} {line}:{column}"),
                    Got::Unclosed(line, column, next) =>
                        format!("unclosed {line}:{column} {next:?}"),
                })
                .collect::<Vec<_>>(),
            [
                "Article 3:3",
                "misc 4:21",
                "unclosed 5:1 Some(8)",
                "misc 8:1",
                "book 9:1",
                "unclosed 12:1 None"
            ]
        );
        for capacity in 1..=TRICKY.len() {
            let mut reader = std::io::BufReader::with_capacity(capacity, TRICKY.as_bytes());
            assert_eq!(split_from(&mut reader), whole, "buffer of {capacity} bytes");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { failure_persistence: None, ..Default::default() })]
        #[test]
        fn any_buffer_size_gives_the_same_pieces(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "@", "@article{", "@misc(", "{", "}", "(", ")", "\\", "%", "\n", " ", "a",
                    "é", "\u{feff}", ",", "=",
                ]),
                0..60,
            ),
            capacity in 1usize..40,
        ) {
            let input = parts.concat();
            let mut reader = std::io::BufReader::with_capacity(capacity, input.as_bytes());
            let whole = split(&input);
            proptest::prop_assert_eq!(split_from(&mut reader), whole.clone());
            // Whole body lines taken at once, or line by line: the same.
            let mut line_by_line = Splitter::new();
            line_by_line.skip_lines = false;
            let mut reader = std::io::BufReader::with_capacity(capacity, input.as_bytes());
            proptest::prop_assert_eq!(split_with(line_by_line, &mut reader), whole);
        }
    }
}
