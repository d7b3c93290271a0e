//! Renderers: plain data in, bytes out through an `io::Write`; they know nothing of flags.

pub mod compare;
pub mod drift;
pub mod duplicates;
pub mod html;
pub mod paths;
pub mod redline;
pub mod scan;
pub mod show;

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// The width of a terminal the tables are laid out for when none is known.
pub const DEFAULT_WIDTH: u16 = 80;

/// A table in the style every text report uses, laid out for `width` columns (long cells
/// wrap), or, with no width (a pipe or a file), as wide as its cells: nothing is cut or
/// wrapped to fit.
pub(crate) fn text_table(width: Option<u16>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    match width {
        Some(w) => t
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
            .set_width(w),
        None => t.set_content_arrangement(comfy_table::ContentArrangement::Disabled),
    };
    t
}

/// The header fields as every report names them: the JSON key, the label for people (`show`
/// and `compare` tables, Markdown and HTML), and the label printed on the certificate.
pub const FIELD_LABELS: &[(&str, &str, &str)] = &[
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
pub fn field_label(key: &str) -> &str {
    FIELD_LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(key, |(_, label, _)| label)
}

/// The label printed on the certificate for the header field with JSON key `key`
/// ([`FIELD_LABELS`]).
pub fn field_label_zh(key: &str) -> Option<&'static str> {
    FIELD_LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, zh)| *zh)
}

/// Cuts `s` to at most `max` display columns (CJK characters count two), ending with `…`
/// when something was cut.
pub fn truncate_width(s: &str, max: usize) -> String {
    let mut width = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if width + w > max.saturating_sub(1) {
            // Does the rest fit without an ellipsis? (Stop counting once it cannot: the rest
            // may be megabytes long.)
            let mut rest = 0usize;
            for c in s[i..].chars() {
                rest += c.width().unwrap_or(0);
                if width + rest > max {
                    break;
                }
            }
            return if width + rest <= max {
                s.to_string()
            } else {
                format!("{}…", &s[..i])
            };
        }
        width += w;
    }
    s.to_string()
}

