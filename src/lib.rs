//! provdiff reads Chinese value-added telecom business licences (增值电信业务经营许可证) and
//! tracks how the wording of their special provisions (特别规定事项) differs and drifts.
//!
//! # The pipeline
//!
//! Data flows one way; each stage is a plain function over plain data, in a module of its own,
//! and reads a plain `XxxOptions` with a `Default`:
//!
//! 1. [`input`]: a PDF or a scan to page text (a PDF's text layer, else OCR).
//! 2. [`parse`](mod@parse): bytes to a [`Certificate`]: [`parse::ingest`] decodes them (UTF-8,
//!    UTF-16, GB18030 …), [`parse::normalize`] folds widths and drops OCR whitespace, Markdown
//!    and page furniture while keeping a map back to the source lines, [`parse::fields`] reads
//!    the cover page, [`parse::segment`] splits the special provisions into numbered
//!    provisions and sub-items. Entry points: [`parse_file`] and [`parse`](fn@parse).
//! 3. [`align`]: the provisions of two certificates paired by content, not by number.
//! 4. [`diff`]: two wordings to edit operations, readable hunks and their change classes.
//! 5. [`compare`](mod@compare): two certificates to a [`Comparison`], with
//!    [`compare`](fn@compare).
//! 6. [`drift`]: many certificates to a [`DriftReport`]: every provision placed in a slot
//!    across the corpus, each slot's wordings and who carries them; [`drift_paths`] builds
//!    one from paths, a [`DriftBuilder`] from certificates one at a time.
//! 7. [`corpus`] walks paths in a stable order and reads them in ordered parallel batches
//!    (with [`ReadOptions`]); [`scan`] gives each file's parse quality as a record.
//! 8. [`report`]: renderers, plain data in, bytes out through an `io::Write`, one module
//!    per format ([`report::table`], [`report::json`], [`report::csv`], [`report::markdown`],
//!    [`report::html`]).
//!
//! The library never prints and knows nothing of command-line flags; the `provdiff` binary
//! (feature `cli`, on by default) maps its flags to these options and owns the exit codes.
//!
//! # Example
//!
//! Two certificates of one company, the second giving 60 days where the first gave 30:
//!
//! ```
//! use provdiff::{CompareOptions, DriftOptions, ParseOptions, ReadOptions};
//!
//! let first = "经营许可证编号: 京B2-20224676\n公司名称: 甲公司\n特别规定事项\n\
//!              一、你公司应当遵守国家有关电信管理的规定。\n\
//!              二、你公司应当在变更后30日内向发证机关报告。\n";
//! let renewed = first.replace("30日", "60日");
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("2020.txt"), first)?;
//! std::fs::write(dir.path().join("2023.txt"), &renewed)?;
//!
//! // Parse: a file to its header fields and numbered provisions.
//! let a = provdiff::parse_file(&dir.path().join("2020.txt"), &ParseOptions::default())?;
//! let b = provdiff::parse_file(&dir.path().join("2023.txt"), &ParseOptions::default())?;
//! assert_eq!(a.fields.license_no.as_deref(), Some("京B2-20224676"));
//! let ids: Vec<String> = a.flat().map(|p| p.id.to_string()).collect();
//! assert_eq!(ids, ["一", "二"]);
//!
//! // Compare: provisions paired by content, diffed and classified.
//! let comparison = provdiff::compare(&a, &b, &CompareOptions::default());
//! assert_eq!((comparison.summary.same, comparison.summary.changed), (1, 1));
//! assert!(comparison.summary.differs);
//!
//! // Drift: every wording of every clause across the files under a directory.
//! let paths = [dir.path().to_path_buf()];
//! let drift = provdiff::drift_paths(&paths, &ReadOptions::default(), &DriftOptions::default())?;
//! assert_eq!(drift.summary.documents, 2);
//! assert_eq!(drift.summary.drifting_slots, 1);
//!
//! // Render: any report, in any format (one module each), into an `io::Write`.
//! let mut out = Vec::new();
//! provdiff::report::table::compare(&mut out, &comparison, &Default::default())?;
//! provdiff::report::json::drift(&mut out, &drift, None)?;
//! assert!(String::from_utf8(out)?.contains("60日"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod align;
pub mod compare;
pub mod corpus;
pub mod diff;
pub mod drift;
pub mod input;
pub mod model;
pub mod parse;
pub mod report;
pub mod scan;

pub use compare::{CompareOptions, Comparison, compare};
pub use corpus::ReadOptions;
pub use drift::{DriftBuilder, DriftOptions, DriftReport, drift_paths};
pub use model::Certificate;
pub use parse::{ParseError, ParseErrorKind, ParseOptions, parse, parse_file, parse_text};
