//! Claim files: one claim per YAML file, its id the file stem.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::load::review::read_review;
use crate::model::config::Config;
use crate::model::{Allow, Claim, Derived, Kind, Level, Relation, Review, SourceLink};
use crate::text::fields::Fields;
use crate::text::yaml::Spanned;
use crate::text::yaml::{self, Node};

/// The top-level keys a claim file may have; any other is reported as `unknown-field`.
pub const CLAIM_FIELDS: &[&str] = &[
    "statement",
    "kind",
    "audiences",
    "certainty",
    "certainty_reason",
    "level",
    "strength",
    "basis",
    "sources",
    "tags",
    "allow",
    "derived",
    "review",
];
const LINK_FIELDS: &[&str] = &["id", "locator", "quote", "relation", "graded"];
const LEVEL_FIELDS: &[&str] = &["scale", "question", "level", "downgraded_from"];

/// Parses one claim file. Returns None only when the file cannot be read as a claim at all;
/// otherwise every problem is reported and the claim is returned as far as it could be read.
pub fn parse_claim(
    text: &str,
    path: &str,
    id: &str,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Claim> {
    let mut node = match yaml::parse(text) {
        Ok(node) => node,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(Code::MalformedYaml, Location::new(path, e.line, e.column), e.message)
                    .hints(e.hint)
                    .hint("a claim file is YAML: `key: value` lines, lists as `- item`; quote text containing `: ` or starting with a special character"),
            );
            return None;
        }
    };
    crate::text::control::take_escaped(&mut node, path, 0, diagnostics);
    let mut fields = Fields::of(&node, path, 0, "a claim file", diagnostics)?;
    let statement =
        fields.required_text("statement", "the claim in one or two sentences", node.pos);
    let kind = match fields.node("kind") {
        Some(n) => fields
            .choice_of(n, "kind", Kind::NAMES)
            .and_then(|k| Kind::from_name(&k.value)),
        None => {
            let loc = fields.location(node.pos);
            fields.push(
                Diagnostic::error(Code::MissingField, loc, "missing `kind`").hint(format!(
                    "add `kind:` with one of {}",
                    Kind::NAMES.join(", ")
                )),
            );
            None
        }
    };
    let audiences = read_audiences(&mut fields);
    let mut allowed_certainty: Vec<&str> = config.grading.evidence.levels().to_vec();
    allowed_certainty.dedup();
    let certainty = fields.choice("certainty", &allowed_certainty);
    let certainty_reason = fields.text("certainty_reason").map(|t| t.value);
    let level = fields
        .node("level")
        .and_then(|n| read_level(n, &mut fields));
    let strength = fields.choice("strength", config.grading.recommendations.strengths());
    let basis = fields
        .text("basis")
        .map(|t| t.value)
        .filter(|b| !b.trim().is_empty());
    let graded_levels: Vec<&str> = allowed_certainty
        .iter()
        .copied()
        .filter(|l| *l != "not-applicable")
        .collect();
    let sources = fields
        .list("sources")
        .map(|items| {
            items
                .iter()
                .filter_map(|n| read_link(n, &graded_levels, &mut fields))
                .collect()
        })
        .unwrap_or_default();
    let tags = fields
        .text_list("tags")
        .into_iter()
        .map(|t| t.value)
        .collect();
    let allow = fields
        .list("allow")
        .map(|items| {
            items
                .iter()
                .filter_map(|n| read_allow(n, &mut fields))
                .collect()
        })
        .unwrap_or_default();
    let derived = fields
        .list("derived")
        .map(|items| {
            items
                .iter()
                .filter_map(|n| read_derived(n, &mut fields))
                .collect()
        })
        .unwrap_or_default();
    let review = match fields.node("review") {
        Some(n) => {
            let key_offset = fields.key_pos("review").and_then(|p| p.offset);
            read_review(n, &mut fields, text, key_offset)
        }
        None => Review::default(),
    };
    fields.finish(CLAIM_FIELDS, "a claim file");
    let wordings = statement.iter().chain(audiences.iter().map(|(_, w)| w));
    for wording in wordings {
        for at in crate::text::markdown::raw_html(&wording.value) {
            // The tag as written, up to its closing `>`, to point at and underline it.
            let tag: String = wording.value[at..]
                .chars()
                .take_while(|c| *c != '>')
                .chain(std::iter::once('>'))
                .collect();
            let (line, column) =
                crate::text::fields::position_in_value(Some(text), wording, at, &tag);
            diagnostics.push(
                Diagnostic::warning(
                    Code::RawHtml,
                    Location::new(path, line, column),
                    "raw HTML in a statement is shown as text, not as HTML",
                )
                .width(tag.chars().count())
                .hint("use Markdown instead: *emphasis*, **strong**, [text](https://…)"),
            );
        }
    }
    Some(Claim {
        id: id.to_string(),
        path: path.to_string(),
        kind: kind.unwrap_or(Kind::Finding),
        statement: statement.unwrap_or_else(|| Spanned::new(String::new(), node.pos)),
        audiences,
        certainty,
        certainty_reason,
        level,
        strength,
        basis,
        sources,
        tags,
        allow,
        derived,
        review,
    })
}