/// `n` of `total` in units of `1 / scale` (100: a percentage), rounded to the nearest, except
/// that only all is `scale` and only none is 0: a part is kept within `1..scale - 1`, so
/// 399 of 400 is 99%, never 100%. `None` when `total` is 0. Every report's shares go through
/// here, so the formats agree.
pub fn rounded_share(n: usize, total: usize, scale: u32) -> Option<u32> {
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
pub fn share_percent(n: usize, total: usize) -> String {
    rounded_share(n, total, 100).map_or_else(|| "—".to_string(), |p| format!("{p}%"))
}

/// `n` of `total` as a fraction with three decimals by [`rounded_share`]: `0.999`; empty when
/// `total` is 0.
pub fn share_fraction(n: usize, total: usize) -> String {
    rounded_share(n, total, 1000)
        .map_or_else(String::new, |p| format!("{}.{:03}", p / 1000, p % 1000))
}

/// `items` joined with `, `; with a `max` width (columns, CJK characters counting two), as
/// many whole items as fit (at least one) and then `… and N more` for the rest, so a cut list
/// still says how long it is.
pub fn join_fitting(items: &[String], max: Option<usize>) -> String {
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

/// Makes a CSV cell safe to open in a spreadsheet: a cell that begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (or a full-width `＝`, `＋`, `－`, `＠`) would be read as a
/// formula, so it gets a leading `'`. Other cells are returned unchanged.
pub fn csv_safe(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

/// Writes `value` as indented JSON (two spaces), the same bytes as
/// `serde_json::to_writer_pretty`, and a newline: every JSON report but scan's JSON Lines.
/// serde's pretty printer writes each level of indentation with its own call; a drift report
/// of 10^5 certificates has millions of lines six levels deep, so here each newline and its
/// indentation go out in one write, through a buffer of a known type.
pub fn write_pretty_json(
    out: &mut dyn std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    write_pretty_document(out, |w| write_pretty_value(w, 0, value))
}

/// Writes a JSON document in the layout of [`write_pretty_json`], its top-level value
/// written by `write` (by serde or by hand), through the same buffer and final newline.
pub(crate) fn write_pretty_document(
    out: &mut dyn std::io::Write,
    write: impl FnOnce(&mut std::io::BufWriter<&mut dyn std::io::Write>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    write(&mut w)?;
    writeln!(w)?;
    w.flush()
}

/// Writes `value` with serde in the layout of [`write_pretty_json`], as the value of a field
/// or an element at `level` (the depth of the line it starts on).
pub(crate) fn write_pretty_value<W: std::io::Write>(
    w: &mut W,
    level: usize,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(
        w,
        Pretty::at(level),
    ))?;
    Ok(())
}

/// Writes a newline and the indentation of depth `level` in the layout of
/// [`write_pretty_json`], after a comma when `comma`.
pub(crate) fn write_pretty_line<W: std::io::Write>(
    w: &mut W,
    level: usize,
    comma: bool,
) -> std::io::Result<()> {
    Pretty::at(level).new_line(w, comma)
}

/// A JSON object or array written by hand in the layout of [`write_pretty_json`], for a
/// report whose bulk is worth writing without serde (drift's member lists): the caller starts
/// each field ([`PrettyNested::key`]) or element ([`PrettyNested::element`]) and writes its
/// value, by serde ([`PrettyNested::field`]) or directly.
pub(crate) struct PrettyNested<'a, W: std::io::Write> {
    w: &'a mut W,
    /// Depth of the fields or elements.
    level: usize,
    first: bool,
    close: &'static [u8],
}

impl<'a, W: std::io::Write> PrettyNested<'a, W> {
    /// Opens an object whose `{` stands on a line at depth `level`.
    pub(crate) fn object(w: &'a mut W, level: usize) -> std::io::Result<Self> {
        Self::open(w, level, b"{", b"}")
    }

    /// Opens an array whose `[` stands on a line at depth `level`.
    pub(crate) fn array(w: &'a mut W, level: usize) -> std::io::Result<Self> {
        Self::open(w, level, b"[", b"]")
    }

    fn open(
        w: &'a mut W,
        level: usize,
        open: &[u8],
        close: &'static [u8],
    ) -> std::io::Result<Self> {
        w.write_all(open)?;
        Ok(PrettyNested {
            w,
            level: level + 1,
            first: true,
            close,
        })
    }

    /// Starts the next element of an array; it is written next, at depth
    /// [`PrettyNested::level`].
    pub(crate) fn element(&mut self) -> std::io::Result<&mut W> {
        write_pretty_line(self.w, self.level, !self.first)?;
        self.first = false;
        Ok(self.w)
    }

    /// Appends elements rendered elsewhere, each after [`write_pretty_line`] at depth
    /// [`PrettyNested::level`] (with a comma unless it is the array's first).
    pub(crate) fn rendered_elements(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.first &= bytes.is_empty();
        self.w.write_all(bytes)
    }

    /// Starts the next field of an object (its key must need no escaping); its value is
    /// written next.
    pub(crate) fn key(&mut self, key: &str) -> std::io::Result<&mut W> {
        debug_assert!(!json_needs_escape(key));
        let w = self.element()?;
        w.write_all(b"\"")?;
        w.write_all(key.as_bytes())?;
        w.write_all(b"\": ")?;
        Ok(w)
    }

    /// Writes a field whose value serde writes.
    pub(crate) fn field(
        &mut self,
        key: &str,
        value: &impl serde::Serialize,
    ) -> std::io::Result<()> {
        let level = self.level;
        write_pretty_value(self.key(key)?, level, value)
    }

    /// Writes a field whose value is an array, each element by `each` (given the writer and
    /// the element's depth).
    pub(crate) fn array_field<T>(
        &mut self,
        key: &str,
        items: &[T],
        mut each: impl FnMut(&mut W, usize, &T) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let level = self.level;
        let mut array = PrettyNested::array(self.key(key)?, level)?;
        for item in items {
            let level = array.level;
            each(array.element()?, level, item)?;
        }
        array.close()
    }

    /// Depth of the fields or elements: where a value written by hand starts.
    pub(crate) fn level(&self) -> usize {
        self.level
    }

    /// Closes the object or array.
    pub(crate) fn close(self) -> std::io::Result<()> {
        if !self.first {
            write_pretty_line(self.w, self.level - 1, false)?;
        }
        self.w.write_all(self.close)
    }
}

/// True when serde_json would escape something in `s` (a quote, a backslash or a control
/// character below U+0020). Checks every byte without stopping early, which compiles to a
/// vector loop.
pub(crate) fn json_needs_escape(s: &str) -> bool {
    s.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// Writes `s` as a JSON string, the same bytes as serde_json.
pub(crate) fn write_json_str<W: std::io::Write>(w: &mut W, s: &str) -> std::io::Result<()> {
    if json_needs_escape(s) {
        serde_json::to_writer(w, s)?;
        Ok(())
    } else {
        w.write_all(b"\"")?;
        w.write_all(s.as_bytes())?;
        w.write_all(b"\"")
    }
}

/// serde_json's `PrettyFormatter` with two-space indentation, writing a newline and its
/// indentation at once.
#[derive(Debug)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    fn at(level: usize) -> Self {
        Pretty {
            level,
            has_value: false,
        }
    }

    /// A newline and the current indentation, after a comma unless `first`.
    fn new_line<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        const LINE: &[u8] = b",\n                                                                ";
        let want = 2 * self.level;
        let from = usize::from(!comma);
        if want + 2 <= LINE.len() {
            w.write_all(&LINE[from..want + 2])
        } else {
            w.write_all(&LINE[from..2])?;
            (0..self.level).try_for_each(|_| w.write_all(b"  "))
        }
    }

    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, open: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(open)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W, close: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(w, false)?;
        }
        w.write_all(close)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_cjk_as_two_columns() {
        assert_eq!(truncate_width("你公司应当按照", 7), "你公司…");
        assert_eq!(truncate_width("你公司", 6), "你公司");
        assert_eq!(truncate_width("abc", 3), "abc");
        assert_eq!(truncate_width("abcd", 3), "ab…");
        assert_eq!(truncate_width("", 3), "");
    }

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
    fn csv_safe_defuses_formulas_only() {
        let formulas = [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "＝1",
        ];
        for s in formulas {
            assert_eq!(csv_safe(s), format!("'{s}"), "{s:?}");
        }
        for s in ["", "北京某公司", "1+1", "a=b", "'=x", " =x", "2023-08-04"] {
            assert!(matches!(csv_safe(s), Cow::Borrowed(b) if b == s), "{s:?}");
        }
    }

    #[test]
    fn pretty_json_is_serde_json_byte_for_byte() {
        let deep = (0..40).fold(
            serde_json::json!("核心"),
            |v, i| serde_json::json!({ "level": i, "inner": [v, [], {}], "empty": {} }),
        );
        for value in [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([1, [2, []], {"a": {"b": [{}]}}]),
            serde_json::json!({"path": "c/\"x\"\n.txt", "id": "十五(六)", "line": 3}),
            deep,
        ] {
            let mut ours = Vec::new();
            write_pretty_json(&mut ours, &value).unwrap();
            let mut theirs = serde_json::to_vec_pretty(&value).unwrap();
            theirs.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }
}
