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
//! # Reading
//!
//! The reader takes a header row and one paper per row:
//!
//! - Columns are matched by header name, ignoring case and surrounding
//!   spaces, in any order; missing columns stay empty. Besides the columns
//!   above it knows `month`, `day` and `isbn`. Any other column is kept in
//!   the paper's `extra` under its header as written. A header without a
//!   `title` column, or with a column twice, is an error.
//! - A UTF-8 byte order mark is skipped. Invalid UTF-8 is an error naming
//!   its byte offset, line and column.
//! - `authors` is split at `;`; each name is `Family, Given`,
//!   `Family, Suffix, Given` (the suffix one of `Jr.`, `Sr.`, `II`, `III`,
//!   `IV`, with or without the dot), or `Family, Suffix`. Leading words of
//!   the family part that start with a lowercase letter are the particle
//!   (`van den Driessche, George`), never the last word. **A name without a
//!   comma is an organisation** (`OpenAI`). This is the one ambiguity of the
//!   format: a person written without a given name (`Plato`) comes back as
//!   an organisation, and an organisation whose name has a comma comes back
//!   as a person. Names and tags must not contain `;`.
//! - `tags` is split at `;`, each tag trimmed.
//! - `question` and `note` hold one language. The setting `lang` names it
//!   (`en`, `zh`, …); without it, or with `auto`, each text's language is
//!   told by its script ([`paper_model::detect_language`]: `zh` for
//!   Chinese, `ja`, `ko`, else `en`).
//! - The `'` that the writer puts before a formula-like cell is removed,
//!   exactly where the writer would have put it ([`unguard`]); the setting
//!   `csv-raw` keeps cells as they are. `year`, `month` and `day` are never
//!   changed.
//! - `type` must be one of the model's types (`article`, …) or empty
//!   (`misc`); `year`, `month` and `day` must be whole numbers. A bad cell
//!   makes that row an error naming the file, line and column of the cell
//!   and what was expected; the other rows are still read.
//!
//! So CSV written by paper-export reads back to the same papers in every
//! field CSV carries: all but `month`, `day`, `isbn`, `authors_truncated`,
//! `extra`, and the question and note in other languages.
//!
//! ```
//! use paper_format::{Error, Format, Location, PaperSink, ReadOptions, Source, WriteOptions};
//! use paper_model::{CollectionHeader, Paper};
//!
//! let mut writer = paper_csv::Csv.writer(&WriteOptions::default()).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &Paper::new("=1+1", 2024))?;
//! writer.finish(&mut out)?;
//! let text = String::from_utf8(out.clone()).unwrap();
//! assert!(text.ends_with(",'=1+1,,2024,,,,,,,,,,,\n"));
//!
//! // Reading it back removes the guard again.
//! struct Titles(Vec<String>);
//! impl PaperSink for Titles {
//!     fn header(&mut self, _: CollectionHeader) -> Result<(), Error> { Ok(()) }
//!     fn record(&mut self, r: Result<(Paper, Location), Error>) -> Result<(), Error> {
//!         self.0.push(r?.0.title);
//!         Ok(())
//!     }
//! }
//! let reader = paper_csv::Csv.reader(&ReadOptions::default()).unwrap();
//! let mut titles = Titles(Vec::new());
//! reader.read(&mut out.as_slice(), &Source::new("papers.csv"), &mut titles)?;
//! assert_eq!(titles.0, ["=1+1"]);
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod reader;
mod writer;

use paper_format::{Format, FormatInfo, ReadOptions, Reader, WriteOptions, Writer};

pub use reader::{CsvReader, parse_inverted, unguard};
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
    fn reader(&self, options: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(CsvReader::from_options(b',', options)))
    }
}

impl Format for Tsv {
    fn info(&self) -> &FormatInfo {
        &TSV_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(CsvWriter::from_options(b'\t', options)))
    }
    fn reader(&self, options: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(CsvReader::from_options(b'\t', options)))
    }
}
