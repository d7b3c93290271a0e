//! The engine's confidences carried onto parsed provisions: each provision's normalized text
//! is aligned, character by character, with the OCR words of the source lines it was read
//! from, and the characters that came from words read with low confidence are listed in
//! [`Provision::uncertain`].

use unicode_normalization::UnicodeNormalization;

use super::page::Line;
use crate::model::{Provision, UNCERTAIN_BELOW};

/// Fills [`Provision::uncertain`] of `provisions` and their sub-items from `lines`, the source
/// line each line of the parsed text came from (index 0 is line 1; `None` for a line with no
/// OCR words). A character counts as uncertain when its word's confidence is below
/// [`UNCERTAIN_BELOW`].
pub fn mark_uncertain(provisions: &mut [Provision], lines: &[Option<&Line>]) {
    for p in provisions {
        p.uncertain = uncertain_chars(p, lines);
        mark_uncertain(&mut p.children, lines);
    }
}

fn uncertain_chars(p: &Provision, lines: &[Option<&Line>]) -> Vec<u32> {
    // The source characters as normalization folds them (NFKC: full-width forms to ASCII),
    // whitespace dropped, each with the confidence of the word it belongs to.
    let mut src: Vec<char> = Vec::new();
    let mut conf: Vec<Option<f32>> = Vec::new();
    let first = p.line.max(1);
    let last = p.end_line.max(first).min(lines.len());
    for line in lines[first - 1..last].iter().flatten() {
        for (c, cf) in line.text.chars().zip(line.char_confidences()) {
            for folded in std::iter::once(c).nfkc() {
                if !folded.is_whitespace() {
                    src.push(folded);
                    conf.push(cf);
                }
            }
        }
    }
    if !conf.iter().any(|c| c.is_some_and(|c| c < UNCERTAIN_BELOW)) {
        return Vec::new();
    }
    let text: Vec<char> = p.text.chars().collect();
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &src, &text) {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                if conf[old_index + k].is_some_and(|c| c < UNCERTAIN_BELOW) {
                    out.push((new_index + k) as u32);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::page::Word;
    use crate::model::ProvisionId;

    fn line(text: &str, words: &[(&str, f32)]) -> Line {
        Line {
            text: text.into(),
            words: words
                .iter()
                .map(|&(t, conf)| Word {
                    text: t.into(),
                    conf,
                })
                .collect(),
            starts_paragraph: false,
        }
    }

    #[test]
    fn low_confidence_words_mark_their_characters_in_the_normalized_text() {
        // Line 1 holds the label and the start, line 2 is blank, line 3 the rest; the
        // normalized text has no label, ASCII punctuation and no spaces.
        let l1 = line(
            "一、你公司 应当 履盖，",
            &[
                ("一、", 95.0),
                ("你公", 96.0),
                ("司", 91.0),
                ("应当", 93.0),
                ("履盖", 41.0),
                ("，", 88.0),
            ],
        );
        let l3 = line("全国。", &[("全国", 62.0), ("。", 99.0)]);
        let lines = vec![Some(&l1), None, Some(&l3)];
        let mut provs = vec![Provision {
            id: ProvisionId::top(1),
            line: 1,
            end_line: 3,
            label: "一、".into(),
            text: "你公司应当履盖,全国。".into(),
            children: Vec::new(),
            uncertain: Vec::new(),
        }];
        mark_uncertain(&mut provs, &lines);
        // 履盖 (5, 6) at 41 and 全国 (8, 9) at 62.
        assert_eq!(provs[0].uncertain, [5, 6, 8, 9]);
        // Text lines (no words) leave it empty.
        let plain = line("你公司应当履盖,全国。", &[]);
        provs[0].uncertain.clear();
        mark_uncertain(&mut provs, &[Some(&plain)]);
        assert!(provs[0].uncertain.is_empty());
    }
}
