//! Plain shared data: a parsed [`Certificate`] with its [`Fields`] and [`Provision`]s.
//!
//! Every later stage (align, diff, drift, report) reads these types and nothing else from the
//! parsing stages.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date as printed on a certificate, rendered as ISO `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Four-digit year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31 (checked against the month).
    pub day: u8,
}

impl Date {
    /// A date, if `year`/`month`/`day` form a real calendar day.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let max = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= max).then_some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    /// Reads an ISO `YYYY-MM-DD` date as [`Date`]'s `Display` writes it.
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("invalid date {s:?}, expected YYYY-MM-DD");
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) else {
            return Err(bad());
        };
        Date::new(y, m, d).ok_or_else(bad)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// The identity of a provision inside one certificate: `十五` or `十五(六)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProvisionId {
    /// Number of the top-level provision (`十五、` → 15).
    pub top: u32,
    /// Number of the sub-item (`(六)` → 6), if this is a sub-item.
    pub sub: Option<u32>,
}

impl ProvisionId {
    /// A top-level provision.
    pub fn top(n: u32) -> Self {
        ProvisionId { top: n, sub: None }
    }
    /// A sub-item of top-level provision `top`.
    pub fn sub(top: u32, sub: u32) -> Self {
        ProvisionId {
            top,
            sub: Some(sub),
        }
    }
}

impl fmt::Display for ProvisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::parse::numeral::to_chinese(self.top))?;
        if let Some(s) = self.sub {
            write!(f, "({})", crate::parse::numeral::to_chinese(s))?;
        }
        Ok(())
    }
}

impl Serialize for ProvisionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Reads one numeral as [`crate::parse::numeral::to_chinese`] writes it: a label numeral, `〇`, or
/// ASCII digits for numbers from 100 up.
fn numeral_from_str(s: &str) -> Option<u32> {
    match s {
        "〇" => Some(0),
        _ if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok().filter(|&n| n >= 100)
        }
        _ => crate::parse::numeral::parse(s),
    }
}

impl std::str::FromStr for ProvisionId {
    type Err = String;

    /// Reads an id as `Display` writes it: `十五` or `十五(六)`.
    fn from_str(s: &str) -> Result<ProvisionId, String> {
        let bad = || format!("invalid provision id {s:?}, expected e.g. 十五 or 十五(六)");
        let (top, sub) = match s.split_once('(') {
            Some((top, rest)) => {
                let sub = rest.strip_suffix(')').ok_or_else(bad)?;
                (top, Some(numeral_from_str(sub).ok_or_else(bad)?))
            }
            None => (s, None),
        };
        let top = numeral_from_str(top).ok_or_else(bad)?;
        Ok(ProvisionId { top, sub })
    }
}

impl<'de> Deserialize<'de> for ProvisionId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ProvisionId, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// One numbered provision (`一、`…) or sub-item (`(一)`…) of the special provisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    /// `十五` or `十五(六)`.
    pub id: ProvisionId,
    /// 1-based line of the source file where the provision's label stands.
    pub line: usize,
    /// 1-based line of the source file where its text ends.
    pub end_line: usize,
    /// The label as printed, normalized (`十五、`, `(六)`).
    pub label: String,
    /// Normalized text without the label.
    pub text: String,
    /// Sub-items, in order (top-level provisions only).
    pub children: Vec<Provision>,
    /// Character indices (by `chars()`) into `text` of characters the OCR engine read with a
    /// confidence below [`UNCERTAIN_BELOW`]: empty for text and text-layer input, and for OCR
    /// text whose characters could not be traced back to the engine's words. Not serialized
    /// when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncertain: Vec<u32>,
}

/// Confidence (0–100, as the OCR engine reports it per word) below which a character counts
/// as uncertain ([`Provision::uncertain`]). On 60 pages of scanned certificates read by
/// tesseract 5.3 chi_sim, 6.1 % of the characters fell below 80, and they held 55 % of the
/// misread ones (12.2 % of them misread, against 0.5 % of those at 90 or more;
/// `scripts/ocr-fixtures/confidence.py`).
pub const UNCERTAIN_BELOW: f32 = 80.0;

