//! The `.apkg` writer: a legacy Anki package (collection schema 11).
//!
//! Notes go into an SQLite database in a temporary directory as they
//! arrive, written by a thread of its own; `finish` adds the collection row
//! and the last index, and zips the database with an empty media list
//! straight into the output. Memory stays flat however many papers there are.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use paper_format::citation_key::KeyGen;
use paper_format::{Error, WriteOptions, Writer};
use paper_model::{CollectionHeader, Paper};
use rusqlite::{Connection, params};

use crate::note::{Note, deck_for, deck_name, push_html};
use crate::notetype::{self, NOTETYPE_ID};
use crate::package::{self, DosTime};
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

/// Indexes Anki expects. These grow at their end as rows go in (ids, usn and
/// due only increase), so the database thread keeps them up to date cheaply.
const INDEXES: &str = "
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
";

/// The checksum index is built once all notes are in: its keys are random,
/// and inserting them one by one would need the whole index in the cache.
const LATE_INDEXES: &str = "CREATE INDEX ix_notes_csum ON notes (csum);";

const INSERT_NOTE: &str = "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')";
const INSERT_CARD: &str =
    "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')";

/// How hard the database is compressed (zlib levels 1 to 9). Level 1 keeps
/// large decks fast; the collection is text and still shrinks about 3×.
const COMPRESSION_LEVEL: u32 = 1;

/// Writes an `.apkg` Anki package. See the crate docs for the settings.
///
/// The database is written by a second thread that owns it, so building
/// notes (escaping, hashing) overlaps with SQLite's work; the two talk
/// through a short bounded queue, so memory stays flat.
pub struct ApkgWriter {
    lang: String,
    deck: Option<String>,
    subdeck_by: Option<String>,
    timestamp: i64,
    build: Option<Build>,
    note: Note,
    keys: KeyGen,
}

/// One note and its cards, ready for the database thread. Rows travel back
/// empty, so their buffers are reused instead of allocated per paper.
#[derive(Default)]
struct Row {
    id: i64,
    guid: String,
    tags: String,
    fields: String,
    sort_field: String,
    checksum: u32,
    deck_id: i64,
    has_question: bool,
}

/// Rows go to the database thread in batches of this many (one wake-up
/// per batch, not per paper), and at most [`QUEUE`] batches wait.
const BATCH: usize = 128;
const QUEUE: usize = 4;

/// The database being built, and what `finish` needs to know about it.
struct Build {
    dir: tempfile::TempDir,
    rows: Option<SyncSender<Vec<Row>>>,
    spare: Receiver<Vec<Row>>,
    /// The batch being filled: `filled` rows, then rows kept for reuse.
    batch: Vec<Row>,
    filled: usize,
    worker: Option<JoinHandle<Result<Connection, Error>>>,
    main_deck: String,
    main_deck_id: i64,
    by_decade: bool,
    description: String,
    decks: BTreeSet<String>,
    guids: HashSet<u64, BuildHasherDefault<GuidHasher>>,
    count: i64,
}

impl Build {
    /// The next row of the batch, with buffers from an earlier paper.
    fn next_row(&mut self) -> &mut Row {
        if self.filled == self.batch.len() {
            self.batch.push(Row::default());
        }
        self.filled += 1;
        &mut self.batch[self.filled - 1]
    }

    /// Sends the filled rows to the database thread; false when it stopped.
    fn send_batch(&mut self) -> bool {
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let mut batch = std::mem::replace(&mut self.batch, next);
        batch.truncate(self.filled);
        self.filled = 0;
        matches!(
            self.rows.as_ref().map(|rows| rows.send(batch)),
            Some(Ok(()))
        )
    }

    /// Closes the queue and waits for the database thread.
    fn join(&mut self) -> Result<Connection, Error> {
        self.rows = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Error::Io(io::Error::other(
                "anki: the database thread stopped unexpectedly",
            ))),
            None => Err(Error::Io(io::Error::other(
                "anki: the collection was already finished",
            ))),
        }
    }
}

