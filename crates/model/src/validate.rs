use std::borrow::Cow;
use std::fmt;

use crate::{FingerprintSet, Paper, fingerprint};

/// One problem found in one field of one paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Position of the paper in its input, from 0.
    pub index: usize,
    /// The paper's id, empty when it has none.
    pub id: String,
    /// The field at fault (`title`, `authors[2]`, `doi`).
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
    /// How bad it is.
    pub severity: Severity,
}

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Writers cannot give a faithful result: the paper is bad input.
    Error,
    /// Worth reporting, but the paper can be written (a missing year).
    Warning,
    /// The paper repeats the id or DOI of an earlier one.
    Duplicate,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.id.is_empty() {
            write!(f, "paper #{}", self.index + 1)?;
        } else {
            write!(f, "paper #{} ({})", self.index + 1, self.id)?;
        }
        write!(f, ", field `{}`: {}", self.field, self.message)
    }
}

/// Checks papers one at a time and remembers ids and DOIs to find duplicates.
///
/// It keeps a 64-bit hash per id and per DOI, not the papers: about 36 MB
/// for a million papers.
///
/// ```
/// use paper_model::{Paper, Validator};
///
/// let mut validator = Validator::default();
/// let mut a = Paper::new("A", 2000);
/// a.id = "same".into();
/// let mut b = Paper::new("", 2000);
/// b.id = "same".into();
/// assert!(validator.check(&a).is_empty());
/// let problems = validator.check(&b);
/// assert_eq!(problems.len(), 2); // missing title, duplicate id
/// ```
#[derive(Debug, Default)]
pub struct Validator {
    /// Fingerprints of the ids and DOIs seen (8 bytes each, not the text).
    seen: FingerprintSet,
    next_index: usize,
}

impl Validator {
    /// Checks the next paper and returns every problem it has.
    pub fn check(&mut self, paper: &Paper) -> Vec<Problem> {
        let index = self.next_index;
        self.next_index += 1;
        let mut problems = Vec::new();
        let mut report = |field: &str, message: String, severity: Severity| {
            problems.push(Problem {
                index,
                id: paper.id.clone(),
                field: field.to_owned(),
                message,
                severity,
            })
        };
        for (field, message, severity) in paper.field_problems() {
            report(&field, message, severity);
        }
        if !paper.id.is_empty() && !self.seen.insert(fingerprint(&["id", &paper.id])) {
            let message = format!("duplicate id `{}`: an earlier paper has it", paper.id);
            report("id", message, Severity::Duplicate);
        }
        if let Some(doi) = paper.doi.as_deref().filter(|d| !d.is_empty())
            && !self.seen.insert(fingerprint(&["doi", &lowercase(doi)]))
        {
            let message = format!("duplicate DOI `{doi}`: an earlier paper has it");
            report("doi", message, Severity::Duplicate);
        }
        problems
    }
}

/// `text` in ASCII lowercase, copied only when it has capitals.
fn lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

impl Paper {
    /// Every problem of this paper on its own (duplicate ids need a [`Validator`]).
    pub fn problems(&self) -> Vec<Problem> {
        Validator::default().check(self)
    }

    fn field_problems(&self) -> Vec<(String, String, Severity)> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push(("title".into(), "missing title".into(), Severity::Error));
        }
        match self.year {
            None => out.push(("year".into(), "missing year".into(), Severity::Warning)),
            Some(y) if !(1000..=9999).contains(&y) => out.push((
                "year".into(),
                format!("year {y} is not a four-digit year"),
                Severity::Error,
            )),
            Some(_) => {}
        }
        if let Some(m) = self.month
            && !(1..=12).contains(&m)
        {
            out.push((
                "month".into(),
                format!("month {m} is not between 1 and 12"),
                Severity::Error,
            ));
        }
        if let Some(d) = self.day {
            match self.month {
                None => out.push(("day".into(), "a day needs a month".into(), Severity::Error)),
                Some(m) if (1..=12).contains(&m) => {
                    let max = days_in_month(self.year.unwrap_or(2000), m);
                    if d == 0 || d > max {
                        out.push((
                            "day".into(),
                            format!("day {d} does not exist in month {m}"),
                            Severity::Error,
                        ));
                    }
                }
                Some(_) => {}
            }
        }
        for (i, author) in self.authors.iter().enumerate() {
            if author.is_empty() {
                out.push((
                    format!("authors[{i}]"),
                    "empty author name".into(),
                    Severity::Error,
                ));
            }
        }
        if let Some(doi) = &self.doi
            && !is_valid_doi(doi)
        {
            out.push((
                "doi".into(),
                format!("`{doi}` is not a bare DOI like 10.1038/323533a0"),
                Severity::Error,
            ));
        }
        let space_or_control = if self.id.is_ascii() {
            // ASCII white space and controls are the bytes up to a space,
            // and DEL.
            self.id.bytes().any(|b| b <= b' ' || b == 0x7f)
        } else {
            self.id.chars().any(|c| c.is_whitespace() || c.is_control())
        };
        if !self.id.is_empty() && space_or_control {
            out.push((
                "id".into(),
                "an id must not contain spaces".into(),
                Severity::Error,
            ));
        }
        out
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// True for a bare DOI: `10.`, a registrant code of 4 to 9 digits (with
/// optional `.sub` parts), `/`, and a suffix without spaces.
///
/// ```
/// assert!(paper_model::is_valid_doi("10.1038/323533a0"));
/// assert!(!paper_model::is_valid_doi("https://doi.org/10.1038/323533a0"));
/// ```
pub fn is_valid_doi(doi: &str) -> bool {
    let Some(rest) = doi.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    let first = registrant.split('.').next().unwrap_or("");
    let registrant_ok = (4..=9).contains(&first.len())
        && registrant
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    registrant_ok && !suffix.is_empty() && !has_white_space(suffix)
}

