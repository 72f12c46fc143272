//! `paper-export`: the command-line front of the paper-export libraries.

mod args;
mod background;
mod inputs;
mod output;
mod pipeline;
mod registry;
mod report;
mod select;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
/// Papers are allocated on the parsing thread and freed on the writing one.
/// glibc's malloc serialises that on its arena locks (a quarter of a JSON
/// to CSV run went to lock waits and `_int_free`, in perf); mimalloc frees
/// across threads without a lock. Built without transparent huge pages,
/// which made its resident memory 12-16 MB larger (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{CommandFactory, Parser};
use paper_format::{
    Error, Format, Location, PaperOrder, PaperSink, ReadOptions, Registry, WriteOptions,
};
use paper_model::{CollectionHeader, Paper, Validator};

use crate::args::{Cli, Command, ExportArgs, SortKey};
use crate::inputs::{Input, read_input};
use crate::output::Output;
use crate::pipeline::{Pipeline, Settings};
use crate::report::Reporter;
use crate::select::Filter;

/// A mistake in how the program was called: exit code 2.
#[derive(Debug)]
struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "paper-export: error: {err:#}");
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<Error>()
                .is_some_and(Error::is_broken_pipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let registry = registry::builtin();
    match cli.command {
        None => export(&registry, &cli.export),
        Some(Command::Validate { files, from }) => validate(&registry, &files, from.as_deref()),
        Some(Command::Schema { paper }) => {
            let schema = if paper {
                paper_model::paper_schema()
            } else {
                paper_model::collection_schema()
            };
            print_bytes(schema.as_bytes())
        }
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "paper-export", &mut script);
            print_bytes(&script)
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            print_bytes(&page)
        }
    }
}

fn print_bytes(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn list_formats(registry: &Registry) -> anyhow::Result<ExitCode> {
    let mut text = String::from("FORMAT     READ  WRITE  EXTENSIONS          DESCRIPTION\n");
    for format in registry.formats() {
        let info = format.info();
        let yes = |b: bool| if b { "yes" } else { "-" };
        let extensions: Vec<String> = info.extensions.iter().map(|e| format!(".{e}")).collect();
        text.push_str(&format!(
            "{:<10} {:<5} {:<6} {:<19} {}\n",
            info.name,
            yes(format.can_read()),
            yes(format.can_write()),
            extensions.join(" "),
            info.summary
        ));
    }
    print_bytes(text.as_bytes())
}

/// The output format: `--format`, else the `-o` extension.
fn output_format<'r>(registry: &'r Registry, args: &ExportArgs) -> anyhow::Result<&'r dyn Format> {
    let names = registry.writable_names().join(", ");
    if let Some(name) = &args.format {
        return registry
            .by_name(name)
            .filter(|f| f.can_write())
            .ok_or_else(|| {
                usage(format!(
                    "unknown output format `{name}`; the formats are: {names}"
                ))
            });
    }
    if let Some(path) = args.output.as_deref().filter(|p| p.as_os_str() != "-") {
        return registry
            .by_extension(path)
            .filter(|f| f.can_write())
            .ok_or_else(|| {
                usage(format!(
                    "cannot tell the format from `{}`; give --format, one of: {names}",
                    path.display()
                ))
            });
    }
    Err(usage(format!(
        "give --format NAME (or -o FILE with a known extension); the formats are: {names}"
    )))
}

/// The format of one input: `--from`, else its extension.
fn input_format<'r>(
    registry: &'r Registry,
    path: &Path,
    from: Option<&str>,
) -> anyhow::Result<&'r dyn Format> {
    let names = registry.readable_names().join(", ");
    if let Some(name) = from {
        return registry
            .by_name(name)
            .filter(|f| f.can_read())
            .ok_or_else(|| {
                usage(format!(
                    "cannot read format `{name}`; readable formats: {names}"
                ))
            });
    }
    if path.as_os_str() == "-" {
        return Err(usage(format!(
            "reading standard input needs --from, one of: {names}"
        )));
    }
    registry
        .by_extension(path)
        .filter(|f| f.can_read())
        .ok_or_else(|| {
            usage(format!(
                "cannot tell the format of `{}`; give --from, one of: {names}",
                path.display()
            ))
        })
}

fn write_options(args: &ExportArgs) -> WriteOptions {
    let mut options = WriteOptions::default();
    options.lang = args.lang.clone();
    options.bom = args.bom;
    options.timestamp = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok());
    if args.csv_raw {
        options = options.with("csv-raw", "true");
    }
    let feed = [
        (paper_rss::FEED_TITLE, &args.feed_title),
        (paper_rss::FEED_LINK, &args.feed_link),
        (paper_rss::FEED_DESCRIPTION, &args.feed_description),
        (paper_rss::FEED_URL, &args.feed_url),
    ];
    for (key, value) in feed {
        if let Some(value) = value {
            options = options.with(key, value.as_str());
        }
    }
    if args.quiet {
        options = options.with("quiet", "true");
    }
    if args.no_notes {
        options = options.with("no-notes", "true");
    }
    if args.protect_case == args::ProtectCase::None {
        options = options.with("protect-case", "none");
    }
    if args.unicode {
        options = options.with("unicode", "true");
    }
    if let Some(deck) = &args.deck {
        options = options.with(paper_anki::SETTING_DECK, deck.clone());
    }
    if let Some(by) = args.subdeck_by {
        options = options.with(paper_anki::SETTING_SUBDECK_BY, by.as_str());
    }
    options
}

