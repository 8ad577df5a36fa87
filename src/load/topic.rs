//! Topic pages: Markdown with YAML front matter, embedding claims and citing sources.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::load::review::read_review;
use crate::model::{BodyLink, HelpAdvice, PageKind, PageRef, PageRefKind, Review, Topic};
use crate::text::fields::Fields;
use crate::text::markdown::{self, Reference, SplitError};
use crate::text::yaml::Spanned;
use crate::text::yaml::{self, Pos};

/// The keys a page's front matter may have; any other is reported as `unknown-field`.
pub const TOPIC_FIELDS: &[&str] = &[
    "title",
    "question",
    "summary",
    "slug",
    "kind",
    HELP_KEYS[0].0,
    HELP_KEYS[1].0,
    "review",
];

/// The keys of a topic's advice on when to get help, each with the heading it is shown under.
pub const HELP_KEYS: [(&str, &str); 2] = [
    ("when_to_get_help", "When to get help"),
    ("contact_us_if", "Contact us if"),
];

/// Parses one page. `default_slug` is the file stem, or the folder name for `index.md`.
pub fn parse_topic(
    text: &str,
    path: &str,
    default_slug: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Topic> {
    let split = match markdown::split_front_matter(text) {
        Ok(split) => split,
        Err(SplitError::Missing) => {
            diagnostics.push(
                Diagnostic::error(Code::MissingFrontMatter, Location::file(path), "page has no front matter")
                    .hint("start the file with a `---` line, then `title: …` (and `question:` for a topic), then `---`"),
            );
            return None;
        }
        Err(SplitError::Unclosed) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::UnclosedFrontMatter,
                    Location::file(path),
                    "front matter opened by `---` is never closed",
                )
                .hint("end the front matter with a line holding only `---`"),
            );
            return None;
        }
    };
    let offset = split.front_matter_line;
    let node = if split.front_matter.trim().is_empty() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingField,
                Location::new(path, 1, 1),
                "front matter is empty",
            )
            .hint("add `title: …` between the `---` lines"),
        );
        return None;
    } else {
        match yaml::parse(split.front_matter) {
            Ok(node) => node,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::MalformedYaml,
                        Location::new(path, e.line + offset, e.column),
                        e.message,
                    )
                    .hints(e.hint)
                    .hint("front matter is YAML: `key: value` lines between two `---` lines"),
                );
                return None;
            }
        }
    };
    let mut node = node;
    crate::text::control::take_escaped(&mut node, path, offset, diagnostics);
    let mut fields = Fields::of(&node, path, offset, "front matter", diagnostics)?;
    let title = fields.required_text("title", "the page title", node.pos);
    let page_kind = match fields.choice("kind", &["topic", "page"]) {
        Some(k) if k.value == "page" => PageKind::Page,
        _ => PageKind::Topic,
    };
    let question = fields.text("question").map(|q| q.value);
    let summary = fields.text("summary").map(|s| s.value);
    let slug = match fields.text("slug") {
        Some(slug) => Spanned::new(slug.value.trim().to_string(), slug.pos.shifted(offset)),
        None => Spanned::new(
            default_slug.to_string(),
            Pos {
                line: 1,
                column: 1,
                offset: None,
                len: 0,
            },
        ),
    };
    let help = read_help(&mut fields);
    let review = match fields.node("review") {
        Some(n) => {
            let key_offset = fields.key_pos("review").and_then(|p| p.offset);
            let mut review = read_review(n, &mut fields, split.front_matter, key_offset);
            // Offsets in the file, not in the front matter.
            let base = fm_start(text, &split);
            review.span = review.span.map(|(s, e)| (s + base, e + base));
            // Lines in the file, too: resolve reports review problems at these positions.
            review.status_pos = review.status_pos.shifted(offset);
            for entry in &mut review.history {
                entry.pos = entry.pos.shifted(offset);
                entry.by.pos = entry.by.pos.shifted(offset);
            }
            if let Some(replaced_by) = review.retired.as_mut().and_then(|r| r.replaced_by.as_mut())
            {
                replaced_by.pos = replaced_by.pos.shifted(offset);
            }
            review
        }
        None => Review::default(),
    };
    fields.finish(TOPIC_FIELDS, "front matter");
    let mut front_matter = node.to_json();
    if let Some(map) = front_matter.as_object_mut() {
        map.remove("review");
    }

    let mut references = Vec::new();
    let mut push = |kind, id, offset| {
        let (line, column) = crate::text::line_column(split.body, offset);
        references.push(PageRef {
            kind,
            id,
            line: line + split.body_line,
            column,
        });
    };
    for offset in markdown::raw_html(split.body) {
        let (line, column) = crate::text::line_column(split.body, offset);
        fields_free_warning(diagnostics, path, line + split.body_line, column);
    }
    let mut links = Vec::new();
    let (scanned, anchors) = markdown::scan_with_anchors(split.body);
    for reference in scanned {
        match reference {
            Reference::Embed { id, offset } => push(PageRefKind::Embed, id, offset),
            Reference::ClaimLink { id, offset } => push(PageRefKind::ClaimLink, id, offset),
            Reference::InlineClaim { id, offset } => push(PageRefKind::InlineClaim, id, offset),
            Reference::Link { url, offset, end } => {
                let (line, column) = crate::text::line_column(split.body, offset);
                let source = split.body.get(offset..end).unwrap_or("");
                let first_line = source.lines().next().unwrap_or("");
                links.push(BodyLink {
                    url,
                    line: line + split.body_line,
                    column,
                    width: u32::try_from(first_line.chars().count()).unwrap_or(u32::MAX),
                });
            }
            Reference::Cite { keys, .. } => {
                for key in keys {
                    push(
                        PageRefKind::Cite {
                            locator: key.locator,
                        },
                        key.id,
                        key.offset,
                    );
                }
            }
        }
    }
    Some(Topic {
        slug,
        path: path.to_string(),
        page_kind,
        title: title
            .map(|t| t.value)
            .unwrap_or_else(|| default_slug.to_string()),
        question,
        summary,
        help,
        review,
        front_matter,
        body: split.body.to_string(),
        body_line: split.body_line,
        body_offset: split.body_offset,
        references,
        links,
        anchors,
    })
}

