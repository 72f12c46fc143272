//! The path of every paper from a reader to a writer: validation,
//! duplicates, filters, ordering, and rendering shared with the helper
//! thread.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use paper_format::parallel::Relay;
use paper_format::{Error, Location, PaperSink, Writer};
use paper_model::{CollectionHeader, Paper, Severity, Validator};

use crate::args::SortKey;
use crate::report::Reporter;
use crate::select::{self, Filter};

/// Receives papers from readers and hands them to the writer.
///
/// Papers go straight through unless an order other than the input's is
/// asked for; then they are held until [`Pipeline::finish`]. When the
/// writer has a [`Render`](paper_format::Render)er, papers are rendered in
/// batches by a [`Relay`] (the helper thread or this one, whichever is
/// free) and written in input order.
pub(crate) struct Pipeline<'a> {
    output: Output<'a>,
    rendering: Option<Rendering>,
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
    /// Papers sent on to be written.
    sent: u64,
    /// Records that could not be used (only with `keep_going`).
    bad_records: u64,
}

/// A paper and what the writer's renderer made of it.
type Rendered = (Paper, Result<Vec<u8>, Error>);
/// Renders papers in batches and gives them back in order.
type Rendering = Relay<Paper, Rendered, Box<dyn Fn(Paper) -> Rendered + Send + Sync>>;

/// The writer and where it writes.
struct Output<'a> {
    writer: Box<dyn Writer>,
    out: &'a mut dyn Write,
    progress: ProgressBar,
    /// Papers written.
    written: u64,
}

impl Output<'_> {
    fn paper(&mut self, paper: &Paper) -> Result<(), Error> {
        self.writer.write_paper(self.out, paper)?;
        self.count();
        Ok(())
    }

    fn rendered(&mut self, (paper, rendered): Rendered) -> Result<(), Error> {
        self.writer.write_rendered(self.out, &paper, &rendered?)?;
        self.count();
        Ok(())
    }

    fn count(&mut self) {
        self.written += 1;
        if self.written.is_multiple_of(PROGRESS_STEP) {
            self.progress.set_position(self.written);
        }
    }
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
    /// Show a progress line on a terminal (`-q` turns it off).
    pub(crate) progress: bool,
}

/// Papers between two updates of the progress line.
const PROGRESS_STEP: u64 = 4096;

