//! Renderers: plain data in, bytes out through an `io::Write`; they know nothing of flags.
//!
//! One module per output format, each with a function per command that has the format:
//! [`table`] (terminal tables), [`json`], [`csv`], [`markdown`] and [`html`] (self-contained
//! pages); the binary picks one with a single `match` on its format flag. What every format
//! says (summary lines, verdicts, what a change is) is written once, in `words`; the rows that
//! the table-shaped formats share are built once, in `rows`; `redline` marks changes in
//! every style and [`paths`] shortens file names to fit.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod paths;
pub(crate) mod redline;
mod rows;
pub mod table;
mod words;

#[cfg(test)]
pub(crate) mod fixtures;

/// The width of a terminal the tables are laid out for when none is known.
pub const DEFAULT_WIDTH: u16 = 80;

/// What the views of `compare` show: the table and Markdown read all of it, HTML
/// `only_changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareView {
    /// Terminal columns to lay tables out for; `None`: no limit (a pipe or a file).
    pub width: Option<u16>,
    /// Colour redlines with ANSI codes instead of `[-…-]{+…+}`.
    pub color: bool,
    /// Leave unchanged provisions
    /// ([`ProvisionComparison::is_unchanged`](crate::compare::ProvisionComparison::is_unchanged))
    /// out of the provisions table.
    pub only_changes: bool,
}

impl Default for CompareView {
    fn default() -> Self {
        CompareView {
            width: Some(DEFAULT_WIDTH),
            color: false,
            only_changes: false,
        }
    }
}

/// What the text views of `drift` show: the table and Markdown (HTML has its own
/// [`html::Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriftView {
    /// Terminal columns; `None`: no limit (a pipe or a file), nothing is cut.
    pub width: Option<u16>,
    /// ANSI colours in redlines.
    pub color: bool,
    /// Members listed per variant before `… and N more`.
    pub max_members: usize,
    /// Variants shown per slot before `… N more`.
    pub max_variants: usize,
}

impl Default for DriftView {
    fn default() -> Self {
        DriftView {
            width: Some(DEFAULT_WIDTH),
            color: false,
            max_members: 5,
            max_variants: 12,
        }
    }
}

/// The header fields as every report names them: the JSON key, the label for people (`show`
/// and `compare` tables, Markdown and HTML), and the label printed on the certificate.
pub(crate) const FIELD_LABELS: &[(&str, &str, &str)] = &[
    ("license_no", "licence no", "经营许可证编号"),
    ("issuer", "issuer", "发证机关"),
    ("category", "category", "类别"),
    ("company", "company", "公司名称"),
    ("legal_rep", "legal rep", "法定代表人"),
    ("registered_capital", "capital", "注册资本"),
    ("address", "address", "注册住所"),
    ("business", "business", "业务种类"),
    ("coverage", "coverage", "业务覆盖范围"),
    ("signatory", "signatory", "签发人"),
    ("issued", "issued", "发证日期"),
    ("expires", "expires", "有效期至"),
    ("website", "website", "网站名称"),
    ("website_domain", "domain", "网站域名"),
    ("server_location", "server at", "服务器放置地"),
    ("access_provider", "access via", "网站接入服务提供单位"),
];

/// The label for people of the header field with JSON key `key` ([`FIELD_LABELS`]); the key
/// itself for a field the table lacks.
pub(crate) fn field_label(key: &str) -> &str {
    FIELD_LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(key, |(_, label, _)| label)
}

/// The label printed on the certificate for the header field with JSON key `key`
/// ([`FIELD_LABELS`]).
pub(crate) fn field_label_zh(key: &str) -> Option<&'static str> {
    FIELD_LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, zh)| *zh)
}

/// `n` of `total` in units of `1 / scale` (100: a percentage), rounded to the nearest, except
/// that only all is `scale` and only none is 0: a part is kept within `1..scale - 1`, so
/// 399 of 400 is 99%, never 100%. `None` when `total` is 0. Every report's shares go through
/// here, so the formats agree.
pub(crate) fn rounded_share(n: usize, total: usize, scale: u32) -> Option<u32> {
    if total == 0 {
        return None;
    }
    let n = n.min(total);
    let scale = u64::from(scale);
    // Nearest, halves up, in integers: (2 n scale + total) / (2 total).
    let r = ((2 * n as u64 * scale + total as u64) / (2 * total as u64)) as u32;
    Some(if n == 0 || n == total {
        r
    } else {
        r.clamp(1, scale as u32 - 1)
    })
}

/// `n` of `total` as a whole percentage by [`rounded_share`]: `99%`; `—` when `total` is 0.
pub(crate) fn share_percent(n: usize, total: usize) -> String {
    rounded_share(n, total, 100).map_or_else(|| "—".to_string(), |p| format!("{p}%"))
}

/// `n` of `total` as a fraction with three decimals by [`rounded_share`]: `0.999`; empty when
/// `total` is 0.
pub(crate) fn share_fraction(n: usize, total: usize) -> String {
    rounded_share(n, total, 1000)
        .map_or_else(String::new, |p| format!("{}.{:03}", p / 1000, p % 1000))
}

