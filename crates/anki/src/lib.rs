//! Anki study decks: `anki` writes an `.apkg` package that Anki imports, and
//! `anki-tsv` writes Anki's text import format with the same notes.
//!
//! Each paper becomes one note of the note type [`NOTETYPE_NAME`] with the
//! fields [`FIELD_NAMES`] and two cards. `Key` comes first, unique per
//! paper: the citation key, the same as BibTeX, CSL-JSON and RIS give (the
//! paper's id, else one made by [`paper_format::citation_key::KeyGen`]).
//! The cards are "Question → Paper" (only when the paper has a guiding
//! question) and "Paper → Why it matters". Every field is HTML-escaped; the
//! only markup is our own line breaks and the link. See [`Note`].
//!
//! **Stable identity.** A note's GUID is a hash of the paper's identity (its
//! id, else DOI, else arXiv id, else title and year; see [`identity`]), the
//! note type's id is the constant [`NOTETYPE_ID`], and a deck's id is a hash
//! of its name. Exporting again and importing into Anki therefore updates
//! the notes already there, keeping the learner's review history.
//!
//! **Modification times.** Every note's modification time is
//! [`WriteOptions::timestamp`] (the CLI sets it from `SOURCE_DATE_EPOCH`),
//! else the fixed [`DEFAULT_TIMESTAMP`], so the same input always gives a
//! byte-identical package. Anki replaces a note it has only with one whose
//! modification time is newer (and, when told to always update, different),
//! so to push changed notes into a collection that has the deck, export
//! with a later time: `SOURCE_DATE_EPOCH=$(date +%s)`.
//!
//! **Versioning.** The note type's id and name belong to its fields and
//! template names. If they ever change, the name gets a new version (`v2`)
//! and a new id (see `notetype.rs`); the GUID namespace includes the name.
//!
//! **Settings** (in [`WriteOptions::settings`]):
//!
//! | key | value | effect |
//! |---|---|---|
//! | `deck` | a deck name, `::` between levels | the deck; default: the collection's title in `lang`, else [`DEFAULT_DECK`] |
//! | `subdeck-by` | `decade` | file each paper under `Deck::1980s` (papers without a year stay in `Deck`) |
//!
//! [`WriteOptions::lang`] picks the language of the question and the note
//! (falling back to English). Tags are the paper's tags plus its decade,
//! spaces turned into `_`, sorted.
//!
//! **The package** is a classic `.apkg`: a zip holding `collection.anki2`
//! (an SQLite collection of schema 11, `col.ver = 11`) and `media` (`{}`).
//! Every current Anki imports it. Notes are inserted into a temporary
//! database as they arrive, by a second thread that owns it, so memory does
//! not grow with the deck (the whole CLI peaks near 110 MB at a million
//! notes, mostly SQLite's cache and the sets of ids that keep keys and GUIDs
//! unique). `finish` zips the database straight into the output, which need
//! not be seekable (entries carry data descriptors), deflating it in blocks
//! on two threads (see the `package` module).
//!
//! ```
//! use paper_format::{Format, WriteOptions};
//! use paper_model::{CollectionHeader, Paper};
//! use std::io::Read;
//!
//! let options = WriteOptions::default().with("deck", "Reading::Classics");
//! let mut writer = paper_anki::Anki.writer(&options).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! let mut paper = Paper::new("Long Short-Term Memory", 1997);
//! paper.id = "hochreiter1997long".into();
//! writer.write_paper(&mut out, &paper)?;
//! writer.finish(&mut out)?;
//!
//! let mut zip = zip::ZipArchive::new(std::io::Cursor::new(out)).unwrap();
//! assert_eq!(zip.len(), 2);
//! let mut media = String::new();
//! zip.by_name("media").unwrap().read_to_string(&mut media).unwrap();
//! assert_eq!(media, "{}");
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod apkg;
mod note;
mod notetype;
mod package;
mod tsv;

use paper_format::{Format, FormatInfo, WriteOptions, Writer};

pub use apkg::ApkgWriter;
pub use note::{
    FIELD_NAMES, Note, SORT_FIELD, deck_name, field_checksum, guid_for, identity, push_html,
    tag_name,
};
pub use notetype::{CSS, NOTETYPE_ID, NOTETYPE_NAME, TEMPLATE_NAMES, deck_id};
pub use tsv::AnkiTsvWriter;

/// The setting that names the deck.
pub const SETTING_DECK: &str = "deck";

/// The setting that files papers in subdecks; its one value is `decade`.
pub const SETTING_SUBDECK_BY: &str = "subdeck-by";

/// The deck name when neither the `deck` setting nor the collection's
/// title gives one.
pub const DEFAULT_DECK: &str = "Papers";

/// The time written when [`WriteOptions::timestamp`] is `None`:
/// 2024-01-01T00:00:00Z.
pub const DEFAULT_TIMESTAMP: i64 = 1_704_067_200;

const FORMAT_NAME: &str = "anki";

/// The `.apkg` package format.
#[derive(Clone, Copy, Debug, Default)]
pub struct Anki;

/// Anki's text import format (tab-separated, with file headers).
#[derive(Clone, Copy, Debug, Default)]
pub struct AnkiTsv;

static ANKI_INFO: FormatInfo = FormatInfo {
    name: FORMAT_NAME,
    aliases: &["apkg"],
    extensions: &["apkg"],
    summary: "Anki deck package: one note per paper, two cards each; re-import updates",
    binary: true,
};

static ANKI_TSV_INFO: FormatInfo = FormatInfo {
    name: "anki-tsv",
    aliases: &[],
    extensions: &["anki.tsv", "anki.txt"],
    summary: "Anki text import (tab-separated, with headers), same notes as anki",
    binary: false,
};

impl Format for Anki {
    fn info(&self) -> &FormatInfo {
        &ANKI_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(ApkgWriter::from_options(options)))
    }
}

impl Format for AnkiTsv {
    fn info(&self) -> &FormatInfo {
        &ANKI_TSV_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(AnkiTsvWriter::from_options(options)))
    }
}
