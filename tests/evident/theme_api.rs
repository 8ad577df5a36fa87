//! The theme API stays written down: `themes/default/README.md` names every template and
//! static file of the default theme, and lists under each struct's heading exactly the fields
//! the code gives it — for every view struct in `src/render/view/` (what templates receive)
//! and every struct their fields hold. A field added, renamed or removed in the code without
//! the README fails here, naming the struct and the field.
//!
//! The structs are read from the Rust text: `pub struct Name {` on a line of its own, then
//! one `pub field: Type,` per line up to the closing `}`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn readme() -> String {
    read(&manifest_dir().join("themes/default/README.md"))
}

/// Every file under `dir`, as paths relative to `base` with `/` separators, sorted.
fn files_under(dir: &Path, base: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_string_lossy();
                found.push(rel.replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// A struct with named fields as the source declares it.
struct RustStruct {
    file: PathBuf,
    /// Each `pub` field's name and type, in order.
    fields: Vec<(String, String)>,
}

/// The `pub struct`s with named fields of one source text, by name.
fn structs_in(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("pub struct ") else {
            continue;
        };
        if !rest.ends_with('{') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut fields = Vec::new();
        for line in lines.by_ref() {
            if line == "}" {
                break;
            }
            let Some(field) = line.trim().strip_prefix("pub ") else {
                continue;
            };
            if let Some((field, ty)) = field.split_once(": ") {
                fields.push((field.to_string(), ty.trim_end_matches(',').to_string()));
            }
        }
        found.push((name, fields));
    }
    found
}

/// Every `pub struct` of the library, by name; a name declared in several files keeps each.
fn library_structs() -> BTreeMap<String, Vec<RustStruct>> {
    let src = manifest_dir().join("src");
    let mut structs: BTreeMap<String, Vec<RustStruct>> = BTreeMap::new();
    for rel in files_under(&src, &src) {
        if !rel.ends_with(".rs") {
            continue;
        }
        let file = src.join(&rel);
        for (name, fields) in structs_in(&read(&file)) {
            structs.entry(name).or_default().push(RustStruct {
                file: file.clone(),
                fields,
            });
        }
    }
    structs
}

/// The view structs and, through their fields' types, every struct they hold, by name.
fn theme_structs() -> BTreeMap<String, Vec<(String, String)>> {
    let all = library_structs();
    let view_dir = manifest_dir().join("src/render/view");
    let mut todo: Vec<(String, PathBuf)> = all
        .iter()
        .flat_map(|(name, found)| found.iter().map(move |s| (name.clone(), s.file.clone())))
        .filter(|(_, file)| file.starts_with(&view_dir))
        .collect();
    assert!(
        todo.len() > 30,
        "found only {} view structs under {}: does the reader still understand the source?",
        todo.len(),
        view_dir.display()
    );
    let mut done: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    while let Some((name, file)) = todo.pop() {
        if done.contains_key(&name) {
            continue;
        }
        let declared = &all[&name];
        let chosen = declared
            .iter()
            .find(|s| s.file == file)
            .unwrap_or(&declared[0]);
        for (_, ty) in &chosen.fields {
            for word in ty.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                let Some(found) = all.get(word) else {
                    continue;
                };
                // A name declared in several files means the view folder's own struct.
                let candidates: Vec<&RustStruct> = found
                    .iter()
                    .filter(|s| s.file.starts_with(&view_dir) || found.len() == 1)
                    .collect();
                assert_eq!(
                    candidates.len(),
                    1,
                    "field type {word} of {name} names several structs; say which in this test"
                );
                todo.push((word.to_string(), candidates[0].file.clone()));
            }
        }
        done.insert(name, chosen.fields.clone());
    }
    done
}

/// The lines under the README heading that is exactly `` `name` ``, up to the next heading.
fn section<'a>(readme: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let heading = format!("`{name}`");
    let mut lines = readme.lines();
    lines.find(|l| l.starts_with('#') && l.trim_start_matches('#').trim() == heading)?;
    Some(lines.take_while(|l| !l.starts_with('#')).collect())
}

/// The fields a struct's README section lists: each a line starting ``- `field` ``.
fn listed_fields(lines: &[&str]) -> BTreeSet<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(field, _)| field.to_string())
        .collect()
}

#[test]
fn every_template_and_static_file_is_named_in_the_readme() {
    let readme = readme();
    let theme = manifest_dir().join("themes/default");
    let mut missing = Vec::new();
    for folder in ["templates", "handout", "static"] {
        for file in files_under(&theme.join(folder), &theme) {
            if !readme.contains(&format!("`{file}`")) {
                missing.push(file);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "themes/default/README.md does not name these theme files (as `path`):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_view_struct_field_is_listed_under_its_struct_in_the_readme() {
    let readme = readme();
    let mut problems = Vec::new();
    for (name, fields) in theme_structs() {
        let Some(lines) = section(&readme, &name) else {
            problems.push(format!("{name}: no heading `{name}`"));
            continue;
        };
        let listed = listed_fields(&lines);
        let declared: BTreeSet<String> = fields.into_iter().map(|(field, _)| field).collect();
        for field in declared.difference(&listed) {
            problems.push(format!("{name}.{field}: not listed under `{name}`"));
        }
        for field in listed.difference(&declared) {
            problems.push(format!(
                "{name}.{field}: listed, but {name} has no such field"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "themes/default/README.md is out of step with the view structs:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_struct_the_readme_documents_exists() {
    let readme = readme();
    let all = library_structs();
    let stale: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("####"))
        .filter_map(|l| {
            l.trim_start_matches('#')
                .trim()
                .strip_prefix('`')?
                .strip_suffix('`')
        })
        .filter(|name| !all.contains_key(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "themes/default/README.md documents structs the code no longer has: {stale:?}"
    );
}

#[test]
fn the_struct_reader_sees_fields_and_nothing_else() {
    let text = "/// Doc.\n#[derive(Serialize)]\npub struct A {\n    /// The id.\n    pub id: String,\n    pub parts: Vec<crate::text::diff::Part>,\n    hidden: u8,\n}\npub struct Unit;\npub fn f() {}\n";
    assert_eq!(
        structs_in(text),
        vec![(
            "A".to_string(),
            vec![
                ("id".to_string(), "String".to_string()),
                (
                    "parts".to_string(),
                    "Vec<crate::text::diff::Part>".to_string()
                )
            ]
        )]
    );
    let readme =
        "#### `A`\n\nText.\n\n- `id` (text): x\n  more\n- `parts` (list): y\n\n#### `B`\n- `z`\n";
    let lines = section(readme, "A").unwrap();
    assert_eq!(
        listed_fields(&lines),
        BTreeSet::from(["id".to_string(), "parts".to_string()])
    );
    assert!(section(readme, "C").is_none());
}
