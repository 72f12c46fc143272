//! Reading the inputs: the built-in collection or files, handed to the
//! pipeline in order.
//!
//! Readers that parse on two threads themselves (JSON, BibTeX) are read on
//! the pipeline's thread, so that the work of writing is shared out with
//! the parsing. Other readers run on a second thread of their own and hand
//! their papers over in batches, so that parsing and writing each get a core.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread;

use anyhow::{Context, anyhow};
use paper_format::{Error, Format, Location, PaperSink, ReadOptions, Source, Utf8Input};
use paper_model::{CollectionHeader, Paper};

use crate::report::Reporter;

/// One input of an export.
pub(crate) enum Input<'a> {
    /// The built-in collection.
    Builtin,
    /// A file (or `-` for standard input) in a format.
    File(&'a Path, &'a dyn Format),
}

impl Input<'_> {
    /// True when reading this input keeps two threads busy by itself.
    fn parses_in_parallel(&self, options: &ReadOptions) -> bool {
        match self {
            // Nothing to parse.
            Input::Builtin => true,
            Input::File(_, format) => format
                .reader(options)
                .is_some_and(|reader| reader.parses_in_parallel()),
        }
    }
}

/// Records per batch sent between the threads.
const BATCH: usize = 256;
/// Batches in flight: bounds the memory between reader and writer.
const BATCHES_IN_FLIGHT: usize = 4;

/// Where the inputs go: the papers, and the inputs that broke off.
trait InputSink: PaperSink {
    /// With `--keep-going`: an input broke off here; the rest of it is
    /// skipped and the next input is read.
    fn broken(&mut self, error: anyhow::Error) -> Result<(), Error>;

    /// True once the sink has returned an error: nothing more is read.
    fn stopped(&self) -> bool;
}

// Records are almost every message; boxing them would add an allocation per paper.
#[allow(clippy::large_enum_variant)]
enum Message {
    Header(CollectionHeader),
    Record(Result<(Paper, Location), Error>),
    Broken(anyhow::Error),
}

/// The reader thread's sink: collects messages into batches and sends them.
struct ChannelSink {
    batch: Vec<Message>,
    sender: SyncSender<Vec<Message>>,
    /// True once the writing side has gone: nothing more can be sent.
    stopped: bool,
}

impl ChannelSink {
    fn push(&mut self, message: Message) -> Result<(), Error> {
        self.batch.push(message);
        if self.batch.len() >= BATCH {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        // The receiver is gone only when the writing side has stopped with
        // its own error, which is the one reported.
        self.sender.send(batch).map_err(|_| {
            self.stopped = true;
            Error::Io(io::Error::other("the writer stopped"))
        })
    }
}

impl PaperSink for ChannelSink {
    fn header(&mut self, header: CollectionHeader) -> Result<(), Error> {
        self.push(Message::Header(header))
    }

    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error> {
        self.push(Message::Record(record))
    }
}

impl InputSink for ChannelSink {
    fn broken(&mut self, error: anyhow::Error) -> Result<(), Error> {
        self.push(Message::Broken(error))
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}

/// The pipeline itself, fed on its own thread.
struct Direct<'a> {
    sink: &'a mut dyn PaperSink,
    reporter: &'a Reporter,
    broken: u64,
    stopped: bool,
}

impl Direct<'_> {
    fn watch(&mut self, result: Result<(), Error>) -> Result<(), Error> {
        self.stopped |= result.is_err();
        result
    }
}

impl PaperSink for Direct<'_> {
    fn header(&mut self, header: CollectionHeader) -> Result<(), Error> {
        let result = self.sink.header(header);
        self.watch(result)
    }

    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error> {
        let result = self.sink.record(record);
        self.watch(result)
    }
}

impl InputSink for Direct<'_> {
    fn broken(&mut self, error: anyhow::Error) -> Result<(), Error> {
        report_broken(self.reporter, &error, &mut self.broken);
        Ok(())
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}

fn report_broken(reporter: &Reporter, error: &anyhow::Error, broken: &mut u64) {
    reporter.error(&format!("{error:#}"));
    *broken += 1;
}

