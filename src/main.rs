//! The `provdiff` command: parses arguments, runs a subcommand, owns the exit code.

mod cli;

use std::process::ExitCode;

// Parsing a corpus makes many small short-lived allocations on every worker thread; mimalloc
// serves them from per-thread pages where the system allocator spent a sixth of the run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
