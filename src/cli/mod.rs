//! Command-line layer: clap definitions, one file per subcommand, exit codes and output.

mod compare;
mod drift;
mod output;
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

/// Reads one certificate from a path, `-` meaning standard input.
pub fn read_certificate(
    path: &str,
    opts: &provdiff::ParseOptions,
) -> Result<provdiff::model::Certificate, provdiff::ParseError> {
    if path == "-" {
        let bytes = provdiff::read_limited(io::stdin().lock())
            .map_err(|error| provdiff::ParseError::Io {
                path: "-".into(),
                error,
            })?
            .ok_or_else(|| provdiff::ParseError::TooLarge { path: "-".into() })?;
        provdiff::parse_owned("-", bytes, opts)
    } else {
        provdiff::parse_file(std::path::Path::new(path), opts)
    }
}

/// Columns to lay tables out for: `COLUMNS` when set, else the width of the terminal on
/// standard output, else 80.
pub fn terminal_width() -> u16 {
    use std::io::IsTerminal;
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|&w| w >= 40)
    {
        return w;
    }
    if io::stdout().is_terminal()
        && let Some(w) = comfy_table::Table::new().width()
    {
        return w.max(40);
    }
    provdiff::report::DEFAULT_WIDTH
}
