//! `evident.yaml`: the site's configuration. Every key has a default, so a site without the
//! file builds; every problem in it is a diagnostic like any other content problem.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::ReviewAction;
use crate::text::fields::Fields;
use crate::text::yaml::{self, Node};

mod plain;
mod roles;

pub use plain::{PLAIN_BY_DEFAULT, PlainLanguage};

/// The configuration file's name, at the site root; also its path in diagnostics.
pub const CONFIG_FILE: &str = "evident.yaml";

/// The site's configuration as read from `evident.yaml`, each key's default standing in
/// where it is missing or wrong (see the `Default` impl for the values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// `title`: the site's name, in page titles, the header and feeds.
    pub title: String,
    /// `description`: one sentence about the site, for the home page's description (search
    /// engines, link previews); a sentence made of the title when not given.
    pub description: Option<String>,
    /// `base_url`: where the site will live, for canonical URLs and feeds; always ends
    /// with `/` (added when missing), and starts with `http://`, `https://` or `/`.
    pub base_url: String,
    /// `language`: the site's language tag (`en`), for the pages' `lang`, the search index
    /// and the handouts' paper size.
    pub language: String,
    /// `grading`: the scales certainty and strength are written in.
    pub grading: Grading,
    /// `certainty_words`: what each certainty level means to a plain-language reader.
    pub certainty_words: crate::model::certainty::CertaintyWords,
    /// `contact`: the clinic or publisher a handout names (name, phone, web address, logo).
    pub contact: Option<crate::model::contact::Contact>,
    /// `handout`: settings of the PDF handouts (`fonts`: font files of the site).
    pub handout: crate::model::fonts::HandoutSettings,
    /// `audiences`: the audiences claims may be reworded for, in the order declared (the
    /// order of the wordings on a page); empty by default.
    pub audiences: Vec<Audience>,
    /// `plain_language`: the reading grade plain-language audiences' wordings should stay
    /// under.
    pub plain_language: PlainLanguage,
    /// `reviewers`: who may appear as `by:` in a review history; empty by default.
    pub reviewers: Vec<Reviewer>,
    /// `citation_style`: a shipped style name or the path of a `.csl` file in the site, as
    /// written (see [`crate::cite::Style::by_name`]).
    pub citation_style: String,
    /// `review`: the review policy.
    pub review: ReviewPolicy,
    /// `disclaimer`: shown at the foot of every page and on handouts.
    pub disclaimer: String,
    /// A site-wide note shown on every page (e.g. "reviews here are a demonstration").
    pub notice: Option<String>,
    /// `theme`: `default` (built in) or the name of a folder of `themes/`.
    pub theme: String,
    /// Where `theme` is written in evident.yaml, for problems with the theme's folder.
    #[serde(skip)]
    pub theme_at: Option<crate::diag::Location>,
    /// Links without the trailing `index.html`, for sites served by a web server.
    pub pretty_urls: bool,
}

/// The `grading:` section of evident.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Grading {
    /// `evidence`: the scale of claims' `certainty` (default `grade`).
    pub evidence: EvidenceScale,
    /// `recommendations`: the scale of recommendations' `strength` (default `grade`).
    pub recommendations: RecommendationScale,
}

/// The scale in which a claim's certainty of evidence is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceScale {
    /// `grade`: GRADE certainty, `high`, `moderate`, `low` or `very-low`.
    Grade,
    /// `oxford-cebm`: Oxford CEBM levels of evidence, `1` to `5`.
    OxfordCebm,
}

