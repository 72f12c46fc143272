//! Property: model → CSL-JSON → model keeps every field CSL-JSON carries.

use paper_format::citation_key::base_key;
use paper_format::{Collect, CollectionHeader, Reader, Source, WriteOptions, Writer};
use paper_model::{Author, Organization, Paper, PaperType, Person, Text};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;

use crate::markup::plain_text;
use crate::{CslReader, CslWriter};

/// Text with the characters that break writers: markup, LaTeX and JSON
/// specials, quotes, non-Latin letters, line breaks.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 <>&;#{}%$_~^\\\\\"'/:.,é何Ł\u{1F600}\n\t-]{1,24}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("blank", |s| !s.is_empty())
}

/// Text without what CSL processors read as markup (`<i>`, `&amp;`).
fn plain() -> impl Strategy<Value = String> {
    text().prop_filter("markup", |s| plain_text(s) == *s)
}

/// A name part: trimmed, no line breaks.
fn name_part() -> impl Strategy<Value = String> {
    "[A-Za-zéŁ何'. -]{1,12}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("blank", |s| !s.is_empty())
}

fn author() -> impl Strategy<Value = Author> {
    prop_oneof![
        (
            name_part(),
            option::of(name_part()),
            option::of("(van|de|von der|van den)"),
            option::of("(Jr\\.|III|Sr\\.)"),
        )
            .prop_map(|(family, given, particle, suffix)| {
                Author::Person(Person {
                    family,
                    given,
                    particle,
                    suffix,
                })
            }),
        name_part().prop_map(|literal| Author::Organization(Organization { literal })),
    ]
}

/// `extra` keys the writer turns into CSL variables or `custom` entries
/// and the reader takes back under the same name.
fn extra() -> impl Strategy<Value = std::collections::BTreeMap<String, String>> {
    let key = prop_oneof![
        Just("abstract".to_owned()),
        Just("PMID".to_owned()),
        Just("ISSN".to_owned()),
        Just("language".to_owned()),
        Just("archive_location".to_owned()),
        Just("title-short".to_owned()),
        "x-[a-z]{1,6}",
    ];
    btree_map(key, text(), 0..4)
}

fn language_text() -> impl Strategy<Value = Text> {
    (option::of(text()), option::of(text())).prop_map(|(en, zh)| {
        let mut t = Text::default();
        if let Some(en) = en {
            t.set("en", en);
        }
        if let Some(zh) = zh {
            t.set("zh", zh);
        }
        t
    })
}

prop_compose! {
    fn date()(year in option::of(1000i32..=9999), month in option::of(1u8..=12), day in option::of(1u8..=28))
        -> (Option<i32>, Option<u8>, Option<u8>) {
        let month = year.and(month);
        (year, month, month.and(day))
    }
}

prop_compose! {
    fn paper()(
        id in option::of("[A-Za-z0-9_:-]{1,16}"),
        kind in proptest::sample::select(PaperType::ALL.to_vec()),
        title in plain(),
        authors in vec(author(), 0..4),
        authors_truncated in any::<bool>(),
        (year, month, day) in date(),
        venue in option::of(plain()),
        volume in option::of(text()),
        number in option::of("[0-9]{1,4}"),
        pages in option::of("[0-9]{1,4}(-[0-9]{1,4})?"),
        publisher in option::of(text()),
        doi in option::of("10\\.[0-9]{4,9}/[A-Za-z0-9._<>;()/-]{1,16}"),
        arxiv in option::of("[0-9]{4}\\.[0-9]{5}"),
        url in option::of("https://example\\.org/[a-z0-9?=&%_]{0,12}"),
        isbn in option::of("97[89][0-9]{10}"),
        tags in vec("[a-zA-Z0-9 é何-]{1,12}".prop_map(|t| t.trim().to_owned()).prop_filter("blank", |t| !t.is_empty()), 0..4),
        question in language_text(),
        note in language_text(),
        extra in extra(),
    ) -> Paper {
        let mut p = Paper::new(title, 2000);
        p.id = id.unwrap_or_default();
        p.kind = kind;
        p.authors = authors;
        p.authors_truncated = authors_truncated;
        (p.year, p.month, p.day) = (year, month, day);
        p.venue = venue;
        p.volume = volume;
        p.number = number;
        p.pages = pages;
        p.publisher = publisher;
        p.doi = doi;
        p.arxiv = arxiv;
        p.url = url;
        p.isbn = isbn;
        p.tags = tags;
        p.question = question;
        p.note = note;
        p.extra = extra;
        p
    }
}

/// What the reader should give back: question and note in the language
/// written (as `en`), and the generated key when the paper had no id.
fn expected(paper: &Paper, lang: &str) -> Paper {
    let mut want = paper.clone();
    if want.id.is_empty() {
        want.id = base_key(paper);
    }
    for text in [&mut want.question, &mut want.note] {
        *text = match text.get(lang) {
            Some(t) => [("en", t.to_owned())].into_iter().collect(),
            None => Text::default(),
        };
    }
    want
}

proptest! {
    #[test]
    fn model_to_csl_json_to_model(paper in paper(), zh in any::<bool>()) {
        let mut options = WriteOptions::default();
        if zh {
            options.lang = "zh".into();
        }
        let mut writer = CslWriter::new(&options);
        let mut out = Vec::new();
        writer.begin(&mut out, &CollectionHeader::default())?;
        writer.write_paper(&mut out, &paper)?;
        writer.finish(&mut out)?;
        let mut sink = Collect::default();
        CslReader.read(&mut out.as_slice(), &Source::new("t"), &mut sink)?;
        prop_assert!(sink.errors.is_empty(), "{:?}", sink.errors);
        prop_assert_eq!(sink.papers.len(), 1);
        prop_assert_eq!(&sink.papers[0].0, &expected(&paper, &options.lang));
    }
}
