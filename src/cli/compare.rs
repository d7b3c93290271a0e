//! `provdiff compare A B`: align two certificates by content and diff them clause by clause.

use std::path::PathBuf;

use anyhow::Result;
use provdiff::compare::{CompareOptions, compare};
use provdiff::report::{self, CompareView};

use crate::cli::args;
use crate::cli::output::{ColorChoice, check_output, output_path, write_output};
use crate::cli::{EXIT_DIFF, EXIT_OK};

/// Compare two certificates provision by provision.
///
/// Provisions are paired by content, not by number, so an inserted business-type block or a
/// shifted numbering still pairs the right clauses. Each change is classified as obligation
/// (a negation added or removed, must turned into may; listed first), wording, number,
/// variant character, punctuation or likely OCR (slips an OCR engine makes: 覆 read as 履, an
/// added 和, `〈` for `(`, characters it doubted; shown apart, dimmed on a terminal).
///
/// Exit status: 1 when a provision is added, removed, or changed substantively (in wording, a
/// number or an obligation), else 0; 2 on error. Header fields are always reported but do not
/// change the exit status (measured against another company's certificate, such as the
/// regulator's template, every comparison would exit 1), nor do punctuation, variant
/// characters, likely OCR slips, renumbering or a move. Every format states the verdict with
/// the exit status.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first certificate (A), or `-` for standard input.
    a: String,
    /// The second certificate (B), or `-` for standard input.
    b: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output (`-o -`: standard
    /// output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave unchanged provisions (the same text under the same number in the same place) out
    /// of the table, Markdown and HTML views; renumbered and moved ones stay.
    #[arg(long)]
    only_changes: bool,
    /// Colour the redlines.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(flatten)]
    encoding: args::Encoding,
    #[command(flatten)]
    ocr: args::Ocr,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Markdown,
    Html,
}

pub fn run(args: Args) -> Result<u8> {
    if args.a == "-" && args.b == "-" {
        anyhow::bail!("only one of A and B can be standard input");
    }
    let inputs = vec![PathBuf::from(&args.a), PathBuf::from(&args.b)];
    check_output(args.output.as_deref(), &inputs)?;
    let opts = provdiff::ParseOptions {
        input: args.ocr.reader(|_| {}),
        ..args.encoding.parse_options()
    };
    let a = super::read_certificate(&args.a, &opts)?;
    let b = super::read_certificate(&args.b, &opts)?;
    let c = compare(&a, &b, &CompareOptions::default());
    let output = output_path(args.output.as_deref());
    let view = CompareView {
        width: super::terminal_width(output.is_some()),
        color: args.color.enabled(output.is_some()),
        only_changes: args.only_changes,
    };
    write_output(output, &inputs, |w| match args.format {
        Format::Table => report::table::compare(w, &c, &view),
        Format::Json => report::json::compare(w, &c),
        Format::Markdown => report::markdown::compare(w, &c, &view),
        Format::Html => report::html::compare(w, &c, &view),
    })?;
    Ok(if c.summary.differs {
        EXIT_DIFF
    } else {
        EXIT_OK
    })
}
