//! The fixed patterns of a certificate's text, recognized by hand: licence numbers, dates,
//! page numbers and signature lines.
//!
//! Each function matches exactly what the regular expression in its documentation matches
//! (leftmost-first, greedy), and the tests hold every one of them to that expression. They are
//! written out because compiling the seven expressions took 1.6 ms, more than parsing a whole
//! certificate and a third of a `compare`; and the line classifiers run on every line of every
//! certificate in a corpus.

/// The provinces, stated once: the table of each province's character in licence numbers
/// (the communications administration that issued it) and its name, and the recognizer of
/// those characters, are both made from this list.
macro_rules! provinces {
    ($($c:literal => $name:literal,)*) => {
        /// Each province character of licence numbers and the name of its province.
        pub(crate) const PROVINCES: &[(char, &str)] = &[$(($c, $name)),*];

        /// A province character. A match rather than a search of [`PROVINCES`]: this runs on
        /// every line of a corpus.
        fn province(c: char) -> bool {
            matches!(c, $($c)|*)
        }
    };
}

provinces! {
    '京' => "北京",
    '津' => "天津",
    '冀' => "河北",
    '晋' => "山西",
    '蒙' => "内蒙古",
    '辽' => "辽宁",
    '吉' => "吉林",
    '黑' => "黑龙江",
    '沪' => "上海",
    '苏' => "江苏",
    '浙' => "浙江",
    '皖' => "安徽",
    '闽' => "福建",
    '赣' => "江西",
    '鲁' => "山东",
    '豫' => "河南",
    '鄂' => "湖北",
    '湘' => "湖南",
    '粤' => "广东",
    '桂' => "广西",
    '琼' => "海南",
    '渝' => "重庆",
    '川' => "四川",
    '贵' => "贵州",
    '云' => "云南",
    '藏' => "西藏",
    '陕' => "陕西",
    '甘' => "甘肃",
    '青' => "青海",
    '宁' => "宁夏",
    '新' => "新疆",
}

/// A Chinese digit of a written-out year (`二〇二三`).
fn cn_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
    )
}

/// A Chinese numeral of a written-out month or day (`十二`).
fn cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// A licence number found in a text: `京B2-20224676`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenseMatch<'a> {
    /// The province character, when there is one.
    pub province: Option<char>,
    /// `A1`, `A2`, `B1` or `B2` as two bytes of the text (`B`, `2`).
    pub class: (u8, u8),
    /// The four-digit year.
    pub year: &'a str,
    /// The serial after the year (four digits or more).
    pub serial: &'a str,
}

/// A numeric date found in a text, its parts as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMatch<'a> {
    /// The whole match.
    pub whole: &'a str,
    /// Four-digit year.
    pub year: &'a str,
    /// One or two digits.
    pub month: &'a str,
    /// One or two digits.
    pub day: &'a str,
}

/// A date written in Chinese numerals: `二〇二三年八月四日`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CnDateMatch<'a> {
    /// Four characters of `〇零一二三四五六七八九`.
    pub year: &'a str,
    /// One to three characters of `一二三四五六七八九十`.
    pub month: &'a str,
    /// One to three characters of `一二三四五六七八九十`.
    pub day: &'a str,
}

/// The character at byte `i` of `s`, if it satisfies `f`: the index after it.
fn one(s: &str, i: usize, f: impl Fn(char) -> bool) -> Option<usize> {
    let c = s.get(i..)?.chars().next()?;
    f(c).then_some(i + c.len_utf8())
}

/// Like [`one`], and `i` unchanged when the character does not satisfy `f` (an optional `?`).
fn opt(s: &str, i: usize, f: impl Fn(char) -> bool) -> usize {
    one(s, i, f).unwrap_or(i)
}

/// `s[i..]` starts with `lit`: the index after it.
fn lit(s: &str, i: usize, lit: &str) -> Option<usize> {
    s.get(i..)?.starts_with(lit).then_some(i + lit.len())
}

