//! Hardening: junk beside good certificates, files that vanish mid-run, inputs built to make
//! the work explode, outputs that must stay safe, and bytes that must not depend on threads,
//! argument order or locale. Every test here guards one behaviour of issue 7; the fuzz
//! properties they share with `fuzz/` are in `tests/common/props.rs`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use provdiff::scan::{ScanRecord, Status};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// Helpers

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn jsonl(stdout: &[u8]) -> Vec<ScanRecord> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Provision ids and texts of a certificate file, parsed in-process.
fn provisions_of(path: &Path) -> Vec<(String, String)> {
    ids_and_texts(&provdiff::parse_file(path, &Default::default()).unwrap())
}

/// Seed 000 cut in the middle of provision 十二, 20 characters into its text.
fn truncated_000() -> String {
    let text = read(&seed("000"));
    let start = text.find("\n十二、").expect("provision 十二") + 1;
    let cut = text[start..]
        .char_indices()
        .nth(20)
        .map(|(i, _)| start + i)
        .unwrap();
    text[..cut].to_string()
}

/// Seed 000 with three invalid bytes on blank header lines.
fn invalid_bytes_000() -> Vec<u8> {
    let text = read(&seed("000"));
    let mut out = Vec::new();
    let mut planted = 0;
    for line in text.split_inclusive('\n') {
        out.extend_from_slice(line.as_bytes());
        if planted < 3 && line == "\n" && out.len() > 200 {
            out.push(0xFF);
            out.push(b'\n');
            planted += 1;
        }
    }
    assert_eq!(planted, 3);
    out
}

