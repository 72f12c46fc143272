//! A deterministic generator of realistic synthetic papers.
//!
//! The same seed and index always give the same paper, so benchmarks and
//! tests can make a million records without storing them. The papers carry
//! what real lists carry and what breaks naive tools: accented, Polish and
//! CJK names, organisation authors, 1 to 30 authors, LaTeX specials and
//! markup in titles, optional fields missing at random, and notes of 0 to
//! 80 words in English and Chinese.
//!
//! ```
//! let generator = paper_gen::Generator::new(7);
//! let a = generator.paper(41);
//! assert_eq!(a, generator.paper(41));
//! assert!(a.problems().is_empty());
//! ```
#![deny(missing_docs)]

use paper_model::{Author, Paper, PaperType, Person};

/// Makes papers from a seed.
#[derive(Clone, Copy, Debug)]
pub struct Generator {
    seed: u64,
}

/// SplitMix64: small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const GIVEN: &[&str] = &[
    "Yann",
    "Geoffrey E.",
    "Yoshua",
    "Łukasz",
    "Jürgen",
    "Léon",
    "Fei-Fei",
    "Kaiming",
    "Ilya",
    "Małgorzata",
    "Søren",
    "José",
    "Zoë",
    "Andrés",
    "Ngọc",
    "Aarav",
    "Oriol",
    "Jascha",
    "Ana María",
    "François",
    "Grzegorz",
    "Björn",
    "Dzmitry",
    "Chloé",
    "Mihai",
    "Şule",
    "Wojciech",
    "Ren",
];
const FAMILY: &[&str] = &[
    "LeCun",
    "Hinton",
    "Bengio",
    "Kaiser",
    "Schmidhuber",
    "Bottou",
    "Li",
    "He",
    "Sutskever",
    "Wiśniewska",
    "Kierkegaard",
    "Núñez",
    "Ommer",
    "Żółkiewski",
    "Nguyễn",
    "Sharma",
    "Vinyals",
    "Sohl-Dickstein",
    "García Márquez",
    "Chollet",
    "Brzęczyszczykiewicz",
    "Müller",
    "Bahdanau",
    "O'Neil",
    "Popescu",
    "Yılmaz",
    "Zaremba",
    "Ng",
];
const CJK: &[(&str, &str)] = &[
    ("何", "恺明"),
    ("孙", "剑"),
    ("李", "飞飞"),
    ("张", "祥雨"),
    ("任", "少卿"),
    ("山田", "太郎"),
    ("김", "민준"),
    ("王", "小明"),
];
const PARTICLES: &[(&str, &str, &str)] = &[
    ("Driessche", "George", "van den"),
    ("Oord", "Aäron", "van den"),
    ("Souza", "Maria", "de"),
    ("Neumann", "John", "von"),
];
const ORGS: &[&str] = &[
    "OpenAI",
    "DeepMind",
    "R Core Team",
    "AT&T Labs",
    "The ATLAS Collaboration",
    "Google Brain Team",
    "Beijing Academy of Artificial Intelligence",
];
const WORDS: &[&str] = &[
    "deep",
    "learning",
    "neural",
    "networks",
    "attention",
    "transformers",
    "representations",
    "stochastic",
    "gradient",
    "descent",
    "convolutional",
    "recurrent",
    "generative",
    "adversarial",
    "models",
    "language",
    "vision",
    "reinforcement",
    "policy",
    "optimization",
    "scaling",
    "laws",
    "diffusion",
    "robust",
    "sparse",
    "memory",
    "graph",
    "embedding",
    "self-supervised",
    "priors",
];
const SPECIALS: &[&str] = &[
    "50% & {more}",
    "$x^2$",
    "C++ & C#",
    "snake_case",
    "~tilde^caret\\",
    "R&D",
    "#1",
    "<b>bold</b>",
    "\"quoted\"",
    "BERT",
    "ImageNet",
    "LSTM",
    "O(n log n)",
    "]]>",
];
const VENUES: &[(&str, PaperType)] = &[
    ("Nature", PaperType::Article),
    ("Neural Computation", PaperType::Article),
    ("Journal of Machine Learning Research", PaperType::Article),
    (
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        PaperType::Article,
    ),
    (
        "Advances in Neural Information Processing Systems",
        PaperType::Inproceedings,
    ),
    (
        "International Conference on Machine Learning (ICML)",
        PaperType::Inproceedings,
    ),
    (
        "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        PaperType::Inproceedings,
    ),
    (
        "Handbook of Brain Theory & Neural Networks",
        PaperType::Incollection,
    ),
];
const TAGS: &[&str] = &[
    "vision",
    "language",
    "optimization",
    "theory",
    "generative",
    "architecture",
    "memory",
    "representation",
    "reinforcement-learning",
    "robustness",
    "scaling",
];
const ZH: &[&str] = &[
    "神经",
    "网络",
    "学习",
    "表示",
    "梯度",
    "注意力",
    "模型",
    "数据",
    "训练",
    "视觉",
];

