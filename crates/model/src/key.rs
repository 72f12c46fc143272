//! Generated paper ids in the familiar BibTeX key shape, `family` +
//! `year` + first title word: `hochreiter1997long`.

use crate::{Author, Paper};

/// Title words that never make a key.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "via", "with",
];

/// A citation key for a paper: the first author's family name (or an
/// organisation's name), the year, and the first title word that is not a
/// stop word, all folded to lowercase ASCII letters and digits.
///
/// The rules, so that other implementations can match them:
/// - Accented Latin letters lose their accents (`Müller` → `muller`,
///   `Łukasz` → `lukasz`, `ß` → `ss`); everything that is not an ASCII
///   letter or digit is dropped (`Sohl-Dickstein` → `sohldickstein`).
/// - Title words are split at every character that is not a letter or a
///   digit (`Auto-Encoding` gives `auto`); the stop words are `a an and as
///   at by for from in into of on or the to via with`.
/// - No author (or a name with no Latin form) gives `anon`; no year gives
///   nothing; no usable title word gives nothing.
/// - When a name or a title has letters but no Latin form (`何恺明`,
///   `深度学习`), six hex digits of a stable hash (FNV-1a, 64-bit, of the
///   family name, a `|` and the title) are added, so that such papers do
///   not all get the same key.
///
/// Keys of different papers may still collide (`muller2018deep` twice);
/// whoever assigns them to a list adds `a`, `b`, … to the later ones.
///
/// ```
/// use paper_model::{Author, Paper, citation_key};
///
/// let mut p = Paper::new("A Logical Calculus of the Ideas Immanent in Nervous Activity", 1943);
/// p.authors = vec![Author::person("McCulloch", "Warren S.")];
/// assert_eq!(citation_key(&p), "mcculloch1943logical");
/// let mut p = Paper::new("深度残差学习", 2017);
/// p.authors = vec![Author::person("何", "恺明")];
/// assert_eq!(citation_key(&p), "anon20177ac46a");
/// ```
pub fn citation_key(paper: &Paper) -> String {
    let family = paper
        .authors
        .first()
        .map(Author::family_or_literal)
        .unwrap_or("");
    let mut name = ascii_fold(family);
    name.retain(|c| c.is_ascii_alphanumeric());
    let mut word = String::new();
    let mut title_has_latin_word = false;
    for candidate in paper
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut folded = ascii_fold(candidate);
        folded.retain(|c| c.is_ascii_alphanumeric());
        if folded.is_empty() {
            continue;
        }
        title_has_latin_word = true;
        if !STOP_WORDS.contains(&folded.as_str()) {
            word = folded;
            break;
        }
    }
    let has_letters = |s: &str| s.chars().any(char::is_alphanumeric);
    let needs_hash = (name.is_empty() && has_letters(family))
        || (!title_has_latin_word && has_letters(&paper.title));
    let mut key = if name.is_empty() {
        "anon".to_owned()
    } else {
        name
    };
    if let Some(year) = paper.year {
        key.push_str(&year.to_string());
    }
    key.push_str(&word);
    if needs_hash {
        let hash = fnv1a(format!("{family}|{}", paper.title).as_bytes());
        key.push_str(&format!("{:06x}", hash & 0xFF_FFFF));
    }
    key
}

/// FNV-1a, 64 bits: a hash whose value never changes between builds.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Lowercases and replaces accented Latin letters by plain ones
/// (`Ærø` → `aero`); other characters are kept as they are.
pub fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ß' => "ss",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(plain);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(family: Option<&str>, title: &str, year: Option<i32>) -> String {
        let mut p = Paper::new(title, 0);
        p.year = year;
        if let Some(f) = family {
            p.authors = vec![Author::person(f, "X")];
        }
        citation_key(&p)
    }

    #[test]
    fn family_year_and_first_real_word() {
        assert_eq!(
            key(Some("Sohl - Dickstein"), "Deep Unsupervised", Some(2015)),
            "sohldickstein2015deep"
        );
        assert_eq!(
            key(
                Some("Kingma"),
                "Auto-Encoding Variational Bayes",
                Some(2013)
            ),
            "kingma2013auto"
        );
        assert_eq!(
            key(Some("Müller"), "On the Über-Net", Some(2018)),
            "muller2018uber"
        );
        assert_eq!(key(Some("Łoś"), "The", None), "los");
        assert_eq!(key(None, "A Study", Some(1999)), "anon1999study");
    }

    #[test]
    fn non_latin_names_and_titles_get_a_stable_hash() {
        let a = key(Some("何"), "深度残差学习", Some(2017));
        let b = key(Some("孙"), "深度残差学习", Some(2017));
        assert!(a.starts_with("anon2017") && a.len() == "anon2017".len() + 6);
        assert_ne!(a, b);
        assert_eq!(a, key(Some("何"), "深度残差学习", Some(2017)));
        assert_eq!(
            key(Some("Kaiser"), "深度学习", Some(2020)),
            format!(
                "kaiser2020{:06x}",
                fnv1a("Kaiser|深度学习".as_bytes()) & 0xFF_FFFF
            )
        );
    }

    #[test]
    fn fold() {
        assert_eq!(ascii_fold("ÆrøŁódźSTRASSE ß"), "aerolodzstrasse ss");
        assert_eq!(ascii_fold("何A"), "何a");
    }
}
