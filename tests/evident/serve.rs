//! `evident serve` on an ephemeral port: pages from memory, refused paths, the event stream,
//! and a content error that leaves the last good site up until it is fixed.
//!
//! The client is a raw `TcpStream`, so that request paths reach the server exactly as written
//! (an HTTP library would normalise `/../`). Waits are bounded polls with generous timeouts:
//! these tests must pass on a busy 2-core machine, where a rebuild can take seconds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use evident::serve::session::Mode;
use evident::serve::{self, Rebuild, ServeOptions};

use crate::harness::{Site, today};

/// Long enough for a debug-build rebuild of the bundled site on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(90);

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One `GET` with `Connection: close`, the path sent byte for byte.
#[track_caller]
fn get(addr: SocketAddr, path: &str) -> Reply {
    send(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

/// A request written exactly as given, and the reply read until the server closes.
#[track_caller]
fn send(addr: SocketAddr, request: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

#[track_caller]
fn diagnostics(addr: SocketAddr) -> serde_json::Value {
    let reply = get(addr, "/__evident/diagnostics");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    serde_json::from_str(&reply.body).unwrap()
}

/// Polls until `done` holds, failing after [`PATIENCE`].
#[track_caller]
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < PATIENCE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The server-sent events of `/__evident/events`, read one `state` event at a time.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        Events::open_at(addr, "/__evident/events")
    }

    /// The stream as the reload script opens it from the tab showing `page`.
    fn for_page(addr: SocketAddr, page: &str) -> Events {
        let query = page.replace('/', "%2F");
        Events::open_at(addr, &format!("/__evident/events?page={query}"))
    }

    #[track_caller]
    fn open_at(addr: SocketAddr, target: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            assert!(reader.read_line(&mut head).unwrap() > 0, "{head}");
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase().contains("text/event-stream"),
            "{head}"
        );
        Events { reader }
    }

    /// The next `state` event's data; None when the stream ended.
    #[track_caller]
    fn next(&mut self) -> Option<serde_json::Value> {
        let mut event = None;
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            // The body is chunked: chunk-size lines are hex digits, never `event:`/`data:`.
            let line = line.trim_end();
            if line == "event: state" {
                event = Some(());
            } else if let (Some(()), Some(data)) = (event, line.strip_prefix("data: ")) {
                return Some(serde_json::from_str(data).unwrap());
            }
        }
    }
}

