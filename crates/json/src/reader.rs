use std::io::BufRead;

use paper_format::{Error, Location, PaperSink, Reader, Source, Utf8Input};
use paper_model::CollectionHeader;
use serde_json::{Map, Value};

use paper_format::json_scan::{Position, Scanner};

use paper_format::parallel::Relay;

use crate::parse::{Raw, Record, json_error, parse, parse_paper};

/// Reads a collection document or a bare array of papers, streaming the
/// elements of `papers`.
///
/// Header fields that come after `papers` are checked but cannot reach
/// writers that already started; put them first, as the writer does.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonReader;

impl Reader for JsonReader {
    fn checks_utf8(&self) -> bool {
        true
    }

    fn parses_in_parallel(&self) -> bool {
        true
    }

    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        let mut checked = Utf8Input::new(input);
        self.read_document(&mut checked, source, sink)
            .map_err(|e| e.at_source(source))
    }
}

impl JsonReader {
    /// Reads input that [`Utf8Input`] has checked.
    fn read_document(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        let mut doc = Document {
            scanner: Scanner::new(input),
            source,
            buffer: Vec::new(),
        };
        doc.scanner.skip_bom()?;
        match doc.scanner.skip_whitespace()? {
            Some(b'[') => {
                sink.header(CollectionHeader::default())?;
                doc.read_papers(sink)?;
            }
            Some(b'{') => doc.read_collection(sink)?,
            Some(other) => {
                return Err(
                    doc.unexpected(other, "a collection object `{` or an array of papers `[`")
                );
            }
            None => {
                return Err(doc.error_here(
                    "the input is empty: expected a collection object `{` or an array of papers `[`",
                ));
            }
        }
        match doc.scanner.skip_whitespace()? {
            None => Ok(()),
            Some(other) => Err(doc.unexpected(other, "the end of the input")),
        }
    }
}

/// Why scanning the papers stopped early.
enum Stop {
    /// The input is broken or unreadable.
    Input(Error),
    /// The sink refused a record.
    Sink(Error),
}

impl Stop {
    fn input(error: std::io::Error) -> Stop {
        Stop::Input(error.into())
    }
}

struct Document<'a, 's> {
    scanner: Scanner<'a>,
    source: &'s Source,
    buffer: Vec<u8>,
}

impl Document<'_, '_> {
    fn location(&self, at: Position) -> Location {
        self.source.at(at.line, at.column)
    }

    fn error_here(&self, message: impl Into<String>) -> Error {
        self.scanner.error_here(self.source, message)
    }

    fn unexpected(&self, found: u8, expected: &str) -> Error {
        self.scanner.unexpected(self.source, found, expected)
    }

    /// Takes the next value into the buffer, reporting a cut-off input.
    fn take_value(&mut self, what: &str) -> Result<Position, Error> {
        self.scanner
            .take_value_in(self.source, &mut self.buffer, what)
    }

    /// Turns a serde_json error inside the buffer into a location in the file.
    fn json_error(&self, start: Position, err: &serde_json::Error) -> Error {
        json_error(self.source, start, err)
    }

    fn read_collection(&mut self, sink: &mut dyn PaperSink) -> Result<(), Error> {
        let object_start = self.scanner.position();
        self.scanner.bump()?; // `{`
        let mut fields = Map::new();
        let mut header_sent = false;
        if self.scanner.skip_whitespace()? == Some(b'}') {
            self.scanner.bump()?;
            return Err(Error::parse(
                self.location(object_start),
                "the collection has no `papers` array",
            ));
        }
        loop {
            match self.scanner.skip_whitespace()? {
                Some(b'"') => {}
                Some(other) => return Err(self.unexpected(other, "a field name in quotes")),
                None => return Err(self.error_here("the input ends inside the collection")),
            }
            let key_start = self.take_value("a field name")?;
            let key: String =
                serde_json::from_slice(&self.buffer).map_err(|e| self.json_error(key_start, &e))?;
            match self.scanner.skip_whitespace()? {
                Some(b':') => {
                    self.scanner.bump()?;
                }
                Some(other) => return Err(self.unexpected(other, "`:` after the field name")),
                None => return Err(self.error_here("the input ends after a field name")),
            }
            self.scanner.skip_whitespace()?;
            if key == "papers" {
                if !header_sent {
                    let header = self.header(object_start, &fields)?;
                    sink.header(header)?;
                    header_sent = true;
                }
                match self.scanner.peek()? {
                    Some(b'[') => self.read_papers(sink)?,
                    Some(other) => return Err(self.unexpected(other, "an array of papers `[`")),
                    None => return Err(self.error_here("the input ends before the papers")),
                }
            } else {
                let value_start = self.take_value("a value")?;
                let value: Value = serde_json::from_slice(&self.buffer)
                    .map_err(|e| self.json_error(value_start, &e))?;
                fields.insert(key, value);
            }
            match self.scanner.skip_whitespace()? {
                Some(b',') => {
                    self.scanner.bump()?;
                }
                Some(b'}') => {
                    self.scanner.bump()?;
                    break;
                }
                Some(other) => return Err(self.unexpected(other, "`,` or `}`")),
                None => return Err(self.error_here("the input ends inside the collection")),
            }
        }
        // Check the fields even when the papers came first.
        self.header(object_start, &fields)?;
        if !header_sent {
            return Err(Error::parse(
                self.location(object_start),
                "the collection has no `papers` array",
            ));
        }
        Ok(())
    }

