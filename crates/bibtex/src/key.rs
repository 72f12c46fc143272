//! Citation keys: the paper's id, or `familyYYYYword`, unique in one output.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use paper_model::{Author, Paper};

use crate::latex::push_ascii_fold;

/// Words skipped when the first title word is picked for a key.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "on", "of", "in", "at", "to", "for", "and", "or", "with", "from", "by", "as",
    "is",
];

/// The longest family or title part of a generated key, in characters.
const PART_LIMIT: usize = 24;

/// The citation key a paper asks for, before collisions are resolved.
///
/// - A paper with an `id` gets it, with characters outside
///   `A-Z a-z 0-9 _ : - . / +` transliterated or dropped (`müller19` →
///   `muller19`). An id that is already safe is never changed.
/// - Otherwise, and when nothing of the id survives, the key is
///   `familyYYYYword`: the first author's family name (an organisation's
///   whole name), the year, and the first title word that is not a short
///   function word (`a`, `the`, `of`, ...), all folded to lowercase ASCII
///   (`Łukasz` → `lukasz`, `Müller` → `muller`, `Straße` → `strasse`).
///   A family name with no Latin letters (`何`) becomes `x` and six hex
///   digits of a stable hash of the name; no authors gives `anon`; a
///   title with no Latin word adds nothing.
///
/// The result matches `[A-Za-z0-9_:./+-]+` and is never empty; a generated
/// one matches `[a-z0-9]+`.
///
/// ```
/// use paper_model::{Author, Paper};
///
/// let mut paper = Paper::new("The Perceptron: A Probabilistic Model", 1958);
/// paper.authors = vec![Author::person("Rosenblatt", "Frank")];
/// assert_eq!(paper_bibtex::citation_key(&paper), "rosenblatt1958perceptron");
/// paper.authors = vec![Author::person("Kaiser", "Łukasz")];
/// paper.title = "Über Straßen".into();
/// assert_eq!(paper_bibtex::citation_key(&paper), "kaiser1958uber");
/// paper.id = "vaswani2017attention".into();
/// assert_eq!(paper_bibtex::citation_key(&paper), "vaswani2017attention");
/// ```
pub fn citation_key(paper: &Paper) -> String {
    let id = safe_id(&paper.id);
    if !id.is_empty() {
        return id;
    }
    generated_key(paper)
}

fn safe_id(id: &str) -> String {
    let allowed =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '/' | '+');
    if id.chars().all(allowed) {
        return id.to_owned();
    }
    let mut folded = String::with_capacity(id.len());
    push_ascii_fold(&mut folded, id);
    folded.retain(allowed);
    folded
}

fn generated_key(paper: &Paper) -> String {
    let mut key = String::with_capacity(32);
    match paper.authors.first() {
        None => key.push_str("anon"),
        Some(author) => {
            let name = match author {
                Author::Person(p) => p.family.as_str(),
                Author::Organization(o) => o.literal.as_str(),
            };
            let name = if name.trim().is_empty() {
                author.display_name()
            } else {
                name.to_owned()
            };
            let folded = fold_alnum(&name);
            if folded.is_empty() {
                key.push('x');
                key.push_str(&short_hash(&name));
            } else {
                key.push_str(&folded);
            }
        }
    }
    if let Some(year) = paper.year {
        key.push_str(&year.unsigned_abs().to_string());
    }
    let mut title = String::with_capacity(paper.title.len());
    push_ascii_fold(&mut title, &paper.title);
    let word = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .find(|w| !STOP_WORDS.contains(&w.as_str()));
    if let Some(word) = word {
        key.extend(word.chars().take(PART_LIMIT));
    }
    key
}

/// Lowercase ASCII letters and digits of `text`, at most [`PART_LIMIT`].
fn fold_alnum(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    push_ascii_fold(&mut folded, text);
    folded
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(PART_LIMIT)
        .collect()
}

/// Six hex digits of FNV-1a over the UTF-8 bytes: stable across runs,
/// platforms and versions.
fn short_hash(text: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.trim().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{:06x}", hash & 0x00ff_ffff)
}

/// The key a [`KeyGen`] gave one paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedKey {
    /// The key to write: unique among the keys the generator has given.
    pub key: String,
    /// The key the paper asked for ([`citation_key`]); differs from `key`
    /// when an earlier paper already had it.
    pub wanted: String,
}

impl AssignedKey {
    /// True when the paper did not get the key it asked for.
    pub fn collided(&self) -> bool {
        self.key != self.wanted
    }
}

