//! Markdown: front matter splitting, the scan for claim embeds (`[[id]]`) and prose
//! citations (`[@id, locator]`) with their exact positions, and HTML output in which raw
//! HTML from content is shown as text and only safe link targets survive.

use pulldown_cmark::{
    BrokenLink, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::text::escape;

/// A page split into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub front_matter: &'a str,
    /// Lines before the front matter's first line (the opening fence): 1.
    pub front_matter_line: u32,
    /// Everything after the closing fence line (`---` or `...`), as written.
    pub body: &'a str,
    /// Byte offset of the body in the whole text (a skipped byte-order mark included).
    pub body_offset: usize,
    /// Lines before the body (both fences and the front matter).
    pub body_line: u32,
}

/// Why a page's front matter could not be split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// `---` opens a front matter that no `---` line closes; the line of the opening fence.
    Unclosed,
}

/// Splits `---\n…\n---\n` front matter from the body. A leading byte-order mark is skipped.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, SplitError> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let fm_start = start + first_line_end;
    let mut offset = fm_start;
    for (lines, line) in (1u32..).zip(text[fm_start..].split_inclusive('\n')) {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_offset = offset + line.len();
            return Ok(Split {
                front_matter: &text[fm_start..offset],
                front_matter_line: 1,
                body: &text[body_offset..],
                body_offset,
                body_line: lines + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

/// A reference found in a page body, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `[[id]]` alone in its paragraph or list item: the claim is embedded.
    Embed {
        /// The claim id between the brackets, as written.
        id: String,
        /// Byte offset of the `[[` in the body (0-based).
        offset: usize,
    },
    /// `[[id]]` inside a sentence: an error (an embed stands alone; a link is
    /// `[text](@id)`).
    InlineClaim {
        /// The claim id between the brackets, as written.
        id: String,
        /// Byte offset of the `[[` in the body (0-based).
        offset: usize,
    },
    /// `[text](@id)`: a link to the claim's page.
    ClaimLink {
        /// The claim id after the `@`, as written.
        id: String,
        /// Byte offset of the link's `[` in the body (0-based).
        offset: usize,
    },
    /// Any other link or image: `[text](url)`, `<url>`, `![alt](url)`, reference links.
    Link {
        /// The destination as written (after reference resolution), never empty.
        url: String,
        /// Byte offset of the link in the body (0-based).
        offset: usize,
        /// Byte offset just after the link's source (its closing `)`, `>` or `]`).
        end: usize,
    },
    /// `[@a, p. 3; @b]`: one or more sources cited in prose.
    Cite {
        /// The cited sources, in the order written; never empty.
        keys: Vec<CiteKey>,
        /// Byte offset of the opening `[` in the body (0-based).
        offset: usize,
    },
}

/// One source of a prose citation: `@id` and what follows it up to the next `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteKey {
    /// The source id: the text after `@` up to the first comma or whitespace; never empty.
    pub id: String,
    /// The rest of the part (`p. 3`), with the separating comma and spaces and any trailing
    /// spaces removed; None when nothing follows the id.
    pub locator: Option<String>,
    /// Byte offset of the `@` in the body.
    pub offset: usize,
}

const CITE_URL: &str = "evident:cite";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_GFM
}

/// Parses a citation bracket's inner text (`@a, p. 3; @b`) into keys; None if it is not one.
pub fn parse_cite(inner: &str, inner_offset: usize) -> Option<Vec<CiteKey>> {
    let mut keys = Vec::new();
    let mut part_offset = inner_offset;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        let key = trimmed.strip_prefix('@')?;
        let id_len = key
            .find(|c: char| c == ',' || c.is_whitespace())
            .unwrap_or(key.len());
        let id = &key[..id_len];
        if id.is_empty() {
            return None;
        }
        let locator = key[id_len..]
            .trim_start_matches(|c: char| c == ',' || c.is_whitespace())
            .trim();
        keys.push(CiteKey {
            id: id.to_string(),
            locator: (!locator.is_empty()).then(|| locator.to_string()),
            offset: part_offset + lead,
        });
        part_offset += part.len() + 1;
    }
    (!keys.is_empty()).then_some(keys)
}

