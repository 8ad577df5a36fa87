//! The writer's rules, one test each, and a property: any sequence of builds leaves exactly
//! the last one's files beside the user's.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tempfile::TempDir;

use super::guards::{check_no_clash, on_disk};
use super::manifest::ManifestIn;
use super::plan::relative;
use super::*;

/// A build's files in memory, as [`write_site`] takes them.
pub(super) type Output = BTreeMap<String, Vec<u8>>;

/// A site folder with its sources; the output folder is `public/` (not created).
pub(super) struct Site {
    _tmp: TempDir,
    pub(super) root: PathBuf,
    pub(super) out: PathBuf,
    pub(super) sources: Vec<PathBuf>,
}

pub(super) fn site() -> Site {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::create_dir_all(root.join("citations")).unwrap();
    fs::write(root.join("evident.yaml"), "title: t\n").unwrap();
    let sources = vec![
        root.join("content"),
        root.join("citations"),
        root.join("themes"),
        root.join("evident.yaml"),
    ];
    Site {
        out: root.join("public"),
        root,
        sources,
        _tmp: tmp,
    }
}

impl Site {
    pub(super) fn write(&self, output: &Output) -> Result<WriteReport, WriteError> {
        write_site(&self.out, &self.root, &self.sources, output)
    }
}

pub(super) fn output(files: &[(&str, &str)]) -> Output {
    files
        .iter()
        .map(|(path, bytes)| (path.to_string(), bytes.as_bytes().to_vec()))
        .collect()
}

/// Every entry under `dir`: files with their bytes, folders as `None`.
pub(super) fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let rel = relative(dir, entry.path()).unwrap();
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| fs::read(entry.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

fn manifest_of(out: &Path) -> BTreeMap<String, String> {
    let raw = fs::read(out.join(MANIFEST_FILE)).unwrap();
    serde_json::from_slice::<ManifestIn>(&raw).unwrap().files
}

fn report(written: usize, unchanged: usize, removed: usize) -> WriteReport {
    WriteReport {
        written,
        unchanged,
        removed,
    }
}

#[test]
fn refuses_the_site_root_and_its_ancestors() {
    let site = site();
    let out = output(&[("index.html", "x")]);
    let before = tree(site.root.parent().unwrap());
    let error = write_site(&site.root, &site.root, &site.sources, &out).unwrap_err();
    assert!(
        matches!(error, WriteError::OutDirIsSiteRoot { .. }),
        "{error}"
    );
    assert!(error.to_string().contains(&site.root.display().to_string()));
    let parent = site.root.parent().unwrap();
    let error = write_site(parent, &site.root, &site.sources, &out).unwrap_err();
    assert!(
        matches!(error, WriteError::OutDirContainsSiteRoot { .. }),
        "{error}"
    );
    assert_eq!(tree(site.root.parent().unwrap()), before);
}

#[test]
fn refuses_a_folder_holding_or_inside_a_source() {
    let site = site();
    let out = output(&[("index.html", "x")]);
    let content = site.root.join("content");
    let error = write_site(&content, &site.root, &site.sources, &out).unwrap_err();
    assert!(
        matches!(error, WriteError::OutDirHoldsSource { .. }),
        "{error}"
    );
    assert!(error.to_string().contains(&content.display().to_string()));

    // A source nested deeper than the output folder.
    let sources = vec![site.root.join("src/content")];
    let error = write_site(&site.root.join("src"), &site.root, &sources, &out).unwrap_err();
    assert!(
        matches!(error, WriteError::OutDirHoldsSource { .. }),
        "{error}"
    );

    // Output inside a source, not created yet.
    let inside = content.join("build/html");
    let error = write_site(&inside, &site.root, &site.sources, &out).unwrap_err();
    assert!(
        matches!(error, WriteError::OutDirInsideSource { .. }),
        "{error}"
    );
    assert!(!content.join("build").exists());
}

#[test]
fn compares_real_locations_not_spellings() {
    let site = site();
    let out = output(&[("index.html", "x")]);
    fs::create_dir_all(&site.out).unwrap();
    let dotted = site.out.join("..");
    let error = write_site(&dotted, &site.root, &site.sources, &out).unwrap_err();
    assert!(
        matches!(error, WriteError::OutDirIsSiteRoot { .. }),
        "{error}"
    );
    #[cfg(unix)]
    {
        let link = site.root.parent().unwrap().join("link");
        std::os::unix::fs::symlink(site.root.join("content"), &link).unwrap();
        let error = write_site(&link, &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirThroughLink { .. }),
            "{error}"
        );
        // Does not exist yet: resolved through its nearest existing ancestor.
        let below = link.join("new/deeper");
        let error = write_site(&below, &site.root, &site.sources, &out).unwrap_err();
        assert!(
            matches!(error, WriteError::OutDirInsideSource { .. }),
            "{error}"
        );
    }
    let nowhere = site.root.join("missing/../public");
    let error = write_site(&nowhere, &site.root, &site.sources, &out).unwrap_err();
    assert!(matches!(error, WriteError::Io { .. }), "{error}");
}

