//! The handout's templates: `handout/handout.html` (minijinja, print HTML) and
//! `handout/handout.typ` (Typst, PDF). The default theme's are embedded in the binary; a site
//! overrides either one with a file of the same name in `themes/<name>/handout/`, the same
//! file-by-file idea as the page templates (which `render::theme` loads).

use std::path::Path;

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment};

use super::data::Handout;
use super::qr;

pub const DEFAULT_HTML: &str = include_str!("../../../themes/default/handout/handout.html");
pub const DEFAULT_TYPST: &str = include_str!("../../../themes/default/handout/handout.typ");

const HTML_NAME: &str = "handout.html";
const TYPST_NAME: &str = "handout.typ";
/// Bounds a third-party template as the page templates are bounded.
const FUEL: u64 = 50_000_000;

/// The loaded handout templates.
pub struct HandoutTheme {
    env: Environment<'static>,
    typst: String,
    /// Where the theme's own `handout.typ` is, from the site root; None for the default.
    typst_path: Option<String>,
}

impl HandoutTheme {
    /// The default templates, overridden by `themes_dir/<name>/handout/*` where present.
    pub fn load(themes_dir: &Path, name: &str) -> anyhow::Result<HandoutTheme> {
        let dir = crate::project::theme_folder(themes_dir, name)
            .map_err(anyhow::Error::msg)?
            .join("handout");
        let read = |file: &str, default: &str| -> anyhow::Result<String> {
            let path = dir.join(file);
            // A template linked from elsewhere on the machine would be published in handouts.
            crate::project::inside_site(themes_dir, &path).map_err(anyhow::Error::msg)?;
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(default.to_string()),
                Err(e) => Err(anyhow::anyhow!(
                    "cannot read handout template {}: {e}",
                    path.display()
                )),
            }
        };
        let mut theme = HandoutTheme::from_sources(
            read(HTML_NAME, DEFAULT_HTML)?,
            read(TYPST_NAME, DEFAULT_TYPST)?,
        )?;
        if dir.join(TYPST_NAME).is_file() {
            theme.typst_path = Some(format!("themes/{name}/handout/{TYPST_NAME}"));
        }
        Ok(theme)
    }

    /// The templates from their text (tests, and `load`).
    pub fn from_sources(html: String, typst: String) -> anyhow::Result<HandoutTheme> {
        let mut env = crate::render::theme::template_environment(FUEL)?;
        // Every value is escaped unless a template says otherwise: content never writes markup.
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.add_template_owned(HTML_NAME, html).map_err(|e| {
            anyhow::anyhow!(
                "handout template handout/{HTML_NAME}: {}",
                crate::render::theme::describe(&e)
            )
        })?;
        Ok(HandoutTheme {
            env,
            typst,
            typst_path: None,
        })
    }

    /// The text of `handout/handout.typ`, the theme's or the default. Unlike the HTML
    /// template it is not checked when loaded: its errors show when a PDF is compiled.
    pub fn typst_source(&self) -> &str {
        &self.typst
    }

    /// The path of the theme's own `handout/handout.typ` from the site root
    /// (`themes/<name>/handout/handout.typ`); None when the default one is used.
    pub fn typst_path(&self) -> Option<&str> {
        self.typst_path.as_deref()
    }

    /// The print HTML of `handout`: `handout.html` rendered with `handout`, `qr_svg` (the
    /// QR code as inline SVG, marked safe; none when the URL is too long to encode) and
    /// `logo_src` (the site's logo as a `data:` URI, so the file needs nothing beside it; none
    /// without a logo). Errors name
    /// the template and, when they can, its line.
    pub fn render_html(&self, handout: &Handout) -> anyhow::Result<String> {
        let template = self.env.get_template(HTML_NAME).map_err(|e| {
            anyhow::anyhow!(
                "handout/{HTML_NAME}: {}",
                crate::render::theme::describe(&e)
            )
        })?;
        // The QR code is the one piece of markup a template receives: evident draws it, from
        // the site's own URL, so it is passed as safe SVG.
        let qr = handout
            .qr_svg
            .as_deref()
            .map(|s| minijinja::Value::from_safe_string(qr::inline(s).to_string()));
        let logo_src = handout.contact.as_ref().and_then(|c| c.logo_src());
        template
            .render(minijinja::context! { handout => Serde(handout), qr_svg => qr, logo_src })
            .map_err(|e| {
                anyhow::anyhow!(
                    "rendering handout/{HTML_NAME}: {}",
                    crate::render::theme::describe(&e)
                )
            })
    }
}