impl EvidenceScale {
    /// The spellings of `grading.evidence`, in the order of the variants.
    pub const NAMES: &'static [&'static str] = &["grade", "oxford-cebm"];

    /// The scale spelled `name` in evident.yaml, or None.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "grade" => Some(Self::Grade),
            "oxford-cebm" => Some(Self::OxfordCebm),
            _ => None,
        }
    }

    /// The spelling in evident.yaml (`oxford-cebm`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Grade => "grade",
            Self::OxfordCebm => "oxford-cebm",
        }
    }

    /// Allowed certainty values, best first; `not-applicable` last.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Self::Grade => &["high", "moderate", "low", "very-low", "not-applicable"],
            Self::OxfordCebm => &["1", "2", "3", "4", "5", "not-applicable"],
        }
    }

    /// Rank of a certainty on a common 4-step ladder (4 = high … 1 = very low), so the design
    /// table of GRADE can be applied to either scale. None for `not-applicable`.
    pub fn rank(self, level: &str) -> Option<u8> {
        match (self, level) {
            (Self::Grade, "high") | (Self::OxfordCebm, "1") => Some(4),
            (Self::Grade, "moderate") | (Self::OxfordCebm, "2") => Some(3),
            (Self::Grade, "low") | (Self::OxfordCebm, "3") => Some(2),
            (Self::Grade, "very-low") | (Self::OxfordCebm, "4" | "5") => Some(1),
            _ => None,
        }
    }

    /// A certainty as readers see it: `Very low`, `Level 2`, `Not graded` for
    /// `not-applicable`.
    pub fn label(self, level: &str) -> String {
        match (self, level) {
            (_, "not-applicable") => "Not graded".into(),
            (Self::Grade, "very-low") => "Very low".into(),
            (Self::Grade, other) => crate::text::capitalise(other),
            (Self::OxfordCebm, other) => format!("Level {other}"),
        }
    }
}

/// The scale in which a recommendation's strength is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecommendationScale {
    /// `grade`: GRADE strength, `strong` or `conditional`.
    Grade,
    /// `sort`: the Strength of Recommendation Taxonomy, `A`, `B` or `C`.
    Sort,
    /// `uspstf`: the US Preventive Services Task Force grades, `A`, `B`, `C`, `D` or `I`.
    Uspstf,
    /// `nice`: NICE wording, `offer` or `consider`.
    Nice,
}

impl RecommendationScale {
    /// The spellings of `grading.recommendations`, in the order of the variants.
    pub const NAMES: &'static [&'static str] = &["grade", "sort", "uspstf", "nice"];

    /// The scale spelled `name` in evident.yaml, or None.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "grade" => Some(Self::Grade),
            "sort" => Some(Self::Sort),
            "uspstf" => Some(Self::Uspstf),
            "nice" => Some(Self::Nice),
            _ => None,
        }
    }

    /// The spelling in evident.yaml (`uspstf`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Grade => "grade",
            Self::Sort => "sort",
            Self::Uspstf => "uspstf",
            Self::Nice => "nice",
        }
    }

    /// The values a recommendation's `strength` may take in this scale, in the scale's
    /// own order.
    pub fn strengths(self) -> &'static [&'static str] {
        match self {
            Self::Grade => &["strong", "conditional"],
            Self::Sort => &["A", "B", "C"],
            Self::Uspstf => &["A", "B", "C", "D", "I"],
            Self::Nice => &["offer", "consider"],
        }
    }

    /// A strength as readers see it: `Strong`, `Grade B`, `Offer`.
    pub fn label(self, strength: &str) -> String {
        match self {
            Self::Grade | Self::Nice => crate::text::capitalise(strength),
            Self::Sort | Self::Uspstf => format!("Grade {strength}"),
        }
    }
}

/// An audience declared under `audiences:`, one a claim may be reworded for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audience {
    /// `id`: the key of the claim's wording under `audiences:` (`patient`), unique.
    pub id: String,
    /// `label`: the audience's name as readers see it; the id when not given.
    pub label: String,
    /// `plain_language`: its wordings are measured for reading level (English sites only);
    /// true by default for the audience `patient`, false for any other.
    pub plain_language: bool,
}

/// A reviewer declared under `reviewers:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewer {
    /// `id`: what review histories write as `by:` and `--by` takes, unique.
    pub id: String,
    /// `name`: shown to readers; the id when not given.
    pub name: String,
    /// `credentials`: shown after the name (`A. Smith, IBCLC`).
    pub credentials: Option<String>,
    /// `role`: what the person does (`clinical reviewer`), one of `review.roles` (compared
    /// ignoring case); it decides which review actions they may take. None: every action.
    pub role: Option<String>,
}

/// What the public site publishes (`review.publish`); the editors' preview always shows
/// the current text of everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Publish {
    /// `approved` (the default; `approved-only` is read as this): every claim and topic as it
    /// was approved; what was never approved is not published.
    Approved,
    /// `all-with-banner`: every claim and topic in its current text, those not approved
    /// under a "pending review" banner (internal sites).
    AllWithBanner,
}

