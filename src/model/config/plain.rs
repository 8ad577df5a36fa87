//! Plain language in `evident.yaml`: which audiences read plain language (`audiences[].
//! plain_language`) and the reading grade their wordings should stay under
//! (`plain_language.max_grade`), read and checked here.

use super::{Audience, Config};
use crate::diag::{Code, Diagnostic};
use crate::text::fields::Fields;
use crate::text::yaml::{self, Node};

/// The keys an audience may have.
pub const AUDIENCE_FIELDS: &[&str] = &["id", "label", "plain_language"];

/// The audience id that reads plain language unless its `plain_language` says otherwise.
pub const PLAIN_BY_DEFAULT: &str = "patient";

/// The default `plain_language.max_grade`: grade 6, a reading age of about 11, the top of
/// what the NHS advises for health information.
pub const DEFAULT_MAX_GRADE: f64 = 6.0;

/// The lowest and highest `max_grade` accepted.
pub const GRADE_RANGE: (f64, f64) = (1.0, 18.0);

/// The `plain_language:` section of evident.yaml.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PlainLanguage {
    /// `max_grade`: the Flesch–Kincaid grade a plain-language wording should not exceed
    /// (default [`DEFAULT_MAX_GRADE`]); above it, the warning `reading-level`.
    pub max_grade: f64,
}

impl Default for PlainLanguage {
    fn default() -> Self {
        PlainLanguage {
            max_grade: DEFAULT_MAX_GRADE,
        }
    }
}

impl PlainLanguage {
    /// The target as messages show it: `6`, `7.5`.
    pub fn target(&self) -> String {
        if self.max_grade.fract() == 0.0 {
            format!("{}", self.max_grade as i64)
        } else {
            format!("{:.1}", self.max_grade)
        }
    }
}

impl Config {
    /// The audiences whose wordings are measured for reading level: those marked
    /// `plain_language`, when the site's language is English (the grade is made for
    /// English); none otherwise.
    pub fn plain_language_audiences(&self) -> impl Iterator<Item = &Audience> {
        let english = crate::text::readability::is_english(&self.language);
        self.audiences
            .iter()
            .filter(move |a| english && a.plain_language)
    }
}

/// `audiences:`: each `{id, label, plain_language}`; a duplicate id is an error.
pub(super) fn read_audiences(items: &[Node], parent: &mut Fields<'_>) -> Vec<Audience> {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut out: Vec<Audience> = Vec::new();
    for item in items {
        let Some(mut fields) = Fields::of(item, path, offset, "an audience", parent.diagnostics)
        else {
            continue;
        };
        let id = fields.required_text("id", "a short id such as `patient`", item.pos);
        let label = fields.text("label");
        let plain = fields.boolean("plain_language");
        fields.finish(AUDIENCE_FIELDS, "an audience");
        let Some(id) = id else {
            continue;
        };
        if out.iter().any(|a| a.id == id.value) {
            let loc = parent.location(id.pos);
            parent.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    loc,
                    format!("`{}` is declared twice", id.value),
                )
                .hint("give each audience and reviewer its own id"),
            );
            continue;
        }
        out.push(Audience {
            label: label.map_or_else(|| id.value.clone(), |l| l.value),
            plain_language: plain.map_or(id.value == PLAIN_BY_DEFAULT, |p| p.value),
            id: id.value,
        });
    }
    out
}

/// `plain_language: {max_grade: N}`.
pub(super) fn read_plain_language(node: &Node, parent: &mut Fields<'_>, plain: &mut PlainLanguage) {
    let (path, offset) = (parent.path(), parent.line_offset());
    let Some(mut fields) = Fields::of(node, path, offset, "`plain_language`", parent.diagnostics)
    else {
        return;
    };
    if let Some(value) = fields.node("max_grade") {
        let number = match value.value {
            yaml::Value::Int(n) => Some(n as f64),
            yaml::Value::Float(f) => Some(f),
            _ => None,
        };
        let (low, high) = GRADE_RANGE;
        match number {
            Some(n) if (low..=high).contains(&n) => plain.max_grade = n,
            _ => {
                let loc = fields.location(value.pos);
                let written = value
                    .as_text()
                    .unwrap_or_else(|| value.kind_name().to_string());
                fields.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        loc,
                        format!("`max_grade` must be a number from {low} to {high}, found {written}"),
                    )
                    .width(written.chars().count())
                    .hint("write the Flesch–Kincaid grade plain-language wordings should stay under, e.g. `max_grade: 6` (a reading age of about 11)"),
                );
            }
        }
    }
    fields.finish(&["max_grade"], "`plain_language`");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    fn parse(text: &str) -> (Config, Vec<String>) {
        let mut d = Diagnostics::new();
        let config = Config::parse(text, "evident.yaml", &mut d);
        let found = d
            .sorted()
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.location.column, d.code))
            .collect();
        (config, found)
    }

    #[test]
    fn patient_reads_plain_language_by_default() {
        let (c, d) = parse("audiences: [{id: patient, label: Gardener}, {id: expert}]\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(c.audiences[0].plain_language);
        assert!(!c.audiences[1].plain_language);
        assert_eq!(c.plain_language.max_grade, 6.0);
        let ids: Vec<&str> = c
            .plain_language_audiences()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["patient"]);
    }

    #[test]
    fn plain_language_can_be_set_either_way_and_the_target_moved() {
        let (c, d) = parse(
            "audiences:\n  - {id: patient, plain_language: false}\n  - {id: public, plain_language: true}\nplain_language:\n  max_grade: 8.5\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let ids: Vec<&str> = c
            .plain_language_audiences()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["public"]);
        assert_eq!(c.plain_language.target(), "8.5");
        assert_eq!(PlainLanguage::default().target(), "6");
    }

    #[test]
    fn no_plain_language_audience_on_a_site_not_in_english() {
        let (c, _) = parse("language: fr\naudiences: [{id: patient}]\n");
        assert_eq!(c.plain_language_audiences().count(), 0);
        let (c, _) = parse("language: en-GB\naudiences: [{id: patient}]\n");
        assert_eq!(c.plain_language_audiences().count(), 1);
    }

    #[test]
    fn bad_values_are_errors_at_their_place() {
        let (c, d) = parse(
            "audiences:\n  - {id: patient, plain_language: yes please}\n  - {id: patient}\nplain_language:\n  max_grade: 40\n  max_age: 3\n",
        );
        assert_eq!(
            d,
            [
                "2:35 wrong-type",
                "3:10 duplicate-id",
                "5:14 invalid-value",
                "6:3 unknown-field"
            ]
        );
        assert_eq!(c.plain_language.max_grade, 6.0, "the default stands in");
        assert!(c.audiences[0].plain_language, "the default stands in");
        let (_, d) = parse("plain_language: {max_grade: six}\n");
        assert_eq!(d, ["1:29 invalid-value"]);
        let (_, d) = parse("plain_language: 6\n");
        assert_eq!(d, ["1:17 wrong-type"]);
    }
}
