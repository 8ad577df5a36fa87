//! Claims: each claim resolved on its own against the site's configuration and the sources
//! it cites — its checks (sources, audiences, required fields, figures, grade), fingerprint,
//! effective status, due date and publication.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::review::{due_date, is_changed};
use super::types::ResolvedClaim;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::config::Config;
use crate::model::face::Face;
use crate::model::fingerprint;
use crate::model::idmap::IdMap;
use crate::model::{Claim, EffectiveStatus, Kind, ReviewStatus, Source, design_ceiling};
use crate::text::fields::closest;
use crate::text::figures;

/// Everything about one claim that depends on the claim, the site's configuration and the
/// sources it cites, but on no other claim or topic (its `used_by` is left empty: see
/// the back-links, worked out once every topic is resolved).
pub(super) fn resolve_claim(
    claim: Claim,
    config: &Config,
    sources: &IdMap<Source>,
    texts: &BTreeMap<String, String>,
    (today, face): (Date, Face),
    diagnostics: &mut Diagnostics,
) -> ResolvedClaim {
    check_claim(&claim, config, sources, diagnostics);
    check_figures(
        &claim,
        sources,
        texts.get(&claim.path).map(String::as_str),
        diagnostics,
    );
    let fingerprint = fingerprint::claim(&claim, sources);
    let cites_retracted = claim.sources.iter().any(|l| {
        sources
            .get(&l.id.value)
            .is_some_and(|s| s.evidence.retracted.is_some())
    });
    let changed_since_approval = is_changed(&claim.review, &fingerprint);
    if changed_since_approval {
        diagnostics.push(
            Diagnostic::warning(
                Code::ChangedSinceApproval,
                Location::new(&claim.path, claim.review.status_pos.line, claim.review.status_pos.column),
                format!("claim `{}` changed after it was approved; it is shown as \"changed since approval\"", claim.id),
            )
            .hint(format!("have it reviewed again: `evident review submit {}` then start/approve", claim.id)),
        );
    }
    let status = EffectiveStatus::of(claim.review.status, cites_retracted, changed_since_approval);
    let (due, overdue) = due_date(&claim.review, config, today);
    let published = face.shows_claim(config.review.publish, &claim, status);
    ResolvedClaim {
        claim,
        fingerprint,
        status,
        changed_since_approval,
        cites_retracted,
        due,
        overdue,
        published,
        used_by: Vec::new(),
    }
}

