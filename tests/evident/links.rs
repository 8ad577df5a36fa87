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

/// The minimal fixture with a second page, `other`, and `body` as the topic's Markdown.
fn linking_site(body: &str) -> Site {
    let site = Site::fixture("minimal");
    site.write(
        "content/other.md",
        "---\ntitle: Other page\nkind: page\n---\n\n## Section one\n\nText.\n\n## Section one\n\nMore [back](../topic/).\n",
    );
    let topic = site.read("content/topic.md");
    site.write("content/topic.md", &format!("{topic}\n{body}"));
    site
}

/// The diagnostics of `site` with one of `codes`, as `evident check` prints them.
#[track_caller]
fn link_diagnostics(kb: &evident::resolve::KnowledgeBase, codes: &[&str]) -> String {
    let (sorted, _) = crate::harness::diagnostics_text(kb);
    let picked: Vec<_> = sorted
        .into_iter()
        .filter(|d| codes.contains(&d.code.as_str()))
        .collect();
    evident::diag::report::render(
        &picked,
        evident::diag::report::Format::Human,
        &kb.texts,
        false,
    )
}

#[test]
fn internal_links_must_name_pages_and_anchors_of_the_site() {
    let site = linking_site(
        "Good: [a](../other/), [b](../other/index.html#section-one-2), [c](#ref-1), \
         [d](../claims/claim-a/#anything), [e](../), [f](/grading/), [g](https://example.org/x), \
         [h](#claim-claim-a), [i](../sources/src-a/).\n\n\
         Bad: [j](../othr/), [k](../other/#section-two), [l](#nowhere), [m](../../up/), \
         [n](../claims/claim-b/).\n",
    );
    let kb = site.check();
    let text = link_diagnostics(&kb, &["broken-link"]);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("broken-link")).collect();
    assert_eq!(lines.len(), 5, "{text}");
    for expected in [
        "error[broken-link]: link `../othr/` names no page of the site",
        "hint: did you mean `../other/`?",
        "error[broken-link]: link `../other/#section-two`: the page `other` has no anchor `#section-two`",
        "hint: did you mean `#section-one`?",
        "error[broken-link]: link `#nowhere`: the page `topic` has no anchor `#nowhere`",
        "error[broken-link]: link `../../up/` climbs out of the site",
        "error[broken-link]: link `../claims/claim-b/` names no page of the site",
        "did you mean `../claims/claim-a/`? (or link the claim as `[text](@claim-a)`)",
        "content/topic.md:14:6",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn good_internal_links_are_written_in_the_sites_own_form() {
    let site =
        linking_site("See [the other page](../other/#section-one) and [a claim](@claim-a).\n");
    let kb = site.check();
    assert_eq!(link_diagnostics(&kb, &["broken-link", "unknown-claim"]), "");
    let preview = site.build_preview();
    let html = std::fs::read_to_string(preview.join("topic/index.html")).unwrap();
    assert!(
        html.contains(r#"<a href="../other/index.html#section-one">the other page</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="../claims/claim-a/index.html">a claim</a>"#),
        "{html}"
    );
    check_links(&preview);
}

#[test]
fn inline_claims_are_errors_that_show_both_ways() {
    let site = linking_site("As [[claim-a]] says.\n");
    let kb = site.check();
    let text = link_diagnostics(&kb, &["inline-claim"]);
    assert!(
        text.contains("error[inline-claim]: `[[claim-a]]` inside a sentence: a claim is embedded only on a line of its own"),
        "{text}"
    );
    assert!(
        text.contains("hint: to show the statement, put `[[claim-a]]` alone on its own line or list item; to link to its page, write `[text](@claim-a)`"),
        "{text}"
    );
    assert!(text.contains("content/topic.md:12:4"), "{text}");
}

#[test]
fn claim_links_to_unknown_claims_suggest_the_closest() {
    let site = linking_site("See [that](@claim-b).\n");
    let kb = site.check();
    let text = link_diagnostics(&kb, &["unknown-claim"]);
    assert!(
        text.contains("error[unknown-claim]: unknown claim `claim-b`"),
        "{text}"
    );
    assert!(text.contains("hint: did you mean `(@claim-a)`?"), "{text}");
}

/// The public site never links to a page it does not write: the link shows as text, with a
/// warning; the preview keeps it.
#[test]
fn links_to_unpublished_pages_are_text_on_the_public_site() {
    let site = linking_site("");
    site.write(
        "content/other.md",
        "---\ntitle: Other page\nkind: page\n---\n\nSee [the draft claim](@claim-a) and [the draft topic](../topic/).\n\n## Why\n",
    );
    let kb = site.check_public();
    let text = link_diagnostics(&kb, &["unpublished-link", "broken-link"]);
    assert!(
        text.contains("warning[unpublished-link]: link `../topic/` names a page the public site does not publish"),
        "{text}"
    );
    let public = site.build();
    assert!(!public.join("topic/index.html").exists());
    let html = std::fs::read_to_string(public.join("other/index.html")).unwrap();
    assert!(
        html.contains("See the draft claim and the draft topic."),
        "{html}"
    );
    check_links(&public);
    let preview = site.build_preview();
    let html = std::fs::read_to_string(preview.join("other/index.html")).unwrap();
    assert!(html.contains(r#"href="../topic/index.html""#), "{html}");
}

/// `404.html` is written at the root in the site's style, with root-absolute links from the
/// path of `base_url`, so it works at whatever address a server answers it.
#[test]
fn the_not_found_page_links_from_the_site_root() {
    let site = Site::fixture("minimal");
    let config = site.read("evident.yaml");
    site.write(
        "evident.yaml",
        &format!("{config}base_url: https://example.org/kb/\n"),
    );
    let out = site.build();
    let html =
        crate::harness::decode_entities(&std::fs::read_to_string(out.join("404.html")).unwrap());
    assert!(html.contains("<h1>Page not found</h1>"), "{html}");
    assert!(
        html.contains(r#"<link rel="stylesheet" href="/kb/static/style.css">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="/kb/index.html">Go to the home page</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<link rel="canonical" href="https://example.org/kb/404.html">"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/kb/grading/index.html""#), "{html}");
}

/// A tiny HTTP server on 127.0.0.1 for the external check: `/ok` (200), `/missing` (404),
/// `/no-head` (405 to `HEAD`, 200 to `GET`), `/moved` (301 to `/ok`), `/slow` (answers only
/// after 5 s, longer than the tests' timeout). It notes every request as `METHOD /path`.
pub(crate) struct TestServer {
    pub(crate) base: String,
    pub(crate) requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl TestServer {
    pub(crate) fn start() -> TestServer {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let noted = requests.clone();
        // The thread ends with the test binary; every connection is served on its own.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let noted = noted.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut first = String::new();
                    if reader.read_line(&mut first).is_err() {
                        return;
                    }
                    loop {
                        let mut line = String::new();
                        match reader.read_line(&mut line) {
                            Ok(0) | Err(_) => break,
                            Ok(_) if line == "\r\n" => break,
                            Ok(_) => {}
                        }
                    }
                    let mut parts = first.split_whitespace();
                    let method = parts.next().unwrap_or("").to_string();
                    let path = parts.next().unwrap_or("").to_string();
                    noted.lock().unwrap().push(format!("{method} {path}"));
                    let (status, extra) = match (method.as_str(), path.as_str()) {
                        (_, "/ok") => ("200 OK", ""),
                        ("HEAD", "/no-head") => ("405 Method Not Allowed", ""),
                        ("GET", "/no-head") => ("200 OK", ""),
                        (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n"),
                        (_, "/slow") => {
                            std::thread::sleep(std::time::Duration::from_secs(5));
                            ("200 OK", "")
                        }
                        _ => ("404 Not Found", ""),
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                });
            }
        });
        TestServer { base, requests }
    }

    /// The requests made for `path`, in order.
    pub(crate) fn asked(&self, path: &str) -> Vec<String> {
        let requests = self.requests.lock().unwrap();
        requests
            .iter()
            .filter(|r| r.ends_with(&format!(" {path}")))
            .cloned()
            .collect()
    }
}

/// The minimal fixture whose topic links to the test server's routes and whose source
/// names `/ok` as its URL and `/moved` as its DOI (a DOI written as a URL is asked as it is).
pub(crate) fn external_site(server: &TestServer) -> Site {
    let base = &server.base;
    let site = Site::fixture("minimal");
    let topic = site.read("content/topic.md");
    site.write(
        "content/topic.md",
        &format!(
            "{topic}\nSee [ok]({base}/ok#part), [gone]({base}/missing), [head]({base}/no-head), \
             [slow]({base}/slow) and [mail](mailto:someone@example.org).\n"
        ),
    );
    let sources = site.read("citations/sources.yaml");
    site.write(
        "citations/sources.yaml",
        &format!("{sources}  URL: {base}/ok\n  DOI: {base}/moved\n"),
    );
    site
}

fn quick() -> evident::external::ExternalOptions {
    evident::external::ExternalOptions {
        concurrency: 4,
        timeout: std::time::Duration::from_secs(1),
        deadline: std::time::Duration::from_secs(60),
        max_age_days: 7,
    }
}

#[test]
fn external_urls_are_checked_and_successes_cached() {
    let server = TestServer::start();
    let site = external_site(&server);
    let kb = site.check();
    let urls = evident::external::collect(&kb);
    let listed: Vec<String> = urls
        .iter()
        .map(|u| u.url.replace(&server.base, ""))
        .collect();
    assert_eq!(listed, ["/missing", "/moved", "/no-head", "/ok", "/slow"]);
    let ok = urls.iter().find(|u| u.url.ends_with("/ok")).unwrap();
    assert_eq!(ok.places.len(), 2, "the link and the source's URL: {ok:?}");

    let today = crate::harness::today();
    let checked = evident::external::check(&urls, &site.root, today, &quick()).unwrap();
    assert_eq!((checked.asked, checked.cached), (5, 0));
    let messages: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {}",
                d.location.path,
                d.location.line,
                d.location.column,
                d.code,
                d.message.replace(&server.base, "")
            )
        })
        .collect();
    // The columns of the links, whose length depends on the server's port.
    let line = site
        .read("content/topic.md")
        .lines()
        .nth(11)
        .unwrap()
        .to_string();
    let column = |text: &str| line.find(text).unwrap() + 1;
    assert_eq!(
        messages,
        [
            format!(
                "content/topic.md:12:{} external-link `/missing` answered 404",
                column("[gone]")
            ),
            format!(
                "content/topic.md:12:{} external-link `/slow` could not be reached: timed out",
                column("[slow]")
            ),
        ]
    );
    // HEAD refused, GET fine; a redirect followed.
    assert_eq!(server.asked("/no-head"), ["HEAD /no-head", "GET /no-head"]);
    assert_eq!(server.asked("/moved"), ["HEAD /moved"]);

    // Only successes are cached, and only the cache is written.
    let cache = std::fs::read_to_string(site.path(".evident/cache/external.json")).unwrap();
    assert!(
        cache.contains(&format!("\"{}/ok\"", server.base)),
        "{cache}"
    );
    assert!(!cache.contains("/missing"), "{cache}");
    let before = server.requests.lock().unwrap().len();
    let again = evident::external::check(&urls, &site.root, today, &quick()).unwrap();
    assert_eq!((again.asked, again.cached), (2, 3));
    assert_eq!(again.diagnostics.len(), 2);
    let asked_again: Vec<String> = server.requests.lock().unwrap()[before..].to_vec();
    assert!(
        asked_again
            .iter()
            .all(|r| r.contains("/missing") || r.contains("/slow")),
        "{asked_again:?}"
    );
    // After max_age_days the successes are asked again.
    let later = today.checked_add(jiff::Span::new().days(7)).unwrap();
    let later_check = evident::external::check(&urls, &site.root, later, &quick()).unwrap();
    assert_eq!((later_check.asked, later_check.cached), (5, 0));
}

#[test]
fn urls_left_at_the_deadline_are_reported_not_checked() {
    let server = TestServer::start();
    let site = external_site(&server);
    let kb = site.check();
    let urls: Vec<_> = evident::external::collect(&kb)
        .into_iter()
        .filter(|u| u.url.ends_with("/slow") || u.url.ends_with("/ok"))
        .collect();
    // A deadline already passed: nothing is asked, and everything is said to be unchecked.
    let options = evident::external::ExternalOptions {
        concurrency: 1,
        timeout: std::time::Duration::from_secs(30),
        deadline: std::time::Duration::from_millis(0),
        ..quick()
    };
    let checked =
        evident::external::check(&urls, &site.root, crate::harness::today(), &options).unwrap();
    assert_eq!(checked.asked, 0);
    assert!(
        checked.diagnostics.iter().all(|d| d
            .message
            .contains("was not checked: the check's deadline passed")),
        "{:?}",
        checked.diagnostics
    );
    assert_eq!(checked.diagnostics.len(), 3);
    assert!(server.requests.lock().unwrap().is_empty());
}
