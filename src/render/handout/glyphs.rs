//! The characters a PDF handout prints, checked against its fonts before Typst runs: which
//! characters a handout needs glyphs for, leaving out those no font has, and the `missing-glyph`
//! warning at the first place the handout's own files write such a character.

use std::collections::BTreeSet;

use typst::syntax::{SyntaxKind, SyntaxNode};

use super::data::Handout;
use super::fonts::HandoutFonts;
use super::theme::HandoutTheme;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::resolve::KnowledgeBase;
use crate::text::control;

/// Fields of the handout's data that are never printed as text.
const NOT_PRINTED: &[&str] = &["qr_svg", "document_id", "slug", "logo"];

/// Every character the handout may print that needs a glyph: the text of its data and of the
/// template (comments aside), with their upper-case forms (templates upper-case some text).
pub fn printed_chars(data: &serde_json::Value, template: &str) -> BTreeSet<char> {
    let mut chars = BTreeSet::new();
    strings(data, &mut |s| chars.extend(s.chars()));
    leaves(&typst::syntax::parse(template), &mut |node| {
        if !matches!(
            node.kind(),
            SyntaxKind::LineComment | SyntaxKind::BlockComment
        ) {
            chars.extend(node.leaf_text().chars());
        }
    });
    let upper: Vec<char> = chars.iter().flat_map(|c| c.to_uppercase()).collect();
    chars.extend(upper);
    chars.retain(|&c| needs_glyph(c));
    chars
}

/// Whether Typst draws a glyph for `c` (not for spaces, line ends and invisible marks).
fn needs_glyph(c: char) -> bool {
    !c.is_whitespace() && !typst::text::is_default_ignorable(c) && !control::is_control(c)
}

/// Leaves control characters and the characters of `missing` out of every string of the data.
pub fn strip_data(data: &mut serde_json::Value, missing: &BTreeSet<char>) {
    match data {
        serde_json::Value::String(s) => {
            s.retain(|c| !control::is_control(c) && !missing.contains(&c));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| strip_data(v, missing)),
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if !NOT_PRINTED.contains(&key.as_str()) {
                    strip_data(value, missing);
                }
            }
        }
        _ => {}
    }
}

/// The template with the characters of `missing` left out of its text and string literals.
pub fn strip_template(template: &str, missing: &BTreeSet<char>) -> String {
    let mut out = String::with_capacity(template.len());
    leaves(&typst::syntax::parse(template), &mut |node| {
        let text = node.leaf_text();
        if matches!(node.kind(), SyntaxKind::Text | SyntaxKind::Str) {
            out.extend(text.chars().filter(|c| !missing.contains(c)));
        } else {
            out.push_str(text);
        }
    });
    out
}

fn strings(value: &serde_json::Value, each: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(s) => each(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, each)),
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(key, _)| !NOT_PRINTED.contains(&key.as_str()))
            .for_each(|(_, v)| strings(v, each)),
        _ => {}
    }
}

fn leaves(node: &SyntaxNode, each: &mut impl FnMut(&SyntaxNode)) {
    if node.children().len() == 0 {
        each(node);
    }
    for child in node.children() {
        leaves(child, each);
    }
}

/// The characters of `handout` (made with `theme`) that no font of `fonts` has.
pub fn missing_in(handout: &Handout, theme: &HandoutTheme, fonts: &HandoutFonts) -> BTreeSet<char> {
    let data = serde_json::to_value(handout).unwrap_or_default();
    fonts
        .choose(&printed_chars(&data, theme.typst_source()), &handout.lang)
        .1
}

/// A `missing-glyph` warning for each character of `missing`, at the first place it is written
/// in the files `handout` is made from: the topic, its claims, their sources, evident.yaml, the
/// theme's template (the topic's file when none of them writes it: a YAML escape, say).
pub fn warnings(
    kb: &KnowledgeBase,
    handout: &Handout,
    theme: &HandoutTheme,
    missing: &BTreeSet<char>,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if missing.is_empty() {
        return diagnostics;
    }
    let topic = kb.topics.get(&handout.slug).map(|t| t.topic.path.clone());
    let mut files: Vec<String> = topic.iter().cloned().collect();
    for claim in handout.sections.iter().flat_map(|s| &s.claims) {
        if let Some(c) = kb.claims.get(&claim.id) {
            files.push(c.claim.path.clone());
            for link in &c.claim.sources {
                if let Some(s) = kb.sources.get(&link.id.value) {
                    files.push(s.source.path.clone());
                }
            }
        }
    }
    files.push(crate::model::config::CONFIG_FILE.to_string());
    files.extend(theme.typst_path().map(str::to_string));
    for &c in missing {
        let found = files.iter().find_map(|path| {
            let text = kb.texts.get(path)?;
            let (line, column) = crate::text::line_column(text, text.find(c)?);
            Some(Location::new(path, line, column))
        });
        let Some(at) = found.or_else(|| topic.clone().map(Location::file)) else {
            continue;
        };
        diagnostics.push(
            Diagnostic::warning(
                Code::MissingGlyph,
                at,
                format!(
                    "no font has a glyph for “{c}” (U+{:04X}): PDF handouts are written without it",
                    u32::from(c)
                ),
            )
            .hint("name a font file of the site that has it under `handout.fonts:` in evident.yaml, or install one on this machine (Debian: fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji)"),
        );
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_characters_leave_out_comments_and_spaces() {
        let data = serde_json::json!({"title": "お茶 tea", "qr_svg": "<svg>ß</svg>", "n": 3});
        let chars = printed_chars(&data, "// 咖啡 is a comment\n#text[ß]");
        let text: String = chars.into_iter().collect();
        assert_eq!(text, "#AESTX[]aetxßお茶");
    }

    #[test]
    fn missing_characters_are_left_out() {
        let missing: BTreeSet<char> = ['🫖'].into();
        let mut data = serde_json::json!({"title": ["Tea 🫖\u{7}", {"t": "🫖!"}], "qr_svg": "🫖"});
        strip_data(&mut data, &missing);
        assert_eq!(
            data,
            serde_json::json!({"title": ["Tea ", {"t": "!"}], "qr_svg": "🫖"})
        );
        let template = "// 🫖 stays in a comment\n#let a = \"🫖 pot\"\nA 🫖 here";
        assert_eq!(
            strip_template(template, &missing),
            "// 🫖 stays in a comment\n#let a = \" pot\"\nA  here"
        );
    }
}