fn check_claim(
    claim: &Claim,
    config: &Config,
    sources: &IdMap<Source>,
    diagnostics: &mut Diagnostics,
) {
    let path = claim.path.as_str();
    let status = claim.review.status;
    let past_draft = !matches!(status, ReviewStatus::Draft | ReviewStatus::Retired);
    let statement_at = Location::new(path, claim.statement.pos.line, claim.statement.pos.column);

    for link in &claim.sources {
        let id = &link.id.value;
        let at = Location::new(path, link.id.pos.line, link.id.pos.column);
        match sources.get(id) {
            None => {
                let mut d =
                    Diagnostic::error(Code::UnknownSource, at, format!("unknown source `{id}`"))
                        .width(id.chars().count());
                d = match closest(id, sources.keys().map(String::as_str)) {
                    Some(c) => d.hint(format!("did you mean `{c}`?")),
                    None => d.hint("add the source's record to a file in citations/ (`evident new source ID`), or fix the id"),
                };
                diagnostics.push(d);
            }
            Some(source) => {
                if let Some(retraction) = &source.evidence.retracted {
                    let when = retraction
                        .date
                        .as_deref()
                        .map(|d| format!(" on {d}"))
                        .unwrap_or_default();
                    diagnostics.push(
                        Diagnostic::warning(Code::CitesRetracted, at, format!("cites `{id}`, which was retracted{when}"))
                            .hint("find a replacement source or retire the claim; until then it is not shown as approved"),
                    );
                }
            }
        }
        if link.quote.is_none() && sources.contains_key(id) {
            diagnostics.push(
                Diagnostic::warning(Code::MissingQuote, Location::new(path, link.pos.line, link.pos.column), format!("no quote from `{id}` supports this claim"))
                    .hint("add `quote:` with the sentence of the source that supports the claim, copied exactly"),
            );
        }
    }

    for (audience, _) in &claim.audiences {
        if config.audience(&audience.value).is_none() {
            let declared: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
            let mut d = Diagnostic::error(
                Code::UnknownAudience,
                Location::new(path, audience.pos.line, audience.pos.column),
                format!(
                    "wording for audience `{}`, which evident.yaml does not declare",
                    audience.value
                ),
            )
            .width(audience.value.chars().count());
            d = match closest(&audience.value, declared.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None if declared.is_empty() => d.hint(
                    "declare audiences in evident.yaml: `audiences: [{id: patient, label: …}]`",
                ),
                None => d.hint(format!("declared audiences: {}", declared.join(", "))),
            };
            diagnostics.push(d);
        }
    }

    if claim.kind.needs_source() && claim.sources.is_empty() && status != ReviewStatus::Retired {
        if past_draft {
            diagnostics.push(
                Diagnostic::error(
                    Code::MissingSource,
                    statement_at.clone(),
                    format!(
                        "a {} must cite a source once submitted",
                        claim.kind.label().to_lowercase()
                    ),
                )
                .hint(
                    "add `sources:` with the id, locator and quote of the source that supports it",
                ),
            );
        } else {
            diagnostics.push(
                Diagnostic::warning(
                    Code::SourceNeeded,
                    statement_at.clone(),
                    "draft claim without a source (shown as \"source needed\")",
                )
                .hint("add `sources:` before submitting it for review"),
            );
        }
    }
    if claim.kind.is_graded() && claim.certainty.is_none() && past_draft {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingCertainty,
                statement_at.clone(),
                "a graded claim needs `certainty` once submitted",
            )
            .hint(format!(
                "add `certainty:` ({}) and `certainty_reason:`",
                config.grading.evidence.levels().join(", ")
            )),
        );
    }
    if claim.kind == Kind::Recommendation && claim.strength.is_none() {
        let severity = if past_draft {
            Diagnostic::error
        } else {
            Diagnostic::warning
        };
        diagnostics.push(
            severity(
                Code::MissingStrength,
                statement_at.clone(),
                "a recommendation needs a `strength`",
            )
            .hint(format!(
                "add `strength:` ({})",
                config.grading.recommendations.strengths().join(", ")
            )),
        );
    }
    if claim.kind == Kind::PracticePoint && claim.basis.is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingBasis,
                statement_at.clone(),
                "a practice point must say why it is given",
            )
            .hint(
                "add `basis:` (e.g. \"standard nursing practice; no trial compares alternatives\")",
            ),
        );
    }
    check_grade(claim, config, sources, diagnostics);
}

