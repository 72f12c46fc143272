//! Property tests: model → writer → `biblatex` crate parser → model.
//!
//! Every field BibTeX carries comes back equal, for arbitrary Unicode and
//! LaTeX-special strings, in `bibtex` (LaTeX macros and `--unicode`) and
//! `biblatex`. What BibTeX cannot carry is normalised in the expected
//! paper, exactly as the crate documents: whitespace runs become one space,
//! control characters go, the question is not written, and BibLaTeX leaves
//! out fields its data model does not allow for the entry type.

use paper_bibtex::{BibReader, BibWriter, Variant};
use paper_format::{Collect, Reader, Source, Writer};
use paper_model::{Author, Organization, Paper, PaperType, Person, Text};
use proptest::prelude::*;

const SPECIALS: &[char] = &[
    '\\', '{', '}', '$', '&', '%', '#', '_', '~', '^', '<', '>', '|', '"', '\'', '@', ',', '-',
    '-', '\u{2013}', '\u{2014}', '=', ' ', ' ', '\t', '\n', '\u{a0}', '\u{7}', 'é', 'Ł', 'ü', 'ß',
    'ø', 'ı', 'ǐ', 'ễ', '\u{212B}', 'e', '\u{301}', '何', '’', '“', '…', '§', 'A', 'B', 'x', '1',
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(SPECIALS),
            2 => any::<char>(),
            3 => prop::char::range('a', 'z'),
            1 => prop::char::range('A', 'Z'),
        ],
        0..24,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn nonempty_text() -> impl Strategy<Value = String> {
    text().prop_filter("needs text", |s| !normalize(s).is_empty())
}

