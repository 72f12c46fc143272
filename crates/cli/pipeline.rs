//! The path of every paper from a reader to a writer: validation,
//! duplicates, filters, ordering.

use std::io::Write;

use paper_format::{Error, Location, PaperSink, Writer};
use paper_model::{CollectionHeader, Paper, Severity, Validator};

use crate::args::SortKey;
use crate::report::Reporter;
use crate::select::{self, Filter};

/// Receives papers from readers and hands them to the writer.
///
/// Papers go straight through unless an order other than the input's is
/// asked for; then they are held until [`Pipeline::finish`].
pub(crate) struct Pipeline<'a> {
    writer: Box<dyn Writer>,
    out: &'a mut dyn Write,
    reporter: &'a Reporter,
    filter: Filter,
    sort: SortKey,
    reverse: bool,
    limit: Option<u64>,
    keep_going: bool,
    dedupe: bool,
    validator: Validator,
    header: Option<CollectionHeader>,
    begun: bool,
    held: Vec<Paper>,
    /// Records that could not be used (only with `keep_going`).
    pub(crate) bad_records: u64,
    /// Papers handed to the writer.
    pub(crate) written: u64,
}

/// How a pipeline treats what it receives.
pub(crate) struct Settings {
    pub(crate) filter: Filter,
    pub(crate) sort: SortKey,
    pub(crate) reverse: bool,
    /// Write at most this many papers.
    pub(crate) limit: Option<u64>,
    pub(crate) keep_going: bool,
    pub(crate) dedupe: bool,
}

impl<'a> Pipeline<'a> {
    pub(crate) fn new(
        writer: Box<dyn Writer>,
        out: &'a mut dyn Write,
        reporter: &'a Reporter,
        settings: Settings,
    ) -> Self {
        Pipeline {
            writer,
            out,
            reporter,
            filter: settings.filter,
            sort: settings.sort,
            reverse: settings.reverse,
            limit: settings.limit,
            keep_going: settings.keep_going,
            dedupe: settings.dedupe,
            validator: Validator::default(),
            header: None,
            begun: false,
            held: Vec::new(),
            bad_records: 0,
            written: 0,
        }
    }

    fn holds_papers(&self) -> bool {
        self.sort != SortKey::Input || self.reverse
    }

    fn write(&mut self, paper: &Paper) -> Result<(), Error> {
        if !self.begun {
            self.begun = true;
            let header = self.header.clone().unwrap_or_default();
            self.writer.begin(self.out, &header)?;
        }
        if self.limit.is_some_and(|limit| self.written >= limit) {
            return Ok(());
        }
        self.writer.write_paper(self.out, paper)?;
        self.written += 1;
        Ok(())
    }

    fn bad_record(&mut self, error: Error) -> Result<(), Error> {
        if self.keep_going {
            self.bad_records += 1;
            self.reporter.error(&error);
            Ok(())
        } else {
            Err(error)
        }
    }

    /// Writes held papers and whatever the format puts at the end.
    pub(crate) fn finish(mut self) -> Result<(u64, u64), Error> {
        let mut held = std::mem::take(&mut self.held);
        select::sort(&mut held, self.sort, self.reverse);
        for paper in &held {
            self.write(paper)?;
        }
        if !self.begun {
            self.begun = true;
            let header = self.header.clone().unwrap_or_default();
            self.writer.begin(self.out, &header)?;
        }
        self.writer.finish(self.out)?;
        Ok((self.written, self.bad_records))
    }
}

impl PaperSink for Pipeline<'_> {
    fn header(&mut self, header: CollectionHeader) -> Result<(), Error> {
        // The first input names the collection.
        if self.header.is_none() {
            self.header = Some(header);
        }
        Ok(())
    }

    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error> {
        let (paper, location) = match record {
            Ok(found) => found,
            Err(error) => return self.bad_record(error),
        };
        let mut duplicate = false;
        for problem in self.validator.check(&paper) {
            match problem.severity {
                Severity::Error => {
                    return self.bad_record(Error::Invalid {
                        location,
                        problem: Box::new(problem),
                    });
                }
                Severity::Warning => self.reporter.warn(&location, &problem),
                Severity::Duplicate => {
                    duplicate = true;
                    if !self.dedupe {
                        self.reporter.warn(&location, &problem);
                    }
                }
            }
        }
        if (duplicate && self.dedupe) || !self.filter.keeps(&paper) {
            return Ok(());
        }
        if self.holds_papers() {
            self.held.push(paper);
            Ok(())
        } else {
            self.write(&paper)
        }
    }
}