impl Drop for Build {
    fn drop(&mut self) {
        // A writer dropped without `finish` (an error elsewhere): stop the
        // thread before the temporary directory goes.
        if self.worker.is_some() {
            let _ = self.join();
        }
    }
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

/// Opens the scratch database and creates the tables and indexes.
fn open_database(path: &Path) -> Result<Connection, Error> {
    let conn = Connection::open(path).map_err(db_error)?;
    // The file is scratch until finish: no journal, no syncs, one
    // transaction. A crash leaves only a temporary directory. 16 MiB of
    // page cache is enough: rows and all but one index only grow at the end.
    conn.execute_batch(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA cache_size = -16384;",
    )
    .map_err(db_error)?;
    conn.execute_batch(SCHEMA).map_err(db_error)?;
    conn.execute_batch(INDEXES).map_err(db_error)?;
    conn.execute_batch("BEGIN").map_err(db_error)?;
    Ok(conn)
}

/// The database thread: inserts rows until the queue closes.
fn insert_rows(
    conn: Connection,
    batches: Receiver<Vec<Row>>,
    spare: SyncSender<Vec<Row>>,
    timestamp: i64,
) -> Result<Connection, Error> {
    {
        let mut insert_note = conn.prepare(INSERT_NOTE).map_err(db_error)?;
        let mut insert_card = conn.prepare(INSERT_CARD).map_err(db_error)?;
        let base = timestamp * 1000;
        let mut index = 0i64;
        for batch in batches.iter() {
            for row in &batch {
                insert_note
                    .execute(params![
                        row.id,
                        row.guid,
                        NOTETYPE_ID,
                        timestamp,
                        row.tags,
                        row.fields,
                        row.sort_field,
                        row.checksum,
                    ])
                    .map_err(db_error)?;
                for ord in 0..2i64 {
                    if ord == 0 && !row.has_question {
                        continue;
                    }
                    insert_card
                        .execute(params![
                            base + 2 * index + ord,
                            row.id,
                            row.deck_id,
                            ord,
                            timestamp,
                            index + 1,
                        ])
                        .map_err(db_error)?;
                }
                index += 1;
            }
            // Hand the buffers back for reuse; if none are wanted, drop them.
            let _ = spare.try_send(batch);
        }
    }
    Ok(conn)
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
            keys: KeyGen::new(),
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
        let conn = open_database(&dir.path().join(COLLECTION_ENTRY))?;
        let (sender, receiver) = sync_channel(QUEUE);
        let (spare_sender, spare) = sync_channel(QUEUE);
        let timestamp = self.timestamp;
        let worker = std::thread::Builder::new()
            .name("anki-collection".to_owned())
            .spawn(move || insert_rows(conn, receiver, spare_sender, timestamp))?;
        let mut description = String::new();
        push_html(&mut description, &header.description);
        self.build = Some(Build {
            dir,
            rows: Some(sender),
            spare,
            batch: Vec::with_capacity(BATCH),
            filled: 0,
            worker: Some(worker),
            main_deck_id: notetype::deck_id(&main_deck),
            main_deck,
            by_decade,
            description,
            decks: BTreeSet::new(),
            guids: HashSet::default(),
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
            unsupported(format!(
                "the deck name `{given}` is empty; give a name such as `Papers` or `Papers::Reading`"
            ))
        })?,
        None => deck_name(header.title_in(lang)).unwrap_or_else(|| DEFAULT_DECK.to_owned()),
    };
    Ok((name, by_decade))
}

/// The error of a database thread that stopped before the end.
fn worker_stopped(build: &mut Build) -> Error {
    match build.join() {
        Err(e) => e,
        Ok(_) => Error::Io(io::Error::other("anki: the database thread stopped early")),
    }
}

/// Hashes GUID bits by passing them through: they are already the output
/// of SHA-1, so hashing them again would only cost time.
#[derive(Default)]
struct GuidHasher(u64);

