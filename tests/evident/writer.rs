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

#[cfg(unix)]
#[test]
fn a_linked_output_folder_is_refused_before_anything_is_written() {
    let site = Site::fixture("crosslinks");
    let elsewhere = site.beside("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    // Committed with the site: `public -> ../elsewhere`.
    std::os::unix::fs::symlink("../elsewhere", site.path("public")).unwrap();
    let error = site.build_into(&site.path("public")).unwrap_err();
    assert!(format!("{error:#}").contains("symbolic link"), "{error:#}");
    assert!(tree(&elsewhere).is_empty());
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

/// The crosslinks site with `theme:` set to `theme`.
fn with_theme(theme: &str) -> Site {
    let site = Site::fixture("crosslinks");
    let config = site.read("evident.yaml");
    site.write("evident.yaml", &format!("{config}theme: {theme}\n"));
    site
}

#[test]
fn a_theme_outside_the_site_is_an_error_at_its_line() {
    let site = with_theme("../../garden-theme");
    let line = site.read("evident.yaml").lines().count() as u32;
    let kb = site.check();
    let found: Vec<_> = kb
        .diagnostics
        .iter()
        .filter(|d| d.code == evident::diag::Code::ThemeOutsideSite)
        .collect();
    assert_eq!(found.len(), 1, "{:?}", kb.diagnostics);
    assert_eq!(found[0].location.path, "evident.yaml");
    assert_eq!(found[0].location.line, line);
    let out = site.beside("out");
    let built = site.build_into(&out).unwrap();
    assert!(built.report.is_none());
    assert!(!out.exists());
}

#[cfg(unix)]
#[test]
fn a_theme_linking_outside_the_site_is_refused_and_links_inside_it_are_not_followed() {
    let outside = tempfile::TempDir::new().unwrap();
    fs::create_dir_all(outside.path().join("static")).unwrap();
    fs::write(
        outside.path().join("static/secret.css"),
        "not for publishing",
    )
    .unwrap();
    fs::write(outside.path().join("notes.txt"), "my notes").unwrap();

    // The theme folder itself is a link out of the site.
    let site = with_theme("garden");
    fs::create_dir_all(site.path("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("themes/garden")).unwrap();
    let kb = site.check();
    assert!(
        kb.diagnostics
            .iter()
            .any(|d| d.code == evident::diag::Code::ThemeOutsideSite
                && d.message.contains("outside the site")),
        "{:?}",
        kb.diagnostics
    );

    // A real theme folder, whose static/ holds a link to a file outside: built, not published.
    let site = with_theme("garden");
    fs::create_dir_all(site.path("themes/garden/static")).unwrap();
    fs::write(site.path("themes/garden/static/cups.css"), "cups").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("notes.txt"),
        site.path("themes/garden/static/notes.txt"),
    )
    .unwrap();
    let out = site.beside("out");
    let built = site.build_into(&out).unwrap();
    assert!(built.report.is_some(), "{:?}", built.kb.diagnostics);
    assert_eq!(fs::read(out.join("static/cups.css")).unwrap(), b"cups");
    assert!(!out.join("static/notes.txt").exists());
}

#[test]
fn a_refused_dashboard_folder_leaves_the_site_as_it_was() {
    let site = Site::fixture("crosslinks");
    let out = site.beside("out");
    site.build_into(&out).unwrap();
    let before = tree(&out);
    // A file of the user's where the dashboard goes: its folder refuses the build.
    let editors = site.beside("editors");
    fs::create_dir_all(editors.join("review")).unwrap();
    fs::write(editors.join("review/index.html"), "my own page").unwrap();
    site.write(
        "content/alpha.md",
        &site
            .read("content/alpha.md")
            .replace("Background reading", "Changed reading"),
    );
    let options = BuildOptions {
        out: Some(out.clone()),
        dashboard_dir: Some(editors.clone()),
        ..BuildOptions::default()
    };
    let error = evident::build(&site.project(), today(), &options).unwrap_err();
    assert!(
        format!("{error:#}").contains("my own page") || format!("{error:#}").contains("review"),
        "{error:#}"
    );
    assert_eq!(
        tree(&out),
        before,
        "the site changed before the dashboard was refused"
    );
    assert_eq!(
        fs::read_to_string(editors.join("review/index.html")).unwrap(),
        "my own page"
    );
    assert!(!editors.join(evident::write::STAGING_DIR).exists());
}

#[test]
fn a_build_killed_before_its_commit_is_cleared_by_the_next() {
    let site = Site::fixture("crosslinks");
    let out = site.beside("out");
    site.build_into(&out).unwrap();
    fs::write(out.join("CNAME"), "tea.example.org\n").unwrap();
    let expected = tree(&out);
    // What a build killed while rendering leaves: a staging folder, no journal.
    let staging = out.join(evident::write::STAGING_DIR);
    fs::create_dir_all(staging.join("claims/half")).unwrap();
    fs::write(staging.join("claims/half/index.html"), "half a page").unwrap();
    // A build that then stops at a content error still clears it first.
    site.write("content/broken.yaml", "id: [unclosed\n");
    let built = site.build_into(&out).unwrap();
    assert!(built.report.is_none());
    assert_eq!(tree(&out), expected);
    assert!(!staging.exists());
}