#[test]
fn refuses_an_output_folder_that_is_a_file() {
    let site = site();
    fs::write(&site.out, "not a folder").unwrap();
    let error = site.write(&output(&[("a", "x")])).unwrap_err();
    assert!(
        matches!(error, WriteError::OutDirNotAFolder { .. }),
        "{error}"
    );
    assert_eq!(fs::read(&site.out).unwrap(), b"not a folder");
}

#[test]
fn creates_a_missing_output_folder_and_its_parents() {
    let site = site();
    let out_dir = site.root.join("build/site/public");
    let out = output(&[("index.html", "i"), ("claims/x/index.html", "c")]);
    let got = write_site(&out_dir, &site.root, &site.sources, &out).unwrap();
    assert_eq!(got, report(2, 0, 0));
    assert_eq!(fs::read(out_dir.join("claims/x/index.html")).unwrap(), b"c");
}

#[test]
fn refuses_paths_that_could_leave_the_output_folder() {
    let bad = [
        "",
        "/etc/passwd",
        "a//b",
        "a/",
        "/",
        "./a",
        "a/./b",
        "../a",
        "a/../../b",
        "..",
        "a\\b",
        "a\0b",
        ".evident-staging/x",
        ".evident-staging",
        ".evident-manifest.json",
        ".Evident-Manifest.JSON",
        ".evident-manifest.json/x",
    ];
    let site = site();
    for path in bad {
        let error = site
            .write(&output(&[("ok.html", "x"), (path, "y")]))
            .unwrap_err();
        assert!(
            matches!(&error, WriteError::InvalidOutputPath { path: p, .. } if p == path),
            "{path:?}: {error}"
        );
        assert!(!site.out.exists(), "{path:?} wrote something");
    }
    // Names that merely look special are fine.
    let fine = output(&[("..a/b", "1"), ("a../.b", "2"), ("x/.evident-staging", "3")]);
    assert_eq!(site.write(&fine).unwrap(), report(3, 0, 0));
}

#[test]
fn refuses_an_output_path_that_is_both_file_and_folder() {
    let site = site();
    let error = site
        .write(&output(&[("a", "1"), ("a/b/c", "2")]))
        .unwrap_err();
    assert!(
        matches!(&error, WriteError::OutputPathClash { file, nested } if file == "a" && nested == "a/b/c"),
        "{error}"
    );
    assert!(!site.out.exists());
}

