//! The BibTeX / BibLaTeX reader, on the `biblatex` crate's parser.
//!
//! The crate parses a whole file or nothing: one unknown macro, one
//! duplicate key or one missing brace loses every entry. So the
//! [`Splitter`](crate::split) cuts the stream into entries and each entry is
//! parsed on its own, with the `@string` definitions it uses put in front
//! of it. A bad entry becomes one record error with its file, line and
//! column; the others are read. Entries that `crossref` a later entry wait
//! for it (and are then written before it); entries that look like
//! parents (`@proceedings`, `@book`, ...) are remembered for children that
//! come later. Only those and the `@string`s are held in memory.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use biblatex::{
    Bibliography, Chunk, ParseError, ParseErrorKind, Person as BibPerson, RawBibliography,
    RawChunk, Spanned,
};
use paper_format::parallel::Relay;
use paper_format::{Error, Location, PaperSink, Reader, Source};
use paper_model::{Author, CollectionHeader, Organization, Paper, PaperType, Person, Text};

use crate::fast;
use crate::latex::{any_byte, has_doubled};
use crate::raw::RawFields;
use crate::split::{Piece, Splitter, column_of};

/// Reads `.bib` files (BibTeX or BibLaTeX) into papers.
///
/// See the crate documentation for the field mapping.
#[derive(Clone, Copy, Debug, Default)]
pub struct BibReader;

impl Reader for BibReader {
    fn parses_in_parallel(&self) -> bool {
        true
    }

    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error> {
        sink.header(CollectionHeader::default())?;
        let mut strings = Arc::new(Strings::new());
        let mut crossrefs = Crossrefs {
            source,
            parents: HashMap::new(),
            pending: HashMap::new(),
            pending_order: Vec::new(),
        };
        let worker_source = source.clone();
        let mut relay = Relay::new(move |job| work(job, &worker_source));
        // Whether an error came from the sink: then nothing more is delivered.
        let sink_failed = std::cell::Cell::new(false);
        let mut deliver = |done: Done| {
            let delivered = crossrefs.deliver(done, sink);
            if delivered.is_err() {
                sink_failed.set(true);
            }
            delivered
        };
        let split = Splitter::new().run(input, |piece| {
            let job = match piece {
                Piece::Entry {
                    text,
                    line,
                    column,
                    kind,
                } => {
                    let place = Place { line, column };
                    match next_job(&mut strings, source, text, kind, place) {
                        Some(job) => job,
                        None => return Ok(()),
                    }
                }
                Piece::Unclosed {
                    line,
                    column,
                    next_line,
                } => {
                    let message = match next_line {
                        Some(next) => format!(
                            "this entry is not closed: a `}}` is missing before the entry at line {next}"
                        ),
                        None => "this entry is not closed: the input ends inside it".to_owned(),
                    };
                    Job::Failed(Error::parse(source.at(line, column), message))
                }
            };
            relay.push(job, &mut deliver)
        });
        match split {
            Err(error) if sink_failed.get() => Err(error),
            // Deliver the entries before an unreadable input, then report it.
            Err(error) => relay.finish(&mut deliver).and(Err(error)),
            Ok(()) => relay.finish(&mut deliver),
        }?;
        crossrefs.flush_pending(sink)
    }

    /// Each entry is checked for UTF-8 on its own, so that a file with one
    /// Latin-1 entry loses only that entry (a record error with its line
    /// and column).
    fn checks_utf8(&self) -> bool {
        true
    }
}

/// Where an entry starts.
#[derive(Clone, Copy, Debug)]
struct Place {
    line: u64,
    column: u64,
}

/// An `@string`, with the other strings it used already put in.
#[derive(Clone)]
struct StringDef {
    /// The value as a BibTeX expression: `{...} # {...} # jan`.
    value: String,
}

/// `@string` definitions by lowercase name.
type Strings = HashMap<String, StringDef>;

/// An entry kept for children that `crossref` it later.
struct Stored {
    text: String,
    place: Place,
}

/// An entry waiting for the entry it `crossref`s.
struct Waiting {
    text: String,
    place: Place,
}

/// Entry types that children usually `crossref` (in any case).
fn is_parent_type(kind: &[u8]) -> bool {
    const PARENTS: [&str; 10] = [
        "book",
        "mvbook",
        "collection",
        "mvcollection",
        "proceedings",
        "mvproceedings",
        "reference",
        "mvreference",
        "periodical",
        "xdata",
    ];
    PARENTS
        .iter()
        .any(|parent| kind.eq_ignore_ascii_case(parent.as_bytes()))
}

/// An entry to parse, with the `@string`s defined before it, or an error
/// to deliver in its place.
enum Job {
    Entry {
        bytes: Vec<u8>,
        /// Whether the entry type is one that children `crossref`.
        parent_type: bool,
        place: Place,
        strings: Arc<Strings>,
    },
    Failed(Error),
}

/// A parsed entry, with what the crossref bookkeeping needs.
struct Done {
    parsed: Result<Parsed, Error>,
    bytes: Vec<u8>,
    parent_type: bool,
    place: Place,
    strings: Arc<Strings>,
}

enum Parsed {
    Paper(Box<Paper>),
    /// The entry names a `crossref` parent: it is read once the parent is
    /// known, in input order.
    Crossref {
        parent: String,
    },
}

/// Turns what the splitter found into a job: `@string`s are defined here,
/// in input order, and comments and preambles are skipped.
fn next_job(
    strings: &mut Arc<Strings>,
    source: &Source,
    bytes: &[u8],
    kind: &[u8],
    place: Place,
) -> Option<Job> {
    let is = |name: &str| kind.eq_ignore_ascii_case(name.as_bytes());
    if is("comment") || is("preamble") {
        return None;
    }
    if is("string") {
        let defined = checked_text(source, bytes, place)
            .and_then(|text| define_strings(strings, source, &braced(text), place));
        return defined.err().map(Job::Failed);
    }
    Some(Job::Entry {
        bytes: bytes.to_vec(),
        parent_type: is_parent_type(kind),
        place,
        strings: Arc::clone(strings),
    })
}

/// The entry's text, or a record error where it stops being UTF-8.
fn checked_text<'t>(source: &Source, bytes: &'t [u8], place: Place) -> Result<&'t str, Error> {
    paper_format::str_from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let location = Parser::location_in_source(
            source,
            // Only the valid part is needed to count lines and columns.
            std::str::from_utf8(valid).unwrap_or(""),
            place,
            valid.len(),
        );
        Error::parse(
            location,
            "this entry is not valid UTF-8 (convert the file to UTF-8)",
        )
    })
}

/// Parses one entry (on whichever thread the relay gives it to).
fn work(job: Job, source: &Source) -> Done {
    let (bytes, parent_type, place, strings) = match job {
        Job::Entry {
            bytes,
            parent_type,
            place,
            strings,
        } => (bytes, parent_type, place, strings),
        Job::Failed(error) => {
            return Done {
                parsed: Err(error),
                bytes: Vec::new(),
                parent_type: false,
                place: Place { line: 0, column: 0 },
                strings: Arc::default(),
            };
        }
    };
    let parser = Parser {
        source,
        strings: &strings,
    };
    let parsed = checked_text(source, &bytes, place).and_then(|text| {
        let text = braced(text);
        let guarded = catch_unwind(AssertUnwindSafe(|| parser.parse_entry(&text, place)));
        guarded.unwrap_or_else(|_| {
            Err(Error::parse(
                parser.location(place),
                "the BibTeX parser failed on this entry",
            ))
        })
    });
    Done {
        parsed,
        bytes,
        parent_type,
        place,
        strings,
    }
}

fn define_strings(
    strings: &mut Arc<Strings>,
    source: &Source,
    text: &str,
    place: Place,
) -> Result<(), Error> {
    let raw = RawBibliography::parse(text).map_err(|e| {
        let parser = Parser { source, strings };
        parser.parse_error(text, place, e.span.start, &e)
    })?;
    let strings = Arc::make_mut(strings);
    for pair in &raw.abbreviations {
        let mut value = String::new();
        for (i, element) in pair.value.v.iter().enumerate() {
            if i > 0 {
                value.push_str(" # ");
            }
            match element.v {
                RawChunk::Normal(s) => {
                    value.push('{');
                    value.push_str(s);
                    value.push('}');
                }
                RawChunk::Abbreviation(name) => match strings.get(&name.to_ascii_lowercase()) {
                    Some(def) => value.push_str(&def.value),
                    None => value.push_str(name),
                },
            }
        }
        strings.insert(pair.key.v.to_ascii_lowercase(), StringDef { value });
    }
    Ok(())
}

