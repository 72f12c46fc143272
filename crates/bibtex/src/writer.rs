//! The `bibtex` and `biblatex` writers.

use std::fmt::{self, Write as _};
use std::io::Write;

use paper_format::citation_key::{KeyGen, base_key, to_ascii};
use paper_format::{Error, Render, WriteOptions, Writer};
use paper_model::{Author, Paper, PaperType, Person};

use crate::latex::{Charset, any_byte, push_text, push_title};

/// Which dialect to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Classic BibTeX: `journal`, `year` + `month = jan`, LaTeX macros for
    /// non-ASCII text (unless [`BibWriter::unicode`]).
    Bibtex,
    /// BibLaTeX for biber: `journaltitle`, `date`, `eprinttype`, UTF-8.
    Biblatex,
}

/// How much of a title to brace-protect against case changes by styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtectCase {
    /// Leave titles as they are.
    None,
    /// Brace words with inner capitals or single capitals: `{BERT}`,
    /// `{ImageNet}`, `{C}++`.
    Words,
}

/// Receives the writer's warnings (key collisions), one line each.
pub type WarningSink = Box<dyn FnMut(&str)>;

/// Writes papers as BibTeX or BibLaTeX entries, one at a time.
///
/// Each entry's fields are built in a buffer; the writer keeps only that
/// buffer and the [`KeyGen`] (the keys given so far) between papers.
/// Everything in an entry but its key depends on the paper alone: that is
/// what the writer's [`Render`] makes, on any thread.
pub struct BibWriter {
    style: Style,
    keys: KeyGen,
    count: u64,
    buf: String,
    warn: WarningSink,
}

/// How entries are written: everything that shapes an entry except its key.
#[derive(Clone, Debug)]
struct Style {
    variant: Variant,
    charset: Charset,
    protect: ProtectCase,
    notes: bool,
    lang: String,
}

impl fmt::Debug for BibWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BibWriter")
            .field("variant", &self.style.variant)
            .field("charset", &self.style.charset)
            .field("protect", &self.style.protect)
            .field("notes", &self.style.notes)
            .field("lang", &self.style.lang)
            .finish_non_exhaustive()
    }
}

impl BibWriter {
    /// A writer of `variant` with the defaults: LaTeX macros for non-ASCII
    /// (BibTeX only), `words` case protection, English notes, warnings on
    /// standard error.
    pub fn new(variant: Variant) -> Self {
        BibWriter {
            style: Style {
                variant,
                charset: match variant {
                    Variant::Bibtex => Charset::Ascii,
                    Variant::Biblatex => Charset::Unicode,
                },
                protect: ProtectCase::Words,
                notes: true,
                lang: "en".to_owned(),
            },
            keys: KeyGen::new(),
            count: 0,
            buf: String::with_capacity(4096),
            warn: Box::new(stderr_warning),
        }
    }

    /// A writer configured from [`WriteOptions`]: `lang`, and the settings
    /// `unicode`, `protect-case`, `no-notes` and `quiet` (see the crate
    /// documentation).
    pub fn from_options(variant: Variant, options: &WriteOptions) -> Self {
        let mut writer = BibWriter::new(variant)
            .unicode(options.flag("unicode"))
            .notes(!options.flag("no-notes"))
            .lang(&options.lang);
        if options.setting("protect-case") == Some("none") {
            writer = writer.protect_case(ProtectCase::None);
        }
        if options.flag("quiet") {
            writer = writer.on_warning(Box::new(|_: &str| {}));
        }
        writer
    }

    /// Keep non-ASCII text as UTF-8 in BibTeX output (BibLaTeX is always UTF-8).
    pub fn unicode(mut self, yes: bool) -> Self {
        if self.style.variant == Variant::Bibtex {
            self.style.charset = if yes {
                Charset::Unicode
            } else {
                Charset::Ascii
            };
        }
        self
    }

    /// How titles are protected against case changes.
    pub fn protect_case(mut self, protect: ProtectCase) -> Self {
        self.style.protect = protect;
        self
    }

    /// Write notes (`annote` / `annotation`) or leave them out.
    pub fn notes(mut self, yes: bool) -> Self {
        self.style.notes = yes;
        self
    }

