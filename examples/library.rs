//! Use paper-export as a library: take the built-in collection, keep the
//! papers from 2015 on, and write them as CSV to standard output.
//!
//! Run with `cargo run --example library`. The README shows the same code.

use std::io::{self, Write};

use paper_format::{Format, WriteOptions};

fn main() -> Result<(), paper_format::Error> {
    let collection = paper_collection::famous_papers();
    let mut writer = paper_csv::Csv
        .writer(&WriteOptions::default())
        .expect("CSV is writable");
    let mut out = io::stdout().lock();
    writer.begin(&mut out, &collection.header)?;
    for paper in collection.papers.iter().filter(|p| p.year >= Some(2015)) {
        writer.write_paper(&mut out, paper)?;
    }
    writer.finish(&mut out)?;
    out.flush()?;
    Ok(())
}
