//! The approved versions kept under `reviewed/` (DESIGN §1, §5a): for each claim or topic whose
//! approval completed, a copy of its file as it was approved, which the public site is built
//! from even after the file is edited. This module owns their format: `evident review` writes
//! them with [`snapshot_text`], the build reads them with [`reviewed`].
//!
//! A claim's copy opens with comment lines naming the file it copies and holding the identities
//! of the sources it cited at approval (`# cited: [...]`, the JSON the fingerprint covers):
//! a source may be retracted or corrected later, and the approval must still be checked
//! against what the reviewer saw. A topic's copy is the page as it was (its fingerprint does
//! not cover its sources). The copies are parsed as the files they copy, so a problem in one
//! is reported at its own line.

use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;

use super::{LoadedFile, Parsed, load_content_file};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::config::Config;
use crate::project::Project;

/// The folder of approved versions, under the site root.
pub const REVIEWED_DIR: &str = "reviewed";

/// The comment line of a claim's copy that holds its cited sources' identities.
const CITED_PREFIX: &str = "# cited: ";

/// One approved version, read.
#[derive(Debug, Clone)]
pub struct ApprovedVersion {
    /// Its own path (`reviewed/content/…`), relative to the site root.
    pub rel: String,
    /// The content file it is the approved version of (`content/…`).
    pub of: String,
    /// Its text.
    pub text: String,
    /// The claim or topic it holds; [`Parsed::Nothing`] when it could not be read (its
    /// diagnostics say why).
    pub parsed: Parsed,
    /// A claim's cited sources' identities at approval (`# cited:`); None for a topic, or a
    /// claim's copy without the line.
    pub cited: Option<Value>,
}

/// Every approved version of the site, with the problems of reading them.
#[derive(Debug, Clone, Default)]
pub struct Reviewed {
    /// The versions, in path order.
    pub versions: Vec<ApprovedVersion>,
    /// What could not be read.
    pub diagnostics: Diagnostics,
}

/// The path of the approved version of the content file `of` (`content/…`).
pub fn snapshot_path(of: &str) -> String {
    format!("{REVIEWED_DIR}/{of}")
}

/// The text of the approved version of `of` whose approved text is `text`; `cited` is a
/// claim's [`crate::model::fingerprint::cited`] (None for a topic, copied as it is).
pub fn snapshot_text(of: &str, text: &str, cited: Option<&Value>) -> String {
    let Some(cited) = cited else {
        return text.to_owned();
    };
    let mut json = String::new();
    crate::model::fingerprint::write_canonical(cited, &mut json);
    format!(
        "# The approved version of {of}, written by `evident review approve`. The public site\n\
         # is built from it; evident checks it against the approval's fingerprint: do not edit.\n\
         {CITED_PREFIX}{json}\n{text}"
    )
}

/// Reads every file under `reviewed/content/`: each as the content file it copies.
pub fn reviewed(project: &Project, config: &Config) -> Reviewed {
    let dir = project.reviewed_dir();
    let files: Vec<(LoadedFile, String)> = super::walk(&dir.join("content"))
        .par_iter()
        .filter_map(|path| {
            let file = load_content_file(project, path, config)?;
            let of = file
                .rel
                .strip_prefix(&format!("{REVIEWED_DIR}/"))
                .unwrap_or(&file.rel)
                .to_owned();
            Some((file, of))
        })
        .collect();
    let mut reviewed = Reviewed::default();
    for (file, of) in files {
        reviewed.diagnostics.extend(file.diagnostics);
        let Some(text) = file.text else { continue };
        let cited = match &file.parsed {
            Parsed::Claim(_) => read_cited(&text, &file.rel, &mut reviewed.diagnostics),
            _ => None,
        };
        reviewed.versions.push(ApprovedVersion {
            rel: file.rel,
            of,
            text,
            parsed: file.parsed,
            cited,
        });
    }
    for link in super::walk_inputs(&dir).links {
        reviewed
            .diagnostics
            .push(super::symlink_skipped(project, &link));
    }
    let stray = walk_outside_content(&dir);
    for rel in stray {
        reviewed.diagnostics.push(
            Diagnostic::warning(
                Code::ApprovedVersion,
                Location::file(project.relative(&rel)),
                "this file of reviewed/ is not the approved version of a content file, and is not read",
            )
            .hint("reviewed/ holds what `evident review approve` writes; move the file elsewhere"),
        );
    }
    reviewed
}

/// The `# cited:` line of a claim's copy, among its opening comment lines.
fn read_cited(text: &str, rel: &str, diagnostics: &mut Diagnostics) -> Option<Value> {
    for (index, line) in text.lines().enumerate() {
        if !line.starts_with('#') {
            break;
        }
        if let Some(json) = line.strip_prefix(CITED_PREFIX) {
            return match serde_json::from_str::<Value>(json) {
                Ok(value @ Value::Array(_)) => Some(value),
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::ApprovedVersion,
                            Location::new(rel, u32::try_from(index + 1).unwrap_or(u32::MAX), 1),
                            "the cited sources of this approved version cannot be read",
                        )
                        .hint("the line was edited: restore the file from version control, or approve the claim again"),
                    );
                    None
                }
            };
        }
    }
    None
}

/// Files of `reviewed/` outside `reviewed/content/` (hidden ones, such as the lock, aside).
fn walk_outside_content(dir: &Path) -> Vec<std::path::PathBuf> {
    let content = dir.join("content");
    super::walk(dir)
        .into_iter()
        .filter(|path| !path.starts_with(&content))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_copy_keeps_its_cited_sources_and_its_text() {
        let cited = serde_json::json!([{"id": "s1", "title": "One"}]);
        let text = snapshot_text("content/a.yaml", "statement: A.\n", Some(&cited));
        assert!(text.ends_with("\nstatement: A.\n"));
        let mut diagnostics = Diagnostics::new();
        assert_eq!(
            read_cited(&text, "reviewed/content/a.yaml", &mut diagnostics),
            Some(cited)
        );
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn a_topic_copy_is_the_page_as_it_was() {
        let page = "---\ntitle: T\n---\n\nBody.\n";
        assert_eq!(snapshot_text("content/t.md", page, None), page);
    }

    #[test]
    fn an_edited_cited_line_is_an_error_at_its_line() {
        let mut diagnostics = Diagnostics::new();
        let text = "# The approved version\n# cited: [{\"id\": \n";
        assert_eq!(read_cited(text, "r.yaml", &mut diagnostics), None);
        let d = diagnostics.iter().next().expect("a diagnostic");
        assert_eq!(d.location.line, 2);
    }
}
