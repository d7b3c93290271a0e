//! `drift` renderers: a summary table and one table per drifting slot with redlines, JSON,
//! CSV and Markdown, possible duplicates, and the per-certificate view of `--against`, which
//! follows the drift report in every format.

use std::io::{self, Write};

use comfy_table::Table;
use rayon::prelude::*;

use crate::corpus::duplicates::Duplicate;
use crate::diff::ChangeClass;
use crate::drift::{
    AgainstReport, Deviation, DeviationStatus, DocumentDeviations, DriftReport, Member, SkipReason,
    SkippedBlock, SlotReport, Variant,
};
use crate::model::ProvisionId;
use crate::report::redline::{Style, code_span, escape_markdown, markdown_style, redline};
use crate::report::{
    PrettyNested, join_fitting, share_fraction, share_percent, write_json_str,
    write_pretty_document,
};

/// What the text renderers show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// Terminal columns; `None`: no limit (a pipe or a file), nothing is cut.
    pub width: Option<u16>,
    /// ANSI colours in redlines.
    pub color: bool,
    /// Members listed per variant before `… and N more`.
    pub max_members: usize,
    /// Variants shown per slot before `… N more`.
    pub max_variants: usize,
}

impl Default for View {
    fn default() -> Self {
        View {
            width: Some(super::DEFAULT_WIDTH),
            color: false,
            max_members: 5,
            max_variants: 12,
        }
    }
}

/// Writes the report as JSON (schema `provdiff.drift/1`): the bytes serde's pretty printer
/// gives [`DriftReport`] (a test holds the two together), but written by hand down to the
/// member lists, which are most of a large report (three million members for 10^5
/// certificates) and took most of the writing time through serde.
pub fn json(out: &mut dyn Write, r: &DriftReport) -> io::Result<()> {
    write_json(out, r, None)
}

/// Writes the `--against` report as JSON: the drift report's fields, then `against`.
pub fn against_json(out: &mut dyn Write, r: &DriftReport, a: &AgainstReport) -> io::Result<()> {
    write_json(out, r, Some(a))
}

fn write_json(
    out: &mut dyn Write,
    r: &DriftReport,
    against: Option<&AgainstReport>,
) -> io::Result<()> {
    write_pretty_document(out, |w| {
        let mut o = PrettyNested::object(w, 0)?;
        o.field("schema", &r.schema)?;
        o.field("by", &r.by)?;
        o.field("documents", &r.documents)?;
        o.field("errors", &r.errors)?;
        o.field("duplicates", &r.duplicates)?;
        o.field("groups", &r.groups)?;
        o.field("group_sizes", &r.group_sizes)?;
        o.array_field("slots", &r.slots, write_slot_json)?;
        o.field("summary", &r.summary)?;
        if let Some(a) = against {
            o.field("against", a)?;
        }
        o.close()
    })
}

fn write_slot_json<W: Write>(w: &mut W, level: usize, s: &SlotReport) -> io::Result<()> {
    let mut o = PrettyNested::object(w, level)?;
    o.field("slot", &s.slot)?;
    o.field("note", &s.note)?;
    o.field("parent", &s.parent)?;
    o.field("present", &s.present)?;
    o.field("drifting", &s.drifting)?;
    o.field("canonical_share", &s.canonical_share)?;
    o.array_field("variants", &s.variants, write_variant_json)?;
    o.close()
}

fn write_variant_json<W: Write>(w: &mut W, level: usize, v: &Variant) -> io::Result<()> {
    let mut o = PrettyNested::object(w, level)?;
    o.field("count", &v.count)?;
    o.field("share", &v.share)?;
    o.field("canonical", &v.canonical)?;
    o.field("text", &v.text)?;
    o.field("diff", &v.diff)?;
    o.field("classes", &v.classes)?;
    o.field("substantive", &v.substantive)?;
    o.field("ocr_suspect", &v.ocr_suspect)?;
    o.field("first_year", &v.first_year)?;
    o.field("last_year", &v.last_year)?;
    o.field("by_group", &v.by_group)?;
    let level = o.level();
    write_members_json(o.key("members")?, level, &v.members)?;
    o.close()
}

