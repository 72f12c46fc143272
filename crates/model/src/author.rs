use schemars::JsonSchema;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

/// An author: a person, or an organisation written as one literal name.
///
/// In JSON a person is `{"family": …, "given": …}` and an organisation is
/// `{"literal": …}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Author {
    /// A person with family and given names.
    Person(Person),
    /// An organisation or a name that must never be split, such as `OpenAI`.
    Organization(Organization),
}

/// An organisation author, or any name that must never be split.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// The name exactly as written (`OpenAI`, `AT&T Labs`).
    pub literal: String,
}

/// A person's name, split as reference managers need it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Family name, without particle or suffix (`Driessche`).
    pub family: String,
    /// Given names or initials (`George`, `David E.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// A particle written before the family name (`van den`, `de`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub particle: Option<String>,
    /// A suffix such as `Jr.` or `III`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

impl<'de> Deserialize<'de> for Author {
    // Written by hand rather than derived as `untagged`: it is several times
    // faster, and the errors say what an author needs.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            family: Option<String>,
            given: Option<String>,
            particle: Option<String>,
            suffix: Option<String>,
            literal: Option<String>,
        }
        let f = Fields::deserialize(deserializer)?;
        match (f.family, f.literal) {
            (Some(family), None) => Ok(Author::Person(Person {
                family,
                given: f.given,
                particle: f.particle,
                suffix: f.suffix,
            })),
            (None, Some(literal))
                if f.given.is_none() && f.particle.is_none() && f.suffix.is_none() =>
            {
                Ok(Author::Organization(Organization { literal }))
            }
            (None, Some(_)) => Err(D::Error::custom(
                "an organisation (`literal`) has no `given`, `particle` or `suffix`",
            )),
            (Some(_), Some(_)) => Err(D::Error::custom(
                "an author has `family` (a person) or `literal` (an organisation), not both",
            )),
            (None, None) => Err(D::Error::custom(
                "an author needs `family` (a person) or `literal` (an organisation)",
            )),
        }
    }
}

impl Author {
    /// A person from a family and a given name.
    pub fn person(family: impl Into<String>, given: impl Into<String>) -> Self {
        let given = given.into();
        Author::Person(Person {
            family: family.into(),
            given: (!given.is_empty()).then_some(given),
            ..Person::default()
        })
    }

    /// An organisation author.
    pub fn organization(name: impl Into<String>) -> Self {
        Author::Organization(Organization {
            literal: name.into(),
        })
    }

    /// The family name of a person, or the whole name of an organisation.
    pub fn family_or_literal(&self) -> &str {
        match self {
            Author::Person(p) => &p.family,
            Author::Organization(o) => &o.literal,
        }
    }

    /// The name in display order: `George van den Driessche`, `OpenAI`.
    ///
    /// Chinese, Japanese and Korean names keep their own order, family name
    /// first and without a space: `何恺明`.
    pub fn display_name(&self) -> String {
        match self {
            Author::Organization(o) => o.literal.clone(),
            Author::Person(p) if is_east_asian(&p.family) => {
                format!("{}{}", p.family, p.given.as_deref().unwrap_or(""))
            }
            Author::Person(p) => {
                let parts = [
                    p.given.as_deref(),
                    p.particle.as_deref(),
                    Some(p.family.as_str()),
                ];
                let mut name = parts
                    .iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                if let Some(suffix) = p.suffix.as_deref().filter(|s| !s.is_empty()) {
                    name.push_str(", ");
                    name.push_str(suffix);
                }
                name
            }
        }
    }

    /// The name in sorting order: `van den Driessche, George`, `OpenAI`.
    ///
    /// This is the form that CSV, RIS and the Anki cards use.
    pub fn inverted_name(&self) -> String {
        match self {
            Author::Organization(o) => o.literal.clone(),
            Author::Person(p) => {
                let mut name = String::new();
                if let Some(particle) = p.particle.as_deref().filter(|s| !s.is_empty()) {
                    name.push_str(particle);
                    name.push(' ');
                }
                name.push_str(&p.family);
                if let Some(suffix) = p.suffix.as_deref().filter(|s| !s.is_empty()) {
                    name.push_str(", ");
                    name.push_str(suffix);
                }
                if let Some(given) = p.given.as_deref().filter(|s| !s.is_empty()) {
                    name.push_str(", ");
                    name.push_str(given);
                }
                name
            }
        }
    }

    /// True when the name has no text at all.
    pub fn is_empty(&self) -> bool {
        match self {
            Author::Person(p) => {
                p.family.trim().is_empty() && p.given.as_deref().is_none_or(|g| g.trim().is_empty())
            }
            Author::Organization(o) => o.literal.trim().is_empty(),
        }
    }
}

/// True when a name is written in Han characters, kana or Hangul.
fn is_east_asian(name: &str) -> bool {
    name.chars().next().is_some_and(|c| {
        matches!(c as u32,
            0x3040..=0x30FF        // Hiragana, Katakana
            | 0x3400..=0x4DBF      // CJK Extension A
            | 0x4E00..=0x9FFF      // CJK Unified Ideographs
            | 0xAC00..=0xD7AF      // Hangul syllables
            | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
            | 0x20000..=0x2FA1F) // CJK Extensions B and later
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_both_orders() {
        let p = Author::Person(Person {
            family: "Driessche".into(),
            given: Some("George".into()),
            particle: Some("van den".into()),
            suffix: None,
        });
        assert_eq!(p.display_name(), "George van den Driessche");
        assert_eq!(p.inverted_name(), "van den Driessche, George");
        let jr = Author::Person(Person {
            family: "King".into(),
            given: Some("Martin Luther".into()),
            particle: None,
            suffix: Some("Jr.".into()),
        });
        assert_eq!(jr.inverted_name(), "King, Jr., Martin Luther");
        assert_eq!(Author::organization("OpenAI").inverted_name(), "OpenAI");
        let he = Author::person("何", "恺明");
        assert_eq!(he.display_name(), "何恺明");
        assert_eq!(he.inverted_name(), "何, 恺明");
        assert_eq!(Author::person("김", "민준").display_name(), "김민준");
    }

    #[test]
    fn json_shapes() {
        let a: Author = serde_json::from_str(r#"{"literal":"OpenAI"}"#).unwrap();
        assert_eq!(a, Author::organization("OpenAI"));
        let b: Author = serde_json::from_str(r#"{"family":"Ba","given":"Jimmy"}"#).unwrap();
        assert_eq!(b, Author::person("Ba", "Jimmy"));
        let full: Author = serde_json::from_str(
            r#"{"family":"Driessche","given":"George","particle":"van den","suffix":"Jr."}"#,
        )
        .unwrap();
        assert_eq!(full.display_name(), "George van den Driessche, Jr.");
        let error = |json: &str| {
            serde_json::from_str::<Author>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(error(r#"{"famly":"Ba"}"#).contains("unknown field `famly`"));
        assert!(error(r#"{"given":"Jimmy"}"#).starts_with("an author needs `family`"));
        assert!(error(r#"{"family":"Ba","literal":"X"}"#).contains("not both"));
        assert!(error(r#"{"literal":"X","given":"Y"}"#).starts_with("an organisation"));
    }
}
