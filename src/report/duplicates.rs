//! Possible duplicates (licence numbers held by more than one file) in words, as the text
//! renderers of `scan` and `drift` show them: a heading, then one line per licence number.

use std::io::{self, Write};

use crate::corpus::duplicates::Duplicate;
use crate::report::redline::{code_span, escape_markdown};

/// `Possible duplicates: 2 licence numbers held by more than one file (…)`.
pub fn heading(n: usize) -> String {
    format!(
        "Possible duplicates: {n} licence {} held by more than one file (the same licence read twice, or a renewal)",
        if n == 1 { "number" } else { "numbers" }
    )
}

/// The files of a duplicate with their issue dates: `a.txt (issued 2023-08-04), b.txt (…)`.
pub fn files(d: &Duplicate) -> String {
    d.documents
        .iter()
        .map(|f| match f.issued {
            Some(i) => format!("{} (issued {i})", f.path),
            None => format!("{} (no issue date)", f.path),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The heading, then `  京B2-20224676: a.txt (issued …), b.txt (issued …)` per licence
/// number; nothing when there are none.
pub fn lines(out: &mut dyn Write, duplicates: &[Duplicate]) -> io::Result<()> {
    if duplicates.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", heading(duplicates.len()))?;
    for d in duplicates {
        writeln!(out, "  {}: {}", d.license_no, files(d))?;
    }
    Ok(())
}

/// A Markdown section: the heading, then a table with one row per file; nothing when there
/// are none.
pub fn markdown(out: &mut dyn Write, duplicates: &[Duplicate]) -> io::Result<()> {
    if duplicates.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n## Possible duplicates\n")?;
    writeln!(out, "{}\n", escape_markdown(&heading(duplicates.len())))?;
    writeln!(out, "| licence no | file | issued |\n|---|---|---|")?;
    for d in duplicates {
        for f in &d.documents {
            writeln!(
                out,
                "| {} | `{}` | {} |",
                escape_markdown(&d.license_no),
                code_span(&f.path),
                f.issued.map(|i| i.to_string()).unwrap_or_default()
            )?;
        }
    }
    Ok(())
}
