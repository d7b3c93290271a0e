//! The command line itself: flags every long command shares (`-j`, `-q`, `--encoding`),
//! their validation and help, progress on standard error, and what counts as input
//! (standard input, `--files-from`, globs, the same file reached twice, nothing to read).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

fn run(args: &[&str], paths: &[&Path]) -> Output {
    provdiff().args(args).args(paths).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The help of `command`, flattened onto one line per option.
fn help(command: &str) -> String {
    let out = run(&[command, "--help"], &[]);
    assert_exit(&out, 0);
    stdout(&out)
}

const LONG: [&str; 2] = ["scan", "drift"];

// ---------------------------------------------------------------------------------------
// -j

#[test]
fn jobs_are_written_n_in_every_help() {
    for command in LONG {
        let help = help(command);
        assert!(help.contains("-j, --jobs <N>"), "{command}: {help}");
        assert!(!help.contains("<JOBS>"), "{command}");
    }
}

#[test]
fn negative_or_non_numeric_jobs_are_refused_clearly() {
    for command in LONG {
        for bad in ["-1", "-8", "many", "1.5"] {
            let out = run(&[command, "-j", bad], &[&seed("000")]);
            let err = stderr(&out);
            assert_exit(&out, 2);
            assert!(err.contains("-j"), "{command} -j {bad}: {err}");
            assert!(!err.contains("-- "), "{command} -j {bad}: {err}");
            assert!(
                err.contains("0 for one per core") && err.contains("worker threads"),
                "{command} -j {bad}: {err}"
            );
        }
    }
}

#[test]
fn jobs_are_capped_at_four_per_core_with_a_note() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for command in LONG {
        let format = if command == "scan" { "jsonl" } else { "json" };
        let base = run(&[command, "--format", format], &[&corpus()]);
        assert_exit(&base, 0);
        let many = run(&[command, "--format", format, "-j", "100000"], &[&corpus()]);
        assert_exit(&many, 0);
        assert_eq!(many.stdout, base.stdout, "{command}");
        let err = stderr(&many);
        assert_eq!(err.lines().count(), 1, "{command}: {err}");
        assert!(
            err.contains(&format!("{} worker threads", 4 * cores)) && err.contains("100000"),
            "{command}: {err}"
        );
        // Four per core is allowed without a note; -q leaves the note out.
        let four = (4 * cores).to_string();
        let out = run(&[command, "--format", format, "-j", &four], &[&corpus()]);
        assert_exit(&out, 0);
        assert!(out.stderr.is_empty(), "{command}: {}", stderr(&out));
        let out = run(&[command, "-q", "-j", "100000"], &[&corpus()]);
        assert_exit(&out, 0);
        assert!(out.stderr.is_empty(), "{command}: {}", stderr(&out));
    }
}

// ---------------------------------------------------------------------------------------
// -q and progress

#[test]
fn every_long_command_takes_quiet_and_writes_nothing_on_stderr_off_a_terminal() {
    for command in LONG {
        assert!(help(command).contains("-q, --quiet"), "{command}");
        for quiet in [&["-q"][..], &["--quiet"], &[]] {
            let out = provdiff()
                .arg(command)
                .args(quiet)
                .arg(corpus())
                .output()
                .unwrap();
            assert_exit(&out, 0);
            assert!(
                out.stderr.is_empty(),
                "{command} {quiet:?}: {}",
                stderr(&out)
            );
        }
    }
}

