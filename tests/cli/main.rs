//! Tests of the `paper-export` binary.

mod util;
