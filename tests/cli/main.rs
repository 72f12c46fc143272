//! Tests of the `paper-export` binary.

mod anki;
mod util;
