use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Write;

use paper_format::{Error, WriteOptions, Writer};
use paper_model::{CollectionHeader, Paper};

/// The columns, in order.
pub const HEADER: [&str; 16] = [
    "id",
    "type",
    "title",
    "authors",
    "year",
    "venue",
    "volume",
    "number",
    "pages",
    "publisher",
    "doi",
    "arxiv",
    "url",
    "tags",
    "question",
    "note",
];

/// Writes one row per paper.
#[derive(Debug)]
pub struct CsvWriter {
    lang: String,
    bom: bool,
    formula_guard: bool,
    /// Encodes rows into its own buffer, which is copied out after each row.
    rows: csv::Writer<RowBuffer>,
}

/// The bytes of the row being written. `csv::Writer` only lends its sink
/// immutably, so the buffer sits in a `RefCell` to be emptied after each row.
#[derive(Debug, Default)]
struct RowBuffer(RefCell<Vec<u8>>);

impl Write for RowBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.get_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CsvWriter {
    /// A writer with this delimiter, language, BOM and formula settings.
    pub fn new(delimiter: u8, lang: impl Into<String>, bom: bool, formula_guard: bool) -> Self {
        CsvWriter {
            lang: lang.into(),
            bom,
            formula_guard,
            rows: csv::WriterBuilder::new()
                .delimiter(delimiter)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(RowBuffer::default()),
        }
    }

    /// A writer configured from the shared options (`lang`, `bom`, and the
    /// settings `bom` and `csv-raw`).
    pub fn from_options(delimiter: u8, options: &WriteOptions) -> Self {
        CsvWriter::new(
            delimiter,
            options.lang.clone(),
            options.bom || options.flag("bom"),
            !options.flag("csv-raw"),
        )
    }

    fn write_row<'a>(
        &mut self,
        out: &mut dyn Write,
        cells: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<(), Error> {
        self.rows.write_record(cells).map_err(csv_error)?;
        self.rows.flush()?;
        let mut row = self.rows.get_ref().0.borrow_mut();
        out.write_all(&row)?;
        row.clear();
        Ok(())
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

/// True when the writer puts a `'` before this cell: a spreadsheet would
/// treat a cell starting like this as a formula.
///
/// Leading `'`s are skipped first, so that a cell that already starts with
/// `'` and then a formula character gets one more `'`; the reader removes
/// exactly one `'` from such a cell ([`unguard`](crate::unguard)), and every
/// cell reads back as it was.
///
/// ```
/// assert!(paper_csv::needs_formula_guard("=HYPERLINK(\"x\")"));
/// assert!(paper_csv::needs_formula_guard("＋cmd"));
/// assert!(paper_csv::needs_formula_guard("'=1"));
/// assert!(!paper_csv::needs_formula_guard("'quoted'"));
/// assert!(!paper_csv::needs_formula_guard("Attention Is All You Need"));
/// ```
pub fn needs_formula_guard(cell: &str) -> bool {
    matches!(
        cell.trim_start_matches('\'').chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    )
}

impl Writer for CsvWriter {
    fn begin(&mut self, out: &mut dyn Write, _: &CollectionHeader) -> Result<(), Error> {
        if self.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        self.write_row(out, HEADER.iter().map(|h| h.as_bytes()))
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        fn text(s: &Option<String>) -> Cow<'_, str> {
            Cow::Borrowed(s.as_deref().unwrap_or(""))
        }
        let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
        let mut cells: [Cow<'_, str>; 16] = [
            Cow::Borrowed(&paper.id),
            Cow::Borrowed(paper.kind.as_str()),
            Cow::Borrowed(&paper.title),
            Cow::Owned(paper.authors_inverted()),
            Cow::Owned(year),
            text(&paper.venue),
            text(&paper.volume),
            text(&paper.number),
            text(&paper.pages),
            text(&paper.publisher),
            text(&paper.doi),
            text(&paper.arxiv),
            text(&paper.url),
            Cow::Owned(paper.tags.join("; ")),
            Cow::Borrowed(paper.question.get(&self.lang).unwrap_or("")),
            Cow::Borrowed(paper.note.get(&self.lang).unwrap_or("")),
        ];
        const YEAR: usize = 4;
        if self.formula_guard {
            for (i, cell) in cells.iter_mut().enumerate() {
                if i != YEAR && needs_formula_guard(cell) {
                    *cell = Cow::Owned(format!("'{cell}"));
                }
            }
        }
        self.write_row(out, cells.iter().map(|c| c.as_bytes()))
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Author;

    fn write(writer: &mut CsvWriter, papers: &[Paper]) -> String {
        let mut out = Vec::new();
        writer
            .begin(&mut out, &CollectionHeader::default())
            .unwrap();
        for p in papers {
            writer.write_paper(&mut out, p).unwrap();
        }
        writer.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample() -> Paper {
        let mut p = Paper::new("Comma, \"quote\"\nand newline", 1986);
        p.id = "a1".into();
        p.authors = vec![
            Author::person("Kaiser", "Łukasz"),
            Author::organization("OpenAI"),
        ];
        p.tags = vec!["language".into(), "scaling".into()];
        p.question.set("en", "-1?");
        p.question.set("zh", "问题？");
        p
    }

    #[test]
    fn rfc4180_quoting_and_joined_lists() {
        let csv = write(&mut CsvWriter::new(b',', "en", false, true), &[sample()]);
        let mut lines = csv.lines();
        assert_eq!(lines.next().unwrap(), HEADER.join(","));
        assert_eq!(
            csv.split_once('\n').unwrap().1,
            "a1,misc,\"Comma, \"\"quote\"\"\nand newline\",\"Kaiser, Łukasz; OpenAI\",1986,,,,,,,,,language; scaling,'-1?,\n"
        );
    }

    #[test]
    fn raw_mode_bom_language_and_tabs() {
        let out = write(&mut CsvWriter::new(b'\t', "zh", true, false), &[sample()]);
        assert!(out.starts_with("\u{feff}id\ttype\t"));
        assert!(out.ends_with("\tlanguage; scaling\t问题？\t\n"), "{out}");
    }

    #[test]
    fn negative_years_are_never_guarded() {
        let mut p = Paper::new("@home", 2000);
        p.year = Some(-50);
        let out = write(&mut CsvWriter::new(b',', "en", false, true), &[p]);
        assert!(out.ends_with(",misc,'@home,,-50,,,,,,,,,,,\n"), "{out}");
    }
}
