//! `--format ris` and `--from ris`.

use crate::util::paper_export;

fn stdout(cmd: &mut assert_cmd::Command) -> Vec<u8> {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn builtin_collection_as_ris() {
    let out = stdout(paper_export().args(["--format", "ris"]));
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("TY  - JOUR\r\nID  - mcculloch1943logical\r\nTI  - A Logical Calculus")
    );
    assert_eq!(text.matches("TY  - ").count(), 48);
    assert_eq!(text.matches("\r\nER  - \r\n").count(), 48);
    assert!(!text.replace("\r\n", "").contains('\n'));
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert_eq!(&line[2..6], "  - ", "{line}");
    }
    assert!(text.contains("\r\nAU  - van den Driessche, George\r\n"));
    assert!(text.contains("\r\nDA  - 1986/10/09/\r\n"));
}

#[test]
fn bom_only_when_asked() {
    let plain = stdout(paper_export().args(["--format", "ris", "--year", "1997"]));
    assert!(plain.starts_with(b"TY  - "));
    let bom = stdout(paper_export().args(["--format", "ris", "--year", "1997", "--bom"]));
    assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom[3..], &plain[..]);
    // A BOM in the input is skipped.
    let json = stdout(
        paper_export()
            .args(["--from", "ris", "-", "--format", "jsonl"])
            .write_stdin(bom),
    );
    let paper: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(paper["id"], "hochreiter1997long");
    assert_eq!(paper["pages"], "1735-1780");
}

#[test]
fn ris_round_trips_through_itself_and_csl_json() {
    let ris = stdout(paper_export().args(["--format", "ris"]));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.ris");
    std::fs::write(&path, &ris).unwrap();
    // By extension, RIS → RIS gives the same bytes.
    let again = stdout(paper_export().arg(&path).args(["--format", "ris"]));
    assert_eq!(again, ris);
    // RIS → CSL-JSON → RIS too.
    let csl = stdout(paper_export().arg(&path).args(["--format", "csl-json"]));
    let back = stdout(
        paper_export()
            .args(["--from", "csl-json", "-", "--format", "ris"])
            .write_stdin(csl.clone()),
    );
    assert_eq!(back, ris);
    // And CSL-JSON → RIS → CSL-JSON.
    let builtin_csl = stdout(paper_export().args(["--format", "csl-json"]));
    assert_eq!(csl, builtin_csl);
}

#[test]
fn ris_errors_name_the_line() {
    let input = "AU  - Stray, Author\r\nTY  - JOUR\r\nTI  - Good\r\nPY  - 2001\r\nER  - \r\nTY  - JOUR\r\nTI  - Cut off\r\nPY  - 2002\r\n";
    let out = paper_export()
        .args(["--from", "ris", "-", "--format", "json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("<stdin>:1:1: `AU` before `TY`: every record starts with `TY  - `"),
        "{stderr}"
    );

    let out = paper_export()
        .args(["--from", "ris", "-", "--format", "json", "--keep-going"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "<stdin>:6:1: the record that starts here has no `ER  - `: the input ends at line 8"
        ),
        "{stderr}"
    );
    let back: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(back["papers"].as_array().unwrap().len(), 1);
    assert_eq!(back["papers"][0]["title"], "Good");
}

#[test]
fn validate_reads_ris() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.ris");
    std::fs::write(
        &path,
        "1.\nTY  - JOUR\nTI  - A\nPY  - 1990\nER  - \n\n2.\nTY  - JOUR\nPY  - 1991\nER  - \n",
    )
    .unwrap();
    let out = paper_export().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("in.ris:8:1: paper #2, field `title`: missing title"),
        "{report}"
    );
    assert!(report.ends_with(": 2 papers, 1 problem(s)\n"), "{report}");
}