fn read_audiences(fields: &mut Fields<'_>) -> Vec<(Spanned<String>, Spanned<String>)> {
    let Some(node) = fields.node("audiences") else {
        return Vec::new();
    };
    let Some(entries) = node.as_map() else {
        let loc = fields.location(node.pos);
        fields.push(
            Diagnostic::error(
                Code::WrongType,
                loc,
                format!("`audiences` must be a mapping, found {}", node.kind_name()),
            )
            .hint("write one `audience-id: wording` line per audience under `audiences:`"),
        );
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(key, value)| {
            let wording = fields.text_of(value, &key.name)?;
            Some((Spanned::new(key.name.clone(), key.pos), wording))
        })
        .collect()
}

fn read_level(node: &Node, parent: &mut Fields<'_>) -> Option<Level> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "`level`", parent.diagnostics)?;
    let scale = fields.required_text("scale", "the scale's name, e.g. oxford-cebm", node.pos);
    let question = fields.choice(
        "question",
        &[
            "treatment",
            "prognosis",
            "harm",
            "diagnosis",
            "prevalence",
            "screening",
        ],
    );
    let level = fields.choice("level", &["1", "2", "3", "4", "5"]);
    let downgraded_from = fields.choice("downgraded_from", &["1", "2", "3", "4", "5"]);
    if level.is_none() && fields.node("level").is_none() {
        let loc = fields.location(node.pos);
        fields.push(
            Diagnostic::error(
                Code::MissingField,
                loc,
                "`level` without its `level:` value",
            )
            .hint("add `level: 1` … `level: 5`"),
        );
    }
    fields.finish(LEVEL_FIELDS, "`level`");
    Some(Level {
        scale: scale?.value,
        question: question.map(|q| q.value),
        level: level?.value,
        downgraded_from: downgraded_from.map(|d| d.value),
    })
}

fn read_link(node: &Node, graded_levels: &[&str], parent: &mut Fields<'_>) -> Option<SourceLink> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "a source link", parent.diagnostics)?;
    let id = fields.required_text("id", "the id of a source in citations/", node.pos);
    let locator = fields.text("locator").map(|t| t.value);
    let quote = fields.text("quote").filter(|q| !q.value.trim().is_empty());
    let relation = fields
        .choice("relation", Relation::NAMES)
        .and_then(|r| Relation::from_name(&r.value))
        .unwrap_or_default();
    let graded = fields.choice("graded", graded_levels);
    if let Some(graded) = &graded
        && locator.as_deref().is_none_or(|l| l.trim().is_empty())
    {
        let loc = fields.location(graded.pos);
        fields.push(
            Diagnostic::error(
                Code::MissingField,
                loc,
                format!("`graded: {}` without the `locator` where the source states that grade", graded.value),
            )
            .hint("add `locator:` naming the recommendation, table or page that gives the grade (e.g. \"recommendation 4, GRADE table 2\")"),
        );
    }
    fields.finish(LINK_FIELDS, "a source link");
    Some(SourceLink {
        id: id.map(|i| Spanned::new(i.value.trim().to_string(), i.pos))?,
        locator,
        quote,
        relation,
        graded,
        pos: node.pos,
    })
}

fn read_allow(node: &Node, parent: &mut Fields<'_>) -> Option<Allow> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "an `allow` entry", parent.diagnostics)?;
    let code = fields.required_text(
        "code",
        "the diagnostic code to silence, e.g. grade-above-design",
        node.pos,
    )?;
    let reason = fields.text("reason").filter(|r| !r.value.trim().is_empty());
    if Code::parse(&code.value).is_none() {
        let loc = fields.location(code.pos);
        let close = crate::text::fields::closest(&code.value, Code::ALL.iter().map(|c| c.as_str()));
        let mut d = Diagnostic::error(
            Code::UnknownAllow,
            loc,
            format!("`{}` is not a diagnostic code", code.value),
        )
        .width(code.value.chars().count());
        d = match close {
            Some(c) => d.hint(format!("did you mean `{c}`?")),
            None => d.hint("run `evident explain` for the list of codes"),
        };
        fields.push(d);
    }
    if reason.is_none() {
        let loc = fields.location(code.pos);
        fields.push(
            Diagnostic::error(Code::AllowWithoutReason, loc, format!("`{}` is silenced without a reason", code.value))
                .hint("add `reason:` saying why the warning does not apply to this claim; readers of the claim page see it"),
        );
    }
    fields.finish(&["code", "reason"], "an `allow` entry");
    Some(Allow {
        code: code.value,
        reason: reason.map(|r| r.value).unwrap_or_default(),
        pos: node.pos,
    })
}