/// Members rendered per piece: a piece is rendered on one core into its own buffer.
const MEMBERS_PER_PIECE: usize = 4096;

/// Writes a member list. A large list (a slot of a national corpus has 10^5 members) is
/// rendered in pieces on every core of the current pool, a few pieces at a time so memory
/// stays bounded, and written in order: the same bytes as one pass.
fn write_members_json<W: Write>(w: &mut W, level: usize, members: &[Member]) -> io::Result<()> {
    write_members_in_pieces(w, level, members, MEMBERS_PER_PIECE)
}

fn write_members_in_pieces<W: Write>(
    w: &mut W,
    level: usize,
    members: &[Member],
    per_piece: usize,
) -> io::Result<()> {
    let mut array = PrettyNested::array(w, level)?;
    let inner = array.level();
    let window = per_piece * 2 * rayon::current_num_threads();
    for (k, part) in members.chunks(window).enumerate() {
        let pieces: Vec<io::Result<Vec<u8>>> = part
            .par_chunks(per_piece)
            .enumerate()
            .map(|(i, piece)| {
                let mut buf = Vec::with_capacity(piece.len() * 200);
                render_members(&mut buf, inner, piece, k == 0 && i == 0)?;
                Ok(buf)
            })
            .collect();
        for piece in pieces {
            array.rendered_elements(&piece?)?;
        }
    }
    array.close()
}

/// Renders members as array elements at depth `level`, each after a comma unless it is the
/// `first` of the array.
fn render_members<W: Write>(
    w: &mut W,
    level: usize,
    members: &[Member],
    first: bool,
) -> io::Result<()> {
    // A variant's members mostly share an id: its text is kept from one to the next.
    let mut id: Option<(ProvisionId, String)> = None;
    let mut digits = itoa::Buffer::new();
    for (j, m) in members.iter().enumerate() {
        crate::report::write_pretty_line(w, level, !(first && j == 0))?;
        let mut mo = PrettyNested::object(w, level)?;
        write_json_str(mo.key("path")?, &m.path)?;
        if id.as_ref().is_none_or(|(last, _)| *last != m.id) {
            id = Some((m.id, m.id.to_string()));
        }
        let text = id.as_ref().map_or("", |(_, text)| text);
        write_json_str(mo.key("id")?, text)?;
        mo.key("line")?
            .write_all(digits.format(m.line).as_bytes())?;
        mo.close()?;
    }
    Ok(())
}

/// Change classes for people: `number, variant character`.
fn class_names(classes: &[ChangeClass]) -> String {
    classes
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a variant changes, in words: its classes and the OCR flag.
pub fn describe(v: &Variant) -> String {
    if v.canonical {
        return "canonical".into();
    }
    let mut s = class_names(&v.classes);
    if v.ocr_suspect {
        s.push_str(if s.is_empty() {
            "likely OCR error"
        } else {
            "; likely OCR error"
        });
    }
    s
}

fn years(v: &Variant) -> String {
    match (v.first_year, v.last_year) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    }
}

/// The groups that carry a variant, with their counts: `北京 (2), 江苏 (1)`, cut to `max`
/// columns as [`join_fitting`] cuts.
fn groups(v: &Variant, max: Option<usize>) -> String {
    let parts: Vec<String> = v
        .by_group
        .iter()
        .map(|(g, n)| format!("{g} ({n})"))
        .collect();
    join_fitting(&parts, max)
}

/// The canonical wording's share of a slot's carriers, as every format shows it.
pub fn canonical_percent(s: &SlotReport) -> String {
    share_percent(s.variants.first().map_or(0, |v| v.count), s.present)
}

/// Groups whose members carry a non-canonical wording: `江苏 2/2` = 2 of the 2 documents of
/// that group carrying this clause use another wording.
pub fn drift_by_group(s: &SlotReport) -> Vec<(String, usize, usize)> {
    let mut total: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut off: std::collections::BTreeMap<&str, usize> = Default::default();
    for v in &s.variants {
        for (g, n) in &v.by_group {
            *total.entry(g).or_default() += n;
            if !v.canonical {
                *off.entry(g).or_default() += n;
            }
        }
    }
    off.into_iter()
        .map(|(g, n)| (g.to_string(), n, total[g]))
        .collect()
}

