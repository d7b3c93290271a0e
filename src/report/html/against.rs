//! The `--against` section of the drift page: every certificate measured against the
//! reference, a table of counts, then each certificate's deviating clauses as redlines from the
//! reference's wording.

use std::io::{self, Write};

use crate::drift::{AgainstReport, DeviationStatus};
use crate::report::redline::{Style, redline};
use crate::report::rows;
use crate::report::words::{clause_label, skipped_text};

use super::drift::Limits;
use super::{class_badges, escape, plural};

/// Every certificate measured against the reference: a table of counts, then each
/// certificate's deviating clauses as redlines from the reference's wording.
pub(super) fn against_section(w: &mut dyn Write, a: &AgainstReport, o: &Limits) -> io::Result<()> {
    writeln!(
        w,
        "<section id=\"against\" lang=\"zh-CN\">\n<h2>Measured against <code>{}</code></h2>",
        escape(&a.reference)
    )?;
    writeln!(
        w,
        "<p class=\"muted\">Per certificate, the clauses that deviate from the reference, as redlines from the reference's wording to the certificate's: <del>deleted</del>, <ins>inserted</ins>. Ids: <b>ref</b> is the reference's, <b>own</b> the certificate's. A business-type block that one side does not hold is not applicable and is not counted.</p>"
    )?;
    let [certificate, counts @ ..] = rows::AGAINST_HEADER;
    write!(w, "<table class=\"grid\"><thead><tr><th>{certificate}</th>")?;
    for name in counts {
        write!(w, "<th class=\"num\">{name}</th>")?;
    }
    writeln!(w, "</tr></thead><tbody>")?;
    let shown = a.documents.len().min(o.max_rows);
    for (i, d) in a.documents.iter().enumerate().take(shown) {
        let path = if d.deviations.is_empty() && d.not_applicable.is_empty() {
            format!("<code>{}</code>", escape(&d.path))
        } else {
            format!("<a href=\"#ag{i}\"><code>{}</code></a>", escape(&d.path))
        };
        write!(w, "<tr><td>{path}</td>")?;
        for n in rows::against_counts(d) {
            write!(w, "<td class=\"num\">{n}</td>")?;
        }
        writeln!(w, "</tr>")?;
    }
    writeln!(w, "</tbody></table>")?;
    if a.documents.len() > shown {
        writeln!(
            w,
            "<p class=\"omitted\">Showing the first {shown} of {} certificates (in path order); <code>--format json</code> lists them all.</p>",
            a.documents.len()
        )?;
    }
    for (i, d) in a.documents.iter().enumerate().take(shown) {
        if d.deviations.is_empty() && d.not_applicable.is_empty() {
            continue;
        }
        writeln!(
            w,
            "<div class=\"agdoc\" id=\"ag{i}\">\n<h3><code>{}</code> <span class=\"badge\">{}</span></h3>",
            escape(&d.path),
            plural(d.deviations.len(), "deviation", "deviations")
        )?;
        for x in &d.deviations {
            write!(
                w,
                "<div class=\"dev\"><div class=\"vh\"><b>{}</b> ",
                escape(&clause_label(x))
            )?;
            match x.status {
                DeviationStatus::Changed => {
                    class_badges(w, &x.classes)?;
                    if !x.substantive {
                        write!(w, "<span class=\"badge cosmetic\">cosmetic</span>")?;
                    }
                }
                DeviationStatus::Missing => {
                    write!(w, "<span class=\"badge removed\">missing</span>")?
                }
                DeviationStatus::Extra => write!(w, "<span class=\"badge added\">extra</span>")?,
            }
            writeln!(
                w,
                "</div>\n<p class=\"tx\">{}</p></div>",
                redline(&x.diff, Style::Html)
            )?;
        }
        for k in &d.not_applicable {
            writeln!(w, "<p class=\"na muted\">{}</p>", escape(&skipped_text(k)))?;
        }
        writeln!(w, "</div>")?;
    }
    writeln!(w, "</section>")
}