    /// The language of the note; falls back to English, then any language.
    pub fn lang(mut self, lang: &str) -> Self {
        lang.clone_into(&mut self.style.lang);
        self
    }

    /// Where warnings go instead of standard error.
    pub fn on_warning(mut self, sink: WarningSink) -> Self {
        self.warn = sink;
        self
    }

    /// The citation key of the next paper, from the shared [`KeyGen`]:
    /// its `id`, else `familyYYYYword` with a suffix when an earlier paper
    /// has it (reported). An `id` with characters a BibTeX key cannot hold
    /// is folded to ASCII and stripped of them first (reported too).
    fn key(&mut self, paper: &Paper) -> String {
        let key = if paper.id.chars().all(is_key_char) {
            self.keys.key(paper)
        } else {
            let mut safe = paper.clone();
            safe.id = to_ascii(&paper.id);
            safe.id.retain(is_key_char);
            let key = self.keys.key(&safe);
            let message = format!(
                "{}: paper #{}: id `{}` has characters a BibTeX key cannot hold; writing `{key}`",
                self.style.format_name(),
                self.count,
                paper.id
            );
            (self.warn)(&message);
            return key;
        };
        if paper.id.is_empty() {
            let wanted = base_key(paper);
            if key != wanted {
                let message = format!(
                    "{}: paper #{} ({:?}): citation key `{wanted}` is already taken by an earlier paper; writing `{key}`",
                    self.style.format_name(),
                    self.count,
                    short(&paper.title),
                );
                (self.warn)(&message);
            }
        }
        key
    }

    /// Writes the `@type{key` that starts an entry.
    fn push_head(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        self.count += 1;
        let key = self.key(paper);
        let (kind, _) = self.style.entry_kind(paper);
        let head = [b"@", kind.name.as_bytes(), b"{", key.as_bytes()].concat();
        out.write_all(&head)?;
        Ok(())
    }
}

impl Style {
    /// The entry type of `paper`, and whether it is a web-only item.
    fn entry_kind(&self, paper: &Paper) -> (EntryKind, bool) {
        let web_only = paper.kind == PaperType::Misc
            && is_empty(&paper.venue)
            && is_empty(&paper.doi)
            && !is_empty(&paper.url);
        (entry_type(self.variant, paper, web_only), web_only)
    }

    fn format_name(&self) -> &'static str {
        match self.variant {
            Variant::Bibtex => "bibtex",
            Variant::Biblatex => "biblatex",
        }
    }

    /// Appends the entry of `paper` after its key: the fields and the
    /// closing brace.
    fn push_fields(&self, paper: &Paper, buf: &mut String) {
        Fields {
            style: self,
            buf,
            written: Vec::with_capacity(24),
            written_extra: Vec::new(),
        }
        .push_all(paper);
    }
}

/// Renders entries without their key, on any thread.
struct EntryFields(Style);

impl Render for EntryFields {
    fn render(&self, paper: &Paper) -> Result<Vec<u8>, Error> {
        let mut fields = String::with_capacity(2048);
        self.0.push_fields(paper, &mut fields);
        Ok(fields.into_bytes())
    }
}

/// The fields of one entry as they are written.
struct Fields<'a> {
    style: &'a Style,
    buf: &'a mut String,
    /// Fields written so far, so that `extra` repeats none.
    written: Vec<&'static str>,
    written_extra: Vec<String>,
}