/// As many characters satisfying `f` as there are, at most `max`: the index after them, or
/// `None` when there are fewer than `min`.
fn run(s: &str, i: usize, min: usize, max: usize, f: impl Fn(char) -> bool) -> Option<usize> {
    let mut j = i;
    let mut n = 0;
    while n < max
        && let Some(k) = one(s, j, &f)
    {
        j = k;
        n += 1;
    }
    (n >= min).then_some(j)
}

fn digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// `(?-u:\s)`: ASCII whitespace, vertical tab included.
fn space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Start indices of every character of `s`, in order.
fn starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.char_indices().map(|(i, _)| i)
}

/// The first licence number in `s`, as
/// `([京津…新]?)([AB])\s?([12])\s?[-—–‐]\s?((?:19|20)[0-9]{2})([0-9]{4,})`.
pub fn find_license(s: &str) -> Option<LicenseMatch<'_>> {
    starts(s).find_map(|i| {
        // With the province character when there is one; else from `A`/`B` on.
        let with = one(s, i, province).and_then(|j| license_rest(s, j));
        with.map(|m| LicenseMatch {
            province: s[i..].chars().next(),
            ..m
        })
        .or_else(|| license_rest(s, i))
    })
}

fn license_rest(s: &str, i: usize) -> Option<LicenseMatch<'_>> {
    let b = s.as_bytes();
    let j = one(s, i, |c| c == 'A' || c == 'B')?;
    let j = opt(s, j, space);
    let k = one(s, j, |c| c == '1' || c == '2')?;
    let class = (b[i], b[j]);
    let k = opt(s, k, space);
    let k = one(s, k, |c| matches!(c, '-' | '—' | '–' | '‐'))?;
    let y = opt(s, k, space);
    let century = lit(s, y, "19").or_else(|| lit(s, y, "20"))?;
    let serial = run(s, century, 2, 2, digit)?;
    let end = run(s, serial, 4, usize::MAX, digit)?;
    Some(LicenseMatch {
        province: None,
        class,
        year: &s[y..serial],
        serial: &s[serial..end],
    })
}

/// Every numeric date in `s`, left to right and not overlapping, as
/// `((?:19|20|21)[0-9]{2})\s?(?:年|[-./])?\s?([0-9]{1,2})\s?(?:月|[-./])?\s?([0-9]{1,2})(?:日|号)?`.
pub fn dates(s: &str) -> impl Iterator<Item = DateMatch<'_>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let (m, end) = starts(&s[from..])
            .map(|i| i + from)
            .find_map(|i| date_at(s, i))?;
        from = end;
        Some(m)
    })
}

fn date_at(s: &str, i: usize) -> Option<(DateMatch<'_>, usize)> {
    let sep = |c: char| matches!(c, '-' | '.' | '/');
    let century = lit(s, i, "19")
        .or_else(|| lit(s, i, "20"))
        .or_else(|| lit(s, i, "21"))?;
    let year_end = run(s, century, 2, 2, digit)?;
    let j = opt(s, year_end, space);
    let j = opt(s, j, |c| c == '年' || sep(c));
    let month = opt(s, j, space);
    // The month takes two digits when the day still finds one after them, else one.
    let longest = run(s, month, 1, 2, digit)?;
    let shortest = month + 1;
    [longest, shortest]
        .into_iter()
        .filter(|&e| e >= shortest)
        .find_map(|month_end| {
            let k = opt(s, month_end, space);
            let k = opt(s, k, |c| c == '月' || sep(c));
            let day = opt(s, k, space);
            let day_end = run(s, day, 1, 2, digit)?;
            let end = opt(s, day_end, |c| c == '日' || c == '号');
            Some((
                DateMatch {
                    whole: &s[i..end],
                    year: &s[i..year_end],
                    month: &s[month..month_end],
                    day: &s[day..day_end],
                },
                end,
            ))
        })
}

/// The first date in Chinese numerals in `s`, as
/// `([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日`.
pub fn find_cn_date(s: &str) -> Option<CnDateMatch<'_>> {
    starts(s).find_map(|i| cn_date_at(s, i).map(|(m, _)| m))
}

