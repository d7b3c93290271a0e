//! Command-line layer: clap definitions, one file per subcommand, exit codes and output.

mod args;
mod compare;
mod drift;
mod output;
mod progress;
mod scan;
mod show;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: success, no differences.
pub const EXIT_OK: u8 = 0;
/// Exit code: differences found (compare).
pub const EXIT_DIFF: u8 = 1;
/// Exit code: an error, or some input failed (scan, drift).
pub const EXIT_ERROR: u8 = 2;

/// Read, compare and track drift in the special provisions (特别规定事项) of Chinese
/// value-added telecom business licences.
#[derive(Debug, Parser)]
#[command(name = "provdiff", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Show(show::Args),
    Compare(compare::Args),
    Drift(drift::Args),
    Scan(scan::Args),
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Show(args) => show::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Drift(args) => drift::run(args),
        Command::Scan(args) => scan::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(EXIT_OK);
            }
            let _ = writeln!(io::stderr(), "provdiff: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Whether failures are also told on standard error as they happen. Not when the table that
/// lists them goes to the same terminal: the user would read each one twice.
pub fn failures_on_stderr(table_to_terminal: bool) -> bool {
    use std::io::IsTerminal;
    !(table_to_terminal && io::stdout().is_terminal() && io::stderr().is_terminal())
}

/// The error of a run that found nothing to read: which directories were searched, for what.
/// (Files named are always read, so only directories, or an empty list, can come up empty.)
pub fn nothing_to_read(
    paths: &[std::path::PathBuf],
    glob: &str,
    files_from: Option<&std::path::Path>,
) -> anyhow::Error {
    let dirs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    match (dirs.is_empty(), files_from) {
        (true, Some(list)) => anyhow::anyhow!(
            "no certificates to read: --files-from {} lists no paths",
            list.display()
        ),
        (true, None) => anyhow::anyhow!("no certificates to read"),
        (false, _) => anyhow::anyhow!(
            "no certificates to read: no file in {} matches --glob {glob:?} (in any case; hidden files and directories are skipped)",
            dirs.join(", ")
        ),
    }
}

/// The paths given, then those listed one per line in `files_from` (`-`: standard input),
/// relative to the current directory; blank lines are skipped. A listed `-` is a file of
/// that name.
pub fn with_listed_paths(
    paths: &[std::path::PathBuf],
    files_from: Option<&std::path::Path>,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    use std::io::Read;
    use std::path::PathBuf;
    let mut all = paths.to_vec();
    let Some(list) = files_from else {
        return Ok(all);
    };
    let mut bytes = Vec::new();
    let read = if list == std::path::Path::new("-") {
        io::stdin().lock().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(list).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    read.map_err(|e| {
        anyhow::anyhow!(
            "--files-from {}: {}",
            list.display(),
            provdiff::parse::io_reason(&e)
        )
    })?;
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        all.push(match line {
            b"-" => PathBuf::from("./-"),
            _ => path_from_bytes(line),
        });
    }
    Ok(all)
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).into()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> std::path::PathBuf {
    String::from_utf8_lossy(bytes).into_owned().into()
}

/// Refuses to read standard input for more than one input: `uses` names each input given as
/// `-`.
pub fn standard_input_once(uses: &[&str]) -> anyhow::Result<()> {
    if uses.len() > 1 {
        anyhow::bail!(
            "standard input can be read for one input only, but `-` is given for {}",
            uses.join(" and ")
        );
    }
    Ok(())
}

/// Reads one certificate from a path, `-` meaning standard input.
pub fn read_certificate(
    path: &str,
    opts: &provdiff::ParseOptions,
) -> Result<provdiff::model::Certificate, provdiff::ParseError> {
    if path == "-" {
        let bytes = provdiff::parse::read_bytes("-", io::stdin().lock())?;
        provdiff::parse::parse_owned("-", bytes, opts)
    } else {
        provdiff::parse_file(std::path::Path::new(path), opts)
    }
}

/// Columns the text reports may use: none for a report written to a file (`to_file`);
/// else `COLUMNS` when set, else the width of the terminal on standard output; `None` (no
/// limit: nothing is cut or wrapped to fit) when standard output is not a terminal.
pub fn terminal_width(to_file: bool) -> Option<u16> {
    use std::io::IsTerminal;
    if to_file {
        return None;
    }
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|&w| w >= 40)
    {
        return Some(w);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    Some(
        comfy_table::Table::new()
            .width()
            .map_or(provdiff::report::DEFAULT_WIDTH, |w| w.max(40)),
    )
}
