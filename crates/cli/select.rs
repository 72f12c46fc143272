//! Filters and ordering, applied in one place for every format.

use std::cmp::Ordering;

use paper_model::Paper;

use crate::args::SortKey;

/// Which papers to keep.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    years: Option<(Option<i32>, Option<i32>)>,
    tags: Vec<String>,
    author: Option<String>,
}

impl Filter {
    /// A filter from the command line's `--year`, `--tag` and `--author`.
    pub(crate) fn new(
        year: Option<&str>,
        tags: &[String],
        author: Option<&str>,
    ) -> Result<Self, String> {
        Ok(Filter {
            years: year.map(parse_year_range).transpose()?,
            tags: tags.iter().map(|t| t.to_lowercase()).collect(),
            author: author.map(str::to_lowercase),
        })
    }

    /// True when the paper passes every filter.
    pub(crate) fn keeps(&self, paper: &Paper) -> bool {
        if let Some((from, to)) = self.years {
            let Some(year) = paper.year else { return false };
            if from.is_some_and(|f| year < f) || to.is_some_and(|t| year > t) {
                return false;
            }
        }
        if !self.tags.is_empty()
            && !paper
                .tags
                .iter()
                .any(|t| self.tags.contains(&t.to_lowercase()))
        {
            return false;
        }
        if let Some(needle) = &self.author
            && !paper
                .authors
                .iter()
                .any(|a| a.display_name().to_lowercase().contains(needle))
        {
            return false;
        }
        true
    }
}

/// `1986`, `1980..2000` (both ends included), `2010..` or `..1990`.
fn parse_year_range(text: &str) -> Result<(Option<i32>, Option<i32>), String> {
    let bad = || format!("invalid --year `{text}`: expected 1986, 1980..2000, 2010.. or ..1990");
    let year = |s: &str| -> Result<Option<i32>, String> {
        let s = s.trim();
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse().map(Some).map_err(|_| bad())
        }
    };
    match text.split_once("..") {
        Some((from, to)) => {
            let range = (year(from)?, year(to)?);
            if range == (None, None) {
                return Err(bad());
            }
            Ok(range)
        }
        None => {
            let y = year(text)?.ok_or_else(bad)?;
            Ok((Some(y), Some(y)))
        }
    }
}

/// Orders papers in place by `key` (a stable sort), then reverses if asked.
pub(crate) fn sort(papers: &mut [Paper], key: SortKey, reverse: bool) {
    match key {
        SortKey::Input => {}
        SortKey::Year => papers.sort_by(|a, b| {
            let date = |p: &Paper| (p.year.is_none(), p.year, p.month, p.day);
            date(a).cmp(&date(b))
        }),
        SortKey::Title => papers.sort_by_cached_key(|p| p.title.to_lowercase()),
        SortKey::Id => papers.sort_by(|a, b| a.id.cmp(&b.id).then(Ordering::Equal)),
        SortKey::Newest => papers.sort_by(|a, b| {
            let date = |p: &Paper| (p.year.is_some(), p.year, p.month, p.day);
            date(b).cmp(&date(a))
        }),
    }
    if reverse {
        papers.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Author;

    #[test]
    fn year_ranges() {
        assert_eq!(parse_year_range("1986"), Ok((Some(1986), Some(1986))));
        assert_eq!(parse_year_range("1980..2000"), Ok((Some(1980), Some(2000))));
        assert_eq!(parse_year_range("2010.."), Ok((Some(2010), None)));
        assert_eq!(parse_year_range("..1990"), Ok((None, Some(1990))));
        assert!(parse_year_range("..").is_err());
        assert!(parse_year_range("198x").is_err());
    }

    #[test]
    fn filters_combine() {
        let mut p = Paper::new("T", 1997);
        p.tags = vec!["Memory".into()];
        p.authors = vec![Author::person("Schmidhuber", "Jürgen")];
        let keep = |year, tags: &[&str], author| {
            let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
            Filter::new(year, &tags, author).unwrap().keeps(&p)
        };
        assert!(keep(Some("1990..2000"), &["memory"], Some("jürgen")));
        assert!(!keep(Some("..1996"), &[], None));
        assert!(!keep(None, &["vision"], None));
        assert!(!keep(None, &[], Some("hinton")));
    }

    #[test]
    fn newest_first_uses_month_and_day_and_keeps_ties_in_input_order() {
        let dated = |title: &str, year, month, day| {
            let mut p = Paper::new(title, year);
            p.month = month;
            p.day = day;
            p
        };
        let mut papers = vec![
            dated("2014", 2014, None, None),
            dated("undated", 1, None, None),
            dated("2014-12", 2014, Some(12), None),
            dated("2016 first", 2016, None, None),
            dated("2014-12-19", 2014, Some(12), Some(19)),
            dated("2016 second", 2016, None, None),
        ];
        papers[1].year = None;
        sort(&mut papers, SortKey::Newest, false);
        let titles: Vec<&str> = papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "2016 first",
                "2016 second",
                "2014-12-19",
                "2014-12",
                "2014",
                "undated"
            ]
        );
    }

    #[test]
    fn sorting_puts_undated_papers_last() {
        let mut papers = vec![
            Paper::new("b", 2000),
            Paper::new("A", 1990),
            Paper::new("c", 1),
        ];
        papers[2].year = None;
        sort(&mut papers, SortKey::Year, false);
        let titles: Vec<&str> = papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["A", "b", "c"]);
        sort(&mut papers, SortKey::Newest, false);
        let titles: Vec<&str> = papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["b", "A", "c"]);
        sort(&mut papers, SortKey::Title, true);
        let titles: Vec<&str> = papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["c", "b", "A"]);
    }
}
