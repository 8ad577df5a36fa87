//! The writer's guarantees, end to end through `evident::build`: all or nothing, foreign files
//! kept, stale pages removed, byte-identical output, output folders that would hit the
//! sources refused. The fixture's content is all draft, so most tests build its preview,
//! which has every page.

use std::fs;

use evident::BuildOptions;

use crate::harness::{Site, today, tree};

#[test]
fn a_build_with_a_content_error_leaves_the_previous_output_untouched() {
    let site = Site::fixture("crosslinks");
    let out = site.build_preview();
    let before = tree(&out);
    // A real edit and a broken one: neither may reach the output.
    let alpha = site.read("content/alpha.md");
    site.write(
        "content/alpha.md",
        &alpha.replace("Background reading", "Changed reading"),
    );
    site.write(
        "content/claims/shared-finding.yaml",
        &site
            .read("content/claims/shared-finding.yaml")
            .replace("id: cohort-2018", "id: cohort-2081"),
    );
    let built = site.build_preview_into(&out).unwrap();
    assert!(built.kb.diagnostics.has_errors());
    assert!(built.report.is_none());
    assert_eq!(tree(&out), before);
}

#[test]
fn files_the_writer_does_not_own_are_kept() {
    let site = Site::fixture("crosslinks");
    let out = site.beside("preview");
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join("CNAME"), "example.org\n").unwrap();
    fs::write(out.join(".git/x"), "git data").unwrap();
    site.build_preview();
    assert!(out.join("alpha/index.html").is_file());
    // A rebuild that removes pages leaves them alone too.
    site.remove("content/claims/review-finding.yaml");
    site.write(
        "content/alpha.md",
        &site
            .read("content/alpha.md")
            .replace("- [[review-finding]]\n", ""),
    );
    site.build_preview();
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "example.org\n"
    );
    assert_eq!(fs::read_to_string(out.join(".git/x")).unwrap(), "git data");
}

#[test]
fn a_removed_claims_page_is_removed_on_rebuild() {
    let site = Site::fixture("crosslinks");
    let out = site.build_preview();
    assert!(out.join("claims/review-finding/index.html").is_file());
    site.remove("content/claims/review-finding.yaml");
    site.write(
        "content/alpha.md",
        &site
            .read("content/alpha.md")
            .replace("- [[review-finding]]\n", ""),
    );
    let built = site.build_preview_into(&out).unwrap();
    let report = built.report.expect("built");
    assert!(report.removed >= 1, "{report:?}");
    assert!(!out.join("claims/review-finding").exists());
    assert!(out.join("claims/shared-finding/index.html").is_file());
    let manifest = fs::read_to_string(out.join(".evident-manifest.json")).unwrap();
    assert!(!manifest.contains("review-finding"), "{manifest}");
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    // Two copies of the site in different folders, so that no absolute path can hide.
    let first = Site::fixture("crosslinks");
    let second = Site::fixture("crosslinks");
    let a = tree(&first.build());
    let b = tree(&second.build());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "different files"
    );
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs between two builds");
    }
    // Building again into the same folder writes nothing and changes nothing.
    let out = first.beside("out");
    let built = first.build_into(&out).unwrap();
    let report = built.report.unwrap();
    assert_eq!((report.written, report.removed), (0, 0), "{report:?}");
    assert_eq!(tree(&out), a);
}

#[test]
fn the_bundled_site_builds_byte_identically_twice() {
    let first = Site::bundled();
    let second = Site::bundled();
    assert!(tree(&first.build()) == tree(&second.build()));
}

#[test]
fn output_folders_that_would_hit_the_sources_are_refused() {
    let site = Site::fixture("crosslinks");
    let before = tree(site.tmp.path());
    for out in [
        site.root.clone(),
        site.path("content"),
        site.path("content/public"),
        site.path("citations"),
        site.tmp.path().to_path_buf(),
    ] {
        let error = site
            .build_into(&out)
            .expect_err(&format!("building into {} was not refused", out.display()));
        assert!(
            error.to_string().contains("refusing to build into"),
            "{}: {error}",
            out.display()
        );
    }
    assert!(tree(site.tmp.path()) == before, "something was written");
    // A relative output folder is relative to the site root, and `public/` there is fine.
    let built = site.build_into(std::path::Path::new("public")).unwrap();
    assert!(built.report.is_some());
    assert!(site.path("public/index.html").is_file());
}

#[test]
fn dashboard_inside_the_output_is_refused_before_writing() {
    let site = Site::fixture("crosslinks");
    let out = site.beside("out");
    let options = BuildOptions {
        out: Some(out.clone()),
        dashboard_dir: Some(out.join("editors")),
        ..BuildOptions::default()
    };
    let error = evident::build(&site.project(), today(), &options).unwrap_err();
    assert!(error.to_string().contains("dashboard"), "{error}");
    assert!(!out.exists(), "the site was written before the refusal");
    // Apart from the site, it is written to its own folder.
    let options = BuildOptions {
        out: Some(out.clone()),
        dashboard_dir: Some(site.beside("editors")),
        ..BuildOptions::default()
    };
    let built = evident::build(&site.project(), today(), &options).unwrap();
    assert!(built.dashboard_report.is_some());
    assert!(site.beside("editors/review/index.html").is_file());
}

/// A theme whose claim template fails while rendering: topic pages are rendered (and, with
/// the streaming writer, handed over) before the first claim page fails.
fn break_claim_template(site: &Site) {
    site.write(
        "themes/default/templates/claim.html",
        "{{ page.title | no_such_filter }}\n",
    );
}

#[test]
fn a_render_failing_half_way_leaves_the_previous_output_untouched() {
    let site = Site::fixture("crosslinks");
    let out = site.build_preview();
    let before = tree(&out);
    site.write(
        "content/alpha.md",
        &site
            .read("content/alpha.md")
            .replace("Background reading", "Changed reading"),
    );
    break_claim_template(&site);
    let error = site.build_preview_into(&out).unwrap_err();
    // Failing while rendering (not while loading the theme): topic pages went out first.
    assert!(
        format!("{error:#}").contains("rendering claim.html"),
        "{error:#}"
    );
    assert_eq!(
        tree(&out),
        before,
        "the output changed, or staging was left behind"
    );
}

#[test]
fn a_render_failing_half_way_into_a_fresh_folder_leaves_no_half_site() {
    let site = Site::fixture("crosslinks");
    break_claim_template(&site);
    let missing = site.beside("fresh");
    assert!(site.build_preview_into(&missing).is_err());
    assert!(
        !missing.exists(),
        "a folder the build created must go again"
    );
    let empty = site.beside("empty");
    fs::create_dir_all(&empty).unwrap();
    assert!(site.build_preview_into(&empty).is_err());
    assert!(tree(&empty).is_empty(), "{:?}", tree(&empty).keys());
}
