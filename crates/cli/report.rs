//! Messages for the user, on standard error.

use std::fmt::Display;
use std::io::{self, Write};

/// Prints warnings (unless quiet) and errors to standard error.
pub(crate) struct Reporter {
    quiet: bool,
}

impl Reporter {
    pub(crate) fn new(quiet: bool) -> Self {
        Reporter { quiet }
    }

    /// A warning about a place in the input.
    pub(crate) fn warn(&self, location: &impl Display, message: &impl Display) {
        if !self.quiet {
            let _ = writeln!(io::stderr(), "paper-export: warning: {location}: {message}");
        }
    }

    /// A general warning.
    pub(crate) fn note(&self, message: &impl Display) {
        if !self.quiet {
            let _ = writeln!(io::stderr(), "paper-export: warning: {message}");
        }
    }

    /// An error that does not stop the run (`--keep-going`).
    pub(crate) fn error(&self, message: &impl Display) {
        let _ = writeln!(io::stderr(), "paper-export: error: {message}");
    }
}
