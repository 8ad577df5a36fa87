//! Killed builds: a commit stopped after any number of its changes (the failpoint in
//! commit.rs), or a build stopped before its journal, leaves a folder that the next writer
//! turns into exactly the new site or exactly the old one, the user's files untouched. And the
//! output folder is never reached through a link.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::commit::failpoint;
use super::journal::JOURNAL_FILE;
use super::tests::{Output, Site, output, site, tree};
use super::*;

/// Every kind of change at once: changed, new, unchanged and stale files, a file giving way
/// to a folder and a folder to a file.
fn old_and_new() -> (Output, Output) {
    let old = output(&[
        ("index.html", "old index"),
        ("same.html", "same"),
        ("gone/deep/x.html", "stale"),
        ("becomes-folder", "a file first"),
        ("becomes-file/inner.html", "inner"),
        ("static/cups.css", "old css"),
    ]);
    let new = output(&[
        ("index.html", "new index"),
        ("same.html", "same"),
        ("becomes-folder/child.html", "child"),
        ("becomes-file", "a file now"),
        ("static/cups.css", "new css"),
        ("static/teapot.svg", "svg"),
        ("topics/green-tea/index.html", "tea"),
    ]);
    (old, new)
}

/// A site holding `old` (nothing when None) and the user's CNAME.
fn site_with(old: Option<&Output>) -> Site {
    let site = site();
    fs::create_dir_all(&site.out).unwrap();
    if let Some(old) = old {
        site.write(old).unwrap();
    }
    fs::write(site.out.join("CNAME"), "tea.example.org").unwrap();
    site
}

/// The folder as an uninterrupted write of `output` leaves it after `old`.
fn reference(old: Option<&Output>, output: &Output) -> BTreeMap<String, Option<Vec<u8>>> {
    let site = site_with(old);
    site.write(output).unwrap();
    tree(&site.out)
}

fn recover_site(site: &Site) -> bool {
    recover(&site.out, &site.root, &site.sources).unwrap()
}

/// Writes `new`, stopping the commit after `steps` changes; true when it stopped.
fn write_stopped(site: &Site, new: &Output, steps: usize) -> bool {
    failpoint::stop_after(Some(steps));
    let result = site.write(new);
    failpoint::stop_after(None);
    match result {
        Ok(_) => false,
        Err(error @ WriteError::Commit { .. }) => {
            assert!(error.to_string().contains("build again"), "{error}");
            true
        }
        Err(error) => panic!("{error}"),
    }
}

fn assert_stopped_commits_roll_forward(old: Option<&Output>, new: &Output) {
    let expected = reference(old, new);
    let mut stops = 0;
    for steps in 0.. {
        let site = site_with(old);
        if !write_stopped(&site, new, steps) {
            assert_eq!(tree(&site.out), expected, "unstopped");
            break;
        }
        stops += 1;
        assert!(site.out.join(JOURNAL_FILE).is_file());
        assert!(recover_site(&site), "after {steps} changes");
        assert_eq!(tree(&site.out), expected, "stopped after {steps} changes");
        assert!(!recover_site(&site), "nothing is left over");
    }
    assert!(stops >= 3, "only {stops} stopping points");
}

#[test]
fn a_commit_stopped_anywhere_is_finished_by_recovery() {
    let (old, new) = old_and_new();
    assert_stopped_commits_roll_forward(Some(&old), &new);
}

#[test]
fn a_first_build_stopped_anywhere_is_finished_by_recovery() {
    let (_, new) = old_and_new();
    assert_stopped_commits_roll_forward(None, &new);
}

#[test]
fn a_recovery_stopped_anywhere_is_finished_by_the_next() {
    let (old, new) = old_and_new();
    let expected = reference(Some(&old), &new);
    for first in [1, 4, 7] {
        for second in 0..12 {
            let site = site_with(Some(&old));
            assert!(write_stopped(&site, &new, first));
            failpoint::stop_after(Some(second));
            let stopped = recover(&site.out, &site.root, &site.sources).is_err();
            failpoint::stop_after(None);
            if stopped {
                assert!(recover_site(&site));
            }
            assert_eq!(
                tree(&site.out),
                expected,
                "stopped at {first}, then {second}"
            );
        }
    }
}

