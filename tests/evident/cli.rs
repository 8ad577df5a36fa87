//! The real binary: exit codes, output streams and formats, and the commands that create
//! files. Each test runs in its own temporary folder.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::harness::{Site, TODAY};

/// `evident --color never ARGS…`, run from `cwd`, with colour off.
fn bare(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evident"));
    cmd.current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(["--color", "never"]);
    cmd
}

/// `evident --color never --today TODAY ARGS…`.
fn evident(cwd: &Path) -> Command {
    let mut cmd = bare(cwd);
    cmd.args(["--today", TODAY]);
    cmd
}

#[test]
fn check_passes_on_the_bundled_site_with_warnings() {
    let site = Site::bundled();
    evident(&site.root)
        .arg("check")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 errors,"))
        .stderr(predicate::str::contains("warning["));
}

#[test]
fn check_exits_1_on_content_errors() {
    let site = Site::fixture("invalid/unknown-source");
    evident(site.tmp.path())
        .args(["--root", "site", "check"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "error[unknown-source]: unknown source `src-b`\n --> content/claims/claim-a.yaml:6:9\n",
        ))
        .stderr(predicate::str::ends_with("1 error, 0 warnings\n"));
}

#[test]
fn bad_arguments_exit_2() {
    let site = Site::fixture("minimal");
    bare(&site.root)
        .args(["check", "--today", "2025-13-01"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "invalid value '2025-13-01' for '--today <YYYY-MM-DD>'",
        ));
    evident(&site.root)
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
    evident(&site.root).arg("frobnicate").assert().code(2);
}

#[test]
fn a_missing_root_folder_exits_2() {
    let site = Site::fixture("minimal");
    evident(site.tmp.path())
        .args(["--root", "no-such-folder", "check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-folder"));
    evident(site.tmp.path())
        .args(["--root", "no-such-folder", "build"])
        .assert()
        .code(2);
    assert!(!site.beside("no-such-folder").exists());
}

#[test]
fn check_or_build_outside_a_site_exits_2_and_creates_nothing() {
    let tmp = tempfile::TempDir::new().unwrap();
    let empty = tmp.path().join("not-a-site");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("notes.txt"), "x").unwrap();
    for command in ["check", "build"] {
        evident(&empty)
            .arg(command)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "not-a-site is not an evident site: it has no evident.yaml, content/ or citations/",
            ))
            .stderr(predicate::function(|e: &str| e.lines().count() == 1));
    }
    let left: Vec<_> = std::fs::read_dir(&empty).unwrap().collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn new_refuses_a_topic_slug_or_claim_id_already_taken() {
    let tmp = tempfile::TempDir::new().unwrap();
    evident(tmp.path()).args(["init", "s"]).assert().code(0);
    let root = tmp.path().join("s");
    std::fs::write(
        root.join("content/other.md"),
        "---\ntitle: Other\nquestion: Which?\nslug: taken\nreview:\n  status: draft\n---\n\nText.\n",
    )
    .unwrap();
    evident(&root)
        .args(["new", "topic", "taken"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a page already has the slug `taken`: content/other.md",
        ));
    assert!(!root.join("content/taken").exists());
    // A page without `slug:` has its file name's.
    std::fs::write(
        root.join("content/plain.md"),
        "---\ntitle: Plain\nquestion: Which?\nreview:\n  status: draft\n---\n\nText.\n",
    )
    .unwrap();
    evident(&root)
        .args(["new", "topic", "plain"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("content/plain.md"));
    evident(&root)
        .args(["new", "topic", "claims"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "evident uses it for its own pages",
        ));
    evident(&root)
        .args(["new", "topic", "fresh"])
        .assert()
        .code(0);
    // A claim's id is its file name in any folder.
    std::fs::create_dir_all(root.join("content/deep")).unwrap();
    std::fs::write(root.join("content/deep/kept.yaml"), "statement: x\n").unwrap();
    evident(&root)
        .args(["new", "claim", "kept"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a claim with the id `kept` already exists: content/deep/kept.yaml",
        ));
    assert!(!root.join("content/claims/kept.yaml").exists());
}

const JSON_KEYS: [&str; 8] = [
    "code", "column", "hint", "line", "message", "path", "related", "severity",
];

#[track_caller]
fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    let text = std::str::from_utf8(stdout).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}")))
        .collect()
}

