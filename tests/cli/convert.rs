//! Converting inputs: the readers (JSON Lines, CSV/TSV, Markdown), several
//! inputs at once, duplicates, bad records and invalid UTF-8.

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use crate::util::paper_export;

/// A scratch directory with input files.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        Dir(tempfile::tempdir().unwrap())
    }

    fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

fn stdout_of(args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
    let out = paper_export()
        .args(args.iter().map(|a| a.as_ref()))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ids(text: &str) -> Vec<String> {
    json_lines(text)
        .iter()
        .map(|p| p["id"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/markdown/tests/fixtures")
        .join(name)
}

#[test]
fn several_inputs_of_different_formats_are_read_in_order() {
    let dir = Dir::new();
    let jsonl = dir.file(
        "a.jsonl",
        "{\"id\":\"a1\",\"title\":\"A one\",\"year\":2001}\n{\"id\":\"a2\",\"title\":\"A two\",\"year\":2002}\n",
    );
    let csv = dir.file("b.csv", "title,id,year\nB one,b1,2003\n");
    let md = dir.file("c.md", "| Year | Title |\n|---|---|\n| 2004 | *C one* |\n");
    let out = stdout_of(&[&jsonl, &csv, &md, &"--format", &"jsonl"]);
    assert_eq!(ids(&out), ["a1", "a2", "b1", "anon2004c"]);
    let papers = json_lines(&out);
    assert_eq!(papers[3]["title"], "C one");
    assert_eq!(papers[2]["year"], 2003);
}

#[test]
fn the_first_input_names_the_collection() {
    let dir = Dir::new();
    let first = dir.file(
        "first.json",
        r#"{"title": "First list", "papers": [{"title": "A", "year": 2000}]}"#,
    );
    let second = dir.file(
        "second.json",
        r#"{"title": "Second list", "papers": [{"title": "B", "year": 2001}]}"#,
    );
    let out: Value =
        serde_json::from_str(&stdout_of(&[&first, &second, &"--format", &"json"])).unwrap();
    assert_eq!(out["title"], "First list");
    assert_eq!(out["papers"].as_array().unwrap().len(), 2);
    let out: Value =
        serde_json::from_str(&stdout_of(&[&second, &first, &"--format", &"json"])).unwrap();
    assert_eq!(out["title"], "Second list");
    assert_eq!(out["papers"][0]["title"], "B");
}

#[test]
fn duplicates_are_reported_and_dedupe_keeps_the_first() {
    let dir = Dir::new();
    let a = dir.file(
        "a.jsonl",
        "{\"id\":\"same\",\"title\":\"First\",\"year\":2000}\n{\"id\":\"x\",\"title\":\"DOI one\",\"year\":2000,\"doi\":\"10.1000/ABC\"}\n",
    );
    let b = dir.file(
        "b.csv",
        "id,title,year,doi\nsame,Second,2001,\ny,DOI two,2001,10.1000/abc\n",
    );
    let assert = paper_export()
        .args([&a, &b])
        .args(["--format", "jsonl"])
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let b_name = b.display().to_string();
    assert!(
        stderr.contains(&format!(
            "warning: {b_name}:2:1: paper #3 (same), field `id`: duplicate id `same`"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "warning: {b_name}:3:1: paper #4 (y), field `doi`: duplicate DOI `10.1000/abc`"
        )),
        "{stderr}"
    );
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(ids(&out), ["same", "x", "same", "y"]);

    let assert = paper_export()
        .args([&a, &b])
        .args(["--format", "jsonl", "--dedupe"])
        .assert()
        .success()
        .stderr("");
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let titles: Vec<String> = json_lines(&out)
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles, ["First", "DOI one"]);
}

#[test]
fn a_bad_record_fails_the_run_and_nothing_is_written() {
    let dir = Dir::new();
    let good = dir.file("good.jsonl", "{\"title\":\"Fine\",\"year\":1999}\n");
    let bad = dir.file(
        "bad.csv",
        "title,year,type\nOk,2000,article\nBroken,19x6,article\nAlso ok,2001,book\n",
    );
    let name = bad.display().to_string();
    paper_export()
        .args([&good, &bad])
        .args(["--format", "csv"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "paper-export: error: {name}:3:8: column `year`: expected a whole number such as 1986, found `19x6`\n"
        ));
    let out = dir.path("out.csv");
    paper_export()
        .args([&good, &bad])
        .args(["--format", "csv", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.0.path()).unwrap().count(),
        2,
        "no temporary file left"
    );
}

#[test]
fn keep_going_writes_the_good_records_and_reports_each_bad_one() {
    let dir = Dir::new();
    let bad = dir.file(
        "bad.jsonl",
        "{\"id\":\"a\",\"title\":\"A\",\"year\":1999}\n{\"id\":\"b\",\"title\":\n{\"id\":\"c\",\"title\":\"C\",\"year\":2000,\"doi\":\"nope\"}\n{\"id\":\"d\",\"title\":\"D\",\"year\":2001}\n",
    );
    let name = bad.display().to_string();
    let assert = paper_export()
        .arg(&bad)
        .args(["--format", "jsonl", "--keep-going"])
        .assert()
        .code(1);
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(ids(&out), ["a", "d"]);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with(&format!("paper-export: error: {name}:2:")),
        "{stderr}"
    );
    assert!(lines[0].contains("EOF while parsing"), "{stderr}");
    assert_eq!(
        lines[1],
        format!(
            "paper-export: error: {name}:3:1: paper #2 (c), field `doi`: `nope` is not a bare DOI like 10.1038/323533a0"
        )
    );
    assert_eq!(
        lines[2],
        "paper-export: error: 2 bad record(s) left out; the rest was written"
    );
}

#[test]
fn invalid_utf8_names_the_byte_offset_in_every_reader() {
    let dir = Dir::new();
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "x.jsonl",
            b"{\"title\":\"A\",\"year\":2000}\n{\"title\":\"\xff\"}\n",
            ":2:11: invalid UTF-8 at byte offset 36 (byte 0xff)",
        ),
        (
            "x.json",
            b"[{\"title\": \"\xc3(\"}]",
            ":1:13: invalid UTF-8 at byte offset 12 (byte 0xc3)",
        ),
        (
            "x.csv",
            b"title,year\nok,1999\nbad \xfe,2\n",
            ":3:5: invalid UTF-8 at byte offset 23 (byte 0xfe)",
        ),
        (
            "x.tsv",
            b"title\tyear\n\xe4\xbd\n",
            ":2:1: invalid UTF-8 at byte offset 11 (byte 0xe4)",
        ),
        (
            "x.md",
            b"|Year|Title|\n|-|-|\n|2000|caf\xe9|\n",
            ":3:10: invalid UTF-8 at byte offset 28 (byte 0xe9)",
        ),
    ];
    for (name, content, expected) in cases {
        let path = dir.file(name, content);
        paper_export()
            .arg(&path)
            .args(["--format", "jsonl"])
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "{}{expected}",
                path.display()
            )));
    }
}

