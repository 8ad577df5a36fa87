//! Request paths → output paths, content types, and the live-reload script.
//!
//! The server answers only from the in-memory [`Files`](crate::serve::session::Files), so it cannot
//! read the disk whatever the path says. Paths that try anyway (`..`, encoded slashes, NUL)
//! are still refused outright: a 400 says plainly that the request was wrong, where a lookup
//! that merely misses would hide an attack or a broken link generator.

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not an origin-form path starting with `/`.
    NotAbsolute,
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8.
    BadEncoding,
    /// `%2f` or `%5c`: a slash hidden from the segment split.
    EncodedSeparator,
    /// A NUL or other control character.
    ControlCharacter,
    /// `.` or `..`, an empty segment (`//`), a backslash or a drive letter.
    BadSegment,
}

/// Decodes and checks a request path (without its query) and names the output file for it:
/// `/` and `/x/` name `index.html` and `x/index.html`.
pub fn resolve(raw: &str) -> Result<String, Refused> {
    let Some(rest) = raw.strip_prefix('/') else {
        return Err(Refused::NotAbsolute);
    };
    let decoded = decode(rest)?;
    if decoded.chars().any(char::is_control) {
        return Err(Refused::ControlCharacter);
    }
    let directory = decoded.is_empty() || decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    let mut segments = Vec::new();
    if !trimmed.is_empty() {
        for segment in trimmed.split('/') {
            let drive = segment.len() == 2 && segment.ends_with(':');
            if segment.is_empty()
                || segment == "."
                || segment == ".."
                || segment.contains('\\')
                || drive
            {
                return Err(Refused::BadSegment);
            }
            segments.push(segment);
        }
    }
    if directory {
        segments.push("index.html");
    }
    Ok(segments.join("/"))
}

/// The output file named by `page=` in the query of the event stream's URL: the tab's own
/// path, percent-encoded once more by the script.
pub fn page_of_query(query: &str) -> Option<String> {
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?;
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match (byte, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(decoded)) => {
                bytes.push(decoded);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(byte);
                rest = tail;
            }
        }
    }
    resolve(&String::from_utf8(bytes).ok()?).ok()
}

/// Percent-decoding, refusing encoded separators: `a%2fb` must not become two segments after
/// the check that looked at one.
fn decode(text: &str) -> Result<String, Refused> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(Refused::BadEncoding)?;
            let hex = std::str::from_utf8(hex).map_err(|_| Refused::BadEncoding)?;
            let byte = u8::from_str_radix(hex, 16).map_err(|_| Refused::BadEncoding)?;
            if byte == b'/' || byte == b'\\' {
                return Err(Refused::EncodedSeparator);
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refused::BadEncoding)
}

/// The Content-Type for an output path, by its extension. Text types carry `charset=utf-8`
/// because every text file evident writes is UTF-8.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Whether a response of this type gets the live-reload script.
pub fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

/// The live-reload client. `state` events carry the site's generation and its error count: a
/// new generation reloads the page, errors fetch the diagnostics and show them over the page.
/// The text goes in through `textContent`, so nothing in a diagnostic can become markup.
pub const RELOAD_SCRIPT: &str = r#"<script>(() => {
  const es = new EventSource("/__evident/events?page=" + encodeURIComponent(location.pathname)); let seen = null;
  const overlay = (text) => {
    let box = document.getElementById("__evident_overlay");
    if (!text) { if (box) box.remove(); return; }
    if (!box) { box = document.createElement("pre"); box.id = "__evident_overlay";
      box.style.cssText = "position:fixed;inset:0;margin:0;padding:1.5em;overflow:auto;z-index:2147483647;background:rgba(20,20,20,.94);color:#fdd;font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.appendChild(box); }
    box.textContent = text;
  };
  es.addEventListener("state", (e) => { const s = JSON.parse(e.data);
    if (seen !== null && s.site !== seen) { location.reload(); return; } seen = s.site;
    if (s.errors > 0) fetch("/__evident/diagnostics").then((r) => r.json()).then((d) => overlay(d.text)); else overlay(""); });
})();</script>
"#;

/// Adds the live-reload script before the last `</body>` (or at the end when there is none).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + RELOAD_SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(RELOAD_SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> Result<String, Refused> {
        resolve(path)
    }

    #[test]
    fn directory_urls_name_their_index() {
        assert_eq!(file("/").unwrap(), "index.html");
        assert_eq!(file("/relactation/").unwrap(), "relactation/index.html");
        assert_eq!(
            file("/claims/a-b/index.html").unwrap(),
            "claims/a-b/index.html"
        );
        assert_eq!(file("/static/style.css").unwrap(), "static/style.css");
        assert_eq!(file("/a%20b/").unwrap(), "a b/index.html");
        assert_eq!(file("/caf%C3%A9").unwrap(), "café");
    }

    #[test]
    fn refuses_traversal_and_tricks() {
        for (path, why) in [
            ("/../etc/passwd", Refused::BadSegment),
            ("/a/../../etc/passwd", Refused::BadSegment),
            ("/%2e%2e/etc/passwd", Refused::BadSegment),
            ("/%2E%2E/%2e%2e/x", Refused::BadSegment),
            ("/./index.html", Refused::BadSegment),
            ("/..", Refused::BadSegment),
            ("//etc/passwd", Refused::BadSegment),
            ("/a//b", Refused::BadSegment),
            ("/..%5cwindows", Refused::EncodedSeparator),
            ("/a%2f..%2f..%2fetc", Refused::EncodedSeparator),
            ("/%2fetc/passwd", Refused::EncodedSeparator),
            ("/a\\..\\b", Refused::BadSegment),
            ("/C:/Windows", Refused::BadSegment),
            ("/index.html%00.css", Refused::ControlCharacter),
            ("/a%0ab", Refused::ControlCharacter),
            ("/%zz", Refused::BadEncoding),
            ("/%e9", Refused::BadEncoding),
            ("/%", Refused::BadEncoding),
            ("etc/passwd", Refused::NotAbsolute),
            ("", Refused::NotAbsolute),
        ] {
            assert_eq!(file(path), Err(why), "{path}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/site.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("pagefind/pagefind.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("api/claims.json"), "application/json");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("handouts/x.pdf"), "application/pdf");
        assert_eq!(content_type("static/logo.svg"), "image/svg+xml");
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(
            content_type("pagefind/x.pf_fragment"),
            "application/octet-stream"
        );
        assert_eq!(content_type("a.b/README"), "application/octet-stream");
        assert!(is_html("x/index.html") && !is_html("x.htmlx"));
    }

    #[test]
    fn the_event_stream_learns_the_tab_s_page() {
        assert_eq!(
            page_of_query("page=%2Fclaims%2Fa-b%2F").as_deref(),
            Some("claims/a-b/index.html")
        );
        assert_eq!(page_of_query("x=1&page=%2F").as_deref(), Some("index.html"));
        assert_eq!(
            page_of_query("page=%2Fa%2520b%2Findex.html").as_deref(),
            Some("a b/index.html")
        );
        assert_eq!(page_of_query("page=%2F..%2Fetc"), None);
        assert_eq!(page_of_query("other=1"), None);
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html)).unwrap();
        assert!(out.ends_with(&format!("{RELOAD_SCRIPT}</BODY></html>")));
        let bare = String::from_utf8(inject(b"<p>x</p>")).unwrap();
        assert_eq!(bare, format!("<p>x</p>{RELOAD_SCRIPT}"));
        assert!(RELOAD_SCRIPT.lines().count() <= 16, "keep the client small");
    }
}
