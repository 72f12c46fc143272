//! Round-trip properties of the readers and writers:
//!
//! - JSON → JSON Lines → JSON keeps every field.
//! - JSON → CSV (and TSV) → JSON keeps every field CSV carries.
//!
//! The CSV strategy stays inside what CSV can say without ambiguity (see the
//! paper-csv docs): persons have a given name, names and tags have no `,`
//! or `;`, a family name does not start with a lowercase word.

use std::collections::BTreeMap;

use paper_csv::{CsvReader, CsvWriter};
use paper_format::{Error, Location, PaperSink, Reader, Source, Writer};
use paper_json::{JsonLinesReader, JsonLinesWriter, JsonReader, JsonWriter};
use paper_model::{Author, CollectionHeader, Organization, Paper, PaperType, Person, Text};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;

#[derive(Default)]
struct Collect {
    header: Option<CollectionHeader>,
    papers: Vec<Paper>,
}

impl PaperSink for Collect {
    fn header(&mut self, header: CollectionHeader) -> Result<(), Error> {
        self.header = Some(header);
        Ok(())
    }
    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error> {
        self.papers.push(record?.0);
        Ok(())
    }
}

fn write(writer: &mut dyn Writer, header: &CollectionHeader, papers: &[Paper]) -> Vec<u8> {
    let mut out = Vec::new();
    writer.begin(&mut out, header).unwrap();
    for p in papers {
        writer.write_paper(&mut out, p).unwrap();
    }
    writer.finish(&mut out).unwrap();
    out
}

fn read(reader: &dyn Reader, bytes: &[u8]) -> Collect {
    let mut sink = Collect::default();
    reader
        .read(&mut &bytes[..], &Source::new("mem"), &mut sink)
        .unwrap();
    sink
}

// ---- strategies -----------------------------------------------------------

fn kind() -> impl Strategy<Value = PaperType> {
    proptest::sample::select(PaperType::ALL.to_vec())
}

/// Any text, with a bias towards what breaks formats.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[=+@'\\-\t\r\n\",;{}\\\\%&#_$~^<> a-zA-Zé何＝＋]{0,12}",
    ]
}

fn lang_text() -> impl Strategy<Value = Text> {
    btree_map(
        proptest::sample::select(vec!["en".to_owned(), "zh".to_owned(), "de".to_owned()]),
        text(),
        0..3,
    )
    .prop_map(Text)
}

fn any_author() -> impl Strategy<Value = Author> {
    prop_oneof![
        text().prop_map(|literal| Author::Organization(Organization { literal })),
        (
            text(),
            option::of(text()),
            option::of(text()),
            option::of(text())
        )
            .prop_map(|(family, given, particle, suffix)| Author::Person(Person {
                family,
                given,
                particle,
                suffix
            })),
    ]
}

prop_compose! {
    fn any_paper()(
        (id, kind, title, authors, authors_truncated, year, month, day) in (
            text(), kind(), text(), vec(any_author(), 0..4), any::<bool>(),
            option::of(any::<i32>()), option::of(any::<u8>()), option::of(any::<u8>()),
        ),
        (venue, volume, number, pages, publisher, doi, arxiv, url, isbn) in (
            option::of(text()), option::of(text()), option::of(text()), option::of(text()),
            option::of(text()), option::of(text()), option::of(text()), option::of(text()),
            option::of(text()),
        ),
        tags in vec(text(), 0..3),
        question in lang_text(),
        note in lang_text(),
        extra in btree_map(text(), text(), 0..3),
    ) -> Paper {
        let mut p = Paper::default();
        p.id = id; p.kind = kind; p.title = title; p.authors = authors;
        p.authors_truncated = authors_truncated; p.year = year; p.month = month; p.day = day;
        p.venue = venue; p.volume = volume; p.number = number; p.pages = pages;
        p.publisher = publisher; p.doi = doi; p.arxiv = arxiv; p.url = url; p.isbn = isbn;
        p.tags = tags; p.question = question; p.note = note; p.extra = extra;
        p
    }
}

/// A name part: capitalised words, no `,` `;`, no surrounding spaces.
fn name_part() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{0,7}( [A-Z]\\.)?",
        proptest::sample::select(vec![
            "Łukasz".to_owned(),
            "Jürgen".to_owned(),
            "恺明".to_owned(),
            "Sohl-Dickstein".to_owned(),
            "O'Neil".to_owned(),
            "=Formula".to_owned(),
            "Jun - Yan".to_owned(),
        ]),
    ]
}

