//! `evident review ACTION ID --by REVIEWER` and `evident review list`.

use std::process::ExitCode;

use evident::edit::review::{Decision, Target, decide, review_lock, write_edit};
use evident::model::ReviewAction;
use evident::resolve::queue::queue;

use crate::cli::{DecisionArgs, DiagnosticFormat, ListArgs, ListFormat, ReviewCommand};
use crate::cmd::{Context, print_diagnostics};

pub fn run(ctx: &Context, command: &ReviewCommand) -> anyhow::Result<ExitCode> {
    let (action, args) = match command {
        ReviewCommand::List(args) => return list(ctx, args),
        ReviewCommand::Submit(a) => (ReviewAction::Submit, a),
        ReviewCommand::Start(a) => (ReviewAction::Start, a),
        ReviewCommand::Approve(a) => (ReviewAction::Approve, a),
        ReviewCommand::RequestChanges(a) => (ReviewAction::RequestChanges, a),
        ReviewCommand::Retire(a) => (ReviewAction::Retire, a),
    };
    decide_and_write(ctx, action, args)
}

fn decide_and_write(
    ctx: &Context,
    action: ReviewAction,
    args: &DecisionArgs,
) -> anyhow::Result<ExitCode> {
    // Held from reading the site to writing the decision: a second `evident review` waits,
    // then decides on the files as this one left them.
    let _lock = review_lock(&ctx.project.root, || {
        eprintln!("waiting for another `evident review` to finish recording its decision…");
    })
    .map_err(|e| {
        anyhow::anyhow!("cannot take the review lock reviewed/.lock: {e}; nothing was changed")
    })?;
    let (kb, resolution) = evident::check_resolution(&ctx.project, ctx.today)?;
    let refused = |why: String| {
        eprintln!("error: review refused: {why}");
        eprintln!("nothing was changed");
        Ok(ExitCode::from(1))
    };
    let target = match Target::parse(&args.id, &kb) {
        Ok(target) => target,
        Err(why) => return refused(why),
    };
    let decision = Decision {
        action,
        by: args.by.clone(),
        note: args.note.clone(),
        reason: args.reason.clone(),
        replaced_by: args.replaced_by.clone(),
        next_review: args.next_review,
    };
    let edit = match decide(&kb, &resolution, &target, &decision, ctx.today) {
        Ok(edit) => edit,
        Err(refusal) => {
            // Every diagnostic of the item, as `evident check` prints them, then why.
            if !refusal.diagnostics.is_empty() {
                print_diagnostics(
                    ctx,
                    &refusal.diagnostics,
                    DiagnosticFormat::Human,
                    &kb.texts,
                );
            }
            return refused(refusal.message);
        }
    };
    write_edit(&ctx.project.root, &edit)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", edit.path))?;
    ctx.say(format!("{} ({})", edit.summary, edit.path));
    if let Some((path, _)) = &edit.approved_version {
        ctx.say(format!("approved version kept in {path}"));
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let kb = evident::check(&ctx.project, ctx.today)?;
    let rows = queue(&kb);
    match args.format {
        ListFormat::Json => {
            for row in &rows {
                println!("{}", serde_json::to_string(row)?);
            }
        }
        ListFormat::Csv => {
            println!("id,kind,status,recorded,topics,reviewers,last_review,next_due,overdue,flags");
            for r in &rows {
                let fields = [
                    r.id.clone(),
                    r.kind.to_string(),
                    r.status.to_string(),
                    r.recorded.to_string(),
                    r.topics.join(" "),
                    r.reviewers.join(" "),
                    r.last_review.clone().unwrap_or_default(),
                    r.next_due.clone().unwrap_or_default(),
                    r.overdue.to_string(),
                    r.flags.join("; "),
                ];
                println!(
                    "{}",
                    fields
                        .iter()
                        .map(|f| csv_field(f))
                        .collect::<Vec<_>>()
                        .join(",")
                );
            }
        }
        ListFormat::Table => {
            let width = rows
                .iter()
                .map(|r| r.id.chars().count())
                .max()
                .unwrap_or(2)
                .max(2);
            println!(
                "{:<width$}  {:<22}  {:<10}  {:<10}  flags",
                "id", "status", "last", "next due"
            );
            for r in &rows {
                println!(
                    "{:<width$}  {:<22}  {:<10}  {:<10}  {}",
                    r.id,
                    r.status,
                    r.last_review.as_deref().unwrap_or("-"),
                    r.next_due.as_deref().unwrap_or("-"),
                    r.flags.join(", ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// RFC 4180: quote fields holding commas, quotes or line breaks; double inner quotes.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
