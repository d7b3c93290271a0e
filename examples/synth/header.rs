//! Who a certificate is for and the cover pages that say so: licence numbers, company and
//! person names, dates, business types, the appendix, and the page header repeated on every
//! page of the special provisions, in the layouts of the seeds.

use super::noise::{Line, Role};
use super::profile::{Applied, DateStyle, Noise, Profile};
use super::rng::Rng;
use super::templates::Block;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub y: u16,
    /// Month 1–12.
    pub m: u8,
    /// Day 1–28/31.
    pub d: u8,
}

fn days_in(y: u16, m: u8) -> u8 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    fn random_in(y: u16, rng: &mut Rng) -> Date {
        let m = rng.range(1, 12) as u8;
        let d = rng.range(1, usize::from(days_in(y, m))) as u8;
        Date { y, m, d }
    }

    fn plus_years(self, n: u16) -> Date {
        let y = self.y + n;
        Date {
            y,
            m: self.m,
            d: self.d.min(days_in(y, self.m)),
        }
    }

    fn plus_days(self, n: u8) -> Date {
        let mut d = self;
        for _ in 0..n {
            if d.d < days_in(d.y, d.m) {
                d.d += 1;
            } else if d.m < 12 {
                d = Date {
                    y: d.y,
                    m: d.m + 1,
                    d: 1,
                };
            } else {
                d = Date {
                    y: d.y + 1,
                    m: 1,
                    d: 1,
                };
            }
        }
        d
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// The date in one of the seeds' styles.
    pub fn styled(self, style: DateStyle, rng: &mut Rng) -> String {
        let Date { y, m, d } = self;
        let pad = rng.chance(0.7);
        match (style, pad) {
            (DateStyle::YmdSpaced, true) => format!("{y}年 {m:02}月 {d:02}日"),
            (DateStyle::YmdSpaced, false) => format!("{y}年 {m}月 {d}日"),
            (DateStyle::Ymd, true) => format!("{y}年{m:02}月{d:02}日"),
            (DateStyle::Ymd, false) => format!("{y}年{m}月{d}日"),
            (DateStyle::Digits, _) => format!("{y} {m:02} {d:02}"),
            (DateStyle::YmdWide, _) => format!("{y} 年 {m:02} 月 {d:02} 日"),
        }
    }
}

/// Issuers: province character, name as the library reports it, weight, cities (space-separated).
const ISSUERS: &[(Option<char>, &str, u32, &str)] = &[
    (
        None,
        "工业和信息化部",
        14,
        "北京 上海 深圳 杭州 广州 成都 南京 武汉",
    ),
    (Some('京'), "北京", 14, "北京"),
    (Some('粤'), "广东", 14, "广州 深圳 东莞 佛山 珠海"),
    (Some('沪'), "上海", 10, "上海"),
    (Some('苏'), "江苏", 9, "南京 苏州 无锡 常州 南通"),
    (Some('浙'), "浙江", 9, "杭州 宁波 温州 绍兴"),
    (Some('鲁'), "山东", 5, "济南 青岛 烟台"),
    (Some('川'), "四川", 4, "成都 绵阳"),
    (Some('闽'), "福建", 4, "福州 厦门 泉州"),
    (Some('鄂'), "湖北", 4, "武汉 宜昌"),
    (Some('湘'), "湖南", 3, "长沙 株洲"),
    (Some('皖'), "安徽", 3, "合肥 芜湖"),
    (Some('豫'), "河南", 3, "郑州 洛阳"),
    (Some('津'), "天津", 2, "天津"),
    (Some('渝'), "重庆", 2, "重庆"),
    (Some('陕'), "陕西", 2, "西安"),
];

/// Issue years 2016–2025 and their weights (more licences in recent years).
const YEAR_WEIGHTS: [u32; 10] = [6, 7, 8, 9, 10, 11, 12, 12, 12, 13];

