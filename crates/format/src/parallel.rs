//! Work on records shared between the calling thread and one helper thread.
//!
//! A streaming reader has two jobs: finding where each record ends (cheap)
//! and turning its text into a [`Paper`](crate::Paper) (most of the work);
//! a writer may have work that needs nothing but the paper, too (see
//! [`Writer::renderer`](crate::Writer::renderer)). A [`Relay`] takes such
//! work in batches and hands each batch to the process's helper thread;
//! when the helper already has enough queued, the calling thread does the
//! batch itself. The results come back in input order, so the output does
//! not depend on who did what. At most a few batches are in flight, so
//! memory stays flat.
//!
//! Every relay of the process shares the one helper, so that a reader and a
//! writer working on the same papers keep two cores busy, not more.
//!
//! ```
//! use paper_format::parallel::Relay;
//!
//! let mut lengths = Vec::new();
//! let mut relay = Relay::new(|word: String| word.len());
//! let mut deliver = |n| {
//!     lengths.push(n);
//!     Ok(())
//! };
//! for word in ["one", "three", "seven"] {
//!     relay.push(word.to_owned(), &mut deliver)?;
//! }
//! relay.finish(&mut deliver)?;
//! assert_eq!(lengths, [3, 5, 5]);
//! # Ok::<(), paper_format::Error>(())
//! ```

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, OnceLock};

use crate::Error;

/// Records per batch.
const BATCH: usize = 64;
/// Batches queued for the helper (from all relays) before callers do their
/// batches themselves.
const QUEUED: usize = 4;
/// Batches of one relay in flight (queued, being worked on, or done and
/// waiting for an earlier one) before its caller waits.
const IN_FLIGHT: usize = 8;

type Task = Box<dyn FnOnce() + Send>;

/// The helper thread, started on first use and kept for the process.
struct Helper {
    tasks: Sender<Task>,
    /// Tasks sent and not yet started.
    queued: Arc<AtomicUsize>,
}

impl Helper {
    fn get() -> &'static Helper {
        static HELPER: OnceLock<Helper> = OnceLock::new();
        HELPER.get_or_init(|| {
            let (tasks, incoming) = channel::<Task>();
            let queued = Arc::new(AtomicUsize::new(0));
            let started = Arc::clone(&queued);
            // Without a thread the tasks cannot be sent, and callers do the
            // work themselves.
            let _ = std::thread::Builder::new()
                .name("paper-export helper".into())
                .spawn(move || {
                    for task in incoming {
                        started.fetch_sub(1, Ordering::AcqRel);
                        task();
                    }
                });
            Helper { tasks, queued }
        })
    }

    /// True when fewer than [`QUEUED`] tasks wait (a soft bound: callers
    /// on several threads may pass it at once).
    fn has_room(&self) -> bool {
        self.queued.load(Ordering::Acquire) < QUEUED
    }

    /// Queues `task`; gives it back when there is no helper thread.
    fn send(&self, task: Task) -> Result<(), Task> {
        self.queued.fetch_add(1, Ordering::AcqRel);
        self.tasks.send(task).map_err(|refused| {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            refused.0
        })
    }
}

/// A batch's results, or `None` when the work panicked.
type Finished<D> = Option<Vec<D>>;

/// Hands batches of work to the helper thread (or does them itself) and
/// delivers the results in input order.
pub struct Relay<J, D, W> {
    work: Arc<W>,
    done_sender: Sender<Finished<D>>,
    from_helper: Receiver<Finished<D>>,
    batch: Vec<J>,
    /// Batches in input order: `None` while the helper has it.
    in_flight: VecDeque<Option<Vec<D>>>,
    /// True once a batch's work panicked: its results are lost.
    lost: bool,
}

