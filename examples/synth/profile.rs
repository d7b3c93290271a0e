//! The noise a certificate carries: every kind with its name in truth.jsonl, the
//! per-certificate profile drawn at realistic rates, and the record of what was applied.

use super::rng::Rng;

/// Every kind of noise the generator applies, in the order truth lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    /// Full-width punctuation (`，：；（）`) throughout the file.
    WidthFull,
    /// Full-width and half-width punctuation mixed line by line.
    WidthMixed,
    /// Full-width digits and Latin letters (`２０２２`, `Ｂ２`) in some lines.
    FullwidthAlnum,
    /// Sub-item labels as parenthesized ideographs (`㈠`).
    ParenIdeograph,
    /// Spaces between CJK characters, around numbers, inside `《 》`.
    CjkSpaces,
    /// A space after punctuation (`(一) 你公司`, `…, 或者`).
    PunctSpaces,
    /// Paragraphs indented with spaces or ideographic spaces.
    Indent,
    /// Lines wrapped inside sentences.
    HardWrap,
    /// Page breaks between paragraphs, with page furniture.
    PageBreak,
    /// A page break inside a sentence.
    PageBreakMid,
    /// Page numbers at page breaks (`第 2 页`, `2`).
    PageNumber,
    /// Page numbers between dashes (`- 2 -`, `— 2 —`).
    PageNumberDashed,
    /// Signature blocks (`司(局)负责人:` …) between pages.
    SignaturePage,
    /// A signature block at the end.
    SignatureEnd,
    /// A signature block dated in the `2022 03 16` form.
    SignatureDateDigits,
    /// The cover page printed twice.
    DuplicateCover,
    /// A licence number printed before its label.
    LabelSwap,
    /// Labels and values on separate lines.
    LabelSplit,
    /// Dates as `2023年 08月 04日`.
    DateYmdSpaced,
    /// Dates as `2020年12月24日`.
    DateYmd,
    /// Dates as `2022 03 16`.
    DateDigits,
    /// Dates as `2018 年 05 月 03 日`.
    DateYmdWide,
    /// Markdown headings (`#`, `##`) and list markers.
    MarkdownHeading,
    /// Markdown bold (`**苏B2-20200928**`, `**一、**`).
    MarkdownBold,
    /// Trailing double spaces.
    TrailingSpaces,
    /// Paragraphs not separated by blank lines.
    NoBlankLines,
    /// CRLF line endings.
    Crlf,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// GB18030.
    Gb18030,
    /// UTF-16LE with a byte-order mark.
    Utf16le,
}

impl Noise {
    /// All kinds, in truth order.
    pub const ALL: [Noise; 30] = [
        Noise::WidthFull,
        Noise::WidthMixed,
        Noise::FullwidthAlnum,
        Noise::ParenIdeograph,
        Noise::CjkSpaces,
        Noise::PunctSpaces,
        Noise::Indent,
        Noise::HardWrap,
        Noise::PageBreak,
        Noise::PageBreakMid,
        Noise::PageNumber,
        Noise::PageNumberDashed,
        Noise::SignaturePage,
        Noise::SignatureEnd,
        Noise::SignatureDateDigits,
        Noise::DuplicateCover,
        Noise::LabelSwap,
        Noise::LabelSplit,
        Noise::DateYmdSpaced,
        Noise::DateYmd,
        Noise::DateDigits,
        Noise::DateYmdWide,
        Noise::MarkdownHeading,
        Noise::MarkdownBold,
        Noise::TrailingSpaces,
        Noise::NoBlankLines,
        Noise::Crlf,
        Noise::Utf8Bom,
        Noise::Gb18030,
        Noise::Utf16le,
    ];

