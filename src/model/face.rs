//! The two faces of one site, the public site and the editors' preview, and the one rule of
//! what each face shows of a claim or a topic.
//!
//! The public face under `publish: approved` shows only what a reviewer approved. Until the
//! knowledge base holds the approved versions themselves, an approved claim or topic that
//! changed since its approval is left out of the public face rather than shown in a wording
//! no reviewer saw; a claim whose source was retracted after its approval stays (under a
//! retraction notice) only while its wording is the approved one.

use serde::Serialize;

use crate::model::config::{Notes, Publish};
use crate::model::{Claim, EffectiveStatus, ReviewStatus, Topic};

/// Which of the site's two faces is built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Face {
    /// What readers see (`evident build`, `serve --public`): under `publish: approved` only
    /// what was approved; no dashboard, review notes, workflow badges or fingerprints.
    #[default]
    Public,
    /// What editors see (`evident build --preview`, `evident serve`): the current text of
    /// everything, statuses, banners, the dashboard, notes and changes since approval.
    Preview,
}

impl Face {
    /// Whether this is the public face.
    pub fn is_public(self) -> bool {
        self == Face::Public
    }

    /// The face's name, as templates and messages say it (`public`, `preview`).
    pub fn name(self) -> &'static str {
        match self {
            Face::Public => "public",
            Face::Preview => "preview",
        }
    }

    /// Whether pages show the review workflow (status badges, "pending review" banners, the
    /// review tracker, the status search filter): on the preview, and on a public site that
    /// publishes everything under banners.
    pub fn shows_workflow(self, publish: Publish) -> bool {
        self == Face::Preview || publish == Publish::AllWithBanner
    }

    /// Whether pages and the feed show the notes of review decisions.
    pub fn shows_notes(self, notes: Notes) -> bool {
        self == Face::Preview || notes == Notes::Public
    }

    /// Whether this face shows `claim`, whose effective status is `status`, under `publish`.
    pub fn shows_claim(self, publish: Publish, claim: &Claim, status: EffectiveStatus) -> bool {
        if self == Face::Preview || publish == Publish::AllWithBanner {
            return true;
        }
        match status {
            EffectiveStatus::Approved => true,
            // Approved, then a cited source was retracted: still shown, under a notice,
            // while the wording is the approved one.
            EffectiveStatus::CitesRetracted => {
                claim.review.status == ReviewStatus::Approved && wording_as_approved(claim)
            }
            _ => false,
        }
    }

    /// Whether this face shows `topic`, whose own effective status is `own_status`, under
    /// `publish`. A page with no embedded claim and no review block (an editorial policy) is
    /// published as it is.
    pub fn shows_topic(self, publish: Publish, topic: &Topic, own_status: EffectiveStatus) -> bool {
        if self == Face::Preview || publish == Publish::AllWithBanner {
            return true;
        }
        own_status == EffectiveStatus::Approved
            || (topic.review.span.is_none() && topic.embedded_claims().is_empty())
    }
}

/// Whether the claim's statement and audience wordings are those its last approval recorded.
fn wording_as_approved(claim: &Claim) -> bool {
    let Some(approved) = claim
        .review
        .last_approval()
        .and_then(|a| a.approved.as_ref())
    else {
        return false;
    };
    approved.statement.as_deref() == Some(claim.statement.value.as_str())
        && approved.audiences.len() == claim.audiences.len()
        && claim
            .audiences
            .iter()
            .all(|(id, text)| approved.audiences.get(&id.value) == Some(&text.value))
}