/// `provdiff ARGS` run on a terminal (a pseudo-terminal made by util-linux `script`, which
/// gives it standard output and standard error alike): everything the terminal showed, or
/// `None` where `script` is missing.
#[cfg(target_os = "linux")]
fn on_a_terminal(dir: &Path, args: &str) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("provdiff");
    let out = std::process::Command::new("script")
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// On a terminal the table lists every failure: standard error does not repeat it there.
/// With `-q` no progress is drawn.
#[cfg(target_os = "linux")]
#[test]
fn a_failure_shows_once_on_a_terminal_and_quiet_draws_no_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::copy(seed("000"), d.join("a.txt")).unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    for command in LONG {
        let Some(screen) = on_a_terminal(d, &format!("{command} .")) else {
            eprintln!("no `script`: skipped");
            return;
        };
        assert_eq!(
            screen.matches("the file is empty").count(),
            1,
            "{command}: {screen}"
        );
        let screen = on_a_terminal(d, &format!("{command} -q .")).unwrap();
        assert!(
            !screen.contains("finding certificates"),
            "{command}: {screen}"
        );
        assert!(!screen.contains("parsed"), "{command}: {screen}");
        // Off the terminal (here to a file), standard error tells the failure.
        let screen = on_a_terminal(d, &format!("{command} -o report.txt .")).unwrap();
        assert_eq!(
            screen.matches("the file is empty").count(),
            1,
            "{command}: {screen}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// --encoding

#[test]
fn an_unknown_encoding_is_refused_once_before_any_file_is_read() {
    let cases: [&[&str]; 4] = [
        &["show", "--encoding", "foo"],
        &["compare", "--encoding", "foo"],
        &["scan", "--encoding", "foo"],
        &["drift", "--encoding", "foo"],
    ];
    for args in cases {
        let mut cmd = provdiff();
        cmd.args(args).arg(seed("000"));
        if args[0] != "show" {
            cmd.arg(seed("001"));
        }
        let out = cmd.output().unwrap();
        let err = stderr(&out);
        assert_exit(&out, 2);
        assert!(
            err.contains("\"foo\"") || err.contains("'foo'"),
            "{args:?}: {err}"
        );
        // Once, not once per file, and with the labels to use instead.
        assert!(!err.contains("000_"), "{args:?}: {err}");
        assert!(
            err.contains("gb18030") && err.contains("utf-16le"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn help_lists_the_encodings() {
    for command in ["show", "compare", "scan", "drift"] {
        let help = help(command);
        for label in ["utf-8", "utf-16le", "utf-16be", "gb18030", "gbk", "big5"] {
            assert!(help.contains(label), "{command} --help lacks {label}");
        }
    }
}

#[test]
fn a_wrong_forced_encoding_is_named_in_the_error() {
    let tmp = tempfile::tempdir().unwrap();
    let gb = tmp.path().join("gb.txt");
    std::fs::write(&gb, gb18030(&std::fs::read_to_string(seed("000")).unwrap())).unwrap();
    // UTF-8 read as GB18030 (replacement characters), GB18030 read as UTF-8 and UTF-16LE.
    for (file, label, name) in [
        (seed("000"), "gb18030", "GB18030"),
        (gb.clone(), "utf-8", "UTF-8"),
        (gb.clone(), "utf-16le", "UTF-16LE"),
    ] {
        let out = run(
            &["scan", "--format", "jsonl", "--encoding", label],
            &[&file],
        );
        assert_exit(&out, 2);
        let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(record["status"], "error", "{label}");
        let reason = record["error"].as_str().unwrap();
        assert!(
            reason.contains(&format!("decoded as {name}, the encoding forced"))
                && reason.contains("may be in another encoding"),
            "{label}: {reason}"
        );
        if label == "gb18030" {
            assert!(reason.contains("replaced by U+FFFD"), "{label}: {reason}");
        }
        // drift says the same.
        let out = run(&["drift", "--encoding", label], &[&file]);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(reason), "{label}: {}", stderr(&out));
    }
    // The right encoding forced reads the file.
    let out = run(&["scan", "--encoding", "gbk"], &[&gb]);
    assert_exit(&out, 0);
}

// ---------------------------------------------------------------------------------------
// --by

#[test]
fn by_year_issuer_is_by_issuer_year() {
    let want = run(&["drift", "--by", "issuer,year"], &[&corpus()]);
    assert_exit(&want, 0);
    for by in ["year,issuer", "issuer,year"] {
        let out = run(&["drift", "--by", by], &[&corpus()]);
        assert_exit(&out, 0);
        assert_eq!(stdout(&out), stdout(&want), "{by}");
    }
    let out = run(&["drift", "--by", "company"], &[&corpus()]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("issuer,year"), "{}", stderr(&out));
}

// Silences "unused" for helpers used only by some tests.
#[allow(dead_code)]
fn _paths(_: PathBuf) {}

// ---------------------------------------------------------------------------------------
// What counts as input

/// Seed 000 up to its special provisions: a cover page with a licence number and nothing to
/// compare.
fn cover_only() -> String {
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let end = text.find("特别规定事项").unwrap();
    text[..end].to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)))
}

fn jsonl(out: &Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Paths of drift's documents, as written.
fn documents(out: &Output) -> Vec<String> {
    json(out)["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn nothing_to_read_is_an_error_saying_what_was_searched() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty-dir");
    std::fs::create_dir(&empty).unwrap();
    let certs = tmp.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    std::fs::copy(seed("000"), certs.join("a.txt")).unwrap();
    for command in LONG {
        for (args, dirs, glob) in [
            (&[][..], vec![&empty], "*.{txt,pdf,png,jpg,jpeg,tif,tiff}"),
            (
                &[][..],
                vec![&empty, &empty],
                "*.{txt,pdf,png,jpg,jpeg,tif,tiff}",
            ),
            (&["--glob", "*.md"][..], vec![&certs], "*.md"),
        ] {
            let mut cmd = provdiff();
            cmd.arg(command).args(args).args(&dirs);
            let out = cmd.output().unwrap();
            let err = stderr(&out);
            let what = format!("{command} {args:?}: {err}");
            assert_exit(&out, 2);
            assert!(err.contains("no certificate"), "{what}");
            assert!(err.contains(&dirs[0].display().to_string()), "{what}");
            assert!(err.contains(glob), "{what}");
            assert!(out.stdout.is_empty(), "{what}");
        }
    }
}

#[test]
fn a_file_without_provisions_is_an_error_in_scan_and_skipped_by_drift() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("cover.txt"), cover_only()).unwrap();
    std::fs::copy(seed("000"), d.join("good.txt")).unwrap();
    let reason = "no numbered special provisions (特别规定事项) found";
    let out = run(&["scan", "--format", "jsonl"], &[d]);
    assert_exit(&out, 2);
    let records = jsonl(&out);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["status"], "error");
    assert_eq!(records[0]["error"], reason);
    assert_eq!(records[1]["status"], "ok");
    assert!(stderr(&out).contains(&format!("cover.txt: {reason}")));
    let out = run(&["drift", "--format", "json"], &[d]);
    assert_exit(&out, 2);
    assert_eq!(documents(&out).len(), 1);
    let v = json(&out);
    assert!(
        v["errors"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("cover.txt")
    );
    assert_eq!(v["errors"][0]["error"], reason);
    assert!(stderr(&out).contains(&format!("cover.txt: {reason}")));
    // A shard from a scan that passed such a file says the same.
    let shard = d.join("old.jsonl");
    let mut record: serde_json::Value =
        jsonl(&run(&["scan", "--format", "jsonl"], &[&seed("000")])).remove(0);
    record["path"] = "cover.txt".into();
    record["provisions"] = 0.into();
    record["sub_items"] = 0.into();
    record["tree"] = serde_json::json!([]);
    std::fs::write(&shard, format!("{record}\n")).unwrap();
    let out = run(&["drift", "--format", "json", "--from-scan"], &[&shard]);
    assert_exit(&out, 2);
    assert_eq!(json(&out)["errors"][0]["error"], reason);
    // show still shows such a file, with its warnings.
    assert_exit(&run(&["show"], &[&d.join("cover.txt")]), 0);
}

#[test]
fn the_glob_matches_without_regard_to_case() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for name in ["a.txt", "B.TXT", "c.Txt", "notes.md"] {
        std::fs::copy(seed("000"), d.join(name)).unwrap();
    }
    let names = |out: &Output| -> Vec<String> {
        jsonl(out)
            .iter()
            .map(|r| {
                let p = r["path"].as_str().unwrap();
                Path::new(p)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    for glob in [None, Some("*.TXT"), Some("*.txt")] {
        let mut cmd = provdiff();
        cmd.args(["scan", "--format", "jsonl"]);
        if let Some(glob) = glob {
            cmd.args(["--glob", glob]);
        }
        let out = cmd.arg(d).output().unwrap();
        assert_exit(&out, 0);
        assert_eq!(names(&out), ["B.TXT", "a.txt", "c.Txt"], "{glob:?}");
    }
    let out = run(&["scan", "--format", "jsonl", "--glob", "B*"], &[d]);
    assert_eq!(names(&out), ["B.TXT"]);
    let out = run(&["drift", "--format", "json"], &[d]);
    assert_eq!(documents(&out).len(), 3);
}

#[test]
fn a_file_reached_twice_is_read_once_under_the_first_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let in_root = |args: &[&str]| provdiff().current_dir(root).args(args).output().unwrap();
    let once = in_root(&["drift", "--format", "json", "corpus"]);
    assert_exit(&once, 0);
    // The same directory twice, by two names; a file of it named again, before and after.
    let seed0 = format!(
        "corpus/{}",
        seed("000").file_name().unwrap().to_string_lossy()
    );
    let dot = format!("./{seed0}");
    for args in [
        &["corpus", "./corpus"][..],
        &["corpus", "corpus"],
        &["corpus", &dot],
        &["corpus", "corpus/../corpus"],
    ] {
        let out = in_root(&[&["drift", "--format", "json"][..], args].concat());
        assert_exit(&out, 0);
        assert!(
            stdout(&out) == stdout(&once),
            "{args:?}: {:?}",
            documents(&out)
        );
    }
    let out = in_root(&["drift", "--format", "json", &dot, "corpus"]);
    assert_exit(&out, 0);
    let docs = documents(&out);
    assert_eq!(docs.len(), 4, "{docs:?}");
    assert!(docs.contains(&dot), "{docs:?}");
    let out = in_root(&["scan", "--format", "jsonl", "corpus", "./corpus", &seed0]);
    assert_exit(&out, 0);
    assert_eq!(jsonl(&out).len(), 4);
}

#[cfg(unix)]
#[test]
fn a_file_reached_through_a_symbolic_link_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("certs");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::copy(seed("000"), d.join("sub/m.txt")).unwrap();
    std::fs::copy(seed("001"), d.join("z.txt")).unwrap();
    // A link sorted before its target, one after, and a linked directory (sorted before the
    // directory it links to: its file is reached first through it).
    std::os::unix::fs::symlink(d.join("z.txt"), d.join("a-link.txt")).unwrap();
    std::os::unix::fs::symlink(d.join("sub/m.txt"), d.join("zz-link.txt")).unwrap();
    std::os::unix::fs::symlink(d.join("sub"), d.join("linked-sub")).unwrap();
    // And the whole directory reached again through a link to it.
    std::os::unix::fs::symlink(&d, tmp.path().join("alias")).unwrap();
    let names = |out: &Output| -> Vec<String> {
        jsonl(out)
            .iter()
            .map(|r| {
                let p = Path::new(r["path"].as_str().unwrap());
                p.strip_prefix(tmp.path()).unwrap().display().to_string()
            })
            .collect()
    };
    let out = run(&["scan", "--format", "jsonl"], &[&d]);
    assert_exit(&out, 0);
    assert_eq!(names(&out), ["certs/a-link.txt", "certs/linked-sub/m.txt"]);
    let out = run(
        &["scan", "--format", "jsonl"],
        &[&d, &tmp.path().join("alias")],
    );
    assert_exit(&out, 0);
    assert_eq!(names(&out), ["certs/a-link.txt", "certs/linked-sub/m.txt"]);
    let out = run(
        &["drift", "--format", "json"],
        &[&tmp.path().join("alias/z.txt"), &d],
    );
    assert_exit(&out, 0);
    assert_eq!(documents(&out).len(), 2);
}

// ---------------------------------------------------------------------------------------
// Standard input and lists of paths

fn with_stdin(args: &[&str], paths: &[&Path], input: Vec<u8>) -> Output {
    provdiff()
        .args(args)
        .args(paths)
        .write_stdin(input)
        .output()
        .unwrap()
}

#[test]
fn drift_reads_a_certificate_from_standard_input() {
    let text = std::fs::read(seed("003")).unwrap();
    let out = with_stdin(&["drift", "--format", "json", "-"], &[], text.clone());
    assert_exit(&out, 0);
    assert_eq!(documents(&out), ["-"]);
    let out = with_stdin(
        &["drift", "--format", "json", "-"],
        &[&seed("000"), &seed("001")],
        text,
    );
    assert_exit(&out, 0);
    assert_eq!(documents(&out).len(), 3);
    assert_eq!(documents(&out)[0], "-");
}

#[test]
fn a_shard_comes_from_standard_input() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scanned = provdiff()
        .current_dir(root)
        .args(["scan", "--format", "jsonl", "corpus"])
        .output()
        .unwrap();
    assert_exit(&scanned, 0);
    let direct = provdiff()
        .current_dir(root)
        .args(["drift", "--format", "json", "corpus"])
        .output()
        .unwrap();
    let out = provdiff()
        .args(["drift", "--format", "json", "--from-scan", "-"])
        .write_stdin(scanned.stdout)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), stdout(&direct));
}

