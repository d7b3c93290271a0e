//! The HTML reports in headless Chromium: the page's script ran (`data-ready`) without errors
//! or console messages, the heat map has one cell per (certificate, slot), redlines are there,
//! hostile certificate text shows as text and runs nothing, and a screenshot of the drift report
//! is saved to `target/report-screenshot.png`.
//!
//! Needs Debian's `chromium` and `fonts-wqy-microhei` (`.ci/run` installs them); the tests fail
//! when Chromium is missing and `CI` is set, and print a note and pass otherwise. Set
//! `PROVDIFF_CHROMIUM` to use another Chromium or Chrome binary.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use regex::Regex;

/// How long one Chromium run may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(120);

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROVDIFF_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Chromium, or `None` (with a note) when it is absent outside CI; absent under CI fails.
fn chromium() -> Option<PathBuf> {
    match find_chromium() {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => panic!(
            "chromium not found and CI is set: install chromium and fonts-wqy-microhei (see .ci/run)"
        ),
        None => {
            eprintln!(
                "note: chromium not found; skipping the browser test (set CI to make this fail)"
            );
            None
        }
    }
}

/// What a Chromium run printed.
struct Output {
    stdout: String,
    stderr: String,
}

fn file_url(path: &Path, fragment: &str) -> String {
    let mut url = String::from("file://");
    for c in path.to_str().expect("UTF-8 temp path").chars() {
        match c {
            ' ' => url.push_str("%20"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            '%' => url.push_str("%25"),
            c => url.push(c),
        }
    }
    url.push_str(fragment);
    url
}

/// Runs headless Chromium on `url` with a fresh profile and `args` (`--dump-dom`, …).
fn run_chromium(bin: &Path, args: &[String], url: &str) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).map(|_| s)
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s)
            .map(|_| String::from_utf8_lossy(&s).into_owned())
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium did not finish within {TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = out.join().unwrap().unwrap();
    let stderr = err.join().unwrap().unwrap();
    assert!(
        status.success(),
        "chromium failed on {url}: {status}\n{stderr}"
    );
    Output { stdout, stderr }
}

fn dump_dom(bin: &Path, page: &Path, fragment: &str) -> Output {
    let out = run_chromium(bin, &["--dump-dom".to_string()], &file_url(page, fragment));
    assert!(
        out.stdout.contains("</html>"),
        "no DOM dumped:\n{}",
        out.stderr
    );
    out
}

