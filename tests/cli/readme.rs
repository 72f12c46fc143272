//! Every command in the README's "Use" section runs and succeeds.

use std::path::Path;
use std::process::Command;

use crate::util::{binary, fixture};

/// The `paper-export …` lines of the first `sh` block after `## Use`.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(fixture("../../README.md")).expect("README.md");
    let section = readme.split("\n## Use\n").nth(1).expect("a Use section");
    let block = section.split("```sh\n").nth(1).expect("an sh block");
    let block = block.split("```").next().unwrap_or_default();
    block
        .lines()
        .filter(|line| line.starts_with("paper-export"))
        .map(|line| line.split(" # ").next().unwrap_or(line).trim().to_owned())
        .collect()
}

#[test]
fn readme_usage_examples_work() {
    let commands = readme_commands();
    assert!(commands.len() >= 10, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    let run = |line: &str, dir: &Path| {
        let bin_dir = binary().parent().unwrap().to_owned();
        let path = format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("sh")
            .arg("-c")
            .arg(line)
            .current_dir(dir)
            .env("PATH", path)
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap()
    };
    // The inputs the examples name.
    std::fs::copy(
        fixture("../../examples/papers.json"),
        dir.path().join("my-papers.json"),
    )
    .unwrap();
    for setup in [
        "paper-export -q -f bibtex --year ..1990 -o refs.bib",
        "paper-export -q -f ris --year 1991..2000 -o refs.ris",
        "paper-export -q -f bibtex --year 2001..2015 -o a.bib",
        "paper-export -q -f csv --year 2012.. -o b.csv",
    ] {
        assert!(run(setup, dir.path()).status.success(), "{setup}");
    }
    for line in &commands {
        let out = run(line, dir.path());
        assert!(
            out.status.success(),
            "`{line}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if line.contains(" -f json") || line.contains("--format json") {
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(!json["papers"].as_array().unwrap().is_empty(), "{line}");
        }
    }
    for written in [
        "famous.bib",
        "famous.csl.json",
        "famous-papers.apkg",
        "papers.csv",
        "papers.rss",
    ] {
        let len = std::fs::metadata(dir.path().join(written))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len > 1000, "{written} was not written");
    }
}

#[test]
fn readme_library_example_is_the_example_program() {
    let readme = std::fs::read_to_string(fixture("../../README.md")).unwrap();
    let snippet = readme
        .split("```rust\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a rust block");
    let example = std::fs::read_to_string(fixture("../../examples/library.rs")).unwrap();
    let code: String = example
        .lines()
        .filter(|l| !l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(code.trim(), snippet.trim());
}
