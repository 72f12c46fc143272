//! The `.apkg` container: a zip archive of the collection and an empty
//! media list, written straight to a stream.
//!
//! Compressing the collection was the longest step of a large deck that
//! nothing else overlapped (level 1 deflate of 1.2 GB at a million notes,
//! on one core while the other idled). So the database is cut into blocks
//! that are deflated on two threads and joined as pigz does: every block
//! but the last ends with a sync flush (an empty stored block), which
//! leaves it on a byte boundary, and the concatenation is one valid
//! deflate stream. The archive around it is small enough to write here:
//! each entry's sizes and CRC follow its data (a data descriptor), so the
//! output need not be seekable, and the central directory at the end has
//! them too, which is where Anki's importer and unzip tools read them. Zip64
//! fields are written when a size or an offset needs them.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};

use flate2::{Compress, Compression, FlushCompress, Status};

/// Uncompressed bytes per block (1 MiB costs about 0.01% of the size in
/// flush markers and lost back-references).
const BLOCK: usize = 1 << 20;
/// Threads that deflate blocks.
const THREADS: usize = 2;

/// Date and time of the entries, in MS-DOS form.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DosTime {
    pub(crate) date: u16,
    pub(crate) time: u16,
}

/// Writes the package: `collection` deflated at `level`, then `media`
/// stored, both dated `when`.
pub(crate) fn write_package(
    out: &mut dyn Write,
    collection: (&str, &Path),
    media: (&str, &[u8]),
    level: u32,
    when: DosTime,
) -> io::Result<()> {
    let mut zip = ZipOut {
        out,
        written: 0,
        entries: Vec::new(),
        when,
    };
    let (name, path) = collection;
    zip.deflated_file(name, path, level)?;
    zip.stored(media.0, media.1)?;
    zip.finish()
}

/// What the central directory repeats of an entry.
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

impl Entry {
    fn needs_zip64(&self) -> bool {
        self.compressed >= 0xFFFF_FFFF || self.size >= 0xFFFF_FFFF || self.offset >= 0xFFFF_FFFF
    }
}

struct ZipOut<'a> {
    out: &'a mut dyn Write,
    written: u64,
    entries: Vec<Entry>,
    when: DosTime,
}

const DEFLATE: u16 = 8;
const STORE: u16 = 0;
/// Bit 3: sizes and CRC follow the data.
const DATA_DESCRIPTOR: u16 = 0x0008;

