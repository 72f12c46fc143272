use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Paper;

/// The version of the JSON schema that this model writes.
///
/// Readers accept any `1.x`; a new major version means an incompatible change.
pub const SCHEMA_VERSION: &str = "1.0";

/// Everything about a collection except its papers.
///
/// Writers receive the header first, then the papers one at a time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CollectionHeader {
    /// Version of the paper-export schema, `1.0`.
    #[serde(default = "default_schema_version")]
    pub schema_version: String,
    /// Title of the collection.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The title in other languages, by language code (`{"zh": "…"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub title_translations: BTreeMap<String, String>,
    /// What the collection is and who keeps it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where the collection is published.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub homepage: String,
    /// Main language of the collection (`en`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
}

fn default_schema_version() -> String {
    SCHEMA_VERSION.to_owned()
}

impl Default for CollectionHeader {
    fn default() -> Self {
        CollectionHeader {
            schema_version: default_schema_version(),
            title: String::new(),
            title_translations: BTreeMap::new(),
            description: String::new(),
            homepage: String::new(),
            language: String::new(),
        }
    }
}

impl CollectionHeader {
    /// The title in `lang` when a translation exists, else the main title.
    pub fn title_in(&self, lang: &str) -> &str {
        self.title_translations
            .get(lang)
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.title)
    }
}

/// A collection: a header and papers, the document the `json` format holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Collection {
    /// Title, description and the other collection-wide fields.
    #[serde(flatten)]
    pub header: CollectionHeader,
    /// The papers, in order.
    pub papers: Vec<Paper>,
}

impl Collection {
    /// A collection of these papers with this header.
    pub fn new(header: CollectionHeader, papers: Vec<Paper>) -> Self {
        Collection { header, papers }
    }
}
