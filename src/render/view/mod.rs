//! View structs: what templates see. Built from the knowledge base, already worked out
//! (links relative to the page, dates formatted, Markdown rendered and sanitised), so themes
//! hold no logic and never see the model. Fields ending in `_html` are safe HTML; everything
//! else is text that templates escape.
//!
//! One file per page type, each with its structs and the function building them: `claim`
//! (embeds and claim pages), `topic`, `source`, `index` (the home page), `grading`,
//! `dashboard` and `search` (the search page and each page's search filters); `common`
//! holds what they share. The doc comments on these structs are the theme API, and
//! `themes/default/README.md` repeats them for theme authors (a test keeps the two in step).
//! This module only declares the files and names their items here, so every item is
//! `crate::render::view::X` whichever file holds it.

#![deny(missing_docs)]

mod claim;
mod common;
mod dashboard;
mod grading;
mod index;
mod search;
mod source;
mod topic;

pub use claim::{
    AllowView, ClaimEmbedView, ClaimPageView, ClaimSourceView, RefNumberView, RetiredView,
    WordingChangeView, WordingView, claim_embed, claim_page,
};
pub use common::{
    AudienceView, CountView, GradeView, HistoryView, LinkView, PageView, ReviewLineView,
    SearchTitleView, SiteView, StatusView, audience_key, claim_search_titles, counts_by_status,
    date, grade_view, history_view, plain_certainty, relation_label, review_line, reviewer_name,
    source_links, status_view,
};
pub use dashboard::{DashboardRow, DashboardTopicRow, DashboardView, QueueView, dashboard_view};
pub use grading::{DesignView, GradingView, LevelView, grading_view};
pub use index::{IndexView, TopicCardView, index_view};
pub use search::{
    FacetView, NotFoundView, SearchFilterView, SearchPageView, claim_facets, search_view,
    source_facets, topic_facets,
};
pub use source::{CitingClaimView, RelationGroupView, RetractionView, SourcePageView, source_page};
pub use topic::{
    HandoutLinks, HelpView, ReferenceView, ReviewStamp, TopicView, TrackerStep, reference_list,
    topic_view,
};
