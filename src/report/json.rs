//! JSON: `show`, `compare` and `drift` as indented documents, `scan` as JSON Lines. The
//! fields are documented on the serialized types; drift's member lists, most of a large
//! report, are written by hand in the same bytes as serde's.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::compare::Comparison;
use crate::drift::{AgainstReport, DriftReport, Member, SlotReport, Variant};
use crate::model::{Certificate, ProvisionId};
use crate::scan::ScanRecord;

/// Writes the certificate as JSON: its path, encoding, fields, provisions and warnings, as
/// [`Certificate`] serializes them.
pub fn show(out: &mut dyn Write, cert: &Certificate) -> io::Result<()> {
    write_pretty_json(out, cert)
}

/// Writes the comparison as JSON, as [`Comparison`] serializes it.
pub fn compare(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    write_pretty_json(out, c)
}

/// Writes one compact JSON object per record and line (JSON Lines), as [`ScanRecord`]
/// serializes it, in the given order.
pub fn scan_lines(out: &mut dyn Write, records: &[ScanRecord]) -> io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the drift report as JSON (schema `provdiff.drift/1`), with `against` as its field
/// `against`: the bytes serde's pretty printer gives [`DriftReport`] (a test holds the two
/// together), but written by hand down to the member lists, which are most of a large report
/// (one member per provision per certificate) and most of the writing time through serde.
pub fn drift(
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
        write_pretty_line(w, level, !(first && j == 0))?;
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

/// Writes `value` as indented JSON (two spaces), the same bytes as
/// `serde_json::to_writer_pretty`, and a newline: every JSON report but scan's JSON Lines.
/// serde's pretty printer writes each level of indentation with its own call; a drift report
/// of 10^5 certificates has millions of lines six levels deep, so here each newline and its
/// indentation go out in one write, through a buffer of a known type.
fn write_pretty_json(
    out: &mut dyn std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    write_pretty_document(out, |w| write_pretty_value(w, 0, value))
}

/// Writes a JSON document in the layout of [`write_pretty_json`], its top-level value
/// written by `write` (by serde or by hand), through the same buffer and final newline.
fn write_pretty_document(
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
fn write_pretty_value<W: std::io::Write>(
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
fn write_pretty_line<W: std::io::Write>(
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
struct PrettyNested<'a, W: std::io::Write> {
    w: &'a mut W,
    /// Depth of the fields or elements.
    level: usize,
    first: bool,
    close: &'static [u8],
}

impl<'a, W: std::io::Write> PrettyNested<'a, W> {
    /// Opens an object whose `{` stands on a line at depth `level`.
    fn object(w: &'a mut W, level: usize) -> std::io::Result<Self> {
        Self::open(w, level, b"{", b"}")
    }

    /// Opens an array whose `[` stands on a line at depth `level`.
    fn array(w: &'a mut W, level: usize) -> std::io::Result<Self> {
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
    fn element(&mut self) -> std::io::Result<&mut W> {
        write_pretty_line(self.w, self.level, !self.first)?;
        self.first = false;
        Ok(self.w)
    }

    /// Appends elements rendered elsewhere, each after [`write_pretty_line`] at depth
    /// [`PrettyNested::level`] (with a comma unless it is the array's first).
    fn rendered_elements(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.first &= bytes.is_empty();
        self.w.write_all(bytes)
    }

    /// Starts the next field of an object (its key must need no escaping); its value is
    /// written next.
    fn key(&mut self, key: &str) -> std::io::Result<&mut W> {
        debug_assert!(!json_needs_escape(key));
        let w = self.element()?;
        w.write_all(b"\"")?;
        w.write_all(key.as_bytes())?;
        w.write_all(b"\": ")?;
        Ok(w)
    }

    /// Writes a field whose value serde writes.
    fn field(&mut self, key: &str, value: &impl serde::Serialize) -> std::io::Result<()> {
        let level = self.level;
        write_pretty_value(self.key(key)?, level, value)
    }

    /// Writes a field whose value is an array, each element by `each` (given the writer and
    /// the element's depth).
    fn array_field<T>(
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
    fn level(&self) -> usize {
        self.level
    }

    /// Closes the object or array.
    fn close(self) -> std::io::Result<()> {
        if !self.first {
            write_pretty_line(self.w, self.level - 1, false)?;
        }
        self.w.write_all(self.close)
    }
}

/// True when serde_json would escape something in `s` (a quote, a backslash or a control
/// character below U+0020). Checks every byte without stopping early, which compiles to a
/// vector loop.
fn json_needs_escape(s: &str) -> bool {
    s.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// Writes `s` as a JSON string, the same bytes as serde_json.
fn write_json_str<W: std::io::Write>(w: &mut W, s: &str) -> std::io::Result<()> {
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
    use crate::report::fixtures::{render, scan_ok};

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
            write_pretty_value(&mut serde, 3, &list).unwrap();
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

    #[test]
    fn jsonl_is_one_object_per_line() {
        let records = vec![
            scan_ok("a.txt", "北京"),
            ScanRecord::failed("b.txt", "gone".into()),
        ];
        let s = render(|w| scan_lines(w, &records));
        let back: Vec<ScanRecord> = s
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, records);
    }
}