#[test]
fn serves_rebuilds_and_keeps_the_last_good_site_through_errors() {
    let site = Site::bundled();
    // Port 0: the system picks a free one, and the handle says which.
    let handle = serve::start(site.project(), ServeOptions::local(0, today())).unwrap();
    let addr = handle.addr;
    assert!(addr.ip().is_loopback() && addr.port() != 0);

    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.body
            .contains("new EventSource(\"/__evident/events?page=\"")
    );
    let topic = get(addr, "/relactation/");
    assert_eq!(topic.status, 200);
    assert!(topic.body.contains("</html>"));
    assert_eq!(get(addr, "/relactation").status, 301);
    assert_eq!(
        get(addr, "/relactation").header("location"),
        Some("/relactation/")
    );
    // serve always has the editor dashboard.
    assert_eq!(get(addr, "/review/").status, 200);
    let api = get(addr, "/api/claims.json");
    assert_eq!(api.status, 200);
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert!(!api.body.contains("EventSource"), "script only in HTML");
    // Unknown paths at any depth get the site's own not-found page, with links that work
    // from there.
    for path in ["/no-such-page/", "/deep/er/nowhere.html"] {
        let missing = get(addr, path);
        assert_eq!(missing.status, 404, "{path}");
        assert!(missing.body.contains("<h1>Page not found</h1>"), "{path}");
        let body = crate::harness::decode_entities(&missing.body);
        assert!(
            body.contains(r#"href="/static/style.css""#),
            "{path}: {body}"
        );
    }
    assert_eq!(get(addr, "/__evident/nothing").status, 404);
    for path in [
        "/../evident.yaml",
        "/%2e%2e/evident.yaml",
        "/relactation/%2e%2e/%2e%2e/evident.yaml",
        "/..%2fevident.yaml",
        "/..%5cevident.yaml",
        "//etc/passwd",
        "/index.html%00.css",
    ] {
        assert_eq!(get(addr, path).status, 400, "{path}");
    }

    let mut events = Events::open(addr);
    let first = events.next().unwrap();
    assert_eq!(first["errors"], 0);
    let generation = first["site"].as_u64().unwrap();
    assert_eq!(diagnostics(addr)["errors"], 0);

    // An invalid kind is a content error: the site must stay as it was.
    let claim = "content/claims/relactation/assess-motivation-and-breasts.yaml";
    let good = site.read(claim);
    assert!(good.contains("\nkind: recommendation\n"));
    site.write(
        claim,
        &good.replace("\nkind: recommendation\n", "\nkind: <b>bogus</b>\n"),
    );
    wait_for("the error to be reported", || {
        diagnostics(addr)["errors"].as_u64() > Some(0)
    });
    let report = diagnostics(addr);
    let text = report["text"].as_str().unwrap();
    assert!(text.contains("invalid-value"), "{text}");
    assert!(text.contains(claim), "{text}");
    assert_eq!(report["diagnostics"][0]["path"], claim);
    let state = events.next().unwrap();
    assert!(state["errors"].as_u64() > Some(0), "{state}");
    assert_eq!(state["site"].as_u64(), Some(generation), "site unchanged");
    let still = get(addr, "/");
    assert_eq!(still.status, 200);
    assert_eq!(still.body, home.body, "the last good site stays up");

    site.write(claim, &good);
    wait_for("the fix to clear the errors", || {
        diagnostics(addr)["errors"] == 0
    });
    // The stream may have seen intermediate builds; the last one is the fixed site.
    let mut state = events.next().unwrap();
    while state["errors"] != 0 {
        state = events.next().unwrap();
    }
    assert!(state["site"].as_u64() > Some(generation), "{state}");
    assert_eq!(get(addr, "/").status, 200);

    let stopped = Instant::now();
    handle.shutdown().unwrap();
    assert!(stopped.elapsed() < Duration::from_secs(10));
    // Events sent before the shutdown may still be read (the search index of the last build
    // lands after its pages, later on a loaded machine); then the stream ends.
    let mut left = 0;
    while events.next().is_some() {
        left += 1;
        assert!(left < 5, "the event stream ends on shutdown");
    }
    assert!(TcpStream::connect(addr).is_err(), "the port is closed");
}

#[test]
fn an_edit_is_rebuilt_incrementally_and_reloads_only_the_tabs_it_changed() {
    let site = Site::bundled();
    let reports: Arc<Mutex<Vec<Rebuild>>> = Arc::default();
    let mut options = ServeOptions::local(0, today());
    let seen = reports.clone();
    options.on_rebuild = Some(Arc::new(move |r: &Rebuild| {
        seen.lock().unwrap().push(r.clone());
    }));
    let handle = serve::start(site.project(), options).unwrap();
    let addr = handle.addr;
    let claim_page = "/claims/relactation-success-seema-trial/";
    let unrelated_page = "/sources/lactmed-domperidone/";
    let mut claim_tab = Events::for_page(addr, claim_page);
    let mut unrelated_tab = Events::for_page(addr, unrelated_page);
    let claim_version = claim_tab.next().unwrap()["site"].as_u64();
    let unrelated_version = unrelated_tab.next().unwrap()["site"].as_u64();
    let unrelated = get(addr, unrelated_page);
    assert_eq!(unrelated.status, 200);
    let unrelated = unrelated.body;

    let claim = "content/claims/relactation/relactation-success-seema-trial.yaml";
    let text = site.read(claim);
    site.write(
        claim,
        &text.replacen(
            "mothers of hospitalised infants,",
            "mothers of infants in hospital,",
            1,
        ),
    );
    wait_for("the incremental rebuild", || {
        reports.lock().unwrap().iter().any(|r| r.changed == [claim])
    });
    let report = reports
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.changed == [claim])
        .cloned()
        .unwrap();
    assert_eq!(report.mode, Mode::Incremental, "{report:?}");
    assert!(
        (1..10).contains(&report.rendered),
        "{} pages re-rendered",
        report.rendered
    );
    let to_reload = report.event_to_reload.expect("a reload after the edit");
    assert!(
        to_reload >= serve::DEBOUNCE,
        "timed from the file event: {to_reload:?}"
    );
    assert!(report.event_to_aggregates.is_some_and(|t| t >= to_reload));
    assert!(
        get(addr, claim_page)
            .body
            .contains("mothers of infants in hospital")
    );
    assert!(
        get(addr, "/api/claims.json")
            .body
            .contains("mothers of infants in hospital")
    );
    assert_eq!(get(addr, unrelated_page).body, unrelated);

    // The claim's tab is told its page changed; the other tab sees new events only.
    let mut version = claim_tab.next().unwrap()["site"].as_u64();
    while version == claim_version {
        version = claim_tab.next().unwrap()["site"].as_u64();
    }
    assert!(version > claim_version);
    assert_eq!(
        unrelated_tab.next().unwrap()["site"].as_u64(),
        unrelated_version
    );
    handle.shutdown().unwrap();
}

