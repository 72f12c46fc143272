//! `--format bibtex` and `--format biblatex`, their flags, and `.bib` input.

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{fixture, paper_export, stdout_json};

/// Runs paper-export and returns stdout as text; the run must succeed.
fn run(args: &[&str]) -> String {
    let out = paper_export().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The citation keys, in order.
fn keys(bib: &str) -> Vec<String> {
    bib.lines()
        .filter(|l| l.starts_with('@'))
        .map(|l| l[l.find('{').unwrap() + 1..l.len() - 1].to_owned())
        .collect()
}

/// The lines of the entry with this key.
fn entry<'a>(bib: &'a str, key: &str) -> &'a str {
    let start = bib.find(&format!("{{{key},\n")).expect("entry");
    let end = bib[start..].find("\n}\n").unwrap() + start;
    &bib[start..end]
}

#[test]
fn builtin_as_bibtex_uses_the_ids_as_keys() {
    let bib = run(&["--format", "bibtex"]);
    let json = stdout_json(paper_export().args(["--format", "json"]));
    let ids: Vec<&str> = json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(keys(&bib), ids);
    let lstm = entry(&bib, "hochreiter1997long");
    assert!(
        lstm.starts_with(
            "{hochreiter1997long,\n  author = {Hochreiter, Sepp and Schmidhuber, J{\\\"u}rgen},"
        ),
        "{lstm}"
    );
    assert!(
        lstm.contains("  journal = {Neural Computation},\n"),
        "{lstm}"
    );
    assert!(entry(&bib, "lettvin1959what").contains("  month = nov,\n"));
    assert!(lstm.contains("  pages = {1735--1780},\n"), "{lstm}");
    assert!(bib.contains("@book{minsky1969perceptrons,"));
    assert!(bib.contains("@misc{mnih2013playing,"));
    assert!(bib.contains("  eprint = {1312.5602},\n  archivePrefix = {arXiv},"));
    assert_eq!(bib.matches("  annote = {").count(), 48);
    // The same bytes every time.
    assert_eq!(bib, run(&["--format", "bib"]));
}

#[test]
fn output_extension_picks_the_dialect() {
    let dir = tempfile::tempdir().unwrap();
    let bib = dir.path().join("refs.bib");
    let biblatex = dir.path().join("refs.biblatex.bib");
    paper_export().arg("-o").arg(&bib).assert().success();
    paper_export().arg("-o").arg(&biblatex).assert().success();
    let bib = std::fs::read_to_string(bib).unwrap();
    let biblatex = std::fs::read_to_string(biblatex).unwrap();
    assert!(bib.contains("  journal = {Neural Computation},"));
    assert!(biblatex.contains("  journaltitle = {Neural Computation},"));
    assert!(biblatex.contains("  date = {1959-11},"));
    assert!(biblatex.contains("Schmidhuber, Jürgen"));
    assert_eq!(biblatex.matches("  annotation = {").count(), 48);
}

#[test]
fn no_notes_leaves_the_notes_out() {
    for format in ["bibtex", "biblatex"] {
        let bib = run(&["--format", format, "--no-notes"]);
        assert!(!bib.contains("annot"), "{format}");
        assert_eq!(keys(&bib).len(), 48);
    }
}

#[test]
fn lang_picks_the_note_language() {
    let bib = run(&["--format", "bibtex", "--lang", "zh", "--year", "1997"]);
    let note = entry(&bib, "hochreiter1997long");
    assert!(
        note.contains("  annote = {Hochreiter 和 Schmidhuber"),
        "{note}"
    );
    // No Chinese note: English.
    let bib = run(&["--format", "bibtex", "--lang", "fr", "--year", "1997"]);
    assert!(
        bib.contains("  annote = {Hochreiter and Schmidhuber"),
        "{bib}"
    );
}

#[test]
fn protect_case_words_or_none() {
    let words = run(&["--format", "bibtex", "--year", "2012"]);
    assert!(
        words.contains(
            "title = {{ImageNet} Classification with Deep Convolutional Neural Networks}"
        ),
        "{words}"
    );
    let default = run(&["--format", "bibtex", "--year", "2019", "--tag", "language"]);
    assert!(
        default.contains("title = {{BERT}: Pre-training"),
        "{default}"
    );
    let none = run(&[
        "--format",
        "bibtex",
        "--year",
        "2019",
        "--protect-case",
        "none",
    ]);
    assert!(none.contains("title = {BERT: Pre-training"), "{none}");
    assert!(!none.contains("{BERT}"));
    paper_export()
        .args(["--format", "bibtex", "--protect-case", "all"])
        .assert()
        .code(2);
}

#[test]
fn unicode_keeps_utf8_in_bibtex() {
    let ascii = run(&["--format", "bibtex", "--year", "1997"]);
    assert!(ascii.contains("Schmidhuber, J{\\\"u}rgen"));
    assert!(ascii.is_ascii());
    let unicode = run(&["--format", "bibtex", "--year", "1997", "--unicode"]);
    assert!(unicode.contains("Schmidhuber, Jürgen"));
    assert!(
        unicode.contains("  journal = {Neural Computation},"),
        "still BibTeX: {unicode}"
    );
}

