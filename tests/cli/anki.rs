//! `--format anki` and `anki-tsv`: flags, errors, determinism.

use std::io::Read;
use std::path::Path;

use predicates::str::contains;
use rusqlite::Connection;
use serde_json::Value;

use crate::util::paper_export;

/// Runs paper-export with `args` plus `-o dir/name` and returns the path.
fn export(dir: &Path, name: &str, args: &[&str], epoch: Option<&str>) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut cmd = paper_export();
    cmd.args(args).arg("-o").arg(&path);
    if let Some(epoch) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", epoch);
    }
    cmd.assert().success();
    path
}

/// Unzips the package and opens its collection.
fn open_package(path: &Path, dir: &Path) -> Connection {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut names: Vec<String> = zip
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["collection.anki2", "media"]);
    let mut media = String::new();
    zip.by_name("media")
        .unwrap()
        .read_to_string(&mut media)
        .unwrap();
    assert_eq!(media, "{}");
    let mut db = Vec::new();
    zip.by_name("collection.anki2")
        .unwrap()
        .read_to_end(&mut db)
        .unwrap();
    let db_path = dir.join(format!(
        "{}.anki2",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&db_path, db).unwrap();
    Connection::open(db_path).unwrap()
}

fn col_json(conn: &Connection, column: &str) -> Value {
    let text: String = conn
        .query_row(&format!("SELECT {column} FROM col"), [], |r| r.get(0))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn deck_names(conn: &Connection) -> Vec<String> {
    let mut names: Vec<String> = col_json(conn, "decks")
        .as_object()
        .unwrap()
        .values()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn apkg_from_the_extension_with_the_collection_title_as_deck() {
    let dir = tempfile::tempdir().unwrap();
    let path = export(dir.path(), "famous.apkg", &[], None);
    let conn = open_package(&path, dir.path());
    let (ver, tags): (i64, String) = conn
        .query_row("SELECT ver, tags FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((ver, tags.as_str()), (11, "{}"));
    let notes: i64 = conn
        .query_row("SELECT count() FROM notes", [], |r| r.get(0))
        .unwrap();
    let cards: i64 = conn
        .query_row("SELECT count() FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!((notes, cards), (48, 96));
    assert_eq!(
        deck_names(&conn),
        ["Default", "Famous Deep Learning Papers"]
    );
    let models = col_json(&conn, "models");
    let model = &models[paper_anki::NOTETYPE_ID.to_string()];
    assert_eq!(model["name"], "paper-export Paper v1");
    // The default time is fixed: 2024-01-01.
    let mods: Vec<i64> = conn
        .prepare("SELECT DISTINCT mod FROM notes")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(mods, [paper_anki::DEFAULT_TIMESTAMP]);
    let (key, tags): (String, String) = conn
        .query_row(
            "SELECT flds, tags FROM notes ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(key.starts_with("mcculloch1943logical\u{1f}"), "{key}");
    assert_eq!(tags, " 1940s neuroscience theory ");
}

#[test]
fn deck_flag_and_decade_subdecks() {
    let dir = tempfile::tempdir().unwrap();
    let path = export(
        dir.path(),
        "d.apkg",
        &["--deck", " Study :: DL ", "--subdeck-by", "decade"],
        None,
    );
    let conn = open_package(&path, dir.path());
    let names = deck_names(&conn);
    assert_eq!(&names[..3], ["Default", "Study", "Study::DL"]);
    assert!(names.contains(&"Study::DL::1940s".to_owned()));
    assert!(names.contains(&"Study::DL::2020s".to_owned()));
    assert!(names[3..].iter().all(|n| n.starts_with("Study::DL::")));
    // Every card sits in the subdeck of its note's decade.
    let decks = col_json(&conn, "decks");
    let mut stmt = conn
        .prepare("SELECT c.did, n.tags FROM cards c JOIN notes n ON n.id = c.nid")
        .unwrap();
    let rows: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 96);
    for (did, tags) in rows {
        let deck = decks[did.to_string()]["name"].as_str().unwrap();
        let decade = deck.rsplit("::").next().unwrap();
        assert!(tags.contains(&format!(" {decade} ")), "{deck} {tags}");
    }
}

#[test]
fn chinese_question_on_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let path = export(dir.path(), "zh.apkg", &["--lang", "zh"], None);
    let conn = open_package(&path, dir.path());
    let flds: String = conn
        .query_row("SELECT flds FROM notes ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let fields: Vec<&str> = flds.split('\u{1f}').collect();
    assert_eq!(fields.len(), 8);
    assert!(fields[1].contains('？'), "{}", fields[1]);
    assert_eq!(
        fields[2],
        "A Logical Calculus of the Ideas Immanent in Nervous Activity"
    );
    // The deck is the Chinese title of the collection when it has one.
    assert_eq!(deck_names(&conn).len(), 2);
}

#[test]
fn same_input_same_bytes_and_epoch_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let a = export(dir.path(), "a.apkg", &[], Some("1700000000"));
    let b = export(dir.path(), "b.apkg", &[], Some("1700000000"));
    let c = export(dir.path(), "c.apkg", &[], Some("1700000100"));
    let a = std::fs::read(a).unwrap();
    assert_eq!(a, std::fs::read(b).unwrap());
    assert_ne!(a, std::fs::read(&c).unwrap());
    let conn = open_package(&c, dir.path());
    let (note_mod, crt): (i64, i64) = conn
        .query_row("SELECT n.mod, c.crt FROM notes n, col c LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(note_mod, 1_700_000_100);
    assert_eq!(crt, 1_700_000_100 - 1_700_000_100 % 86_400);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
    let modified = zip.by_index_raw(0).unwrap().last_modified().unwrap();
    assert_eq!(
        (modified.year(), modified.month(), modified.day()),
        (2023, 11, 14)
    );
}

#[test]
fn binary_output_to_a_pipe_or_with_dash_o() {
    let out = paper_export()
        .args(["--format", "anki"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(out.starts_with(b"PK\x03\x04"));
    let dash = paper_export()
        .args(["--format", "anki", "-o", "-"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, dash);
}

#[test]
fn binary_output_to_a_terminal_is_refused() {
    // `script` runs the command with a terminal as standard output.
    let bin = assert_cmd::cargo::cargo_bin("paper-export");
    let run = |extra: &str| {
        std::process::Command::new("script")
            .args(["-qec", &format!("{} --format anki{extra}", bin.display())])
            .arg("/dev/null")
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("script(1) from util-linux runs")
    };
    let refused = run("");
    assert_eq!(refused.status.code(), Some(2));
    let text = String::from_utf8_lossy(&refused.stdout);
    assert!(
        text.contains("anki output is binary; give -o FILE"),
        "{text}"
    );
    let forced = run(" -o - | head -c 4");
    assert!(forced.stdout.starts_with(b"PK\x03\x04"));
}

#[test]
fn empty_deck_name_and_unknown_subdeck_are_usage_errors() {
    paper_export()
        .args(["--format", "anki", "--deck", " :: ", "-o", "-"])
        .assert()
        .code(2)
        .stderr(contains("a deck name needs some text"));
    paper_export()
        .args(["--format", "anki", "--subdeck-by", "venue", "-o", "-"])
        .assert()
        .code(2)
        .stderr(contains("invalid value 'venue'"))
        .stderr(contains("decade"));
}

#[test]
fn repeated_papers_need_dedupe() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dup.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"title\":\"One\",\"year\":2000}\n{\"id\":\"a\",\"title\":\"Again\",\"year\":2001}\n",
    )
    .unwrap();
    let out = dir.path().join("dup.apkg");
    paper_export()
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("two papers are the same note `a`"))
        .stderr(contains("--dedupe"));
    assert!(!out.exists(), "a failed run leaves no file");
    paper_export()
        .arg(&input)
        .args(["--dedupe", "-o"])
        .arg(&out)
        .assert()
        .success();
    let conn = open_package(&out, dir.path());
    let flds: String = conn
        .query_row("SELECT flds FROM notes", [], |r| r.get(0))
        .unwrap();
    assert!(flds.starts_with("a\u{1f}\u{1f}One\u{1f}"), "{flds}");
}

#[test]
fn anki_tsv_has_headers_and_the_package_guids() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = export(
        dir.path(),
        "deck.anki.tsv",
        &["--deck", "Study", "--subdeck-by", "decade"],
        None,
    );
    let text = std::fs::read_to_string(tsv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..8],
        [
            "#separator:tab",
            "#html:true",
            "#columns:Key\tQuestion\tTitle\tAuthors\tYear\tVenue\tLink\tNote\tTags\tDeck\tGUID",
            "#notetype:paper-export Paper v1",
            "#deck:Study",
            "#deck column:10",
            "#tags column:9",
            "#guid column:11",
        ]
    );
    assert_eq!(lines.len(), 8 + 48);
    let first: Vec<&str> = lines[8].split('\t').collect();
    assert_eq!(first.len(), 11);
    assert_eq!(first[0], "mcculloch1943logical");
    assert_eq!(first[8], "1940s neuroscience theory");
    assert_eq!(first[9], "Study::1940s");

    let apkg = export(
        dir.path(),
        "deck.apkg",
        &["--deck", "Study", "--subdeck-by", "decade"],
        None,
    );
    let conn = open_package(&apkg, dir.path());
    let (guid, flds): (String, String) = conn
        .query_row(
            "SELECT guid, flds FROM notes ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(first[10], guid);
    // A cell with a quote is quoted, quotes doubled, as Anki's reader expects.
    assert!(
        first[6].starts_with("\"<a href=\"\"https://doi.org/"),
        "{}",
        first[6]
    );
    let unquoted: Vec<String> = first[..8]
        .iter()
        .map(
            |cell| match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                Some(inner) => inner.replace("\"\"", "\""),
                None => (*cell).to_owned(),
            },
        )
        .collect();
    assert_eq!(unquoted.join("\u{1f}"), flds);
}

#[test]
fn anki_formats_are_listed() {
    paper_export()
        .arg("--list-formats")
        .assert()
        .success()
        .stdout(contains("anki       -     yes    .apkg"))
        .stdout(contains("anki-tsv   -     yes    .anki.tsv .anki.txt"));
}
