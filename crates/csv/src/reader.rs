use std::collections::HashMap;
use std::io::{BufRead, Read};

use paper_format::{Error, Location, PaperSink, ReadOptions, Reader, Source, Utf8Input};
use paper_model::{Author, CollectionHeader, Paper, PaperType, Person};

use crate::writer::{HEADER, needs_formula_guard};

/// The model field a column fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Id,
    Type,
    Title,
    Authors,
    Year,
    Month,
    Day,
    Venue,
    Volume,
    Number,
    Pages,
    Publisher,
    Doi,
    Arxiv,
    Url,
    Isbn,
    Tags,
    Question,
    Note,
    /// A column the model does not name: kept in `extra` under this header.
    Extra,
}

impl Field {
    fn from_header(name: &str) -> Field {
        match name.trim().to_lowercase().as_str() {
            "id" => Field::Id,
            "type" => Field::Type,
            "title" => Field::Title,
            "authors" | "author" => Field::Authors,
            "year" => Field::Year,
            "month" => Field::Month,
            "day" => Field::Day,
            "venue" => Field::Venue,
            "volume" => Field::Volume,
            "number" => Field::Number,
            "pages" => Field::Pages,
            "publisher" => Field::Publisher,
            "doi" => Field::Doi,
            "arxiv" => Field::Arxiv,
            "url" => Field::Url,
            "isbn" => Field::Isbn,
            "tags" => Field::Tags,
            "question" => Field::Question,
            "note" => Field::Note,
            _ => Field::Extra,
        }
    }

    /// Numbers are never guarded by the writer, so never unguarded here.
    fn is_numeric(self) -> bool {
        matches!(self, Field::Year | Field::Month | Field::Day)
    }
}

/// How the question and note columns are assigned a language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    /// `zh` (or `ja`, `ko`) when the text is mostly in that script, else `en`.
    Auto,
    /// Always this language code.
    Fixed(String),
}

impl Lang {
    pub(crate) fn from_setting(value: Option<&str>) -> Lang {
        match value.map(str::trim) {
            None | Some("") | Some("auto") => Lang::Auto,
            Some(code) => Lang::Fixed(code.to_owned()),
        }
    }

    fn of(&self, text: &str) -> String {
        match self {
            Lang::Fixed(code) => code.clone(),
            Lang::Auto => paper_model::detect_language(text).to_owned(),
        }
    }
}

/// Reads CSV or TSV with a header row, one paper per row.
///
/// See the crate documentation for the columns and the rules.
#[derive(Clone, Debug)]
pub struct CsvReader {
    delimiter: u8,
    lang: Lang,
    unguard: bool,
}

impl CsvReader {
    /// A reader for this delimiter. `lang` is the language code of the
    /// question and note columns, or `auto` (or `None`) to tell by the
    /// script of each text. `unguard` removes the `'` that the writer puts
    /// before formula-like cells.
    pub fn new(delimiter: u8, lang: Option<&str>, unguard: bool) -> Self {
        CsvReader {
            delimiter,
            lang: Lang::from_setting(lang),
            unguard,
        }
    }

    /// A reader configured from the settings `lang` and `csv-raw`.
    pub fn from_options(delimiter: u8, options: &ReadOptions) -> Self {
        let setting = |key: &str| options.settings.get(key).map(String::as_str);
        CsvReader::new(
            delimiter,
            setting("lang"),
            setting("csv-raw") != Some("true"),
        )
    }
}

/// Passes bytes through and keeps those of the current record, so that
/// an error can name the line and column of a cell.
struct Recorder<R> {
    inner: R,
    kept: Vec<u8>,
    /// Offset (after any byte order mark) of `kept[0]`.
    kept_from: u64,
}

impl<R: Read> Read for Recorder<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.kept.extend_from_slice(&out[..n]);
        Ok(n)
    }
}

impl<R> Recorder<R> {
    /// Forgets the bytes before `offset`.
    fn forget_before(&mut self, offset: u64) {
        let drop = offset
            .saturating_sub(self.kept_from)
            .min(self.kept.len() as u64) as usize;
        self.kept.drain(..drop);
        self.kept_from += drop as u64;
    }