/// The crossref bookkeeping, done in input order on the calling thread.
/// Entries that `crossref` a later entry wait for it (and are then written
/// before it); entries that look like parents are remembered for children
/// that come later. Only those are held in memory.
struct Crossrefs<'s> {
    source: &'s Source,
    /// Possible crossref parents by key.
    parents: HashMap<String, Stored>,
    /// Children by the key of the parent they wait for.
    pending: HashMap<String, Vec<Waiting>>,
    /// Parent keys in the order children first asked for them.
    pending_order: Vec<String>,
}

impl Crossrefs<'_> {
    fn location(&self, place: Place) -> Location {
        self.source.at(place.line, place.column)
    }

    fn deliver(&mut self, done: Done, sink: &mut dyn PaperSink) -> Result<(), Error> {
        let Done {
            parsed,
            bytes,
            parent_type,
            place,
            strings,
        } = done;
        let parser = Parser {
            source: self.source,
            strings: &strings,
        };
        // The entry's text as the parser read it, to keep.
        let kept_text =
            || braced(paper_format::str_from_utf8(&bytes).unwrap_or_default()).into_owned();
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(error) => return sink.record(Err(error)),
        };
        match parsed {
            Parsed::Crossref { parent } => {
                let text = kept_text();
                let record = match self.parents.get(&parent) {
                    Some(stored) => parser
                        .parse_with_parent(&text, place, &stored.text, stored.place)
                        .map(|p| (p, self.location(place))),
                    None => {
                        if !self.pending.contains_key(&parent) {
                            self.pending_order.push(parent.clone());
                        }
                        let waiting = Waiting { text, place };
                        self.pending.entry(parent).or_default().push(waiting);
                        return Ok(());
                    }
                };
                sink.record(record)
            }
            Parsed::Paper(paper) => {
                let children = self.pending.remove(&paper.id);
                if children.is_some() || parent_type {
                    let text = kept_text();
                    self.parents
                        .insert(paper.id.clone(), Stored { text, place });
                }
                for child in children.into_iter().flatten() {
                    let record = self
                        .parse_child(&parser, &child.text, child.place)
                        .map(|p| (p, self.location(child.place)));
                    sink.record(record)?;
                }
                sink.record(Ok((*paper, self.location(place))))
            }
        }
    }

    /// Children whose parent never came are read without it.
    fn flush_pending(&mut self, sink: &mut dyn PaperSink) -> Result<(), Error> {
        let strings = Strings::new();
        let parser = Parser {
            source: self.source,
            strings: &strings,
        };
        for parent in std::mem::take(&mut self.pending_order) {
            for child in self.pending.remove(&parent).into_iter().flatten() {
                let record = parser
                    .parse_alone(&child.text, child.place)
                    .map(|p| (p, self.location(child.place)));
                sink.record(record)?;
            }
        }
        Ok(())
    }

    fn parse_child(&self, parser: &Parser<'_>, text: &str, place: Place) -> Result<Paper, Error> {
        let parent = RawBibliography::parse(text)
            .ok()
            .and_then(|raw| {
                raw.entries.first().and_then(|e| {
                    e.v.fields
                        .iter()
                        .find(|p| p.key.v.eq_ignore_ascii_case("crossref"))
                        .and_then(|p| match p.value.v.first().map(|c| &c.v) {
                            Some(RawChunk::Normal(s)) => Some(s.trim().to_owned()),
                            _ => None,
                        })
                })
            })
            .and_then(|key| self.parents.get(&key));
        match parent {
            Some(stored) => {
                let cleaned = clean(text, place, parser)?;
                let text = cleaned.as_deref().unwrap_or(text);
                parser.parse_with_parent(text, place, &stored.text, stored.place)
            }
            None => parser.parse_alone(text, place),
        }
    }
}

/// Parses entries with the `@string`s defined before them.
struct Parser<'a> {
    source: &'a Source,
    strings: &'a Strings,
}

