//! Recording review decisions in place (`evident review ACTION ID --by REVIEWER`).
//!
//! A decision replaces exactly the byte range of the file's `review:` block with a freshly
//! written block-style block; every other byte of the file (comments, key order, quoting,
//! blank lines) stays as it was. History is append-only: existing entries are written back
//! as they were read, and a file whose review block has errors is refused rather than
//! rewritten, so no entry can be lost.
//!
//! Before anything is written, a decision must be one the reviewer's role may take
//! (`review.roles`), and `submit`, `start` and `approve` pass the approval gate
//! ([`super::gate`]): the item as it would be at its new status has no error and no
//! evidence-integrity warning without an `allow:` reason.

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::Date;

use super::gate::{self, Item, Refusal};
use crate::diag::Severity;
use crate::load;
use crate::model::{ApprovedWording, HistoryEntry, Review, ReviewAction, ReviewStatus};
use crate::resolve::{KnowledgeBase, Resolution};
use crate::text::markdown;

/// What is being reviewed: a claim by id, or a topic page by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The claim with this id (a key of the knowledge base's claims).
    Claim(String),
    /// The topic or page with this slug (a key of the knowledge base's topics).
    Topic(String),
}

impl Target {
    /// `topic:<slug>`, else a claim id, else (when no claim has that id) a topic slug.
    pub fn parse(text: &str, kb: &KnowledgeBase) -> Result<Target, String> {
        if let Some(slug) = text.strip_prefix("topic:") {
            return if kb.topics.contains_key(slug) {
                Ok(Target::Topic(slug.to_string()))
            } else {
                Err(format!("no topic page has the slug `{slug}`"))
            };
        }
        if kb.claims.contains_key(text) {
            return Ok(Target::Claim(text.to_string()));
        }
        if kb.topics.contains_key(text) {
            return Ok(Target::Topic(text.to_string()));
        }
        let ids = kb
            .claims
            .keys()
            .map(String::as_str)
            .chain(kb.topics.keys().map(String::as_str));
        Err(match crate::text::fields::closest(text, ids) {
            Some(close) => format!("no claim or topic `{text}`; did you mean `{close}`?"),
            None => format!("no claim or topic `{text}`"),
        })
    }

    /// How messages name it, and how [`Target::parse`] reads it back: the claim's id, or
    /// `topic:` + the slug.
    pub fn name(&self) -> String {
        match self {
            Target::Claim(id) => id.clone(),
            Target::Topic(slug) => format!("topic:{slug}"),
        }
    }
}

/// One decision, as given on the command line.
#[derive(Debug, Clone)]
pub struct Decision {
    /// What the reviewer does (submit, start, approve, request changes, retire); it must be
    /// allowed from the item's recorded status.
    pub action: ReviewAction,
    /// `--by`: the id of a reviewer `evident.yaml` declares.
    pub by: String,
    /// `--note`, recorded on the history entry; required (not blank) to request changes.
    pub note: Option<String>,
    /// `--reason` for retiring, shown to readers; required (not blank) to retire, unused
    /// by the other actions.
    pub reason: Option<String>,
    /// `--replaced-by`: the id of an existing claim replacing the retired item (not the
    /// item itself); only read when retiring.
    pub replaced_by: Option<String>,
    /// `--next-review`: the day of the next review, only allowed with approve. None on an
    /// approval means today + the policy's `max_age_days`.
    pub next_review: Option<Date>,
}

/// The file to write, with its new text, and what happened in words.
#[derive(Debug, Clone)]
pub struct Edit {
    /// The file to rewrite: the item's path relative to the site root, '/'-separated.
    pub path: String,
    /// The file's whole new text: the old one with only its `review:` block replaced.
    pub text: String,
    /// The status recorded after the decision (still in review while an approval lacks
    /// the approvals the policy requires).
    pub status: ReviewStatus,
    /// One line for the user, such as `id: submitted → in-review`.
    pub summary: String,
    /// When an approval completes: the approved version to keep under `reviewed/` (its
    /// path relative to the site root, and its text), which the public site is built from.
    pub approved_version: Option<(String, String)>,
}

