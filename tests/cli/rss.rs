//! `--format rss` and `--format atom`: order, `--limit`, the feed flags,
//! the self-link warning and determinism.

use predicates::prelude::*;

use crate::util::paper_export;

/// Runs paper-export and returns stdout as text; the run must succeed.
fn feed(args: &[&str]) -> String {
    let out = paper_export().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The text of every `<name …>…</name>` in order (not unescaped).
fn elements(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    xml.split(&open)
        .skip(1)
        .filter(|rest| rest.starts_with(['>', ' ']))
        .filter_map(|rest| {
            let (_, content) = rest.split_once('>')?;
            content.split_once(&close).map(|(text, _)| text.to_owned())
        })
        .collect()
}

/// The text of every element of the items (or entries), skipping the channel's.
fn item_elements(xml: &str, name: &str) -> Vec<String> {
    let start = xml
        .find("<item>")
        .or_else(|| xml.find("<entry>"))
        .unwrap_or(xml.len());
    elements(&xml[start..], name)
}

fn years(dates: &[String]) -> Vec<i32> {
    dates
        .iter()
        .map(|d| {
            let year = if d.contains(',') {
                d.split(' ').nth(3).unwrap() // Thu, 09 Oct 1986 00:00:00 +0000
            } else {
                &d[..4] // 1986-10-09T00:00:00Z
            };
            year.parse().unwrap()
        })
        .collect()
}

#[test]
fn rss_is_newest_first_by_default_and_sort_overrides() {
    let xml = feed(&["--format", "rss", "-q"]);
    let years = years(&item_elements(&xml, "pubDate"));
    assert_eq!(years.len(), 48);
    assert_eq!(years[0], 2022);
    assert_eq!(years[47], 1943);
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");

    let xml = feed(&["--format", "rss", "-q", "--sort", "input"]);
    let titles = item_elements(&xml, "title");
    assert_eq!(
        titles[0],
        "A Logical Calculus of the Ideas Immanent in Nervous Activity"
    );
    assert_eq!(
        titles[1],
        "The Perceptron: A Probabilistic Model for Information Storage and Organization in the Brain"
    );

    let xml = feed(&["--format", "rss", "-q", "--reverse"]);
    let oldest_first = self::years(&item_elements(&xml, "pubDate"));
    assert_eq!(oldest_first[0], 1943);
    assert!(oldest_first.windows(2).all(|w| w[0] <= w[1]));

    let xml = feed(&["--format", "rss", "-q", "--sort", "title"]);
    let titles = item_elements(&xml, "title");
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| t.to_lowercase());
    assert_eq!(titles, sorted);
}

#[test]
fn atom_is_newest_first_too_and_newest_is_a_sort_key_for_any_format() {
    let xml = feed(&["--format", "atom", "-q"]);
    let years = years(&item_elements(&xml, "published"));
    assert_eq!(years.len(), 48);
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");

    let json = feed(&["--format", "jsonl", "--sort", "newest", "--limit", "2"]);
    let ids: Vec<String> = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"rombach2022high\"", "\"ouyang2022training\""]);
    // Other formats keep the input order by default.
    let first = feed(&["--format", "jsonl", "--limit", "1"]);
    assert!(first.contains("\"id\":\"mcculloch1943logical\""), "{first}");
}

