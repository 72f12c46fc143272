//! Table rows: splitting a line into cells, recognising the delimiter row,
//! and what each header names.

/// One cell of a row: its text, trimmed, and the column (in characters,
/// from 1) where that text starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) column: u64,
}

/// True when the line can be a table row: it has a `|` that is not escaped.
pub(crate) fn has_pipe(line: &str) -> bool {
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '|' => return true,
            _ => {}
        }
    }
    false
}

/// Splits a row at unescaped `|`. A leading and a trailing `|` are
/// optional; `\|` stays in the cell as `|`.
pub(crate) fn split_row(line: &str) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut text = String::new();
    let mut start_column = 1u64;
    let mut column = 1u64;
    let mut escaped = false;
    let mut chars = line.trim_end().chars().peekable();
    // Skip the indentation and a leading pipe.
    while let Some(&c) = chars.peek() {
        if c == ' ' || c == '\t' {
            chars.next();
            column += 1;
        } else {
            if c == '|' {
                chars.next();
                column += 1;
            }
            break;
        }
    }
    let mut ended_with_pipe = false;
    let finish = |text: &mut String, start: u64, cells: &mut Vec<Cell>| {
        let leading = text.chars().take_while(|c| c.is_whitespace()).count() as u64;
        cells.push(Cell {
            text: text.trim().to_owned(),
            column: start + leading,
        });
        text.clear();
    };
    start_column = start_column.max(column);
    for c in chars {
        ended_with_pipe = false;
        if escaped {
            if c != '|' {
                text.push('\\');
            }
            text.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            finish(&mut text, start_column, &mut cells);
            start_column = column + 1;
            ended_with_pipe = true;
        } else {
            text.push(c);
        }
        column += 1;
    }
    if escaped {
        text.push('\\');
    }
    if !ended_with_pipe {
        finish(&mut text, start_column, &mut cells);
    }
    cells
}

/// True for a delimiter row: every cell is dashes with optional colons
/// (`---`, `:--`, `:-:`), and the line has a pipe.
pub(crate) fn is_delimiter_row(line: &str) -> bool {
    if !has_pipe(line) {
        return false;
    }
    let cells = split_row(line);
    !cells.is_empty()
        && cells.iter().all(|cell| {
            let t = cell.text.as_str();
            let inner = t.strip_prefix(':').unwrap_or(t);
            let inner = inner.strip_suffix(':').unwrap_or(inner);
            !inner.is_empty() && inner.chars().all(|c| c == '-')
        })
}

/// What a column holds, from its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Year,
    Authors,
    Title,
    /// Authors and title in one cell (`作者/标题`, `Authors / Title`).
    AuthorsTitle,
    Note,
    Question,
    Venue,
    Link,
    Tags,
    Doi,
    Arxiv,
    /// Anything else: kept in `extra` under this name.
    Extra(String),
}

const YEAR: &[&str] = &[
    "year",
    "years",
    "date",
    "published",
    "publication date",
    "年份",
    "年",
    "年代",
    "日期",
    "时间",
    "发表时间",
    "发表年份",
];
const AUTHORS: &[&str] = &["author", "authors", "by", "作者"];
const TITLE: &[&str] = &[
    "title",
    "paper",
    "papers",
    "paper title",
    "标题",
    "题目",
    "论文",
    "论文标题",
];
const NOTE: &[&str] = &[
    "note",
    "notes",
    "comment",
    "comments",
    "remark",
    "remarks",
    "summary",
    "description",
    "why it matters",
    "注释",
    "注",
    "备注",
    "说明",
    "简介",
    "点评",
];
const QUESTION: &[&str] = &["question", "questions", "问题"];
const VENUE: &[&str] = &[
    "venue",
    "conference",
    "journal",
    "published in",
    "会议",
    "期刊",
    "出处",
    "发表于",
];
const LINK: &[&str] = &["link", "links", "url", "pdf", "paper link", "链接", "地址"];
const TAGS: &[&str] = &[
    "tags",
    "tag",
    "keywords",
    "keyword",
    "topic",
    "topics",
    "关键词",
    "标签",
    "主题",
];

