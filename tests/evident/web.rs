//! The site on the web: search (pagefind files, the search page, the header box, the publish
//! policy, `--no-search`, byte-identical builds), schema.org JSON-LD on every page, Open Graph,
//! `sitemap.xml`, the Atom feed of review events and `robots.txt`. XML is parsed with
//! quick-xml, so a file that is not well-formed fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use evident::BuildOptions;
use evident::model::ReviewAction;

use crate::harness::{self, Site, TODAY, attributes, html_files, resolve_link, tree};

const BASE: &str = "https://example.org/";

/// `evident --today TODAY ARGS…` in `root`.
fn evident(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evident"));
    cmd.current_dir(root)
        .env("NO_COLOR", "1")
        .args(["--color", "never", "--today", TODAY]);
    cmd
}

/// A small element tree of an XML file.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    #[track_caller]
    fn one(&self, name: &str) -> &Element {
        let found: Vec<&Element> = self.children.iter().filter(|c| c.name == name).collect();
        assert_eq!(found.len(), 1, "one <{name}> in <{}>", self.name);
        found[0]
    }
    fn text_of(&self, name: &str) -> &str {
        &self.one(name).text
    }
}

/// Parses XML into an [`Element`] tree; panics when it is not well-formed.
#[track_caller]
fn parse_xml(xml: &str) -> Element {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![Element::default()];
    let open = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().expect("a known entity").into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(open(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().expect("balanced tags").children.push(done);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("a valid character reference") {
                    Some(c) => c,
                    None => match r.decode().unwrap().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unknown entity &{other};"),
                    },
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

/// The JSON-LD of a page, parsed.
#[track_caller]
fn json_ld(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD script") + open.len();
    let end = html[start..].find("</script>").unwrap() + start;
    assert_eq!(
        html.matches(open).count(),
        1,
        "exactly one JSON-LD block per page"
    );
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

/// The `content` of `<meta property="…">`, or the `href` of `<link rel="…">`.
#[track_caller]
fn head_value(html: &str, tag: &str, key: &str, value_attr: &str) -> Option<String> {
    let head = &html[..html.find("</head>").unwrap()];
    head.split('<')
        .filter(|t| t.starts_with(tag) && t.contains(key))
        .find_map(|t| attributes(&format!(" {t}"), value_attr).into_iter().next())
}

#[track_caller]
fn canonical(html: &str) -> String {
    head_value(html, "link", "rel=\"canonical\"", "href").expect("a canonical link")
}

/// The output file of a canonical URL.
#[track_caller]
fn file_of(url: &str) -> String {
    format!(
        "{}index.html",
        url.strip_prefix(BASE).expect("under base_url")
    )
}

/// The pages a build indexed for search: those carrying `data-pagefind-body`.
fn indexed_pages(out: &Path) -> BTreeSet<String> {
    html_files(out)
        .into_iter()
        .filter(|(_, html)| html.contains(" data-pagefind-body"))
        .map(|(path, _)| path)
        .collect()
}

#[track_caller]
fn pagefind_page_count(out: &Path) -> u64 {
    let entry: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("pagefind/pagefind-entry.json")).unwrap())
            .unwrap();
    entry["languages"]["en"]["page_count"].as_u64().unwrap()
}

#[test]
fn two_builds_are_byte_identical_pagefind_index_included() {
    // Two processes, so nothing (a hash seed, a cache) is shared between the builds. pagefind
    // sorts what it writes and names files by content hashes: its files need no exception.
    let site = Site::bundled();
    let (one, two) = (site.beside("one"), site.beside("two"));
    for out in [&one, &two] {
        evident(&site.root)
            .args(["build", "--quiet", "--out"])
            .arg(out)
            .assert()
            .code(0);
    }
    let (a, b) = (tree(&one), tree(&two));
    assert!(a.keys().any(|p| p.starts_with("pagefind/")), "an index");
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn search_page_index_and_header_box() {
    let site = Site::bundled_internal();
    let out = site.build();
    for file in [
        "search/index.html",
        "static/search.js",
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let indexed = indexed_pages(&out);
    // Topics (and the editorial policy), claims and sources; not the home page, the legend,
    // the dashboard or the search page.
    let kb = site.check();
    assert_eq!(
        indexed.len(),
        kb.topics.len() + kb.claims.values().filter(|c| c.published).count() + kb.sources.len()
    );
    for page in ["index.html", "grading/index.html", "review/index.html"] {
        assert!(!indexed.contains(page), "{page} indexed");
    }
    assert_eq!(pagefind_page_count(&out), indexed.len() as u64);

    // Every page but the search page has the header box: a GET form to the search page.
    for (path, html) in html_files(&out) {
        // Handouts are made for paper: no navigation, so no search box either.
        if path.starts_with("pagefind/")
            || path.starts_with("handouts/")
            || path == "search/index.html"
        {
            continue;
        }
        let at = html
            .find("<form class=\"site-search\"")
            .unwrap_or_else(|| panic!("{path}: no search box"));
        let form = &html[at..at + html[at..].find("</form>").unwrap()];
        assert!(form.contains("method=\"get\""), "{path}");
        assert!(form.contains("name=\"q\""), "{path}");
        let action = attributes(form, "action").pop().unwrap();
        assert_eq!(
            resolve_link(&path, &action).unwrap().0,
            "search/index.html",
            "{path}"
        );
    }

    let search = fs::read_to_string(out.join("search/index.html")).unwrap();
    let main = harness::main_of(&search);
    assert!(main.contains("<input type=\"search\" id=\"search-q\" name=\"q\""));
    assert!(main.contains("id=\"search-file-note\""), "the file:// note");
    assert!(main.contains("evident serve"));
    for filter in ["type", "grade", "status", "audience"] {
        assert!(
            main.contains(&format!("name=\"{filter}\"")),
            "filter {filter}"
        );
    }
    // Grades in scale order, and only those some claim has.
    let grades = &main[main.find("name=\"grade\"").unwrap()..];
    let grades = &grades[..grades.find("</select>").unwrap()];
    let options = attributes(grades, "value");
    assert_eq!(options[0], "", "'Any' first");
    let scale = ["High", "Moderate", "Low", "Very low", "Not graded"];
    let positions: Vec<usize> = options[1..]
        .iter()
        .map(|o| scale.iter().position(|s| s == o).expect("a grade label"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{options:?}");
    let js = fs::read_to_string(out.join("static/search.js")).unwrap();
    assert!(js.contains("window.location.protocol === \"file:\""));
}

#[test]
fn claim_pages_carry_their_search_filters() {
    let site = Site::bundled_internal();
    let out = site.build();
    let html =
        fs::read_to_string(out.join("claims/relactation-success-seema-trial/index.html")).unwrap();
    let filters: Vec<String> = attributes(&html, "data-pagefind-filter");
    assert_eq!(
        filters,
        [
            "type:Statement",
            "grade:Low",
            "status:Approved",
            "audience:Parent or caregiver",
            "audience:Healthcare professional"
        ]
    );
}

#[test]
fn no_search_leaves_out_the_page_the_box_and_the_index() {
    let site = Site::bundled();
    let out = site.beside("out");
    let options = BuildOptions {
        out: Some(out.clone()),
        no_search: true,
        ..BuildOptions::default()
    };
    evident::build(&site.project(), harness::today(), &options).unwrap();
    assert!(!out.join("search").exists());
    assert!(!out.join("pagefind").exists());
    for (path, html) in html_files(&out) {
        assert!(!html.contains("site-search"), "{path} has a search box");
    }
    // The rest of the discovery files do not depend on search.
    for file in ["sitemap.xml", "feed.xml", "robots.txt"] {
        assert!(out.join(file).is_file(), "{file}");
    }

    // The flag through the command line, over the same folder: the index goes away.
    evident(&site.root)
        .args(["build", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    assert!(out.join("pagefind/pagefind.js").is_file());
    evident(&site.root)
        .args(["build", "--quiet", "--no-search", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    assert!(!out.join("pagefind").exists() && !out.join("search").exists());
}

#[test]
fn only_published_pages_are_indexed() {
    let site = Site::bundled();
    let config = site
        .read("evident.yaml")
        .replace("publish: all-with-banner", "publish: approved-only");
    site.write("evident.yaml", &config);
    site.approve_relactation_topic();
    let out = site.build();
    let kb = site.check_public();
    let published = kb.claims.values().filter(|c| c.published).count();
    assert!(published < kb.claims.len(), "some claims are unpublished");
    let topics = kb.topics.values().filter(|t| t.published).count();
    assert!(topics < kb.topics.len(), "a topic is unpublished");
    let indexed = indexed_pages(&out);
    assert_eq!(indexed.len(), topics + published + kb.sources.len());
    assert_eq!(pagefind_page_count(&out), indexed.len() as u64);
    for claim in kb.claims.values().filter(|c| !c.published) {
        let page = format!("claims/{}/index.html", claim.claim.id);
        assert!(!indexed.contains(&page), "{page}");
    }
    // The dashboard lists unpublished claims: it is not in the public site.
    assert!(!out.join("review/index.html").exists());
}

#[test]
fn every_page_has_json_ld_canonical_url_and_open_graph() {
    // The relactation topic's own text is approved, so its page has a last review.
    let site = Site::bundled_internal();
    let out = site.build();
    let pages = html_files(&out);
    assert!(pages.len() > 40);
    for (path, html) in &pages {
        let ld = json_ld(html);
        let url = canonical(html);
        if path.starts_with("handouts/") {
            // A printed handout points to its living topic page.
            let slug = path
                .trim_start_matches("handouts/")
                .trim_end_matches(".html");
            assert_eq!(url, format!("{BASE}{slug}/"), "{path}: canonical URL");
            assert_eq!(ld["url"], url.as_str(), "{path}");
            assert_eq!(ld["@type"], "MedicalWebPage", "{path}");
            continue;
        }
        if path == "404.html" {
            // Not a page of its own address: the file's, kept out of search engines.
            assert_eq!(url, format!("{BASE}404.html"), "{path}");
            assert!(
                html.contains(r#"<meta name="robots" content="noindex">"#),
                "{path}"
            );
            continue;
        }
        assert!(url.starts_with(BASE), "{path}: {url}");
        assert_eq!(file_of(&url), *path, "{path}: canonical URL");
        assert_eq!(ld["@context"], "https://schema.org", "{path}");
        assert_eq!(ld["url"], url.as_str(), "{path}");
        assert_eq!(ld["inLanguage"], "en", "{path}");
        assert!(ld["name"].as_str().is_some_and(|n| !n.is_empty()), "{path}");
        assert_eq!(ld["isPartOf"]["url"], BASE, "{path}");
        assert_eq!(
            head_value(html, "meta", "property=\"og:url\"", "content").as_deref(),
            Some(url.as_str()),
            "{path}: og:url"
        );
        for property in ["og:title", "og:type", "og:site_name"] {
            assert!(
                head_value(html, "meta", &format!("property=\"{property}\""), "content")
                    .is_some_and(|v| !v.is_empty()),
                "{path}: {property}"
            );
        }
        assert_eq!(
            head_value(html, "link", "rel=\"alternate\"", "href").map(|href| resolve_link(
                path, &href
            )
            .unwrap()
            .0),
            Some("feed.xml".to_string()),
            "{path}: feed link"
        );
    }

    let topic = json_ld(&pages["relactation/index.html"]);
    assert_eq!(topic["@type"], "MedicalWebPage");
    assert_eq!(topic["lastReviewed"], "2026-11-29");
    assert_eq!(topic["reviewedBy"]["@type"], "Person");
    assert_eq!(topic["reviewedBy"]["name"], "Example Reviewer (fictional)");
    assert_eq!(topic["reviewedBy"]["hasCredential"], "IBCLC");
    let audiences: Vec<&str> = topic["audience"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["audienceType"].as_str().unwrap())
        .collect();
    assert_eq!(
        audiences,
        ["Parent or caregiver", "Healthcare professional"]
    );
    let citations = topic["citation"].as_array().unwrap();
    assert!(citations.len() >= 3);
    let trial = citations
        .iter()
        .find(|c| c["url"] == "https://example.org/sources/pmid9283123/")
        .expect("the trial is cited");
    assert_eq!(trial["@type"], "ScholarlyArticle");
    assert_eq!(trial["identifier"]["propertyID"], "PMID");
    assert_eq!(trial["identifier"]["value"], "9283123");
    // A topic not approved yet has no review facts.
    let domperidone = json_ld(&pages["domperidone/index.html"]);
    assert_eq!(domperidone["@type"], "MedicalWebPage");
    assert!(domperidone.get("lastReviewed").is_none());
    assert!(domperidone.get("reviewedBy").is_none());

    let claim = json_ld(&pages["claims/relactation-success-seema-trial/index.html"]);
    assert_eq!(claim["@type"], "MedicalWebPage");
    assert_eq!(claim["mainEntity"]["@type"], "Claim");
    assert_eq!(claim["mainEntity"]["evidenceLevel"], "Low");
    assert!(
        claim["mainEntity"]["text"]
            .as_str()
            .unwrap()
            .contains("98% relactated")
    );
    assert_eq!(claim["lastReviewed"], "2026-06-19");
    assert_eq!(claim["reviewedBy"]["name"], "Example Reviewer (fictional)");
    assert_eq!(
        claim["mainEntity"]["citation"][0]["url"],
        "https://example.org/sources/pmid9283123/"
    );

    let source = json_ld(&pages["sources/pmid9283123/index.html"]);
    assert_eq!(source["@type"], "WebPage");
    assert_eq!(source["about"]["@type"], "ScholarlyArticle");
    assert!(source["about"]["datePublished"].is_string());
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = Site::fixture("minimal");
    let kb = site.check();
    let claim = kb.claims.keys().next().unwrap().clone();
    let path = kb.claims[&claim].claim.path.clone();
    let text = site.read(&path);
    let (first, rest) = text.split_once('\n').unwrap();
    assert!(first.starts_with("statement:"), "{first}");
    site.write(
        &path,
        // In inline code the tags are text, and reach the JSON-LD as text.
        &format!("statement: \"Tags `</script><script>` & more\"\n{rest}"),
    );
    let out = site.build_preview();
    let html = fs::read_to_string(out.join(format!("claims/{claim}/index.html"))).unwrap();
    let head = &html[..html.find("</head>").unwrap()];
    assert_eq!(
        head.matches("</script>").count(),
        1,
        "only the JSON-LD's own end"
    );
    let ld = json_ld(&html);
    assert!(
        ld["mainEntity"]["text"]
            .as_str()
            .unwrap()
            .contains("</script><script> & more"),
        "{ld}"
    );
}

#[test]
fn sitemap_lists_every_published_page_with_its_last_review() {
    let site = Site::bundled();
    let out = site.build();
    let xml = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let urlset = parse_xml(&xml);
    assert_eq!(urlset.name, "urlset");
    assert_eq!(
        urlset.attrs["xmlns"],
        "http://www.sitemaps.org/schemas/sitemap/0.9"
    );
    let urls: Vec<(&str, Option<&str>)> = urlset
        .all("url")
        .map(|u| {
            (
                u.text_of("loc"),
                u.all("lastmod").next().map(|l| l.text.as_str()),
            )
        })
        .collect();
    let locs: Vec<&str> = urls.iter().map(|(loc, _)| *loc).collect();
    let mut sorted = locs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(locs, sorted, "sorted, no duplicates");

    // Every HTML page but the dashboard, the search page and the not-found page, each under
    // its canonical URL.
    let expected: BTreeSet<String> = html_files(&out)
        .into_iter()
        .filter(|(path, _)| {
            !path.starts_with("review/") && !path.starts_with("search/") && path != "404.html"
        })
        .map(|(_, html)| canonical(&html))
        .collect();
    let listed: BTreeSet<String> = locs.iter().map(|l| l.to_string()).collect();
    assert_eq!(listed, expected);

    // lastmod is the date the page shows as its last review, and only when it shows one.
    let mut dated = 0;
    for (loc, lastmod) in &urls {
        let html = fs::read_to_string(out.join(file_of(loc))).unwrap();
        // The public face's one review line: "Reviewed by NAME on DATE · Next review due …".
        let shown = html
            .split("review-line\">Reviewed by ")
            .nth(1)
            .and_then(|rest| rest.split(" on ").nth(1))
            .map(|rest| &rest[..10])
            .filter(|d| d.starts_with("20"));
        assert_eq!(*lastmod, shown, "{loc}");
        dated += usize::from(lastmod.is_some());
    }
    assert!(dated > 0, "approved claims have a last review");
}

#[test]
fn feed_lists_dated_review_events_newest_first() {
    // The preview's feed lists every dated review event; the public one approvals only
    // (tests/evident/faces.rs).
    let site = Site::bundled();
    let out = site.build_preview();
    let kb = site.check();
    let xml = fs::read_to_string(out.join("feed.xml")).unwrap();
    let feed = parse_xml(&xml);
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attrs["xmlns"], "http://www.w3.org/2005/Atom");
    assert_eq!(feed.text_of("id"), "https://example.org/feed.xml");
    let self_link = feed
        .all("link")
        .find(|l| l.attrs.get("rel").map(String::as_str) == Some("self"))
        .unwrap();
    assert_eq!(self_link.attrs["href"], "https://example.org/feed.xml");

    let entries: Vec<&Element> = feed.all("entry").collect();
    let expected: usize = kb
        .claims
        .values()
        .filter(|c| c.published)
        .map(|c| &c.claim.review.history)
        .chain(kb.topics.values().map(|t| &t.topic.review.history))
        .flatten()
        .filter(|e| {
            matches!(
                e.action,
                ReviewAction::Submit | ReviewAction::Approve | ReviewAction::Retire
            )
        })
        .count();
    assert_eq!(entries.len(), expected);
    assert!(expected > 10);

    let updated: Vec<&str> = entries.iter().map(|e| e.text_of("updated")).collect();
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {updated:?}"
    );
    // The feed's date is its newest event's, never the build's clock.
    assert_eq!(feed.text_of("updated"), updated[0]);
    assert!(updated[0] <= "2026-11-29T00:00:00Z");

    let ids: BTreeSet<&str> = entries.iter().map(|e| e.text_of("id")).collect();
    assert_eq!(ids.len(), entries.len(), "unique ids");
    for e in &entries {
        let id = e.text_of("id");
        let link = &e.one("link").attrs["href"];
        assert!(
            id.starts_with(link.as_str()) && id.contains("#review-"),
            "{id}"
        );
        assert!(
            ["Submitted for review: ", "Approved: ", "Retired: "]
                .iter()
                .any(|p| e.text_of("title").starts_with(p)),
            "{}",
            e.text_of("title")
        );
        assert!(!e.one("author").text_of("name").is_empty());
        // A claim's entry id names a row of the history table on its page.
        if let Some(claim) = id.strip_prefix("https://example.org/claims/") {
            let (page, anchor) = claim.split_once("/#").unwrap();
            let html = fs::read_to_string(out.join(format!("claims/{page}/index.html"))).unwrap();
            assert!(harness::ids(&html).contains(anchor), "{id}");
        }
    }
    // Entities survive the round trip (notes carry apostrophes).
    assert!(xml.contains("&apos;"));
    assert!(
        entries
            .iter()
            .any(|e| e.text_of("summary").contains("mother's"))
    );
}

#[test]
fn feed_leaves_out_unpublished_claims() {
    let site = Site::bundled();
    let config = site
        .read("evident.yaml")
        .replace("publish: all-with-banner", "publish: approved-only");
    site.write("evident.yaml", &config);
    let out = site.build();
    let kb = site.check();
    let feed = parse_xml(&fs::read_to_string(out.join("feed.xml")).unwrap());
    let links: BTreeSet<String> = feed
        .all("entry")
        .map(|e| e.one("link").attrs["href"].clone())
        .collect();
    for claim in kb.claims.values() {
        let url = format!("{BASE}claims/{}/", claim.claim.id);
        if !claim.published {
            assert!(!links.contains(&url), "{url} in the feed");
        }
    }
}

#[test]
fn robots_txt_names_the_sitemap() {
    let site = Site::fixture("minimal");
    let out = site.build();
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.starts_with("User-agent: *\n"));
    assert!(robots.contains(&format!("\nSitemap: {BASE}sitemap.xml\n")));
}

/// Every page record of a build's search index, by URL: what pagefind stored of each page
/// (`content`, the text excerpts are cut from, and `meta`).
fn search_records(out: &Path) -> BTreeMap<String, serde_json::Value> {
    use std::io::Read;
    let mut records = BTreeMap::new();
    for entry in fs::read_dir(out.join("pagefind/fragment")).unwrap() {
        let path = entry.unwrap().path();
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(fs::File::open(&path).unwrap())
            .read_to_end(&mut raw)
            .unwrap();
        // pagefind prefixes its JSON with a signature.
        let start = raw.iter().position(|b| *b == b'{').unwrap();
        let record: serde_json::Value = serde_json::from_slice(&raw[start..]).unwrap();
        records.insert(record["url"].as_str().unwrap().to_string(), record);
    }
    records
}

#[test]
fn search_excerpts_read_cleanly_and_titles_come_in_each_audience_wording() {
    let site = Site::bundled();
    let out = site.build();
    let records = search_records(&out);
    let topic = &records["/relactation/index.html"]["content"];
    let topic = topic.as_str().unwrap();
    // A word never runs into a reference number ("support alone5"), nor one wording into the
    // next ("Parent or caregiverIn a").
    let run_together: Vec<&str> = topic
        .split_whitespace()
        .filter(|w| {
            let chars: Vec<char> = w.chars().collect();
            chars
                .windows(2)
                .any(|p| (p[0].is_alphabetic() || p[0] == ')') && p[1].is_ascii_digit())
        })
        .collect();
    assert!(run_together.is_empty(), "{run_together:?}\n{topic}");
    assert!(topic.contains("a lot. Relactation: resumption"), "{topic}");
    for (url, record) in &records {
        let content = record["content"].as_str().unwrap();
        for label in [
            "Reviewed by",
            "Certainty of evidence",
            "Wording for each reader",
            "Parent or caregiver",
            "Healthcare professional",
            "Review status",
            "Sources of this statement",
        ] {
            assert!(!content.contains(label), "{url}: `{label}` in\n{content}");
        }
    }
    let claim = &records["/claims/relactation-success-seema-trial/index.html"]["meta"];
    assert_eq!(
        claim["title_patient"],
        "Almost all mothers in one study (49 of 50) made milk again; most fully breastfed again."
    );
    assert!(
        claim["title_clinician"]
            .as_str()
            .unwrap()
            .starts_with("Randomised trial, n=50"),
        "{claim}"
    );
}
