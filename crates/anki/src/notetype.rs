//! The note type, deck and collection settings written into a package, as
//! the JSON of Anki's collection schema 11.
//!
//! Versioning rule: the note type's id and name identify its fields and
//! templates' names. Anki updates an existing note type only when these
//! match; if a field is added, removed or renamed, or a template is renamed,
//! the note type must get a new name (`v2`) and a new [`NOTETYPE_ID`], or
//! learners' re-imports are ignored as conflicting. Changing the wording of a
//! template or the CSS needs no new version.

use serde_json::{Map, Value, json};

use crate::note::{FIELD_NAMES, SORT_FIELD};

/// The note type's name; the version follows the fields (see the module docs).
pub const NOTETYPE_NAME: &str = "paper-export Paper v1";

/// The note type's id: fixed, never derived from the time, so that every
/// export updates the same note type. Belongs to [`NOTETYPE_NAME`].
pub const NOTETYPE_ID: i64 = 1_467_902_385_210;

/// The names of the two card templates, in order.
pub const TEMPLATE_NAMES: [&str; 2] = ["Question → Paper", "Paper → Why it matters"];

/// Anki's built-in deck, always present, id 1.
const DEFAULT_DECK_ID: i64 = 1;

/// The front of "Question → Paper": the guiding question. Empty (so no card)
/// when the note has no question.
const QUESTION_FRONT: &str = "\
{{#Question}}
<div class=\"pe-question\">{{Question}}</div>
{{/Question}}";

/// The back of "Question → Paper": the paper that answered it.
const QUESTION_BACK: &str = "\
{{FrontSide}}

<hr id=\"answer\">

