//! The built-in collection: the famous deep-learning papers from 1943 to
//! 2022, with a question and a note for each in English and Chinese.
//!
//! The data lives in `data/famous-deep-learning-papers.json`, a file in the
//! canonical JSON schema that people edit by hand; it is compiled into the
//! binary. `docs/` beside it records where each DOI was confirmed and where
//! the collection deliberately differs from the list it started from.
//!
//! ```
//! let collection = paper_collection::famous_papers();
//! assert_eq!(collection.header.title, "Famous Deep Learning Papers");
//! assert!(collection.papers.iter().any(|p| p.id == "rumelhart1986learning"));
//! ```
#![deny(missing_docs)]

use paper_model::Collection;

/// The topic tags the built-in collection uses, each with what it means.
///
/// Every paper has two to five of them, most specific first.
pub const TAG_VOCABULARY: &[(&str, &str)] = &[
    ("neuroscience", "how real brains and neurons compute"),
    (
        "theory",
        "what networks can represent or learn, proved or analysed",
    ),
    (
        "learning-rule",
        "how weights are changed: perceptron rule, backpropagation",
    ),
    (
        "optimization",
        "training algorithms, initialisation, normalisation",
    ),
    (
        "architecture",
        "the shape of a network: convolution, recurrence, attention",
    ),
    (
        "representation",
        "what hidden units or embeddings come to encode",
    ),
    (
        "regularization",
        "ways to generalise better: weight decay, denoising",
    ),
    ("vision", "images and video"),
    ("language", "text and speech"),
    (
        "sequence",
        "data in order: time series, sentences, translation",
    ),
    ("generative", "models that produce new data"),
    ("reinforcement-learning", "learning to act from rewards"),
    (
        "interpretability",
        "understanding what a trained network does",
    ),
    ("robustness", "failures under small or adversarial changes"),
    ("memory", "storing and recalling information in networks"),
    ("scaling", "what changes as models and data grow"),
    ("alignment", "making models do what people intend"),
];

/// The data file, as compiled in.
pub const FAMOUS_PAPERS_JSON: &str = include_str!("../data/famous-deep-learning-papers.json");

/// The built-in collection, parsed.
pub fn famous_papers() -> Collection {
    // The data file is checked by this crate's tests, so it always parses.
    serde_json::from_str(FAMOUS_PAPERS_JSON).unwrap_or_default()
}
