//! What the scanner hands to [`paper_format::parallel::Relay`], and the
//! parsing of one paper, which runs on either of its threads.

use paper_format::json_scan::{self, Position};
use paper_format::{Error, Location, Source, str_from_utf8};
use paper_model::Paper;

use crate::decode;

/// What the scanner found: a paper's bytes and where they start, or an
/// error to pass on in its place.
pub(crate) enum Raw {
    Paper { bytes: Vec<u8>, start: Position },
    Failed(Error),
}

/// A parsed paper and where it starts, or why it could not be used.
pub(crate) type Record = Result<(Paper, Location), Error>;

/// Parses one raw paper (on whichever thread the relay gives it to).
pub(crate) fn parse(raw: Raw, source: &Source) -> Record {
    match raw {
        Raw::Failed(error) => Err(error),
        Raw::Paper { bytes, start } => match parse_paper(&bytes) {
            Ok(paper) => Ok((paper, source.at(start.line, start.column))),
            Err(e) => Err(json_error(source, start, &e)),
        },
    }
}

/// Parses one paper: [directly](crate::decode) when it is well formed, by
/// `serde_json` otherwise (which then words the error). The bytes were
/// checked to be UTF-8 on the way in; checking them again here with SIMD
/// lets both work on text.
pub(crate) fn parse_paper(bytes: &[u8]) -> serde_json::Result<Paper> {
    match str_from_utf8(bytes) {
        Ok(text) => match decode::paper(text) {
            Some(paper) => Ok(paper),
            None => serde_json::from_str(text),
        },
        Err(_) => serde_json::from_slice(bytes),
    }
}

/// Turns a serde_json error inside a value that starts at `start` into an
/// error at its place in the file.
pub(crate) fn json_error(source: &Source, start: Position, err: &serde_json::Error) -> Error {
    let (line, column) = (err.line() as u64, err.column() as u64);
    json_scan::error_inside(source, start, line, column, &err.to_string())
}