/// Settings for readers: `lang` from `--input-lang`, `csv-raw`.
fn read_options(args: &ExportArgs) -> ReadOptions {
    let mut options = ReadOptions::default();
    if let Some(lang) = &args.input_lang {
        options.settings.insert("lang".to_owned(), lang.clone());
    }
    if args.csv_raw {
        options
            .settings
            .insert("csv-raw".to_owned(), "true".to_owned());
    }
    options
}

fn export(registry: &Registry, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if args.list_formats {
        return list_formats(registry);
    }
    let format = output_format(registry, args)?;
    let filter =
        Filter::new(args.year.as_deref(), &args.tag, args.author.as_deref()).map_err(usage)?;
    // Check every input's format before writing anything.
    let inputs: Vec<(&PathBuf, &dyn Format)> = args
        .inputs
        .iter()
        .map(|path| Ok((path, input_format(registry, path, args.from.as_deref())?)))
        .collect::<anyhow::Result<_>>()?;

    // Inputs can fail half way: hold standard output back until the end.
    let mut output = if inputs.is_empty() {
        Output::open(args.output.as_deref())?
    } else {
        Output::open_spooled(args.output.as_deref())?
    };
    let explicit_stdout = args.output.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if format.info().binary && output.is_terminal() && !explicit_stdout {
        return Err(usage(format!(
            "{} output is binary; give -o FILE (or -o - to write it to the terminal anyway)",
            format.info().name
        )));
    }
    let options = write_options(args);
    let writer = format
        .writer(&options)
        .ok_or_else(|| usage(format!("cannot write {}", format.info().name)))?;
    let reporter = Reporter::new(args.quiet);
    for warning in format.option_warnings(&options) {
        reporter.note(&warning);
    }
    let sort = args.sort.unwrap_or(match format.default_order() {
        PaperOrder::NewestFirst => SortKey::Newest,
        _ => SortKey::Input,
    });
    let settings = Settings {
        filter,
        sort,
        reverse: args.reverse,
        limit: args.limit,
        keep_going: args.keep_going,
        dedupe: args.dedupe,
        progress: !args.quiet,
    };
    let mut pipeline = Pipeline::new(writer, output.writer(), &reporter, settings);

    let inputs: Vec<Input<'_>> = if inputs.is_empty() {
        vec![Input::Builtin]
    } else {
        inputs
            .into_iter()
            .map(|(path, format)| Input::File(path, format))
            .collect()
    };
    let broken_inputs = inputs::read_all(
        &inputs,
        &read_options(args),
        args.keep_going,
        &reporter,
        &mut pipeline,
    )?;
    let (written, bad) = pipeline.finish()?;
    let bad = bad + broken_inputs;
    output.commit(args.fsync)?;
    if written == 0 && bad == 0 {
        reporter.note(&"no papers were written");
    }
    if bad > 0 {
        reporter.error(&format!(
            "{bad} bad record(s) left out; the rest was written"
        ));
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Collects every problem of the files given to `validate`.
struct ProblemList {
    validator: Validator,
    lines: Vec<String>,
    papers: u64,
}

impl PaperSink for ProblemList {
    fn header(&mut self, _: CollectionHeader) -> Result<(), Error> {
        Ok(())
    }

    fn record(&mut self, record: Result<(Paper, Location), Error>) -> Result<(), Error> {
        match record {
            Err(error) => self.lines.push(error.to_string()),
            Ok((paper, location)) => {
                self.papers += 1;
                for problem in self.validator.check(&paper) {
                    self.lines.push(format!("{location}: {problem}"));
                }
            }
        }
        Ok(())
    }
}

fn validate(
    registry: &Registry,
    files: &[PathBuf],
    from: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut report = String::new();
    for path in files {
        let format = input_format(registry, path, from)?;
        let mut problems = ProblemList {
            validator: Validator::default(),
            lines: Vec::new(),
            papers: 0,
        };
        if let Err(error) = read_input(path, format, &ReadOptions::default(), &mut problems) {
            problems.lines.push(format!("{error:#}"));
        }
        for line in &problems.lines {
            report.push_str(line);
            report.push('\n');
        }
        let count = problems.lines.len();
        let verdict = if count == 0 {
            "ok".to_owned()
        } else {
            format!("{count} problem(s)")
        };
        report.push_str(&format!(
            "{}: {} papers, {verdict}\n",
            path.display(),
            problems.papers
        ));
        failed |= count > 0;
    }
    print_bytes(report.as_bytes())?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