impl<J, D, W> Relay<J, D, W>
where
    J: Send + 'static,
    D: Send + 'static,
    W: Fn(J) -> D + Send + Sync + 'static,
{
    /// A relay whose `work` turns one record into its result.
    ///
    /// `work` runs on the helper thread or the caller's, and must not use a
    /// relay itself: the helper would then wait for its own queue.
    pub fn new(work: W) -> Self {
        let (done_sender, from_helper) = channel();
        Relay {
            work: Arc::new(work),
            done_sender,
            from_helper,
            batch: Vec::with_capacity(BATCH),
            in_flight: VecDeque::with_capacity(IN_FLIGHT + 1),
            lost: false,
        }
    }

    /// Queues one record; delivers the results that are ready.
    pub fn push(
        &mut self,
        job: J,
        deliver: &mut dyn FnMut(D) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.batch.push(job);
        if self.batch.len() >= BATCH {
            self.dispatch(deliver)?;
        }
        Ok(())
    }

    /// Works on what is queued and delivers every result.
    pub fn finish(mut self, deliver: &mut dyn FnMut(D) -> Result<(), Error>) -> Result<(), Error> {
        self.dispatch(deliver)?;
        while !self.in_flight.is_empty() {
            self.wait_for_front()?;
            self.deliver_ready(deliver)?;
        }
        Ok(())
    }

    fn dispatch(&mut self, deliver: &mut dyn FnMut(D) -> Result<(), Error>) -> Result<(), Error> {
        self.collect_ready();
        self.deliver_ready(deliver)?;
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let helper = Helper::get();
        if helper.has_room() {
            let work = Arc::clone(&self.work);
            let done = self.done_sender.clone();
            let task: Task = Box::new(move || {
                let finished = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    batch.into_iter().map(&*work).collect()
                }));
                // The relay may be gone: then nobody wants the result.
                let _ = done.send(finished.ok());
            });
            self.in_flight.push_back(None);
            // Without a helper thread, the task runs here and sends its
            // result all the same.
            if let Err(task) = helper.send(task) {
                task();
            }
        } else {
            let done = batch.into_iter().map(&*self.work).collect();
            self.in_flight.push_back(Some(done));
        }
        while self.in_flight.len() > IN_FLIGHT {
            self.wait_for_front()?;
            self.deliver_ready(deliver)?;
        }
        Ok(())
    }

    /// Fills in the batches the helper has finished (it finishes them in
    /// the order they were sent).
    fn collect_ready(&mut self) {
        while let Ok(done) = self.from_helper.try_recv() {
            self.fill_first_pending(done);
        }
    }

    fn wait_for_front(&mut self) -> Result<(), Error> {
        while matches!(self.in_flight.front(), Some(None)) {
            let done = self.from_helper.recv().map_err(|_| stopped())?;
            self.fill_first_pending(done);
        }
        Ok(())
    }

    /// Fills the first batch still out; a batch whose work panicked is left
    /// empty, and delivering stops there.
    fn fill_first_pending(&mut self, done: Finished<D>) {
        self.lost |= done.is_none();
        if let Some(slot) = self.in_flight.iter_mut().find(|slot| slot.is_none()) {
            *slot = Some(done.unwrap_or_default());
        }
    }

    fn deliver_ready(
        &mut self,
        deliver: &mut dyn FnMut(D) -> Result<(), Error>,
    ) -> Result<(), Error> {
        while let Some(Some(_)) = self.in_flight.front() {
            if self.lost {
                return Err(stopped());
            }
            if let Some(Some(done)) = self.in_flight.pop_front() {
                done.into_iter().try_for_each(&mut *deliver)?;
            }
        }
        Ok(())
    }
}

fn stopped() -> Error {
    Error::Io(std::io::Error::other(
        "internal error: work on another thread failed",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whoever_does_the_work() {
        let mut out = Vec::new();
        // Slow work on some records, so that both threads take batches.
        let mut relay = Relay::new(|n: u64| {
            if n.is_multiple_of(97) {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            n * 2
        });
        let mut deliver = |d| {
            out.push(d);
            Ok(())
        };
        for n in 0..20_000 {
            relay.push(n, &mut deliver).unwrap();
        }
        relay.finish(&mut deliver).unwrap();
        assert_eq!(out, (0..20_000).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn relays_on_several_threads_share_the_helper() {
        std::thread::scope(|scope| {
            let runs: Vec<_> = (0..4u64)
                .map(|k| {
                    scope.spawn(move || {
                        let mut out = Vec::new();
                        let mut relay = Relay::new(move |n: u64| n * k);
                        let mut deliver = |d| {
                            out.push(d);
                            Ok(())
                        };
                        for n in 0..5_000 {
                            relay.push(n, &mut deliver).unwrap();
                        }
                        relay.finish(&mut deliver).unwrap();
                        out == (0..5_000).map(|n| n * k).collect::<Vec<_>>()
                    })
                })
                .collect();
            for run in runs {
                assert!(run.join().unwrap());
            }
        });
    }

    #[test]
    fn a_delivery_error_stops_the_relay() {
        let mut relay = Relay::new(|n: u32| n);
        let mut deliver = |n: u32| {
            if n == 500 {
                Err(Error::Io(std::io::Error::other("full")))
            } else {
                Ok(())
            }
        };
        let result = (0..1000)
            .try_for_each(|n| relay.push(n, &mut deliver))
            .and_then(|()| relay.finish(&mut deliver));
        assert_eq!(result.unwrap_err().to_string(), "full");
    }

    /// Work that panics on the helper is an error; on the calling thread
    /// the panic goes on as usual. Either way nothing hangs.
    #[test]
    fn work_that_panics_is_an_error_not_a_hang() {
        for _ in 0..20 {
            let outcome = std::panic::catch_unwind(|| {
                let mut relay = Relay::new(|n: u32| {
                    assert!(n % 100 != 99, "test panic");
                    n
                });
                let mut deliver = |_| Ok(());
                (0..1000)
                    .try_for_each(|n| relay.push(n, &mut deliver))
                    .and_then(|()| relay.finish(&mut deliver))
            });
            assert!(!matches!(outcome, Ok(Ok(()))));
        }
    }
}