    fn header(
        &self,
        start: Position,
        fields: &Map<String, Value>,
    ) -> Result<CollectionHeader, Error> {
        let header: CollectionHeader = serde_json::from_value(Value::Object(fields.clone()))
            .map_err(|e| Error::parse(self.location(start), format!("in the collection: {e}")))?;
        let major = header.schema_version.split('.').next().unwrap_or("");
        if major != "1" {
            return Err(Error::parse(
                self.location(start),
                format!(
                    "schema_version `{}` is not supported: this version reads 1.x",
                    header.schema_version
                ),
            ));
        }
        Ok(header)
    }

    /// Reads the papers array, parsing the papers on two threads.
    fn read_papers(&mut self, sink: &mut dyn PaperSink) -> Result<(), Error> {
        let source = self.source.clone();
        let mut relay = Relay::new(move |raw| parse(raw, &source));
        let mut deliver = |record| sink.record(record);
        match self.scan_papers(&mut relay, &mut deliver) {
            // The sink stopped the run: nothing more to deliver.
            Err(Stop::Sink(error)) => Err(error),
            // Deliver the papers before a broken structure, then report it.
            Err(Stop::Input(error)) => relay.finish(&mut deliver).and(Err(error)),
            Ok(()) => relay.finish(&mut deliver),
        }
    }

    fn scan_papers<W>(
        &mut self,
        relay: &mut Relay<Raw, Record, W>,
        deliver: &mut dyn FnMut(Record) -> Result<(), Error>,
    ) -> Result<(), Stop>
    where
        W: Fn(Raw) -> Record + Send + Sync + 'static,
    {
        self.scanner.bump().map_err(Stop::input)?; // `[`
        if self.scanner.skip_whitespace().map_err(Stop::input)? == Some(b']') {
            self.scanner.bump().map_err(Stop::input)?;
            return Ok(());
        }
        loop {
            let raw = match self.scanner.skip_whitespace().map_err(Stop::input)? {
                Some(b'{') => {
                    let start = self.take_value("a paper").map_err(Stop::Input)?;
                    Raw::Paper {
                        bytes: self.buffer.clone(),
                        start,
                    }
                }
                Some(other) => {
                    let err = self.unexpected(other, "a paper object `{`");
                    if matches!(other, b']' | b',') {
                        return Err(Stop::Input(err));
                    }
                    self.take_value("a value").map_err(Stop::Input)?;
                    Raw::Failed(err)
                }
                None => {
                    let err = self.error_here("the input ends inside the papers array");
                    return Err(Stop::Input(err));
                }
            };
            relay.push(raw, deliver).map_err(Stop::Sink)?;
            match self.scanner.skip_whitespace().map_err(Stop::input)? {
                Some(b',') => {
                    self.scanner.bump().map_err(Stop::input)?;
                }
                Some(b']') => {
                    self.scanner.bump().map_err(Stop::input)?;
                    return Ok(());
                }
                Some(other) => {
                    return Err(Stop::Input(
                        self.unexpected(other, "`,` or `]` after a paper"),
                    ));
                }
                None => {
                    let err = self.error_here("the input ends inside the papers array");
                    return Err(Stop::Input(err));
                }
            }
        }
    }
}

/// Reads one canonical paper per line; blank lines are skipped.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonLinesReader;

impl Reader for JsonLinesReader {
    fn checks_utf8(&self) -> bool {
        true
    }

    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        let mut checked = Utf8Input::new(input);
        self.read_lines(&mut checked, source, sink)
            .map_err(|e| e.at_source(source))
    }
}

