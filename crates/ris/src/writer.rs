use std::io::Write;

use paper_format::citation_key::KeyGen;
use paper_format::{Error, WriteOptions, Writer};
use paper_model::{Author, CollectionHeader, Paper, PaperType};

use crate::tags::{self, EXTRA_ALIASES, MODEL_TAGS, QUESTION_LABEL, STANDARD_TAGS};

/// Writes RIS records, one per paper as it arrives.
///
/// See the [crate documentation](crate) for the tags.
#[derive(Debug)]
pub struct RisWriter {
    lang: String,
    bom: bool,
    keys: KeyGen,
    line: String,
}

impl RisWriter {
    /// A writer that takes question and note in `options.lang` and starts
    /// with a byte order mark when `options.bom` is set.
    pub fn new(options: &WriteOptions) -> Self {
        RisWriter {
            lang: options.lang.clone(),
            bom: options.bom,
            keys: KeyGen::new(),
            line: String::new(),
        }
    }

    /// Writes `XX  - value` and CRLF, the value on one line; nothing when
    /// the value is blank.
    fn tag(&mut self, out: &mut dyn Write, tag: &str, value: &str) -> Result<(), Error> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(());
        }
        self.line.clear();
        self.line.push_str(tag);
        self.line.push_str("  - ");
        let mut space = false;
        for c in value.chars() {
            // Line breaks and other control characters become one space.
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                space = true;
                continue;
            }
            if space {
                self.line.push(' ');
                space = false;
            }
            self.line.push(c);
        }
        self.line.push_str("\r\n");
        out.write_all(self.line.as_bytes())?;
        Ok(())
    }
}

impl Writer for RisWriter {
    fn begin(&mut self, out: &mut dyn Write, _: &CollectionHeader) -> Result<(), Error> {
        if self.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        Ok(())
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        // `TY` is written even when empty of anything else.
        let ty = record_type(paper);
        out.write_all(format!("TY  - {ty}\r\n").as_bytes())?;
        let key = self.keys.key(paper);
        self.tag(out, "ID", &key)?;
        self.tag(out, "TI", &paper.title)?;
        for author in &paper.authors {
            if !author.is_empty() {
                self.tag(out, "AU", &author_name(author))?;
            }
        }
        if let Some(year) = paper.year {
            self.tag(out, "PY", &year.to_string())?;
            let month = paper.month.map(|m| format!("{m:02}")).unwrap_or_default();
            let day = match paper.month {
                Some(_) => paper.day.map(|d| format!("{d:02}")).unwrap_or_default(),
                None => String::new(),
            };
            self.tag(out, "DA", &format!("{year}/{month}/{day}/"))?;
        }
        if let Some(venue) = paper.venue.as_deref() {
            self.tag(out, "T2", venue)?;
            // A journal or proceedings also as `JO`, which EndNote and JabRef read.
            if matches!(paper.kind, PaperType::Article | PaperType::Inproceedings) {
                self.tag(out, "JO", venue)?;
            }
        }
        let text = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
        self.tag(out, "VL", &text(&paper.volume))?;
        self.tag(out, "IS", &text(&paper.number))?;
        if let Some(pages) = paper.pages.as_deref() {
            let (start, end) = split_pages(pages);
            self.tag(out, "SP", start)?;
            self.tag(out, "EP", end.unwrap_or(""))?;
        }
        self.tag(out, "PB", &text(&paper.publisher))?;
        self.tag(out, "SN", &text(&paper.isbn))?;
        self.tag(out, "DO", &text(&paper.doi))?;
        self.tag(out, "UR", &text(&paper.url))?;
        if let Some(id) = paper.arxiv.as_deref().filter(|a| !a.trim().is_empty()) {
            self.tag(out, "AN", &format!("arXiv:{}", id.trim()))?;
        }
        for tag in &paper.tags {
            self.tag(out, "KW", tag)?;
        }
        if let Some(question) = paper
            .question
            .get(&self.lang)
            .filter(|q| !q.trim().is_empty())
        {
            self.tag(out, "N1", &format!("{QUESTION_LABEL}{}", question.trim()))?;
        }
        if let Some(note) = paper.note.get(&self.lang) {
            // One `N1` per line, as the reader joins them.
            for line in note.lines() {
                self.tag(out, "N1", line)?;
            }
        }
        for (key, value) in &paper.extra {
            let tag = EXTRA_ALIASES
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, tag)| *tag)
                .unwrap_or(key.as_str());
            if STANDARD_TAGS.contains(&tag) && !MODEL_TAGS.contains(&tag) {
                for line in value.lines() {
                    self.tag(out, tag, line)?;
                }
            }
        }
        out.write_all(b"ER  - \r\n\r\n")?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        out.flush()?;
        Ok(())
    }
}

