//! Text to clean lines: width folding, CJK whitespace, Markdown and page furniture, with a
//! map from every normalized line back to its source line.

use unicode_normalization::UnicodeNormalization;

use crate::model::{Warning, WarningKind};
use crate::parse::patterns;

/// What a normalized line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// Nothing left after normalization.
    Blank,
    /// Certificate text.
    Text,
    /// A page header repeating the licence number (`经营许可证编号: 京B2-…`, or the number alone).
    LicenseHeader,
    /// The `特别规定事项` heading, on the first page or repeated on later ones.
    SectionHeading,
    /// The certificate title (`中华人民共和国增值电信业务经营许可证`, `(附页)`).
    Title,
    /// A signature block line: `司(局)负责人:`, `公司代表:`, `年 月 日`, names and dates after them.
    Signature,
    /// A page number (`第 2 页`, `- 2 -`, `2/5`).
    PageNumber,
    /// A few characters OCR read from a stamp or a margin between a page header and the
    /// section heading (`< 对`), where no certificate text stands.
    Stray,
}

impl LineKind {
    /// True for lines that are page furniture, not certificate text.
    pub fn is_furniture(self) -> bool {
        !matches!(self, LineKind::Blank | LineKind::Text)
    }
}

/// One source line after normalization, as [`Normalized`] lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the source text.
    pub src: usize,
    /// Normalized text.
    pub text: &'a str,
    /// What it is.
    pub kind: LineKind,
}

/// Where a line's normalized text lies in [`Normalized`]'s buffer, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    kind: LineKind,
}

/// A certificate's lines, normalized and split into header and special-provisions body.
/// Their texts sit one after another in one buffer (a certificate has a hundred-odd lines,
/// which are not worth an allocation each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    /// One per source line, in order (line `i` is source line `i + 1`).
    spans: Vec<Span>,
    /// Index of the first line of the special-provisions body (just after the first
    /// `特别规定事项` heading), if there is one.
    pub body_start: Option<usize>,
    /// Body lines marked as furniture by their position alone, not beyond doubt: index of
    /// the line and what it was taken for.
    guessed: Vec<(usize, Guess)>,
}

/// What a body line that is furniture only by its position was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guess {
    /// A page number that no other page number confirms.
    PageNumber,
    /// A date at a page break outside any signature block.
    Date,
    /// The page header with the licence number, as OCR misread it (`经营许可证编号;,浙B2-…`).
    MisreadHeader,
    /// A page number as OCR misread it (`第3页共6滞`), or the lone character OCR made of its
    /// last `页` on a line of its own.
    MisreadPageNumber,
    /// A few characters between a page header and the section heading.
    Stray,
}

/// A run of consecutive normalized lines.
#[derive(Debug, Clone, Copy)]
pub struct Lines<'a> {
    text: &'a str,
    spans: &'a [Span],
    /// Index of the first of `spans` among all the lines (its source line minus one).
    first: usize,
}

impl<'a> Lines<'a> {
    /// How many lines.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there is no line.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The `i`th line of the run.
    pub fn get(&self, i: usize) -> Option<Line<'a>> {
        self.spans.get(i).map(|s| self.line(i, s))
    }

    /// The first line of the run.
    pub fn first(&self) -> Option<Line<'a>> {
        self.get(0)
    }

    /// The lines in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Line<'a>> + ExactSizeIterator + 'a {
        let run = *self;
        self.spans
            .iter()
            .enumerate()
            .map(move |(i, s)| run.line(i, s))
    }

    fn line(&self, i: usize, s: &Span) -> Line<'a> {
        Line {
            src: self.first + i + 1,
            text: &self.text[s.start..s.end],
            kind: s.kind,
        }
    }
}

impl Normalized {
    /// Every line, in order.
    pub fn lines(&self) -> Lines<'_> {
        self.range(0, self.spans.len())
    }

    /// Lines of the cover page and appendix (everything before the body).
    pub fn header(&self) -> Lines<'_> {
        let end = self
            .body_start
            .map(|b| b.saturating_sub(1))
            .unwrap_or(self.spans.len());
        self.range(0, end)
    }

    /// Lines of the special-provisions body, furniture included (check [`Line::kind`]).
    pub fn body(&self) -> Lines<'_> {
        match self.body_start {
            Some(b) => self.range(b, self.spans.len()),
            None => self.range(0, 0),
        }
    }

    /// A warning for each body line left out as furniture on a guess (by its position, not
    /// beyond doubt), naming the line and its text.
    pub fn guesses(&self) -> impl Iterator<Item = Warning> + '_ {
        self.guessed.iter().map(|&(i, guess)| {
            let s = &self.spans[i];
            let text = &self.text[s.start..s.end];
            let message = match guess {
                Guess::PageNumber => format!(
                    "`{text}` left out as a page number: it stands at a page break, but no other page number confirms it"
                ),
                Guess::Date => format!(
                    "`{text}` left out as a signature date: it stands at a page break, but no signature label comes before it"
                ),
                Guess::MisreadHeader => format!(
                    "`{text}` left out as the page header with the licence number, as OCR misread it"
                ),
                Guess::MisreadPageNumber => {
                    format!("`{text}` left out as a page number, as OCR misread it")
                }
                Guess::Stray => format!(
                    "`{text}` left out: it stands between a page header and the section heading, where no text stands"
                ),
            };
            let kind = match guess {
                Guess::MisreadHeader | Guess::MisreadPageNumber | Guess::Stray => {
                    WarningKind::Recovered
                }
                Guess::PageNumber | Guess::Date => WarningKind::GuessedFurniture,
            };
            Warning {
                kind,
                line: Some(i + 1),
                message,
            }
        })
    }

    fn range(&self, start: usize, end: usize) -> Lines<'_> {
        Lines {
            text: &self.text,
            spans: &self.spans[start..end],
            first: start,
        }
    }
}

/// Normalizes one line: strips Markdown markers, folds full-width forms to half-width with
/// NFKC (which leaves `、。《》“”` alone), drops control characters, and drops whitespace
/// except a single space between two ASCII letters or digits (`Co Ltd`, `2022 03 16`).
pub fn normalize_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    normalize_line_into(raw, &mut out);
    out
}

/// [`normalize_line`] into a buffer the caller reuses (it is cleared first).
pub fn normalize_line_into(raw: &str, out: &mut String) {
    out.clear();
    line_into(raw, 0, false, out);
}