fn read_derived(node: &Node, parent: &mut Fields<'_>) -> Option<Derived> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut fields = Fields::of(node, path, offset, "a `derived` entry", parent.diagnostics)?;
    let figure = fields.required_text(
        "figure",
        "the figure as written in the claim, e.g. \"81.2-96.8%\"",
        node.pos,
    );
    let reason = fields.required_text(
        "reason",
        "how the figure was computed from the quote",
        node.pos,
    );
    fields.finish(&["figure", "reason"], "a `derived` entry");
    Some(Derived {
        figure: figure?.value,
        reason: reason?.value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLAIM: &str = r#"statement: In a trial of 50 mothers, 98% relactated.
kind: finding
audiences:
  patient: Almost all mothers made milk again.
certainty: low
certainty_reason: One small trial.
sources:
  - id: pmid9283123
    locator: abstract
    quote: "Relactation attempt was successful in 49 mothers (98 per cent)"
tags: [outcomes]
review:
  status: approved
  history:
    - date: 2025-10-01
      by: example-author
      action: submit
    - date: 2025-10-29
      by: example-reviewer
      action: approve
      fingerprint: "v1:abc"
  next_review: 2026-10-29
"#;

    #[test]
    fn reads_a_full_claim() {
        let mut d = Diagnostics::new();
        let claim = parse_claim(CLAIM, "c.yaml", "c", &Config::default(), &mut d).unwrap();
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(claim.kind, Kind::Finding);
        assert_eq!(
            claim.wording("patient"),
            "Almost all mothers made milk again."
        );
        assert_eq!(claim.wording("clinician"), claim.statement.value);
        assert_eq!(claim.sources[0].id.value, "pmid9283123");
        assert_eq!(
            (claim.sources[0].id.pos.line, claim.sources[0].id.pos.column),
            (8, 9)
        );
        assert_eq!(claim.review.history.len(), 2);
        assert_eq!(
            claim.review.last_approval().unwrap().fingerprint.as_deref(),
            Some("v1:abc")
        );
        let (start, end) = claim.review.span.unwrap();
        assert!(CLAIM[start..end].starts_with("review:\n"));
        assert!(CLAIM[start..end].ends_with("next_review: 2026-10-29\n"));
        assert_eq!(end, CLAIM.len());
    }

    #[test]
    fn reports_every_problem_of_a_file() {
        let text = "statment: x\nkind: opinion\ncertainty: sure\nsources:\n  - locator: p. 3\n    relation: contradicts\nreview:\n  status: approved\n  history:\n    - date: 2025-02-30\n      by: a\n      action: approve\n";
        let mut d = Diagnostics::new();
        parse_claim(text, "c.yaml", "c", &Config::default(), &mut d);
        let found: Vec<String> = d
            .sorted()
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.location.column, d.code))
            .collect();
        assert_eq!(
            found,
            vec![
                "1:1 missing-field",
                "1:1 unknown-field",
                "2:7 invalid-value",
                "3:12 invalid-value",
                "5:5 missing-field",
                "6:15 invalid-value",
                "8:11 approved-without-history",
                "10:13 invalid-date",
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn any_yaml_gives_a_claim_or_diagnostics(lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("statement: 98% of 50".to_string()),
                proptest::strategy::Just("kind: finding".to_string()),
                proptest::strategy::Just("sources:".to_string()),
                proptest::strategy::Just("  - id: x".to_string()),
                proptest::strategy::Just("    quote: \"98 per cent\"".to_string()),
                proptest::strategy::Just("review:".to_string()),
                proptest::strategy::Just("  status: approved".to_string()),
                proptest::strategy::Just("  history:".to_string()),
                proptest::strategy::Just("    - {date: 2025-02-30, by: a, action: approve}".to_string()),
                proptest::strategy::Just("a: &a [x, *a]".to_string()),
                "[a-z_]{1,8}: [^\\n]{0,12}",
                "[ \\t-]{0,4}[^\\n]{0,12}",
            ],
            0..16,
        )) {
            let text = lines.join("\n");
            let mut d = Diagnostics::new();
            let claim = parse_claim(&text, "c.yaml", "c", &Config::default(), &mut d);
            if let Some((start, end)) = claim.and_then(|c| c.review.span) {
                proptest::prop_assert!(start <= end && end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            }
            for diagnostic in d.sorted() {
                proptest::prop_assert!(diagnostic.location.line >= 1 && diagnostic.location.column >= 1);
            }
        }
    }
}