/// What BibTeX keeps of a text: whitespace runs as one space, ends
/// trimmed, control characters dropped.
fn normalize(s: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if !c.is_control() {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// A name part: no `=` (the crate reads a name with `=` as BibLaTeX's
/// extended name format).
fn name_part() -> impl Strategy<Value = String> {
    nonempty_text()
        .prop_map(|s| s.replace('=', "+"))
        .prop_filter("needs text", |s| !normalize(s).is_empty())
}

fn author() -> impl Strategy<Value = Author> {
    prop_oneof![
        3 => (
            name_part(),
            name_part(),
            prop::option::of(prop::sample::select(&["van", "van den", "de la", "von", "d'"][..])),
            prop::option::of(prop::sample::select(&["Jr.", "III", "Sr."][..])),
        )
            .prop_map(|(family, given, particle, suffix)| {
                Author::Person(Person {
                    family,
                    given: Some(given),
                    particle: particle.map(str::to_owned),
                    suffix: suffix.map(str::to_owned),
                })
            }),
        1 => nonempty_text().prop_map(|literal| Author::Organization(Organization { literal })),
    ]
}

fn link_text() -> impl Strategy<Value = String> {
    "[!-z|]{1,16}".prop_map(|s| s.replace(['{', '}', '\\'], "x"))
}

prop_compose! {
    fn paper()(
        kind in prop::sample::select(&PaperType::ALL[..]),
        id in "[a-z][a-z0-9:_-]{0,8}",
        title in nonempty_text(),
        authors in prop::collection::vec(author(), 0..4),
        truncated in any::<bool>(),
        year in 1000..=9999i32,
        month in prop::option::of(1..=12u8),
        day in prop::option::of(1..=28u8),
        venue in prop::option::of(nonempty_text()),
        volume in prop::option::of(nonempty_text()),
        number in prop::option::of(nonempty_text()),
        pages in prop::option::of("[0-9A-Za-z]{1,5}(-[0-9A-Za-z]{1,5})?"),
        publisher in prop::option::of(nonempty_text()),
        doi in prop::option::of(("[0-9]{4,9}", link_text()).prop_map(|(r, s)| format!("10.{r}/{s}"))),
        url in prop::option::of(link_text().prop_map(|s| format!("https://example.org/{s}"))),
        arxiv in prop::option::of("[0-9]{4}\\.[0-9]{4,5}"),
        isbn in prop::option::of("[0-9X-]{10,17}"),
        tags in prop::collection::vec(nonempty_text().prop_map(|t| t.replace([',', ';'], " ")), 0..3),
        note in prop::option::of(nonempty_text()),
        abstract_ in prop::option::of(nonempty_text()),
    ) -> Paper {
        let mut p = Paper::new(title, year);
        p.kind = kind;
        p.id = id;
        p.authors = authors;
        p.authors_truncated = truncated;
        p.month = month;
        p.day = month.and(day);
        p.venue = venue.filter(|v| !v.trim_start().starts_with("http"));
        p.volume = volume;
        p.number = number;
        p.pages = pages;
        p.publisher = publisher;
        p.doi = doi;
        p.url = url;
        // A misc with an arXiv id reads back as a preprint.
        p.arxiv = if kind == PaperType::Misc { None } else { arxiv };
        p.isbn = isbn;
        p.tags = tags.into_iter().filter(|t| !normalize(t).is_empty()).collect();
        if let Some(note) = note {
            p.note.set("en", note);
        }
        p.question.set("en", "not carried");
        if let Some(a) = abstract_ {
            p.extra.insert("abstract".into(), a);
        }
        p
    }
}

/// The paper as it must come back.
fn expected(p: &Paper, variant: Variant) -> Paper {
    let n = |s: &Option<String>| s.as_deref().map(normalize).filter(|s| !s.is_empty());
    let mut e = Paper::new(normalize(&p.title), p.year.unwrap_or(0));
    e.id = p.id.clone();
    e.kind = p.kind;
    e.year = p.year;
    e.month = p.month;
    e.day = p.day;
    e.authors = p
        .authors
        .iter()
        .map(|a| match a {
            Author::Organization(o) => Author::organization(normalize(&o.literal)),
            Author::Person(person) => Author::Person(Person {
                family: normalize(&person.family),
                given: n(&person.given),
                particle: person.particle.clone(),
                suffix: person.suffix.clone(),
            }),
        })
        .collect();
    e.authors_truncated = p.authors_truncated;
    e.venue = n(&p.venue);
    e.volume = n(&p.volume);
    e.number = n(&p.number);
    e.pages = p.pages.clone();
    e.publisher = n(&p.publisher);
    e.doi = p.doi.clone();
    e.url = p.url.clone();
    e.arxiv = p.arxiv.clone();
    e.isbn = n(&p.isbn);
    e.tags = p.tags.iter().map(|t| normalize(t)).collect();
    e.note = Text::default();
    if let Some(note) = p.note.get("en") {
        e.note.set("en", normalize(note));
    }
    if let Some(a) = p.extra.get("abstract") {
        e.extra.insert("abstract".into(), normalize(a));
    }
    if variant == Variant::Biblatex {
        let web_only =
            p.kind == PaperType::Misc && e.venue.is_none() && e.doi.is_none() && e.url.is_some();
        match p.kind {
            PaperType::Article => {
                e.publisher = None;
                e.isbn = None;
            }
            PaperType::Phdthesis => {
                e.volume = None;
                e.number = None;
                e.isbn = None;
            }
            PaperType::Techreport => {
                e.volume = None;
                e.isbn = None;
            }
            PaperType::Preprint | PaperType::Misc => {
                e.volume = None;
                e.number = None;
                e.pages = None;
                e.isbn = None;
                if web_only {
                    e.venue = None;
                }
            }
            _ => {}
        }
    }
    e
}

fn round_trip(papers: &[Paper], writer: BibWriter) -> Result<(), TestCaseError> {
    let mut writer = writer.on_warning(Box::new(|_: &str| {}));
    let mut out = Vec::new();
    for p in papers {
        writer.write_paper(&mut out, p).unwrap();
    }
    let text = String::from_utf8(out).unwrap();
    // The crate's own parser takes the whole file at once.
    let bibliography = biblatex::Bibliography::parse(&text)
        .map_err(|e| TestCaseError::fail(format!("biblatex crate: {e}\n{text}")))?;
    prop_assert_eq!(bibliography.len(), papers.len());
    let mut sink = Collect::default();
    BibReader
        .read(&mut text.as_bytes(), &Source::new("out.bib"), &mut sink)
        .unwrap();
    prop_assert!(sink.errors.is_empty(), "{:?}\n{}", sink.errors, text);
    prop_assert_eq!(sink.papers.len(), papers.len());
    Ok(())
}

fn all_text(p: &Paper) -> String {
    let mut all = p.title.clone();
    for a in &p.authors {
        all.push_str(&a.display_name());
    }
    for f in [&p.venue, &p.volume, &p.number, &p.publisher, &p.isbn]
        .into_iter()
        .flatten()
    {
        all.push_str(f);
    }
    all.extend(p.tags.iter().map(String::as_str));
    all.extend(p.note.0.values().map(String::as_str));
    all.extend(p.extra.values().map(String::as_str));
    all
}

/// The output of a writer given every paper directly, and of one given
/// each paper with its fields rendered ahead (as the command line does, on
/// another thread).
fn direct_and_rendered(papers: &[Paper], variant: Variant, unicode: bool) -> (String, String) {
    let quiet = || {
        BibWriter::new(variant)
            .unicode(unicode)
            .on_warning(Box::new(|_: &str| {}))
    };
    let (mut direct, mut ahead) = (quiet(), quiet());
    let renderer = ahead.renderer().unwrap();
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for p in papers {
        direct.write_paper(&mut one, p).unwrap();
        let fields = renderer.render(p).unwrap();
        ahead.write_rendered(&mut two, p, &fields).unwrap();
    }
    (
        String::from_utf8(one).unwrap(),
        String::from_utf8(two).unwrap(),
    )
}

fn check(papers: &[Paper], variant: Variant, unicode: bool) -> Result<(), TestCaseError> {
    // Colliding and missing ids included: keys are given in order either way.
    let (direct, rendered) = direct_and_rendered(papers, variant, unicode);
    prop_assert_eq!(direct, rendered);
    let mut unique: Vec<Paper> = papers.to_vec();
    for (i, p) in unique.iter_mut().enumerate() {
        p.id = format!("{}{i}", p.id);
    }
    round_trip(&unique, BibWriter::new(variant).unicode(unicode))?;
    let mut writer = BibWriter::new(variant)
        .unicode(unicode)
        .on_warning(Box::new(|_: &str| {}));
    let mut out = Vec::new();
    for p in &unique {
        writer.write_paper(&mut out, p).unwrap();
    }
    let text = String::from_utf8(out).unwrap();
    if variant == Variant::Bibtex && !unicode {
        // Only characters with no LaTeX macro stay outside ASCII.
        for c in text.chars().filter(|c| !c.is_ascii()) {
            prop_assert!(
                unique.iter().any(|p| all_text(p).contains(c)),
                "{c:?} was invented"
            );
        }
    }
    let mut sink = Collect::default();
    BibReader
        .read(&mut text.as_bytes(), &Source::new("out.bib"), &mut sink)
        .unwrap();
    for ((got, _), original) in sink.papers.iter().zip(&unique) {
        prop_assert_eq!(got, &expected(original, variant), "\n{}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn bibtex_round_trips(papers in prop::collection::vec(paper(), 1..4)) {
        check(&papers, Variant::Bibtex, false)?;
    }

    #[test]
    fn bibtex_unicode_round_trips(papers in prop::collection::vec(paper(), 1..4)) {
        check(&papers, Variant::Bibtex, true)?;
    }

    #[test]
    fn biblatex_round_trips(papers in prop::collection::vec(paper(), 1..4)) {
        check(&papers, Variant::Biblatex, false)?;
    }
}
