//! Diff stage: takes two normalized provision texts and returns grapheme-level ops, readable hunks and their change classes.
//!
//! This is the one place that configures `similar` (3.x). The pipeline is:
//!
//! 1. a diff of graphemes, except that a number is one token (`tokens`: `30`, `1,000`,
//!    `3.5`, `十五`; a date as its digit runs), so that 30日 → 60日 reads `[-30-]{+60+}日`
//!    (Myers, with [`DiffOptions::deadline`] passed to `similar`);
//! 2. if the budget was used up — `similar` 3.x then degrades silently to a whole
//!    delete + insert — a clause diff (texts split after `。；;，,、`) with a fresh budget,
//!    and if that overflows too, one replacement of everything between the common leading
//!    and trailing clauses; either way [`TextDiff::coarse`] is set;
//! 3. semantic cleanup modelled on diff-match-patch's `diff_cleanupSemantic`: an equality
//!    no longer than the edits on both sides of it is folded into them, and a pure insertion
//!    or deletion is slid (where the text allows) so that it starts and ends at clause
//!    punctuation;
//! 4. hunks are built and classified ([`classify`]).
//!
//! Invariant on every output: [`TextDiff::old_text`] is `a` and [`TextDiff::new_text`] is `b`.

use serde::Serialize;
use similar::{Algorithm, ChangeTag};
use std::time::{Duration, Instant};
use unicode_segmentation::UnicodeSegmentation;

mod modal;
mod ocr;

/// Options for [`diff_text`].
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Wall-clock budget for the grapheme diff; past it a coarser diff is used.
    pub deadline: Duration,
    /// Merge small equalities between edits for reading (diff-match-patch cleanupSemantic).
    pub semantic_cleanup: bool,
    /// Wall-clock budget for all the diffs of one job (every pair of a comparison, every
    /// wording of a drift report), used through [`DiffBudget`]: once it is spent, the
    /// remaining diffs go straight to the coarse fallback, so thousands of hard pairs cannot
    /// add up to hours. Default 20 s; real certificates never come near it.
    pub total: Duration,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            deadline: Duration::from_millis(200),
            semantic_cleanup: true,
            total: Duration::from_secs(20),
        }
    }
}

/// Runs many diffs within [`DiffOptions::total`]: each diff gets the smaller of its own
/// deadline and what is left of the total.
#[derive(Debug, Clone)]
pub struct DiffBudget {
    opts: DiffOptions,
    left: Duration,
}

impl DiffBudget {
    /// A fresh budget of `opts.total`.
    pub fn new(opts: &DiffOptions) -> DiffBudget {
        DiffBudget {
            opts: opts.clone(),
            left: opts.total,
        }
    }

    /// [`diff_text`] within what is left of the budget.
    pub fn diff(&mut self, a: &str, b: &str) -> TextDiff {
        self.diff_with(a, b, Uncertain::default())
    }

    /// [`diff_text_with`] within what is left of the budget.
    pub fn diff_with(&mut self, a: &str, b: &str, uncertain: Uncertain<'_>) -> TextDiff {
        self.opts.deadline = self.opts.deadline.min(self.left);
        let start = Instant::now();
        let d = diff_text_with(a, b, uncertain, &self.opts);
        self.left = self.left.saturating_sub(start.elapsed());
        d
    }
}

/// The characters of each side an OCR engine read with low confidence: sorted char indices
/// into the text (`Provision::uncertain`). Both are empty for text input, and then nothing
/// is taken for an OCR slip on that ground.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uncertain<'a> {
    /// Char indices into the old text.
    pub a: &'a [u32],
    /// Char indices into the new text.
    pub b: &'a [u32],
}

/// The kind of one diff operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// Text present in both sides.
    Equal,
    /// Text present only in the old side.
    Delete,
    /// Text present only in the new side.
    Insert,
}

/// One diff operation; serializes as {"op": "equal|delete|insert", "text": "..."} (DESIGN §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Op {
    /// What this operation does.
    pub op: OpKind,
    /// The text it covers; never empty.
    pub text: String,
}

/// What kind of change a hunk is. The order is the order classes are listed in: obligation
/// first, then the existing classes from cosmetic to substantive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    /// A negation added or removed (不, 未, 非, 无, 勿, 不得, 禁止), or an obligation turned into
    /// a permission or back (应当/应/须/必须 ↔ 可以/可/得): what a licensee must or must not
    /// do changed, however few characters it took (不得 → 得).
    Obligation,
    /// Only punctuation (and/or whitespace) changed: `,` vs `;`.
    Punctuation,
    /// Only variant characters (异体字) changed, from a table: 帐/账 and other common pairs.
    VariantChar,
    /// A few scattered characters that OCR slips account for: pairs the engine was seen to
    /// confuse (覆 → 履, an added 和), punctuation of another shape (`(` → `〈`), characters the
    /// engine read with low confidence. Never a number, date or unit, nor an obligation.
    LikelyOcr,
    /// A number, date, amount or duration changed (30日 → 60日, 一年 → 二年): reviewers must not miss these.
    Number,
    /// Any other change of wording, a changed unit included (30日 → 30天).
    Wording,
}

impl ChangeClass {
    /// Obligation, Number and Wording are substantive; Punctuation, VariantChar and
    /// LikelyOcr are not.
    pub fn is_substantive(self) -> bool {
        matches!(
            self,
            ChangeClass::Obligation | ChangeClass::Number | ChangeClass::Wording
        )
    }

    /// The name as serialized in JSON and written in CSV: `variant_char`.
    pub fn name(self) -> &'static str {
        match self {
            ChangeClass::Obligation => "obligation",
            ChangeClass::Punctuation => "punctuation",
            ChangeClass::VariantChar => "variant_char",
            ChangeClass::LikelyOcr => "likely_ocr",
            ChangeClass::Number => "number",
            ChangeClass::Wording => "wording",
        }
    }

    /// The name for people, in tables, Markdown and HTML badges: `variant character`.
    pub fn label(self) -> &'static str {
        match self {
            ChangeClass::VariantChar => "variant character",
            ChangeClass::LikelyOcr => "likely OCR",
            class => class.name(),
        }
    }

    /// The CSS class of its badge in the HTML reports (the stylesheets colour each class):
    /// its [`name`](ChangeClass::name).
    pub fn css_class(self) -> &'static str {
        self.name()
    }
}

/// One change hunk: a maximal run of delete/insert ops between two equal ops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    /// Concatenated text of the hunk's delete ops (may be empty).
    pub deleted: String,
    /// Concatenated text of the hunk's insert ops (may be empty).
    pub inserted: String,
    /// The class of the change, judged with the neighbouring equal text as context.
    pub class: ChangeClass,
    /// True when deleted and inserted are one character each and form a known OCR
    /// look-alike pair (see [`is_lookalike_pair`]).
    pub lookalike: bool,
}

/// The diff of two texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextDiff {
    /// Adjacent ops of one kind merged; never empty-text ops; within a hunk the delete
    /// comes before the insert.
    pub ops: Vec<Op>,
    /// The change hunks, in order.
    pub hunks: Vec<Hunk>,
    /// Sorted, deduplicated classes of all hunks.
    pub classes: Vec<ChangeClass>,
    /// True when the deadline was hit and a coarser (sentence/clause-level, then whole-text) diff was used instead.
    pub coarse: bool,
}

impl TextDiff {
    /// True when there are no hunks (the texts are identical).
    pub fn is_equal(&self) -> bool {
        self.hunks.is_empty()
    }

    /// True when any hunk is of a substantive class ([`ChangeClass::is_substantive`]).
    pub fn is_substantive(&self) -> bool {
        self.classes.iter().any(|c| c.is_substantive())
    }

    /// The old text, rebuilt from the equal and delete ops.
    pub fn old_text(&self) -> String {
        self.side_text(OpKind::Delete)
    }

    /// The new text, rebuilt from the equal and insert ops.
    pub fn new_text(&self) -> String {
        self.side_text(OpKind::Insert)
    }

    /// Share of characters in equal ops: `2 × equal / (old + new)`, in `0.0..=1.0`;
    /// `1.0` for two empty texts. Coarse diffs score lower than the texts deserve.
    pub fn similarity(&self) -> f64 {
        let (mut equal, mut total) = (0usize, 0usize);
        for op in &self.ops {
            let n = op.text.chars().count();
            if op.op == OpKind::Equal {
                equal += 2 * n;
                total += 2 * n;
            } else {
                total += n;
            }
        }
        if total == 0 {
            1.0
        } else {
            equal as f64 / total as f64
        }
    }

    fn side_text(&self, kind: OpKind) -> String {
        self.ops
            .iter()
            .filter(|op| op.op == OpKind::Equal || op.op == kind)
            .map(|op| op.text.as_str())
            .collect()
    }
}

/// Character-level (grapheme) diff of `a` → `b`, numbers kept whole, cleaned up for reading,
/// classified.
pub fn diff_text(a: &str, b: &str, opts: &DiffOptions) -> TextDiff {
    diff_text_with(a, b, Uncertain::default(), opts)
}

