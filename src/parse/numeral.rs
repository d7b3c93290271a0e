//! Chinese numerals as used for provision labels: `一` … `九十九` to numbers and back.

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn digit(c: char) -> Option<u32> {
    match c {
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// True for the characters that can appear in a label numeral.
pub fn is_numeral_char(c: char) -> bool {
    c == '十' || (digit(c).is_some() && c != '〇' && c != '零')
}

/// Reads a label numeral (`一` … `九十九`) in canonical form; `None` for anything else
/// (`十〇`, `一十`, `二二`, the empty string).
pub fn parse(s: &str) -> Option<u32> {
    // At most three characters: more is no numeral (and no allocation is needed to know).
    let mut cs = ['\0'; 3];
    let mut len = 0;
    for c in s.chars() {
        *cs.get_mut(len)? = c;
        len += 1;
    }
    let n = match &cs[..len] {
        ['十'] => 10,
        [d] => digit(*d).filter(|&d| d > 0)?,
        ['十', u] => 10 + digit(*u).filter(|&d| d > 0)?,
        [t, '十'] => digit(*t).filter(|&d| d > 1)? * 10,
        [t, '十', u] => digit(*t).filter(|&d| d > 1)? * 10 + digit(*u).filter(|&d| d > 0)?,
        _ => return None,
    };
    Some(n)
}

/// Writes `n` as a label numeral; numbers from 100 up are written in digits.
pub fn to_chinese(n: u32) -> String {
    match n {
        0 => "〇".to_string(),
        1..=9 => DIGITS[n as usize].to_string(),
        10..=99 => {
            let (t, u) = (n / 10, n % 10);
            let mut s = String::new();
            if t > 1 {
                s.push(DIGITS[t as usize]);
            }
            s.push('十');
            if u > 0 {
                s.push(DIGITS[u as usize]);
            }
            s
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_one_to_ninety_nine() {
        for n in 1..=99 {
            let s = to_chinese(n);
            assert_eq!(parse(&s), Some(n), "{n} -> {s}");
        }
    }

    #[test]
    fn known_forms() {
        assert_eq!(parse("一"), Some(1));
        assert_eq!(parse("十"), Some(10));
        assert_eq!(parse("十五"), Some(15));
        assert_eq!(parse("二十"), Some(20));
        assert_eq!(parse("九十九"), Some(99));
        assert_eq!(to_chinese(16), "十六");
        assert_eq!(to_chinese(40), "四十");
    }

    #[test]
    fn rejects_non_canonical() {
        for s in [
            "",
            "〇",
            "一十",
            "十〇",
            "二二",
            "百",
            "十十",
            "第一",
            "1",
            "九十九一",
            "工业和信息化部令第11号",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
