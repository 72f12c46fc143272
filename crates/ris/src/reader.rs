use std::collections::BTreeMap;
use std::io::BufRead;

use paper_format::{Error, Location, PaperSink, Reader, Source};
use paper_model::{Author, CollectionHeader, Organization, Paper, PaperType, Person, bare_doi};

use crate::tags::{self, EXTRA_ALIASES, PREPRINT_SERVERS, QUESTION_LABEL};

/// Reads RIS records, handing each to the sink when its `ER` is read.
///
/// See the [crate documentation](crate) for what each tag becomes.
#[derive(Clone, Copy, Debug, Default)]
pub struct RisReader;

/// One tag line of a record, with the continuation lines joined to it.
#[derive(Debug)]
struct Field {
    tag: String,
    value: String,
}

/// The record being read.
struct Record {
    start: u64,
    fields: Vec<Field>,
    /// The first error in the record; it makes the record unreadable.
    error: Option<Error>,
}

impl Reader for RisReader {
    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        sink.header(CollectionHeader::default())?;
        let mut bytes = Vec::new();
        let mut number = 0u64;
        let mut record: Option<Record> = None;
        // After a tag line outside a record, skip to the next `TY`.
        let mut skipping = false;
        loop {
            bytes.clear();
            if input.read_until(b'\n', &mut bytes)? == 0 {
                break;
            }
            number += 1;
            let mut raw: &[u8] = &bytes;
            if number == 1 {
                raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
            }
            let text = match paper_format::str_from_utf8(raw) {
                Ok(text) => text,
                Err(e) => {
                    let error = Error::parse(
                        source.at(number, e.valid_up_to() as u64 + 1),
                        "this line is not UTF-8 (RIS from old EndNote may be Windows-1252: \
                         convert it with `iconv -f cp1252 -t utf-8`)",
                    );
                    match record.as_mut() {
                        Some(r) => {
                            r.error.get_or_insert(error);
                        }
                        None => sink.record(Err(error))?,
                    }
                    continue;
                }
            };
            let line = text.trim_end_matches(['\n', '\r']);
            match tag_line(line) {
                Some(("TY", value)) => {
                    if let Some(open) = record.take() {
                        let error = Error::parse(
                            source.at(open.start, 1),
                            format!(
                                "the record that starts here has no `ER  - ` before the next \
                                 `TY` at line {number}"
                            ),
                        );
                        sink.record(Err(error))?;
                    }
                    skipping = false;
                    record = Some(Record {
                        start: number,
                        fields: vec![Field {
                            tag: "TY".into(),
                            value: value.to_owned(),
                        }],
                        error: None,
                    });
                }
                Some(("ER", _)) => match record.take() {
                    Some(done) => sink.record(finish(done, source))?,
                    None if skipping => {}
                    None => {
                        let error = Error::parse(
                            source.at(number, 1),
                            "`ER` without a record: a record starts with `TY  - `",
                        );
                        sink.record(Err(error))?;
                    }
                },
                Some((tag, value)) => match record.as_mut() {
                    Some(r) => r.fields.push(Field {
                        tag: tag.to_owned(),
                        value: value.to_owned(),
                    }),
                    None if skipping => {}
                    None => {
                        skipping = true;
                        let error = Error::parse(
                            source.at(number, 1),
                            format!("`{tag}` before `TY`: every record starts with `TY  - `"),
                        );
                        sink.record(Err(error))?;
                    }
                },
                None => {
                    let line = line.trim();
                    if let Some(r) = record.as_mut()
                        && !line.is_empty()
                        && let Some(last) = r.fields.last_mut()
                    {
                        // A continuation line: part of the value above it.
                        if !last.value.is_empty() {
                            last.value.push(' ');
                        }
                        last.value.push_str(line);
                    }
                    // Outside a record: blank lines, `1.` numbers, headers.
                }
            }
        }
        if let Some(open) = record {
            let error = Error::parse(
                source.at(open.start, 1),
                format!(
                    "the record that starts here has no `ER  - `: the input ends at line {number}"
                ),
            );
            sink.record(Err(error))?;
        }
        Ok(())
    }
}

