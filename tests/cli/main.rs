//! Tests of the `paper-export` binary: every flag, error and exit code.

mod bibtex;
mod errors;
mod export;
mod rss;
mod subcommands;
mod util;