#[test]
fn a_taken_port_is_refused_clearly() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let site = Site::bundled();
    let Err(e) = serve::start(site.project(), ServeOptions::local(addr.port(), today())) else {
        panic!("served on a taken port");
    };
    let bind = e.downcast_ref::<serve::BindError>().unwrap();
    assert_eq!(bind.source.kind(), std::io::ErrorKind::AddrInUse);

    let output = assert_cmd::Command::cargo_bin("evident")
        .unwrap()
        .current_dir(&site.root)
        .args(["--today", crate::harness::TODAY, "serve", "--port"])
        .arg(addr.port().to_string())
        .timeout(PATIENCE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "port {} on 127.0.0.1 is already in use",
            addr.port()
        )),
        "{stderr}"
    );
}

/// Each build tells the diagnostics it brought and those it fixed, so the terminal can print
/// them rather than only a count.
#[test]
fn each_rebuild_tells_the_diagnostics_new_and_gone() {
    let site = Site::fixture("minimal");
    // The codes of each build's new and gone diagnostics.
    type Told = Vec<(Vec<String>, Vec<String>)>;
    let told: Arc<Mutex<Told>> = Arc::default();
    let mut options = ServeOptions::local(0, today());
    let sink = told.clone();
    options.on_rebuild = Some(Arc::new(move |r: &Rebuild| {
        let codes = |list: &[evident::diag::Diagnostic]| {
            list.iter().map(|d| d.code.to_string()).collect::<Vec<_>>()
        };
        sink.lock().unwrap().push((codes(&r.new), codes(&r.gone)));
    }));
    let handle = serve::start(site.project(), options).unwrap();
    let last = || told.lock().unwrap().last().cloned();
    assert_eq!(last(), Some((vec![], vec![])), "the minimal site is clean");

    let claim = "content/claims/claim-a.yaml";
    let good = site.read(claim);
    site.write(claim, &good.replace("id: src-a", "id: src-b"));
    wait_for("the unknown source to be told as new", || {
        last().is_some_and(|(new, _)| new.contains(&"unknown-source".to_string()))
    });
    let (_, gone) = last().unwrap();
    assert!(gone.is_empty(), "{gone:?}");

    site.write(claim, &good);
    wait_for("the unknown source to be told as gone", || {
        last().is_some_and(|(new, gone)| {
            new.is_empty() && gone.contains(&"unknown-source".to_string())
        })
    });
    handle.shutdown().unwrap();
}

