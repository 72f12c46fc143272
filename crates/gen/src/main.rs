//! `paper-gen`: writes N synthetic papers as canonical JSON or JSON Lines.
//!
//! ```text
//! paper-gen --count 1000000 --format jsonl -o papers.jsonl
//! paper-gen --count 10000 | paper-export --from json -f bibtex -o papers.bib
//! ```
//! Other formats: convert the JSON with paper-export.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use paper_format::{Format, WriteOptions};
use paper_model::CollectionHeader;

const USAGE: &str = "usage: paper-gen [--count N] [--seed S] [--format json|jsonl] [-o FILE]
Writes N (default 1000) deterministic synthetic papers to FILE or standard output.";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("paper-gen: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut count = 1000u64;
    let mut seed = 1u64;
    let mut format = "json".to_owned();
    let mut output: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--count" | "-n" => {
                count = value("--count")?
                    .parse()
                    .map_err(|e| format!("--count: {e}"))?
            }
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--format" | "-f" => format = value("--format")?,
            "--output" | "-o" => output = Some(value("--output")?),
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let writer_format: Box<dyn Format> = match format.as_str() {
        "json" => Box::new(paper_json::Json),
        "jsonl" => Box::new(paper_json::JsonLines),
        other => return Err(format!("unknown format `{other}`: json or jsonl")),
    };
    let sink: Box<dyn Write> = match output.as_deref() {
        None | Some("-") => Box::new(io::stdout()),
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?),
    };
    let mut out = BufWriter::with_capacity(256 * 1024, sink);
    let mut writer = writer_format
        .writer(&WriteOptions::default())
        .ok_or("no writer")?;
    let mut header = CollectionHeader::default();
    header.title = format!("{count} synthetic papers (seed {seed})");
    let generator = paper_gen::Generator::new(seed);
    let fail = |e: paper_format::Error| e.to_string();
    writer.begin(&mut out, &header).map_err(fail)?;
    for paper in generator.papers(count) {
        writer.write_paper(&mut out, &paper).map_err(fail)?;
    }
    writer.finish(&mut out).map_err(fail)?;
    out.flush().map_err(|e| e.to_string())
}