// Word lists, space-separated.
const SYLLABLES: &str = "佰易 好美 中录 五百像素 云启 星辰 智联 博远 讯达 汇通 盛恒 泰新 锐创 优品 数聚 \
    金石 天宏 嘉和 瑞丰 晨光 华信 蓝海 鼎立 卓越 易行 乐享 微米 极光 青禾 万象 安途 橙果 凌云 \
    合众 同创 新禾 启明 翼展 云帆 米多 恒通 聚贤 百川 知行";
const TRADES: &str = "网络科技 信息技术 科技 文化传播 电子商务 数据服务 互联网科技 软件技术 数字科技 \
    网络技术 信息科技 传媒";
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤柴尚";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞建林峰晨宇浩凯博文斌辉力扬小会继璐吁晓雪婷鑫思佳俊志海波宁龙";
const DISTRICTS: &str = "高新区 经济技术开发区 工业园区 新区 软件园 科技园区";
const ROADS: &str = "超前路 科技路 人民路 建设路 解放路 中山路 长江路 创业路 软件园路 九厂路";
const CAPITALS: &str = "人民币壹仟万元 人民币伍佰万元 人民币壹佰万元 人民币贰仟万元 人民币伍仟万元 \
    人民币壹亿元 1000万元人民币 500万元人民币";
const PROVIDERS: &str = "阿里云计算有限公司 腾讯云计算(北京)有限责任公司 华为云计算技术有限公司 \
    北京百度网讯科技有限公司 中国电信股份有限公司 中国联合网络通信集团有限公司 成都西维数码科技有限公司";
const TLDS: &str = ".com .cn .net .com.cn";

/// One word of a space-separated list.
fn word(list: &'static str, rng: &mut Rng) -> &'static str {
    let words: Vec<&str> = list.split_whitespace().collect();
    words[rng.below(words.len())]
}

/// How the cover prints the business types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BizStyle {
    /// `业务种类` / `(服务项目)` / `及覆盖范围:信息服务业务…` (seed 000; value split off with
    /// label-split noise, as seed 001).
    Inline,
    /// `业务种类:第二类增值电信业务中的…` / `业务覆盖范围:全国` (seed 002, ministry).
    Ministry,
    /// `业务种类 见附页`, the types listed in the appendix (seed 003).
    SeeAppendix,
}

/// Website data for the appendix.
#[derive(Debug, Clone)]
pub struct Website {
    name: String,
    domain: String,
    server: String,
    provider: String,
}

/// The facts a certificate states about its holder.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Province character; `None` for the ministry.
    pub province: Option<char>,
    /// Issuer as the library names it (`北京`, `工业和信息化部`).
    pub issuer: &'static str,
    /// `京B2-20224676`.
    pub license_no: String,
    /// Company name (normalized form).
    pub company: String,
    legal_rep: String,
    capital: Option<String>,
    address: Option<String>,
    signatory: Option<String>,
    /// Issue date.
    pub issued: Date,
    /// Expiry date.
    pub expires: Date,
    /// Business-type blocks, in provision order.
    pub blocks: Vec<Block>,
    website: Option<Website>,
    style: BizStyle,
}

/// A personal name of two or three characters.
pub fn person(rng: &mut Rng) -> String {
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let mut out = String::new();
    out.push(*rng.pick(&s));
    for _ in 0..rng.range(1, 2) {
        out.push(*rng.pick(&g));
    }
    out
}

