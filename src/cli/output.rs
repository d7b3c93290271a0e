//! Where reports go: standard output, or a file written atomically (a temporary file beside
//! the target, renamed over it) that is never one of the inputs; devices and named pipes are
//! written through.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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
    }
    Ok(())
}

/// Where a report given with `-o` goes.
enum Target {
    /// A device, a named pipe or a socket (`-o /dev/null`, `-o /dev/stdout`), written in
    /// place: a file renamed over it would replace it.
    Through,
    /// A regular file (existing or not), replaced whole: `file` is the path to write (a
    /// symbolic link's target: the link keeps pointing at it), `dir` its directory.
    File { file: PathBuf, dir: PathBuf },
}

/// What is wrong with `path` as the destination of a report, or how to write it. `path` is
/// the path the user gave; every message names it, never a temporary file.
fn target(path: &Path, inputs: &[PathBuf]) -> Result<Target> {
    check_not_an_input(path, inputs)?;
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => bail!(
            "{}: is a directory (-o takes the report's file name)",
            path.display()
        ),
        Ok(m) if !m.is_file() => return Ok(Target::Through),
        _ => {}
    }
    // A symbolic link to a file keeps pointing at it: the file is replaced, not the link.
    let resolved = if path.is_symlink() {
        path.canonicalize().ok()
    } else {
        None
    };
    let file = resolved.unwrap_or_else(|| path.to_path_buf());
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => bail!("{}: {} is not a directory", path.display(), dir.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            bail!("{}: no such directory: {}", path.display(), dir.display())
        }
        Err(e) => bail!(
            "{}: cannot reach the directory {}: {}",
            path.display(),
            dir.display(),
            provdiff::parse::io_reason(&e)
        ),
    }
    Ok(Target::File { file, dir })
}

/// Checks, before any work, that the report can be written where `-o` says (see
/// [`write_output`]): not over an input, not a directory, in a directory that exists and
/// takes new files (a temporary file is made there and removed). Sweeps the directory of
/// stale temporary files that killed runs left. Standard output needs no check.
pub fn check_output(output: Option<&Path>, inputs: &[PathBuf]) -> Result<()> {
    let Some(path) = output_path(output) else {
        return Ok(());
    };
    if let Target::File { file, dir } = target(path, inputs)? {
        sweep_stale_temporary_files(&dir);
        drop(temporary_file(path, &file, &dir)?);
    }
    Ok(())
}

/// Prefix of provdiff's temporary files; the whole name is
/// `.provdiff-tmp-<process id>-<6 random letters and digits>-<report's file name>`, so that
/// a file a killed run left is known for provdiff's, with the process that made it.
const TEMP_PREFIX: &str = ".provdiff-tmp-";
/// Random characters in a temporary file's name.
const TEMP_RANDOM: usize = 6;

/// A new temporary file in `dir` for the report `file`; errors name `path`, the path the
/// user gave.
fn temporary_file(path: &Path, file: &Path, dir: &Path) -> Result<tempfile::NamedTempFile> {
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    // The report's name, shortened so that the whole name stays within file-name limits.
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let suffix: String = format!("-{}", name.chars().take(64).collect::<String>());
    tempfile::Builder::new()
        .prefix(&prefix)
        .rand_bytes(TEMP_RANDOM)
        .suffix(&suffix)
        .tempfile_in(dir)
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: cannot write in {}: {}",
                path.display(),
                dir.display(),
                provdiff::parse::io_reason(&io::Error::from(e.kind()))
            )
        })
}

/// A temporary file is left only when a run is killed. It is stale when its process is gone
/// and nothing has written to it for this long (a live run writes its report without pause;
/// the pause also covers a run on another machine or in another process namespace sharing
/// the directory, whose process this one cannot see)…
const STALE_AFTER_EXIT: Duration = Duration::from_secs(60);
/// …or when nothing has written to it for this long, whatever its process id says (ids are
/// reused).
const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes the stale temporary files of earlier runs from `dir` (see [`TEMP_PREFIX`],
/// [`STALE_AFTER_EXIT`]): only regular files whose whole name has the shape of provdiff's.
/// Best effort: a file that cannot be examined or removed stays.
fn sweep_stale_temporary_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_file_pid) else {
            continue;
        };
        // `DirEntry::metadata` does not follow a symbolic link: a link is never removed.
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let idle = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or_default();
        let stale = idle >= STALE_AFTER
            || (idle >= STALE_AFTER_EXIT && pid != std::process::id() && !process_exists(pid));
        if meta.is_file() && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in the name of a temporary file of provdiff's, or `None` for any other
/// name.
fn temporary_file_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let (pid, rest) = rest.split_once('-')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let random = rest.get(..TEMP_RANDOM)?;
    let target = rest[TEMP_RANDOM..].strip_prefix('-')?;
    (random.bytes().all(|b| b.is_ascii_alphanumeric()) && !target.is_empty())
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether a process with this id runs (one of another user counts); `true` where that cannot
/// be known, so that only age makes a file stale there.
fn process_exists(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        alive || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        true
    }
}

/// Runs `render` against standard output, or into a temporary file beside `output` that is
/// renamed over it, so a failed or interrupted run never leaves a half-written report (the
/// old one, if any, stays as it was). A run killed before the rename leaves the temporary
/// file, which a later run sweeps (see [`check_output`]).
pub fn write_output(
    output: Option<&Path>,
    inputs: &[PathBuf],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let Some(path) = output else {
        let stdout = io::stdout();
        let mut w = BufWriter::new(stdout.lock());
        render(&mut w)?;
        w.flush()?;
        return Ok(());
    };
    // Checked again: the inputs walked are known now, and the directory may have changed.
    match target(path, inputs)? {
        Target::Through => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("{}: cannot open for writing", path.display()))?;
            let mut w = BufWriter::with_capacity(1 << 16, file);
            render(&mut w)
                .and_then(|()| w.flush())
                .with_context(|| format!("{}: write failed", path.display()))?;
        }
        Target::File { file, dir } => {
            // Stream into a temporary file beside the target (a report can be hundreds of
            // megabytes), then rename it into place. A render that fails drops the temporary
            // file, which deletes it: the target is never half-written.
            let mut tmp = temporary_file(path, &file, &dir)?;
            {
                let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
                render(&mut w)
                    .and_then(|()| w.flush())
                    .with_context(|| format!("{}: write failed", path.display()))?;
            }
            set_report_permissions(tmp.as_file(), &file);
            tmp.as_file().sync_all().ok();
            // On failure the temporary file is dropped, which deletes it.
            tmp.persist(&file).map_err(|e| {
                anyhow::anyhow!(
                    "{}: cannot write the report: {}",
                    path.display(),
                    provdiff::parse::io_reason(&e.error)
                )
            })?;
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
