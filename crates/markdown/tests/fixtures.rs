//! The two hand-written fixtures parse to exactly the expected papers:
//! every field of every paper is compared.

use std::collections::BTreeMap;
use std::path::Path;

use paper_format::{Error, Format, Location, PaperSink, ReadOptions, Source};
use paper_markdown::Markdown;
use paper_model::{Author, CollectionHeader, Paper, PaperType, Person, Text};

#[derive(Default)]
struct Collect {
    papers: Vec<Paper>,
    lines: Vec<u64>,
    errors: Vec<String>,
}

impl PaperSink for Collect {
    fn header(&mut self, header: CollectionHeader) -> Result<(), Error> {
        assert_eq!(header, CollectionHeader::default());
        Ok(())
    }
    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error> {
        match record {
            Ok((paper, location)) => {
                assert_eq!(location.column, 1);
                self.papers.push(paper);
                self.lines.push(location.line);
            }
            Err(e) => self.errors.push(e.to_string()),
        }
        Ok(())
    }
}

fn read_fixture(name: &str) -> Collect {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    let reader = Markdown.reader(&ReadOptions::default()).unwrap();
    let mut sink = Collect::default();
    reader
        .read(&mut bytes.as_slice(), &Source::new(name), &mut sink)
        .unwrap();
    assert!(sink.errors.is_empty(), "{:?}", sink.errors);
    sink
}

fn person(family: &str, given: &str) -> Author {
    Author::person(family, given)
}

fn text(lang: &str, s: &str) -> Text {
    [(lang, s)].into_iter().collect()
}

fn paper(id: &str, year: i32, title: &str, authors: Vec<Author>) -> Paper {
    let mut p = Paper::new(title, year);
    p.id = id.to_owned();
    p.kind = PaperType::Misc;
    p.authors = authors;
    p
}

#[test]
fn seed_shaped_chinese_table() {
    let got = read_fixture("seed-shape.zh.md");

    let mut a = paper(
        "quill1951counting",
        1951,
        "Counting Sheep with Relays",
        vec![person("Quill", "Ada"), person("Osterhout", "Bram")],
    );
    a.note = text(
        "zh",
        "机器会数羊吗？Quill和Osterhout用继电器搭出了一个会计数的网络。",
    );

    let mut b = paper(
        "lindqvist1977stability",
        1977,
        "On the Stability of Tiny Recurrent Loops",
        vec![
            person("Lindqvist", "Cora"),
            person("Rao", "Dev Anand"),
            person("Yilmaz", "Elif"),
        ],
    );
    b.note = text("zh", "小循环会失控吗？三位作者给出了一个简单的稳定性判据。");

    let mut c = paper(
        "berg1994gradient",
        1994,
        "Gradient Tricks for Lazy Networks",
        vec![
            Author::Person(Person {
                family: "Berg".into(),
                given: Some("Hanna".into()),
                particle: Some("van der".into()),
                suffix: None,
            }),
            person("Ko", "Jun - Wei"),
            person("Żak", "Piotr"),
        ],
    );
    c.note = text(
        "zh",
        "懒惰的网络也能学习吗？这篇论文列出了十种让梯度保持稳定的小技巧。",
    );

    let mut d = paper(
        // A family name with no Latin form: `h` and a stable hash of it.
        "h6761912008",
        2008,
        "稀疏编码的一个简单解释",
        vec![person("周", "晓明"), person("欧阳", "子涵")],
    );
    d.note = text("zh", "用中文写成的论文也能被读出来吗？可以。");

    let mut e = paper(
        "sohlvarga2019attention",
        2019,
        "Attention to Boring Details",
        vec![person("Sohl - Varga", "Marta")],
    );
    e.note = text("en", "An English note inside a Chinese table.");

    assert_eq!(got.papers, [a, b, c, d, e]);
    assert_eq!(got.lines, [15, 16, 17, 18, 19]);
    assert_eq!(
        got.papers[2].authors[0].display_name(),
        "Hanna van der Berg"
    );
    assert_eq!(
        got.papers[4].authors[0].display_name(),
        "Marta Sohl - Varga"
    );
}

#[test]
fn english_readme_tables() {
    let got = read_fixture("readme-style.md");

    let mut a = paper(
        "delgado1962learning",
        1962,
        "Learning to Sort Beads",
        vec![person("Delgado", "Rosa"), person("Whitfield", "Tom")],
    );
    a.url = Some("https://example.org/beads.pdf".into());
    a.venue = Some("Journal of Toy Problems".into());
    a.note = text(
        "en",
        "The first bead sorter that learned from its mistakes.",
    );

    let mut b = paper(
        "wei1988backpropagation",
        1988,
        "Backpropagation Through Sandcastles",
        vec![
            person("Wei", "Li"),
            Author::Person(Person {
                family: "Carmen Ortiz".into(),
                given: Some("Maria".into()),
                particle: Some("del".into()),
                suffix: None,
            }),
            person("Okafor", "Sam"),
        ],
    );
    b.venue = Some("Proc. of the Beach Workshop".into());
    b.note = text("en", "Showed that *tides* are a regulariser.");

    let mut c = paper(
        "fitzgerald2003plain",
        2003,
        "A Plain Title Without Markup",
        vec![person("Fitzgerald", "Nora")],
    );
    c.authors_truncated = true;

    let mut d = paper("anon2016tiny", 2016, "Tiny Nets, Big Dreams", vec![]);
    d.month = Some(3);
    d.url = Some("https://arxiv.org/pdf/1603.01234.pdf".into());
    d.arxiv = Some("1603.01234".into());
    d.tags = vec!["Shrinking".into()];
    d.extra = BTreeMap::from([("Institute".to_owned(), "Acme Labs".to_owned())]);

    let mut e = paper(
        "anon2021mixtures",
        2021,
        "Mixtures All the Way Down",
        vec![],
    );
    e.month = Some(11);
    e.url = Some("https://arxiv.org/abs/2111.04321v2".into());
    e.arxiv = Some("2111.04321v2".into());
    e.tags = vec!["Scaling".into(), "MoE".into()];
    e.extra = BTreeMap::from([("Institute".to_owned(), "Example U&Acme".to_owned())]);

    assert_eq!(got.papers, [a, b, c, d, e]);
    assert_eq!(got.lines, [13, 14, 15, 26, 27]);
}

#[test]
fn one_language_for_all_notes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-shape.zh.md");
    let bytes = std::fs::read(path).unwrap();
    let mut options = ReadOptions::default();
    options.settings.insert("lang".into(), "en".into());
    let reader = Markdown.reader(&options).unwrap();
    let mut sink = Collect::default();
    reader
        .read(&mut bytes.as_slice(), &Source::new("x.md"), &mut sink)
        .unwrap();
    assert_eq!(sink.papers.len(), 5);
    assert!(sink.papers.iter().all(|p| p.note.0.keys().eq(["en"])));
}
