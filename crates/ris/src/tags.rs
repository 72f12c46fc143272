//! The RIS tables: reference types and the tags of the specification.

use paper_model::PaperType;

/// The `TY` the writer gives each paper type.
pub(crate) fn ris_type(kind: PaperType) -> &'static str {
    match kind {
        PaperType::Article => "JOUR",
        PaperType::Inproceedings => "CPAPER",
        PaperType::Incollection => "CHAP",
        PaperType::Book => "BOOK",
        PaperType::Phdthesis => "THES",
        PaperType::Techreport => "RPRT",
        PaperType::Preprint => "UNPB",
        PaperType::Misc => "GEN",
    }
}

/// The paper type of a `TY`; `None` for the types that read as `misc`.
pub(crate) fn paper_type(ty: &str) -> Option<PaperType> {
    Some(match ty {
        "JOUR" | "JFULL" | "MGZN" | "NEWS" | "EJOUR" | "INPR" | "ABST" => PaperType::Article,
        "CPAPER" | "CONF" => PaperType::Inproceedings,
        "CHAP" | "ECHAP" => PaperType::Incollection,
        "BOOK" | "EBOOK" | "EDBOOK" => PaperType::Book,
        "THES" => PaperType::Phdthesis,
        "RPRT" => PaperType::Techreport,
        "UNPB" => PaperType::Preprint,
        "GEN" => PaperType::Misc,
        _ => return None,
    })
}

/// Every reference type of the RIS specification.
pub(crate) const RIS_TYPES: [&str; 57] = [
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP", "CHART",
    "CLSWK", "COMP", "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK", "ECHAP", "EDBOOK",
    "EJOUR", "ELEC", "ENCYC", "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "HEAR", "ICOMM", "INPR",
    "JFULL", "JOUR", "LEGAL", "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI", "MUSIC", "NEWS", "PAMP",
    "PAT", "PCOMM", "RPRT", "SER", "SLIDE", "SOUND", "STAND", "STAT", "THES", "UNBILL", "UNPB",
    "VIDEO", "WEB",
];

/// Every tag of the RIS specification.
pub(crate) const STANDARD_TAGS: [&str; 80] = [
    "A1", "A2", "A3", "A4", "AB", "AD", "AN", "AU", "AV", "BT", "C1", "C2", "C3", "C4", "C5", "C6",
    "C7", "C8", "CA", "CN", "CP", "CT", "CY", "DA", "DB", "DO", "DP", "ED", "EP", "ER", "ET", "ID",
    "IS", "J1", "J2", "JA", "JF", "JO", "KW", "L1", "L2", "L3", "L4", "LA", "LB", "LK", "M1", "M2",
    "M3", "N1", "N2", "NV", "OP", "PB", "PP", "PY", "RI", "RN", "RP", "SE", "SN", "SP", "ST", "T1",
    "T2", "T3", "TA", "TI", "TT", "TY", "U1", "U2", "U3", "U4", "U5", "UR", "VL", "VO", "Y1", "Y2",
];

/// Tags that hold a model field: an `extra` entry under one of these is
/// never written, so it cannot be read back as that field.
pub(crate) const MODEL_TAGS: [&str; 22] = [
    "TY", "ER", "ID", "TI", "T1", "AU", "A1", "PY", "Y1", "DA", "T2", "JO", "JF", "JA", "BT", "VL",
    "IS", "SP", "EP", "PB", "DO", "KW",
];

/// `extra` keys shared with CSL-JSON and their RIS tags, both ways.
pub(crate) const EXTRA_ALIASES: [(&str, &str); 5] = [
    ("abstract", "AB"),
    ("ISSN", "SN"),
    ("language", "LA"),
    ("publisher-place", "CY"),
    ("edition", "ET"),
];

/// The label that marks the question among the `N1` notes.
pub(crate) const QUESTION_LABEL: &str = "Question: ";

/// Hosts of preprints whose `RPRT` records read as `preprint`.
pub(crate) const PREPRINT_SERVERS: [&str; 3] = ["arxiv", "biorxiv", "medrxiv"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_agree() {
        for kind in PaperType::ALL {
            let ty = ris_type(kind);
            assert!(RIS_TYPES.contains(&ty), "{ty}");
            assert_eq!(paper_type(ty), Some(kind));
        }
        for tag in MODEL_TAGS
            .iter()
            .chain(EXTRA_ALIASES.iter().map(|(_, t)| t))
        {
            assert!(STANDARD_TAGS.contains(tag), "{tag}");
        }
        let mut sorted = STANDARD_TAGS;
        sorted.sort_unstable();
        assert_eq!(sorted, STANDARD_TAGS);
    }
}