/// [`drift_by_group`] as text, `江苏 1/2, 北京 1/1`, cut to `max` columns as
/// [`join_fitting`] cuts.
fn groups_text(s: &SlotReport, max: Option<usize>) -> String {
    let parts: Vec<String> = drift_by_group(s)
        .iter()
        .map(|(g, n, t)| format!("{g} {n}/{t}"))
        .collect();
    join_fitting(&parts, max)
}

fn new_table(width: Option<u16>) -> Table {
    super::text_table(width)
}

/// One line with the totals.
pub fn summary_line(r: &DriftReport) -> String {
    let s = &r.summary;
    format!(
        "{} documents, {} failed; {} slots, {} with more than one wording; {} likely OCR errors",
        s.documents, s.errors, s.slots, s.drifting_slots, s.ocr_suspects
    )
}

/// Writes the summary table, then a table and redlines for every drifting slot.
pub fn table(out: &mut dyn Write, r: &DriftReport, view: &View) -> io::Result<()> {
    writeln!(out, "{}", summary_line(r))?;
    let mut t = new_table(view.width);
    t.set_header(vec![
        "slot",
        "docs",
        "wordings",
        "canonical",
        "drift by group",
    ]);
    for s in &r.slots {
        t.add_row(vec![
            s.slot.clone(),
            s.present.to_string(),
            s.variants.len().to_string(),
            canonical_percent(s),
            groups_text(s, view.width.map(|w| 3 * usize::from(w) / 2)),
        ]);
    }
    writeln!(out, "{t}")?;
    for s in r.slots.iter().filter(|s| s.drifting) {
        write_slot(out, s, view)?;
    }
    for e in &r.errors {
        writeln!(out, "error: {}: {}", e.path, e.error)?;
    }
    if !r.duplicates.is_empty() {
        writeln!(out)?;
        super::duplicates::lines(out, &r.duplicates)?;
    }
    Ok(())
}

fn write_slot(out: &mut dyn Write, s: &SlotReport, view: &View) -> io::Result<()> {
    writeln!(
        out,
        "\n{} — {} wordings in {} documents{}",
        s.slot,
        s.variants.len(),
        s.present,
        s.note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    )?;
    let mut t = new_table(view.width);
    t.set_header(vec!["#", "docs", "share", "years", "groups", "change"]);
    for (i, v) in s.variants.iter().take(view.max_variants).enumerate() {
        t.add_row(vec![
            (i + 1).to_string(),
            v.count.to_string(),
            share_percent(v.count, s.present),
            years(v),
            groups(v, view.width.map(|w| 2 * usize::from(w))),
            describe(v),
        ]);
    }
    writeln!(out, "{t}")?;
    let style = if view.color {
        Style::Ansi
    } else {
        Style::Plain
    };
    for (i, v) in s.variants.iter().take(view.max_variants).enumerate() {
        if v.canonical {
            writeln!(out, "  1 (canonical): {}", v.text)?;
        } else {
            writeln!(out, "  {}: {}", i + 1, redline(&v.diff, style))?;
        }
        let shown: Vec<String> = v
            .members
            .iter()
            .take(view.max_members)
            .map(|m| format!("{}:{} ({})", m.path, m.line, m.id))
            .collect();
        // The report may hold only the members shown (`DriftOptions::max_members`).
        writeln!(
            out,
            "     in {}{}",
            shown.join(", "),
            and_more(v.count.saturating_sub(shown.len()))
        )?;
    }
    more_wordings(out, s, view)
}

/// ` … and N more` after a list that leaves `n` out, or nothing.
fn and_more(n: usize) -> String {
    if n > 0 {
        format!(" … and {n} more")
    } else {
        String::new()
    }
}

