//! Embeds the bundled relactation site (evident.yaml, content/, citations/, reviewed/) into
//! the binary for `evident init DIR --example`, so the example always matches the
//! repository's own site.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = vec![root.join("evident.yaml")];
    for dir in ["content", "citations", "reviewed"] {
        collect(&root.join(dir), &mut files);
        println!("cargo:rerun-if-changed={dir}");
    }
    println!("cargo:rerun-if-changed=evident.yaml");
    files.sort();
    let mut code = String::from(
        "/// The bundled example site: (path relative to the site root, contents).\npub const EXAMPLE_SITE: &[(&str, &str)] = &[\n",
    );
    for file in files.iter().filter(|f| f.is_file()) {
        let rel = file
            .strip_prefix(&root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            file.to_string_lossy()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("example_site.rs");
    std::fs::write(out, code).expect("write example_site.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