/// Works out the edit a decision makes, or why it is refused. Nothing is written here.
/// `kb` and `resolution` are the site as [`Resolution::new`] resolved it (see
/// [`crate::check_resolution`]); the gate resolves the edited item again from them.
pub fn decide(
    kb: &KnowledgeBase,
    resolution: &Resolution,
    target: &Target,
    decision: &Decision,
    today: Date,
) -> Result<Edit, Refusal> {
    let config = &kb.config;
    refuse_bad_characters(decision)?;
    if config.reviewer(&decision.by).is_none() {
        let declared: Vec<&str> = config.reviewers.iter().map(|r| r.id.as_str()).collect();
        return Err(if declared.is_empty() {
            format!(
                "unknown reviewer `{}`: evident.yaml declares no reviewers",
                decision.by
            )
        } else {
            format!(
                "unknown reviewer `{}` (declared: {})",
                decision.by,
                declared.join(", ")
            )
        }
        .into());
    }
    config
        .permits(&decision.by, decision.action)
        .map_err(|why| format!("cannot {} {}: {why}", decision.action.name(), target.name()))?;
    let (path, review, fingerprint, approved, cited, kind) = match target {
        Target::Claim(id) => {
            let claim = kb
                .claims
                .get(id)
                .ok_or_else(|| format!("no claim `{id}`"))?;
            let c = &claim.claim;
            let approved = ApprovedWording {
                statement: Some(c.statement.value.clone()),
                audiences: c
                    .audiences
                    .iter()
                    .map(|(a, w)| (a.value.clone(), w.value.clone()))
                    .collect(),
            };
            let cited =
                crate::model::fingerprint::cited(c, |id| kb.sources.get(id).map(|s| &s.source));
            (
                c.path.clone(),
                &c.review,
                claim.fingerprint.clone(),
                Some(approved),
                Some(cited),
                c.kind.name(),
            )
        }
        Target::Topic(slug) => {
            let topic = kb
                .topics
                .get(slug)
                .ok_or_else(|| format!("no topic `{slug}`"))?;
            (
                topic.topic.path.clone(),
                &topic.topic.review,
                topic.fingerprint.clone(),
                None,
                None,
                "topic",
            )
        }
    };
    let text = kb
        .texts
        .get(&path)
        .ok_or_else(|| format!("{path} was not read"))?;
    refuse_if_review_block_has_errors(kb, &path, review, text)?;

    let from = review.status;
    let Some(mut to) = decision.action.next(from) else {
        let allowed: Vec<&str> = ReviewAction::NAMES
            .iter()
            .copied()
            .filter(|a| {
                ReviewAction::from_name(a)
                    .and_then(|a| a.next(from))
                    .is_some()
            })
            .collect();
        return Err(Refusal::from(format!(
            "cannot {} {}: it is {}; from {} the allowed actions are {}",
            decision.action.name(),
            target.name(),
            from.name(),
            from.name(),
            allowed.join(", ")
        )));
    };
    // Whether an approval that recorded a fingerprint approved the item as it now is (a
    // claim's `v1:` approvals are verified in v1).
    let current = |recorded: &str| match target {
        Target::Claim(id) => kb.claims.get(id).is_some_and(|c| c.is_current(recorded)),
        Target::Topic(_) => recorded == fingerprint,
    };
    let required = config.review.approvals_required.of(kind);
    let mut entry = HistoryEntry {
        date: today,
        by: crate::text::yaml::Spanned::new(decision.by.clone(), Default::default()),
        action: decision.action,
        note: decision.note.clone(),
        fingerprint: None,
        approved: None,
        pos: Default::default(),
    };
    let mut next = review.clone();
    match decision.action {
        ReviewAction::Approve => {
            if config.review.forbid_self_approval {
                let submitter = review
                    .history
                    .iter()
                    .rev()
                    .find(|e| e.action == ReviewAction::Submit)
                    .map(|e| e.by.value.as_str());
                if submitter == Some(decision.by.as_str()) {
                    return Err(Refusal::from(format!(
                        "cannot approve {}: {} submitted it, and the review policy forbids approving one's own submission",
                        target.name(),
                        decision.by
                    )));
                }
            }
            let approvers = approvers_of(review, current);
            if approvers.contains(&decision.by.as_str()) {
                return Err(Refusal::from(format!(
                    "{} already approved this exact version of {}",
                    decision.by,
                    target.name()
                )));
            }
            entry.fingerprint = Some(fingerprint.clone());
            entry.approved = approved;
            let count = approvers.len() + 1;
            if count < required as usize {
                to = ReviewStatus::InReview;
            } else {
                next.next_review = Some(match decision.next_review {
                    Some(date) => date,
                    None => today
                        .checked_add(jiff::Span::new().days(i64::from(config.review.max_age_days)))
                        .map_err(|e| format!("cannot compute the next review date: {e}"))?,
                });
            }
        }
        ReviewAction::Retire => {
            let reason = decision
                .reason
                .clone()
                .filter(|r| !r.trim().is_empty())
                .ok_or_else(|| {
                    format!(
                        "retiring needs a reason, which readers see: `evident review retire {} --by {} --reason \"…\"`",
                        target.name(),
                        decision.by
                    )
                })?;
            if let Some(next_id) = &decision.replaced_by {
                if !kb.claims.contains_key(next_id) {
                    return Err(format!("--replaced-by `{next_id}` names no claim").into());
                }
                if Target::Claim(next_id.clone()) == *target {
                    return Err("a claim cannot replace itself".into());
                }
            }
            next.retired = Some(crate::model::Retired {
                reason,
                replaced_by: decision
                    .replaced_by
                    .clone()
                    .map(|r| crate::text::yaml::Spanned::new(r, Default::default())),
            });
        }
        ReviewAction::RequestChanges => {
            if decision.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(format!(
                    "requesting changes needs a note saying what to change: `evident review request-changes {} --by {} --note \"…\"`",
                    target.name(),
                    decision.by
                )
                .into());
            }
        }
        ReviewAction::Submit => {
            next.retired = None;
        }
        ReviewAction::Start => {}
    }
    if decision.action != ReviewAction::Approve && decision.next_review.is_some() {
        return Err("--next-review goes with approve".into());
    }
    next.status = to;
    next.history.push(entry);
    // A file written with CRLF line endings keeps them, in the lines written too.
    let newline = if uses_crlf(text) { "\r\n" } else { "\n" };
    let block = write_block(&next).replace('\n', newline);
    let new_text = splice(
        text,
        review,
        &block,
        matches!(target, Target::Topic(_)),
        newline,
    )?;
    verify(&new_text, &path, target, &next)?;
    if matches!(
        decision.action,
        ReviewAction::Submit | ReviewAction::Start | ReviewAction::Approve
    ) {
        let item = match target {
            Target::Claim(id) => Item::Claim(id),
            Target::Topic(slug) => Item::Topic(slug),
        };
        let what = format!("{} {}", decision.action.name(), target.name());
        gate::check(kb, resolution, item, &path, &new_text, &what)?;
    }
    let summary = if decision.action == ReviewAction::Approve && to != ReviewStatus::Approved {
        format!(
            "{}: approval by {} recorded ({} of {} needed); still in review",
            target.name(),
            decision.by,
            approvers_of(review, current).len() + 1,
            required
        )
    } else {
        format!("{}: {} → {}", target.name(), from.name(), to.name())
    };
    let approved_version =
        (decision.action == ReviewAction::Approve && to == ReviewStatus::Approved).then(|| {
            (
                load::reviewed::snapshot_path(&path),
                load::reviewed::snapshot_text(&path, &new_text, cited.as_ref()),
            )
        });
    Ok(Edit {
        path,
        text: new_text,
        status: to,
        summary,
        approved_version,
    })
}