impl Fields<'_> {
    fn push_all(mut self, paper: &Paper) {
        let bibtex = self.style.variant == Variant::Bibtex;
        let (kind, web_only) = self.style.entry_kind(paper);
        if !paper.authors.is_empty() || paper.authors_truncated {
            self.open("author");
            self.push_authors(&paper.authors, paper.authors_truncated);
            self.close();
        }
        self.open("title");
        push_title(
            self.buf,
            &paper.title,
            self.style.charset,
            self.style.protect == ProtectCase::Words,
        );
        self.close();
        if let Some(type_field) = kind.type_field {
            self.text("type", type_field);
        }
        if let Some(venue) = nonempty(&paper.venue) {
            let field = match kind.venue {
                VenueField::Journal if bibtex => Some("journal"),
                VenueField::Journal => Some("journaltitle"),
                VenueField::Booktitle => Some("booktitle"),
                VenueField::Series => Some("series"),
                VenueField::Other if bibtex => Some("howpublished"),
                VenueField::Other => kind.biblatex_venue,
            };
            if let Some(field) = field {
                self.text(field, venue);
            }
        } else if web_only
            && bibtex
            && let Some(url) = nonempty(&paper.url).filter(|u| !u.contains('$'))
        {
            self.open("howpublished");
            self.buf.push_str("\\url{");
            push_verbatim(self.buf, url, true);
            self.buf.push('}');
            self.close();
        }
        if let Some(publisher) = nonempty(&paper.publisher) {
            let field = match kind.publisher {
                PublisherField::Publisher => Some("publisher"),
                PublisherField::School if bibtex => Some("school"),
                PublisherField::School | PublisherField::Institution => Some("institution"),
                PublisherField::Organization if bibtex => Some("publisher"),
                PublisherField::Organization => Some("organization"),
                PublisherField::None if bibtex => Some("publisher"),
                PublisherField::None => None,
            };
            if let Some(field) = field {
                self.text(field, publisher);
            }
        }
        self.date(paper);
        let numbered = bibtex || kind.numbered;
        if numbered {
            if let Some(volume) = nonempty(&paper.volume) {
                self.text("volume", volume);
            }
            if let Some(number) = nonempty(&paper.number) {
                self.text("number", number);
            }
        } else if kind.number_only
            && let Some(number) = nonempty(&paper.number)
        {
            self.text("number", number);
        }
        if let Some(pages) = nonempty(&paper.pages)
            && (bibtex || kind.paged)
        {
            self.open("pages");
            push_pages(self.buf, pages, self.style.charset);
            self.close();
        }
        if let Some(doi) = nonempty(&paper.doi) {
            self.verbatim("doi", doi);
        }
        if let Some(url) = nonempty(&paper.url) {
            self.verbatim("url", url);
        }
        if let Some(arxiv) = nonempty(&paper.arxiv) {
            self.verbatim("eprint", arxiv);
            let class = paper.extra.get("primaryclass").filter(|c| !c.is_empty());
            if bibtex {
                self.text("archivePrefix", "arXiv");
                if let Some(class) = class {
                    self.text("primaryClass", class);
                }
            } else {
                self.text("eprinttype", "arxiv");
                if let Some(class) = class {
                    self.text("eprintclass", class);
                }
            }
        }
        if let Some(isbn) = nonempty(&paper.isbn)
            && (bibtex || kind.isbn)
        {
            self.text("isbn", isbn);
        }
        if !paper.tags.is_empty() {
            self.open("keywords");
            for (i, tag) in paper.tags.iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                push_text(self.buf, tag, self.style.charset);
            }
            self.close();
        }
        if self.style.notes
            && let Some(note) = paper.note.get(&self.style.lang)
        {
            let field = if bibtex { "annote" } else { "annotation" };
            self.text(field, note);
        }
        for (name, value) in &paper.extra {
            if value.is_empty() || !is_field_name(name) {
                continue;
            }
            let name = output_name(self.style.variant, name);
            if self.written.iter().any(|w| w.eq_ignore_ascii_case(&name))
                || self
                    .written_extra
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            self.buf.push_str(",\n  ");
            self.buf.push_str(&name);
            self.buf.push_str(" = {");
            if is_verbatim_field(&name) {
                push_verbatim(self.buf, value, self.style.variant == Variant::Bibtex);
            } else {
                push_text(self.buf, value, self.style.charset);
            }
            self.buf.push('}');
            self.written_extra.push(name);
        }
        self.buf.push_str("\n}\n\n");
    }

    fn open(&mut self, name: &'static str) {
        self.buf.push_str(",\n  ");
        self.buf.push_str(name);
        self.buf.push_str(" = {");
        self.written.push(name);
    }

    fn close(&mut self) {
        self.buf.push('}');
    }

    fn text(&mut self, name: &'static str, value: &str) {
        self.open(name);
        push_text(self.buf, value, self.style.charset);
        self.close();
    }

    fn verbatim(&mut self, name: &'static str, value: &str) {
        self.open(name);
        push_verbatim(self.buf, value, self.style.variant == Variant::Bibtex);
        self.close();
    }

    fn date(&mut self, paper: &Paper) {
        let month = paper.month.filter(|m| (1..=12).contains(m));
        let day = paper
            .day
            .filter(|d| (1..=31).contains(d) && month.is_some());
        match self.style.variant {
            Variant::Bibtex => {
                if let Some(year) = paper.year {
                    self.open("year");
                    let _ = write!(self.buf, "{year}");
                    self.close();
                }
                if let Some(m) = month {
                    self.buf.push_str(",\n  month = ");
                    self.buf.push_str(MONTHS[usize::from(m) - 1]);
                    self.written.push("month");
                }
                if let Some(d) = day {
                    self.open("day");
                    let _ = write!(self.buf, "{d}");
                    self.close();
                }
            }
            Variant::Biblatex => match paper.year {
                Some(year) => {
                    self.open("date");
                    if year < 0 {
                        self.buf.push('-');
                    }
                    let _ = write!(self.buf, "{:04}", year.unsigned_abs());
                    if let Some(m) = month {
                        let _ = write!(self.buf, "-{m:02}");
                        if let Some(d) = day {
                            let _ = write!(self.buf, "-{d:02}");
                        }
                    }
                    self.close();
                }
                None => {
                    if let Some(m) = month {
                        self.open("month");
                        let _ = write!(self.buf, "{m}");
                        self.close();
                    }
                }
            },
        }
    }

    fn push_authors(&mut self, authors: &[Author], truncated: bool) {
        for (i, author) in authors.iter().enumerate() {
            if i > 0 {
                self.buf.push_str(" and ");
            }
            match author {
                Author::Organization(org) => {
                    self.buf.push('{');
                    push_text(self.buf, &org.literal, self.style.charset);
                    self.buf.push('}');
                }
                Author::Person(person) => push_person(self.buf, person, self.style.charset),
            }
        }
        if truncated {
            if authors.is_empty() {
                self.buf.push_str("others");
            } else {
                self.buf.push_str(" and others");
            }
        }
    }
}