    /// The bytes from `offset` on, as far as they were read.
    fn from(&self, offset: u64) -> &[u8] {
        let start = offset
            .saturating_sub(self.kept_from)
            .min(self.kept.len() as u64) as usize;
        &self.kept[start..]
    }
}

/// Line and column (from 1) of cell `index` in a raw record that starts at
/// `line`, column 1; past the last cell, the end of the record.
fn cell_position(raw: &[u8], index: usize, delimiter: u8, line: u64) -> (u64, u64) {
    let (mut line, mut column) = (line, 1u64);
    let mut cell = 0usize;
    let mut quoted = false;
    let mut at_cell_start = true;
    let mut i = 0;
    while i < raw.len() {
        if cell == index && at_cell_start {
            return (line, column);
        }
        let b = raw[i];
        if quoted {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 1;
                    column += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && at_cell_start {
            quoted = true;
        } else if b == delimiter {
            cell += 1;
            at_cell_start = true;
            column += 1;
            i += 1;
            continue;
        } else if b == b'\n' || b == b'\r' {
            break;
        }
        at_cell_start = false;
        if b == b'\n' {
            line += 1;
            column = 1;
        } else if b & 0xC0 != 0x80 {
            column += 1;
        }
        i += 1;
    }
    (line, column)
}

struct Columns {
    fields: Vec<Field>,
    names: Vec<String>,
}

impl Reader for CsvReader {
    fn checks_utf8(&self) -> bool {
        true
    }

    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        self.read_checked(input, source, sink)
            .map_err(|e| e.at_source(source))
    }
}