#[test]
fn check_format_json_prints_one_object_per_line() {
    let site = Site::fixture("invalid/duplicate-id--claims");
    let output = evident(&site.root)
        .args(["check", "--format", "json"])
        .assert()
        .code(1)
        .stderr("1 error, 0 warnings\n")
        .get_output()
        .clone();
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 1);
    let d = &lines[0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, JSON_KEYS);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "duplicate-id");
    assert_eq!(d["path"], "content/claims/second/claim-a.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(d["hint"].is_string());
    assert_eq!(
        d["related"],
        serde_json::json!([{
            "path": "content/claims/first/claim-a.yaml", "line": 1, "column": 1,
            "message": "the other file",
        }])
    );

    // Several diagnostics: one line each, sorted by place.
    let site = Site::fixture("invalid/replaced-by-cycle");
    let output = evident(&site.root)
        .args(["check", "--format", "json"])
        .assert()
        .code(1)
        .stderr("2 errors, 0 warnings\n")
        .get_output()
        .clone();
    let paths: Vec<String> = json_lines(&output.stdout)
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        ["content/claims/claim-b.yaml", "content/claims/claim-c.yaml"]
    );

    // A clean site prints nothing on stdout.
    let site = Site::fixture("minimal");
    evident(&site.root)
        .args(["check", "--format", "json"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("0 errors, 0 warnings\n");
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = Site::fixture("invalid/missing-quote");
    evident(&site.root)
        .arg("check")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning[missing-quote]"))
        .stderr(predicate::str::ends_with("0 errors, 1 warning\n"));
    let output = evident(&site.root)
        .args(["check", "--strict", "--format", "json"])
        .assert()
        .code(1)
        .stderr("1 error, 0 warnings\n")
        .get_output()
        .clone();
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["severity"], "error");
    assert_eq!(lines[0]["code"], "missing-quote");

    // A strict build stops too, and writes nothing.
    evident(&site.root)
        .args(["build", "--strict", "--out"])
        .arg(site.beside("out"))
        .assert()
        .code(1);
    assert!(!site.beside("out").exists());
    evident(&site.root)
        .args(["build", "--out"])
        .arg(site.beside("out"))
        .assert()
        .code(0);
    assert!(site.beside("out/index.html").is_file());
}

