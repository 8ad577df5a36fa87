//! Where a site lives: its root and the folders evident reads and writes.

use std::path::{Path, PathBuf};

use crate::model::config::CONFIG_FILE;

/// The folders of a site, all absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The site's folder, the one holding `evident.yaml`, `content/` and `citations/`.
    /// [`Project::locate`] makes it absolute (from an absolute `cwd`) and drops `.` and `..`;
    /// [`Project::new`] takes it as given.
    pub root: PathBuf,
}

impl Project {
    /// `--root` if given, else the nearest folder upwards holding `evident.yaml`, else `cwd`.
    pub fn locate(explicit: Option<&Path>, cwd: &Path) -> Project {
        if let Some(root) = explicit {
            let root = if root.is_absolute() {
                root.to_path_buf()
            } else {
                cwd.join(root)
            };
            return Project {
                root: normalise(&root),
            };
        }
        // `exists`, not `is_file`: an evident.yaml that is a folder or a FIFO still marks the
        // site, whose build then says what is wrong with it.
        let found = cwd.ancestors().find(|dir| dir.join(CONFIG_FILE).exists());
        Project {
            root: normalise(found.unwrap_or(cwd)),
        }
    }

    /// The site at `root`, taken as it is (not made absolute, not checked to exist).
    pub fn new(root: impl Into<PathBuf>) -> Project {
        Project { root: root.into() }
    }

    /// `evident.yaml` at the root (it may not exist: every key has a default).
    pub fn config_file(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// `content/`: claim files (`.yaml`, `.yml`) and pages (`.md`), in any subfolders.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `citations/`: the source files (CSL-YAML, CSL-JSON, BibTeX, RIS, PubMed `.nbib`).
    pub fn citations_dir(&self) -> PathBuf {
        self.root.join("citations")
    }

    /// `reviewed/`: the approved versions of claims and topics, which `evident review
    /// approve` writes and the public site is built from.
    pub fn reviewed_dir(&self) -> PathBuf {
        self.root.join("reviewed")
    }

    /// `themes/`: one folder per theme, named by `theme` in evident.yaml (`default` needs
    /// none: it is built in).
    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }

    /// `public/`, where `build` writes the site when no output folder is given.
    pub fn default_output(&self) -> PathBuf {
        self.root.join("public")
    }

    /// `preview/`, where `build --preview` writes the editors' preview when no output folder
    /// is given (never `public/`, so a preview is not published by mistake).
    pub fn default_preview_output(&self) -> PathBuf {
        self.root.join("preview")
    }

    /// Everything a build reads, which no output folder may contain.
    pub fn inputs(&self) -> Vec<PathBuf> {
        vec![
            self.config_file(),
            self.content_dir(),
            self.citations_dir(),
            self.themes_dir(),
            self.reviewed_dir(),
        ]
    }

    /// Why the root is not a site, when it holds none of `evident.yaml`, `content/` and
    /// `citations/` (a command run in the wrong folder): one line naming the folder and what
    /// is missing. None for a site, even one with only some of them.
    pub fn not_a_site(&self) -> Option<String> {
        let root = self.root.display();
        if !self.root.is_dir() {
            return Some(format!(
                "{root} is not a folder; pass the site's folder with --root DIR"
            ));
        }
        if self.config_file().exists()
            || self.content_dir().is_dir()
            || self.citations_dir().is_dir()
        {
            return None;
        }
        Some(format!(
            "{root} is not an evident site: it has no {CONFIG_FILE}, content/ or citations/ (run the command in the site's folder, pass --root DIR, or make a site with `evident init DIR`)"
        ))
    }

    /// A path relative to the root, '/'-separated, for diagnostics.
    pub fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The folder of the theme `name` in `themes_dir` (which is `<site>/themes`), or why it
/// cannot be used: the name is a path rather than a folder name, or the folder, or one of its
/// templates/, static/ and handout/ folders, leads outside the site through a link. A theme's
/// static files are published and its templates run, so a theme never comes from elsewhere
/// on the machine. The folder need not exist (`default` is built in).
pub fn theme_folder(themes_dir: &Path, name: &str) -> Result<PathBuf, String> {
    let plain = !name.is_empty()
        && !name.contains(['/', '\\'])
        && Path::new(name)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
    if !plain {
        return Err(format!(
            "the theme `{name}` is not a folder name: `theme` names a folder of themes/ (or \
             `default`), never a path"
        ));
    }
    let dir = themes_dir.join(name);
    for part in ["", "templates", "static", "handout"] {
        let path = if part.is_empty() {
            dir.clone()
        } else {
            dir.join(part)
        };
        inside_site(themes_dir, &path)?;
    }
    Ok(dir)
}

/// Refuses `path` (inside `themes_dir`, which is `<site>/themes`) when it exists and its real
/// location, links followed, is outside the site.
pub fn inside_site(themes_dir: &Path, path: &Path) -> Result<(), String> {
    let Ok(real) = path.canonicalize() else {
        // Missing (or unreadable, which reading it reports): nothing is taken from elsewhere.
        return Ok(());
    };
    let site = themes_dir.parent().unwrap_or(themes_dir);
    let site = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    if real.starts_with(&site) {
        Ok(())
    } else {
        Err(format!(
            "{} leads outside the site, to {}, through a symbolic link; a theme must lie \
             inside the site",
            path.display(),
            real.display()
        ))
    }
}

/// Removes `.` and `..` components without touching the filesystem.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_any_site_file_is_not_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let why = Project::new(dir.path()).not_a_site().unwrap();
        assert!(
            why.contains("no evident.yaml, content/ or citations/"),
            "{why}"
        );
        assert!(Project::new(dir.path().join("nope")).not_a_site().is_some());
        for made in ["content", "citations"] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join(made)).unwrap();
            assert_eq!(Project::new(dir.path()).not_a_site(), None);
        }
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        assert_eq!(Project::new(dir.path()).not_a_site(), None);
    }

    #[test]
    fn finds_the_nearest_config_upwards() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        let deep = dir.path().join("content/a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(Project::locate(None, &deep).root, dir.path());
        assert_eq!(
            Project::locate(Some(Path::new("x/../y")), dir.path()).root,
            dir.path().join("y")
        );
        let p = Project::new(dir.path());
        assert_eq!(
            p.relative(&dir.path().join("content/a.yaml")),
            "content/a.yaml"
        );
    }
}