impl Publish {
    /// The spellings of `review.publish`; `approved-only` is an alias of `approved`.
    pub const NAMES: &'static [&'static str] = &["approved", "all-with-banner", "approved-only"];

    /// The policy spelled `name` in evident.yaml, or None.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "approved" | "approved-only" => Some(Self::Approved),
            "all-with-banner" => Some(Self::AllWithBanner),
            _ => None,
        }
    }
}

/// Whether review notes are shown on the public site (`review.notes`); the preview always
/// shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Notes {
    /// `private` (the default): only in the preview.
    Private,
    /// `public`: on public pages too.
    Public,
}

/// Where the editors' review dashboard goes (`review.dashboard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dashboard {
    /// `private` (the default): not on the public site; the editors' preview (`build
    /// --preview`, `serve`) always has it, and `build --dashboard DIR` writes it apart.
    Private,
    /// `public`: written into the site.
    Public,
}

/// The `review:` section of evident.yaml: how content is reviewed and what is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewPolicy {
    /// `max_age_days`: days an approval stays current; the default next review date is the
    /// approval's day plus this (default 365).
    pub max_age_days: u32,
    /// `approvals_required`: how many reviewers must approve one version before it is
    /// approved, for every kind or by kind; each at least 1 (default 1).
    pub approvals_required: Approvals,
    /// `roles`: the review actions each reviewer role may take (default [`Roles::default`]).
    pub roles: Roles,
    /// `require_quotes`: approving needs a quote on every source link (default true).
    pub require_quotes: bool,
    /// `forbid_self_approval`: whoever submitted may not approve (default true).
    pub forbid_self_approval: bool,
    /// `publish`: what the public site shows of claims and topics (default `approved`).
    pub publish: Publish,
    /// `dashboard`: whether the review dashboard is part of the public site.
    pub dashboard: Dashboard,
    /// `notes`: whether review notes are shown on the public site (default `private`).
    pub notes: Notes,
}

/// `review.approvals_required`: a number for every kind (`2`), or a map by kind (`{default:
/// 1, recommendation: 2, topic: 1}`, kinds the map leaves out taking `default`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approvals {
    /// `default` (or the plain number): for every kind not named.
    pub default: u32,
    /// By claim kind (`finding`, `recommendation`, `definition`, `practice-point`) or
    /// `topic` for topic pages.
    pub by_kind: BTreeMap<String, u32>,
}

impl Default for Approvals {
    fn default() -> Self {
        Approvals {
            default: 1,
            by_kind: BTreeMap::new(),
        }
    }
}

impl Approvals {
    /// The keys a map of `approvals_required` may have: `default`, the claim kinds, `topic`.
    pub const KEYS: &'static [&'static str] = &[
        "default",
        "finding",
        "recommendation",
        "definition",
        "practice-point",
        "topic",
    ];

    /// How many approvals an item of `kind` (a claim kind's name, or `topic`) needs.
    pub fn of(&self, kind: &str) -> u32 {
        self.by_kind.get(kind).copied().unwrap_or(self.default)
    }
}

/// `review.roles`: for each reviewer role, the review actions it may take. Role names are
/// compared ignoring case; they are kept as written for messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Roles(pub Vec<(String, Vec<ReviewAction>)>);

impl Default for Roles {
    /// `author: [submit]`, `clinical reviewer: [submit, start, approve, request-changes]`,
    /// `editor: [submit, start, approve, request-changes, retire]`.
    fn default() -> Self {
        use ReviewAction as A;
        Roles(vec![
            ("author".into(), vec![A::Submit]),
            (
                "clinical reviewer".into(),
                vec![A::Submit, A::Start, A::Approve, A::RequestChanges],
            ),
            (
                "editor".into(),
                vec![
                    A::Submit,
                    A::Start,
                    A::Approve,
                    A::RequestChanges,
                    A::Retire,
                ],
            ),
        ])
    }
}

impl Roles {
    /// The actions of the role spelled `role` (ignoring case), or None for an unknown role.
    pub fn actions(&self, role: &str) -> Option<&[ReviewAction]> {
        let role = role.trim().to_lowercase();
        self.0
            .iter()
            .find(|(name, _)| name.to_lowercase() == role)
            .map(|(_, actions)| actions.as_slice())
    }

