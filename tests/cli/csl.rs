//! `--format csl-json` and `--from csl-json`.

use serde_json::Value;

use crate::util::paper_export;

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn hostile() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile.json")
}

#[test]
fn builtin_collection_as_csl_json() {
    let text = stdout(paper_export().args(["--format", "csl-json"]));
    let items: Vec<Value> = serde_json::from_str(&text).expect("JSON");
    assert_eq!(items.len(), 48);
    assert_eq!(items[0]["id"], "mcculloch1943logical");
    assert_eq!(items[0]["citation-key"], "mcculloch1943logical");
    assert_eq!(items[0]["type"], "article-journal");
    assert_eq!(
        items[0]["issued"]["date-parts"],
        serde_json::json!([[1943]])
    );
    assert!(text.starts_with("[\n  {\n    \"id\": "));
    assert!(text.ends_with("\n  }\n]\n"));
    // Deterministic, and the alias names the same format.
    assert_eq!(stdout(paper_export().args(["--format", "csljson"])), text);
}

#[test]
fn output_extension_csl_json_beats_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.csl.json");
    paper_export()
        .args(["--year", "1997", "-o"])
        .arg(&path)
        .assert()
        .success();
    let items: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], "hochreiter1997long");
    // The same file is read back as CSL-JSON by its extension.
    let back = stdout(paper_export().arg(&path).args(["--format", "json"]));
    let back: Value = serde_json::from_str(&back).unwrap();
    assert_eq!(back["papers"][0]["title"], "Long Short-Term Memory");
    assert_eq!(back["papers"][0]["type"], "article");
}

#[test]
fn hostile_fixture_converts_both_ways() {
    let csl = stdout(paper_export().arg(hostile()).args(["--format", "csl-json"]));
    let json = stdout(
        paper_export()
            .args(["--from", "csl-json", "-", "--format", "json"])
            .write_stdin(csl),
    );
    let back: Value = serde_json::from_str(&json).unwrap();
    let papers = back["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 6);
    let ids: Vec<&str> = papers.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "script2020",
            "percent2019more",
            "smith2021hyperlink",
            "muller2018deep",
            "muller2018deepa",
            "cjk2017"
        ]
    );
    // Inline HTML is markup in CSL-JSON: `<b>` goes, `<script>` stays text.
    assert_eq!(
        papers[0]["title"],
        "<script>alert(\"x\")</script> & bold claims"
    );
    // Question and note come apart again; the note keeps its markup as text.
    assert_eq!(
        papers[0]["question"]["en"],
        "Does <script> run when the text is shown?"
    );
    assert_eq!(
        papers[0]["note"]["en"],
        "Markup must stay text: <i>not italic</i>, &amp; stays as typed, and ]]> must not end a CDATA section."
    );
    assert_eq!(papers[1]["authors_truncated"], true);
    assert_eq!(
        papers[1]["authors"][2],
        serde_json::json!({"family": "Driessche", "given": "George", "particle": "van den"})
    );
    assert_eq!(papers[1]["arxiv"], "1234.56789");
    assert_eq!(papers[5]["type"], "preprint");
    assert_eq!(papers[5]["arxiv"], "1712.00001");
}

#[test]
fn csl_errors_name_line_and_column() {
    let input = "[\n  {\"id\": \"a\", \"title\": \"A\", \"issued\": {\"date-parts\": [[2001]]}},\n  42,\n  {\"id\": \"b\", \"title\": \"B\", \"issued\": {\"date-parts\": [[2002]]}}\n]\n";
    let out = paper_export()
        .args(["--from", "csl-json", "-", "--format", "json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("<stdin>:3:3: expected a CSL item object `{`, found `4`"),
        "{stderr}"
    );

    let out = paper_export()
        .args([
            "--from",
            "csl-json",
            "-",
            "--format",
            "json",
            "--keep-going",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let back: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(back["papers"].as_array().unwrap().len(), 2);

    let out = paper_export()
        .args(["--from", "csl-json", "-", "--format", "json"])
        .write_stdin("[\n {\"id\": \"a\", \"title\": \"A\"}\n {\"id\": \"b\"}\n]")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("<stdin>:3:2: expected `,` or `]` after an item, found `{`"),
        "{stderr}"
    );
}

#[test]
fn validate_reads_csl_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.csl.json");
    std::fs::write(
        &path,
        "[{\"id\": \"x\", \"type\": \"webpage\", \"URL\": \"https://example.org\"},\n {\"id\": \"y\", \"title\": \"Y\", \"issued\": {\"raw\": \"2020-05\"}}]",
    )
    .unwrap();
    let out = paper_export().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("refs.csl.json:1:2: paper #1 (x), field `title`: missing title"),
        "{report}"
    );
    assert!(report.ends_with(": 2 papers, 2 problem(s)\n"), "{report}");
}

#[test]
fn generated_keys_follow_the_builtin_ids() {
    // Without ids, the built-in collection gets keys made from first
    // author, year and first title word: the ids it was given, but one.
    let json = stdout(paper_export().args(["--format", "json"]));
    let mut collection: Value = serde_json::from_str(&json).unwrap();
    let mut want = Vec::new();
    for paper in collection["papers"].as_array_mut().unwrap() {
        let id = paper.as_object_mut().unwrap().remove("id").unwrap();
        want.push(id.as_str().unwrap().to_owned());
    }
    let csl = stdout(
        paper_export()
            .args(["--from", "json", "-", "--format", "csl-json"])
            .write_stdin(collection.to_string()),
    );
    let items: Vec<Value> = serde_json::from_str(&csl).unwrap();
    let got: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let differ: Vec<(&str, &str)> = want
        .iter()
        .zip(&got)
        .filter(|(w, g)| w != g)
        .map(|(w, g)| (w.as_str(), *g))
        .collect();
    assert_eq!(differ, [("kingma2014autoencoding", "kingma2014auto")]);
}
