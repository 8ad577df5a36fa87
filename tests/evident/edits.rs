//! The commands that edit the site's files (`review`, `import`, `new`, `init`) as an unlucky
//! user or an attacker would run them: two approvals at once are both recorded; nothing is
//! written through a symbolic link or at a planted temporary name; a CRLF file stays CRLF;
//! a control character in a note and sources written outside `citations/` are refused.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::harness::{Site, TODAY};

const CLAIM: &str = "content/claims/claim-a.yaml";

const CONFIG: &str = "title: Edits fixture\nreviewers:\n  - {id: author, name: An Author, role: author}\n  - {id: reviewer, name: A Reviewer, role: clinical reviewer}\n  - {id: second, name: A Second Reviewer, role: clinical reviewer}\nreview:\n  approvals_required: 2\n";

/// A claim in review: submitted by the author, started by the reviewer.
const IN_REVIEW: &str = "statement: Something may be true.\nkind: finding\ncertainty: low\ncertainty_reason: One cohort study.\nsources:\n  - id: src-a\n    locator: abstract\n    quote: \"Something is true.\"\nreview:\n  status: in-review\n  history:\n    - {date: 2026-11-01, by: author, action: submit}\n    - {date: 2026-11-02, by: reviewer, action: start}\n";

/// The minimal fixture with two reviewers, two approvals required, and claim-a in review.
#[track_caller]
fn site() -> Site {
    let site = Site::fixture("minimal");
    site.write("evident.yaml", CONFIG);
    site.write(CLAIM, IN_REVIEW);
    site
}

