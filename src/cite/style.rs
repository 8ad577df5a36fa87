//! Reference formatting with a citation style: `citation_style` in evident.yaml names a
//! shipped style (`vancouver`, `ama`, `apa`) or a `.csl` file of the site.
//!
//! Every style is a CSL file run through hayagriva (typst's CSL engine), fed our CSL-JSON
//! records as they are (`citationberg::json::Item`), so the record stays the truth. The
//! shipped styles are the official files of the CSL repository, embedded (`styles/`, CC BY-SA
//! 3.0, attribution kept in each file): `vancouver.csl` (NLM's Citing Medicine as Zotero users
//! have had it), `american-medical-association.csl` and `apa.csl`, with the official en-US
//! locale. hayagriva's own bundled Vancouver styles drop the author list; the official files
//! do not. Where hayagriva still prints differently from citeproc-js (the CSL processor inside
//! Zotero and Mendeley), [`super::engine`] works around it: docs/references.md lists what
//! remains, and `scripts/check-references` compares the two on real exports.
//!
//! Identifiers (DOI, PMID, PMCID, URL) are left out of the formatted text: the renderer adds
//! them as links, the same way for every style.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use hayagriva::citationberg::{
    IndependentStyle, Locale, LocaleCode, LocaleFile, Style as CslStyle,
};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::config::Config;

/// The styles evident ships, by the names `citation_style` accepts.
pub const SHIPPED: &[&str] = &["vancouver", "ama", "apa"];

const VANCOUVER_CSL: &str = include_str!("styles/vancouver.csl");
const AMA_CSL: &str = include_str!("styles/american-medical-association.csl");
const APA_CSL: &str = include_str!("styles/apa.csl");
const EN_US_LOCALE: &str = include_str!("styles/locales-en-US.xml");

/// A citation style, ready to format references.
#[derive(Clone)]
pub struct Style {
    /// The name or path it was loaded by, trimmed, as written (so `AMA` stays `AMA`).
    name: String,
    /// The style prints the journal's abbreviation (`container-title` with `form="short"`),
    /// which hayagriva's CSL-JSON path does not look up in `container-title-short` as
    /// citeproc-js does: the abbreviation is handed over as the title instead.
    pub(super) short_container: bool,
    pub(super) style: Arc<IndependentStyle>,
    /// The site's language, for the style's terms ("In:", "editors", month names).
    pub(super) locale: Option<LocaleCode>,
}

impl Default for Style {
    fn default() -> Style {
        Style::vancouver()
    }
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

static VANCOUVER: OnceLock<Arc<IndependentStyle>> = OnceLock::new();
static AMA: OnceLock<Arc<IndependentStyle>> = OnceLock::new();
static APA: OnceLock<Arc<IndependentStyle>> = OnceLock::new();

/// An embedded style, parsed once per process.
fn shipped(cell: &'static OnceLock<Arc<IndependentStyle>>, xml: &str) -> Arc<IndependentStyle> {
    cell.get_or_init(
        || match IndependentStyle::from_xml(&super::mend::style_xml(xml)) {
            Ok(style) => Arc::new(style),
            // The embedded files are fixed at compile time and parsed by a unit test.
            Err(e) => unreachable!("an embedded CSL style does not parse: {e}"),
        },
    )
    .clone()
}

/// The locales a style may draw its terms from: the official en-US file first (the one
/// citeproc-js is compared with), then every locale hayagriva bundles.
pub(super) fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        let mut all = Vec::new();
        if let Ok(en) = LocaleFile::from_xml(EN_US_LOCALE) {
            all.push(Locale::from(en));
        }
        all.extend(hayagriva::archive::locales());
        all
    })
}

impl Style {
    /// The official Vancouver style, the default.
    pub fn vancouver() -> Style {
        Style::csl("vancouver", shipped(&VANCOUVER, VANCOUVER_CSL), true)
    }

    /// The style named by `citation_style`, in the site's `language`: a shipped name, or a
    /// path to a `.csl` file relative to the site root (which must stay inside it).
    pub fn load(config: &Config, root: &Path) -> Result<Style, StyleError> {
        Ok(Style::by_name(&config.citation_style, root)?.in_language(&config.language))
    }

    /// The style `name` (surrounding spaces ignored): `vancouver`, `ama` or
    /// `american-medical-association`, `apa` or `american-psychological-association` (any
    /// case), or else a path ending in `.csl`, relative to `root` and inside it.
    pub fn by_name(name: &str, root: &Path) -> Result<Style, StyleError> {
        let name = name.trim();
        let (style, xml) = match name.to_ascii_lowercase().as_str() {
            "vancouver" => (shipped(&VANCOUVER, VANCOUVER_CSL), VANCOUVER_CSL),
            "ama" | "american-medical-association" => (shipped(&AMA, AMA_CSL), AMA_CSL),
            "apa" | "american-psychological-association" => (shipped(&APA, APA_CSL), APA_CSL),
            lower if lower.ends_with(".csl") => return Style::from_file(name, root),
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
        Ok(Style::csl(name, style, asks_short_container(xml)))
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
        match CslStyle::from_xml(&super::mend::style_xml(&xml)) {
            Ok(CslStyle::Independent(style)) => Ok(Style::csl(
                name,
                Arc::new(style),
                asks_short_container(&xml),
            )),
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

    pub(crate) fn csl(name: &str, style: Arc<IndependentStyle>, short_container: bool) -> Style {
        Style {
            name: name.to_string(),
            short_container,
            style,
            locale: None,
        }
    }

    /// The style with its terms in `language` (a BCP 47 tag such as `en`, `es`, `pt-BR`):
    /// the locale of that language (its primary dialect for a bare language, as CSL
    /// defines), else the style's own default.
    pub fn in_language(mut self, language: &str) -> Style {
        let language = language.trim();
        self.locale = (!language.is_empty()).then(|| LocaleCode(language.to_string()));
        self
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

    /// The name or path the style was loaded by, trimmed, as written (so `AMA` stays `AMA`).
    pub fn name(&self) -> &str {
        &self.name
    }
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
    fn the_embedded_styles_parse() {
        for name in SHIPPED {
            assert_eq!(Style::by_name(name, Path::new(".")).unwrap().name(), *name);
        }
        assert!(LocaleFile::from_xml(EN_US_LOCALE).is_ok());
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
