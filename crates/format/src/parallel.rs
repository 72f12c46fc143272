//! Work on records shared between the calling thread and one helper thread.
//!
//! A streaming reader has two jobs: finding where each record ends (cheap)
//! and turning its text into a [`Paper`](crate::Paper) (most of the work);
//! a writer may have work that needs nothing but the paper, too (see
//! [`Writer::renderer`](crate::Writer::renderer)). A [`Relay`] takes such
//! work in batches and hands each batch to the process's helper thread;
//! when the helper already has enough queued, the calling thread does the
//! batch itself, and a caller that has to wait for a result does queued
//! batches (of any relay) instead. The results come back in input order,
//! so the output does not depend on who did what. At most a few batches
//! are in flight, so memory stays flat.
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
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};

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

/// The helper thread, started on first use and kept for the process, and
/// its queue of tasks. A caller that has to wait for a result takes a
/// queued task and does it itself instead (whichever relay it is from).
struct Helper {
    queue: Mutex<VecDeque<Task>>,
    queued: Condvar,
    /// False when the thread could not be started.
    running: bool,
}

impl Helper {
    fn get() -> &'static Helper {
        static HELPER: OnceLock<Helper> = OnceLock::new();
        HELPER.get_or_init(|| Helper {
            queue: Mutex::new(VecDeque::new()),
            queued: Condvar::new(),
            running: std::thread::Builder::new()
                .name("paper-export helper".into())
                .spawn(|| {
                    // `get` waits here until the helper is set up.
                    let helper = Helper::get();
                    loop {
                        let task = helper.next_task();
                        task();
                    }
                })
                .is_ok(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Task>> {
        // A task never panics while the lock is held: it runs after.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next task, waiting for one.
    fn next_task(&self) -> Task {
        let mut queue = self.lock();
        loop {
            if let Some(task) = queue.pop_front() {
                return task;
            }
            queue = self
                .queued
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// True when fewer than [`QUEUED`] tasks wait.
    fn has_room(&self) -> bool {
        self.running && self.lock().len() < QUEUED
    }

    fn send(&self, task: Task) {
        self.lock().push_back(task);
        self.queued.notify_one();
    }

    /// A queued task for a caller that would otherwise wait.
    fn take(&self) -> Option<Task> {
        self.lock().pop_front()
    }
}

/// A batch's number and its results, or `None` when the work panicked.
type Finished<D> = (u64, Option<Vec<D>>);

/// Hands batches of work to the helper thread (or does them itself) and
/// delivers the results in input order.
pub struct Relay<J, D, W> {
    work: Arc<W>,
    done_sender: Sender<Finished<D>>,
    from_helper: Receiver<Finished<D>>,
    batch: Vec<J>,
    /// Batches in input order, from number `first`: `None` while the
    /// helper has it.
    in_flight: VecDeque<Option<Vec<D>>>,
    first: u64,
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
            first: 0,
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
            let number = self.first + self.in_flight.len() as u64;
            let task: Task = Box::new(move || {
                let finished = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    batch.into_iter().map(&*work).collect()
                }));
                // The relay may be gone: then nobody wants the result.
                let _ = done.send((number, finished.ok()));
            });
            self.in_flight.push_back(None);
            helper.send(task);
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

    /// Fills in the batches that are done.
    fn collect_ready(&mut self) {
        while let Ok(done) = self.from_helper.try_recv() {
            self.fill(done);
        }
    }

    /// Waits until the first batch is done; while the helper works on it,
    /// does queued tasks (of any relay) rather than sit idle.
    fn wait_for_front(&mut self) -> Result<(), Error> {
        while matches!(self.in_flight.front(), Some(None)) {
            if let Ok(done) = self.from_helper.try_recv() {
                self.fill(done);
            } else if let Some(task) = Helper::get().take() {
                task();
            } else {
                let done = self.from_helper.recv().map_err(|_| stopped())?;
                self.fill(done);
            }
        }
        Ok(())
    }

    /// Puts a batch's results in its place; a batch whose work panicked is
    /// left empty, and delivering stops there.
    fn fill(&mut self, (number, done): Finished<D>) {
        self.lost |= done.is_none();
        let place = usize::try_from(number - self.first).ok();
        if let Some(slot) = place.and_then(|i| self.in_flight.get_mut(i)) {
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
                self.first += 1;
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

    /// Every record of `records` through `relay`, the results in order.
    fn run<J, D, W>(mut relay: Relay<J, D, W>, records: impl IntoIterator<Item = J>) -> Vec<D>
    where
        J: Send + 'static,
        D: Send + 'static,
        W: Fn(J) -> D + Send + Sync + 'static,
    {
        let mut out = Vec::new();
        let mut deliver = |d| {
            out.push(d);
            Ok(())
        };
        for record in records {
            relay.push(record, &mut deliver).unwrap();
        }
        relay.finish(&mut deliver).unwrap();
        out
    }

    #[test]
    fn results_come_in_input_order_whoever_does_the_work() {
        // Slow work on some records, so that both threads take batches.
        let relay = Relay::new(|n: u64| {
            if n.is_multiple_of(97) {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            n * 2
        });
        let out = run(relay, 0..20_000);
        assert_eq!(out, (0..20_000).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn relays_on_several_threads_share_the_helper() {
        std::thread::scope(|scope| {
            let runs: Vec<_> = (0..4u64)
                .map(|k| {
                    scope.spawn(move || {
                        let out = run(Relay::new(move |n: u64| n * k), 0..5_000);
                        out == (0..5_000).map(|n| n * k).collect::<Vec<_>>()
                    })
                })
                .collect();
            for run in runs {
                assert!(run.join().unwrap());
            }
        });
    }

    /// With the helper held up by a long batch, a caller does its own
    /// queued batches rather than wait for the helper.
    #[test]
    fn a_waiting_caller_does_queued_batches_itself() {
        let (release, held) = channel::<()>();
        let held = Mutex::new(held);
        let (started, on_helper) = channel::<String>();
        let started = Mutex::new(started);
        let blocker = std::thread::spawn(move || {
            // One batch whose work waits until released.
            let mut relay = Relay::new(move |n: u32| {
                if n == 0 {
                    let thread = std::thread::current();
                    let _ = started
                        .lock()
                        .unwrap()
                        .send(thread.name().unwrap_or("").to_owned());
                    let _ = held.lock().unwrap().recv();
                }
                n
            });
            let mut deliver = |_| Ok(());
            for n in 0..BATCH as u32 {
                relay.push(n, &mut deliver).unwrap();
            }
            relay.finish(&mut deliver).unwrap();
        });
        let holder = on_helper.recv().unwrap();
        // A safety net: release the helper after a while in any case.
        let watchdog = release.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(20));
            let _ = watchdog.send(());
        });
        let start = std::time::Instant::now();
        let out = run(Relay::new(|n: u64| n + 1), 0..5_000);
        let took = start.elapsed();
        let _ = release.send(());
        blocker.join().unwrap();
        assert_eq!(out, (1..=5_000).collect::<Vec<_>>());
        if holder == "paper-export helper" {
            assert!(took < std::time::Duration::from_secs(10), "{took:?}");
        }
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