/// [`diff_text`], with the characters each side's OCR engine doubted: a short change of
/// such characters counts as an OCR slip ([`ChangeClass::LikelyOcr`]) unless a guard of
/// [`classify`] keeps it out.
pub fn diff_text_with(a: &str, b: &str, uncertain: Uncertain<'_>, opts: &DiffOptions) -> TextDiff {
    if a == b {
        return finish(build_segs([(OpKind::Equal, a)]), false, uncertain);
    }
    let start = Instant::now();
    let mut config = similar::TextDiff::configure();
    config.algorithm(Algorithm::Myers);
    if let Some(deadline) = start.checked_add(opts.deadline) {
        config.deadline(deadline);
    }
    let (ta, tb) = (tokens(a), tokens(b));
    let fine = config.diff_slices(&ta, &tb);
    // similar 3.x gives no signal when it gave up; a spent budget is the signal.
    let (segs, coarse) = if start.elapsed() < opts.deadline {
        let changes = fine
            .iter_all_changes()
            .map(|c| (kind_of(c.tag()), c.value()));
        (build_segs(changes), false)
    } else {
        (coarse_segs(a, b, opts.deadline), true)
    };
    let segs = if opts.semantic_cleanup {
        let mut segs = cleanup_semantic(segs);
        shift_to_boundaries(&mut segs);
        segs
    } else {
        segs
    };
    finish(segs, coarse, uncertain)
}

/// Classify one hunk (exposed for tests and for callers that build hunks).
///
/// The rules, applied to the *core* of the hunk (its two sides with their common leading
/// and trailing characters removed), first match wins:
///
/// 1. [`ChangeClass::Punctuation`] — both cores are only punctuation or whitespace (see
///    `is_punct_or_space`; `%`, `$`, `+`, `<`, `=`, `>` are not punctuation). Exception: a
///    separator change between two ASCII digits (`1,000` → `1000`, `3.5` → `35`) is a Number;
///    and a change that OCR slips account for edit by edit (`(` → `〈`, `:` → `;`: see 5) is
///    [`ChangeClass::LikelyOcr`]. Identical sides also land here (nothing substantive
///    changed).
/// 2. [`ChangeClass::VariantChar`] — both sides have the same length and every differing
///    character pair is a variant pair ([`is_variant_pair`]), part of a variant word pair
///    (其它/其他, 图象/图像, 身分/身份 … where the characters alone are distinct words), or
///    punctuation on both sides; at least one pair is a variant.
/// 3. [`ChangeClass::Obligation`] — the cores are at most 8 characters and the modal words
///    they hold or touch say something else: a negation (不 未 非 无 勿 不得 禁止) added or
///    removed, must (应当 应 须 必须) turned into may (可以 可 得) or back. Characters of
///    other words are not modal words (许可, 应急, 取得); a swap within one mood (应当 → 应,
///    不得 → 禁止) is no obligation change.
/// 4. [`ChangeClass::Number`] — the cores of both sides are made only of numerals
///    (一 → 二), or, on either side, a run of numerals (ASCII/full-width digits or
///    `〇零一二三四五六七八九十百千万亿两` and financial forms) overlaps the core and is
///    *used as a number*: it contains a digit, or is at least two characters long, or
///    follows `第`, or is followed by a unit (年月日天周时分秒个元次项条款号倍岁名户份届期季%).
///    So `[-30-]{+60+}日` and `[-一-]{+二+}年` are Numbers, while a change of the unit alone
///    (`30[-日-]{+天+}`: the number is the same) and 统一/一律 next to a change are Wording.
///    Known false positives: 万一, 千万 in a change.
/// 5. [`ChangeClass::LikelyOcr`] — OCR slips account for the change: every edit of a
///    minimal alignment of the two cores is a pair of the confusion table learned from
///    tesseract (`data/ocr-confusions.tsv`: 覆 → 履, an added 和, a dropped 户; either side may
///    be the OCR text), a look-alike pair ([`is_lookalike_pair`]), punctuation of one shape
///    (`(` `〈` `《`), or a character the engine doubted ([`diff_text_with`]); punctuation
///    beside them may change too. Never when the guards hold: a core longer than 6 characters
///    or needing more than 3 slips ("a few scattered characters"), a numeral on either side,
///    a unit within 4 characters after a numeral (30日 → 30曰), a negation word swapped,
///    added or removed.
/// 6. [`ChangeClass::Wording`] — everything else.
pub fn classify(deleted: &str, inserted: &str) -> ChangeClass {
    classify_in_context("", deleted, inserted, "", &HunkDoubts::default())
}

/// True if `a`/`b` are a known variant-character pair (either order).
///
/// The table holds characters that are one word written two ways and are never two
/// different words in licence text: 帐/账 (帐号/账号), 著/着, and a few 异体字 and
/// traditional forms that templates and OCR mix into simplified text (峯, 羣, 夠, 決, 況,
/// 網, 電, 號, 務, 證 …). Pairs of two distinct simplified characters (于/於, 后/後, 台/臺,
/// 里/裏, 干/乾, 它/他, 象/像, 分/份) are deliberately left out; the last three are
/// accepted only inside the variant words of `VARIANT_WORDS` by [`classify`].
pub fn is_variant_pair(a: char, b: char) -> bool {
    pair_in(VARIANT_CHARS, a, b)
}

/// True if `a`/`b` are a known OCR look-alike pair (either order).
pub fn is_lookalike_pair(a: char, b: char) -> bool {
    pair_in(LOOKALIKE_CHARS, a, b)
}

/// Inline redline in plain text: `[-deleted-]{+inserted+}` around changes, equal text as is (like `git diff --word-diff=plain`).
pub fn render_plain(ops: &[Op]) -> String {
    let mut out = String::new();
    for op in ops {
        let (open, close) = match op.op {
            OpKind::Equal => ("", ""),
            OpKind::Delete => ("[-", "-]"),
            OpKind::Insert => ("{+", "+}"),
        };
        out.push_str(open);
        out.push_str(&op.text);
        out.push_str(close);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Tables

/// Variant characters (see [`is_variant_pair`]), one pair per entry: first 异体字 and old
/// forms, then traditional forms of characters frequent in licences.
const VARIANT_CHARS: &[&str] = &[
    "帐账", "著着", "厘釐", "秘祕", "峰峯", "群羣", "够夠", "略畧", "决決", "况況", "减減", "冲沖",
    "布佈", "周週", "雇僱", "网網", "电電", "号號", "务務", "证證", "业業", "国國", "为為", "与與",
    "关關", "规規", "应應", "个個",
];

/// Variant words whose differing characters are distinct words on their own.
/// Both words of a pair have the same number of characters.
const VARIANT_WORDS: &[(&str, &str)] = &[
    ("其它", "其他"),
    ("图象", "图像"),
    ("录象", "录像"),
    ("影象", "影像"),
    ("好象", "好像"),
    ("想象", "想像"),
    ("身分", "身份"),
    ("部份", "部分"),
    ("成份", "成分"),
    ("惟一", "唯一"),
    ("人材", "人才"),
];

/// Characters that OCR confuses (see [`is_lookalike_pair`]), one pair per entry.
const LOOKALIKE_CHARS: &[&str] = &[
    "己已", "已巳", "己巳", "未末", "日曰", "日目", "人入", "入八", "士土", "天夭", "戊戌", "戌戍",
    "戊戍", "拨拔", "侯候", "刀力", "千干", "干于", "大太", "太犬", "王玉", "白自", "田由", "由甲",
    "甲申", "贝见", "凡几", "免兔", "折析", "准淮", "冶治", "汩汨", "壁璧", "辨辩", "微徽", "一-",
    "0O", "〇O", "1l", "lI",
];

/// Characters after which the coarse diff splits a text into clauses.
const CLAUSE_DELIMS: &str = "。；;，,、";
/// Characters that make a preceding numeral a quantity.
const UNIT_CHARS: &str = "年月日天周时分秒个元次项条款号倍岁名户份届期季%％‰";
/// After these (full-width folded) an edit boundary reads well.
const CLAUSE_ENDS: &str = "。、,;:!?)]}》】」』”’…";
/// Before these (full-width folded) an edit boundary reads well.
const CLAUSE_OPENS: &str = "([{《【「『“‘";

/// Graphemes of context kept on each side when sliding an edit.
const SHIFT_WINDOW: usize = 32;
/// Longest edit (in characters) that is slid to a punctuation boundary.
const SHIFT_MAX_EDIT: usize = 64;
/// Characters of neighbouring equal text used as context when classifying.
const CLASSIFY_CONTEXT: usize = 8;
/// Longest core (in characters, on either side) of an [`ChangeClass::Obligation`] hunk: a
/// longer one that adds or drops a modal word is a rewording (an added clause 你公司应当…),
/// [`ChangeClass::Wording`].
const OBLIGATION_MAX_CORE: usize = 8;
/// Longest core (in characters, on either side) a hunk may have and still be an OCR slip:
/// "a few scattered characters".
const OCR_MAX_CORE: usize = 6;
/// Most slips one hunk may hold and still be [`ChangeClass::LikelyOcr`].
const OCR_MAX_SLIPS: usize = 3;
/// How far (in characters) a unit may follow the numeral it belongs to (30个工作日).
const UNIT_REACH: usize = 4;

fn pair_in(table: &[&str], a: char, b: char) -> bool {
    table.iter().any(|pair| {
        let mut cs = pair.chars();
        match (cs.next(), cs.next()) {
            (Some(x), Some(y)) => (x == a && y == b) || (x == b && y == a),
            _ => false,
        }
    })
}

// ---------------------------------------------------------------------------------------
// Character classes

fn is_punct_or_space(c: char) -> bool {
    let c = fold_fullwidth(c);
    c.is_whitespace()
        || (c.is_ascii_punctuation() && !"$%+<=>".contains(c))
        || matches!(c,
            '\u{A1}' | '\u{A7}' | '\u{AB}' | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2035}'..='\u{205E}'
            | '\u{3001}'..='\u{3003}'
            | '\u{3008}'..='\u{3011}'
            | '\u{3014}'..='\u{301F}'
            | '\u{3030}'
            | '\u{30FB}'
            | '\u{FE10}'..='\u{FE19}'
            | '\u{FE30}'..='\u{FE6B}'
            | '\u{FF5F}'..='\u{FF65}')
}

/// Full-width ASCII (`！` … `～`) to ASCII; anything else unchanged.
fn fold_fullwidth(c: char) -> char {
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

fn is_digit(c: char) -> bool {
    fold_fullwidth(c).is_ascii_digit()
}

fn is_numeral(c: char) -> bool {
    is_digit(c) || is_cjk_numeral(c)
}

fn ends_clause(c: char) -> bool {
    c.is_whitespace() || CLAUSE_ENDS.contains(fold_fullwidth(c))
}

fn opens_clause(c: char) -> bool {
    CLAUSE_OPENS.contains(fold_fullwidth(c))
}

/// A Chinese numeral character, financial forms included: `〇零一二三四五六七八九十百千万亿两`
/// and `壹贰叁肆伍陆柒捌玖拾佰仟` (a `match`: this runs at grapheme boundaries of every text
/// diffed).
fn is_cjk_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
            | '两'
            | '壹'
            | '贰'
            | '叁'
            | '肆'
            | '伍'
            | '陆'
            | '柒'
            | '捌'
            | '玖'
            | '拾'
            | '佰'
            | '仟'
    )
}

