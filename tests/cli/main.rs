//! Tests of the `paper-export` binary: every flag, error and exit code.

mod anki;
mod bibtex;
mod convert;
mod csl;
mod errors;
mod export;
mod readme;
mod ris;
mod rss;
mod subcommands;
mod util;