/// Only requests naming this server are answered: a page elsewhere that rebinds its own
/// domain name to 127.0.0.1 must not read the preview (DNS rebinding).
#[test]
fn requests_for_another_host_are_refused() {
    let site = Site::fixture("minimal");
    let mut options = ServeOptions::local(0, today());
    options.watch = false;
    let handle = serve::start(site.project(), options).unwrap();
    let addr = handle.addr;
    let port = addr.port();
    let with_host = |host: &str, path: &str| {
        send(
            addr,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("tea.localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
    ] {
        assert_eq!(with_host(&host, "/").status, 200, "{host}");
    }
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost.attacker.example:{port}"),
        format!("192.0.2.7:{port}"),
    ] {
        for path in [
            "/",
            "/topic/",
            "/__evident/diagnostics",
            "/__evident/events",
        ] {
            let reply = with_host(&host, path);
            assert_eq!(reply.status, 421, "{host} {path}");
            assert!(reply.body.contains("DNS rebinding"), "{}", reply.body);
            assert!(!reply.body.contains("Fixture site"), "{}", reply.body);
        }
    }
    // An absolute request target names the host as well, and is checked like the header.
    let absolute = send(
        addr,
        &format!(
            "GET http://attacker.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(absolute.status, 421);
    // HTTP/1.0 without a Host header: no browser sends that, so no rebound name either.
    assert_eq!(send(addr, "GET / HTTP/1.0\r\n\r\n").status, 200);
    handle.shutdown().unwrap();
}

/// A client that starts a request and never finishes its head loses the connection, and
/// the server keeps answering others.
#[test]
fn a_request_head_sent_too_slowly_is_cut_off() {
    let site = Site::fixture("minimal");
    let mut options = ServeOptions::local(0, today());
    options.watch = false;
    options.header_timeout = Duration::from_secs(1);
    let handle = serve::start(site.project(), options).unwrap();
    let addr = handle.addr;

    let mut slow = TcpStream::connect(addr).unwrap();
    // A read that outlasts PATIENCE fails with WouldBlock or TimedOut: the server did not
    // close the connection.
    slow.set_read_timeout(Some(PATIENCE)).unwrap();
    slow.write_all(b"GET / HT").unwrap();
    let mut raw = Vec::new();
    match slow.read_to_end(&mut raw) {
        Ok(_) => {}
        Err(e) => assert_eq!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset,
            "the connection was not closed: {e}"
        ),
    }
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("Fixture site"), "{text}");
    // A connection that says nothing at all is closed too.
    let mut silent = TcpStream::connect(addr).unwrap();
    silent.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut nothing = Vec::new();
    if let Err(e) = silent.read_to_end(&mut nothing) {
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}");
    }
    assert_eq!(get(addr, "/").status, 200);
    handle.shutdown().unwrap();
}

/// The minimal site with a content error: no build of it ever succeeds.
fn broken_minimal_site() -> Site {
    let site = Site::fixture("minimal");
    let claim = "content/claims/claim-a.yaml";
    site.write(
        claim,
        &site
            .read(claim)
            .replace("kind: finding", "kind: teapot-shaped"),
    );
    site
}

/// Until a build succeeds there is no last good site: the build says so, and the browser
/// gets the page saying the site has not built yet.
#[test]
fn a_site_that_never_built_is_not_called_the_last_good_one() {
    let site = broken_minimal_site();
    let told: Arc<Mutex<Vec<bool>>> = Arc::default();
    let sink = told.clone();
    let mut options = ServeOptions::local(0, today());
    options.watch = false;
    options.on_rebuild = Some(Arc::new(move |r: &Rebuild| {
        assert_eq!(r.outcome, serve::Outcome::ContentErrors);
        sink.lock().unwrap().push(r.serving);
    }));
    let handle = serve::start(site.project(), options).unwrap();
    assert_eq!(*told.lock().unwrap(), [false]);
    let home = get(handle.addr, "/");
    assert_eq!(home.status, 503);
    assert!(home.body.contains("has not built yet"), "{}", home.body);
    handle.shutdown().unwrap();
}

/// `evident serve` in a terminal: the warning about listening on every address comes
/// first, before the build's diagnostics, and a site that never built is not called the
/// last good one.
#[test]
fn the_terminal_warns_of_a_public_address_first_and_says_no_site_was_built() {
    let site = broken_minimal_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_evident"))
        .current_dir(&site.root)
        .args([
            "--today",
            crate::harness::TODAY,
            "--color",
            "never",
            "serve",
        ])
        .args(["--bind", "0.0.0.0", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let started = Instant::now();
    while !seen
        .iter()
        .any(|l: &String| l.contains("the browser shows the errors"))
    {
        let left = PATIENCE.saturating_sub(started.elapsed());
        match received.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(received);
    reader.join().unwrap();
    let text = seen.join("\n");
    assert!(
        seen.first()
            .is_some_and(|l| l.starts_with("warning: listening on 0.0.0.0")),
        "{text}"
    );
    assert!(text.contains("error[invalid-value]"), "{text}");
    assert!(
        text.contains("1 error, 0 warnings: no site built yet; the browser shows the errors"),
        "{text}"
    );
    assert!(!text.contains("last good site"), "{text}");
}