    /// The roles that may take `action`, as written in the map.
    pub fn taking(&self, action: ReviewAction) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(_, actions)| actions.contains(&action))
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Knowledge base".into(),
            description: None,
            base_url: "https://example.org/".into(),
            language: "en".into(),
            grading: Grading {
                evidence: EvidenceScale::Grade,
                recommendations: RecommendationScale::Grade,
            },
            certainty_words: Default::default(),
            contact: None,
            handout: Default::default(),
            audiences: Vec::new(),
            plain_language: PlainLanguage::default(),
            reviewers: Vec::new(),
            citation_style: "vancouver".into(),
            review: ReviewPolicy {
                max_age_days: 365,
                approvals_required: Approvals::default(),
                roles: Roles::default(),
                require_quotes: true,
                forbid_self_approval: true,
                publish: Publish::Approved,
                dashboard: Dashboard::Private,
                notes: Notes::Private,
            },
            disclaimer: "Educational purpose only. Not a substitute for professional advice."
                .into(),
            notice: None,
            theme: "default".into(),
            theme_at: None,
            pretty_urls: false,
        }
    }
}

/// The top-level keys of evident.yaml (the schema of `evident schema` is checked against them).
pub const CONFIG_FIELDS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "grading",
    "certainty_words",
    "contact",
    "handout",
    "audiences",
    "plain_language",
    "reviewers",
    "citation_style",
    "review",
    "disclaimer",
    "notice",
    "theme",
    "pretty_urls",
];

