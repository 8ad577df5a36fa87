//! A topic's body, Markdown to HTML: embedded claims through the theme's claim partial, prose
//! citations as superscript reference numbers (the [`Hooks`] of `text::markdown`).

use minijinja::value::Serde;

use crate::render::theme::Theme;
use crate::render::urls::{Links, PagePath};
use crate::render::view::{self, SiteView};
use crate::resolve::sitelinks::{self, Classified, Target};
use crate::resolve::{KnowledgeBase, ResolvedTopic};
use crate::text::escape;
use crate::text::markdown::{self, CiteKey, Hooks};

/// Renders a topic body: embedded claims through the `partials/claim-embed.html` template,
/// prose citations as superscript reference numbers.
pub(crate) fn render_body(
    kb: &KnowledgeBase,
    topic: &ResolvedTopic,
    theme: &Theme,
    site: &SiteView,
    links: &Links,
) -> anyhow::Result<String> {
    struct TopicHooks<'a> {
        kb: &'a KnowledgeBase,
        topic: &'a ResolvedTopic,
        theme: &'a Theme,
        site: &'a SiteView,
        links: &'a Links,
        /// How many times each claim has been embedded so far on this page.
        embedded: std::collections::BTreeMap<String, usize>,
        error: Option<anyhow::Error>,
    }
    impl Hooks for TopicHooks<'_> {
        fn embed(&mut self, id: &str) -> String {
            let Some(claim) = self.kb.claims.get(id) else {
                return format!(
                    "<p class=\"missing-claim\">Missing claim <code>{}</code></p>\n",
                    escape::html(id)
                );
            };
            if !claim.published {
                return String::new();
            }
            let mut embed = view::claim_embed(self.kb, claim, Some(self.topic), self.links);
            let times = self.embedded.entry(id.to_string()).or_default();
            *times += 1;
            if *times > 1 {
                // HTML ids must be unique: a claim embedded again gets `claim-ID_2`, and a
                // link to `#claim-ID` still goes to the first. `_` is in no claim id, so it
                // cannot be another claim's anchor.
                embed.anchor = format!("{}_{times}", embed.anchor);
            }
            let context = minijinja::context! { site => Serde(self.site), claim => Serde(&embed) };
            match self.theme.render("partials/claim-embed.html", context) {
                Ok(html) => html,
                Err(e) => {
                    self.error.get_or_insert(e);
                    String::new()
                }
            }
        }
        fn claim_href(&mut self, id: &str) -> Option<String> {
            self.kb
                .claims
                .get(id)
                .filter(|c| c.published)
                .map(|_| self.links.page(&PagePath::claim(id)))
        }
        fn link_href(&mut self, url: &str) -> Option<String> {
            let slug = &self.topic.topic.slug.value;
            let (target, fragment) = match sitelinks::classify(slug, url) {
                Classified::Page(target, fragment) => (target, fragment),
                // External links as written; a broken one stops the build before this.
                Classified::External | Classified::Unknown(_) => return Some(url.to_string()),
            };
            if !sitelinks::published(self.kb, &target) {
                return None;
            }
            let page = match &target {
                // An anchor on this very page stays an anchor.
                Target::Topic(s) if s == slug && url.trim().starts_with('#') => {
                    return Some(url.trim().to_string());
                }
                Target::Home => PagePath::home(),
                Target::Topic(s) => PagePath::topic(s),
                Target::Claim(id) => PagePath::claim(id),
                Target::Source(s) => PagePath::source(s),
                Target::Named(folder) => PagePath::named(folder),
                Target::File(path) => return Some(self.links.file(path)),
            };
            let href = self.links.page(&page);
            Some(match fragment {
                Some(f) => format!("{href}#{f}"),
                None => href,
            })
        }
        fn cite(&mut self, keys: &[CiteKey]) -> String {
            let mut numbers: Vec<(usize, Option<&str>)> = keys
                .iter()
                .filter_map(|k| self.topic.number(&k.id).map(|n| (n, k.locator.as_deref())))
                .collect();
            numbers.dedup();
            if numbers.is_empty() {
                return String::new();
            }
            let inner: Vec<String> = numbers
                .iter()
                .map(|(n, locator)| {
                    let label = match locator {
                        Some(l) => format!("Reference {n}, {l}"),
                        None => format!("Reference {n}"),
                    };
                    format!(
                        "<a href=\"#ref-{n}\" aria-label=\"{}\">{n}</a>",
                        escape::html(&label)
                    )
                })
                .collect();
            // A narrow no-break space before the numbers: invisible beside the superscript,
            // and it keeps search excerpts from running the word into them ("alone5").
            format!("<sup class=\"cite\">&#8239;{}</sup>", inner.join(","))
        }
    }
    let mut hooks = TopicHooks {
        kb,
        topic,
        theme,
        site,
        links,
        embedded: std::collections::BTreeMap::new(),
        error: None,
    };
    let html = markdown::render(&topic.topic.body, &mut hooks);
    match hooks.error {
        Some(e) => Err(e),
        None => Ok(tighten_citations(&html)),
    }
}

/// Vancouver superscripts sit right after the word they follow: "relactation¹", not
/// "relactation ¹" (the Markdown has a space before `[@id]`).
fn tighten_citations(html: &str) -> String {
    html.replace(" <sup class=\"cite\">", "<sup class=\"cite\">")
        .replace("\n<sup class=\"cite\">", "<sup class=\"cite\">")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_follow_their_word() {
        let html =
            "<p>a study <sup class=\"cite\">1</sup>, a trial\n<sup class=\"cite\">2</sup></p>";
        assert_eq!(
            tighten_citations(html),
            "<p>a study<sup class=\"cite\">1</sup>, a trial<sup class=\"cite\">2</sup></p>"
        );
    }
}
