//! Paragraphs of the special provisions to lines: pages with their furniture (page header,
//! section heading, page numbers, signature blocks), page breaks between or inside sentences,
//! and hard wraps.

use super::header::{Identity, licence_header, section_heading, signature};
use super::noise::{Line, Role};
use super::profile::{Applied, Noise, Profile};
use super::rng::Rng;

/// One paragraph: a provision with its label, or the preamble (`label_len` 0).
#[derive(Debug, Clone)]
pub struct Para {
    /// Label and text, normalized.
    pub text: String,
    /// Length of the label in bytes.
    pub label_len: usize,
}

/// Shortest piece a wrap or a page break leaves on either side.
const MIN_PIECE: usize = 6;

/// True when a line that starts with `rest` would read as a new provision or sub-item:
/// numerals followed by `、` or `.`, or numerals in parentheses.
fn looks_like_label(rest: &[char]) -> bool {
    let numeral = |c: &char| "一二三四五六七八九十".contains(*c);
    let n = rest.iter().take_while(|c| numeral(c)).count();
    if n > 0 && matches!(rest.get(n), Some('、' | '.')) {
        return true;
    }
    if rest.first() == Some(&'(') {
        let m = rest[1..].iter().take_while(|c| numeral(c)).count();
        return m > 0 && rest.get(1 + m) == Some(&')');
    }
    false
}

/// True when the text may be split before `cs[i]`: between two characters that are neither
/// ASCII nor whitespace, leaving no piece shorter than [`MIN_PIECE`] and no second half that
/// starts like a label.
fn splittable(cs: &[char], i: usize, min_first: usize) -> bool {
    i >= min_first
        && i >= MIN_PIECE
        && cs.len() - i >= MIN_PIECE
        && !cs[i - 1].is_ascii()
        && !cs[i].is_ascii()
        && !cs[i - 1].is_whitespace()
        && !cs[i].is_whitespace()
        && !looks_like_label(&cs[i..])
}

/// The split point nearest below `target` (down to `min_first`), else the nearest above it.
fn split_near(cs: &[char], target: usize, min_first: usize) -> Option<usize> {
    let target = target.min(cs.len());
    (min_first..=target)
        .rev()
        .chain(target + 1..cs.len())
        .find(|&i| splittable(cs, i, min_first))
}

/// Lays out the body: `paras` in order, page furniture at page breaks, a signature block at the
/// end when the profile asks for one and the text is not truncated.
pub fn body(
    id: &Identity,
    paras: &[Para],
    truncated: bool,
    p: &Profile,
    rng: &mut Rng,
    applied: &mut Applied,
) -> Vec<Line> {
    let mut out = Vec::new();
    let mut page = 1;
    let mut cap = rng.range(900, 1500);
    let mut used = 0;
    for para in paras {
        let cs: Vec<char> = para.text.chars().collect();
        let label_chars = para.text[..para.label_len].chars().count();
        let wrap = p
            .wrap
            .filter(|&(_, share)| rng.chance(share))
            .map(|(w, _)| w);
        let mut start = 0;
        loop {
            let rest = cs.len() - start;
            if !p.pages || used + rest <= cap {
                emit(
                    &cs[start..],
                    start == 0,
                    label_chars,
                    wrap,
                    &mut out,
                    applied,
                );
                used += rest;
                break;
            }
            let room = cap.saturating_sub(used);
            let mid = (room > 2 * MIN_PIECE && rng.chance(p.mid_break))
                || (used == 0 && p.mid_break > 0.0);
            let min_first = if start == 0 { label_chars + 2 } else { 0 };
            let split = if mid {
                split_near(&cs[start..], room, min_first)
            } else {
                None
            };
            match split {
                Some(i) => {
                    emit(
                        &cs[start..start + i],
                        start == 0,
                        label_chars,
                        wrap,
                        &mut out,
                        applied,
                    );
                    applied.mark(Noise::PageBreakMid);
                    start += i;
                }
                None if used == 0 => {
                    // A paragraph longer than a page with no split point: let it overflow.
                    emit(
                        &cs[start..],
                        start == 0,
                        label_chars,
                        wrap,
                        &mut out,
                        applied,
                    );
                    used += rest;
                    break;
                }
                None => {}
            }
            page += 1;
            page_break(id, page, p, rng, applied, &mut out);
            used = 0;
            cap = rng.range(1100, 1700);
        }
        out.push(Line::blank());
    }
    if p.signature_end && !truncated {
        applied.mark(Noise::SignatureEnd);
        out.extend(signature(id, p, true, rng, applied));
    } else {
        out.pop();
    }
    out
}

/// One paragraph or the piece of one on the current page, wrapped when `wrap` is set.
fn emit(
    cs: &[char],
    starts_para: bool,
    label_chars: usize,
    wrap: Option<usize>,
    out: &mut Vec<Line>,
    applied: &mut Applied,
) {
    let mut pieces: Vec<&[char]> = Vec::new();
    let mut rest = cs;
    if let Some(w) = wrap {
        let mut first = true;
        while rest.len() > w + MIN_PIECE {
            let min_first = if first && starts_para {
                label_chars + 2
            } else {
                0
            };
            let Some(i) = split_near(rest, w, min_first.max(w / 2)) else {
                break;
            };
            pieces.push(&rest[..i]);
            rest = &rest[i..];
            first = false;
        }
        if !pieces.is_empty() {
            applied.mark(Noise::HardWrap);
        }
    }
    pieces.push(rest);
    for (k, piece) in pieces.iter().enumerate() {
        let text: String = piece.iter().collect();
        let role = if k == 0 && starts_para && label_chars > 0 {
            let label_len = cs[..label_chars].iter().map(|c| c.len_utf8()).sum();
            Role::Label(label_len)
        } else {
            Role::Text
        };
        out.push(Line::new(text, role));
    }
}

fn page_break(
    id: &Identity,
    page: usize,
    p: &Profile,
    rng: &mut Rng,
    applied: &mut Applied,
    out: &mut Vec<Line>,
) {
    applied.mark(Noise::PageBreak);
    out.push(Line::blank());
    if p.signature_page {
        applied.mark(Noise::SignaturePage);
        out.extend(signature(id, p, rng.chance(0.2), rng, applied));
        out.push(Line::blank());
    }
    if let Some(style) = p.page_numbers {
        let n = page - 1;
        let (kind, text) = match style {
            0 => (Noise::PageNumber, format!("第 {n} 页")),
            1 => (Noise::PageNumber, n.to_string()),
            2 => (Noise::PageNumberDashed, format!("- {n} -")),
            _ => (Noise::PageNumberDashed, format!("— {n} —")),
        };
        applied.mark(kind);
        out.push(Line::new(text, Role::Furniture));
        out.push(Line::blank());
    }
    out.extend(licence_header(&id.license_no, p, rng, applied));
    out.push(Line::blank());
    out.push(section_heading(p, applied));
    out.push(Line::blank());
}
