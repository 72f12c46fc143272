//! BibTeX (`bibtex`) and BibLaTeX (`biblatex`) writers, and a `.bib` reader.
//!
//! The writers stream: each paper becomes one entry as it arrives. The
//! output is written by this crate (the `biblatex` crate's writer corrupts
//! `\`, `~`, `^` and math); the `biblatex` crate's parser reads it back in
//! the tests.
//!
//! # Entry types
//!
//! | model type | `bibtex` | `biblatex` | venue goes to |
//! |---|---|---|---|
//! | `article` | `@article` | `@article` | `journal` / `journaltitle` |
//! | `inproceedings` | `@inproceedings` | `@inproceedings` | `booktitle` |
//! | `incollection` | `@incollection` | `@incollection` with an `editor` in `extra`, else `@inbook` | `booktitle` |
//! | `book` | `@book` | `@book` | `series` |
//! | `phdthesis` | `@phdthesis` (`school`) | `@thesis`, `type = {phdthesis}` (`institution`) | `howpublished` / `note` |
//! | `techreport` | `@techreport` (`institution`) | `@report`, `type = {techreport}` (`institution`) | `howpublished` / `note` |
//! | `preprint` | `@misc`, `type = {preprint}` | `@misc`, `type = {preprint}` | `howpublished` |
//! | `misc` | `@misc` | `@online` when it has a URL but no venue and no DOI (web-only), else `@misc` | `howpublished` |
//!
//! A journal article is always `@article`, with or without a DOI.
//!
//! # Fields
//!
//! `author` (persons as `von Last, Jr., First`; organisations in braces,
//! `{OpenAI}`; `and others` only when `authors_truncated`), `title`, the
//! venue (above), `year` + `month = jan` + `day` (BibTeX) or `date =
//! {YYYY}`, `{YYYY-MM}`, `{YYYY-MM-DD}` (BibLaTeX), `volume`, `number`,
//! `pages` with `--`, `publisher` (`school`/`institution` for theses and
//! reports; `organization` for BibLaTeX `@misc`/`@online`), `doi` (bare),
//! `url`, `eprint` with `archivePrefix = {arXiv}` (BibTeX) or `eprinttype =
//! {arxiv}` (BibLaTeX), `isbn`, `keywords` (the tags, `, `-separated), the
//! note in `annote` (BibTeX) or `annotation` (BibLaTeX), which styles do
//! not print, and finally every `extra` field under its own name
//! (`primaryclass` becomes `primaryClass`/`eprintclass`, `address` and
//! `location` swap names by dialect). A web-only `@misc` in BibTeX also
//! gets `howpublished = {\url{...}}`, because classic styles ignore `url`.
//! BibLaTeX output leaves out what its data model does not allow for the
//! entry type (a publisher or ISBN on an article; volume, number, pages on
//! `@misc`/`@online`), so that `biber --validate-datamodel` is clean; the
//! one exception is a volume that is not a number (`C-21`), which is
//! written all the same (the data model calls `volume` an integer; biber
//! keeps it when it builds a bibliography). The guiding question is not
//! written.
//!
//! # Escaping
//!
//! - `& % $ # _` get a backslash, and so do `{ }` when they pair up in
//!   the field (`\{more\}`; otherwise `{\textbraceleft}`,
//!   `{\textbraceright}`, so that BibTeX never sees unbalanced braces);
//!   `\ ~ ^` become `{\textbackslash}`, `{\textasciitilde}`,
//!   `{\textasciicircum}`. `< > |` are left as they are (LaTeX prints
//!   them right with T1 fonts). Two hyphens in a row are written `-{}-`.
//!   Whitespace runs (tabs and newlines too) become one space and control
//!   characters are dropped: BibTeX cannot carry them.
//! - Titles: with `protect-case = words` (the default) a word with a capital
//!   after its first letter, or a single capital other than `A`, is braced:
//!   `{BERT}`, `{ImageNet}`, `{LSTM}`, `{C}++`. Proper nouns in ordinary
//!   title case (`Go`) cannot be told apart and are not protected.
//! - `bibtex` writes accented Latin letters as macros (`{\"u}`, `{\L}`,
//!   `{\c{c}}`), typographic punctuation as commands (`--`,
//!   `{\textquoteright}`), and leaves characters with no LaTeX text macro
//!   (CJK, Greek) in UTF-8; the `unicode` setting keeps all of it UTF-8.
//!   `biblatex` output is always UTF-8.
//! - `doi` and `url` are never backslash-escaped, except `%` → `\%` in
//!   classic BibTeX; braces, backslashes and spaces in them are
//!   percent-encoded.
//!
//! # Settings
//!
//! | key | values | flag | effect |
//! |---|---|---|---|
//! | `unicode` | `true` | `--unicode` | keep non-ASCII text as UTF-8 in `bibtex` output |
//! | `protect-case` | `words` (default), `none` | `--protect-case` | brace-protect title words, or not |
//! | `no-notes` | `true` | `--no-notes` | leave out `annote`/`annotation` |
//! | `quiet` | `true` | `--quiet` | do not print key-collision warnings |
//!
//! [`WriteOptions::lang`](paper_format::WriteOptions::lang) (`--lang`) picks
//! the language of the note, falling back to English.
//!
//! # Citation keys
//!
//! The keys are those of [`paper_format::citation_key`], shared with the
//! CSL-JSON and RIS writers so that one paper has one key everywhere: the
//! paper's `id`, else `familyYYYYword` in ASCII (`Łukasz` → `lukasz`; a
//! name with no Latin form becomes `h` and a stable hash). A generated key
//! that an earlier paper already has gets `a`, `b`, ... and a warning, so
//! appending papers never changes the keys of earlier ones; only an `id`
//! pins a key against papers inserted before it. An `id` with characters
//! other than `A-Z a-z 0-9 _ : - . / +` is folded to ASCII and stripped of
//! them, with a warning. The generator remembers every key it gave out.
//!
//! # Reader
//!
//! [`BibReader`] reads BibTeX and BibLaTeX through the `biblatex` crate,
//! one entry at a time: LaTeX accents and commands become Unicode,
//! `@string`s, month macros and `#` are expanded, `crossref` is resolved,
//! `{BERT}` braces are removed, `and others` sets `authors_truncated`, name
//! particles and suffixes are kept, a tie `~` becomes a space, and fields
//! the model does not name go to `extra` by their lowercase names. A bad
//! entry is one record error with its file, line and column; the rest of
//! the file is read. Entries in the forms the writer writes are decoded by
//! a fast path of this crate's own (a property test checks that it reads
//! them exactly as the crate does); anything else goes through the crate.
//! Entry types map back by the table above (also
//! `conference`, `inbook`, `collection`, `proceedings`, `report`, `thesis`
//! with a PhD `type`; `@misc` with `type = {preprint}` or an arXiv
//! `eprint` is a preprint; anything else is `misc`). The note is read as English.
//!
//! # Example
//!
//! ```
//! use paper_format::{Format, WriteOptions};
//! use paper_model::{Author, CollectionHeader, Paper, PaperType};
//!
//! let mut paper = Paper::new("BERT: Pre-training for Language Understanding", 2019);
//! paper.kind = PaperType::Inproceedings;
//! paper.authors = vec![Author::person("Kaiser", "Łukasz")];
//! paper.month = Some(6);
//! paper.pages = Some("4171-4186".into());
//!
//! let mut writer = paper_bibtex::Bibtex.writer(&WriteOptions::default()).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &paper)?;
//! writer.finish(&mut out)?;
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "@inproceedings{kaiser2019bert,\n  author = {Kaiser, {\\L}ukasz},\n  \
//!      title = {{BERT}: Pre-training for Language Understanding},\n  \
//!      year = {2019},\n  month = jun,\n  pages = {4171--4186}\n}\n\n"
//! );
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod fast;
mod latex;
mod raw;
mod reader;
mod split;
mod writer;

