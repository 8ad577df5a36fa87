//! A link checker over built sites: every relative `href` and `src` must name a file of the
//! output, and every `#fragment` an `id` in that file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::harness::{Site, attributes, html_files, ids, is_external, resolve_link, tree};

/// Checks every page of `out`; returns how many links were checked.
#[track_caller]
fn check_links(out: &Path) -> usize {
    let files: BTreeSet<String> = tree(out).into_keys().collect();
    let pages = html_files(out);
    let page_ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(p, html)| (p.as_str(), ids(html)))
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, html) in &pages {
        let links = attributes(html, "href")
            .into_iter()
            .chain(attributes(html, "src"));
        for link in links {
            if is_external(&link) {
                continue;
            }
            checked += 1;
            let Some((target, fragment)) = resolve_link(page, &link) else {
                broken.push(format!("{page}: {link} climbs out of the site"));
                continue;
            };
            if !files.contains(&target) {
                broken.push(format!("{page}: {link} → {target} does not exist"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let found = page_ids
                    .get(target.as_str())
                    .is_some_and(|ids| ids.contains(&fragment));
                if !found {
                    broken.push(format!("{page}: {link} → no id=\"{fragment}\" in {target}"));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    checked
}

#[test]
fn the_bundled_site_has_no_broken_links() {
    let site = Site::bundled();
    let out = site.build();
    let checked = check_links(&out);
    assert!(
        checked > 300,
        "only {checked} links checked on the public site"
    );
    let preview = site.build_preview();
    let checked = check_links(&preview);
    assert!(checked > 500, "only {checked} links checked in the preview");
}

#[test]
fn the_crosslinks_fixture_has_no_broken_links() {
    let site = Site::fixture("crosslinks");
    let out = site.build();
    let checked = check_links(&out);
    assert!(checked > 50, "only {checked} links checked");
    let checked = check_links(&site.build_preview());
    assert!(checked > 100, "only {checked} links checked in the preview");
}

/// Under `publish: approved` the public site leaves pages out: nothing may link to them.
#[test]
fn both_faces_of_an_approved_only_site_have_no_broken_links() {
    let site = Site::bundled();
    let config = site
        .read("evident.yaml")
        .replace("publish: all-with-banner", "publish: approved");
    site.write("evident.yaml", &config);
    // With one topic approved and one not, and an editorial policy under review.
    site.approve_relactation_topic();
    let policy = site.read("content/editorial-policy.md");
    site.write(
        "content/editorial-policy.md",
        &policy.replacen(
            "slug: editorial-policy\n",
            "slug: editorial-policy\nreview:\n  status: draft\n",
            1,
        ),
    );
    let public = site.build();
    assert!(!public.join("editorial-policy/index.html").exists());
    assert!(!public.join("domperidone/index.html").exists());
    let checked = check_links(&public);
    assert!(checked > 300, "only {checked} links checked");
    let checked = check_links(&site.build_preview());
    assert!(checked > 500, "only {checked} links checked in the preview");
}

/// The checker itself finds a missing page, a missing fragment and a link out of the site.
#[test]
fn the_checker_reports_broken_links() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path();
    std::fs::create_dir_all(out.join("a")).unwrap();
    std::fs::write(
        out.join("a/index.html"),
        r#"<p id="here"><a href="../b/index.html">b</a>"#,
    )
    .unwrap();
    for (link, problem) in [
        ("../a/index.html#nowhere", "no id=\"nowhere\""),
        ("../c/index.html", "does not exist"),
        ("../../x.html", "climbs out"),
        ("../a/", "does not exist"),
    ] {
        std::fs::write(out.join("b.html"), "").unwrap();
        std::fs::create_dir_all(out.join("b")).unwrap();
        std::fs::write(
            out.join("b/index.html"),
            format!(r#"<a href="{link}">x</a>"#),
        )
        .unwrap();
        let result = std::panic::catch_unwind(|| check_links(out));
        let message = *result.expect_err(link).downcast::<String>().unwrap();
        assert!(message.contains(problem), "{link}: {message}");
    }
    std::fs::write(
        out.join("b/index.html"),
        r##"<a href="../a/index.html#here">x</a><a href="https://example.org/">y</a>"##,
    )
    .unwrap();
    assert_eq!(check_links(out), 2);
}
