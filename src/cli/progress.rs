//! Progress on standard error for the commands that read a corpus: a spinner counting the
//! files found while the inputs are walked, then a bar of the files parsed out of all found;
//! and the failures, told as they come. The bar is drawn only on a terminal, never with `-q`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use provdiff::corpus::FileError;

/// The progress of one run; hidden off a terminal or with `-q`.
pub struct Progress {
    bar: ProgressBar,
    /// Failures are told on standard error (see [`super::failures_on_stderr`]).
    tell: bool,
    failed: AtomicBool,
}

impl Progress {
    /// Progress labelled `label` ("scanning", "reading"), starting with the walk; failures
    /// are told on standard error when `tell`.
    pub fn new(label: &str, quiet: bool, tell: bool) -> Progress {
        let progress = |bar| Progress {
            bar,
            tell,
            failed: AtomicBool::new(false),
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
        if let Ok(style) =
            ProgressStyle::with_template("{prefix}: parsed {bar:40} {pos}/{len} files {elapsed}")
        {
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
