//! Themes: the default theme is embedded in the binary; a site overrides it file by file from
//! `themes/<name>/templates/` and `themes/<name>/static/`. A theme lies inside the site, and
//! symbolic links in it are not followed (see [`crate::project::theme_folder`]).

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// Files of the default theme, embedded at compile time.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "topic.html",
        include_str!("../../themes/default/templates/topic.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "claim.html",
        include_str!("../../themes/default/templates/claim.html"),
    ),
    (
        "source.html",
        include_str!("../../themes/default/templates/source.html"),
    ),
    (
        "grading.html",
        include_str!("../../themes/default/templates/grading.html"),
    ),
    (
        "review.html",
        include_str!("../../themes/default/templates/review.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "partials/claim-embed.html",
        include_str!("../../themes/default/templates/partials/claim-embed.html"),
    ),
    (
        "partials/macros.html",
        include_str!("../../themes/default/templates/partials/macros.html"),
    ),
    (
        "partials/references.html",
        include_str!("../../themes/default/templates/partials/references.html"),
    ),
];

/// Static files of the default theme, embedded at compile time, by their path under
/// `static/` (each is written to `static/<path>` in the site).
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "evident.js",
        include_bytes!("../../themes/default/static/evident.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// A loaded theme: templates ready to render and static files to copy.
pub struct Theme {
    /// Every template, the theme's over the default's, by its path under `templates/`
    /// (`topic.html`, `partials/macros.html`); each already parsed. `.html` and `.xml`
    /// templates autoescape HTML.
    pub env: Environment<'static>,
    /// Every static file, the theme's over the default's, by its '/'-separated path under
    /// `static/`.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Template rendering is bounded so a broken theme cannot hang a build.
const FUEL: u64 = 500_000_000;

impl Theme {
    /// Loads `name` from `themes_dir` over the embedded default. A missing theme folder for a
    /// name other than `default` is an error.
    pub fn load(themes_dir: &Path, name: &str) -> anyhow::Result<Theme> {
        let dir = crate::project::theme_folder(themes_dir, name).map_err(anyhow::Error::msg)?;
        if name != "default" && !dir.is_dir() {
            anyhow::bail!(
                "theme `{name}` not found: expected a folder {}",
                dir.display()
            );
        }
        let mut templates: BTreeMap<String, String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect();
        let template_dir = dir.join("templates");
        for path in crate::load::walk(&template_dir) {
            let rel = relative(&template_dir, &path);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                anyhow::anyhow!("cannot read theme template {}: {e}", path.display())
            })?;
            templates.insert(rel, text);
        }
        let mut static_files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(n, b)| ((*n).to_string(), b.to_vec()))
            .collect();
        let static_dir = dir.join("static");
        for path in crate::load::walk(&static_dir) {
            let bytes = std::fs::read(&path)
                .map_err(|e| anyhow::anyhow!("cannot read theme file {}: {e}", path.display()))?;
            static_files.insert(relative(&static_dir, &path), bytes);
        }

        let mut env = template_environment(FUEL)?;
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".xml") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        for (name, source) in templates {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| anyhow::anyhow!("theme template {name}: {}", describe(&e)))?;
        }
        Ok(Theme { env, static_files })
    }

    /// Renders the template named `template` (a path under `templates/`) with `context`.
    /// Errors name the template and, when they can, its line.
    pub fn render(&self, template: &str, context: minijinja::Value) -> anyhow::Result<String> {
        self.template(template)?
            .render(context)
            .map_err(|e| anyhow::anyhow!("rendering {template}: {}", describe(&e)))
    }

    /// [`Theme::render`] into a buffer made room for `capacity` bytes at the start. For a
    /// page of the whole site (the dashboard is 74 MB at 100,000 claims), where a buffer grown
    /// by doubling is copied into fresh memory a dozen times. Room never written costs no
    /// memory: the system backs a large buffer's pages as they are written.
    pub fn render_with_capacity(
        &self,
        template: &str,
        context: minijinja::Value,
        capacity: usize,
    ) -> anyhow::Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(capacity);
        self.template(template)?
            .render_captured_to(context, &mut bytes)
            .map_err(|e| anyhow::anyhow!("rendering {template}: {}", describe(&e)))?;
        Ok(bytes)
    }

    fn template(&self, name: &str) -> anyhow::Result<minijinja::Template<'_, '_>> {
        self.env
            .get_template(name)
            .map_err(|e| anyhow::anyhow!("theme template {name}: {}", describe(&e)))
    }
}

/// The environment every theme template runs in (pages and handouts): an undefined value is
/// an error, not an empty string; a template has `fuel` instructions and 64 levels of
/// recursion, so a theme's loop cannot hang a build; blocks are trimmed.
pub fn template_environment(fuel: u64) -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(fuel));
    env.set_recursion_limit(64);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .map_err(|e| anyhow::anyhow!("template syntax: {e}"))?;
    env.set_syntax(syntax);
    Ok(env)
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// minijinja's error with its template name and line, and its cause chain.
pub fn describe(error: &minijinja::Error) -> String {
    let mut text = error.to_string();
    if let (Some(name), Some(line)) = (error.name(), error.line())
        && !text.contains(name)
    {
        text = format!("{name}:{line}: {text}");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