/// Distinct reviewers who approved the item as it now is (`current` says which recorded
/// fingerprints are its) since the last submission.
fn approvers_of(review: &Review, current: impl Fn(&str) -> bool) -> Vec<&str> {
    let since = review
        .history
        .iter()
        .rposition(|e| e.action == ReviewAction::Submit)
        .map_or(0, |i| i + 1);
    let mut out: Vec<&str> = review.history[since..]
        .iter()
        .filter(|e| {
            e.action == ReviewAction::Approve && e.fingerprint.as_deref().is_some_and(&current)
        })
        .map(|e| e.by.value.as_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn refuse_if_review_block_has_errors(
    kb: &KnowledgeBase,
    path: &str,
    review: &Review,
    text: &str,
) -> Result<(), String> {
    let Some((start, end)) = review.span else {
        return Ok(());
    };
    let (first, _) = crate::text::line_column(text, start);
    let (last, _) = crate::text::line_column(text, end.saturating_sub(1));
    let problems: Vec<String> = kb
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == Severity::Error
                && d.location.path == path
                && (first..=last).contains(&d.location.line)
        })
        .map(|d| format!("{} [{}] {}", d.location, d.code, d.message))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the review block of {path} has errors; fix them first so no history entry is lost:\n  {}",
            problems.join("\n  ")
        ))
    }
}

