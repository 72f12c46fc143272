//! Plain Unicode text to BibTeX field text, and Unicode to ASCII.
//!
//! The rules, in one place:
//!
//! - whitespace runs (tabs, newlines, no-break spaces) become one space and
//!   the ends are trimmed; other control characters are dropped, because
//!   BibTeX cannot carry either;
//! - `$ & % # _` get a backslash; `{` and `}` too when the field's braces
//!   pair up (`\{more\}`), else they become `{\textbraceleft}` and
//!   `{\textbraceright}` so that BibTeX never sees an unbalanced brace;
//!   `\ ~ ^` become `{\textbackslash}`, `{\textasciitilde}` and
//!   `{\textasciicircum}` (commands in braces, so that no style changes
//!   their case and no following space is swallowed). `< > |` stay as they
//!   are: BibTeX does not mind them, and LaTeX prints them right with T1
//!   fonts;
//! - two hyphens in a row are written `-{}-`, so that TeX does not turn them
//!   into a dash;
//! - with `ascii`, accented Latin letters become accent macros (`{\"u}`,
//!   `{\c{C}}`, `{\~{\^e}}`), letters and punctuation with a LaTeX name
//!   become that name (`{\L}`, `{\ss}`, `--`, `{\textquoteright}`), and
//!   anything else (CJK, Greek, symbols) stays UTF-8.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// How to write characters outside ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    /// LaTeX macros where a macro exists, UTF-8 otherwise.
    Ascii,
    /// UTF-8 as is.
    Unicode,
}

/// Appends `text` as BibTeX field text.
pub(crate) fn push_text(out: &mut String, text: &str, charset: Charset) {
    if is_plain(text) {
        out.push_str(text);
        return;
    }
    let text = normalized(text);
    TextWriter::new(out, charset, braces_pair_up(&text)).escaped(&text);
}

/// `text` as [`for_each_normalized`] gives it, copied only when that
/// changes it.
fn normalized(text: &str) -> Cow<'_, str> {
    if is_normalized(text) {
        Cow::Borrowed(text)
    } else {
        let mut normalized = String::with_capacity(text.len());
        for_each_normalized(text, |c| normalized.push(c));
        Cow::Owned(normalized)
    }
}

/// True for bytes written as they are in normalized text: printable ASCII
/// other than the LaTeX specials and the hyphen.
fn is_ordinary(b: u8) -> bool {
    matches!(b, b' '..=b'~')
        && !matches!(
            b,
            b'-' | b'\\' | b'{' | b'}' | b'~' | b'^' | b'$' | b'&' | b'%' | b'#' | b'_'
        )
}

/// True when `text` is written as it is: printable ASCII without LaTeX
/// specials or double hyphens, single spaces, no space at either end.
/// Long text is checked in passes without branches, since most of it
/// (notes) is plain; short text (names, most fields) in one pass.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    // Ranges and pairs where the specials sit together: ` `..=`|` leaves
    // out `}` `~` and DEL, `#`..=`&` is `# $ % &`, `^` and `_` differ in
    // the last bit.
    let is_special = |b: u8| {
        (b.wrapping_sub(b' ') > b'|' - b' ')
            | (b.wrapping_sub(b'#') <= b'&' - b'#')
            | (b | 1 == b'_')
            | (b == b'\\')
            | (b == b'{')
    };
    if bytes.len() < 32 {
        // Short text (names, most of the fields) in one pass.
        let mut before = 0;
        for &b in bytes {
            if is_special(b) || (b == before && (b == b' ' || b == b'-')) {
                return false;
            }
            before = b;
        }
        return true;
    }
    !any_byte(bytes, is_special) && !has_doubled(bytes, b' ') && !has_doubled(bytes, b'-')
}

/// True when `byte` comes twice in a row (a vector loop, unlike a search;
/// the reader uses it too).
pub(crate) fn has_doubled(bytes: &[u8], byte: u8) -> bool {
    let next = bytes.get(1..).unwrap_or_default();
    bytes
        .iter()
        .zip(next)
        .fold(false, |found, (&a, &b)| found | ((a == byte) & (b == byte)))
}

