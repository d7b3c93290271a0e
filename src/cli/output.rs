//! Where reports go: standard output, or a file written atomically (a temporary file beside
//! the target, renamed over it) that is never one of the inputs.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set or `TERM=dumb`.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to standard output (never when writing a file).
    pub fn enabled(self, to_file: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                !to_file
                    && io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

/// Refuses an output path that is one of the input files (or the same file by another name).
pub fn check_not_an_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(out) = output.canonicalize() else {
        return Ok(()); // does not exist yet
    };
    for input in inputs {
        if input.canonicalize().is_ok_and(|i| i == out) {
            bail!(
                "{}: refusing to write the report over an input file",
                output.display()
            );
        }
        if input.is_dir() && out.starts_with(input.canonicalize().unwrap_or_default()) {
            // Writing inside a scanned directory is fine as long as it is not an input
            // file itself; a later run would skip it as not a certificate.
            continue;
        }
    }
    Ok(())
}

/// Runs `render` against standard output, or against a temporary file beside `output` that is
/// then renamed over it, so an interrupted run never leaves a half-written report.
pub fn write_output(
    output: Option<&Path>,
    inputs: &[PathBuf],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match output {
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            render(&mut w)?;
            w.flush()?;
        }
        Some(path) => {
            check_not_an_input(path, inputs)?;
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let tmp = tempfile::Builder::new()
                .prefix(".provdiff-")
                .suffix(".tmp")
                .tempfile_in(&dir)
                .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
            {
                let mut w = BufWriter::new(tmp.as_file());
                render(&mut w).with_context(|| format!("{}: write failed", path.display()))?;
                w.flush()?;
            }
            tmp.as_file().sync_all().ok();
            tmp.persist(path)
                .with_context(|| format!("{}: cannot write the report", path.display()))?;
        }
    }
    Ok(())
}
