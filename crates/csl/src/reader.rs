use std::collections::BTreeMap;
use std::io::BufRead;

use paper_format::json_scan::{Position, Scanner, error_inside};
use paper_format::{Error, Location, PaperSink, Reader, Source};
use paper_model::{Author, CollectionHeader, Organization, Paper, PaperType, Person, bare_doi};
use serde_json::{Map, Value};

use crate::mapping::{self, DATE_VARIABLES, NAME_VARIABLES, PREPRINT_SERVERS};
use crate::markup::plain_text;

/// Reads a CSL-JSON array (or a single item object), streaming the items.
///
/// See the [crate documentation](crate) for what each variable becomes.
#[derive(Clone, Copy, Debug, Default)]
pub struct CslReader;

impl Reader for CslReader {
    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        let mut doc = Document {
            scanner: Scanner::new(input),
            source,
            buffer: Vec::new(),
        };
        doc.scanner.skip_bom()?;
        match doc.scanner.skip_whitespace()? {
            Some(b'[') => {
                sink.header(CollectionHeader::default())?;
                doc.read_items(sink)?;
            }
            Some(b'{') => {
                sink.header(CollectionHeader::default())?;
                let record = doc.read_item()?;
                sink.record(record)?;
            }
            Some(other) => {
                return Err(doc.unexpected(other, "an array of CSL items `[`"));
            }
            None => {
                return Err(
                    doc.error_here("the input is empty: expected an array of CSL items `[`")
                );
            }
        }
        match doc.scanner.skip_whitespace()? {
            None => Ok(()),
            Some(other) => Err(doc.unexpected(other, "the end of the input")),
        }
    }
}

struct Document<'a, 's> {
    scanner: Scanner<'a>,
    source: &'s Source,
    buffer: Vec<u8>,
}

impl Document<'_, '_> {
    fn location(&self, at: Position) -> Location {
        self.source.at(at.line, at.column)
    }

    fn error_here(&self, message: impl Into<String>) -> Error {
        self.scanner.error_here(self.source, message)
    }

    fn unexpected(&self, found: u8, expected: &str) -> Error {
        self.scanner.unexpected(self.source, found, expected)
    }

    fn take_value(&mut self, what: &str) -> Result<Position, Error> {
        self.scanner
            .take_value_in(self.source, &mut self.buffer, what)
    }

    /// Parses the item object at the scanner into a paper, or the error
    /// that made it unreadable.
    fn read_item(&mut self) -> Result<Result<(Paper, Location), Error>, Error> {
        let start = self.take_value("an item")?;
        Ok(
            match serde_json::from_slice::<Map<String, Value>>(&self.buffer) {
                Ok(item) => Ok((paper_from_item(item), self.location(start))),
                Err(e) => {
                    let (line, column) = (e.line() as u64, e.column() as u64);
                    Err(error_inside(
                        self.source,
                        start,
                        line,
                        column,
                        &e.to_string(),
                    ))
                }
            },
        )
    }

    fn read_items(&mut self, sink: &mut dyn PaperSink) -> Result<(), Error> {
        self.scanner.bump()?; // `[`
        if self.scanner.skip_whitespace()? == Some(b']') {
            self.scanner.bump()?;
            return Ok(());
        }
        loop {
            let record = match self.scanner.skip_whitespace()? {
                Some(b'{') => self.read_item()?,
                Some(other) => {
                    let err = self.unexpected(other, "a CSL item object `{`");
                    if matches!(other, b']' | b',') {
                        return Err(err);
                    }
                    self.take_value("a value")?;
                    Err(err)
                }
                None => return Err(self.error_here("the input ends inside the array of items")),
            };
            sink.record(record)?;
            match self.scanner.skip_whitespace()? {
                Some(b',') => {
                    self.scanner.bump()?;
                }
                Some(b']') => {
                    self.scanner.bump()?;
                    return Ok(());
                }
                Some(other) => return Err(self.unexpected(other, "`,` or `]` after an item")),
                None => return Err(self.error_here("the input ends inside the array of items")),
            }
        }
    }
}