/// Appends the normalized line of `text` that starts at byte `start` to `out` and returns the
/// byte where that line ends: the next `\n` when `one_line`, else the end of `text`. What it
/// appends is [`normalize_line`] of the line.
fn line_into(text: &str, start: usize, one_line: bool, out: &mut String) -> usize {
    let base = out.len();
    // The fast path finds the line's end as it goes; leading whitespace is skipped here,
    // trailing whitespace never reaches the output anyway. Lines that may carry a Markdown
    // prefix take the exact path below.
    let rest = &text[start..];
    // Most lines start with an ideograph or printable ASCII, which no whitespace starts
    // with (its lead bytes are ASCII, 0xC2, 0xE1..0xE3): no need to decode a character.
    let lead = match rest.as_bytes().first() {
        Some(&b) if b.is_ascii_graphic() || (0xe4..=0xe9).contains(&b) => rest,
        _ => rest.trim_start_matches(|c: char| c.is_whitespace() && !(one_line && c == '\n')),
    };
    if !lead.starts_with(['#', '>', '-'])
        && let Some((end, lt)) = push_cleaned_fast(text, text.len() - lead.len(), one_line, out)
    {
        drop_br(out, base, lt);
        return end;
    }
    let end = if one_line {
        memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |k| start + k)
    } else {
        text.len()
    };
    out.truncate(base);
    let s = strip_markdown_prefix(text[start..end].trim());
    // Almost every line is ASCII, CJK ideographs, CJK punctuation and full-width forms, for
    // which NFKC is the identity or a fixed offset: those are folded byte by byte; only other
    // lines pay for full NFKC.
    let lt = match push_cleaned_fast(s, 0, false, out) {
        Some((_, lt)) => lt,
        None => {
            out.truncate(base);
            push_cleaned(s.nfkc(), out);
            memchr::memchr(b'<', &out.as_bytes()[base..]).is_some()
        }
    };
    drop_br(out, base, lt);
    end
}

/// Drops the `<br>` left by HTML-ish converters from `out[base..]`; `may_have_tag` tells
/// whether that part has a `<`.
fn drop_br(out: &mut String, base: usize, may_have_tag: bool) {
    if may_have_tag && out[base..].contains("<br") {
        let kept = out[base..]
            .replace("<br/>", "")
            .replace("<br />", "")
            .replace("<br>", "");
        out.truncate(base);
        out.push_str(&kept);
    }
}

/// A character of the fast path, already NFKC-folded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fast {
    /// An ASCII character (full-width forms fold to these).
    Ascii(u8),
    /// CJK ideographs (a run of them) or punctuation, kept as they are, up to where the next
    /// character starts.
    Keep,
    /// A character NFKC spells out in several (㈠ is `(一)`).
    Expand(&'static str),
}

/// NFKC of U+3220..U+3229 `㈠`..`㈩`, which OCR reads for a sub-item's `（一）`..`（十）`.
const PARENTHESIZED: [&str; 10] = [
    "(一)", "(二)", "(三)", "(四)", "(五)", "(六)", "(七)", "(八)", "(九)", "(十)",
];

/// Where the run of characters U+4000..U+9FFF that starts at byte `i` of `b` ends, if one
/// starts there: their lead bytes are E4..E9 (CJK ideographs, extension A and the Yijing
/// hexagrams, none of which NFKC changes), so a run is kept in one piece.
#[inline(always)]
fn ideograph_run(b: &[u8], i: usize) -> Option<usize> {
    let ideograph = |j: usize| matches!(b.get(j), Some(0xe4..=0xe9));
    if !ideograph(i) {
        return None;
    }
    let mut j = i + 3;
    while ideograph(j) {
        j += 3;
    }
    Some(j)
}

/// The fast-path character at byte `i` of `b` and where the next one starts, or `None` when
/// the character at `i` needs the general algorithm.
#[inline(always)]
fn fast_at(b: &[u8], i: usize) -> Option<(Fast, usize)> {
    let c0 = b[i];
    if c0 < 0x80 {
        return Some((Fast::Ascii(c0), i + 1));
    }
    if let Some(j) = ideograph_run(b, i) {
        return Some((Fast::Keep, j));
    }
    match (c0, b.get(i + 1).copied(), b.get(i + 2).copied()) {
        // U+00B7 middle dot.
        (0xc2, Some(0xb7), _) => Some((Fast::Keep, i + 2)),
        // U+2014 em dash, U+2018..U+201D quotes.
        (0xe2, Some(0x80), Some(0x94 | 0x98..=0x9d)) => Some((Fast::Keep, i + 3)),
        // U+3000 ideographic space folds to a space.
        (0xe3, Some(0x80), Some(0x80)) => Some((Fast::Ascii(b' '), i + 3)),
        // U+3001..U+3003 and U+3008..U+3011: 、。〃 and CJK brackets.
        (0xe3, Some(0x80), Some(0x81..=0x83 | 0x88..=0x91)) => Some((Fast::Keep, i + 3)),
        // U+3220..U+3229 `㈠`..`㈩`.
        (0xe3, Some(0x88), Some(c2 @ 0xa0..=0xa9)) => {
            Some((Fast::Expand(PARENTHESIZED[usize::from(c2 - 0xa0)]), i + 3))
        }
        // U+FF01..U+FF5E full-width forms fold to U+0021..U+007E.
        (0xef, Some(0xbc), Some(c2 @ 0x81..=0xbf)) => Some((Fast::Ascii(c2 - 0x60), i + 3)),
        (0xef, Some(0xbd), Some(c2 @ 0x80..=0x9e)) => Some((Fast::Ascii(c2 - 0x20), i + 3)),
        _ => None,
    }
}