/// Gives each paper of one output a unique citation key.
///
/// The first paper that asks for a key gets it; a later paper that asks
/// for the same key gets it with the first free suffix `a`, `b`, ..., `z`,
/// `aa`, `ab`, ... So keys depend only on the papers and their order:
/// appending papers to a list never changes the keys of the papers already
/// in it, while inserting one before a paper it collides with moves the
/// suffix to the later paper. A pinned `id` keeps its key as long as no
/// earlier paper has it.
///
/// To stream, the generator remembers a 64-bit hash of each key it gave,
/// not the keys: about 16 bytes per paper (16 MB for a million papers).
///
/// ```
/// use paper_bibtex::KeyGen;
/// use paper_model::{Author, Paper};
///
/// let mut keys = KeyGen::new();
/// let mut paper = Paper::new("Deep Learning of Colliding Keys", 2018);
/// paper.authors = vec![Author::person("Müller", "Anna")];
/// assert_eq!(keys.assign(&paper).key, "muller2018deep");
/// paper.title = "Deep Networks Again".into();
/// let second = keys.assign(&paper);
/// assert_eq!(second.key, "muller2018deepa");
/// assert!(second.collided());
/// ```
#[derive(Debug, Default)]
pub struct KeyGen {
    issued: HashSet<u64>,
}

impl KeyGen {
    /// A generator that has given no keys yet.
    pub fn new() -> Self {
        KeyGen::default()
    }

    /// The key for the next paper.
    pub fn assign(&mut self, paper: &Paper) -> AssignedKey {
        let wanted = citation_key(paper);
        if self.issued.insert(hash(&wanted)) {
            return AssignedKey {
                key: wanted.clone(),
                wanted,
            };
        }
        let mut n = 1u64;
        loop {
            let candidate = format!("{wanted}{}", suffix(n));
            if self.issued.insert(hash(&candidate)) {
                return AssignedKey {
                    key: candidate,
                    wanted,
                };
            }
            n += 1;
        }
    }
}

fn hash(key: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// `a` for 1, `z` for 26, `aa` for 27: bijective base 26.
fn suffix(mut n: u64) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(family: &str, year: i32, title: &str) -> Paper {
        let mut p = Paper::new(title, year);
        p.authors = vec![Author::person(family, "X")];
        p
    }

    #[test]
    fn generated_keys() {
        assert_eq!(
            citation_key(&paper("Le Cun", 1990, "Handwritten Digit Recognition")),
            "lecun1990handwritten"
        );
        assert_eq!(
            citation_key(&paper("Sohl-Dickstein", 2015, "Deep Unsupervised Learning")),
            "sohldickstein2015deep"
        );
        assert_eq!(
            citation_key(&paper("Smith", 2021, "=HYPERLINK(\"http://evil/\")")),
            "smith2021hyperlink"
        );
        assert_eq!(
            citation_key(&paper("Schmidhuber", 1997, "On the Ūse of Ø")),
            "schmidhuber1997use"
        );
        let mut org = Paper::new("GPT-4 Technical Report", 2023);
        org.authors = vec![Author::organization("OpenAI")];
        assert_eq!(citation_key(&org), "openai2023gpt");
        let mut none = Paper::new("Untitled", 2000);
        none.year = None;
        assert_eq!(citation_key(&none), "anonuntitled");
    }

    #[test]
    fn names_with_no_latin_form_hash_stably() {
        let key = citation_key(&paper("何", 2017, "深度残差学习"));
        assert_eq!(key.len(), 1 + 6 + 4);
        assert!(key.starts_with('x') && key.ends_with("2017"), "{key}");
        assert_eq!(key, citation_key(&paper("何", 2017, "另一个标题")));
        assert_ne!(key, citation_key(&paper("孙", 2017, "深度残差学习")));
        assert_eq!(short_hash("何"), "4c8d8d");
    }

    #[test]
    fn ids_are_kept_or_made_safe() {
        let mut p = paper("A", 2000, "T");
        p.id = "DBLP:conf/nips/Vaswani17".into();
        assert_eq!(citation_key(&p), "DBLP:conf/nips/Vaswani17");
        p.id = "müller,{2018}".into();
        assert_eq!(citation_key(&p), "muller2018");
        p.id = "何".into();
        assert_eq!(citation_key(&p), "a2000t");
    }

    #[test]
    fn collisions_get_suffixes_in_order() {
        let mut keys = KeyGen::new();
        let p = paper("Müller", 2018, "Deep");
        let got: Vec<String> = (0..29).map(|_| keys.assign(&p).key).collect();
        assert_eq!(got[0], "muller2018deep");
        assert_eq!(got[1], "muller2018deepa");
        assert_eq!(got[26], "muller2018deepz");
        assert_eq!(got[27], "muller2018deepaa");
        assert_eq!(got[28], "muller2018deepab");
        // A pinned id that an earlier paper took also gets a suffix.
        let mut pinned = paper("Other", 1, "x");
        pinned.id = "muller2018deepb".into();
        assert_eq!(keys.assign(&pinned).key, "muller2018deepba");
    }

    #[test]
    fn suffixes() {
        assert_eq!(suffix(1), "a");
        assert_eq!(suffix(26), "z");
        assert_eq!(suffix(27), "aa");
        assert_eq!(suffix(702), "zz");
        assert_eq!(suffix(703), "aaa");
    }
}
