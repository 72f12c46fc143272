use std::io::{BufRead, Write};

use paper_model::{CollectionHeader, Paper};

use crate::{Error, Location, ReadOptions, WriteOptions};

/// What a format is called and what it can do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatInfo {
    /// The name given to `--format` and `--from` (`bibtex`).
    pub name: &'static str,
    /// Other accepted names (`bib`).
    pub aliases: &'static [&'static str],
    /// File extensions without the dot, longest first (`csl.json` before `json`).
    pub extensions: &'static [&'static str],
    /// One line for `--list-formats`.
    pub summary: &'static str,
    /// True when the output is not text and must not go to a terminal.
    pub binary: bool,
}

/// An order of papers that a format can ask for (see [`Format::default_order`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaperOrder {
    /// As read: papers stream straight from the reader to the writer.
    #[default]
    Input,
    /// By date (year, month, day), newest first; papers without a year last.
    NewestFirst,
}

/// A writer: gets the header, then papers one at a time, then `finish`.
///
/// The output is passed in on each call, so a writer never owns it and
/// the caller decides on buffering. A writer holds no more than one paper
/// unless its format needs the whole list (a binary package).
pub trait Writer {
    /// Writes whatever comes before the first paper.
    fn begin(&mut self, out: &mut dyn Write, header: &CollectionHeader) -> Result<(), Error> {
        let _ = (out, header);
        Ok(())
    }

    /// Writes one paper.
    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error>;

    /// Writes whatever comes after the last paper.
    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        let _ = out;
        Ok(())
    }

    /// The part of this writer's work that needs nothing but the paper,
    /// for a caller that renders papers ahead, on another thread; `None`
    /// (the default) when [`Writer::write_paper`] does all of it.
    fn renderer(&self) -> Option<Box<dyn Render>> {
        None
    }

    /// Writes a paper that this writer's [`Writer::renderer`] has rendered
    /// as `rendered`: the output is the same as `write_paper`'s. Papers
    /// come in their order, whether rendered or not.
    fn write_rendered(
        &mut self,
        out: &mut dyn Write,
        paper: &Paper,
        rendered: &[u8],
    ) -> Result<(), Error> {
        let _ = rendered;
        self.write_paper(out, paper)
    }
}

/// Renders one paper for a [`Writer`], independently of every other paper,
/// so that it can run on any thread (see [`Writer::renderer`]).
pub trait Render: Send + Sync {
    /// The bytes that [`Writer::write_rendered`] takes for this paper.
    fn render(&self, paper: &Paper) -> Result<Vec<u8>, Error>;
}

/// Receives what a reader parses, in order.
pub trait PaperSink {
    /// The collection header, given at most once and before any paper when
    /// the input has one.
    fn header(&mut self, header: CollectionHeader) -> Result<(), Error>;

    /// One record: a paper and where it starts, or the error that made it
    /// unreadable. Returning `Err` stops the reader, which returns that error.
    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error>;
}

/// Names an input for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file name as the user gave it, `<stdin>` for standard input.
    pub name: String,
}

impl Source {
    /// A source with this name.
    pub fn new(name: impl Into<String>) -> Self {
        Source { name: name.into() }
    }

    /// A location in this source.
    pub fn at(&self, line: u64, column: u64) -> Location {
        Location::new(self.name.clone(), line, column)
    }
}

/// A reader: parses an input and pushes papers into a sink as it goes.
pub trait Reader {
    /// Reads all of `input`. A record the reader cannot make sense of goes
    /// to the sink as an `Err`; an error that ends the input (bad UTF-8, a
    /// broken structure) is returned.
    fn read(
        &self,
        input: &mut dyn BufRead,
        source: &Source,
        sink: &mut dyn PaperSink,
    ) -> Result<(), Error>;

    /// True when the reader puts its input through a
    /// [`Utf8Input`](crate::Utf8Input) itself, so that invalid UTF-8 is an
    /// error naming its byte offset; callers then need not check again.
    fn checks_utf8(&self) -> bool {
        false
    }

    /// True when the reader parses records on more than one thread itself
    /// (with a [`Relay`](crate::parallel::Relay)), so that a caller gains
    /// nothing by giving it a thread of its own.
    fn parses_in_parallel(&self) -> bool {
        false
    }
}

/// A format: its description and constructors for its reader and writer.
pub trait Format: Send + Sync {
    /// Name, aliases, extensions and summary.
    fn info(&self) -> &FormatInfo;

    /// A writer, or `None` when the format cannot be written.
    fn writer(&self, options: &WriteOptions) -> Option<Box<dyn Writer>> {
        let _ = options;
        None
    }

    /// A reader, or `None` when the format cannot be read.
    fn reader(&self, options: &ReadOptions) -> Option<Box<dyn Reader>> {
        let _ = options;
        None
    }

    /// The order to write papers in when the user asks for none
    /// (`--sort`). Formats whose readers expect a particular order, such as
    /// feeds (newest first), say so here; the caller does the sorting.
    fn default_order(&self) -> PaperOrder {
        PaperOrder::Input
    }

    /// Warnings about these options for the caller to show the user, such
    /// as a setting the output should have and does not. Empty by default.
    fn option_warnings(&self, options: &WriteOptions) -> Vec<String> {
        let _ = options;
        Vec::new()
    }

    /// True when this format has a reader.
    fn can_read(&self) -> bool {
        self.reader(&ReadOptions::default()).is_some()
    }

    /// True when this format has a writer.
    fn can_write(&self) -> bool {
        self.writer(&WriteOptions::default()).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;

    static PLAIN: FormatInfo = FormatInfo {
        name: "plain",
        aliases: &[],
        extensions: &[],
        summary: "",
        binary: false,
    };

    impl Format for Plain {
        fn info(&self) -> &FormatInfo {
            &PLAIN
        }
    }

    #[test]
    fn a_format_keeps_the_input_order_and_has_no_warnings_by_default() {
        assert_eq!(Plain.default_order(), PaperOrder::Input);
        assert_eq!(PaperOrder::default(), PaperOrder::Input);
        assert!(Plain.option_warnings(&WriteOptions::default()).is_empty());
        assert!(!Plain.can_read() && !Plain.can_write());
    }
}
