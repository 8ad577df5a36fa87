//! Reference formatting with a citation style: `citation_style` in evident.yaml names a
//! shipped style (`vancouver`, `ama`, `apa`) or a `.csl` file of the site.
//!
//! CSL styles run through hayagriva (typst's CSL engine), fed our CSL-JSON records as they
//! are (`citationberg::json::Item`), so the record stays the truth and nothing is converted
//! through hayagriva's own model. `vancouver` is our formatter in [`super::format`]: the
//! Vancouver styles hayagriva bundles are wrong for medicine — `vancouver` and
//! `nlm-citation-sequence` drop the author list and print `1980 ;243`, and
//! `elsevier-vancouver` is Elsevier's house variant (no issue number, no period after the
//! journal: `J Trop Pediatr 1997;43:213–6.`), not the ICMJE/NLM form editors expect
//! (`J Trop Pediatr. 1997;43(4):213-6.`). The golden tests show each style on real records.
//!
//! Identifiers (DOI, PMID, PMCID, URL) are left out of the formatted text: the renderer adds
//! them as links, the same way for every style.

use std::fmt;
use std::path::Path;

use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::{IndependentStyle, Locale, Style as CslStyle};
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::Source;
use crate::model::config::Config;

/// The styles evident ships, by the names `citation_style` accepts.
pub const SHIPPED: &[&str] = &["vancouver", "ama", "apa"];

/// A citation style, ready to format references.
#[derive(Clone, Default)]
pub struct Style {
    kind: Kind,
}

#[derive(Clone, Default)]
enum Kind {
    /// Our ICMJE/NLM formatter (see the module comment for why not hayagriva's).
    #[default]
    Vancouver,
    Csl {
        name: String,
        /// The style prints the journal's abbreviation (`container-title` with
        /// `form="short"`), which hayagriva's CSL-JSON path does not look up in
        /// `container-title-short`: the abbreviation is handed over as the title instead.
        short_container: bool,
        style: Box<IndependentStyle>,
        locales: std::sync::Arc<Vec<Locale>>,
    },
}

impl fmt::Debug for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Style({})", self.name())
    }
}

/// Why a style could not be loaded: a message and a hint, placed by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleError {
    /// What is wrong with the style, naming it as written.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl fmt::Display for StyleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.hint)
    }
}

impl Style {
    /// Our Vancouver formatter, the default.
    pub fn vancouver() -> Style {
        Style::default()
    }

    /// The style named by `citation_style`: a shipped name, or a path to a `.csl` file
    /// relative to the site root (which must stay inside it).
    pub fn load(config: &Config, root: &Path) -> Result<Style, StyleError> {
        Style::by_name(&config.citation_style, root)
    }

    /// The style `name` (surrounding spaces ignored): `vancouver`, `ama` or
    /// `american-medical-association`, `apa` or `american-psychological-association` (any
    /// case), or else a path ending in `.csl`, relative to `root` and inside it.
    pub fn by_name(name: &str, root: &Path) -> Result<Style, StyleError> {
        let name = name.trim();
        let archived = match name.to_ascii_lowercase().as_str() {
            "vancouver" => return Ok(Style::vancouver()),
            "ama" | "american-medical-association" => {
                hayagriva::archive::ArchivedStyle::AmericanMedicalAssociation
            }
            "apa" | "american-psychological-association" => {
                hayagriva::archive::ArchivedStyle::AmericanPsychologicalAssociation
            }
            _ if name.to_ascii_lowercase().ends_with(".csl") => {
                return Style::from_file(name, root);
            }
            _ => {
                return Err(StyleError {
                    message: format!("unknown citation style `{name}`"),
                    hint: format!(
                        "use one of {}, or the path of a .csl file in the site (e.g. styles/my-journal.csl)",
                        SHIPPED.join(", ")
                    ),
                });
            }
        };
        // AMA abbreviates journal names (AMA Manual 11th ed., 3.11); APA spells them out.
        let short_container = matches!(
            archived,
            hayagriva::archive::ArchivedStyle::AmericanMedicalAssociation
        );
        match archived.get() {
            CslStyle::Independent(style) => Ok(Style::csl(name, style, short_container)),
            CslStyle::Dependent(_) => Err(StyleError {
                message: format!("style `{name}` is not usable on its own"),
                hint: "use vancouver, ama or apa".into(),
            }),
        }
    }