/// The line saying how many of a slot's wordings are not listed, if any.
fn more_wordings(out: &mut dyn Write, s: &SlotReport, view: &View) -> io::Result<()> {
    let more = s.variants.len().saturating_sub(view.max_variants);
    if more > 0 {
        writeln!(
            out,
            "  … {more} more wording{} (see --format json or csv)",
            if more == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// Writes the report as CSV: one row per slot × wording × group, every cell safe to open in a
/// spreadsheet.
pub fn csv(out: &mut dyn Write, r: &DriftReport) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(&mut *out);
    w.write_record([
        "slot",
        "parent",
        "wording",
        "canonical",
        "group",
        "count",
        "group_carriers",
        "share_in_group",
        "wording_count",
        "first_year",
        "last_year",
        "classes",
        "substantive",
        "ocr_suspect",
        "text",
    ])?;
    for s in &r.slots {
        let mut carriers: std::collections::BTreeMap<&str, usize> = Default::default();
        for v in &s.variants {
            for (g, n) in &v.by_group {
                *carriers.entry(g).or_default() += n;
            }
        }
        for (i, v) in s.variants.iter().enumerate() {
            let classes = csv_classes(&v.classes);
            for (g, n) in &v.by_group {
                let total = carriers[g.as_str()];
                let opt = |y: Option<u16>| y.map(|y| y.to_string()).unwrap_or_default();
                w.write_record([
                    super::csv_safe(&s.slot).as_ref(),
                    super::csv_safe(s.parent.as_deref().unwrap_or("")).as_ref(),
                    &(i + 1).to_string(),
                    if v.canonical { "true" } else { "false" },
                    super::csv_safe(g).as_ref(),
                    &n.to_string(),
                    &total.to_string(),
                    &share_fraction(*n, total),
                    &v.count.to_string(),
                    &opt(v.first_year),
                    &opt(v.last_year),
                    &classes,
                    if v.substantive { "true" } else { "false" },
                    if v.ocr_suspect { "true" } else { "false" },
                    super::csv_safe(&v.text).as_ref(),
                ])?;
            }
        }
    }
    w.flush()?;
    drop(w);
    duplicates_csv(out, &r.duplicates)
}

/// Change classes as serialized, for a CSV cell: `number; wording`.
fn csv_classes(classes: &[ChangeClass]) -> String {
    classes
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A further table of a CSV report: a blank line, then its header row and rows.
fn csv_section<'a>(
    out: &'a mut dyn Write,
    header: &[&str],
) -> io::Result<::csv::Writer<&'a mut dyn Write>> {
    writeln!(out)?;
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(header)?;
    Ok(w)
}

/// The possible duplicates as a CSV section (nothing when there are none): one row per file.
fn duplicates_csv(out: &mut dyn Write, duplicates: &[Duplicate]) -> io::Result<()> {
    if duplicates.is_empty() {
        return Ok(());
    }
    let mut w = csv_section(out, &["license_no", "path", "issued"])?;
    for d in duplicates {
        for f in &d.documents {
            w.write_record([
                super::csv_safe(&d.license_no).as_ref(),
                super::csv_safe(&f.path).as_ref(),
                &f.issued.map(|i| i.to_string()).unwrap_or_default(),
            ])?;
        }
    }
    w.flush()
}

/// Writes the report as Markdown: the summary table, then each drifting slot.
pub fn markdown(out: &mut dyn Write, r: &DriftReport, view: &View) -> io::Result<()> {
    let style = markdown_style(
        r.slots
            .iter()
            .filter(|s| s.drifting)
            .flat_map(|s| s.variants.iter().take(view.max_variants))
            .map(|v| v.diff.as_slice()),
    );
    writeln!(out, "# Drift report\n")?;
    writeln!(out, "{}\n", escape_markdown(&summary_line(r)))?;
    writeln!(
        out,
        "| slot | docs | wordings | canonical | drift by group |\n|---|---|---|---|---|"
    )?;
    for s in &r.slots {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            escape_markdown(&s.slot),
            s.present,
            s.variants.len(),
            canonical_percent(s),
            escape_markdown(&groups_text(s, None))
        )?;
    }
    for s in r.slots.iter().filter(|s| s.drifting) {
        writeln!(out, "\n## {}\n", escape_markdown(&s.slot))?;
        if let Some(n) = &s.note {
            writeln!(out, "_{}_\n", escape_markdown(n))?;
        }
        writeln!(
            out,
            "| # | docs | share | years | groups | change |\n|---|---|---|---|---|---|"
        )?;
        for (i, v) in s.variants.iter().take(view.max_variants).enumerate() {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                v.count,
                share_percent(v.count, s.present),
                years(v),
                escape_markdown(&groups(v, None)),
                describe(v)
            )?;
        }
        writeln!(out)?;
        for (i, v) in s.variants.iter().take(view.max_variants).enumerate() {
            let text = if v.canonical {
                escape_markdown(&v.text)
            } else {
                redline(&v.diff, style)
            };
            let members: Vec<String> = v
                .members
                .iter()
                .take(view.max_members)
                .map(|m| format!("`{}`:{} ({})", code_span(&m.path), m.line, m.id))
                .collect();
            write!(out, "{}. {text}  \n   in {}", i + 1, members.join(", "))?;
            writeln!(out, "{}\n", and_more(v.count.saturating_sub(members.len())))?;
        }
        more_wordings(out, s, view)?;
    }
    if !r.errors.is_empty() {
        writeln!(out, "\n## Errors\n")?;
        for e in &r.errors {
            writeln!(
                out,
                "- `{}`: {}",
                code_span(&e.path),
                escape_markdown(&e.error)
            )?;
        }
    }
    super::duplicates::markdown(out, &r.duplicates)?;
    Ok(())
}