/// `(tag, value)` when the line is a tag line: two characters (`A`–`Z`,
/// then `A`–`Z` or `0`–`9`), one or more spaces, `-`, and the value after
/// an optional space. Real files drop spaces (`TY - JOUR`, `ER  -`).
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    if bytes.len() < 4
        || !bytes[0].is_ascii_uppercase()
        || !(bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
        || bytes[2] != b' '
    {
        return None;
    }
    let rest = line[2..].trim_start_matches(' ');
    let value = rest.strip_prefix('-')?;
    Some((&line[..2], value.trim()))
}

fn finish(record: Record, source: &Source) -> Result<(Paper, Location), Error> {
    match record.error {
        Some(error) => Err(error),
        None => Ok((paper(record.fields), source.at(record.start, 1))),
    }
}

/// A paper from the fields of one record. Never fails: what does not fit
/// the model goes to `extra`, and the validator judges the result.
fn paper(fields: Vec<Field>) -> Paper {
    let mut paper = Paper::default();
    let mut extra: BTreeMap<String, String> = BTreeMap::new();
    let keep = |extra: &mut BTreeMap<String, String>, key: &str, value: &str| {
        if value.is_empty() {
            return;
        }
        let key = EXTRA_ALIASES
            .iter()
            .find(|(_, tag)| *tag == key)
            .map(|(name, _)| *name)
            .unwrap_or(key);
        extra
            .entry(key.to_owned())
            .and_modify(|v| {
                v.push('\n');
                v.push_str(value);
            })
            .or_insert_with(|| value.to_owned());
    };
    let mut ty = String::new();
    let mut titles: Vec<(usize, String)> = Vec::new();
    let mut venues: Vec<(usize, &str, String)> = Vec::new();
    let mut year_text: Option<String> = None;
    let mut date_text: Option<String> = None;
    let (mut start_page, mut end_page) = (None, None);
    let mut notes: Vec<String> = Vec::new();
    let mut abstracts: Vec<String> = Vec::new();
    let mut summaries: Vec<String> = Vec::new();
    for Field { tag, value } in &fields {
        let tag = tag.as_str();
        let value = value.trim();
        // A field that holds one value: a different second value is kept.
        let single = |slot: &mut Option<String>, extra: &mut BTreeMap<String, String>| {
            set_once(slot, value, |v| keep(extra, tag, v));
        };
        match tag {
            "TY" => ty = value.to_owned(),
            "TI" | "T1" => titles.push((if tag == "TI" { 0 } else { 1 }, value.to_owned())),
            "AU" | "A1" => paper.authors.extend(author(value)),
            "PY" | "Y1" => single(&mut year_text, &mut extra),
            "DA" => single(&mut date_text, &mut extra),
            "T2" | "JF" | "JO" | "BT" | "JA" | "J1" | "J2" => {
                let rank = ["T2", "JF", "JO", "BT", "JA", "J1", "J2"]
                    .iter()
                    .position(|t| *t == tag)
                    .unwrap_or(7);
                venues.push((rank, tag, value.to_owned()));
            }
            "VL" => single(&mut paper.volume, &mut extra),
            "IS" => single(&mut paper.number, &mut extra),
            "SP" => single(&mut start_page, &mut extra),
            "EP" => single(&mut end_page, &mut extra),
            "PB" => single(&mut paper.publisher, &mut extra),
            "DO" => set_once(&mut paper.doi, bare_doi(value), |v| {
                keep(&mut extra, tag, v)
            }),
            "UR" => single(&mut paper.url, &mut extra),
            "ID" => {
                if paper.id.is_empty() {
                    paper.id = value.to_owned();
                } else {
                    keep(&mut extra, tag, value);
                }
            }
            "SN" if is_isbn(value) && paper.isbn.is_none() => paper.isbn = Some(value.to_owned()),
            "AN" => match strip_prefix_ignore_case(value, "arxiv:") {
                Some(id) if paper.arxiv.is_none() => paper.arxiv = Some(id.trim().to_owned()),
                _ => keep(&mut extra, tag, value),
            },
            "KW" => {
                if !value.is_empty() {
                    paper.tags.push(value.to_owned());
                }
            }
            "N1" => match value.strip_prefix(QUESTION_LABEL) {
                Some(q) if paper.question.is_empty() && !q.trim().is_empty() => {
                    paper.question.set("en", q.trim());
                }
                _ if !value.is_empty() => notes.push(value.to_owned()),
                _ => {}
            },
            "AB" => abstracts.push(value.to_owned()),
            "N2" => summaries.push(value.to_owned()),
            _ => keep(&mut extra, tag, value),
        }
    }
    if !notes.is_empty() {
        paper.note.set("en", notes.join("\n"));
    }
    // `AB` is the abstract; `N2` too when there is no `AB`.
    if abstracts.is_empty() {
        std::mem::swap(&mut abstracts, &mut summaries);
    }
    for text in abstracts {
        keep(&mut extra, "AB", &text);
    }
    for text in summaries {
        keep(&mut extra, "N2", &text);
    }

    titles.sort_by_key(|(rank, _)| *rank);
    let mut titles = titles.into_iter().map(|(_, t)| t).filter(|t| !t.is_empty());
    paper.title = titles.next().unwrap_or_default();
    for other in titles {
        keep(&mut extra, "T1", &other);
    }
    // A book's title may come as `BT` alone.
    let kind = tags::paper_type(&ty);
    if paper.title.is_empty()
        && kind == Some(PaperType::Book)
        && let Some(at) = venues.iter().position(|(_, tag, _)| *tag == "BT")
    {
        paper.title = venues.remove(at).2;
    }
    venues.sort_by_key(|(rank, _, _)| *rank);
    for (_, tag, venue) in venues {
        if venue.is_empty() {
            continue;
        }
        match &paper.venue {
            None => paper.venue = Some(venue),
            Some(v) if *v == venue => {}
            Some(_) => keep(&mut extra, tag, &venue),
        }
    }

    paper.pages = match (start_page, end_page) {
        (Some(start), Some(end)) if !start.contains(['-', '–']) => Some(format!("{start}-{end}")),
        (Some(start), Some(end)) => {
            keep(&mut extra, "EP", &end);
            Some(start)
        }
        (Some(start), None) => Some(start),
        (None, Some(end)) => {
            keep(&mut extra, "EP", &end);
            None
        }
        (None, None) => None,
    };

    // `PY` gives the year; `DA` the month and day, and the year when `PY`
    // has none.
    let year_date = year_text.as_deref().map(ris_date);
    let full_date = date_text.as_deref().map(ris_date);
    if let Some((text, date)) = year_text.as_deref().zip(year_date) {
        paper.year = date.year;
        if date.year.is_none() || !date.rest_is_empty {
            keep(&mut extra, "PY", text);
        }
        if date.month.is_some() {
            (paper.month, paper.day) = (date.month, date.day);
        }
    }
    if let Some((text, date)) = date_text.as_deref().zip(full_date) {
        let same_year = paper.year.is_none() || paper.year == date.year;
        if same_year && date.year.is_some() {
            paper.year = date.year;
            if date.month.is_some() {
                (paper.month, paper.day) = (date.month, date.day);
            }
        }
        if !same_year || date.year.is_none() || !date.rest_is_empty {
            keep(&mut extra, "DA", text);
        }
    }

    if paper.doi.is_none()
        && let Some(m3) = extra.get("M3")
        && bare_doi(m3).starts_with("10.")
    {
        paper.doi = Some(bare_doi(m3).to_owned());
        extra.remove("M3");
    }

    let hosts: Vec<String> = [paper.venue.as_deref(), paper.publisher.as_deref()]
        .into_iter()
        .flatten()
        .map(|v| v.trim().to_ascii_lowercase())
        .collect();
    let from_preprint_server =
        ty == "RPRT" && hosts.iter().any(|h| PREPRINT_SERVERS.contains(&h.as_str()));
    paper.kind = if from_preprint_server {
        PaperType::Preprint
    } else {
        kind.unwrap_or(PaperType::Misc)
    };
    if !ty.is_empty() && !from_preprint_server && tags::ris_type(paper.kind) != ty {
        extra.insert("ris-type".into(), ty);
    }
    paper.extra = extra;
    paper
}

