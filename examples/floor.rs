//! The I/O floor for the build benchmark: reads every input file of a site, then writes files
//! with the same relative paths and sizes as a built output folder into a fresh folder. What
//! it costs is what any generator must pay to read that input and create that output.
//!
//! ```sh
//! cargo run --release --example floor -- SITE BUILT_OUTPUT FRESH_FOLDER
//! ```

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let [site, like, fresh] = args.as_slice() else {
        eprintln!("usage: floor SITE BUILT_OUTPUT FRESH_FOLDER");
        std::process::exit(2);
    };
    assert!(!fresh.exists(), "{} must not exist", fresh.display());
    let mut inputs = Vec::new();
    for dir in ["content", "citations"] {
        files(&site.join(dir), &mut inputs);
    }
    let mut read = 0usize;
    for path in &inputs {
        read += std::fs::read(path).map(|b| b.len()).unwrap_or(0);
    }
    let mut outputs = Vec::new();
    files(like, &mut outputs);
    let mut written = 0usize;
    for path in &outputs {
        let rel = path.strip_prefix(like).expect("inside");
        if rel.to_string_lossy().starts_with(".evident") {
            continue;
        }
        let size = std::fs::metadata(path)
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        let target = fresh.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(&target, vec![b'x'; size]).expect("write");
        written += size;
    }
    println!(
        "floor: read {} files ({read} bytes), wrote {} files ({written} bytes)",
        inputs.len(),
        outputs.len()
    );
}
