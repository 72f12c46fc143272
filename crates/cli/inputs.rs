//! Reading the inputs: the built-in collection or files, parsed on a second
//! thread and handed to the pipeline in batches, so that parsing and
//! writing each get a core.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread;

use anyhow::{Context, anyhow};
use paper_format::{Error, Format, Location, PaperSink, ReadOptions, Source};
use paper_model::{CollectionHeader, Paper};

/// One input of an export.
pub(crate) enum Input<'a> {
    /// The built-in collection.
    Builtin,
    /// A file (or `-` for standard input) in a format.
    File(&'a Path, &'a dyn Format),
}

/// Records per batch sent between the threads.
const BATCH: usize = 256;
/// Batches in flight: bounds the memory between reader and writer.
const BATCHES_IN_FLIGHT: usize = 4;

// Records are almost every message; boxing them would add an allocation per paper.
#[allow(clippy::large_enum_variant)]
enum Message {
    Header(CollectionHeader),
    Record(Result<(Paper, Location), Error>),
}

/// The reader thread's sink: collects messages into batches and sends them.
struct ChannelSink {
    batch: Vec<Message>,
    sender: SyncSender<Vec<Message>>,
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
        self.sender
            .send(batch)
            .map_err(|_| Error::Io(io::Error::other("the writer stopped")))
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

/// Reads every input in order on a second thread and feeds `sink` with what
/// it finds. An error of the sink stops the reading; otherwise the first
/// reading error is returned after everything before it was fed.
pub(crate) fn read_all(inputs: &[Input<'_>], sink: &mut dyn PaperSink) -> anyhow::Result<()> {
    thread::scope(|scope| {
        let (sender, receiver) = sync_channel::<Vec<Message>>(BATCHES_IN_FLIGHT);
        let reading = scope.spawn(move || -> anyhow::Result<()> {
            let mut channel = ChannelSink {
                batch: Vec::with_capacity(BATCH),
                sender,
            };
            for input in inputs {
                match input {
                    Input::Builtin => feed_builtin(&mut channel)?,
                    Input::File(path, format) => read_input(path, *format, &mut channel)?,
                }
            }
            channel.send()?;
            Ok(())
        });
        let mut fed = Ok(());
        'batches: for batch in receiver.iter() {
            for message in batch {
                let result = match message {
                    Message::Header(header) => sink.header(header),
                    Message::Record(record) => sink.record(record),
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
    })
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

fn open_input(path: &Path) -> anyhow::Result<(Box<dyn BufRead>, Source)> {
    if path.as_os_str() == "-" {
        return Ok((
            Box::new(BufReader::with_capacity(256 * 1024, io::stdin())),
            Source::new("<stdin>"),
        ));
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok((
        Box::new(BufReader::with_capacity(256 * 1024, file)),
        Source::new(path.display().to_string()),
    ))
}

/// Reads one input into `sink`.
pub(crate) fn read_input(
    path: &Path,
    format: &dyn Format,
    sink: &mut dyn PaperSink,
) -> anyhow::Result<()> {
    let reader = format
        .reader(&ReadOptions::default())
        .ok_or_else(|| anyhow!("cannot read {}", format.info().name))?;
    let (mut input, source) = open_input(path)?;
    reader.read(&mut input, &source, sink)?;
    Ok(())
}