/// True when `test` holds for some byte of `bytes`. The bytes are looked
/// at 32 at a time without branches, which the compiler turns into vector
/// code (a fold over `bool`s stayed a byte-by-byte loop).
pub(crate) fn any_byte(bytes: &[u8], test: impl Fn(u8) -> bool) -> bool {
    const BLOCK: usize = 32;
    let block_has = |block: &[u8]| block.iter().fold(0u8, |seen, &b| seen | u8::from(test(b))) != 0;
    if bytes.len() < BLOCK {
        return block_has(bytes);
    }
    // The last block overlaps the one before it rather than being short.
    bytes.chunks_exact(BLOCK).any(&block_has) || block_has(&bytes[bytes.len() - BLOCK..])
}

/// True when every `}` closes an earlier `{` and none stays open.
fn braces_pair_up(text: &str) -> bool {
    let mut depth = 0usize;
    for b in text.bytes() {
        match b {
            b'{' => depth += 1,
            b'}' if depth == 0 => return false,
            b'}' => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

/// Appends a title, brace-protecting words that styles must not lowercase
/// (see [`needs_protection`]).
pub(crate) fn push_title(out: &mut String, text: &str, charset: Charset, protect: bool) {
    if !protect {
        push_text(out, text, charset);
    } else if is_plain(text) {
        push_plain_title(out, text);
    } else {
        push_protected_title(out, text, charset);
    }
}

/// [`push_title`] with protection for [plain](is_plain) text: ASCII words
/// braced where [`needs_protection`] says, everything else as it is.
fn push_plain_title(out: &mut String, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let word_len = rest
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (word, tail) = rest.split_at(word_len);
        if needs_protection(word) {
            out.push('{');
            out.push_str(word);
            out.push('}');
        } else {
            out.push_str(word);
        }
        let gap = tail
            .bytes()
            .position(|b| b.is_ascii_alphanumeric())
            .unwrap_or(tail.len());
        out.push_str(&tail[..gap]);
        rest = &tail[gap..];
    }
}

/// [`push_title`] with protection for any text.
fn push_protected_title(out: &mut String, text: &str, charset: Charset) {
    let normalized = normalized(text);
    let mut writer = TextWriter::new(out, charset, braces_pair_up(&normalized));
    let mut rest = &*normalized;
    while !rest.is_empty() {
        let word_len = rest
            .char_indices()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(rest.len(), |(i, _)| i);
        if word_len == 0 {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                writer.push(c);
            }
            rest = chars.as_str();
            continue;
        }
        let (word, tail) = rest.split_at(word_len);
        if needs_protection(word) {
            writer.raw("{");
            writer.escaped(word);
            writer.raw("}");
        } else {
            writer.escaped(word);
        }
        rest = tail;
    }
}

/// True when a title word must keep its case: it has a capital after its
/// first letter (`BERT`, `ImageNet`, `NeRF`, `iPhone`, `3D`), or it is a
/// single capital other than `A` (`C`, `I`, `X`).
pub(crate) fn needs_protection(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    if rest.is_empty() {
        return first.is_uppercase() && first != 'A';
    }
    rest.chars().any(char::is_uppercase)
}

/// True when [`for_each_normalized`] would give `text` back unchanged: no
/// control characters, no white space but single spaces, none at either end.
fn is_normalized(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    // One pass for what is rare: ASCII controls, and the first bytes of
    // the white space and controls beyond ASCII (see below).
    let rare = any_byte(bytes, |b| {
        (b < b' ') | (b == 0x7F) | (b == 0xC2) | (b.wrapping_sub(0xE1) <= 0xE3 - 0xE1)
    });
    if rare && (any_byte(bytes, |b| (b < b' ') | (b == 0x7F)) || has_wide_space_or_control(bytes)) {
        return false;
    }
    !has_doubled(bytes, b' ')
}

/// True when the UTF-8 `bytes` hold a control character or white space
/// beyond ASCII: U+0080 to U+00A0, U+1680, U+2000 to U+200A, U+2028,
/// U+2029, U+202F, U+205F or U+3000 (found by their first bytes).
fn has_wide_space_or_control(bytes: &[u8]) -> bool {
    let mut leads =
        memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes).chain(memchr::memchr_iter(0xE3, bytes));
    leads.any(|i| {
        let next = &bytes[i + 1..];
        match bytes[i] {
            0xC2 => next.first().is_some_and(|&b| b <= 0xA0),
            0xE1 => next.starts_with(&[0x9A, 0x80]),
            0xE2 => matches!(
                next,
                [0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..] | [0x81, 0x9F, ..]
            ),
            _ => next.starts_with(&[0x80, 0x80]),
        }
    })
}

