use std::fmt;
use std::io;

/// A place in an input: file, line and column, both counted from 1.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file name as the user gave it (`-` or `<stdin>` for standard input).
    pub file: String,
    /// Line, from 1; 0 when unknown.
    pub line: u64,
    /// Column in characters, from 1; 0 when unknown.
    pub column: u64,
}

impl Location {
    /// A location in `file` at `line` and `column`.
    pub fn new(file: impl Into<String>, line: u64, column: u64) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// The error of every reader and writer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The input is not what the format expects at this place.
    #[error("{location}: {message}")]
    Parse {
        /// Where the problem is.
        location: Location,
        /// What was found and what was expected.
        message: String,
    },
    /// A paper was read but breaks a rule of the model.
    #[error("{location}: {problem}")]
    Invalid {
        /// Where the paper starts.
        location: Location,
        /// The problem, naming the paper and the field.
        problem: Box<paper_model::Problem>,
    },
    /// The format cannot do what was asked.
    #[error("{format}: {what}")]
    Unsupported {
        /// The format's name.
        format: &'static str,
        /// What it cannot do.
        what: String,
    },
}

impl Error {
    /// A parse error at `location`.
    pub fn parse(location: Location, message: impl Into<String>) -> Self {
        Error::Parse {
            location,
            message: message.into(),
        }
    }

    /// True when this error is a closed pipe on the output (`| head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_line_and_column() {
        let e = Error::parse(Location::new("in.json", 3, 7), "expected `,` or `]`");
        assert_eq!(e.to_string(), "in.json:3:7: expected `,` or `]`");
        let e = Error::parse(Location::new("in.csv", 0, 0), "empty file");
        assert_eq!(e.to_string(), "in.csv: empty file");
    }
}