/// Website data from the appendix of an internet-information-service licence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Website {
    /// 网站名称.
    pub name: Option<String>,
    /// 网站域名.
    pub domain: Option<String>,
    /// 服务器放置地.
    pub server_location: Option<String>,
    /// 网站接入服务提供单位.
    pub access_provider: Option<String>,
}

impl Website {
    /// True when no field was found.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.domain.is_none()
            && self.server_location.is_none()
            && self.access_provider.is_none()
    }
}

/// Header fields of a certificate: what the cover page and appendix say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields {
    /// Licence number as printed, normalized (`京B2-20224676`).
    pub license_no: Option<String>,
    /// Issuing authority decoded from the licence number: a province (`北京`) or
    /// `工业和信息化部` when the number has no province character.
    pub issuer: Option<String>,
    /// Category from the licence number (`B2`).
    pub category: Option<String>,
    /// Year encoded in the licence number (not always the issue year).
    pub number_year: Option<u16>,
    /// Serial part of the licence number (`4676`).
    pub serial: Option<String>,
    /// True when the grant sentence or the issuer says the licence is cross-regional (跨地区).
    pub cross_regional: bool,
    /// 公司名称.
    pub company: Option<String>,
    /// 法定代表人.
    pub legal_rep: Option<String>,
    /// 注册资本.
    pub registered_capital: Option<String>,
    /// 注册住所.
    pub address: Option<String>,
    /// Business types (业务种类), each with its qualifier, in order of first appearance.
    pub business: Vec<String>,
    /// 业务覆盖范围, when printed on its own.
    pub coverage: Option<String>,
    /// 签发人.
    pub signatory: Option<String>,
    /// 发证日期.
    pub issued: Option<Date>,
    /// 有效期至.
    pub expires: Option<Date>,
    /// Appendix website data.
    #[serde(default, skip_serializing_if = "Website::is_empty")]
    pub website: Website,
}

impl Fields {
    /// The year used to group certificates: the issue year, else the number year.
    pub fn year(&self) -> Option<u16> {
        self.issued.map(|d| d.year).or(self.number_year)
    }
}

/// What kind of integrity problem a [`Warning`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Some bytes were not valid in the detected encoding and were replaced.
    InvalidBytes,
    /// A page-header licence number differs from the cover's.
    LicenseMismatch,
    /// The company named in the preamble differs from 公司名称.
    CompanyMismatch,
    /// The expiry date is not after the issue date.
    ExpiryBeforeIssue,
    /// A number is missing from the sequence (e.g. 三 follows 一).
    NumberingGap,
    /// A number appears twice.
    DuplicateNumber,
    /// A number is lower than the one before it.
    OutOfOrder,
    /// The last provision stops mid-sentence.
    Truncated,
    /// No special-provisions section was found.
    NoProvisions,
    /// A header field could not be found or read.
    MissingField,
    /// A line of the special provisions was left out as page furniture by its position alone
    /// (a page number no other page number confirms, a date at a page break outside any
    /// signature block): if it is certificate text, the provision around it lacks it.
    GuessedFurniture,
    /// A provision label or page furniture that OCR mangled, read for what it is from its shape,
    /// the numbering around it or the text after it (`《一)` as sub-item (一), a lone `、`
    /// between 三 and 五 as provision 四): the message says what was read and what it was
    /// taken for.
    Recovered,
}

/// An integrity problem found while parsing; never stops the parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// What kind of problem.
    pub kind: WarningKind,
    /// 1-based source line, when the problem has one.
    pub line: Option<usize>,
    /// A sentence for people.
    pub message: String,
}

/// How a certificate's text was obtained.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A text file (OCR output or a transcription) read as it is.
    #[default]
    Text,
    /// A PDF read entirely from its text layer, without OCR.
    PdfText,
    /// A scan (an image, or a PDF page without a usable text layer) read by an OCR engine.
    Ocr,
}

impl InputKind {
    /// The name as serialized: `text`, `pdf_text`, `ocr`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Text => "text",
            InputKind::PdfText => "pdf_text",
            InputKind::Ocr => "ocr",
        }
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the OCR engine reported about a certificate it read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrInfo {
    /// The engine, its version and settings (`tesseract 5.3.0 chi_sim psm 4`).
    pub engine: String,
    /// Number of pages read by OCR (a PDF's text-layer pages are not counted).
    pub pages: u32,
    /// Mean word confidence over those pages, 0–100.
    pub mean_confidence: f32,
}