/// Refuses a `--note` or `--reason` holding a character the file should not: a control
/// character other than a tab or a line break (DEL, ESC, BEL, C1 controls) or a
/// noncharacter (U+FFFE, U+FFFF). YAML cannot hold some of them at all; none belongs in a
/// history entry.
fn refuse_bad_characters(decision: &Decision) -> Result<(), String> {
    for (flag, text) in [("--note", &decision.note), ("--reason", &decision.reason)] {
        let Some(text) = text else { continue };
        let bad = text.chars().enumerate().find(|(_, c)| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}')
        });
        if let Some((at, c)) = bad {
            return Err(format!(
                "{flag} has a bad character: U+{:04X} at character {}; write it without control characters",
                u32::from(c),
                at + 1
            ));
        }
    }
    Ok(())
}

/// Whether the file's lines end with CRLF (as its first line does).
fn uses_crlf(text: &str) -> bool {
    text.find('\n').is_some_and(|at| text[..at].ends_with('\r'))
}

/// Replaces the review block, or adds one (at the end of a claim file, at the end of a
/// topic's front matter), ending lines it adds with `newline`.
fn splice(
    text: &str,
    review: &Review,
    block: &str,
    is_topic: bool,
    newline: &str,
) -> Result<String, String> {
    if let Some((start, end)) = review.span {
        return Ok(format!("{}{}{}", &text[..start], block, &text[end..]));
    }
    if is_topic {
        let split = markdown::split_front_matter(text)
            .map_err(|_| "the page has no front matter".to_string())?;
        let fm_start = split.front_matter.as_ptr() as usize - text.as_ptr() as usize;
        let fm_end = fm_start + split.front_matter.len();
        let mut out = text[..fm_end].to_string();
        if !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(block);
        out.push_str(&text[fm_end..]);
        return Ok(out);
    }
    let mut out = text.to_string();
    if !out.ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(block);
    Ok(out)
}

/// Reads the new text back and checks the review block says what was meant.
fn verify(text: &str, path: &str, target: &Target, expected: &Review) -> Result<(), String> {
    let mut diagnostics = crate::diag::Diagnostics::new();
    let review = match target {
        Target::Claim(id) => load::parse_claim(
            text,
            path,
            id,
            &crate::model::config::Config::default(),
            &mut diagnostics,
        )
        .map(|c| c.review),
        Target::Topic(slug) => {
            load::parse_topic(text, path, slug, &mut diagnostics).map(|t| t.review)
        }
    };
    let Some(review) = review else {
        return Err(format!(
            "internal error: the edited {path} no longer parses; nothing was written"
        ));
    };
    let same = review.status == expected.status
        && review.history.len() == expected.history.len()
        && review.history.iter().zip(&expected.history).all(|(a, b)| {
            a.date == b.date
                && a.by.value == b.by.value
                && a.action == b.action
                && a.note == b.note
                && a.fingerprint == b.fingerprint
                && a.approved == b.approved
        })
        && review.next_review == expected.next_review
        && review
            .retired
            .as_ref()
            .map(|r| (&r.reason, r.replaced_by.as_ref().map(|x| &x.value)))
            == expected
                .retired
                .as_ref()
                .map(|r| (&r.reason, r.replaced_by.as_ref().map(|x| &x.value)));
    if same {
        Ok(())
    } else {
        Err(format!(
            "internal error: the edited review block of {path} does not read back as written; nothing was written"
        ))
    }
}

