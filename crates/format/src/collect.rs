use paper_model::{CollectionHeader, Paper};

use crate::{Error, Location, PaperSink};

/// A sink that keeps everything a reader gives it: the header, each paper
/// with its place, and the message of each bad record.
///
/// For tests and small inputs; it holds the whole input in memory.
///
/// ```
/// use paper_format::{Collect, Error, Location, Paper, PaperSink};
///
/// let mut collected = Collect::default();
/// let here = |line| Location::new("titles.txt", line, 1);
/// collected.record(Ok((Paper::new("A title", 2000), here(2))))?;
/// collected.record(Err(Error::parse(here(3), "expected a title")))?;
/// assert_eq!(collected.papers.len(), 1);
/// assert_eq!(collected.errors, ["titles.txt:3:1: expected a title"]);
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Collect {
    /// The header, when the reader gave one.
    pub header: Option<CollectionHeader>,
    /// The papers and where each starts.
    pub papers: Vec<(Paper, Location)>,
    /// The messages of the records that could not be read.
    pub errors: Vec<String>,
}

impl PaperSink for Collect {
    fn header(&mut self, header: CollectionHeader) -> Result<(), Error> {
        self.header = Some(header);
        Ok(())
    }

    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error> {
        match record {
            Ok(found) => self.papers.push(found),
            Err(error) => self.errors.push(error.to_string()),
        }
        Ok(())
    }
}
