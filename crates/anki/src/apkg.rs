//! The `.apkg` writer: a legacy Anki package (collection schema 11).
//!
//! Notes go into an SQLite database in a temporary directory as they
//! arrive; `finish` adds the indexes and the collection row, zips the
//! database with an empty media list, and copies the zip to the output.
//! Memory stays flat however many papers there are.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;

use paper_format::{Error, WriteOptions, Writer};
use paper_model::{CollectionHeader, Paper};
use rusqlite::{Connection, params};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::note::{Note, deck_for, deck_name, push_html};
use crate::notetype::{self, NOTETYPE_ID};
use crate::{DEFAULT_DECK, DEFAULT_TIMESTAMP, FORMAT_NAME, SETTING_DECK, SETTING_SUBDECK_BY};

/// The name of the collection inside the package (Anki's legacy name).
const COLLECTION_ENTRY: &str = "collection.anki2";

/// Tables of Anki's collection schema 11, as described by Anki's
/// documentation of the legacy `collection.anki2` file.
const SCHEMA: &str = "
CREATE TABLE col (
    id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
    scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL,
    usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
    models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
    tags text NOT NULL
);
CREATE TABLE notes (
    id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
    mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL,
    flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
    flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
    id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
    ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,
    type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
    ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
    lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
    odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
    id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
    ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
    factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL
);
CREATE TABLE graves (
    usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL
);
";

/// Indexes Anki expects, built once after the rows are in (faster than
/// keeping them up to date on every insert).
const INDEXES: &str = "
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

const INSERT_NOTE: &str = "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')";
const INSERT_CARD: &str =
    "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')";

/// How hard the database is compressed (zlib levels 1 to 9). Level 1 keeps
/// large decks fast; the collection is text and still shrinks about 3×.
const COMPRESSION_LEVEL: i64 = 1;

/// Writes an `.apkg` Anki package. See the crate docs for the settings.
pub struct ApkgWriter {
    lang: String,
    deck: Option<String>,
    subdeck_by: Option<String>,
    timestamp: i64,
    build: Option<Build>,
    note: Note,
    fields: String,
}

/// The database being built, and what `finish` needs to know about it.
struct Build {
    dir: tempfile::TempDir,
    conn: Connection,
    main_deck: String,
    main_deck_id: i64,
    by_decade: bool,
    description: String,
    decks: BTreeSet<String>,
    guids: HashSet<u64>,
    count: i64,
}

impl std::fmt::Debug for ApkgWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApkgWriter")
            .field("lang", &self.lang)
            .field("deck", &self.deck)
            .field("subdeck_by", &self.subdeck_by)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

fn db_error(e: rusqlite::Error) -> Error {
    Error::Io(io::Error::other(format!(
        "anki: building the collection: {e}"
    )))
}

fn zip_error(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::Io(io),
        other => Error::Io(io::Error::other(format!(
            "anki: zipping the package: {other}"
        ))),
    }
}

fn unsupported(what: String) -> Error {
    Error::Unsupported {
        format: FORMAT_NAME,
        what,
    }
}

/// Keeps a timestamp where note ids (milliseconds) and zip dates work:
/// from 1970-01-02 to the end of year 9999.
pub(crate) fn clamp_timestamp(t: i64) -> i64 {
    t.clamp(86_400, 253_402_300_799)
}

impl ApkgWriter {
    /// A writer from the shared options: `lang`, `timestamp`, and the
    /// settings `deck` and `subdeck-by`.
    pub fn from_options(options: &WriteOptions) -> Self {
        ApkgWriter {
            lang: options.lang.clone(),
            deck: options.setting(SETTING_DECK).map(str::to_owned),
            subdeck_by: options.setting(SETTING_SUBDECK_BY).map(str::to_owned),
            timestamp: clamp_timestamp(options.timestamp.unwrap_or(DEFAULT_TIMESTAMP)),
            build: None,
            note: Note::default(),
            fields: String::new(),
        }
    }