    /// The name used in truth.jsonl.
    pub fn name(self) -> &'static str {
        match self {
            Noise::WidthFull => "width_full",
            Noise::WidthMixed => "width_mixed",
            Noise::FullwidthAlnum => "fullwidth_alnum",
            Noise::ParenIdeograph => "paren_ideograph",
            Noise::CjkSpaces => "cjk_spaces",
            Noise::PunctSpaces => "punct_spaces",
            Noise::Indent => "indent",
            Noise::HardWrap => "hard_wrap",
            Noise::PageBreak => "page_break",
            Noise::PageBreakMid => "page_break_mid",
            Noise::PageNumber => "page_number",
            Noise::PageNumberDashed => "page_number_dashed",
            Noise::SignaturePage => "signature_page",
            Noise::SignatureEnd => "signature_end",
            Noise::SignatureDateDigits => "signature_date_digits",
            Noise::DuplicateCover => "duplicate_cover",
            Noise::LabelSwap => "label_swap",
            Noise::LabelSplit => "label_split",
            Noise::DateYmdSpaced => "date_ymd_spaced",
            Noise::DateYmd => "date_ymd",
            Noise::DateDigits => "date_digits",
            Noise::DateYmdWide => "date_ymd_wide",
            Noise::MarkdownHeading => "markdown_heading",
            Noise::MarkdownBold => "markdown_bold",
            Noise::TrailingSpaces => "trailing_spaces",
            Noise::NoBlankLines => "no_blank_lines",
            Noise::Crlf => "crlf",
            Noise::Utf8Bom => "utf8_bom",
            Noise::Gb18030 => "gb18030",
            Noise::Utf16le => "utf16le",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Noise> {
        Noise::ALL.iter().copied().find(|n| n.name() == name)
    }
}

/// The noise kinds actually applied to one file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Applied(u64);

impl Applied {
    /// Records that `n` was applied.
    pub fn mark(&mut self, n: Noise) {
        self.0 |= 1 << n as u32;
    }

    /// Names of the applied kinds, in [`Noise::ALL`] order.
    pub fn names(self) -> Vec<&'static str> {
        Noise::ALL
            .iter()
            .filter(|&&n| self.0 & (1 << n as u32) != 0)
            .map(|n| n.name())
            .collect()
    }
}

/// Punctuation width of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Half-width (`,:;()`), as the normalizer writes it.
    Half,
    /// Full-width everywhere.
    Full,
    /// Chosen line by line.
    Mixed,
}

/// How dates are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `2023年 08月 04日`.
    YmdSpaced,
    /// `2020年12月24日`.
    Ymd,
    /// `2022 03 16`.
    Digits,
    /// `2018 年 05 月 03 日`.
    YmdWide,
}

impl DateStyle {
    /// The noise kind that records this style.
    pub fn noise(self) -> Noise {
        match self {
            DateStyle::YmdSpaced => Noise::DateYmdSpaced,
            DateStyle::Ymd => Noise::DateYmd,
            DateStyle::Digits => Noise::DateDigits,
            DateStyle::YmdWide => Noise::DateYmdWide,
        }
    }
}

/// Output encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-8 with BOM.
    Utf8Bom,
    /// GB18030.
    Gb18030,
    /// UTF-16LE with BOM.
    Utf16Le,
}

impl Encoding {
    /// The name the library's ingest stage reports for it.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Gb18030 => "GB18030",
            Encoding::Utf16Le => "UTF-16LE",
        }
    }
}

/// The noise of one certificate, drawn once.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Punctuation width.
    pub width: Width,
    /// Full-width digits and letters in some lines.
    pub fullwidth_alnum: bool,
    /// `㈠` labels.
    pub paren_ideograph: bool,
    /// Spaces inside CJK text.
    pub cjk_spaces: bool,
    /// Spaces after punctuation.
    pub punct_spaces: bool,
    /// Indented paragraphs.
    pub indent: bool,
    /// Hard wraps: line width in characters and the share of paragraphs wrapped.
    pub wrap: Option<(usize, f64)>,
    /// The provisions run over several pages.
    pub pages: bool,
    /// Probability that a page break falls inside a paragraph.
    pub mid_break: f64,
    /// Page-number style (0 `第 2 页`, 1 `2`, 2 `- 2 -`, 3 `— 2 —`).
    pub page_numbers: Option<u8>,
    /// Signature blocks between pages.
    pub signature_page: bool,
    /// A signature block at the end.
    pub signature_end: bool,
    /// The cover printed twice.
    pub duplicate_cover: bool,
    /// Licence numbers before their label on page headers.
    pub label_swap: bool,
    /// Cover labels and values on separate lines.
    pub label_split: bool,
    /// Date style of the cover.
    pub date: DateStyle,
    /// Date style of filled signature blocks.
    pub sig_date: DateStyle,
    /// Markdown headings.
    pub markdown: bool,
    /// Bold licence numbers in page headers.
    pub md_bold: bool,
    /// Bold provision labels.
    pub md_bold_labels: bool,
    /// `- ` list markers before sub-items.
    pub md_list: bool,
    /// Trailing double spaces.
    pub trailing_spaces: bool,
    /// Blank lines between paragraphs.
    pub blank_lines: bool,
    /// CRLF line endings.
    pub crlf: bool,
    /// The file ends with a newline.
    pub final_newline: bool,
    /// Output encoding.
    pub encoding: Encoding,
}