/// The claim id of a link destination written `@id`, the link syntax for a claim's page.
pub fn claim_link_id(url: &str) -> Option<&str> {
    url.strip_prefix('@').filter(|id| !id.is_empty())
}

/// Every embed, claim link, inline claim, other link and citation of a body, in document
/// order.
pub fn scan(body: &str) -> Vec<Reference> {
    scan_with_anchors(body).0
}

/// [`scan`], and the ids of the body's headings as [`render`] gives them (generated from
/// their text, or written `{#id}`), in document order.
pub fn scan_with_anchors(body: &str) -> (Vec<Reference>, Vec<String>) {
    let mut out = Vec::new();
    let mut anchors = Vec::new();
    let mut heading_ids = HeadingIds::default();
    // The text of the heading being read (None outside headings; Some(None) for a heading
    // with its own id), and how deep inside a link whose text the renderer replaces.
    let mut heading: Option<Option<String>> = None;
    let mut replaced_depth = 0usize;
    for (item, range) in BlockEvents::new(body) {
        let event = match item {
            Item::Embed(id) => {
                out.push(Reference::Embed {
                    id,
                    offset: range.start,
                });
                continue;
            }
            Item::Event(event) => event,
        };
        if replaced_depth > 0 {
            match event {
                Event::Start(Tag::Link { .. }) => replaced_depth += 1,
                Event::End(TagEnd::Link) => replaced_depth -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { id, .. }) => match id {
                Some(id) => {
                    anchors.push(id.to_string());
                    heading = Some(None);
                }
                None => heading = Some(Some(String::new())),
            },
            Event::End(TagEnd::Heading(_)) => {
                if let Some(Some(text)) = heading.take() {
                    anchors.push(heading_ids.unique(&text));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(Some(text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                out.push(Reference::InlineClaim {
                    id: dest_url.to_string(),
                    offset: range.start,
                });
                replaced_depth = 1;
            }
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == CITE_URL => {
                match cite_keys(body, range.clone()) {
                    Some(keys) => out.push(Reference::Cite {
                        keys,
                        offset: range.start,
                    }),
                    // Rendered as the text written, which a heading's id is made of.
                    None => {
                        if let Some(Some(text)) = heading.as_mut() {
                            text.push_str(&body[range.clone()]);
                        }
                    }
                }
                replaced_depth = 1;
            }
            // `<someone@example.org>`: the destination is the bare address.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => out.push(Reference::Link {
                url: format!("mailto:{dest_url}"),
                offset: range.start,
                end: range.end,
            }),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !dest_url.is_empty() =>
            {
                out.push(match claim_link_id(&dest_url) {
                    Some(id) => Reference::ClaimLink {
                        id: id.to_string(),
                        offset: range.start,
                    },
                    None => Reference::Link {
                        url: dest_url.to_string(),
                        offset: range.start,
                        end: range.end,
                    },
                });
            }
            _ => {}
        }
    }
    (out, anchors)
}

fn cite_keys(body: &str, range: std::ops::Range<usize>) -> Option<Vec<CiteKey>> {
    let source = body.get(range.clone())?;
    let inner = source.strip_prefix('[')?;
    let close = inner.find(']')?;
    parse_cite(&inner[..close], range.start + 1)
}

/// How claims, links and citations become HTML; supplied by the renderer.
pub trait Hooks {
    /// The block HTML of an embedded claim.
    fn embed(&mut self, id: &str) -> String;
    /// Where `[text](@id)` links to (the claim's page), or None to leave its text unlinked.
    fn claim_href(&mut self, id: &str) -> Option<String>;
    /// Where a link or image written `url` points in the output (an internal link in the
    /// site's own form), or None to leave the link's text unlinked. Images keep their URL.
    fn link_href(&mut self, url: &str) -> Option<String> {
        Some(url.to_string())
    }
    /// Inline HTML for a prose citation (superscript reference numbers).
    fn cite(&mut self, keys: &[CiteKey]) -> String;
}

/// Renders a page body to HTML. `[[id]]` inside a sentence (an error the resolver reports)
/// shows as its text.
pub fn render(body: &str, hooks: &mut dyn Hooks) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading_ids = HeadingIds::default();
    let mut skip_until_link_end = 0usize;
    let mut pending_heading: Option<(usize, HeadingLevel)> = None;
    let mut vanished: Vec<usize> = Vec::new();
    // For each link open: whether its start was written (an unlinked one writes its text only).
    let mut open_links: Vec<bool> = Vec::new();
    for (item, range) in BlockEvents::new(body) {
        let event = match item {
            Item::Embed(id) => {
                let html = hooks.embed(&id);
                if html.is_empty() {
                    // An embed the hooks leave out vanishes: with its list item, when it was
                    // the item's only content (see `drop_vanished`).
                    if let Some(Event::Start(Tag::Item)) = events.last() {
                        vanished.push(events.len() - 1);
                    }
                } else {
                    events.push(Event::Html(html.into()));
                }
                continue;
            }
            Item::Event(e) => e,
        };
        if skip_until_link_end > 0 {
            match event {
                Event::Start(Tag::Link { .. }) => skip_until_link_end += 1,
                Event::End(TagEnd::Link) => skip_until_link_end -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                let text = if has_pothole {
                    link_text(body, range.clone()).unwrap_or_else(|| dest_url.to_string())
                } else {
                    dest_url.to_string()
                };
                // Raw so that it is no part of a heading's generated id, as in the scan.
                events.push(Event::InlineHtml(escape::html(&text).into()));
                skip_until_link_end = 1;
            }
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.as_ref() == CITE_URL => {
                match cite_keys(body, range.clone()) {
                    Some(keys) => events.push(Event::InlineHtml(hooks.cite(&keys).into())),
                    None => events.push(Event::Text(body[range.clone()].to_string().into())),
                }
                skip_until_link_end = 1;
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                title,
                id,
            }) => {
                open_links.push(true);
                events.push(Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let href = match claim_link_id(&dest_url) {
                    Some(claim) => hooks.claim_href(claim),
                    None => hooks.link_href(&dest_url),
                };
                open_links.push(href.is_some());
                if let Some(href) = href {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: safe_url(href.into()),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if open_links.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: safe_url(dest_url),
                    title,
                    id,
                }));
            }
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            }) => {
                pending_heading = Some((events.len(), level));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, _)) = pending_heading.take() {
                    let text: String = events[start..]
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let anchor = heading_ids.unique(&text);
                    if let Event::Start(Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    }) = events[start].clone()
                    {
                        events[start] = Event::Start(Tag::Heading {
                            level,
                            id: Some(anchor.into()),
                            classes,
                            attrs,
                        });
                    }
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            other => events.push(other),
        }
    }
    let events = drop_vanished(events, &vanished);
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Removes the list items left empty by embeds that vanished (`starts`: the positions of
/// their `Start(Item)`), then the lists left with no item, so nothing shows a gap.
fn drop_vanished<'a>(events: Vec<Event<'a>>, starts: &[usize]) -> Vec<Event<'a>> {
    if starts.is_empty() {
        return events;
    }
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().enumerate().peekable();
    while let Some((i, event)) = iter.next() {
        if starts.binary_search(&i).is_ok()
            && matches!(iter.peek(), Some((_, Event::End(TagEnd::Item))))
        {
            iter.next();
            continue;
        }
        if let Event::End(TagEnd::List(_)) = event
            && let Some(Event::Start(Tag::List(_))) = out.last()
        {
            out.pop();
            continue;
        }
        out.push(event);
    }
    drop_empty_sections(out)
}