/// Characters kept in a citation key taken from an `id`.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '/' | '+')
}

fn stderr_warning(message: &str) {
    let _ = writeln!(std::io::stderr(), "paper-export: warning: {message}");
}

fn short(title: &str) -> String {
    let mut s: String = title.chars().take(60).collect();
    if s.len() < title.len() {
        s.push('…');
    }
    s
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The field that holds the venue.
#[derive(Clone, Copy)]
enum VenueField {
    Journal,
    Booktitle,
    Series,
    /// `howpublished` in BibTeX; the type's own choice in BibLaTeX.
    Other,
}

/// The field that holds the publisher.
#[derive(Clone, Copy)]
enum PublisherField {
    Publisher,
    School,
    Institution,
    Organization,
    /// BibLaTeX has no place for it (an article).
    None,
}

/// One row of the entry type table.
struct EntryKind {
    name: &'static str,
    type_field: Option<&'static str>,
    venue: VenueField,
    biblatex_venue: Option<&'static str>,
    publisher: PublisherField,
    /// BibLaTeX allows `volume` and `number`.
    numbered: bool,
    /// BibLaTeX allows `number` only.
    number_only: bool,
    /// BibLaTeX allows `pages`.
    paged: bool,
    /// BibLaTeX allows `isbn`.
    isbn: bool,
}

const fn kind(name: &'static str, venue: VenueField, publisher: PublisherField) -> EntryKind {
    EntryKind {
        name,
        type_field: None,
        venue,
        biblatex_venue: None,
        publisher,
        numbered: true,
        number_only: false,
        paged: true,
        isbn: true,
    }
}

/// The entry type table (documented in the crate docs).
fn entry_type(variant: Variant, paper: &Paper, web_only: bool) -> EntryKind {
    use PublisherField as P;
    use VenueField as V;
    let bibtex = variant == Variant::Bibtex;
    match paper.kind {
        PaperType::Article => EntryKind {
            publisher: if bibtex { P::Publisher } else { P::None },
            isbn: false,
            ..kind("article", V::Journal, P::Publisher)
        },
        PaperType::Inproceedings => kind("inproceedings", V::Booktitle, P::Publisher),
        PaperType::Incollection => {
            let name = if bibtex || paper.extra.contains_key("editor") {
                "incollection"
            } else {
                "inbook"
            };
            kind(name, V::Booktitle, P::Publisher)
        }
        PaperType::Book => kind("book", V::Series, P::Publisher),
        PaperType::Phdthesis if bibtex => kind("phdthesis", V::Other, P::School),
        PaperType::Phdthesis => EntryKind {
            type_field: Some("phdthesis"),
            biblatex_venue: Some("note"),
            numbered: false,
            isbn: false,
            ..kind("thesis", V::Other, P::Institution)
        },
        PaperType::Techreport if bibtex => kind("techreport", V::Other, P::Institution),
        PaperType::Techreport => EntryKind {
            type_field: Some("techreport"),
            biblatex_venue: Some("note"),
            numbered: false,
            number_only: true,
            isbn: false,
            ..kind("report", V::Other, P::Institution)
        },
        PaperType::Preprint if bibtex => EntryKind {
            type_field: Some("preprint"),
            ..kind("misc", V::Other, P::Publisher)
        },
        PaperType::Misc if bibtex => kind("misc", V::Other, P::Publisher),
        PaperType::Misc if web_only => EntryKind {
            numbered: false,
            paged: false,
            isbn: false,
            ..kind("online", V::Other, P::Organization)
        },
        PaperType::Preprint | PaperType::Misc => EntryKind {
            type_field: (paper.kind == PaperType::Preprint).then_some("preprint"),
            biblatex_venue: Some("howpublished"),
            numbered: false,
            paged: false,
            isbn: false,
            ..kind("misc", V::Other, P::Organization)
        },
    }
}

/// A person as `von Last, Jr, First`.
///
/// A family name of several words, or one starting in lowercase, is
/// braced so that BibTeX keeps it whole; a particle that does not start in
/// lowercase cannot be told apart by BibTeX and is written as part of the
/// family name.
fn push_person(out: &mut String, person: &Person, charset: Charset) {
    let particle = person
        .particle
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let family = person.family.trim();
    let lowercase_particle = particle.is_some_and(|p| {
        p.split_whitespace()
            .all(|w| w.chars().next().is_some_and(char::is_lowercase))
    });
    let joined;
    let family = match particle {
        Some(p) if !lowercase_particle => {
            joined = format!("{p} {family}");
            joined.as_str()
        }
        _ => family,
    };
    if let Some(p) = particle.filter(|_| lowercase_particle) {
        push_text(out, p, charset);
        out.push(' ');
    }
    let given = person
        .given
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty());
    let suffix = person
        .suffix
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if family.is_empty() {
        // Only a given name: write it as the one name BibTeX has.
        push_name_part(out, given.unwrap_or(""), charset, true);
        return;
    }
    let brace_family = family.contains(char::is_whitespace)
        || family.contains(',')
        || family.chars().next().is_some_and(char::is_lowercase);
    push_name_part(out, family, charset, brace_family);
    if let Some(suffix) = suffix {
        out.push_str(", ");
        push_name_part(out, suffix, charset, needs_brace(suffix));
    }
    if let Some(given) = given {
        out.push_str(", ");
        push_name_part(out, given, charset, needs_brace(given));
    } else if suffix.is_some() {
        out.push_str(", ");
    }
}

