//! The committed schema files must equal the ones generated from the types.
//!
//! After changing the model, regenerate them with
//! `UPDATE_SCHEMA=1 cargo test -p paper-model --test schema_files`.

use std::path::PathBuf;

fn check(file: &str, generated: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../schema")
        .join(file);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("schema file is writable");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/{file} differs from the model; run UPDATE_SCHEMA=1 cargo test -p paper-model --test schema_files"
    );
}

#[test]
fn collection_schema_is_current() {
    check("collection.schema.json", paper_model::collection_schema());
}

#[test]
fn paper_schema_is_current() {
    check("paper.schema.json", paper_model::paper_schema());
}