fn cn_date_at(s: &str, i: usize) -> Option<(CnDateMatch<'_>, usize)> {
    let year_end = run(s, i, 4, 4, cn_digit)?;
    let month = lit(s, year_end, "年")?;
    let month_end = run(s, month, 1, 3, cn_numeral)?;
    let day = lit(s, month_end, "月")?;
    let day_end = run(s, day, 1, 3, cn_numeral)?;
    let end = lit(s, day_end, "日")?;
    Some((
        CnDateMatch {
            year: &s[i..year_end],
            month: &s[month..month_end],
            day: &s[day..day_end],
        },
        end,
    ))
}

/// A page header carrying the licence number:
/// `^(?:经营许可证编号:?)?[京津…新]?[AB][12]-[0-9]{8,}$|^经营许可证编号:?$`.
pub fn is_license_header(t: &str) -> bool {
    const LABEL: &str = "经营许可证编号";
    let number = |i: usize| {
        let j = opt(t, i, province);
        let j = one(t, j, |c| c == 'A' || c == 'B')
            .and_then(|j| one(t, j, |c| c == '1' || c == '2'))
            .and_then(|j| lit(t, j, "-"))
            .and_then(|j| run(t, j, 8, usize::MAX, digit));
        j == Some(t.len())
    };
    match lit(t, 0, LABEL) {
        Some(i) => {
            let i = opt(t, i, |c| c == ':');
            i == t.len() || number(i)
        }
        None => number(0),
    }
}

/// A page header carrying the licence number as OCR misreads it, where
/// [`is_license_header`] does not take it: the label's colon read as other marks or lost
/// (`经营许可证编号;,浙B2-…`, `经营许可证编号,`), up to two characters of the label after its
/// `经` misread when the number follows (`经莒许可证编号:粤B2-…`), the province character
/// after the label as another character (`郭B2-…` for `鄂B2-…`), the dash as a point or with
/// one (`京B2.…`, `沪B2-.…`):
/// `^(?:经LABEL[:;,.]{0,3}[^\x00-\x7f]?|[京津…新]?)[AB][12][-—–‐.]{1,2}[0-9]{8,}$|^经营许可证编号[:;,.]{1,3}$`,
/// where `LABEL` is `营许可证编号` with any two of its characters (or fewer) free to be any
/// non-ASCII character. Not a lone `经营许可证编号。`, which ends a sentence of the text.
pub fn is_misread_license_header(t: &str) -> bool {
    let mark = |c: char| matches!(c, ':' | ';' | ',' | '.');
    let number = |j: usize| {
        let j = one(t, j, |c| c == 'A' || c == 'B')
            .and_then(|j| one(t, j, |c| c == '1' || c == '2'))
            .and_then(|j| run(t, j, 1, 2, |c| matches!(c, '-' | '—' | '–' | '‐' | '.')))
            .and_then(|j| run(t, j, 8, usize::MAX, digit));
        j == Some(t.len())
    };
    if let Some(i) = lit(t, 0, "经营许可证编号") {
        let j = run(t, i, 0, 3, mark).unwrap_or(i);
        if j > i && j == t.len() {
            return true;
        }
    }
    match misread_label(t) {
        Some(i) => number(opt(t, run(t, i, 0, 3, mark).unwrap_or(i), |c| {
            !c.is_ascii()
        })),
        None => number(opt(t, 0, province)),
    }
}

/// `t` starts with `经营许可证编号` as OCR may read it, `经` and six characters of which at most
/// two are misread (as characters that are not ASCII): the index after it.
fn misread_label(t: &str) -> Option<usize> {
    let mut j = lit(t, 0, "经")?;
    let mut wrong = 0;
    for want in "营许可证编号".chars() {
        let c = t.get(j..)?.chars().next()?;
        if c != want {
            if c.is_ascii() {
                return None;
            }
            wrong += 1;
        }
        j += c.len_utf8();
    }
    (wrong <= 2).then_some(j)
}

