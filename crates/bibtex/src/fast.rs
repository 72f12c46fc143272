//! The reader's fast path: field values that hold only plain text, braces,
//! backslash escapes, ties, dashes and the macros this crate's writer
//! writes (`{\"u}`, `{\c{c}}`, `{\~{\^e}}`, `{\L}`, `{\textbackslash}`)
//! are decoded here, with the `biblatex` crate's meaning of each; anything
//! else (math, other commands, `@string` macros, crossrefs) makes the
//! caller hand the whole entry to the crate. The crate's field parser
//! allocates for every piece of every field, which made it the bottleneck
//! of reading; the property tests read every file both ways and compare.

use crate::latex::{NAMED, any_byte, has_doubled};

/// Accent commands and their combining marks, as the `biblatex` crate
/// reads them.
const MARKS: [(&str, char); 14] = [
    ("`", '\u{300}'),
    ("'", '\u{301}'),
    ("^", '\u{302}'),
    ("~", '\u{303}'),
    ("=", '\u{304}'),
    (".", '\u{307}'),
    ("\"", '\u{308}'),
    ("u", '\u{306}'),
    ("r", '\u{30A}'),
    ("H", '\u{30B}'),
    ("v", '\u{30C}'),
    ("d", '\u{323}'),
    ("c", '\u{327}'),
    ("k", '\u{328}'),
];

/// The ASCII characters the writer writes as commands.
const SPECIALS: [(char, &str); 5] = [
    ('\\', "textbackslash"),
    ('~', "textasciitilde"),
    ('^', "textasciicircum"),
    ('{', "textbraceleft"),
    ('}', "textbraceright"),
];

fn mark(command: &str) -> Option<char> {
    MARKS.iter().find(|(c, _)| *c == command).map(|&(_, m)| m)
}

/// The month names the crate puts in for `jan` ... `dec`.
pub(crate) fn month_macro(name: &str) -> Option<&'static str> {
    const MONTHS: [(&str, &str); 12] = [
        ("jan", "January"),
        ("feb", "February"),
        ("mar", "March"),
        ("apr", "April"),
        ("may", "May"),
        ("jun", "June"),
        ("jul", "July"),
        ("aug", "August"),
        ("sep", "September"),
        ("oct", "October"),
        ("nov", "November"),
        ("dec", "December"),
    ];
    MONTHS
        .iter()
        .find(|(abbr, _)| abbr.eq_ignore_ascii_case(name))
        .map(|&(_, full)| full)
}

/// True when [`decode`] would give `value` back character for character
/// (whitespace aside): no braces, commands, math, ties or double hyphens.
///
/// Short values (most of them) are checked without branches, where a
/// search would cost more than looking at every byte; long ones by search.
pub(crate) fn is_plain(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() > 64 {
        return memchr::memchr3(b'{', b'}', b'\\', bytes).is_none()
            && memchr::memchr2(b'$', b'~', bytes).is_none()
            && memchr::memmem::find(bytes, b"--").is_none();
    }
    let specials = any_byte(bytes, |b| {
        (b == b'{') | (b == b'}') | (b == b'\\') | (b == b'$') | (b == b'~')
    });
    !specials && !has_doubled(bytes, b'-')
}

/// The characters [`decode`] gives for a [plain](is_plain) value, none of
/// them inside braces: white space becomes a space (in ASCII, what
/// [`u8::is_ascii_whitespace`] calls white space, as in `decode`).
pub(crate) fn plain_chars(value: &str) -> impl Iterator<Item = (char, u8)> + '_ {
    value.chars().map(|c| {
        let space = if c.is_ascii() {
            c.is_ascii_whitespace()
        } else {
            c.is_whitespace()
        };
        (if space { ' ' } else { c }, 0)
    })
}

/// Decodes the inner text of a field, calling `push` with each character
/// and whether it is inside braces. `None` when the value holds anything
/// the fast path does not read.
pub(crate) fn decode(value: &str, verbatim: bool, push: &mut impl FnMut(char, bool)) -> Option<()> {
    let bytes = value.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' if !verbatim
                && bytes.get(i + 1) == Some(&b'\\')
                && let Some((c, next)) = group(bytes, i) =>
            {
                push(c, true);
                i = next;
            }
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b'\\' => {
                let next = *bytes.get(i + 1)?;
                if verbatim {
                    if matches!(next, b'{' | b'}' | b'\\' | b':') {
                        push(next as char, depth > 0);
                        i += 2;
                    } else {
                        push('\\', depth > 0);
                        i += 1;
                    }
                } else if matches!(
                    next,
                    b'{' | b'}' | b'\\' | b'#' | b'&' | b'%' | b'$' | b'_' | b':'
                ) {
                    push(next as char, depth > 0);
                    i += 2;
                } else {
                    return None;
                }
            }
            b'$' if !verbatim => return None,
            b'~' if !verbatim => {
                push(' ', depth > 0);
                i += 1;
            }
            b'-' if !verbatim => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'-').count();
                let c = match run {
                    1 => '-',
                    2 => '\u{2013}',
                    3 => '\u{2014}',
                    _ => return None,
                };
                push(c, depth > 0);
                i += run;
            }
            b if b.is_ascii() => {
                push(
                    if b.is_ascii_whitespace() {
                        ' '
                    } else {
                        b as char
                    },
                    depth > 0,
                );
                i += 1;
            }
            _ => {
                let c = value[i..].chars().next()?;
                push(if c.is_whitespace() { ' ' } else { c }, depth > 0);
                i += c.len_utf8();
            }
        }
    }
    (depth == 0).then_some(())
}

