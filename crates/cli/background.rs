//! Writing output on a thread of its own.
//!
//! The kernel's copying of a large output into the page cache took about a
//! third of the writing thread's time in a million-paper JSON export (2 GB/s
//! is not much on this machine). With the writes on a second thread, the
//! exporting thread only fills buffers, and the copying overlaps the work.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::{self, JoinHandle};

/// Bytes per buffer handed to the writing thread. Buffers are used again
/// once written; each new one costs page faults as it is first filled, so
/// they are kept small (256 KiB: 600 to 900 fewer faults than 1 MiB when
/// writing 10,000 papers, and 2-3% less time).
const BUFFER: usize = 1 << 18;
/// Full buffers waiting to be written.
const QUEUED: usize = 2;

/// A writer whose writes happen on another thread, in order.
pub(crate) struct Background<W: Write + Send + 'static> {
    buffer: Vec<u8>,
    full: Option<SyncSender<Vec<u8>>>,
    /// Written buffers coming back to be filled again.
    empty: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> Background<W> {
    /// Starts the thread that writes to `inner`.
    pub(crate) fn new(mut inner: W) -> io::Result<Self> {
        let (full, to_write) = sync_channel::<Vec<u8>>(QUEUED);
        let (give_back, empty) = channel::<Vec<u8>>();
        let thread = thread::Builder::new()
            .name("write output".into())
            .spawn(move || {
                for mut buffer in to_write {
                    inner.write_all(&buffer)?;
                    buffer.clear();
                    // The other end may be gone at the end: nothing to do then.
                    let _ = give_back.send(buffer);
                }
                inner.flush()?;
                Ok(inner)
            })?;
        Ok(Background {
            buffer: Vec::with_capacity(BUFFER),
            full: Some(full),
            empty,
            thread: Some(thread),
        })
    }

    /// Hands the buffer over; on failure returns the writing thread's error.
    fn hand_over(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUFFER));
        let buffer = std::mem::replace(&mut self.buffer, next);
        let sent = self.full.as_ref().map(|full| full.send(buffer));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.stop().err().unwrap_or_else(stopped)),
        }
    }

    /// Waits for every write and gives back the inner writer, or the first
    /// error the writing thread met.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.hand_over()?;
        self.stop()
    }

    fn stop(&mut self) -> io::Result<W> {
        self.full = None;
        match self.thread.take() {
            Some(thread) => thread.join().unwrap_or_else(|_| Err(stopped())),
            None => Err(stopped()),
        }
    }
}

fn stopped() -> io::Error {
    io::Error::other("the output thread stopped")
}

impl<W: Write + Send + 'static> Write for Background<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BUFFER {
            self.hand_over()?;
        }
        Ok(())
    }

    /// Hands what is buffered to the writing thread (without waiting for
    /// it: [`Background::finish`] does).
    fn flush(&mut self) -> io::Result<()> {
        self.hand_over()
    }
}

impl<W: Write + Send + 'static> Drop for Background<W> {
    fn drop(&mut self) {
        // Let the thread end; its result no longer matters.
        self.full = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_everything_in_order() {
        let mut out = Background::new(Vec::new()).unwrap();
        let mut expected = Vec::new();
        for i in 0..300_000u32 {
            let line = format!("{i}\n");
            out.write_all(line.as_bytes()).unwrap();
            expected.extend_from_slice(line.as_bytes());
            if i % 100_000 == 0 {
                out.flush().unwrap();
            }
        }
        assert_eq!(out.finish().unwrap(), expected);
    }

    /// Fails after a few writes, as a full disk or a closed pipe does.
    struct Failing(usize);

    impl Write for Failing {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            self.0 -= 1;
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_first_error_reaches_the_caller_with_its_kind() {
        let mut out = Background::new(Failing(2)).unwrap();
        let chunk = vec![b'x'; BUFFER];
        let mut failed = None;
        for _ in 0..10 {
            if let Err(e) = out.write_all(&chunk) {
                failed = Some(e);
                break;
            }
        }
        let error = match failed {
            Some(e) => e,
            None => out.finish().err().unwrap(),
        };
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    }
}