/// Reads every input in order and feeds `sink` with what it finds, on this
/// thread when every input [parses in parallel](Input::parses_in_parallel)
/// by itself, else on a second thread. An error of the sink stops the
/// reading; otherwise the first reading error is returned after everything
/// before it was fed.
///
/// With `keep_going`, an input that breaks off (invalid UTF-8, a broken
/// structure, a file that cannot be opened) keeps what was read from it: the
/// error is reported in its place among the record errors and the next input
/// is read. Returns how many inputs broke off.
pub(crate) fn read_all(
    inputs: &[Input<'_>],
    options: &ReadOptions,
    keep_going: bool,
    reporter: &Reporter,
    sink: &mut dyn PaperSink,
) -> anyhow::Result<u64> {
    if inputs.iter().all(|input| input.parses_in_parallel(options)) {
        let mut direct = Direct {
            sink,
            reporter,
            broken: 0,
            stopped: false,
        };
        read_each(inputs, options, keep_going, &mut direct)?;
        return Ok(direct.broken);
    }
    let mut broken = 0;
    thread::scope(|scope| {
        let (sender, receiver) = sync_channel::<Vec<Message>>(BATCHES_IN_FLIGHT);
        let reading = scope.spawn(move || -> anyhow::Result<()> {
            let mut channel = ChannelSink {
                batch: Vec::with_capacity(BATCH),
                sender,
                stopped: false,
            };
            read_each(inputs, options, keep_going, &mut channel)?;
            channel.send()?;
            Ok(())
        });
        let mut fed = Ok(());
        'batches: for batch in receiver.iter() {
            for message in batch {
                let result = match message {
                    Message::Header(header) => sink.header(header),
                    Message::Record(record) => sink.record(record),
                    Message::Broken(error) => {
                        report_broken(reporter, &error, &mut broken);
                        Ok(())
                    }
                };
                if let Err(error) = result {
                    fed = Err(error);
                    break 'batches;
                }
            }
        }
        // Dropping the receiver tells the reader to stop.
        drop(receiver);
        let read = reading
            .join()
            .unwrap_or_else(|_| Err(anyhow!("reading the input failed unexpectedly")));
        fed?;
        read
    })?;
    Ok(broken)
}

/// Reads the inputs one after the other into `sink`.
fn read_each(
    inputs: &[Input<'_>],
    options: &ReadOptions,
    keep_going: bool,
    sink: &mut dyn InputSink,
) -> anyhow::Result<()> {
    for input in inputs {
        match input {
            Input::Builtin => feed_builtin(sink)?,
            Input::File(path, format) => {
                if let Err(error) = read_input(path, *format, options, sink) {
                    if !keep_going || sink.stopped() {
                        return Err(error);
                    }
                    let error = anyhow!("{error:#} (the rest of {} was skipped)", path.display());
                    sink.broken(error)?;
                }
            }
        }
    }
    Ok(())
}

/// Feeds the built-in collection.
pub(crate) fn feed_builtin(sink: &mut dyn PaperSink) -> Result<(), Error> {
    let collection = paper_collection::famous_papers();
    sink.header(collection.header)?;
    for (i, paper) in collection.papers.into_iter().enumerate() {
        let location = Location::new(format!("<built-in collection> paper #{}", i + 1), 0, 0);
        sink.record(Ok((paper, location)))?;
    }
    Ok(())
}

/// Opens an input. Unless the reader does it itself, the input is checked to
/// be UTF-8 on the way in, so that invalid bytes are reported with their byte
/// offset whatever the format.
fn open_input(path: &Path, check_utf8: bool) -> anyhow::Result<(Box<dyn BufRead>, Source)> {
    let (raw, source): (Box<dyn Read>, Source) = if path.as_os_str() == "-" {
        (Box::new(io::stdin()), Source::new("<stdin>"))
    } else {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        (Box::new(file), Source::new(path.display().to_string()))
    };
    let input: Box<dyn BufRead> = if check_utf8 {
        Box::new(Utf8Input::new(raw))
    } else {
        Box::new(BufReader::with_capacity(256 * 1024, raw))
    };
    Ok((input, source))
}

/// Reads one input into `sink`.
pub(crate) fn read_input(
    path: &Path,
    format: &dyn Format,
    options: &ReadOptions,
    sink: &mut dyn PaperSink,
) -> anyhow::Result<()> {
    let reader = format
        .reader(options)
        .ok_or_else(|| anyhow!("cannot read {}", format.info().name))?;
    let (mut input, source) = open_input(path, !reader.checks_utf8())?;
    reader
        .read(&mut input, &source, sink)
        .map_err(|e| e.at_source(&source))?;
    Ok(())
}