/// Sets `slot` to `value` unless blank; a different value for a slot
/// already set goes to `other`.
fn set_once(slot: &mut Option<String>, value: &str, other: impl FnOnce(&str)) {
    match slot {
        _ if value.is_empty() => {}
        None => *slot = Some(value.to_owned()),
        Some(v) if v != value => other(value),
        Some(_) => {}
    }
}

/// A date `YYYY/MM/DD/other`, or `YYYY-MM-DD`, or text with a year in it.
#[derive(Debug, PartialEq)]
struct RisDate {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    /// True when nothing but the year, month and day was written.
    rest_is_empty: bool,
}

fn ris_date(text: &str) -> RisDate {
    let text = text.trim();
    let separator = if text.contains('/') { '/' } else { '-' };
    let mut parts = text.splitn(4, separator);
    let number = |p: Option<&str>, max: u32| -> Result<Option<u32>, ()> {
        match p.map(str::trim) {
            None | Some("") => Ok(None),
            Some(p) if p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = p.parse().map_err(|_| ())?;
                if (1..=max).contains(&n) {
                    Ok(Some(n))
                } else {
                    Err(())
                }
            }
            Some(_) => Err(()),
        }
    };
    let year = parts.next().unwrap_or("").trim();
    let (month, day, rest) = (parts.next(), parts.next(), parts.next());
    let structured = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    if structured
        && let (Ok(month), Ok(day)) = (number(month, 12), number(day, 31))
        && (month.is_some() || day.is_none())
    {
        return RisDate {
            year: year.parse().ok(),
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
            rest_is_empty: rest.is_none_or(|r| r.trim().is_empty()),
        };
    }
    RisDate {
        year: find_year(text),
        month: None,
        day: None,
        rest_is_empty: false,
    }
}

