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
    delimiter: u8,
    lang: String,
    bom: bool,
    formula_guard: bool,
    row: Vec<u8>,
}

impl CsvWriter {
    /// A writer with this delimiter, language, BOM and formula settings.
    pub fn new(delimiter: u8, lang: impl Into<String>, bom: bool, formula_guard: bool) -> Self {
        CsvWriter {
            delimiter,
            lang: lang.into(),
            bom,
            formula_guard,
            row: Vec::new(),
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
        self.row.clear();
        {
            let mut csv = csv::WriterBuilder::new()
                .delimiter(self.delimiter)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(&mut self.row);
            csv.write_record(cells).map_err(csv_error)?;
            csv.flush()?;
        }
        out.write_all(&self.row)?;
        Ok(())
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

/// True when a spreadsheet would treat a cell starting like this as a formula.
///
/// ```
/// assert!(paper_csv::needs_formula_guard("=HYPERLINK(\"x\")"));
/// assert!(paper_csv::needs_formula_guard("＋cmd"));
/// assert!(!paper_csv::needs_formula_guard("Attention Is All You Need"));
/// ```
pub fn needs_formula_guard(cell: &str) -> bool {
    matches!(
        cell.chars().next(),
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
        let text = |s: Option<&str>| s.unwrap_or("").to_owned();
        let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
        let cells: [String; 16] = [
            paper.id.clone(),
            paper.kind.as_str().to_owned(),
            paper.title.clone(),
            paper.authors_inverted(),
            year,
            text(paper.venue.as_deref()),
            text(paper.volume.as_deref()),
            text(paper.number.as_deref()),
            text(paper.pages.as_deref()),
            text(paper.publisher.as_deref()),
            text(paper.doi.as_deref()),
            text(paper.arxiv.as_deref()),
            text(paper.url.as_deref()),
            paper.tags.join("; "),
            text(paper.question.get(&self.lang)),
            text(paper.note.get(&self.lang)),
        ];
        const YEAR: usize = 4;
        let guard = self.formula_guard;
        let guarded: Vec<String> = cells
            .into_iter()
            .enumerate()
            .map(|(i, cell)| {
                if guard && i != YEAR && needs_formula_guard(&cell) {
                    format!("'{cell}")
                } else {
                    cell
                }
            })
            .collect();
        self.write_row(out, guarded.iter().map(|c| c.as_bytes()))
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
