//! The `provdiff` command: parses arguments, runs a subcommand, owns the exit code.

mod cli;

use std::process::ExitCode;

// Parsing a corpus makes many small short-lived allocations on every worker thread; mimalloc
// serves them from per-thread pages where the system allocator spent a sixth of the run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_transparent_huge_pages();
    cli::run()
}

/// Asks Linux not to back this process's memory with transparent huge pages. Where the system
/// setting is `always`, every first touch of a 2 MiB region zeroes all of it, and mimalloc
/// returns freed pages to the system and touches them again as files come and go: in `drift`
/// over a large corpus a tenth of the time went to the kernel clearing pages.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE sets a flag of this process and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