#[test]
fn init_creates_a_skeleton_that_checks_and_builds() {
    let tmp = tempfile::TempDir::new().unwrap();
    evident(tmp.path())
        .args(["init", "new-site"])
        .assert()
        .code(0);
    assert!(tmp.path().join("new-site/evident.yaml").is_file());
    let ignored = std::fs::read_to_string(tmp.path().join("new-site/.gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "/.evident"), "{ignored}");
    evident(tmp.path())
        .args(["--root", "new-site", "check"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 errors,"));
    evident(tmp.path())
        .args(["--root", "new-site", "build", "--out", "out"])
        .assert()
        .code(0);
    assert!(tmp.path().join("out/index.html").is_file());
    // The skeleton's topic is a draft: not on the public site until it is approved, in the
    // editors' preview at once.
    assert!(!tmp.path().join("out/example/index.html").exists());
    evident(tmp.path())
        .args([
            "--root",
            "new-site",
            "build",
            "--preview",
            "--out",
            "preview",
        ])
        .assert()
        .code(0);
    assert!(tmp.path().join("preview/example/index.html").is_file());
    // init never writes over a site.
    evident(tmp.path())
        .args(["init", "new-site"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already holds"));
}

#[test]
fn init_example_builds() {
    let tmp = tempfile::TempDir::new().unwrap();
    evident(tmp.path())
        .args(["init", "relactation", "--example"])
        .assert()
        .code(0);
    evident(&tmp.path().join("relactation"))
        .arg("check")
        .assert()
        .code(0);
    evident(&tmp.path().join("relactation"))
        .arg("build")
        .assert()
        .code(0);
    let out = tmp.path().join("relactation/public");
    assert!(out.join("relactation/index.html").is_file());
    assert!(
        out.join("claims/relactation-success-seema-trial/index.html")
            .is_file()
    );
}

#[test]
fn new_claim_never_overwrites() {
    let tmp = tempfile::TempDir::new().unwrap();
    evident(tmp.path()).args(["init", "s"]).assert().code(0);
    let root = tmp.path().join("s");
    evident(&root).args(["new", "claim", "x"]).assert().code(0);
    let path = root.join("content/claims/x.yaml");
    let first = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{first}# edited\n")).unwrap();
    evident(&root)
        .args(["new", "claim", "x"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{first}# edited\n")
    );
    // An id that would make a bad path is refused before anything is written.
    evident(&root)
        .args(["new", "claim", "../escape"])
        .assert()
        .failure();
    assert!(!root.join("content/escape.yaml").exists());
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_and_never_with_no_color() {
    let site = Site::fixture("invalid/unknown-source");
    let run = |color: &str, no_color: Option<&str>| {
        let mut cmd = Command::cargo_bin("evident").unwrap();
        cmd.current_dir(&site.root)
            .env_remove("NO_COLOR")
            .args(["--today", TODAY, "--color", color, "check"]);
        if let Some(value) = no_color {
            cmd.env("NO_COLOR", value);
        }
        String::from_utf8(cmd.output().unwrap().stderr).unwrap()
    };
    assert!(
        run("always", None).contains("\x1b[1;31merror[unknown-source]"),
        "--color always paints"
    );
    // Tests run without a terminal: auto means plain, with or without NO_COLOR.
    assert!(!run("auto", None).contains('\x1b'), "auto off a terminal");
    assert!(!run("auto", Some("1")).contains('\x1b'), "NO_COLOR");
    assert!(!run("never", None).contains('\x1b'), "--color never");
}

#[test]
fn github_format_prints_workflow_annotations() {
    let site = Site::fixture("invalid/unknown-source");
    evident(&site.root)
        .args(["check", "--format", "github"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "::error file=content/claims/claim-a.yaml,line=",
        ))
        .stdout(predicate::str::contains(
            "title=unknown-source::unknown source",
        ));
}

#[test]
fn scaffolds_check_clean_once_filled_in() {
    let tmp = tempfile::TempDir::new().unwrap();
    evident(tmp.path()).args(["init", "s"]).assert().code(0);
    let root = tmp.path().join("s");
    for (kind, id) in [
        ("source", "smith2024"),
        ("claim", "support-helps"),
        ("topic", "support"),
    ] {
        evident(&root).args(["new", kind, id]).assert().code(0);
    }
    // As scaffolded, the blanks are reported (never silently accepted).
    evident(&root).arg("check").assert().code(1);
    // Filled in the way an editor would, every file checks clean.
    let fill = |rel: &str, pairs: &[(&str, &str)]| {
        let path = root.join(rel);
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (from, to) in pairs {
            assert!(
                text.contains(from),
                "{rel}: `{from}` not in the scaffold:\n{text}"
            );
            text = text.replacen(from, to, 1);
        }
        std::fs::write(&path, text).unwrap();
    };
    fill(
        "citations/smith2024.yaml",
        &[
            ("  title: \n", "  title: A trial of support\n"),
            ("{family: , given: }", "{family: Smith, given: Ann}"),
            (
                "  container-title: \n",
                "  container-title: Journal of Support\n",
            ),
            ("[[]]", "[[2024]]"),
            ("  DOI: \n", "  DOI: 10.1000/support\n"),
            ("  PMID: \n", ""),
            ("  design:        #", "  design: rct       #"),
            ("  sample_size: \n", "  sample_size: 120\n"),
        ],
    );
    fill(
        "content/claims/support-helps.yaml",
        &[
            (
                "statement: \n",
                "statement: In a trial of 120 mothers, support helped 80 keep breastfeeding.\n",
            ),
            ("certainty:      #", "certainty: moderate #"),
            ("certainty_reason: \n", "certainty_reason: One trial.\n"),
            ("  - id: \n", "  - id: smith2024\n"),
            (
                "    quote: \"\"",
                "    quote: \"Of 120 mothers, 80 kept breastfeeding with support.\"",
            ),
        ],
    );
    fill(
        "content/support/index.md",
        &[
            ("title: \n", "title: Breastfeeding support\n"),
            ("question: \n", "question: Does support help?\n"),
            ("summary: \n", "summary: Support helps.\n"),
            ("[@source-id]", "[@smith2024]"),
            ("[[claim-id]]", "[[support-helps]]"),
        ],
    );
    evident(&root)
        .arg("check")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 errors, 0 warnings"));
}

/// `check --external` asks the site's external URLs (here a server on 127.0.0.1), reports
/// failures as warnings where they are written, and writes its cache and nothing else;
/// `build` never asks.
#[test]
fn check_external_warns_and_writes_only_its_cache() {
    let server = crate::links::TestServer::start();
    let site = crate::links::external_site(&server);
    let before = crate::harness::tree(&site.root);
    let assert = evident(&site.root)
        .args([
            "check",
            "--external",
            "--external-timeout",
            "1",
            "--format",
            "json",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "external: 5 URLs, 5 asked, 0 from the cache",
        ));
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let external: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["code"] == "external-link")
        .collect();
    assert_eq!(external.len(), 2, "{stdout}");
    assert!(
        external
            .iter()
            .all(|d| d["severity"] == "warning" && d["path"] == "content/topic.md")
    );
    let after = crate::harness::tree(&site.root);
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(added, [".evident/cache/external.json"]);
    assert!(
        before
            .iter()
            .all(|(path, bytes)| after.get(path) == Some(bytes))
    );

    // The successes come from the cache now; --strict makes the failures errors.
    evident(&site.root)
        .args(["check", "--external", "--external-timeout", "1", "--strict"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "external: 5 URLs, 2 asked, 3 from the cache",
        ))
        .stderr(predicate::str::contains("error[external-link]"));

    let asked = server.requests.lock().unwrap().len();
    evident(&site.root)
        .args(["build", "--out", "out"])
        .assert()
        .code(0);
    evident(&site.root).arg("check").assert().code(0);
    assert_eq!(
        server.requests.lock().unwrap().len(),
        asked,
        "build and check ask nothing"
    );
}
