use std::collections::BTreeMap;
use std::io::Write;

use paper_format::json_scan::array_element;

use paper_format::citation_key::KeyGen;
use paper_format::{Error, WriteOptions, Writer};
use paper_model::{Author, Paper, PaperType, Text};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use crate::mapping::{self, DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES};

/// Writes a CSL-JSON array, one item per paper as it arrives.
///
/// See the [crate documentation](crate) for the mapping.
#[derive(Debug)]
pub struct CslWriter {
    lang: String,
    keys: KeyGen,
    items_written: u64,
    element: Vec<u8>,
}

impl CslWriter {
    /// A writer that takes question and note in `options.lang`.
    pub fn new(options: &WriteOptions) -> Self {
        CslWriter {
            lang: options.lang.clone(),
            keys: KeyGen::new(),
            items_written: 0,
            element: Vec::new(),
        }
    }

    /// The CSL item of the next paper, as the writer would write it (this
    /// gives the paper its key, so call it once per paper).
    pub fn item(&mut self, paper: &Paper) -> Value {
        let item = self.build(paper);
        Value::Object(item.0.into_iter().collect())
    }

    fn build(&mut self, paper: &Paper) -> Item {
        let key = self.keys.key(paper);
        let mut item = Item::default();
        item.push("id", Value::String(key.clone()));
        item.push("citation-key", Value::String(key));
        item.push("type", Value::String(item_type(paper).to_owned()));
        if paper.kind == PaperType::Phdthesis && !paper.extra.contains_key("genre") {
            item.push("genre", json!("PhD thesis"));
        }
        item.text("title", Some(&paper.title));
        let names: Vec<Value> = paper.authors.iter().filter_map(name).collect();
        if !names.is_empty() {
            item.push("author", Value::Array(names));
        }
        if let Some(year) = paper.year {
            let mut parts = vec![json!(year)];
            if let Some(month) = paper.month {
                parts.push(json!(month));
                if let Some(day) = paper.day {
                    parts.push(json!(day));
                }
            }
            item.push("issued", json!({ "date-parts": [parts] }));
        }
        item.text("container-title", paper.venue.as_deref());
        item.text("volume", paper.volume.as_deref());
        let number_variable = if paper.kind == PaperType::Techreport {
            "number"
        } else {
            "issue"
        };
        item.text(number_variable, paper.number.as_deref());
        item.text("page", paper.pages.as_deref());
        item.text("publisher", paper.publisher.as_deref());
        item.text("ISBN", paper.isbn.as_deref());
        item.text("DOI", paper.doi.as_deref());
        item.text("URL", paper.url.as_deref());
        let arxiv = non_blank(paper.arxiv.as_deref());
        if paper.kind == PaperType::Preprint
            && let Some(id) = arxiv
        {
            item.text("number", Some(&format!("arXiv:{id}")));
        }
        let tags: Vec<&str> = paper
            .tags
            .iter()
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
            .collect();
        if !tags.is_empty() {
            item.push("keyword", Value::String(tags.join(", ")));
        }
        let question = text_in(&paper.question, &self.lang);
        let note = text_in(&paper.note, &self.lang);
        let note_text = match (question, note) {
            (Some(q), Some(n)) => Some(format!("{q}\n\n{n}")),
            (Some(q), None) => Some(q.to_owned()),
            (None, n) => n.map(str::to_owned),
        };
        item.text("note", note_text.as_deref());

        let mut custom: BTreeMap<&str, Value> = BTreeMap::new();
        for (key, value) in &paper.extra {
            if value.trim().is_empty() || key == "csl-type" {
                continue;
            }
            let key = key.as_str();
            let variable = if item.has(key) || key == "custom" {
                None
            } else if TEXT_VARIABLES.contains(&key) {
                Some(Value::String(value.clone()))
            } else if DATE_VARIABLES.contains(&key) {
                Some(date_from_text(value))
            } else if NAME_VARIABLES.contains(&key) {
                Some(names_from_text(value))
            } else {
                None
            };
            match variable {
                Some(v) => item.push(key, v),
                None => {
                    custom.insert(key, Value::String(value.clone()));
                }
            }
        }
        if let Some(id) = arxiv {
            custom.insert("arxiv", Value::String(id.to_owned()));
        }
        if paper.authors_truncated {
            custom.insert("authors-truncated", Value::Bool(true));
        }
        if let Some(q) = question {
            custom.insert("question", Value::String(q.to_owned()));
        }
        if !custom.is_empty() {
            let map = custom.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            item.push("custom", Value::Object(map));
        }
        item
    }
}

impl Writer for CslWriter {
    fn begin(
        &mut self,
        out: &mut dyn Write,
        _: &paper_model::CollectionHeader,
    ) -> Result<(), Error> {
        out.write_all(b"[")?;
        Ok(())
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        let item = self.build(paper);
        array_element(&mut self.element, self.items_written == 0, 1, &item)
            .map_err(std::io::Error::other)?;
        out.write_all(&self.element)?;
        self.items_written += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        if self.items_written > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"]\n")?;
        out.flush()?;
        Ok(())
    }
}