impl Identity {
    /// Draws an identity; `has_odp` says whether the templates have the second block.
    pub fn draw(rng: &mut Rng, has_odp: bool) -> Identity {
        let weights: Vec<u32> = ISSUERS.iter().map(|i| i.2).collect();
        let (province, issuer, _, cities) = ISSUERS[rng.weighted(&weights)];
        let year = 2016 + rng.weighted(&YEAR_WEIGHTS) as u16;
        let number_year = if rng.chance(0.7) {
            year
        } else {
            year - rng.range(1, 5) as u16
        };
        let license_no = format!(
            "{}B2-{number_year}{:04}",
            province.map(String::from).unwrap_or_default(),
            rng.range(1, 9999)
        );
        let city = word(cities, rng);
        let company = company(city, rng);
        let issued = Date::random_in(year, rng);
        let expires = if rng.chance(0.5) {
            issued.plus_years(5)
        } else {
            let e = Date::random_in(year + rng.range(1, 5) as u16, rng);
            e.min(issued.plus_years(5)).max(issued.plus_years(1))
        };
        let blocks = if has_odp && rng.chance(0.25) {
            vec![Block::Odp, Block::Info]
        } else {
            vec![Block::Info]
        };
        let ministry = province.is_none();
        let style = if ministry && rng.chance(0.7) {
            BizStyle::Ministry
        } else if rng.chance(0.2) {
            BizStyle::SeeAppendix
        } else {
            BizStyle::Inline
        };
        let website = (!ministry && rng.chance(0.5)).then(|| Website {
            name: if rng.chance(0.5) {
                company.clone()
            } else {
                format!("{}网", word(SYLLABLES, rng))
            },
            domain: domain(rng),
            server: format!(
                "{city}市{}{}{}号",
                word(DISTRICTS, rng),
                word(ROADS, rng),
                rng.range(1, 200)
            ),
            provider: word(PROVIDERS, rng).to_string(),
        });
        let registered = ministry || rng.chance(0.2);
        Identity {
            province,
            issuer,
            license_no,
            legal_rep: person(rng),
            capital: registered.then(|| word(CAPITALS, rng).to_string()),
            address: registered.then(|| {
                format!(
                    "{city}市{}{}{}号{}幢{}室",
                    word(DISTRICTS, rng),
                    word(ROADS, rng),
                    rng.range(1, 300),
                    rng.range(1, 12),
                    rng.range(101, 1899)
                )
            }),
            signatory: ministry.then(|| person(rng)),
            company,
            issued,
            expires,
            blocks,
            website,
            style,
        }
    }
}

fn company(city: &str, rng: &mut Rng) -> String {
    let syl = word(SYLLABLES, rng);
    let trade = word(TRADES, rng);
    let suffix = [
        "有限公司",
        "有限公司",
        "有限公司",
        "有限责任公司",
        "股份有限公司",
    ][rng.below(5)];
    match rng.below(4) {
        0 => format!("{city}{syl}{trade}{suffix}"),
        1 => format!("{syl}{trade}({city}){suffix}"),
        2 => format!("{city}{syl}{}{trade}{suffix}", word(SYLLABLES, rng)),
        _ => format!("{syl}{trade}{suffix}"),
    }
}

fn domain(rng: &mut Rng) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let mut d: String = (0..rng.range(3, 9))
        .map(|_| char::from(*rng.pick(letters)))
        .collect();
    d.push_str(word(TLDS, rng));
    d
}

/// Business type as printed on the cover and its scope note.
fn business(block: Block, ministry: bool) -> (&'static str, &'static str, Option<&'static str>) {
    match (block, ministry) {
        (Block::Info, false) => (
            "信息服务业务",
            "(仅限互联网信息服务)",
            Some("不含信息搜索查询服务、信息即时交互服务。"),
        ),
        (Block::Info, true) => ("信息服务业务", "(不含互联网信息服务)", None),
        (Block::Odp, _) => (
            "在线数据处理与交易处理业务",
            "(仅限经营类电子商务)",
            Some("不含网络借贷信息中介类的互联网金融业务。"),
        ),
    }
}

const APPROVAL: &str = "【依法须经批准的项目,经相关部门批准后方可开展相应经营活动】";

fn f(text: impl Into<String>) -> Line {
    Line::new(text, Role::Furniture)
}

/// The licence-number page header: `经营许可证编号: X`, bold in Markdown files, or swapped
/// (`X` / `经营许可证编号:`, as seed 000).
pub fn licence_header(lic: &str, p: &Profile, rng: &mut Rng, applied: &mut Applied) -> Vec<Line> {
    if p.label_swap && rng.chance(0.5) {
        applied.mark(Noise::LabelSwap);
        return vec![f(lic), Line::blank(), f("经营许可证编号:")];
    }
    if p.md_bold && rng.chance(0.5) {
        applied.mark(Noise::MarkdownBold);
        return vec![f(format!("经营许可证编号:**{lic}**"))];
    }
    let sp = if rng.chance(0.5) { " " } else { "" };
    vec![f(format!("经营许可证编号:{sp}{lic}"))]
}

