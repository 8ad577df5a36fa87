//! The bundled site in a real browser: `tests/browser/a11y.mjs` runs axe-core in headless
//! Chromium (Debian's, driven by playwright-core) over the home, topic, claim, source,
//! dashboard, grading and search pages, served over http from 127.0.0.1, and checks the
//! audience switch and search. This test builds the site, serves it, runs the script and
//! reads its JSON report. The Nu HTML checker (npm `vnu-jar`, on a Java runtime) reads every
//! page of both faces. A missing tool is a failure, never a skip: `scripts/test` installs what
//! is missing.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::{Site, repo, walkdir};

/// Generous: a busy two-core machine starts Chromium slowly. The run takes ~15 s when idle.
const RUN_LIMIT: Duration = Duration::from_secs(150);

fn browser_dir() -> PathBuf {
    repo().join("tests/browser")
}

/// Fails with what to do when a tool the test needs is absent.
#[track_caller]
fn require(program: &str, what: &str) {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "{what} (`{program}`) is not installed: run scripts/test, which installs what the \
         browser test needs"
    );
}

/// playwright-core, axe-core and vnu-jar, installed from tests/browser/package-lock.json when
/// absent.
#[track_caller]
fn ensure_node_modules() {
    let dir = browser_dir();
    let installed = ["playwright-core", "axe-core", "vnu-jar"].iter().all(|m| {
        dir.join("node_modules")
            .join(m)
            .join("package.json")
            .is_file()
    });
    if installed {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .status()
        .expect("npm runs");
    assert!(
        status.success(),
        "`npm ci --prefix tests/browser` failed: run scripts/test with the npm registry reachable"
    );
}

/// A static file server on 127.0.0.1 with a port the system picked; killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    #[track_caller]
    fn start(dir: &Path) -> Server {
        // -u: python writes its "Serving HTTP on … port N" line at once, not at exit.
        let mut child = Command::new("python3")
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1"])
            .arg("--directory")
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m http.server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line
                    .split(" port ")
                    .nth(1)
                    .and_then(|rest| rest.split_whitespace().next())
                    .and_then(|p| p.parse::<u16>().ok())
                {
                    let _ = tx.send(port);
                }
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
        };
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the static server says which port it listens on");
        server.url = format!("http://127.0.0.1:{port}/");
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `node a11y.mjs URL SITE_DIR` with a time limit; returns its exit status, stdout and
/// stderr.
#[track_caller]
fn run_a11y(url: &str, site: &Path) -> (Option<i32>, String, String) {
    run_a11y_on(url, site, "preview-like")
}

/// `a11y.mjs` with `EVIDENT_FACE` set to `face` (`public`: no dashboard, an approved claim's
/// word searched for).
fn run_a11y_on(url: &str, site: &Path, face: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new("node")
        .env("EVIDENT_FACE", face)
        .arg(browser_dir().join("a11y.mjs"))
        .arg(url)
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    // Read both pipes on threads, so a full pipe never blocks the script.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("a11y.mjs ran longer than {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    (status, out.join().unwrap(), err.join().unwrap())
}

#[test]
fn the_public_site_passes_axe_and_its_search_finds_approved_claims() {
    require("node", "Node.js");
    require("npm", "npm");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    require(&chromium, "Chromium");
    ensure_node_modules();

    // The bundled site as it is: its public face (the review line, no workflow badges).
    let site = Site::bundled();
    let out = site.build();
    assert!(
        !out.join("review").exists(),
        "no dashboard on the public site"
    );
    let server = Server::start(&out);
    let (status, stdout, stderr) = run_a11y_on(&server.url, &out, "public");
    drop(server);
    let report: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("a11y.mjs printed no report ({e}); stderr:\n{stderr}"));
    assert!(
        report["failures"].as_array().unwrap().is_empty() && status == Some(0),
        "browser checks failed on the public site (exit {status:?}):\n{}\n{stderr}",
        serde_json::to_string_pretty(&report).unwrap()
    );
    let pages = report["pages"].as_object().unwrap();
    for name in [
        "home", "topic", "claim", "source", "grading", "search", "handout", "notFound",
    ] {
        assert_eq!(pages[name]["violations"], serde_json::json!([]), "{name}");
        assert!(
            pages[name]["passes"].as_u64().unwrap() > 10,
            "{name}: axe ran"
        );
    }
    assert!(!pages.contains_key("review"));
    // Content first on a phone: the first statement within the first screen (390 × 844).
    let phone = &report["phone"];
    assert!(
        phone["firstStatement"].as_u64().unwrap() < phone["screen"].as_u64().unwrap(),
        "{phone}"
    );
    // The reader chose the clinician's wording on the topic page: results speak it too.
    assert!(
        report["search"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["title"].as_str().unwrap().starts_with(
                "RCT, n=50: relactation support alone vs support plus metoclopramide"
            )),
        "{}",
        report["search"]
    );
    for search in ["search", "headerSearch"] {
        let results = report[search]["results"].as_array().unwrap();
        assert!(
            results.iter().any(|r| r["href"]
                .as_str()
                .is_some_and(|h| h.contains("/claims/metoclopramide-no-added-benefit/"))),
            "{search}: the approved metoclopramide claim among the results: {results:?}"
        );
    }
}