impl Config {
    /// Reads `evident.yaml` text; problems go to `diagnostics` and the defaults stand in.
    pub fn parse(text: &str, path: &str, diagnostics: &mut Diagnostics) -> Config {
        let mut config = Config::default();
        if text.trim().is_empty()
            || text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return config;
        }
        let mut node = match yaml::parse(text) {
            Ok(node) => node,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::MalformedYaml,
                        crate::diag::Location::new(path, e.line, e.column),
                        e.message,
                    )
                    .hints(e.hint)
                    .hint("fix the YAML syntax; every key of evident.yaml is optional"),
                );
                return config;
            }
        };
        crate::text::control::take_escaped(&mut node, path, 0, diagnostics);
        let Some(mut fields) = Fields::of(&node, path, 0, "evident.yaml", diagnostics) else {
            return config;
        };
        if let Some(v) = fields.text("title") {
            config.title = v.value;
        }
        config.description = fields.text("description").map(|v| v.value);
        if let Some(v) = fields.text("base_url") {
            let mut url = v.value.trim().to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
            {
                let loc = fields.location(v.pos);
                fields.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        loc,
                        format!("`{}` is not an absolute URL", v.value),
                    )
                    .hint("write the public address of the site, e.g. https://example.org/"),
                );
            } else {
                config.base_url = url;
            }
        }
        if let Some(v) = fields.text("language") {
            config.language = v.value;
        }
        if let Some(node) = fields.node("grading") {
            read_grading(node, &mut fields, &mut config);
        }
        if let Some(node) = fields.node(crate::model::certainty::KEY) {
            config.certainty_words = crate::model::certainty::read(
                node,
                &mut fields,
                config.grading.evidence.levels(),
                config.grading.evidence.name(),
            );
        }
        if let Some(node) = fields.node(crate::model::contact::KEY) {
            config.contact = crate::model::contact::read(node, &mut fields);
        }
        if let Some(node) = fields.node(crate::model::fonts::KEY) {
            config.handout = crate::model::fonts::read(node, &mut fields);
        }
        if let Some(items) = fields.list("audiences") {
            config.audiences = plain::read_audiences(items, &mut fields);
        }
        if let Some(node) = fields.node("plain_language") {
            plain::read_plain_language(node, &mut fields, &mut config.plain_language);
        }
        // Where each reviewer's role is written, checked against `review.roles` once read.
        let mut roles_written = Vec::new();
        if let Some(items) = fields.list("reviewers") {
            config.reviewers = read_people(
                items,
                &mut fields,
                "a reviewer",
                &["id", "name", "credentials", "role"],
            )
            .into_iter()
            .map(|(id, mut f)| {
                let role = f.remove("role");
                if let Some(role) = &role {
                    roles_written.push((id.clone(), role.clone()));
                }
                Reviewer {
                    name: f
                        .remove("name")
                        .map(|v| v.value)
                        .unwrap_or_else(|| id.clone()),
                    credentials: f.remove("credentials").map(|v| v.value),
                    role: role.map(|v| v.value),
                    id,
                }
            })
            .collect();
        }
        if let Some(v) = fields.text("citation_style") {
            config.citation_style = v.value;
        }
        if let Some(node) = fields.node("review") {
            read_review_policy(node, &mut fields, &mut config.review);
        }
        for (reviewer, role) in roles_written {
            if config.review.roles.actions(&role.value).is_some() {
                continue;
            }
            let declared: Vec<&str> = config
                .review
                .roles
                .0
                .iter()
                .map(|(n, _)| n.as_str())
                .collect();
            let loc = fields.location(role.pos);
            let mut d = Diagnostic::error(
                Code::UnknownRole,
                loc,
                format!("reviewer `{reviewer}` has the role `{}`, which `review.roles` does not declare", role.value),
            )
            .width(role.value.chars().count())
            .hint(format!("declared roles: {}", declared.join(", ")));
            if let Some(close) =
                crate::text::fields::closest(&role.value.to_lowercase(), declared.iter().copied())
            {
                d = d.hint(format!("did you mean `{close}`?"));
            }
            fields.push(d.hint("or add the role under `review.roles` with the actions it may take, e.g. `pharmacist: [submit, start, approve, request-changes]`"));
        }
        if let Some(v) = fields.text("disclaimer") {
            config.disclaimer = v.value;
        }
        config.notice = fields.text("notice").map(|v| v.value);
        if let Some(v) = fields.text("theme") {
            config.theme_at = Some(fields.location(v.pos));
            config.theme = v.value;
        }
        if let Some(v) = fields.boolean("pretty_urls") {
            config.pretty_urls = v.value;
        }
        fields.finish(CONFIG_FIELDS, "evident.yaml");
        config
    }

    /// Whether reviewer `by` may take `action`: Ok for a reviewer without a role (every
    /// action) or whose role lists it; otherwise why not, naming the roles that may.
    pub fn permits(&self, by: &str, action: ReviewAction) -> Result<(), String> {
        let Some(role) = self.reviewer(by).and_then(|r| r.role.as_deref()) else {
            return Ok(());
        };
        let Some(actions) = self.review.roles.actions(role) else {
            return Err(format!(
                "{by}'s role `{role}` is not declared under `review.roles` in evident.yaml"
            ));
        };
        if actions.contains(&action) {
            return Ok(());
        }
        let needed = self.review.roles.taking(action);
        Err(if needed.is_empty() {
            format!(
                "{by} is `{role}`, and no role under `review.roles` may {}",
                action.name()
            )
        } else {
            format!(
                "{by} is `{role}`, which may not {}; that needs the role {}",
                action.name(),
                needed
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        })
    }

    /// The reviewer declared with `id`, or None.
    pub fn reviewer(&self, id: &str) -> Option<&Reviewer> {
        self.reviewers.iter().find(|r| r.id == id)
    }

    /// The audience declared with `id`, or None.
    pub fn audience(&self, id: &str) -> Option<&Audience> {
        self.audiences.iter().find(|a| a.id == id)
    }
}

fn read_grading(node: &Node, parent: &mut Fields<'_>, config: &mut Config) {
    let (path, offset) = (parent.path(), parent.line_offset());
    let Some(mut fields) = Fields::of(node, path, offset, "`grading`", parent.diagnostics) else {
        return;
    };
    if let Some(v) = fields.choice("evidence", EvidenceScale::NAMES) {
        config.grading.evidence =
            EvidenceScale::from_name(&v.value).unwrap_or(EvidenceScale::Grade);
    }
    if let Some(v) = fields.choice("recommendations", RecommendationScale::NAMES) {
        config.grading.recommendations =
            RecommendationScale::from_name(&v.value).unwrap_or(RecommendationScale::Grade);
    }
    fields.finish(&["evidence", "recommendations"], "`grading`");
}

/// The people (or audiences) of a list: each id with its other fields as written.
type People = Vec<(String, BTreeMap<String, yaml::Spanned<String>>)>;