/// A directory of good certificates (copies of corpus/) and every kind of bad input, as the
/// real world delivers them. Returns the directory and, per file name, what must happen.
struct Mixed {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

/// What scanning an entry of the mixed directory must give: `Ok(warning kind)` (`""` for
/// none expected) or `Err(reason fragment)`.
type Expect = Result<&'static str, &'static str>;

impl Mixed {
    fn new() -> Mixed {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("certs");
        std::fs::create_dir(&dir).unwrap();
        for s in ["000", "001", "002", "003"] {
            std::fs::copy(seed(s), dir.join(format!("{s}.txt"))).unwrap();
        }
        // A directory named like a certificate is walked like any directory.
        std::fs::create_dir(dir.join("x.txt")).unwrap();
        std::fs::copy(seed("001"), dir.join("x.txt/inner.txt")).unwrap();
        std::fs::write(dir.join("empty.txt"), b"").unwrap();
        let binary: Vec<u8> = (0..4096u32).map(|i| (i * 37 % 256) as u8).collect();
        std::fs::write(dir.join("binary.txt"), binary).unwrap();
        std::fs::write(
            dir.join("prose.txt"),
            "会议纪要\n今天讨论了明年的预算和人员安排。\n一致同意下周再议。\n",
        )
        .unwrap();
        std::fs::write(dir.join("truncated.txt"), truncated_000()).unwrap();
        std::fs::write(dir.join("invalid_bytes.txt"), invalid_bytes_000()).unwrap();
        let original = read(&seed("000"));
        std::fs::write(dir.join("gb18030.txt"), gb18030(&original)).unwrap();
        std::fs::write(dir.join("utf16.txt"), utf16le(&original)).unwrap();
        std::fs::write(dir.join("crlf.txt"), original.replace('\n', "\r\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(dir.join("nowhere.txt"), dir.join("dangling.txt")).unwrap();
            symlink("loop.txt", dir.join("loop.txt")).unwrap();
            std::fs::create_dir(dir.join("sub")).unwrap();
            symlink("..", dir.join("sub/up")).unwrap();
            let fifo = std::process::Command::new("mkfifo")
                .arg(dir.join("fifo.txt"))
                .status();
            assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");
        }
        Mixed { _tmp: tmp, dir }
    }

    fn expected(&self) -> BTreeMap<PathBuf, Expect> {
        let d = &self.dir;
        let mut m: BTreeMap<PathBuf, Expect> = BTreeMap::new();
        for s in ["000", "001", "002", "003"] {
            m.insert(d.join(format!("{s}.txt")), Ok(""));
        }
        m.insert(d.join("x.txt/inner.txt"), Ok(""));
        m.insert(d.join("empty.txt"), Err("the file is empty"));
        m.insert(d.join("binary.txt"), Err("binary data"));
        m.insert(d.join("prose.txt"), Err("not a licence certificate"));
        m.insert(d.join("truncated.txt"), Ok("truncated"));
        m.insert(d.join("invalid_bytes.txt"), Ok("invalid_bytes"));
        m.insert(d.join("gb18030.txt"), Ok(""));
        m.insert(d.join("utf16.txt"), Ok(""));
        m.insert(d.join("crlf.txt"), Ok(""));
        if cfg!(unix) {
            m.insert(d.join("dangling.txt"), Err("no such file"));
            m.insert(d.join("loop.txt"), Err("symbolic link loop"));
            m.insert(d.join("sub/up"), Err("symbolic link loop"));
            m.insert(d.join("fifo.txt"), Err("not a regular file"));
        }
        m
    }
}

// ---------------------------------------------------------------------------------------
// 1. Bad inputs

#[test]
fn scan_reports_every_bad_input_and_processes_the_good_ones() {
    let mixed = Mixed::new();
    let w = run_watched(
        {
            let mut c = provdiff_std();
            c.args(["scan", "--format", "jsonl"]).arg(&mixed.dir);
            c
        },
        Duration::from_secs(60),
    );
    let out = w.output;
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let records = jsonl(&out.stdout);
    let got: BTreeMap<PathBuf, &ScanRecord> = records
        .iter()
        .map(|r| (PathBuf::from(&r.path), r))
        .collect();
    let expected = mixed.expected();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "one record per input, in path order"
    );
    let original = provisions_of(&seed("000"));
    for (path, want) in &expected {
        let r = got[path];
        match want {
            Ok(kind) => {
                assert_eq!(r.status, Status::Ok, "{}: {:?}", path.display(), r.error);
                if kind.is_empty() {
                    assert!(
                        r.warnings.is_empty(),
                        "{}: {:?}",
                        path.display(),
                        r.warnings
                    );
                } else {
                    let kinds: Vec<String> = r
                        .warnings
                        .iter()
                        .map(|w| serde_json::to_value(w.kind).unwrap().to_string())
                        .collect();
                    assert!(
                        kinds.iter().any(|k| k.contains(kind)),
                        "{}: {kinds:?}",
                        path.display()
                    );
                }
            }
            Err(reason) => {
                assert_eq!(r.status, Status::Error, "{}", path.display());
                let error = r.error.as_deref().unwrap();
                assert!(error.contains(reason), "{}: {error}", path.display());
                let line = format!("provdiff: {}: {error}\n", r.path);
                assert!(stderr.contains(&line), "{line:?} not in {stderr}");
            }
        }
    }
    // Re-encoded copies parse to exactly the provisions of the original.
    for (name, encoding) in [
        ("gb18030.txt", "GB18030"),
        ("utf16.txt", "UTF-16LE"),
        ("crlf.txt", "UTF-8"),
        ("invalid_bytes.txt", "UTF-8"),
    ] {
        let r = got[&mixed.dir.join(name)];
        assert_eq!(r.encoding.as_deref(), Some(encoding), "{name}");
        let flat: Vec<(String, String)> = r
            .tree
            .iter()
            .flat_map(|p| std::iter::once(p).chain(&p.children))
            .map(|p| (p.id.to_string(), p.text.clone()))
            .collect();
        assert_eq!(flat, original, "{name}");
    }
    let truncated = got[&mixed.dir.join("truncated.txt")];
    assert_eq!(truncated.provisions, 12, "parsed up to the cut");
    let failures = expected.values().filter(|e| e.is_err()).count();
    assert_eq!(stderr.lines().count(), failures, "{stderr}");
}

#[test]
fn drift_reports_every_bad_input_and_processes_the_good_ones() {
    let mixed = Mixed::new();
    let mut cmd = provdiff_std();
    cmd.args(["drift", "--format", "json"]).arg(&mixed.dir);
    let out = run_watched(cmd, Duration::from_secs(60)).output;
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = mixed.expected();
    let docs: Vec<PathBuf> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| PathBuf::from(d["path"].as_str().unwrap()))
        .collect();
    let good: Vec<PathBuf> = expected
        .iter()
        .filter(|(_, e)| e.is_ok())
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(docs, good);
    let errors: BTreeMap<PathBuf, String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                PathBuf::from(e["path"].as_str().unwrap()),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let bad: BTreeMap<PathBuf, &str> = expected
        .iter()
        .filter_map(|(p, e)| e.err().map(|r| (p.clone(), r)))
        .collect();
    assert_eq!(
        errors.keys().collect::<Vec<_>>(),
        bad.keys().collect::<Vec<_>>()
    );
    for (path, reason) in &bad {
        let error = &errors[path];
        assert!(error.contains(reason), "{}: {error}", path.display());
        let line = format!("provdiff: {}: {error}\n", path.display());
        assert!(stderr.contains(&line), "{line:?} not in {stderr}");
    }
    // Every good document counted: 4 seeds, 2 more of 000's wording, …
    assert_eq!(v["summary"]["documents"], good.len());
    assert_eq!(v["summary"]["errors"], bad.len());
}

#[test]
fn compare_with_a_bad_file_exits_2_naming_it() {
    let mixed = Mixed::new();
    let d = &mixed.dir;
    let good = d.join("000.txt");
    let mut cases: Vec<(PathBuf, &str)> = vec![
        (d.join("empty.txt"), "the file is empty"),
        (d.join("binary.txt"), "binary data"),
        (d.join("prose.txt"), "not a licence certificate"),
        (d.join("x.txt"), "is a directory"),
        (d.join("missing.txt"), "no such file"),
    ];
    if cfg!(unix) {
        cases.push((d.join("dangling.txt"), "no such file"));
        cases.push((d.join("loop.txt"), "symbolic link loop"));
    }
    for (bad, reason) in cases {
        for args in [[&bad, &good], [&good, &bad]] {
            let out = provdiff()
                .arg("compare")
                .args(args)
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{}: {stderr}", bad.display());
            assert!(out.stdout.is_empty());
            let want = format!("provdiff: {}: ", bad.display());
            assert!(
                stderr.starts_with(&want) && stderr.contains(reason),
                "{stderr}"
            );
        }
    }
    // Warnings are not errors; re-encoded copies equal the original.
    for (name, code) in [
        ("truncated.txt", 1),
        ("invalid_bytes.txt", 0),
        ("gb18030.txt", 0),
        ("utf16.txt", 0),
        ("crlf.txt", 0),
    ] {
        let out = provdiff()
            .args(["compare", "--format", "json"])
            .arg(&good)
            .arg(d.join(name))
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{name}");
    }
}