impl CsvReader {
    fn read_checked(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        let mut checked = Utf8Input::new(input);
        if checked.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            checked.consume(3);
        }
        let recorder = Recorder {
            inner: checked,
            kept: Vec::new(),
            kept_from: 0,
        };
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(recorder);
        let mut record = csv::ByteRecord::new();
        if !csv.read_byte_record(&mut record).map_err(csv_error)? {
            return Err(Error::parse(
                source.at(1, 1),
                format!(
                    "the input is empty: expected a header row with the columns {}",
                    HEADER.join(", ")
                ),
            ));
        }
        let columns = self.columns(&record, csv.get_ref(), source)?;
        sink.header(CollectionHeader::default())?;
        loop {
            if let Some(at) = record.position() {
                csv.get_mut().forget_before(at.byte());
            }
            if !csv.read_byte_record(&mut record).map_err(csv_error)? {
                return Ok(());
            }
            if record.iter().all(|cell| cell.is_empty()) {
                continue;
            }
            let result = self.paper(&record, &columns, csv.get_ref(), source);
            sink.record(result)?;
        }
    }

    fn columns(
        &self,
        header: &csv::ByteRecord,
        raw: &Recorder<impl Read>,
        source: &Source,
    ) -> Result<Columns, Error> {
        let mut fields = Vec::new();
        let mut names = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, cell) in header.iter().enumerate() {
            let name = String::from_utf8_lossy(cell).trim().to_owned();
            let field = Field::from_header(&name);
            let key = if field == Field::Extra {
                name.clone()
            } else {
                format!("{field:?}")
            };
            if let Some(first) = seen.insert(key, i) {
                let (line, column) = locate(header, i, raw, self.delimiter);
                return Err(Error::parse(
                    source.at(line, column),
                    format!(
                        "column `{name}` appears twice in the header (columns {} and {}): expected each column once",
                        first + 1,
                        i + 1
                    ),
                ));
            }
            let name = if name.is_empty() {
                format!("column{}", i + 1)
            } else {
                name
            };
            fields.push(field);
            names.push(name);
        }
        if !fields.contains(&Field::Title) {
            let line = header.position().map_or(1, |p| p.line());
            return Err(Error::parse(
                source.at(line, 1),
                format!(
                    "the header has no `title` column: expected a header row with the columns {} (in any order)",
                    HEADER.join(", ")
                ),
            ));
        }
        Ok(Columns { fields, names })
    }

    fn paper(
        &self,
        record: &csv::ByteRecord,
        columns: &Columns,
        raw: &Recorder<impl Read>,
        source: &Source,
    ) -> Result<(Paper, Location), Error> {
        let line = record.position().map_or(0, |p| p.line());
        let at = |i: usize| {
            let (line, column) = locate(record, i, raw, self.delimiter);
            source.at(line, column)
        };
        if record.len() != columns.fields.len() {
            let i = record.len().min(columns.fields.len());
            return Err(Error::parse(
                at(i),
                format!(
                    "expected {} cells as in the header, found {}",
                    columns.fields.len(),
                    record.len()
                ),
            ));
        }
        let mut paper = Paper::default();
        for (i, cell) in record.iter().enumerate() {
            let field = columns.fields[i];
            let name = &columns.names[i];
            let text = String::from_utf8_lossy(cell);
            let text = if self.unguard && !field.is_numeric() {
                unguard(&text)
            } else {
                &text
            };
            let number = |what: &str| -> Result<Option<i64>, Error> {
                let t = text.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                t.parse::<i64>().map(Some).map_err(|_| {
                    Error::parse(
                        at(i),
                        format!("column `{name}`: expected {what}, found `{t}`"),
                    )
                })
            };
            let optional = || (!text.is_empty()).then(|| text.to_owned());
            match field {
                Field::Id => paper.id = text.to_owned(),
                Field::Type => {
                    let t = text.trim().to_lowercase();
                    paper.kind = if t.is_empty() {
                        PaperType::Misc
                    } else {
                        PaperType::from_name(&t).ok_or_else(|| {
                            let names: Vec<&str> =
                                PaperType::ALL.iter().map(|k| k.as_str()).collect();
                            Error::parse(
                                at(i),
                                format!(
                                    "column `{name}`: expected one of {}, found `{}`",
                                    names.join(", "),
                                    text.trim()
                                ),
                            )
                        })?
                    };
                }
                Field::Title => paper.title = text.to_owned(),
                Field::Authors => paper.authors = parse_authors(text),
                Field::Year => {
                    paper.year = number("a whole number such as 1986")?
                        .map(|y| {
                            i32::try_from(y).map_err(|_| {
                                Error::parse(
                                    at(i),
                                    format!("column `{name}`: year {y} is too large"),
                                )
                            })
                        })
                        .transpose()?;
                }
                Field::Month | Field::Day => {
                    let (what, max) = if field == Field::Month {
                        ("a month from 1 to 12", 12)
                    } else {
                        ("a day from 1 to 31", 31)
                    };
                    let value = number(what)?
                        .map(|v| {
                            u8::try_from(v)
                                .ok()
                                .filter(|v| (1..=max).contains(v))
                                .ok_or_else(|| {
                                    Error::parse(
                                        at(i),
                                        format!("column `{name}`: expected {what}, found `{v}`"),
                                    )
                                })
                        })
                        .transpose()?;
                    if field == Field::Month {
                        paper.month = value;
                    } else {
                        paper.day = value;
                    }
                }
                Field::Venue => paper.venue = optional(),
                Field::Volume => paper.volume = optional(),
                Field::Number => paper.number = optional(),
                Field::Pages => paper.pages = optional(),
                Field::Publisher => paper.publisher = optional(),
                Field::Doi => paper.doi = optional(),
                Field::Arxiv => paper.arxiv = optional(),
                Field::Url => paper.url = optional(),
                Field::Isbn => paper.isbn = optional(),
                Field::Tags => {
                    paper.tags = text
                        .split(';')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                Field::Question | Field::Note if !text.is_empty() => {
                    let target = if field == Field::Question {
                        &mut paper.question
                    } else {
                        &mut paper.note
                    };
                    target.set(self.lang.of(text), text);
                }
                Field::Question | Field::Note => {}
                Field::Extra => {
                    if !text.is_empty() {
                        paper.extra.insert(name.clone(), text.to_owned());
                    }
                }
            }
        }
        Ok((paper, source.at(line, 1)))
    }
}

fn locate(
    record: &csv::ByteRecord,
    index: usize,
    raw: &Recorder<impl Read>,
    delimiter: u8,
) -> (u64, u64) {
    match record.position() {
        Some(p) => cell_position(raw.from(p.byte()), index, delimiter, p.line()),
        None => (0, 0),
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

/// Removes the `'` that the writer put before a formula-like cell: only
/// when what follows would itself have been guarded.
///
/// ```
/// assert_eq!(paper_csv::unguard("'=1+1"), "=1+1");
/// assert_eq!(paper_csv::unguard("''=1"), "'=1");
/// assert_eq!(paper_csv::unguard("'quoted'"), "'quoted'");
/// ```
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_formula_guard(rest) => rest,
        _ => cell,
    }
}