// ---------------------------------------------------------------------------------------
// Tokens: graphemes, numbers whole

/// The tokens the diff compares: graphemes, except that a number is one token, so that a
/// change of a number shows the whole number on each side (`[-30-]{+60+}日`, not
/// `[-3-]{+6+}0日`). A number is a run of digits, with a decimal point between two digits
/// (`3.5`) and thousands separators before exactly three digits (`1,000`); or a run of
/// Chinese numerals (`十五`, `三十`). A date is its digit runs (`2020`, `12`, `24` of
/// `2020年12月24日`); a comma between list items (`第3,4款`) separates numbers.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(s.len() / 3 + 1);
    // Provision texts are nearly always made of characters that are each a grapheme of
    // their own: those need no grapheme segmentation.
    let mut start = 0;
    let mut prev = None;
    for (i, c) in s.char_indices() {
        if !is_lone_grapheme(c) {
            out.clear();
            return grapheme_tokens(s, out);
        }
        if let Some(p) = prev
            && !(may_continue_number(p) && inside_number(s, i))
        {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// [`tokens`] by grapheme segmentation, into `out`.
fn grapheme_tokens<'a>(s: &'a str, mut out: Vec<&'a str>) -> Vec<&'a str> {
    let mut start = 0;
    for (i, _) in s.grapheme_indices(true).skip(1) {
        if !inside_number(s, i) {
            out.push(&s[start..i]);
            start = i;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A character that forms a grapheme on its own next to any other such character: printable
/// ASCII, CJK ideographs and punctuation, full-width forms, and the quotes, dash and middle
/// dot of Chinese text. (None of them is a control, an extending or spacing mark, a prepended
/// character, Hangul, a regional indicator or an emoji, which are what join characters.)
fn is_lone_grapheme(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{3001}'..='\u{3011}'
        | '\u{FF01}'..='\u{FF5E}'
        | '\u{2018}'..='\u{201D}'
        | '\u{2014}'
        | '\u{B7}')
}

/// Whether a number can go on after `c`: a digit, a Chinese numeral, or a separator.
fn may_continue_number(c: char) -> bool {
    is_numeral(c) || matches!(fold_fullwidth(c), ',' | '.')
}

/// Whether byte `i` of `s` (a character boundary) lies inside a number of [`tokens`]: between
/// two digits, two Chinese numerals, or a digit and a separator that continues its number.
fn inside_number(s: &str, i: usize) -> bool {
    let mut before = s[..i].chars().rev();
    let mut after = s[i..].chars();
    let (Some(x), Some(y)) = (before.next(), after.next()) else {
        return false;
    };
    if is_digit(x) {
        is_digit(y) || continues_number(y, after)
    } else if is_cjk_numeral(x) {
        is_cjk_numeral(y)
    } else {
        is_digit(y) && before.next().is_some_and(is_digit) && continues_number(x, s[i..].chars())
    }
}

/// Whether `sep`, right after a digit and before the characters `rest`, belongs to the number:
/// a decimal point before a digit, a thousands separator before exactly three digits.
fn continues_number(sep: char, mut rest: impl Iterator<Item = char>) -> bool {
    match fold_fullwidth(sep) {
        '.' => rest.next().is_some_and(is_digit),
        ',' => rest.take(4).take_while(|&c| is_digit(c)).count() == 3,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Segments: the working form between `similar` and the public ops

#[derive(Debug, Clone, Default)]
struct Piece {
    text: String,
    chars: usize,
}

impl Piece {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.chars += s.chars().count();
    }

    fn append(&mut self, other: &Piece) {
        self.text.push_str(&other.text);
        self.chars += other.chars;
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Alternating equal runs and changes (a delete and an insert, one of them maybe empty).
#[derive(Debug, Clone)]
enum Seg {
    Equal(Piece),
    Change { del: Piece, ins: Piece },
}

impl Seg {
    fn equal_text(&self) -> Option<&str> {
        match self {
            Seg::Equal(p) => Some(&p.text),
            Seg::Change { .. } => None,
        }
    }
}

fn kind_of(tag: ChangeTag) -> OpKind {
    match tag {
        ChangeTag::Equal => OpKind::Equal,
        ChangeTag::Delete => OpKind::Delete,
        ChangeTag::Insert => OpKind::Insert,
    }
}

fn build_segs<'a>(raw: impl IntoIterator<Item = (OpKind, &'a str)>) -> Vec<Seg> {
    let mut segs = Vec::new();
    for (kind, text) in raw {
        push_raw(&mut segs, kind, text);
    }
    segs
}

fn push_raw(segs: &mut Vec<Seg>, kind: OpKind, text: &str) {
    if text.is_empty() {
        return;
    }
    if kind == OpKind::Equal {
        if let Some(Seg::Equal(p)) = segs.last_mut() {
            p.push(text);
        } else {
            let mut p = Piece::default();
            p.push(text);
            segs.push(Seg::Equal(p));
        }
        return;
    }
    if !matches!(segs.last(), Some(Seg::Change { .. })) {
        segs.push(Seg::Change {
            del: Piece::default(),
            ins: Piece::default(),
        });
    }
    if let Some(Seg::Change { del, ins }) = segs.last_mut() {
        if kind == OpKind::Delete {
            del.push(text);
        } else {
            ins.push(text);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Coarse fallback

/// `s` split after each clause delimiter, except a thousands separator inside a number
/// (`1,000`), which [`tokens`] keeps whole.
fn clauses(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let end = i + c.len_utf8();
        if CLAUSE_DELIMS.contains(c) && !inside_number(s, end) {
            out.push(&s[start..end]);
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Clause-level diff within `budget`; past it, one replacement between common clauses.
fn coarse_segs(a: &str, b: &str, budget: Duration) -> Vec<Seg> {
    let (ca, cb) = (clauses(a), clauses(b));
    let start = Instant::now();
    let mut config = similar::TextDiff::configure();
    config.algorithm(Algorithm::Myers);
    if let Some(deadline) = start.checked_add(budget) {
        config.deadline(deadline);
    }
    let diff = config.diff_slices(&ca, &cb);
    if start.elapsed() < budget {
        return build_segs(
            diff.iter_all_changes()
                .map(|c| (kind_of(c.tag()), c.value())),
        );
    }
    let pre = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let suf = ca[pre..]
        .iter()
        .rev()
        .zip(cb[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut segs = Vec::new();
    push_raw(&mut segs, OpKind::Equal, &ca[..pre].concat());
    push_raw(&mut segs, OpKind::Delete, &ca[pre..ca.len() - suf].concat());
    push_raw(&mut segs, OpKind::Insert, &cb[pre..cb.len() - suf].concat());
    push_raw(&mut segs, OpKind::Equal, &ca[ca.len() - suf..].concat());
    segs
}

// ---------------------------------------------------------------------------------------
// Semantic cleanup

/// diff-match-patch's equality elimination, as a single pass with a stack: an equality
/// that is no longer (in characters) than the larger side of the change before it and of
/// the change after it is folded into both sides of one merged change; merging may make
/// the previous equality eligible, which is re-checked at once.
fn cleanup_semantic(segs: Vec<Seg>) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
    for seg in segs {
        match seg {
            Seg::Equal(p) => match out.last_mut() {
                Some(Seg::Equal(last)) => last.append(&p),
                _ => out.push(Seg::Equal(p)),
            },
            Seg::Change { del, ins } => {
                match out.last_mut() {
                    Some(Seg::Change { del: d, ins: i }) => {
                        d.append(&del);
                        i.append(&ins);
                    }
                    _ => out.push(Seg::Change { del, ins }),
                }
                while absorb_last_equality(&mut out) {}
            }
        }
    }
    out
}

fn absorb_last_equality(out: &mut Vec<Seg>) -> bool {
    let n = out.len();
    if n < 3 {
        return false;
    }
    let (Seg::Change { del: ld, ins: li }, Seg::Equal(eq), Seg::Change { del: rd, ins: ri }) =
        (&out[n - 3], &out[n - 2], &out[n - 1])
    else {
        return false;
    };
    if eq.chars > ld.chars.max(li.chars) || eq.chars > rd.chars.max(ri.chars) {
        return false;
    }
    let (Some(Seg::Change { del: rd, ins: ri }), Some(Seg::Equal(eq))) = (out.pop(), out.pop())
    else {
        return false;
    };
    if let Some(Seg::Change { del, ins }) = out.last_mut() {
        del.append(&eq);
        del.append(&rd);
        ins.append(&eq);
        ins.append(&ri);
    }
    true
}

/// Slides each pure insertion or deletion between two equalities to the position, among
/// those that leave both texts unchanged, where its ends sit best at clause punctuation
/// (diff-match-patch's "semantic lossless" step, with punctuation as the word boundary).
/// Only short edits and a window of [`SHIFT_WINDOW`] graphemes are considered.
fn shift_to_boundaries(segs: &mut [Seg]) {
    for k in 1..segs.len().saturating_sub(1) {
        let (left, rest) = segs.split_at_mut(k);
        let (mid, right) = rest.split_at_mut(1);
        let (Some(Seg::Equal(eq1)), Some(Seg::Change { del, ins }), Some(Seg::Equal(eq2))) =
            (left.last_mut(), mid.first_mut(), right.first_mut())
        else {
            continue;
        };
        let edit = match (del.is_empty(), ins.is_empty()) {
            (false, true) => del,
            (true, false) => ins,
            _ => continue,
        };
        if edit.chars <= SHIFT_MAX_EDIT {
            shift_edit(eq1, edit, eq2);
        }
    }
}

fn shift_edit(eq1: &mut Piece, edit: &mut Piece, eq2: &mut Piece) {
    let tail_start = eq1
        .text
        .grapheme_indices(true)
        .rev()
        .nth(SHIFT_WINDOW - 1)
        .map_or(0, |(i, _)| i);
    let head_end = eq2
        .text
        .grapheme_indices(true)
        .nth(SHIFT_WINDOW)
        .map_or(eq2.text.len(), |(i, _)| i);
    let tail = &eq1.text[tail_start..];
    let head = &eq2.text[..head_end];
    let p0 = tail.graphemes(true).count();
    let m = edit.text.graphemes(true).count();
    let w: Vec<&str> = tail
        .graphemes(true)
        .chain(edit.text.graphemes(true))
        .chain(head.graphemes(true))
        .collect();
    let len = w.len();
    if m == 0 || p0 == 0 || p0 + m >= len {
        return;
    }
    // Positions p (edit = w[p..p + m]) reachable one grapheme at a time; both equalities
    // stay non-empty.
    let mut lo = p0;
    while lo > 1 && w[lo - 1] == w[lo - 1 + m] {
        lo -= 1;
    }
    let mut hi = p0;
    while hi + m + 1 < len && w[hi] == w[hi + m] {
        hi += 1;
    }
    if lo == hi {
        return;
    }
    // Positions whose edges would cut a number of [`tokens`] apart are not taken; those are
    // judged in the text around the window.
    let context = [eq1.text.as_str(), edit.text.as_str(), eq2.text.as_str()].concat();
    let mut offsets = Vec::with_capacity(len + 1);
    offsets.push(tail_start);
    for g in &w {
        offsets.push(offsets[offsets.len() - 1] + g.len());
    }
    let whole =
        |p: usize| !inside_number(&context, offsets[p]) && !inside_number(&context, offsets[p + m]);
    let score = |p: usize| boundary_score(&w, p) + boundary_score(&w, p + m);
    let (mut best, mut best_score) = (p0, score(p0));
    for p in lo..=hi {
        let s = score(p);
        if s > best_score && whole(p) {
            best = p;
            best_score = s;
        }
    }
    if best == p0 {
        return;
    }
    let new_tail = w[..best].concat();
    let new_edit = w[best..best + m].concat();
    let new_head = w[best + m..].concat();
    let old_tail_chars = tail.chars().count();
    let old_head_chars = head.chars().count();
    eq1.text.truncate(tail_start);
    eq1.text.push_str(&new_tail);
    eq1.chars = eq1.chars - old_tail_chars + new_tail.chars().count();
    eq2.text.replace_range(..head_end, &new_head);
    eq2.chars = eq2.chars - old_head_chars + new_head.chars().count();
    edit.text = new_edit;
}

fn boundary_score(w: &[&str], q: usize) -> u8 {
    let before = q
        .checked_sub(1)
        .and_then(|i| w.get(i))
        .and_then(|g| g.chars().last());
    let after = w.get(q).and_then(|g| g.chars().next());
    let mut score = 0;
    if before.is_some_and(ends_clause) {
        score += 2;
    }
    if after.is_some_and(opens_clause) {
        score += 1;
    }
    score
}

// ---------------------------------------------------------------------------------------
// Hunks and classification

fn finish(segs: Vec<Seg>, coarse: bool, uncertain: Uncertain<'_>) -> TextDiff {
    let mut hunks = Vec::new();
    // Char offsets in a and b of the segment at hand.
    let (mut at_a, mut at_b) = (0, 0);
    for (k, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Equal(p) => {
                at_a += p.chars;
                at_b += p.chars;
            }
            Seg::Change { del, ins } => {
                let before = k
                    .checked_sub(1)
                    .and_then(|i| segs.get(i))
                    .and_then(Seg::equal_text)
                    .unwrap_or("");
                let after = segs.get(k + 1).and_then(Seg::equal_text).unwrap_or("");
                let doubts = HunkDoubts {
                    a: uncertain.a,
                    at_a,
                    b: uncertain.b,
                    at_b,
                };
                hunks.push(make_hunk(before, &del.text, &ins.text, after, &doubts));
                at_a += del.chars;
                at_b += ins.chars;
            }
        }
    }
    let mut ops = Vec::with_capacity(segs.len() + hunks.len());
    for seg in segs {
        match seg {
            Seg::Equal(p) => push_op(&mut ops, OpKind::Equal, p.text),
            Seg::Change { del, ins } => {
                push_op(&mut ops, OpKind::Delete, del.text);
                push_op(&mut ops, OpKind::Insert, ins.text);
            }
        }
    }
    let mut classes: Vec<ChangeClass> = hunks.iter().map(|h| h.class).collect();
    classes.sort_unstable();
    classes.dedup();
    TextDiff {
        ops,
        hunks,
        classes,
        coarse,
    }
}

fn push_op(ops: &mut Vec<Op>, op: OpKind, text: String) {
    if text.is_empty() {
        return;
    }
    match ops.last_mut() {
        Some(last) if last.op == op => last.text.push_str(&text),
        _ => ops.push(Op { op, text }),
    }
}

fn make_hunk(
    before: &str,
    deleted: &str,
    inserted: &str,
    after: &str,
    doubts: &HunkDoubts,
) -> Hunk {
    let mut d = deleted.chars();
    let mut i = inserted.chars();
    let lookalike = match (d.next(), d.next(), i.next(), i.next()) {
        (Some(x), None, Some(y), None) => is_lookalike_pair(x, y),
        _ => false,
    };
    Hunk {
        deleted: deleted.to_string(),
        inserted: inserted.to_string(),
        class: classify_in_context(before, deleted, inserted, after, doubts),
        lookalike,
    }
}

/// The uncertain characters of both sides (see [`Uncertain`]) and where a hunk starts in
/// each side's text, in chars.
#[derive(Debug, Default)]
struct HunkDoubts<'a> {
    a: &'a [u32],
    at_a: usize,
    b: &'a [u32],
    at_b: usize,
}

impl HunkDoubts<'_> {
    /// Whether char `k` of the hunk's deleted text (negative: the context before it) was
    /// doubted.
    fn in_a(&self, k: isize) -> bool {
        doubted(self.a, self.at_a, k)
    }

    /// Whether char `k` of the hunk's inserted text (negative: the context before it) was
    /// doubted.
    fn in_b(&self, k: isize) -> bool {
        doubted(self.b, self.at_b, k)
    }
}

fn doubted(uncertain: &[u32], at: usize, k: isize) -> bool {
    !uncertain.is_empty()
        && (at as isize)
            .checked_add(k)
            .and_then(|i| u32::try_from(i).ok())
            .is_some_and(|i| uncertain.binary_search(&i).is_ok())
}

/// [`classify`] with the equal text before and after the hunk as context, and the
/// characters the engine doubted.
fn classify_in_context(
    before: &str,
    deleted: &str,
    inserted: &str,
    after: &str,
    doubts: &HunkDoubts,
) -> ChangeClass {
    let mut ctx_before: Vec<char> = before.chars().rev().take(CLASSIFY_CONTEXT).collect();
    ctx_before.reverse();
    let ctx_after: Vec<char> = after.chars().take(CLASSIFY_CONTEXT).collect();
    let off = ctx_before.len();
    let extend = |s: &str| -> Vec<char> {
        let mut v = ctx_before.clone();
        v.extend(s.chars());
        v.extend(&ctx_after);
        v
    };
    let (xd, xi) = (extend(deleted), extend(inserted));
    let (nd, ni) = (
        xd.len() - off - ctx_after.len(),
        xi.len() - off - ctx_after.len(),
    );
    let pre = xd[off..off + nd]
        .iter()
        .zip(&xi[off..off + ni])
        .take_while(|(x, y)| x == y)
        .count();
    let suf = xd[off + pre..off + nd]
        .iter()
        .rev()
        .zip(xi[off + pre..off + ni].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let core_d = off + pre..off + nd - suf;
    let core_i = off + pre..off + ni - suf;
    let (cd, ci) = (&xd[core_d.clone()], &xi[core_i.clone()]);
    // The cores as OCR sees them: index 0 is the first char of each core.
    let in_a = |k: isize| doubts.in_a(k + pre as isize);
    let in_b = |k: isize| doubts.in_b(k + pre as isize);
    let side_d = ocr::Side {
        chars: cd,
        doubt: &in_a,
    };
    let side_i = ocr::Side {
        chars: ci,
        doubt: &in_b,
    };

    if cd.iter().chain(ci).all(|&c| is_punct_or_space(c)) {
        // Context around the core is the same on both sides.
        let left = core_d.start.checked_sub(1).map(|k| xd[k]);
        let right = xd.get(core_d.end).copied();
        if !(cd.is_empty() && ci.is_empty())
            && left.is_some_and(|c| c.is_ascii_digit())
            && right.is_some_and(|c| c.is_ascii_digit())
        {
            return ChangeClass::Number;
        }
        if ocr::slips(&side_d, &side_i, false).is_some() {
            return ChangeClass::LikelyOcr;
        }
        return ChangeClass::Punctuation;
    }
    if nd == ni && is_variant_change(&xd, &xi, core_d.clone()) {
        return ChangeClass::VariantChar;
    }
    if cd.len().max(ci.len()) <= OBLIGATION_MAX_CORE
        && modal::changes_obligation(&xd, core_d.clone(), &xi, core_i.clone())
    {
        return ChangeClass::Obligation;
    }
    let all_numerals = |s: &[char]| s.iter().all(|&c| is_numeral(c));
    if all_numerals(cd) && all_numerals(ci)
        || touches_number(&xd, core_d.clone())
        || touches_number(&xi, core_i.clone())
    {
        return ChangeClass::Number;
    }
    if cd.len().max(ci.len()) <= OCR_MAX_CORE
        && !cd.iter().chain(ci).any(|&c| is_numeral(c))
        && !touches_unit(&xd, core_d.clone())
        && !touches_unit(&xi, core_i.clone())
        && !modal::changes_negation(&xd, core_d.clone(), &xi, core_i)
        && ocr::slips(&side_d, &side_i, true).is_some_and(|n| n <= OCR_MAX_SLIPS)
    {
        return ChangeClass::LikelyOcr;
    }
    ChangeClass::Wording
}

/// Whether `core` of `x` holds a unit (a character of [`UNIT_CHARS`]) that belongs to a
/// number: a numeral stands at most [`UNIT_REACH`] characters before it (30日, 30个工作日).
fn touches_unit(x: &[char], core: std::ops::Range<usize>) -> bool {
    core.clone().any(|k| {
        UNIT_CHARS.contains(x[k])
            && x[k.saturating_sub(UNIT_REACH)..k]
                .iter()
                .any(|&c| is_numeral(c))
    })
}

/// `xd` and `xi` have the same length; `core` covers every position where they differ.
fn is_variant_change(xd: &[char], xi: &[char], core: std::ops::Range<usize>) -> bool {
    let mut any_variant = false;
    for k in core {
        let (x, y) = (xd[k], xi[k]);
        if x == y || (is_punct_or_space(x) && is_punct_or_space(y)) {
            continue;
        }
        if is_variant_pair(x, y) || in_variant_word(xd, xi, k) {
            any_variant = true;
        } else {
            return false;
        }
    }
    any_variant
}

fn in_variant_word(xd: &[char], xi: &[char], k: usize) -> bool {
    VARIANT_WORDS.iter().any(|&(w1, w2)| {
        let (w1, w2): (Vec<char>, Vec<char>) = (w1.chars().collect(), w2.chars().collect());
        let n = w1.len();
        (0..n).any(|o| {
            let Some(s) = k.checked_sub(o) else {
                return false;
            };
            let (Some(d), Some(i)) = (xd.get(s..s + n), xi.get(s..s + n)) else {
                return false;
            };
            (d == w1.as_slice() && i == w2.as_slice()) || (d == w2.as_slice() && i == w1.as_slice())
        })
    })
}

/// Whether a run of numerals used as a number overlaps `core` in `x`.
fn touches_number(x: &[char], core: std::ops::Range<usize>) -> bool {
    let mut k = 0;
    while k < x.len() {
        if !is_numeral(x[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < x.len() && is_numeral(x[k]) {
            k += 1;
        }
        // Overlap only: a change that touches a number from outside is no number change,
        // whether of its unit (`30[-日-]{+天+}`, a wording change) or of the words around it
        // (`变更[-之日起-]{+后+}30日内`).
        let overlaps = start < core.end && k > core.start;
        if overlaps && is_numeric_run(x, start, k) {
            return true;
        }
    }
    false
}

fn is_numeric_run(x: &[char], start: usize, end: usize) -> bool {
    x[start..end].iter().any(|&c| is_digit(c))
        || end - start >= 2
        || start.checked_sub(1).is_some_and(|k| x[k] == '第')
        || x.get(end).is_some_and(|c| UNIT_CHARS.contains(*c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_change_class_is_named_as_it_is_serialized() {
        for class in [
            ChangeClass::Obligation,
            ChangeClass::Punctuation,
            ChangeClass::VariantChar,
            ChangeClass::LikelyOcr,
            ChangeClass::Number,
            ChangeClass::Wording,
        ] {
            let json = serde_json::to_value(class).unwrap();
            assert_eq!(json.as_str(), Some(class.name()));
            assert_eq!(class.css_class(), class.name());
        }
        assert_eq!(ChangeClass::VariantChar.label(), "variant character");
        assert_eq!(ChangeClass::LikelyOcr.label(), "likely OCR");
        assert_eq!(ChangeClass::Wording.label(), "wording");
    }

    /// Item 十五(十三) as printed in corpus/002 (帐号 twice) and corpus/001 (账号 the second time).
    const ITEM_002: &str = "(适用于信息社区平台服务)你公司提供信息社区平台服务时,对公众帐号和开放平台发布者做好资质审核备案,对违反国家相关法律法规或协议约定的,视情节采取警示、限制发布、暂停更新直至关闭帐号等措施。你公司应依照有关法律规定,配合电信主管部门建立应急处置机制。";
    const ITEM_001: &str = "(适用于信息社区平台服务)你公司提供信息社区平台服务时,对公众帐号和开放平台发布者做好资质审核备案,对违反国家相关法律法规或协议约定的,视情节采取警示、限制发布、暂停更新直至关闭账号等措施。你公司应依照有关法律规定,配合电信主管部门建立应急处置机制。";

    fn diff(a: &str, b: &str) -> TextDiff {
        diff_text(a, b, &DiffOptions::default())
    }

    fn check_invariants(a: &str, b: &str, d: &TextDiff) {
        assert_eq!(d.old_text(), a);
        assert_eq!(d.new_text(), b);
        assert!(d.ops.iter().all(|op| !op.text.is_empty()), "{:?}", d.ops);
        assert!(d.ops.windows(2).all(|w| w[0].op != w[1].op), "{:?}", d.ops);
        // Re-derive hunks from the ops.
        let mut runs: Vec<(String, String)> = Vec::new();
        let mut in_change = false;
        for op in &d.ops {
            match op.op {
                OpKind::Equal => in_change = false,
                kind => {
                    if !in_change {
                        runs.push((String::new(), String::new()));
                        in_change = true;
                    }
                    if let Some(run) = runs.last_mut() {
                        if kind == OpKind::Delete {
                            run.0.push_str(&op.text);
                        } else {
                            run.1.push_str(&op.text);
                        }
                    }
                }
            }
        }
        let got: Vec<(String, String)> = d
            .hunks
            .iter()
            .map(|h| (h.deleted.clone(), h.inserted.clone()))
            .collect();
        assert_eq!(got, runs);
        let mut classes: Vec<ChangeClass> = d.hunks.iter().map(|h| h.class).collect();
        classes.sort();
        classes.dedup();
        assert_eq!(d.classes, classes);
    }

    fn hunk_pairs(d: &TextDiff) -> Vec<(&str, &str)> {
        d.hunks
            .iter()
            .map(|h| (h.deleted.as_str(), h.inserted.as_str()))
            .collect()
    }

    /// Deterministic pseudo-random CJK text (xorshift), with some clause punctuation.
    fn random_cjk(seed: u64, n: usize) -> String {
        let mut s = seed | 1;
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                if s.is_multiple_of(17) {
                    ','
                } else {
                    char::from_u32(0x4E00 + (s % 2000) as u32).unwrap_or('一')
                }
            })
            .collect()
    }

    #[test]
    fn equal_texts_give_one_equal_op() {
        let d = diff(ITEM_002, ITEM_002);
        assert_eq!(
            d.ops,
            vec![Op {
                op: OpKind::Equal,
                text: ITEM_002.to_string()
            }]
        );
        assert!(d.is_equal() && !d.is_substantive() && !d.coarse);
        assert!(d.hunks.is_empty() && d.classes.is_empty());
        assert_eq!(d.similarity(), 1.0);
    }

    #[test]
    fn variant_char_in_corpus_item() {
        let d = diff(ITEM_002, ITEM_001);
        check_invariants(ITEM_002, ITEM_001, &d);
        assert_eq!(hunk_pairs(&d), vec![("帐", "账")]);
        assert_eq!(d.hunks[0].class, ChangeClass::VariantChar);
        assert!(!d.hunks[0].lookalike);
        assert!(!d.is_substantive() && !d.is_equal());
        assert_eq!(d.classes, vec![ChangeClass::VariantChar]);
    }

    #[test]
    fn variant_words_and_mixed_variants() {
        assert_eq!(classify("其它", "其他"), ChangeClass::VariantChar);
        assert_eq!(classify("它", "他"), ChangeClass::Wording);
        let d = diff("及其它有关规定", "及其他有关规定");
        assert_eq!(hunk_pairs(&d), vec![("它", "他")]);
        assert_eq!(d.classes, vec![ChangeClass::VariantChar]);
        assert_eq!(classify("帐号,", "账号;"), ChangeClass::VariantChar);
        assert_eq!(classify("帐号", "账户"), ChangeClass::Wording);
        assert!(is_variant_pair('账', '帐') && !is_variant_pair('于', '於'));
        for (w1, w2) in VARIANT_WORDS {
            assert_eq!(w1.chars().count(), w2.chars().count(), "{w1}/{w2}");
        }
        for pair in VARIANT_CHARS.iter().chain(LOOKALIKE_CHARS) {
            assert_eq!(pair.chars().count(), 2, "{pair}");
        }
    }

    #[test]
    fn days_changed_is_number() {
        let a = "应当在变更后30日内向原发证机关报送有关信息。";
        let b = "应当在变更后60日内向原发证机关报送有关信息。";
        let d = diff(a, b);
        check_invariants(a, b, &d);
        assert_eq!(d.classes, vec![ChangeClass::Number]);
        assert!(d.is_substantive());
        assert_eq!(classify("30日内", "60日内"), ChangeClass::Number);
        assert_eq!(classify("一年", "二年"), ChangeClass::Number);
        assert_eq!(classify("一", "二"), ChangeClass::Number);
        assert_eq!(classify("1,000元", "1000元"), ChangeClass::Number);
    }

    #[test]
    fn a_unit_change_is_wording() {
        // The number is the same on both sides: only its unit changed (substantive all
        // the same).
        let d = diff("自决定之日起30日内", "自决定之日起30天内");
        assert_eq!(hunk_pairs(&d), vec![("日", "天")]);
        assert_eq!(d.classes, vec![ChangeClass::Wording]);
        assert!(d.is_substantive());
        assert_eq!(classify("三十日", "三十天"), ChangeClass::Wording);
        assert_eq!(classify("一年", "一月"), ChangeClass::Wording);
    }

    /// The plain redline of `a` → `b`, with the invariants checked.
    fn redline(a: &str, b: &str) -> String {
        let d = diff(a, b);
        check_invariants(a, b, &d);
        render_plain(&d.ops)
    }

    #[test]
    fn numbers_are_diffed_whole() {
        assert_eq!(
            redline("应当在变更后30日内报送", "应当在变更后60日内报送"),
            "应当在变更后[-30-]{+60+}日内报送"
        );
        assert_eq!(redline("提前90日", "提前120日"), "提前[-90-]{+120+}日");
        assert_eq!(
            redline("处置后的10个工作日内", "处置后的1个工作日内"),
            "处置后的[-10-]{+1+}个工作日内"
        );
        // Dates as their digit runs.
        assert_eq!(
            redline("发证日期:2020年12月24日", "发证日期:2020年12月25日"),
            "发证日期:2020年12月[-24-]{+25+}日"
        );
        assert_eq!(
            redline("自2020年12月24日起", "自2021年12月24日起"),
            "自[-2020-]{+2021+}年12月24日起"
        );
        // A decimal point, and thousands separators before three digits, belong to the
        // number; a comma between list items does not.
        assert_eq!(redline("费率3.5%", "费率3.25%"), "费率[-3.5-]{+3.25+}%");
        assert_eq!(
            redline("罚款1,000元", "罚款1,500元"),
            "罚款[-1,000-]{+1,500+}元"
        );
        assert_eq!(redline("第3,4款", "第3,5款"), "第3,[-4-]{+5+}款");
        // Chinese numerals as runs.
        assert_eq!(
            redline("第十五条所列", "第十六条所列"),
            "第[-十五-]{+十六+}条所列"
        );
        assert_eq!(redline("三十日内", "六十日内"), "[-三十-]{+六十+}日内");
        let d = diff("应当在变更后30日内报送", "应当在变更后60日内报送");
        assert_eq!(d.classes, vec![ChangeClass::Number]);
    }

    #[test]
    fn tokens_keep_numbers_whole() {
        assert_eq!(
            tokens("在30日内,1,000元或3.5%;2020年1月"),
            vec![
                "在", "30", "日", "内", ",", "1,000", "元", "或", "3.5", "%", ";", "2020", "年",
                "1", "月"
            ]
        );
        assert_eq!(tokens("第十五条"), vec!["第", "十五", "条"]);
        assert_eq!(tokens("30,60日"), vec!["30", ",", "60", "日"]);
        assert_eq!(tokens("1,0000"), vec!["1", ",", "0000"]);
        assert_eq!(tokens("a\u{301}1"), vec!["a\u{301}", "1"]);
        assert_eq!(
            tokens("\u{1F1E6}\u{1F1F9}30"),
            vec!["\u{1F1E6}\u{1F1F9}", "30"]
        );
        assert!(tokens("").is_empty());
        // Characters taken as lone graphemes are exactly that, beside each other.
        let lone: String = (0..0x1_0000)
            .filter_map(char::from_u32)
            .filter(|&c| is_lone_grapheme(c))
            .collect();
        for pair in lone.chars().collect::<Vec<_>>().windows(2) {
            let s: String = pair.iter().collect();
            assert_eq!(s.graphemes(true).count(), 2, "{s:?}");
        }
        proptest::proptest!(|(s in "\\PC{0,40}")| {
            let mut out = Vec::new();
            out = grapheme_tokens(&s, std::mem::take(&mut out));
            proptest::prop_assert_eq!(tokens(&s), out);
        });
    }

    #[test]
    fn numerals_inside_words_are_not_numbers() {
        assert_eq!(classify("统一管理", "统一监管"), ChangeClass::Wording);
        assert_eq!(classify("一律", "一概"), ChangeClass::Wording);
        assert_eq!(classify("统一", "统筹"), ChangeClass::Wording);
        let d = diff("实行统一管理", "实行统一监管");
        assert_eq!(d.classes, vec![ChangeClass::Wording]);
        assert_eq!(classify("第十五条", "第十六条"), ChangeClass::Number);
    }

    #[test]
    fn wording_change_is_one_readable_hunk() {
        let a = "你公司应按照有关法律法规要求";
        let b = "你公司应按照国家法律法规要求";
        let d = diff(a, b);
        check_invariants(a, b, &d);
        assert_eq!(hunk_pairs(&d), vec![("有关", "国家")]);
        assert_eq!(d.classes, vec![ChangeClass::Wording]);
        assert_eq!(
            render_plain(&d.ops),
            "你公司应按照[-有关-]{+国家+}法律法规要求"
        );
    }

    #[test]
    fn punctuation_only() {
        let d = diff(
            "发布者做好资质审核备案;对违反",
            "发布者做好资质审核备案。对违反",
        );
        assert_eq!(hunk_pairs(&d), vec![(";", "。")]);
        assert_eq!(d.classes, vec![ChangeClass::Punctuation]);
        assert!(!d.is_substantive());
        assert_eq!(classify(";", "。"), ChangeClass::Punctuation);
        assert_eq!(classify("、", ""), ChangeClass::Punctuation);
        assert_eq!(classify("有关;", "有关"), ChangeClass::Punctuation);
        assert_eq!(classify("“", "《"), ChangeClass::Punctuation);
    }

    #[test]
    fn punctuation_the_engine_misreads_is_likely_ocr() {
        // Shape only: brackets, stops and quotes of another shape.
        let d = diff("(适用于信息搜索查询服务)", "〈适用于信息搜索查询服务)");
        assert_eq!(d.classes, vec![ChangeClass::LikelyOcr]);
        assert!(!d.is_substantive());
        assert_eq!(classify("。", "."), ChangeClass::LikelyOcr);
        assert_eq!(classify(")", "〕"), ChangeClass::LikelyOcr);
        assert_eq!(classify("、", "`"), ChangeClass::LikelyOcr);
        // Swaps the table lists (`:` read as `;`, a dropped `。`).
        assert_eq!(classify(":", ";"), ChangeClass::LikelyOcr);
        assert_eq!(classify("。", ""), ChangeClass::LikelyOcr);
        assert_eq!(classify(",", ";"), ChangeClass::LikelyOcr);
    }

    #[test]
    fn lookalike_pair() {
        let d = diff("你公司如已持有", "你公司如己持有");
        assert_eq!(hunk_pairs(&d), vec![("已", "己")]);
        assert!(d.hunks[0].lookalike);
        assert_eq!(d.hunks[0].class, ChangeClass::LikelyOcr);
        assert!(is_lookalike_pair('末', '未') && !is_lookalike_pair('帐', '账'));
        let d = diff("有关", "国家");
        assert!(!d.hunks[0].lookalike);
    }

    /// The class of the one hunk of `a` → `b`.
    fn class_of(a: &str, b: &str) -> ChangeClass {
        let d = diff(a, b);
        check_invariants(a, b, &d);
        assert_eq!(d.hunks.len(), 1, "{:?}", d.hunks);
        d.hunks[0].class
    }

    #[test]
    fn confusions_of_the_table_are_likely_ocr() {
        let a = "确保网络与信息安全管理技术手段对运营网络和业务的全覆盖。";
        let b = "确保网络与信息安全管理技术手段对运营网络和业务的全履盖。";
        assert_eq!(class_of(a, b), ChangeClass::LikelyOcr);
        assert_eq!(class_of(b, a), ChangeClass::LikelyOcr);
        // An added character, a dropped one, two characters for one.
        assert_eq!(
            class_of("并向电信主管部门报告", "并向电信和主管部门报告"),
            ChangeClass::LikelyOcr
        );
        assert_eq!(
            class_of("保护用户个人信息", "保护用个人信息"),
            ChangeClass::LikelyOcr
        );
        assert_eq!(
            class_of("增值电信业务", "直电信业务"),
            ChangeClass::LikelyOcr
        );
        // A slip beside a punctuation change, in one hunk.
        assert_eq!(
            class_of("全覆盖;提供", "全履盖,提供"),
            ChangeClass::LikelyOcr
        );
        // Not in the table.
        assert_eq!(class_of("全覆盖", "全获盖"), ChangeClass::Wording);
    }

    #[test]
    fn characters_the_engine_doubted_are_likely_ocr() {
        let (a, b) = ("确保网络和业务的全覆盖", "确保网络和业务的全获盖");
        let at = b.chars().position(|c| c == '获').unwrap_or_default() as u32;
        let with = |ua: &[u32], ub: &[u32]| {
            let d = diff_text_with(a, b, Uncertain { a: ua, b: ub }, &DiffOptions::default());
            check_invariants(a, b, &d);
            d.classes
        };
        assert_eq!(with(&[], &[at]), vec![ChangeClass::LikelyOcr]);
        assert_eq!(with(&[], &[]), vec![ChangeClass::Wording]);
        // Another character doubted is no evidence for this one.
        assert_eq!(with(&[], &[at - 3]), vec![ChangeClass::Wording]);
        assert_eq!(with(&[at], &[]), vec![ChangeClass::LikelyOcr]);
        // A dropped character: a neighbour of the gap was doubted.
        let (a, b) = ("配备专职管理人员,成立", "配备专职管理人,成立");
        let gap = b.chars().position(|c| c == ',').unwrap_or_default() as u32;
        let d = diff_text_with(
            a,
            b,
            Uncertain { a: &[], b: &[gap] },
            &DiffOptions::default(),
        );
        assert_eq!(d.classes, vec![ChangeClass::LikelyOcr]);
        assert_eq!(diff(a, b).classes, vec![ChangeClass::Wording]);
        // Positions past the end are ignored.
        let d = diff_text_with(
            a,
            b,
            Uncertain {
                a: &[900],
                b: &[u32::MAX],
            },
            &DiffOptions::default(),
        );
        assert_eq!(d.classes, vec![ChangeClass::Wording]);
    }

    #[test]
    fn numbers_dates_and_units_are_never_likely_ocr() {
        // 0/O and 日/曰 are look-alike pairs, 二/三 is in the table.
        assert_eq!(class_of("在90日内", "在9O日内"), ChangeClass::Number);
        assert_eq!(class_of("提前二个月", "提前三个月"), ChangeClass::Number);
        assert_eq!(
            class_of("在30日内报送", "在30曰内报送"),
            ChangeClass::Wording
        );
        assert_eq!(
            class_of("在30个工作日内", "在30个工作曰内"),
            ChangeClass::Wording
        );
        // The same pair away from a number is a slip.
        assert_eq!(
            class_of("做好日常管理", "做好曰常管理"),
            ChangeClass::LikelyOcr
        );
        // Doubted characters do not make a number a slip.
        let (a, b) = ("在30日内", "在60日内");
        let all: Vec<u32> = (0..5).collect();
        let d = diff_text_with(
            a,
            b,
            Uncertain { a: &all, b: &all },
            &DiffOptions::default(),
        );
        assert_eq!(d.classes, vec![ChangeClass::Number]);
    }

    #[test]
    fn negation_and_obligation_changes_are_their_own_class() {
        assert_eq!(
            class_of("未经批准,你公司不得开展", "未经批准,你公司得开展"),
            ChangeClass::Obligation
        );
        assert_eq!(
            class_of("你公司应当按照", "你公司可以按照"),
            ChangeClass::Obligation
        );
        assert_eq!(class_of("未经批准", "末经批准"), ChangeClass::Obligation);
        // 止 read as 目 is in the table; inside 禁止 it is a prohibition lost.
        assert_eq!(class_of("禁止开展", "禁目开展"), ChangeClass::Obligation);
        assert_eq!(class_of("防止泄露", "防目泄露"), ChangeClass::LikelyOcr);
        // Substantive, listed first.
        assert!(ChangeClass::Obligation.is_substantive());
        let d = diff(
            "你公司应当按照规定在30日内报送",
            "你公司可以按照规定在60日内报送",
        );
        assert_eq!(
            d.classes,
            vec![ChangeClass::Obligation, ChangeClass::Number]
        );
        // Doubted characters do not make an obligation change a slip.
        let all: Vec<u32> = (0..20).collect();
        let d = diff_text_with(
            "你公司不得开展",
            "你公司得开展",
            Uncertain { a: &all, b: &all },
            &DiffOptions::default(),
        );
        assert_eq!(d.classes, vec![ChangeClass::Obligation]);
        // A long rewording that adds a clause with 应当 is wording.
        assert_eq!(
            class_of(
                "你公司报送信息。",
                "你公司报送信息,并应当按照要求做好备案工作。"
            ),
            ChangeClass::Wording
        );
    }

    #[test]
    fn more_than_a_few_scattered_characters_is_never_likely_ocr() {
        // Four table slips in one hunk.
        assert_eq!(
            class_of("甲覆信覆信乙", "甲履言履言乙"),
            ChangeClass::Wording
        );
        // Three are still slips.
        assert_eq!(class_of("甲覆信覆乙", "甲履言履乙"), ChangeClass::LikelyOcr);
        // A core longer than a few characters, with no more slips.
        assert_eq!(
            class_of("甲增值乙丙增值丁", "甲直乙丙直丁"),
            ChangeClass::LikelyOcr
        );
        assert_eq!(
            class_of("甲增值乙丙增值乙丙增值丁", "甲直乙丙直乙丙直丁"),
            ChangeClass::Wording
        );
    }

    #[test]
    fn one_character_real_edits_stay_substantive() {
        assert_eq!(
            class_of("向省通信管理局报告", "向市通信管理局报告"),
            ChangeClass::Wording
        );
        assert_eq!(class_of("在30日内", "在60日内"), ChangeClass::Number);
        assert_eq!(
            class_of("你公司不得开展", "你公司得开展"),
            ChangeClass::Obligation
        );
        assert_eq!(class_of("境内", "境外"), ChangeClass::Wording);
        assert_eq!(
            class_of("管理人员,成立", "管理人,成立"),
            ChangeClass::Wording
        );
    }

    #[test]
    fn semantic_cleanup_merges_confetti() {
        let (a, b) = ("甲乙丙丁戊", "子乙丑丁寅");
        let raw = diff_text(
            a,
            b,
            &DiffOptions {
                semantic_cleanup: false,
                ..DiffOptions::default()
            },
        );
        check_invariants(a, b, &raw);
        assert_eq!(raw.hunks.len(), 3);
        let d = diff(a, b);
        check_invariants(a, b, &d);
        assert_eq!(hunk_pairs(&d), vec![("甲乙丙丁戊", "子乙丑丁寅")]);
        // A long equality between two short edits stays.
        let (a, b) = ("甲乙丙丁戊己庚", "子乙丙丁戊己寅");
        assert_eq!(diff(a, b).hunks.len(), 2);
    }

    #[test]
    fn insertion_slides_to_clause_boundary() {
        // corpus/000 vs corpus/001, item 七.
        let a = "信息保护规定》(工业和信息化部令第24号)要求,落实企业网络与信息安全主体责任,";
        let b = "信息保护规定》(工业和信息化部令第24号)要求,开展用户信息保护工作,落实企业网络与信息安全主体责任,";
        let d = diff(a, b);
        check_invariants(a, b, &d);
        assert_eq!(hunk_pairs(&d), vec![("", "开展用户信息保护工作,")]);
        assert_eq!(d.classes, vec![ChangeClass::Wording]);
        let mut segs = build_segs([
            (OpKind::Equal, "要求"),
            (OpKind::Insert, ",开展工作"),
            (OpKind::Equal, ",落实"),
        ]);
        shift_to_boundaries(&mut segs);
        let text: Vec<_> = segs
            .iter()
            .map(|s| match s {
                Seg::Equal(p) => p.text.clone(),
                Seg::Change { ins, .. } => format!("+{}", ins.text),
            })
            .collect();
        assert_eq!(text, vec!["要求,", "+开展工作,", "落实"]);
    }

    #[test]
    fn render_plain_format() {
        let ops = vec![
            Op {
                op: OpKind::Equal,
                text: "关闭".into(),
            },
            Op {
                op: OpKind::Delete,
                text: "帐".into(),
            },
            Op {
                op: OpKind::Insert,
                text: "账".into(),
            },
            Op {
                op: OpKind::Equal,
                text: "号".into(),
            },
            Op {
                op: OpKind::Insert,
                text: "等".into(),
            },
        ];
        assert_eq!(render_plain(&ops), "关闭[-帐-]{+账+}号{+等+}");
        assert_eq!(render_plain(&[]), "");
    }

    #[test]
    fn serializes_per_design() {
        let d = diff("30日", "60日");
        let v = serde_json::to_value(&d).unwrap_or_default();
        assert_eq!(
            v["ops"][0],
            serde_json::json!({"op": "delete", "text": "30"})
        );
        assert_eq!(
            v["ops"][1],
            serde_json::json!({"op": "insert", "text": "60"})
        );
        assert_eq!(
            v["ops"][2],
            serde_json::json!({"op": "equal", "text": "日"})
        );
        assert_eq!(v["classes"], serde_json::json!(["number"]));
        assert_eq!(v["hunks"][0]["class"], "number");
        assert_eq!(
            serde_json::to_value(ChangeClass::VariantChar).unwrap_or_default(),
            "variant_char"
        );
    }

    #[test]
    fn zero_deadline_goes_coarse_and_rebuilds() {
        let a = random_cjk(1, 3000);
        let b = random_cjk(2, 3000);
        let opts = DiffOptions {
            deadline: Duration::ZERO,
            ..DiffOptions::default()
        };
        let d = diff_text(&a, &b, &opts);
        assert!(d.coarse);
        check_invariants(&a, &b, &d);
        let shared = format!("{ITEM_002}{a}");
        let d = diff_text(&shared, ITEM_002, &opts);
        assert!(d.coarse);
        check_invariants(&shared, ITEM_002, &d);
        assert!(d.ops[0].op == OpKind::Equal && d.ops[0].text.starts_with(ITEM_002));
    }

    #[test]
    fn spent_budget_goes_coarse_and_still_rebuilds() {
        let mut budget = DiffBudget::new(&DiffOptions {
            total: Duration::ZERO,
            ..DiffOptions::default()
        });
        let d = budget.diff(ITEM_001, ITEM_002);
        assert!(d.coarse);
        check_invariants(ITEM_001, ITEM_002, &d);
        let same = budget.diff(ITEM_001, ITEM_001);
        assert!(same.is_equal() && !same.coarse);
        let mut budget = DiffBudget::new(&DiffOptions::default());
        let d = budget.diff(ITEM_001, ITEM_002);
        assert!(!d.coarse && d.hunks.len() == 1);
    }

    #[test]
    fn clause_diff_keeps_equal_clauses() {
        let a = "甲乙,丙丁。戊己;庚辛";
        let b = "甲乙,丙戊。戊己;庚辛";
        let segs = coarse_segs(a, b, Duration::from_secs(10));
        let d = finish(segs, true, Uncertain::default());
        check_invariants(a, b, &d);
        assert_eq!(hunk_pairs(&d), vec![("丙丁。", "丙戊。")]);
        assert_eq!(clauses("a,b。c"), vec!["a,", "b。", "c"]);
        assert!(clauses("").is_empty());
    }

    #[test]
    fn long_random_texts_rebuild() {
        let a = random_cjk(7, 20_000);
        let mut b = random_cjk(11, 20_000);
        b.insert_str(0, &a[..3000]);
        let d = diff(&a, &b);
        check_invariants(&a, &b, &d);
    }

    #[test]
    fn empty_inputs() {
        let d = diff("", "abc");
        check_invariants("", "abc", &d);
        assert_eq!(hunk_pairs(&d), vec![("", "abc")]);
        assert_eq!(d.classes, vec![ChangeClass::Wording]);
        let d = diff("abc", "");
        check_invariants("abc", "", &d);
        assert_eq!(hunk_pairs(&d), vec![("abc", "")]);
        let d = diff("", "");
        assert!(d.ops.is_empty() && d.is_equal() && !d.coarse);
        assert_eq!(d.similarity(), 1.0);
    }

    #[test]
    fn identical_sides_classify_as_cosmetic() {
        assert_eq!(classify("", ""), ChangeClass::Punctuation);
        assert_eq!(classify("同", "同"), ChangeClass::Punctuation);
    }

    proptest! {
        #[test]
        fn rebuilds_from_small_alphabet(
            a in "[帐账一二三十30日,,;。、有关国家的 a\u{301}\u{1F1E6}\u{1F1F9}]{0,40}",
            b in "[帐账一二三十30日,,;。、有关国家的 a\u{301}\u{1F1E6}\u{1F1F9}]{0,40}",
        ) {
            let d = diff(&a, &b);
            check_invariants(&a, &b, &d);
            let raw = diff_text(&a, &b, &DiffOptions { semantic_cleanup: false, ..DiffOptions::default() });
            check_invariants(&a, &b, &raw);
        }

        /// Every edge of an op falls between two tokens of its side: no number is split, by
        /// the diff, the cleanup, the sliding or the coarse fallback.
        #[test]
        fn ops_never_split_a_number(
            a in proptest::collection::vec(proptest::sample::select(NUMBER_PIECES), 0..12).prop_map(|v| v.concat()),
            b in proptest::collection::vec(proptest::sample::select(NUMBER_PIECES), 0..12).prop_map(|v| v.concat()),
        ) {
            let coarse = DiffOptions { deadline: Duration::ZERO, ..DiffOptions::default() };
            for d in [diff(&a, &b), diff_text(&a, &b, &coarse)] {
                check_invariants(&a, &b, &d);
                for (side, kind) in [(&a, OpKind::Delete), (&b, OpKind::Insert)] {
                    let edges = token_edges(side);
                    let mut at = 0;
                    for op in d.ops.iter().filter(|op| op.op == OpKind::Equal || op.op == kind) {
                        prop_assert!(edges.contains(&at), "{:?} splits a number of {:?} at {}", d.ops, side, at);
                        at += op.text.len();
                    }
                }
            }
        }

        #[test]
        fn rebuilds_from_any_text(a in "\\PC{0,60}", b in "\\PC{0,60}") {
            let d = diff(&a, &b);
            check_invariants(&a, &b, &d);
            let coarse = diff_text(&a, &b, &DiffOptions { deadline: Duration::ZERO, ..DiffOptions::default() });
            check_invariants(&a, &b, &coarse);
        }
    }

    /// Characters of the table, look-alike pairs, shape-only punctuation, numerals, units and
    /// modal words, for the guards' property tests.
    const SLIPPERY: &str = "[覆履和有信言营莒已己人入日曰户国固增值直(〈《。.,;:、0O1l一二三十30年月日个天不未末非无勿得禁止目应当可以须必甲乙]{0,16}";

    /// `a` → `b` diffed with every character of both sides doubted.
    fn diff_all_doubted(a: &str, b: &str) -> TextDiff {
        let ua: Vec<u32> = (0..a.chars().count() as u32).collect();
        let ub: Vec<u32> = (0..b.chars().count() as u32).collect();
        diff_text_with(a, b, Uncertain { a: &ua, b: &ub }, &DiffOptions::default())
    }

    proptest! {
        /// A change that touches a digit or a Chinese numeral is never taken for an OCR slip,
        /// not even where the engine doubted every character.
        #[test]
        fn a_change_touching_a_numeral_is_never_likely_ocr(a in SLIPPERY, b in SLIPPERY) {
            for d in [diff(&a, &b), diff_all_doubted(&a, &b)] {
                check_invariants(&a, &b, &d);
                for h in &d.hunks {
                    if h.deleted.chars().chain(h.inserted.chars()).any(is_numeral) {
                        prop_assert_ne!(h.class, ChangeClass::LikelyOcr, "{:?}", h);
                    }
                }
            }
        }

        /// A change that adds or removes a negation is never taken for an OCR slip.
        #[test]
        fn a_negation_added_or_removed_is_never_likely_ocr(a in SLIPPERY, b in SLIPPERY) {
            for d in [diff(&a, &b), diff_all_doubted(&a, &b)] {
                for h in &d.hunks {
                    let count = |s: &str, w: &str| s.matches(w).count();
                    if ["不", "未", "非", "无", "勿", "禁止"].iter().any(|w| count(&h.deleted, w) != count(&h.inserted, w)) {
                        prop_assert_ne!(h.class, ChangeClass::LikelyOcr, "{:?}", h);
                    }
                }
            }
        }

        /// Doubted characters only ever move a hunk from a substantive class to likely_ocr
        /// (numbers and obligations excepted), and never the other way.
        #[test]
        fn doubts_only_turn_hunks_into_likely_ocr(a in SLIPPERY, b in SLIPPERY) {
            let (plain, doubted) = (diff(&a, &b), diff_all_doubted(&a, &b));
            prop_assert_eq!(&plain.ops, &doubted.ops);
            for (p, q) in plain.hunks.iter().zip(&doubted.hunks) {
                prop_assert!(p.class == q.class || q.class == ChangeClass::LikelyOcr, "{:?} {:?}", p, q);
                prop_assert!(!matches!(p.class, ChangeClass::Number | ChangeClass::Obligation) || p.class == q.class);
            }
        }
    }

    /// Pieces of number-heavy text: numbers, units, separators and words.
    const NUMBER_PIECES: &[&str] = &[
        "1", "0", "30", "1,000", "3.5", ",", ".", "、", "。", "十五", "三", "日", "年", "有关", "x",
    ];

    #[test]
    fn sliding_and_the_coarse_diff_keep_numbers_whole() {
        // An insertion that could slide to start after the `,` inside `1,000`.
        assert_eq!(
            redline("有1,000。", "有1,000有1,000。"),
            "有1,000{+有1,000+}。"
        );
        // The clause diff does not split at a thousands separator.
        let coarse = DiffOptions {
            deadline: Duration::ZERO,
            ..DiffOptions::default()
        };
        let d = diff_text("罚款1,000元,逾期", "罚款1,500元,逾期", &coarse);
        assert!(d.coarse);
        assert_eq!(render_plain(&d.ops), "[-罚款1,000元,-]{+罚款1,500元,+}逾期");
    }

    /// Byte offsets where the tokens of `s` start, and its end.
    fn token_edges(s: &str) -> Vec<usize> {
        let mut edges = vec![0];
        for t in tokens(s) {
            edges.push(edges.last().copied().unwrap_or(0) + t.len());
        }
        edges
    }

    #[test]
    fn a_change_next_to_a_number_is_not_a_number_change() {
        let d = diff_text(
            "应当在变更之日起30日内更新",
            "应当在变更后30日内更新",
            &DiffOptions::default(),
        );
        assert_eq!(d.classes, vec![ChangeClass::Wording]);
        let d = diff_text(
            "应当在变更后30日内更新",
            "应当在变更后60日内更新",
            &DiffOptions::default(),
        );
        assert_eq!(d.classes, vec![ChangeClass::Number]);
        let d = diff_text(
            "应当在变更后30日内更新",
            "应当在变更后3日内更新",
            &DiffOptions::default(),
        );
        assert_eq!(d.classes, vec![ChangeClass::Number]);
    }
}
