//! The tables that tie the paper model to CSL: item types and variable kinds.

use paper_model::PaperType;

/// The CSL type the writer gives each paper type.
pub(crate) fn csl_type(kind: PaperType) -> &'static str {
    match kind {
        PaperType::Article => "article-journal",
        PaperType::Inproceedings => "paper-conference",
        PaperType::Incollection => "chapter",
        PaperType::Book => "book",
        PaperType::Phdthesis => "thesis",
        PaperType::Techreport => "report",
        PaperType::Preprint => "article",
        PaperType::Misc => "document",
    }
}

/// The paper type of a CSL type (and of the Crossref names some exports
/// use instead); `None` for every other type, which reads as `misc`.
pub(crate) fn paper_type(csl: &str) -> Option<PaperType> {
    Some(match csl {
        "article-journal" | "article-magazine" | "article-newspaper" | "periodical" | "review"
        | "review-book" | "journal-article" => PaperType::Article,
        "paper-conference" | "proceedings-article" => PaperType::Inproceedings,
        "chapter" | "entry" | "entry-dictionary" | "entry-encyclopedia" | "book-chapter" => {
            PaperType::Incollection
        }
        "book" | "classic" => PaperType::Book,
        "thesis" | "dissertation" => PaperType::Phdthesis,
        "report" => PaperType::Techreport,
        "article" | "posted-content" => PaperType::Preprint,
        "document" => PaperType::Misc,
        _ => return None,
    })
}

/// Every item type of CSL 1.0.2.
pub(crate) const CSL_TYPES: [&str; 45] = [
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];

/// The CSL name variables: lists of names.
pub(crate) const NAME_VARIABLES: [&str; 26] = [
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "interviewer",
    "illustrator",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

/// The CSL date variables.
pub(crate) const DATE_VARIABLES: [&str; 6] = [
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
];

/// The CSL variables whose value is a string (or a number written as one).
pub(crate) const TEXT_VARIABLES: [&str; 68] = [
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "chapter-number",
    "citation-key",
    "citation-label",
    "citation-number",
    "collection-number",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "edition",
    "event",
    "event-place",
    "event-title",
    "first-reference-note-number",
    "genre",
    "id",
    "ISBN",
    "ISSN",
    "issue",
    "journalAbbreviation",
    "jurisdiction",
    "keyword",
    "language",
    "locator",
    "medium",
    "note",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "page",
    "page-first",
    "part",
    "part-title",
    "PMCID",
    "PMID",
    "printing",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-genre",
    "reviewed-title",
    "scale",
    "section",
    "shortTitle",
    "source",
    "status",
    "supplement",
    "title",
    "title-short",
    "URL",
    "version",
    "volume",
    "volume-title",
    "volume-title-short",
    "year-suffix",
];

/// Hosts of preprints whose CSL `report` items read as `preprint`.
pub(crate) const PREPRINT_SERVERS: [&str; 3] = ["arxiv", "biorxiv", "medrxiv"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_paper_type_round_trips_through_its_csl_type() {
        for kind in PaperType::ALL {
            let csl = csl_type(kind);
            assert!(CSL_TYPES.contains(&csl), "{csl}");
            assert_eq!(paper_type(csl), Some(kind));
        }
        assert_eq!(paper_type("webpage"), None);
        assert_eq!(paper_type("journal-article"), Some(PaperType::Article));
    }

    #[test]
    fn variable_lists_do_not_overlap() {
        for v in TEXT_VARIABLES {
            assert!(
                !NAME_VARIABLES.contains(&v) && !DATE_VARIABLES.contains(&v),
                "{v}"
            );
        }
        for v in NAME_VARIABLES {
            assert!(!DATE_VARIABLES.contains(&v), "{v}");
        }
    }
}
