//! A fixture site in a temporary folder, and small readers for the HTML a build writes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use evident::diag::Diagnostic;
use evident::diag::report::Format;
use evident::project::Project;
use evident::render::Face;
use evident::resolve::KnowledgeBase;
use evident::{BuildOptions, Built};
use jiff::civil::Date;
use tempfile::TempDir;

/// The date every test runs on.
pub const TODAY: &str = "2026-11-29";

#[track_caller]
pub fn today() -> Date {
    TODAY.parse().unwrap()
}

/// The repository root (itself the bundled relactation site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A copy of a site in a temporary folder: `<tmp>/site`, so that its parent is ours too.
pub struct Site {
    pub tmp: TempDir,
    pub root: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/<name>`.
    #[track_caller]
    pub fn fixture(name: &str) -> Site {
        Site::copy_of(&fixtures().join(name), &["."])
    }

    /// A copy of the bundled site: the repository's evident.yaml, content/, citations/ and
    /// reviewed/.
    #[track_caller]
    pub fn bundled() -> Site {
        Site::copy_of(
            &repo(),
            &["evident.yaml", "content", "citations", "reviewed"],
        )
    }

    /// The bundled site as an internal site publishes it (`publish: all-with-banner`,
    /// `dashboard: public`: every claim and the dashboard on the public build), for tests of
    /// the pages an editor sees as much as a reader.
    #[track_caller]
    pub fn bundled_internal() -> Site {
        let site = Site::bundled();
        let config = site.read("evident.yaml");
        let from = "  forbid_self_approval: true\n";
        assert!(config.contains(from));
        site.write(
            "evident.yaml",
            &config.replacen(
                from,
                "  forbid_self_approval: true\n  publish: all-with-banner\n  dashboard: public\n",
                1,
            ),
        );
        site
    }

    #[track_caller]
    fn copy_of(from: &Path, entries: &[&str]) -> Site {
        let tmp = TempDir::new().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(&root).unwrap();
        for entry in entries {
            let source = from.join(entry);
            let target = root.join(entry);
            copy(&source, &target);
        }
        Site { tmp, root }
    }

    pub fn project(&self) -> Project {
        Project::new(&self.root)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A folder beside the site (inside the temporary folder, outside the site).
    pub fn beside(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    #[track_caller]
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    #[track_caller]
    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap();
    }

    /// Resolves the site for the editors' preview (every claim and topic shown).
    #[track_caller]
    pub fn check(&self) -> KnowledgeBase {
        evident::check(&self.project(), today()).unwrap()
    }

    /// Resolves the site for the public face (`published` as the public site shows it).
    #[track_caller]
    pub fn check_public(&self) -> KnowledgeBase {
        evident::check_face(&self.project(), today(), Face::Public).unwrap()
    }

    /// Builds the public site into `out` (absolute, or relative to the site root).
    pub fn build_into(&self, out: &Path) -> anyhow::Result<Built> {
        self.build_face_into(out, Face::Public)
    }

    /// Builds the editors' preview into `out` (absolute, or relative to the site root).
    pub fn build_preview_into(&self, out: &Path) -> anyhow::Result<Built> {
        self.build_face_into(out, Face::Preview)
    }

    /// Builds `face` into `out` (absolute, or relative to the site root).
    pub fn build_face_into(&self, out: &Path, face: Face) -> anyhow::Result<Built> {
        let options = BuildOptions {
            out: Some(out.to_path_buf()),
            face,
            ..BuildOptions::default()
        };
        evident::build(&self.project(), today(), &options)
    }

    /// Builds the public site into `<tmp>/out` and returns that folder; panics on content
    /// errors.
    #[track_caller]
    pub fn build(&self) -> PathBuf {
        self.build_face(Face::Public, "out")
    }

    /// Builds the editors' preview into `<tmp>/preview` and returns that folder; panics on
    /// content errors.
    #[track_caller]
    pub fn build_preview(&self) -> PathBuf {
        self.build_face(Face::Preview, "preview")
    }

    #[track_caller]
    fn build_face(&self, face: Face, folder: &str) -> PathBuf {
        let out = self.beside(folder);
        let built = self.build_face_into(&out, face).unwrap();
        let errors: Vec<String> = built
            .kb
            .diagnostics
            .iter()
            .filter(|d| d.severity == evident::diag::Severity::Error)
            .map(|d| format!("{} {} {}", d.location, d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "content errors: {errors:#?}");
        assert!(built.report.is_some());
        out
    }
}

impl Site {
    /// The edit `by` taking `action` on `target` (a claim id, or `topic:` + a slug) would
    /// make, as `evident review` works it out (the gate included); nothing is written. The
    /// note and reason are set, so that request-changes and retire are not refused for them.
    #[track_caller]
    pub fn decide(
        &self,
        target: &str,
        action: evident::model::ReviewAction,
        by: &str,
    ) -> Result<evident::edit::review::Edit, evident::edit::gate::Refusal> {
        use evident::edit::review::{Decision, Target, decide};
        let (kb, resolution) = evident::check_resolution(&self.project(), today()).unwrap();
        let target = Target::parse(target, &kb).unwrap();
        let decision = Decision {
            action,
            by: by.into(),
            note: Some("Looked at it.".into()),
            reason: Some("Withdrawn.".into()),
            replaced_by: None,
            next_review: None,
        };
        decide(&kb, &resolution, &target, &decision, today())
    }

    /// Records an approval of the bundled topic `relactation` (in review on the bundled
    /// site) by `example-pharmacist` on 2026-11-18, with its current fingerprint.
    #[track_caller]
    pub fn approve_relactation_topic(&self) {
        if self.check().topics["relactation"].own_status.is_approved() {
            return;
        }
        let fingerprint = self.check().topics["relactation"].fingerprint.clone();
        let rel = "content/relactation/index.md";
        let text = self.read(rel);
        let from = "  status: in-review\n";
        assert!(text.contains(from));
        let approval = format!(
            "    - date: 2026-11-18\n      by: example-pharmacist\n      action: approve\n      fingerprint: \"{fingerprint}\"\n---\n"
        );
        let text = text.replacen(from, "  status: approved\n", 1).replacen(
            "      action: start\n---\n",
            &format!("      action: start\n{approval}"),
            1,
        );
        self.write(rel, &text);
        assert!(self.check().topics["relactation"].own_status.is_approved());
    }
}

/// Copies a file or a folder, recursively.
#[track_caller]
pub fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        let mut entries: Vec<_> = fs::read_dir(from).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        fs::copy(from, to).unwrap();
    }
}

/// The diagnostics of a check as `evident check` prints them: human format, no colour,
/// sorted, then the summary line.
pub fn diagnostics_text(kb: &KnowledgeBase) -> (Vec<Diagnostic>, String) {
    let sorted = evident::finish_diagnostics(kb.diagnostics.clone(), false);
    let mut text = evident::diag::report::render(&sorted, Format::Human, &kb.texts, false);
    let errors = kb.diagnostics.errors();
    text.push_str(&evident::diag::summary(errors, sorted.len() - errors));
    text.push('\n');
    (sorted, text)
}

/// Every file under `dir` with its bytes, by '/'-separated relative path.
#[track_caller]
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir(dir) {
        let rel = entry
            .strip_prefix(dir)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.insert(rel, fs::read(&entry).unwrap());
    }
    files
}

/// Every file under `dir`, in path order.
#[track_caller]
pub fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in fs::read_dir(&next).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

/// The HTML files of a built site, by relative path.
#[track_caller]
pub fn html_files(out: &Path) -> BTreeMap<String, String> {
    tree(out)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// The `<main>` element of a page.
#[track_caller]
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html[start..].find("</main>").expect("</main>") + start + "</main>".len();
    &html[start..end]
}

/// The values of every `name="…"` attribute, entities decoded, in document order.
pub fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!("{name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + needle.len()..];
        let Some(end) = after.find('"') else { break };
        if before.is_some_and(char::is_whitespace) {
            values.push(decode_entities(&after[..end]));
        }
        rest = &after[end..];
    }
    values
}

/// Every `id="…"` of a page.
pub fn ids(html: &str) -> BTreeSet<String> {
    attributes(html, "id").into_iter().collect()
}

/// Decodes the character references an HTML attribute can hold.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a link leaves the site (another scheme, or a protocol-relative URL).
pub fn is_external(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    ["http:", "https:", "mailto:", "tel:", "data:", "//"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

/// A relative link of the page at `page` ('/'-separated, relative to the output folder),
/// resolved to the output path it names and its fragment. None when it climbs out.
pub fn resolve_link(page: &str, link: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (link, None),
    };
    let path = path.split(['?']).next().unwrap_or("");
    if path.is_empty() {
        return Some((page.to_string(), fragment));
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some((parts.join("/"), fragment))
}

/// The internal pages a page links to (resolved output paths, fragments dropped).
#[track_caller]
pub fn links_from(out: &Path, page: &str) -> BTreeSet<String> {
    let html = fs::read_to_string(out.join(page)).unwrap();
    attributes(main_of(&html), "href")
        .into_iter()
        .filter(|link| !is_external(link) && !link.starts_with('#'))
        .filter_map(|link| resolve_link(page, &link).map(|(path, _)| path))
        .collect()
}

#[test]
fn harness_reads_attributes_and_resolves_links() {
    let html = r##"<a href="..&#x2f;claims&#x2f;x&#x2f;index.html#top" data-href="no">x</a><p id="a&amp;b">"##;
    assert_eq!(
        attributes(html, "href"),
        vec!["../claims/x/index.html#top".to_string()]
    );
    assert_eq!(ids(html), BTreeSet::from(["a&b".to_string()]));
    assert_eq!(
        resolve_link("alpha/index.html", "../claims/x/index.html#top"),
        Some(("claims/x/index.html".into(), Some("top".into())))
    );
    assert_eq!(
        resolve_link("index.html", "#main"),
        Some(("index.html".into(), Some("main".into())))
    );
    assert_eq!(resolve_link("index.html", "../x.html"), None);
    assert_eq!(
        decode_entities("a &lt; b &#39; &bogus; &"),
        "a < b ' &bogus; &"
    );
}
