//! The cross-links fixture: two topics sharing claims and sources. Reference numbers per page
//! in order of first use, the typed reference list, and links both ways between topics, claim
//! pages and source pages.

use std::fs;
use std::path::Path;

use crate::harness::{Site, attributes, is_external, links_from, main_of, resolve_link};

/// The reference numbers a page's citation marks show, in reading order.
#[track_caller]
fn cited_numbers(html: &str) -> Vec<usize> {
    attributes(main_of(html), "href")
        .iter()
        .filter_map(|href| href.strip_prefix("#ref-"))
        .map(|n| n.parse().unwrap())
        .collect()
}

/// The reference list: (number, label, linked source page), in list order.
#[track_caller]
fn reference_list(page: &str, html: &str) -> Vec<(usize, String, String)> {
    let main = main_of(html);
    let list = &main[main.find("class=\"references\"").expect("a reference list")..];
    list.split("<li id=\"ref-")
        .skip(1)
        .map(|item| {
            let number = item[..item.find('"').unwrap()].parse().unwrap();
            let label_at =
                item.find("class=\"ref-label\">").unwrap() + "class=\"ref-label\">".len();
            let label = item[label_at..label_at + item[label_at..].find('<').unwrap()].to_string();
            let href = attributes(item, "href")
                .into_iter()
                .find(|h| !is_external(h))
                .unwrap();
            let (target, _) = resolve_link(page, &href).unwrap();
            (number, label, target)
        })
        .collect()
}

#[track_caller]
fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap()
}

#[test]
fn references_are_numbered_per_page_in_order_of_first_use() {
    let kb = Site::fixture("crosslinks").check();
    // Alpha: a prose citation before the embeds, a claim with two sources, a source reused
    // by the next claim (no new number), then a new one.
    assert_eq!(
        kb.topics["alpha"].references,
        ["review-2019", "trial-2020", "cohort-2018", "guideline-who"]
    );
    // Beta: the same claims in another order number from 1 again; a prose citation of a
    // source already numbered reuses its number.
    assert_eq!(
        kb.topics["beta"].references,
        ["guideline-who", "trial-2020", "cohort-2018"]
    );
}

#[test]
fn pages_show_their_numbers_and_a_typed_reference_list() {
    let site = Site::fixture("crosslinks");
    let out = site.build_preview();

    let alpha = page(&out, "alpha/index.html");
    assert_eq!(cited_numbers(&alpha), [1, 2, 3, 1, 2, 4]);
    assert_eq!(
        reference_list("alpha/index.html", &alpha),
        [
            (1, "Review".into(), "sources/review-2019/index.html".into()),
            (2, "Research".into(), "sources/trial-2020/index.html".into()),
            (
                3,
                "Research".into(),
                "sources/cohort-2018/index.html".into()
            ),
            (
                4,
                "Guideline".into(),
                "sources/guideline-who/index.html".into()
            ),
        ]
    );

    let beta = page(&out, "beta/index.html");
    assert_eq!(cited_numbers(&beta), [1, 2, 3, 3]);
    assert_eq!(
        reference_list("beta/index.html", &beta),
        [
            (
                1,
                "Guideline".into(),
                "sources/guideline-who/index.html".into()
            ),
            (2, "Research".into(), "sources/trial-2020/index.html".into()),
            (
                3,
                "Research".into(),
                "sources/cohort-2018/index.html".into()
            ),
        ]
    );
    // The prose citation's locator is kept.
    assert!(main_of(&beta).contains("Reference 3, p. 3"), "{beta}");
}

#[test]
fn topics_claims_and_sources_link_both_ways() {
    let site = Site::fixture("crosslinks");
    let out = site.build_preview();
    let has = |from: &str, to: &str| {
        let links = links_from(&out, from);
        assert!(
            links.contains(to),
            "{from} does not link to {to}: {links:#?}"
        );
    };

    // Topic → claim page → "used on" → topic, for a claim used on both topics.
    for topic in ["alpha/index.html", "beta/index.html"] {
        has(topic, "claims/shared-finding/index.html");
        has(topic, "claims/guideline-rec/index.html");
        has("claims/shared-finding/index.html", topic);
        has("claims/guideline-rec/index.html", topic);
    }
    has("alpha/index.html", "claims/review-finding/index.html");
    has("claims/review-finding/index.html", "alpha/index.html");
    assert!(!links_from(&out, "claims/review-finding/index.html").contains("beta/index.html"));

    // Claim → source page → back to the claim; a source lists every claim citing it.
    for (claim, source) in [
        ("shared-finding", "trial-2020"),
        ("shared-finding", "cohort-2018"),
        ("review-finding", "review-2019"),
        ("review-finding", "trial-2020"),
        ("guideline-rec", "guideline-who"),
    ] {
        let claim = format!("claims/{claim}/index.html");
        let source = format!("sources/{source}/index.html");
        has(&claim, &source);
        has(&source, &claim);
    }
    let trial = links_from(&out, "sources/trial-2020/index.html");
    assert!(!trial.contains("claims/guideline-rec/index.html"));

    // Prose citations link the source page back to the topic.
    has("sources/review-2019/index.html", "alpha/index.html");
    has("sources/cohort-2018/index.html", "beta/index.html");
}

#[test]
fn internal_links_are_relative_and_end_in_index_html() {
    let site = Site::fixture("crosslinks");
    let out = site.build_preview();
    let mut checked = 0;
    for (path, html) in crate::harness::html_files(&out) {
        for link in attributes(&html, "href") {
            if is_external(&link) || link.starts_with('#') {
                continue;
            }
            // The not-found page is served at any address: its links start at the root.
            if path == "404.html" {
                assert!(link.starts_with('/'), "{path}: relative link {link}");
                continue;
            }
            assert!(!link.starts_with('/'), "{path}: absolute link {link}");
            let file = link.split(['#', '?']).next().unwrap();
            assert!(
                file.ends_with("index.html") || file.rsplit('/').next().unwrap().contains('.'),
                "{path}: link {link} does not name a file"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links");
}

/// The topic page's `<main>`, as readers see it (claims, numbers, reference list).
#[test]
fn topic_page_main_snapshot() {
    let site = Site::fixture("crosslinks");
    let out = site.build_preview();
    insta::assert_snapshot!(main_of(&page(&out, "alpha/index.html")));
}

/// A claim embedded twice on one page: each embed has an id of its own, and a link to the
/// claim's anchor goes to the first.
#[test]
fn a_claim_embedded_twice_gets_distinct_ids() {
    let site = Site::fixture("minimal");
    let topic = site.read("content/topic.md");
    site.write(
        "content/topic.md",
        &format!("{topic}\nThe same cup again, [seen above](#claim-claim-a):\n\n- [[claim-a]]\n"),
    );
    let out = site.build_preview();
    let html = page(&out, "topic/index.html");
    let ids = attributes(&html, "id");
    let embeds: Vec<&String> = ids
        .iter()
        .filter(|id| id.starts_with("claim-claim-a"))
        .collect();
    assert_eq!(embeds, ["claim-claim-a", "claim-claim-a_2"], "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every id once: {ids:?}");
    assert!(
        attributes(&html, "href").contains(&"#claim-claim-a".to_string()),
        "the link to the first embed is kept"
    );
}