/// Reads `{\name}` or an accent group starting at `bytes[start]` (a `{`);
/// returns the character and the index after the closing brace.
fn group(bytes: &[u8], start: usize) -> Option<(char, usize)> {
    // bytes[start] == '{', bytes[start + 1] == '\\'
    let (c, next) = command(bytes, start + 2)?;
    (bytes.get(next) == Some(&b'}')).then_some((c, next + 1))
}

/// Reads a command after its backslash: a named character, or an accent
/// with its argument. Returns the character and the index after it.
fn command(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let first = *bytes.get(at)?;
    if first.is_ascii_alphabetic() {
        let len = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let name = std::str::from_utf8(&bytes[at..at + len]).ok()?;
        let end = at + len;
        if bytes.get(end) == Some(&b'}') {
            return NAMED
                .iter()
                .chain(&SPECIALS)
                .find(|&&(_, n)| n == name)
                .map(|&(c, _)| (c, end));
        }
        // A letter accent: `\c{c}`.
        let mark = mark(name)?;
        let (base, next) = argument(bytes, end)?;
        return Some((compose(base, mark)?, next));
    }
    let mark = mark(std::str::from_utf8(&bytes[at..at + 1]).ok()?)?;
    let next = at + 1;
    match bytes.get(next) {
        Some(&b'{') => {
            let (base, after) = argument(bytes, next)?;
            Some((compose(base, mark)?, after))
        }
        Some(&b) if b.is_ascii_alphabetic() => Some((compose(b as char, mark)?, next + 1)),
        _ => None,
    }
}

/// `{x}` or `{\accent...}`: the argument of an accent.
fn argument(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let (c, next) = match bytes.get(at + 1)? {
        b'\\' => command(bytes, at + 2)?,
        &b if b.is_ascii_alphabetic() => (b as char, at + 2),
        _ => return None,
    };
    (bytes.get(next) == Some(&b'}')).then_some((c, next + 1))
}

/// The crate composes the mark with the base; the fast path only takes
/// the cases where that gives one character.
fn compose(base: char, mark: char) -> Option<char> {
    let base = match base {
        'ı' => 'i',
        c => c,
    };
    unicode_normalization::char::compose(base, mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str, verbatim: bool) -> Option<String> {
        let mut out = String::new();
        decode(value, verbatim, &mut |c, _| out.push(c))?;
        Some(out)
    }

    #[test]
    fn reads_what_the_writer_writes() {
        assert_eq!(
            text(
                r#"{\L}ukasz J{\"u}rgen {\c{C}}a{\u{g}} Nguy{\~{\^e}}n na{\"i}ve"#,
                false
            )
            .as_deref(),
            Some("Łukasz Jürgen Çağ Nguyễn naïve")
        );
        assert_eq!(
            text(
                r"50\% \& \{more\}: \$x{\textasciicircum}2\$ {\textbackslash}b~c a-{}-b a--b",
                false
            )
            .as_deref(),
            Some("50% & {more}: $x^2$ \\b c a--b a\u{2013}b")
        );
        assert_eq!(text("{BERT}: Pre", false).as_deref(), Some("BERT: Pre"));
        assert_eq!(
            text(r"https://x.org/a\%20b--c~d", true).as_deref(),
            Some("https://x.org/a\\%20b--c~d")
        );
    }

    #[test]
    fn gives_up_on_anything_else() {
        for value in [
            r"$x^2$",
            r"\emph{x}",
            r"{\relax x}",
            r"\'e",
            r"a}",
            r"{a",
            r"a----b",
            r"{\o x}",
        ] {
            assert_eq!(text(value, false), None, "{value}");
        }
    }

    #[test]
    fn braces_mark_protected_characters() {
        let mut got = Vec::new();
        decode(r"a{B}{\'e}", false, &mut |c, braced| got.push((c, braced))).unwrap();
        assert_eq!(got, [('a', false), ('B', true), ('é', true)]);
    }
}
