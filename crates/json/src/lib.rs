//! The canonical JSON format (`json`) and JSON Lines (`jsonl`).
//!
//! `json` is a collection document: the header fields, then `papers`, an
//! array of papers, exactly as [`schema/collection.schema.json`] describes.
//! A bare array of papers is read too. `jsonl` is one paper per line and no
//! header.
//!
//! Both are streamed: the writer writes each paper as it comes, and the
//! reader hands over each element of `papers` as soon as it is complete,
//! so memory does not grow with the input.
//!
//! [`schema/collection.schema.json`]: https://github.com/paper-export/paper-export/blob/main/schema/collection.schema.json
//!
//! ```
//! use paper_format::{Format, WriteOptions};
//! use paper_model::{CollectionHeader, Paper};
//!
//! let mut writer = paper_json::JsonLines.writer(&WriteOptions::default()).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &Paper::new("Finding Structure in Time", 1990))?;
//! writer.finish(&mut out)?;
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "{\"type\":\"misc\",\"title\":\"Finding Structure in Time\",\"year\":1990}\n"
//! );
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod decode;
mod encode;
mod parse;
mod reader;
mod writer;

use paper_format::{Format, FormatInfo, ReadOptions, Reader, WriteOptions, Writer};

pub use reader::{JsonLinesReader, JsonReader};
pub use writer::{JsonLinesWriter, JsonWriter};

/// The canonical JSON collection format.
#[derive(Clone, Copy, Debug, Default)]
pub struct Json;

/// JSON Lines: one canonical paper per line.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonLines;

static JSON_INFO: FormatInfo = FormatInfo {
    name: "json",
    aliases: &[],
    extensions: &["json"],
    summary: "paper-export's canonical JSON collection (schema/collection.schema.json)",
    binary: false,
};

static JSONL_INFO: FormatInfo = FormatInfo {
    name: "jsonl",
    aliases: &["ndjson", "json-lines"],
    extensions: &["jsonl", "ndjson"],
    summary: "JSON Lines: one canonical paper per line",
    binary: false,
};

impl Format for Json {
    fn info(&self) -> &FormatInfo {
        &JSON_INFO
    }
    fn writer(&self, _: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(JsonWriter::default()))
    }
    fn reader(&self, _: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(JsonReader))
    }
}

impl Format for JsonLines {
    fn info(&self) -> &FormatInfo {
        &JSONL_INFO
    }
    fn writer(&self, _: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(JsonLinesWriter::default()))
    }
    fn reader(&self, _: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(JsonLinesReader))
    }
}