/// True when a name part holds a comma or a lone `and`, which would split it.
fn needs_brace(part: &str) -> bool {
    let has_and = || {
        part.as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"and"))
    };
    part.contains(',')
        || (has_and()
            && part
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("and")))
}

fn push_name_part(out: &mut String, text: &str, charset: Charset, brace: bool) {
    if brace {
        out.push('{');
        push_text(out, text, charset);
        out.push('}');
    } else {
        push_text(out, text, charset);
    }
}

/// Pages with `--` between the ends of each range.
fn push_pages(out: &mut String, pages: &str, charset: Charset) {
    let mut rest = pages;
    while !rest.is_empty() {
        let dash = rest.find(['-', '\u{2013}', '\u{2014}']);
        let Some(start) = dash else {
            push_text(out, rest, charset);
            break;
        };
        push_text(out, &rest[..start], charset);
        let after = rest[start..].trim_start_matches(['-', '\u{2013}', '\u{2014}']);
        out.push_str("--");
        rest = after;
    }
}

/// A DOI or URL as written: no backslashes; braces, backslashes, spaces and
/// control characters percent-encoded; `%` escaped for classic BibTeX.
fn push_verbatim(out: &mut String, value: &str, escape_percent: bool) {
    let value = value.trim();
    // Most DOIs and URLs need nothing: printable ASCII without `{ } \ %`.
    let needs_care = any_byte(value.as_bytes(), |b| {
        (b <= b' ') | (b >= 0x7F) | (b == b'{') | (b == b'}') | (b == b'\\') | (b == b'%')
    });
    if !needs_care {
        out.push_str(value);
    } else {
        push_verbatim_chars(out, value, escape_percent);
    }
}

