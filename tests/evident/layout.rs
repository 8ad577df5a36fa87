//! The source layout keeps its promises (README, Design): every file of the library says its one
//! job in a `//!` line, no file holds more than 700 code lines (inline test modules apart, and
//! those stay under 300 lines), and no module depends on itself through others.
//!
//! A module's dependencies are read from its code: every `crate::`, `super::` or `self::` path,
//! and every path through one of its own child modules, names the module that defines it (the
//! longest module path it starts with). `mod` lines and `pub use` re-exports are declarations,
//! not uses. The binary's own modules (`main.rs`, `cli.rs`, `cmd/`) are not the library's.
//!
//! Above the files, the top-level modules form layers ([`LAYERS`]): the leaves, then the four
//! stages in pipeline order, then what sits around the pipeline. A module may use only the
//! layers before its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_CODE_LINES: usize = 700;

/// The library's top-level modules, each allowed to use only those before it: the leaves
/// (diagnostics, text formats, the domain types, references, the site's folders), the stages
/// load → resolve → render → write, then editing and the live preview; `lib.rs` (`""`) last.
const LAYERS: &[&str] = &[
    "diag", "text", "model", "cite", "project", "load", "resolve", "render", "write", "edit",
    "external", "serve", "",
];
const MAX_INLINE_TEST_LINES: usize = 300;

/// Every library source file, by module path (`""` for `lib.rs`, `render::view` for
/// `src/render/view.rs` or `src/render/view/mod.rs`).
fn library_files() -> BTreeMap<String, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "main.rs" || rel == "cli.rs" || rel.starts_with("cmd/") {
                continue;
            }
            let mut parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
            if parts.last() == Some(&"mod") || parts == ["lib"] {
                parts.pop();
            }
            files.insert(parts.join("::"), path);
        }
    }
    files
}

/// The file's text before its inline `#[cfg(test)] mod tests`, and the length of that module.
fn split_tests(text: &str) -> (&str, usize) {
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => (&text[..at], text[at..].lines().count()),
        None => (text, 0),
    }
}

fn is_code(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && !line.starts_with("//")
}

fn parent(module: &str) -> &str {
    module.rsplit_once("::").map_or("", |(parent, _)| parent)
}

fn join(base: &str, segment: &str) -> String {
    if base.is_empty() {
        segment.to_string()
    } else {
        format!("{base}::{segment}")
    }
}

/// The paths a line of code names: each a run of `ident::ident…` with at least one `::`.
fn paths(line: &str) -> Vec<Vec<&str>> {
    let bytes = line.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word =
            is_ident(bytes[i]) && (i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b':'));
        if !starts_word {
            i += 1;
            continue;
        }
        let mut segments = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && is_ident(bytes[j]) {
                j += 1;
            }
            segments.push(&line[start..j]);
            if line[j..].starts_with("::")
                && line[j + 2..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                j += 2;
            } else {
                break;
            }
        }
        if segments.len() > 1 {
            found.push(segments);
        }
        i = j.max(i + 1);
    }
    found
}

/// The modules each module's code uses (itself and its re-exports left out).
fn dependencies(files: &BTreeMap<String, PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (module, path) in files {
        let mut uses = BTreeSet::new();
        let text = std::fs::read_to_string(path).unwrap();
        let (code, _) = split_tests(&text);
        // A sibling `tests.rs` is test code, like an inline test module: its uses are not
        // the library's.
        let code = if path.file_name().is_some_and(|n| n == "tests.rs") {
            ""
        } else {
            code
        };
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or("").trim();
            let declaration = line.starts_with("pub use ")
                || line.starts_with("mod ")
                || line.starts_with("pub mod ")
                || line.starts_with("pub(crate) mod ");
            if declaration {
                continue;
            }
            for segments in paths(line) {
                let (mut base, rest) = match segments[0] {
                    "crate" => (String::new(), &segments[1..]),
                    "super" => (parent(module).to_string(), &segments[1..]),
                    "self" => (module.clone(), &segments[1..]),
                    child if files.contains_key(&join(module, child)) => {
                        (join(module, child), &segments[1..])
                    }
                    _ => continue,
                };
                let mut target = base.clone();
                for segment in rest {
                    base = join(&base, segment);
                    if files.contains_key(&base) {
                        target = base.clone();
                    } else {
                        break;
                    }
                }
                if &target != module {
                    uses.insert(target);
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

/// A cycle through `start`, if there is one (depth-first, in module order).
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in &graph[at] {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if visit(graph, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    visit(graph, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

fn name(module: &str) -> &str {
    if module.is_empty() { "lib" } else { module }
}

#[test]
fn every_file_says_its_job_and_stays_small() {
    let mut problems = Vec::new();
    for path in library_files().values() {
        let text = std::fs::read_to_string(path).unwrap();
        let shown = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display();
        if !text.trim_start().starts_with("//!") {
            problems.push(format!(
                "{shown}: does not open with a `//!` line saying its job"
            ));
        }
        let (code, tests) = split_tests(&text);
        let lines = code.lines().filter(|l| is_code(l)).count();
        if lines > MAX_CODE_LINES {
            problems.push(format!(
                "{shown}: {lines} code lines (at most {MAX_CODE_LINES})"
            ));
        }
        if tests > MAX_INLINE_TEST_LINES {
            problems.push(format!(
                "{shown}: an inline test module of {tests} lines (over {MAX_INLINE_TEST_LINES}: move it to a sibling tests.rs)"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_module_depends_on_itself() {
    let graph = dependencies(&library_files());
    let cycles: BTreeSet<String> = graph
        .keys()
        .filter_map(|m| cycle_through(&graph, m))
        .map(|mut cycle| {
            // One line per cycle, whichever module it was found from.
            let least = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, m)| *m)
                .map_or(0, |(i, _)| i);
            cycle.rotate_left(least);
            cycle
                .iter()
                .map(|m| name(m))
                .chain([name(&cycle[0])])
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "module cycles:\n{}",
        cycles.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn each_layer_uses_only_the_layers_before_it() {
    let top = |module: &str| module.split("::").next().unwrap_or("").to_string();
    let layer = |module: &str| LAYERS.iter().position(|l| *l == top(module));
    let mut problems = BTreeSet::new();
    for (module, uses) in dependencies(&library_files()) {
        let Some(own) = layer(&module) else {
            problems.insert(format!(
                "{}: a top-level module missing from LAYERS",
                top(&module)
            ));
            continue;
        };
        for used in uses.iter().filter(|u| top(u) != top(&module)) {
            if layer(used).is_none_or(|other| other > own) {
                problems.insert(format!(
                    "{} uses {} (a later layer)",
                    name(&module),
                    name(used)
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}",
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_dependency_reader_sees_paths_of_every_kind() {
    assert_eq!(
        paths("use crate::render::view::{self, X}; super::Handout(x) + a::b"),
        vec![
            vec!["crate", "render", "view"],
            vec!["super", "Handout"],
            vec!["a", "b"]
        ]
    );
    assert!(paths("pub(crate) fn f(a: &str) -> u8").is_empty());
}