/// `when_to_get_help:` or `contact_us_if:` (one of them: both is an error at the second), a
/// list of short lines; blank lines are errors, and an empty list is no advice.
fn read_help(fields: &mut Fields<'_>) -> Option<HelpAdvice> {
    let mut found: Option<HelpAdvice> = None;
    for (key, heading) in HELP_KEYS {
        let Some(items) = fields.list(key) else {
            continue;
        };
        if found.is_some() {
            let pos = fields.key_pos(key).unwrap_or_default();
            let loc = fields.location(pos);
            fields.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    loc,
                    format!(
                        "`{key}` repeats `{}`: a topic has one list of when to get help",
                        HELP_KEYS[0].0
                    ),
                )
                .width(key.chars().count())
                .hint("keep one of the two keys; its name picks the heading"),
            );
            continue;
        }
        let mut lines = Vec::new();
        for item in items {
            let Some(line) = fields.text_of(item, key) else {
                continue;
            };
            if line.value.trim().is_empty() {
                let loc = fields.location(line.pos);
                fields.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        loc,
                        format!("a line of `{key}` is empty"),
                    )
                    .hint("write the advice, or remove the line"),
                );
                continue;
            }
            lines.push(line.value.trim().to_string());
        }
        found = Some(HelpAdvice {
            heading: heading.to_string(),
            lines,
        });
    }
    found.filter(|h| !h.lines.is_empty())
}

fn fields_free_warning(diagnostics: &mut Diagnostics, path: &str, line: u32, column: u32) {
    diagnostics.push(
        Diagnostic::warning(
            Code::RawHtml,
            Location::new(path, line, column),
            "raw HTML is shown as text, not as HTML",
        )
        .hint("use Markdown instead (emphasis, links, lists, tables)"),
    );
}

