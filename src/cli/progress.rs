//! Progress on standard error for the commands that read a corpus: a spinner counting the
//! files found while the inputs are walked, then a bar of the files parsed out of all found.
//! Drawn only on a terminal, never with `-q`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// The progress of one run; hidden off a terminal or with `-q`.
#[derive(Clone)]
pub struct Progress(ProgressBar);

impl Progress {
    /// Progress labelled `label` ("scanning", "reading"), starting with the walk.
    pub fn new(label: &str, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        // Styled before it is first drawn (setting a style or prefix later draws it).
        let Ok(style) = ProgressStyle::with_template(
            "{spinner} {prefix}: finding certificates, {len} found, {pos} parsed {elapsed}",
        ) else {
            return Progress(ProgressBar::hidden());
        };
        let bar = ProgressBar::new(0)
            .with_style(style)
            .with_prefix(label.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(bar)
    }

    /// `n` more files found.
    pub fn found(&self, n: usize) {
        self.0.inc_length(n as u64);
    }

    /// The walk is over: the count of files is final, and a bar shows the share parsed.
    pub fn walked(&self) {
        if self.0.is_hidden() {
            return;
        }
        if let Ok(style) =
            ProgressStyle::with_template("{prefix}: parsed {bar:40} {pos}/{len} files {elapsed}")
        {
            self.0.set_style(style);
        }
    }

    /// One more file parsed.
    pub fn parsed(&self) {
        self.0.inc(1);
    }

    /// Runs `f` (which writes to standard error) with the progress lifted off the screen.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.0.suspend(f)
    }

    /// The reading is over: the progress leaves the screen.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