/// A paper from one CSL item. Never fails: what does not fit the model
/// goes to `extra`, and the validator judges the result.
pub(crate) fn paper_from_item(item: Map<String, Value>) -> Paper {
    let mut paper = Paper::default();
    let mut found = Found::default();
    for (key, value) in item {
        match key.as_str() {
            "id" => found.id = text(&value),
            "citation-key" => found.citation_key = text(&value),
            "type" => found.kind = text(&value),
            "title" => paper.title = text(&value).map(|t| plain_text(&t)).unwrap_or_default(),
            "author" => match &value {
                Value::Array(names) => paper.authors = names.iter().filter_map(author).collect(),
                _ => found.keep(key, &value),
            },
            "issued" => found.issued = Some(value),
            "container-title" => paper.venue = text(&value).map(|t| plain_text(&t)),
            "volume" => paper.volume = text(&value),
            "issue" => found.issue = text(&value),
            "number" => found.number = text(&value),
            "page" => paper.pages = text(&value),
            "publisher" => paper.publisher = text(&value),
            "DOI" => paper.doi = text(&value).map(|d| bare_doi(&d).to_owned()),
            "URL" => paper.url = text(&value),
            "ISBN" => paper.isbn = text(&value),
            "keyword" => {
                paper.tags = text(&value)
                    .unwrap_or_default()
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            "note" => found.note = text(&value),
            "genre" => found.genre = text(&value),
            "custom" => match value {
                Value::Object(custom) => {
                    for (key, value) in custom {
                        match key.as_str() {
                            "arxiv" => found.arxiv = text(&value),
                            "question" => found.question = text(&value),
                            "authors-truncated" => {
                                paper.authors_truncated = value == Value::Bool(true)
                                    || text(&value).is_some_and(|t| t == "true");
                            }
                            _ => found.keep(key, &value),
                        }
                    }
                }
                other => found.keep(key, &other),
            },
            _ => found.keep(key, &value),
        }
    }
    found.finish(&mut paper);
    paper
}

/// Item variables that need others before they can be placed.
#[derive(Default)]
struct Found {
    id: Option<String>,
    citation_key: Option<String>,
    kind: Option<String>,
    issued: Option<Value>,
    issue: Option<String>,
    number: Option<String>,
    note: Option<String>,
    question: Option<String>,
    genre: Option<String>,
    arxiv: Option<String>,
    extra: BTreeMap<String, String>,
}

impl Found {
    /// Keeps a variable the model has no field for in `extra`.
    fn keep(&mut self, key: String, value: &Value) {
        if let Some(text) = extra_text(&key, value) {
            self.extra.insert(key, text);
        }
    }

    fn finish(mut self, paper: &mut Paper) {
        // The citation key is the id; a different CSL id is kept.
        match (self.citation_key, self.id) {
            (Some(key), Some(id)) => {
                if key != id {
                    self.extra.insert("id".into(), id);
                }
                paper.id = key;
            }
            (Some(key), None) | (None, Some(key)) => paper.id = key,
            (None, None) => {}
        }

        // `number` is an issue number, a report number or an arXiv id.
        let hosts: Vec<String> = [paper.venue.as_deref(), paper.publisher.as_deref()]
            .into_iter()
            .flatten()
            .map(|v| v.trim().to_ascii_lowercase())
            .collect();
        let venue_or_publisher = |name: &str| hosts.iter().any(|h| h == name);
        let mut arxiv_in_number = false;
        if let Some(number) = self.number.take() {
            let arxiv = strip_prefix_ignore_case(&number, "arxiv:")
                .map(str::trim)
                .or_else(|| {
                    (venue_or_publisher("arxiv") && looks_like_arxiv(&number))
                        .then_some(number.trim())
                });
            match arxiv {
                Some(id) if self.arxiv.as_deref().is_none_or(|a| a == id) => {
                    self.arxiv = Some(id.to_owned());
                    arxiv_in_number = true;
                }
                _ if self.issue.is_none() => self.issue = Some(number),
                _ => {
                    self.extra.insert("number".into(), number);
                }
            }
        }
        paper.number = self.issue;
        paper.arxiv = self.arxiv;

        let csl_type = self.kind.unwrap_or_default();
        let kind = mapping::paper_type(&csl_type);
        // A report numbered by arXiv (Manubot writes these) is a preprint; a
        // report with an arXiv id in `custom` stays a report.
        let from_preprint_server = csl_type == "report"
            && (arxiv_in_number || PREPRINT_SERVERS.iter().any(|s| venue_or_publisher(s)));
        paper.kind = if from_preprint_server {
            PaperType::Preprint
        } else {
            kind.unwrap_or(PaperType::Misc)
        };
        if !csl_type.is_empty()
            && !from_preprint_server
            && mapping::csl_type(paper.kind) != csl_type
        {
            self.extra.insert("csl-type".into(), csl_type);
        }
        if let Some(genre) = self.genre {
            let lower = genre.to_lowercase();
            let doctoral = lower.contains("phd") || lower.contains("doctor");
            if !(paper.kind == PaperType::Phdthesis && doctoral) {
                self.extra.insert("genre".into(), genre);
            }
        }

        if let Some(issued) = self.issued {
            let date = date(&issued);
            paper.year = date.year;
            paper.month = date.month;
            paper.day = date.day;
            if let Some(text) = date.kept {
                self.extra.insert("issued".into(), text);
            }
        }

        // The writer puts the question before the note and in `custom`.
        let mut note = self.note;
        if let Some(question) = self.question {
            if let Some(text) = note.take() {
                note = if text == question {
                    None
                } else {
                    Some(match text.strip_prefix(&format!("{question}\n\n")) {
                        Some(rest) => rest.to_owned(),
                        None => text,
                    })
                };
            }
            paper.question.set("en", question);
        }
        if let Some(note) = note {
            paper.note.set("en", note);
        }
        paper.extra = self.extra;
    }
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `1706.03762`, `1706.03762v2` or the old `cs/0601001`.
fn looks_like_arxiv(id: &str) -> bool {
    let id = id.trim();
    let new_style = id.split_once('.').is_some_and(|(a, b)| {
        a.len() == 4
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.len() >= 4
            && b.split('v')
                .next()
                .is_some_and(|n| n.bytes().all(|c| c.is_ascii_digit()))
    });
    let old_style = id.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty() && b.len() >= 7 && b.bytes().take(7).all(|c| c.is_ascii_digit())
    });
    new_style || old_style
}