/// True when `text` has a white space character; ASCII text (most of it)
/// is looked at byte by byte.
fn has_white_space(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes()
            .any(|b| b.is_ascii_whitespace() || b == b'\x0b')
    } else {
        text.chars().any(char::is_whitespace)
    }
}

/// The bare DOI in `text`: trimmed, without a resolver (`https://doi.org/`,
/// `http://dx.doi.org/`, any case) or a `doi:` prefix. Readers call it on
/// every DOI they find, so that all formats store the same form.
///
/// ```
/// assert_eq!(paper_model::bare_doi(" https://doi.org/10.1038/323533a0"), "10.1038/323533a0");
/// assert_eq!(paper_model::bare_doi("DOI:10.1162/x"), "10.1162/x");
/// assert_eq!(paper_model::bare_doi("10.1/x"), "10.1/x");
/// ```
pub fn bare_doi(text: &str) -> &str {
    let text = text.trim();
    const PREFIXES: [&str; 5] = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ];
    PREFIXES
        .iter()
        .find_map(|prefix| {
            let head = text.get(..prefix.len())?;
            head.eq_ignore_ascii_case(prefix)
                .then(|| text[prefix.len()..].trim())
        })
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Author;

    #[test]
    fn every_problem_at_once() {
        let mut p = Paper::new(" ", 1986);
        p.id = "x".into();
        p.month = Some(13);
        p.doi = Some("doi:10.1038/x".into());
        p.authors = vec![Author::person("Ok", "A"), Author::organization("")];
        let fields: Vec<String> = p.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["title", "month", "authors[1]", "doi"]);
        assert!(p.problems().iter().all(|p| p.severity == Severity::Error));
    }

    #[test]
    fn impossible_days() {
        let mut p = Paper::new("T", 2023);
        p.month = Some(2);
        p.day = Some(29);
        assert_eq!(p.problems()[0].message, "day 29 does not exist in month 2");
        p.year = Some(2024);
        assert!(p.problems().is_empty());
        p.month = None;
        assert_eq!(p.problems()[0].field, "day");
    }

    #[test]
    fn missing_year_and_problem_display() {
        let mut p = Paper::new("T", 1);
        p.year = None;
        p.id = "k".into();
        let problem = &p.problems()[0];
        assert_eq!(
            problem.to_string(),
            "paper #1 (k), field `year`: missing year"
        );
        assert_eq!(problem.severity, Severity::Warning);
    }

    #[test]
    fn duplicate_ids_and_dois() {
        let mut v = Validator::default();
        let mut a = Paper::new("A", 2000);
        a.id = "a".into();
        a.doi = Some("10.1000/X".into());
        let mut b = Paper::new("B", 2000);
        b.id = "b".into();
        b.doi = Some("10.1000/x".into());
        assert!(v.check(&a).is_empty());
        let problems = v.check(&b);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, Severity::Duplicate);
        assert_eq!(problems[0].index, 1);
        assert_eq!(v.check(&a).len(), 2);
    }

    #[test]
    fn white_space_and_controls_are_found_in_any_text() {
        // The ASCII short cuts agree with the character classes, in ASCII
        // text and beyond it.
        for c in ('\0'..='\u{3100}').chain(['\u{feff}', '\u{1F600}']) {
            for rest in ["", "é"] {
                let doi = format!("10.1234/a{c}b{rest}");
                assert_eq!(is_valid_doi(&doi), !c.is_whitespace(), "{c:?} {rest}");
                let mut paper = Paper::new("T", 2000);
                paper.id = format!("a{c}b{rest}");
                let bad_id = paper
                    .field_problems()
                    .iter()
                    .any(|(field, ..)| field == "id");
                assert_eq!(bad_id, c.is_whitespace() || c.is_control(), "{c:?} {rest}");
            }
        }
    }

    #[test]
    fn doi_shapes() {
        assert!(is_valid_doi("10.1109/CVPR.2016.90"));
        assert!(is_valid_doi("10.18653/v1/N19-1423"));
        assert!(is_valid_doi("10.1000.10/abc"));
        assert!(!is_valid_doi("10.12/x"));
        assert!(!is_valid_doi("10.1038/"));
        assert!(!is_valid_doi("10.1038/a b"));
    }
}