    fn from_file(name: &str, root: &Path) -> Result<Style, StyleError> {
        let relative = Path::new(name);
        let inside = relative.is_relative()
            && relative
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(StyleError {
                message: format!("citation style `{name}` is outside the site"),
                hint: "put the .csl file in the site's folder and give its path relative to the site root".into(),
            });
        }
        let xml = std::fs::read_to_string(root.join(relative)).map_err(|e| StyleError {
            message: format!("cannot read citation style `{name}`: {e}"),
            hint: "check the path (relative to the site root) or download the style from the Zotero style repository".into(),
        })?;
        match CslStyle::from_xml(&xml) {
            Ok(CslStyle::Independent(style)) => {
                Ok(Style::csl(name, style, asks_short_container(&xml)))
            }
            Ok(CslStyle::Dependent(d)) => Err(StyleError {
                message: format!(
                    "`{name}` is a dependent CSL style (an alias of {})",
                    d.parent_link.href
                ),
                hint: "download the independent style it points to and name that file instead"
                    .into(),
            }),
            Err(e) => Err(StyleError {
                message: format!("`{name}` is not a valid CSL style: {e}"),
                hint: "a .csl file is CSL 1.0 XML, as found in the Zotero style repository".into(),
            }),
        }
    }

    pub(crate) fn csl(name: &str, style: IndependentStyle, short_container: bool) -> Style {
        Style {
            kind: Kind::Csl {
                name: name.to_string(),
                short_container,
                style: Box::new(style),
                locales: std::sync::Arc::new(hayagriva::archive::locales()),
            },
        }
    }

    /// The site's style; a bad `citation_style` is an error diagnostic at its line in
    /// evident.yaml, and references fall back to Vancouver so the rest can still be checked.
    pub fn for_site(
        config: &Config,
        root: &Path,
        config_text: Option<&str>,
        diagnostics: &mut Diagnostics,
    ) -> Style {
        match Style::load(config, root) {
            Ok(style) => style,
            Err(e) => {
                let (line, column) = config_text
                    .and_then(|text| {
                        text.lines().enumerate().find_map(|(i, l)| {
                            let value = l.strip_prefix("citation_style:")?;
                            let column = l.len() - value.trim_start().len() + 1;
                            Some((i + 1, column))
                        })
                    })
                    .unwrap_or((1, 1));
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        Location::new(
                            crate::model::config::CONFIG_FILE,
                            u32::try_from(line).unwrap_or(1),
                            u32::try_from(column).unwrap_or(1),
                        ),
                        e.message,
                    )
                    .hint(e.hint),
                );
                Style::vancouver()
            }
        }
    }

    /// `vancouver` for the built-in formatter; for a CSL style, the name or path it was
    /// loaded by, trimmed, as written (so `AMA` stays `AMA`).
    pub fn name(&self) -> &str {
        match &self.kind {
            Kind::Vancouver => "vancouver",
            Kind::Csl { name, .. } => name,
        }
    }
}

/// One reference as plain text (no HTML, no identifiers; the renderer escapes it and adds
/// the DOI/PubMed/PMC links).
pub fn format_reference(source: &Source, style: &Style) -> String {
    match &style.kind {
        Kind::Vancouver => super::format::vancouver(source),
        Kind::Csl {
            style,
            locales,
            short_container,
            ..
        } => {
            let item = csl_item(source, *short_container);
            // hayagriva is a third party's engine: should it panic on a record we did not
            // foresee, the page still gets a reference, in our own format.
            std::panic::catch_unwind(|| render(&item, style, locales))
                .ok()
                .flatten()
                .unwrap_or_else(|| super::format::vancouver(source))
        }
    }
}

fn render(item: &Item, style: &IndependentStyle, locales: &[Locale]) -> Option<String> {
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(
        vec![CitationItem::with_entry(item)],
        style,
        locales,
    ));
    let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
    let entry = rendered.bibliography?.items.into_iter().next()?;
    let text = format!("{:#}", entry.content);
    // Numeric styles without second-field alignment print the number in the content.
    let text = strip_number(text.trim());
    (!text.is_empty()).then_some(text)
}

