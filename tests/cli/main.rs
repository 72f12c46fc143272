//! Tests of the `paper-export` binary.

mod rss;
mod util;