fn csv_author() -> impl Strategy<Value = Author> {
    prop_oneof![
        "[A-Z][A-Za-z&. ]{0,10}[A-Za-z.]".prop_map(Author::organization),
        (
            name_part(),
            name_part(),
            option::of(proptest::sample::select(vec![
                "van".to_owned(),
                "van den".to_owned(),
                "de la".to_owned(),
                "von".to_owned(),
            ])),
            option::of(proptest::sample::select(vec![
                "Jr.".to_owned(),
                "III".to_owned(),
            ])),
        )
            .prop_map(|(family, given, particle, suffix)| Author::Person(Person {
                family,
                given: Some(given),
                particle,
                suffix,
            })),
    ]
}

fn csv_tag() -> impl Strategy<Value = String> {
    "[^;\\s][^;\r\n]{0,8}".prop_filter("trimmed", |t| t.trim() == t && !t.is_empty())
}

/// A paper within what CSV says unambiguously; the other fields arbitrary,
/// so that the projection has something to drop.
fn csv_paper() -> impl Strategy<Value = Paper> {
    (any_paper(), vec(csv_author(), 0..4), vec(csv_tag(), 0..3)).prop_map(
        |(mut p, authors, tags)| {
            p.authors = authors;
            p.tags = tags;
            p
        },
    )
}

// ---- projections ----------------------------------------------------------

/// What the JSON writer keeps: a text in no language is left out.
fn json_kept(mut p: Paper) -> Paper {
    if p.question.is_empty() {
        p.question = Text::default();
    }
    if p.note.is_empty() {
        p.note = Text::default();
    }
    p
}

/// What CSV carries, read back with the setting `lang` = `en`.
fn csv_kept(p: &Paper) -> Paper {
    let one = |t: &Text| -> Text {
        t.get("en")
            .map(|s| [("en", s)].into_iter().collect())
            .unwrap_or_default()
    };
    let some = |o: &Option<String>| o.clone().filter(|s| !s.is_empty());
    let mut q = Paper::default();
    q.id = p.id.clone();
    q.kind = p.kind;
    q.title = p.title.clone();
    q.authors = p.authors.clone();
    q.year = p.year;
    q.venue = some(&p.venue);
    q.volume = some(&p.volume);
    q.number = some(&p.number);
    q.pages = some(&p.pages);
    q.publisher = some(&p.publisher);
    q.doi = some(&p.doi);
    q.arxiv = some(&p.arxiv);
    q.url = some(&p.url);
    q.tags = p.tags.clone();
    q.question = one(&p.question);
    q.note = one(&p.note);
    q.extra = BTreeMap::new();
    q
}

/// A CSV row of nothing but empty cells is skipped by the reader; the
/// writer never writes one, because `type` is never empty.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_to_json_lines_to_json_keeps_every_field(
        papers in vec(any_paper(), 0..5),
        title in text(),
    ) {
        let mut header = CollectionHeader::default();
        header.title = title;
        let json = write(&mut JsonWriter::default(), &header, &papers);
        let first = read(&JsonReader, &json);
        let expected: Vec<Paper> = papers.into_iter().map(json_kept).collect();
        prop_assert_eq!(&first.papers, &expected);
        prop_assert_eq!(first.header.as_ref(), Some(&header));

        let lines = write(&mut JsonLinesWriter::default(), &header, &first.papers);
        prop_assert_eq!(lines.iter().filter(|&&b| b == b'\n').count(), expected.len());
        let back = read(&JsonLinesReader, &lines);
        prop_assert_eq!(&back.papers, &expected);

        let again = write(&mut JsonWriter::default(), &header, &back.papers);
        prop_assert_eq!(again, json);
    }

    #[test]
    fn json_to_csv_to_json_keeps_every_field_csv_carries(
        papers in vec(csv_paper(), 0..5),
        tab in any::<bool>(),
    ) {
        let delimiter = if tab { b'\t' } else { b',' };
        let header = CollectionHeader::default();
        let json = write(&mut JsonWriter::default(), &header, &papers);
        let from_json = read(&JsonReader, &json).papers;

        let csv = write(&mut CsvWriter::new(delimiter, "en", false, true), &header, &from_json);
        let back = read(&CsvReader::new(delimiter, Some("en"), true), &csv).papers;
        let expected: Vec<Paper> = papers.iter().map(csv_kept).collect();
        prop_assert_eq!(&back, &expected);

        // And the CSV written from what was read is the same CSV.
        let json_again = write(&mut JsonWriter::default(), &header, &back);
        let csv_again = write(
            &mut CsvWriter::new(delimiter, "en", false, true),
            &header,
            &read(&JsonReader, &json_again).papers,
        );
        prop_assert_eq!(csv_again, csv);
    }
}