/// The review block in block style, two-space indented, ending with a newline.
pub fn write_block(review: &Review) -> String {
    let mut out = String::from("review:\n");
    let _ = writeln!(out, "  status: {}", review.status.name());
    if review.history.is_empty() {
        out.push_str("  history: []\n");
    } else {
        out.push_str("  history:\n");
        for e in &review.history {
            let _ = writeln!(out, "    - date: {}", e.date);
            let _ = writeln!(out, "      by: {}", scalar(&e.by.value));
            let _ = writeln!(out, "      action: {}", e.action.name());
            if let Some(note) = &e.note {
                let _ = writeln!(out, "      note: {}", scalar(note));
            }
            if let Some(fp) = &e.fingerprint {
                let _ = writeln!(out, "      fingerprint: {}", quoted(fp));
            }
            if let Some(approved) = &e.approved {
                out.push_str("      approved:\n");
                if let Some(statement) = &approved.statement {
                    let _ = writeln!(out, "        statement: {}", scalar(statement));
                }
                if !approved.audiences.is_empty() {
                    out.push_str("        audiences:\n");
                    for (audience, wording) in &approved.audiences {
                        let _ =
                            writeln!(out, "          {}: {}", scalar(audience), scalar(wording));
                    }
                }
            }
        }
    }
    if let Some(date) = review.next_review {
        let _ = writeln!(out, "  next_review: {date}");
    }
    if let Some(retired) = &review.retired {
        out.push_str("  retired:\n");
        let _ = writeln!(out, "    reason: {}", scalar(&retired.reason));
        if let Some(next) = &retired.replaced_by {
            let _ = writeln!(out, "    replaced_by: {}", scalar(&next.value));
        }
    }
    out
}