impl Parser<'_> {
    fn location(&self, place: Place) -> Location {
        self.source.at(place.line, place.column)
    }

    /// The location of byte `offset` of an entry's text.
    fn location_in(&self, text: &str, place: Place, offset: usize) -> Location {
        Self::location_in_source(self.source, text, place, offset)
    }

    fn location_in_source(source: &Source, text: &str, place: Place, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let newlines = before.iter().filter(|&&b| b == b'\n').count() as u64;
        if newlines == 0 {
            let column = place.column + column_of(before, offset) - 1;
            source.at(place.line, column)
        } else {
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            source.at(
                place.line + newlines,
                column_of(&before[line_start..], offset - line_start),
            )
        }
    }

    fn parse_error(&self, text: &str, place: Place, offset: usize, err: &ParseError) -> Error {
        Error::parse(self.location_in(text, place, offset), describe(&err.kind))
    }

    /// The `@string`s an entry uses, as BibTeX text to put in front of it.
    fn prelude(&self, raw: &RawBibliography<'_>) -> String {
        let mut prelude = String::new();
        let mut seen: Vec<&str> = Vec::new();
        for entry in &raw.entries {
            for pair in &entry.v.fields {
                for element in &pair.value.v {
                    if let RawChunk::Abbreviation(name) = element.v
                        && !seen.contains(&name)
                        && let Some(def) = self.strings.get(&name.to_ascii_lowercase())
                    {
                        seen.push(name);
                        prelude.push_str("@string{");
                        prelude.push_str(name);
                        prelude.push_str(" = ");
                        prelude.push_str(&def.value);
                        prelude.push_str("}\n");
                    }
                }
            }
        }
        prelude
    }

    fn parse_entry(&self, text: &str, place: Place) -> Result<Parsed, Error> {
        // Fast path first: it reads ties and commands itself, and most
        // entries need not even the crate's raw parser.
        if let Some(paper) = RawFields::parse(text).and_then(|raw| self.fast_paper(&raw)) {
            return Ok(Parsed::Paper(Box::new(paper)));
        }
        let raw = RawBibliography::parse(text)
            .map_err(|e| self.parse_error(text, place, e.span.start, &e))?;
        if let [entry] = raw.entries.as_slice()
            && let Some(paper) = self.fast_paper(&RawFields::from_crate(&entry.v))
        {
            return Ok(Parsed::Paper(Box::new(paper)));
        }
        match cleaned(text, &raw) {
            None => self.parse_raw(text, raw, place),
            Some(text) => {
                let raw = RawBibliography::parse(&text)
                    .map_err(|e| self.parse_error(&text, place, e.span.start, &e))?;
                self.parse_raw(&text, raw, place)
            }
        }
    }

    /// The paper of an entry that the fast path reads whole.
    fn fast_paper(&self, raw: &RawFields<'_>) -> Option<Paper> {
        let fields = self.fast_fields(raw)?;
        Some(paper_from(raw.key, &lowercase(raw.kind), fields))
    }

    fn parse_raw(
        &self,
        text: &str,
        raw: RawBibliography<'_>,
        place: Place,
    ) -> Result<Parsed, Error> {
        let Some(entry) = raw.entries.first() else {
            return Err(Error::parse(self.location(place), "expected an entry"));
        };
        let crossref = entry
            .v
            .fields
            .iter()
            .find(|p| p.key.v.eq_ignore_ascii_case("crossref"))
            .and_then(|p| match p.value.v.first().map(|c| &c.v) {
                Some(RawChunk::Normal(s)) => Some(s.trim().to_owned()),
                _ => None,
            })
            .filter(|s| !s.is_empty());
        if let Some(parent) = crossref {
            return Ok(Parsed::Crossref { parent });
        }
        let key = entry.v.key.v.to_owned();
        let kind = entry.v.kind.v.to_ascii_lowercase();
        let prelude = self.prelude(&raw);
        let bibliography = if prelude.is_empty() {
            Bibliography::from_raw(raw)
                .map_err(|e| self.parse_error(text, place, e.span.start, &e))?
        } else {
            let full = format!("{prelude}{text}");
            Bibliography::parse(&full).map_err(|e| {
                let offset = e.span.start.saturating_sub(prelude.len());
                self.parse_error(text, place, offset, &e)
            })?
        };
        let entry = bibliography
            .get(&key)
            .ok_or_else(|| Error::parse(self.location(place), "expected an entry"))?;
        Ok(Parsed::Paper(Box::new(to_paper(entry, &kind))))
    }

    /// The fields of an entry decoded by the [fast path](crate::fast), or
    /// `None` when any of them needs the crate.
    fn fast_fields<'r>(&self, raw: &RawFields<'r>) -> Option<Vec<(Cow<'r, str>, Value<'r>)>> {
        let mut fields: Vec<(Cow<'r, str>, Value<'r>)> = Vec::with_capacity(16);
        for (key, chunks) in raw.fields() {
            let name = lowercase(key);
            let capacity = chunks.iter().map(chunk_len).sum();
            if name == "xdata" || name == "crossref" {
                return None;
            }
            let verbatim = is_verbatim_field(&name);
            let value = if name == "author" {
                let mut chars = Vec::with_capacity(capacity);
                for chunk in chunks {
                    match *chunk {
                        RawChunk::Normal(s) if fast::is_plain(s) => {
                            chars.extend(fast::plain_chars(s));
                        }
                        RawChunk::Normal(s) => fast::decode(s, verbatim, &mut |c, braced| {
                            chars.push((c, u8::from(braced)))
                        })?,
                        RawChunk::Abbreviation(a) => {
                            chars.extend(self.month_macro(a)?.chars().map(|c| (c, 0)));
                        }
                    }
                }
                Value::Chars(chars)
            } else {
                self.text_value(chunks, verbatim, capacity)?
            };
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some(field) => field.1 = value,
                None => fields.push((name, value)),
            }
        }
        Some(fields)
    }

    /// A value read as text, `None` when it needs the crate. One chunk that
    /// needs no decoding and no white space collapsed (most short fields:
    /// years, volumes, DOIs), or one month macro, is borrowed, not copied.
    fn text_value<'r>(
        &self,
        chunks: &[RawChunk<'r>],
        verbatim: bool,
        capacity: usize,
    ) -> Option<Value<'r>> {
        // Whether the one chunk is plain: looked at once, here.
        let single_plain = match *chunks {
            [RawChunk::Normal(s)] => Some((s, fast::is_plain(s))),
            [RawChunk::Abbreviation(a)] => return self.month_macro(a).map(Value::Plain),
            _ => None,
        };
        if let Some((s, true)) = single_plain
            && is_single_spaced(s)
        {
            return Some(Value::Plain(s));
        }
        // `--` becomes a three-byte dash: room for a few.
        let mut text = Collapsing::new(capacity + 4);
        for chunk in chunks {
            match *chunk {
                RawChunk::Normal(s) => {
                    let plain = single_plain.map_or_else(|| fast::is_plain(s), |(_, plain)| plain);
                    if plain {
                        text.push_plain(s);
                    } else {
                        fast::decode(s, verbatim, &mut |c, _| text.push(c))?;
                    }
                }
                RawChunk::Abbreviation(a) => {
                    self.month_macro(a)?.chars().for_each(|c| text.push(c));
                }
            }
        }
        Some(Value::Text(text.text))
    }

    /// The text the crate puts in for a month macro, unless a `@string`
    /// redefines it.
    fn month_macro(&self, name: &str) -> Option<&'static str> {
        if self.strings.contains_key(&name.to_ascii_lowercase()) {
            return None;
        }
        fast::month_macro(name)
    }

    /// A child read with its parent in front, so that the crate resolves
    /// the crossref.
    fn parse_with_parent(
        &self,
        text: &str,
        place: Place,
        parent: &str,
        parent_place: Place,
    ) -> Result<Paper, Error> {
        let raw = RawBibliography::parse(text)
            .map_err(|e| self.parse_error(text, place, e.span.start, &e))?;
        let parent_raw = RawBibliography::parse(parent)
            .map_err(|e| self.parse_error(parent, parent_place, e.span.start, &e))?;
        let Some(entry) = raw.entries.first() else {
            return Err(Error::parse(self.location(place), "expected an entry"));
        };
        let key = entry.v.key.v.to_owned();
        let kind = entry.v.kind.v.to_ascii_lowercase();
        let mut prelude = self.prelude(&parent_raw);
        for line in self.prelude(&raw).lines() {
            if !prelude.contains(line) {
                prelude.push_str(line);
                prelude.push('\n');
            }
        }
        let head = format!("{prelude}{parent}\n");
        let full = format!("{head}{text}");
        let bibliography = Bibliography::parse(&full).map_err(|e| {
            if e.span.start >= head.len() {
                self.parse_error(text, place, e.span.start - head.len(), &e)
            } else {
                Error::parse(
                    self.location(place),
                    format!(
                        "the crossref parent at line {} cannot be read: {}",
                        parent_place.line,
                        describe(&e.kind)
                    ),
                )
            }
        })?;
        let entry = bibliography
            .get(&key)
            .ok_or_else(|| Error::parse(self.location(place), "expected an entry"))?;
        let mut paper = to_paper(entry, &kind);
        paper.extra.remove("crossref");
        Ok(paper)
    }

    /// An entry read on its own, its crossref left unresolved.
    fn parse_alone(&self, text: &str, place: Place) -> Result<Paper, Error> {
        let cleaned = clean(text, place, self)?;
        let text = cleaned.as_deref().unwrap_or(text);
        let raw = RawBibliography::parse(text)
            .map_err(|e| self.parse_error(text, place, e.span.start, &e))?;
        let Some(entry) = raw.entries.first() else {
            return Err(Error::parse(self.location(place), "expected an entry"));
        };
        let key = entry.v.key.v.to_owned();
        let kind = entry.v.kind.v.to_ascii_lowercase();
        let prelude = self.prelude(&raw);
        let full = format!("{prelude}{text}");
        let bibliography = Bibliography::parse(&full).map_err(|e| {
            let offset = e.span.start.saturating_sub(prelude.len());
            self.parse_error(text, place, offset, &e)
        })?;
        let entry = bibliography
            .get(&key)
            .ok_or_else(|| Error::parse(self.location(place), "expected an entry"))?;
        Ok(to_paper(entry, &kind))
    }
}

/// `@type(...)` rewritten as `@type{...}`, which is all the crate reads.
fn braced(text: &str) -> Cow<'_, str> {
    let open = text.find(['{', '(']);
    match open {
        Some(i) if text.as_bytes()[i] == b'(' && text.ends_with(')') => {
            let mut s = String::with_capacity(text.len());
            s.push_str(&text[..i]);
            s.push('{');
            s.push_str(&text[i + 1..text.len() - 1]);
            s.push('}');
            Cow::Owned(s)
        }
        _ => Cow::Borrowed(text),
    }
}

fn describe(kind: &ParseErrorKind) -> String {
    match kind {
        ParseErrorKind::UnknownAbbreviation(name) => format!(
            "unknown macro `{name}`: define it with @string before this entry, or put the text in braces"
        ),
        ParseErrorKind::DuplicateKey(key) => format!("duplicate key `{key}`"),
        ParseErrorKind::UnexpectedEof => "the entry ends too early".to_owned(),
        ParseErrorKind::MalformedCommand => "malformed LaTeX command".to_owned(),
        other => other.to_string(),
    }
}

/// Formatting commands whose argument is kept and the command dropped.
const UNWRAP: &[&str] = &[
    "emph",
    "textit",
    "textbf",
    "textsc",
    "textrm",
    "texttt",
    "textsf",
    "textup",
    "textsl",
    "textmd",
    "textnormal",
    "mbox",
    "hbox",
    "text",
    "NoCaseChange",
    "ensuremath",
];

/// Font switches and spacing that are dropped.
const DROP: &[&str] = &[
    "em",
    "it",
    "bf",
    "sc",
    "rm",
    "tt",
    "sf",
    "sl",
    "itshape",
    "bfseries",
    "scshape",
    "upshape",
    "slshape",
    "mdseries",
    "normalfont",
    "relax",
    "protect",
];

/// Logos the crate leaves as commands.
fn logo(name: &str) -> Option<&'static str> {
    Some(match name {
        "BibTeX" => "BibTeX",
        "LaTeXe" => "LaTeX2e",
        "MF" => "METAFONT",
        "MP" => "MetaPost",
        "AMS" => "AMS",
        "AmSTeX" => "AMS-TeX",
        "XeTeX" => "XeTeX",
        "XeLaTeX" => "XeLaTeX",
        "LuaTeX" => "LuaTeX",
        "LuaLaTeX" => "LuaLaTeX",
        "pdfTeX" => "pdfTeX",
        "pdfLaTeX" => "pdfLaTeX",
        "ConTeXt" => "ConTeXt",
        "eTeX" => "e-TeX",
        _ => return None,
    })
}

/// Rewrites what the crate would keep as raw LaTeX in text fields: a tie
/// `~` becomes a space, formatting commands (`\emph{x}`, `{\it x}`) lose
/// the command, `\url{x}` keeps `x` untouched, a few logos become text;
/// in URL-like fields, `--` is kept from turning into a dash.
/// Returns `None` when there is nothing to change.
fn clean(text: &str, place: Place, parser: &Parser<'_>) -> Result<Option<String>, Error> {
    if !may_need_cleaning(text) {
        return Ok(None);
    }
    let raw = RawBibliography::parse(text)
        .map_err(|e| parser.parse_error(text, place, e.span.start, &e))?;
    Ok(cleaned(text, &raw))
}

fn may_need_cleaning(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(|&b| b == b'~' || b == b'\\') || bytes.windows(2).any(|w| w == b"--")
}