#[test]
fn manifest_lists_every_owned_file_sorted_with_its_hash() {
    let site = site();
    let out = output(&[("z.html", "zz"), ("a/b.html", "ab"), ("index.html", "")]);
    site.write(&out).unwrap();
    let hash = |s: &str| blake3::hash(s.as_bytes()).to_hex().to_string();
    let expected = format!(
        "{{\n  \"evident_manifest\": 1,\n  \"files\": {{\n    \"a/b.html\": \"{}\",\n    \
         \"index.html\": \"{}\",\n    \"z.html\": \"{}\"\n  }}\n}}\n",
        hash("ab"),
        hash(""),
        hash("zz")
    );
    let raw = fs::read_to_string(site.out.join(MANIFEST_FILE)).unwrap();
    assert_eq!(raw, expected);

    // The same output into another folder gives the same bytes.
    let other = site.root.join("other");
    write_site(&other, &site.root, &site.sources, &out).unwrap();
    assert_eq!(fs::read_to_string(other.join(MANIFEST_FILE)).unwrap(), raw);
}

#[test]
fn a_staging_failure_leaves_the_previous_output_untouched() {
    let site = site();
    let first = output(&[
        ("index.html", "old"),
        ("a/b.html", "old b"),
        ("gone.html", "g"),
    ]);
    site.write(&first).unwrap();
    fs::write(site.out.join("CNAME"), "example.org").unwrap();
    let before = tree(&site.out);

    // A file name longer than any file system allows, in a folder that does not exist
    // yet: nothing checks it before staging, and staging it fails.
    let too_long = format!("fresh/{}", "x".repeat(1000));
    let second = output(&[
        ("a/b.html", "new b"),
        ("c.html", "new"),
        ("index.html", "new"),
        (too_long.as_str(), "y"),
    ]);
    let error = site.write(&second).unwrap_err();
    assert!(matches!(error, WriteError::Stage { .. }), "{error}");
    assert!(error.to_string().contains("untouched"), "{error}");
    assert_eq!(tree(&site.out), before);
}

#[test]
fn a_failed_first_build_leaves_nothing_behind() {
    let too_long = format!("fresh/{}", "x".repeat(1000));
    let broken = output(&[
        ("a/b.html", "b"),
        ("index.html", "i"),
        (too_long.as_str(), "y"),
    ]);
    // Into a folder that does not exist yet: it does not exist afterwards either.
    let site = site();
    assert!(matches!(
        site.write(&broken).unwrap_err(),
        WriteError::Stage { .. }
    ));
    assert!(!site.out.exists());
    // Into an empty folder: it is empty again.
    fs::create_dir_all(&site.out).unwrap();
    assert!(site.write(&broken).is_err());
    assert_eq!(fs::read_dir(&site.out).unwrap().count(), 0);
    // And a good first build writes every file and its manifest, with no staging left.
    let good = output(&[("a/b.html", "b"), ("index.html", "i")]);
    let report = site.write(&good).unwrap();
    assert_eq!(
        report,
        WriteReport {
            written: 2,
            unchanged: 0,
            removed: 0
        }
    );
    assert!(site.out.join(MANIFEST_FILE).is_file());
    assert!(!site.out.join(STAGING_DIR).exists());
    assert_eq!(
        site.write(&good).unwrap().written,
        0,
        "a second build rewrites nothing"
    );
}

