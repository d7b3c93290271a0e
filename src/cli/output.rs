//! Where reports go: standard output, or a file written atomically (a temporary file beside
//! the target, renamed over it) that is never one of the inputs; devices and named pipes are
//! written through.

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

/// The report's path given with `-o`, or `None` for standard output: no `-o`, or `-o -`.
pub fn output_path(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| *p != Path::new("-"))
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

/// Runs `render` against standard output, or into memory and then a temporary file beside
/// `output` that is renamed over it, so a failed or interrupted run never leaves a
/// half-written report (the old one, if any, stays as it was).
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
            let existing = std::fs::metadata(path).ok();
            if existing.as_ref().is_some_and(|m| m.is_dir()) {
                bail!("{}: is a directory", path.display());
            }
            // A device, a named pipe or a socket (`-o /dev/null`, `-o /dev/stdout`) is written
            // in place: a file renamed over it would replace it.
            if existing.is_some_and(|m| !m.is_file()) {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("{}: cannot open for writing", path.display()))?;
                let mut w = BufWriter::with_capacity(1 << 16, file);
                return render(&mut w)
                    .and_then(|()| w.flush())
                    .with_context(|| format!("{}: write failed", path.display()));
            }
            // A symbolic link to a file keeps pointing at it: the file is replaced, not the
            // link.
            let resolved = if path.is_symlink() {
                path.canonicalize().ok()
            } else {
                None
            };
            let path = resolved.as_deref().unwrap_or(path);
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !dir.is_dir() {
                bail!("{}: no such directory", dir.display());
            }
            // Stream into a temporary file beside the target (a report can be hundreds of
            // megabytes), then rename it into place. A render that fails drops the temporary
            // file, which deletes it: the target is never half-written.
            let mut tmp = tempfile::Builder::new()
                .prefix(".provdiff-")
                .suffix(".tmp")
                .tempfile_in(&dir)
                .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
            {
                let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
                render(&mut w)
                    .and_then(|()| w.flush())
                    .with_context(|| format!("{}: write failed", path.display()))?;
            }
            set_report_permissions(tmp.as_file(), path);
            tmp.as_file().sync_all().ok();
            // On failure the temporary file is dropped, which deletes it.
            tmp.persist(path)
                .with_context(|| format!("{}: cannot write the report", path.display()))?;
        }
    }
    Ok(())
}

/// Gives the report the mode a plain new file would have (0666 less the umask), or keeps the
/// mode of the file it replaces, instead of the temporary file's private 0600.
#[cfg(unix)]
fn set_report_permissions(file: &std::fs::File, target: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = match std::fs::metadata(target) {
        Ok(m) => m.permissions().mode() & 0o7777,
        Err(_) => 0o666 & !current_umask(),
    };
    let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_report_permissions(_file: &std::fs::File, _target: &Path) {}

/// The process umask, read from /proc (Linux 4.7+); 022 when it cannot be read.
#[cfg(unix)]
fn current_umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}