/// The `TY`: the one `extra["ris-type"]` names when it is a RIS type of the
/// same paper type (`CONF` stays `CONF`), else the type from the table.
fn record_type(paper: &Paper) -> &'static str {
    paper
        .extra
        .get("ris-type")
        .and_then(|t| tags::RIS_TYPES.iter().find(|r| *r == t))
        .filter(|t| tags::paper_type(t).unwrap_or(PaperType::Misc) == paper.kind)
        .copied()
        .unwrap_or_else(|| tags::ris_type(paper.kind))
}

/// `Family, Given` (the particle before the family name, a suffix after
/// the given name: `van den Driessche, George`, `King, Martin Luther, Jr.`).
/// An organisation is its name; one with a comma in it ends in a comma
/// (`Google, Inc.,`), which readers take as one name.
pub(crate) fn author_name(author: &Author) -> String {
    match author {
        Author::Organization(o) => {
            let name = o.literal.trim();
            if name.contains(',') {
                format!("{name},")
            } else {
                name.to_owned()
            }
        }
        Author::Person(p) => {
            let part = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_owned();
            let particle = part(&p.particle);
            let mut name = if particle.is_empty() {
                p.family.trim().to_owned()
            } else {
                format!("{particle} {}", p.family.trim())
            };
            let given = part(&p.given);
            let suffix = part(&p.suffix);
            if !given.is_empty() || !suffix.is_empty() {
                name.push_str(", ");
                name.push_str(&given);
            }
            if !suffix.is_empty() {
                name.push_str(", ");
                name.push_str(&suffix);
            }
            name
        }
    }
}

