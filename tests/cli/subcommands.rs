//! validate, schema, completions, man, --list-formats, --help.

use predicates::prelude::*;

use crate::util::{fixture, paper_export, stdout_json};

#[test]
fn validate_lists_every_problem_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.json");
    std::fs::write(
        &file,
        r#"{"papers": [
  {"id": "a", "title": "", "year": 2000, "doi": "doi:10.1/x"},
  {"id": "a", "title": "T", "month": 2, "day": 30, "authors": [{"family": ""}]}
]}"#,
    )
    .unwrap();
    let out = paper_export().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].ends_with("list.json:2:3: paper #1 (a), field `title`: missing title"),
        "{text}"
    );
    assert!(
        lines[1].ends_with(
            "paper #1 (a), field `doi`: `doi:10.1/x` is not a bare DOI like 10.1038/323533a0"
        ),
        "{text}"
    );
    assert!(
        lines[2].ends_with("list.json:3:3: paper #2 (a), field `year`: missing year"),
        "{text}"
    );
    assert!(
        lines[3].contains("field `day`: day 30 does not exist in month 2"),
        "{text}"
    );
    assert!(
        lines[4].contains("field `authors[0]`: empty author name"),
        "{text}"
    );
    assert!(lines[5].contains("field `id`: duplicate id `a`"), "{text}");
    assert!(
        lines[6].ends_with("list.json: 2 papers, 6 problem(s)"),
        "{text}"
    );
}

#[test]
fn validate_accepts_good_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("builtin.json");
    let json = paper_export().args(["-f", "json"]).output().unwrap().stdout;
    std::fs::write(&file, json).unwrap();
    paper_export()
        .arg("validate")
        .arg(&file)
        .arg(fixture("hostile.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("builtin.json: 48 papers, ok"))
        .stdout(predicate::str::contains("hostile.json: 6 papers, ok"));
}

#[test]
fn validate_reports_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.json");
    std::fs::write(&file, "[{\"title\": \"x\", \"year\": 1999} x]").unwrap();
    paper_export()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "broken.json:1:31: expected `,` or `]` after a paper, found `x`",
        ));
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = paper_export().arg("schema").output().unwrap();
    let committed = std::fs::read(fixture("../../schema/collection.schema.json")).unwrap();
    assert_eq!(out.stdout, committed);
    let paper = stdout_json(paper_export().args(["schema", "--paper"]));
    assert_eq!(paper["title"], "Paper");
    assert_eq!(paper["required"], serde_json::json!(["title", "year"]));
}

#[test]
fn completions_and_man_page() {
    paper_export()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_paper__export()"));
    paper_export()
        .args(["completions", "zsh"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#compdef paper-export"));
    paper_export()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH paper-export"));
}

#[test]
fn list_formats_shows_every_format() {
    let out = paper_export().arg("--list-formats").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "json       yes   yes    .json",
        "jsonl      yes   yes    .jsonl .ndjson",
        "csv ",
        "tsv ",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
}

#[test]
fn help_shows_examples_and_exit_codes() {
    paper_export()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("paper-export --format bibtex"))
        .stdout(predicate::str::contains(
            "Exit codes: 0 success, 1 bad input or I/O failure, 2 usage error.",
        ));
}

#[test]
fn clap_definition_is_consistent() {
    // The binary's own self-check: a broken definition panics here.
    paper_export().arg("--version").assert().success();
}

#[test]
fn the_example_list_is_valid() {
    paper_export()
        .arg("validate")
        .arg(fixture("../../examples/papers.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("papers.json: 2 papers, ok"));
}