<div class=\"pe-title\">{{Title}}</div>
{{#Authors}}<div class=\"pe-authors\">{{Authors}}</div>{{/Authors}}
<div class=\"pe-meta\">{{Year}}{{#Venue}} · <span class=\"pe-venue\">{{Venue}}</span>{{/Venue}}</div>
{{#Note}}<div class=\"pe-note\">{{Note}}</div>{{/Note}}
{{#Link}}<div class=\"pe-link\">{{Link}}</div>{{/Link}}";

/// The front of "Paper → Why it matters": title and year.
const PAPER_FRONT: &str = "\
<div class=\"pe-title\">{{Title}}</div>
<div class=\"pe-meta\">{{Year}}</div>";

/// The back of "Paper → Why it matters": the question and the note.
const PAPER_BACK: &str = "\
{{FrontSide}}

<hr id=\"answer\">

{{#Question}}<div class=\"pe-question\">{{Question}}</div>{{/Question}}
{{#Note}}<div class=\"pe-note\">{{Note}}</div>{{/Note}}
{{#Authors}}<div class=\"pe-authors\">{{Authors}}</div>{{/Authors}}";

/// Styling for light and night mode; the font list covers Chinese text.
pub const CSS: &str = "\
.card {
  --pe-text: #1f2328;
  --pe-muted: #59636e;
  --pe-accent: #0969da;
  --pe-rule: #d0d7de;
  font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\",
    \"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\",
    \"Source Han Sans SC\", sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: var(--pe-text);
  background-color: #ffffff;
  max-width: 38em;
  margin: 0 auto;
  padding: 0.5em 1em;
  overflow-wrap: anywhere;
}
.card.nightMode, .nightMode .card, .night_mode .card {
  --pe-text: #e6edf3;
  --pe-muted: #9198a1;
  --pe-accent: #4493f8;
  --pe-rule: #3d444d;
  background-color: #1f2328;
}
.pe-question { font-size: 1.15em; font-weight: 600; }
.pe-title { font-size: 1.2em; font-weight: 700; }
.pe-authors, .pe-meta { color: var(--pe-muted); font-size: 0.85em; }
.pe-venue { font-style: italic; }
.pe-note { margin-top: 0.8em; }
.pe-link { margin-top: 0.8em; font-size: 0.8em; }
.pe-link a { color: var(--pe-accent); }
hr#answer { border: none; border-top: 1px solid var(--pe-rule); margin: 1em 0; }
";

/// The `models` column: this note type, keyed by its id.
pub(crate) fn models_json(mtime: i64, deck_id: i64) -> Value {
    let fields: Vec<Value> = FIELD_NAMES
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            json!({
                "name": name,
                "ord": ord,
                "sticky": false,
                "rtl": false,
                "font": "Arial",
                "size": 20,
                "description": "",
                "plainText": false,
                "collapsed": false,
                "excludeFromSearch": false,
                "media": [],
            })
        })
        .collect();
    let formats = [(QUESTION_FRONT, QUESTION_BACK), (PAPER_FRONT, PAPER_BACK)];
    let templates: Vec<Value> = TEMPLATE_NAMES
        .iter()
        .zip(formats)
        .enumerate()
        .map(|(ord, (name, (front, back)))| {
            json!({
                "name": name,
                "ord": ord,
                "qfmt": front,
                "afmt": back,
                "bqfmt": "",
                "bafmt": "",
                "did": null,
                "bfont": "",
                "bsize": 0,
            })
        })
        .collect();
    let model = json!({
        "id": NOTETYPE_ID,
        "name": NOTETYPE_NAME,
        "type": 0,
        "mod": mtime,
        "usn": 0,
        "sortf": SORT_FIELD,
        "did": deck_id,
        "tmpls": templates,
        "flds": fields,
        "css": CSS,
        "latexPre": LATEX_PRE,
        "latexPost": "\\end{document}",
        "latexsvg": false,
        // Which fields a card needs: card 0 the Question (1), card 1 the Title (2).
        "req": [[0, "any", [1]], [1, "any", [2]]],
        "tags": [],
        "vers": [],
    });
    let mut models = Map::new();
    models.insert(NOTETYPE_ID.to_string(), model);
    Value::Object(models)
}

const LATEX_PRE: &str = "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\
\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\
\\setlength{\\parindent}{0in}\n\\begin{document}\n";

/// The id of a deck: a hash of its full name, so the same name always gives
/// the same deck. Kept between 2^40 and 2^52 (exact in JavaScript, never 1).
pub fn deck_id(name: &str) -> i64 {
    let digest = sha1_smol::Sha1::from(format!("paper-export deck\x1f{name}"))
        .digest()
        .bytes();
    let n = u64::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
    ]);
    let span = (1u64 << 52) - (1u64 << 40);
    ((1u64 << 40) + n % span) as i64
}

/// One deck of the `decks` column.
fn deck_json(id: i64, name: &str, mtime: i64, description: &str) -> Value {
    json!({
        "id": id,
        "mod": mtime,
        "name": name,
        "usn": 0,
        "lrnToday": [0, 0],
        "revToday": [0, 0],
        "newToday": [0, 0],
        "timeToday": [0, 0],
        "collapsed": false,
        "browserCollapsed": false,
        "desc": description,
        "dyn": 0,
        "conf": 1,
        "extendNew": 0,
        "extendRev": 0,
    })
}

/// The `decks` column: Anki's Default deck, every deck in `names` and each
/// of their parents. `main` gets the description.
pub(crate) fn decks_json<'a>(
    names: impl IntoIterator<Item = &'a str>,
    main: &str,
    description: &str,
    mtime: i64,
) -> Value {
    let mut decks = Map::new();
    decks.insert(
        DEFAULT_DECK_ID.to_string(),
        deck_json(DEFAULT_DECK_ID, "Default", mtime, ""),
    );
    for name in names {
        let mut end = 0;
        let parts: Vec<&str> = name.split("::").collect();
        for (i, part) in parts.iter().enumerate() {
            end += part.len() + if i > 0 { 2 } else { 0 };
            let full = &name[..end];
            let id = deck_id(full);
            let desc = if full == main { description } else { "" };
            decks.insert(id.to_string(), deck_json(id, full, mtime, desc));
        }
    }
    Value::Object(decks)
}

/// The `dconf` column: Anki's default options group, id 1.
pub(crate) fn dconf_json(mtime: i64) -> Value {
    json!({
        "1": {
            "id": 1,
            "mod": mtime,
            "name": "Default",
            "usn": 0,
            "maxTaken": 60,
            "autoplay": true,
            "timer": 0,
            "replayq": true,
            "dyn": false,
            "new": {
                "bury": false,
                "delays": [1.0, 10.0],
                "initialFactor": 2500,
                "ints": [1, 4, 0],
                "order": 1,
                "perDay": 20,
            },
            "rev": {
                "bury": false,
                "ease4": 1.3,
                "ivlFct": 1.0,
                "maxIvl": 36500,
                "perDay": 200,
                "hardFactor": 1.2,
            },
            "lapse": {
                "delays": [10.0],
                "leechAction": 1,
                "leechFails": 8,
                "minInt": 1,
                "mult": 0.0,
            },
        }
    })
}

/// The `conf` column: collection settings, with the main deck current.
pub(crate) fn conf_json(main_deck_id: i64, next_position: i64) -> Value {
    json!({
        "activeDecks": [main_deck_id],
        "curDeck": main_deck_id,
        "curModel": NOTETYPE_ID,
        "nextPos": next_position,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": true,
        "dueCounts": true,
        "sortType": "noteFld",
        "sortBackwards": false,
        "addToCur": true,
        "schedVer": 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deck_ids_are_fixed_and_in_range() {
        let id = deck_id("Famous Deep Learning Papers");
        assert_eq!(id, deck_id("Famous Deep Learning Papers"));
        assert_ne!(id, deck_id("Famous Deep Learning Papers::1980s"));
        assert!((1i64 << 40..1i64 << 52).contains(&id));
    }

    #[test]
    fn parents_of_subdecks_are_listed() {
        let decks = decks_json(["A::B::1980s", "A::B::1990s"], "A::B", "about", 100);
        let mut names: Vec<&str> = decks
            .as_object()
            .unwrap()
            .values()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["A", "A::B", "A::B::1980s", "A::B::1990s", "Default"]
        );
        assert_eq!(decks[deck_id("A::B").to_string()]["desc"], "about");
        assert_eq!(decks[deck_id("A").to_string()]["desc"], "");
    }

    #[test]
    fn model_is_complete() {
        let models = models_json(5, 7);
        let model = &models[NOTETYPE_ID.to_string()];
        assert_eq!(model["name"], NOTETYPE_NAME);
        assert_eq!(model["id"], NOTETYPE_ID);
        assert_eq!(model["flds"].as_array().unwrap().len(), 8);
        assert_eq!(model["flds"][0]["name"], "Key");
        assert_eq!(model["sortf"], 2);
        assert_eq!(model["tmpls"][1]["name"], "Paper → Why it matters");
        assert!(
            model["tmpls"][0]["qfmt"]
                .as_str()
                .unwrap()
                .starts_with("{{#Question}}")
        );
    }
}