/// Removes the headings whose sections were left with nothing (every statement under them
/// vanished): a heading followed by a heading of its level or above, or by the end. Walked
/// from the end, so a section whose subsections all went goes too.
fn drop_empty_sections(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    enum Next {
        End,
        Content,
        Heading(HeadingLevel),
    }
    let mut next = Next::End;
    let mut kept: Vec<Event<'_>> = Vec::with_capacity(events.len());
    // Reversed: a heading's events arrive End first.
    let mut heading: Vec<Event<'_>> = Vec::new();
    for event in events.into_iter().rev() {
        match event {
            Event::End(TagEnd::Heading(_)) => heading.push(event),
            Event::Start(Tag::Heading { level, .. }) => {
                heading.push(event);
                let empty = match next {
                    Next::End => true,
                    Next::Heading(after) => after <= level,
                    Next::Content => false,
                };
                if empty {
                    heading.clear();
                } else {
                    kept.append(&mut heading);
                    next = Next::Heading(level);
                }
            }
            event if !heading.is_empty() => heading.push(event),
            event => {
                next = Next::Content;
                kept.push(event);
            }
        }
    }
    kept.reverse();
    kept
}

/// Renders a claim statement (Markdown inline text) to inline HTML.
pub fn render_inline(text: &str) -> String {
    if is_plain(text) {
        return text.to_string();
    }
    render_inline_markdown(text)
}

