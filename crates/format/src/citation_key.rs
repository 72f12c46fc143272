//! Citation keys: the one key a paper has in every format that names it
//! (BibTeX key, CSL-JSON `id` and `citation-key`, RIS `ID`).
//!
//! A paper's own [`Paper::id`] is its key when it has one. Otherwise a key
//! is made from the paper as `familyYYYYword`:
//!
//! - `family`: the first author's family name (an organisation's whole
//!   name), folded to ASCII (`Łukasz` → `lukasz`, `Müller` → `muller`,
//!   `Sohl-Dickstein` → `sohldickstein`), lower case, letters and digits
//!   only. A name with no Latin form (`何`) becomes `h` and six hex digits of
//!   a stable hash of the name (FNV-1a, 32 bits, of its UTF-8 bytes). No
//!   author: `anon`.
//! - `YYYY`: the year, left out when unknown.
//! - `word`: the first word of the title that is not `a`, `an`, `the`,
//!   `on`, `of`, `in`, `at`, `to`, `for`, `and`, `with`, `from` or `by`,
//!   folded the same way; words are runs of ASCII letters and digits
//!   after folding (`High-Resolution` → `high`). Left out when the title
//!   has no such word.
//!
//! A generated key has only `[a-z0-9]` and is never empty. [`KeyGen`]
//! makes keys unique within one output: the first paper gets the key, the
//! next ones with the same key get `a`, `b`, … `z`, `aa`, … appended,
//! skipping every key already given out (including explicit ids). Keys
//! depend on the order of the papers, so only explicit ids are stable when
//! colliding papers are added; pin a key by giving the paper an `id`.
//!
//! ```
//! use paper_format::citation_key::{KeyGen, base_key};
//! use paper_model::{Author, Paper};
//!
//! let mut paper = Paper::new("The Perceptron: A Probabilistic Model", 1958);
//! paper.authors = vec![Author::person("Rosenblatt", "Frank")];
//! assert_eq!(base_key(&paper), "rosenblatt1958perceptron");
//!
//! let mut keys = KeyGen::new();
//! assert_eq!(keys.key(&paper), "rosenblatt1958perceptron");
//! assert_eq!(keys.key(&paper), "rosenblatt1958perceptrona");
//! paper.id = "pinned".into();
//! assert_eq!(keys.key(&paper), "pinned");
//! ```

use std::collections::HashMap;

use paper_model::{Author, FingerprintSet, Paper};

/// Title words a key skips.
const SKIPPED_WORDS: [&str; 13] = [
    "a", "an", "the", "on", "of", "in", "at", "to", "for", "and", "with", "from", "by",
];

/// ASCII forms of U+00C0..U+024F: one letter each, `.` for none, `*` for
/// the letters that need two (see [`fold_char`]).
const LATIN_C0_24F: &str = concat!(
    "AAAAAA*CEEEEIIIIDNOOOOO.OUUUUY**aaaaaa*ceeeeiiiidnooooo.ouuuuy*y",
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi**JjKkkLlLlLlL",
    "lLlNnNnNnnNnOoOoOo**RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs",
    "................................Oo.............Uu...............",
    "....*********AaIiOoUuUuUuUuUu.AaAa....GgKkOoOo..j***Gg..NnAa....",
    "AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh......AaEeOoOoOoOoYy............",
    "................",
);

/// ASCII forms of U+1E00..U+1EFF (Latin Extended Additional, Vietnamese).
const LATIN_1E00_1EFF: &str = concat!(
    "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm",
    "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv",
    "WwWwWwWwWwXxXxYyZzZzZzhtwy.s....AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe",
    "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy......",
);

