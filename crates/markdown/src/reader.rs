use std::io::BufRead;

use paper_format::citation_key::KeyGen;
use paper_format::{Error, Location, PaperSink, ReadOptions, Reader, Source, Utf8Input};
use paper_model::{CollectionHeader, Paper};

use crate::inline::{arxiv_id, find_title, parse_authors, parse_date, plain};
use crate::table::{Cell, Role, has_pipe, is_delimiter_row, split_row};

/// Reads the paper tables of a Markdown file, row by row.
///
/// See the crate documentation for what it reads and how.
#[derive(Clone, Debug, Default)]
pub struct MarkdownReader {
    /// `None` tells the language of each note by its script.
    lang: Option<String>,
}

impl MarkdownReader {
    /// A reader that puts notes and questions under `lang`, or, with
    /// `None` or `auto`, under the language of their script
    /// ([`paper_model::detect_language`]).
    pub fn new(lang: Option<&str>) -> Self {
        MarkdownReader {
            lang: lang
                .map(str::trim)
                .filter(|l| !l.is_empty() && *l != "auto")
                .map(str::to_owned),
        }
    }

    /// A reader configured from the setting `lang`.
    pub fn from_options(options: &ReadOptions) -> Self {
        MarkdownReader::new(options.settings.get("lang").map(String::as_str))
    }
}

/// Where the reader is in the file.
enum State {
    /// Before the first line.
    Start,
    /// Inside `---` front matter at the top.
    FrontMatter,
    /// Outside tables; `candidate` is the last line, if it may be a header.
    Text { candidate: Option<(String, u64)> },
    /// Inside a fenced code block opened by this many of this character.
    Fence { marker: char, len: usize },
    /// Inside a table; `columns` is `None` when it is not a paper table.
    Table { columns: Option<Vec<Role>> },
}

/// The state of one read: the keys given so far, for `a`, `b`, … suffixes
/// (one string per paper read).
struct Run<'a> {
    reader: &'a MarkdownReader,
    source: &'a Source,
    keys: KeyGen,
}

impl Reader for MarkdownReader {
    fn checks_utf8(&self) -> bool {
        true
    }

    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        let mut checked = Utf8Input::new(input);
        let mut run = Run {
            reader: self,
            source,
            keys: KeyGen::new(),
        };
        run.read(&mut checked, sink)
            .map_err(|e| e.at_source(source))
    }
}

/// A fence opener: three or more backticks or tildes.
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let marker = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = t.chars().take_while(|&c| c == marker).count();
    (len >= 3).then_some((marker, len))
}

