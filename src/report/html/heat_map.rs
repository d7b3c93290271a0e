//! The heat map of the drift page: one row per certificate (in path order), one cell per slot,
//! coloured by the wording the certificate carries there; slot headings link to the slot's
//! section, and the script groups and filters the rows.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};

use crate::drift::{DocumentInfo, DriftReport, SlotReport};
use crate::report::paths::{common_dir, shorten_path, shorten_paths};

use super::drift::{Limits, PALETTE};
use super::{escape, plural};

/// Columns (CJK characters count two) of a heat-map row label: a certificate's path below
/// the shared directory, shortened by [`shorten_paths`] to keep the file name and to keep rows
/// apart; the full path is the label's tooltip.
const LABEL_COLUMNS: usize = 32;

/// Marks a document's cell in a slot it does not carry.
const ABSENT: u32 = u32::MAX;

/// The heat map: one row per certificate (path order, at most `max_rows`), one cell per slot.
pub(super) fn heat_map(w: &mut dyn Write, r: &DriftReport, o: &Limits) -> io::Result<()> {
    let docs = &r.documents[..r.documents.len().min(o.max_rows)];
    writeln!(
        w,
        "<section id=\"map\">\n<h2>Heat map: certificates × slots</h2>"
    )?;
    writeln!(
        w,
        "<p class=\"muted hint\">Each cell is the wording a certificate carries in a slot. Slot headings link to the slot's wordings and redlines below; with scripts on, clicking a cell shows its slot and highlights that certificate's wording.</p>"
    )?;
    if docs.is_empty() || r.slots.is_empty() {
        return writeln!(
            w,
            "<p class=\"muted\">No certificates to show.</p>\n</section>"
        );
    }
    let grid = Grid::new(r, docs);
    controls(w, docs)?;
    legend(w, grid.most)?;
    if r.documents.len() > docs.len() {
        writeln!(
            w,
            "<p class=\"omitted\">Showing the first {} of {} certificates (in path order); {} omitted from the heat map. Counts and slot sections cover every certificate; <code>--format json</code> lists them all.</p>",
            docs.len(),
            r.documents.len(),
            r.documents.len() - docs.len()
        )?;
    }
    writeln!(
        w,
        "<div class=\"heatwrap\">\n<table class=\"heat\" id=\"heat\" lang=\"zh-CN\">"
    )?;
    let dir = common_dir(docs.iter().map(|d| d.path.as_str()));
    column_headers(w, &r.slots, dir)?;
    writeln!(w, "<tbody>")?;
    rows(w, &r.slots, docs, &grid, dir)?;
    writeln!(w, "</tbody>\n</table>\n</div>\n</section>")
}

/// Which wording each shown certificate carries in each slot.
struct Grid {
    /// Row by row, one cell per slot: the variant's index, or [`ABSENT`].
    cells: Vec<u32>,
    /// Cells per row.
    slots: usize,
    /// The highest variant index of any slot: how much of the palette the legend shows.
    most: usize,
}

impl Grid {
    fn new(r: &DriftReport, docs: &[DocumentInfo]) -> Grid {
        let n = r.slots.len();
        let row_of: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.path.as_str(), i))
            .collect();
        let mut cells = vec![ABSENT; docs.len() * n];
        let mut most = 0;
        for (s, slot) in r.slots.iter().enumerate() {
            most = most.max(slot.variants.len().saturating_sub(1));
            for (v, variant) in slot.variants.iter().enumerate() {
                for m in &variant.members {
                    if let Some(&row) = row_of.get(&*m.path) {
                        let c = &mut cells[row * n + s];
                        if *c == ABSENT {
                            *c = u32::try_from(v).unwrap_or(ABSENT - 1);
                        }
                    }
                }
            }
        }
        Grid {
            cells,
            slots: n,
            most,
        }
    }

    /// The variant certificate `row` carries in slot `slot`, `None` when it has no such slot.
    fn get(&self, row: usize, slot: usize) -> Option<usize> {
        let v = self.cells[row * self.slots + slot];
        (v != ABSENT).then_some(v as usize)
    }
}

