//! What is inside a cell: plain text, titles, dates and author names.

use paper_model::{Author, Person};

/// Removes inline Markdown: links become their text, emphasis and code
/// markers go, backslash escapes are resolved, `<br>` becomes a space, and
/// spaces are collapsed.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let mut it = rest.chars();
            it.next();
            match it.next() {
                Some(e) if e.is_ascii_punctuation() => {
                    out.push(e);
                    rest = &rest[1 + e.len_utf8()..];
                }
                _ => {
                    out.push('\\');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        if c == '['
            && let Some(link) = link_at(rest)
        {
            out.push_str(&plain(link.text));
            rest = &rest[link.len..];
            continue;
        }
        if matches!(c, '*' | '`') || (c == '_' && rest.starts_with("__")) {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let lower = rest.get(..5).map(str::to_ascii_lowercase);
        if lower.as_deref().is_some_and(|l| l.starts_with("<br"))
            && let Some(end) = rest.find('>')
        {
            out.push(' ');
            rest = &rest[end + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `[text](url)` at the start of a string.
pub(crate) struct Link<'a> {
    pub(crate) text: &'a str,
    pub(crate) url: &'a str,
    /// Bytes taken by the whole link.
    pub(crate) len: usize,
}

/// Parses `[text](url)` or `[text](url "title")` at the start of `s`.
pub(crate) fn link_at(s: &str) -> Option<Link<'_>> {
    let inner = s.strip_prefix('[')?;
    // The text ends at the `]` that balances the `[`.
    let mut depth = 0usize;
    let mut escaped = false;
    let mut text_end = None;
    for (i, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth == 0 => {
                text_end = Some(i);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let text_end = text_end?;
    let after = inner[text_end + 1..].strip_prefix('(')?;
    let mut depth = 0usize;
    let mut url_end = None;
    for (i, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                url_end = Some(i);
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    let url_end = url_end?;
    let target = after[..url_end].trim();
    let url = target.split_whitespace().next().unwrap_or("");
    let url = url
        .strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .unwrap_or(url);
    Some(Link {
        text: &inner[..text_end],
        url,
        len: 1 + text_end + 1 + 1 + url_end + 1,
    })
}

/// A title found in a cell: where it is, its text and its link.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Title {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: String,
    pub(crate) url: Option<String>,
}

/// Finds the first title in a cell: `**…**`, `*…*`, `__…__`, `_…_`,
/// `《…》` or `[…](url)`. Emphasis around a link (`*[T](u)*`) counts as
/// the link.
pub(crate) fn find_title(cell: &str) -> Option<Title> {
    let mut escaped = false;
    for (i, c) in cell.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        let rest = &cell[i..];
        let found = match c {
            '\\' => {
                escaped = true;
                None
            }
            '[' => link_at(rest).map(|link| Title {
                start: i,
                end: i + link.len,
                text: plain(link.text),
                url: Some(link.url.to_owned()).filter(|u| !u.is_empty()),
            }),
            '*' | '_' => {
                let marker = if rest.starts_with(if c == '*' { "**" } else { "__" }) {
                    &rest[..2]
                } else {
                    &rest[..1]
                };
                // `_` only opens emphasis at the start of a word.
                let opens = c == '*'
                    || cell[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|p| !p.is_alphanumeric());
                if opens {
                    emphasis(rest, marker).map(|(inner, len)| {
                        let inner_trim = inner.trim();
                        match link_at(inner_trim).filter(|l| l.len == inner_trim.len()) {
                            Some(link) => Title {
                                start: i,
                                end: i + len,
                                text: plain(link.text),
                                url: Some(link.url.to_owned()).filter(|u| !u.is_empty()),
                            },
                            None => Title {
                                start: i,
                                end: i + len,
                                text: plain(inner),
                                url: None,
                            },
                        }
                    })
                } else {
                    None
                }
            }
            '《' => rest[3..].find('》').map(|end| Title {
                start: i,
                end: i + 3 + end + 3,
                text: plain(&rest[3..3 + end]),
                url: None,
            }),
            _ => None,
        };
        if let Some(title) = found.filter(|t| !t.text.is_empty()) {
            return Some(title);
        }
    }
    None
}

/// `marker inner marker` at the start of `s`: the inner text and the
/// length of the whole span.
fn emphasis<'a>(s: &'a str, marker: &str) -> Option<(&'a str, usize)> {
    let body = &s[marker.len()..];
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if body[i..].starts_with(marker) && i > 0 {
            // `**` inside `*…*` is not the end of a single `*`.
            if marker.len() == 1 && body[i + 1..].starts_with(marker) {
                continue;
            }
            return Some((&body[..i], marker.len() + i + marker.len()));
        }
    }
    None
}

/// A date in a cell: `1986`, `2017-06`, `2017-06-12` (also with `/` or
/// `.`), or `2017年6月12日`.
pub(crate) fn parse_date(text: &str) -> Option<(i32, Option<u8>, Option<u8>)> {
    let t = text.trim();
    let parts: Vec<&str> = if t.contains('年') {
        let t = t.strip_suffix('日').unwrap_or(t);
        t.split(['年', '月'])
            .filter(|p| !p.trim().is_empty())
            .collect()
    } else {
        t.split(['-', '/', '.']).collect()
    };
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        let s = s.trim();
        (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let year = i32::try_from(number(parts.first()?, 4..=4)?).ok()?;
    let month = match parts.get(1) {
        Some(m) => Some(
            u8::try_from(number(m, 1..=2)?)
                .ok()
                .filter(|m| (1..=12).contains(m))?,
        ),
        None => None,
    };
    let day = match parts.get(2) {
        Some(d) => Some(
            u8::try_from(number(d, 1..=2)?)
                .ok()
                .filter(|d| (1..=31).contains(d))?,
        ),
        None => None,
    };
    if parts.len() > 3 {
        return None;
    }
    Some((year, month, day))
}

const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// Words that mean "and others".
fn is_et_al(piece: &str) -> bool {
    let p = piece.trim().trim_end_matches('.').to_lowercase();
    matches!(
        p.as_str(),
        "et al" | "et. al" | "et al." | "others" | "等" | "等人" | "etc"
    )
}

/// Splits an author list at `,` `;` `&` `and` `、` `和` `，` `；` `＆`, and
/// notes an `et al.`, `others` or `等` at the end.
pub(crate) fn parse_authors(text: &str) -> (Vec<Author>, bool) {
    let text = plain(text);
    let mut truncated = false;
    let mut authors: Vec<Author> = Vec::new();
    for piece in text.split([',', ';', '&', '、', '和', '，', '；', '＆']) {
        for piece in split_and(piece) {
            let mut piece = piece.trim();
            for ending in [" et al.", " et al", "等人", "等"] {
                if let Some(before) = piece.strip_suffix(ending)
                    && !before.trim().is_empty()
                {
                    truncated = true;
                    piece = before.trim();
                }
            }
            if piece.is_empty() {
                continue;
            }
            if is_et_al(piece) {
                truncated = true;
                continue;
            }
            if SUFFIXES.contains(&piece)
                && let Some(Author::Person(last)) = authors.last_mut()
                && last.suffix.is_none()
            {
                last.suffix = Some(piece.to_owned());
                continue;
            }
            authors.push(parse_name(piece));
        }
    }
    (authors, truncated)
}

/// Splits at the word `and` (any case), also at the start (`, and C`).
fn split_and(piece: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for word in piece.split_whitespace() {
        let at = offset + piece[offset..].find(word).unwrap_or(0);
        offset = at + word.len();
        if word.eq_ignore_ascii_case("and") {
            out.push(&piece[start..at]);
            start = offset;
        }
    }
    out.push(&piece[start..]);
    out
}

/// Two-character Chinese family names.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "申屠",
];

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// One name in reading order, split into family and given:
///
/// - A Chinese name of two to four characters without spaces (`何恺明`):
///   the first character is the family name (two for a compound one such
///   as `欧阳`). Longer Chinese names are organisations (`清华大学计算机系`).
/// - One word (`OpenAI`): an organisation, never split.
/// - Otherwise the last word is the family name and the words before it
///   the given names; lowercase words before the last one form a particle
///   (`George van den Driessche`); a `-` between spaced words joins them
///   (`Jascha Sohl - Dickstein` has the family name `Sohl - Dickstein`); a
///   last word `Jr.`, `Sr.`, `II`, `III` or `IV` is the suffix.
pub(crate) fn parse_name(name: &str) -> Author {
    let name = name.trim();
    if name.chars().any(is_han) && !name.contains(char::is_whitespace) {
        let chars: Vec<char> = name.chars().collect();
        if !(2..=4).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c) || c == '·') {
            return Author::organization(name);
        }
        let family_len = if chars.len() > 2 && COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s))
        {
            2
        } else {
            1
        };
        let family: String = chars[..family_len].iter().collect();
        let given: String = chars[family_len..].iter().collect();
        return Author::person(family, given);
    }
    // Words, with spaced hyphens joining their neighbours.
    let mut words: Vec<String> = Vec::new();
    let mut join_next = false;
    for word in name.split_whitespace() {
        let is_dash = matches!(word, "-" | "–" | "‐");
        match words.last_mut() {
            Some(last) if join_next || is_dash => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        join_next = is_dash;
    }
    if words.len() < 2 {
        return Author::organization(name);
    }
    let mut suffix = None;
    if words.len() > 2 && words.last().is_some_and(|w| SUFFIXES.contains(&w.as_str())) {
        suffix = words.pop();
    }
    let last = words.len() - 1;
    let lower = |w: &String| w.chars().next().is_some_and(char::is_lowercase);
    let first_lower = (1..last).find(|&i| lower(&words[i]));
    let (given, particle, family) = match first_lower {
        Some(start) => {
            let end = (start..last).rfind(|&i| lower(&words[i])).unwrap_or(start) + 1;
            (
                words[..start].join(" "),
                Some(words[start..end].join(" ")),
                words[end..].join(" "),
            )
        }
        None => (words[..last].join(" "), None, words[last].clone()),
    };
    Author::Person(Person {
        family,
        given: Some(given).filter(|g| !g.is_empty()),
        particle,
        suffix,
    })
}

