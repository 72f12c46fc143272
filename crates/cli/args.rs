//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  paper-export --format bibtex                  the built-in collection as BibTeX
  paper-export --format csv -o papers.csv       ... as CSV, written atomically
  paper-export -o papers.apkg --deck 'Papers::DL' --subdeck-by decade
                                                an Anki deck; re-import updates it
  paper-export my-papers.json --format csv      your own list (canonical JSON)
  paper-export a.csv b.md --format bibtex       several inputs (CSV, JSON Lines, Markdown tables, ...)
  paper-export --format json --year 2010.. --tag vision
  paper-export validate my-papers.json          list every problem, with its place
  paper-export --list-formats

Exit codes: 0 success, 1 bad input or I/O failure, 2 usage error.";

/// Export a list of papers to BibTeX, CSV, JSON and more, or convert one
/// format into another.
///
/// With no input, paper-export exports its built-in collection: 48 famous
/// deep-learning papers (1943-2022) with a question and a note for each, in
/// English and Chinese.
#[derive(Debug, Parser)]
#[command(name = "paper-export", version, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    #[command(flatten)]
    pub(crate) export: ExportArgs,
}

/// The arguments of an export (the default command).
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// Input files; `-` reads standard input. None: the built-in collection.
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<PathBuf>,

    /// Output format (see --list-formats). Default: from the --output extension.
    #[arg(short, long, value_name = "NAME")]
    pub(crate) format: Option<String>,

    /// Write to this file instead of standard output (atomically: a failed
    /// run leaves no file). `-` is standard output.
    #[arg(short, long, value_name = "PATH")]
    pub(crate) output: Option<PathBuf>,

    /// With -o: flush the new file to disk before renaming it into place,
    /// so that it survives a power cut or system crash right after the run.
    #[arg(long)]
    pub(crate) fsync: bool,

    /// Input format. Default: from each input's extension.
    #[arg(long, value_name = "NAME")]
    pub(crate) from: Option<String>,

    /// List the formats, what each can do, and their extensions.
    #[arg(long)]
    pub(crate) list_formats: bool,

    /// Language of the question and note in single-language outputs.
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub(crate) lang: String,

    /// Keep papers from these years: `1986`, `1980..2000`, `2010..`, `..1990`.
    #[arg(long, value_name = "RANGE")]
    pub(crate) year: Option<String>,

    /// Keep papers with this tag (repeat for any of several tags).
    #[arg(long, value_name = "TAG")]
    pub(crate) tag: Vec<String>,

    /// Keep papers with an author whose name contains this text (any case).
    #[arg(long, value_name = "TEXT")]
    pub(crate) author: Option<String>,

    /// Order of the papers. Anything but `input` holds the papers in memory.
    /// Default: `input`; `newest` for feeds (rss, atom).
    #[arg(long, value_enum, value_name = "KEY")]
    pub(crate) sort: Option<SortKey>,

    /// Reverse the order.
    #[arg(long)]
    pub(crate) reverse: bool,

    /// Write at most N papers (the first N after filtering and sorting).
    #[arg(long, value_name = "N")]
    pub(crate) limit: Option<u64>,

    /// Write the good records, report each bad one on stderr, and exit 1.
    #[arg(long)]
    pub(crate) keep_going: bool,

    /// Drop papers whose id or DOI repeats an earlier paper's.
    #[arg(long)]
    pub(crate) dedupe: bool,

    /// Do not print warnings.
    #[arg(short, long)]
    pub(crate) quiet: bool,

    /// Start the output with a UTF-8 byte order mark (CSV, TSV, RIS).
    #[arg(long)]
    pub(crate) bom: bool,

    /// CSV/TSV: write cells that look like spreadsheet formulas unchanged,
    /// and read a leading `'` as part of the cell.
    #[arg(long)]
    pub(crate) csv_raw: bool,

    /// RSS/Atom: the feed title. Default: the collection's title.
    #[arg(long, value_name = "TEXT")]
    pub(crate) feed_title: Option<String>,

    /// RSS/Atom: the page the feed belongs to. Default: the collection's homepage.
    #[arg(long, value_name = "URL")]
    pub(crate) feed_link: Option<String>,

    /// RSS/Atom: the feed description. Default: the collection's description.
    #[arg(long, value_name = "TEXT")]
    pub(crate) feed_description: Option<String>,

    /// RSS/Atom: the URL the feed will be published at (its self link).
    #[arg(long, value_name = "URL")]
    pub(crate) feed_url: Option<String>,

    /// Language of the question and note of CSV, TSV and Markdown inputs
    /// (`en`, `zh`, ...). Default: told from each text's script.
    #[arg(long, value_name = "LANG")]
    pub(crate) input_lang: Option<String>,

    /// BibTeX/BibLaTeX: leave the notes (`annote`/`annotation`) out.
    #[arg(long)]
    pub(crate) no_notes: bool,

    /// BibTeX/BibLaTeX: brace title words that styles must not lowercase
    /// (`{BERT}`, `{ImageNet}`), or leave titles alone.
    #[arg(long, value_enum, value_name = "HOW", default_value_t = ProtectCase::Words)]
    pub(crate) protect_case: ProtectCase,

    /// BibTeX: keep non-ASCII text as UTF-8 instead of LaTeX macros
    /// (`{\"u}`). BibLaTeX output is always UTF-8.
    #[arg(long)]
    pub(crate) unicode: bool,

    /// Anki: the deck name; `::` makes subdecks (`Papers::Classics`).
    /// Default: the collection's title.
    #[arg(long, value_name = "NAME", value_parser = deck_name)]
    pub(crate) deck: Option<String>,

    /// Anki: file each paper in a subdeck of the deck (`Deck::1980s`).
    #[arg(long, value_enum, value_name = "BY")]
    pub(crate) subdeck_by: Option<SubdeckBy>,
}

/// How BibTeX titles are protected against case changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProtectCase {
    /// Leave titles as they are.
    None,
    /// Brace words with inner capitals and single capitals.
    Words,
}

/// How `--subdeck-by` splits a deck.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SubdeckBy {
    /// One subdeck per decade of publication: `Deck::1980s`.
    Decade,
}

impl SubdeckBy {
    /// The value of the `subdeck-by` setting.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SubdeckBy::Decade => "decade",
        }
    }
}

/// Accepts a deck name with at least one non-empty `::` part.
fn deck_name(text: &str) -> Result<String, String> {
    if text.split("::").any(|part| !part.trim().is_empty()) {
        Ok(text.to_owned())
    } else {
        Err("a deck name needs some text, such as `Papers` or `Papers::Classics`".to_owned())
    }
}

/// How to order the papers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortKey {
    /// As read.
    Input,
    /// By year, then month and day.
    Year,
    /// By title.
    Title,
    /// By id.
    Id,
    /// By date, newest first; papers without a year last.
    Newest,
}

/// Commands other than exporting.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check files and list every problem with its place; exit 1 if any.
    Validate {
        /// Files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Their format. Default: from each file's extension.
        #[arg(long, value_name = "NAME")]
        from: Option<String>,
    },
    /// Print the JSON Schema of the collection format.
    Schema {
        /// Print the schema of one paper instead.
        #[arg(long)]
        paper: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}
