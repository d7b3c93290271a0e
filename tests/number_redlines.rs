//! Numbers in redlines: `compare` of two edited copies of a seed shows a changed number
//! whole (`[-30-]{+60+}日`), and a changed unit as a wording change.

mod common;

use common::*;
use serde_json::Value;

/// The compared pair for provision `id` in `compare --format json` output.
fn pair<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == id)
        .unwrap_or_else(|| panic!("no provision {id}"))
}

/// `[-deleted-]{+inserted+}` redline of a pair's diff ops.
fn redline(p: &Value) -> String {
    p["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| {
            let text = op["text"].as_str().unwrap();
            match op["op"].as_str().unwrap() {
                "delete" => format!("[-{text}-]"),
                "insert" => format!("{{+{text}+}}"),
                _ => text.to_string(),
            }
        })
        .collect()
}

/// Classes of a pair's hunks.
fn classes(p: &Value) -> Vec<String> {
    p["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["class"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn changed_numbers_show_whole_and_a_changed_unit_is_wording() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    // 十一: 30日 → 60日; 十二: 30日 → 30天 and 90日 → 120日; 十五(八): 30日 → 15日.
    let edited = text
        .replace("作出决定之日起30日内", "作出决定之日起60日内")
        .replace("应当在变更后30日内", "应当在变更后30天内")
        .replace("应当提前90日", "应当提前120日")
        .replace("安全评估完成30日内", "安全评估完成15日内");
    std::fs::write(&a, &text).unwrap();
    std::fs::write(&b, &edited).unwrap();
    let out = provdiff()
        .args(["compare", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();

    let eleven = pair(&v, "十一");
    assert!(
        redline(eleven).contains("作出决定之日起[-30-]{+60+}日内"),
        "{}",
        redline(eleven)
    );
    assert_eq!(classes(eleven), ["number"]);

    let twelve = pair(&v, "十二");
    let r = redline(twelve);
    assert!(r.contains("应当在变更后30[-日-]{+天+}内"), "{r}");
    assert!(r.contains("应当提前[-90-]{+120+}日"), "{r}");
    assert_eq!(classes(twelve), ["wording", "number"]);

    let eight = pair(&v, "十五(八)");
    assert!(
        redline(eight).contains("安全评估完成[-30-]{+15+}日内"),
        "{}",
        redline(eight)
    );
    assert_eq!(classes(eight), ["number"]);

    // Every other provision is the same.
    let changed: Vec<&str> = v["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] != "same")
        .map(|p| p["a"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["十一", "十二", "十五(八)"]);
}