/// Calls `f` with the characters of `text`, whitespace runs made one
/// space, ends trimmed, control characters dropped.
fn for_each_normalized(text: &str, mut f: impl FnMut(char)) {
    let mut pending_space = false;
    let mut started = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = started;
        } else if c.is_control() {
            continue;
        } else {
            if pending_space {
                f(' ');
                pending_space = false;
            }
            started = true;
            f(c);
        }
    }
}

/// Writes characters, remembering whether the last one was a hyphen.
struct TextWriter<'a> {
    out: &'a mut String,
    charset: Charset,
    after_hyphen: bool,
    /// Braces may be written `\{` `\}`.
    paired: bool,
}

impl<'a> TextWriter<'a> {
    fn new(out: &'a mut String, charset: Charset, paired: bool) -> Self {
        TextWriter {
            out,
            charset,
            after_hyphen: false,
            paired,
        }
    }

    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.after_hyphen = false;
    }

    /// Writes normalized text: runs of ordinary bytes at once, the other
    /// characters one by one.
    fn escaped(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            let run = rest
                .bytes()
                .position(|b| !is_ordinary(b))
                .unwrap_or(rest.len());
            if run > 0 {
                self.raw(&rest[..run]);
                rest = &rest[run..];
            }
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                self.push(c);
            }
            rest = chars.as_str();
        }
    }

    fn hyphens(&mut self, s: &str) {
        if self.after_hyphen {
            self.out.push_str("{}");
        }
        self.out.push_str(s);
        self.after_hyphen = true;
    }

    fn push(&mut self, c: char) {
        if c.is_ascii() {
            match c {
                '-' => return self.hyphens("-"),
                '\\' => self.raw("{\\textbackslash}"),
                '{' if !self.paired => self.raw("{\\textbraceleft}"),
                '}' if !self.paired => self.raw("{\\textbraceright}"),
                '~' => self.raw("{\\textasciitilde}"),
                '^' => self.raw("{\\textasciicircum}"),
                '$' | '&' | '%' | '#' | '_' | '{' | '}' => {
                    self.out.push('\\');
                    self.out.push(c);
                    self.after_hyphen = false;
                }
                _ => {
                    self.out.push(c);
                    self.after_hyphen = false;
                }
            }
            return;
        }
        if self.charset == Charset::Unicode {
            self.out.push(c);
            self.after_hyphen = false;
            return;
        }
        match c {
            '\u{2013}' => return self.hyphens("--"),
            '\u{2014}' => return self.hyphens("---"),
            _ => {}
        }
        if let Some(name) = named_char(c) {
            self.out.push_str("{\\");
            self.out.push_str(name);
            self.out.push('}');
            self.after_hyphen = false;
            return;
        }
        if !push_accented(self.out, c) {
            self.out.push(c);
        }
        self.after_hyphen = false;
    }
}