/// `115-133` as (`115`, `133`); a single page, or anything that is not one
/// range, as the start page alone.
pub(crate) fn split_pages(pages: &str) -> (&str, Option<&str>) {
    let pages = pages.trim();
    let dash = |c: char| matches!(c, '-' | '–' | '—');
    if let Some(at) = pages.find(dash) {
        let start = pages[..at].trim();
        let end = pages[at..].trim_start_matches(dash).trim();
        if !start.is_empty() && !end.is_empty() && !end.contains(dash) && !end.contains(',') {
            return (start, Some(end));
        }
    }
    (pages, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Person;

    fn write(papers: &[Paper], options: &WriteOptions) -> String {
        let mut writer = RisWriter::new(options);
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

    #[test]
    fn writes_every_tag_with_crlf() {
        let mut p = Paper::new("Mastering the game of Go\nwith deep networks", 2016);
        p.kind = PaperType::Article;
        p.month = Some(1);
        p.day = Some(28);
        p.authors = vec![
            Author::person("Silver", "David"),
            Author::Person(Person {
                family: "Driessche".into(),
                given: Some("George".into()),
                particle: Some("van den".into()),
                suffix: None,
            }),
            Author::Person(Person {
                family: "King".into(),
                given: Some("Martin Luther".into()),
                particle: None,
                suffix: Some("Jr.".into()),
            }),
            Author::organization("DeepMind"),
            Author::organization("Google, Inc."),
        ];
        p.venue = Some("Nature".into());
        p.volume = Some("529".into());
        p.number = Some("7587".into());
        p.pages = Some("484–489".into());
        p.publisher = Some("Springer".into());
        p.isbn = Some("978-0-262-03561-3".into());
        p.doi = Some("10.1038/nature16961".into());
        p.url = Some("https://www.nature.com/articles/nature16961".into());
        p.arxiv = Some("1712.01815".into());
        p.tags = vec!["games".into(), "reinforcement learning".into()];
        p.question.set("en", "Can a program\r\nmaster Go?");
        p.question.set("zh", "程序能掌握围棋吗？");
        p.note.set("en", "AlphaGo\tbeat a champion.\n\nTwice.");
        p.extra.insert("abstract".into(), "Go is hard.".into());
        p.extra.insert("AD".into(), "London\nMountain View".into());
        p.extra.insert("TI".into(), "never written".into());
        p.extra.insert("lccn".into(), "not a tag".into());
        let text = write(&[p], &WriteOptions::default());
        let expected = "TY  - JOUR\r\n\
            ID  - silver2016mastering\r\n\
            TI  - Mastering the game of Go with deep networks\r\n\
            AU  - Silver, David\r\n\
            AU  - van den Driessche, George\r\n\
            AU  - King, Martin Luther, Jr.\r\n\
            AU  - DeepMind\r\n\
            AU  - Google, Inc.,\r\n\
            PY  - 2016\r\n\
            DA  - 2016/01/28/\r\n\
            T2  - Nature\r\n\
            JO  - Nature\r\n\
            VL  - 529\r\n\
            IS  - 7587\r\n\
            SP  - 484\r\n\
            EP  - 489\r\n\
            PB  - Springer\r\n\
            SN  - 978-0-262-03561-3\r\n\
            DO  - 10.1038/nature16961\r\n\
            UR  - https://www.nature.com/articles/nature16961\r\n\
            AN  - arXiv:1712.01815\r\n\
            KW  - games\r\n\
            KW  - reinforcement learning\r\n\
            N1  - Question: Can a program master Go?\r\n\
            N1  - AlphaGo beat a champion.\r\n\
            N1  - Twice.\r\n\
            AD  - London\r\n\
            AD  - Mountain View\r\n\
            AB  - Go is hard.\r\n\
            ER  - \r\n\r\n";
        assert_eq!(text, expected);
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            assert_eq!(&line[2..6], "  - ", "{line}");
        }
    }

    #[test]
    fn bare_paper_bom_and_dates() {
        let mut options = WriteOptions::default();
        options.bom = true;
        let mut p = Paper::new("T", 1990);
        p.day = Some(3); // a day without a month is not written
        let mut q = Paper::new("U", 1991);
        q.month = Some(7);
        q.kind = PaperType::Preprint;
        q.extra.insert("ris-type".into(), "JOUR".into());
        let mut r = Paper::new("V", 1);
        r.year = None;
        r.kind = PaperType::Inproceedings;
        r.extra.insert("ris-type".into(), "CONF".into());
        let text = write(&[p, q, r], &options);
        assert_eq!(
            text,
            "\u{feff}TY  - GEN\r\nID  - anon1990t\r\nTI  - T\r\nPY  - 1990\r\nDA  - 1990///\r\nER  - \r\n\r\n\
             TY  - UNPB\r\nID  - anon1991u\r\nTI  - U\r\nPY  - 1991\r\nDA  - 1991/07//\r\nER  - \r\n\r\n\
             TY  - CONF\r\nID  - anonv\r\nTI  - V\r\nER  - \r\n\r\n"
        );
        assert_eq!(write(&[], &WriteOptions::default()), "");
    }

    #[test]
    fn jo_only_for_journals_and_proceedings() {
        let mut chapter = Paper::new("C", 1981);
        chapter.id = "c".into();
        chapter.kind = PaperType::Incollection;
        chapter.venue = Some("Parallel Models of Associative Memory".into());
        let mut paper = chapter.clone();
        paper.kind = PaperType::Inproceedings;
        let text = write(&[chapter, paper], &WriteOptions::default());
        let venue_lines: Vec<&str> = text
            .split("\r\n")
            .filter(|l| l.contains("Parallel"))
            .collect();
        assert_eq!(
            venue_lines,
            [
                "T2  - Parallel Models of Associative Memory",
                "T2  - Parallel Models of Associative Memory",
                "JO  - Parallel Models of Associative Memory",
            ]
        );
        assert!(text.starts_with("TY  - CHAP\r\n"));
    }

    #[test]
    fn pages_split_only_for_one_range() {
        assert_eq!(split_pages("115-133"), ("115", Some("133")));
        assert_eq!(split_pages("4171--4186"), ("4171", Some("4186")));
        assert_eq!(split_pages(" 7 "), ("7", None));
        assert_eq!(split_pages("1-5, 7-9"), ("1-5, 7-9", None));
        assert_eq!(split_pages("e1234-"), ("e1234-", None));
    }
}