/// A YAML scalar: plain when that reads back as the same text, double-quoted otherwise.
fn scalar(text: &str) -> String {
    let plain_safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain_safe {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Double-quoted: JSON string escapes are valid YAML double-quoted escapes.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Writes the edit atomically ([`super::file::replace_atomically`]): the approved version
/// first, then the file, so that a run stopped between the two leaves an approved version
/// its file does not record (reported by the public build) rather than an approval without
/// the version it approved. The caller holds the [`review_lock`].
/// Neither file is written when either lies behind a symbolic link
/// ([`super::file::refuse_links`]).
pub fn write_edit(root: &Path, edit: &Edit) -> std::io::Result<()> {
    let file = root.join(&edit.path);
    let approved = edit
        .approved_version
        .as_ref()
        .map(|(path, text)| (root.join(path), text));
    super::file::refuse_links(root, &file)?;
    if let Some((path, _)) = &approved {
        super::file::refuse_links(root, path)?;
    }
    if let Some((path, text)) = &approved {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        super::file::replace_in_site(root, path, text.as_bytes())?;
    }
    super::file::replace_in_site(root, &file, edit.text.as_bytes())
}

/// The lock `evident review` holds from reading the site to writing its decision, so that
/// two decisions never interleave and each is decided on the files as the one before left
/// them (`reviewed/.lock`, an advisory lock: see [`super::file::Lock`]). Waits while another
/// command holds it, calling `waiting` once first.
pub fn review_lock(root: &Path, waiting: impl FnOnce()) -> std::io::Result<super::file::Lock> {
    let path = root.join(load::reviewed::REVIEWED_DIR).join(".lock");
    super::file::refuse_links(root, &path)?;
    super::file::Lock::take(&path, waiting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_written() {
        for text in [
            "example-reviewer",
            "a: b",
            "yes",
            "#x",
            "It's 98% \"quoted\"\nnext",
            "",
            "2025-10-01",
            "naïve",
        ] {
            let yaml = format!("k: {}\n", scalar(text));
            let node = crate::text::yaml::parse(&yaml).unwrap();
            assert_eq!(
                node.get("k").and_then(|n| n.as_text()).unwrap_or_default(),
                text,
                "{yaml}"
            );
        }
    }

    const CONFIG: &str = "reviewers:\n  - {id: author, name: A}\n  - {id: rev1, name: R1}\n  - {id: rev2, name: R2}\nreview:\n  approvals_required: 1\n";
    const SOURCES: &str = "- id: s1\n  type: article-journal\n  title: T\n  design: rct\n  sample_size: 50\n  issued: {date-parts: [[1997]]}\n";
    /// A claim file full of comments, odd quoting and blank lines around its review block.
    const CLAIM: &str = "# Claim about relactation.\n\nstatement:   'In a trial of 50 mothers, 98% relactated.'   # single-quoted on purpose\nkind: finding\n\n# why low:\ncertainty: low\nsources:\n  - id: s1   # the 1997 trial\n    quote: \"Relactation attempt was successful in 49 mothers (98 per cent)\"\n\nreview:\n  # submitted by the author\n  status: submitted\n  history:\n    - {date: 2026-01-02, by: author, action: submit}\n\n# trailing comment stays\ntags: [outcomes]\n";

    fn site(claim: &str, config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::create_dir_all(dir.path().join("citations")).unwrap();
        std::fs::write(dir.path().join("evident.yaml"), config).unwrap();
        std::fs::write(dir.path().join("citations/s.yaml"), SOURCES).unwrap();
        std::fs::write(dir.path().join("content/c1.yaml"), claim).unwrap();
        dir
    }

    fn act(
        dir: &tempfile::TempDir,
        action: ReviewAction,
        by: &str,
        today: &str,
    ) -> Result<Edit, String> {
        act_noting(dir, action, by, today, "ok")
    }

    fn act_noting(
        dir: &tempfile::TempDir,
        action: ReviewAction,
        by: &str,
        today: &str,
        note: &str,
    ) -> Result<Edit, String> {
        let project = crate::project::Project::new(dir.path());
        let today: Date = today.parse().unwrap();
        let (kb, resolution) = crate::check_resolution(&project, today).unwrap();
        let decision = Decision {
            action,
            by: by.into(),
            note: Some(note.into()),
            reason: Some("old".into()),
            replaced_by: None,
            next_review: None,
        };
        let edit = decide(
            &kb,
            &resolution,
            &Target::parse("c1", &kb)?,
            &decision,
            today,
        )
        .map_err(|r| r.to_string())?;
        write_edit(dir.path(), &edit).unwrap();
        Ok(edit)
    }

    #[test]
    fn edits_replace_only_the_review_block() {
        let dir = site(CLAIM, CONFIG);
        act(&dir, ReviewAction::Start, "rev1", "2026-01-03").unwrap();
        act(&dir, ReviewAction::Approve, "rev1", "2026-01-04").unwrap();
        let after = std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap();
        let start = CLAIM.find("review:").unwrap();
        let end = CLAIM.find("\n# trailing").unwrap() + 1;
        assert!(
            after.starts_with(&CLAIM[..start]),
            "bytes before the block changed:\n{after}"
        );
        assert!(
            after.ends_with(&CLAIM[end..]),
            "bytes after the block changed:\n{after}"
        );
        let block = &after[start..after.len() - (CLAIM.len() - end)];
        assert!(block.contains("status: approved\n"), "{block}");
        assert!(block.contains("next_review: 2027-01-04\n"), "{block}");
        assert!(block.contains("fingerprint: \"v2:"), "{block}");
        // The approved claim is effectively approved: its fingerprint matches.
        let kb = crate::check(
            &crate::project::Project::new(dir.path()),
            "2026-01-05".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(
            kb.claims["c1"].status,
            crate::model::EffectiveStatus::Approved
        );
        assert!(
            !kb.diagnostics.has_errors(),
            "{:?}",
            kb.diagnostics.clone().sorted()
        );
    }

    #[test]
    fn refusals_change_nothing() {
        let dir = site(CLAIM, CONFIG);
        let before = std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap();
        let refused = [
            act(&dir, ReviewAction::Approve, "rev1", "2026-01-03").unwrap_err(),
            act(&dir, ReviewAction::RequestChanges, "rev1", "2026-01-03").unwrap_err(),
            act(&dir, ReviewAction::Start, "nobody", "2026-01-03").unwrap_err(),
        ];
        assert!(
            refused[0].contains("cannot approve c1: it is submitted"),
            "{}",
            refused[0]
        );
        assert!(
            refused[2].contains("unknown reviewer `nobody`"),
            "{}",
            refused[2]
        );
        act(&dir, ReviewAction::Start, "author", "2026-01-03").unwrap();
        let self_approval = act(&dir, ReviewAction::Approve, "author", "2026-01-04").unwrap_err();
        assert!(
            self_approval.contains("forbids approving one's own submission"),
            "{self_approval}"
        );
        let after_start = std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap();
        assert_ne!(before, after_start);
        assert!(after_start.contains("action: start"));
        assert!(!after_start.contains("action: approve"));
    }

    #[test]
    fn two_approvals_needed_when_required() {
        let dir = site(
            CLAIM,
            &CONFIG.replace("approvals_required: 1", "approvals_required: 2"),
        );
        act(&dir, ReviewAction::Start, "rev1", "2026-01-03").unwrap();
        let first = act(&dir, ReviewAction::Approve, "rev1", "2026-01-04").unwrap();
        assert_eq!(first.status, ReviewStatus::InReview);
        assert!(
            act(&dir, ReviewAction::Approve, "rev1", "2026-01-04")
                .unwrap_err()
                .contains("already approved")
        );
        let second = act(&dir, ReviewAction::Approve, "rev2", "2026-01-05").unwrap();
        assert_eq!(second.status, ReviewStatus::Approved);
    }

    #[test]
    fn the_gate_refuses_missing_quotes_and_errors_from_start_on() {
        let unquoted = CLAIM.replace(
            "    quote: \"Relactation attempt was successful in 49 mothers (98 per cent)\"\n",
            "",
        );
        let dir = site(&unquoted, CONFIG);
        let refused = act(&dir, ReviewAction::Start, "rev1", "2026-01-03").unwrap_err();
        assert!(refused.contains("warning[missing-quote]"), "{refused}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap(),
            unquoted
        );
        let broken = CLAIM.replace("- id: s1", "- id: s9");
        let dir = site(&broken, CONFIG);
        let refused = act(&dir, ReviewAction::Start, "rev1", "2026-01-03").unwrap_err();
        assert!(refused.contains("error[unknown-source]"), "{refused}");
    }

    #[test]
    fn a_crlf_file_stays_crlf() {
        let crlf = CLAIM.replace('\n', "\r\n");
        let dir = site(&crlf, CONFIG);
        act(&dir, ReviewAction::Start, "rev1", "2026-01-03").unwrap();
        act(&dir, ReviewAction::Approve, "rev1", "2026-01-04").unwrap();
        let after = std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap();
        assert!(after.contains("action: approve\r\n"), "{after:?}");
        assert!(
            !after.replace("\r\n", "").contains('\n'),
            "a bare LF: {after:?}"
        );
        assert!(after.starts_with(&crlf[..crlf.find("review:").unwrap()]));
        assert!(after.ends_with("\r\n# trailing comment stays\r\ntags: [outcomes]\r\n"));

        // A review block added at the end of a file without one, or without a last line
        // break.
        let unreviewed = crlf[..crlf.find("review:").unwrap()].trim_end().to_string();
        let dir = site(&unreviewed, CONFIG);
        act(&dir, ReviewAction::Submit, "author", "2026-01-03").unwrap();
        let after = std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap();
        assert!(after.starts_with(&unreviewed), "{after:?}");
        assert!(
            after.ends_with("action: submit\r\n      note: ok\r\n"),
            "{after:?}"
        );
        assert!(
            !after.replace("\r\n", "").contains('\n'),
            "a bare LF: {after:?}"
        );
    }

    #[test]
    fn a_note_with_a_control_character_is_refused() {
        let dir = site(CLAIM, CONFIG);
        let before = std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap();
        for (note, shown) in [
            ("tea\u{7f}cups", "U+007F at character 4"),
            ("\u{1b}[31m", "U+001B at character 1"),
            ("a\u{85}b", "U+0085 at character 2"),
            ("x\u{ffff}", "U+FFFF at character 2"),
        ] {
            let refused =
                act_noting(&dir, ReviewAction::Start, "rev1", "2026-01-03", note).unwrap_err();
            assert!(
                refused.starts_with(&format!("--note has a bad character: {shown}")),
                "{refused}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/c1.yaml")).unwrap(),
            before
        );
        // What YAML can hold is written and read back.
        act_noting(
            &dir,
            ReviewAction::Start,
            "rev1",
            "2026-01-03",
            "tabs\tand\nlines, \u{a0}\u{feff}\u{2028} “quotes”",
        )
        .unwrap();
    }
}
