//! `show` renderers: one certificate as a fields table and a provisions table, or as JSON.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};

use crate::model::Certificate;
use crate::report::{field_label, truncate_width};

/// Writes the certificate as JSON (DESIGN §5: path, encoding, fields, provisions, warnings).
pub fn json(out: &mut dyn Write, cert: &Certificate) -> io::Result<()> {
    crate::report::write_pretty_json(out, cert)
}

/// The header fields as (label, value) rows, in cover-page order, labelled as
/// [`FIELD_LABELS`](crate::report::FIELD_LABELS) says; absent fields are left out.
pub fn field_rows(cert: &Certificate) -> Vec<(&'static str, String)> {
    let f = &cert.fields;
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    let mut push = |key: &'static str, v: Option<String>| {
        if let Some(v) = v {
            rows.push((field_label(key), v));
        }
    };
    push("license_no", f.license_no.clone());
    push(
        "issuer",
        f.issuer.clone().map(|i| {
            let mut s = i;
            if let Some(c) = &f.category {
                s.push_str(&format!(" · {c}"));
            }
            if let Some(y) = f.number_year {
                s.push_str(&format!(" · number year {y}"));
            }
            if f.cross_regional {
                s.push_str(" · cross-regional");
            }
            s
        }),
    );
    push("company", f.company.clone());
    push("legal_rep", f.legal_rep.clone());
    push("registered_capital", f.registered_capital.clone());
    push("address", f.address.clone());
    push(
        "business",
        (!f.business.is_empty()).then(|| f.business.join("\n")),
    );
    push("coverage", f.coverage.clone());
    push("signatory", f.signatory.clone());
    push("issued", f.issued.map(|d| d.to_string()));
    push("expires", f.expires.map(|d| d.to_string()));
    push("website", f.website.name.clone());
    push("website_domain", f.website.domain.clone());
    push("server_location", f.website.server_location.clone());
    push("access_provider", f.website.access_provider.clone());
    rows
}

/// Writes the certificate as tables laid out for `width` terminal columns (provision texts
/// cut to fit), or, with no width (a pipe or a file), every text whole.
pub fn table(out: &mut dyn Write, cert: &Certificate, width: Option<u16>) -> io::Result<()> {
    writeln!(out, "{} ({})", cert.path, cert.encoding)?;
    let mut fields = super::text_table(width);
    for (label, value) in field_rows(cert) {
        fields.add_row(vec![label.to_string(), value]);
    }
    writeln!(out, "{fields}")?;

    let count = cert.flat().count();
    writeln!(
        out,
        "{} provisions ({} top-level){}",
        count,
        cert.provisions.len(),
        if cert.preamble.is_empty() {
            ""
        } else {
            ", after the preamble"
        }
    )?;
    // id ≤ 10 columns, line ≤ 5, borders and padding 10: the rest is text.
    let text_width = width.map(|w| usize::from(w).saturating_sub(27).max(10));
    let mut provs = Table::new();
    provs
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec!["id", "line", "text"]);
    for p in cert.flat() {
        let id = if p.id.sub.is_some() {
            format!("  {}", p.id)
        } else {
            p.id.to_string()
        };
        provs.add_row(vec![
            id,
            p.line.to_string(),
            match text_width {
                Some(max) => truncate_width(&p.text, max),
                None => p.text.clone(),
            },
        ]);
    }
    writeln!(out, "{provs}")?;
    for w in &cert.warnings {
        match w.line {
            Some(l) => writeln!(out, "warning: line {l}: {}", w.message)?,
            None => writeln!(out, "warning: {}", w.message)?,
        }
    }
    Ok(())
}