/// `特别规定事项`, as a Markdown heading in Markdown files.
pub fn section_heading(p: &Profile, applied: &mut Applied) -> Line {
    if p.markdown {
        applied.mark(Noise::MarkdownHeading);
        f("## 特别规定事项")
    } else {
        f("特别规定事项")
    }
}

/// Cover page (twice with duplicate-cover noise), appendix, and the first page header of the
/// special provisions.
pub fn cover(id: &Identity, p: &Profile, rng: &mut Rng, applied: &mut Applied) -> Vec<Line> {
    let mut out = vec![Line::blank(), Line::blank()];
    let page = cover_page(id, p, rng, applied);
    out.extend(page.iter().cloned());
    if p.duplicate_cover {
        applied.mark(Noise::DuplicateCover);
        out.extend(page);
    }
    if id.style == BizStyle::SeeAppendix || id.website.is_some() {
        out.extend(appendix(id, p, rng, applied));
    }
    out.extend(licence_header(&id.license_no, p, rng, applied));
    out.push(Line::blank());
    out.push(section_heading(p, applied));
    out.push(Line::blank());
    out
}

fn cover_page(id: &Identity, p: &Profile, rng: &mut Rng, applied: &mut Applied) -> Vec<Line> {
    let mut out = Vec::new();
    let title = if rng.chance(0.7) {
        "中华人民共和国 增值电信业务经营许可证"
    } else {
        "中华人民共和国增值电信业务经营许可证"
    };
    if p.markdown {
        applied.mark(Noise::MarkdownHeading);
        out.push(f(format!("# {title}")));
    } else {
        out.push(f(title));
    }
    out.push(Line::blank());
    let sp = if rng.chance(0.4) { " " } else { "" };
    out.push(f(format!("经营许可证编号:{sp}{}", id.license_no)));
    out.push(Line::blank());
    let kind = if id.province.is_none() {
        "跨地区"
    } else {
        ""
    };
    out.push(f(format!(
        "根据《中华人民共和国电信条例》及国家有关规定,经审查,准许你公司按照本经营许可证(正文和附件)载明的内容经营增值电信业务,特颁发{kind}增值电信业务经营许可证。"
    )));
    out.push(Line::blank());
    out.push(f(format!("公司名称:{sp}{}", id.company)));
    out.push(Line::blank());
    out.push(f(format!("法定代表人:{sp}{}", id.legal_rep)));
    out.push(Line::blank());
    if let (Some(c), Some(a)) = (&id.capital, &id.address) {
        out.push(f(format!("注册资本:{c}")));
        out.push(Line::blank());
        out.push(f(format!("注册住所:{a}")));
        out.push(Line::blank());
    }
    business_lines(id, p, applied, &mut out);
    out.extend([Line::blank(), Line::blank(), Line::blank()]);
    match &id.signatory {
        Some(name) => {
            out.push(f("签发人:"));
            out.push(Line::blank());
            let spaced: Vec<String> = name.chars().map(String::from).collect();
            out.push(f(if rng.chance(0.5) {
                spaced.join(" ")
            } else {
                name.clone()
            }));
        }
        None => out.push(f("发证机关(盖章):")),
    }
    out.extend([Line::blank(), Line::blank(), Line::blank()]);
    applied.mark(p.date.noise());
    let issued = id.issued.styled(p.date, rng);
    let expires = id.expires.styled(p.date, rng);
    if p.label_split {
        applied.mark(Noise::LabelSplit);
        for (label, value) in [("发证日期:", issued), ("有效期至:", expires)] {
            out.extend([f(label), Line::blank(), f(value), Line::blank()]);
        }
    } else {
        let sp = if rng.chance(0.5) { " " } else { "" };
        out.push(f(format!("发证日期:{sp}{issued}")));
        out.push(Line::blank());
        out.push(f(format!("有效期至:{sp}{expires}")));
        out.push(Line::blank());
    }
    out
}