/// A string or a number as text; `None` for anything else or blank text.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One CSL name as an author; `None` for a name with no text.
fn author(value: &Value) -> Option<Author> {
    let map = match value {
        Value::Object(map) => map,
        // Not CSL, but some tools write names as strings.
        Value::String(s) => {
            let s = s.trim();
            return match s.split_once(", ") {
                _ if s.is_empty() => None,
                Some((family, given)) => Some(Author::person(family.trim(), given.trim())),
                None => Some(Author::organization(s)),
            };
        }
        _ => return None,
    };
    let part = |key: &str| map.get(key).and_then(text).map(|t| t.trim().to_owned());
    if let Some(literal) = part("literal") {
        return Some(Author::Organization(Organization { literal }));
    }
    let particles: Vec<String> = [part("dropping-particle"), part("non-dropping-particle")]
        .into_iter()
        .flatten()
        .collect();
    let mut person = Person {
        family: part("family").unwrap_or_default(),
        given: part("given"),
        particle: (!particles.is_empty()).then(|| particles.join(" ")),
        suffix: part("suffix"),
    };
    if person.family.is_empty() {
        // A mononym written as a given name.
        person.family = person.given.take()?;
    }
    Some(Author::Person(person))
}

/// A date read from a CSL date variable.
#[derive(Debug, Default, PartialEq)]
struct Date {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    /// The date as written when the fields above do not hold all of it.
    kept: Option<String>,
}

/// Reads `date-parts` (numbers or strings, a range's first date), `raw`,
/// `literal`, or a bare string.
fn date(value: &Value) -> Date {
    let text_date = |text: &str| {
        let mut date = iso_date(text).unwrap_or_else(|| Date {
            year: find_year(text),
            ..Date::default()
        });
        if date.kept.is_none() && iso_date(text).is_none() {
            date.kept = Some(text.to_owned());
        }
        date
    };
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(ranges)) = map.get("date-parts")
                && let Some(Value::Array(parts)) = ranges.first()
                && !parts.is_empty()
            {
                let mut date = parts_date(parts);
                if ranges.len() > 1 || date.kept.is_some() {
                    date.kept = date_text(value);
                }
                return date;
            }
            for key in ["raw", "literal"] {
                if let Some(text) = map.get(key).and_then(text) {
                    return text_date(&text);
                }
            }
            Date::default()
        }
        Value::String(s) if !s.trim().is_empty() => text_date(s),
        _ => Date::default(),
    }
}