/// Splits `Family, Given; Family, Given; Organisation` back into authors.
fn parse_authors(cell: &str) -> Vec<Author> {
    cell.split(';')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(parse_inverted)
        .collect()
}

const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// One name in sorting order, as [`Author::inverted_name`] writes it:
/// `particle Family, Given`, `particle Family, Suffix, Given`, or an
/// organisation's name with no comma.
///
/// ```
/// use paper_model::Author;
/// let a = paper_csv::parse_inverted("van den Driessche, George");
/// assert_eq!(a.display_name(), "George van den Driessche");
/// assert_eq!(paper_csv::parse_inverted("OpenAI"), Author::organization("OpenAI"));
/// ```
pub fn parse_inverted(name: &str) -> Author {
    let parts: Vec<&str> = name.split(',').map(str::trim).collect();
    let (family_part, suffix, given) = match parts.as_slice() {
        [] | [_] => return Author::organization(name.trim()),
        [family, second] if SUFFIXES.contains(second) => (*family, Some(*second), ""),
        [family, given] => (*family, None, *given),
        [family, suffix, ..] => {
            // The given name is everything after the second comma.
            let given = name.splitn(3, ',').nth(2).unwrap_or("").trim();
            (*family, Some(*suffix), given)
        }
    };
    let (particle, family) = split_particle(family_part);
    Author::Person(Person {
        family: family.to_owned(),
        given: (!given.is_empty()).then(|| given.to_owned()),
        particle: particle.map(str::to_owned),
        suffix: suffix.filter(|s| !s.is_empty()).map(str::to_owned),
    })
}