/// [`push_cleaned`] over the NFKC form of `s[from..]`, up to the first `\n` when `one_line`
/// (else to the end), for lines made only of the characters [`fast_at`] knows; returns where
/// the line ends and whether a `<` was written. Returns `None`, with `out` partly written, for
/// any other line.
///
/// Most of a line comes out as it went in (ideographs, CJK punctuation, ASCII): such bytes are
/// not copied one by one but as one span, up to the next character that changes (whitespace,
/// a control character, an emphasis marker, a full-width form).
fn push_cleaned_fast(
    s: &str,
    from: usize,
    one_line: bool,
    out: &mut String,
) -> Option<(usize, bool)> {
    let b = s.as_bytes();
    let mut pending_space = false;
    let mut prev_alnum = false;
    let mut lt = false;
    // `s[span..i]` is copied unchanged and not yet written.
    let mut span = from;
    let mut i = from;
    while i < b.len() {
        let c0 = b[i];
        // Printable ASCII other than the emphasis markers: kept.
        if (0x21..0x7f).contains(&c0) && c0 != b'*' && c0 != b'_' {
            let alnum = c0.is_ascii_alphanumeric();
            if pending_space {
                // Whitespace ended the span, so nothing is unwritten before the space.
                if prev_alnum && alnum {
                    out.push(' ');
                }
                pending_space = false;
            }
            prev_alnum = alnum;
            lt |= c0 == b'<';
            i += 1;
            continue;
        }
        // A run of ideographs, the commonest case, skipped before the general dispatch.
        if let Some(end) = ideograph_run(b, i) {
            i = end;
            pending_space = false;
            prev_alnum = false;
            continue;
        }
        let (c, next) = fast_at(b, i)?;
        let a = match c {
            Fast::Keep => {
                pending_space = false;
                prev_alnum = false;
                i = next;
                continue;
            }
            Fast::Expand(t) => {
                out.push_str(&s[span..i]);
                out.push_str(t);
                span = next;
                i = next;
                // Neither `(` nor `)` is a Latin letter or digit.
                pending_space = false;
                prev_alnum = false;
                continue;
            }
            Fast::Ascii(a) => a,
        };
        // Everything from here on changes the text: write the span first.
        out.push_str(&s[span..i]);
        if one_line && a == b'\n' {
            return Some((i, lt));
        }
        span = next;
        i = next;
        // Markdown emphasis markers: `**bold**`, `__bold__`.
        if (a == b'*' || a == b'_')
            && let Some((Fast::Ascii(n), after)) = (i < b.len()).then(|| fast_at(b, i)).flatten()
            && n == a
        {
            i = after;
            span = after;
            continue;
        }
        if a.is_ascii_whitespace() || a == 0x0b {
            pending_space = true;
            continue;
        }
        if a.is_ascii_control() {
            continue;
        }
        if pending_space {
            if prev_alnum && a.is_ascii_alphanumeric() {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(char::from(a));
        prev_alnum = a.is_ascii_alphanumeric();
        lt |= a == b'<';
    }
    out.push_str(&s[span..]);
    Some((b.len(), lt))
}

/// Appends NFKC-folded `chars` to `out` without Markdown emphasis markers, control
/// characters and whitespace inside CJK text (a space is kept between Latin words).
fn push_cleaned(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut pending_space = false;
    let mut prev: Option<char> = None;
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        // Markdown emphasis markers: `**bold**`, `__bold__`.
        if (c == '*' || c == '_') && chars.peek() == Some(&c) {
            chars.next();
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' {
            pending_space = true;
            continue;
        }
        // Control characters (ESC and the rest of C0/C1) are never certificate text, and
        // echoed to a terminal they could move the cursor or rewrite the screen.
        if c.is_control() {
            continue;
        }
        if pending_space {
            if prev.is_some_and(|p| p.is_ascii_alphanumeric()) && c.is_ascii_alphanumeric() {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
        prev = Some(c);
    }
}

fn strip_markdown_prefix(s: &str) -> &str {
    let mut s = s;
    loop {
        let t = s.trim_start_matches('#').trim_start_matches('>');
        let t = t.strip_prefix("- ").unwrap_or(t);
        let t = t.trim_start();
        if t.len() == s.len() {
            return s;
        }
        s = t;
    }
}

/// Normalizes a whole text: one [`Line`] per source line, furniture marked, and the body start
/// found.
pub fn normalize(text: &str) -> Normalized {
    // One line per `text.split('\n')`, each normalized where it lies in the text.
    // Room for a line per 64 bytes (certificate lines average about 80) spares growing the
    // vector line by line; bounded, for a file that is one huge line.
    let mut spans = Vec::with_capacity((text.len() / 64).clamp(1, 4096));
    // Each line is written straight after the one before.
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    loop {
        let base = out.len();
        let end = line_into(text, start, true, &mut out);
        spans.push(Span {
            start: base,
            end: out.len(),
            kind: if out.len() == base {
                LineKind::Blank
            } else {
                LineKind::Text
            },
        });
        if end >= text.len() {
            break;
        }
        start = end + 1;
    }
    let body_start = find_body_start(&out, &spans);
    let mut guessed = Vec::new();
    if let Some(b) = body_start {
        spans[b - 1].kind = LineKind::SectionHeading;
        guessed = mark_furniture(&out, &mut spans[b..]);
        for g in &mut guessed {
            g.0 += b;
        }
    }
    Normalized {
        text: out,
        spans,
        body_start,
        guessed,
    }
}

fn is_section_heading(t: &str) -> bool {
    let t = t.trim_end_matches(':');
    matches!(t, "特别规定事项" | "特别规定事项(续)" | "《特别规定事项》")
}

fn is_title(t: &str) -> bool {
    const TITLES: [&str; 3] = [
        "中华人民共和国增值电信业务经营许可证",
        "增值电信业务经营许可证",
        "",
    ];
    // The first piece must start a title, so most lines are out at their first character.
    if !(t.is_empty() || t.starts_with('中') || t.starts_with('增') || t.starts_with("(附页)"))
    {
        return false;
    }
    if memchr::memchr(b'(', t.as_bytes()).is_none() {
        return TITLES.contains(&t);
    }
    // The title with any `(附页)` in it dropped, or `(附页)` alone.
    let is = |target: &str| {
        let mut rest = target;
        for piece in t.split("(附页)") {
            match rest.strip_prefix(piece) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    };
    TITLES.into_iter().any(is)
}

fn find_body_start(text: &str, spans: &[Span]) -> Option<usize> {
    let line = |s: &Span| &text[s.start..s.end];
    if let Some(i) = spans.iter().position(|s| is_section_heading(line(s))) {
        return Some(i + 1);
    }
    let i = spans
        .iter()
        .position(|s| line(s).starts_with("《特别规定事项》"))
        .or_else(|| spans.iter().position(|s| line(s).starts_with("一、")))?;
    // Pretend the heading is the line before; `normalize` marks that line as a heading, so
    // only do so when it is blank or there is no line before.
    if i > 0 && spans[i - 1].kind == LineKind::Blank {
        Some(i)
    } else {
        None
    }
}

/// Where a signature block stands while the body is read line by line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    /// No signature block is open.
    None,
    /// Just after a label with no value (`司(局)负责人:`): a name or seal text may follow.
    AfterEmptyLabel,
    /// Inside a block: dates and further labels belong to it.
    Open,
}

/// A body line whose form makes it furniture only if its position agrees.
#[derive(Clone, Copy)]
enum Doubt {
    /// Nothing but digits (`12`): a page number, or the rest of a number split by a
    /// wrap or a page break (`…处置后的1` / `0` / page header / `个工作日内`).
    Number(u32),
    /// A date outside a signature block: a signature date whose label was lost, or a date of
    /// the text on a line of its own.
    Date,
}

/// Marks page furniture inside the body and returns the lines marked on a guess (indices into
/// `body`).
///
/// Nothing is removed from the body unless it is furniture beyond doubt: headers, headings,
/// titles, signature labels and the blank `年 月 日` by their form; names only right after a
/// label with no value, dates only inside a signature block; page numbers in an explicit form
/// (`第 2 页`, `- 2 -`, `2/5`). A line holding only a number, or a date outside a signature
/// block, is settled by [`settle_doubts`] once the whole body is known.
fn mark_furniture(text: &str, body: &mut [Span]) -> Vec<(usize, Guess)> {
    let mut block = Block::None;
    let mut doubts: Vec<(usize, Doubt)> = Vec::new();
    let mut misread: Vec<(usize, Guess)> = Vec::new();
    // A misread page number lost its last `页` (`第3页共6`): OCR may have put it on the next line.
    let mut page_tail = false;
    for (i, line) in body.iter_mut().enumerate() {
        if line.kind == LineKind::Blank {
            continue;
        }
        let t = &text[line.start..line.end];
        if std::mem::take(&mut page_tail) && t.chars().nth(1).is_none() {
            misread.push((i, Guess::MisreadPageNumber));
            line.kind = LineKind::PageNumber;
            block = Block::None;
            continue;
        }
        // Most lines are known for text by their first character, unless a signature block
        // is open (its names are furniture by position, not form).
        let form =
            if block != Block::None || t.chars().next().is_some_and(patterns::may_be_furniture) {
                furniture_form(t).or_else(|| {
                    let (kind, guess) = misread_furniture(t)?;
                    misread.push((i, guess));
                    page_tail = guess == Guess::MisreadPageNumber
                        && t.ends_with(|c: char| c.is_ascii_digit());
                    Some(kind)
                })
            } else {
                None
            };
        let kind = match form {
            Some(LineKind::PageNumber) => match bare_number(t) {
                Some(n) => {
                    doubts.push((i, Doubt::Number(n)));
                    LineKind::Text
                }
                None => LineKind::PageNumber,
            },
            Some(LineKind::Signature) if block == Block::None && is_filled_date(t) => {
                doubts.push((i, Doubt::Date));
                LineKind::Text
            }
            Some(kind) => kind,
            None if block == Block::AfterEmptyLabel && looks_like_name(t) => LineKind::Signature,
            None => LineKind::Text,
        };
        block = match kind {
            LineKind::Signature if is_empty_label(t) => Block::AfterEmptyLabel,
            LineKind::Signature => Block::Open,
            _ => Block::None,
        };
        line.kind = kind;
    }
    mark_strays(text, body, &mut misread);
    let mut guessed = if doubts.is_empty() {
        Vec::new()
    } else {
        settle_doubts(text, body, &doubts)
    };
    if !misread.is_empty() {
        guessed.extend(misread);
        guessed.sort_unstable_by_key(|g| g.0);
    }
    guessed
}

/// Marks as [`LineKind::Stray`] the short text lines (one or two, of four characters at most)
/// that stand between a page header and the section heading after it, with only blank lines
/// around them: what OCR reads from a stamp or a margin there (`< 对`), since the text of a
/// page starts after both. Each is added to `guessed`.
fn mark_strays(text: &str, body: &mut [Span], guessed: &mut Vec<(usize, Guess)>) {
    let mut i = 0;
    while i < body.len() {
        if body[i].kind != LineKind::LicenseHeader {
            i += 1;
            continue;
        }
        let mut strays = [0usize; 2];
        let mut n = 0;
        let mut j = i + 1;
        while let Some(line) = body.get(j) {
            let short = || text[line.start..line.end].chars().nth(4).is_none();
            match line.kind {
                LineKind::Blank => {}
                LineKind::Text if n < strays.len() && short() => {
                    strays[n] = j;
                    n += 1;
                }
                _ => break,
            }
            j += 1;
        }
        if n > 0
            && body
                .get(j)
                .is_some_and(|l| l.kind == LineKind::SectionHeading)
        {
            for &k in &strays[..n] {
                body[k].kind = LineKind::Stray;
                guessed.push((k, Guess::Stray));
            }
        }
        i = j.max(i + 1);
    }
}

/// The most pages a certificate has before its special provisions (the cover, printed twice
/// in some, and the appendix): a bound on the number of the body's first page.
const MAX_PAGES_BEFORE_BODY: i64 = 4;

/// Decides the doubtful lines of [`mark_furniture`] by where they stand, and returns those
/// marked as furniture on a guess.
///
/// A page number stands at a page break (next to a page header, heading, title or signature
/// line, with only blank lines between) or at the start or end of the body, and page numbers
/// follow the pages: the number of each is the page's index in the body plus one offset, the
/// same for all, at least 1. A number that stands elsewhere, or whose offset differs from the
/// one that two or more page numbers share, is text. When no two agree, a number whose offset
/// could be the body's first page number is taken for a page number on a guess. Dates outside
/// signature blocks are taken for signature dates, on a guess, only at a page break.
fn settle_doubts(text: &str, body: &mut [Span], doubts: &[(usize, Doubt)]) -> Vec<(usize, Guess)> {
    let is_break = |k: LineKind| {
        matches!(
            k,
            LineKind::LicenseHeader | LineKind::SectionHeading | LineKind::Title
        )
    };
    // The page each line is on: page breaks are runs of furniture and blank lines that hold
    // a page header, a heading or a title. Furniture within a run belongs to the page after
    // the header (a page number at the top of a page), or before it.
    let mut page_of = Vec::with_capacity(body.len());
    let (mut page, mut header_in_run) = (0i64, false);
    for line in body.iter() {
        if line.kind == LineKind::Text && header_in_run {
            page += 1;
            header_in_run = false;
        }
        header_in_run |= is_break(line.kind);
        page_of.push(page + i64::from(header_in_run && line.kind != LineKind::Text));
    }
    // Whether the nearest line that is not blank, before or after line `i`, is furniture (or
    // the start or end of the body).
    let at_break = |body: &[Span], i: usize| {
        let furniture = |l: Option<&Span>| l.is_none_or(|l| l.kind.is_furniture());
        let before = body[..i].iter().rev().find(|l| l.kind != LineKind::Blank);
        let after = body[i + 1..].iter().find(|l| l.kind != LineKind::Blank);
        furniture(before) || furniture(after)
    };
    // Page numbers: each positioned number with its offset; explicit page numbers count
    // towards the offsets too.
    let mut numbers: Vec<(usize, i64)> = Vec::new();
    for &(i, d) in doubts {
        if let Doubt::Number(n) = d
            && at_break(body, i)
        {
            numbers.push((i, i64::from(n) - page_of[i]));
        }
    }
    let explicit: Vec<i64> = body
        .iter()
        .zip(&page_of)
        .filter(|(l, _)| l.kind == LineKind::PageNumber)
        .filter_map(|(l, &p)| first_number(&text[l.start..l.end]).map(|n| i64::from(n) - p))
        .collect();
    let count = |off: i64| {
        numbers.iter().filter(|&&(_, o)| o == off).count()
            + explicit.iter().filter(|&&o| o == off).count()
    };
    // The offset most page numbers share (the lowest of equals), when two or more do.
    let shared = numbers
        .iter()
        .map(|&(_, o)| o)
        .chain(explicit.iter().copied())
        .filter(|&o| o >= 1)
        .map(|o| (count(o), std::cmp::Reverse(o)))
        .max()
        .filter(|&(n, _)| n >= 2)
        .map(|(_, std::cmp::Reverse(o))| o);
    let mut guessed = Vec::new();
    for &(i, off) in &numbers {
        let page_number = match shared {
            Some(s) => off == s,
            None => (1..=1 + MAX_PAGES_BEFORE_BODY).contains(&off),
        };
        if page_number {
            body[i].kind = LineKind::PageNumber;
            if shared.is_none() {
                guessed.push((i, Guess::PageNumber));
            }
        }
    }
    // Dates, now that the page numbers are known.
    for &(i, d) in doubts {
        if matches!(d, Doubt::Date) && at_break(body, i) {
            body[i].kind = LineKind::Signature;
            guessed.push((i, Guess::Date));
        }
    }
    guessed.sort_unstable_by_key(|g| g.0);
    guessed
}

/// The value of a line that is nothing but digits (`12`): a page number with no mark of one,
/// unlike `- 2 -` (which Markdown stripping leaves as `2-`), `第 2 页`, `2/5` and `Page 2`.
fn bare_number(t: &str) -> Option<u32> {
    if t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

/// The first run of ASCII digits in `t`, as a number.
fn first_number(t: &str) -> Option<u32> {
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let rest = &t[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// A signature date that names a day (`2018年5月29日`, `2022 03 16`), not the blank
/// `年 月 日` of an unsigned block, which is never text.
fn is_filled_date(t: &str) -> bool {
    patterns::is_signature_date(t) && !t.ends_with("月日")
}

/// A signature label with nothing after it (`司(局)负责人:`, `发证机关(盖章)`): a name or
/// seal text may follow on the next line.
fn is_empty_label(t: &str) -> bool {
    patterns::is_signature_label(t) && t.split_once(':').is_none_or(|(_, value)| value.is_empty())
}

/// The furniture `t` is by its own form: a licence header, a heading, a title, a page number,
/// a signature label or date.
fn furniture_form(t: &str) -> Option<LineKind> {
    if patterns::is_license_header(t) {
        Some(LineKind::LicenseHeader)
    } else if is_section_heading(t) {
        Some(LineKind::SectionHeading)
    } else if is_title(t) {
        Some(LineKind::Title)
    } else if patterns::is_page_number(t) {
        Some(LineKind::PageNumber)
    } else if patterns::is_signature_label(t) || patterns::is_signature_date(t) {
        Some(LineKind::Signature)
    } else {
        None
    }
}

/// The furniture `t` is as OCR misreads it: the page header with the licence number or a page
/// number, which [`furniture_form`] does not take.
fn misread_furniture(t: &str) -> Option<(LineKind, Guess)> {
    if patterns::is_misread_license_header(t) {
        Some((LineKind::LicenseHeader, Guess::MisreadHeader))
    } else if patterns::is_misread_page_number(t) {
        Some((LineKind::PageNumber, Guess::MisreadPageNumber))
    } else {
        None
    }
}

/// A personal name or seal text in a signature block: a few CJK characters, no punctuation.
fn looks_like_name(t: &str) -> bool {
    let n = t.chars().count();
    (1..=8).contains(&n)
        && t.chars()
            .all(|c| !c.is_ascii_punctuation() && !"。、,;:".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Warning, WarningKind};

    #[test]
    fn width_folding_keeps_cjk_punctuation() {
        assert_eq!(
            normalize_line("（一）你公司，应当：《规定》“互联网+”、。；"),
            "(一)你公司,应当:《规定》“互联网+”、。;"
        );
        assert_eq!(normalize_line("京Ｂ２－２０２２４６７６"), "京B2-20224676");
        assert_eq!(normalize_line("㈠你公司"), "(一)你公司");
    }

    /// The general path: NFKC of the whole line, then cleaning.
    fn reference(s: &str) -> String {
        let mut out = String::new();
        push_cleaned(s.nfkc(), &mut out);
        out
    }

    #[test]
    fn fast_path_is_exactly_nfkc_then_cleaning() {
        // Every character the fast path takes, alone, doubled and between Latin letters.
        let mut taken = 0;
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("{c}{c}"), format!("a{c} b{c}*")] {
                let mut out = String::new();
                if push_cleaned_fast(&s, 0, false, &mut out).is_some() {
                    taken += 1;
                    assert_eq!(out, reference(&s), "U+{:04X} in {s:?}", c as u32);
                }
            }
        }
        // ASCII, U+4000..U+9FFF, U+FF01..U+FF5E, the punctuation and ㈠..㈩: no more, no less.
        assert_eq!(taken, 3 * (128 + 0x6000 + 94 + 3 + 10 + 6 + 1 + 1 + 1 + 10));
    }

    /// A line as the general path normalizes it: trimmed, Markdown prefix stripped, NFKC,
    /// cleaned, `<br>` dropped.
    fn reference_line(raw: &str) -> String {
        let mut out = reference(strip_markdown_prefix(raw.trim()));
        drop_br(&mut out, 0, true);
        out
    }

    proptest::proptest! {
        /// `normalize` finds line ends while it folds; it must agree with splitting first.
        #[test]
        fn lines_are_normalized_as_if_split_first(
            lines in proptest::collection::vec(
                "[ \t\r\u{3000}]{0,2}(## |# |> |- |-|#)?([a1一、（，Ａ：㈠㈩\u{ff0a}\u{ff3f}\u{e9}\u{1b}\u{a0}\u{3000} *_<>-]|br|\\*\\*){0,12}[ \t\u{3000}]{0,2}",
                0..6,
            )
        ) {
            let s = lines.join("\n");
            let norm = normalize(&s);
            let got: Vec<&str> = norm.lines().iter().map(|l| l.text).collect();
            let want: Vec<String> = s.split('\n').map(reference_line).collect();
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(normalize_line(&s), reference_line(&s));
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_the_general_path(
            s in "[\\u{0}-\\u{7f}\\u{3000}-\\u{3012}\\u{321e}-\\u{322b}\\u{4e00}-\\u{4e10}\\u{ff01}-\\u{ff10}\\u{ff3f}-\\u{ff41}\\u{ff5e}\\u{2014}\\u{2018}-\\u{201e}\\u{b7}\\u{a0}\\u{e9}*_]{0,40}"
        ) {
            let mut out = String::new();
            if push_cleaned_fast(&s, 0, false, &mut out).is_some() {
                proptest::prop_assert_eq!(out, reference(&s));
            }
        }
    }

    #[test]
    fn whitespace_inside_cjk_is_dropped_between_latin_kept() {
        assert_eq!(normalize_line("第 24 号"), "第24号");
        assert_eq!(normalize_line("管理人 员, 成立"), "管理人员,成立");
        assert_eq!(
            normalize_line("《 电信和互联网用户个人信息保护规定 》"),
            "《电信和互联网用户个人信息保护规定》"
        );
        assert_eq!(normalize_line("2022 03 16"), "2022 03 16");
        assert_eq!(
            normalize_line("Alibaba  Cloud　Computing"),
            "Alibaba Cloud Computing"
        );
        assert_eq!(normalize_line("尚 吁"), "尚吁");
        assert_eq!(
            normalize_line("\u{3000}一、你公司\t应当  "),
            "一、你公司应当"
        );
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(
            normalize_line("一、你公司\u{1b}[2J\u{1b}]0;title\u{7}应当\u{9b}31m遵守\u{0}。"),
            "一、你公司[2J]0;title应当31m遵守。"
        );
    }

    #[test]
    fn markdown_is_stripped() {
        assert_eq!(normalize_line("## 特别规定事项"), "特别规定事项");
        assert_eq!(
            normalize_line("# 中华人民共和国 增值电信业务经营许可证"),
            "中华人民共和国增值电信业务经营许可证"
        );
        assert_eq!(
            normalize_line("经营许可证编号：**苏B2-20200928**"),
            "经营许可证编号:苏B2-20200928"
        );
        assert_eq!(normalize_line("业务种类 见附页  "), "业务种类见附页");
        assert_eq!(normalize_line("> - 一、你公司"), "一、你公司");
        assert_eq!(normalize_line("文字<br>续"), "文字续");
        // Full-width brackets fold to `<br>`; a line the general path takes (U+00A0) too.
        assert_eq!(normalize_line("文字＜br/＞续"), "文字续");
        assert_eq!(normalize_line("文字\u{a0}<br />续"), "文字续");
    }

    #[test]
    fn furniture_in_body_is_marked() {
        let text = "公司名称:甲\n特别规定事项\n《特别规定事项》是…\n九、按照有关标\n\n经营许可证编号: 京B2-20224676\n\n## 特别规定事项\n第 2 页\n准,做好工作。\n司(局)负责人:\n陈静\n年 月 日\n公司代表: 苏林璐\n2018年5月29日\n十、你公司应当遵守规定。\n";
        let n = normalize(text);
        assert_eq!(n.body_start, Some(2));
        let kinds: Vec<(usize, LineKind)> = n
            .body()
            .iter()
            .filter(|l| l.kind != LineKind::Blank)
            .map(|l| (l.src, l.kind))
            .collect();
        use LineKind::*;
        assert_eq!(
            kinds,
            vec![
                (3, Text),
                (4, Text),
                (6, LicenseHeader),
                (8, SectionHeading),
                (9, PageNumber),
                (10, Text),
                (11, Signature),
                (12, Signature),
                (13, Signature),
                (14, Signature),
                (15, Signature),
                (16, Text),
            ]
        );
        assert_eq!(n.header().len(), 1);
    }

    /// Furniture lines of every kind, as normalization leaves them.
    const FURNITURE: [&str; 24] = [
        "经营许可证编号:京B2-20224676",
        "京B2-20224676",
        "B2-20224676",
        "特别规定事项",
        "《特别规定事项》",
        "中华人民共和国增值电信业务经营许可证",
        "增值电信业务经营许可证",
        "(附页)",
        "第2页共5页",
        "-2-",
        "—2—",
        "–2–",
        "2/5",
        "Page 2 of 5",
        "12",
        "司(局)负责人:",
        "公司代表:",
        "发证机关(盖章)",
        "签字",
        "盖章",
        "(盖章)",
        "2022 03 16",
        "年月日",
        "二〇二二年三月十六日",
    ];

    #[test]
    fn no_whitespace_starts_with_a_byte_the_leading_trim_skips() {
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
        {
            let mut buf = [0; 4];
            let b = c.encode_utf8(&mut buf).as_bytes()[0];
            assert!(
                !b.is_ascii_graphic() && !(0xe4..=0xe9).contains(&b),
                "{c:?}"
            );
        }
        assert_eq!(normalize_line("\u{3000}\u{a0} 一、条款"), "一、条款");
    }

    #[test]
    fn furniture_is_known_by_its_first_character() {
        for f in FURNITURE {
            assert!(furniture_form(f).is_some(), "{f}");
            let first = f.chars().next().unwrap();
            assert!(patterns::may_be_furniture(first), "{f}");
        }
        // Any other first character, followed by the rest of any furniture line (or by
        // nothing), makes no furniture.
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            if patterns::may_be_furniture(c) {
                continue;
            }
            let mut line = String::new();
            for f in FURNITURE {
                let first = f.chars().next().unwrap();
                for rest in [&f[first.len_utf8()..], f, ""] {
                    line.clear();
                    line.push(c);
                    line.push_str(rest);
                    assert_eq!(furniture_form(&line), None, "{line}");
                }
            }
        }
    }

    #[test]
    fn licence_headers_as_ocr_misreads_them_are_furniture_with_a_warning() {
        // The colon read as `;，`, `，` or lost, the province character misread, the dash as a
        // point, the number lost: each a page header, each said with its line.
        let text = "特别规定事项\n一、你公司应当按照\n经营许可证编号;，浙B2-20164231\n特别规定事项\n要求。\n\
                    经营许可证编号 : 守B2-20217202\n经营许可证编号 : 京B2.20224676\n\
                    经营许可证编号 : 沪B2-.20181047\n经营许可证编号，\n二、乙。";
        let n = normalize(text);
        let headers: Vec<usize> = n
            .body()
            .iter()
            .filter(|l| l.kind == LineKind::LicenseHeader)
            .map(|l| l.src)
            .collect();
        assert_eq!(headers, vec![3, 6, 7, 8, 9]);
        let w: Vec<Warning> = n.guesses().collect();
        assert_eq!(
            w.iter().map(|w| (w.kind, w.line)).collect::<Vec<_>>(),
            [3, 6, 7, 8, 9].map(|l| (WarningKind::Recovered, Some(l)))
        );
        assert!(
            w[1].message.contains("`经营许可证编号:守B2-20217202`"),
            "{}",
            w[1].message
        );
    }

    #[test]
    fn stray_characters_between_a_page_header_and_the_heading_are_furniture_with_a_warning() {
        let n = normalize(&format!(
            "特别规定事项\n一、规范用户信息和网络\n经营许可证编号: 京B2-20224676\n\n< 对\n\n特别规定事项\n数据采集。\n准。{HEADER}二、乙。"
        ));
        use LineKind::*;
        assert_eq!(
            body_kinds(&n),
            vec![
                (2, Text),
                (3, LicenseHeader),
                (5, Stray),
                (7, SectionHeading),
                (8, Text),
                (9, Text),
                (10, LicenseHeader),
                (12, SectionHeading),
                (14, Text),
            ]
        );
        let w: Vec<Warning> = n.guesses().collect();
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].kind, w[0].line), (WarningKind::Recovered, Some(5)));
        assert!(
            w[0].message.starts_with("`<对` left out"),
            "{}",
            w[0].message
        );
        // Text before a page header, or after the heading, stays text however short.
        let n = normalize(&format!(
            "特别规定事项\n一、甲\n准。\n特别规定事项\n乙。{HEADER}对。"
        ));
        assert!(n.body().iter().all(|l| l.kind != Stray));
    }

    #[test]
    fn the_licence_label_ending_a_sentence_is_text() {
        // A wrapped `…标明` / `经营许可证编号。` is the end of a provision, not a header.
        let n = normalize("特别规定事项\n二、你公司应当在显著位置标明\n经营许可证编号。");
        assert!(n.body().iter().all(|l| l.kind == LineKind::Text));
        assert_eq!(n.guesses().count(), 0);
    }

    #[test]
    fn page_numbers_as_ocr_misreads_them_are_furniture_with_a_warning() {
        // `第 3 页 共 6 页` with its last `页` lost, or put on the next line as another character.
        let text = format!(
            "特别规定事项\n一、规范用户信息和网络\n第3页共6\n\n滞\n{HEADER}数据采集。\n第4页共6滞\n"
        );
        let n = normalize(&text);
        use LineKind::*;
        assert_eq!(
            body_kinds(&n),
            vec![
                (2, Text),
                (3, PageNumber),
                (5, PageNumber),
                (7, LicenseHeader),
                (9, SectionHeading),
                (11, Text),
                (12, PageNumber),
            ]
        );
        let w: Vec<(WarningKind, Option<usize>)> = n.guesses().map(|w| (w.kind, w.line)).collect();
        assert_eq!(w, [3, 5, 12].map(|l| (WarningKind::Recovered, Some(l))));
        // A page number read whole leaves the next line alone.
        let n = normalize(&format!(
            "特别规定事项\n一、甲\n第3页共6页\n乙\n{HEADER}丙。"
        ));
        assert_eq!(n.body().get(2).unwrap().kind, Text);
    }

    #[test]
    fn swapped_licence_label_is_furniture_in_body() {
        let n = normalize("特别规定事项\n京B2-20224676\n经营许可证编号:\n一、文字。");
        let kinds: Vec<LineKind> = n.body().iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                LineKind::LicenseHeader,
                LineKind::LicenseHeader,
                LineKind::Text
            ]
        );
    }

    #[test]
    fn wrapped_text_starting_like_a_label_is_text() {
        let n = normalize(
            "特别规定事项\n十二、应当提前90日向原\n发证机关提出续办申请。\n公司代表是否变更\n",
        );
        let kinds: Vec<LineKind> = n.body().iter().map(|l| l.kind).collect();
        assert_eq!(kinds[..3], [LineKind::Text, LineKind::Text, LineKind::Text]);
    }

    #[test]
    fn page_numbers_and_signature_dates_in_every_form() {
        for t in [
            "- 2 -",
            "— 2 —",
            "－ 2 －",
            "第 2 页",
            "第2页 共5页",
            "2/5",
            "Page 2 of 5",
            "2",
        ] {
            let n = normalize(&format!("特别规定事项\n{t}"));
            assert_eq!(n.body().first().unwrap().kind, LineKind::PageNumber, "{t}");
        }
        for t in [
            "2022 03 16",
            "2022.03.16",
            "2022-03-16",
            "二〇二二年三月十六日",
            "2018年5月29日",
            "年 月 日",
        ] {
            let n = normalize(&format!("特别规定事项\n{t}"));
            assert_eq!(n.body().first().unwrap().kind, LineKind::Signature, "{t}");
        }
        for t in ["30日内向电信主管部门报告。", "2022年起施行的规定"] {
            let n = normalize(&format!("特别规定事项\n{t}"));
            assert_eq!(n.body().first().unwrap().kind, LineKind::Text, "{t}");
        }
    }

    #[test]
    fn text_after_signature_ends_the_block() {
        let n =
            normalize("特别规定事项\n公司代表:\n张三\n业务安全评估制度,在新技术上线时开展评估。");
        let kinds: Vec<LineKind> = n.body().iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![LineKind::Signature, LineKind::Signature, LineKind::Text]
        );
    }

    /// Kinds of the non-blank body lines, with their source lines.
    fn body_kinds(n: &Normalized) -> Vec<(usize, LineKind)> {
        n.body()
            .iter()
            .filter(|l| l.kind != LineKind::Blank)
            .map(|l| (l.src, l.kind))
            .collect()
    }

    const HEADER: &str = "\n经营许可证编号: 京B2-20224676\n\n特别规定事项\n\n";

    #[test]
    fn a_number_split_by_a_wrap_is_text() {
        let n = normalize("特别规定事项\n九、并在处置后的1\n0\n个工作日内向电信主管部门上报。");
        use LineKind::*;
        assert_eq!(body_kinds(&n), vec![(2, Text), (3, Text), (4, Text)]);
        assert_eq!(n.guesses().count(), 0);
    }

    #[test]
    fn a_number_split_by_a_page_break_is_text() {
        let text =
            format!("特别规定事项\n九、并在处置后的1\n0\n{HEADER}个工作日内向电信主管部门上报。");
        let n = normalize(&text);
        use LineKind::*;
        assert_eq!(
            body_kinds(&n),
            vec![
                (2, Text),
                (3, Text),
                (5, LicenseHeader),
                (7, SectionHeading),
                (9, Text)
            ]
        );
        assert_eq!(n.guesses().count(), 0);
        // At the top of the next page, after the page header, too.
        let text =
            format!("特别规定事项\n九、并在处置后的1\n{HEADER}0\n个工作日内向电信主管部门上报。");
        let n = normalize(&text);
        assert_eq!(n.body().get(6).unwrap().text, "0");
        assert_eq!(n.body().get(6).unwrap().kind, Text);
    }

    #[test]
    fn page_numbers_in_sequence_are_furniture() {
        // Pages 1, 2 and 3 numbered at the foot; the number split by the second page break
        // (`1` / `5`) is text even though a page number stands beside it.
        let text = format!(
            "特别规定事项\n一、甲。\n1\n{HEADER}二、在处置后的1\n5\n2\n{HEADER}个工作日内报告。\n3\n"
        );
        let n = normalize(&text);
        let kinds: Vec<(&str, LineKind)> = n
            .body()
            .iter()
            .filter(|l| l.kind != LineKind::Blank)
            .map(|l| (l.text, l.kind))
            .collect();
        use LineKind::*;
        assert_eq!(
            kinds,
            vec![
                ("一、甲。", Text),
                ("1", PageNumber),
                ("经营许可证编号:京B2-20224676", LicenseHeader),
                ("特别规定事项", SectionHeading),
                ("二、在处置后的1", Text),
                ("5", Text),
                ("2", PageNumber),
                ("经营许可证编号:京B2-20224676", LicenseHeader),
                ("特别规定事项", SectionHeading),
                ("个工作日内报告。", Text),
                ("3", PageNumber),
            ]
        );
        assert_eq!(n.guesses().count(), 0);
    }

    #[test]
    fn a_number_out_of_the_page_sequence_is_text() {
        // 1 and 3 number pages 1 and 3; the 7 at the second page break does not follow them.
        let text =
            format!("特别规定事项\n一、甲。\n1\n{HEADER}二、应当在1\n7\n{HEADER}日内报告。\n3\n");
        let n = normalize(&text);
        let seven = n.body().iter().find(|l| l.text == "7").unwrap();
        assert_eq!(seven.kind, LineKind::Text);
        let numbers: Vec<&str> = n
            .body()
            .iter()
            .filter(|l| l.kind == LineKind::PageNumber)
            .map(|l| l.text)
            .collect();
        assert_eq!(numbers, vec!["1", "3"]);
        assert_eq!(n.guesses().count(), 0);
    }

    #[test]
    fn a_lone_page_number_is_left_out_with_a_warning() {
        let text = format!("特别规定事项\n一、甲。\n1\n{HEADER}二、乙。");
        let n = normalize(&text);
        let one = n.body().iter().find(|l| l.text == "1").unwrap();
        assert_eq!(one.kind, LineKind::PageNumber);
        let w: Vec<Warning> = n.guesses().collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].kind, WarningKind::GuessedFurniture);
        assert_eq!(w[0].line, Some(3));
        assert!(w[0].message.contains("`1`"), "{}", w[0].message);
        // Too high to number the first pages of the special provisions: text.
        let text = format!("特别规定事项\n一、应当提前\n90\n{HEADER}日报告。");
        let n = normalize(&text);
        assert_eq!(n.body().get(1).unwrap().kind, LineKind::Text);
        assert_eq!(n.guesses().count(), 0);
    }

    #[test]
    fn explicit_page_numbers_need_no_sequence() {
        let text = format!("特别规定事项\n一、甲。\n- 7 -\n{HEADER}二、乙。\n第 9 页");
        let n = normalize(&text);
        let numbers = n
            .body()
            .iter()
            .filter(|l| l.kind == LineKind::PageNumber)
            .count();
        assert_eq!(numbers, 2);
        assert_eq!(n.guesses().count(), 0);
    }

    #[test]
    fn a_date_outside_a_signature_block_is_text_inside_a_sentence() {
        let n = normalize("特别规定事项\n一、本规定自\n2020年12月24日\n起施行。");
        assert!(n.body().iter().all(|l| l.kind == LineKind::Text));
        // At a page break, with no signature label before it: left out, with a warning.
        let text = format!("特别规定事项\n一、甲。\n2020年12月24日\n{HEADER}二、乙。");
        let n = normalize(&text);
        assert_eq!(n.body().get(1).unwrap().kind, LineKind::Signature);
        let w: Vec<Warning> = n.guesses().collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(3));
    }

    #[test]
    fn a_name_follows_only_an_empty_signature_label() {
        let n = normalize("特别规定事项\n公司代表: 苏林璐\n2018年5月29日\n管理人员\n");
        let kinds: Vec<LineKind> = n.body().iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(kinds[..3], [Signature, Signature, Text]);
    }

    #[test]
    fn licence_regex_reads_variants() {
        for s in [
            "京B2-20224676",
            "B2-20160073",
            "苏B2—20200928",
            "粤 B 1 - 20190001",
        ] {
            let t = normalize_line(s);
            assert!(
                crate::parse::patterns::find_license(&t).is_some(),
                "{s} -> {t}"
            );
        }
    }
}