fn business_lines(id: &Identity, p: &Profile, applied: &mut Applied, out: &mut Vec<Line>) {
    let ministry = id.province.is_none();
    match id.style {
        BizStyle::Ministry => {
            for (i, &b) in id.blocks.iter().enumerate() {
                let (name, qual, _) = business(b, ministry);
                let label = if i == 0 { "业务种类:" } else { "" };
                out.push(f(format!("{label}第二类增值电信业务中的{name}")));
                out.push(f(qual));
            }
            out.push(Line::blank());
            out.push(f("业务覆盖范围:全国"));
            out.push(f("(服务项目)"));
        }
        BizStyle::SeeAppendix => {
            out.push(f("业务种类 见附页"));
            out.push(f("(服务项目)"));
            out.push(f("及覆盖范围:"));
        }
        BizStyle::Inline => {
            out.push(f("业务种类"));
            out.push(f("(服务项目)"));
            if p.label_split {
                applied.mark(Noise::LabelSplit);
                out.push(f("及覆盖范围:"));
                out.push(Line::blank());
            }
            for (i, &b) in id.blocks.iter().enumerate() {
                let (name, qual, scope) = business(b, ministry);
                let label = if i == 0 && !p.label_split {
                    "及覆盖范围:"
                } else {
                    ""
                };
                out.push(f(format!("{label}{name}{qual}")));
                if let Some(s) = scope {
                    out.push(f(s));
                }
                out.push(f(APPROVAL));
            }
        }
    }
}

fn appendix(id: &Identity, p: &Profile, rng: &mut Rng, applied: &mut Applied) -> Vec<Line> {
    let mut out = licence_header(&id.license_no, p, rng, applied);
    out.push(Line::blank());
    if p.markdown {
        applied.mark(Noise::MarkdownHeading);
        out.push(f("## 中华人民共和国增值电信业务经营许可证 (附 页)"));
    } else {
        out.push(f("中华人民共和国增值电信业务经营许可证"));
        out.push(f("(附 页)"));
    }
    out.push(Line::blank());
    let ministry = id.province.is_none();
    if id.style == BizStyle::SeeAppendix {
        out.push(f(format!("{}获准经营的业务种类、服务项目", id.company)));
        out.push(f("和业务覆盖范围:"));
        out.push(Line::blank());
        for &b in &id.blocks {
            let (name, qual, scope) = business(b, ministry);
            out.push(f(format!("{name}{qual}")));
            out.push(f(format!("{}【依法须经批准的", scope.unwrap_or(""))));
            out.push(f("项目,经相关部门批准后方可开展相应经营活动】"));
            out.push(Line::blank());
        }
    }
    if let Some(w) = &id.website {
        let (name, qual, _) = business(Block::Info, ministry);
        out.push(f(format!("{}获准经营{name}{qual}相关信息", id.company)));
        for (label, value) in [
            ("网站名称", &w.name),
            ("网站域名", &w.domain),
            ("服务器放置地", &w.server),
            ("网站接入服务提供单位", &w.provider),
        ] {
            out.push(Line::blank());
            out.push(f(format!("{label}: {value}")));
        }
        out.push(Line::blank());
    }
    out
}

/// Sign-off lines of a signature block (seed 002): between pages mostly unfilled, at the end
/// with names and a date.
pub fn signature(
    id: &Identity,
    p: &Profile,
    filled: bool,
    rng: &mut Rng,
    applied: &mut Applied,
) -> Vec<Line> {
    let mut out = vec![f("司(局)负责人:"), Line::blank()];
    if filled {
        out.extend([f(person(rng)), Line::blank(), f("年 月 日"), Line::blank()]);
        let sp = if rng.chance(0.5) { " " } else { "" };
        out.extend([f(format!("公司代表:{sp}{}", person(rng))), Line::blank()]);
        out.push(f(id
            .issued
            .plus_days(rng.range(0, 40) as u8)
            .styled(p.sig_date, rng)));
        if p.sig_date == DateStyle::Digits {
            applied.mark(Noise::SignatureDateDigits);
        }
    } else {
        out.extend([
            f("公司代表:"),
            Line::blank(),
            f("年 月 日"),
            Line::blank(),
            f("年 月 日"),
        ]);
    }
    out
}