impl Hasher for GuidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
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
        let key = self.keys.key(paper);
        note.fill_with_key(paper, &self.lang, &key);
        if !build.guids.insert(guid_bits(&note.guid)) {
            return Err(unsupported(format!(
                "two papers are the same note `{}` (same id, DOI, arXiv id, or title and year); \
                 each paper must appear once (--dedupe drops repeats)",
                note.fields[0]
            )));
        }
        let index = build.count;
        build.count += 1;
        let deck_id = if build.by_decade {
            let deck = deck_for(&build.main_deck, note.decade, true);
            let id = notetype::deck_id(&deck);
            build.decks.insert(deck);
            id
        } else {
            build.main_deck_id
        };
        let row = build.next_row();
        row.fields.clear();
        for (i, field) in note.fields.iter().enumerate() {
            if i > 0 {
                row.fields.push('\u{1f}');
            }
            row.fields.push_str(field);
        }
        row.deck_id = deck_id;
        row.id = self.timestamp * 1000 + index;
        row.guid.clear();
        row.guid.push_str(&note.guid);
        row.tags.clear();
        note.push_tags_field(&mut row.tags);
        row.sort_field.clear();
        row.sort_field.push_str(&note.sort_field);
        row.checksum = note.checksum;
        row.has_question = !note.fields[1].is_empty();
        if build.filled == BATCH && !build.send_batch() {
            return Err(worker_stopped(build));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        if self.build.is_none() {
            self.begin(out, &CollectionHeader::default())?;
        }
        let Some(mut build) = self.build.take() else {
            return Ok(());
        };
        if build.filled > 0 && !build.send_batch() {
            return Err(worker_stopped(&mut build));
        }
        let conn = build.join()?;
        let mut decks = std::mem::take(&mut build.decks);
        decks.insert(build.main_deck.clone());
        let t = self.timestamp;
        let decks_json = notetype::decks_json(
            decks.iter().map(String::as_str),
            &build.main_deck,
            &build.description,
            t,
        );
        conn.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
            params![
                t - t.rem_euclid(86_400),
                t * 1000,
                notetype::conf_json(build.main_deck_id, build.count + 1).to_string(),
                notetype::models_json(t, build.main_deck_id).to_string(),
                decks_json.to_string(),
                notetype::dconf_json(t).to_string(),
            ],
        )
        .map_err(db_error)?;
        conn.execute_batch(LATE_INDEXES).map_err(db_error)?;
        conn.execute_batch("COMMIT").map_err(db_error)?;
        conn.close().map_err(|(_, e)| db_error(e))?;

        write_zip(&build.dir.path().join(COLLECTION_ENTRY), out, t)?;
        out.flush()?;
        Ok(())
    }
}

/// Zips the collection and an empty media list straight into `out` (see
/// [`crate::package`]).
fn write_zip(db_path: &Path, out: &mut dyn Write, timestamp: i64) -> Result<(), Error> {
    package::write_package(
        out,
        (COLLECTION_ENTRY, db_path),
        ("media", b"{}"),
        COMPRESSION_LEVEL,
        zip_time(timestamp),
    )?;
    Ok(())
}