/// True when a line that starts with `c` may be page furniture. Every recognizer of furniture
/// needs one of these first characters: the licence header `经`, a province or `A`/`B`; the
/// headings `特` and `《`; the titles `中`, `增` and `(附页)`; page numbers `第`, dashes, digits
/// and `Page`; the signature labels `司`, `公`, `发`, `签`, `盖`, `(`; dates `年`, digits and
/// Chinese digits. A line starting with anything else is certificate text, known at its first
/// character (most lines of the body).
pub fn may_be_furniture(c: char) -> bool {
    c.is_ascii_digit()
        || cn_digit(c)
        || province(c)
        || matches!(
            c,
            '经' | 'A'
                | 'B'
                | '特'
                | '《'
                | '中'
                | '增'
                | '('
                | '第'
                | '-'
                | '—'
                | '–'
                | 'P'
                | 'p'
                | '司'
                | '公'
                | '发'
                | '签'
                | '盖'
                | '年'
        )
}

/// A page number:
/// `^(?:第[0-9]+页(?:[,/]?共[0-9]+页)?|[-—–]*[0-9]{1,4}[-—–]*|[0-9]+/[0-9]+|(?i:page) ?[0-9]+(?: ?of ?[0-9]+)?)$`.
pub fn is_page_number(t: &str) -> bool {
    let end = |i: Option<usize>| i == Some(t.len());
    let digits = |i: usize| run(t, i, 1, usize::MAX, digit);
    let dash = |c: char| matches!(c, '-' | '—' | '–');
    // 第2页, 第2页共5页, 第2页,共5页
    let chinese = lit(t, 0, "第")
        .and_then(digits)
        .and_then(|i| lit(t, i, "页"));
    let total = chinese.map(|i| opt(t, i, |c| c == ',' || c == '/'));
    let total = total
        .and_then(|i| lit(t, i, "共"))
        .and_then(digits)
        .and_then(|i| lit(t, i, "页"));
    // - 2 -
    let dashed = run(t, 0, 0, usize::MAX, dash)
        .and_then(|i| run(t, i, 1, 4, digit))
        .and_then(|i| run(t, i, 0, usize::MAX, dash));
    // 2/5
    let fraction = digits(0).and_then(|i| lit(t, i, "/")).and_then(digits);
    // Page 2, page 2 of 5
    let page = t
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("page"))
        .map(|_| opt(t, 4, |c| c == ' '))
        .and_then(digits);
    let of = page
        .map(|i| opt(t, i, |c| c == ' '))
        .and_then(|i| lit(t, i, "of"))
        .map(|i| opt(t, i, |c| c == ' '))
        .and_then(digits);
    end(chinese) || end(total) || end(dashed) || end(fraction) || end(page) || end(of)
}

/// A page number as OCR misreads it, where [`is_page_number`] does not take it: the last
/// `页` of `第 2 页 共 5 页` lost or read as another character (`第2页共5`, `第2页共5滞`):
/// `^第[0-9]+页[,/]?共[0-9]+[^\x00-\x7f]?$`, but not `…页` itself.
pub fn is_misread_page_number(t: &str) -> bool {
    let digits = |i: usize| run(t, i, 1, usize::MAX, digit);
    let end = lit(t, 0, "第")
        .and_then(digits)
        .and_then(|i| lit(t, i, "页"))
        .map(|i| opt(t, i, |c| c == ',' || c == '/'))
        .and_then(|i| lit(t, i, "共"))
        .and_then(digits)
        .map(|i| opt(t, i, |c| !c.is_ascii()));
    end == Some(t.len()) && !is_page_number(t)
}

/// A signature label: `^(?:司\(局\)负责人|公司代表|发证机关\(盖章\)|发证机关|签字|盖章|\(盖章\))(?::|$)`.
pub fn is_signature_label(t: &str) -> bool {
    [
        "司(局)负责人",
        "公司代表",
        "发证机关(盖章)",
        "发证机关",
        "签字",
        "盖章",
        "(盖章)",
    ]
    .iter()
    .any(|label| {
        t.strip_prefix(label)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
    })
}

