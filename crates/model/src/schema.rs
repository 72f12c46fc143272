//! The JSON Schemas of the canonical format, generated from the types.

use crate::{Collection, Paper};

/// The JSON Schema of a collection document, pretty-printed, ending in a newline.
///
/// `schema/collection.schema.json` in the repository is this text; a test
/// keeps the two equal.
pub fn collection_schema() -> String {
    render(schemars::schema_for!(Collection), "collection")
}

/// The JSON Schema of one paper, pretty-printed, ending in a newline.
pub fn paper_schema() -> String {
    render(schemars::schema_for!(Paper), "paper")
}

fn render(mut schema: schemars::Schema, name: &str) -> String {
    schema.insert(
        "$id".to_owned(),
        format!("https://paper-export.github.io/schema/1.0/{name}.schema.json").into(),
    );
    let mut text = serde_json_text(&schema);
    text.push('\n');
    text
}

fn serde_json_text(schema: &schemars::Schema) -> String {
    // schemars re-exports serde_json's Value; its Display with `{:#}` is pretty.
    format!("{:#}", schema.as_value())
}
