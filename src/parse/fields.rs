//! Header lines to [`Fields`]: licence number and what it encodes, company, dates, business
//! types and appendix data; plus the date and licence-number parsers.

use crate::model::{Date, Fields, Warning, WarningKind};
use crate::parse::normalize::{LineKind, Lines};
use crate::parse::patterns;

/// A licence number taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseNo {
    /// Normalized form, `京B2-20224676`.
    pub text: String,
    /// Province character, if any.
    pub province: Option<char>,
    /// Issuing authority: province name, or `工业和信息化部`.
    pub issuer: String,
    /// `A1`, `A2`, `B1`, `B2`.
    pub category: String,
    /// Number year.
    pub year: u16,
    /// Serial after the year.
    pub serial: String,
}

/// The ministry, which issues cross-regional licences (numbers without a province character).
pub const MINISTRY: &str = "工业和信息化部";

/// Name of the province whose communications administration uses character `c`.
pub fn province_name(c: char) -> Option<&'static str> {
    patterns::PROVINCES
        .iter()
        .find(|(p, _)| *p == c)
        .map(|(_, n)| *n)
}

/// Finds and decodes the first licence number in a normalized text.
pub fn parse_license(s: &str) -> Option<LicenseNo> {
    let m = patterns::find_license(s)?;
    let province = m.province;
    let category = format!("{}{}", char::from(m.class.0), char::from(m.class.1));
    let year: u16 = m.year.parse().ok()?;
    let serial = m.serial.to_string();
    let issuer = match province {
        Some(p) => province_name(p)?.to_string(),
        None => MINISTRY.to_string(),
    };
    let text = format!(
        "{}{}-{}{}",
        province.map(String::from).unwrap_or_default(),
        category,
        year,
        serial
    );
    Some(LicenseNo {
        text,
        province,
        issuer,
        category,
        year,
        serial,
    })
}

/// Parses the first date in a normalized text. Accepts `2023年08月04日`, `2020年12月24日`,
/// `2022 03 16`, `2018年05月03日`, `2023-08-04`, `2023.8.4`, `2023/08/04`, `20230804` and
/// `二〇二三年八月四日`. Returns `None` for impossible dates.
pub fn parse_date(s: &str) -> Option<Date> {
    for c in patterns::dates(s) {
        let y: u16 = c.year.parse().ok()?;
        let (m, d) = (c.month, c.day);
        // `20230804` matches with one-digit groups in odd places; require the compact form to
        // be exactly 8 digits split 4-2-2.
        if c.whole.chars().all(|ch| ch.is_ascii_digit()) && (m.len() != 2 || d.len() != 2) {
            continue;
        }
        if let Some(date) = Date::new(y, m.parse().ok()?, d.parse().ok()?) {
            return Some(date);
        }
    }
    let c = patterns::find_cn_date(s)?;
    let y = c.year.chars().try_fold(0u16, |acc, ch| {
        let d = "〇一二三四五六七八九"
            .chars()
            .position(|x| x == ch)
            .or_else(|| (ch == '零').then_some(0))?;
        Some(acc * 10 + d as u16)
    })?;
    let m = crate::parse::numeral::parse(c.month)?;
    let d = crate::parse::numeral::parse(c.day)?;
    Date::new(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
}

/// Labels of the cover page and appendix, each with the field it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    License,
    Company,
    LegalRep,
    Capital,
    Address,
    Business,
    Coverage,
    Signatory,
    Issued,
    Expires,
    SiteName,
    Domain,
    Server,
    Provider,
    Other,
}

const LABELS: &[(&str, Label)] = &[
    ("经营许可证编号", Label::License),
    ("许可证编号", Label::License),
    ("公司名称", Label::Company),
    ("法定代表人", Label::LegalRep),
    ("注册资本", Label::Capital),
    ("注册住所", Label::Address),
    ("注册地址", Label::Address),
    ("业务种类", Label::Business),
    ("(服务项目)", Label::Business),
    ("及覆盖范围", Label::Business),
    ("业务覆盖范围", Label::Coverage),
    ("签发人", Label::Signatory),
    ("发证日期", Label::Issued),
    ("有效期至", Label::Expires),
    ("网站名称", Label::SiteName),
    ("网站域名", Label::Domain),
    ("服务器放置地", Label::Server),
    ("网站接入服务提供单位", Label::Provider),
    ("发证机关(盖章)", Label::Other),
    ("发证机关", Label::Other),
];

