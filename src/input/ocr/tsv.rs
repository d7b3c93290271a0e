//! Tesseract's output of one run to pages: the text lines from its `txt` output, the words and
//! their confidences from its TSV.
//!
//! The text cannot be rebuilt from the TSV alone: chi_sim's data sets
//! `preserve_interword_spaces`, so the spaces between words are the engine's choice and not in
//! the TSV. The k-th non-blank line of the text is the k-th TSV line with a non-blank word (no
//! mismatch on 140 pages); a paragraph starts where the TSV's block or paragraph number changes,
//! which is where tesseract prints a blank line.

use super::super::error::InputError;
use super::super::page::{Line, Page, PageSource, Word};

/// One TSV line: its words and where it stands.
#[derive(Debug, Clone, PartialEq)]
struct TsvLine {
    /// `page_num`, 1-based per input file.
    page: u32,
    /// `block_num` and `par_num`.
    block_par: (u32, u32),
    /// Its non-blank words.
    words: Vec<Word>,
}

/// Tesseract's TSV of one run: how many pages it read, and their lines.
#[derive(Debug, Clone, PartialEq)]
struct Tsv {
    pages: u32,
    lines: Vec<TsvLine>,
}

/// Parses tesseract's TSV (`level page_num block_num par_num line_num word_num left top width
/// height conf text`) into lines of words, in file order; lines without a non-blank word are
/// dropped, as the text output drops them. `name` names the input in errors.
fn parse_tsv(tsv: &str, name: &str) -> Result<Tsv, InputError> {
    let mut lines: Vec<TsvLine> = Vec::new();
    let mut pages = 0u32;
    let mut key = None;
    for (i, row) in tsv.lines().enumerate() {
        if (i == 0 && row.starts_with("level")) || row.is_empty() {
            continue;
        }
        let bad = |reason: &str| InputError::BadTsv {
            path: name.to_string(),
            line: i + 1,
            reason: reason.to_string(),
        };
        let f: Vec<&str> = row.splitn(12, '\t').collect();
        if f.len() < 11 {
            return Err(bad("fewer than 11 columns"));
        }
        let int = |j: usize| {
            f[j].trim()
                .parse::<i64>()
                .map(|v| v.clamp(0, i64::from(u32::MAX)) as u32)
                .map_err(|_| bad("not a number"))
        };
        let level = int(0)?;
        let page = int(1)?;
        pages = pages.max(page);
        if level != 5 {
            continue;
        }
        let text = f.get(11).copied().unwrap_or("");
        let conf: f32 = f[10]
            .trim()
            .parse()
            .map_err(|_| bad("conf is not a number"))?;
        let k = (page, int(2)?, int(3)?, int(4)?);
        if key != Some(k) {
            key = Some(k);
            lines.push(TsvLine {
                page,
                block_par: (k.1, k.2),
                words: Vec::new(),
            });
        }
        if !text.trim().is_empty() {
            let line = lines.last_mut().expect("pushed above");
            line.words.push(Word {
                text: text.to_string(),
                conf,
            });
        }
    }
    lines.retain(|l| !l.words.is_empty());
    Ok(Tsv { pages, lines })
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Joins TSV words when the text output does not match them: no space between two CJK words,
/// one otherwise (the engine's own spacing differs in about 1 % of word gaps).
fn join_words(words: &[Word]) -> String {
    let mut s = String::new();
    for w in words {
        if let (Some(a), Some(b)) = (s.chars().last(), w.text.chars().next())
            && !(is_cjk(a) && is_cjk(b))
        {
            s.push(' ');
        }
        s.push_str(&w.text);
    }
    s
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Builds the pages of one tesseract run from its text output and its TSV: one page per page
/// the TSV counts (a multi-page TIFF gives several; form feeds in the text are not needed).
/// If text and TSV disagree, each line's text is rebuilt from its words. `name` names the
/// input in errors.
pub fn pages_from_tesseract(txt: &str, tsv: &str, name: &str) -> Result<Vec<Page>, InputError> {
    let tsv = parse_tsv(tsv, name)?;
    let txt_lines: Vec<&str> = txt
        .split(['\n', '\u{c}'])
        .filter(|l| !l.trim().is_empty())
        .collect();
    let agree = txt_lines.len() == tsv.lines.len()
        && txt_lines.iter().zip(&tsv.lines).all(|(t, l)| {
            strip_ws(t)
                == l.words
                    .iter()
                    .map(|w| strip_ws(&w.text))
                    .collect::<String>()
        });
    let mut pages: Vec<Page> = (0..tsv.pages.max(1))
        .map(|_| Page {
            source: PageSource::Ocr,
            lines: Vec::new(),
        })
        .collect();
    let mut prev: Option<(u32, (u32, u32))> = None;
    for (j, l) in tsv.lines.into_iter().enumerate() {
        let key = (l.page, l.block_par);
        let starts_paragraph = prev.is_some_and(|p| p.0 == l.page && p != key);
        prev = Some(key);
        let text = if agree {
            txt_lines[j].trim_end().to_string()
        } else {
            join_words(&l.words)
        };
        let idx = l.page.max(1) as usize - 1;
        if idx >= pages.len() {
            pages.resize_with(idx + 1, || Page {
                source: PageSource::Ocr,
                lines: Vec::new(),
            });
        }
        pages[idx].lines.push(Line {
            text,
            words: l.words,
            starts_paragraph,
        });
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
        1\t1\t0\t0\t0\t0\t0\t0\t1653\t2339\t-1\t\n\
        4\t1\t1\t1\t1\t0\t572\t245\t430\t50\t-1\t\n\
        5\t1\t1\t1\t1\t1\t572\t245\t37\t50\t95.5\t中\n\
        5\t1\t1\t1\t1\t2\t648\t246\t123\t48\t40.25\t华人\n\
        5\t1\t1\t1\t2\t1\t376\t330\t204\t95\t90\t编号\n\
        5\t1\t1\t1\t2\t2\t600\t330\t10\t95\t80\t:\n\
        5\t1\t1\t1\t2\t3\t620\t330\t100\t95\t70\tB2-1\n\
        5\t1\t1\t1\t3\t1\t376\t430\t20\t95\t10\t \n\
        5\t1\t2\t1\t1\t1\t376\t530\t40\t95\t60\t一\n";

    #[test]
    fn tsv_parses_into_lines_and_drops_blank_ones() {
        let tsv = parse_tsv(TSV, "x").unwrap();
        assert_eq!(tsv.pages, 1);
        assert_eq!(tsv.lines.len(), 3);
        assert_eq!(tsv.lines[0].words.len(), 2);
        assert_eq!(
            tsv.lines[0].words[1],
            Word {
                text: "华人".into(),
                conf: 40.25
            }
        );
        assert_eq!(tsv.lines[2].block_par, (2, 1));
        let e = parse_tsv("level\n5\t1\t1", "scan.pdf").unwrap_err();
        assert!(matches!(e, InputError::BadTsv { line: 2, .. }), "{e:?}");
        assert!(e.to_string().starts_with("scan.pdf: "), "{e}");
    }

    #[test]
    fn text_gives_the_lines_and_tsv_the_confidences() {
        let txt = "中华人\n编号 : B2-1\n\n一\n\u{c}";
        let pages = pages_from_tesseract(txt, TSV, "x").unwrap();
        assert_eq!(pages.len(), 1);
        let p = &pages[0];
        let texts: Vec<&str> = p.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["中华人", "编号 : B2-1", "一"]);
        assert!(p.lines[2].starts_paragraph && !p.lines[1].starts_paragraph);
        assert_eq!(
            p.lines[0].char_confidences(),
            [Some(95.5), Some(40.25), Some(40.25)]
        );
        // Without a matching text the words are joined: CJK to CJK directly, else a space.
        let q = pages_from_tesseract("", TSV, "x").unwrap();
        assert_eq!(q[0].lines[1].text, "编号 : B2-1");
        assert_eq!(q[0].lines[0].text, "中华人");
    }

    #[test]
    fn a_multi_page_run_is_split_by_the_tsv_page_numbers() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n\
            5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\t甲\n\
            1\t2\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n\
            1\t3\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n\
            5\t3\t1\t1\t1\t1\t0\t0\t1\t1\t80\t乙\n";
        // Tesseract separates pages with a form feed; a blank page has no line.
        let pages = pages_from_tesseract("甲\n\u{c}\u{c}乙\n", tsv, "x.tif").unwrap();
        let texts: Vec<Vec<&str>> = pages
            .iter()
            .map(|p| p.lines.iter().map(|l| l.text.as_str()).collect())
            .collect();
        assert_eq!(texts, [vec!["甲"], vec![], vec!["乙"]]);
        assert!(!pages[2].lines[0].starts_paragraph);
    }
}
