//! The `anki-tsv` writer: Anki's text import format with file headers.
//!
//! One line per note: the eight fields of the note type, then the tags, the
//! deck and the GUID. The header lines tell Anki the separator, that fields
//! are HTML, the note type, the deck, and which columns hold the tags, deck
//! and GUID, so the notes are the same as the `.apkg` gives.

use std::io::Write;

use paper_format::citation_key::KeyGen;
use paper_format::{Error, WriteOptions, Writer};
use paper_model::{CollectionHeader, Paper};

use crate::apkg::resolve_deck;
use crate::note::{FIELD_NAMES, Note, deck_for};
use crate::notetype::NOTETYPE_NAME;
use crate::{SETTING_DECK, SETTING_SUBDECK_BY};

/// 1-based column numbers of the meta columns, after the eight fields.
const TAGS_COLUMN: usize = FIELD_NAMES.len() + 1;
const DECK_COLUMN: usize = FIELD_NAMES.len() + 2;
const GUID_COLUMN: usize = FIELD_NAMES.len() + 3;

/// Writes Anki's tab-separated text import format.
#[derive(Debug)]
pub struct AnkiTsvWriter {
    lang: String,
    deck: Option<String>,
    subdeck_by: Option<String>,
    main_deck: Option<(String, bool)>,
    note: Note,
    keys: KeyGen,
    line: String,
}

impl AnkiTsvWriter {
    /// A writer from the shared options: `lang`, and the settings `deck` and
    /// `subdeck-by`. A byte order mark is never written: Anki would not
    /// see the header lines after one.
    pub fn from_options(options: &WriteOptions) -> Self {
        AnkiTsvWriter {
            lang: options.lang.clone(),
            deck: options.setting(SETTING_DECK).map(str::to_owned),
            subdeck_by: options.setting(SETTING_SUBDECK_BY).map(str::to_owned),
            main_deck: None,
            note: Note::default(),
            keys: KeyGen::new(),
            line: String::new(),
        }
    }
}

/// Appends one cell, quoted when Anki's CSV reader needs it: when it holds a
/// tab, a quote or a line break, or when it is the first cell and starts
/// with `#` (a comment line otherwise).
fn push_cell(line: &mut String, cell: &str, first: bool) {
    let needs_quotes = cell.contains(['\t', '"', '\n', '\r']) || (first && cell.starts_with('#'));
    if needs_quotes {
        line.push('"');
        line.push_str(&cell.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(cell);
    }
}

/// A header value on one line: line breaks and tabs become spaces.
fn header_value(value: &str) -> String {
    value.replace(['\n', '\r', '\t'], " ")
}

impl Writer for AnkiTsvWriter {
    fn begin(&mut self, out: &mut dyn Write, header: &CollectionHeader) -> Result<(), Error> {
        let (deck, by_decade) = resolve_deck(
            self.deck.as_deref(),
            self.subdeck_by.as_deref(),
            header,
            &self.lang,
        )?;
        let mut columns = FIELD_NAMES.join("\t");
        columns.push_str("\tTags\tDeck\tGUID");
        write!(
            out,
            "#separator:tab\n#html:true\n#columns:{columns}\n#notetype:{NOTETYPE_NAME}\n\
             #deck:{}\n#deck column:{DECK_COLUMN}\n#tags column:{TAGS_COLUMN}\n\
             #guid column:{GUID_COLUMN}\n",
            header_value(&deck)
        )?;
        self.main_deck = Some((deck, by_decade));
        Ok(())
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        if self.main_deck.is_none() {
            self.begin(out, &CollectionHeader::default())?;
        }
        let Some((main_deck, by_decade)) = &self.main_deck else {
            return Ok(());
        };
        let key = self.keys.key(paper);
        self.note.fill_with_key(paper, &self.lang, &key);
        let note = &self.note;
        self.line.clear();
        for (i, field) in note.fields.iter().enumerate() {
            if i > 0 {
                self.line.push('\t');
            }
            push_cell(&mut self.line, field, i == 0);
        }
        self.line.push('\t');
        push_cell(&mut self.line, &note.tags.join(" "), false);
        self.line.push('\t');
        push_cell(
            &mut self.line,
            &deck_for(main_deck, note.decade, *by_decade),
            false,
        );
        self.line.push('\t');
        self.line.push_str(&note.guid);
        self.line.push('\n');
        out.write_all(self.line.as_bytes())?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        if self.main_deck.is_none() {
            self.begin(out, &CollectionHeader::default())?;
        }
        out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let mut line = String::new();
        push_cell(&mut line, "#key", true);
        push_cell(&mut line, "|#x", false);
        push_cell(&mut line, "a\tb \"c\"", false);
        assert_eq!(line, "\"#key\"|#x\"a\tb \"\"c\"\"\"");
    }

    #[test]
    fn header_and_one_line() {
        let mut header = CollectionHeader::default();
        header.title = "My\tPapers".into();
        let options = WriteOptions::default().with("subdeck-by", "decade");
        let mut writer = AnkiTsvWriter::from_options(&options);
        let mut out = Vec::new();
        writer.begin(&mut out, &header).unwrap();
        let mut paper = Paper::new("A <b> title", 1986);
        paper.id = "k1".into();
        paper.tags = vec!["deep learning".into()];
        writer.write_paper(&mut out, &paper).unwrap();
        writer.finish(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let guid = Note::from_paper(&paper, "en").guid;
        assert_eq!(
            text,
            format!(
                "#separator:tab\n#html:true\n\
                 #columns:Key\tQuestion\tTitle\tAuthors\tYear\tVenue\tLink\tNote\tTags\tDeck\tGUID\n\
                 #notetype:paper-export Paper v1\n#deck:My Papers\n#deck column:10\n\
                 #tags column:9\n#guid column:11\n\
                 k1\t\tA &lt;b&gt; title\t\t1986\t\t\t\t1980s deep_learning\tMy Papers::1980s\t{guid}\n"
            )
        );
    }
}
