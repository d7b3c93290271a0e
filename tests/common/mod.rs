//! Helpers shared by the integration tests: paths of the bundled corpus, running the binary,
//! and noisy re-renderings of a certificate that must parse to the same provisions.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Asserts a finished command exited with `code`, showing its standard error otherwise.
pub fn assert_exit(out: &std::process::Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A size read from the environment variable `var`, else `default`: lets a test run bigger
/// on demand.
pub fn env_count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The bundled corpus directory.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The seed whose file name starts with `prefix` (`"000"` …).
pub fn seed(prefix: &str) -> PathBuf {
    let mut hits: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "txt")
                && p.file_name().unwrap().to_string_lossy().starts_with(prefix)
        })
        .collect();
    hits.sort();
    assert_eq!(hits.len(), 1, "one seed starting with {prefix}");
    hits.remove(0)
}

/// The `provdiff` binary, built by cargo for the tests.
pub fn provdiff() -> Command {
    let mut cmd = Command::cargo_bin("provdiff").unwrap();
    cmd.env_remove("NO_COLOR").env("COLUMNS", "80");
    cmd
}

/// Flattened provision ids and texts of a parsed certificate.
pub fn ids_and_texts(cert: &provdiff::model::Certificate) -> Vec<(String, String)> {
    cert.flat()
        .map(|p| (p.id.to_string(), p.text.clone()))
        .collect()
}

/// Full-width ↔ half-width punctuation swapped throughout.
pub fn swap_punctuation_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ',' => '，',
            '，' => ',',
            '(' => '（',
            '（' => '(',
            ')' => '）',
            '）' => ')',
            ':' => '：',
            '：' => ':',
            ';' => '；',
            '；' => ';',
            c => c,
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A space after every `step`-th CJK character that is followed by another CJK character
/// (as OCR puts them), never between two Latin letters or digits.
pub fn add_cjk_spaces(text: &str, step: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut n = 0;
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if is_cjk(c) && chars.get(i + 1).is_some_and(|&d| is_cjk(d)) {
            n += 1;
            if n % step == 0 {
                out.push(if n % (2 * step) == 0 { '\u{3000}' } else { ' ' });
            }
        }
    }
    out
}

/// Hard wraps: long lines split between two CJK characters every `width` characters.
pub fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        let mut col = 0;
        for (i, &c) in chars.iter().enumerate() {
            out.push(c);
            col += 1;
            if col >= width && is_cjk(c) && chars.get(i + 1).is_some_and(|&d| is_cjk(d)) {
                out.push('\n');
                col = 0;
            }
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// Page breaks with furniture (licence-number header, 特别规定事项 heading, a signature block)
/// inserted in the middle of every `every`-th line of the special provisions.
pub fn move_page_breaks(text: &str, license: &str, every: usize) -> String {
    let mut out = String::new();
    let mut in_body = false;
    let mut n = 0;
    for line in text.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        let mid = chars.len() / 2;
        if in_body && chars.len() > 20 && is_cjk(chars[mid - 1]) && is_cjk(chars[mid]) && {
            n += 1;
            n % every == 0
        } {
            let (a, b): (String, String) =
                (chars[..mid].iter().collect(), chars[mid..].iter().collect());
            out.push_str(&a);
            out.push_str(&format!(
                "\n\n司(局)负责人:\n\n公司代表:\n\n年 月 日\n\n经营许可证编号: {license}\n\n## 特别规定事项\n\n"
            ));
            out.push_str(&b);
        } else {
            out.push_str(line);
        }
        out.push('\n');
        if line.trim().trim_start_matches('#').trim() == "特别规定事项" {
            in_body = true;
        }
    }
    out.pop();
    out
}

/// UTF-16LE bytes with a BOM.
pub fn utf16le(text: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

/// GB18030 bytes.
pub fn gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

pub mod props;

/// What [`run_watched`] saw: the output, and the largest resident set the process reached.
pub struct Watched {
    /// Exit status, standard output and standard error.
    pub output: std::process::Output,
    /// Peak resident set size in KiB (`VmHWM`), when the platform reports it (Linux).
    pub peak_rss_kb: Option<u64>,
    /// Wall-clock time the process took.
    pub elapsed: std::time::Duration,
}

/// The `provdiff` binary as a plain [`std::process::Command`], with the environment of
/// [`provdiff`].
pub fn provdiff_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("provdiff"));
    cmd.env_remove("NO_COLOR").env("COLUMNS", "80");
    cmd
}

fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `cmd` to completion, draining its output, sampling its peak memory every few
/// milliseconds; kills it and panics if it runs longer than `timeout` (a hang).
pub fn run_watched(mut cmd: std::process::Command, timeout: std::time::Duration) -> Watched {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let described = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn provdiff");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut peak: Option<u64> = None;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if let Some(kb) = peak_rss_kb(child.id()) {
            peak = Some(peak.map_or(kb, |p| p.max(kb)));
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {timeout:?} (a hang?): {described}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    Watched {
        output: std::process::Output {
            status,
            stdout: out.join().expect("stdout thread"),
            stderr: err.join().expect("stderr thread"),
        },
        peak_rss_kb: peak,
        elapsed,
    }
}