use paper_format::{Format, FormatInfo, ReadOptions, Reader, WriteOptions, Writer};

pub use reader::BibReader;
pub use writer::{BibWriter, ProtectCase, Variant, WarningSink};

/// Classic BibTeX (`bibtex`, alias `bib`; `.bib`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Bibtex;

/// BibLaTeX for biber (`biblatex`; `.biblatex.bib`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Biblatex;

static BIBTEX_INFO: FormatInfo = FormatInfo {
    name: "bibtex",
    aliases: &["bib"],
    extensions: &["bib"],
    summary: "BibTeX for bibtex and reference managers (reads BibTeX and BibLaTeX too)",
    binary: false,
};

static BIBLATEX_INFO: FormatInfo = FormatInfo {
    name: "biblatex",
    aliases: &[],
    extensions: &["biblatex.bib"],
    summary: "BibLaTeX (UTF-8, date, journaltitle) for biber",
    binary: false,
};

impl Format for Bibtex {
    fn info(&self) -> &FormatInfo {
        &BIBTEX_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(BibWriter::from_options(Variant::Bibtex, options)))
    }
    fn reader(&self, _: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(BibReader))
    }
}

impl Format for Biblatex {
    fn info(&self) -> &FormatInfo {
        &BIBLATEX_INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(BibWriter::from_options(
            Variant::Biblatex,
            options,
        )))
    }
    fn reader(&self, _: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(BibReader))
    }
}