/// A line that is one date, or the blank `年 月 日` of a signature block:
/// `^(?:(?:[0-9]{4})?年(?:[0-9]{1,2})?月(?:[0-9]{1,2})?日|[0-9]{4}(?:[ ./-][0-9]{1,2}){2}|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$`.
pub fn is_signature_date(t: &str) -> bool {
    let end = |i: Option<usize>| i == Some(t.len());
    // 2023年8月4日, 年 月 日 (spaces are gone after normalization)
    let year = run(t, 0, 4, 4, digit).unwrap_or(0);
    let blank = lit(t, year, "年")
        .map(|i| run(t, i, 0, 2, digit).unwrap_or(i))
        .and_then(|i| lit(t, i, "月"))
        .map(|i| run(t, i, 0, 2, digit).unwrap_or(i))
        .and_then(|i| lit(t, i, "日"));
    // 2023.08.04, 2023 8 4, 2023-08-04, 2023/8/4
    let sep = |c: char| matches!(c, ' ' | '.' | '/' | '-');
    let numeric = run(t, 0, 4, 4, digit)
        .and_then(|i| one(t, i, sep))
        .and_then(|i| run(t, i, 1, 2, digit))
        .and_then(|i| one(t, i, sep))
        .and_then(|i| run(t, i, 1, 2, digit));
    let chinese = cn_date_at(t, 0).map(|(_, e)| e);
    end(blank) || end(numeric) || end(chinese)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    // The expressions these recognizers replace, as the reference they are held to.
    const LICENSE: &str = r"([京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新]?)([AB])(?-u:\s)?([12])(?-u:\s)?[-—–‐](?-u:\s)?((?:19|20)[0-9]{2})([0-9]{4,})";
    const DATE: &str = r"((?:19|20|21)[0-9]{2})(?-u:\s)?(?:年|[-./])?(?-u:\s)?([0-9]{1,2})(?-u:\s)?(?:月|[-./])?(?-u:\s)?([0-9]{1,2})(?:日|号)?";
    const CN_DATE: &str = r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日";
    const LICENSE_HEADER: &str = r"^(?:经营许可证编号:?)?[京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新]?[AB][12]-[0-9]{8,}$|^经营许可证编号:?$";
    /// The expression of [`is_misread_license_header`], its misread labels spelled out.
    fn misread_license_header() -> &'static str {
        static PATTERN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            let label: Vec<char> = "营许可证编号".chars().collect();
            let mut labels = Vec::new();
            for a in 0..=label.len() {
                for b in a..=label.len() {
                    let l: String = label
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            if i == a || i == b {
                                r"[^\x00-\x7f]".to_string()
                            } else {
                                c.to_string()
                            }
                        })
                        .collect();
                    labels.push(l);
                }
            }
            format!(
                r"^(?:经(?:{})[:;,.]{{0,3}}[^\x00-\x7f]?|[京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新]?)[AB][12][-—–‐.]{{1,2}}[0-9]{{8,}}$|^经营许可证编号[:;,.]{{1,3}}$",
                labels.join("|")
            )
        });
        &PATTERN
    }
    const MISREAD_PAGE_NUMBER: &str = r"^第[0-9]+页[,/]?共[0-9]+[^\x00-\x7f]?$";
    const PAGE_NUMBER: &str = r"^(?:第[0-9]+页(?:[,/]?共[0-9]+页)?|[-—–]*[0-9]{1,4}[-—–]*|[0-9]+/[0-9]+|(?i:page) ?[0-9]+(?: ?of ?[0-9]+)?)$";
    const SIGNATURE_LABEL: &str =
        r"^(?:司\(局\)负责人|公司代表|发证机关\(盖章\)|发证机关|签字|盖章|\(盖章\))(?::|$)";
    const SIGNATURE_DATE: &str = r"^(?:(?:[0-9]{4})?年(?:[0-9]{1,2})?月(?:[0-9]{1,2})?日|[0-9]{4}(?:[ ./-][0-9]{1,2}){2}|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$";

    /// The compiled expression (each compiled once: the property tests run thousands of cases).
    fn re(p: &'static str) -> Regex {
        static CACHE: std::sync::LazyLock<
            std::sync::Mutex<std::collections::HashMap<&'static str, Regex>>,
        > = std::sync::LazyLock::new(Default::default);
        let mut cache = CACHE.lock().unwrap();
        cache
            .entry(p)
            .or_insert_with(|| Regex::new(p).unwrap())
            .clone()
    }

    fn license_by_regex(s: &str) -> Option<(Option<char>, String, String, String)> {
        let c = re(LICENSE).captures(s)?;
        Some((
            c[1].chars().next(),
            format!("{}{}", &c[2], &c[3]),
            c[4].to_string(),
            c[5].to_string(),
        ))
    }

    fn license_by_hand(s: &str) -> Option<(Option<char>, String, String, String)> {
        let m = find_license(s)?;
        Some((
            m.province,
            format!("{}{}", char::from(m.class.0), char::from(m.class.1)),
            m.year.to_string(),
            m.serial.to_string(),
        ))
    }

    fn dates_by_regex(s: &str) -> Vec<(String, String, String, String)> {
        re(DATE)
            .captures_iter(s)
            .map(|c| {
                (
                    c[0].to_string(),
                    c[1].to_string(),
                    c[2].to_string(),
                    c[3].to_string(),
                )
            })
            .collect()
    }

    fn dates_by_hand(s: &str) -> Vec<(String, String, String, String)> {
        dates(s)
            .map(|m| {
                (
                    m.whole.to_string(),
                    m.year.to_string(),
                    m.month.to_string(),
                    m.day.to_string(),
                )
            })
            .collect()
    }

    fn cn_date_by_regex(s: &str) -> Option<(String, String, String)> {
        let c = re(CN_DATE).captures(s)?;
        Some((c[1].to_string(), c[2].to_string(), c[3].to_string()))
    }

    fn cn_date_by_hand(s: &str) -> Option<(String, String, String)> {
        let m = find_cn_date(s)?;
        Some((m.year.to_string(), m.month.to_string(), m.day.to_string()))
    }

    type Recognizer = fn(&str) -> bool;

    /// Every recognizer against its expression on one text.
    fn agree(s: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            license_by_hand(s),
            license_by_regex(s),
            "licence in {:?}",
            s
        );
        prop_assert_eq!(dates_by_hand(s), dates_by_regex(s), "dates in {:?}", s);
        prop_assert_eq!(
            cn_date_by_hand(s),
            cn_date_by_regex(s),
            "chinese date in {:?}",
            s
        );
        prop_assert_eq!(
            is_misread_page_number(s),
            re(MISREAD_PAGE_NUMBER).is_match(s) && !re(PAGE_NUMBER).is_match(s),
            "misread page number {:?}",
            s
        );
        let lines: [(&str, Recognizer); 5] = [
            (LICENSE_HEADER, is_license_header),
            (misread_license_header(), is_misread_license_header),
            (PAGE_NUMBER, is_page_number),
            (SIGNATURE_LABEL, is_signature_label),
            (SIGNATURE_DATE, is_signature_date),
        ];
        for (pattern, f) in lines {
            prop_assert_eq!(f(s), re(pattern).is_match(s), "{} on {:?}", pattern, s);
        }
        Ok(())
    }

    #[test]
    fn examples_agree_with_the_expressions() {
        for s in [
            "京B2-20224676",
            "经营许可证编号:京B2-20224676",
            "经营许可证编号: 京 B 2 - 2022 4676",
            "经营许可证编号",
            "经营许可证编号:",
            "B2-20180001 and 粤B1-2019123456",
            "A2.20224676",
            "京京B2-20224676",
            "经营许可证编号;,浙B2-20164231",
            "经营许可证编号:守B2-20217202",
            "经营许可证编号,B2-20218903",
            "经营许可证编号:京B2.20224676",
            "经营许可证编号:沪B2-.20181047",
            "经营许可证编号,",
            "经营许可证编号;,",
            "经营许可证编号。",
            "经营许可证编号....",
            "经莒许可证编号:粤B2-20145107",
            "经莒许可证编莒:粤B2-20145107",
            "经莒许可莒编莒:粤B2-20145107",
            "经莒许可证编号,",
            "经a许可证编号:粤B2-20145107",
            "郭B2-20217202",
            "郭郭B2-20217202",
            "B2..20217202",
            "B2-.-20217202",
            "2023年08月04日",
            "2022 03 16",
            "20230804",
            "2023084",
            "202308",
            "2023.8.4 至 2028.8.4",
            "2023-08-04号",
            "二〇二三年八月四日",
            "二〇二〇二三年十二月三十一日",
            "二〇二三年十二十月四日",
            "第2页",
            "第 2 页",
            "第2页共5页",
            "第2页,共5页",
            "第2页/共5页",
            "第3页共6",
            "第3页共6滞",
            "第3页,共6滞",
            "第3页共6滞滞",
            "第3页共滞",
            "- 2 -",
            "-2-",
            "—12—",
            "12345",
            "2/5",
            "Page 2",
            "PAGE2 of 5",
            "page 2 Of 5",
            "司(局)负责人:",
            "司(局)负责人",
            "公司代表:张三",
            "发证机关(盖章)",
            "发证机关(盖章)x",
            "发证机关:",
            "(盖章)",
            "年月日",
            "2023年月日",
            "2023年8月4日",
            "223年8月4日",
            "2023.08.04",
            "2023 8 4",
            "2023/8/4x",
            "",
        ] {
            agree(s).unwrap();
        }
    }

    #[test]
    fn province_characters_are_the_provinces_of_fields() {
        for &(c, name) in PROVINCES {
            assert_eq!(crate::parse::fields::province_name(c), Some(name));
        }
        for c in ('\u{4e00}'..='\u{9fff}').chain(['A', '1', '-']) {
            assert_eq!(province(c), PROVINCES.iter().any(|&(p, _)| p == c), "{c}");
        }
        let distinct: std::collections::HashSet<char> = PROVINCES.iter().map(|p| p.0).collect();
        assert_eq!(distinct.len(), 31);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        // Texts made of the characters the patterns care about, so that matches, near misses
        // and overlapping candidates are all common.
        #[test]
        fn recognizers_agree_with_the_expressions(
            s in "[0-9AB12 \\t\\-—–‐./,:;()京粤新郭第页共年月日号〇零一二三四五六七八九十PpAaGgEeOoFf司局负责人公代表发证机关盖章签字经营许可编号x]{0,24}"
        ) {
            agree(&s)?;
        }

        #[test]
        fn recognizers_agree_on_well_formed_pieces(
            parts in proptest::collection::vec(prop_oneof![
                Just("京B2-".to_string()),
                Just("B1-".to_string()),
                "(19|20|21)[0-9]{2}".prop_map(|s| s),
                "[0-9]{1,9}".prop_map(|s| s),
                Just("年".to_string()),
                Just("月".to_string()),
                Just("日".to_string()),
                Just(" ".to_string()),
                Just("-".to_string()),
                Just("二〇二三年".to_string()),
                "[一二三四五六七八九十]{1,4}".prop_map(|s| s),
                Just("第".to_string()),
                Just("页".to_string()),
                Just("Page ".to_string()),
                Just(" of ".to_string()),
                Just("经营许可证编号:".to_string()),
                Just("经营许可证编号".to_string()),
                Just("经莒许可证编".to_string()),
                Just("号".to_string()),
                Just("郭B2.".to_string()),
                Just(";,".to_string()),
                Just("发证机关".to_string()),
                Just("(盖章)".to_string()),
                Just(":".to_string()),
            ], 0..6)
        ) {
            agree(&parts.concat())?;
        }
    }
}