/// The first run of exactly four digits.
fn find_year(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 4)
        .and_then(|run| run.parse().ok())
}

/// One `AU` value: `Family, Given`, `Family, Given, Suffix`, or
/// `Family, Suffix, Given` for a known suffix. A name without a comma, or
/// one that ends with a comma (`Google, Inc.,`), is an organisation.
/// Leading lower-case words of the family name are its particle.
fn author(value: &str) -> Option<Author> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(name) = value.strip_suffix(',') {
        return Some(Author::Organization(Organization {
            literal: name.trim().to_owned(),
        }));
    }
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    if parts.len() == 1 {
        return Some(Author::organization(value));
    }
    let is_suffix = |s: &str| {
        matches!(
            s.trim_end_matches('.').to_ascii_lowercase().as_str(),
            "jr" | "sr" | "ii" | "iii" | "iv" | "v"
        )
    };
    let (given, suffix) = match parts.len() {
        2 => (parts[1], ""),
        _ if is_suffix(parts[1]) && !is_suffix(parts[2]) => (parts[2], parts[1]),
        _ => (parts[1], parts[2]),
    };
    let extra_parts = parts.get(3..).unwrap_or(&[]).join(", ");
    let suffix = if extra_parts.is_empty() {
        suffix.to_owned()
    } else {
        format!("{suffix}, {extra_parts}")
    };
    let words: Vec<&str> = parts[0].split(' ').filter(|w| !w.is_empty()).collect();
    let lower = |w: &&&str| w.chars().next().is_some_and(char::is_lowercase);
    let particle_len = words
        .iter()
        .take(words.len().saturating_sub(1))
        .take_while(lower)
        .count();
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    Some(Author::Person(Person {
        family: words[particle_len..].join(" "),
        given: non_empty(given.to_owned()),
        particle: non_empty(words[..particle_len].join(" ")),
        suffix: non_empty(suffix),
    }))
}