/// `items` joined with `, `; with a `max` width (columns, CJK characters counting two), as
/// many whole items as fit (at least one) and then `… and N more` for the rest, so a cut list
/// still says how long it is.
pub(crate) fn join_fitting(items: &[String], max: Option<usize>) -> String {
    let whole = items.join(", ");
    let max = match max {
        Some(max) if paths::columns(&whole) > max => max,
        _ => return whole,
    };
    let more = |k: usize| format!(", … and {} more", items.len() - k);
    // Keep k items while they and the note for the rest fit; at least one.
    let mut kept = items.first().cloned().unwrap_or_default();
    for k in 1..items.len() {
        let longer = format!("{kept}, {}", items[k]);
        let note = if k + 1 < items.len() {
            more(k + 1)
        } else {
            String::new()
        };
        if paths::columns(&longer) + paths::columns(&note) > max {
            kept.push_str(&more(k));
            return kept;
        }
        kept = longer;
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::fixtures::{render, report_of, report_with_counts};
    use super::*;

    #[test]
    fn shares_are_all_or_none_only_when_they_are() {
        assert_eq!(share_percent(399, 400), "99%");
        assert_eq!(share_percent(9988, 9990), "99%");
        assert_eq!(share_percent(1, 1000), "1%");
        assert_eq!(share_percent(1, 400), "1%");
        assert_eq!(share_percent(3, 4), "75%");
        assert_eq!(share_percent(1, 8), "13%");
        assert_eq!(share_percent(4, 4), "100%");
        assert_eq!(share_percent(0, 4), "0%");
        assert_eq!(share_percent(0, 0), "—");
        assert_eq!(share_fraction(1999, 2000), "0.999");
        assert_eq!(share_fraction(1, 2000), "0.001");
        assert_eq!(share_fraction(2, 3), "0.667");
        assert_eq!(share_fraction(5, 5), "1.000");
        assert_eq!(share_fraction(0, 5), "0.000");
        for total in 1..300 {
            for n in 0..=total {
                let p = rounded_share(n, total, 100).unwrap();
                assert_eq!(p == 100, n == total, "{n}/{total}");
                assert_eq!(p == 0, n == 0, "{n}/{total}");
                let exact = n as f64 * 100.0 / total as f64;
                assert!((f64::from(p) - exact).abs() <= 1.0, "{n}/{total}");
            }
        }
    }

    #[test]
    fn a_cut_list_keeps_whole_items_and_counts_the_rest() {
        let items: Vec<String> = ["北京 1/2", "江苏 2/3", "上海 1/1", "广东 4/9"]
            .map(String::from)
            .to_vec();
        let whole = "北京 1/2, 江苏 2/3, 上海 1/1, 广东 4/9";
        assert_eq!(join_fitting(&items, None), whole);
        assert_eq!(join_fitting(&items, Some(38)), whole);
        assert_eq!(
            join_fitting(&items, Some(37)),
            "北京 1/2, 江苏 2/3, … and 2 more"
        );
        assert_eq!(
            join_fitting(&items, Some(32)),
            "北京 1/2, 江苏 2/3, … and 2 more"
        );
        assert_eq!(join_fitting(&items, Some(31)), "北京 1/2, … and 3 more");
        assert_eq!(join_fitting(&items, Some(3)), "北京 1/2, … and 3 more");
        assert_eq!(join_fitting(&[], Some(3)), "");
    }

    #[test]
    fn shares_are_all_or_none_only_when_they_are_in_every_format() {
        let r = report_with_counts(&[1999, 1]);
        let view = DriftView::default();
        let t = render(|w| table::drift(w, &r, None, &view));
        assert!(t.contains("┆ 99%"), "{t}");
        assert!(!t.contains("100%") && !t.contains(" 0%"), "{t}");
        assert!(t.contains("┆ 1%"), "{t}");
        let md = render(|w| markdown::drift(w, &r, None, &view));
        assert!(md.contains("| 99% |") && md.contains("| 1% |"), "{md}");
        assert!(!md.contains("100%") && !md.contains("| 0% |"), "{md}");
        let html = render(|w| html::drift(w, &r, None));
        assert!(html.contains("canonical wording 99%"), "{html}");
        assert!(html.contains("<td class=\"num\">99%</td>"), "{html}");
        assert!(!html.contains(">100%<") && !html.contains("(0%)"), "{html}");
        let c = render(|w| csv::drift(w, &r, None));
        let shares: Vec<String> = ::csv::Reader::from_reader(c.as_bytes())
            .records()
            .map(|row| row.unwrap()[7].to_string())
            .collect();
        assert_eq!(shares, ["0.999", "0.001"]);
        // All and none stay all and none.
        let r = report_with_counts(&[400]);
        let t = render(|w| table::drift(w, &r, None, &view));
        assert!(t.contains("100%"), "{t}");
    }

    proptest::proptest! {
        #[test]
        fn any_unicode_paths_render_in_every_format(
            paths in proptest::collection::vec("[/\\\\a.]{0,3}\\PC{0,12}", 1..6),
        ) {
            let r = report_of(paths);
            let mut out = Vec::new();
            for width in [None, Some(20), Some(80)] {
                let view = DriftView {
                    width,
                    ..Default::default()
                };
                table::drift(&mut out, &r, None, &view).unwrap();
                markdown::drift(&mut out, &r, None, &view).unwrap();
            }
            csv::drift(&mut out, &r, None).unwrap();
            json::drift(&mut out, &r, None).unwrap();
            html::drift(&mut out, &r, None).unwrap();
        }
    }
}