#[test]
fn keep_going_past_an_input_that_breaks_off() {
    let dir = Dir::new();
    let broken = dir.file(
        "broken.jsonl",
        b"{\"id\":\"a\",\"title\":\"A\",\"year\":2000}\n\xff\n{\"id\":\"lost\",\"title\":\"L\",\"year\":2000}\n",
    );
    let next = dir.file("next.csv", "id,title,year\nb,B,2001\n");
    let assert = paper_export()
        .args([&broken, &next])
        .args(["--format", "jsonl", "--keep-going"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}:2:1: invalid UTF-8 at byte offset 35 (byte 0xff): the input must be UTF-8 (the rest of {} was skipped)",
            broken.display(),
            broken.display()
        )));
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(ids(&out), ["a", "b"]);
}

/// JSON and BibTeX are read on the pipeline's own thread (they parse on two
/// threads by themselves); an input that breaks off is skipped the same way.
#[test]
fn keep_going_past_a_broken_json_input_into_a_bibtex_one() {
    let dir = Dir::new();
    let broken = dir.file(
        "broken.json",
        "[{\"id\":\"a\",\"title\":\"A\",\"year\":2000},\n {\"id\":\"lost\", \"title\": \"L\"",
    );
    let next = dir.file("next.bib", "@misc{b, title = {B}, year = {2001}}\n");
    let assert = paper_export()
        .args([&broken, &next])
        .args(["--format", "jsonl", "--keep-going"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "(the rest of {} was skipped)",
            broken.display()
        )));
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(ids(&out), ["a", "b"]);
    // Without --keep-going nothing is written.
    paper_export()
        .args([&broken, &next])
        .args(["--format", "jsonl"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn from_overrides_the_extension_and_reads_stdin() {
    let table = "|年份|作者/标题|\n|---|---|\n|1997|Sepp Hochreiter和Jürgen Schmidhuber，*Long Short-Term Memory*|\n";
    let assert = paper_export()
        .args(["-", "--from", "md", "--format", "csv"])
        .write_stdin(table)
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(
        out.lines().nth(1).unwrap(),
        "hochreiter1997long,misc,Long Short-Term Memory,\"Hochreiter, Sepp; Schmidhuber, Jürgen\",1997,,,,,,,,,,,"
    );
    let dir = Dir::new();
    let txt = dir.file("list.txt", table);
    paper_export()
        .arg(&txt)
        .args(["--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give --from"));
    paper_export()
        .arg(&txt)
        .args(["--from", "markdown", "--format", "jsonl"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"id\":\"hochreiter1997long\""));
}

#[test]
fn builtin_csv_and_tsv_read_back_to_the_same_bytes() {
    let dir = Dir::new();
    for (format, lang) in [("csv", "en"), ("csv", "zh"), ("tsv", "en"), ("tsv", "zh")] {
        let first = stdout_of(&[&"--format", &format, &"--lang", &lang]);
        let path = dir.file(&format!("builtin-{lang}.{format}"), &first);
        let again = stdout_of(&[&path, &"--format", &format, &"--lang", &lang]);
        assert_eq!(again, first, "{format} --lang {lang}");
    }
    // With a BOM, too.
    let with_bom = stdout_of(&[&"--format", &"csv", &"--bom"]);
    assert!(with_bom.starts_with('\u{feff}'));
    let path = dir.file("bom.csv", &with_bom);
    assert_eq!(stdout_of(&[&path, &"--format", &"csv", &"--bom"]), with_bom);
}

#[test]
fn builtin_json_lines_read_back_to_the_same_collection() {
    let dir = Dir::new();
    let json: Value = serde_json::from_str(&stdout_of(&[&"--format", &"json"])).unwrap();
    let jsonl = dir.file("builtin.jsonl", stdout_of(&[&"--format", &"jsonl"]));
    let again: Value = serde_json::from_str(&stdout_of(&[&jsonl, &"--format", &"json"])).unwrap();
    assert_eq!(again["papers"], json["papers"]);
    assert_eq!(again["papers"].as_array().unwrap().len(), 48);
}

#[test]
fn csv_notes_go_to_the_language_of_their_text_or_to_input_lang() {
    let dir = Dir::new();
    let csv = dir.file(
        "notes.csv",
        "title,year,note\nA,2000,An English note\nB,2001,一条中文注释\n",
    );
    let papers = json_lines(&stdout_of(&[&csv, &"--format", &"jsonl"]));
    assert_eq!(
        papers[0]["note"],
        serde_json::json!({"en": "An English note"})
    );
    assert_eq!(papers[1]["note"], serde_json::json!({"zh": "一条中文注释"}));
    let papers = json_lines(&stdout_of(&[
        &csv,
        &"--format",
        &"jsonl",
        &"--input-lang",
        &"de",
    ]));
    assert_eq!(
        papers[0]["note"],
        serde_json::json!({"de": "An English note"})
    );
    assert_eq!(papers[1]["note"], serde_json::json!({"de": "一条中文注释"}));
}

#[test]
fn csv_raw_keeps_a_leading_quote_when_reading() {
    let dir = Dir::new();
    let csv = dir.file("guarded.csv", "title,year,venue\n'=1+1,2000,'plain\n");
    let papers = json_lines(&stdout_of(&[&csv, &"--format", &"jsonl"]));
    assert_eq!(papers[0]["title"], "=1+1");
    assert_eq!(papers[0]["venue"], "'plain");
    let papers = json_lines(&stdout_of(&[&csv, &"--format", &"jsonl", &"--csv-raw"]));
    assert_eq!(papers[0]["title"], "'=1+1");
}

#[test]
fn markdown_fixtures_convert_to_csv() {
    let out = stdout_of(&[
        &fixture("seed-shape.zh.md"),
        &fixture("readme-style.md"),
        &"--format",
        &"csv",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 11);
    assert_eq!(
        lines[3],
        "berg1994gradient,misc,Gradient Tricks for Lazy Networks,\"van der Berg, Hanna; Ko, Jun - Wei; Żak, Piotr\",1994,,,,,,,,,,,懒惰的网络也能学习吗？这篇论文列出了十种让梯度保持稳定的小技巧。"
    );
    assert_eq!(
        lines[6],
        "delgado1962learning,misc,Learning to Sort Beads,\"Delgado, Rosa; Whitfield, Tom\",1962,Journal of Toy Problems,,,,,,,https://example.org/beads.pdf,,,The first bead sorter that learned from its mistakes."
    );
    assert_eq!(
        lines[10],
        "anon2021mixtures,misc,Mixtures All the Way Down,,2021,,,,,,,2111.04321v2,https://arxiv.org/abs/2111.04321v2,Scaling; MoE,,"
    );
}

#[test]
fn list_formats_shows_the_readers() {
    paper_export()
        .arg("--list-formats")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "markdown   yes   -      .md .markdown",
        ))
        .stdout(predicate::str::contains("csv        yes   yes    .csv"));
}