#[test]
fn a_build_killed_before_its_journal_leaves_the_old_site() {
    let (old, new) = old_and_new();
    for first in [false, true] {
        let previous = (!first).then_some(&old);
        let site = site_with(previous);
        let before = tree(&site.out);
        // A sink that never finishes nor drops: as a build killed while rendering leaves it.
        let sink = Sink::open(&site.out, &site.root, &site.sources).unwrap();
        for (path, bytes) in &new {
            sink.accept(path, bytes);
        }
        std::mem::forget(sink);
        assert!(site.out.join(STAGING_DIR).is_dir());
        assert!(recover_site(&site));
        assert_eq!(tree(&site.out), before);
    }
}

#[test]
fn the_next_build_recovers_before_it_writes() {
    let (old, new) = old_and_new();
    let third = output(&[("index.html", "third"), ("gone/deep/x.html", "back")]);
    let expected = reference(Some(&new), &third);
    for steps in [0, 3, 9] {
        let site = site_with(Some(&old));
        assert!(write_stopped(&site, &new, steps));
        site.write(&third).unwrap();
        assert_eq!(tree(&site.out), expected, "stopped after {steps}");
    }
    // Also a first build, which left files and no manifest.
    let expected = reference(Some(&new), &third);
    let site = site_with(None);
    assert!(write_stopped(&site, &new, 2));
    assert!(!site.out.join(MANIFEST_FILE).exists());
    site.write(&third).unwrap();
    assert_eq!(tree(&site.out), expected);
}

#[test]
fn a_corrupt_journal_stops_the_build_and_says_how_to_recover() {
    let (old, new) = old_and_new();
    for (journal, why) in [
        ("{not json", "not a valid journal"),
        (
            r#"{"evident_journal":1,"fresh":false,"clear_files":["../../etc/x"],"clear_dirs":[],"moves":[],"stale":[],"manifest":false}"#,
            "'..'",
        ),
    ] {
        let site = site_with(Some(&old));
        fs::write(site.out.join(JOURNAL_FILE), journal).unwrap();
        let before = tree(&site.out);
        let error = site.write(&new).unwrap_err();
        assert!(
            matches!(error, WriteError::CorruptJournal { .. }),
            "{error}"
        );
        assert!(error.to_string().contains(why), "{error}");
        assert!(error.to_string().contains("To recover"), "{error}");
        assert_eq!(tree(&site.out), before);
    }
}

#[test]
fn recovery_without_leftovers_looks_at_nothing() {
    let site = site();
    // Not even the output folder's place: there is nothing to finish.
    assert!(!recover(&site.root, &site.root, &site.sources).unwrap());
    assert!(!site.out.exists());
}

#[cfg(unix)]
#[test]
fn never_builds_through_a_linked_output_folder() {
    use std::os::unix::fs::symlink;
    let site = site();
    let elsewhere = site.root.parent().unwrap().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("notes.txt"), "mine").unwrap();
    let out = output(&[("index.html", "i")]);
    let before = tree(&elsewhere);

    // `public -> ../elsewhere`, committed with the site.
    symlink(&elsewhere, &site.out).unwrap();
    let error = site.write(&out).unwrap_err();
    let WriteError::OutDirThroughLink { link, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(link, &site.out);
    assert!(error.to_string().contains("symbolic link"), "{error}");

    // A linked folder on the way inside the site, even to a folder not made yet.
    let build = site.root.join("build");
    symlink(&elsewhere, &build).unwrap();
    for below in ["public", "site/public"] {
        let error = write_site(&build.join(below), &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(&error, WriteError::OutDirThroughLink { link, .. } if link == &build),
            "{error}"
        );
    }
    assert_eq!(tree(&elsewhere), before);
    assert!(!Path::new(&elsewhere.join("public")).exists());
}
