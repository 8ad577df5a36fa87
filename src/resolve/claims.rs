//! Claims: each claim resolved on its own against the site's configuration and the sources
//! it cites — its checks (sources, audiences, required fields, figures, grade, wording),
//! fingerprint, effective status, due date and publication.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::review::{due_date, is_changed};
use super::types::ResolvedClaim;
use crate::diag::{Code, Diagnostic, Diagnostics, Location, Severity};
use crate::model::config::Config;
use crate::model::face::Face;
use crate::model::fingerprint;
use crate::model::idmap::IdMap;
use crate::model::{Claim, EffectiveStatus, Kind, ReviewStatus, Source, design_ceiling};
use crate::text::fields::closest;
use crate::text::figures;
use crate::text::passage::{Normalised, closest_passage};

/// Everything about one claim that depends on the claim, the site's configuration and the
/// sources it cites, but on no other claim or topic (its `used_by` is left empty: see
/// the back-links, worked out once every topic is resolved).
pub(super) fn resolve_claim(
    claim: Claim,
    config: &Config,
    sources: &IdMap<Source>,
    abstracts: &BTreeMap<String, Normalised>,
    texts: &BTreeMap<String, String>,
    (today, face): (Date, Face),
    diagnostics: &mut Diagnostics,
) -> ResolvedClaim {
    let mut checks = Diagnostics::new();
    check_claim(&claim, config, sources, &mut checks);
    check_quotes(
        &claim,
        sources,
        abstracts,
        texts.get(&claim.path).map(String::as_str),
        &mut checks,
    );
    check_figures(
        &claim,
        sources,
        texts.get(&claim.path).map(String::as_str),
        &mut checks,
    );
    super::wording::check_wordings(
        &claim,
        config,
        texts.get(&claim.path).map(String::as_str),
        &mut checks,
    );
    // An evidence-integrity warning the claim's `allow:` gives a reason for is not reported:
    // the reason is shown on the claim page and is part of what reviewers approve.
    for d in checks {
        let allowed = d.severity == Severity::Warning
            && crate::diag::is_evidence_integrity(d.code)
            && claim.allows(d.code);
        if !allowed {
            diagnostics.push(d);
        }
    }
    let fingerprint = fingerprint::claim(&claim, sources);
    let older_fingerprints: Vec<String> = fingerprint::CLAIM_VERSIONS
        .iter()
        .filter(|v| **v != fingerprint::VERSION)
        .filter(|v| {
            claim.review.history.iter().any(|e| {
                e.fingerprint
                    .as_deref()
                    .is_some_and(|f| fingerprint::version_of(f) == **v)
            })
        })
        .filter_map(|v| fingerprint::claim_as(&claim, sources, v))
        .collect();
    let cites_retracted = claim.sources.iter().any(|l| {
        sources
            .get(&l.id.value)
            .is_some_and(|s| s.evidence.retracted.is_some())
    });
    let changed_since_approval = is_changed(&claim.review, |recorded| {
        recorded == fingerprint || older_fingerprints.iter().any(|f| f == recorded)
    });
    if changed_since_approval {
        diagnostics.push(
            Diagnostic::warning(
                Code::ChangedSinceApproval,
                Location::new(&claim.path, claim.review.status_pos.line, claim.review.status_pos.column),
                format!("claim `{}` changed after it was approved; it is shown as \"changed since approval\"", claim.id),
            )
            .hint(format!("have it reviewed again: `evident review submit {} --by REVIEWER`, then `start` and `approve` with `--by` a reviewer", claim.id)),
        );
    }
    let status = EffectiveStatus::of(claim.review.status, cites_retracted, changed_since_approval);
    let (due, overdue) = due_date(&claim.review, config, today);
    let published = face.shows_claim(config.review.publish, &claim, status);
    ResolvedClaim {
        claim,
        fingerprint,
        older_fingerprints,
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
                        Diagnostic::warning(Code::CitesRetracted, at.clone(), format!("cites `{id}`, which was retracted{when}"))
                            .hint("find a replacement source or retire the claim; until then it is not shown as approved"),
                    );
                }
                // A source superseded by itself is `superseded-by-itself`, at the source.
                if let Some(next) = &source.evidence.superseded_by
                    && next != id
                {
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::CitesSuperseded,
                            at,
                            format!("cites `{id}`, which `{next}` supersedes"),
                        )
                        .width(id.chars().count())
                        .hint(format!("cite `{next}` if it still supports the claim, or add `allow: [{{code: cites-superseded, reason: \"…\"}}]` saying why `{id}` is the right source")),
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
/// practice point's figures by its `basis`. A figure is reported once per claim, at its first
/// place, naming every wording it is in. A link to an unknown source is already an error:
/// its quote still counts, and figures are not reported as uncheckable because of it.
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
    let cites_unknown = cited.len() < claim.sources.len();
    let mut quotes: Vec<&str> = claim
        .sources
        .iter()
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
        .filter(|l| l.quote.is_some())
        .map(|l| l.id.value.as_str())
        .collect();
    if searched.is_empty() && cites_unknown {
        return;
    }
    // Each unsupported figure, in order of first place, with every place it is written.
    let mut found: Vec<(String, Vec<Place>)> = Vec::new();
    for (audience, wording) in wordings {
        for figure in figures::unsupported(&wording.value, &evidence) {
            let (line, column) =
                crate::text::fields::position_in_value(file, wording, figure.start, &figure.text);
            let at = Location::new(&claim.path, line, column);
            match found.iter_mut().find(|(text, _)| *text == figure.text) {
                Some((_, places)) => places.push((audience, at)),
                None => found.push((figure.text, vec![(audience, at)])),
            }
        }
    }
    for (figure, places) in found {
        let whose = wordings_named(&places);
        let message = if searched.is_empty() {
            format!("figure `{figure}`{whose} cannot be checked: no cited source has a quote")
        } else {
            let names: Vec<String> = searched.iter().map(|s| format!("`{s}`")).collect();
            format!(
                "figure `{figure}`{whose} is not in the quote of {}, nor a cited sample size or year",
                names.join(", ")
            )
        };
        let mut places = places.into_iter();
        let Some((_, first)) = places.next() else {
            continue;
        };
        let mut d = Diagnostic::warning(Code::UnsupportedFigure, first, message)
            .width(figure.chars().count())
            .hint("quote the sentence of the source that gives this number, correct the number, or declare it under `derived:` with how it was computed");
        for (audience, at) in places {
            let wording =
                audience.map_or("the statement".to_string(), |a| format!("the {a} wording"));
            d = d.related(at, format!("also in {wording}"));
        }
        diagnostics.push(d);
    }
}