/// Grouping, the issuer and year filters and the drifting-slots switch (shown with scripts on).
fn controls(w: &mut dyn Write, docs: &[DocumentInfo]) -> io::Result<()> {
    let issuers: BTreeSet<&str> = docs.iter().map(issuer_of).collect();
    let year_set: BTreeSet<String> = docs.iter().map(year_of).collect();
    writeln!(w, "<div class=\"controls\" id=\"controls\">")?;
    writeln!(
        w,
        "<label>Group rows by <select id=\"group\"><option value=\"\">none</option><option value=\"i\">issuer</option><option value=\"y\">year</option></select></label>"
    )?;
    filter_select(w, "Issuer", "f-issuer", issuers)?;
    filter_select(w, "Year", "f-year", year_set.iter().map(String::as_str))?;
    writeln!(
        w,
        "<label><input type=\"checkbox\" id=\"only-drift\"> drifting slots only</label>"
    )?;
    writeln!(w, "<span class=\"muted\" id=\"count\"></span>\n</div>")
}

/// A `<select>` that filters rows by one of `values`, or by none (`all`).
fn filter_select<'a>(
    w: &mut dyn Write,
    label: &str,
    id: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> io::Result<()> {
    write!(
        w,
        "<label>{label} <select id=\"{id}\"><option value=\"\">all</option>"
    )?;
    for v in values {
        write!(w, "<option value=\"{0}\">{0}</option>", escape(v))?;
    }
    writeln!(w, "</select></label>")
}

/// The colours of the wordings up to variant `most`, and of absence.
fn legend(w: &mut dyn Write, most: usize) -> io::Result<()> {
    write!(
        w,
        "<div class=\"legend\"><span><i class=\"sw v0\"></i>canonical</span>"
    )?;
    for v in 1..=most.min(PALETTE) {
        write!(w, "<span><i class=\"sw v{v}\"></i>variant {v}</span>")?;
    }
    if most > PALETTE {
        write!(
            w,
            "<span><i class=\"sw vx\"></i>variant {} and later</span>",
            PALETTE + 1
        )?;
    }
    writeln!(w, "<span><i class=\"sw va\"></i>absent</span></div>")
}

/// One row per certificate: its label (the path below `dir`, shortened), issuer and year,
/// then its cell in every slot.
fn rows(
    w: &mut dyn Write,
    slots: &[SlotReport],
    docs: &[DocumentInfo],
    grid: &Grid,
    dir: &str,
) -> io::Result<()> {
    let names: Vec<String> = slots.iter().map(|s| escape(&s.slot).into_owned()).collect();
    let labels = shorten_paths(
        &docs
            .iter()
            .map(|d| d.path.strip_prefix(dir).unwrap_or(&d.path))
            .collect::<Vec<_>>(),
        LABEL_COLUMNS,
    );
    for ((row, d), label) in docs.iter().enumerate().zip(labels) {
        let path = escape(&d.path);
        let year = year_of(d);
        let tip = match &d.license_no {
            Some(l) => format!("{} · {l}", d.path),
            None => d.path.clone(),
        };
        write!(
            w,
            "<tr data-i=\"{0}\" data-y=\"{1}\"><th class=\"p\" title=\"{2}\">{3}</th><td class=\"is\">{0}</td><td class=\"yr\">{1}</td>",
            escape(issuer_of(d)),
            escape(&year),
            escape(&tip),
            escape(&label)
        )?;
        for (s, slot) in slots.iter().enumerate() {
            let nd = if slot.drifting { "" } else { " n" };
            let name = &names[s];
            match grid.get(row, s) {
                None => write!(
                    w,
                    "<td class=\"va{nd}\" data-doc=\"{path}\" data-slot=\"{name}\" data-variant=\"absent\" title=\"{name} · absent\"></td>"
                )?,
                Some(v) => write!(
                    w,
                    "<td class=\"{}{nd}\" data-doc=\"{path}\" data-slot=\"{name}\" data-variant=\"{v}\" title=\"{name} · {}\"></td>",
                    variant_class(v),
                    variant_label(v)
                )?,
            }
        }
        writeln!(w, "</tr>")?;
    }
    Ok(())
}

fn issuer_of(d: &DocumentInfo) -> &str {
    d.issuer.as_deref().unwrap_or("unknown")
}

fn year_of(d: &DocumentInfo) -> String {
    d.year
        .map_or_else(|| "unknown".to_string(), |y| y.to_string())
}

/// The CSS class of variant `v` in the heat map and swatches.
pub(super) fn variant_class(v: usize) -> String {
    if v <= PALETTE {
        format!("v{v}")
    } else {
        "vx".to_string()
    }
}

