//! `review.roles` in `evident.yaml`: for each reviewer role, the review actions it may take,
//! read and checked here (unknown actions, duplicate roles, wrong shapes).

use crate::diag::{Code, Diagnostic};
use crate::model::ReviewAction;
use crate::text::fields::Fields;
use crate::text::yaml::Node;

/// `roles`: a map of role name → list of review actions; it replaces the default map
/// (`roles`, left as it was when the map is not one).
pub(super) fn read_roles(
    node: &Node,
    parent: &mut Fields<'_>,
    roles: &mut Vec<(String, Vec<ReviewAction>)>,
) {
    let Some(entries) = node.as_map() else {
        let loc = parent.location(node.pos);
        parent.push(
            Diagnostic::error(
                Code::WrongType,
                loc,
                format!("`roles` must be a mapping, found {}", node.kind_name()),
            )
            .hint("write one `role name: [actions]` line per role, e.g. `author: [submit]`"),
        );
        return;
    };
    let mut read: Vec<(String, Vec<ReviewAction>)> = Vec::new();
    for (key, value) in entries {
        let Some(items) = value.as_seq() else {
            let loc = parent.location(value.pos);
            parent.push(
                Diagnostic::error(
                    Code::WrongType,
                    loc,
                    format!(
                        "the actions of role `{}` must be a list, found {}",
                        key.name,
                        value.kind_name()
                    ),
                )
                .hint(format!(
                    "write `{}: [submit, start, approve, request-changes, retire]`, keeping the actions it may take",
                    key.name
                )),
            );
            continue;
        };
        let mut actions = Vec::new();
        for item in items {
            let text = item.as_text().unwrap_or_default();
            match ReviewAction::from_name(text.trim()) {
                Some(action) => actions.push(action),
                None => {
                    let loc = parent.location(item.pos);
                    let mut d = Diagnostic::error(
                        Code::InvalidValue,
                        loc,
                        format!("`{text}` is not a review action"),
                    )
                    .width(text.chars().count())
                    .hint(format!("allowed: {}", ReviewAction::NAMES.join(", ")));
                    if let Some(close) =
                        crate::text::fields::closest(&text, ReviewAction::NAMES.iter().copied())
                    {
                        d = d.hint(format!("did you mean `{close}`?"));
                    }
                    parent.push(d);
                }
            }
        }
        let name = key.name.trim().to_string();
        if read
            .iter()
            .any(|(n, _)| n.to_lowercase() == name.to_lowercase())
        {
            let loc = parent.location(key.pos);
            parent.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    loc,
                    format!(
                        "role `{name}` is declared twice (role names are compared ignoring case)"
                    ),
                )
                .hint("declare each role once, with every action it may take"),
            );
            continue;
        }
        read.push((name, actions));
    }
    *roles = read;
}