/// "1. Seema, …" → "Seema, …": the reference number is the renderer's (per page).
fn strip_number(text: &str) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = &text[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix('.')) {
            return rest.trim_start().to_string();
        }
    }
    if let Some(rest) = text.strip_prefix('[') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(']') {
            return rest[digits + 1..].trim_start().to_string();
        }
    }
    text.to_string()
}

/// Our record as a CSL-JSON item for hayagriva, without the identifiers (linked apart) and
/// with shapes its engine cannot take made safe: date ranges are cut to their start (it
/// panics on ranges), anything that does not deserialise is dropped field by field.
fn csl_item(source: &Source, short_container: bool) -> Item {
    const LINKED: &[&str] = &["DOI", "PMID", "PMCID", "URL"];
    let mut map = std::collections::BTreeMap::new();
    let abbreviation = source
        .csl_str("container-title-short")
        .or_else(|| source.csl_str("journalAbbreviation"))
        .filter(|_| short_container);
    for (key, value) in &source.csl {
        if LINKED.contains(&key.as_str()) {
            continue;
        }
        let value = match (key.as_str(), abbreviation) {
            ("container-title", Some(short)) => &serde_json::Value::String(short.to_string()),
            _ => value,
        };
        let value = match (key.as_str(), value) {
            ("issued" | "accessed" | "submitted" | "original-date" | "event-date", v) => {
                first_date(v)
            }
            _ => Some(value.clone()),
        };
        let Some(value) = value else { continue };
        if let Ok(v) = serde_json::from_value(value) {
            map.insert(key.clone(), v);
        }
    }
    Item(map)
}

/// Whether a CSL file prints `container-title` in its short form somewhere: a `<text>`
/// element naming both (attribute order varies between styles).
fn asks_short_container(xml: &str) -> bool {
    xml.split('<').any(|element| {
        element.starts_with("text ")
            && element.contains("variable=\"container-title\"")
            && element.contains("form=\"short\"")
    })
}

/// A CSL date with only its first `date-parts` entry (its start), years in range.
fn first_date(value: &serde_json::Value) -> Option<serde_json::Value> {
    let mut value = value.clone();
    if let Some(parts) = value.get_mut("date-parts").and_then(|p| p.as_array_mut()) {
        parts.truncate(1);
        let first = parts.first()?.as_array()?;
        let plausible = first.iter().all(|p| {
            p.as_i64()
                .or_else(|| p.as_str().and_then(|s| s.trim().parse().ok()))
                .is_some_and(|n| (-9999..=9999).contains(&n))
        });
        if !plausible || first.is_empty() {
            return None;
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_and_paths_outside_are_refused() {
        let root = Path::new("/nonexistent-site");
        assert!(
            Style::by_name("harvard", root)
                .unwrap_err()
                .message
                .contains("unknown")
        );
        assert!(
            Style::by_name("../x.csl", root)
                .unwrap_err()
                .message
                .contains("outside")
        );
        assert!(
            Style::by_name("/etc/x.csl", root)
                .unwrap_err()
                .message
                .contains("outside")
        );
        assert!(
            Style::by_name("styles/x.csl", root)
                .unwrap_err()
                .message
                .contains("cannot read")
        );
        assert_eq!(Style::by_name(" AMA ", root).unwrap().name(), "AMA");
    }

    #[test]
    fn numbers_are_stripped() {
        assert_eq!(strip_number("1. Seema"), "Seema");
        assert_eq!(strip_number("[12] Seema"), "Seema");
        assert_eq!(strip_number("1980 study"), "1980 study");
    }

    #[test]
    fn bad_style_is_a_diagnostic_at_its_line() {
        let mut d = Diagnostics::new();
        let config = Config {
            citation_style: "chicago".into(),
            ..Config::default()
        };
        let style = Style::for_site(
            &config,
            Path::new("/x"),
            Some("title: X\ncitation_style: chicago\n"),
            &mut d,
        );
        assert_eq!(style.name(), "vancouver");
        let d = d.sorted();
        assert_eq!((d[0].location.line, d[0].location.column), (2, 17));
    }
}
