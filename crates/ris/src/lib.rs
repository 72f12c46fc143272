//! RIS (`ris`): the tagged format EndNote, Zotero, Mendeley, JabRef and
//! most databases import and export.
//!
//! The writer writes one record per paper as it arrives; the reader hands
//! each record to the sink as soon as its `ER` line is read.
//!
//! # Writing
//!
//! Every record starts with `TY  - ` and ends with `ER  - ` and a blank
//! line; every other line is exactly `XX  - value`; lines end with CRLF.
//! A value never holds a line break: line breaks, tabs and other control
//! characters become one space. Blank values are left out. The output is
//! UTF-8; the setting `bom` ([`WriteOptions::bom`], `--bom`) starts it with
//! a byte order mark, which old EndNote versions on Windows want.
//!
//! | paper | tag | notes |
//! |---|---|---|
//! | `type` | `TY` | table below |
//! | `id` | `ID` | the citation key: the paper's `id`, or one made by [`paper_format::citation_key::KeyGen`] (`familyYYYYword`, `a`/`b` on collisions) |
//! | `title` | `TI` | |
//! | `authors` | `AU`, one per author | `Family, Given` with the particle before the family name and the suffix last (`van den Driessche, George`, `King, Martin Luther, Jr.`); an organisation by its name, with a final `,` when the name holds a comma (`Google, Inc.,`) |
//! | `year`, `month`, `day` | `PY`, `DA` | `PY  - 2016`, `DA  - 2016/01/28/` (`2016///` when only the year is known) |
//! | `venue` | `T2`; also `JO` for an `article` or `inproceedings` | Zotero reads `T2`, JabRef and EndNote `JO`; a book's title (of a chapter) is `T2` alone |
//! | `volume`, `number` | `VL`, `IS` | |
//! | `pages` | `SP`, `EP` | a range `115-133` is split; anything else goes whole to `SP` |
//! | `publisher` | `PB` | |
//! | `isbn` | `SN` | |
//! | `doi`, `url` | `DO`, `UR` | the DOI bare |
//! | `arxiv` | `AN` | `arXiv:1706.03762` |
//! | `tags` | `KW`, one per tag | |
//! | `question`, `note` | `N1` | in the language `--lang` chose; the question as `Question: …`, then one `N1` per line of the note (blank lines left out) |
//! | `extra` | its own tag | an entry named by a RIS tag (`AD`, `J2`, `M3`), or `abstract` (`AB`), `ISSN` (`SN`), `language` (`LA`), `publisher-place` (`CY`), `edition` (`ET`); one line per line of the value; other entries are not written |
//!
//! `authors_truncated` has no RIS form and is not written.
//!
//! | paper type | `TY` written | `TY` read as it |
//! |---|---|---|
//! | `article` | `JOUR` | also `JFULL`, `MGZN`, `NEWS`, `EJOUR`, `INPR`, `ABST` |
//! | `inproceedings` | `CPAPER` | also `CONF` |
//! | `incollection` | `CHAP` | also `ECHAP` |
//! | `book` | `BOOK` | also `EBOOK`, `EDBOOK` |
//! | `phdthesis` | `THES` | |
//! | `techreport` | `RPRT` | an `RPRT` from arXiv, bioRxiv or medRxiv (`T2` or `PB`) reads as `preprint` |
//! | `preprint` | `UNPB` | |
//! | `misc` | `GEN` | every other type (`ELEC`, `WEB`, …) |
//!
//! When the type read is not the one the writer would write (`CONF`,
//! `ELEC`), it is kept as `extra["ris-type"]`, and the writer writes it
//! again for a paper of the same type.
//!
//! # Reading
//!
//! Tag lines may drop spaces (`TY - JOUR`, `ER  -`). A line that is not a
//! tag line continues the value above it (joined with a space). Before a
//! record, blank lines, numbers such as `1.` and header lines are skipped;
//! a byte order mark is skipped. Synonyms: `TI`/`T1` for the title;
//! `AU`/`A1` for authors; `PY`/`Y1` for the year; `T2`, `JF`, `JO`, `BT`,
//! `JA`, `J1`, `J2` for the venue, in that order of preference (the others,
//! when different, are kept in `extra`; `BT` is the title of a `BOOK`
//! without `TI`); `DA` for month and day. Dates may be `2020`,
//! `2020///`, `2020/02/29/`, `2020/02/29/Spring` or `2020-02-29`; text
//! that is not such a date (`Spring 2001`) gives its year, and is kept in
//! `extra["PY"]` or `extra["DA"]`. An `SN` with 10 or 13 digits is the
//! ISBN, else it is kept as `extra["ISSN"]`. `DO` loses a
//! `https://doi.org/` prefix; with no `DO`, an `M3` holding a DOI is used.
//! `N1  - Question: …` is the question; the other `N1` lines are the note
//! (joined by line breaks); both in `en`. `AB` (else `N2`) is kept as
//! `extra["abstract"]`. Every other tag is kept in `extra` under its name,
//! repeated tags joined by line breaks.
//!
//! Errors name the line: a tag line before the first `TY`, an `ER`
//! without a record, a new `TY` before `ER`, a record cut off by the end of
//! the input, a line that is not UTF-8. The record at fault is reported
//! and reading goes on with the next one.
//!
//! What does not survive a round trip: line breaks in values (but a
//! note's lines, less blank ones, come back as its lines); question and
//! note in other languages than the one written; a person with no given
//! name (read back as an organisation); `authors_truncated`.
//!
//! ```
//! use paper_format::{Format, WriteOptions};
//! use paper_model::{Author, CollectionHeader, Paper};
//!
//! let mut paper = Paper::new("Long Short-Term Memory", 1997);
//! paper.authors = vec![Author::person("Hochreiter", "Sepp")];
//! paper.pages = Some("1735-1780".into());
//!
//! let mut writer = paper_ris::Ris.writer(&WriteOptions::default()).unwrap();
//! let mut out = Vec::new();
//! writer.begin(&mut out, &CollectionHeader::default())?;
//! writer.write_paper(&mut out, &paper)?;
//! writer.finish(&mut out)?;
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "TY  - GEN\r\nID  - hochreiter1997long\r\nTI  - Long Short-Term Memory\r\n\
//!      AU  - Hochreiter, Sepp\r\nPY  - 1997\r\nDA  - 1997///\r\n\
//!      SP  - 1735\r\nEP  - 1780\r\nER  - \r\n\r\n"
//! );
//! # Ok::<(), paper_format::Error>(())
//! ```
#![deny(missing_docs)]

mod reader;
#[cfg(test)]
mod round_trip;
mod tags;
mod writer;

use paper_format::{Format, FormatInfo, ReadOptions, Reader, WriteOptions, Writer};

pub use reader::RisReader;
pub use writer::RisWriter;

/// The RIS format.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ris;

static INFO: FormatInfo = FormatInfo {
    name: "ris",
    aliases: &[],
    extensions: &["ris"],
    summary: "RIS, the tagged format of EndNote, Zotero and Mendeley (CRLF, UTF-8)",
    binary: false,
};

impl Format for Ris {
    fn info(&self) -> &FormatInfo {
        &INFO
    }
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        Some(Box::new(RisWriter::new(options)))
    }
    fn reader(&self, _: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(RisReader))
    }
}
