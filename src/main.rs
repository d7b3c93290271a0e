//! The `provdiff` command: parses arguments, runs a subcommand, owns the exit code.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