/// `van den Driessche` → (`van den`, `Driessche`): the leading words that
/// start with a lowercase letter, never the last word.
fn split_particle(family: &str) -> (Option<&str>, &str) {
    let mut end = 0;
    let mut rest = family;
    loop {
        let trimmed = rest.trim_start();
        let Some(space) = trimmed.find(char::is_whitespace) else {
            break;
        };
        let word = &trimmed[..space];
        if !word.chars().next().is_some_and(char::is_lowercase) {
            break;
        }
        end = family.len() - trimmed.len() + space;
        rest = &trimmed[space..];
    }
    if end == 0 {
        (None, family)
    } else {
        (Some(family[..end].trim()), family[end..].trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CsvWriter;
    use paper_format::Collect;
    use paper_format::Writer;

    fn read_with(reader: &CsvReader, input: &[u8]) -> Result<Collect, Error> {
        let mut sink = Collect::default();
        let mut bytes = input;
        reader.read(&mut bytes, &Source::new("in.csv"), &mut sink)?;
        Ok(sink)
    }

    fn read(input: &str) -> Result<Collect, Error> {
        read_with(&CsvReader::new(b',', None, true), input.as_bytes())
    }

    #[test]
    fn columns_in_any_order_unknown_ones_into_extra() {
        let c = read(
            "\u{feff}Title,YEAR,Institute,authors,tags,note\n\
             \"Long, Short\",1997,IDSIA,\"Hochreiter, Sepp; Schmidhuber, Jürgen; OpenAI\",memory; rnn ,Deep note\n\
             B,,,,,深度学习的注释\n",
        )
        .unwrap();
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let (a, at) = &c.papers[0];
        assert_eq!(at, &Location::new("in.csv", 2, 1));
        assert_eq!(a.title, "Long, Short");
        assert_eq!(a.year, Some(1997));
        assert_eq!(a.extra.get("Institute").map(String::as_str), Some("IDSIA"));
        assert_eq!(
            a.authors,
            [
                Author::person("Hochreiter", "Sepp"),
                Author::person("Schmidhuber", "Jürgen"),
                Author::organization("OpenAI")
            ]
        );
        assert_eq!(a.tags, ["memory", "rnn"]);
        assert_eq!(a.note.exact("en"), Some("Deep note"));
        let (b, at) = &c.papers[1];
        assert_eq!(at.line, 3);
        assert_eq!(b.year, None);
        assert_eq!(b.note.exact("zh"), Some("深度学习的注释"));
        assert!(b.extra.is_empty() && b.authors.is_empty());
    }

    #[test]
    fn names_with_particles_and_suffixes() {
        let cases = [
            ("van den Driessche, George", "George van den Driessche"),
            ("King, Jr., Martin Luther", "Martin Luther King, Jr."),
            ("King, Jr.", "King, Jr."),
            ("de la Cruz, Ana", "Ana de la Cruz"),
            ("boyd, danah", "danah boyd"),
        ];
        for (inverted, display) in cases {
            let author = parse_inverted(inverted);
            assert_eq!(author.inverted_name(), inverted);
            assert_eq!(author.display_name(), display);
        }
        let Author::Person(p) = parse_inverted("van den Driessche, George") else {
            panic!("a person")
        };
        assert_eq!(p.particle.as_deref(), Some("van den"));
        assert_eq!(p.family, "Driessche");
        assert_eq!(
            parse_inverted("AT&T Labs"),
            Author::organization("AT&T Labs")
        );
    }

    #[test]
    fn guard_is_removed_only_where_the_writer_adds_it() {
        let mut p = Paper::new("=HYPERLINK(\"x\")", 2021);
        p.venue = Some("'plain quote".into());
        p.publisher = Some("'=already quoted".into());
        p.tags = vec!["-negative".into(), "+plus".into()];
        p.note.set("en", "＋full width");
        for delimiter in [b',', b'\t'] {
            let mut writer = CsvWriter::new(delimiter, "en", true, true);
            let mut out = Vec::new();
            writer
                .begin(&mut out, &CollectionHeader::default())
                .unwrap();
            writer.write_paper(&mut out, &p).unwrap();
            let text = String::from_utf8(out.clone()).unwrap();
            assert!(
                text.contains("'=HYPERLINK") && text.contains("''=already"),
                "{text}"
            );
            let c = read_with(&CsvReader::new(delimiter, Some("en"), true), &out).unwrap();
            assert_eq!(c.papers[0].0, p);
        }
        // With the guard off, a leading `'` stays.
        let raw = read_with(
            &CsvReader::new(b',', None, false),
            b"title,year\n'=1,2000\n",
        )
        .unwrap();
        assert_eq!(raw.papers[0].0.title, "'=1");
    }

    #[test]
    fn errors_name_line_column_and_what_was_expected() {
        let c =
            read("id,title,year,type\na,\"Two\nlines\",19x6,article\nb,T,2000,journal\nc,T,2001\n")
                .unwrap();
        assert_eq!(
            c.errors,
            [
                "in.csv:3:8: column `year`: expected a whole number such as 1986, found `19x6`",
                "in.csv:4:10: column `type`: expected one of article, inproceedings, incollection, book, phdthesis, techreport, preprint, misc, found `journal`",
                "in.csv:5:9: expected 4 cells as in the header, found 3",
            ]
        );
        let e = read("").err().unwrap().to_string();
        assert!(e.starts_with("in.csv:1:1: the input is empty: expected a header row with the columns id, type, title"), "{e}");
        let e = read("name,year\nx,1\n").err().unwrap().to_string();
        assert!(
            e.starts_with("in.csv:1:1: the header has no `title` column"),
            "{e}"
        );
        let e = read("title,year,Title\n").err().unwrap().to_string();
        assert_eq!(
            e,
            "in.csv:1:12: column `Title` appears twice in the header (columns 1 and 3): expected each column once"
        );
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let e = read_with(
            &CsvReader::new(b',', None, true),
            b"title,year\nok,1\nbad \xff,2\n",
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "in.csv:3:5: invalid UTF-8 at byte offset 20 (byte 0xff): the input must be UTF-8"
        );
    }

    #[test]
    fn cell_positions_follow_quotes_and_lines() {
        let raw = "a,\"b,\"\"c\n d\",é,\n".as_bytes();
        assert_eq!(cell_position(raw, 0, b',', 7), (7, 1));
        assert_eq!(cell_position(raw, 1, b',', 7), (7, 3));
        assert_eq!(cell_position(raw, 2, b',', 7), (8, 5));
        assert_eq!(cell_position(raw, 3, b',', 7), (8, 7));
        assert_eq!(cell_position(raw, 9, b',', 7), (8, 7));
    }
}