/// Characters with a LaTeX command of their own (no argument): the
/// writer writes them as `{\\name}`, and the reader's fast path reads
/// exactly these back.
pub(crate) const NAMED: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('Æ', "AE"),
    ('œ', "oe"),
    ('Œ', "OE"),
    ('ø', "o"),
    ('Ø', "O"),
    ('ł', "l"),
    ('Ł', "L"),
    ('ı', "i"),
    ('å', "aa"),
    ('Å', "AA"),
    ('đ', "dj"),
    ('Đ', "DJ"),
    ('ð', "dh"),
    ('Ð', "DH"),
    ('þ', "th"),
    ('Þ', "TH"),
    ('ŋ', "ng"),
    ('Ŋ', "NG"),
    ('\u{2018}', "textquoteleft"),
    ('\u{2019}', "textquoteright"),
    ('\u{201C}', "textquotedblleft"),
    ('\u{201D}', "textquotedblright"),
    ('\u{201E}', "quotedblbase"),
    ('\u{201A}', "quotesinglbase"),
    ('«', "guillemotleft"),
    ('»', "guillemotright"),
    ('\u{2039}', "guilsinglleft"),
    ('\u{203A}', "guilsinglright"),
    ('\u{2026}', "dots"),
    ('§', "S"),
    ('¶', "P"),
    ('©', "copyright"),
    ('®', "textregistered"),
    ('\u{2122}', "texttrademark"),
    ('£', "pounds"),
    ('¡', "textexclamdown"),
    ('¿', "textquestiondown"),
    ('\u{2022}', "textbullet"),
    ('\u{2020}', "textdagger"),
    ('\u{2021}', "textdaggerdbl"),
    ('·', "textperiodcentered"),
    ('ª', "textordfeminine"),
    ('º', "textordmasculine"),
];

fn named_char(c: char) -> Option<&'static str> {
    if c > LAST_NAMED {
        return None;
    }
    NAMED.iter().find(|&&(n, _)| n == c).map(|&(_, name)| name)
}

/// The highest character in [`NAMED`]: the rest (CJK, most symbols) skip the search.
const LAST_NAMED: char = '\u{2122}';

/// The accent command for a combining mark, and whether it is a letter
/// command (which takes its argument in braces).
pub(crate) fn accent(mark: char) -> Option<(&'static str, bool)> {
    Some(match mark {
        '\u{300}' => ("`", false),
        '\u{301}' => ("'", false),
        '\u{302}' => ("^", false),
        '\u{303}' => ("~", false),
        '\u{304}' => ("=", false),
        '\u{307}' => (".", false),
        '\u{308}' => ("\"", false),
        '\u{306}' => ("u", true),
        '\u{30A}' => ("r", true),
        '\u{30B}' => ("H", true),
        '\u{30C}' => ("v", true),
        '\u{323}' => ("d", true),
        '\u{327}' => ("c", true),
        '\u{328}' => ("k", true),
        _ => return None,
    })
}

/// Writes a precomposed accented letter as nested accent macros; false when
/// it is not an ASCII letter with known marks. The Latin blocks are worked
/// out once and looked up after that.
fn push_accented(out: &mut String, c: char) -> bool {
    static LATIN: std::sync::OnceLock<Vec<Option<Box<str>>>> = std::sync::OnceLock::new();
    const RANGES: [(u32, u32); 2] = [(0xC0, 0x250), (0x1E00, 0x1F00)];
    let code = c as u32;
    let mut offset = 0;
    for (start, end) in RANGES {
        if (start..end).contains(&code) {
            let table = LATIN.get_or_init(|| {
                RANGES
                    .iter()
                    .flat_map(|&(s, e)| s..e)
                    .map(|code| {
                        let mut macro_text = String::new();
                        char::from_u32(code)
                            .filter(|&c| accented_macro(&mut macro_text, c))
                            .map(|_| macro_text.into_boxed_str())
                    })
                    .collect()
            });
            return match table.get(offset + (code - start) as usize) {
                Some(Some(text)) => {
                    out.push_str(text);
                    true
                }
                _ => false,
            };
        }
        offset += (end - start) as usize;
    }
    // No character outside those blocks is an ASCII letter with marks
    // (checked by a test), so CJK and the rest skip the decomposition.
    false
}