fn render_inline_markdown(text: &str) -> String {
    struct NoHooks;
    impl Hooks for NoHooks {
        fn embed(&mut self, id: &str) -> String {
            format!("[[{}]]", escape::html(id))
        }
        fn claim_href(&mut self, _id: &str) -> Option<String> {
            None
        }
        fn cite(&mut self, keys: &[CiteKey]) -> String {
            escape::html(
                &keys
                    .iter()
                    .map(|k| format!("@{}", k.id))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
    }
    let html = render(text, &mut NoHooks);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Byte offsets of raw HTML in Markdown text (shown as text by [`render`], and reported).
pub fn raw_html(text: &str) -> Vec<usize> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .map(|(_, range)| range.start)
        .collect()
}

/// Plain text of Markdown inline text (for titles, JSON-LD and search).
pub fn plain_text(text: &str) -> String {
    if is_plain(text) {
        return text.to_string();
    }
    plain_text_markdown(text)
}

fn plain_text_markdown(text: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The ASCII punctuation a plain text may hold: none of it is Markdown or HTML syntax here.
const PLAIN_PUNCTUATION: &[u8] = b" ,.;:%()/=+?-'";

/// Text in which Markdown finds no syntax and HTML nothing to escape, so that rendering it
/// gives the text itself. Most statements and wordings are such text, and a Markdown parser
/// per short string was a tenth of a large build.
///
/// It starts with a letter (no list, heading, quote or code block can start there), holds no
/// line break and no character that opens inline syntax, an entity, or needs escaping.
fn is_plain(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic)
        && !text.ends_with(char::is_whitespace)
        && text.chars().all(|c| {
            if c.is_ascii() {
                // A byte slice, not `str::contains`: this runs for every character of
                // every statement and title, and the substring search was not always
                // inlined (callgrind: 33 M instructions against 20 M at 1,000 claims).
                c.is_ascii_alphanumeric() || PLAIN_PUNCTUATION.contains(&(c as u8))
            } else {
                !c.is_whitespace() && !c.is_control()
            }
        })
}

/// Only http(s), mailto, in-page and relative links survive; `javascript:` and friends become `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| lower[i..].starts_with(':'));
    if !has_scheme
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
    {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

fn link_text(body: &str, range: std::ops::Range<usize>) -> Option<String> {
    let source = body.get(range)?;
    let inner = source.strip_prefix("[[")?.strip_suffix("]]")?;
    inner
        .split_once('|')
        .map(|(_, text)| text.trim().to_string())
}

#[derive(Default)]
struct HeadingIds {
    used: std::collections::BTreeMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, text: &str) -> String {
        let mut base = crate::text::slugify(text);
        if base == "source" && !text.to_ascii_lowercase().contains("source") {
            base = "section".into();
        }
        let n = self.used.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }
}

/// Parser events with standalone embeds folded into one item: a paragraph (or tight list
/// item) whose only content is a `[[id]]` link becomes `Item::Embed`, so the claim renders at
/// block level instead of a `<div>` landing inside a `<p>`.
enum Item<'a> {
    Event(Event<'a>),
    Embed(String),
}

struct BlockEvents<'a> {
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    index: usize,
    /// An embed found inside a list item, returned right after the item's start.
    pending: Option<(String, std::ops::Range<usize>)>,
}

impl<'a> BlockEvents<'a> {
    fn new(body: &'a str) -> Self {
        let mut callback = |link: BrokenLink<'a>| {
            let reference = link.reference.trim();
            (reference.starts_with('@') && parse_cite(reference, 0).is_some())
                .then_some((CowStr::Borrowed(CITE_URL), CowStr::Borrowed("")))
        };
        let parser = Parser::new_with_broken_link_callback(body, options(), Some(&mut callback));
        BlockEvents {
            events: parser.into_offset_iter().collect(),
            index: 0,
            pending: None,
        }
    }

    /// If events at `i` are `[Start(wikilink), Text*, End(Link)]` followed by the end of the
    /// block, the embedded id and the index after the link.
    fn standalone_embed(&self, i: usize) -> Option<(String, usize)> {
        let (
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole: false },
                dest_url,
                ..
            }),
            _,
        ) = self.events.get(i)?
        else {
            return None;
        };
        let mut j = i + 1;
        while let Some((Event::Text(_), _)) = self.events.get(j) {
            j += 1;
        }
        matches!(self.events.get(j), Some((Event::End(TagEnd::Link), _)))
            .then(|| (dest_url.to_string(), j + 1))
    }
}