#[test]
fn files_deleted_while_running_never_crash_or_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("many");
    std::fs::create_dir(&dir).unwrap();
    let text = std::fs::read(seed("000")).unwrap();
    let n = 400;
    for k in 0..n {
        std::fs::write(dir.join(format!("{k:04}.txt")), &text).unwrap();
    }
    for command in ["scan", "drift"] {
        let victims: Vec<PathBuf> = (0..n)
            .filter(|k| k % 3 == 1)
            .map(|k| dir.join(format!("{k:04}.txt")))
            .collect();
        let deleter = {
            let victims = victims.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                for v in victims.iter().rev() {
                    let _ = std::fs::remove_file(v);
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        let mut cmd = provdiff_std();
        let format = if command == "scan" { "jsonl" } else { "json" };
        cmd.args([command, "--format", format, "-j", "2"]).arg(&dir);
        let out = run_watched(cmd, Duration::from_secs(120)).output;
        deleter.join().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{command}: {:?} {stderr}",
            out.status
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Each failure names a deleted file and says it is gone.
        for line in stderr.lines() {
            let victim = victims
                .iter()
                .any(|v| line.starts_with(&format!("provdiff: {}: ", v.display())));
            assert!(victim && line.contains("no such file"), "{command}: {line}");
        }
        eprintln!(
            "{command}: {} of {} deleted files reported",
            stderr.lines().count(),
            victims.len()
        );
        if command == "scan" {
            let records = jsonl(&out.stdout);
            for r in records.iter().filter(|r| !r.is_ok()) {
                assert!(victims.contains(&PathBuf::from(&r.path)), "{}", r.path);
                assert!(r.error.as_deref().unwrap().contains("no such file"));
            }
            let ok = records.iter().filter(|r| r.is_ok()).count();
            assert!(ok >= n - victims.len(), "{ok} parsed");
        } else {
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            let docs = v["summary"]["documents"].as_u64().unwrap() as usize;
            assert!(docs >= n - victims.len(), "{docs} parsed");
        }
        // Put the victims back for the next command.
        for v in &victims {
            std::fs::write(v, &text).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Bounded work

/// Generous: the tests run the debug build on a shared machine; a quadratic regression takes
/// minutes (and gigabytes), a healthy run seconds.
const BOUNDED: Duration = Duration::from_secs(120);

fn numeral(n: u32) -> String {
    provdiff::parse::numeral::to_chinese(n)
}

/// The cover and preamble of seed 000, up to and including the 特别规定事项 heading.
fn head() -> String {
    let text = read(&seed("000"));
    let end = text.find("\n特别规定事项\n").unwrap() + "\n特别规定事项\n".len();
    text[..end].to_string()
}

/// 99 business-type blocks of 101 sub-items each (9,999 sub-items, the numbering wraps
/// after 九十九), every seventh sub-item using 账号 instead of 帐号 when `variant`.
fn many_provisions(variant: bool) -> String {
    let mut out = head();
    for t in 1..=99u32 {
        out.push_str(&format!(
            "{}、你公司在经营第{t}类业务时应当遵守下列规定:\n",
            numeral(t)
        ));
        for s in 1..=101u32 {
            let word = if variant && (t * s) % 7 == 0 {
                "账号"
            } else {
                "帐号"
            };
            out.push_str(&format!(
                "({}){t}类第{s}项:你公司应当对公众{word}做好资质审核备案,编号{}。\n",
                numeral((s - 1) % 99 + 1),
                t * 1000 + s
            ));
        }
    }
    out
}

/// One block with 10,000 sub-items: the worst case for a pairwise alignment in one block.
fn one_block(variant: bool) -> String {
    let mut out = head();
    out.push_str("一、你公司在经营信息服务业务时应当遵守下列规定:\n");
    for s in 1..=10_000u32 {
        let word = if variant && s % 7 == 0 {
            "账号"
        } else {
            "帐号"
        };
        out.push_str(&format!(
            "({})第{s}项:你公司应当对公众{word}做好资质审核备案,编号{}。\n",
            numeral((s - 1) % 99 + 1),
            s * 7919 % 100_003
        ));
    }
    out
}

/// A text of `n` CJK characters from a fixed pseudo-random sequence.
fn random_cjk(seed: u64, n: usize) -> Vec<char> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_u32(0x4E00 + (x % 3000) as u32).unwrap()
        })
        .collect()
}

fn run_bounded(args: &[&std::ffi::OsStr], max_rss_mb: u64) -> std::process::Output {
    let mut cmd = provdiff_std();
    cmd.args(args);
    let w = run_watched(cmd, BOUNDED);
    let stderr = String::from_utf8_lossy(&w.output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    if let Some(kb) = w.peak_rss_kb {
        assert!(
            kb < max_rss_mb * 1024,
            "{args:?}: peak memory {} MB (limit {max_rss_mb} MB)",
            kb / 1024
        );
    }
    eprintln!(
        "{:?}: {:.1} s, {} MB",
        args.iter().take(2).collect::<Vec<_>>(),
        w.elapsed.as_secs_f64(),
        w.peak_rss_kb.unwrap_or(0) / 1024
    );
    w.output
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn a_20_megabyte_line_is_processed_in_bounded_time_and_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // One line of 20 MB of clause-like text, as a bare file and as a certificate's body.
    let alphabet: Vec<char> = "你公司应当按照电信主管部门要求配备相应数量的专职网络与信息安全管理人员,成立相应的机构。(一)十五、"
        .chars()
        .collect();
    let mut x = 7u64;
    let line: String = (0..7_000_000)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            alphabet[(x >> 33) as usize % alphabet.len()]
        })
        .collect();
    assert!(line.len() > 20_000_000);
    let bare = d.join("line.txt");
    std::fs::write(&bare, &line).unwrap();
    let cert = d.join("cert.txt");
    std::fs::write(&cert, format!("{}一、{line}。\n", head())).unwrap();
    drop(line);
    let seed0 = seed("000");

    let out = run_bounded(&[os("show"), bare.as_os_str()], 1024);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a licence certificate"));
    let out = run_bounded(
        &[os("show"), os("--format"), os("json"), cert.as_os_str()],
        1024,
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["provisions"].as_array().unwrap().len(), 1);
    let out = run_bounded(
        &[os("scan"), os("--format"), os("jsonl"), d.as_os_str()],
        1024,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(jsonl(&out.stdout).len(), 2);
    let out = run_bounded(
        &[
            os("compare"),
            os("--format"),
            os("json"),
            cert.as_os_str(),
            seed0.as_os_str(),
        ],
        1024,
    );
    assert_eq!(out.status.code(), Some(1));
    let out = run_bounded(
        &[
            os("drift"),
            os("--format"),
            os("json"),
            cert.as_os_str(),
            seed0.as_os_str(),
        ],
        1024,
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn ten_thousand_provisions_are_aligned_in_bounded_time_and_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let files = [
        ("many_a.txt", many_provisions(false)),
        ("many_b.txt", many_provisions(true)),
        ("block_a.txt", one_block(false)),
        ("block_b.txt", one_block(true)),
    ];
    for (name, text) in &files {
        std::fs::write(d.join(name), text).unwrap();
    }
    let p = |name: &str| d.join(name).into_os_string();
    let out = run_bounded(
        &[os("show"), os("--format"), os("json"), &p("many_a.txt")],
        512,
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let subs: usize = v["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["children"].as_array().unwrap().len())
        .sum();
    assert_eq!(subs, 99 * 101);
    let out = run_bounded(
        &[os("scan"), os("--format"), os("jsonl"), d.as_os_str()],
        512,
    );
    assert_eq!(out.status.code(), Some(0));
    let records = jsonl(&out.stdout);
    assert!(records.iter().all(|r| r.is_ok()));
    for (a, b) in [("many_a.txt", "many_b.txt"), ("block_a.txt", "block_b.txt")] {
        let out = run_bounded(
            &[os("compare"), os("--format"), os("json"), &p(a), &p(b)],
            512,
        );
        // 帐号/账号 is a variant character: cosmetic, exit 0; but every pair is found.
        assert_eq!(out.status.code(), Some(0), "{a} {b}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let s = &v["summary"];
        assert_eq!(
            (&s["added"], &s["removed"]),
            (&Value::from(0), &Value::from(0))
        );
        assert!(s["changed"].as_u64().unwrap() > 1000, "{s}");
        let out = run_bounded(
            &[os("drift"), os("--format"), os("json"), &p(a), &p(b)],
            512,
        );
        assert_eq!(out.status.code(), Some(0));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let drifting = v["summary"]["drifting_slots"].as_u64().unwrap();
        assert!(drifting > 1000, "{drifting}");
        // Each pair of wordings shares a slot: no slot holds a lone wording of one file.
        let slots = v["slots"].as_array().unwrap();
        assert!(slots.iter().all(|s| s["present"] == 2), "unpaired slots");
    }
}

#[test]
fn two_huge_provisions_differing_everywhere_get_a_coarse_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let a = random_cjk(1, 200_000);
    let mut b = a.clone();
    let noise = random_cjk(2, 200_000);
    for k in (0..b.len()).step_by(5) {
        b[k] = noise[k];
    }
    let tail = "二、你公司应当在每年第一季度参加电信主管部门组织的经营许可证年报。\n";
    for (name, text) in [("a.txt", &a), ("b.txt", &b)] {
        let body: String = text.iter().collect();
        std::fs::write(d.join(name), format!("{}一、{body}。\n{tail}", head())).unwrap();
    }
    let (pa, pb) = (d.join("a.txt"), d.join("b.txt"));
    let out = run_bounded(
        &[
            os("compare"),
            os("--format"),
            os("json"),
            pa.as_os_str(),
            pb.as_os_str(),
        ],
        512,
    );
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["provisions"].as_array().unwrap();
    let first = &rows[0];
    assert_eq!((&first["a"], &first["b"]), (&"一".into(), &"一".into()));
    assert_eq!(first["status"], "changed");
    assert_eq!(first["coarse"], true, "the coarse fallback is marked");
    // Even coarse, the ops rebuild both texts.
    let side = |skip: &str| -> String {
        first["diff"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["op"] != skip)
            .map(|o| o["text"].as_str().unwrap())
            .collect()
    };
    assert_eq!(
        side("insert"),
        format!("{}。", a.iter().collect::<String>())
    );
    assert_eq!(
        side("delete"),
        format!("{}。", b.iter().collect::<String>())
    );
    assert_eq!(rows[1]["status"], "same");
    for format in ["table", "markdown"] {
        let out = run_bounded(
            &[
                os("compare"),
                os("--format"),
                os(format),
                pa.as_os_str(),
                pb.as_os_str(),
            ],
            512,
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).contains("coarse diff"));
    }
    let out = run_bounded(
        &[
            os("drift"),
            os("--format"),
            os("json"),
            pa.as_os_str(),
            pb.as_os_str(),
        ],
        512,
    );
    assert_eq!(out.status.code(), Some(0));
    let out = run_bounded(&[os("show"), pa.as_os_str()], 512);
    assert_eq!(out.status.code(), Some(0));
}

// ---------------------------------------------------------------------------------------
// 3. Fuzz properties and the inputs fuzzing found

#[test]
fn fuzz_properties_hold_on_the_corpus_and_the_bad_inputs() {
    let mixed = Mixed::new();
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for entry in std::fs::read_dir(&mixed.dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.ends_with("fifo.txt") {
            inputs.push(std::fs::read(&path).unwrap());
        }
    }
    for bytes in &inputs {
        props::parse_bytes(bytes);
    }
    let seeds: Vec<String> = ["000", "001", "002", "003"]
        .iter()
        .map(|s| read(&seed(s)))
        .collect();
    for a in &seeds {
        for b in &seeds {
            props::compare_texts(a, b);
        }
    }
    props::compare_texts(&truncated_000(), &seeds[0]);
    props::compare_texts("", &seeds[3]);
}

/// Inputs that once broke a property, minimized; each must keep passing.
#[test]
fn fuzz_regressions() {
    let parse_cases: &[&[u8]] = &[
        b"",
        b"\xff\xfe",
        "特别规定事项\n一、".as_bytes(),
        "特别规定事项\n(一)\n一、(一)(二)\n(一".as_bytes(),
        "特别规定事项\n九十九、a\n一百、b\n十〇、c".as_bytes(),
        "经营许可证编号:京B2-2022\n特别规定事项\n\n一、Alibaba\nCloud".as_bytes(),
    ];
    for case in parse_cases {
        props::parse_bytes(case);
    }
    let pair = |a: &str, b: &str| [a.as_bytes(), b"\xff", b.as_bytes()].concat();
    let compare_cases: Vec<Vec<u8>> = vec![
        b"\xff".to_vec(),
        pair("特别规定事项\n一、甲。", "特别规定事项\n一、乙。"),
        // A removed provision with an empty text once gave a row with an empty delete op.
        pair(
            "特别规定事项\n一、你公司应当遵守规定。\n二、\n",
            "特别规定事项\n一、你公司应当遵守规定。\n",
        ),
        pair(
            "特别规定事项\n一、你公司应当遵守规定。\n",
            "特别规定事项\n一、你公司应当遵守规定。\n二、\n",
        ),
    ];
    for case in &compare_cases {
        props::compare_bytes(case);
    }
}

// ---------------------------------------------------------------------------------------
// 4. Safe outputs

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".provdiff-"))
        .collect()
}

