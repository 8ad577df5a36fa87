//! `evident check --external`: the external URLs a site names — links in topic bodies, and
//! each source's `URL` and DOI (as `https://doi.org/DOI`) — asked over the network, with a
//! bounded number of requests at once, a timeout per request and a deadline for the whole
//! check. A failure is the warning `external-link` at the place the URL was written.
//!
//! Guarantees, and why:
//! - **Opt-in, never in `build` or `serve`**: the network is slow and flaky, and a build must
//!   give the same site from the same files.
//! - **Writes one file only**, the cache `.evident/cache/external.json` under the site root
//!   ([`cache`]), so a second check within `max_age_days` does not ask again. Only successes
//!   are cached: a URL that failed is asked again at every check, so a fixed link clears at
//!   once and a failure is never hidden by an old result.
//! - **Bounded**: at most `concurrency` requests at once, each cut at `timeout`; URLs not
//!   asked by the `deadline` are reported as not checked, never waited for.
//! - **The date is passed in** (`today`), as everywhere in the library.

pub mod cache;
mod http;

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::resolve::KnowledgeBase;
use crate::resolve::sitelinks::{self, Classified};

pub use http::{ExternalOptions, Outcome};

/// An external URL and every place the site writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalUrl {
    /// The URL as asked (`https://doi.org/…` for a DOI).
    pub url: String,
    /// Where it is written: a topic's link, or a source's record.
    pub places: Vec<Location>,
}

/// Every `http(s)` URL of `kb`: topic links, source `URL`s and DOIs, in URL order.
pub fn collect(kb: &KnowledgeBase) -> Vec<ExternalUrl> {
    let mut found: BTreeMap<String, Vec<Location>> = BTreeMap::new();
    for (slug, topic) in &kb.topics {
        for link in &topic.topic.links {
            let url = link.url.trim();
            if sitelinks::classify(slug, url) == Classified::External && is_http(url) {
                found
                    .entry(url.split('#').next().unwrap_or(url).to_string())
                    .or_default()
                    .push(Location::new(&topic.topic.path, link.line, link.column));
            }
        }
    }
    for source in kb.sources.values() {
        let source = &source.source;
        let at = Location::new(&source.path, source.pos.line, source.pos.column);
        if let Some(url) = source.csl_str("URL").map(str::trim).filter(|u| is_http(u)) {
            found.entry(url.to_string()).or_default().push(at.clone());
        }
        if let Some(doi) = source.doi().map(str::trim).filter(|d| !d.is_empty()) {
            found.entry(doi_url(doi)).or_default().push(at);
        }
    }
    found
        .into_iter()
        .map(|(url, places)| ExternalUrl { url, places })
        .collect()
}

fn is_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A DOI as a URL at the DOI resolver; one written as a URL already stays as it is.
fn doi_url(doi: &str) -> String {
    if is_http(doi) {
        return doi.to_string();
    }
    let bare = doi
        .strip_prefix("doi:")
        .or_else(|| doi.strip_prefix("DOI:"))
        .unwrap_or(doi)
        .trim();
    format!("https://doi.org/{bare}")
}

/// What one check found: the warnings, and how many URLs were asked and taken from the cache.
#[derive(Debug, Default)]
pub struct Checked {
    /// `external-link` warnings, one per place of each URL that failed or was not checked.
    pub diagnostics: Diagnostics,
    /// URLs asked over the network.
    pub asked: usize,
    /// URLs whose success within `max_age_days` was taken from the cache.
    pub cached: usize,
}

/// Checks `urls`, reading and writing the cache under `root` (the site root); `today` dates
/// the results. Fails only when the cache cannot be written.
pub fn check(
    urls: &[ExternalUrl],
    root: &Path,
    today: Date,
    options: &ExternalOptions,
) -> anyhow::Result<Checked> {
    let mut cache = cache::Cache::read(root);
    let mut checked = Checked::default();
    let mut ask: Vec<&ExternalUrl> = Vec::new();
    for url in urls {
        if cache.fresh(&url.url, today, options.max_age_days) {
            checked.cached += 1;
        } else {
            ask.push(url);
        }
    }
    let asked: Vec<&str> = ask.iter().map(|u| u.url.as_str()).collect();
    let outcomes = http::ask_all(&asked, options);
    checked.asked = outcomes
        .iter()
        .filter(|o| !matches!(o, Outcome::NotChecked))
        .count();
    for (url, outcome) in ask.iter().zip(&outcomes) {
        match outcome {
            Outcome::Ok(status) => cache.record(&url.url, today, *status),
            failed => {
                cache.forget(&url.url);
                for at in &url.places {
                    checked
                        .diagnostics
                        .push(warning(&url.url, failed, at.clone()));
                }
            }
        }
    }
    cache.write(root)?;
    Ok(checked)
}

fn warning(url: &str, outcome: &Outcome, at: Location) -> Diagnostic {
    let (message, hint) = match outcome {
        Outcome::Status(status) => (
            format!("`{url}` answered {status}"),
            "update or remove the URL (a moved page often has a new address)",
        ),
        Outcome::Failed(error) => (
            format!("`{url}` could not be reached: {error}"),
            "check the URL; a site that is down is asked again at the next check",
        ),
        Outcome::NotChecked => (
            format!("`{url}` was not checked: the check's deadline passed"),
            "run the check again (successes are cached), or give it more time with `--external-deadline SECONDS`",
        ),
        Outcome::Ok(_) => (String::new(), ""),
    };
    Diagnostic::warning(Code::ExternalLink, at, message).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_are_asked_at_the_resolver() {
        assert_eq!(doi_url("10.1/x"), "https://doi.org/10.1/x");
        assert_eq!(doi_url("doi:10.1/x"), "https://doi.org/10.1/x");
        assert_eq!(doi_url("https://doi.org/10.1/x"), "https://doi.org/10.1/x");
        assert!(is_http("HTTPS://x.org") && !is_http("mailto:a@b.org"));
    }
}