/// The zip entry date for a Unix time (UTC), kept within what zip can hold.
fn zip_time(timestamp: i64) -> DosTime {
    let days = timestamp.div_euclid(86_400);
    let secs = timestamp.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (year, month, day) = match year {
        ..1980 => (1980, 1, 1),
        2108.. => (2107, 12, 31),
        _ => (year, month, day),
    };
    DosTime {
        date: ((year - 1980) as u16) << 9 | u16::from(month) << 5 | u16::from(day),
        time: ((secs / 3600) as u16) << 11
            | ((secs / 60 % 60) as u16) << 5
            | (secs % 60 / 2) as u16,
    }
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
        let read = ::zip::DateTime::try_from_msdos(t.date, t.time).unwrap();
        assert_eq!(
            (
                read.year(),
                read.month(),
                read.day(),
                read.hour(),
                read.minute(),
                read.second()
            ),
            (2024, 1, 1, 13, 1, 0)
        );
        assert_eq!((zip_time(0).date, zip_time(0).time), (1 << 5 | 1, 0));
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

    fn package(options: &WriteOptions, papers: &[Paper]) -> Vec<u8> {
        let mut writer = ApkgWriter::from_options(options);
        let mut out = Vec::new();
        let mut header = CollectionHeader::default();
        header.title = "Papers & <Friends>".into();
        header.description = "About <these>".into();
        writer.begin(&mut out, &header).unwrap();
        for paper in papers {
            writer.write_paper(&mut out, paper).unwrap();
        }
        writer.finish(&mut out).unwrap();
        out
    }

    fn open(bytes: &[u8], dir: &Path) -> Connection {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut db = Vec::new();
        zip.by_name(COLLECTION_ENTRY)
            .unwrap()
            .read_to_end(&mut db)
            .unwrap();
        let path = dir.join("c.anki2");
        std::fs::write(&path, db).unwrap();
        Connection::open(path).unwrap()
    }

    fn papers() -> Vec<Paper> {
        let mut a = Paper::new("With a question", 1986);
        a.id = "a".into();
        a.question.set("en", "Why?");
        let mut b = Paper::new("Without one", 2012);
        b.id = "b".into();
        let mut c = Paper::new("Undated", 2000);
        c.id = "c".into();
        c.year = None;
        vec![a, b, c]
    }

    #[test]
    fn package_holds_notes_cards_and_decks() {
        let dir = tempfile::tempdir().unwrap();
        let options = WriteOptions::default().with("subdeck-by", "decade");
        let bytes = package(&options, &papers());
        assert_eq!(bytes, package(&options, &papers()), "deterministic");
        let conn = open(&bytes, dir.path());
        let cards: Vec<(String, i64, i64, i64)> = conn
            .prepare(
                "SELECT n.guid, c.ord, c.did, c.due FROM cards c JOIN notes n ON n.id = c.nid \
                 ORDER BY c.id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let main = "Papers & <Friends>";
        let guid = |id: &str| crate::note::guid_for(&format!("id:{id}"));
        assert_eq!(
            cards,
            [
                (
                    guid("a"),
                    0,
                    notetype::deck_id(&format!("{main}::1980s")),
                    1
                ),
                (
                    guid("a"),
                    1,
                    notetype::deck_id(&format!("{main}::1980s")),
                    1
                ),
                (
                    guid("b"),
                    1,
                    notetype::deck_id(&format!("{main}::2010s")),
                    2
                ),
                (guid("c"), 1, notetype::deck_id(main), 3),
            ]
        );
        let (decks, conf): (String, String) = conn
            .query_row("SELECT decks, conf FROM col", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let decks: serde_json::Value = serde_json::from_str(&decks).unwrap();
        let main_deck = &decks[notetype::deck_id(main).to_string()];
        assert_eq!(main_deck["name"], main);
        assert_eq!(main_deck["desc"], "About &lt;these&gt;");
        assert_eq!(decks.as_object().unwrap().len(), 4);
        let conf: serde_json::Value = serde_json::from_str(&conf).unwrap();
        assert_eq!(conf["nextPos"], 4);
        let (sfld, csum): (String, i64) = conn
            .query_row(
                "SELECT sfld, csum FROM notes WHERE guid = ?1",
                [guid("a")],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(sfld, "With a question");
        assert_eq!(csum, i64::from(crate::note::field_checksum("a")));
    }

    #[test]
    fn repeated_paper_is_an_error_and_dropping_a_writer_is_clean() {
        let mut writer = ApkgWriter::from_options(&WriteOptions::default());
        let mut out = Vec::new();
        writer
            .begin(&mut out, &CollectionHeader::default())
            .unwrap();
        let paper = &papers()[0];
        writer.write_paper(&mut out, paper).unwrap();
        let err = writer.write_paper(&mut out, paper).unwrap_err();
        assert!(err.to_string().contains("same note `a`"), "{err}");
        drop(writer);
        assert!(out.is_empty(), "nothing is written before finish");
    }

    #[test]
    fn a_writer_without_begin_uses_the_default_deck() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = ApkgWriter::from_options(&WriteOptions::default());
        let mut out = Vec::new();
        writer.write_paper(&mut out, &papers()[1]).unwrap();
        writer.finish(&mut out).unwrap();
        let conn = open(&out, dir.path());
        let did: i64 = conn
            .query_row("SELECT did FROM cards", [], |r| r.get(0))
            .unwrap();
        assert_eq!(did, notetype::deck_id(DEFAULT_DECK));
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