/// [`push_verbatim`] one character at a time, for any text.
fn push_verbatim_chars(out: &mut String, value: &str, escape_percent: bool) {
    for c in value.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            '%' if escape_percent => out.push_str("\\%"),
            c if c.is_whitespace() || c.is_control() => {
                let mut bytes = [0u8; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
}

fn is_blank(value: &str) -> bool {
    value.chars().all(char::is_whitespace)
}

fn is_empty(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(is_blank)
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !is_blank(v))
}

/// A name that is safe as a BibTeX field name.
fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The field name an `extra` key is written under.
fn output_name(variant: Variant, name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let renamed = match (variant, lower.as_str()) {
        (Variant::Bibtex, "location") => "address",
        (Variant::Biblatex, "address") => "location",
        (Variant::Bibtex, "primaryclass" | "eprintclass") => "primaryClass",
        (Variant::Biblatex, "primaryclass") => "eprintclass",
        _ => return lower,
    };
    renamed.to_owned()
}

fn is_verbatim_field(name: &str) -> bool {
    matches!(
        name,
        "file" | "pdf" | "uri" | "urlraw" | "verba" | "verbb" | "verbc" | "eprint"
    )
}

impl Writer for BibWriter {
    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        let mut fields = std::mem::take(&mut self.buf);
        fields.clear();
        self.style.push_fields(paper, &mut fields);
        let written = self.write_rendered(out, paper, fields.as_bytes());
        self.buf = fields;
        written
    }

    fn renderer(&self) -> Option<Box<dyn Render>> {
        Some(Box::new(EntryFields(self.style.clone())))
    }

    fn write_rendered(
        &mut self,
        out: &mut dyn Write,
        paper: &Paper,
        fields: &[u8],
    ) -> Result<(), Error> {
        self.push_head(out, paper)?;
        out.write_all(fields)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::Organization;

    fn write(variant: Variant, papers: &[Paper]) -> String {
        let warnings = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
        let sink = warnings.clone();
        let mut writer = BibWriter::new(variant).on_warning(Box::new(move |m: &str| {
            sink.borrow_mut().push(m.to_owned())
        }));
        let mut out = Vec::new();
        for p in papers {
            writer.write_paper(&mut out, p).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn verbatim_text_takes_a_short_cut_only_when_nothing_changes() {
        let chars = ('\0'..='\u{3100}').chain(['\u{FEFF}', '\u{1F600}']);
        for c in chars {
            for percent in [true, false] {
                let value = format!("https://x.org/a{c}b");
                let (mut fast, mut slow) = (String::new(), String::new());
                push_verbatim(&mut fast, &value, percent);
                push_verbatim_chars(&mut slow, value.trim(), percent);
                assert_eq!(fast, slow, "{c:?}");
            }
        }
        for part in [
            "Anderson",
            "Sand",
            "and",
            "Rand Corp",
            "van der Berg",
            "A, B",
        ] {
            let by_words = part.contains(',')
                || part
                    .split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("and"));
            assert_eq!(needs_brace(part), by_words, "{part}");
        }
    }

    fn lstm() -> Paper {
        let mut p = Paper::new("Long Short-Term Memory", 1997);
        p.id = "hochreiter1997long".into();
        p.kind = PaperType::Article;
        p.authors = vec![
            Author::person("Hochreiter", "Sepp"),
            Author::person("Schmidhuber", "Jürgen"),
        ];
        p.venue = Some("Neural Computation".into());
        p.volume = Some("9".into());
        p.number = Some("8".into());
        p.pages = Some("1735-1780".into());
        p.month = Some(11);
        p.day = Some(15);
        p.doi = Some("10.1162/neco.1997.9.8.1735".into());
        p.tags = vec!["memory".into(), "rnn".into()];
        p.note.set("en", "Gates & 50% more");
        p.note.set("zh", "门");
        p
    }

    #[test]
    fn bibtex_article() {
        assert_eq!(
            write(Variant::Bibtex, &[lstm()]),
            "@article{hochreiter1997long,\n  author = {Hochreiter, Sepp and Schmidhuber, J{\\\"u}rgen},\n  \
             title = {Long Short-Term Memory},\n  journal = {Neural Computation},\n  year = {1997},\n  \
             month = nov,\n  day = {15},\n  volume = {9},\n  number = {8},\n  pages = {1735--1780},\n  \
             doi = {10.1162/neco.1997.9.8.1735},\n  keywords = {memory, rnn},\n  \
             annote = {Gates \\& 50\\% more}\n}\n\n"
        );
    }

    #[test]
    fn biblatex_article() {
        assert_eq!(
            write(Variant::Biblatex, &[lstm()]),
            "@article{hochreiter1997long,\n  author = {Hochreiter, Sepp and Schmidhuber, Jürgen},\n  \
             title = {Long Short-Term Memory},\n  journaltitle = {Neural Computation},\n  \
             date = {1997-11-15},\n  volume = {9},\n  number = {8},\n  pages = {1735--1780},\n  \
             doi = {10.1162/neco.1997.9.8.1735},\n  keywords = {memory, rnn},\n  \
             annotation = {Gates \\& 50\\% more}\n}\n\n"
        );
    }

    #[test]
    fn options_change_the_output() {
        let mut p = lstm();
        p.title = "BERT and Jürgen".into();
        let options = WriteOptions::default()
            .with("unicode", "true")
            .with("no-notes", "true")
            .with("protect-case", "none");
        let mut options = options;
        options.lang = "zh".into();
        let mut writer = BibWriter::from_options(Variant::Bibtex, &options);
        let mut out = Vec::new();
        writer.write_paper(&mut out, &p).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("title = {BERT and Jürgen}"), "{text}");
        assert!(text.contains("Schmidhuber, Jürgen"), "{text}");
        assert!(!text.contains("annote"), "{text}");
        let mut writer = BibWriter::new(Variant::Bibtex).lang("zh");
        let mut out = Vec::new();
        writer.write_paper(&mut out, &p).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("title = {{BERT} and J{\\\"u}rgen}"), "{text}");
        assert!(text.contains("annote = {门}"), "{text}");
    }

    #[test]
    fn names() {
        let mut p = Paper::new("T", 2019);
        p.authors = vec![
            Author::organization("AT&T Labs"),
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
            Author::person("Le Cun", "Yann"),
            Author::Person(Person {
                family: "Gaulle".into(),
                given: Some("Charles".into()),
                particle: Some("De".into()),
                suffix: None,
            }),
            Author::Organization(Organization {
                literal: "Smith and Sons".into(),
            }),
        ];
        p.authors_truncated = true;
        let text = write(Variant::Bibtex, &[p]);
        assert!(
            text.contains(
                "author = {{AT\\&T Labs} and van den Driessche, George and King, Jr., Martin Luther \
                 and {Le Cun}, Yann and {De Gaulle}, Charles and {Smith and Sons} and others}"
            ),
            "{text}"
        );
    }

    #[test]
    fn entry_types_follow_the_table() {
        let types = |variant| -> Vec<String> {
            PaperType::ALL
                .iter()
                .map(|&kind| {
                    let mut p = Paper::new("T", 2000);
                    p.kind = kind;
                    p.url = Some("https://example.org/".into());
                    let text = write(variant, &[p]);
                    text[1..text.find('{').unwrap()].to_owned()
                })
                .collect()
        };
        assert_eq!(
            types(Variant::Bibtex),
            [
                "article",
                "inproceedings",
                "incollection",
                "book",
                "phdthesis",
                "techreport",
                "misc",
                "misc"
            ]
        );
        assert_eq!(
            types(Variant::Biblatex),
            [
                "article",
                "inproceedings",
                "inbook",
                "book",
                "thesis",
                "report",
                "misc",
                "online"
            ]
        );
    }

    #[test]
    fn web_only_items_and_links() {
        let mut p = Paper::new("A page", 2020);
        p.url = Some("https://example.org/100%25_done?q=a b#x~{y}".into());
        let text = write(Variant::Bibtex, std::slice::from_ref(&p));
        assert!(
            text.contains(
                "howpublished = {\\url{https://example.org/100\\%25_done?q=a%20b#x~%7By%7D}}"
            ),
            "{text}"
        );
        assert!(
            text.contains("url = {https://example.org/100\\%25_done?q=a%20b#x~%7By%7D}"),
            "{text}"
        );
        let text = write(Variant::Biblatex, &[p]);
        assert!(text.starts_with("@online{"), "{text}");
        assert!(
            text.contains("url = {https://example.org/100%25_done?q=a%20b#x~%7By%7D}"),
            "{text}"
        );
    }

    #[test]
    fn arxiv_and_extra_fields() {
        let mut p = Paper::new("Attention Is All You Need", 2017);
        p.kind = PaperType::Preprint;
        p.arxiv = Some("1706.03762".into());
        p.extra.insert("primaryclass".into(), "cs.CL".into());
        p.extra.insert("address".into(), "Long Beach".into());
        p.extra.insert("bad name".into(), "x".into());
        p.extra.insert("title".into(), "duplicate".into());
        let text = write(Variant::Bibtex, std::slice::from_ref(&p));
        assert!(
            text.contains(
                "eprint = {1706.03762},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL},\n  \
                 address = {Long Beach}\n}"
            ),
            "{text}"
        );
        assert!(
            !text.contains("duplicate") && !text.contains("bad"),
            "{text}"
        );
        let text = write(Variant::Biblatex, &[p]);
        assert!(
            text.contains(
                "eprint = {1706.03762},\n  eprinttype = {arxiv},\n  eprintclass = {cs.CL},\n  \
                 location = {Long Beach}\n}"
            ),
            "{text}"
        );
    }

    #[test]
    fn unsafe_ids_are_made_safe_and_reported() {
        let warnings = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
        let sink = warnings.clone();
        let mut writer = BibWriter::new(Variant::Bibtex).on_warning(Box::new(move |m: &str| {
            sink.borrow_mut().push(m.to_owned())
        }));
        let mut p = Paper::new("T", 2000);
        p.id = "müller,{2018}".into();
        let mut out = Vec::new();
        writer.write_paper(&mut out, &p).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("@misc{muller2018,\n")
        );
        assert_eq!(
            warnings.borrow().as_slice(),
            [
                "bibtex: paper #1: id `müller,{2018}` has characters a BibTeX key cannot hold; \
              writing `muller2018`"
            ]
        );
    }

    #[test]
    fn collisions_are_reported() {
        let warnings = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
        let sink = warnings.clone();
        let mut writer = BibWriter::new(Variant::Bibtex).on_warning(Box::new(move |m: &str| {
            sink.borrow_mut().push(m.to_owned())
        }));
        let mut a = Paper::new("Deep Learning of Colliding Keys", 2018);
        a.authors = vec![Author::person("Müller", "Anna")];
        let mut b = a.clone();
        b.title = "Deep Networks".into();
        let mut out = Vec::new();
        writer.write_paper(&mut out, &a).unwrap();
        writer.write_paper(&mut out, &b).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("@article{muller2018deep,") || text.contains("@misc{muller2018deep,")
        );
        assert!(text.contains("{muller2018deepa,"), "{text}");
        assert_eq!(
            warnings.borrow().as_slice(),
            [
                "bibtex: paper #2 (\"Deep Networks\"): citation key `muller2018deep` is already taken \
              by an earlier paper; writing `muller2018deepa`"
            ]
        );
    }
}