    fn start(&mut self, header: &CollectionHeader) -> Result<(), Error> {
        let (main_deck, by_decade) = resolve_deck(
            self.deck.as_deref(),
            self.subdeck_by.as_deref(),
            header,
            &self.lang,
        )?;
        let dir = tempfile::Builder::new()
            .prefix("paper-export-anki-")
            .tempdir()?;
        let conn = Connection::open(dir.path().join(COLLECTION_ENTRY)).map_err(db_error)?;
        // The file is scratch until finish: no journal, no syncs, one
        // transaction. A crash leaves only a temporary directory.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA cache_size = -32768;",
        )
        .map_err(db_error)?;
        conn.execute_batch(SCHEMA).map_err(db_error)?;
        conn.execute_batch("BEGIN").map_err(db_error)?;
        let mut description = String::new();
        push_html(&mut description, &header.description);
        self.build = Some(Build {
            dir,
            conn,
            main_deck_id: notetype::deck_id(&main_deck),
            main_deck,
            by_decade,
            description,
            decks: BTreeSet::new(),
            guids: HashSet::new(),
            count: 0,
        });
        Ok(())
    }
}

/// The main deck's name and whether to file papers by decade.
pub(crate) fn resolve_deck(
    deck: Option<&str>,
    subdeck_by: Option<&str>,
    header: &CollectionHeader,
    lang: &str,
) -> Result<(String, bool), Error> {
    let by_decade = match subdeck_by {
        None | Some("") | Some("none") => false,
        Some("decade") => true,
        Some(other) => {
            return Err(unsupported(format!(
                "cannot make subdecks by `{other}`; the choice is `decade`"
            )));
        }
    };
    let name = match deck {
        Some(given) => deck_name(given).ok_or_else(|| {
            unsupported(format!("the deck name `{given}` is empty; give a name such as `Papers` or `Papers::Reading`"))
        })?,
        None => deck_name(header.title_in(lang)).unwrap_or_else(|| DEFAULT_DECK.to_owned()),
    };
    Ok((name, by_decade))
}

/// Decodes the base-62 GUID back into its 64 bits (for duplicate checks).
fn guid_bits(guid: &str) -> u64 {
    guid.bytes().fold(0u64, |n, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            _ => b.wrapping_sub(b'a').wrapping_add(36),
        };
        n.wrapping_mul(62).wrapping_add(u64::from(digit))
    })
}

impl Writer for ApkgWriter {
    fn begin(&mut self, _out: &mut dyn Write, header: &CollectionHeader) -> Result<(), Error> {
        self.start(header)
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        if self.build.is_none() {
            self.begin(out, &CollectionHeader::default())?;
        }
        let Some(build) = self.build.as_mut() else {
            return Ok(());
        };
        let note = &mut self.note;
        note.fill(paper, &self.lang);
        if !build.guids.insert(guid_bits(&note.guid)) {
            return Err(unsupported(format!(
                "two papers are the same note `{}` (same id, DOI, arXiv id, or title and year); \
                 each paper must appear once (--dedupe drops repeats)",
                note.fields[0]
            )));
        }
        let index = build.count;
        build.count += 1;
        let base = self.timestamp * 1000;
        let note_id = base + index;
        self.fields.clear();
        for (i, field) in note.fields.iter().enumerate() {
            if i > 0 {
                self.fields.push('\u{1f}');
            }
            self.fields.push_str(field);
        }
        let deck = deck_for(&build.main_deck, note.decade, build.by_decade);
        let deck_id = if deck == build.main_deck {
            build.main_deck_id
        } else {
            notetype::deck_id(&deck)
        };
        if !build.decks.contains(&deck) {
            build.decks.insert(deck);
        }
        let conn = &build.conn;
        let mut insert_note = conn.prepare_cached(INSERT_NOTE).map_err(db_error)?;
        insert_note
            .execute(params![
                note_id,
                note.guid,
                NOTETYPE_ID,
                self.timestamp,
                note.tags_field(),
                self.fields,
                note.sort_field,
                note.checksum,
            ])
            .map_err(db_error)?;
        let mut insert_card = conn.prepare_cached(INSERT_CARD).map_err(db_error)?;
        let has_question = !note.fields[1].is_empty();
        for ord in 0..2i64 {
            if ord == 0 && !has_question {
                continue;
            }
            insert_card
                .execute(params![
                    base + 2 * index + ord,
                    note_id,
                    deck_id,
                    ord,
                    self.timestamp,
                    index + 1,
                ])
                .map_err(db_error)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        if self.build.is_none() {
            self.begin(out, &CollectionHeader::default())?;
        }
        let Some(build) = self.build.take() else {
            return Ok(());
        };
        let Build {
            dir,
            conn,
            main_deck,
            main_deck_id,
            description,
            mut decks,
            count,
            ..
        } = build;
        decks.insert(main_deck.clone());
        let t = self.timestamp;
        let decks_json = notetype::decks_json(
            decks.iter().map(String::as_str),
            &main_deck,
            &description,
            t,
        );
        conn.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
            params![
                t - t.rem_euclid(86_400),
                t * 1000,
                notetype::conf_json(main_deck_id, count + 1).to_string(),
                notetype::models_json(t, main_deck_id).to_string(),
                decks_json.to_string(),
                notetype::dconf_json(t).to_string(),
            ],
        )
        .map_err(db_error)?;
        conn.execute_batch(INDEXES).map_err(db_error)?;
        conn.execute_batch("COMMIT").map_err(db_error)?;
        conn.close().map_err(|(_, e)| db_error(e))?;

        let db_path = dir.path().join(COLLECTION_ENTRY);
        let zip_path = dir.path().join("package.apkg");
        write_zip(&db_path, &zip_path, t)?;
        let mut zipped = File::open(&zip_path)?;
        zipped.seek(SeekFrom::Start(0))?;
        io::copy(&mut BufReader::with_capacity(256 * 1024, zipped), out)?;
        out.flush()?;
        dir.close()?;
        Ok(())
    }
}