impl Run<'_> {
    fn read(&mut self, input: &mut dyn BufRead, sink: &mut dyn PaperSink) -> Result<(), Error> {
        sink.header(CollectionHeader::default())?;
        let mut state = State::Start;
        let mut bytes = Vec::new();
        let mut number = 0u64;
        loop {
            bytes.clear();
            if input.read_until(b'\n', &mut bytes)? == 0 {
                return Ok(());
            }
            number += 1;
            let mut line = String::from_utf8_lossy(&bytes).into_owned();
            if number == 1 && line.starts_with('\u{feff}') {
                line.remove(0);
            }
            let line = line.trim_end_matches(['\n', '\r']);
            state = self.line(state, line, number, sink)?;
        }
    }

    /// Moves the state on by one line, handing any paper to the sink.
    fn line(
        &mut self,
        state: State,
        line: &str,
        number: u64,
        sink: &mut dyn PaperSink,
    ) -> Result<State, Error> {
        Ok(match state {
            State::Start if line.trim_end() == "---" => State::FrontMatter,
            State::Start => return self.line(State::Text { candidate: None }, line, number, sink),
            State::FrontMatter if matches!(line.trim_end(), "---" | "...") => {
                State::Text { candidate: None }
            }
            State::FrontMatter => State::FrontMatter,
            State::Fence { marker, len } => {
                let t = line.trim();
                if t.chars().take_while(|&c| c == marker).count() >= len
                    && t.chars().all(|c| c == marker)
                {
                    State::Text { candidate: None }
                } else {
                    State::Fence { marker, len }
                }
            }
            State::Table { columns } => {
                if line.trim().is_empty() || !has_pipe(line) {
                    return self.line(State::Text { candidate: None }, line, number, sink);
                }
                if let Some(roles) = &columns {
                    let cells = split_row(line);
                    if cells.iter().any(|c| !c.text.is_empty()) {
                        sink.record(self.paper(roles, &cells, number))?;
                    }
                }
                State::Table { columns }
            }
            State::Text { candidate } => {
                if let Some((marker, len)) = fence(line) {
                    return Ok(State::Fence { marker, len });
                }
                if let Some((header, _)) = &candidate
                    && is_delimiter_row(line)
                {
                    let names = split_row(header);
                    if names.len() == split_row(line).len() {
                        let roles: Vec<Role> =
                            names.iter().map(|c| crate::table::role(&c.text)).collect();
                        return Ok(State::Table {
                            columns: is_paper_table(&roles).then_some(roles),
                        });
                    }
                }
                let candidate =
                    (has_pipe(line) && !line.trim().is_empty()).then(|| (line.to_owned(), number));
                State::Text { candidate }
            }
        })
    }

    /// One row of a paper table.
    fn paper(
        &mut self,
        roles: &[Role],
        cells: &[Cell],
        line: u64,
    ) -> Result<(Paper, Location), Error> {
        let source = self.source;
        let mut paper = Paper::default();
        let mut title_column = None;
        let lang = |text: &str| {
            self.reader
                .lang
                .clone()
                .unwrap_or_else(|| paper_model::detect_language(text).to_owned())
        };
        for (i, role) in roles.iter().enumerate() {
            let Some(cell) = cells.get(i) else { break };
            let text = cell.text.as_str();
            let at = source.at(line, cell.column);
            match role {
                Role::Year => {
                    if !plain(text).is_empty() {
                        let (year, month, day) = parse_date(&plain(text)).ok_or_else(|| {
                            Error::parse(
                                at,
                                format!(
                                    "expected a year such as 1986, 2017-06 or 2017年6月, found `{text}`"
                                ),
                            )
                        })?;
                        paper.year = Some(year);
                        paper.month = month;
                        paper.day = day;
                    }
                }
                Role::Authors => {
                    let (authors, truncated) = parse_authors(text);
                    paper.authors = authors;
                    paper.authors_truncated = truncated;
                }
                Role::Title => {
                    title_column = Some((i, cell.column));
                    match find_title(text).filter(|t| t.start == 0) {
                        Some(title) => {
                            paper.title = title.text;
                            paper.url = paper.url.take().or(title.url);
                            let rest_text = &text[title.end..];
                            if paper.url.is_none() {
                                paper.url = find_title(rest_text).and_then(|t| t.url);
                            }
                            let rest = plain(rest_text);
                            if !rest.is_empty() {
                                paper
                                    .extra
                                    .insert(format!("{} (rest)", header_name(role, i)), rest);
                            }
                        }
                        None => paper.title = plain(text),
                    }
                }
                Role::AuthorsTitle => {
                    title_column = Some((i, cell.column));
                    let Some(title) = find_title(text) else {
                        if text.is_empty() {
                            continue;
                        }
                        return Err(Error::parse(
                            at,
                            "expected the title in *…*, **…**, 《…》 or [title](url) after the authors",
                        ));
                    };
                    paper.title = title.text;
                    paper.url = paper.url.take().or(title.url);
                    let before = text[..title.start].trim_end_matches(|c: char| {
                        c.is_whitespace()
                            || matches!(c, ',' | '，' | ':' | '：' | '.' | '。' | '-' | '—')
                    });
                    let after = text[title.end..].trim_start_matches(|c: char| {
                        c.is_whitespace() || matches!(c, ',' | '，' | ':' | '：' | '.' | '。')
                    });
                    let (authors_text, rest) = if before.trim().is_empty() {
                        (after, "")
                    } else {
                        (before, after)
                    };
                    let (authors, truncated) = parse_authors(authors_text);
                    paper.authors = authors;
                    paper.authors_truncated = truncated;
                    if paper.url.is_none() {
                        paper.url = find_title(rest).and_then(|t| t.url);
                    }
                    let rest = plain(rest);
                    if !rest.is_empty() {
                        paper.extra.insert("rest".to_owned(), rest);
                    }
                }
                Role::Note | Role::Question => {
                    if !text.is_empty() {
                        let target = if *role == Role::Note {
                            &mut paper.note
                        } else {
                            &mut paper.question
                        };
                        target.set(lang(text), text);
                    }
                }
                Role::Venue => paper.venue = Some(plain(text)).filter(|v| !v.is_empty()),
                Role::Link => {
                    let url = find_title(text)
                        .and_then(|t| t.url)
                        .unwrap_or_else(|| plain(text));
                    if !url.is_empty() {
                        paper.url = Some(url);
                    }
                }
                Role::Tags => {
                    paper.tags = plain(text)
                        .split([',', ';', '，', '；', '、'])
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                Role::Doi => {
                    let t = plain(text);
                    let bare = paper_model::bare_doi(&t);
                    paper.doi = Some(bare.to_owned()).filter(|d| !d.is_empty());
                }
                Role::Arxiv => {
                    let t = plain(text);
                    let bare = arxiv_id(&t)
                        .or_else(|| t.strip_prefix("arXiv:").map(str::to_owned))
                        .unwrap_or(t);
                    paper.arxiv = Some(bare.trim().to_owned()).filter(|a| !a.is_empty());
                }
                Role::Extra(name) => {
                    if !text.is_empty() {
                        paper.extra.insert(name.clone(), text.to_owned());
                    }
                }
            }
        }
        if paper.title.is_empty() {
            let (i, column) = title_column.unwrap_or((0, 1));
            let header = roles.get(i).map(|r| header_name(r, i)).unwrap_or_default();
            return Err(Error::parse(
                source.at(line, column),
                format!("expected a title in the `{header}` column, found an empty cell"),
            ));
        }
        if paper.arxiv.is_none() {
            paper.arxiv = paper.url.as_deref().and_then(arxiv_id);
        }
        paper.id = self.keys.key(&paper);
        Ok((paper, source.at(line, 1)))
    }
}