impl<'a> Iterator for BlockEvents<'a> {
    type Item = (Item<'a>, std::ops::Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some((id, range)) = self.pending.take() {
            return Some((Item::Embed(id), range));
        }
        let i = self.index;
        let (event, range) = self.events.get(i)?.clone();
        // `[[id]]` as a whole paragraph.
        if let Event::Start(Tag::Paragraph) = event
            && let Some((id, after)) = self.standalone_embed(i + 1)
            && let Some((Event::End(TagEnd::Paragraph), _)) = self.events.get(after)
        {
            let link_range = self.events[i + 1].1.clone();
            self.index = after + 1;
            return Some((Item::Embed(id), link_range));
        }
        // `- [[id]]` in a tight list: the item holds the link directly. The item's start is
        // returned now and the embed next; the item's end follows as usual.
        if let Event::Start(Tag::Item) = event
            && let Some((id, after)) = self.standalone_embed(i + 1)
            && let Some((Event::End(TagEnd::Item) | Event::Start(Tag::List(_)), _)) =
                self.events.get(after)
        {
            self.pending = Some((id, self.events[i + 1].1.clone()));
            self.index = after;
            return Some((Item::Event(event), range));
        }
        self.index += 1;
        Some((Item::Event(event), range))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_shortcut_gives_what_the_parser_gives() {
        // Every string the shortcut takes must render exactly as the parser renders it.
        let pieces = [
            "In",
            "a",
            "study",
            "of",
            "366",
            "mothers",
            "98%",
            "relactated",
            " ",
            " ",
            ", ",
            ". ",
            "1.",
            "2)",
            "- ",
            "+ ",
            "= ",
            "(n=12)",
            "https://example.org/a",
            "www.example.org",
            "é",
            "≥",
            "—",
            "’",
            "µg/kg",
            "10:1",
            "a?",
            "x/y",
            "·",
            "½",
            "ＡＢ",
            "--",
            "...",
            "?",
            ":",
            ";",
            "%",
            "Ⅳ",
            "it's",
            "'a'",
        ];
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut taken = 0;
        for _ in 0..20_000 {
            let len = 1 + next() % 8;
            let text: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
            if is_plain(&text) {
                taken += 1;
                assert_eq!(render_inline_markdown(&text), text, "render of {text:?}");
                assert_eq!(plain_text_markdown(&text), text, "plain text of {text:?}");
            }
        }
        assert!(taken > 5_000, "the shortcut was taken only {taken} times");
        for text in [
            "*a*", "1. a", "# a", "a\nb", "a ", "a & b", "a <b>", "[[c1]]", "a `b`", "a_b_",
            "a ~~b~~", "\"a\"",
        ] {
            assert!(!is_plain(text), "{text:?} must go through the parser");
        }
    }