impl Generator {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Generator { seed }
    }

    /// The paper at `index`: always the same for the same seed and index.
    pub fn paper(&self, index: u64) -> Paper {
        let mut rng = Rng(self.seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
        rng.next();
        let (venue, kind) = VENUES[rng.below(VENUES.len())];
        let year = 1950 + rng.below(75) as i32;
        let mut title_words: Vec<String> = (0..3 + rng.below(9))
            .map(|_| rng.pick(WORDS).to_owned())
            .collect();
        if let Some(first) = title_words.first_mut() {
            let mut chars = first.chars();
            if let Some(c) = chars.next() {
                *first = c.to_uppercase().chain(chars).collect();
            }
        }
        if rng.chance(30) {
            let at = rng.below(title_words.len() + 1);
            title_words.insert(at, rng.pick(SPECIALS).to_owned());
        }
        let mut paper = Paper::new(title_words.join(" "), year);
        paper.kind = if rng.chance(10) {
            PaperType::Preprint
        } else {
            kind
        };
        paper.authors = (0..authors_count(&mut rng))
            .map(|_| author(&mut rng))
            .collect();
        paper.authors_truncated = rng.chance(3);
        let first = paper
            .authors
            .first()
            .map(|a| ascii_word(a.family_or_literal()))
            .unwrap_or_default();
        paper.id = format!("{first}{year}g{index}");
        if rng.chance(60) {
            paper.month = Some(1 + rng.below(12) as u8);
            if rng.chance(50) {
                paper.day = Some(1 + rng.below(28) as u8);
            }
        }
        if paper.kind != PaperType::Preprint {
            paper.venue = Some(venue.to_owned());
        }
        if rng.chance(70) {
            paper.volume = Some((1 + rng.below(600)).to_string());
        }
        if rng.chance(50) {
            paper.number = Some((1 + rng.below(12)).to_string());
        }
        if rng.chance(75) {
            let start = 1 + rng.below(3000);
            paper.pages = Some(format!("{start}-{}", start + 1 + rng.below(30)));
        }
        if rng.chance(60) {
            paper.doi = Some(format!(
                "10.{}/gen.{index}.{}",
                1000 + rng.below(9000),
                rng.below(1000)
            ));
        }
        if rng.chance(40) {
            paper.arxiv = Some(format!(
                "{:02}{:02}.{:05}",
                7 + rng.below(18),
                1 + rng.below(12),
                rng.below(100_000)
            ));
        }
        if let Some(link) = paper.link() {
            paper.url = Some(link);
        }
        let tag_count = rng.below(4);
        for _ in 0..tag_count {
            let tag = rng.pick(TAGS).to_owned();
            if !paper.tags.contains(&tag) {
                paper.tags.push(tag);
            }
        }
        if rng.chance(70) {
            paper.question.set(
                "en",
                format!("Can {} {}?", rng.pick(WORDS), rng.pick(WORDS)),
            );
            paper
                .question
                .set("zh", format!("{}{}可以吗？", rng.pick(ZH), rng.pick(ZH)));
        }
        let note_words = rng.below(81);
        if note_words > 0 {
            let en: Vec<&str> = (0..note_words).map(|_| rng.pick(WORDS)).collect();
            paper.note.set("en", format!("{}.", en.join(" ")));
            let zh: String = (0..note_words.div_ceil(2)).map(|_| rng.pick(ZH)).collect();
            paper.note.set("zh", format!("{zh}。"));
        }
        paper
    }

    /// `count` papers, starting at index 0, made as they are consumed.
    pub fn papers(&self, count: u64) -> impl Iterator<Item = Paper> + '_ {
        (0..count).map(|i| self.paper(i))
    }
}

fn authors_count(rng: &mut Rng) -> usize {
    // Mostly small teams, sometimes large collaborations of up to 30.
    match rng.below(10) {
        0..=5 => 1 + rng.below(4),
        6..=8 => 4 + rng.below(8),
        _ => 12 + rng.below(19),
    }
}

fn author(rng: &mut Rng) -> Author {
    match rng.below(20) {
        0 => Author::organization(rng.pick(ORGS)),
        1 | 2 => {
            let (family, given) = CJK[rng.below(CJK.len())];
            Author::person(family, given)
        }
        3 => {
            let (family, given, particle) = PARTICLES[rng.below(PARTICLES.len())];
            Author::Person(Person {
                family: family.to_owned(),
                given: Some(given.to_owned()),
                particle: Some(particle.to_owned()),
                suffix: None,
            })
        }
        _ => Author::person(rng.pick(FAMILY), rng.pick(GIVEN)),
    }
}

fn ascii_word(text: &str) -> String {
    let word: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if word.is_empty() {
        "anon".to_owned()
    } else {
        word
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Validator;

    #[test]
    fn papers_are_valid_unique_and_varied() {
        let generator = Generator::new(1);
        let mut validator = Validator::default();
        let mut max_authors = 0;
        let mut orgs = 0;
        for paper in generator.papers(2000) {
            assert_eq!(validator.check(&paper), vec![], "{paper:?}");
            max_authors = max_authors.max(paper.authors.len());
            orgs += paper
                .authors
                .iter()
                .filter(|a| matches!(a, Author::Organization(_)))
                .count();
        }
        assert!((25..=30).contains(&max_authors), "{max_authors}");
        assert!(orgs > 50);
    }

    #[test]
    fn seeds_differ() {
        assert_ne!(Generator::new(1).paper(0), Generator::new(2).paper(0));
    }
}