/// [`clean`] on an entry already parsed.
fn cleaned(text: &str, raw: &RawBibliography<'_>) -> Option<String> {
    if !may_need_cleaning(text) {
        return None;
    }
    let bytes = text.as_bytes();
    let double_hyphen = bytes.windows(2).any(|w| w == b"--");
    let mut edits: Vec<(usize, usize, &'static str)> = Vec::new();
    for entry in &raw.entries {
        for pair in &entry.v.fields {
            let key = pair.key.v.to_ascii_lowercase();
            if is_verbatim_field(&key) {
                // The crate makes `--` a dash even in URLs: keep hyphens.
                if double_hyphen {
                    for element in &pair.value.v {
                        let (start, end) = (element.span.start, element.span.end.min(bytes.len()));
                        for i in start.max(1)..end {
                            if bytes[i] == b'-' && bytes[i - 1] == b'-' && i > start {
                                edits.push((i, i, "{}"));
                            }
                        }
                    }
                }
                continue;
            }
            for element in &pair.value.v {
                if let RawChunk::Normal(_) = element.v {
                    find_edits(bytes, element.span.start, element.span.end, &mut edits);
                }
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, with) in edits {
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(with);
        at = end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

fn is_verbatim_field(key: &str) -> bool {
    matches!(
        key,
        "file" | "doi" | "uri" | "eprint" | "verba" | "verbb" | "verbc" | "pdf" | "url" | "urlraw"
    )
}

/// Finds the edits of [`clean`] in `bytes[start..end]`.
fn find_edits(
    bytes: &[u8],
    start: usize,
    end: usize,
    edits: &mut Vec<(usize, usize, &'static str)>,
) {
    let end = end.min(bytes.len());
    let mut i = start;
    while i < end {
        match bytes[i] {
            b'~' => {
                edits.push((i, i + 1, " "));
                i += 1;
            }
            b'\\' => {
                let name_start = i + 1;
                let name_end = bytes[name_start..end]
                    .iter()
                    .position(|b| !b.is_ascii_alphabetic())
                    .map_or(end, |p| name_start + p);
                if name_end == name_start {
                    // A one-character command: `\\`, `\{`, `\'`, `\,` ...
                    match bytes.get(name_start) {
                        Some(b',' | b';' | b' ' | b'\t' | b'\n' | b'\r') => {
                            edits.push((i, name_start + 1, " "));
                        }
                        Some(b'/' | b'@' | b'!') => edits.push((i, name_start + 1, "")),
                        _ => {}
                    }
                    i = name_start + 1;
                    continue;
                }
                let name = std::str::from_utf8(&bytes[name_start..name_end]).unwrap_or("");
                let mut after = name_end;
                while after < end && bytes[after] == b' ' {
                    after += 1;
                }
                if name == "url" && bytes.get(after) == Some(&b'{') {
                    edits.push((i, after, ""));
                    // Leave the argument alone: it is a URL.
                    let mut depth = 0usize;
                    let mut j = after;
                    while j < end {
                        match bytes[j] {
                            b'\\' => j += 1,
                            b'{' => depth += 1,
                            b'}' => {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    i = j + 1;
                    continue;
                }
                if UNWRAP.contains(&name) && bytes.get(after) == Some(&b'{') {
                    edits.push((i, after, ""));
                } else if DROP.contains(&name) {
                    edits.push((i, after, " "));
                } else if let Some(text) = logo(name) {
                    let terminated = bytes.get(name_end..name_end + 2) == Some(b"{}");
                    let stop = if terminated { name_end + 2 } else { name_end };
                    edits.push((i, stop, text));
                }
                i = name_end;
            }
            _ => i += 1,
        }
    }
}

/// The text of a field: chunks joined, protection braces gone, math kept
/// in dollars, whitespace runs made one space.
fn text_of(chunks: &[Spanned<Chunk>]) -> String {
    let mut joined = String::new();
    for chunk in chunks {
        match &chunk.v {
            Chunk::Normal(s) | Chunk::Verbatim(s) => joined.push_str(s),
            Chunk::Math(s) => {
                joined.push('$');
                joined.push_str(s);
                joined.push('$');
            }
        }
    }
    collapse(&joined)
}

/// [`collapse`] of the characters of a decoded field, without building the
/// uncollapsed text first.
fn collapse_chars(chars: &[(char, u8)]) -> String {
    let mut text = Collapsing::new(chars.iter().map(|&(c, _)| c.len_utf8()).sum());
    for &(c, _) in chars {
        text.push(c);
    }
    text.text
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A URL or DOI as read: the escapes that tools put in them removed.
fn link_from(text: String) -> String {
    if !text.contains('\\') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && matches!(next, '%' | '_' | '#' | '&' | '~' | '$')
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// A field value: parsed by the crate, or decoded by the fast path.
enum Value<'a> {
    /// The crate's chunks.
    Chunks(&'a [Spanned<Chunk>]),
    /// Decoded text, whitespace already collapsed.
    Text(String),
    /// Text as written in the entry, which needs no decoding and no white
    /// space collapsed.
    Plain(&'a str),
    /// Decoded characters, each marked 1 when inside braces (names).
    Chars(Vec<(char, u8)>),
}

impl<'a> Value<'a> {
    fn into_text(self) -> String {
        match self {
            Value::Chunks(chunks) => text_of(chunks),
            Value::Text(text) => text,
            Value::Plain(text) => text.to_owned(),
            Value::Chars(chars) => collapse_chars(&chars),
        }
    }

    /// The text, borrowed when it was read as written.
    fn into_str(self) -> Cow<'a, str> {
        match self {
            Value::Plain(text) => Cow::Borrowed(text),
            value => Cow::Owned(value.into_text()),
        }
    }

    fn into_link(self) -> Cow<'a, str> {
        match self.into_str() {
            Cow::Owned(text) => Cow::Owned(link_from(text)),
            // Plain text has no backslash to remove.
            borrowed => borrowed,
        }
    }

    /// Calls `each` with every name of an author field.
    fn each_name(self, each: &mut impl FnMut(Name)) {
        match self {
            Value::Chunks(chunks) => names_of(chunks, each),
            Value::Chars(chars) => each_name(&chars, each),
            text => {
                let chars: Vec<_> = text.into_str().chars().map(|c| (c, 0)).collect();
                each_name(&chars, each)
            }
        }
    }
}

/// Collects decoded characters as text, collapsing whitespace as it goes.
struct Collapsing {
    text: String,
    space: bool,
}

impl Collapsing {
    fn new(capacity: usize) -> Self {
        Collapsing {
            text: String::with_capacity(capacity),
            space: false,
        }
    }

    /// Pushes text with nothing to decode (see [`fast::is_plain`]) a word
    /// at a time; the same as pushing its characters one by one.
    fn push_plain(&mut self, text: &str) {
        if is_single_spaced(text) {
            // Word by word would give the same.
            self.push_word(text);
            return;
        }
        let bytes = text.as_bytes();
        let mut word_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let space = match bytes[i] {
                b' ' | b'\t'..=b'\r' => 1,
                // Lead bytes of the white space beyond ASCII (U+0085,
                // U+00A0, U+1680, U+2000 to U+205F, U+3000).
                0xC2 | 0xE1 | 0xE2 | 0xE3 => text[i..]
                    .chars()
                    .next()
                    .filter(|c| c.is_whitespace())
                    .map_or(0, char::len_utf8),
                _ => 0,
            };
            if space == 0 {
                i += 1;
                continue;
            }
            self.push_word(&text[word_start..i]);
            self.space = !self.text.is_empty();
            i += space;
            word_start = i;
        }
        self.push_word(&text[word_start..]);
    }

    fn push_word(&mut self, word: &str) {
        if !word.is_empty() {
            if self.space {
                self.text.push(' ');
                self.space = false;
            }
            self.text.push_str(word);
        }
    }

    #[inline]
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = !self.text.is_empty();
        } else {
            if self.space {
                self.text.push(' ');
                self.space = false;
            }
            self.text.push(c);
        }
    }
}

/// True when the only white space in `text` is single ASCII spaces between
/// words (no other ASCII white space, none of the lead bytes of white space
/// beyond ASCII that [`Collapsing::push_plain`] looks for). Checked without
/// branches: this is most text.
fn is_single_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let other_space = any_byte(bytes, |b| {
        (b.wrapping_sub(b'\t') <= b'\r' - b'\t') | (b == 0xC2) | (b.wrapping_sub(0xE1) <= 2)
    });
    !other_space && !has_doubled(bytes, b' ')
}

fn chunk_len(chunk: &RawChunk<'_>) -> usize {
    match chunk {
        RawChunk::Normal(s) | RawChunk::Abbreviation(s) => s.len(),
    }
}

/// A person's or organisation's name in the author field.
#[derive(Debug, PartialEq)]
enum Name {
    One(Author),
    Others,
}

/// Splits an author field at `and` (outside braces) and reads each name.
fn names_of(chunks: &[Spanned<Chunk>], each: &mut impl FnMut(Name)) {
    // Characters with their kind: 0 normal, 1 verbatim (braced), 2 math.
    let mut chars: Vec<(char, u8)> = Vec::new();
    for chunk in chunks {
        let (s, kind) = match &chunk.v {
            Chunk::Normal(s) => (s, 0),
            Chunk::Verbatim(s) => (s, 1),
            Chunk::Math(s) => (s, 2),
        };
        chars.extend(s.chars().map(|c| (c, kind)));
    }
    each_name(&chars, each)
}

/// [`names_of`] on characters marked 0 (normal), 1 (braced) or 2 (math).
fn each_name(chars: &[(char, u8)], each: &mut impl FnMut(Name)) {
    let mut one = |name: &[(char, u8)]| {
        let first = name.iter().position(|&(c, k)| k != 0 || !c.is_whitespace());
        let last = name
            .iter()
            .rposition(|&(c, k)| k != 0 || !c.is_whitespace());
        if let (Some(first), Some(last)) = (first, last)
            && let Some(name) = read_name(&name[first..=last])
        {
            each(name);
        }
    };
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let is_and = matches!(
            chars.get(i..i + 3),
            Some([('a' | 'A', 0), ('n' | 'N', 0), ('d' | 'D', 0)])
        ) && (i == 0 || (chars[i - 1].1 == 0 && chars[i - 1].0.is_whitespace()))
            && (i + 3 == chars.len() || (chars[i + 3].1 == 0 && chars[i + 3].0.is_whitespace()));
        if is_and {
            one(&chars[start..i]);
            start = i + 3;
            i += 3;
        } else {
            i += 1;
        }
    }
    one(&chars[start..]);
}

/// One name; `None` for a BibLaTeX name-list option such as
/// `useprefix=false`, which names nobody.
fn read_name(name: &[(char, u8)]) -> Option<Name> {
    const OTHERS: [char; 6] = ['o', 't', 'h', 'e', 'r', 's'];
    if name.len() == OTHERS.len() && name.iter().zip(OTHERS).all(|(&(c, k), o)| k == 0 && c == o) {
        return Some(Name::Others);
    }
    if name.iter().all(|&(_, k)| k == 1) {
        let literal: String = name.iter().map(|&(c, _)| c).collect();
        return Some(Name::One(Author::Organization(Organization {
            literal: collapse(&literal),
        })));
    }
    single_comma_name(name).or_else(|| person_by_crate(name))
}

/// A person's name read by the crate's name parser.
fn person_by_crate(name: &[(char, u8)]) -> Option<Name> {
    // Back to chunks for the crate's name parser.
    let mut chunks: Vec<Spanned<Chunk>> = Vec::new();
    for &(c, k) in name {
        let same = chunks.last().is_some_and(|last| {
            matches!(
                (&last.v, k),
                (Chunk::Normal(_), 0) | (Chunk::Verbatim(_), 1) | (Chunk::Math(_), 2)
            )
        });
        if !same {
            let chunk = match k {
                0 => Chunk::Normal(String::new()),
                1 => Chunk::Verbatim(String::new()),
                _ => Chunk::Math(String::new()),
            };
            // Real (empty) spans: the crate adds to them when it splits.
            chunks.push(Spanned::new(chunk, 0..0));
        }
        if let Some(last) = chunks.last_mut() {
            last.v.get_mut().push(c);
        }
    }
    let person = BibPerson::parse(&chunks);
    person_from(
        collapse(&person.name),
        collapse(&person.given_name),
        collapse(&person.prefix),
        collapse(&person.suffix),
    )
}

/// A person from the parts of a name (white space collapsed); `None` when
/// all are empty, and a given name alone is the family name.
fn person_from(family: String, given: String, particle: String, suffix: String) -> Option<Name> {
    let opt = |s: String| (!s.is_empty()).then_some(s);
    let given = opt(given);
    let particle = opt(particle);
    let suffix = opt(suffix);
    if family.is_empty() && given.is_none() && particle.is_none() && suffix.is_none() {
        return None;
    }
    if family.is_empty() {
        // A given name alone.
        return Some(Name::One(Author::Person(Person {
            family: given.unwrap_or_default(),
            given: None,
            particle,
            suffix,
        })));
    }
    Some(Name::One(Author::Person(Person {
        family,
        given,
        particle,
        suffix,
    })))
}

/// A name with one comma outside braces, `Family, Given` or `von Family,
/// Given`, read without building the crate's chunks, by the crate's own
/// single-comma rule: the words before the comma that start in lower case
/// or in braces are the particle, up to the last such word when another
/// word starts in upper case, and all but the last word when none does.
/// Math, `=` (the crate's extended format) and an empty given part are left
/// to the crate (`None`). A property test holds the two equal.
fn single_comma_name(name: &[(char, u8)]) -> Option<Name> {
    if name.iter().any(|&(c, k)| k == 2 || c == '=') {
        return None;
    }
    let mut commas = name
        .iter()
        .enumerate()
        .filter(|&(_, &(c, k))| c == ',' && k == 0)
        .map(|(i, _)| i);
    let comma = commas.next()?;
    if commas.next().is_some() {
        return None;
    }
    let (family, given) = (&name[..comma], &name[comma + 1..]);
    let given = collapse_chars(given);
    if given.is_empty() {
        return None;
    }
    let mut word_start = true;
    let mut lower = false;
    let mut last_lower = None;
    let mut last_word_start = 0;
    let mut seen_upper = false;
    for (i, &(c, k)) in family.iter().enumerate() {
        let braced = k != 0;
        if !braced && c.is_whitespace() {
            word_start = true;
            continue;
        }
        if word_start {
            last_word_start = i;
            lower = braced || c.is_lowercase();
            seen_upper |= !lower;
        }
        if lower {
            last_lower = Some(i);
        }
        word_start = false;
    }
    let particle_end = if seen_upper {
        last_lower.map_or(0, |i| i + 1)
    } else {
        last_word_start
    };
    person_from(
        collapse_chars(&family[particle_end..]),
        given,
        collapse_chars(&family[..particle_end]),
        String::new(),
    )
}

/// Page numbers with the en and em dashes that `--` and `---` decode to
/// written as one hyphen, in place.
fn hyphenated(pages: Cow<'_, str>) -> String {
    let mut pages = pages.into_owned();
    while let Some(at) = pages.find(['\u{2013}', '\u{2014}']) {
        // Both dashes are three bytes long.
        pages.replace_range(at..at + 3, "-");
    }
    pages
}

/// Month from `January`, `jan`, `Jan.` or `1`.
fn month_of(text: &str) -> Option<u8> {
    let t = text.trim().trim_end_matches('.');
    if let Ok(n) = t.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // `jan`, `jan.`, `january`, `sept`: at least three letters of the full
    // name, in any case (three tell every month apart).
    let t = t.as_bytes();
    if t.len() < 3 {
        return None;
    }
    let index = NAMES.iter().position(|name| {
        name.len() >= t.len() && name.as_bytes()[..t.len()].eq_ignore_ascii_case(t)
    })?;
    Some(index as u8 + 1)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the start of a range); `None` for
/// anything else.
fn date_of(text: &str) -> Option<(i32, Option<u8>, Option<u8>)> {
    let start = text.trim().split('/').next()?.split('T').next()?;
    let mut parts = start.splitn(3, '-');
    let year_text = parts.next()?;
    if year_text.is_empty() || year_text.len() > 4 || !year_text.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let year = year_text.parse().ok()?;
    let mut number = |max: u8| -> Result<Option<u8>, ()> {
        match parts.next() {
            None => Ok(None),
            Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u8 = p.parse().map_err(|_| ())?;
                if (1..=max).contains(&n) {
                    Ok(Some(n))
                } else {
                    Err(())
                }
            }
            Some(_) => Err(()),
        }
    };
    let month = number(12).ok()?;
    let day = number(31).ok()?;
    Some((year, month, day))
}

fn looks_like_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("ftp://"))
        && !text.contains(char::is_whitespace)
}

/// The model type of an entry type (with the `type` field of theses).
fn paper_type(kind: &str, type_field: Option<&str>) -> PaperType {
    match kind {
        "article" => PaperType::Article,
        "inproceedings" | "conference" => PaperType::Inproceedings,
        "incollection" | "inbook" | "bookinbook" | "suppbook" | "suppcollection"
        | "inreference" => PaperType::Incollection,
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "reference" | "mvreference" => PaperType::Book,
        "phdthesis" => PaperType::Phdthesis,
        "thesis" => {
            let t = type_field.unwrap_or("").to_ascii_lowercase();
            if t.contains("phd") || t.contains("doctor") {
                PaperType::Phdthesis
            } else {
                PaperType::Misc
            }
        }
        "techreport" | "report" => PaperType::Techreport,
        _ if type_field.is_some_and(|t| t.eq_ignore_ascii_case("preprint")) => PaperType::Preprint,
        _ => PaperType::Misc,
    }
}

/// Converts a parsed entry into a paper (see the crate docs for the table).
fn to_paper(entry: &biblatex::Entry, kind: &str) -> Paper {
    let fields = entry
        .fields
        .iter()
        .map(|(k, v)| (Cow::Borrowed(k.as_str()), Value::Chunks(v)))
        .collect();
    paper_from(&entry.key, kind, fields)
}

/// `name` in ASCII lower case, copied only when it has capitals (field
/// names mostly come in lower case).
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// The paper of an entry with this key, type and fields (lowercase names).
fn paper_from<'v>(key: &str, kind: &str, mut fields: Vec<(Cow<'_, str>, Value<'v>)>) -> Paper {
    let mut take = |name: &str| -> Option<Value<'v>> {
        let i = fields.iter().position(|(k, _)| k == name)?;
        Some(fields.remove(i).1)
    };
    let take_text =
        |value: Option<Value<'_>>| value.map(Value::into_text).filter(|t| !t.is_empty());
    // For values that are read rather than kept: borrowed when they can be.
    let take_str = |value: Option<Value<'v>>| value.map(Value::into_str).filter(|t| !t.is_empty());

    let mut paper = Paper::default();
    key.clone_into(&mut paper.id);
    let type_field = take_str(take("type"));
    paper.kind = paper_type(kind, type_field.as_deref());
    let keep_type = match (paper.kind, type_field.as_deref()) {
        (PaperType::Phdthesis | PaperType::Preprint, _) => false,
        (PaperType::Techreport, Some(t)) => !t.eq_ignore_ascii_case("techreport"),
        (_, t) => t.is_some(),
    };
    if let Some(title) = take_text(take("title")) {
        paper.title = title;
    }
    if let Some(author) = take("author") {
        author.each_name(&mut |name| match name {
            Name::Others => paper.authors_truncated = true,
            Name::One(a) => paper.authors.push(a),
        });
    }

    // Date: `date` wins over `year`/`month`/`day`.
    let date_text = take_str(take("date"));
    let year_text = take_str(take("year"));
    let month_text = take_str(take("month"));
    let day_text = take_str(take("day"));
    let mut extra_date = None;
    if let Some(date) = &date_text {
        match date_of(date) {
            Some((y, m, d)) => {
                paper.year = Some(y);
                paper.month = m;
                paper.day = d;
                let simple = date.len() <= 10 && !date.contains('/');
                if !simple {
                    extra_date = Some(date.to_string());
                }
            }
            None => extra_date = Some(date.to_string()),
        }
    }
    let mut extra_year = None;
    let mut extra_month = None;
    if paper.year.is_none() {
        if let Some(y) = &year_text {
            match y.parse::<i32>() {
                Ok(y) => paper.year = Some(y),
                Err(_) => extra_year = Some(y.to_string()),
            }
        }
        if let Some(m) = &month_text {
            match month_of(m) {
                Some(m) => paper.month = Some(m),
                None => extra_month = Some(m.to_string()),
            }
        }
        if paper.month.is_some()
            && let Some(d) = &day_text
            && let Ok(d) = d.parse::<u8>()
            && (1..=31).contains(&d)
        {
            paper.day = Some(d);
        }
    }

    let mut venue = None;
    let venue_fields: &[&str] = match paper.kind {
        PaperType::Article => &["journaltitle", "journal"],
        PaperType::Inproceedings | PaperType::Incollection => &["booktitle"],
        PaperType::Book => &["series"],
        PaperType::Phdthesis | PaperType::Techreport => &["howpublished", "note"],
        _ => &[],
    };
    for name in venue_fields {
        if venue.is_none() {
            venue = take_text(take(name));
        }
    }
    let mut url = take("url")
        .map(|u| u.into_link().into_owned())
        .filter(|u| !u.is_empty());
    if venue.is_none() {
        for name in ["journaltitle", "journal", "booktitle", "howpublished"] {
            if let Some(value) = take_text(take(name)) {
                if looks_like_url(&value) {
                    if url.is_none() {
                        url = Some(value);
                    } else if url.as_deref() != Some(value.as_str()) {
                        paper.extra.insert(name.to_owned(), value);
                    }
                    continue;
                }
                venue = Some(value);
                break;
            }
        }
    }
    paper.venue = venue;
    paper.url = url;
    for name in ["publisher", "institution", "school", "organization"] {
        if paper.publisher.is_none() {
            paper.publisher = take_text(take(name));
        }
    }
    paper.volume = take_text(take("volume"));
    paper.number = take_text(take("number"));
    paper.pages = take_str(take("pages")).map(hyphenated);
    if let Some(doi) = take("doi").map(Value::into_link) {
        let bare = paper_model::bare_doi(&doi);
        if paper_model::is_valid_doi(bare) {
            paper.doi = Some(if bare.len() == doi.len() {
                doi.into_owned()
            } else {
                bare.to_owned()
            });
        } else if !doi.is_empty() {
            paper.extra.insert("doi".into(), doi.into_owned());
        }
    }
    let eprint = take("eprint")
        .map(Value::into_link)
        .filter(|e| !e.is_empty());
    let archive = take_str(take("eprinttype")).or_else(|| take_str(take("archiveprefix")));
    match (eprint, archive) {
        (Some(e), Some(a)) if a.eq_ignore_ascii_case("arxiv") => {
            let id = e
                .strip_prefix("arXiv:")
                .or_else(|| e.strip_prefix("arxiv:"))
                .unwrap_or(&e);
            paper.arxiv = Some(if id.len() == e.len() {
                e.into_owned()
            } else {
                id.to_owned()
            });
        }
        (e, a) => {
            if let Some(e) = e {
                paper.extra.insert("eprint".into(), e.into_owned());
            }
            if let Some(a) = a {
                paper.extra.insert("eprinttype".into(), a.into_owned());
            }
        }
    }
    if let Some(class) = take_text(take("eprintclass")).or_else(|| take_text(take("primaryclass")))
    {
        paper.extra.insert("primaryclass".into(), class);
    }
    if paper.kind == PaperType::Misc && paper.arxiv.is_some() && kind != "online" {
        paper.kind = PaperType::Preprint;
    }
    paper.isbn = take_text(take("isbn"));
    if let Some(keywords) = take_str(take("keywords")) {
        let separator = if keywords.contains(',') { ',' } else { ';' };
        paper.tags = keywords
            .split(separator)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
    }
    let note = take_text(take("annotation")).or_else(|| take_text(take("annote")));
    if let Some(note) = note {
        paper.note = Text::default();
        paper.note.set("en", note);
    }
    for (name, value) in fields {
        let value = if is_verbatim_field(&name) {
            value.into_link().into_owned()
        } else {
            value.into_text()
        };
        if value.is_empty() {
            continue;
        }
        let name = if name == "location" {
            "address".to_owned()
        } else {
            name.into_owned()
        };
        paper.extra.insert(name, value);
    }
    if keep_type && let Some(t) = type_field {
        paper.extra.insert("type".into(), t.into_owned());
    }
    if let Some(d) = extra_date {
        paper.extra.insert("date".into(), d);
    }
    if let Some(y) = extra_year {
        paper.extra.insert("year".into(), y);
    }
    if let Some(m) = extra_month {
        paper.extra.insert("month".into(), m);
    }
    paper
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_format::Collect;

    fn read(input: &str) -> Collect {
        let mut sink = Collect::default();
        let mut bytes = input.as_bytes();
        BibReader
            .read(&mut bytes, &Source::new("in.bib"), &mut sink)
            .unwrap();
        sink
    }

    #[test]
    fn reads_the_tricky_parts() {
        let c = read(
            r#"@string{acl = "Association for Computational Linguistics"}
@inproceedings{devlin2019bert,
  author = {Devlin, Jacob and {\L}ukasz Kaiser and J{\"u}rgen Schmidhuber and von Neumann, Jr., John and {{OpenAI}} and others},
  title = {{BERT}: Pre-training of Deep {B}idirectional Transformers~for \emph{Language} Understanding},
  booktitle = acl # " Proceedings",
  year = 2019, month = jun,
  pages = {4171--4186},
  doi = {https://doi.org/10.18653/v1/N19-1423},
  url = {https://example.org/a\_b\%20c},
  eprint = {1810.04805}, archivePrefix = {arXiv}, primaryClass = {cs.CL},
  keywords = {nlp, transformers},
  annote = {100\% \& \_ \# \$ {\textbackslash} $x^2$},
  editor = {Some One},
}
"#,
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let (p, loc) = &c.papers[0];
        assert_eq!(loc, &Location::new("in.bib", 2, 1));
        assert_eq!(p.id, "devlin2019bert");
        assert_eq!(p.kind, PaperType::Inproceedings);
        assert_eq!(
            p.title,
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
        );
        assert_eq!(
            p.venue.as_deref(),
            Some("Association for Computational Linguistics Proceedings")
        );
        assert_eq!(p.year, Some(2019));
        assert_eq!(p.month, Some(6));
        assert_eq!(p.pages.as_deref(), Some("4171-4186"));
        assert_eq!(p.doi.as_deref(), Some("10.18653/v1/N19-1423"));
        assert_eq!(p.url.as_deref(), Some("https://example.org/a_b%20c"));
        assert_eq!(p.arxiv.as_deref(), Some("1810.04805"));
        assert_eq!(
            p.extra.get("primaryclass").map(String::as_str),
            Some("cs.CL")
        );
        assert_eq!(p.extra.get("editor").map(String::as_str), Some("Some One"));
        assert_eq!(p.tags, ["nlp", "transformers"]);
        assert_eq!(p.note.get("en"), Some("100% & _ # $ \\ $x^2$"));
        assert!(p.authors_truncated);
        assert_eq!(
            p.authors,
            [
                Author::person("Devlin", "Jacob"),
                Author::person("Kaiser", "Łukasz"),
                Author::person("Schmidhuber", "Jürgen"),
                Author::Person(Person {
                    family: "Neumann".into(),
                    given: Some("John".into()),
                    particle: Some("von".into()),
                    suffix: Some("Jr.".into()),
                }),
                Author::organization("OpenAI"),
            ]
        );
    }

    #[test]
    fn one_bad_entry_does_not_lose_the_file() {
        let c = read(
            "@article{ok1, title = {One}, year = 2001}\n\
             @article{bad, title = {Two}, journal = pami, year = 2002}\n\
             @article{ok2, title = {Three}, year = 2003}\n\
             @article{ok1, title = {Again}, year = 2004}\n\
             @article{open, title = {Four\n\
             @article{ok3, title = {Five}, year = 2005}\n",
        );
        let titles: Vec<&str> = c.papers.iter().map(|(p, _)| p.title.as_str()).collect();
        assert_eq!(titles, ["One", "Three", "Again", "Five"]);
        assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
        assert!(
            c.errors[0].starts_with("in.bib:2:40: unknown macro `pami`"),
            "{}",
            c.errors[0]
        );
        assert_eq!(
            c.errors[1],
            "in.bib:5:1: this entry is not closed: a `}` is missing before the entry at line 6"
        );
    }

    #[test]
    fn identifiers_with_and_without_prefixes() {
        let c = read(
            "@article{a, title = {A}, doi = {10.1000/x}, eprint = {arXiv:1706.03762},\n\
               archivePrefix = {arXiv}}\n\
             @article{b, title = {B}, doi = {https://doi.org/10.1000/y}, eprint = {1512.03385},\n\
               eprinttype = {arxiv}}\n\
             @article{c, title = {C}, doi = {not a doi}, eprint = {hep-th/9901001},\n\
               archivePrefix = {other}}\n",
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let [a, b, c] = [&c.papers[0].0, &c.papers[1].0, &c.papers[2].0];
        assert_eq!(
            (a.doi.as_deref(), a.arxiv.as_deref()),
            (Some("10.1000/x"), Some("1706.03762"))
        );
        assert_eq!(
            (b.doi.as_deref(), b.arxiv.as_deref()),
            (Some("10.1000/y"), Some("1512.03385"))
        );
        assert_eq!((c.doi.as_deref(), c.arxiv.as_deref()), (None, None));
        assert_eq!(c.extra.get("doi").map(String::as_str), Some("not a doi"));
        assert_eq!(
            c.extra.get("eprint").map(String::as_str),
            Some("hep-th/9901001")
        );
        assert_eq!(c.extra.get("eprinttype").map(String::as_str), Some("other"));
    }

    #[test]
    fn parents_are_known_by_their_type_in_any_case() {
        // No child asks for `p` before it: it is kept because of its type.
        let c = read(
            "@Proceedings{p, title = {The Proceedings}, year = 1999}\n\
             @InProceedings{c, title = {C}, crossref = {p}}\n",
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        assert_eq!(c.papers[1].0.venue.as_deref(), Some("The Proceedings"));
        assert_eq!(c.papers[1].0.year, Some(1999));
    }

    #[test]
    fn crossref_parents_after_and_before_children() {
        let c = read(
            "@inproceedings{child1, title = {C1}, crossref = {proc}, pages = {1--2}}\n\
             @article{between, title = {B}, year = 2000}\n\
             @proceedings{proc, title = {The Proceedings}, year = 1999, publisher = {P}}\n\
             @inproceedings{child2, title = {C2}, crossref = {proc}}\n\
             @inproceedings{orphan, title = {O}, crossref = {missing}, year = 1}\n",
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let got: Vec<(&str, Option<&str>, Option<i32>)> = c
            .papers
            .iter()
            .map(|(p, _)| (p.id.as_str(), p.venue.as_deref(), p.year))
            .collect();
        assert_eq!(
            got,
            [
                ("between", None, Some(2000)),
                ("child1", Some("The Proceedings"), Some(1999)),
                ("proc", None, Some(1999)),
                ("child2", Some("The Proceedings"), Some(1999)),
                ("orphan", None, Some(1)),
            ]
        );
        assert_eq!(c.papers[1].1, Location::new("in.bib", 1, 1));
        assert_eq!(c.papers[1].0.publisher.as_deref(), Some("P"));
        assert!(!c.papers[1].0.extra.contains_key("crossref"));
        assert_eq!(
            c.papers[4].0.extra.get("crossref").map(String::as_str),
            Some("missing")
        );
    }

    #[test]
    fn biblatex_fields() {
        let c = read(
            "@thesis{t, author = {A, B}, title = {T}, type = {phdthesis}, institution = {MIT}, date = {2019-06-15}}\n\
             @online{o, title = {Web}, date = {2020-03/2020-04}, url = {https://x.org}, eprint = {2001.1}, eprinttype = {arxiv}}\n\
             @report{r, title = {R}, type = {Research Note}, institution = {I}, location = {Paris}, year = {19xx}}\n",
        );
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let t = &c.papers[0].0;
        assert_eq!(t.kind, PaperType::Phdthesis);
        assert_eq!(t.publisher.as_deref(), Some("MIT"));
        assert_eq!((t.year, t.month, t.day), (Some(2019), Some(6), Some(15)));
        assert!(t.extra.is_empty(), "{:?}", t.extra);
        let o = &c.papers[1].0;
        assert_eq!(o.kind, PaperType::Misc);
        assert_eq!((o.year, o.month), (Some(2020), Some(3)));
        assert_eq!(
            o.extra.get("date").map(String::as_str),
            Some("2020-03/2020-04")
        );
        assert_eq!(o.arxiv.as_deref(), Some("2001.1"));
        let r = &c.papers[2].0;
        assert_eq!(r.kind, PaperType::Techreport);
        assert_eq!(r.year, None);
        assert_eq!(r.extra.get("year").map(String::as_str), Some("19xx"));
        assert_eq!(
            r.extra.get("type").map(String::as_str),
            Some("Research Note")
        );
        assert_eq!(r.extra.get("address").map(String::as_str), Some("Paris"));
    }

    #[test]
    fn howpublished_url_and_misc() {
        let c = read(
            "@misc{w, title = {Page}, howpublished = {\\url{https://example.org/a_b\\%20~c}}, year = 2020}\n",
        );
        let p = &c.papers[0].0;
        assert_eq!(p.url.as_deref(), Some("https://example.org/a_b%20~c"));
        assert_eq!(p.venue, None);
        assert!(p.extra.is_empty(), "{:?}", p.extra);
    }

    #[test]
    fn months_and_dates() {
        assert_eq!(month_of("January"), Some(1));
        assert_eq!(month_of("sept."), Some(9));
        assert_eq!(month_of("12"), Some(12));
        assert_eq!(month_of("Mayday"), None);
        assert_eq!(date_of("2019-06-15"), Some((2019, Some(6), Some(15))));
        assert_eq!(date_of("2019/2020"), Some((2019, None, None)));
        assert_eq!(date_of("2019-13"), None);
        assert_eq!(date_of("circa 1900"), None);
    }

    #[test]
    fn page_dashes_become_hyphens() {
        assert_eq!(hyphenated(Cow::Borrowed("12-34")), "12-34");
        assert_eq!(hyphenated(Cow::Owned("12\u{2013}34".into())), "12-34");
        assert_eq!(
            hyphenated(Cow::Borrowed("1\u{2014}2, 5\u{2013}7é")),
            "1-2, 5-7é"
        );
        let c = read("@article{a, title = {T}, pages = {1--2, 4---5}}");
        assert_eq!(c.papers[0].0.pages.as_deref(), Some("1-2, 4-5"));
    }

    mod months {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

            /// `month_of` compares bytes, without a lower-cased copy of the
            /// text: it reads every text as the copy did.
            #[test]
            fn months_are_read_as_by_lower_casing(
                text in prop::collection::vec(prop::sample::select(&[
                    'j', 'A', 'n', 'U', 'a', 'r', 'y', 'M', 'e', 'p', 't', 'S', 'c', 'o', 'v', 'D', 'l',
                    'g', 'b', 'F', '.', ' ', '1', '0', '\u{212a}', '\u{130}', 'é',
                ][..]), 0..11).prop_map(|c| c.into_iter().collect::<String>())
            ) {
                fn by_lower_case(text: &str) -> Option<u8> {
                    let t = text.trim().trim_end_matches('.');
                    if let Ok(n) = t.parse::<u8>() {
                        return (1..=12).contains(&n).then_some(n);
                    }
                    let full = [
                        "january", "february", "march", "april", "may", "june", "july", "august",
                        "september", "october", "november", "december",
                    ];
                    let lower = t.to_lowercase();
                    let prefix: String = lower.chars().take(3).collect();
                    let index = full.iter().position(|n| n.get(..3) == Some(prefix.as_str()))?;
                    full[index].starts_with(lower.as_str()).then_some(index as u8 + 1)
                }
                for text in [text.as_str(), "Sept", "DECEMBER", "feb.", "jun", "Ju"] {
                    prop_assert_eq!(month_of(text), by_lower_case(text), "{:?}", text);
                }
            }
        }
    }

    mod fast_and_crate_agree {
        use super::*;
        use crate::{BibWriter, Variant};
        use paper_format::Writer;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec(
                prop_oneof![
                    any::<char>(),
                    prop::sample::select(
                        &[
                            '\\', '{', '}', '$', '&', '%', '#', '_', '~', '^', '-', ' ', 'é', 'Ł',
                            'ǐ', 'ễ', '’', '何', 'A', 'a', ',',
                        ][..]
                    ),
                ],
                1..20,
            )
            .prop_map(|c| c.into_iter().collect())
        }

        #[test]
        fn plain_pushing_knows_every_white_space() {
            for c in ('\0'..='\u{3100}').filter(|c| !matches!(c, '{' | '}' | '\\' | '$' | '~')) {
                let text = format!("a{c}b {c}");
                let mut by_word = Collapsing::new(0);
                by_word.push_plain(&text);
                let mut by_char = Collapsing::new(0);
                text.chars().for_each(|c| by_char.push(c));
                assert_eq!(by_word.text, by_char.text, "{c:?}");
            }
        }

        /// Names with the parts that matter to the crate's name rules:
        /// commas, spaces, cases, braced characters and math.
        fn name_chars() -> impl Strategy<Value = Vec<(char, u8)>> {
            let c = prop::sample::select(
                &[
                    ',', ' ', ' ', 'A', 'b', 'Z', 'é', 'Ł', '何', 'v', '-', '.', '=', '{', '\t',
                    '\u{a0}',
                ][..],
            );
            prop::collection::vec((c, prop::sample::select(&[0u8, 0, 0, 0, 1, 2][..])), 0..14)
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn the_simple_name_reader_agrees_with_the_crate(name in name_chars()) {
                let plain = |s: &str| s.chars().map(|c| (c, 0)).collect::<Vec<_>>();
                for common in [
                    "Vaswani, Ashish", "Le Cun, Yann", "何, 恺明", "García Márquez,  Gabriel José",
                    "de la Fontaine, Jean", "van Gogh, Vincent", "Aa bb Cc, X", "von der, Y",
                ] {
                    let simple = single_comma_name(&plain(common));
                    prop_assert!(simple.is_some(), "{}", common);
                    prop_assert_eq!(simple, person_by_crate(&plain(common)));
                }
                // A family name in one pair of braces, as `{García Márquez}, Zoë`.
                let braced = |family: &str, given: &str| {
                    let mut chars: Vec<(char, u8)> = family.chars().map(|c| (c, 1)).collect();
                    chars.extend(given.chars().map(|c| (c, 0)));
                    chars
                };
                for (family, given) in [("García Márquez", ", Zoë"), ("van Gogh", ",Vincent"), ("A", ", B")] {
                    let chars = braced(family, given);
                    let simple = single_comma_name(&chars);
                    prop_assert!(simple.is_some(), "{}", family);
                    prop_assert_eq!(simple, person_by_crate(&chars));
                }
                if let Some(simple) = single_comma_name(&name) {
                    prop_assert_eq!(Some(simple), person_by_crate(&name), "{:?}", name);
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn plain_text_is_pushed_as_decoding_would(
                pieces in prop::collection::vec(text(), 1..4),
                spaces in prop::collection::vec(prop::sample::select(&[" ", "\t\n ", "\u{a0}", "\u{b}", ""][..]), 4),
            ) {
                let mut by_word = Collapsing::new(0);
                let mut by_char = Collapsing::new(0);
                for (piece, space) in pieces.iter().zip(&spaces) {
                    let value = format!("{space}{piece}{space}");
                    if fast::is_plain(&value) {
                        by_word.push_plain(&value);
                        let mut decoded = Vec::new();
                        let read = fast::decode(&value, false, &mut |c, braced| {
                            by_char.push(c);
                            decoded.push((c, u8::from(braced)));
                        });
                        prop_assert!(read.is_some());
                        prop_assert_eq!(fast::plain_chars(&value).collect::<Vec<_>>(), decoded);
                    }
                }
                prop_assert_eq!(by_word.text, by_char.text);
            }

            /// Whatever the writer writes, the fast path reads exactly as
            /// the crate's own parser does.
            #[test]
            fn on_writer_output(
                title in text(), family in text(), given in text(), org in text(),
                venue in text(), note in text(), url in "[!-~]{1,12}", unicode in any::<bool>(),
                biblatex in any::<bool>(),
            ) {
                let mut p = Paper::new(title, 2000);
                p.kind = PaperType::Article;
                p.id = "k".into();
                p.authors = vec![
                    Author::person(family.replace('=', "+"), given.replace('=', "+")),
                    Author::organization(org),
                ];
                p.venue = Some(venue);
                p.url = Some(format!("https://x.org/{}", url.replace(['{', '}', '\\'], "")));
                p.note.set("en", note);
                let variant = if biblatex { Variant::Biblatex } else { Variant::Bibtex };
                let mut writer = BibWriter::new(variant).unicode(unicode).on_warning(Box::new(|_: &str| {}));
                let mut out = Vec::new();
                writer.write_paper(&mut out, &p).unwrap();
                let text = String::from_utf8(out).unwrap();
                let fast = read(&text);
                prop_assert!(fast.errors.is_empty(), "{:?}", fast.errors);
                // ... and takes all of it: the writer writes nothing the fast path leaves to the crate.
                let source = Source::new("x");
                let strings = Strings::new();
                let state = Parser { source: &source, strings: &strings };
                let raw = RawBibliography::parse(&text).unwrap();
                let [entry] = raw.entries.as_slice() else {
                    return Err(TestCaseError::fail(format!("not one entry:\n{text}")));
                };
                prop_assert!(state.fast_paper(&RawFields::from_crate(&entry.v)).is_some(), "{}", text);
                prop_assert!(RawFields::parse(&text).is_some(), "{}", text);
                // The crate's path, with the cleaning the reader does first.
                let place = Place { line: 1, column: 1 };
                let slow = match cleaned(&text, &raw) {
                    None => state.parse_raw(&text, raw, place),
                    Some(clean) => {
                        let raw = RawBibliography::parse(&clean).unwrap();
                        state.parse_raw(&clean, raw, place)
                    }
                };
                let Ok(Parsed::Paper(slow)) = slow else {
                    return Err(TestCaseError::fail(format!("the crate did not read it:\n{text}")));
                };
                prop_assert_eq!(&fast.papers[0].0, &*slow, "{}", text);
            }
        }
    }

    #[test]
    fn invalid_utf8_is_a_record_error() {
        let mut sink = Collect::default();
        let mut bytes: &[u8] = b"@article{a, title = {caf\xe9}}\n@article{b, title = {ok}}\n";
        BibReader
            .read(&mut bytes, &Source::new("in.bib"), &mut sink)
            .unwrap();
        assert_eq!(sink.papers.len(), 1);
        assert_eq!(
            sink.errors,
            ["in.bib:1:25: this entry is not valid UTF-8 (convert the file to UTF-8)"]
        );
    }
}