/// [`push_accented`] without the table.
fn accented_macro(out: &mut String, c: char) -> bool {
    let mut parts = std::iter::once(c).nfd();
    let Some(base) = parts.next().filter(char::is_ascii_alphabetic) else {
        return false;
    };
    let mut marks = [('\0', ("", false)); 4];
    let mut count = 0;
    for mark in parts {
        let Some(command) = accent(mark) else {
            return false;
        };
        if count == marks.len() {
            return false;
        }
        marks[count] = (mark, command);
        count += 1;
    }
    if count == 0 {
        return false;
    }
    // Readers compose the marks one at a time; only write a macro when
    // that gives this very character back (not for U+212B ANGSTROM SIGN).
    let mut composed = base;
    for &(mark, _) in &marks[..count] {
        match unicode_normalization::char::compose(composed, mark) {
            Some(c) => composed = c,
            None => return false,
        }
    }
    if composed != c {
        return false;
    }
    // `{\"i}`, not `{\"{\i}}`: every reader decodes the first to `ï`.
    let mut inner = base.to_string();
    for (i, &(_, (command, letter))) in marks[..count].iter().enumerate() {
        inner = if i == 0 && !letter && inner.len() == 1 {
            format!("\\{command}{inner}")
        } else {
            format!("\\{command}{{{inner}}}")
        };
    }
    out.push('{');
    out.push_str(&inner);
    out.push('}');
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(s: &str) -> String {
        let mut out = String::new();
        push_text(&mut out, s, Charset::Ascii);
        out
    }

    fn title(s: &str) -> String {
        let mut out = String::new();
        push_title(&mut out, s, Charset::Ascii, true);
        out
    }

    #[test]
    fn specials_become_latex() {
        assert_eq!(
            ascii("50% & {more}: $x^2$ with C# in snake_case, ~t\\b"),
            "50\\% \\& \\{more\\}: \\$x{\\textasciicircum}2\\$ \
             with C\\# in snake\\_case, {\\textasciitilde}t{\\textbackslash}b"
        );
        assert_eq!(ascii("<b>|</b>"), "<b>|</b>");
        assert_eq!(ascii("a} {b"), "a{\\textbraceright} {\\textbraceleft}b");
    }

    #[test]
    fn whitespace_and_controls() {
        assert_eq!(ascii("  a \t\n b\u{7}c\u{a0}d  "), "a bc d");
        assert_eq!(ascii("\u{7}"), "");
        assert!(is_normalized("a b") && is_normalized(""));
        assert!(!is_normalized(" a") && !is_normalized("a ") && !is_normalized("a  b"));
        assert!(!is_normalized("a\tb") && !is_normalized("a\u{7}"));
        assert!(is_plain("Neural Computation") && is_plain("a-b") && !is_plain("a--b"));
        assert!(!is_plain("é") && !is_plain("a  b") && !is_plain("a_b"));
    }

    #[test]
    fn hyphens_stay_hyphens() {
        assert_eq!(ascii("C--"), "C-{}-");
        assert_eq!(ascii("a\u{2013}b"), "a--b");
        assert_eq!(ascii("a\u{2013}-b"), "a--{}-b");
        assert_eq!(ascii("a\u{2014}b"), "a---b");
    }

    #[test]
    fn accents_and_letters() {
        assert_eq!(ascii("Jürgen"), "J{\\\"u}rgen");
        assert_eq!(ascii("Łukasz"), "{\\L}ukasz");
        assert_eq!(ascii("Çağ"), "{\\c{C}}a{\\u{g}}");
        assert_eq!(ascii("naïve"), "na{\\\"i}ve");
        assert_eq!(ascii("Nguyễn"), "Nguy{\\~{\\^e}}n");
        assert_eq!(ascii("Straße"), "Stra{\\ss}e");
        assert_eq!(ascii("\u{212B}"), "\u{212B}");
        assert_eq!(ascii("何恺明"), "何恺明");
        assert_eq!(ascii("O\u{2019}Brien"), "O{\\textquoteright}Brien");
        let mut out = String::new();
        push_text(&mut out, "Jürgen\u{2013}何", Charset::Unicode);
        assert_eq!(out, "Jürgen\u{2013}何");
    }

    #[test]
    fn only_the_latin_blocks_have_accent_macros_and_named_chars_end_early() {
        let mut out = String::new();
        let outside = (0..0xC0).chain(0x250..0x1E00).chain(0x1F00..0x11_0000);
        for c in outside.filter_map(char::from_u32) {
            assert!(!accented_macro(&mut out, c), "{c:?}");
        }
        assert!(NAMED.iter().all(|&(c, _)| c <= LAST_NAMED));
    }

    #[test]
    fn the_quick_checks_agree_with_character_rules() {
        let plain_by_chars = |text: &str| {
            !text.starts_with(' ')
                && !text.ends_with(' ')
                && !text.contains("  ")
                && !text.contains("--")
                && text
                    .bytes()
                    .all(|b| (b' '..=b'~').contains(&b) && !b"\\{}~^$&%#_".contains(&b))
        };
        let normalized_by_chars = |text: &str| {
            let mut after_space = true;
            for c in text.chars() {
                if c == ' ' {
                    if after_space {
                        return false;
                    }
                    after_space = true;
                } else if c.is_whitespace() || c.is_control() {
                    return false;
                } else {
                    after_space = false;
                }
            }
            !after_space || text.is_empty()
        };
        let chars = ('\0'..='\u{3100}').chain(['\u{FEFF}', '\u{1F600}']);
        for c in chars {
            // Short text is checked in one pass, long text in several.
            let long = "a b-c ".repeat(6);
            for text in [
                format!("a{c}b"),
                format!("{c}"),
                format!("{c}{c}"),
                format!("x {c}"),
                format!("{long}{c}{c}b"),
                format!("{c}{long}"),
            ] {
                assert_eq!(is_plain(&text), plain_by_chars(&text), "{text:?}");
                assert_eq!(is_normalized(&text), normalized_by_chars(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn runs_and_single_characters_give_the_same_text() {
        let text = "Über 50% of {C++} -- naïve x--y \\ ~^ 何恺明 O\u{2019}Brien_2 & $5#";
        let mut by_char = String::new();
        let mut writer = TextWriter::new(&mut by_char, Charset::Ascii, braces_pair_up(text));
        text.chars().for_each(|c| writer.push(c));
        assert_eq!(ascii(text), by_char);
    }

    proptest::proptest! {
        /// The plain-title path writes what the general one writes.
        #[test]
        fn plain_titles_take_a_short_cut_to_the_same_text(
            text in "[A-Za-z0-9 .,:;!?()'/*+=<>@|\"-]{0,40}"
        ) {
            if is_plain(&text) {
                let mut fast = String::new();
                push_plain_title(&mut fast, &text);
                let mut general = String::new();
                push_protected_title(&mut general, &text, Charset::Ascii);
                proptest::prop_assert_eq!(fast, general);
            }
        }

        /// The block-wise search finds what a byte-by-byte one finds, at
        /// every length and place (the rare byte is 0x80 or above).
        #[test]
        fn any_byte_agrees_with_a_plain_search(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![30 => proptest::strategy::Just(b'a'), 1 => proptest::strategy::Just(0x80u8)],
                0..100,
            ),
        ) {
            let test = |b: u8| b >= 0x80;
            proptest::prop_assert_eq!(any_byte(&bytes, test), bytes.iter().any(|&b| test(b)));
        }
    }

    #[test]
    fn title_protection() {
        assert_eq!(
            title("BERT: Pre-training of Deep Bidirectional Transformers"),
            "{BERT}: Pre-training of Deep Bidirectional Transformers"
        );
        assert_eq!(
            title("ImageNet Classification with LSTM and NeRF in 3D"),
            "{ImageNet} Classification with {LSTM} and {NeRF} in {3D}"
        );
        assert_eq!(
            title("A Study of C++ and X-ray"),
            "A Study of {C}++ and {X}-ray"
        );
        assert_eq!(title("ÜBER alles"), "{{\\\"U}BER} alles");
        let mut out = String::new();
        push_title(&mut out, "BERT", Charset::Ascii, false);
        assert_eq!(out, "BERT");
    }
}