/// Where a figure is written: the audience of the wording (None for the statement) and the
/// place in the file.
type Place<'a> = (Option<&'a str>, Location);

/// The wordings a figure is in, for its message: nothing when only the statement,
/// ` (patient wording)` for one audience, ` (in the statement and the patient and
/// clinician wordings)` for more.
fn wordings_named(places: &[Place]) -> String {
    let mut audiences: Vec<&str> = Vec::new();
    let mut statement = false;
    for (audience, _) in places {
        match audience {
            None => statement = true,
            Some(a) if !audiences.contains(a) => audiences.push(a),
            Some(_) => {}
        }
    }
    let listed = match audiences.as_slice() {
        [] => String::new(),
        [one] => format!("{one} wording"),
        [rest @ .., last] => format!("{} and {last} wordings", rest.join(", ")),
    };
    match (statement, audiences.len()) {
        (_, 0) => String::new(),
        (false, 1) => format!(" ({listed})"),
        (false, _) => format!(" (in the {listed})"),
        (true, _) => format!(" (in the statement and the {listed})"),
    }
}

/// The abstract of every source whose record carries one (CSL `abstract`, which the readers
/// fill from PubMed `AB`, RIS `AB`/`N2` and BibTeX `abstract`), normalised once.
pub(super) fn abstracts(sources: &IdMap<Source>) -> BTreeMap<String, Normalised> {
    use rayon::prelude::*;
    let with: Vec<(&String, &str)> = sources
        .iter()
        .filter_map(|(id, s)| Some((id, s.csl_str("abstract")?)))
        .collect();
    with.into_par_iter()
        .map(|(id, text)| (id.clone(), Normalised::new(text)))
        .collect()
}

/// Whether a link's `locator:` says the quote is from the abstract: `abstract`, in any case,
/// alone or followed by more (`Abstract, results`).
fn is_abstract(locator: Option<&str>) -> bool {
    let Some(locator) = locator.map(|l| l.trim().to_lowercase()) else {
        return false;
    };
    locator
        .strip_prefix("abstract")
        .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
}

/// A quote located in the abstract of a source whose record carries the abstract must be in
/// it (DESIGN §4; [`crate::text::passage`] says what is forgiven).
fn check_quotes(
    claim: &Claim,
    sources: &IdMap<Source>,
    abstracts: &BTreeMap<String, Normalised>,
    file: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    if claim.allows(Code::QuoteNotInSource) {
        return;
    }
    for link in &claim.sources {
        let (Some(quote), Some(normalised)) = (&link.quote, abstracts.get(&link.id.value)) else {
            continue;
        };
        if !is_abstract(link.locator.as_deref()) || normalised.contains(&quote.value) {
            continue;
        }
        let id = &link.id.value;
        let written = file
            .zip(quote.pos.offset)
            .and_then(|(f, at)| f.get(at..at + quote.pos.len))
            .map_or(quote.value.chars().count(), |raw| raw.chars().count());
        let mut d = Diagnostic::warning(
            Code::QuoteNotInSource,
            Location::new(&claim.path, quote.pos.line, quote.pos.column),
            format!("the quote from `{id}` is not in its abstract"),
        )
        .width(written);
        let text = sources.get(id).and_then(|s| s.csl_str("abstract"));
        if let Some(passage) = text.and_then(|t| closest_passage(t, &quote.value, 200)) {
            d = d.hint(format!(
                "the closest passage of the abstract: \"{passage}\""
            ));
        }
        diagnostics.push(d.hint(
            "copy the passage exactly (mark left-out words with `…`), or set `locator:` to where in the source the quote is",
        ));
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
    // Each cited source carries what it reports itself (`graded:`), else what its design
    // can carry; the claim may rise to the best of them.
    let designs: Vec<(String, u8)> = claim
        .sources
        .iter()
        .filter_map(|l| Some((l, sources.get(&l.id.value)?)))
        .filter_map(|(l, s)| match &l.graded {
            Some(graded) => scale
                .rank(&graded.value)
                .map(|r| (format!("{} graded {}", l.id.value, graded.value), r)),
            None => {
                let design = s.evidence.design.as_deref()?;
                design_ceiling(design).map(|c| (design.to_string(), c))
            }
        })
        .collect();
    let Some(ceiling) = designs.iter().map(|(_, c)| *c).max() else {
        return;
    };
    if rank <= ceiling {
        return;
    }
    let mut names: Vec<&str> = designs.iter().map(|(d, _)| d.as_str()).collect();
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
        .hint("lower the certainty, cite stronger evidence, add `graded: LEVEL` to a source link whose source states its own certainty (a guideline, a GRADE-rated review), or add `allow: [{code: grade-above-design, reason: \"…\"}]` saying why (e.g. GRADE's upgrading criteria)"),
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