#[test]
fn hostile_keys_collide_and_are_reported() {
    let path = fixture("hostile.json");
    let out = paper_export()
        .arg(&path)
        .args(["--format", "bibtex"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let bib = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        keys(&bib),
        [
            "script2020",
            "percent2019more",
            "smith2021hyperlink",
            "muller2018deep",
            "muller2018deepa",
            "cjk2017"
        ]
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "paper-export: warning: bibtex: paper #5 (\"Deep Networks and Colliding Keys Again\"): \
         citation key `muller2018deep` is already taken by an earlier paper; writing `muller2018deepa`\n"
    );
    assert!(bib.contains(
        "author = {{OpenAI} and {AT\\&T Labs} and van den Driessche, George and King, Jr., Martin Luther and others}"
    ));
    assert!(bib.contains("title = {50\\% \\& \\{more\\}: \\$x{\\textasciicircum}2\\$ with {C}++ \\& {C}\\# in snake\\_case, {\\textasciitilde}tilde{\\textasciicircum}caret{\\textbackslash}backslash}"));
    assert!(bib.contains("  url = {https://example.org/100\\%25_done?q=a\\%20b},"));
    assert!(bib.contains("  doi = {10.1000/xyz_123<>},"));
    paper_export()
        .arg(&path)
        .args(["--format", "biblatex", "-q"])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains("@misc{cjk2017,"))
        .stdout(predicate::str::contains(
            "url = {https://example.org/100%25_done?q=a%20b}",
        ));
}

/// A `.bib` with a good entry, a bad one and another good one.
const BAD_BIB: &str = "@article{good1, title = {One}, author = {A, B}, year = 2001}\n\
                       \n\
                       @article{bad, title = {Two}, journal = pami, year = 2002}\n\
                       @article{good2, title = {Three}, author = {C, D}, year = 2003}\n";

#[test]
fn a_bad_bib_fails_with_file_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.bib");
    std::fs::write(&input, BAD_BIB).unwrap();
    let output = dir.path().join("out.json");
    paper_export()
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}:3:40: unknown macro `pami`",
            input.display()
        )));
    assert!(!output.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn keep_going_writes_the_good_entries_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.bib");
    std::fs::write(&input, BAD_BIB).unwrap();
    let output = dir.path().join("out.json");
    paper_export()
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("--keep-going")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(":3:40: unknown macro `pami`"))
        .stderr(predicate::str::contains("1 bad record(s) left out"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let ids: Vec<&str> = json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["good1", "good2"]);
}

#[test]
fn an_unclosed_entry_is_reported_where_it_starts() {
    let out = paper_export()
        .args(["--from", "bibtex", "-", "--format", "jsonl", "--keep-going"])
        .write_stdin("@article{a, title = {One}, year = 2001}\n@article{b, title = {Two,\n@article{c, title = {Three}, year = 2003}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "<stdin>:2:1: this entry is not closed: a `}` is missing before the entry at line 3"
        ),
        "{stderr}"
    );
    let lines = String::from_utf8(out.stdout).unwrap();
    assert_eq!(lines.lines().count(), 2);
}

#[test]
fn bibtex_reads_back_into_the_same_papers() {
    let original = stdout_json(paper_export().args(["--format", "json"]));
    for format in ["bibtex", "biblatex"] {
        let dir = tempfile::tempdir().unwrap();
        let bib = dir.path().join("refs.bib");
        paper_export()
            .args(["--format", format, "-o"])
            .arg(&bib)
            .assert()
            .success();
        let back = stdout_json(paper_export().arg(&bib).args(["--format", "json"]));
        let (want, got) = (&original["papers"], &back["papers"]);
        assert_eq!(got.as_array().unwrap().len(), 48);
        for (w, g) in want.as_array().unwrap().iter().zip(got.as_array().unwrap()) {
            let mut w = w.clone();
            // BibTeX carries one note (English by default) and no question.
            w.as_object_mut().unwrap().remove("question");
            w["note"] = serde_json::json!({"en": w["note"]["en"]});
            assert_eq!(g, &w, "{format}");
        }
    }
}

#[test]
fn a_latin1_entry_costs_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("latin1.bib");
    std::fs::write(
        &input,
        b"@article{a, title = {caf\xe9}, year = 2001}\n@article{b, title = {ok}, year = 2002}\n",
    )
    .unwrap();
    let out = paper_export()
        .arg(&input)
        .args(["--format", "jsonl", "--keep-going"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"id\":\"b\",\"type\":\"article\",\"title\":\"ok\",\"year\":2002}\n"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(":1:25: this entry is not valid UTF-8"),
        "{stderr}"
    );
}

/// `-o /dev/null` (or any device or pipe) is written to, never replaced by
/// a renamed file. Tried on a FIFO, so that a failure breaks nothing.
#[cfg(unix)]
#[test]
fn a_pipe_as_output_stays_a_pipe() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.bib");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::fs::File::open(reader_path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    });
    paper_export()
        .args(["--format", "bibtex", "--year", "1997", "-o"])
        .arg(&fifo)
        .assert()
        .success();
    let text = reader.join().unwrap();
    assert!(text.starts_with("@article{hochreiter1997long,"), "{text}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}