/// An item's variables in the order they are written.
#[derive(Debug, Default)]
struct Item(Vec<(String, Value)>);

impl Item {
    fn push(&mut self, key: &str, value: Value) {
        self.0.push((key.to_owned(), value));
    }

    /// Adds a string variable unless the value is missing or blank.
    fn text(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = non_blank(value) {
            self.push(key, Value::String(v.to_owned()));
        }
    }

    fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// The text in `lang` (falling back as [`Text::get`] does), unless blank.
fn text_in<'a>(text: &'a Text, lang: &str) -> Option<&'a str> {
    non_blank(text.get(lang))
}

/// The CSL type: the one `extra["csl-type"]` names when it is a CSL type of
/// the same paper type (a `webpage` read as `misc` stays a `webpage`), else
/// the type from the table.
fn item_type(paper: &Paper) -> &'static str {
    paper
        .extra
        .get("csl-type")
        .and_then(|t| mapping::CSL_TYPES.iter().find(|c| *c == t))
        .filter(|t| mapping::paper_type(t).unwrap_or(PaperType::Misc) == paper.kind)
        .copied()
        .unwrap_or_else(|| mapping::csl_type(paper.kind))
}

/// A CSL name; `None` for a name with no text.
fn name(author: &Author) -> Option<Value> {
    if author.is_empty() {
        return None;
    }
    let mut map = serde_json::Map::new();
    match author {
        Author::Organization(o) => {
            map.insert("literal".into(), Value::String(o.literal.clone()));
        }
        Author::Person(p) => {
            let parts = [
                ("family", Some(p.family.as_str())),
                ("given", p.given.as_deref()),
                ("non-dropping-particle", p.particle.as_deref()),
                ("suffix", p.suffix.as_deref()),
            ];
            for (key, value) in parts {
                if let Some(v) = non_blank(value) {
                    map.insert(key.into(), Value::String(v.to_owned()));
                }
            }
        }
    }
    Some(Value::Object(map))
}

/// A CSL date from text kept in `extra`: `date-parts` for `YYYY`,
/// `YYYY-MM` and `YYYY-MM-DD`, else a `literal` date.
fn date_from_text(text: &str) -> Value {
    let parts: Option<Vec<i64>> = text
        .trim()
        .split('-')
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    match parts {
        Some(parts) if (1..=3).contains(&parts.len()) && text.trim().len() >= 4 => {
            json!({ "date-parts": [parts] })
        }
        _ => json!({ "literal": text }),
    }
}