impl ZipOut<'_> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// The local header of an entry whose sizes come after its data. With
    /// `zip64`, the data descriptor has 8-byte sizes, announced by a zip64
    /// extra field here.
    fn local_header(&mut self, name: &str, method: u16, zip64: bool) -> io::Result<()> {
        let mut h = Vec::with_capacity(64);
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&(if zip64 { 45u16 } else { 20 }).to_le_bytes());
        h.extend_from_slice(&DATA_DESCRIPTOR.to_le_bytes());
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&self.when.time.to_le_bytes());
        h.extend_from_slice(&self.when.date.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes()); // CRC: in the descriptor
        let unknown = if zip64 { u32::MAX } else { 0 };
        h.extend_from_slice(&unknown.to_le_bytes());
        h.extend_from_slice(&unknown.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&(if zip64 { 20u16 } else { 0 }).to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        if zip64 {
            h.extend_from_slice(&1u16.to_le_bytes());
            h.extend_from_slice(&16u16.to_le_bytes());
            h.extend_from_slice(&[0; 16]);
        }
        self.put(&h)
    }

    fn data_descriptor(&mut self, entry: &Entry, zip64: bool) -> io::Result<()> {
        let mut d = Vec::with_capacity(24);
        d.extend_from_slice(&0x0807_4b50u32.to_le_bytes());
        d.extend_from_slice(&entry.crc.to_le_bytes());
        if zip64 {
            d.extend_from_slice(&entry.compressed.to_le_bytes());
            d.extend_from_slice(&entry.size.to_le_bytes());
        } else {
            d.extend_from_slice(&(entry.compressed as u32).to_le_bytes());
            d.extend_from_slice(&(entry.size as u32).to_le_bytes());
        }
        self.put(&d)
    }

    fn stored(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        let offset = self.written;
        self.local_header(name, STORE, false)?;
        self.put(data)?;
        let entry = Entry {
            name: name.to_owned(),
            method: STORE,
            crc: crc32fast::hash(data),
            compressed: data.len() as u64,
            size: data.len() as u64,
            offset,
        };
        self.data_descriptor(&entry, false)?;
        self.entries.push(entry);
        Ok(())
    }

    fn deflated_file(&mut self, name: &str, path: &Path, level: u32) -> io::Result<()> {
        let size = std::fs::metadata(path)?.len();
        // Decided before the data: deflate can make data a little larger.
        let zip64 = size >= 0xFFFF_FFFF - (size >> 8) - (1 << 20);
        self.deflated(name, File::open(path)?, size, level, zip64)
    }

    /// An entry of `size` bytes read from `input`, deflated.
    fn deflated(
        &mut self,
        name: &str,
        input: impl Read,
        size: u64,
        level: u32,
        zip64: bool,
    ) -> io::Result<()> {
        let offset = self.written;
        self.local_header(name, DEFLATE, zip64)?;
        let start = self.written;
        let crc = deflate_blocks(input, level, &mut |block| self.put(block))?;
        let entry = Entry {
            name: name.to_owned(),
            method: DEFLATE,
            crc,
            compressed: self.written - start,
            size,
            offset,
        };
        self.data_descriptor(&entry, zip64)?;
        self.entries.push(entry);
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        let directory_start = self.written;
        let entries = std::mem::take(&mut self.entries);
        for entry in &entries {
            self.central_header(entry)?;
        }
        let directory_size = self.written - directory_start;
        let count = entries.len() as u64;
        let zip64 = entries.iter().any(Entry::needs_zip64) || directory_start >= 0xFFFF_FFFF;
        if zip64 {
            let record_start = self.written;
            let mut r = Vec::with_capacity(76);
            r.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            r.extend_from_slice(&44u64.to_le_bytes()); // size of the rest
            r.extend_from_slice(&(0x0300 | 45u16).to_le_bytes()); // made by: Unix
            r.extend_from_slice(&45u16.to_le_bytes());
            r.extend_from_slice(&0u32.to_le_bytes()); // this disk
            r.extend_from_slice(&0u32.to_le_bytes()); // directory's disk
            r.extend_from_slice(&count.to_le_bytes());
            r.extend_from_slice(&count.to_le_bytes());
            r.extend_from_slice(&directory_size.to_le_bytes());
            r.extend_from_slice(&directory_start.to_le_bytes());
            // Locator of the record above.
            r.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            r.extend_from_slice(&0u32.to_le_bytes());
            r.extend_from_slice(&record_start.to_le_bytes());
            r.extend_from_slice(&1u32.to_le_bytes()); // disks
            self.put(&r)?;
        }
        let mut e = Vec::with_capacity(22);
        e.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        e.extend_from_slice(&0u16.to_le_bytes());
        e.extend_from_slice(&0u16.to_le_bytes());
        e.extend_from_slice(&(count as u16).to_le_bytes());
        e.extend_from_slice(&(count as u16).to_le_bytes());
        e.extend_from_slice(&clamp32(directory_size).to_le_bytes());
        e.extend_from_slice(&clamp32(directory_start).to_le_bytes());
        e.extend_from_slice(&0u16.to_le_bytes()); // no comment
        self.put(&e)?;
        self.out.flush()
    }

    fn central_header(&mut self, entry: &Entry) -> io::Result<()> {
        // Only the values that do not fit go to the zip64 field, in order.
        let mut extra = Vec::new();
        for (value, fits) in [
            (entry.size, entry.size < 0xFFFF_FFFF),
            (entry.compressed, entry.compressed < 0xFFFF_FFFF),
            (entry.offset, entry.offset < 0xFFFF_FFFF),
        ] {
            if !fits {
                extra.extend_from_slice(&value.to_le_bytes());
            }
        }
        let zip64 = !extra.is_empty();
        let version: u16 = if zip64 { 45 } else { 20 };
        let mut c = Vec::with_capacity(64);
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&(0x0300 | version).to_le_bytes()); // made by: Unix
        c.extend_from_slice(&version.to_le_bytes());
        c.extend_from_slice(&DATA_DESCRIPTOR.to_le_bytes());
        c.extend_from_slice(&entry.method.to_le_bytes());
        c.extend_from_slice(&self.when.time.to_le_bytes());
        c.extend_from_slice(&self.when.date.to_le_bytes());
        c.extend_from_slice(&entry.crc.to_le_bytes());
        c.extend_from_slice(&clamp32(entry.compressed).to_le_bytes());
        c.extend_from_slice(&clamp32(entry.size).to_le_bytes());
        c.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
        let extra_len = if zip64 { 4 + extra.len() } else { 0 };
        c.extend_from_slice(&(extra_len as u16).to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes()); // comment
        c.extend_from_slice(&0u16.to_le_bytes()); // disk
        c.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        c.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes()); // -rw-r--r--
        c.extend_from_slice(&clamp32(entry.offset).to_le_bytes());
        c.extend_from_slice(entry.name.as_bytes());
        if zip64 {
            c.extend_from_slice(&1u16.to_le_bytes());
            c.extend_from_slice(&(extra.len() as u16).to_le_bytes());
            c.extend_from_slice(&extra);
        }
        self.put(&c)
    }
}

