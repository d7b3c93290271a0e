//! `provdiff show FILE`: one certificate as data, its header fields and numbered provisions.

use std::io::{self, Write as _};

use anyhow::Result;

use crate::cli::EXIT_OK;
use crate::cli::args;

/// Show one certificate's header fields and provisions.
///
/// Reads FILE (`-` for standard input) in any common encoding, removes OCR noise and page
/// furniture, and prints the fields and every provision with the source line where it starts.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The certificate file, or `-` for standard input.
    file: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    encoding: args::Encoding,
    #[command(flatten)]
    ocr: args::Ocr,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

pub fn run(args: Args) -> Result<u8> {
    let opts = provdiff::ParseOptions {
        input: args.ocr.reader(|_| {}),
        ..args.encoding.parse_options()
    };
    let cert = super::read_certificate(&args.file, &opts)?;
    // Buffered: standard output is line-buffered, and pretty JSON is mostly short lines.
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Json => provdiff::report::json::show(&mut out, &cert)?,
        Format::Table => {
            provdiff::report::table::show(&mut out, &cert, super::terminal_width(false))?
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