/// Splits `LABEL:value` or `LABEL value` off a line.
fn split_label(t: &str) -> Option<(Label, &str)> {
    LABELS.iter().find_map(|&(name, label)| {
        let rest = t.strip_prefix(name)?;
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        Some((label, rest.trim()))
    })
}

/// Business types of the catalogue of telecom services (电信业务分类目录), longest first so
/// that a longer name wins over a name it contains.
pub const BUSINESS_TYPES: &[&str] = &[
    "在线数据处理与交易处理业务",
    "国内互联网虚拟专用网业务",
    "国内多方通信服务业务",
    "互联网数据中心业务",
    "互联网接入服务业务",
    "内容分发网络业务",
    "国内呼叫中心业务",
    "编码和规程转换业务",
    "离岸呼叫中心业务",
    "存储转发类业务",
    "信息服务业务",
];

/// Searchers for [`BUSINESS_TYPES`], built once.
static BUSINESS_FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    std::sync::LazyLock::new(|| {
        BUSINESS_TYPES
            .iter()
            .map(memchr::memmem::Finder::new)
            .collect()
    });

/// Searchers for the words that open the business-type area, built once.
static BUSINESS_AREA: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 3]> =
    std::sync::LazyLock::new(|| {
        ["业务种类", "获准经营", "及覆盖范围"].map(memchr::memmem::Finder::new)
    });

/// The searcher for `跨地区` (cross-regional), looked for in every header line.
static CROSS_REGIONAL: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("跨地区"));

/// The index in [`BUSINESS_TYPES`] of the business type `text` names (`信息服务业务(仅限互联网
/// 信息服务)` as a header lists it, `信息服务业务` as a provision block names it): the one named
/// first, the longest where two start at the same place.
pub fn business_type(text: &str) -> Option<usize> {
    let finders = &*BUSINESS_FINDERS;
    (0..BUSINESS_TYPES.len())
        .filter_map(|i| finders[i].find(text.as_bytes()).map(|p| (p, i)))
        .min_by_key(|&(p, i)| (p, std::cmp::Reverse(BUSINESS_TYPES[i].len())))
        .map(|(_, i)| i)
}