/// A parsed certificate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Certificate {
    /// Where it was read from (`-` for standard input).
    pub path: String,
    /// The encoding the bytes were decoded with (`UTF-8`, `GB18030`, `UTF-16LE` …).
    pub encoding: String,
    /// Whether the text was read from a text file, a PDF's text layer or by OCR.
    pub input: InputKind,
    /// The OCR engine's report, for OCR input only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrInfo>,
    /// Header fields.
    pub fields: Fields,
    /// The preamble of the special provisions (《特别规定事项》是…), normalized.
    pub preamble: String,
    /// Top-level provisions in order, each with its sub-items.
    pub provisions: Vec<Provision>,
    /// Integrity warnings.
    pub warnings: Vec<Warning>,
}

impl Certificate {
    /// Every provision in document order, top-level ones followed by their sub-items.
    pub fn flat(&self) -> impl Iterator<Item = &Provision> {
        self.provisions
            .iter()
            .flat_map(|p| std::iter::once(p).chain(p.children.iter()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_as_written() {
        for top in [1, 9, 10, 15, 16, 40, 99, 100, 123] {
            for sub in [None, Some(1), Some(6), Some(14)] {
                let id = ProvisionId { top, sub };
                assert_eq!(id.to_string().parse::<ProvisionId>(), Ok(id));
            }
        }
        assert_eq!("十五(六)".parse(), Ok(ProvisionId::sub(15, 6)));
        for bad in [
            "",
            "十五(",
            "十五()",
            "(六)",
            "十五(六",
            "一十",
            "15",
            "十五(六)x",
            "第一",
        ] {
            assert!(bad.parse::<ProvisionId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_read_back_as_written() {
        let d = Date::new(2024, 2, 29).unwrap();
        assert_eq!(d.to_string().parse::<Date>(), Ok(d));
        for bad in [
            "",
            "2023-02-29",
            "2023-2-01",
            "2023-02-01-01",
            "20230201",
            "abcd-ef-gh",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d);
        assert!(serde_json::from_str::<Date>("\"2023-13-01\"").is_err());
        let id: ProvisionId = serde_json::from_str("\"十六(十四)\"").unwrap();
        assert_eq!(id, ProvisionId::sub(16, 14));
    }

    #[test]
    fn input_kind_and_ocr_fields_serialize_only_when_they_say_something() {
        let prov = Provision {
            id: ProvisionId::top(1),
            line: 3,
            end_line: 3,
            label: "一、".into(),
            text: "你公司应当遵守规定。".into(),
            children: Vec::new(),
            uncertain: Vec::new(),
        };
        let json = serde_json::to_value(&prov).unwrap();
        assert!(json.get("uncertain").is_none(), "{json}");
        let back: Provision = serde_json::from_value(json).unwrap();
        assert_eq!(back, prov);
        let shaky = Provision {
            uncertain: vec![2, 3],
            ..prov
        };
        let json = serde_json::to_value(&shaky).unwrap();
        assert_eq!(json["uncertain"], serde_json::json!([2, 3]));
        assert_eq!(serde_json::from_value::<Provision>(json).unwrap(), shaky);

        let text = serde_json::to_value(Certificate::default()).unwrap();
        assert_eq!(text["input"], "text");
        assert!(text.get("ocr").is_none(), "{text}");
        let scanned = Certificate {
            input: InputKind::Ocr,
            ocr: Some(OcrInfo {
                engine: "tesseract 5.3.0".into(),
                pages: 3,
                mean_confidence: 91.5,
            }),
            ..Certificate::default()
        };
        let json = serde_json::to_value(&scanned).unwrap();
        assert_eq!(json["input"], "ocr");
        assert_eq!(
            json["ocr"],
            serde_json::json!({"engine": "tesseract 5.3.0", "pages": 3, "mean_confidence": 91.5})
        );
        for kind in [InputKind::Text, InputKind::PdfText, InputKind::Ocr] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