/// The bare arXiv identifier of an `arxiv.org/abs/…` or `/pdf/…` link.
pub(crate) fn arxiv_id(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let path = rest.strip_prefix("arxiv.org/")?;
    let id = path
        .strip_prefix("abs/")
        .or_else(|| path.strip_prefix("pdf/"))?;
    let id = id.split(['?', '#']).next().unwrap_or("");
    let id = id.strip_suffix(".pdf").unwrap_or(id);
    let id = id.trim_end_matches('/');
    (!id.is_empty()).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text() {
        assert_eq!(
            plain(r"**Bold** and *it* \*star\* `code`"),
            "Bold and it *star* code"
        );
        assert_eq!(
            plain("[Link *text*](http://x) <br/> tail"),
            "Link text tail"
        );
        assert_eq!(plain("snake_case stays"), "snake_case stays");
    }

    #[test]
    fn titles_in_every_markup() {
        let t = find_title("A、B和C，*A Title: Here*").unwrap();
        assert_eq!(t.text, "A Title: Here");
        assert_eq!(&"A、B和C，*A Title: Here*"[..t.start], "A、B和C，");
        assert_eq!(find_title("x **Bold Title** y").unwrap().text, "Bold Title");
        let t = find_title("Ann Lee, [Linked (v2)](https://e.org/a_(b)) 2020").unwrap();
        assert_eq!(t.text, "Linked (v2)");
        assert_eq!(t.url.as_deref(), Some("https://e.org/a_(b)"));
        let t = find_title("*[In Italics](u)*").unwrap();
        assert_eq!(
            (t.text.as_str(), t.url.as_deref()),
            ("In Italics", Some("u"))
        );
        assert_eq!(
            find_title("何恺明，《深度残差学习》").unwrap().text,
            "深度残差学习"
        );
        assert_eq!(
            find_title("snake_case _Under Title_").unwrap().text,
            "Under Title"
        );
        assert_eq!(find_title("no markup here"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1943"), Some((1943, None, None)));
        assert_eq!(parse_date(" 2017-06 "), Some((2017, Some(6), None)));
        assert_eq!(parse_date("2017/6/12"), Some((2017, Some(6), Some(12))));
        assert_eq!(parse_date("2017年6月"), Some((2017, Some(6), None)));
        assert_eq!(parse_date("2017年6月12日"), Some((2017, Some(6), Some(12))));
        assert_eq!(parse_date("2017-13"), None);
        assert_eq!(parse_date("19x6"), None);
        assert_eq!(parse_date("86"), None);
    }

    fn names(text: &str) -> (Vec<String>, bool) {
        let (authors, truncated) = parse_authors(text);
        (
            authors.iter().map(Author::display_name).collect(),
            truncated,
        )
    }

    #[test]
    fn author_lists_with_every_separator() {
        assert_eq!(
            names("Ann Lee、Bo Chen和Cy Dunn"),
            (
                vec!["Ann Lee".into(), "Bo Chen".into(), "Cy Dunn".into()],
                false
            )
        );
        assert_eq!(
            names("Ann Lee, Bo Chen, and Cy Dunn & Di Ng; Ed Oh，Fay Po"),
            (
                ["Ann Lee", "Bo Chen", "Cy Dunn", "Di Ng", "Ed Oh", "Fay Po"]
                    .map(String::from)
                    .to_vec(),
                false
            )
        );
        assert_eq!(names("Ann Lee et al."), (vec!["Ann Lee".into()], true));
        assert_eq!(
            parse_authors("何恺明等"),
            (vec![Author::person("何", "恺明")], true)
        );
        assert_eq!(
            names("Martin Luther King, Jr. and Ann Lee"),
            (
                vec!["Martin Luther King, Jr.".into(), "Ann Lee".into()],
                false
            )
        );
        assert_eq!(
            names("Alexandra Andersson"),
            (vec!["Alexandra Andersson".into()], false)
        );
    }

    #[test]
    fn names_split_into_family_and_given() {
        let person = |family: &str, given: &str| Author::person(family, given);
        assert_eq!(
            parse_name("Warren S. McCulloch"),
            person("McCulloch", "Warren S.")
        );
        assert_eq!(
            parse_name("Jascha Sohl - Dickstein"),
            person("Sohl - Dickstein", "Jascha")
        );
        assert_eq!(parse_name("Jun - Yan Zhu"), person("Zhu", "Jun - Yan"));
        assert_eq!(parse_name("何恺明"), person("何", "恺明"));
        assert_eq!(parse_name("欧阳修文"), person("欧阳", "修文"));
        assert_eq!(parse_name("OpenAI"), Author::organization("OpenAI"));
        let Author::Person(p) = parse_name("George van den Driessche") else {
            panic!("a person")
        };
        assert_eq!(
            (p.given.as_deref(), p.particle.as_deref(), p.family.as_str()),
            (Some("George"), Some("van den"), "Driessche")
        );
        let Author::Person(p) = parse_name("Martin Luther King Jr.") else {
            panic!("a person")
        };
        assert_eq!(
            (p.family.as_str(), p.suffix.as_deref()),
            ("King", Some("Jr."))
        );
    }

    #[test]
    fn arxiv_links() {
        assert_eq!(
            arxiv_id("https://arxiv.org/pdf/1706.03762.pdf").as_deref(),
            Some("1706.03762")
        );
        assert_eq!(
            arxiv_id("https://arxiv.org/abs/2205.05131v1").as_deref(),
            Some("2205.05131v1")
        );
        assert_eq!(arxiv_id("https://example.org/abs/1"), None);
    }
}