fn variant_label(v: usize) -> String {
    if v == 0 {
        "canonical".to_string()
    } else {
        format!("variant {v}")
    }
}

/// A run of columns that share a header: a top-level slot followed by its sub-items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ColumnGroup {
    /// The index of the top-level slot.
    head: usize,
    /// How many slots the run holds, the top-level one included.
    len: usize,
}

/// The slots in runs of columns that share a header.
fn column_groups(slots: &[SlotReport]) -> Vec<ColumnGroup> {
    let mut groups: Vec<ColumnGroup> = Vec::new();
    for (i, s) in slots.iter().enumerate() {
        if let (Some(parent), Some(g)) = (&s.parent, groups.last_mut())
            && slots[g.head].slot == *parent
            && g.head + g.len == i
        {
            g.len += 1;
            continue;
        }
        groups.push(ColumnGroup { head: i, len: 1 });
    }
    groups
}

/// The slot id without a block name: `十五(一) [在线…]` → `十五(一)`.
fn bare_id(name: &str) -> &str {
    name.split_once(" [").map_or(name, |(id, _)| id)
}

/// A sub-item's own numeral: `十五(十一)` → `十一`.
fn child_label(name: &str) -> &str {
    let id = bare_id(name);
    match (id.rfind('('), id.strip_suffix(')')) {
        (Some(open), Some(_)) => &id[open + 1..id.len() - 1],
        _ => id,
    }
}

fn slot_title(s: &SlotReport) -> String {
    format!(
        "{} — {} in {}",
        s.slot,
        plural(s.variants.len(), "wording", "wordings"),
        plural(s.present, "certificate", "certificates")
    )
}

/// Two header rows: a block's id spans its sub-items, whose numerals sit below it, stacked one
/// character per line (vertical writing squeezes glyphs in fonts without vertical metrics).
fn column_headers(w: &mut dyn Write, slots: &[SlotReport], dir: &str) -> io::Result<()> {
    let groups = column_groups(slots);
    let cell = |w: &mut dyn Write, i: usize, label: &str, rowspan: &str| {
        let s = &slots[i];
        write!(
            w,
            "<th class=\"sh{}\"{rowspan}><a href=\"#s{i}\" data-s=\"s{i}\" title=\"{}\"><span class=\"lab\">{}</span></a></th>",
            if s.drifting { " d" } else { "" },
            escape(&slot_title(s)),
            escape(label)
        )
    };
    write!(
        w,
        "<thead><tr><th class=\"p\" rowspan=\"2\">certificate{}</th><th class=\"is\" rowspan=\"2\">issuer</th><th class=\"yr\" rowspan=\"2\">year</th>",
        if dir.is_empty() {
            String::new()
        } else {
            format!(
                "<span class=\"dir\" title=\"{}\">in <code>{}</code></span>",
                escape(dir),
                escape(&shorten_path(dir, LABEL_COLUMNS - 3))
            )
        }
    )?;
    for &ColumnGroup { head, len } in &groups {
        if len == 1 {
            cell(w, head, bare_id(&slots[head].slot), " rowspan=\"2\"")?;
        } else {
            let drifting = slots[head..head + len]
                .iter()
                .filter(|s| s.drifting)
                .count();
            let name = &slots[head].slot;
            let label = match name.split_once(" [") {
                Some((id, block)) => format!("{id}〔{}〕", block.trim_end_matches(']')),
                None => name.clone(),
            };
            write!(
                w,
                "<th class=\"gh\" colspan=\"{len}\" data-k=\"{len}\" data-dk=\"{drifting}\"><a href=\"#s{head}\" title=\"{}\">{}</a></th>",
                escape(name),
                escape(&label)
            )?;
        }
    }
    writeln!(w, "</tr>")?;
    write!(w, "<tr>")?;
    for &ColumnGroup { head, len } in groups.iter().filter(|g| g.len > 1) {
        cell(w, head, "·", "")?;
        for (i, s) in slots.iter().enumerate().skip(head + 1).take(len - 1) {
            cell(w, i, child_label(&s.slot), "")?;
        }
    }
    writeln!(w, "</tr></thead>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_labels() {
        assert_eq!(bare_id("十五(一) [在线数据处理与交易处理业务]"), "十五(一)");
        assert_eq!(child_label("十五(一) [在线数据处理与交易处理业务]"), "一");
        assert_eq!(child_label("十五(十三)"), "十三");
        assert_eq!(child_label("十二"), "十二");
    }
}