/// A size or offset in a 32-bit field: itself, or all ones when the zip64
/// field holds it.
fn clamp32(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Deflates `input` block by block on [`THREADS`] threads, handing the
/// compressed blocks to `put` in order; returns the CRC-32 of the input.
fn deflate_blocks(
    mut input: impl Read,
    level: u32,
    put: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<u32> {
    let mut crc = crc32fast::Hasher::new();
    std::thread::scope(|scope| {
        // Made in here, so that returning early closes them and the
        // workers stop. Blocks travel with their number; finished ones
        // wait for their turn.
        let (to_workers, work) = sync_channel::<(usize, Vec<u8>, bool)>(THREADS);
        let work = Arc::new(Mutex::new(work));
        let (to_writer, finished) = sync_channel::<(usize, io::Result<Vec<u8>>)>(THREADS * 2);
        for _ in 0..THREADS {
            let work = Arc::clone(&work);
            let to_writer = to_writer.clone();
            scope.spawn(move || {
                loop {
                    let next = work.lock().map(|queue| queue.recv());
                    let Ok(Ok((number, block, last))) = next else {
                        return;
                    };
                    if to_writer
                        .send((number, deflate(&block, level, last)))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
        drop(to_writer);
        let mut in_order = InOrder::default();
        let mut sent = 0;
        let mut block = read_block(&mut input)?;
        loop {
            let following = if block.is_empty() {
                Vec::new()
            } else {
                read_block(&mut input)?
            };
            let last = following.is_empty();
            crc.update(&block);
            // Deliver what is ready while the workers are busy.
            while sent - in_order.next >= THREADS * 2 {
                let (number, result) = finished.recv().map_err(|_| stopped())?;
                in_order.accept(number, result?, put)?;
            }
            to_workers
                .send((sent, block, last))
                .map_err(|_| stopped())?;
            sent += 1;
            if last {
                break;
            }
            block = following;
        }
        drop(to_workers);
        while in_order.next < sent {
            let (number, result) = finished.recv().map_err(|_| stopped())?;
            in_order.accept(number, result?, put)?;
        }
        Ok(crc.finalize())
    })
}

/// Compressed blocks that finished out of turn, waiting for the earlier ones.
#[derive(Default)]
struct InOrder {
    waiting: std::collections::BTreeMap<usize, Vec<u8>>,
    /// The number of the next block to hand on.
    next: usize,
}

impl InOrder {
    /// Takes block `number` and hands on every block whose turn has come.
    fn accept(
        &mut self,
        number: usize,
        block: Vec<u8>,
        put: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        self.waiting.insert(number, block);
        while let Some(done) = self.waiting.remove(&self.next) {
            put(&done)?;
            self.next += 1;
        }
        Ok(())
    }
}

fn stopped() -> io::Error {
    io::Error::other("anki: a compression thread stopped")
}

/// Reads up to [`BLOCK`] bytes; empty at the end.
fn read_block(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut block = Vec::with_capacity(BLOCK);
    input.take(BLOCK as u64).read_to_end(&mut block)?;
    Ok(block)
}

/// One block as raw deflate: ended by a sync flush, or finishing the
/// stream when it is the last.
fn deflate(block: &[u8], level: u32, last: bool) -> io::Result<Vec<u8>> {
    let mut compress = Compress::new(Compression::new(level), false);
    let mut out = Vec::with_capacity(block.len() / 2 + 1024);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    loop {
        let consumed = compress.total_in() as usize;
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(4096));
        }
        let status = compress
            .compress_vec(&block[consumed..], &mut out, flush)
            .map_err(io::Error::other)?;
        let done = compress.total_in() as usize == block.len();
        match status {
            Status::StreamEnd => return Ok(out),
            // A sync flush is complete once all input is in and room was left over.
            Status::Ok | Status::BufError if !last && done && out.len() < out.capacity() => {
                return Ok(out);
            }
            Status::Ok | Status::BufError => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn package(data: &[u8], force_zip64: bool) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        std::fs::write(&path, data).unwrap();
        let mut out = Vec::new();
        let when = DosTime {
            date: 0x5821,
            time: 0,
        };
        let mut zip = ZipOut {
            out: &mut out,
            written: 0,
            entries: Vec::new(),
            when,
        };
        if force_zip64 {
            // The same layout a 4 GB collection gets.
            let size = data.len() as u64;
            zip.deflated("collection.anki2", Cursor::new(data), size, 1, true)
                .unwrap();
        } else {
            zip.deflated_file("collection.anki2", &path, 1).unwrap();
        }
        zip.stored("media", b"{}").unwrap();
        zip.finish().unwrap();
        out
    }

    fn unzip(bytes: Vec<u8>) -> (Vec<u8>, Vec<u8>) {
        let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut data = Vec::new();
            archive
                .by_name(name)
                .unwrap()
                .read_to_end(&mut data)
                .unwrap();
            data
        };
        (read("collection.anki2"), read("media"))
    }

    /// Data that compresses, over several blocks, with a short last one.
    fn sample() -> Vec<u8> {
        (0..BLOCK * 3 + 12_345)
            .map(|i| (i % 251) as u8 ^ (i / 4096) as u8)
            .collect()
    }

    #[test]
    fn blocks_deflated_apart_read_back_as_one_stream() {
        let data = sample();
        let zipped = package(&data, false);
        assert!(zipped.len() < data.len() / 2, "{}", zipped.len());
        assert_eq!(unzip(zipped), (data, b"{}".to_vec()));
    }

    #[test]
    fn zip64_fields_read_back() {
        let data = sample();
        assert_eq!(unzip(package(&data, true)), (data, b"{}".to_vec()));
    }

    #[test]
    fn empty_and_tiny_collections() {
        for data in [Vec::new(), b"x".to_vec(), vec![7; BLOCK]] {
            assert_eq!(unzip(package(&data, false)).0, data);
        }
    }
}