#[test]
fn a_refused_build_changes_nothing() {
    let site = site();
    site.write(&output(&[("index.html", "old"), ("a/b.html", "old b")]))
        .unwrap();
    fs::write(site.out.join("notes"), "mine").unwrap();
    let before = tree(&site.out);
    // `notes` is the user's file where the new output needs a folder; the other changes
    // come first in path order and must not be applied either.
    let error = site
        .write(&output(&[
            ("a/b.html", "new"),
            ("index.html", "new"),
            ("notes/x.html", "x"),
        ]))
        .unwrap_err();
    let WriteError::Conflicts { conflicts, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(
        conflicts,
        &[Conflict::InTheWay {
            path: site.out.join("notes"),
            needed_for: "notes/x.html".to_owned()
        }]
    );
    assert_eq!(tree(&site.out), before);
}

#[test]
fn a_leftover_staging_folder_is_removed() {
    let site = site();
    site.write(&output(&[("index.html", "i")])).unwrap();
    fs::create_dir_all(site.out.join(STAGING_DIR).join("half/way")).unwrap();
    fs::write(site.out.join(STAGING_DIR).join("half/way/x.html"), "x").unwrap();
    let got = site.write(&output(&[("index.html", "i"), ("half/way/x.html", "y")]));
    assert_eq!(got.unwrap(), report(1, 1, 0));
    assert!(!site.out.join(STAGING_DIR).exists());
    assert_eq!(fs::read(site.out.join("half/way/x.html")).unwrap(), b"y");
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let site = site();
    let out = output(&[("index.html", "i"), ("a/b.html", "b"), ("c.html", "c")]);
    assert_eq!(site.write(&out).unwrap(), report(3, 0, 0));
    let first = tree(&site.out);
    #[cfg(unix)]
    let inode = |rel: &str| {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(on_disk(&site.out, rel)).unwrap().ino()
    };
    #[cfg(unix)]
    let inodes: Vec<u64> = ["index.html", "a/b.html", "c.html", MANIFEST_FILE]
        .into_iter()
        .map(inode)
        .collect();

    // Twice the same output: identical tree, nothing written.
    assert_eq!(site.write(&out).unwrap(), report(0, 3, 0));
    assert_eq!(tree(&site.out), first);

    // One changed file: only it is replaced.
    let changed = output(&[("index.html", "i"), ("a/b.html", "B"), ("c.html", "c")]);
    assert_eq!(site.write(&changed).unwrap(), report(1, 2, 0));
    assert_eq!(fs::read(site.out.join("a/b.html")).unwrap(), b"B");
    #[cfg(unix)]
    {
        assert_eq!(inode("index.html"), inodes[0]);
        assert_ne!(inode("a/b.html"), inodes[1]);
        assert_eq!(inode("c.html"), inodes[2]);
    }
}

#[test]
fn stale_files_and_the_folders_they_leave_empty_are_removed() {
    let site = site();
    let first = output(&[
        ("index.html", "i"),
        ("old/deep/x.html", "x"),
        ("shared/a.html", "a"),
        ("shared/b.html", "b"),
        ("kept/y.html", "y"),
    ]);
    site.write(&first).unwrap();
    fs::write(site.out.join("CNAME"), "example.org").unwrap();
    fs::create_dir_all(site.out.join(".git/objects")).unwrap();
    fs::write(site.out.join(".git/HEAD"), "ref").unwrap();
    fs::write(site.out.join("kept/notes.txt"), "mine").unwrap();
    fs::create_dir_all(site.out.join("empty-of-mine")).unwrap();

    let second = output(&[("index.html", "i"), ("shared/a.html", "a")]);
    assert_eq!(site.write(&second).unwrap(), report(0, 2, 3));
    let got = tree(&site.out);
    let names: Vec<&str> = got.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            ".evident-manifest.json",
            ".git",
            ".git/HEAD",
            ".git/objects",
            "CNAME",
            "empty-of-mine",
            "index.html",
            "kept",
            "kept/notes.txt",
            "shared",
            "shared/a.html",
        ]
    );
    assert_eq!(got["CNAME"].as_deref(), Some(&b"example.org"[..]));
    assert_eq!(got["kept/notes.txt"].as_deref(), Some(&b"mine"[..]));
    let owned: Vec<String> = manifest_of(&site.out).into_keys().collect();
    assert_eq!(owned, ["index.html", "shared/a.html"]);
}

