//! The built-in collection is complete and well formed.

use std::collections::HashSet;

use paper_collection::{FAMOUS_PAPERS_JSON, TAG_VOCABULARY, famous_papers};
use paper_model::{Author, Collection, PaperType, Validator, is_valid_doi};

fn collection() -> Collection {
    serde_json::from_str(FAMOUS_PAPERS_JSON).expect("the data file matches the model")
}

#[test]
fn header() {
    let c = collection();
    assert_eq!(c.header.schema_version, "1.0");
    assert_eq!(c.header.title, "Famous Deep Learning Papers");
    assert_eq!(c.header.title_in("zh"), "著名深度学习论文");
    assert!(c.header.description.len() > 50);
    assert!(c.header.homepage.starts_with("https://"));
    assert_eq!(c.header.language, "en");
    assert_eq!(c, famous_papers());
}

#[test]
fn forty_eight_valid_papers_with_unique_ids() {
    let c = collection();
    assert_eq!(c.papers.len(), 48);
    let mut validator = Validator::default();
    for paper in &c.papers {
        assert_eq!(validator.check(paper), vec![], "{}", paper.id);
    }
    let ids: HashSet<&str> = c.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), 48);
}

#[test]
fn ids_are_family_year_word() {
    for paper in collection().papers {
        let id = &paper.id;
        let year = paper.year.unwrap().to_string();
        let (family, word) = id
            .split_once(&year)
            .unwrap_or_else(|| panic!("{id}: no year"));
        assert!(
            !family.is_empty() && family.bytes().all(|b| b.is_ascii_lowercase()),
            "{id}"
        );
        assert!(
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{id}"
        );
        let first = paper.authors[0].family_or_literal().to_lowercase();
        let first_ascii: String = first.chars().filter(char::is_ascii_lowercase).collect();
        assert_eq!(
            family, first_ascii,
            "{id}: the family part is the first author's family name"
        );
    }
}

/// Papers with no landing page on the web: a 1981 book chapter that has no
/// DOI and no publisher page for the original edition.
const WITHOUT_LANDING_PAGE: &[&str] = &["hinton1981implementing"];

#[test]
fn every_paper_is_complete() {
    let vocabulary: HashSet<&str> = TAG_VOCABULARY.iter().map(|(t, _)| *t).collect();
    for p in collection().papers {
        let id = &p.id;
        assert!(!p.title.trim().is_empty(), "{id}");
        assert!(!p.authors.is_empty(), "{id}");
        // A whole book or a report has a publisher (or institution) instead of a venue.
        if matches!(p.kind, PaperType::Book | PaperType::Techreport) {
            assert!(
                p.venue.is_none() && p.publisher.is_some(),
                "{id}: publisher"
            );
        } else {
            assert!(
                p.venue.as_deref().is_some_and(|v| !v.is_empty()),
                "{id}: venue"
            );
        }
        if !WITHOUT_LANDING_PAGE.contains(&id.as_str()) {
            assert!(
                p.url.as_deref().is_some_and(|u| u.starts_with("https://")),
                "{id}: url"
            );
        }
        assert!(
            (2..=5).contains(&p.tags.len()),
            "{id}: {} tags",
            p.tags.len()
        );
        for tag in &p.tags {
            assert!(
                vocabulary.contains(tag.as_str()),
                "{id}: tag {tag} is not in the vocabulary"
            );
        }
        for lang in ["en", "zh"] {
            let question = p
                .question
                .exact(lang)
                .unwrap_or_else(|| panic!("{id}: question.{lang}"));
            assert!(
                question.ends_with('?') || question.ends_with('？'),
                "{id}: {question}"
            );
            assert!(!question.contains('\n'), "{id}: one line");
            let note = p
                .note
                .exact(lang)
                .unwrap_or_else(|| panic!("{id}: note.{lang}"));
            assert!(note.chars().count() >= 40, "{id}: note.{lang} is too short");
        }
        if let Some(doi) = &p.doi {
            assert!(is_valid_doi(doi), "{id}: {doi}");
            assert_eq!(
                p.url.as_deref(),
                Some(format!("https://doi.org/{doi}").as_str()),
                "{id}"
            );
        }
        if let Some(arxiv) = &p.arxiv {
            let (month, number) = arxiv.split_once('.').unwrap_or_default();
            let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            assert!(
                month.len() == 4
                    && (4..=5).contains(&number.len())
                    && digits(month)
                    && digits(number),
                "{id}: arXiv id {arxiv}"
            );
        }
        if let Some(pages) = &p.pages {
            let (first, last) = pages.split_once('-').unwrap_or((pages, pages));
            let (first, last): (u32, u32) = (first.parse().unwrap(), last.parse().unwrap());
            assert!(first <= last, "{id}: pages {pages}");
        }
    }
}

#[test]
fn no_spacing_artefacts_and_names_are_split() {
    for p in collection().papers {
        assert!(
            !p.title.contains(" - ") && !p.title.contains("  "),
            "{}: {}",
            p.id,
            p.title
        );
        for author in &p.authors {
            match author {
                Author::Person(person) => {
                    assert!(!person.family.contains(" - "), "{}", p.id);
                    assert!(
                        person.given.as_deref().is_some_and(|g| !g.is_empty()),
                        "{}: given name of {}",
                        p.id,
                        person.family
                    );
                }
                Author::Organization(o) => {
                    panic!("{}: unexpected organisation {}", p.id, o.literal)
                }
            }
        }
    }
}

#[test]
fn known_corrections_hold() {
    let papers = collection().papers;
    let find = |id: &str| {
        papers
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    // The seed adds Jitendra Malik to the GAN paper; he is not an author.
    let gan = find("goodfellow2014generative");
    assert_eq!(gan.authors.len(), 8);
    assert!(gan.authors.iter().all(|a| a.family_or_literal() != "Malik"));
    // Spelling fixes.
    assert!(
        find("rosenblatt1958perceptron")
            .title
            .contains("Probabilistic")
    );
    assert_eq!(
        find("kingma2015adam").title,
        "Adam: A Method for Stochastic Optimization"
    );
    assert_eq!(
        find("vaswani2017attention").authors[0].display_name(),
        "Ashish Vaswani"
    );
    assert!(
        find("devlin2019bert")
            .title
            .starts_with("BERT: Pre-training")
    );
    // Years of the publication, not of the preprint.
    assert_eq!(find("he2016deep").year, Some(2016));
    assert_eq!(find("radford2019language").year, Some(2019));
    // Particles are separate from family names.
    let silver = find("silver2016mastering");
    assert_eq!(silver.authors.len(), 20);
    assert!(
        silver
            .authors
            .iter()
            .any(|a| a.display_name() == "George van den Driessche")
    );
    assert!(
        find("vaswani2017attention")
            .authors
            .iter()
            .any(|a| a.display_name() == "Łukasz Kaiser")
    );
}