/// Pushes the ASCII form of one character onto `out`: itself when ASCII,
/// the base letter(s) of a Latin letter with diacritics (`ü` → `u`,
/// `Ł` → `L`, `ß` → `ss`). Returns false, pushing nothing, when it has no
/// Latin form.
fn fold_char(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        out.push(c);
        return true;
    }
    let two = match c {
        'Æ' => "AE",
        'æ' => "ae",
        'Þ' => "TH",
        'þ' => "th",
        'ß' => "ss",
        'ẞ' => "SS",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        'Œ' => "OE",
        'œ' => "oe",
        'Ǆ' | 'Ǳ' => "DZ",
        'ǅ' | 'ǲ' => "Dz",
        'ǆ' | 'ǳ' => "dz",
        'Ǉ' => "LJ",
        'ǈ' => "Lj",
        'ǉ' => "lj",
        'Ǌ' => "NJ",
        'ǋ' => "Nj",
        'ǌ' => "nj",
        _ => "",
    };
    if !two.is_empty() {
        out.push_str(two);
        return true;
    }
    let code = c as u32;
    let letter = match code {
        0xC0..=0x24F => LATIN_C0_24F.as_bytes().get((code - 0xC0) as usize),
        0x1E00..=0x1EFF => LATIN_1E00_1EFF.as_bytes().get((code - 0x1E00) as usize),
        _ => None,
    };
    match letter {
        Some(&b) if b.is_ascii_alphabetic() => {
            out.push(b as char);
            true
        }
        _ => false,
    }
}

