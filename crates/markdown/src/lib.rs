//! Markdown paper tables (`markdown`, `.md`): the lists people keep in a
//! README or a blog post, read row by row.
//!
//! # What is read
//!
//! Every table whose header names a title (alone, or with the authors in
//! one column such as `作者/标题`) and a year or authors. Other tables, text
//! outside tables, `---` front matter at the top and fenced code blocks are
//! skipped. Several tables are read in order; a row needs no closing `|`.
//!
//! | header (any case, `**bold**` allowed) | goes to |
//! |---|---|
//! | `Year`, `Date`, `Published`, `年份`, `年`, `日期`, `时间` | `year` (and `month`, `day` from `2017-06`, `2017/6/12`, `2017年6月`) |
//! | `Authors`, `Author`, `By`, `作者` | `authors` |
//! | `Title`, `Paper`, `标题`, `题目`, `论文` | `title` (a `[title](url)` link gives `url`) |
//! | `Authors/Title`, `作者/标题`, `Authors & Title`, `作者和标题` | both: `A、B和C，*Title*` |
//! | `Notes`, `Note`, `Comments`, `Summary`, `Description`, `注释`, `备注`, `说明`, `简介` | `note` |
//! | `Question`, `问题` | `question` |
//! | `Venue`, `Conference`, `Journal`, `会议`, `期刊` | `venue` |
//! | `Link`, `URL`, `PDF`, `链接` | `url` |
//! | `Tags`, `Keywords`, `Topic`, `关键词`, `标签` | `tags`, split at `,` `;` `、` |
//! | `DOI`, `arXiv` | `doi`, `arxiv` (links and prefixes removed) |
//! | anything else (`Institute`) | `extra`, under the header as written |
//!
//! # How cells are read
//!
//! - **Titles** are the first `*…*`, `**…**`, `__…__`, `_…_`, `《…》` or
//!   `[…](url)` in an authors/title cell; the authors are the text before
//!   it (or after it, when nothing comes before), and any text after it is
//!   kept in `extra` as `rest` (`title (rest)` in a title column); a link in
//!   that text gives the `url` when the title has none. A title cell
//!   without markup is the title as it stands. Inline markup is removed
//!   from titles, names, years and extra column names.
//! - **Authors** are split at `,` `;` `&` `and` `、` `和` `，` `；`; a
//!   final `et al.`, `others` or `等` sets `authors_truncated`; a lone
//!   `Jr.` after a comma is the suffix of the name before it. `和` always
//!   separates, so a Chinese name containing `和` is cut in two.
//! - **Names** are in reading order. The last word is the family name, the
//!   words before it the given names, and lowercase words before the last
//!   one a particle (`George van den Driessche`); a spaced `-` joins words
//!   (`Jascha Sohl - Dickstein` has the family name `Sohl - Dickstein`, as
//!   written). A Chinese name of 2–4 characters (`何恺明`) has its first
//!   character (or a compound such as `欧阳`) as family name. A single
//!   word (`OpenAI`) or a longer Chinese name is an organisation. Names in
//!   `Family, Given` order are not recognised: the comma separates authors.
//! - **Notes** (and questions) are kept as written and go to the language
//!   of their script ([`paper_model::detect_language`]: `zh` when
//!   Chinese); the setting `lang` puts them all under one language.
//! - An `arxiv.org/abs/…` or `/pdf/…` link also fills `arxiv`.
//! - **Ids** are citation keys made by
//!   [`paper_format::citation_key::KeyGen`] (`mcculloch1943logical`): a key
//!   that an earlier row of the same file has gets `a`, `b`, … added.
//!
//! A row whose year is not a date, or whose title is missing, is an error
//! naming the file, line and column of the cell; the other rows are still
//! read. Invalid UTF-8 ends the read with its byte offset.
//!
//! ```
//! use paper_format::{Error, Format, Location, PaperSink, ReadOptions, Source};
//! use paper_model::{Author, CollectionHeader, Paper};
//!
//! struct Papers(Vec<Paper>);
//! impl PaperSink for Papers {
//!     fn header(&mut self, _: CollectionHeader) -> Result<(), Error> { Ok(()) }
//!     fn record(&mut self, r: Result<(Paper, Location), Error>) -> Result<(), Error> {
//!         self.0.push(r?.0);
//!         Ok(())
//!     }
//! }
//!
//! let text = "|年份|作者/标题|注释|\n|---|---|---|\n\
//!             |1997|Sepp Hochreiter和Jürgen Schmidhuber，*Long Short-Term Memory*|记忆能持续多久？|\n";
//! let reader = paper_markdown::Markdown.reader(&ReadOptions::default()).unwrap();
//! let mut papers = Papers(Vec::new());
//! reader.read(&mut text.as_bytes(), &Source::new("list.md"), &mut papers)?;
//! let paper = &papers.0[0];
//! assert_eq!(paper.id, "hochreiter1997long");
//! assert_eq!(paper.title, "Long Short-Term Memory");
//! assert_eq!(paper.year, Some(1997));
//! assert_eq!(paper.authors[1], Author::person("Schmidhuber", "Jürgen"));
//! assert_eq!(paper.note.exact("zh"), Some("记忆能持续多久？"));
//! # Ok::<(), Error>(())
//! ```
#![deny(missing_docs)]

mod inline;
mod reader;
mod table;

use paper_format::{Format, FormatInfo, ReadOptions, Reader};

pub use reader::MarkdownReader;

/// Markdown paper tables; read only.
#[derive(Clone, Copy, Debug, Default)]
pub struct Markdown;

static INFO: FormatInfo = FormatInfo {
    name: "markdown",
    aliases: &["md"],
    extensions: &["md", "markdown"],
    summary: "paper tables in Markdown (README or blog lists, English or Chinese headers)",
    binary: false,
};

impl Format for Markdown {
    fn info(&self) -> &FormatInfo {
        &INFO
    }
    fn reader(&self, options: &ReadOptions) -> Option<Box<dyn Reader>> {
        Some(Box::new(MarkdownReader::from_options(options)))
    }
}