impl Profile {
    /// Draws a profile. Rates are per certificate.
    pub fn draw(rng: &mut Rng) -> Profile {
        let width = [Width::Half, Width::Full, Width::Mixed][rng.weighted(&[35, 35, 30])];
        let wrap = rng
            .chance(0.30)
            .then(|| (rng.range(26, 44), if rng.chance(0.5) { 1.0 } else { 0.3 }));
        let pages = rng.chance(0.95);
        let markdown = rng.chance(0.15);
        let date = [
            DateStyle::YmdSpaced,
            DateStyle::Ymd,
            DateStyle::Digits,
            DateStyle::YmdWide,
        ][rng.below(4)];
        let encoding = [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Gb18030,
            Encoding::Utf16Le,
        ][rng.weighted(&[76, 8, 9, 7])];
        Profile {
            width,
            fullwidth_alnum: rng.chance(0.05),
            paren_ideograph: rng.chance(0.03),
            cjk_spaces: rng.chance(0.25),
            punct_spaces: rng.chance(0.20),
            indent: rng.chance(0.08),
            wrap,
            pages,
            mid_break: 0.55,
            page_numbers: rng.chance(0.10).then(|| rng.below(4) as u8),
            signature_page: rng.chance(0.12),
            signature_end: rng.chance(0.15),
            duplicate_cover: rng.chance(0.06),
            label_swap: rng.chance(0.25),
            label_split: rng.chance(0.30),
            date,
            sig_date: date,
            markdown,
            md_bold: markdown,
            md_bold_labels: markdown && rng.chance(0.4),
            md_list: markdown && rng.chance(0.3),
            trailing_spaces: (markdown && rng.chance(0.7)) || rng.chance(0.05),
            blank_lines: !rng.chance(0.10),
            crlf: rng.chance(0.15),
            final_newline: rng.chance(0.5),
            encoding,
        }
    }
}

impl Profile {
    /// The profile with the given kinds turned off. Every choice is drawn before, so what is
    /// left is the same as without the exclusion.
    pub fn without(mut self, kinds: &[Noise]) -> Profile {
        for &k in kinds {
            match k {
                Noise::WidthFull if self.width == Width::Full => self.width = Width::Half,
                Noise::WidthMixed if self.width == Width::Mixed => self.width = Width::Half,
                Noise::FullwidthAlnum => self.fullwidth_alnum = false,
                Noise::ParenIdeograph => self.paren_ideograph = false,
                Noise::CjkSpaces => self.cjk_spaces = false,
                Noise::PunctSpaces => self.punct_spaces = false,
                Noise::Indent => self.indent = false,
                Noise::HardWrap => self.wrap = None,
                Noise::PageBreak => self.pages = false,
                Noise::PageBreakMid => self.mid_break = 0.0,
                Noise::PageNumber => self.page_numbers = None,
                Noise::PageNumberDashed if matches!(self.page_numbers, Some(2 | 3)) => {
                    self.page_numbers = Some(0);
                }
                Noise::SignaturePage => self.signature_page = false,
                Noise::SignatureEnd => self.signature_end = false,
                Noise::SignatureDateDigits if self.sig_date == DateStyle::Digits => {
                    self.sig_date = DateStyle::Ymd;
                }
                Noise::DuplicateCover => self.duplicate_cover = false,
                Noise::LabelSwap => self.label_swap = false,
                Noise::LabelSplit => self.label_split = false,
                Noise::DateYmdSpaced | Noise::DateYmd | Noise::DateDigits | Noise::DateYmdWide
                    if self.date.noise() == k =>
                {
                    let styles = [
                        DateStyle::Ymd,
                        DateStyle::YmdSpaced,
                        DateStyle::YmdWide,
                        DateStyle::Digits,
                    ];
                    if let Some(&d) = styles.iter().find(|d| !kinds.contains(&d.noise())) {
                        self.date = d;
                    }
                }
                Noise::MarkdownHeading => {
                    self.markdown = false;
                    self.md_list = false;
                }
                Noise::MarkdownBold => {
                    self.md_bold = false;
                    self.md_bold_labels = false;
                }
                Noise::TrailingSpaces => self.trailing_spaces = false,
                Noise::NoBlankLines => self.blank_lines = true,
                Noise::Crlf => self.crlf = false,
                Noise::Utf8Bom if self.encoding == Encoding::Utf8Bom => {
                    self.encoding = Encoding::Utf8
                }
                Noise::Gb18030 if self.encoding == Encoding::Gb18030 => {
                    self.encoding = Encoding::Utf8
                }
                Noise::Utf16le if self.encoding == Encoding::Utf16Le => {
                    self.encoding = Encoding::Utf8
                }
                _ => {}
            }
        }
        self
    }
}
