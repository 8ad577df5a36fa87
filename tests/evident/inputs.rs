//! What the site's folders hold besides plain files: an `evident.yaml` that is a folder or a
//! named pipe, and symbolic links in `content/`, `citations/` and `reviewed/`. Each is
//! reported clearly (never a hang, never silence).

use std::time::Duration;

use assert_cmd::Command;
use evident::diag::{Code, Severity};

use crate::harness::{Site, TODAY, diagnostics_text};

/// `evident check` in the site, with a bound on how long it may take: a FIFO read would
/// hang for ever.
fn check_in(site: &Site) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_evident"))
        .current_dir(&site.root)
        .args(["--color", "never", "--today", TODAY, "check"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_evident_yaml_that_is_a_folder_is_an_error() {
    let site = Site::fixture("minimal");
    site.remove("evident.yaml");
    std::fs::create_dir(site.path("evident.yaml")).unwrap();
    let kb = site.check();
    let (diagnostics, text) = diagnostics_text(&kb);
    let found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == Code::UnreadableFile)
        .collect();
    assert_eq!(found.len(), 1, "{text}");
    assert_eq!(found[0].severity, Severity::Error);
    assert_eq!(found[0].location.path, "evident.yaml");
    assert!(found[0].message.contains("it is a folder"), "{text}");

    let (code, stderr) = check_in(&site);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[unreadable-file]: cannot read evident.yaml: it is a folder, not a file"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("internal error"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn an_evident_yaml_that_is_a_named_pipe_is_an_error_not_a_hang() {
    let site = Site::fixture("minimal");
    site.remove("evident.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(site.path("evident.yaml"))
        .status()
        .expect("mkfifo (coreutils) makes the named pipe");
    assert!(made.success());
    let (code, stderr) = check_in(&site);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot read evident.yaml: it is a named pipe (FIFO), not a file"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_among_the_inputs_are_reported_at_the_link() {
    use std::os::unix::fs::symlink;

    let site = Site::fixture("minimal");
    let outside = site.beside("elsewhere");
    std::fs::create_dir_all(outside.join("claims")).unwrap();
    std::fs::write(
        outside.join("teapot.yaml"),
        site.read("content/claims/claim-a.yaml"),
    )
    .unwrap();
    std::fs::write(
        outside.join("cups.yaml"),
        site.read("citations/sources.yaml"),
    )
    .unwrap();
    symlink(
        outside.join("teapot.yaml"),
        site.path("content/claims/teapot.yaml"),
    )
    .unwrap();
    symlink(outside.join("claims"), site.path("content/more-claims")).unwrap();
    symlink(outside.join("cups.yaml"), site.path("citations/cups.yaml")).unwrap();
    std::fs::create_dir_all(site.path("reviewed/content")).unwrap();
    symlink(
        outside.join("teapot.yaml"),
        site.path("reviewed/content/teapot.yaml"),
    )
    .unwrap();

    let kb = site.check();
    let (diagnostics, text) = diagnostics_text(&kb);
    let links: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.code == Code::SymlinkSkipped)
        .map(|d| d.location.path.as_str())
        .collect();
    assert_eq!(
        links,
        [
            "citations/cups.yaml",
            "content/claims/teapot.yaml",
            "content/more-claims",
        ],
        "{text}"
    );
    // reviewed/ is read for the public face, which is built from the approved versions.
    let (public, public_text) = diagnostics_text(&site.check_public());
    assert!(
        public
            .iter()
            .any(|d| d.code == Code::SymlinkSkipped
                && d.location.path == "reviewed/content/teapot.yaml"),
        "{public_text}"
    );
    assert!(
        diagnostics
            .iter()
            .filter(|d| d.code == Code::SymlinkSkipped)
            .all(|d| d.severity == Severity::Warning),
        "{text}"
    );
    // Not read: the linked claim and the linked sources are not the site's (no duplicate ids).
    assert_eq!(kb.claims.len(), 1, "{text}");
    assert!(
        !diagnostics.iter().any(|d| d.code == Code::DuplicateId),
        "{text}"
    );
    assert!(
        text.contains("`content/claims/teapot.yaml` is a symbolic link"),
        "{text}"
    );
}
