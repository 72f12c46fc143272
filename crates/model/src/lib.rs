//! The canonical paper model of paper-export.
//!
//! One [`Paper`] type describes a paper in every format; readers produce it
//! and writers consume it. A [`Collection`] is a [`CollectionHeader`] plus
//! papers. The model does no I/O and knows no format: escaping and field
//! mapping live in the format crates.
//!
//! ```
//! use paper_model::{Author, Paper, PaperType};
//!
//! let mut paper = Paper::new("Long Short-Term Memory", 1997);
//! paper.id = "hochreiter1997long".into();
//! paper.kind = PaperType::Article;
//! paper.authors = vec![
//!     Author::person("Hochreiter", "Sepp"),
//!     Author::person("Schmidhuber", "Jürgen"),
//! ];
//! paper.doi = Some("10.1162/neco.1997.9.8.1735".into());
//! assert!(paper.problems().is_empty());
//! ```
#![deny(missing_docs)]

mod author;
mod collection;
mod fingerprint;
mod lang;
mod paper;
mod schema;
mod validate;

pub use author::{Author, Organization, Person};
pub use collection::{Collection, CollectionHeader, SCHEMA_VERSION};
pub use fingerprint::{FingerprintSet, fingerprint};
pub use lang::detect_language;
pub use paper::{Paper, PaperType, Text};
pub use schema::{collection_schema, paper_schema};
pub use validate::{Problem, Severity, Validator, bare_doi, is_valid_doi};