#[test]
fn axe_finds_no_wcag_violation_and_audience_switch_and_search_work() {
    require("node", "Node.js");
    require("npm", "npm");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    require(&chromium, "Chromium");
    ensure_node_modules();

    let site = Site::bundled_internal();
    let out = site.build();
    let server = Server::start(&out);
    let (status, stdout, stderr) = run_a11y(&server.url, &out);
    drop(server);

    let report: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("a11y.mjs printed no report ({e}); stderr:\n{stderr}"));
    let failures = report["failures"].as_array().unwrap();
    assert!(
        failures.is_empty() && status == Some(0),
        "browser checks failed (exit {status:?}):\n{}\n{stderr}",
        serde_json::to_string_pretty(&report).unwrap()
    );
    assert_eq!(
        report["tags"],
        serde_json::json!(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    );

    let pages = report["pages"].as_object().unwrap();
    for name in [
        "home",
        "topic",
        "claim",
        "source",
        "review",
        "grading",
        "search",
        "handout",
        "notFound",
        "topic (Healthcare professional)",
    ] {
        let page = &pages[name];
        assert_eq!(page["violations"], serde_json::json!([]), "{name}");
        assert!(page["passes"].as_u64().unwrap() > 10, "{name}: axe ran");
    }

    let audience = &report["audience"];
    assert_eq!(audience["current"], "Healthcare professional");
    assert_eq!(audience["hash"], "#for-clinician");
    assert_ne!(audience["before"], audience["after"]);
    assert_eq!(audience["afterReference"], audience["after"]);
    assert_eq!(audience["noScript"], audience["after"]);
    assert!(
        audience["after"].as_str().is_some_and(|s| !s.is_empty()),
        "{audience}"
    );

    for search in ["search", "headerSearch"] {
        let results = report[search]["results"].as_array().unwrap();
        assert!(
            results.iter().any(|r| {
                r["href"]
                    .as_str()
                    .is_some_and(|h| h.contains("/claims/domperidone-"))
            }),
            "{search}: a domperidone claim among the results: {results:?}"
        );
    }
    assert!(
        report["fileNote"]
            .as_str()
            .is_some_and(|n| n.contains("needs a web server")),
        "the search page opened from disk says search needs a server"
    );

    // The same site with its index in shards of three pages (a large site's are of 500):
    // search.js has pagefind search them together, and finds everything one index found. (A
    // shard in which no page holds the word falls back to pagefind's near matches, so a few
    // loosely matching pages may come on top.)
    let shards = reshard_search_index(&out, 3);
    assert!(shards > 3, "{shards} shards");
    let server = Server::start(&out);
    let (status, stdout, stderr) = run_a11y(&server.url, &out);
    drop(server);
    let sharded: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("a11y.mjs printed no report ({e}); stderr:\n{stderr}"));
    assert!(
        sharded["failures"].as_array().unwrap().is_empty() && status == Some(0),
        "browser checks failed on the sharded index (exit {status:?}):\n{}\n{stderr}",
        serde_json::to_string_pretty(&sharded["failures"]).unwrap()
    );
    for search in ["search", "headerSearch"] {
        // Each run has its own server, so links are compared without the origin.
        let links = |r: &serde_json::Value| -> BTreeSet<String> {
            r[search]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    let href = x["href"].as_str().unwrap();
                    href.splitn(4, '/').nth(3).unwrap_or(href).to_owned()
                })
                .collect()
        };
        let (one, many) = (links(&report), links(&sharded));
        assert!(one.len() > 10, "{search}: {one:?}");
        let missed: Vec<&String> = one.difference(&many).collect();
        assert!(
            missed.is_empty(),
            "{search}: {shards} shards missed what one index found: {missed:?}"
        );
    }
}

/// Replaces the search index of the built site in `out` with one in shards of about
/// `shard_pages` pages; returns how many shards there are.
#[track_caller]
fn reshard_search_index(out: &Path, shard_pages: usize) -> usize {
    #[track_caller]
    fn pages(dir: &Path, root: &Path, output: &mut evident::render::search::Pages) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pages(&path, root, output);
            } else if path.extension().is_some_and(|e| e == "html") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                output.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let folder = out.join(evident::render::search::FOLDER);
    std::fs::remove_dir_all(&folder).unwrap();
    let mut output = evident::render::search::Pages::new();
    pages(out, out, &mut output);
    // As `build` indexes the bundled site: English, links ending in index.html (no pretty URLs).
    let files = evident::render::search::index_in_shards(&output, "en", true, shard_pages).unwrap();
    for (rel, bytes) in &files {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let list = std::fs::read(folder.join("shards.json")).unwrap();
    serde_json::from_slice::<Vec<String>>(&list).unwrap().len() + 1
}

#[test]
fn the_nu_html_checker_finds_no_error_on_any_page_of_either_face() {
    require("java", "A Java runtime");
    require("npm", "npm");
    ensure_node_modules();
    let site = Site::bundled();
    let public = site.build();
    let preview = site.build_preview();
    let mut pages: Vec<PathBuf> = Vec::new();
    for out in [&public, &preview] {
        let before = pages.len();
        for entry in walkdir(out) {
            if entry.extension().is_some_and(|e| e == "html") {
                pages.push(entry);
            }
        }
        assert!(
            pages.len() - before > 20,
            "{}: the site's pages",
            out.display()
        );
    }
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(&pages)
        .output()
        .expect("java runs");
    // vnu writes its report on stderr.
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu printed no JSON report ({e}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let messages = report["messages"].as_array().unwrap();
    assert!(
        messages.is_empty() && output.status.success(),
        "the Nu HTML checker found {} error(s) in {} pages:\n{}",
        messages.len(),
        pages.len(),
        serde_json::to_string_pretty(messages).unwrap()
    );
}