/// Business types named in the cover's 业务种类 area and the appendix's 获准经营 list, each with
/// the parenthesised qualifier that follows it (`信息服务业务(仅限互联网信息服务)`). Works on
/// paragraphs (adjacent lines joined) so that a name or qualifier split by a wrap is whole.
pub fn business_types(header: Lines<'_>) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for l in header.iter() {
        if l.kind == LineKind::Blank {
            open = false;
        } else if open {
            if let Some(p) = paragraphs.last_mut() {
                crate::parse::segment::join_into(p, l.text);
            }
        } else {
            paragraphs.push(l.text.to_string());
            open = true;
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut active = false;
    for para in &paragraphs {
        if BUSINESS_AREA
            .iter()
            .any(|k| k.find(para.as_bytes()).is_some())
        {
            active = true;
        } else if let Some((label, _)) = split_label(para) {
            active = label == Label::Business;
        }
        if !active {
            continue;
        }
        // The next occurrence of each business type after the last one taken, searched again
        // only once passed: linear in the paragraph, however often names repeat.
        let finders = &*BUSINESS_FINDERS;
        let find =
            |from: usize, i: usize| finders[i].find(&para.as_bytes()[from..]).map(|q| from + q);
        let mut next: Vec<Option<usize>> = (0..BUSINESS_TYPES.len()).map(|i| find(0, i)).collect();
        while let Some((pos, name)) = next
            .iter()
            .zip(BUSINESS_TYPES)
            .filter_map(|(p, n)| p.map(|p| (p, *n)))
            .min_by_key(|&(p, n)| (p, std::cmp::Reverse(n.len())))
        {
            let after = &para[pos + name.len()..];
            // A qualifier is a parenthesis closed within 60 bytes.
            let close = after.bytes().take(60).position(|b| b == b')');
            let qualifier = match close {
                Some(e) if after.starts_with('(') => &after[..=e],
                _ => "",
            };
            let b = format!("{name}{qualifier}");
            if !out.contains(&b) {
                out.push(b);
            }
            let at = pos + name.len() + qualifier.len();
            for (i, p) in next.iter_mut().enumerate() {
                if p.is_some_and(|p| p < at) {
                    *p = find(at, i);
                }
            }
        }
    }
    out
}

/// Endings of an organisation's name; a value without one may continue on the next line.
const ORG_SUFFIXES: &[&str] = &[
    "公司",
    "集团",
    "中心",
    "研究院",
    "研究所",
    "合作社",
    "厂",
    "商行",
    "协会",
];

/// Rejoins a value that a wrap split over two adjacent lines: a company name that does not
/// yet end like one (`好美信息技术(北京)有限` / `公司`), or another free-text value followed
/// by a short line that is no label.
fn continue_value(label: Label, value: &str, next: Option<&str>) -> String {
    let Some(n) = next.filter(|n| split_label(n).is_none() && !n.contains(':')) else {
        return value.to_string();
    };
    let ends = |v: &str| ORG_SUFFIXES.iter().any(|s| v.ends_with(s));
    let joined = format!("{value}{n}");
    match label {
        Label::Company if !ends(value) && n.chars().count() <= 12 && ends(&joined) => joined,
        Label::Address | Label::Server | Label::Provider | Label::SiteName | Label::Capital
            if n.chars().count() <= 20 && parse_license(n).is_none() =>
        {
            joined
        }
        _ => value.to_string(),
    }
}

/// Extracts header fields from the cover and appendix lines. Labels and values may be on one
/// line, on separate lines, or swapped (value first); typed values (licence number, dates) are
/// recognised by their form wherever their label is ambiguous.
pub fn extract(header: Lines<'_>, warnings: &mut Vec<Warning>) -> Fields {
    let mut f = extract_values(header);
    f.business = business_types(header);
    check(&f, header, warnings);
    f
}

/// [`extract`] without the business types and without the checks that give warnings: the
/// labelled values, the licence number and what it encodes, and whether the licence is
/// cross-regional.
pub fn extract_values(header: Lines<'_>) -> Fields {
    let mut f = Fields::default();
    // A label waiting for its value on a later line.
    let mut pending: Option<Label> = None;
    for (i, line) in header.iter().enumerate() {
        if line.kind == LineKind::Blank {
            continue;
        }
        // The line right below, when it is not blank (a wrap).
        let next = header
            .get(i + 1)
            .filter(|n| n.kind != LineKind::Blank)
            .map(|n| n.text);
        let t = line.text;
        if CROSS_REGIONAL.find(t.as_bytes()).is_some() {
            f.cross_regional = true;
        }
        if f.license_no.is_none()
            && let Some(lic) = parse_license(t)
        {
            f.license_no = Some(lic.text);
            f.issuer = Some(lic.issuer);
            f.category = Some(lic.category);
            f.number_year = Some(lic.year);
            f.serial = Some(lic.serial);
        }
        let (label, value) = match split_label(t) {
            Some((label, value)) => {
                pending = None;
                (Some(label), value)
            }
            None => (pending.take(), t),
        };
        let Some(label) = label else { continue };
        if value.is_empty() {
            if label != Label::Business {
                pending = Some(label);
            }
            continue;
        }
        let slot = match label {
            Label::Company => &mut f.company,
            Label::LegalRep => &mut f.legal_rep,
            Label::Capital => &mut f.registered_capital,
            Label::Address => &mut f.address,
            Label::Coverage => &mut f.coverage,
            Label::Signatory => &mut f.signatory,
            Label::SiteName => &mut f.website.name,
            Label::Domain => &mut f.website.domain,
            Label::Server => &mut f.website.server_location,
            Label::Provider => &mut f.website.access_provider,
            Label::Issued | Label::Expires => {
                let date = parse_date(value);
                let slot = if label == Label::Issued {
                    &mut f.issued
                } else {
                    &mut f.expires
                };
                match date {
                    Some(d) if slot.is_none() => *slot = Some(d),
                    Some(_) => {}
                    // Not a date yet: keep waiting for one on the next lines.
                    None => pending = Some(label),
                }
                continue;
            }
            Label::License | Label::Business | Label::Other => continue,
        };
        if slot.is_none() && split_label(value).is_none() {
            *slot = Some(continue_value(label, value, next));
        }
    }
    if f.cross_regional || f.issuer.as_deref() == Some(MINISTRY) {
        f.cross_regional = true;
    }
    f
}

fn check(f: &Fields, header: Lines<'_>, warnings: &mut Vec<Warning>) {
    let first_line = header.first().map(|l| l.src);
    for (value, name) in [
        (f.license_no.is_some(), "licence number (经营许可证编号)"),
        (f.company.is_some(), "company (公司名称)"),
        (f.issued.is_some(), "issue date (发证日期)"),
        (f.expires.is_some(), "expiry date (有效期至)"),
    ] {
        if !value {
            warnings.push(Warning {
                kind: WarningKind::MissingField,
                line: first_line,
                message: format!("no {name} found on the cover page"),
            });
        }
    }
    if let (Some(i), Some(e)) = (f.issued, f.expires)
        && e <= i
    {
        warnings.push(Warning {
            kind: WarningKind::ExpiryBeforeIssue,
            line: header
                .iter()
                .find(|l| l.text.starts_with("有效期至"))
                .map(|l| l.src),
            message: format!("expiry date {e} is not after issue date {i}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::normalize::normalize;

    fn fields(text: &str) -> (Fields, Vec<Warning>) {
        let n = normalize(text);
        let mut w = Vec::new();
        (extract(n.header(), &mut w), w)
    }

    #[test]
    fn licence_numbers() {
        let l = parse_license("经营许可证编号:京B2-20224676").unwrap();
        assert_eq!(l.text, "京B2-20224676");
        assert_eq!(l.issuer, "北京");
        assert_eq!(l.category, "B2");
        assert_eq!(l.year, 2022);
        assert_eq!(l.serial, "4676");
        let m = parse_license("B2-20160073").unwrap();
        assert_eq!(m.issuer, MINISTRY);
        assert_eq!(m.province, None);
        let s = parse_license("苏B2—20200928").unwrap();
        assert_eq!(s.text, "苏B2-20200928");
        assert_eq!(parse_license("粤A1-20190001").unwrap().category, "A1");
        assert!(parse_license("C2-20190001").is_none());
        assert!(parse_license("B2-2019").is_none());
    }

    #[test]
    fn date_formats() {
        let d = |s: &str| parse_date(s).map(|d| d.to_string());
        assert_eq!(d("2023年08月04日").as_deref(), Some("2023-08-04"));
        assert_eq!(d("2023年 08月 04日").as_deref(), Some("2023-08-04"));
        assert_eq!(d("2027年 1月 29日").as_deref(), Some("2027-01-29"));
        assert_eq!(d("2020年12月24日").as_deref(), Some("2020-12-24"));
        assert_eq!(d("2022 03 16").as_deref(), Some("2022-03-16"));
        assert_eq!(d("2018 年 05 月 03 日").as_deref(), Some("2018-05-03"));
        assert_eq!(d("2023-08-04").as_deref(), Some("2023-08-04"));
        assert_eq!(d("2023.8.4").as_deref(), Some("2023-08-04"));
        assert_eq!(d("2023/08/04").as_deref(), Some("2023-08-04"));
        assert_eq!(d("20230804").as_deref(), Some("2023-08-04"));
        assert_eq!(d("二〇二三年八月四日").as_deref(), Some("2023-08-04"));
        assert_eq!(d("二〇二〇年十二月二十四日").as_deref(), Some("2020-12-24"));
        assert_eq!(d("2023年02月30日"), None);
        assert_eq!(d("年 月 日"), None);
        assert_eq!(d("没有日期"), None);
    }

    #[test]
    fn label_then_value_on_later_line() {
        let (f, w) = fields(
            "经营许可证编号: 苏B2-20201765\n公司名称: 南通佰易网络科技有限公司\n发证日期:\n\n2020年12月24日\n\n有效期至:\n\n2025年12月24日\n特别规定事项\n",
        );
        assert_eq!(f.company.as_deref(), Some("南通佰易网络科技有限公司"));
        assert_eq!(f.issued.unwrap().to_string(), "2020-12-24");
        assert_eq!(f.expires.unwrap().to_string(), "2025-12-24");
        assert_eq!(f.issuer.as_deref(), Some("江苏"));
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn swapped_label_and_value() {
        let (f, _) = fields("京B2-20224676\n\n经营许可证编号:\n\n公司名称:甲公司\n特别规定事项\n");
        assert_eq!(f.license_no.as_deref(), Some("京B2-20224676"));
        assert_eq!(f.company.as_deref(), Some("甲公司"));
    }

    #[test]
    fn business_type_of_a_header_entry_or_a_block_subject() {
        let name = |t: &str| business_type(t).map(|i| BUSINESS_TYPES[i]);
        assert_eq!(
            name("信息服务业务(仅限互联网信息服务)"),
            Some("信息服务业务")
        );
        assert_eq!(
            name("在线数据处理与交易处理业务"),
            Some("在线数据处理与交易处理业务")
        );
        assert_eq!(name("离岸呼叫中心业务"), Some("离岸呼叫中心业务"));
        assert_eq!(name("国内呼叫中心业务"), Some("国内呼叫中心业务"));
        assert_eq!(name("卫星转发器出租"), None);
    }

    #[test]
    fn business_types_from_cover_and_appendix() {
        let (f, _) = fields(
            "业务种类:第二类增值电信业务中的信息服务业务\n(不含互联网信息服务)\n\n业务覆盖范围:全国\n(服务项目)\n特别规定事项\n",
        );
        assert_eq!(f.business, vec!["信息服务业务(不含互联网信息服务)"]);
        assert_eq!(f.coverage.as_deref(), Some("全国"));
        let (f, _) = fields(
            "业务种类 见附页\n(服务项目)\n及覆盖范围:\n发证机关(盖章):\n常州公司获准经营的业务种类、服务项目\n和业务覆盖范围:\n在线数据处理与交易处理业务(仅限经营类电子商务)\n不含网络借贷信息中介类的互联网金融业务。\n信息服务业务(仅限互联网信息服务)\n特别规定事项\n",
        );
        assert_eq!(
            f.business,
            vec![
                "在线数据处理与交易处理业务(仅限经营类电子商务)",
                "信息服务业务(仅限互联网信息服务)"
            ]
        );
    }

    #[test]
    fn wrapped_values_are_rejoined() {
        let (f, _) = fields(
            "公司名称:好美信息技术(北京)有限\n公司\n\n业务种类\n及覆盖范围:信息服务业务(仅限互联网信\n息服务)\n特别规定事项\n",
        );
        assert_eq!(f.company.as_deref(), Some("好美信息技术(北京)有限公司"));
        assert_eq!(f.business, vec!["信息服务业务(仅限互联网信息服务)"]);
        let (f, _) = fields("公司名称:甲公司\n法定代表人:张三\n特别规定事项\n");
        assert_eq!(f.company.as_deref(), Some("甲公司"));
        let (f, _) = fields(
            "业务种类:第二类增值电信业务中的信息服\n务业务\n(不含互联网信息服务)\n\n注册住所:北京市昌平区科技园区超前路5号4幢516\n室\n特别规定事项\n",
        );
        assert_eq!(f.business, vec!["信息服务业务(不含互联网信息服务)"]);
        assert_eq!(
            f.address.as_deref(),
            Some("北京市昌平区科技园区超前路5号4幢516室")
        );
    }

    #[test]
    fn expiry_before_issue_warns() {
        let (_, w) = fields(
            "经营许可证编号:京B2-20224676\n公司名称:甲\n发证日期:2023年08月04日\n有效期至:2021年01月01日\n特别规定事项\n",
        );
        assert!(w.iter().any(|w| w.kind == WarningKind::ExpiryBeforeIssue));
    }

    #[test]
    fn missing_fields_warn() {
        let (_, w) = fields("公司名称:甲\n特别规定事项\n");
        assert_eq!(
            w.iter()
                .filter(|w| w.kind == WarningKind::MissingField)
                .count(),
            3
        );
    }
}