#[test]
fn output_never_overwrites_an_input_even_inside_a_scanned_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("certs");
    std::fs::create_dir(&dir).unwrap();
    for s in ["000", "001"] {
        std::fs::copy(seed(s), dir.join(format!("{s}.txt"))).unwrap();
    }
    let victim = dir.join("000.txt");
    let original = std::fs::read(&victim).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, tmp.path().join("alias.json")).unwrap();
    for (command, format) in [("scan", "jsonl"), ("drift", "json")] {
        let mut targets = vec![victim.clone()];
        if cfg!(unix) {
            targets.push(tmp.path().join("alias.json"));
        }
        for target in targets {
            let out = provdiff()
                .args([command, "--format", format, "-o"])
                .arg(&target)
                .arg(&dir)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} -o {}",
                target.display()
            );
            assert!(
                stderr.contains("refusing to write the report over an input"),
                "{stderr}"
            );
            assert_eq!(std::fs::read(&victim).unwrap(), original);
        }
        // A new report inside the scanned directory is fine.
        let report = dir.join(format!("report.{format}"));
        let out = provdiff()
            .args([command, "--format", format, "-o"])
            .arg(&report)
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert!(out.stdout.is_empty());
        assert!(!read(&report).is_empty());
        assert!(temp_files(&dir).is_empty());
    }
    // compare, with the input named twice through different paths.
    let out = provdiff()
        .args(["compare", "-o"])
        .arg(dir.join("../certs/001.txt"))
        .arg(&victim)
        .arg(dir.join("001.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&dir.join("001.txt")), read(&seed("001")));
}

#[test]
fn a_failed_run_leaves_the_old_report_and_no_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let report = d.join("report.md");
    std::fs::write(&report, "OLD REPORT\n").unwrap();
    let empty = d.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    // The input fails: nothing is written.
    let out = provdiff()
        .args(["compare", "--format", "markdown", "-o"])
        .arg(&report)
        .arg(&empty)
        .arg(seed("000"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&report), "OLD REPORT\n");
    // The target's directory does not exist, or the target is a directory.
    let nowhere = d.join("no/such/dir/report.json");
    let out = provdiff()
        .args(["drift", "--format", "json", "-o"])
        .arg(&nowhere)
        .arg(seed("000"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such directory"));
    assert!(!d.join("no").exists());
    let out = provdiff()
        .args(["scan", "-o"])
        .arg(d)
        .arg(seed("000"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    assert!(temp_files(d).is_empty(), "{:?}", temp_files(d));
    // A run that succeeds replaces the old report whole.
    let out = provdiff()
        .args(["compare", "--format", "markdown", "-o"])
        .arg(&report)
        .arg(seed("000"))
        .arg(seed("001"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(read(&report).starts_with("# Comparison"));
    assert!(temp_files(d).is_empty());
}

/// A destination that cannot take the report is found before any input is read, and the
/// message names the path the user gave and what is wrong with it, never a temporary file.
#[test]
fn a_bad_destination_is_refused_before_the_work_naming_the_path_given() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Reading this input would print an error of its own: none may appear.
    let empty = d.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let a_file = d.join("a-file");
    std::fs::write(&a_file, "x").unwrap();
    let mut cases: Vec<(PathBuf, &str)> = vec![
        (d.join("no/such/dir/report.json"), "no such directory"),
        (a_file.join("report.json"), "not a directory"),
        (d.to_path_buf(), "is a directory"),
    ];
    // A directory no one may create files in, root included.
    #[cfg(target_os = "linux")]
    if std::fs::File::create("/sys/provdiff-probe").is_err() {
        cases.push((PathBuf::from("/sys/provdiff-report.json"), "cannot write"));
    }
    let commands: [&[&str]; 3] = [
        &["scan", "--format", "jsonl"],
        &["drift", "--format", "json"],
        &["compare"],
    ];
    for (target, problem) in &cases {
        for command in commands {
            let out = provdiff()
                .args(command)
                .arg("-o")
                .arg(target)
                .arg(&empty)
                .arg(seed("000"))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let what = format!("{command:?} -o {}: {stderr}", target.display());
            assert_eq!(out.status.code(), Some(2), "{what}");
            assert!(stderr.contains(problem), "{what}");
            assert!(stderr.contains(&target.display().to_string()), "{what}");
            assert!(
                !stderr.contains("empty.txt"),
                "read the inputs first: {what}"
            );
            assert!(!stderr.contains(".provdiff-"), "{what}");
            assert_eq!(stderr.lines().count(), 1, "{what}");
            assert!(out.stdout.is_empty(), "{what}");
        }
    }
    assert!(!d.join("no").exists());
    assert!(temp_files(d).is_empty(), "{:?}", temp_files(d));
}

/// `-o` naming a device, a named pipe or a symbolic link writes through it: `-o /dev/null`
/// must not replace the device with a file, a pipe gets the report, a link keeps pointing at
/// the report it names; `-o -` is standard output.
#[cfg(unix)]
#[test]
fn output_to_a_device_a_pipe_or_a_link_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    // `provdiff <command> [-o OUT] 000 001`, run in `dir`.
    let run = |dir: &Path, command: &[&str], out: Option<&Path>| {
        let mut cmd = provdiff();
        cmd.current_dir(dir).args(command);
        if let Some(out) = out {
            cmd.arg("-o").arg(out);
        }
        cmd.arg(seed("000")).arg(seed("001")).output().unwrap()
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let drift = &["drift", "--format", "json"][..];
    let expected = run(d, drift, None);
    assert_eq!(expected.status.code(), Some(0));
    // /dev/null stays the device.
    let out = run(d, drift, Some(Path::new("/dev/null")));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    let null = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(null.is_char_device(), "/dev/null is no longer a device");
    // A named pipe gets the whole report, and stays a pipe.
    let fifo = d.join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = run(d, drift, Some(&fifo));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(reader.join().unwrap(), expected.stdout);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // A link to an old report: the report is replaced, the link stays a link.
    let target = d.join("report.json");
    std::fs::write(&target, "OLD").unwrap();
    let link = d.join("latest.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(d, drift, Some(&link));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read(&target).unwrap(), expected.stdout);
    assert!(temp_files(d).is_empty(), "{:?}", temp_files(d));
    // `-o -` is standard output, as `-` is standard input; no file named `-` appears.
    for command in [drift, &["scan", "--format", "jsonl"]] {
        let to_stdout = run(d, command, None);
        let dash = run(d, command, Some(Path::new("-")));
        assert_eq!(dash.status.code(), to_stdout.status.code());
        assert_eq!(dash.stdout, to_stdout.stdout, "{command:?}");
        assert!(!d.join("-").exists(), "{command:?} wrote a file named -");
    }
}

/// A temporary file of provdiff's: `.provdiff-tmp-<pid>-<six random characters>-<target>`.
fn is_provdiff_temp(name: &str, pid: u32, target: &str) -> bool {
    let Some(rest) = name.strip_prefix(&format!(".provdiff-tmp-{pid}-")) else {
        return false;
    };
    rest.len() == 7 + target.len()
        && rest[..6].bytes().all(|b| b.is_ascii_alphanumeric())
        && rest[6..] == format!("-{target}")
}

/// Nothing can clean up after SIGKILL: what a killed run must leave is the old report or the
/// whole new one, and at most a temporary file that is recognisably provdiff's and that the
/// next run writing there removes once it is stale.
#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_old_report_or_the_whole_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("certs");
    std::fs::create_dir(&d).unwrap();
    let text = std::fs::read(seed("000")).unwrap();
    for k in 0..300 {
        std::fs::write(d.join(format!("{k:03}.txt")), &text).unwrap();
    }
    let report = tmp.path().join("drift.json");
    std::fs::write(&report, "OLD").unwrap();
    let mut child = provdiff_std()
        .args(["drift", "--format", "json", "-j", "1", "-o"])
        .arg(&report)
        .arg(&d)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    let content = read(&report);
    assert!(
        content == "OLD" || serde_json::from_str::<Value>(&content).is_ok(),
        "half-written report: {} bytes",
        content.len()
    );
    let left = temp_files(tmp.path());
    for name in &left {
        assert!(is_provdiff_temp(name, child.id(), "drift.json"), "{left:?}");
    }
    // The next run writing there sweeps what the killed one left, once that is stale (its
    // process is gone and it has not been written to for a while: made so here by hand).
    for name in &left {
        let f = std::fs::File::options()
            .write(true)
            .open(tmp.path().join(name))
            .unwrap();
        f.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
    }
    let out = provdiff()
        .args(["drift", "--format", "json", "-o"])
        .arg(&report)
        .arg(seed("000"))
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert!(serde_json::from_str::<Value>(&read(&report)).is_ok());
    assert!(
        temp_files(tmp.path()).is_empty(),
        "{:?}",
        temp_files(tmp.path())
    );
}

/// Stale temporary files are swept by the next run writing a report into the same directory:
/// only provdiff's own, only those whose process is gone (and that nothing has written to for
/// a minute) or that are a day old; never another program's file or a live run's.
#[cfg(target_os = "linux")]
#[test]
fn stale_temporary_files_are_swept_by_the_next_run_and_nothing_else() {
    use std::time::SystemTime;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 86400);
    // No process has this id (Linux process ids stay below 2^22).
    let dead = i32::MAX as u32;
    let live = std::process::id();
    let make = |name: &str, modified: SystemTime| {
        let f = std::fs::File::create(d.join(name)).unwrap();
        f.set_modified(modified).unwrap();
    };
    let swept = [
        (format!(".provdiff-tmp-{dead}-a1B2c3-report.json"), hour_ago),
        (
            format!(".provdiff-tmp-{live}-x9Y8z7-other.md"),
            two_days_ago,
        ),
    ];
    let kept = [
        // Its process is gone, but it was written to a moment ago.
        (
            format!(".provdiff-tmp-{dead}-q1W2e3-report.json"),
            SystemTime::now(),
        ),
        // A live process's.
        (format!(".provdiff-tmp-{live}-r4T5y6-report.json"), hour_ago),
        // Other programs' files, however old.
        (
            ".provdiff-tmp-notapid-a1B2c3-report.json".to_string(),
            two_days_ago,
        ),
        (".provdiff-report.json.swp".to_string(), two_days_ago),
        (
            format!(".other-tmp-{dead}-a1B2c3-report.json"),
            two_days_ago,
        ),
        (
            format!("provdiff-tmp-{dead}-a1B2c3-report.json"),
            two_days_ago,
        ),
    ];
    for (name, modified) in swept.iter().chain(&kept) {
        make(name, *modified);
    }
    // A directory named like a temporary file is not touched either.
    let dir_like = format!(".provdiff-tmp-{dead}-d1R2e3-dir");
    std::fs::create_dir(d.join(&dir_like)).unwrap();
    for command in [
        &["scan", "--format", "jsonl"][..],
        &["drift", "--format", "json"],
        &["compare"],
    ] {
        for (name, modified) in &swept {
            make(name, *modified);
        }
        let mut cmd = provdiff();
        cmd.args(command).arg("-o").arg(d.join("report.json"));
        cmd.arg(seed("000"));
        if command[0] == "compare" {
            cmd.arg(seed("001"));
        }
        let out = cmd.output().unwrap();
        assert!(out.status.code() != Some(2), "{command:?}: {out:?}");
        let mut left = temp_files(d);
        left.sort();
        let mut want: Vec<String> = kept
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n.starts_with(".provdiff-"))
            .chain([dir_like.clone()])
            .collect();
        want.sort();
        assert_eq!(left, want, "{command:?}");
        for (name, _) in &kept {
            assert!(d.join(name).exists(), "{command:?} removed {name}");
        }
    }
}

/// A certificate (seed 000) whose provision 一 carries `extra` at its end.
fn with_markup(extra: &str) -> String {
    let text = read(&seed("000"));
    let start = text.find("\n一、").unwrap() + 1;
    let end = start + text[start..].find('\n').unwrap();
    format!("{}{}{}", &text[..end], extra, &text[end..])
}

const MARKUP: &str =
    "<script>alert(1)</script> | *x* [y](javascript:alert(1)) &lt;b&gt; `c` **bold**";

fn assert_markdown_inert(md: &str) {
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(md.contains("\\[y\\]("), "{md}");
    assert!(md.contains("\\&lt;"), "{md}");
    assert!(md.contains("\\*x\\*"), "{md}");
    // Outside code spans, every `<`, `[` and `&` is escaped, except the redline's own tags.
    for line in md.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut in_code = false;
        for (k, &c) in chars.iter().enumerate() {
            let escaped = k > 0 && chars[k - 1] == '\\';
            if escaped {
                continue;
            }
            if c == '`' {
                in_code = !in_code;
            } else if !in_code && matches!(c, '<' | '[' | '&') {
                let rest: String = chars[k..].iter().collect();
                let tag = ["<ins>", "</ins>", "<del>", "</del>"]
                    .iter()
                    .any(|t| rest.starts_with(t));
                assert!(tag, "live markup at {rest:?} in {line:?}");
            }
        }
        assert!(!in_code, "unclosed code span: {line:?}");
    }
    // Table rows keep their columns: in each table, every row has as many unescaped `|`
    // as its separator line.
    let mut widths: Vec<usize> = Vec::new();
    for line in md.lines().chain([""]) {
        if line.starts_with('|') {
            let borders = line
                .char_indices()
                .filter(|&(i, c)| c == '|' && !line[..i].ends_with('\\'))
                .count();
            widths.push(borders);
        } else if !widths.is_empty() {
            assert!(widths.iter().all(|&w| w == widths[0]), "{widths:?}\n{md}");
            widths.clear();
        }
    }
}

#[test]
fn markdown_keeps_certificate_text_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("a.txt"), with_markup(MARKUP)).unwrap();
    std::fs::write(
        d.join("b.txt"),
        with_markup(&format!("{MARKUP}|<img src=x>")),
    )
    .unwrap();
    std::fs::copy(seed("001"), d.join("c.txt")).unwrap();
    // A file name that tries to break out of its code span and start a new block.
    let evil = if cfg!(unix) {
        "evil`\n<img src=x onerror=alert(2)>.txt"
    } else {
        "evil.txt"
    };
    std::fs::write(d.join(evil), with_markup("`")).unwrap();
    let out = provdiff()
        .args(["compare", "--format", "markdown"])
        .arg(d.join("a.txt"))
        .arg(d.join("b.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert_markdown_inert(&md);
    assert!(md.contains("\\<img src=x\\>"), "{md}");
    let out = provdiff()
        .args(["drift", "--format", "markdown"])
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert_markdown_inert(&md);
    if cfg!(unix) {
        assert!(
            md.contains("/evil' <img src=x onerror=alert(2)>.txt`"),
            "{md}"
        );
    }
}

#[test]
fn terminal_output_carries_no_control_characters_from_certificates() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.txt");
    std::fs::write(&a, with_markup("\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m")).unwrap();
    for args in [
        vec!["show"],
        vec!["show", "--format", "json"],
        vec!["compare", "--color", "never"],
    ] {
        let mut cmd = provdiff();
        cmd.args(&args).arg(&a);
        if args[0] == "compare" {
            cmd.arg(seed("001"));
        }
        let out = cmd.output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{args:?}: {text:?}"
        );
    }
}

