//! Bad input and bad usage: clear messages, the right exit codes, no
//! half-written files.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use predicates::prelude::*;

use crate::util::{binary, fixture, paper_export};

#[test]
fn unknown_format_exits_2_and_names_the_formats() {
    paper_export()
        .args(["--format", "nope"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown output format `nope`"))
        .stderr(predicate::str::contains(
            "bibtex, biblatex, csl-json, ris, json, jsonl, csv, tsv, anki, anki-tsv, rss, atom",
        ));
}

#[test]
fn no_format_and_no_extension_exits_2() {
    paper_export()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give --format NAME"));
    let dir = tempfile::tempdir().unwrap();
    paper_export()
        .arg("-o")
        .arg(dir.path().join("out.unknown"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot tell the format from"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn clap_usage_errors_exit_2() {
    paper_export()
        .args(["--sort", "sideways", "-f", "csv"])
        .assert()
        .code(2);
    paper_export()
        .args(["-f", "csv", "--year", "19x0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --year `19x0`"));
}

#[test]
fn missing_input_exits_1_names_the_file_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    paper_export()
        .current_dir(dir.path())
        .args(["missing.json", "-f", "csv", "-o", "out.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot open missing.json"));
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn failed_run_leaves_an_existing_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "[{\"title\": \"ok\", \"year\": 1}, {\"title\": ").unwrap();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "precious").unwrap();
    paper_export()
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn malformed_json_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"papers\": [\n  {\"title\": \"A\", \"year\": 1999}\n  {\"title\": \"B\"}\n]}",
    )
    .unwrap();
    paper_export()
        .arg(&bad)
        .args(["-f", "csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "bad.json:3:3: expected `,` or `]` after a paper, found `{`",
        ));

    std::fs::write(&bad, "[\n {\"title\": \"A\",\n  \"year\": \"1990\"}\n]").unwrap();
    paper_export()
        .arg(&bad)
        .args(["-f", "csv"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("bad.json:3:").and(predicate::str::contains(
                "invalid type: string \"1990\", expected i32",
            )),
        );
}

#[test]
fn invalid_papers_fail_unless_keep_going() {
    let input = "{\"title\":\"Good\",\"year\":2000}\n{\"title\":\"Bad month\",\"year\":2000,\"month\":13}\n{\"title\":\"Also good\",\"year\":2001}\n";
    paper_export()
        .args(["-", "--from", "jsonl", "-f", "csv"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "<stdin>:2:1: paper #2, field `month`: month 13 is not between 1 and 12",
        ));
    let out = paper_export()
        .args(["-", "--from", "jsonl", "-f", "csv", "--keep-going"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(text.contains("Also good") && !text.contains("Bad month"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("1 bad record(s) left out"), "{stderr}");
}

#[test]
fn stdin_needs_from() {
    paper_export()
        .args(["-", "-f", "csv"])
        .write_stdin("[]")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "reading standard input needs --from",
        ));
}

#[test]
fn unknown_input_extension_exits_2() {
    paper_export()
        .arg(fixture("hostile.json").with_extension("xyz"))
        .args(["-f", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give --from"));
}

#[test]
fn closed_pipe_ends_quietly_with_0() {
    let mut child = std::process::Command::new(binary())
        .args(["--format", "csv"])
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("id,type,title,"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn empty_input_is_an_error_with_its_place() {
    paper_export()
        .args(["-", "--from", "json", "-f", "csv"])
        .write_stdin("  \n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<stdin>:2:1: the input is empty"));
}
