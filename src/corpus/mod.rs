//! Many certificate files: the paths given walked into files in a stable order
//! ([`collect_files`], [`walk_files`]), read in ordered parallel batches ([`map_in_order`],
//! [`walk_in_batches`], shared by `scan` and `drift`), and the files that hold the same
//! licence number ([`duplicates`]).

mod batch;
pub mod duplicates;
mod walk;

pub use batch::{Progress, Workers, map_in_order, walk_in_batches, with_pool};
pub use walk::{
    DEFAULT_GLOB, FileError, Files, GlobError, Shard, WalkOptions, collect_files,
    collect_files_told, walk_files,
};

use crate::parse::ParseOptions;

/// How the commands over a corpus read it.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// How each file is decoded and parsed.
    pub parse: ParseOptions,
    /// Which files inside the directories given are read.
    pub walk: WalkOptions,
    /// Worker threads (0: one per core).
    pub threads: usize,
}