/// A clause of an `--against` deviation, saying whose id is whose: `七` when both number it
/// alike, `ref 十六(六) = own 十五(六)` when they do not, `ref 十五(三)` for a missing clause
/// and `own 十七` for an extra one.
pub fn clause_label(d: &Deviation) -> String {
    match (d.reference_id, d.id) {
        (Some(r), Some(o)) if r == o => o.to_string(),
        (Some(r), Some(o)) => format!("ref {r} = own {o}"),
        (Some(r), None) => format!("ref {r}"),
        (None, Some(o)) => format!("own {o}"),
        (None, None) => d.slot.clone(),
    }
}

/// What a deviation is, in words: its change classes, or `missing` / `extra`.
pub fn deviation_kind(d: &Deviation) -> String {
    match d.status {
        DeviationStatus::Changed if !d.classes.is_empty() => class_names(&d.classes),
        status => status.as_str().to_string(),
    }
}

/// A skipped business-type block, in words: `block 十五 [在线数据处理与交易处理业务] not
/// applicable: the certificate does not hold this business type (ref 十五, 8 clauses)`.
pub fn skipped_text(k: &SkippedBlock) -> String {
    let block = if k.slot.contains(&k.business) {
        k.slot.clone()
    } else {
        format!("{} [{}]", k.slot, k.business)
    };
    let (who, id) = match k.reason {
        SkipReason::CertificateLacksBusiness => {
            ("certificate", k.reference_id.map(|i| format!("ref {i}")))
        }
        SkipReason::ReferenceLacksBusiness => ("reference", k.id.map(|i| format!("own {i}"))),
    };
    let clauses = if k.clauses == 1 {
        "1 clause".to_string()
    } else {
        format!("{} clauses", k.clauses)
    };
    let id = id.map(|i| format!("{i}, ")).unwrap_or_default();
    format!(
        "block {block} not applicable: the {who} does not hold this business type ({id}{clauses})"
    )
}

fn substantive_count(d: &DocumentDeviations) -> usize {
    d.deviations.iter().filter(|x| x.substantive).count()
}

fn against_heading(a: &AgainstReport) -> String {
    format!("Measured against {}", a.reference)
}

/// What the ids of the against view mean.
const ID_NOTE: &str = "ref: the reference's id of a clause; own: the certificate's own id";

