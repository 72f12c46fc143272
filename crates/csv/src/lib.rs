//! CSV (`csv`) and TSV (`tsv`): one row per paper under a fixed header.
//!
//! | column | from the model |
//! |---|---|
//! | `id`, `type`, `title` | as is |
//! | `authors` | `Family, Given; Family, Given` (an organisation by its name) |
//! | `year` | the year, never altered |
//! | `venue`, `volume`, `number`, `pages`, `publisher`, `doi`, `arxiv`, `url` | as is |
//! | `tags` | joined by `; ` |
//! | `question`, `note` | the text in the chosen language (`--lang`) |
//!
//! Quoting follows RFC 4180. A text cell that a spreadsheet would run as a
//! formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return,
//! or their full-width forms) is written with a leading `'`; the setting
//! `csv-raw` turns that off. The setting `bom` (or [`WriteOptions::bom`])
//! writes a UTF-8 byte order mark first, which Excel wants.
//!
//! ```
//! use paper_format::{Format, WriteOptions};
//! use paper_model::{CollectionHeader, Paper};
//!
//! let mut writer = paper_csv::Csv.writer(&WriteOptions::default()).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &Paper::new("=1+1", 2024))?;
//! writer.finish(&mut out)?;
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.ends_with(",'=1+1,,2024,,,,,,,,,,,\n"));
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod writer;

use paper_format::{Format, FormatInfo, WriteOptions, Writer};

pub use writer::{CsvWriter, HEADER, needs_formula_guard};

/// Comma-separated values.
#[derive(Clone, Copy, Debug, Default)]
pub struct Csv;

/// Tab-separated values.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tsv;

static CSV_INFO: FormatInfo = FormatInfo {
    name: "csv",
    aliases: &[],
    extensions: &["csv"],
    summary: "comma-separated values, one row per paper (RFC 4180)",
    binary: false,
};

static TSV_INFO: FormatInfo = FormatInfo {
    name: "tsv",
    aliases: &[],
    extensions: &["tsv", "tab"],
    summary: "tab-separated values, one row per paper",
    binary: false,
};

impl Format for Csv {
    fn info(&self) -> &FormatInfo {
        &CSV_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(CsvWriter::from_options(b',', options)))
    }
}

impl Format for Tsv {
    fn info(&self) -> &FormatInfo {
        &TSV_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(CsvWriter::from_options(b'\t', options)))
    }
}
