//! The one list of the formats this binary knows.

use paper_format::Registry;

/// Every built-in format, in the order `--list-formats` shows them.
pub(crate) fn builtin() -> Registry {
    let mut registry = Registry::new();
    registry.register(Box::new(paper_bibtex::Bibtex));
    registry.register(Box::new(paper_bibtex::Biblatex));
    registry.register(Box::new(paper_csl::CslJson));
    registry.register(Box::new(paper_ris::Ris));
    registry.register(Box::new(paper_json::Json));
    registry.register(Box::new(paper_json::JsonLines));
    registry.register(Box::new(paper_csv::Csv));
    registry.register(Box::new(paper_csv::Tsv));
    registry.register(Box::new(paper_anki::Anki));
    registry.register(Box::new(paper_anki::AnkiTsv));
    registry.register(Box::new(paper_rss::Rss));
    registry.register(Box::new(paper_rss::Atom));
    registry.register(Box::new(paper_markdown::Markdown));
    registry
}
