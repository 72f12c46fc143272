use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Author;

/// A paper: the one record every reader produces and every writer consumes.
///
/// Field names are the JSON names. Optional fields that are absent are left
/// out of the JSON, never written as `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Paper {
    /// Stable key: the citation key, the seed of the Anki note GUID and of the
    /// feed item guid. Writers generate one when it is empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// What kind of publication this is.
    #[serde(rename = "type", default)]
    pub kind: PaperType,
    /// The title as published, in plain Unicode (no LaTeX, no HTML).
    pub title: String,
    /// Every author, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    /// True when the author list was cut short ("and others", "et al.").
    #[serde(default, skip_serializing_if = "is_false")]
    pub authors_truncated: bool,
    /// Year of the publication cited.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub year: Option<i32>,
    /// Month, 1 to 12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 12))]
    pub month: Option<u8>,
    /// Day of the month, 1 to 31; only with a month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 31))]
    pub day: Option<u8>,
    /// Journal name, proceedings title, or the title of the book holding a chapter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// Volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Issue or report number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Page range such as `533-536`, or a single page or article number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    /// Publisher, or the institution of a thesis or report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Bare DOI such as `10.1038/323533a0` (no `https://doi.org/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^10\.[0-9]{4,9}/\S+$"))]
    pub doi: Option<String>,
    /// Bare arXiv identifier such as `1706.03762`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<String>,
    /// Canonical landing page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// ISBN of a book.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    /// Topic tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The question the paper answered, by language code.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub question: Text,
    /// A short note on what the paper showed and why it matters, by language code.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub note: Text,
    /// Fields the model does not name, kept through a round trip.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Paper {
    /// A paper with a title and a year; every other field empty.
    pub fn new(title: impl Into<String>, year: i32) -> Self {
        Paper {
            title: title.into(),
            year: Some(year),
            ..Paper::default()
        }
    }

    /// The link a reader should follow: the DOI link, else the url, else the
    /// arXiv abstract page.
    pub fn link(&self) -> Option<String> {
        if let Some(doi) = self.doi.as_deref().filter(|d| !d.is_empty()) {
            return Some(format!("https://doi.org/{doi}"));
        }
        if let Some(url) = self.url.as_deref().filter(|u| !u.is_empty()) {
            return Some(url.to_owned());
        }
        self.arxiv
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(|a| format!("https://arxiv.org/abs/{a}"))
    }

    /// Authors as `Family, Given; Family, Given` (organisations by name).
    pub fn authors_inverted(&self) -> String {
        let names: Vec<String> = self.authors.iter().map(Author::inverted_name).collect();
        names.join("; ")
    }
}

/// What kind of publication a paper is.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PaperType {
    /// A journal article.
    Article,
    /// A paper in conference or workshop proceedings.
    Inproceedings,
    /// A chapter or part of an edited book.
    Incollection,
    /// A whole book.
    Book,
    /// A doctoral thesis.
    Phdthesis,
    /// A technical report, including company reports.
    Techreport,
    /// A preprint that has no other publication (arXiv).
    Preprint,
    /// Anything else.
    #[default]
    Misc,
}

impl PaperType {
    /// Every type, in declaration order.
    pub const ALL: [PaperType; 8] = [
        PaperType::Article,
        PaperType::Inproceedings,
        PaperType::Incollection,
        PaperType::Book,
        PaperType::Phdthesis,
        PaperType::Techreport,
        PaperType::Preprint,
        PaperType::Misc,
    ];

    /// The JSON name (`article`, `inproceedings`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            PaperType::Article => "article",
            PaperType::Inproceedings => "inproceedings",
            PaperType::Incollection => "incollection",
            PaperType::Book => "book",
            PaperType::Phdthesis => "phdthesis",
            PaperType::Techreport => "techreport",
            PaperType::Preprint => "preprint",
            PaperType::Misc => "misc",
        }
    }

    /// The type with this JSON name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl std::fmt::Display for PaperType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text in several languages: a map from language code (`en`, `zh`) to text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// True when there is no text in any language.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|v| v.is_empty())
    }

    /// The text in `lang`, falling back to English, then to any language.
    pub fn get(&self, lang: &str) -> Option<&str> {
        let found = self
            .0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next());
        found.map(String::as_str).filter(|s| !s.is_empty())
    }

    /// The text in exactly `lang`, with no fallback.
    pub fn exact(&self, lang: &str) -> Option<&str> {
        self.0
            .get(lang)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Sets the text in `lang`.
    pub fn set(&mut self, lang: impl Into<String>, text: impl Into<String>) {
        self.0.insert(lang.into(), text.into());
    }
}

impl<L: Into<String>, T: Into<String>> FromIterator<(L, T)> for Text {
    fn from_iter<I: IntoIterator<Item = (L, T)>>(iter: I) -> Self {
        Text(
            iter.into_iter()
                .map(|(l, t)| (l.into(), t.into()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_falls_back_to_english() {
        let t: Text = [("en", "Why?"), ("zh", "为什么？")].into_iter().collect();
        assert_eq!(t.get("zh"), Some("为什么？"));
        assert_eq!(t.get("fr"), Some("Why?"));
        assert_eq!(t.exact("fr"), None);
    }

    #[test]
    fn link_prefers_doi_then_url_then_arxiv() {
        let mut p = Paper::new("T", 2000);
        assert_eq!(p.link(), None);
        p.arxiv = Some("1706.03762".into());
        assert_eq!(
            p.link().as_deref(),
            Some("https://arxiv.org/abs/1706.03762")
        );
        p.url = Some("https://example.org/".into());
        assert_eq!(p.link().as_deref(), Some("https://example.org/"));
        p.doi = Some("10.1/x".into());
        assert_eq!(p.link().as_deref(), Some("https://doi.org/10.1/x"));
    }

    #[test]
    fn json_round_trip_omits_empty_fields() {
        let p = Paper::new("T", 2000);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"type":"misc","title":"T","year":2000}"#);
        let back: Paper = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn unknown_field_is_an_error() {
        let err = serde_json::from_str::<Paper>(r#"{"title":"T","year":1,"titel":"x"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `titel`"), "{err}");
    }
}