/// A name for a column in messages.
fn header_name(role: &Role, index: usize) -> String {
    match role {
        Role::Title => "title".to_owned(),
        Role::AuthorsTitle => "authors/title".to_owned(),
        Role::Extra(name) => name.clone(),
        _ => format!("column {}", index + 1),
    }
}

/// A table is read as papers when it has a title (alone or with the
/// authors) and a year or authors.
fn is_paper_table(roles: &[Role]) -> bool {
    let has = |r: &Role| roles.contains(r);
    has(&Role::AuthorsTitle) || (has(&Role::Title) && (has(&Role::Year) || has(&Role::Authors)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_format::Collect;
    use paper_model::Author;

    fn read(input: &str) -> Collect {
        let mut sink = Collect::default();
        MarkdownReader::default()
            .read(&mut input.as_bytes(), &Source::new("in.md"), &mut sink)
            .unwrap();
        sink
    }

    #[test]
    fn ids_get_letters_when_they_collide() {
        let c = read(
            "| Year | Authors | Title |\n|---|---|---|\n\
             | 2018 | Anna Müller | *Deep Learning of Keys* |\n\
             | 2018 | Bernd Müller | *Deep Networks* |\n\
             | 2018 | Carl Müller | Deep Again\n",
        );
        let ids: Vec<&str> = c.papers.iter().map(|(p, _)| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["muller2018deep", "muller2018deepa", "muller2018deepb"]
        );
        assert_eq!(c.papers[2].0.title, "Deep Again");
    }

    #[test]
    fn tables_without_papers_and_code_blocks_are_skipped() {
        let c = read(
            "| Model | Score |\n|---|---|\n| A | 1 |\n\n\
             ```\n| Year | Title |\n|---|---|\n| 1999 | *Hidden* |\n```\n\
             Year | Title\n--- | ---\n1999 | Shown\n",
        );
        assert!(c.errors.is_empty());
        assert_eq!(c.papers.len(), 1);
        assert_eq!(c.papers[0].0.title, "Shown");
        assert_eq!(c.papers[0].1, Location::new("in.md", 12, 1));
    }

    #[test]
    fn bad_cells_are_record_errors_with_their_place() {
        let c = read(
            "|年份|作者/标题|\n|---|---|\n|19x6|A Lee，*T*|\n|1990|Ann Lee, no title here|\n|1991||\n|1992|Bo Chen，*Good*|\n",
        );
        assert_eq!(
            c.errors,
            [
                "in.md:3:2: expected a year such as 1986, 2017-06 or 2017年6月, found `19x6`",
                "in.md:4:7: expected the title in *…*, **…**, 《…》 or [title](url) after the authors",
                "in.md:5:7: expected a title in the `authors/title` column, found an empty cell",
            ]
        );
        assert_eq!(c.papers.len(), 1);
        assert_eq!(c.papers[0].0.authors, [Author::person("Chen", "Bo")]);
    }

    #[test]
    fn text_after_the_title_is_kept_and_its_link_used() {
        let c = read(
            "| Year | Authors / Title |\n|---|---|\n\
             | 2020 | Ann Lee, **Short Title**, NeurIPS 2020 [[pdf]](https://e.org/p.pdf) |\n\
             | 2021 | *Title First* Bo Chen and Cy Dunn |\n",
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let (a, b) = (&c.papers[0].0, &c.papers[1].0);
        assert_eq!(a.title, "Short Title");
        assert_eq!(a.url.as_deref(), Some("https://e.org/p.pdf"));
        assert_eq!(
            a.extra.get("rest").map(String::as_str),
            Some("NeurIPS 2020 [pdf]")
        );
        assert_eq!(a.authors, [Author::person("Lee", "Ann")]);
        assert_eq!(b.title, "Title First");
        assert_eq!(
            b.authors,
            [Author::person("Chen", "Bo"), Author::person("Dunn", "Cy")]
        );
        assert!(b.extra.is_empty());
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let mut sink = Collect::default();
        let err = MarkdownReader::default()
            .read(
                &mut &b"# T\n|Year|Title|\n\xff"[..],
                &Source::new("in.md"),
                &mut sink,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "in.md:3:1: invalid UTF-8 at byte offset 17 (byte 0xff): the input must be UTF-8"
        );
    }

    #[test]
    fn fixed_language_setting() {
        let mut sink = Collect::default();
        MarkdownReader::new(Some("zh"))
            .read(
                &mut "|Year|Title|Notes|\n|-|-|-|\n|2000|T|plain English|\n".as_bytes(),
                &Source::new("in.md"),
                &mut sink,
            )
            .unwrap();
        assert_eq!(sink.papers[0].0.note.exact("zh"), Some("plain English"));
    }
}
