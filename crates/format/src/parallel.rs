//! Parsing records on two threads while one thread reads the input.
//!
//! A streaming reader has two jobs: finding where each record ends (cheap)
//! and turning its text into a [`Paper`](crate::Paper) (most of the work).
//! A [`Relay`] takes the raw records from the reading thread in batches and
//! hands each batch to a worker thread; when the worker already has enough
//! queued, the reading thread does the batch itself. The results come back
//! in input order, so a reader's output does not depend on who did what.
//! At most a few batches are in flight, so memory stays flat.
//!
//! ```
//! use paper_format::parallel::Relay;
//!
//! let mut lengths = Vec::new();
//! std::thread::scope(|scope| {
//!     let mut relay = Relay::start(scope, |word: String| word.len());
//!     let mut deliver = |n| {
//!         lengths.push(n);
//!         Ok(())
//!     };
//!     for word in ["one", "three", "seven"] {
//!         relay.push(word.to_owned(), &mut deliver)?;
//!     }
//!     relay.finish(&mut deliver)
//! })?;
//! assert_eq!(lengths, [3, 5, 5]);
//! # Ok::<(), paper_format::Error>(())
//! ```

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, channel, sync_channel};
use std::thread::Scope;

use crate::Error;

/// Records per batch.
const BATCH: usize = 64;
/// Batches queued for the worker before the reading thread helps.
const QUEUED: usize = 2;
/// Batches in flight (queued, being worked on, or done and waiting for an
/// earlier one) before the reading thread waits.
const IN_FLIGHT: usize = 8;

/// Hands raw records to a worker thread (or works on them itself) and
/// delivers the results in input order.
pub struct Relay<J, D, W> {
    work: W,
    to_worker: Option<SyncSender<Vec<J>>>,
    from_worker: Receiver<Vec<D>>,
    batch: Vec<J>,
    /// Batches in input order: `None` while the worker has it.
    in_flight: VecDeque<Option<Vec<D>>>,
}

impl<J, D, W> Relay<J, D, W>
where
    J: Send,
    D: Send,
    W: Fn(J) -> D + Clone + Send,
{
    /// Starts the worker thread in `scope`; `work` turns one raw record
    /// into its result.
    pub fn start<'scope>(scope: &'scope Scope<'scope, '_>, work: W) -> Self
    where
        J: 'scope,
        D: 'scope,
        W: 'scope,
    {
        let (to_worker, worker_input) = sync_channel::<Vec<J>>(QUEUED);
        // Unbounded, but at most IN_FLIGHT batches are ever in it.
        let (worker_output, from_worker) = channel::<Vec<D>>();
        let worker = work.clone();
        scope.spawn(move || {
            for batch in worker_input {
                let done = batch.into_iter().map(&worker).collect();
                if worker_output.send(done).is_err() {
                    return;
                }
            }
        });
        Relay {
            work,
            to_worker: Some(to_worker),
            from_worker,
            batch: Vec::with_capacity(BATCH),
            in_flight: VecDeque::with_capacity(IN_FLIGHT + 1),
        }
    }

    /// Queues one raw record; delivers the results that are ready.
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
        self.to_worker = None;
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
        let worker = self.to_worker.as_ref().ok_or_else(stopped)?;
        match worker.try_send(batch) {
            Ok(()) => self.in_flight.push_back(None),
            Err(TrySendError::Full(batch)) => {
                let done = batch.into_iter().map(&self.work).collect();
                self.in_flight.push_back(Some(done));
            }
            Err(TrySendError::Disconnected(_)) => return Err(stopped()),
        }
        while self.in_flight.len() > IN_FLIGHT {
            self.wait_for_front()?;
            self.deliver_ready(deliver)?;
        }
        Ok(())
    }

    /// Fills in the batches the worker has finished (it finishes them in
    /// the order they were sent).
    fn collect_ready(&mut self) {
        while let Ok(done) = self.from_worker.try_recv() {
            self.fill_first_pending(done);
        }
    }

    fn wait_for_front(&mut self) -> Result<(), Error> {
        while matches!(self.in_flight.front(), Some(None)) {
            let done = self.from_worker.recv().map_err(|_| stopped())?;
            self.fill_first_pending(done);
        }
        Ok(())
    }

    fn fill_first_pending(&mut self, done: Vec<D>) {
        if let Some(slot) = self.in_flight.iter_mut().find(|slot| slot.is_none()) {
            *slot = Some(done);
        }
    }

    fn deliver_ready(
        &mut self,
        deliver: &mut dyn FnMut(D) -> Result<(), Error>,
    ) -> Result<(), Error> {
        while let Some(Some(_)) = self.in_flight.front() {
            if let Some(Some(done)) = self.in_flight.pop_front() {
                done.into_iter().try_for_each(&mut *deliver)?;
            }
        }
        Ok(())
    }
}

fn stopped() -> Error {
    Error::Io(std::io::Error::other("the parser thread stopped"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whoever_does_the_work() {
        let mut out = Vec::new();
        std::thread::scope(|scope| {
            // Slow work on some records, so that both threads take batches.
            let mut relay = Relay::start(scope, |n: u64| {
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
        });
        assert_eq!(out, (0..20_000).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_delivery_error_stops_the_relay() {
        let result = std::thread::scope(|scope| {
            let mut relay = Relay::start(scope, |n: u32| n);
            let mut deliver = |n: u32| {
                if n == 500 {
                    Err(Error::Io(std::io::Error::other("full")))
                } else {
                    Ok(())
                }
            };
            for n in 0..1000 {
                relay.push(n, &mut deliver)?;
            }
            relay.finish(&mut deliver)
        });
        assert_eq!(result.unwrap_err().to_string(), "full");
    }
}