fn read_people(items: &[Node], parent: &mut Fields<'_>, what: &str, known: &[&str]) -> People {
    let (path, offset) = (parent.path(), parent.line_offset());
    let mut out: People = Vec::new();
    for item in items {
        let Some(mut fields) = Fields::of(item, path, offset, what, parent.diagnostics) else {
            continue;
        };
        let id = fields.required_text("id", "a short id such as `example-reviewer`", item.pos);
        let mut values = BTreeMap::new();
        for key in &known[1..] {
            if let Some(v) = fields.text(key) {
                values.insert((*key).to_string(), v);
            }
        }
        if let Some(id) = id {
            if out.iter().any(|(seen, _)| *seen == id.value) {
                let loc = fields.location(id.pos);
                fields.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        loc,
                        format!("`{}` is declared twice", id.value),
                    )
                    .hint("give each audience and reviewer its own id"),
                );
            } else {
                out.push((id.value, values));
            }
        }
        fields.finish(known, what);
    }
    out
}

fn read_review_policy(node: &Node, parent: &mut Fields<'_>, policy: &mut ReviewPolicy) {
    let (path, offset) = (parent.path(), parent.line_offset());
    let Some(mut fields) = Fields::of(node, path, offset, "`review`", parent.diagnostics) else {
        return;
    };
    if let Some(v) = fields.count("max_age_days") {
        policy.max_age_days = u32::try_from(v.value).unwrap_or(u32::MAX);
    }
    if let Some(node) = fields.node("approvals_required") {
        read_approvals(node, &mut fields, &mut policy.approvals_required);
    }
    if let Some(node) = fields.node("roles") {
        roles::read_roles(node, &mut fields, &mut policy.roles.0);
    }
    if let Some(v) = fields.boolean("require_quotes") {
        policy.require_quotes = v.value;
    }
    if let Some(v) = fields.boolean("forbid_self_approval") {
        policy.forbid_self_approval = v.value;
    }
    if let Some(v) = fields.choice("publish", Publish::NAMES) {
        policy.publish = Publish::from_name(&v.value).unwrap_or(Publish::Approved);
    }
    if let Some(v) = fields.choice("dashboard", &["private", "public"]) {
        policy.dashboard = if v.value == "public" {
            Dashboard::Public
        } else {
            Dashboard::Private
        };
    }
    if let Some(v) = fields.choice("notes", &["private", "public"]) {
        policy.notes = if v.value == "public" {
            Notes::Public
        } else {
            Notes::Private
        };
    }
    fields.finish(
        &[
            "max_age_days",
            "approvals_required",
            "roles",
            "require_quotes",
            "forbid_self_approval",
            "publish",
            "dashboard",
            "notes",
        ],
        "`review`",
    );
}

/// `approvals_required`: a number, or a map of numbers by kind with an optional `default`.
fn read_approvals(node: &Node, parent: &mut Fields<'_>, approvals: &mut Approvals) {
    if node.as_map().is_none() {
        if let Some(n) = at_least_one(node, "approvals_required", parent) {
            *approvals = Approvals {
                default: n,
                by_kind: BTreeMap::new(),
            };
        }
        return;
    }
    let (path, offset) = (parent.path(), parent.line_offset());
    let Some(mut fields) = Fields::of(
        node,
        path,
        offset,
        "`approvals_required`",
        parent.diagnostics,
    ) else {
        return;
    };
    let mut read = Approvals::default();
    for key in Approvals::KEYS {
        let Some(value) = fields.node(key) else {
            continue;
        };
        if let Some(n) = at_least_one(value, key, &mut fields) {
            if *key == "default" {
                read.default = n;
            } else {
                read.by_kind.insert((*key).to_string(), n);
            }
        }
    }
    fields.finish(Approvals::KEYS, "`approvals_required`");
    *approvals = read;
}