/// Writes a report with the binary (`-o` into `dir`) and returns its path.
fn render(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg("-o")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// A copy of the corpus plus seed 001 with `<script>` and `<img onerror>` in provision 十.
fn hostile_corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for prefix in ["000", "001", "002", "003"] {
        let src = seed(prefix);
        std::fs::copy(&src, corpus.join(src.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(seed("001")).unwrap();
    let evil = text.replacen(
        "十、你公司应按照有关法律法规要求",
        "十、你公司应按照有关<script>document.title='pwned'</script>法律法规<img src=x onerror=\"document.title='pwned'\">要求",
        1,
    );
    assert_ne!(evil, text, "provision 十 of seed 001 moved");
    let path = corpus.join("004_hostile.txt");
    std::fs::write(&path, evil).unwrap();
    (dir, path)
}

/// The drift report of [`hostile_corpus`]: the directory that holds both, the corpus and the
/// page.
fn hostile_drift_page() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, _) = hostile_corpus();
    let corpus = dir.path().join("corpus");
    let page = render(
        dir.path(),
        "drift.html",
        &["drift", "--format", "html", corpus.to_str().unwrap()],
    );
    (dir, corpus, page)
}

/// The script ran to the end, recorded no error and the page logged nothing to the console
/// (a Content-Security-Policy violation would be logged there too).
fn assert_ran_clean(out: &Output, title: &str) {
    let body = Regex::new(r"<body[^>]*>").unwrap();
    let body = body.find(&out.stdout).expect("a body").as_str();
    assert!(
        body.contains("data-ready=\"1\""),
        "script did not finish: {body}"
    );
    assert!(body.contains("data-errors=\"\""), "page errors: {body}");
    let console: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console output: {console:#?}");
    let t = Regex::new(r"<title>([^<]*)</title>").unwrap();
    assert_eq!(&t.captures(&out.stdout).expect("a title")[1], title);
}

/// The hostile provision is in the DOM as text, and made no element.
fn assert_hostile_inert(dom: &str) {
    assert!(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(dom.contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;"));
    assert!(!dom.contains("<img"), "an img element was created");
    assert!(
        !dom.contains("<script>document"),
        "a script element was created"
    );
    assert_eq!(
        dom.matches("<script").count(),
        2,
        "only the page's own scripts"
    );
}

/// Heat-map rows of a dumped drift page.
fn heat_rows(dom: &str) -> Vec<String> {
    let re = Regex::new(r#"(?s)<tr data-i="[^"]*" data-y="[^"]*">(.*?)</tr>"#).unwrap();
    re.captures_iter(dom).map(|c| c[1].to_string()).collect()
}

fn slot_count(corpus: &Path) -> usize {
    let out = provdiff()
        .args(["drift", "--format", "json"])
        .arg(corpus)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["slots"].as_array().unwrap().len()
}

#[test]
fn drift_report_in_chromium() {
    let Some(bin) = chromium() else { return };
    let (_dir, corpus, page) = hostile_drift_page();
    let out = dump_dom(&bin, &page, "");
    let dom = &out.stdout;
    assert_ran_clean(&out, "Drift report — 5 certificates");
    assert_hostile_inert(dom);

    let slots = slot_count(&corpus);
    let rows = heat_rows(dom);
    assert_eq!(rows.len(), 5);
    for row in &rows {
        assert_eq!(row.matches("data-slot=").count(), slots, "{row}");
    }
    assert!(dom.contains("直至关闭<del>账</del><ins>帐</ins>号等措施"));

    // With the script, one slot section is shown (the first drifting one), the rest hidden.
    let sections = Regex::new(r#"<section class="slot[^"]*" id="s\d+"[^>]*>"#).unwrap();
    let tags: Vec<&str> = sections.find_iter(dom).map(|m| m.as_str()).collect();
    assert_eq!(tags.len(), slots);
    let shown: Vec<&&str> = tags.iter().filter(|t| !t.contains("hidden")).collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].contains("drifting"));
}

#[test]
fn drift_report_focuses_the_slot_named_in_the_url() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = render(
        dir.path(),
        "drift.html",
        &["drift", "--format", "html", "corpus"],
    );
    let html = std::fs::read_to_string(&page).unwrap();
    let id = Regex::new(r#"id="(s\d+)" data-name="十五\(十三\)""#)
        .unwrap()
        .captures(&html)
        .expect("slot 十五(十三)")[1]
        .to_string();
    let sections = Regex::new(r#"<section class="slot[^"]*" id="(s\d+)"[^>]*>"#).unwrap();
    // By id in the fragment, and by name in the query (?slot=十五(十三)).
    for url in [
        format!("#{id}"),
        "?slot=%E5%8D%81%E4%BA%94(%E5%8D%81%E4%B8%89)".to_string(),
    ] {
        let out = dump_dom(&bin, &page, &url);
        assert_ran_clean(&out, "Drift report — 4 certificates");
        let shown: Vec<String> = sections
            .captures_iter(&out.stdout)
            .filter(|c| !c[0].contains("hidden"))
            .map(|c| c[1].to_string())
            .collect();
        assert_eq!(shown, std::slice::from_ref(&id), "{url}");
        assert!(
            out.stdout
                .contains(&format!("<th class=\"sh d cur\"><a href=\"#{id}\"")),
            "column heading of the focused slot is marked ({url})"
        );
    }
}

#[test]
fn drift_report_groups_and_filters_rows_from_the_query_string() {
    let Some(bin) = chromium() else { return };
    let (_dir, corpus, page) = hostile_drift_page();
    // ?group=issuer&issuer=江苏&drift=1
    let out = dump_dom(&bin, &page, "?group=i&issuer=%E6%B1%9F%E8%8B%8F&drift=1");
    assert_ran_clean(&out, "Drift report — 5 certificates");
    let dom = &out.stdout;
    let rows = Regex::new(r#"<tr data-i="([^"]*)""#).unwrap();
    let issuers: Vec<&str> = rows
        .captures_iter(dom)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(issuers, ["江苏", "江苏", "江苏"]);
    assert!(dom.contains("<tr class=\"g\"><th colspan=\"3\">江苏 · 3 certificates</th>"));
    assert!(dom.contains("id=\"count\">3 of 5 certificates</span>"));
    assert!(
        dom.contains("<table class=\"heat od\" id=\"heat\""),
        "drifting-only view"
    );
    // The grouped rows still carry one cell per slot.
    let slots = slot_count(&corpus);
    for row in heat_rows(dom) {
        assert_eq!(row.matches("data-slot=").count(), slots);
    }
}

#[test]
fn compare_report_in_chromium() {
    let Some(bin) = chromium() else { return };
    let (dir, evil) = hostile_corpus();
    let page = render(
        dir.path(),
        "compare.html",
        &[
            "compare",
            "--format",
            "html",
            seed("002").to_str().unwrap(),
            evil.to_str().unwrap(),
        ],
    );
    let out = dump_dom(&bin, &page, "");
    assert_ran_clean(
        &out,
        "Comparison — 002_3fa2e29c17b4fcd1.txt vs 004_hostile.txt",
    );
    assert_hostile_inert(&out.stdout);
    // 002 says 帐号 where 001 (the hostile copy) says 账号: A's column deletes, B's inserts.
    assert!(out.stdout.contains("直至关闭<del>帐</del>号等措施"));
    assert!(out.stdout.contains("直至关闭<ins>账</ins>号等措施"));
    assert!(out.stdout.contains("id=\"hide-same\""));
}

#[test]
fn drift_report_screenshot() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = render(
        dir.path(),
        "drift.html",
        &["drift", "--format", "html", "corpus"],
    );
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_path_buf();
    let png = target.join("report-screenshot.png");
    std::fs::remove_file(&png).ok();
    run_chromium(
        &bin,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1400,1000".to_string(),
        ],
        &file_url(&page, ""),
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank 1400×1000 page compresses to a few kilobytes; the report is far larger.
    assert!(
        bytes.len() > 40_000,
        "screenshot is only {} bytes",
        bytes.len()
    );
}