/// `text` in ASCII: Latin letters lose their diacritics (`Łukasz` →
/// `Lukasz`, `Jürgen` → `Jurgen`, `Straße` → `Strasse`); characters with
/// no Latin form (`何`, `α`) are left out.
///
/// ```
/// assert_eq!(paper_format::citation_key::to_ascii("Łódź, Đặng 何"), "Lodz, Dang ");
/// ```
pub fn to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// FNV-1a, 32 bits: a hash that is the same on every platform and release.
fn stable_hash(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash: u32, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// The ASCII letters and digits of `text`, lower case.
fn key_letters(text: &str) -> String {
    to_ascii(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The key part for a name: its letters, or `h` + a hash when it has no
/// Latin form, or `None` when the name is blank.
fn name_part(name: &str) -> Option<String> {
    let letters = key_letters(name);
    if !letters.is_empty() {
        return Some(letters);
    }
    let name = name.trim();
    (!name.is_empty()).then(|| format!("h{:06x}", stable_hash(name) & 0x00ff_ffff))
}

/// The first title word a key uses, folded to ASCII and lower case.
fn title_word(title: &str) -> Option<String> {
    to_ascii(title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .find(|w| !w.is_empty() && !SKIPPED_WORDS.contains(&w.as_str()))
}

/// The key made from the paper's first author, year and title, without
/// regard to its `id` or to other papers: `rosenblatt1958perceptron`.
pub fn base_key(paper: &Paper) -> String {
    let family = paper.authors.iter().find_map(|author| match author {
        Author::Person(p) => {
            name_part(&p.family).or_else(|| name_part(p.given.as_deref().unwrap_or("")))
        }
        Author::Organization(o) => name_part(&o.literal),
    });
    let mut key = family.unwrap_or_else(|| "anon".to_owned());
    if let Some(year) = paper.year {
        key.push_str(&year.to_string());
    }
    if let Some(word) = title_word(&paper.title) {
        key.push_str(&word);
    }
    key
}

/// `a`, `b`, … `z`, `aa`, `ab`, …: the suffix for the `n`-th repeat, from 0.
fn suffix(mut n: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

/// Gives each paper of one output its key: its `id`, or a generated key
/// made unique with a letter suffix.
///
/// It remembers a 64-bit fingerprint of every key given out, and for each
/// generated key the suffix to try next, so that many papers with the same
/// key cost no more than different ones. While every paper has an id, the
/// fingerprints are only appended to a list (8 MB for a million papers, and
/// no random memory access); the first paper without one turns the list
/// into a set that later keys are checked against.
#[derive(Debug, Default)]
pub struct KeyGen {
    /// Fingerprints of the ids given out before any key was generated.
    ids: Vec<u64>,
    /// Fingerprints of every key given out, once one was generated.
    used: FingerprintSet,
    generating: bool,
    next_suffix: HashMap<u64, usize>,
}

fn fingerprint(key: &str) -> u64 {
    paper_model::fingerprint(&[key])
}

impl KeyGen {
    /// A generator that has given out no key.
    pub fn new() -> Self {
        KeyGen::default()
    }

    /// The key of the next paper: its `id` when it has one (even if an
    /// earlier paper had it too), else [`base_key`] with the first suffix
    /// that no earlier paper got.
    pub fn key(&mut self, paper: &Paper) -> String {
        if !paper.id.is_empty() {
            let id = fingerprint(&paper.id);
            if self.generating {
                self.used.insert(id);
            } else {
                self.ids.push(id);
            }
            return paper.id.clone();
        }
        if !self.generating {
            self.generating = true;
            for id in std::mem::take(&mut self.ids) {
                self.used.insert(id);
            }
        }
        let base = base_key(paper);
        let mut key = base.clone();
        // Every suffix before `n` is taken already: start from there.
        let n = self.next_suffix.entry(fingerprint(&base)).or_insert(0);
        while self.used.contains(fingerprint(&key)) {
            key = format!("{base}{}", suffix(*n));
            *n += 1;
        }
        self.used.insert(fingerprint(&key));
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Person;

    fn paper(family: &str, year: i32, title: &str) -> Paper {
        let mut p = Paper::new(title, year);
        p.authors = vec![Author::person(family, "X")];
        p
    }

    #[test]
    fn folds_latin_letters() {
        assert_eq!(to_ascii("Łukasz Kaiser"), "Lukasz Kaiser");
        assert_eq!(to_ascii("Jürgen Schmidhuber"), "Jurgen Schmidhuber");
        assert_eq!(
            to_ascii("Ünïcödé Straße Æsir Œuvre"),
            "Unicode Strasse AEsir OEuvre"
        );
        assert_eq!(
            to_ascii("Dvořák Ștefan Nguyễn Đức Lǚ"),
            "Dvorak Stefan Nguyen Duc Lu"
        );
        assert_eq!(to_ascii("Øresund þorn ð ı"), "Oresund thorn d i");
        assert_eq!(to_ascii("何恺明 α×÷"), " ");
        // Every entry of the tables is a letter or a gap.
        for table in [LATIN_C0_24F, LATIN_1E00_1EFF] {
            assert!(
                table
                    .bytes()
                    .all(|b| b.is_ascii_alphabetic() || b == b'.' || b == b'*')
            );
        }
        assert_eq!(LATIN_C0_24F.len(), 0x250 - 0xC0);
        assert_eq!(LATIN_1E00_1EFF.len(), 0x100);
    }

    #[test]
    fn keys_follow_family_year_word() {
        assert_eq!(
            base_key(&paper("McCulloch", 1943, "A Logical Calculus")),
            "mcculloch1943logical"
        );
        assert_eq!(
            base_key(&paper("Le Cun", 1990, "Handwritten Digit")),
            "lecun1990handwritten"
        );
        assert_eq!(
            base_key(&paper("Sohl-Dickstein", 2015, "Deep Unsupervised")),
            "sohldickstein2015deep"
        );
        assert_eq!(
            base_key(&paper("Rombach", 2022, "High-Resolution Image Synthesis")),
            "rombach2022high"
        );
        assert_eq!(
            base_key(&paper("Kaiser", 2020, "On the <b>Bold</b>")),
            "kaiser2020b"
        );
        assert_eq!(
            base_key(&paper("Müller", 2018, "Über Alles")),
            "muller2018uber"
        );
        let mut org = Paper::new("Scaling", 2019);
        org.authors = vec![Author::organization("AT&T Labs")];
        assert_eq!(base_key(&org), "attlabs2019scaling");
    }

    #[test]
    fn keys_are_never_empty_and_ascii() {
        let mut none = Paper::default();
        assert_eq!(base_key(&none), "anon");
        none.title = "深度残差学习".into();
        assert_eq!(base_key(&none), "anon");
        let cjk = paper("何", 2017, "深度残差学习");
        let key = base_key(&cjk);
        assert_eq!(key.len(), "h".len() + 6 + 4);
        assert!(key.starts_with('h') && key.ends_with("2017"), "{key}");
        // Stable: the same name gives the same hash on every run.
        assert_eq!(key, format!("h{:06x}2017", stable_hash("何") & 0xff_ffff));
        assert_eq!(stable_hash(""), 0x811c_9dc5);
        assert_eq!(stable_hash("a"), 0xe40c_292c);
        assert_ne!(base_key(&paper("孙", 2017, "")), key);
        // A person with only a given name, or a blank family name.
        let mut given_only = Paper::new("Works", 1900);
        given_only.authors = vec![Author::Person(Person {
            family: " ".into(),
            given: Some("Plato".into()),
            ..Person::default()
        })];
        assert_eq!(base_key(&given_only), "plato1900works");
        let mut no_year = paper("Smith", 1, "Notes");
        no_year.year = None;
        assert_eq!(base_key(&no_year), "smithnotes");
        for p in [&none, &cjk, &given_only, &no_year] {
            let k = base_key(p);
            assert!(!k.is_empty());
            assert!(
                k.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            );
        }
    }

    #[test]
    fn many_repeats_of_one_key_keep_their_order() {
        let mut keys = KeyGen::new();
        let p = paper("Müller", 2018, "Deep");
        let mut taken = p.clone();
        taken.id = "muller2018deepc".into();
        let mut got: Vec<String> = (0..3).map(|_| keys.key(&p)).collect();
        got.push(keys.key(&taken));
        got.extend((0..3000).map(|_| keys.key(&p)));
        assert_eq!(
            got[..5],
            [
                "muller2018deep",
                "muller2018deepa",
                "muller2018deepb",
                "muller2018deepc",
                "muller2018deepd"
            ]
        );
        assert_eq!(got[3003], format!("muller2018deep{}", suffix(3002)));
    }

    #[test]
    fn collisions_get_letter_suffixes() {
        let mut keys = KeyGen::new();
        let a = paper("Müller", 2018, "Deep Learning of Colliding Keys");
        let b = paper("Müller", 2018, "Deep Networks and Colliding Keys Again");
        assert_eq!(keys.key(&a), "muller2018deep");
        assert_eq!(keys.key(&b), "muller2018deepa");
        assert_eq!(keys.key(&b), "muller2018deepb");
        // An explicit id that looks generated is skipped by later keys.
        let mut pinned = paper("Other", 2000, "x");
        pinned.id = "muller2018deepc".into();
        assert_eq!(keys.key(&pinned), "muller2018deepc");
        assert_eq!(keys.key(&a), "muller2018deepd");
        // Ids given before any key was generated count too.
        let mut fresh = KeyGen::new();
        let mut early = paper("Early", 1999, "y");
        early.id = "muller2018deep".into();
        assert_eq!(fresh.key(&early), "muller2018deep");
        assert_eq!(fresh.key(&early), "muller2018deep");
        assert_eq!(fresh.key(&a), "muller2018deepa");
        assert_eq!(suffix(0), "a");
        assert_eq!(suffix(25), "z");
        assert_eq!(suffix(26), "aa");
        assert_eq!(suffix(27), "ab");
        assert_eq!(suffix(26 + 26 * 26), "aaa");
    }

    #[test]
    fn builtin_style_keys() {
        // The first author's family name, never the particle.
        let mut p = Paper::new("Mastering the game of Go", 2016);
        p.authors = vec![Author::Person(Person {
            family: "Driessche".into(),
            particle: Some("van den".into()),
            ..Person::default()
        })];
        assert_eq!(base_key(&p), "driessche2016mastering");
    }
}
