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