/// Byte offset where the front matter text starts in the file.
fn fm_start(text: &str, split: &markdown::Split<'_>) -> usize {
    split.front_matter.as_ptr() as usize - text.as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\ntitle: Procedure for relactation\nquestion: What is it?\nreview:\n  status: draft\n---\nIntro [@pmid1].\n\n- [[c1]]\n- [[c2]]\n";

    #[test]
    fn reads_a_topic_with_positions() {
        let mut d = Diagnostics::new();
        let topic =
            parse_topic(PAGE, "content/relactation/index.md", "relactation", &mut d).unwrap();
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(topic.slug.value, "relactation");
        let refs: Vec<_> = topic
            .references
            .iter()
            .map(|r| (r.id.as_str(), r.line, r.column))
            .collect();
        assert_eq!(refs, vec![("pmid1", 7, 8), ("c1", 9, 3), ("c2", 10, 3)]);
        assert_eq!(topic.embedded_claims(), vec!["c1", "c2"]);
        let (s, e) = topic.review.span.unwrap();
        assert_eq!(&PAGE[s..e], "review:\n  status: draft\n");
        assert!(topic.front_matter.get("review").is_none());
        // `status: draft` is on the file's fifth line (the front matter's fourth).
        assert_eq!(
            (topic.review.status_pos.line, topic.review.status_pos.column),
            (5, 11)
        );
    }

    #[test]
    fn review_positions_are_lines_of_the_file() {
        let page = "---\ntitle: T\nreview:\n  status: approved\n  history:\n    - {date: 2026-01-02, by: someone, action: approve}\n---\nBody.\n";
        let mut d = Diagnostics::new();
        let topic = parse_topic(page, "p.md", "p", &mut d).unwrap();
        let entry = &topic.review.history[0];
        assert_eq!(entry.pos.line, 6);
        assert_eq!(entry.by.pos.line, 6);
    }

    #[test]
    fn advice_on_when_to_get_help_has_a_heading_and_lines() {
        let mut d = Diagnostics::new();
        let page = "---\ntitle: Kettles\nwhen_to_get_help:\n  - Call us if the kettle *sparks*.\n  - \"  \"\n---\n";
        let topic = parse_topic(page, "p.md", "p", &mut d).unwrap();
        let help = topic.help.expect("help");
        assert_eq!(help.heading, "When to get help");
        assert_eq!(help.lines, ["Call us if the kettle *sparks*."]);
        let d = d.sorted();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].location.line), (Code::InvalidValue, 5));
        // The fingerprint covers the advice: it is front matter.
        assert!(topic.front_matter.get("when_to_get_help").is_some());

        let mut d = Diagnostics::new();
        let page =
            "---\ntitle: Kettles\ncontact_us_if: [the lid is stuck]\nwhen_to_get_help: [x]\n---\n";
        let topic = parse_topic(page, "p.md", "p", &mut d).unwrap();
        assert_eq!(topic.help.expect("help").heading, "When to get help");
        let d = d.sorted();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].location.to_string(), "p.md:3:1");

        let mut d = Diagnostics::new();
        let page = "---\ntitle: Kettles\ncontact_us_if: []\n---\n";
        assert_eq!(parse_topic(page, "p.md", "p", &mut d).unwrap().help, None);
        let page = "---\ntitle: Kettles\n---\n";
        assert_eq!(parse_topic(page, "p.md", "p", &mut d).unwrap().help, None);
        assert!(d.is_empty());
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let mut d = Diagnostics::new();
        parse_topic("---\ntitle: T\ntitel: x\n---\n", "p.md", "p", &mut d);
        let d = d.sorted();
        assert_eq!(d[0].location.to_string(), "p.md:3:1");
        let mut d = Diagnostics::new();
        parse_topic("---\ntitle: [x\n---\n", "p.md", "p", &mut d);
        assert_eq!(d.sorted()[0].code, Code::MalformedYaml);
    }
}