    use super::*;

    struct Test;
    impl Hooks for Test {
        fn embed(&mut self, id: &str) -> String {
            if id.starts_with("gone") {
                return String::new();
            }
            format!("<div class=\"claim\">{}</div>\n", escape::html(id))
        }
        fn claim_href(&mut self, id: &str) -> Option<String> {
            (!id.starts_with("gone")).then(|| format!("claims/{id}/"))
        }
        fn cite(&mut self, keys: &[CiteKey]) -> String {
            let ids: Vec<_> = keys.iter().map(|k| k.id.as_str()).collect();
            format!("<sup>{}</sup>", escape::html(&ids.join(",")))
        }
    }

    #[test]
    fn splits_front_matter() {
        let s = split_front_matter("---\ntitle: T\n---\n# Body\n").unwrap();
        assert_eq!(s.front_matter, "title: T\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 3);
        assert_eq!(split_front_matter("# no\n"), Err(SplitError::Missing));
        assert_eq!(
            split_front_matter("---\ntitle: T\n"),
            Err(SplitError::Unclosed)
        );
        assert_eq!(split_front_matter("---\n---\n").unwrap().front_matter, "");
    }

    #[test]
    fn scans_embeds_and_citations_in_order() {
        let body = "Intro [@a, p. 3; @b].\n\n- [[c1]]\n- [[c2]]\n\n[[c3]]\n\nSee [[c4]] too.\n";
        let refs = scan(body);
        assert_eq!(refs.len(), 5, "{refs:?}");
        match &refs[0] {
            Reference::Cite { keys, offset } => {
                assert_eq!(*offset, 6);
                assert_eq!(keys[0].id, "a");
                assert_eq!(keys[0].locator.as_deref(), Some("p. 3"));
                assert_eq!(keys[1].id, "b");
                assert_eq!(&body[keys[1].offset..keys[1].offset + 2], "@b");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            refs[1],
            Reference::Embed {
                id: "c1".into(),
                offset: 25
            }
        );
        assert!(matches!(&refs[2], Reference::Embed { id, .. } if id == "c2"));
        assert!(matches!(&refs[3], Reference::Embed { id, .. } if id == "c3"));
        assert!(matches!(&refs[4], Reference::InlineClaim { id, .. } if id == "c4"));
    }

    #[test]
    fn scans_links_claim_links_and_heading_anchors() {
        let body = "# Why *now* [@a]\n\n## Why now\n\n### Own {#mine}\n\nSee [the trial](@c1), [b](../b/#x) and ![i](pic.png) <a@b.org>.\n";
        let (refs, anchors) = scan_with_anchors(body);
        assert_eq!(anchors, ["why-now", "why-now-2", "mine"]);
        let html = render(body, &mut Test);
        for anchor in &anchors {
            assert!(
                html.contains(&format!("id=\"{anchor}\"")),
                "{anchor}: {html}"
            );
        }
        assert!(
            matches!(&refs[1], Reference::ClaimLink { id, offset } if id == "c1" && body[*offset..].starts_with("[the trial]"))
        );
        assert!(matches!(&refs[2], Reference::Link { url, .. } if url == "../b/#x"));
        assert!(matches!(&refs[3], Reference::Link { url, .. } if url == "pic.png"));
        assert!(matches!(&refs[4], Reference::Link { url, .. } if url == "mailto:a@b.org"));
        assert!(
            html.contains("<a href=\"mailto:a@b.org\">a@b.org</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"claims/c1/\">the trial</a>"),
            "{html}"
        );
    }

    #[test]
    fn unlinked_claim_links_and_inline_claims_keep_their_text() {
        let html = render("See [*that*](@gone1) and [[c2]] here.\n", &mut Test);
        assert_eq!(html, "<p>See <em>that</em> and c2 here.</p>\n");
    }

    #[test]
    fn embeds_render_at_block_level() {
        let html = render("- [[c1]]\n- text\n\n[[c2]]\n", &mut Test);
        assert_eq!(
            html,
            "<ul>\n<li><div class=\"claim\">c1</div>\n</li>\n<li>text</li>\n</ul>\n<div class=\"claim\">c2</div>\n"
        );
    }

    #[test]
    fn embeds_left_out_vanish_without_a_gap() {
        let html = render(
            "- [[gone1]]\n- [[c1]]\n- [[gone2]]\n\nText.\n\n- [[gone3]]\n\n[[gone4]]\n\nEnd.\n",
            &mut Test,
        );
        assert_eq!(
            html,
            "<ul>\n<li><div class=\"claim\">c1</div>\n</li>\n</ul>\n<p>Text.</p>\n<p>End.</p>\n"
        );
    }

    #[test]
    fn sections_left_empty_by_vanished_embeds_go_with_them() {
        let html = render(
            "## Kept\n\n- [[c1]]\n\n## Gone\n\n### Also gone\n\n- [[gone1]]\n\n## Parent\n\n### Empty\n\n- [[gone2]]\n\n### Full\n\n- [[c2]]\n\n## Last\n\n- [[gone3]]\n",
            &mut Test,
        );
        assert_eq!(
            html,
            "<h2 id=\"kept\">Kept</h2>\n<ul>\n<li><div class=\"claim\">c1</div>\n</li>\n</ul>\n<h2 id=\"parent\">Parent</h2>\n<h3 id=\"full\">Full</h3>\n<ul>\n<li><div class=\"claim\">c2</div>\n</li>\n</ul>\n"
        );
    }

    #[test]
    fn raw_html_and_script_urls_are_neutralised() {
        let html = render(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>b</b>\n",
            &mut Test,
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("href=\"#\""), "{html}");
    }

    #[test]
    fn citations_and_headings() {
        let html = render("## Why\n\nText [@a].\n\n## Why\n", &mut Test);
        assert_eq!(
            html,
            "<h2 id=\"why\">Why</h2>\n<p>Text <sup>a</sup>.</p>\n<h2 id=\"why-2\">Why</h2>\n"
        );
    }

    #[test]
    fn inline_statements() {
        assert_eq!(
            render_inline("Most *mothers* <i>x</i>"),
            "Most <em>mothers</em> &lt;i&gt;x&lt;/i&gt;"
        );
        assert_eq!(plain_text("Most *mothers*"), "Most mothers");
    }

    /// Text made of the pieces that matter to the scanners, in any order.
    fn markdownish() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("---\n".to_string()),
            Just("[[".to_string()),
            Just("]]".to_string()),
            Just("[@".to_string()),
            Just("; @".to_string()),
            Just(", p. 3]".to_string()),
            Just("]".to_string()),
            Just("\n- ".to_string()),
            Just("\n\n".to_string()),
            Just("<script>".to_string()),
            Just("|".to_string()),
            "[a-zé0-9 ]{0,6}",
            any::<String>(),
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn scanning_and_rendering_never_panic(text in markdownish()) {
            if let Ok(split) = split_front_matter(&text) {
                proptest::prop_assert_eq!(&text[split.body_offset..], split.body);
            }
            for reference in scan(&text) {
                let offset = match reference {
                    Reference::Embed { offset, .. } | Reference::ClaimLink { offset, .. } | Reference::InlineClaim { offset, .. } | Reference::Link { offset, .. } | Reference::Cite { offset, .. } => offset,
                };
                proptest::prop_assert!(text.is_char_boundary(offset));
            }
            let html = render(&text, &mut Test);
            proptest::prop_assert!(!html.contains("<script"));
            let _ = render_inline(&text);
        }
    }
}
