//! Parsing papers on a second thread while the reader scans the input.
//!
//! Scanning (finding where each paper ends) is cheap; turning its bytes into
//! a [`Paper`] is most of the work. The reader hands raw papers over in
//! batches to a parser thread and gets the results back in order, so both
//! jobs run at once. At most a few batches are in flight, so memory stays
//! flat.

use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::Scope;

use paper_format::json_scan::{self, Position};
use paper_format::{Error, Location, PaperSink, Source, str_from_utf8};
use paper_model::Paper;

/// Papers per batch.
const BATCH: usize = 64;
/// Batches queued for the parser.
const QUEUED: usize = 2;

/// What the scanner found: a paper's bytes and where they start, or an
/// error to pass on in its place.
pub(crate) enum Raw {
    Paper { bytes: Vec<u8>, start: Position },
    Failed(Error),
}

type Record = Result<(Paper, Location), Error>;

/// The reader's end of the pipeline: sends raw papers, delivers parsed ones
/// to the sink in input order.
pub(crate) struct Relay {
    to_parser: Option<SyncSender<Vec<Raw>>>,
    from_parser: Receiver<Vec<Record>>,
    batch: Vec<Raw>,
    in_flight: usize,
}

impl Relay {
    /// Starts the parser thread in `scope`.
    pub(crate) fn start<'scope>(scope: &'scope Scope<'scope, '_>, source: Source) -> Relay {
        let (to_parser, parser_input) = sync_channel::<Vec<Raw>>(QUEUED);
        // Unbounded, but the relay empties it before every send, so it never
        // holds more than the batches in flight.
        let (parser_output, from_parser) = channel::<Vec<Record>>();
        scope.spawn(move || {
            for batch in parser_input {
                let records = batch.into_iter().map(|raw| parse(raw, &source)).collect();
                if parser_output.send(records).is_err() {
                    return;
                }
            }
        });
        Relay {
            to_parser: Some(to_parser),
            from_parser,
            batch: Vec::with_capacity(BATCH),
            in_flight: 0,
        }
    }

    /// Queues one raw paper.
    pub(crate) fn push(&mut self, raw: Raw, sink: &mut dyn PaperSink) -> Result<(), Error> {
        self.batch.push(raw);
        if self.batch.len() >= BATCH {
            self.send(sink)?;
        }
        Ok(())
    }

    fn send(&mut self, sink: &mut dyn PaperSink) -> Result<(), Error> {
        while let Ok(records) = self.from_parser.try_recv() {
            self.deliver(records, sink)?;
        }
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let parser = self.to_parser.as_ref().ok_or_else(stopped)?;
        parser.send(batch).map_err(|_| stopped())?;
        self.in_flight += 1;
        Ok(())
    }

    fn deliver(&mut self, records: Vec<Record>, sink: &mut dyn PaperSink) -> Result<(), Error> {
        self.in_flight -= 1;
        records
            .into_iter()
            .try_for_each(|record| sink.record(record))
    }

    /// Sends what is queued and delivers everything still being parsed.
    pub(crate) fn finish(mut self, sink: &mut dyn PaperSink) -> Result<(), Error> {
        self.send(sink)?;
        self.to_parser = None;
        while self.in_flight > 0 {
            let records = self.from_parser.recv().map_err(|_| stopped())?;
            self.deliver(records, sink)?;
        }
        Ok(())
    }
}

fn stopped() -> Error {
    Error::Io(std::io::Error::other("the JSON parser thread stopped"))
}

fn parse(raw: Raw, source: &Source) -> Record {
    match raw {
        Raw::Failed(error) => Err(error),
        Raw::Paper { bytes, start } => match parse_paper(&bytes) {
            Ok(paper) => Ok((paper, source.at(start.line, start.column))),
            Err(e) => Err(json_error(source, start, &e)),
        },
    }
}

/// Parses one paper. The bytes were checked to be UTF-8 on the way in;
/// checking them again here with SIMD lets `serde_json` skip its own, much
/// slower check of every string.
pub(crate) fn parse_paper(bytes: &[u8]) -> serde_json::Result<Paper> {
    match str_from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

/// Turns a serde_json error inside a value that starts at `start` into an
/// error at its place in the file.
pub(crate) fn json_error(source: &Source, start: Position, err: &serde_json::Error) -> Error {
    let (line, column) = (err.line() as u64, err.column() as u64);
    json_scan::error_inside(source, start, line, column, &err.to_string())
}