#[test]
fn csv_cells_that_would_be_formulas_are_neutralized() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let formulas = ["=1+2", "+cmd|'/Ccalc'!A0", "-2+3", "@SUM(A1)"];
    for (k, f) in formulas.iter().enumerate() {
        let text = read(&seed("000"))
            .replace("好美信息技术（北京）有限公司", f)
            .replace("好美信息技术(北京)有限公司", f);
        // Provision 十 of each copy starts with the formula.
        let start = text.find("\n十、").unwrap() + "\n十、".len();
        let text = format!("{}{f}{}", &text[..start], &text[start..]);
        std::fs::write(d.join(format!("{k}.txt")), text).unwrap();
    }
    let out = provdiff()
        .args(["scan", "--format", "csv"])
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut rd = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = rd.headers().unwrap().clone();
    let company = headers.iter().position(|h| h == "company").unwrap();
    let companies: Vec<String> = rd
        .records()
        .map(|r| r.unwrap()[company].to_string())
        .collect();
    let want: Vec<String> = formulas.iter().map(|f| format!("'{f}")).collect();
    assert_eq!(companies, want);

    let out = provdiff()
        .args(["drift", "--format", "csv"])
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // The copies share a licence number: a table of possible duplicates follows the drift
    // table, with its own header row.
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(out.stdout.as_slice());
    let mut seen = 0;
    for row in rd.records() {
        let row = row.unwrap();
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
        if row
            .iter()
            .any(|c| formulas.iter().any(|f| c.starts_with(&format!("'{f}"))))
        {
            seen += 1;
        }
    }
    assert_eq!(
        seen,
        formulas.len(),
        "each formula-led wording is listed, quoted"
    );
}