/// The real binary, run from `cwd` on the tests' day, its output captured.
fn evident(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evident"));
    cmd.current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(["--color", "never", "--today", TODAY])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[track_caller]
fn run(cwd: &Path, args: &[&str]) -> Output {
    evident(cwd).args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether the claim file records an approval by `by` (as `evident review` writes one).
fn approved_by(text: &str, by: &str) -> bool {
    text.replace("\r\n", "\n")
        .contains(&format!("by: {by}\n      action: approve\n"))
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn two_approvals_at_the_same_moment_are_both_recorded() {
    let site = site();
    for round in 0..20 {
        site.write(CLAIM, IN_REVIEW);
        let _ = std::fs::remove_dir_all(site.path("reviewed"));
        let children: Vec<_> = ["reviewer", "second"]
            .into_iter()
            .map(|by| {
                let child = evident(&site.root)
                    .args(["review", "approve", "claim-a", "--by", by])
                    .spawn()
                    .unwrap();
                (by, child)
            })
            .collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|(by, child)| (by, child.wait_with_output().unwrap()))
            .collect();
        let text = site.read(CLAIM);
        for (by, output) in &outputs {
            if output.status.success() {
                assert!(
                    approved_by(&text, by),
                    "round {round}: {by} reported success, and its approval is not in the file:\n{text}"
                );
            } else {
                assert!(
                    stderr(output).contains("error:"),
                    "round {round}: {by} failed without saying why: {}",
                    stderr(output)
                );
            }
        }
        // The second waits for the first, then decides on the file the first wrote: both
        // are recorded, and together they approve the claim.
        for (by, output) in &outputs {
            assert!(
                output.status.success(),
                "round {round}: {by} was refused: {}",
                stderr(output)
            );
        }
        assert!(
            text.contains("  status: approved\n"),
            "round {round}:\n{text}"
        );
        assert_eq!(site.check().claims["claim-a"].status.name(), "approved");
        assert!(site.path("reviewed/content/claims/claim-a.yaml").is_file());
        assert_eq!(names(&site.path("content/claims")), ["claim-a.yaml"]);
        assert_eq!(
            names(&site.path("reviewed")),
            ["content"],
            "the lock is left"
        );
    }
}

#[test]
fn a_lock_file_left_by_a_killed_review_does_not_block() {
    let site = site();
    site.write("reviewed/.lock", "4242\n");
    let output = run(
        &site.root,
        &["review", "approve", "claim-a", "--by", "second"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("waiting"), "{}", stderr(&output));
    assert!(approved_by(&site.read(CLAIM), "second"));
}

#[cfg(unix)]
#[test]
fn review_never_writes_through_a_link() {
    use std::os::unix::fs::symlink;

    // Links planted at the temporary names, this version's and older ones.
    let site = site();
    let outside = site.beside("outside.txt");
    std::fs::write(&outside, "mine").unwrap();
    for name in ["claim-a.yaml.evident-tmp", ".claim-a.yaml.evident-tmp"] {
        symlink(&outside, site.path(&format!("content/claims/{name}"))).unwrap();
    }
    let output = run(
        &site.root,
        &["review", "approve", "claim-a", "--by", "second"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(approved_by(&site.read(CLAIM), "second"));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "mine");

    // content/ a link to a folder outside the site: loaded, but never written.
    let site = self::site();
    let elsewhere = site.beside("content-elsewhere");
    std::fs::rename(site.path("content"), &elsewhere).unwrap();
    symlink(&elsewhere, site.path("content")).unwrap();
    let before = std::fs::read(elsewhere.join("claims/claim-a.yaml")).unwrap();
    let output = run(
        &site.root,
        &["review", "approve", "claim-a", "--by", "second"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("content is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read(elsewhere.join("claims/claim-a.yaml")).unwrap(),
        before
    );
    assert_eq!(names(&elsewhere.join("claims")), ["claim-a.yaml"]);

    // reviewed/ a link: the approval that completes the review writes nothing at all.
    let site = self::site();
    let elsewhere = site.beside("reviewed-elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, site.path("reviewed")).unwrap();
    let output = run(
        &site.root,
        &["review", "approve", "claim-a", "--by", "second"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("reviewed is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(site.read(CLAIM), IN_REVIEW);
    assert!(names(&elsewhere).is_empty());
}

#[test]
fn review_keeps_a_crlf_file_crlf() {
    let site = site();
    let crlf = IN_REVIEW.replace('\n', "\r\n");
    site.write(CLAIM, &crlf);
    let output = run(
        &site.root,
        &["review", "approve", "claim-a", "--by", "second"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = site.read(CLAIM);
    assert!(approved_by(&text, "second"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "a line without CR: {text:?}"
    );
    assert!(text.starts_with(&crlf[..crlf.find("review:").unwrap()]));
    let output = run(
        &site.root,
        &["review", "approve", "claim-a", "--by", "reviewer"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = site.read(CLAIM);
    assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
    assert_eq!(site.check().claims["claim-a"].status.name(), "approved");
}

#[test]
fn a_control_character_in_a_note_is_refused_as_a_bad_character() {
    let site = site();
    let output = run(
        &site.root,
        &[
            "review",
            "request-changes",
            "claim-a",
            "--by",
            "reviewer",
            "--note",
            "more tea\u{7f} please",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(
        said.contains("--note has a bad character: U+007F at character 9"),
        "{said}"
    );
    assert!(!said.contains("internal error"), "{said}");
    assert_eq!(site.read(CLAIM), IN_REVIEW);
}

const EXPORT: &str = r#"[{"id": "k1", "type": "book", "title": "Teapots of the world", "author": [{"family": "Kettle", "given": "Ann"}], "issued": {"date-parts": [[2001]]}}]"#;

#[test]
fn import_writes_only_inside_citations() {
    let site = site();
    site.write("export.json", EXPORT);
    let before = crate::harness::tree(&site.root);
    for into in ["content", "content/refs", "."] {
        let output = run(&site.root, &["import", "export.json", "--into", into]);
        assert_eq!(output.status.code(), Some(2), "{into}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("sources belong in citations/"),
            "{into}: {}",
            stderr(&output)
        );
    }
    assert_eq!(crate::harness::tree(&site.root), before);
    let output = run(
        &site.root,
        &["import", "export.json", "--into", "citations/books"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(names(&site.path("citations/books")).len(), 1);
}

#[cfg(unix)]
#[test]
fn import_new_and_init_refuse_links_on_the_way() {
    use std::os::unix::fs::symlink;

    // citations/ a link to a folder inside the site still writes through a link.
    let site = site();
    site.write("export.json", EXPORT);
    std::fs::rename(site.path("citations"), site.path("content/refs")).unwrap();
    symlink("content/refs", site.path("citations")).unwrap();
    let output = run(&site.root, &["import", "export.json"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("citations is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(names(&site.path("content/refs")), ["sources.yaml"]);

    // new claim into content/claims that is a link outside the site.
    let site = self::site();
    let elsewhere = site.beside("claims-elsewhere");
    std::fs::rename(site.path("content/claims"), &elsewhere).unwrap();
    symlink(&elsewhere, site.path("content/claims")).unwrap();
    let output = run(&site.root, &["new", "claim", "fresh-tea"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("claims is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(names(&elsewhere), ["claim-a.yaml"]);
    // A source file through a dangling link is not created at its target either.
    symlink(
        site.beside("planted.yaml"),
        site.path("citations/fresh-pot.yaml"),
    )
    .unwrap();
    let output = run(&site.root, &["new", "source", "fresh-pot"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!site.beside("planted.yaml").exists());

    // init into a folder whose content/ is a link: nothing is written anywhere.
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("s");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, dir.join("content")).unwrap();
    let output = run(tmp.path(), &["init", "s"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("content is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(names(&dir), ["content"]);
    assert!(names(&elsewhere).is_empty());
}

#[test]
fn new_claim_refuses_an_id_a_file_has_in_another_folder_whatever_its_extension_case() {
    let site = site();
    site.write("content/deep/kept.YAML", "statement: x\n");
    let output = run(&site.root, &["new", "claim", "kept"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("a claim with the id `kept` already exists: content/deep/kept.YAML"),
        "{}",
        stderr(&output)
    );
    assert!(!site.path("content/claims/kept.yaml").exists());
}
