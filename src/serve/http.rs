//! The HTTP side of `serve`: the site from memory, the event stream and the diagnostics.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::host::HostPolicy;
use super::path::{self, Refused};
use super::state::{Site, State};

/// Paths under this prefix belong to the server, never to the site.
const PREFIX: &str = "/__evident/";

pub(super) fn router(state: Arc<State>, hosts: HostPolicy) -> Router {
    Router::new()
        .route("/__evident/events", get(events))
        .route("/__evident/diagnostics", get(diagnostics))
        .fallback(site)
        .with_state(state)
        .layer(from_fn_with_state(hosts, check_host))
}

/// Every request, the event stream and the diagnostics included, first shows that it was
/// meant for this server (see [`super::host`]). A request naming no host at all (HTTP/1.0)
/// cannot come from a rebound name: browsers always send one.
async fn check_host(Extract(hosts): Extract<HostPolicy>, request: Request, next: Next) -> Response {
    let header = request
        .headers()
        .get_all(header::HOST)
        .iter()
        .map(|h| h.to_str().unwrap_or(""));
    // An absolute request target (`GET http://host/ HTTP/1.1`) names the host too, and wins.
    let target = request.uri().authority().map(|a| a.host());
    let mut named = header.chain(target);
    if let Some(refused) = named.find(|host| !hosts.allows(host)) {
        let body = format!(
            "misdirected request: this is evident serve, which answers only to localhost and to \
             IP addresses, not to `{}` (a defence against DNS rebinding); open it as \
             http://localhost:PORT/ or by its IP address\n",
            refused.escape_debug()
        );
        return respond(
            StatusCode::MISDIRECTED_REQUEST,
            "text/plain; charset=utf-8",
            body.into_bytes(),
        );
    }
    next.run(request).await
}

/// What one event stream knows of the tab it talks to.
struct Tab {
    /// The output file the tab shows (`?page=` of the stream's URL); None: any change counts.
    page: Option<String>,
    /// The last generation looked at.
    seen: u64,
    /// The generation in which the tab's page last changed: what the stream reports as
    /// `site`, so the tab reloads only when its own page changed.
    version: u64,
}

impl Tab {
    fn look(&mut self, site: &Site) {
        let generation = site.generation;
        let Some(page) = &self.page else {
            self.version = generation;
            return;
        };
        if generation != self.seen {
            // The log must reach back to the first generation the tab has not seen.
            let complete = site.log.front().is_some_and(|(g, _)| *g <= self.seen + 1);
            if !complete {
                self.version = generation;
            }
            for (g, files) in site.log.iter().filter(|(g, _)| *g > self.seen) {
                if files.as_ref().is_none_or(|f| f.contains(page)) {
                    self.version = *g;
                }
            }
        }
        self.seen = generation;
    }
}

/// `state` events: one on connect, then one after every build. The stream ends when the
/// server stops, or graceful shutdown would wait for it forever.
async fn events(
    Extract(state): Extract<Arc<State>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changed = state.changed.subscribe();
    let stopping = state.stopping.subscribe();
    let generation = state.current().generation;
    let tab = Tab {
        page: uri.query().and_then(path::page_of_query),
        seen: generation,
        version: generation,
    };
    let stream = futures_util::stream::unfold(
        (state, changed, stopping, tab, true),
        |(state, mut changed, mut stopping, mut tab, first)| async move {
            if !first {
                tokio::select! {
                    result = changed.changed() => result.ok()?,
                    _ = stopping.wait_for(|s| *s) => return None,
                }
            }
            if *stopping.borrow() {
                return None;
            }
            let site = state.current();
            tab.look(&site);
            let data = serde_json::json!({
                "site": tab.version,
                "errors": site.errors,
                "warnings": site.warnings,
            });
            let event = Event::default().event("state").data(data.to_string());
            Some((Ok(event), (state, changed, stopping, tab, false)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The latest build's errors: `{"errors": n, "warnings": n, "text": "…", "diagnostics": […]}`
/// with the diagnostics in `check --format json`'s shape.
async fn diagnostics(Extract(state): Extract<Arc<State>>) -> Response {
    let site = state.current();
    let body = serde_json::json!({
        "errors": site.errors,
        "warnings": site.warnings,
        "text": site.text,
        "diagnostics": site.json,
    });
    respond(
        StatusCode::OK,
        "application/json",
        body.to_string().into_bytes(),
    )
}

/// Everything else: a file of the last good site.
async fn site(Extract(state): Extract<Arc<State>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let raw = uri.path();
    if raw.starts_with(PREFIX) {
        return not_found(&state);
    }
    let file = match path::resolve(raw) {
        Ok(file) => file,
        Err(why) => return refused(why),
    };
    let site = state.current();
    let Some(output) = &site.output else {
        return page(StatusCode::SERVICE_UNAVAILABLE, NO_SITE);
    };
    if let Some(bytes) = output.get(file.as_str()) {
        return serve_file(&file, bytes);
    }
    // `/topic` for the folder `topic/`: redirect, so that the page's relative links resolve.
    if !file.ends_with("index.html") && output.contains_key(format!("{file}/index.html").as_str()) {
        let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(location) = HeaderValue::from_str(&format!("{raw}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    not_found(&state)
}

fn serve_file(file: &str, bytes: &[u8]) -> Response {
    let body = if path::is_html(file) {
        path::inject(bytes)
    } else {
        bytes.to_vec()
    };
    respond(StatusCode::OK, path::content_type(file), body)
}

fn not_found(state: &State) -> Response {
    let site = state.current();
    match site.output.as_ref().and_then(|o| o.get("404.html")) {
        Some(bytes) => {
            let mut response = serve_file("404.html", bytes);
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
        None => page(StatusCode::NOT_FOUND, NOT_FOUND),
    }
}

fn refused(why: Refused) -> Response {
    let message = match why {
        Refused::NotAbsolute => "the path must start with /",
        Refused::BadEncoding => "the path is not valid percent-encoded UTF-8",
        Refused::EncodedSeparator => "encoded slashes are not allowed in paths",
        Refused::ControlCharacter => "control characters are not allowed in paths",
        Refused::BadSegment => "`.`, `..`, empty and drive segments are not allowed in paths",
    };
    respond(
        StatusCode::BAD_REQUEST,
        "text/plain; charset=utf-8",
        format!("bad request: {message}\n").into_bytes(),
    )
}

const NOT_FOUND: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
<body><h1>Not found</h1><p>No page of the site is at this address. <a href=\"/\">Home</a></p></body></html>";

const NO_SITE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head>\
<body><h1>The site has not built yet</h1><p>Fix the errors shown in the terminal; this page reloads when the site builds.</p></body></html>";

/// A built-in page, with the reload script so that it turns into the site once it builds.
fn page(status: StatusCode, html: &str) -> Response {
    respond(
        status,
        "text/html; charset=utf-8",
        path::inject(html.as_bytes()),
    )
}

fn respond(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A preview must never show a stale page from the browser's cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