/// Writes the `--against` view, to follow the drift report: a table of certificates with
/// their counts, then per certificate each deviating clause with its redline against the
/// reference's wording, and the business-type blocks that were not applicable. Names are
/// never wrapped mid-word; on a terminal (a `width`) the table's are shortened by
/// [`super::paths::shorten_paths`] (the file name kept, names kept apart), elsewhere whole.
pub fn against_table(out: &mut dyn Write, a: &AgainstReport, view: &View) -> io::Result<()> {
    writeln!(out, "\n{} ({ID_NOTE})", against_heading(a))?;
    let header = [
        "certificate",
        "deviations",
        "substantive",
        "blocks not applicable",
    ];
    let paths: Vec<&str> = a.documents.iter().map(|d| d.path.as_str()).collect();
    let paths = match view.width {
        Some(w) => {
            // What the other columns take: their headers (wider than their numbers), a
            // padding of one on each side of every column, and the borders.
            let others: usize = header[1..].iter().map(|h| h.len() + 3).sum::<usize>() + 4;
            let max = usize::from(w).saturating_sub(others).max(24);
            super::paths::shorten_paths(&paths, max)
        }
        None => paths.iter().map(|p| p.to_string()).collect(),
    };
    // Laid out unwrapped: the names are whole or already shortened, the counts short.
    let mut t = super::text_table(None);
    t.set_header(header);
    for (d, path) in a.documents.iter().zip(paths) {
        t.add_row(vec![
            path,
            d.deviations.len().to_string(),
            substantive_count(d).to_string(),
            d.not_applicable.len().to_string(),
        ]);
    }
    writeln!(out, "{t}")?;
    let style = if view.color {
        Style::Ansi
    } else {
        Style::Plain
    };
    for d in &a.documents {
        if d.deviations.is_empty() && d.not_applicable.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n{} — {} from the reference",
            d.path,
            match d.deviations.len() {
                1 => "1 deviation".to_string(),
                n => format!("{n} deviations"),
            }
        )?;
        for x in &d.deviations {
            writeln!(
                out,
                "  {} ({}): {}",
                clause_label(x),
                deviation_kind(x),
                redline(&x.diff, style)
            )?;
        }
        for k in &d.not_applicable {
            writeln!(out, "  {}", skipped_text(k))?;
        }
    }
    Ok(())
}

/// Writes the `--against` view in Markdown, to follow the drift report.
pub fn against_markdown(out: &mut dyn Write, a: &AgainstReport) -> io::Result<()> {
    writeln!(
        out,
        "\n## Measured against `{}`\n\n{}\n",
        code_span(&a.reference),
        escape_markdown(ID_NOTE)
    )?;
    writeln!(
        out,
        "| certificate | deviations | substantive | blocks not applicable |\n|---|---|---|---|"
    )?;
    for d in &a.documents {
        writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            code_span(&d.path),
            d.deviations.len(),
            substantive_count(d),
            d.not_applicable.len()
        )?;
    }
    for d in &a.documents {
        if d.deviations.is_empty() && d.not_applicable.is_empty() {
            continue;
        }
        writeln!(out, "\n### `{}`\n", code_span(&d.path))?;
        for x in &d.deviations {
            writeln!(
                out,
                "- {} ({}): {}",
                escape_markdown(&clause_label(x)),
                escape_markdown(&deviation_kind(x)),
                redline(&x.diff, Style::Markdown)
            )?;
        }
        for k in &d.not_applicable {
            writeln!(out, "- {}", escape_markdown(&skipped_text(k)))?;
        }
    }
    Ok(())
}