/// CSL names from text kept in `extra`: `Family, Given; Family, Given`,
/// a name without a comma as a `literal`.
fn names_from_text(text: &str) -> Value {
    let names = text
        .split("; ")
        .filter(|n| !n.trim().is_empty())
        .map(|n| match n.split_once(", ") {
            Some((family, given)) => json!({ "family": family.trim(), "given": given.trim() }),
            None => json!({ "literal": n.trim() }),
        })
        .collect();
    Value::Array(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::{CollectionHeader, Person};

    fn write(papers: &[Paper], options: &WriteOptions) -> String {
        let mut writer = CslWriter::new(options);
        let mut out = Vec::new();
        writer
            .begin(&mut out, &CollectionHeader::default())
            .unwrap();
        for p in papers {
            writer.write_paper(&mut out, p).unwrap();
        }
        writer.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn full() -> Paper {
        let mut p = Paper::new("Mastering the game of Go", 2016);
        p.kind = PaperType::Article;
        p.month = Some(1);
        p.day = Some(28);
        p.authors = vec![
            Author::person("Silver", "David"),
            Author::Person(Person {
                family: "Driessche".into(),
                given: Some("George".into()),
                particle: Some("van den".into()),
                suffix: None,
            }),
            Author::Person(Person {
                family: "King".into(),
                given: Some("Martin Luther".into()),
                particle: None,
                suffix: Some("Jr.".into()),
            }),
            Author::organization("DeepMind"),
        ];
        p.venue = Some("Nature".into());
        p.volume = Some("529".into());
        p.number = Some("7587".into());
        p.pages = Some("484-489".into());
        p.publisher = Some("Springer".into());
        p.doi = Some("10.1038/nature16961".into());
        p.url = Some("https://www.nature.com/articles/nature16961".into());
        p.tags = vec!["games".into(), "reinforcement learning".into()];
        p.question.set("en", "Can a program master Go?");
        p.question.set("zh", "程序能掌握围棋吗？");
        p.note.set("en", "AlphaGo beat a champion.");
        p
    }

    #[test]
    fn writes_every_field_in_order() {
        let text = write(&[full()], &WriteOptions::default());
        let expected = r#"[
  {
    "id": "silver2016mastering",
    "citation-key": "silver2016mastering",
    "type": "article-journal",
    "title": "Mastering the game of Go",
    "author": [
      {
        "family": "Silver",
        "given": "David"
      },
      {
        "family": "Driessche",
        "given": "George",
        "non-dropping-particle": "van den"
      },
      {
        "family": "King",
        "given": "Martin Luther",
        "suffix": "Jr."
      },
      {
        "literal": "DeepMind"
      }
    ],
    "issued": {
      "date-parts": [
        [
          2016,
          1,
          28
        ]
      ]
    },
    "container-title": "Nature",
    "volume": "529",
    "issue": "7587",
    "page": "484-489",
    "publisher": "Springer",
    "DOI": "10.1038/nature16961",
    "URL": "https://www.nature.com/articles/nature16961",
    "keyword": "games, reinforcement learning",
    "note": "Can a program master Go?\n\nAlphaGo beat a champion.",
    "custom": {
      "question": "Can a program master Go?"
    }
  }
]
"#;
        assert_eq!(text, expected);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[0]["id"], "silver2016mastering");
    }

    #[test]
    fn empty_output_is_an_empty_array() {
        assert_eq!(write(&[], &WriteOptions::default()), "[]\n");
    }

    #[test]
    fn omits_unknown_values_and_keys_collide_with_suffixes() {
        let mut bare = Paper::new("Deep Learning of Colliding Keys", 2018);
        bare.authors = vec![Author::person("Müller", "")];
        bare.volume = Some(" ".into());
        bare.tags = vec![String::new()];
        let mut second = bare.clone();
        second.year = None;
        second.title = "Deep again".into();
        let third = Paper::new("Deep Learning of Colliding Keys", 2018);
        let mut w = CslWriter::new(&WriteOptions::default());
        let a = w.item(&bare);
        let b = w.item(&bare);
        assert_eq!(
            a,
            json!({
                "id": "muller2018deep", "citation-key": "muller2018deep", "type": "document",
                "title": "Deep Learning of Colliding Keys",
                "author": [{"family": "Müller"}],
                "issued": {"date-parts": [[2018]]}
            })
        );
        assert_eq!(b["id"], "muller2018deepa");
        let c = w.item(&second);
        assert_eq!(c["id"], "mullerdeep");
        assert!(c.get("issued").is_none());
        assert_eq!(w.item(&third)["id"], "anon2018deep");
    }

    #[test]
    fn types_preprints_theses_and_language() {
        let mut options = WriteOptions::default();
        options.lang = "zh".into();
        let mut w = CslWriter::new(&options);
        let mut p = full();
        p.kind = PaperType::Preprint;
        p.arxiv = Some("1712.01815".into());
        p.authors_truncated = true;
        let item = w.item(&p);
        assert_eq!(item["type"], "article");
        assert_eq!(item["number"], "arXiv:1712.01815");
        assert_eq!(item["issue"], "7587");
        assert_eq!(
            item["note"],
            "程序能掌握围棋吗？\n\nAlphaGo beat a champion."
        );
        assert_eq!(
            item["custom"],
            json!({"arxiv": "1712.01815", "authors-truncated": true, "question": "程序能掌握围棋吗？"})
        );
        p.kind = PaperType::Techreport;
        let item = w.item(&p);
        assert_eq!(
            (&item["type"], &item["number"]),
            (&json!("report"), &json!("7587"))
        );
        p.kind = PaperType::Phdthesis;
        assert_eq!(w.item(&p)["genre"], "PhD thesis");
    }

    #[test]
    fn extra_fields_become_variables_or_custom() {
        let mut w = CslWriter::new(&WriteOptions::default());
        let mut p = Paper::new("T", 2000);
        for (k, v) in [
            ("abstract", "An abstract."),
            ("PMID", "123"),
            ("accessed", "2019-05-02"),
            ("original-date", "circa 1900"),
            ("editor", "Smith, Ann; WHO"),
            ("csl-type", "webpage"),
            ("title", "Other title"),
            ("lccn", "x"),
            ("empty", " "),
        ] {
            p.extra.insert(k.into(), v.into());
        }
        let item = w.item(&p);
        assert_eq!(item["type"], "webpage");
        assert_eq!(item["abstract"], "An abstract.");
        assert_eq!(item["PMID"], "123");
        assert_eq!(item["accessed"], json!({"date-parts": [[2019, 5, 2]]}));
        assert_eq!(item["original-date"], json!({"literal": "circa 1900"}));
        assert_eq!(
            item["editor"],
            json!([{"family": "Smith", "given": "Ann"}, {"literal": "WHO"}])
        );
        assert_eq!(item["title"], "T");
        assert_eq!(item["custom"], json!({"lccn": "x", "title": "Other title"}));
        // A csl-type of another paper type is not used.
        p.kind = PaperType::Article;
        assert_eq!(w.item(&p)["type"], "article-journal");
    }
}