impl JsonLinesReader {
    /// Reads input that [`Utf8Input`] has checked.
    fn read_lines(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        sink.header(CollectionHeader::default())?;
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            number += 1;
            let mut text: &[u8] = &line;
            if number == 1 {
                text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            }
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let record = match parse_paper(text) {
                Ok(paper) => Ok((paper, source.at(number, 1))),
                Err(e) => {
                    let mut message = e.to_string();
                    if let Some(cut) = message.find(" at line ") {
                        message.truncate(cut);
                    }
                    Err(Error::parse(source.at(number, e.column() as u64), message))
                }
            };
            sink.record(record)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_format::Collect;

    fn read(reader: &dyn Reader, input: &str) -> Result<Collect, Error> {
        let mut sink = Collect::default();
        let mut bytes = input.as_bytes();
        reader.read(&mut bytes, &Source::new("in.json"), &mut sink)?;
        Ok(sink)
    }

    #[test]
    fn reads_a_collection() {
        let c = read(
            &JsonReader,
            "\u{feff}{\"title\": \"My list\",\n \"papers\": [\n  {\"title\": \"A\", \"year\": 1990},\n  {\"title\": \"B\", \"year\": 1991}\n]}\n",
        )
        .unwrap();
        assert_eq!(c.header.unwrap().title, "My list");
        assert_eq!(c.papers.len(), 2);
        assert_eq!(c.papers[1].0.title, "B");
        assert_eq!(c.papers[1].1, Location::new("in.json", 4, 3));
    }

    #[test]
    fn reads_a_bare_array() {
        let c = read(&JsonReader, r#"[{"title":"A","year":1}]"#).unwrap();
        assert_eq!(c.papers.len(), 1);
    }

    #[test]
    fn bad_paper_is_a_record_error_with_its_place() {
        let c = read(
            &JsonReader,
            "[\n {\"title\": \"A\", \"year\": 1},\n {\"title\": \"B\",\n  \"yaer\": 2}\n]",
        )
        .unwrap();
        assert_eq!(c.papers.len(), 1);
        assert!(c.errors[0].starts_with("in.json:4:"), "{}", c.errors[0]);
        assert!(
            c.errors[0].contains("unknown field `yaer`"),
            "{}",
            c.errors[0]
        );
    }

    #[test]
    fn structural_errors_name_line_column_and_expectation() {
        let e = read(
            &JsonReader,
            "[\n {\"title\": \"A\", \"year\": 1}\n {\"title\": \"B\"}]",
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "in.json:3:2: expected `,` or `]` after a paper, found `{`"
        );
        let e = read(&JsonReader, "{\"papers\": [{\"title\": \"A\"")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("the input ends inside a paper that starts at line 1, column 13"),
            "{e}"
        );
        let e = read(&JsonReader, "").err().unwrap().to_string();
        assert!(e.starts_with("in.json:1:1: the input is empty"), "{e}");
        let e = read(&JsonReader, r#"{"title": "x"}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("no `papers` array"), "{e}");
        let e = read(&JsonReader, r#"{"schema_version": "2.0", "papers": []}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("schema_version `2.0` is not supported"), "{e}");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let read_bytes = |reader: &dyn Reader, input: &[u8]| {
            let mut sink = Collect::default();
            let mut bytes = input;
            reader
                .read(&mut bytes, &Source::new("in.json"), &mut sink)
                .err()
                .map(|e| e.to_string())
        };
        assert_eq!(
            read_bytes(
                &JsonLinesReader,
                b"{\"title\":\"A\",\"year\":1}\n{\"title\":\"\xc3\x28\"}\n"
            )
            .as_deref(),
            Some(
                "in.json:2:11: invalid UTF-8 at byte offset 33 (byte 0xc3): the input must be UTF-8"
            )
        );
        assert_eq!(
            read_bytes(&JsonReader, b"[{\"title\": \"\xe9t\xe9\"}]").as_deref(),
            Some(
                "in.json:1:13: invalid UTF-8 at byte offset 12 (byte 0xe9): the input must be UTF-8"
            )
        );
    }

    #[test]
    fn json_lines_errors_name_the_line() {
        let c = read(
            &JsonLinesReader,
            "{\"title\":\"A\",\"year\":1}\n\n{\"title\":\n",
        )
        .unwrap();
        assert_eq!(c.papers.len(), 1);
        assert!(c.errors[0].starts_with("in.json:3:"), "{}", c.errors[0]);
    }
}