/// Year, month and day from `date-parts`; a part that is not a valid
/// number ends the date, and what is lost is flagged in `kept`.
fn parts_date(parts: &[Value]) -> Date {
    let number = |v: &Value| -> Option<i64> {
        match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let mut date = Date::default();
    let mut numbers = parts.iter().map(number);
    date.year = numbers.next().flatten().and_then(|y| i32::try_from(y).ok());
    if date.year.is_some() {
        match numbers.next() {
            Some(Some(m)) if (1..=12).contains(&m) => {
                date.month = Some(m as u8);
                match numbers.next() {
                    Some(Some(d)) if (1..=31).contains(&d) => date.day = Some(d as u8),
                    None => {}
                    Some(_) => date.kept = Some(String::new()),
                }
            }
            None => {}
            Some(_) => date.kept = Some(String::new()),
        }
    }
    if date.year.is_none() {
        date.kept = Some(String::new());
    }
    date
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (or with `/`).
fn iso_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    if parts.len() > 3 || parts[0].len() != 4 {
        return None;
    }
    let mut numbers = Vec::new();
    for p in &parts {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        numbers.push(p.parse::<u32>().ok()?);
    }
    let month = numbers.get(1).copied();
    let day = numbers.get(2).copied();
    if month.is_some_and(|m| !(1..=12).contains(&m)) || day.is_some_and(|d| !(1..=31).contains(&d))
    {
        return None;
    }
    Some(Date {
        year: i32::try_from(numbers[0]).ok(),
        month: month.map(|m| m as u8),
        day: day.map(|d| d as u8),
        kept: None,
    })
}

/// The first run of four digits that could be a year.
fn find_year(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                return text[start..i].parse().ok();
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A CSL date as text: `2017-05-19`, a range as `2017-05/2018`, else its
/// `raw` or `literal` text.
fn date_text(value: &Value) -> Option<String> {
    let map = value.as_object()?;
    if let Some(Value::Array(ranges)) = map.get("date-parts") {
        let dates: Vec<String> = ranges
            .iter()
            .filter_map(Value::as_array)
            .map(|parts| {
                let parts: Vec<String> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| match (i, p) {
                        (0, _) => text(p).unwrap_or_default(),
                        (_, Value::Number(n)) => format!("{:02}", n.as_u64().unwrap_or(0)),
                        _ => text(p).unwrap_or_default(),
                    })
                    .collect();
                parts.join("-")
            })
            .collect();
        if !dates.is_empty() {
            return Some(dates.join("/"));
        }
    }
    ["raw", "literal"]
        .into_iter()
        .find_map(|key| map.get(key).and_then(text))
}

/// A value the model has no field for, as text for `extra`; `None` for
/// nothing (null, blank).
fn extra_text(key: &str, value: &Value) -> Option<String> {
    let out = match value {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) if NAME_VARIABLES.contains(&key) => {
            let names: Vec<String> = items
                .iter()
                .filter_map(author)
                .map(|a| a.inverted_name())
                .collect();
            names.join("; ")
        }
        Value::Object(_) if DATE_VARIABLES.contains(&key) => date_text(value)?,
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            texts.join("; ")
        }
        other => other.to_string(),
    };
    (!out.trim().is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_format::Collect;
    use serde_json::json;

    fn read(input: &str) -> Result<Collect, Error> {
        let mut sink = Collect::default();
        let mut bytes = input.as_bytes();
        CslReader.read(&mut bytes, &Source::new("refs.csl.json"), &mut sink)?;
        Ok(sink)
    }

    fn paper(item: Value) -> Paper {
        match item {
            Value::Object(map) => paper_from_item(map),
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn reads_a_zotero_style_item() {
        let p = paper(json!({
            "id": "http://zotero.org/users/1/items/ABCD",
            "citation-key": "vaswani2017attention",
            "type": "paper-conference",
            "title": "Attention is <i>all</i> you need",
            "container-title": "Advances in Neural Information Processing Systems",
            "page": "5998–6008",
            "volume": 30,
            "publisher": "Curran Associates, Inc.",
            "DOI": "https://doi.org/10.5555/3295222.3295349",
            "author": [
                {"family": "Vaswani", "given": "Ashish"},
                {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
                {"literal": "Google Brain"},
                {"given": "Plato"},
                {}
            ],
            "issued": {"date-parts": [["2017", 12]]},
            "keyword": "attention, transformers;nlp",
            "note": "Read twice.",
            "abstract": "The dominant models…",
            "accessed": {"date-parts": [[2020, 1, 5]]},
            "editor": [{"family": "Guyon", "given": "I."}],
            "ISSN": ["1049-5258", "2000-0000"],
            "language": null,
            "custom": {"lccn": 12, "arxiv": "1706.03762"}
        }));
        assert_eq!(p.id, "vaswani2017attention");
        assert_eq!(p.kind, PaperType::Inproceedings);
        assert_eq!(p.title, "Attention is all you need");
        assert_eq!(p.volume.as_deref(), Some("30"));
        assert_eq!(p.doi.as_deref(), Some("10.5555/3295222.3295349"));
        assert_eq!(p.arxiv.as_deref(), Some("1706.03762"));
        assert_eq!(
            p.authors,
            [
                Author::person("Vaswani", "Ashish"),
                Author::Person(Person {
                    family: "Beethoven".into(),
                    given: Some("Ludwig".into()),
                    particle: Some("van".into()),
                    suffix: None
                }),
                Author::organization("Google Brain"),
                Author::person("Plato", ""),
            ]
        );
        assert_eq!((p.year, p.month, p.day), (Some(2017), Some(12), None));
        assert_eq!(p.tags, ["attention", "transformers", "nlp"]);
        assert_eq!(p.note.get("en"), Some("Read twice."));
        assert!(p.question.is_empty());
        let extra: Vec<(&str, &str)> = p
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            extra,
            [
                ("ISSN", "1049-5258; 2000-0000"),
                ("abstract", "The dominant models…"),
                ("accessed", "2020-01-05"),
                ("editor", "Guyon, I."),
                ("id", "http://zotero.org/users/1/items/ABCD"),
                ("lccn", "12"),
            ]
        );
    }

    #[test]
    fn reads_dates_in_every_shape() {
        let d = |v: Value| date(&v);
        assert_eq!(
            d(json!({"date-parts": [[2017, 5, 19]]})),
            Date {
                year: Some(2017),
                month: Some(5),
                day: Some(19),
                kept: None
            }
        );
        assert_eq!(d(json!({"date-parts": [["2017", "05"]]})).month, Some(5));
        assert_eq!(
            d(json!({"raw": "2016-11-22"})),
            Date {
                year: Some(2016),
                month: Some(11),
                day: Some(22),
                kept: None
            }
        );
        assert_eq!(
            d(json!({"literal": "Spring 2001"})),
            Date {
                year: Some(2001),
                kept: Some("Spring 2001".into()),
                ..Date::default()
            }
        );
        assert_eq!(
            d(json!({"literal": "forthcoming"})),
            Date {
                kept: Some("forthcoming".into()),
                ..Date::default()
            }
        );
        assert_eq!(
            d(json!({"date-parts": [[2001, 13]]})),
            Date {
                year: Some(2001),
                kept: Some("2001-13".into()),
                ..Date::default()
            }
        );
        assert_eq!(
            d(json!({"date-parts": [[2001, 3], [2002]]})),
            Date {
                year: Some(2001),
                month: Some(3),
                kept: Some("2001-03/2002".into()),
                day: None
            }
        );
        assert_eq!(d(json!("2020/02/29")).day, Some(29));
        assert_eq!(d(json!({"date-parts": []})), Date::default());
        assert_eq!(d(Value::Null), Date::default());
    }

    #[test]
    fn preprints_reports_and_numbers() {
        let p = paper(json!({
            "type": "report", "title": "HOGWILD!", "number": "1106.5730",
            "container-title": "arXiv", "publisher": "arXiv",
            "issued": {"date-parts": [[2011, 11, 14]]}
        }));
        assert_eq!(p.kind, PaperType::Preprint);
        assert_eq!(p.arxiv.as_deref(), Some("1106.5730"));
        assert_eq!(p.number, None);
        assert!(p.extra.is_empty(), "{:?}", p.extra);
        let p =
            paper(json!({"type": "report", "title": "x", "number": "TR-7", "publisher": "MIT"}));
        assert_eq!(
            (p.kind, p.number.as_deref()),
            (PaperType::Techreport, Some("TR-7"))
        );
        let p = paper(json!({"type": "report", "title": "x", "container-title": "bioRxiv"}));
        assert_eq!(p.kind, PaperType::Preprint);
        let p = paper(json!({"type": "report", "title": "x", "custom": {"arxiv": "1706.03762"}}));
        assert_eq!(
            (p.kind, p.arxiv.as_deref()),
            (PaperType::Techreport, Some("1706.03762"))
        );
        let p = paper(json!({"type": "report", "title": "x", "number": "arXiv:1706.03762"}));
        assert_eq!(p.kind, PaperType::Preprint);
        assert!(p.extra.is_empty(), "{:?}", p.extra);
        let p = paper(json!({"type": "article", "title": "x", "number": "arXiv:1706.03762"}));
        assert_eq!(
            (p.kind, p.arxiv.as_deref()),
            (PaperType::Preprint, Some("1706.03762"))
        );
        let p =
            paper(json!({"type": "article-journal", "title": "x", "issue": "2", "number": "7"}));
        assert_eq!(p.number.as_deref(), Some("2"));
        assert_eq!(p.extra["number"], "7");
        let p = paper(json!({"type": "webpage", "title": "x"}));
        assert_eq!(
            (p.kind, p.extra["csl-type"].as_str()),
            (PaperType::Misc, "webpage")
        );
        let p = paper(json!({"type": "thesis", "title": "x", "genre": "PhD thesis"}));
        assert_eq!(p.kind, PaperType::Phdthesis);
        assert!(p.extra.is_empty());
        let p = paper(json!({"type": "thesis", "title": "x", "genre": "Master's thesis"}));
        assert_eq!(p.extra["genre"], "Master's thesis");
        let p = paper(json!({"title": "x"}));
        assert_eq!(p.kind, PaperType::Misc);
        assert!(p.extra.is_empty());
        assert!(looks_like_arxiv("cs/0601001"));
        assert!(looks_like_arxiv("1706.03762v5"));
        assert!(!looks_like_arxiv("TR-7"));
    }

    #[test]
    fn question_and_note_come_apart() {
        let p = paper(
            json!({"title": "x", "note": "Why?\n\nBecause.", "custom": {"question": "Why?"}}),
        );
        assert_eq!(p.question.get("en"), Some("Why?"));
        assert_eq!(p.note.get("en"), Some("Because."));
        let p = paper(json!({"title": "x", "note": "Why?", "custom": {"question": "Why?"}}));
        assert_eq!(p.note.get("en"), None);
        let p = paper(json!({"title": "x", "note": "Edited.", "custom": {"question": "Why?"}}));
        assert_eq!(p.note.get("en"), Some("Edited."));
        let p =
            paper(json!({"title": "x", "custom": {"question": "Why?", "authors-truncated": true}}));
        assert_eq!(p.question.get("en"), Some("Why?"));
        assert!(p.authors_truncated);
    }

    #[test]
    fn streams_items_and_names_bad_places() {
        let c = read("\u{feff}[\n {\"id\": \"a\", \"title\": \"A\"},\n {\"id\": \"b\", \"title\": \"B\"}\n]\n")
            .unwrap();
        assert_eq!(c.papers.len(), 2);
        assert_eq!(c.papers[1].0.id, "b");
        assert_eq!(c.papers[1].1, Location::new("refs.csl.json", 3, 2));

        let c = read("[\n {\"id\": \"a\", \"title\": \"A\"},\n 7,\n {\"title\": 1,}\n]").unwrap();
        assert_eq!(c.papers.len(), 1);
        assert_eq!(
            c.errors[0],
            "refs.csl.json:3:2: expected a CSL item object `{`, found `7`"
        );
        assert!(
            c.errors[1].starts_with("refs.csl.json:4:"),
            "{}",
            c.errors[1]
        );

        let e = read("[{\"id\": \"a\"} {\"id\": \"b\"}]").err().unwrap();
        assert_eq!(
            e.to_string(),
            "refs.csl.json:1:14: expected `,` or `]` after an item, found `{`"
        );
        let e = read("[{\"id\": \"a\"").err().unwrap().to_string();
        assert!(
            e.contains("ends inside an item that starts at line 1, column 2"),
            "{e}"
        );
        let e = read(" ").err().unwrap().to_string();
        assert!(
            e.starts_with("refs.csl.json:1:2: the input is empty"),
            "{e}"
        );
        let e = read("\"x\"").err().unwrap().to_string();
        assert!(e.contains("expected an array of CSL items"), "{e}");
        let c = read("{\"id\": \"one\", \"title\": \"T\"}").unwrap();
        assert_eq!(c.papers[0].0.id, "one");
        assert!(read("[]").unwrap().papers.is_empty());
    }
}