/// A spinner with a count on stderr, drawn only when stderr is a terminal
/// and only once the run has lasted a moment.
fn progress_line(wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
    let style = ProgressStyle::with_template("{spinner} {human_pos} papers written ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar
}

impl<'a> Pipeline<'a> {
    pub(crate) fn new(
        writer: Box<dyn Writer>,
        out: &'a mut dyn Write,
        reporter: &'a Reporter,
        settings: Settings,
    ) -> Self {
        let rendering = writer.renderer().map(|renderer| {
            let render: Box<dyn Fn(Paper) -> Rendered + Send + Sync> = Box::new(move |paper| {
                let rendered = renderer.render(&paper);
                (paper, rendered)
            });
            Relay::new(render)
        });
        Pipeline {
            output: Output {
                writer,
                out,
                progress: progress_line(settings.progress),
                written: 0,
            },
            rendering,
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
            sent: 0,
            bad_records: 0,
        }
    }

    fn holds_papers(&self) -> bool {
        self.sort != SortKey::Input || self.reverse
    }

    fn begin(&mut self) -> Result<(), Error> {
        if !self.begun {
            self.begun = true;
            let header = self.header.clone().unwrap_or_default();
            self.output.writer.begin(self.output.out, &header)?;
        }
        Ok(())
    }

    fn write(&mut self, paper: Paper) -> Result<(), Error> {
        self.begin()?;
        if self.limit.is_some_and(|limit| self.sent >= limit) {
            return Ok(());
        }
        self.sent += 1;
        match &mut self.rendering {
            Some(relay) => relay.push(paper, &mut |done| self.output.rendered(done)),
            None => self.output.paper(&paper),
        }
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

    /// With `--limit N`, drops held papers that can no longer be among the
    /// first N, once twice N are held: memory stays in proportion to N.
    ///
    /// The sorts are stable, so the papers kept stay in input order among
    /// equals, and the result is the same as sorting everything. Sorted
    /// without `reverse`, the first N are the ones to keep, or with it the
    /// last N.
    fn trim_held(&mut self) {
        let Some(limit) = self.limit.and_then(|l| usize::try_from(l).ok()) else {
            return;
        };
        if self.held.len() < limit.saturating_mul(2).max(64) {
            return;
        }
        select::sort(&mut self.held, self.sort, false);
        if self.reverse {
            let excess = self.held.len().saturating_sub(limit);
            self.held.drain(..excess);
        } else {
            self.held.truncate(limit);
        }
    }

    /// Writes held papers and whatever the format puts at the end.
    /// Returns the number of papers written and of bad records left out.
    pub(crate) fn finish(mut self) -> Result<(u64, u64), Error> {
        let mut held = std::mem::take(&mut self.held);
        select::sort(&mut held, self.sort, self.reverse);
        for paper in held {
            self.write(paper)?;
        }
        self.begin()?;
        if let Some(relay) = self.rendering.take() {
            relay.finish(&mut |done| self.output.rendered(done))?;
        }
        self.output.writer.finish(self.output.out)?;
        self.output.progress.finish_and_clear();
        Ok((self.output.written, self.bad_records))
    }
}

impl Drop for Pipeline<'_> {
    fn drop(&mut self) {
        // Leave no progress line behind an error message.
        self.output.progress.finish_and_clear();
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
            self.trim_held();
            Ok(())
        } else {
            self.write(paper)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects the titles it is given; with `render`, titles are rendered
    /// (on the helper thread or this one) and marked as such.
    struct Titles {
        titles: std::rc::Rc<std::cell::RefCell<Vec<String>>>,
        render: bool,
    }

    struct RenderTitle;

    impl paper_format::Render for RenderTitle {
        fn render(&self, paper: &Paper) -> Result<Vec<u8>, Error> {
            Ok(format!("{} (rendered)", paper.title).into_bytes())
        }
    }

    impl Writer for Titles {
        fn write_paper(&mut self, _: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
            self.titles.borrow_mut().push(paper.title.clone());
            Ok(())
        }

        fn renderer(&self) -> Option<Box<dyn paper_format::Render>> {
            self.render
                .then(|| Box::new(RenderTitle) as Box<dyn paper_format::Render>)
        }

        fn write_rendered(&mut self, _: &mut dyn Write, _: &Paper, r: &[u8]) -> Result<(), Error> {
            let title = String::from_utf8_lossy(r);
            let title = title.strip_suffix(" (rendered)").unwrap_or_default();
            self.titles.borrow_mut().push(title.to_owned());
            Ok(())
        }
    }

    /// The titles written, the same with and without rendering.
    fn run(papers: &[Paper], sort: SortKey, reverse: bool, limit: Option<u64>) -> Vec<String> {
        let plain = run_with(papers, sort, reverse, limit, false);
        let rendered = run_with(papers, sort, reverse, limit, true);
        assert_eq!(
            plain, rendered,
            "{sort:?} reverse={reverse} limit={limit:?}"
        );
        plain
    }

    fn run_with(
        papers: &[Paper],
        sort: SortKey,
        reverse: bool,
        limit: Option<u64>,
        render: bool,
    ) -> Vec<String> {
        let titles = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let reporter = Reporter::new(true);
        let mut out = Vec::new();
        let settings = Settings {
            filter: Filter::default(),
            sort,
            reverse,
            limit,
            keep_going: false,
            dedupe: false,
            progress: false,
        };
        let writer = Box::new(Titles {
            titles: titles.clone(),
            render,
        });
        let mut pipeline = Pipeline::new(writer, &mut out, &reporter, settings);
        for (i, paper) in papers.iter().enumerate() {
            let location = Location::new("test", i as u64 + 1, 0);
            pipeline.record(Ok((paper.clone(), location))).unwrap();
        }
        pipeline.finish().unwrap();
        titles.take()
    }

    #[test]
    fn a_limit_gives_the_first_n_of_the_whole_order_while_holding_few() {
        // Many ties, so that stability matters.
        let papers: Vec<Paper> = (0..1000)
            .map(|i| {
                let mut p = Paper::new(format!("p{i}"), 1990 + (i * 7919 % 13));
                p.id = format!("id{}", i * 31 % 17);
                p
            })
            .collect();
        for sort in [
            SortKey::Input,
            SortKey::Year,
            SortKey::Newest,
            SortKey::Id,
            SortKey::Title,
        ] {
            for reverse in [false, true] {
                let all = run(&papers, sort, reverse, None);
                assert_eq!(all.len(), 1000);
                for limit in [0, 1, 5, 40, 100, 999, 1000, 5000] {
                    let got = run(&papers, sort, reverse, Some(limit));
                    let n = (limit as usize).min(1000);
                    assert_eq!(got, all[..n], "{sort:?} reverse={reverse} limit={limit}");
                }
            }
        }
        let streamed = run(&papers, SortKey::Input, false, Some(3));
        assert_eq!(streamed, ["p0", "p1", "p2"]);
    }
}
