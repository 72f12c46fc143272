//! Use paper-export as a library: read the built-in collection, keep the
//! papers about vision, and write them as CSV to standard output.
//!
//! Run with `cargo run --example library`.

use std::io::{self, Write};

use paper_format::{Format, WriteOptions};

fn main() -> Result<(), paper_format::Error> {
    let collection = paper_collection::famous_papers();
    let mut writer = paper_csv::Csv
        .writer(&WriteOptions::default())
        .expect("CSV can be written");
    let stdout = io::stdout();
    let mut out = stdout.lock();
    writer.begin(&mut out, &collection.header)?;
    for paper in collection
        .papers
        .iter()
        .filter(|p| p.tags.iter().any(|t| t == "vision"))
    {
        writer.write_paper(&mut out, paper)?;
    }
    writer.finish(&mut out)?;
    out.flush()?;
    Ok(())
}
