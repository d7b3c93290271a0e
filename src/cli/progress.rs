//! Progress on standard error for the commands that read a corpus: a spinner counting the
//! files found while the inputs are walked, then a bar of the files parsed out of all found,
//! with the pages OCR'd (and taken from the cache) once there are any, and the time left;
//! and the failures, told as they come. The bar is drawn only on a terminal, never with `-q`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use provdiff::corpus::FileError;

/// The progress of one run; hidden off a terminal or with `-q`.
pub struct Progress {
    bar: ProgressBar,
    /// Failures are told on standard error (see [`super::failures_on_stderr`]).
    tell: bool,
    failed: AtomicBool,
    /// Pages OCR'd and pages taken from the cache.
    pages: Arc<[AtomicU64; 2]>,
}

impl Progress {
    /// Progress labelled `label` ("scanning", "reading"), starting with the walk; failures
    /// are told on standard error when `tell`.
    pub fn new(label: &str, quiet: bool, tell: bool) -> Progress {
        let progress = |bar| Progress {
            bar,
            tell,
            failed: AtomicBool::new(false),
            pages: Arc::default(),
        };
        if quiet || !std::io::stderr().is_terminal() {
            return progress(ProgressBar::hidden());
        }
        // Styled before it is first drawn (setting a style or prefix later draws it).
        let Ok(style) = ProgressStyle::with_template(
            "{spinner} {prefix}: finding certificates, {len} found, {pos} parsed {elapsed}",
        ) else {
            return progress(ProgressBar::hidden());
        };
        let bar = ProgressBar::new(0)
            .with_style(style)
            .with_prefix(label.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        progress(bar)
    }

    /// What to call as PDFs and scans are read: the pages OCR'd and those taken from the
    /// cache join the bar (OCR takes seconds a page: the bar of files moves slowly without).
    pub fn pages_hook(&self) -> impl Fn(provdiff::input::PagesRead) + Send + Sync + 'static {
        let bar = self.bar.clone();
        let pages = Arc::clone(&self.pages);
        move |read| {
            if bar.is_hidden() || read.ocr + read.cached == 0 {
                return;
            }
            let add = |i: usize, n: u32| {
                pages[i].fetch_add(u64::from(n), Ordering::Relaxed) + u64::from(n)
            };
            let (ocr, cached) = (add(0, read.ocr), add(1, read.cached));
            bar.set_message(format!(", {ocr} pages OCR'd, {cached} from the cache"));
        }
    }

    /// Whether some input failed.
    pub fn any_failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// The reading is over: the progress leaves the screen.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl provdiff::corpus::Progress for Progress {
    fn found(&self, n: usize) {
        self.bar.inc_length(n as u64);
    }

    /// The count of files is final, and a bar shows the share parsed.
    fn walked(&self) {
        if self.bar.is_hidden() {
            return;
        }
        if let Ok(style) = ProgressStyle::with_template(
            "{prefix}: parsed {bar:40} {pos}/{len} files{msg} {elapsed}, {eta} left",
        ) {
            self.bar.set_style(style);
        }
    }

    fn read(&self) {
        self.bar.inc(1);
    }

    /// Told with the progress lifted off the screen.
    fn failed(&self, e: &FileError) {
        self.failed.store(true, Ordering::Relaxed);
        if self.tell {
            self.bar
                .suspend(|| eprintln!("provdiff: {}: {}", e.path, e.error));
        }
    }
}
