//! Read pages as plain data: a [`Page`] of [`Line`]s, each OCR line with its [`Word`]s and
//! their confidences, and a certificate's [`DocumentText`] turned into the text the parser
//! reads, with the line each text line came from.

use serde::{Deserialize, Serialize};

/// Where a page's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageSource {
    /// A PDF's text layer, read in process.
    TextLayer,
    /// OCR of the page image.
    Ocr,
}

/// One OCR word (a Chinese "word" is one or two characters) with its confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// The word's text.
    pub text: String,
    /// The engine's confidence, 0–100.
    pub conf: f32,
}

/// One printed line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The line as printed (OCR: exactly as tesseract's text output has it).
    pub text: String,
    /// OCR words in order (empty for a text-layer line).
    pub words: Vec<Word>,
    /// A paragraph (or block) starts here: tesseract prints a blank line before it.
    pub starts_paragraph: bool,
}

impl Line {
    /// The confidence of every character of `text` (by `chars()`): that of the OCR word the
    /// character belongs to; `None` for spaces, for text-layer lines and where a word could not
    /// be found in the text.
    pub fn char_confidences(&self) -> Vec<Option<f32>> {
        let chars: Vec<char> = self.text.chars().collect();
        let mut out = vec![None; chars.len()];
        let mut pos = 0;
        for w in &self.words {
            let wc: Vec<char> = w.text.chars().collect();
            if wc.is_empty() {
                continue;
            }
            let Some(at) = find_chars(&chars, &wc, pos) else {
                continue;
            };
            for c in out.iter_mut().skip(at).take(wc.len()) {
                *c = Some(w.conf);
            }
            pos = at + wc.len();
        }
        out
    }
}

fn find_chars(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    (from..=hay.len().checked_sub(needle.len())?).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// The text of one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Text layer or OCR.
    pub source: PageSource,
    /// The lines, top to bottom.
    pub lines: Vec<Line>,
}

impl Page {
    /// Mean word confidence (0–100) of an OCR page and its number of words.
    fn confidence_sum(&self) -> (f64, usize) {
        self.lines
            .iter()
            .flat_map(|l| &l.words)
            .fold((0.0, 0), |(s, n), w| (s + f64::from(w.conf), n + 1))
    }
}

/// The pages of one certificate, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentText {
    /// Its pages in order.
    pub pages: Vec<Page>,
}

impl DocumentText {
    /// Pages read by OCR.
    pub fn ocr_pages(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| p.source == PageSource::Ocr)
            .count()
    }

    /// Mean word confidence (0–100) over the OCR pages; `None` without OCR words.
    pub fn mean_confidence(&self) -> Option<f32> {
        let (sum, n) = self
            .pages
            .iter()
            .map(Page::confidence_sum)
            .fold((0.0, 0), |(s, n), (ps, pn)| (s + ps, n + pn));
        (n > 0).then(|| (sum / n as f64) as f32)
    }

    /// The text the parser reads: every page's lines in order, each ending with a newline, a
    /// blank line before each OCR paragraph but a page's first (as tesseract prints a page);
    /// and, for each line of that text (index 0 is line 1), the line it came from, `None` for
    /// the blank ones.
    pub fn text(&self) -> (String, Vec<Option<&Line>>) {
        let mut text = String::new();
        let mut lines = Vec::new();
        for page in &self.pages {
            for (i, line) in page.lines.iter().enumerate() {
                if i > 0 && line.starts_paragraph && page.source == PageSource::Ocr {
                    text.push('\n');
                    lines.push(None);
                }
                text.push_str(&line.text);
                text.push('\n');
                lines.push(Some(line));
            }
        }
        (text, lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, words: &[(&str, f32)], starts_paragraph: bool) -> Line {
        Line {
            text: text.into(),
            words: words
                .iter()
                .map(|&(t, conf)| Word {
                    text: t.into(),
                    conf,
                })
                .collect(),
            starts_paragraph,
        }
    }

    #[test]
    fn characters_take_their_words_confidence() {
        let l = line(
            "编号 : B2-1",
            &[("编号", 90.0), (":", 80.0), ("B2-1", 70.0)],
            false,
        );
        let c = l.char_confidences();
        assert_eq!(
            (c[0], c[1], c[2], c[3], c[5], c[8]),
            (
                Some(90.0),
                Some(90.0),
                None,
                Some(80.0),
                Some(70.0),
                Some(70.0)
            )
        );
        // A word the text does not hold is skipped, not smeared over the next one.
        let l = line("甲乙", &[("丙", 10.0), ("乙", 50.0)], false);
        assert_eq!(l.char_confidences(), [None, Some(50.0)]);
    }

    #[test]
    fn text_has_a_blank_line_before_each_ocr_paragraph_and_a_line_map() {
        let ocr = Page {
            source: PageSource::Ocr,
            lines: vec![
                line("甲", &[("甲", 90.0)], true),
                line("乙", &[("乙", 60.0)], false),
                line("丙", &[("丙", 30.0)], true),
            ],
        };
        let layer = Page {
            source: PageSource::TextLayer,
            lines: vec![line("丁", &[], true), line("戊", &[], true)],
        };
        let doc = DocumentText {
            pages: vec![ocr, layer],
        };
        let (text, lines) = doc.text();
        assert_eq!(text, "甲\n乙\n\n丙\n丁\n戊\n");
        let at: Vec<Option<&str>> = lines.iter().map(|l| l.map(|l| l.text.as_str())).collect();
        assert_eq!(
            at,
            [
                Some("甲"),
                Some("乙"),
                None,
                Some("丙"),
                Some("丁"),
                Some("戊")
            ]
        );
        assert_eq!(doc.ocr_pages(), 1);
        assert_eq!(doc.mean_confidence(), Some(60.0));
        assert_eq!(DocumentText::default().mean_confidence(), None);
    }
}
