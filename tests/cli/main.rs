//! Tests of the `paper-export` binary.

mod csl;
mod ris;
mod util;
