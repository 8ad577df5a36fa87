//! Inline Markdown as styled runs ([`Span`]): how a handout carries text with emphasis and
//! links to two templates without ever passing them markup.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// A run of inline text with its emphasis: the Typst template styles each run, and the HTML
/// template writes each through the autoescaper, so no markup from content is ever trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The run's text, plain: never markup (raw HTML in the Markdown is dropped).
    pub text: String,
    /// Whether the run is bold (inside `**…**`).
    pub strong: bool,
    /// Whether the run is italic (inside `*…*`).
    pub emph: bool,
    /// The target of a link, printed after its text on paper. Only `http://` and `https://`
    /// targets are kept: a link to anything else keeps its text, with None here.
    pub url: Option<String>,
}

/// Inline Markdown → styled runs. Raw HTML is dropped (content HTML is never trusted); links
/// keep their target so paper can print it.
pub fn spans(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let (mut strong, mut emph) = (0u32, 0u32);
    let mut url: Option<String> = None;
    let mut push = |text: &str, strong: bool, emph: bool, url: &Option<String>| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.strong == strong && last.emph == emph && last.url == *url => {
                last.text.push_str(text);
            }
            _ => out.push(Span {
                text: text.to_string(),
                strong,
                emph,
                url: url.clone(),
            }),
        }
    };
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => emph += 1,
            Event::End(TagEnd::Emphasis) => emph = emph.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                url = (dest_url.starts_with("https://") || dest_url.starts_with("http://"))
                    .then(|| dest_url.to_string());
            }
            Event::End(TagEnd::Link) => url = None,
            Event::Text(t) | Event::Code(t) => push(&t, strong > 0, emph > 0, &url),
            Event::SoftBreak | Event::HardBreak => push(" ", strong > 0, emph > 0, &url),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_keep_emphasis_and_drop_html() {
        let s = spans("A *very* **bold** [link](https://x.org/a) <b>raw</b> `code`");
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["A ", "very", " ", "bold", " ", "link", " raw code"]);
        assert!(s[1].emph && !s[1].strong);
        assert!(s[3].strong);
        assert_eq!(s[5].url.as_deref(), Some("https://x.org/a"));
        // A javascript: link keeps its text but not its target.
        let s = spans("[x](javascript:alert(1))");
        assert_eq!(s[0].url, None);
    }
}
