//! The interfaces every paper-export format implements, the one error type
//! they share, and the registry that lists them.
//!
//! A format is a [`Format`]: its [`FormatInfo`] (name, aliases, extensions,
//! whether it reads, writes, or is binary) and constructors for a [`Writer`]
//! and a [`Reader`]. Writers stream: they get the [`CollectionHeader`], then
//! papers one at a time, then `finish`. Readers push papers into a
//! [`PaperSink`] as they parse them, so neither side holds the whole input.
//!
//! ```
//! use paper_format::{Error, Format, FormatInfo, Registry, WriteOptions, Writer};
//! use paper_model::{CollectionHeader, Paper};
//! use std::io::Write;
//!
//! /// A format that writes one title per line.
//! struct Titles;
//! struct TitlesWriter;
//!
//! impl Writer for TitlesWriter {
//!     fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
//!         writeln!(out, "{}", paper.title)?;
//!         Ok(())
//!     }
//! }
//!
//! static INFO: FormatInfo = FormatInfo {
//!     name: "titles",
//!     aliases: &[],
//!     extensions: &["txt"],
//!     summary: "one title per line",
//!     binary: false,
//! };
//!
//! impl Format for Titles {
//!     fn info(&self) -> &FormatInfo { &INFO }
//!     fn writer(&self, _: &WriteOptions) -> Option<Box<dyn Writer>> { Some(Box::new(TitlesWriter)) }
//! }
//!
//! let mut registry = Registry::new();
//! registry.register(Box::new(Titles));
//! let format = registry.by_extension("out.txt").unwrap();
//! let mut writer = format.writer(&WriteOptions::default()).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &Paper::new("Long Short-Term Memory", 1997))?;
//! writer.finish(&mut out)?;
//! assert_eq!(out, b"Long Short-Term Memory\n");
//! # Ok::<(), Error>(())
//! ```
#![deny(missing_docs)]

pub mod citation_key;
mod collect;
mod error;
pub mod json_scan;
mod options;
pub mod parallel;
mod registry;
mod traits;
mod utf8;

pub use collect::Collect;
pub use error::{Error, Location};
pub use options::{ReadOptions, WriteOptions};
pub use registry::Registry;
pub use traits::{Format, FormatInfo, PaperOrder, PaperSink, Reader, Render, Source, Writer};
pub use utf8::{InvalidUtf8, Utf8Input, str_from_utf8};

pub use paper_model::{CollectionHeader, Paper};