/// Every figure of the statement and of each audience wording must be backed by a quote of a
/// cited source, a cited source's sample size or year, or a declared `derived` figure; a
/// practice point's figures by its `basis`.
fn check_figures(
    claim: &Claim,
    sources: &IdMap<Source>,
    file: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    let cited: Vec<&Source> = claim
        .sources
        .iter()
        .filter_map(|l| sources.get(&l.id.value))
        .collect();
    let mut quotes: Vec<&str> = claim
        .sources
        .iter()
        .filter(|l| sources.contains_key(&l.id.value))
        .filter_map(|l| l.quote.as_ref().map(|q| q.value.as_str()))
        .collect();
    if let Some(basis) = &claim.basis {
        quotes.push(basis);
    }
    let numbers: Vec<f64> = cited
        .iter()
        .flat_map(|s| {
            let n = s.evidence.sample_size.map(|n| n as f64);
            let y = s.year().map(f64::from);
            n.into_iter().chain(y)
        })
        .collect();
    let evidence = figures::Evidence {
        quotes,
        numbers,
        derived: claim.derived.iter().map(|d| d.figure.as_str()).collect(),
    };
    let wordings = std::iter::once((None, &claim.statement)).chain(
        claim
            .audiences
            .iter()
            .map(|(a, w)| (Some(a.value.as_str()), w)),
    );
    // The sources whose quotes were searched, named in every message.
    let searched: Vec<&str> = claim
        .sources
        .iter()
        .filter(|l| l.quote.is_some() && sources.contains_key(&l.id.value))
        .map(|l| l.id.value.as_str())
        .collect();
    for (audience, wording) in wordings {
        for figure in figures::unsupported(&wording.value, &evidence) {
            let (line, column) =
                crate::text::fields::position_in_value(file, wording, figure.start, &figure.text);
            let whose = audience
                .map(|a| format!(" ({a} wording)"))
                .unwrap_or_default();
            let message = if searched.is_empty() {
                format!(
                    "figure `{}`{whose} cannot be checked: no cited source has a quote",
                    figure.text
                )
            } else {
                let names: Vec<String> = searched.iter().map(|s| format!("`{s}`")).collect();
                format!(
                    "figure `{}`{whose} is not in the quote of {}, nor a cited sample size or year",
                    figure.text,
                    names.join(", ")
                )
            };
            diagnostics.push(
                Diagnostic::warning(Code::UnsupportedFigure, Location::new(&claim.path, line, column), message)
                .width(figure.text.chars().count())
                .hint("quote the sentence of the source that gives this number, correct the number, or declare it under `derived:` with how it was computed"),
            );
        }
    }
}

/// A certainty above what the best cited design can carry (DESIGN §5's table).
fn check_grade(
    claim: &Claim,
    config: &Config,
    sources: &IdMap<Source>,
    diagnostics: &mut Diagnostics,
) {
    let Some(certainty) = &claim.certainty else {
        return;
    };
    let scale = config.grading.evidence;
    let Some(rank) = scale.rank(&certainty.value) else {
        return;
    };
    let designs: Vec<(&str, u8)> = claim
        .sources
        .iter()
        .filter_map(|l| sources.get(&l.id.value))
        .filter_map(|s| s.evidence.design.as_deref())
        .filter_map(|d| design_ceiling(d).map(|c| (d, c)))
        .collect();
    let Some(ceiling) = designs.iter().map(|(_, c)| *c).max() else {
        return;
    };
    if rank <= ceiling || claim.allows(Code::GradeAboveDesign) {
        return;
    }
    let mut names: Vec<&str> = designs.iter().map(|(d, _)| *d).collect();
    names.sort_unstable();
    names.dedup();
    let highest = ["", "very-low", "low", "moderate", "high"][usize::from(ceiling)];
    diagnostics.push(
        Diagnostic::warning(
            Code::GradeAboveDesign,
            Location::new(&claim.path, certainty.pos.line, certainty.pos.column),
            format!(
                "certainty `{}` is above what the cited designs ({}) can carry: at most `{}` under GRADE",
                certainty.value,
                names.join(", "),
                scale_level(config, highest)
            ),
        )
        .width(certainty.value.chars().count())
        .hint("lower the certainty, cite stronger evidence, or add `allow: [{code: grade-above-design, reason: \"…\"}]` saying why (e.g. GRADE's upgrading criteria)"),
    );
}

fn scale_level(config: &Config, grade_level: &str) -> String {
    match config.grading.evidence {
        crate::model::config::EvidenceScale::Grade => grade_level.to_string(),
        crate::model::config::EvidenceScale::OxfordCebm => match grade_level {
            "high" => "1".into(),
            "moderate" => "2".into(),
            "low" => "3".into(),
            _ => "4".into(),
        },
    }
}
