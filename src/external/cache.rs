//! The external check's cache, `.evident/cache/external.json` under the site root: each URL
//! that answered successfully, with the date it was asked and its status. It is the one file
//! `evident check` writes, and `.evident/` is ignored by git (the `init` scaffold's
//! `.gitignore` says so). A cache that cannot be read (missing, damaged, another version) is
//! an empty one: it only saves requests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The cache's path under the site root.
pub fn path(root: &Path) -> PathBuf {
    root.join(".evident").join("cache").join("external.json")
}

/// One URL's last success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The date it was asked (`--today`).
    pub checked: Date,
    /// The HTTP status it answered, after redirects.
    pub status: u16,
}

/// The cached successes by URL.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    /// The layout of this file, 1.
    pub version: u32,
    /// By URL, sorted, so the file is the same for the same results.
    pub urls: BTreeMap<String, Entry>,
}

impl Cache {
    /// The cache of the site at `root`, or an empty one.
    pub fn read(root: &Path) -> Cache {
        std::fs::read_to_string(path(root))
            .ok()
            .and_then(|text| serde_json::from_str::<Cache>(&text).ok())
            .filter(|cache| cache.version == 1)
            .unwrap_or_default()
    }

    /// Whether `url` succeeded within `max_age_days` before `today` (a date after today,
    /// from a clock set wrong, is not fresh).
    pub fn fresh(&self, url: &str, today: Date, max_age_days: u32) -> bool {
        let Some(entry) = self.urls.get(url) else {
            return false;
        };
        let Ok(span) = entry.checked.until(today) else {
            return false;
        };
        let days = span.get_days();
        entry.checked <= today && i64::from(days) < i64::from(max_age_days)
    }

    /// Notes a success.
    pub fn record(&mut self, url: &str, today: Date, status: u16) {
        self.urls.insert(
            url.to_string(),
            Entry {
                checked: today,
                status,
            },
        );
    }

    /// Drops a URL that failed.
    pub fn forget(&mut self, url: &str) {
        self.urls.remove(url);
    }

    /// Writes the cache (creating `.evident/cache/`), through a temporary file renamed into
    /// place so that a check stopped halfway leaves the old cache whole.
    pub fn write(&mut self, root: &Path) -> anyhow::Result<()> {
        self.version = 1;
        let path = path(root);
        let dir = path.parent().expect("the cache path has a folder");
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the cache folder {}", dir.display()))?;
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        let temporary = dir.join("external.json.tmp");
        std::fs::write(&temporary, text)
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, &path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successes_stand_for_max_age_days() {
        let day = |d: &str| d.parse::<Date>().unwrap();
        let mut cache = Cache::default();
        cache.record("https://a.org/", day("2026-01-10"), 200);
        assert!(cache.fresh("https://a.org/", day("2026-01-10"), 7));
        assert!(cache.fresh("https://a.org/", day("2026-01-16"), 7));
        assert!(!cache.fresh("https://a.org/", day("2026-01-17"), 7));
        assert!(!cache.fresh("https://a.org/", day("2026-01-09"), 7));
        assert!(!cache.fresh("https://a.org/", day("2026-01-10"), 0));
        assert!(!cache.fresh("https://b.org/", day("2026-01-10"), 7));
        cache.forget("https://a.org/");
        assert!(cache.urls.is_empty());
    }
}
