//! Exporting: formats, output files, filters, ordering.

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{fixture, paper_export, stdout_json};

#[test]
fn builtin_collection_as_json_has_48_papers_with_both_languages() {
    let json = stdout_json(paper_export().args(["--format", "json"]));
    assert_eq!(json["schema_version"], "1.0");
    assert_eq!(json["title"], "Famous Deep Learning Papers");
    assert_eq!(json["title_translations"]["zh"], "著名深度学习论文");
    let papers = json["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 48);
    for p in papers {
        for lang in ["en", "zh"] {
            assert!(
                p["question"][lang].as_str().is_some_and(|s| !s.is_empty()),
                "{}",
                p["id"]
            );
            assert!(
                p["note"][lang].as_str().is_some_and(|s| !s.is_empty()),
                "{}",
                p["id"]
            );
        }
    }
}

#[test]
fn json_output_reads_back_identically() {
    let first = paper_export().args(["-f", "json"]).output().unwrap().stdout;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("papers.json");
    std::fs::write(&path, &first).unwrap();
    let second = paper_export()
        .arg(&path)
        .args(["-f", "json"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(first, second);
}

#[test]
fn jsonl_has_one_paper_per_line() {
    let out = paper_export().args(["-f", "jsonl"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 48);
    let first: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["id"], "mcculloch1943logical");
}

#[test]
fn csv_header_and_rows() {
    let out = paper_export().args(["--format", "csv"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(
        "id,type,title,authors,year,venue,volume,number,pages,publisher,doi,arxiv,url,tags,question,note\n"
    ));
    assert!(text.contains("rumelhart1986learning,article,Learning Representations by Back-Propagating Errors,\"Rumelhart, David E.; Hinton, Geoffrey E.; Williams, Ronald J.\",1986,Nature,323,6088,533-536,"));
}

#[test]
fn format_comes_from_the_output_extension_and_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("papers.tsv");
    paper_export()
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("id\ttype\ttitle\t"));
    assert_eq!(text.lines().count(), 49);
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn fsync_writes_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.bib");
    let synced = dir.path().join("synced.bib");
    paper_export().arg("-o").arg(&plain).assert().success();
    paper_export()
        .arg("--fsync")
        .arg("-o")
        .arg(&synced)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read(&synced).unwrap();
    assert_eq!(text, std::fs::read(&plain).unwrap());
    let entries = text
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"@"))
        .count();
    assert_eq!(entries, 48);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn lang_picks_the_chinese_question() {
    let out = paper_export()
        .args(["-f", "csv", "--lang", "zh", "--year", "1986"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains('？'), "{text}");
}

#[test]
fn filters_by_year_tag_and_author() {
    let ids = |args: &[&str]| -> Vec<String> {
        let json = stdout_json(paper_export().args(["-f", "json"]).args(args));
        json["papers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&["--year", "..1958"]),
        ["mcculloch1943logical", "rosenblatt1958perceptron"]
    );
    let twenties = ids(&["--year", "2020.."]);
    assert!(
        twenties.len() >= 4 && twenties.iter().all(|id| id.contains("202")),
        "{twenties:?}"
    );
    let bounded = ids(&["--year", "1986..1989"]);
    assert!(bounded.contains(&"rumelhart1986learning".to_owned()));
    assert!(bounded.contains(&"cybenko1989approximation".to_owned()));
    assert!(!bounded.contains(&"elman1990finding".to_owned()));
    assert_eq!(ids(&["--author", "schmidhuber"]), ["hochreiter1997long"]);
    let vision_or_language = ids(&["--tag", "vision", "--tag", "language"]);
    let vision = ids(&["--tag", "vision"]);
    assert!(vision_or_language.len() > vision.len() && !vision.is_empty());
    assert!(ids(&["--tag", "vision", "--author", "nobody-at-all"]).is_empty());
}

#[test]
fn sort_and_reverse() {
    let titles = |args: &[&str]| -> Vec<String> {
        let json = stdout_json(paper_export().args(["-f", "json"]).args(args));
        json["papers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{}|{}", p["year"], p["title"].as_str().unwrap()))
            .collect()
    };
    let by_year = titles(&["--sort", "year"]);
    let years: Vec<i64> = by_year.iter().map(|t| t[..4].parse().unwrap()).collect();
    assert!(years.windows(2).all(|w| w[0] <= w[1]));
    let newest_first = titles(&["--sort", "year", "--reverse"]);
    assert_eq!(newest_first.first().map(|t| &t[..4]), Some("2022"));
    let by_title = titles(&["--sort", "title"]);
    let lower: Vec<String> = by_title.iter().map(|t| t[5..].to_lowercase()).collect();
    assert!(lower.windows(2).all(|w| w[0] <= w[1]));
    let json = stdout_json(paper_export().args(["-f", "json", "--sort", "id"]));
    assert_eq!(json["papers"][0]["id"], "bahdanau2015neural");
    let input_reversed = stdout_json(paper_export().args(["-f", "json", "--reverse"]));
    assert_eq!(input_reversed["papers"][0]["id"], "ouyang2022training");
}

#[test]
fn reads_stdin_with_from() {
    paper_export()
        .args(["-", "--from", "jsonl", "-f", "csv"])
        .write_stdin("{\"title\":\"Stdin paper\",\"year\":2001}\n")
        .assert()
        .success()
        .stdout(predicate::str::contains(",misc,Stdin paper,,2001,"));
}

#[test]
fn bom_and_csv_raw() {
    let out = paper_export()
        .arg(fixture("hostile.json"))
        .args(["-f", "csv", "--bom", "--csv-raw"])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFid,type,"));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(",\"=HYPERLINK(\"\"http"), "{text}");
    let guarded = paper_export()
        .arg(fixture("hostile.json"))
        .args(["-f", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(guarded.stdout).unwrap();
    assert!(text.contains(",\"'=HYPERLINK(\"\"http"), "{text}");
    assert!(text.contains(",'@SUM(1+1),"), "{text}");
}

#[test]
fn several_inputs_are_read_in_order_and_duplicates_reported() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.json");
    std::fs::write(
        &a,
        "{\"id\":\"x\",\"title\":\"First\",\"year\":2000,\"doi\":\"10.1000/same\"}\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        r#"{"title":"B list","papers":[{"id":"y","title":"Second","year":2001,"doi":"10.1000/SAME"},{"id":"z","title":"Third","year":2002}]}"#,
    )
    .unwrap();
    let out = paper_export()
        .arg(&a)
        .arg(&b)
        .args(["-f", "jsonl"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("b.json:1:") && stderr.contains("duplicate DOI `10.1000/SAME`"),
        "{stderr}"
    );

    let out = paper_export()
        .arg(&a)
        .arg(&b)
        .args(["-f", "jsonl", "--dedupe"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains("First") && text.contains("Third") && !text.contains("Second"));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn quiet_hides_warnings_but_not_data() {
    let input = "{\"title\":\"No year\"}\n";
    paper_export()
        .args(["-", "--from", "jsonl", "-f", "csv"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "<stdin>:1:1: paper #1, field `year`: missing year",
        ));
    paper_export()
        .args(["-", "--from", "jsonl", "-f", "csv", "-q"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains(",misc,No year,"));
}

#[test]
fn output_is_deterministic() {
    for format in ["json", "jsonl", "csv", "tsv"] {
        let a = paper_export().args(["-f", format]).output().unwrap().stdout;
        let b = paper_export().args(["-f", format]).output().unwrap().stdout;
        assert_eq!(a, b, "{format}");
    }
}