/// A whole number of at least 1, or None (reported, naming `key`).
fn at_least_one(node: &Node, key: &str, fields: &mut Fields<'_>) -> Option<u32> {
    match node.value {
        yaml::Value::Int(n) if n >= 1 => Some(u32::try_from(n).unwrap_or(u32::MAX)),
        _ => {
            let loc = fields.location(node.pos);
            fields.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    loc,
                    format!("`{key}` must be a whole number of at least 1"),
                )
                .hint("write `approvals_required: 1`, or a map by kind such as `{default: 1, recommendation: 2, topic: 1}`"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let mut d = Diagnostics::new();
        assert_eq!(
            Config::parse("# nothing\n", "evident.yaml", &mut d),
            Config::default()
        );
        assert!(d.is_empty());
    }

    #[test]
    fn reads_every_section() {
        let text = "title: T\nbase_url: https://x.org\ngrading: {evidence: oxford-cebm, recommendations: sort}\naudiences: [{id: patient, label: Parent}]\nreviewers:\n  - {id: r1, name: R One, credentials: IBCLC, role: Pharmacist}\nreview:\n  max_age_days: 30\n  approvals_required: {default: 2, topic: 1}\n  roles: {pharmacist: [submit, start]}\n  publish: approved-only\n  dashboard: public\n  notes: public\nnotice: Demo\npretty_urls: true\n";
        let mut d = Diagnostics::new();
        let c = Config::parse(text, "evident.yaml", &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.base_url, "https://x.org/");
        assert_eq!(c.grading.evidence, EvidenceScale::OxfordCebm);
        assert_eq!(c.audiences[0].label, "Parent");
        assert_eq!(
            c.reviewer("r1").unwrap().credentials.as_deref(),
            Some("IBCLC")
        );
        assert_eq!(c.review.approvals_required.of("finding"), 2);
        assert_eq!(c.review.approvals_required.of("topic"), 1);
        assert!(c.permits("r1", ReviewAction::Start).is_ok());
        let refused = c.permits("r1", ReviewAction::Approve).unwrap_err();
        assert!(
            refused.contains("no role under `review.roles` may approve"),
            "{refused}"
        );
        assert_eq!(c.review.publish, Publish::Approved);
        assert_eq!(c.review.notes, Notes::Public);
        assert_eq!(c.notice.as_deref(), Some("Demo"));
        assert!(c.pretty_urls);
    }

    #[test]
    fn default_roles_name_the_role_an_action_needs() {
        let text = "reviewers:\n  - {id: a, role: Author}\n  - {id: c, role: clinical reviewer}\n  - {id: e, role: EDITOR}\n  - {id: n}\n";
        let mut d = Diagnostics::new();
        let c = Config::parse(text, "evident.yaml", &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert!(c.permits("a", ReviewAction::Submit).is_ok());
        let refused = c.permits("a", ReviewAction::Approve).unwrap_err();
        assert_eq!(
            refused,
            "a is `Author`, which may not approve; that needs the role `clinical reviewer` or `editor`"
        );
        assert!(c.permits("c", ReviewAction::Retire).is_err());
        assert!(c.permits("e", ReviewAction::Retire).is_ok());
        for action in [ReviewAction::Approve, ReviewAction::Retire] {
            assert!(c.permits("n", action).is_ok(), "no role: every action");
        }
    }

    #[test]
    fn publish_defaults_to_approved_and_reads_its_alias() {
        assert_eq!(Config::default().review.publish, Publish::Approved);
        assert_eq!(Config::default().review.notes, Notes::Private);
        for (value, publish) in [
            ("approved", Publish::Approved),
            ("approved-only", Publish::Approved),
            ("all-with-banner", Publish::AllWithBanner),
        ] {
            let mut d = Diagnostics::new();
            let text = format!("review:\n  publish: {value}\n");
            let c = Config::parse(&text, "evident.yaml", &mut d);
            assert!(d.is_empty(), "{d:?}");
            assert_eq!(c.review.publish, publish, "{value}");
        }
    }

    #[test]
    fn an_unknown_role_or_action_is_an_error_at_its_line() {
        let text = "reviewers:\n  - {id: a, role: clinical reviwer}\nreview:\n  roles:\n    author: [submit, aprove]\n  approvals_required: {default: 0, recommendtion: 2}\n";
        let mut d = Diagnostics::new();
        Config::parse(text, "evident.yaml", &mut d);
        let found: Vec<String> = d
            .sorted()
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.location.column, d.code))
            .collect();
        assert_eq!(
            found,
            [
                "2:19 unknown-role",
                "5:22 invalid-value",
                "6:33 invalid-value",
                "6:36 unknown-field"
            ]
        );
    }

    #[test]
    fn reports_bad_values_and_unknown_keys() {
        let text = "titel: T\nreview:\n  publish: sometimes\n";
        let mut d = Diagnostics::new();
        Config::parse(text, "evident.yaml", &mut d);
        let d = d.sorted();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].code, d[0].location.line), (Code::UnknownField, 1));
        assert_eq!(
            (d[1].code, d[1].location.line, d[1].location.column),
            (Code::InvalidValue, 3, 12)
        );
    }
}