/// Header text without markup, lowercased, spaces collapsed.
fn normalise(header: &str) -> String {
    let plain: String = header
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect();
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The role of a column with this header.
pub(crate) fn role(header: &str) -> Role {
    let name = normalise(header);
    let single = |name: &str| -> Option<Role> {
        let is = |list: &[&str]| list.contains(&name);
        Some(if is(YEAR) {
            Role::Year
        } else if is(AUTHORS) {
            Role::Authors
        } else if is(TITLE) {
            Role::Title
        } else if is(NOTE) {
            Role::Note
        } else if is(QUESTION) {
            Role::Question
        } else if is(VENUE) {
            Role::Venue
        } else if is(LINK) {
            Role::Link
        } else if is(TAGS) {
            Role::Tags
        } else if name == "doi" {
            Role::Doi
        } else if name == "arxiv" {
            Role::Arxiv
        } else {
            return None;
        })
    };
    if let Some(found) = single(&name) {
        return found;
    }
    // `作者/标题`, `Authors & Title`, `Author and title`, `作者和标题`.
    let parts: Vec<String> = name
        .replace(" and ", "/")
        .split(['/', '&', '、', '和', '与', ',', '，', '+'])
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let roles: Vec<Option<Role>> = parts.iter().map(|p| single(p)).collect();
    if roles.contains(&Some(Role::Authors)) && roles.contains(&Some(Role::Title)) {
        return Role::AuthorsTitle;
    }
    Role::Extra(crate::inline::plain(header))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<(String, u64)> {
        split_row(line)
            .into_iter()
            .map(|c| (c.text, c.column))
            .collect()
    }

    #[test]
    fn rows_with_and_without_outer_pipes() {
        assert_eq!(
            texts("|1943|A和B，*T*|注释|"),
            [
                ("1943".into(), 2),
                ("A和B，*T*".into(), 7),
                ("注释".into(), 15)
            ]
        );
        assert_eq!(
            texts("| 2017-06 |  Google  | [A](u)   "),
            [
                ("2017-06".into(), 3),
                ("Google".into(), 14),
                ("[A](u)".into(), 24)
            ]
        );
        assert_eq!(texts("a | b"), [("a".into(), 1), ("b".into(), 5)]);
        assert_eq!(
            texts(r"|x \| y|\*z\*|"),
            [("x | y".into(), 2), (r"\*z\*".into(), 9)]
        );
        assert_eq!(texts("|a||"), [("a".into(), 2), ("".into(), 4)]);
    }

    #[test]
    fn delimiter_rows() {
        assert!(is_delimiter_row("|---|---|---|"));
        assert!(is_delimiter_row("|:-------:|:----:|------"));
        assert!(is_delimiter_row("--- | ---"));
        assert!(!is_delimiter_row("------"));
        assert!(!is_delimiter_row("|---|abc|"));
        assert!(!is_delimiter_row("| | |"));
    }

    #[test]
    fn header_roles_in_english_and_chinese() {
        assert_eq!(role("年份"), Role::Year);
        assert_eq!(role("作者/标题"), Role::AuthorsTitle);
        assert_eq!(role("注释"), Role::Note);
        assert_eq!(role("  **Date**  "), Role::Year);
        assert_eq!(role("Authors & Title"), Role::AuthorsTitle);
        assert_eq!(role("Paper"), Role::Title);
        assert_eq!(role("keywords"), Role::Tags);
        assert_eq!(role(" Institute "), Role::Extra("Institute".into()));
        assert_eq!(role("**Code**"), Role::Extra("Code".into()));
        assert_eq!(role("Title / Link"), Role::Extra("Title / Link".into()));
    }
}