// ---------------------------------------------------------------------------------------
// 5. Determinism

#[test]
fn bytes_out_do_not_depend_on_jobs_order_or_locale() {
    let mixed = Mixed::new();
    let d = &mixed.dir;
    let forward: Vec<PathBuf> = vec![d.clone(), seed("001"), d.join("gone.txt")];
    let mut backward = forward.clone();
    backward.reverse();
    let run = |command: &str, jobs: &str, paths: &[PathBuf], env: &[(&str, &str)]| {
        let format = if command == "scan" { "jsonl" } else { "json" };
        let mut cmd = provdiff();
        cmd.args([command, "--format", format, "-j", jobs])
            .args(paths);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        (out.stdout, out.stderr)
    };
    let envs: [&[(&str, &str)]; 4] = [
        &[],
        &[("LC_ALL", "C")],
        &[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "zh_CN.UTF-8")],
        &[("TZ", "Asia/Shanghai"), ("LC_ALL", "en_US.UTF-8")],
    ];
    for command in ["scan", "drift"] {
        let reference = run(command, "1", &forward, &[]);
        assert!(!reference.0.is_empty());
        for (jobs, paths) in [("2", &forward), ("2", &backward), ("0", &backward)] {
            assert!(
                run(command, jobs, paths, &[]) == reference,
                "{command} -j {jobs}"
            );
        }
        for env in envs {
            assert!(
                run(command, "2", &backward, env) == reference,
                "{command} {env:?}"
            );
        }
    }
}