#[test]
fn limit_keeps_the_first_n_after_sorting_for_every_format() {
    let xml = feed(&["--format", "rss", "-q", "--limit", "5"]);
    let all = feed(&["--format", "rss", "-q"]);
    assert_eq!(item_elements(&xml, "item").len(), 5);
    assert_eq!(
        item_elements(&xml, "guid"),
        item_elements(&all, "guid")[..5].to_vec()
    );
    let csv = feed(&["--format", "csv", "--limit", "3"]);
    assert_eq!(csv.lines().count(), 4, "header and three rows");
    let none = paper_export()
        .args(["--format", "atom", "-q", "--limit", "0"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let none = String::from_utf8(none).unwrap();
    assert!(item_elements(&none, "entry").is_empty());
    assert!(none.ends_with("</feed>\n"));
    paper_export()
        .args(["--format", "rss", "--limit", "-1"])
        .assert()
        .code(2);
}

#[test]
fn feed_flags_set_the_channel() {
    let args = [
        "--feed-title",
        "My <reading> list",
        "--feed-link",
        "https://example.org/papers?a=1&b=2",
        "--feed-description",
        "What I read & why",
        "--feed-url",
        "https://example.org/papers.rss",
    ];
    let rss = feed(&[&["--format", "rss"][..], &args].concat());
    assert_eq!(elements(&rss, "title")[0], "My &lt;reading&gt; list");
    assert_eq!(
        elements(&rss, "link")[0],
        "https://example.org/papers?a=1&amp;b=2"
    );
    assert_eq!(elements(&rss, "description")[0], "What I read &amp; why");
    assert!(rss.contains(
        "<atom:link href=\"https://example.org/papers.rss\" rel=\"self\" type=\"application/rss+xml\"/>"
    ));

    let atom = feed(&[&["--format", "atom"][..], &args].concat());
    assert_eq!(elements(&atom, "id")[0], "https://example.org/papers.rss");
    assert_eq!(elements(&atom, "title")[0], "My &lt;reading&gt; list");
    assert_eq!(elements(&atom, "subtitle")[0], "What I read &amp; why");
    assert!(
        atom.contains("<link rel=\"alternate\" href=\"https://example.org/papers?a=1&amp;b=2\"/>")
    );
    assert!(atom.contains("<link rel=\"self\" href=\"https://example.org/papers.rss\""));
}

#[test]
fn without_flags_the_channel_comes_from_the_collection() {
    let rss = feed(&["--format", "rss", "-q"]);
    assert_eq!(elements(&rss, "title")[0], "Famous Deep Learning Papers");
    assert_eq!(elements(&rss, "link")[0], "https://papers.baulab.info/");
    assert!(elements(&rss, "description")[0].starts_with("Forty-eight papers"));
    assert_eq!(elements(&rss, "language"), ["en"]);
    let zh = feed(&["--format", "rss", "-q", "--lang", "zh"]);
    assert_eq!(elements(&zh, "title")[0], "著名深度学习论文");
    assert_eq!(elements(&zh, "language"), ["zh"]);
    assert!(zh.contains("<strong>问题：</strong>"));
}

#[test]
fn a_missing_feed_url_is_warned_about() {
    for format in ["rss", "atom"] {
        paper_export()
            .args(["--format", format])
            .assert()
            .success()
            .stderr(predicate::str::contains("warning: the feed has no <"))
            .stderr(predicate::str::contains("give --feed-url"));
        paper_export()
            .args(["--format", format, "--feed-url", "https://example.org/f"])
            .assert()
            .success()
            .stderr("");
        paper_export()
            .args(["--format", format, "-q"])
            .assert()
            .success()
            .stderr("");
    }
    // Formats that are not feeds never warn about it.
    paper_export()
        .args(["--format", "csv"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn output_is_deterministic_and_dated_by_source_date_epoch() {
    for format in ["rss", "atom"] {
        let a = feed(&["--format", format, "-q"]);
        let b = feed(&["--format", format, "-q"]);
        assert_eq!(a, b);
        let dated = |epoch: &str| {
            let out = paper_export()
                .env("SOURCE_DATE_EPOCH", epoch)
                .args(["--format", format, "-q"])
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let c = dated("1700000000");
        assert_eq!(c, dated("1700000000"));
        assert_ne!(a, c);
        if format == "rss" {
            // Without the timestamp: the newest paper's date, after the items.
            assert_eq!(
                elements(&a, "lastBuildDate"),
                ["Sat, 01 Jan 2022 00:00:00 +0000"]
            );
            assert!(a.find("<lastBuildDate>") > a.rfind("</item>"));
            assert_eq!(
                elements(&c, "lastBuildDate"),
                ["Tue, 14 Nov 2023 22:13:20 +0000"]
            );
            assert!(c.find("<lastBuildDate>") < c.find("<item>"));
        } else {
            assert_eq!(elements(&a, "updated")[0], "2022-01-01T00:00:00Z");
            assert_eq!(elements(&c, "updated")[0], "2023-11-14T22:13:20Z");
            assert!(a.find("<updated>") < a.find("<entry>"));
        }
    }
}

#[test]
fn the_output_extension_chooses_the_feed_and_list_formats_shows_both() {
    let dir = tempfile::tempdir().unwrap();
    for (file, root) in [
        ("papers.rss", "<rss version=\"2.0\""),
        ("papers.atom", "<feed xmlns="),
    ] {
        let path = dir.path().join(file);
        paper_export()
            .args(["-q", "-o"])
            .arg(&path)
            .assert()
            .success();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(root), "{file}");
    }
    paper_export()
        .arg("--list-formats")
        .assert()
        .success()
        .stdout(predicate::str::contains("rss        -     yes    .rss"))
        .stdout(predicate::str::contains("atom       -     yes    .atom"));
}

#[test]
fn the_hostile_fixture_gives_clean_xml() {
    let hostile = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile.json");
    for format in ["rss", "atom"] {
        let xml = feed(&["--format", format, "-q", hostile]);
        assert!(!xml.contains('\u{7}'), "the bell character is removed");
        assert_eq!(item_elements(&xml, "title").len(), 6);
        assert!(xml.contains(
            "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; claims"
        ));
        assert!(xml.contains("https://doi.org/10.1000/xyz_123%3C%3E"));
    }
    let rss = feed(&["--format", "rss", "-q", hostile]);
    // The note's `]]>` is HTML-escaped before it goes into CDATA.
    assert!(rss.contains("and ]]&gt; must not end a CDATA section."));
    assert_eq!(rss.matches("]]>").count(), rss.matches("<![CDATA[").count());
}