/// Writes the `--against` view as a CSV section, to follow the drift CSV: a blank line, a
/// header row, then one row per deviating clause (its redline against the reference's
/// wording), per business-type block not applicable (`status` `not_applicable`, with the
/// business type and the `reason`: `certificate_lacks_business` or `reference_lacks_business`) and per
/// certificate that matches the reference (`status` `matches`).
pub fn against_csv(out: &mut dyn Write, a: &AgainstReport) -> io::Result<()> {
    let mut w = csv_section(
        out,
        &[
            "certificate",
            "slot",
            "status",
            "reference_id",
            "id",
            "reference_line",
            "line",
            "classes",
            "substantive",
            "business",
            "reason",
            "redline",
        ],
    )?;
    let opt = |x: Option<String>| x.unwrap_or_default();
    for d in &a.documents {
        let path = super::csv_safe(&d.path);
        if d.deviations.is_empty() && d.not_applicable.is_empty() {
            w.write_record([
                path.as_ref(),
                "",
                "matches",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ])?;
        }
        for x in &d.deviations {
            w.write_record([
                path.as_ref(),
                super::csv_safe(&x.slot).as_ref(),
                x.status.as_str(),
                &opt(x.reference_id.map(|i| i.to_string())),
                &opt(x.id.map(|i| i.to_string())),
                &opt(x.reference_line.map(|l| l.to_string())),
                &opt(x.line.map(|l| l.to_string())),
                &csv_classes(&x.classes),
                if x.substantive { "true" } else { "false" },
                "",
                "",
                super::csv_safe(&redline(&x.diff, Style::Plain)).as_ref(),
            ])?;
        }
        for k in &d.not_applicable {
            w.write_record([
                path.as_ref(),
                super::csv_safe(&k.slot).as_ref(),
                "not_applicable",
                &opt(k.reference_id.map(|i| i.to_string())),
                &opt(k.id.map(|i| i.to_string())),
                "",
                "",
                "",
                "false",
                super::csv_safe(&k.business).as_ref(),
                k.reason.as_str(),
                "",
            ])?;
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::{DocumentInfo, DriftSummary, GroupBy, SCHEMA};
    use crate::model::ProvisionId;
    use std::collections::BTreeMap;

    /// A report with one slot whose second wording is carried by one document in each of
    /// `groups` groups (`g00 2020`, `g01 2020` …), as `--by issuer,year` makes them.
    fn report_with_groups(groups: usize) -> DriftReport {
        let member = |i: usize| Member {
            path: format!("c/{i:03}.txt").into(),
            id: ProvisionId::top(1),
            line: 3,
        };
        let variant =
            |canonical: bool, members: Vec<Member>, by_group: BTreeMap<String, usize>| Variant {
                count: members.len(),
                share: 0.5,
                canonical,
                text: if canonical { "甲乙" } else { "甲丙" }.into(),
                diff: Vec::new(),
                classes: Vec::new(),
                substantive: !canonical,
                ocr_suspect: false,
                first_year: Some(2020),
                last_year: Some(2020),
                by_group,
                members,
            };
        let name = |g: usize| format!("g{g:02} 2020");
        let slot = SlotReport {
            slot: "一".into(),
            note: None,
            parent: None,
            present: 2 * groups,
            drifting: true,
            canonical_share: 0.5,
            variants: vec![
                variant(
                    true,
                    (0..groups).map(member).collect(),
                    [(name(0), groups)].into_iter().collect(),
                ),
                variant(
                    false,
                    (groups..2 * groups).map(member).collect(),
                    (0..groups).map(|g| (name(g), 1)).collect(),
                ),
            ],
        };
        DriftReport {
            schema: SCHEMA,
            by: GroupBy::IssuerYear,
            documents: (0..2 * groups)
                .map(|i| DocumentInfo {
                    path: format!("c/{i:03}.txt"),
                    license_no: None,
                    issuer: Some(format!("g{:02}", i % groups)),
                    year: Some(2020),
                })
                .collect(),
            errors: Vec::new(),
            duplicates: Vec::new(),
            groups: (0..groups).map(name).collect(),
            group_sizes: (0..groups).map(|g| (name(g), 2)).collect(),
            slots: vec![slot],
            summary: DriftSummary {
                documents: 2 * groups,
                errors: 0,
                slots: 1,
                drifting_slots: 1,
                ocr_suspects: 0,
                duplicates: 0,
            },
        }
    }

    fn render(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The number `N` of the one `… and N more` in `text` (a table whose cells may wrap), and
    /// how many of `groups` groups `text` names.
    fn more_and_named(text: &str, groups: usize) -> (usize, usize) {
        let squashed: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !"│┆".contains(*c))
            .collect();
        let counts: Vec<usize> = squashed
            .match_indices("…and")
            .map(|(i, m)| {
                let rest = &squashed[i + m.len()..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                assert!(rest[digits.len()..].starts_with("more"), "{text}");
                digits.parse().unwrap()
            })
            .collect();
        assert_eq!(counts.len(), 1, "one `… and N more`: {text}");
        let named = (0..groups)
            .filter(|g| squashed.contains(&format!("g{g:02}")))
            .count();
        (counts[0], named)
    }

    #[test]
    fn a_cut_group_list_says_how_many_more() {
        let r = report_with_groups(40);
        let view = View {
            width: Some(80),
            ..View::default()
        };
        let t = render(|w| table(w, &r, &view));
        // The summary table (up to the first blank line), then the slot's table.
        let (summary, slot) = t.split_once("\n\n").unwrap();
        let slot = slot.split("  1 (canonical)").next().unwrap();
        for part in [summary, slot] {
            let (more, named) = more_and_named(part, 40);
            assert!(named > 0, "{part}");
            assert_eq!(named + more, 40, "{part}");
        }
        // With no width, nothing is cut.
        let whole = View {
            width: None,
            ..View::default()
        };
        let t = render(|w| table(w, &r, &whole));
        let tables = t.split("  1 (canonical)").next().unwrap();
        assert!(!tables.contains('…'), "{t}");
    }

    /// A report with one slot carried by `counts.iter().sum()` documents of one group, whose
    /// wordings have these counts (the first canonical).
    fn report_with_counts(counts: &[usize]) -> DriftReport {
        let mut r = report_with_groups(1);
        let present: usize = counts.iter().sum();
        let slot = &mut r.slots[0];
        let template = slot.variants[1].clone();
        slot.present = present;
        slot.variants = counts
            .iter()
            .enumerate()
            .map(|(i, &count)| Variant {
                count,
                share: (count as f64 / present as f64 * 1000.0).round() / 1000.0,
                canonical: i == 0,
                text: format!("甲{i}"),
                by_group: [("g00 2020".to_string(), count)].into_iter().collect(),
                ..template.clone()
            })
            .collect();
        slot.canonical_share = slot.variants[0].share;
        r
    }

    #[test]
    fn shares_are_all_or_none_only_when_they_are_in_every_format() {
        let r = report_with_counts(&[1999, 1]);
        let view = View::default();
        let t = render(|w| table(w, &r, &view));
        assert!(t.contains("┆ 99%"), "{t}");
        assert!(!t.contains("100%") && !t.contains(" 0%"), "{t}");
        assert!(t.contains("┆ 1%"), "{t}");
        let md = render(|w| markdown(w, &r, &view));
        assert!(md.contains("| 99% |") && md.contains("| 1% |"), "{md}");
        assert!(!md.contains("100%") && !md.contains("| 0% |"), "{md}");
        let html = render(|w| crate::report::html::drift(w, &r));
        assert!(html.contains("canonical wording 99%"), "{html}");
        assert!(html.contains("<td class=\"num\">99%</td>"), "{html}");
        assert!(!html.contains(">100%<") && !html.contains("(0%)"), "{html}");
        let c = render(|w| csv(w, &r));
        let shares: Vec<String> = ::csv::Reader::from_reader(c.as_bytes())
            .records()
            .map(|row| row.unwrap()[7].to_string())
            .collect();
        assert_eq!(shares, ["0.999", "0.001"]);
        // All and none stay all and none.
        let r = report_with_counts(&[400]);
        let t = render(|w| table(w, &r, &view));
        assert!(t.contains("100%"), "{t}");
    }

    #[test]
    fn markdown_says_how_many_members_and_wordings_are_not_listed() {
        let r = report_with_groups(8);
        let view = View {
            max_members: 3,
            max_variants: 1,
            ..View::default()
        };
        let md = render(|w| markdown(w, &r, &view));
        assert!(md.contains("`c/002.txt`:3 (一) … and 5 more"), "{md}");
        assert!(
            md.contains("… 1 more wording (see --format json or csv)"),
            "{md}"
        );
    }

    #[test]
    fn members_in_pieces_are_the_bytes_of_one_pass() {
        let members: Vec<Member> = (0..100u32)
            .map(|i| Member {
                path: format!("d/{i}\"{}.txt", "证".repeat(i as usize % 3)).into(),
                id: ProvisionId {
                    top: 15 + i % 2,
                    sub: (i % 3 > 0).then_some(i % 7),
                },
                line: i * 3,
            })
            .collect();
        for n in [0, 1, 2, 57, 100] {
            let list = &members[..n];
            let mut serde = Vec::new();
            crate::report::write_pretty_value(&mut serde, 3, &list).unwrap();
            for per_piece in [1, 2, 3, 7, 4096] {
                for threads in [1, 2, 3] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    let mut ours = Vec::new();
                    pool.install(|| write_members_in_pieces(&mut ours, 3, list, per_piece))
                        .unwrap();
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        String::from_utf8(serde.clone()).unwrap(),
                        "{n} members, {per_piece} per piece, {threads} threads"
                    );
                }
            }
        }
    }
}