#[test]
fn paths_named_after_the_shards_are_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let shard = tmp.path().join("a.jsonl");
    let scanned = run(&["scan", "--format", "jsonl"], &[&seed("000")]);
    std::fs::write(&shard, &scanned.stdout).unwrap();
    let dir = tmp.path().join("certs");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(seed("001"), dir.join("b.txt")).unwrap();
    for swallowed in [dir.clone(), dir.join("b.txt")] {
        let out = run(&["drift", "--from-scan"], &[&shard, &swallowed]);
        let err = stderr(&out);
        assert_exit(&out, 2);
        assert!(err.contains(&swallowed.display().to_string()), "{err}");
        assert!(err.contains("not a scan shard"), "{err}");
        assert!(err.contains("before --from-scan"), "{err}");
        assert!(out.stdout.is_empty());
    }
    // Named before the shards, or after `--`, they are certificates.
    let want = run(&["drift", "--format", "json"], &[&seed("000"), &dir]);
    assert_exit(&want, 0);
    for args in [
        vec![dir.as_os_str(), "--from-scan".as_ref(), shard.as_os_str()],
        vec![
            "--from-scan".as_ref(),
            shard.as_os_str(),
            "--".as_ref(),
            dir.as_os_str(),
        ],
    ] {
        let out = provdiff()
            .args(["drift", "--format", "json"])
            .args(&args)
            .output()
            .unwrap();
        assert_exit(&out, 0);
        assert_eq!(documents(&out).len(), 2, "{args:?}");
        assert_eq!(json(&out)["slots"], json(&want)["slots"], "{args:?}");
    }
}

