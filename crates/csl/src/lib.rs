//! CSL-JSON (`csl-json`, files `*.csl.json`): the citation data that
//! pandoc, Zotero, Mendeley and every citeproc read.
//!
//! The writer writes a top-level array with one item per paper, as each
//! paper arrives; the reader hands over each item of the array as soon as
//! it is complete, so neither holds the whole list. Both follow CSL-JSON
//! 1.0.2 (`csl-data.json`); the writer's output validates against it.
//!
//! # Mapping
//!
//! | paper | CSL variable | notes |
//! |---|---|---|
//! | `id` | `id` and `citation-key` | the citation key: the paper's `id`, or one made by [`paper_format::citation_key::KeyGen`] (`familyYYYYword`, `a`/`b` on collisions) |
//! | `type` | `type` | table below |
//! | `title` | `title` | |
//! | `authors` | `author` | a person as `family`, `given`, `non-dropping-particle` (the particle), `suffix`; an organisation as `literal` |
//! | `year`, `month`, `day` | `issued` | `{"date-parts": [[year, month, day]]}`, integers, as many parts as known; no year, no `issued` |
//! | `venue` | `container-title` | |
//! | `volume` | `volume` | |
//! | `number` | `issue`; `number` for a `techreport` | |
//! | `pages` | `page` | |
//! | `publisher` | `publisher` | |
//! | `isbn`, `doi`, `url` | `ISBN`, `DOI`, `URL` | the DOI bare, never a link |
//! | `arxiv` | `custom.arxiv`; also `number` = `arXiv:ID` for a preprint | |
//! | `tags` | `keyword` | joined by `, ` |
//! | `question`, `note` | `note` | in the language `--lang` chose: the question, a blank line, the note; the question also goes to `custom.question` so the reader can take them apart |
//! | `authors_truncated` | `custom.authors-truncated` | `true` |
//! | `extra` | the CSL variable of that name, else `custom` | a string variable as is; a date variable from `YYYY-MM-DD` (else a `literal` date); a name variable from `Family, Given; Family, Given` |
//!
//! Values that are missing or blank are left out: never `null`, `""` or `[]`.
//!
//! | paper type | CSL type written | CSL types read as it |
//! |---|---|---|
//! | `article` | `article-journal` | also `article-magazine`, `article-newspaper`, `periodical`, `review`, `review-book` |
//! | `inproceedings` | `paper-conference` | |
//! | `incollection` | `chapter` | also `entry`, `entry-dictionary`, `entry-encyclopedia` |
//! | `book` | `book` | also `classic` |
//! | `phdthesis` | `thesis` (with `genre` `PhD thesis`) | |
//! | `techreport` | `report` | a `report` numbered `arXiv:…`, or from arXiv, bioRxiv or medRxiv (`container-title` or `publisher`), reads as `preprint` |
//! | `preprint` | `article` | |
//! | `misc` | `document` | every other type |
//!
//! The Crossref names `journal-article`, `proceedings-article`,
//! `book-chapter`, `dissertation` and `posted-content` are read too. When
//! the type read is not the one the writer would write (`webpage` read as
//! `misc`), it is kept as `extra["csl-type"]`, and the writer writes it
//! again for a paper of the same type.
//!
//! # Reading real exports
//!
//! The reader takes what Zotero, pandoc and Manubot write: `literal` names,
//! `dropping-particle` (joined to the particle), a name with only a
//! `given` part (a mononym, read as the family name); `date-parts` with
//! strings (`["2017", 5, 19]`), date ranges (the first date; the range is
//! kept in `extra["issued"]`), `raw` and `literal` dates (`Spring 2001`
//! gives the year 2001 and keeps the text), a missing or `null` `issued`;
//! numbers where strings belong. Inline HTML in `title` and
//! `container-title` (`<i>`, `<b>`, `<sup>`, `<sub>`, `<span>`, MathML) is
//! taken out and character references (`&amp;`) decoded, keeping the text;
//! other `<…>` text (`<script>`) stays. A `citation-key` is the paper's
//! `id` (a different CSL `id` is kept as `extra["id"]`). `DOI` loses a
//! `https://doi.org/` or `doi:` prefix. `keyword` splits on `,` and `;`.
//! Every other variable goes to `extra` under its own name (names as
//! `Family, Given; …`, dates as `YYYY-MM-DD`, lists joined by `; `), and
//! so does every `custom` entry. The `note` is read as the note (in `en`),
//! less the question that `custom.question` names.
//!
//! What does not survive a round trip: question and note in other
//! languages than the one written (the reader puts them in `en`); a tag
//! holding `,` or `;`; a title or venue holding text that reads as inline
//! HTML (`<i>`) or a character reference (`&amp;`), which CSL processors
//! would show as markup anyway.
//!
//! ```
//! use paper_format::{Format, WriteOptions};
//! use paper_model::{Author, CollectionHeader, Paper};
//!
//! let mut paper = Paper::new("Long Short-Term Memory", 1997);
//! paper.authors = vec![Author::person("Hochreiter", "Sepp")];
//! paper.venue = Some("Neural Computation".into());
//!
//! let mut writer = paper_csl::CslJson.writer(&WriteOptions::default()).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &paper)?;
//! writer.finish(&mut out)?;
//!
//! let items: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(items[0]["id"], "hochreiter1997long");
//! assert_eq!(items[0]["type"], "document");
//! assert_eq!(items[0]["issued"]["date-parts"][0][0], 1997);
//! assert_eq!(items[0]["container-title"], "Neural Computation");
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod mapping;
mod markup;
mod reader;
#[cfg(test)]
mod round_trip;
mod writer;

use paper_format::{Format, FormatInfo, ReadOptions, Reader, WriteOptions, Writer};

pub use reader::CslReader;
pub use writer::CslWriter;

/// The CSL-JSON format.
#[derive(Clone, Copy, Debug, Default)]
pub struct CslJson;

static INFO: FormatInfo = FormatInfo {
    name: "csl-json",
    aliases: &["csljson", "csl"],
    extensions: &["csl.json"],
    summary: "CSL-JSON, the citation data of pandoc, Zotero and citeproc",
    binary: false,
};

impl Format for CslJson {
    fn info(&self) -> &FormatInfo {
        &INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(CslWriter::new(options)))
    }
    fn reader(&self, _: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(CslReader))
    }
}