/// Zips the collection and an empty media list into `zip_path`.
fn write_zip(db_path: &PathBuf, zip_path: &PathBuf, timestamp: i64) -> Result<(), Error> {
    let file = File::create(zip_path)?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(256 * 1024, file));
    let db_len = std::fs::metadata(db_path)?.len();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(COMPRESSION_LEVEL))
        .last_modified_time(zip_time(timestamp))
        .unix_permissions(0o644)
        .large_file(db_len >= u64::from(u32::MAX) - 1024 * 1024);
    zip.start_file(COLLECTION_ENTRY, options)
        .map_err(zip_error)?;
    let mut db = BufReader::with_capacity(256 * 1024, File::open(db_path)?);
    io::copy(&mut db, &mut zip)?;
    let media_options = options
        .compression_method(CompressionMethod::Stored)
        .compression_level(None)
        .large_file(false);
    zip.start_file("media", media_options).map_err(zip_error)?;
    zip.write_all(b"{}")?;
    let mut inner = zip.finish().map_err(zip_error)?;
    inner.flush()?;
    Ok(())
}

/// The zip entry date for a Unix time (UTC), kept within what zip can hold.
fn zip_time(timestamp: i64) -> DateTime {
    let days = timestamp.div_euclid(86_400);
    let secs = timestamp.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let year = year.clamp(1980, 2107);
    DateTime::from_date_and_time(
        year as u16,
        month,
        day,
        (secs / 3600) as u8,
        (secs / 60 % 60) as u8,
        (secs % 60) as u8,
    )
    .unwrap_or_default()
}

/// The proleptic Gregorian date of a day count from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        let t = zip_time(1_704_067_200 + 3600 * 13 + 61);
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2024, 1, 1, 13, 1, 0)
        );
        assert_eq!(zip_time(0).year(), 1980);
    }

    #[test]
    fn guid_bits_round_trip() {
        let guid = crate::note::guid_for("id:x");
        let bits = guid_bits(&guid);
        // Re-encode and compare.
        let mut n = bits;
        let digits = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut out = [b'0'; 11];
        for slot in out.iter_mut().rev() {
            *slot = digits[(n % 62) as usize];
            n /= 62;
        }
        assert_eq!(std::str::from_utf8(&out).unwrap(), guid);
    }

    #[test]
    fn deck_resolution() {
        let mut header = CollectionHeader::default();
        header.title = "Papers".into();
        header.title_translations.insert("zh".into(), "论文".into());
        assert_eq!(
            resolve_deck(None, None, &header, "zh").unwrap(),
            ("论文".to_owned(), false)
        );
        assert_eq!(
            resolve_deck(Some("A :: B"), Some("decade"), &header, "en").unwrap(),
            ("A::B".to_owned(), true)
        );
        assert_eq!(
            resolve_deck(None, None, &CollectionHeader::default(), "en")
                .unwrap()
                .0,
            DEFAULT_DECK
        );
        let err = resolve_deck(Some(" :: "), None, &header, "en").unwrap_err();
        assert!(err.to_string().contains("is empty"), "{err}");
        let err = resolve_deck(None, Some("venue"), &header, "en").unwrap_err();
        assert!(err.to_string().contains("`venue`"), "{err}");
    }
}