#[test]
fn refuses_to_overwrite_a_file_it_does_not_own() {
    let site = site();
    site.write(&output(&[("index.html", "i")])).unwrap();
    fs::write(site.out.join("about.html"), "hand written").unwrap();
    fs::write(site.out.join("feed.xml"), "old feed").unwrap();
    let before = tree(&site.out);
    let error = site
        .write(&output(&[
            ("about.html", "generated"),
            ("feed.xml", "new feed"),
            ("index.html", "changed"),
        ]))
        .unwrap_err();
    let WriteError::Conflicts { conflicts, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(
        conflicts,
        &[
            Conflict::ForeignFile {
                path: site.out.join("about.html")
            },
            Conflict::ForeignFile {
                path: site.out.join("feed.xml")
            },
        ]
    );
    let message = error.to_string();
    assert!(message.contains(&site.out.join("about.html").display().to_string()));
    assert!(message.contains("Move"), "{message}");
    assert_eq!(tree(&site.out), before);
}

#[test]
fn adopts_a_foreign_file_that_is_already_identical() {
    let site = site();
    fs::create_dir_all(&site.out).unwrap();
    fs::write(site.out.join("index.html"), "same").unwrap();
    #[cfg(unix)]
    let inode = || {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(site.out.join("index.html")).unwrap().ino()
    };
    #[cfg(unix)]
    let before = inode();
    let got = site.write(&output(&[("index.html", "same"), ("new.html", "n")]));
    assert_eq!(got.unwrap(), report(1, 1, 0));
    #[cfg(unix)]
    assert_eq!(inode(), before);
    assert!(manifest_of(&site.out).contains_key("index.html"));
    // Owned now: it is replaced and, later, removed like any other file of the writer's.
    assert_eq!(
        site.write(&output(&[("index.html", "other")])).unwrap(),
        report(1, 0, 1)
    );
    assert_eq!(site.write(&output(&[])).unwrap(), report(0, 0, 1));
    assert_eq!(tree(&site.out).len(), 1);
}

#[test]
fn an_owned_file_gives_way_to_a_folder_and_back() {
    let site = site();
    site.write(&output(&[("topic", "a file"), ("x.html", "x")]))
        .unwrap();
    let got = site.write(&output(&[("topic/index.html", "page"), ("x.html", "x")]));
    assert_eq!(got.unwrap(), report(1, 1, 1));
    assert_eq!(
        fs::read(site.out.join("topic/index.html")).unwrap(),
        b"page"
    );

    let got = site.write(&output(&[("topic", "a file again"), ("x.html", "x")]));
    assert_eq!(got.unwrap(), report(1, 1, 1));
    assert_eq!(fs::read(site.out.join("topic")).unwrap(), b"a file again");
    let owned: Vec<String> = manifest_of(&site.out).into_keys().collect();
    assert_eq!(owned, ["topic", "x.html"]);
}

#[test]
fn a_folder_holding_foreign_files_does_not_give_way() {
    let site = site();
    site.write(&output(&[("topic/index.html", "page")]))
        .unwrap();
    fs::create_dir_all(site.out.join("topic/drafts")).unwrap();
    fs::write(site.out.join("topic/drafts/mine.md"), "mine").unwrap();
    let before = tree(&site.out);
    let error = site.write(&output(&[("topic", "a file")])).unwrap_err();
    let WriteError::Conflicts { conflicts, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(
        conflicts,
        &[Conflict::ForeignInFolder {
            folder: site.out.join("topic"),
            entry: site.out.join("topic/drafts/mine.md"),
        }]
    );
    assert_eq!(tree(&site.out), before);
}

#[test]
fn a_corrupt_manifest_stops_the_build_and_says_how_to_recover() {
    let site = site();
    site.write(&output(&[("index.html", "i"), ("a.html", "a")]))
        .unwrap();
    let manifest = site.out.join(MANIFEST_FILE);
    let hash = blake3::hash(b"x").to_hex().to_string();
    let cases = [
        "{ not json".to_owned(),
        "{\"evident_manifest\": 2, \"files\": {}}".to_owned(),
        format!("{{\"evident_manifest\": 1, \"files\": {{\"../../etc/passwd\": \"{hash}\"}}}}"),
        "{\"evident_manifest\": 1, \"files\": {\"a.html\": \"nope\"}}".to_owned(),
    ];
    for case in cases {
        fs::write(&manifest, &case).unwrap();
        let before = tree(&site.out);
        let error = site.write(&output(&[("b.html", "b")])).unwrap_err();
        assert!(
            matches!(error, WriteError::CorruptManifest { .. }),
            "{error}"
        );
        let message = error.to_string();
        assert!(message.contains("delete"), "{message}");
        assert!(
            message.contains(&manifest.display().to_string()),
            "{message}"
        );
        assert_eq!(tree(&site.out), before, "{case}");
    }
    fs::remove_file(&manifest).unwrap();
    fs::create_dir(&manifest).unwrap();
    let error = site.write(&output(&[("b.html", "b")])).unwrap_err();
    assert!(
        matches!(error, WriteError::CorruptManifest { .. }),
        "{error}"
    );
}

#[cfg(unix)]
#[test]
fn never_follows_a_link_out_of_the_output_folder() {
    let site = site();
    let elsewhere = site.root.parent().unwrap().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("x.html"), "precious").unwrap();
    site.write(&output(&[("a/x.html", "mine"), ("b.html", "b")]))
        .unwrap();
    // The user replaces the owned folder `a` with a link to somewhere else.
    fs::remove_dir_all(site.out.join("a")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.out.join("a")).unwrap();

    let error = site.write(&output(&[("a/x.html", "new")])).unwrap_err();
    assert!(matches!(error, WriteError::Conflicts { .. }), "{error}");
    // Stale removal does not reach through the link either.
    assert_eq!(
        site.write(&output(&[("b.html", "b")])).unwrap(),
        report(0, 1, 0)
    );
    assert_eq!(fs::read(elsewhere.join("x.html")).unwrap(), b"precious");
    assert!(
        fs::symlink_metadata(site.out.join("a"))
            .unwrap()
            .is_symlink()
    );
}

/// Paths from a tiny alphabet, so that successive outputs overlap, clash and nest.
fn arb_output() -> impl Strategy<Value = Output> {
    let part = prop::sample::select(vec!["a", "b", "index.html"]);
    let path = prop::collection::vec(part, 1..4).prop_map(|parts| parts.join("/"));
    let bytes = prop::sample::select(vec!["", "x", "yy"]);
    prop::collection::vec((path, bytes), 0..8).prop_map(|files| {
        let mut output = Output::new();
        for (path, bytes) in files {
            output.insert(path.clone(), bytes.as_bytes().to_vec());
            if check_no_clash(output.keys()).is_err() {
                output.remove(&path);
            }
        }
        output
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn any_sequence_of_builds_leaves_exactly_the_last_output(
        outputs in prop::collection::vec(arb_output(), 1..5)
    ) {
        let site = site();
        fs::create_dir_all(&site.out).unwrap();
        fs::write(site.out.join("CNAME"), "example.org").unwrap();
        for out in &outputs {
            site.write(out).unwrap();
            let got = tree(&site.out);
            let mut files: BTreeMap<String, Vec<u8>> = got
                .iter()
                .filter_map(|(path, bytes)| Some((path.clone(), bytes.clone()?)))
                .collect();
            prop_assert_eq!(files.remove("CNAME"), Some(b"example.org".to_vec()));
            prop_assert!(files.remove(MANIFEST_FILE).is_some());
            prop_assert_eq!(&files, out);
            // No folder is left empty.
            for (path, bytes) in &got {
                if bytes.is_none() {
                    let prefix = format!("{path}/");
                    prop_assert!(got.keys().any(|p| p.starts_with(&prefix)), "empty folder {}", path);
                }
            }
            prop_assert_eq!(
                site.write(out).unwrap(),
                WriteReport { written: 0, unchanged: out.len(), removed: 0 }
            );
            prop_assert_eq!(tree(&site.out), got);
        }
    }
}