#[test]
fn files_from_lists_paths_one_per_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let sub = d.join("sub dir");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(seed("001"), sub.join("b.txt")).unwrap();
    let list = format!("{}\r\n\n{}\n", seed("000").display(), sub.display());
    std::fs::write(d.join("list"), &list).unwrap();
    for (command, format) in [("scan", "jsonl"), ("drift", "json")] {
        let want = run(&[command, "--format", format], &[&seed("000"), &sub]);
        assert_exit(&want, 0);
        let from_file = provdiff()
            .args([command, "--format", format, "--files-from"])
            .arg(d.join("list"))
            .output()
            .unwrap();
        assert_exit(&from_file, 0);
        assert_eq!(stdout(&from_file), stdout(&want), "{command}");
        let from_stdin = provdiff()
            .args([command, "--format", format, "--files-from", "-"])
            .write_stdin(list.clone())
            .output()
            .unwrap();
        assert_exit(&from_stdin, 0);
        assert_eq!(stdout(&from_stdin), stdout(&want), "{command}");
        // Paths given besides the list are read too.
        let both = provdiff()
            .args([command, "--format", format, "--files-from", "-"])
            .arg(seed("002"))
            .write_stdin(list.clone())
            .output()
            .unwrap();
        assert_exit(&both, 0);
        assert_ne!(stdout(&both), stdout(&want), "{command}");
        // An empty list is nothing to read.
        let out = provdiff()
            .args([command, "--files-from", "-"])
            .write_stdin("\n")
            .output()
            .unwrap();
        assert_exit(&out, 2);
        assert!(stderr(&out).contains("lists no paths"), "{}", stderr(&out));
    }
    let out = run(&["scan", "--files-from"], &[&d.join("missing")]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("missing: no such file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn standard_input_feeds_one_input_only() {
    let cert = std::fs::read(seed("000")).unwrap();
    for args in [
        &["scan", "-", "-"][..],
        &["scan", "-", "--files-from", "-"],
        &["drift", "-", "-"],
        &["drift", "-", "--from-scan", "-"],
        &["drift", "--files-from", "-", "--from-scan", "-"],
        &["drift", "-", "--files-from", "-"],
    ] {
        let out = with_stdin(args, &[], cert.clone());
        let err = stderr(&out);
        assert_exit(&out, 2);
        assert!(err.contains("standard input"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