/// True for 10 or 13 digits (the last of 10 may be `X`), ignoring `-` and
/// spaces; an ISSN (8) is not.
fn is_isbn(value: &str) -> bool {
    let chars: Vec<char> = value.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let digits = |cs: &[char]| cs.iter().all(char::is_ascii_digit);
    match chars.len() {
        13 => digits(&chars),
        10 => digits(&chars[..9]) && (chars[9].is_ascii_digit() || chars[9] == 'X'),
        _ => false,
    }
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_format::Collect;

    fn read(input: &[u8]) -> Collect {
        let mut sink = Collect::default();
        let mut bytes = input;
        RisReader
            .read(&mut bytes, &Source::new("in.ris"), &mut sink)
            .unwrap();
        sink
    }

    #[test]
    fn reads_synonyms_continuations_bom_and_numbers() {
        let input = "\u{feff}Provider: Some Database\r\n\r\n1.\r\nTY  - JOUR\r\n\
            T1  - A long title\r\n  that goes on\r\n\
            A1  - van den Driessche, George\r\n\
            AU  - King, Jr., Martin Luther\r\n\
            AU  - Smith, Ann, III\r\n\
            AU  - OpenAI\r\n\
            AU  - Google, Inc.,\r\n\
            Y1  - 2016/01/28/\r\n\
            JF  - Nature\r\n\
            J2  - Nat.\r\n\
            VL  - 529\r\n\
            IS  - 7587\r\n\
            SP  - 484\r\n\
            EP  - 489\r\n\
            SN  - 0028-0836\r\n\
            DO  - https://doi.org/10.1038/nature16961\r\n\
            AN  - arXiv:1712.01815\r\n\
            KW  - games\r\n\
            N1  - Question: Can a program master Go?\r\n\
            N1  - First note.\r\n\
            N1  - Second note.\r\n\
            N2  - An abstract\r\n\
            AD  - London\r\n\
            AD  - Mountain View\r\n\
            ID  - silver2016\r\n\
            ER  -\r\n\r\n2.\r\nTY - BOOK\nBT  - A Book\nPY  - 1999///\nER  - \n";
        let c = read(input.as_bytes());
        assert_eq!(c.errors, Vec::<String>::new());
        assert_eq!(c.papers.len(), 2);
        let (p, at) = &c.papers[0];
        assert_eq!(*at, Location::new("in.ris", 4, 1));
        assert_eq!(p.kind, PaperType::Article);
        assert_eq!(p.id, "silver2016");
        assert_eq!(p.title, "A long title that goes on");
        assert_eq!(
            p.authors,
            [
                Author::Person(Person {
                    family: "Driessche".into(),
                    given: Some("George".into()),
                    particle: Some("van den".into()),
                    suffix: None
                }),
                Author::Person(Person {
                    family: "King".into(),
                    given: Some("Martin Luther".into()),
                    particle: None,
                    suffix: Some("Jr.".into())
                }),
                Author::Person(Person {
                    family: "Smith".into(),
                    given: Some("Ann".into()),
                    particle: None,
                    suffix: Some("III".into())
                }),
                Author::organization("OpenAI"),
                Author::organization("Google, Inc."),
            ]
        );
        assert_eq!((p.year, p.month, p.day), (Some(2016), Some(1), Some(28)));
        assert_eq!(p.venue.as_deref(), Some("Nature"));
        assert_eq!(p.pages.as_deref(), Some("484-489"));
        assert_eq!(p.doi.as_deref(), Some("10.1038/nature16961"));
        assert_eq!(p.arxiv.as_deref(), Some("1712.01815"));
        assert_eq!(p.isbn, None);
        assert_eq!(p.tags, ["games"]);
        assert_eq!(p.question.get("en"), Some("Can a program master Go?"));
        assert_eq!(p.note.get("en"), Some("First note.\nSecond note."));
        let extra: Vec<(&str, &str)> = p
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            extra,
            [
                ("AD", "London\nMountain View"),
                ("ISSN", "0028-0836"),
                ("J2", "Nat."),
                ("abstract", "An abstract"),
            ]
        );
        let (book, at) = &c.papers[1];
        assert_eq!(at.line, 33);
        assert_eq!(
            (book.kind, book.title.as_str(), book.year),
            (PaperType::Book, "A Book", Some(1999))
        );
        assert!(book.extra.is_empty(), "{:?}", book.extra);
    }

    #[test]
    fn keeps_unknown_types_and_tags() {
        let c = read(b"TY  - ELEC\nTI  - A page\nPY  - n.d.\nDA  - Spring 2001\nM3  - doi:10.1/abc\nC7  - 117694\nER  - \nTY  - CONF\nTI  - T\nER  - \nTY  - RPRT\nTI  - P\nT2  - arXiv\nER  - \n");
        let p = &c.papers[0].0;
        assert_eq!((p.kind, p.year), (PaperType::Misc, Some(2001)));
        assert_eq!(p.doi.as_deref(), Some("10.1/abc"));
        let extra: Vec<(&str, &str)> = p
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            extra,
            [
                ("C7", "117694"),
                ("DA", "Spring 2001"),
                ("PY", "n.d."),
                ("ris-type", "ELEC")
            ]
        );
        let conf = &c.papers[1].0;
        assert_eq!(
            (conf.kind, conf.extra["ris-type"].as_str()),
            (PaperType::Inproceedings, "CONF")
        );
        assert_eq!(c.papers[2].0.kind, PaperType::Preprint);
        assert!(c.papers[2].0.extra.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let c = read(b"AU  - Stray, Tag\nTI  - still stray\nTY  - JOUR\nTI  - A\nTY  - JOUR\nTI  - B\nER  - \nER  - \nTY  - JOUR\nTI  - \xff\xfe\nER  - \nTY  - JOUR\nTI  - C\n");
        assert_eq!(
            c.errors,
            [
                "in.ris:1:1: `AU` before `TY`: every record starts with `TY  - `",
                "in.ris:3:1: the record that starts here has no `ER  - ` before the next `TY` at line 5",
                "in.ris:8:1: `ER` without a record: a record starts with `TY  - `",
                "in.ris:10:7: this line is not UTF-8 (RIS from old EndNote may be Windows-1252: convert it with `iconv -f cp1252 -t utf-8`)",
                "in.ris:12:1: the record that starts here has no `ER  - `: the input ends at line 13",
            ]
        );
        assert_eq!(c.papers.len(), 1);
        assert_eq!(c.papers[0].0.title, "B");
        assert_eq!(c.papers[0].1.line, 5);
        assert!(read(b"").papers.is_empty());
    }

    #[test]
    fn dates_and_names() {
        let d = |t| ris_date(t);
        assert_eq!(
            d("2020/02/29/"),
            RisDate {
                year: Some(2020),
                month: Some(2),
                day: Some(29),
                rest_is_empty: true
            }
        );
        assert_eq!(d("2020///").year, Some(2020));
        assert!(d("2020//").rest_is_empty);
        assert!(!d("2020/02/29/Spring").rest_is_empty);
        assert_eq!(d("2019-12-01").day, Some(1));
        assert_eq!(d("2019/13/01/").month, None);
        assert!(!d("2019//05/").rest_is_empty);
        assert_eq!(author("Plato"), Some(Author::organization("Plato")));
        assert_eq!(author("  "), None);
        assert_eq!(
            author("de la Cruz, Juana"),
            Some(Author::Person(Person {
                family: "Cruz".into(),
                given: Some("Juana".into()),
                particle: Some("de la".into()),
                suffix: None
            }))
        );
        assert_eq!(
            author("Le Cun, Yann"),
            Some(Author::person("Le Cun", "Yann"))
        );
        assert!(is_isbn("978-0-262-03561-3") && is_isbn("0-262-13043-X") && !is_isbn("00219797"));
        assert_eq!(tag_line("TY  - JOUR"), Some(("TY", "JOUR")));
        assert_eq!(tag_line("ER  -"), Some(("ER", "")));
        assert_eq!(tag_line("TY - JOUR"), Some(("TY", "JOUR")));
        assert_eq!(tag_line("T1  -Title"), Some(("T1", "Title")));
        assert_eq!(tag_line("ty  - x"), None);
        assert_eq!(tag_line("TYPE - x"), None);
        assert_eq!(tag_line("1."), None);
    }
}
