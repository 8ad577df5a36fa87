//! The I/O floor for the build benchmark: reads every input file of a site, then writes files
//! with the given relative paths and sizes into a fresh folder, on every core. What it costs
//! is what any generator must pay to read that input and create that output.
//!
//! ```sh
//! find BUILT_OUTPUT -type f -printf '%P\t%s\n' > sizes.tsv
//! cargo run --release --example floor -- SITE sizes.tsv FRESH_FOLDER
//! ```
//!
//! The listing is made beforehand so that the floor does not pay for inspecting the built
//! output; folders are created first, in order, as any writer must.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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
    let [site, listing, fresh] = args.as_slice() else {
        eprintln!("usage: floor SITE SIZES_TSV FRESH_FOLDER");
        std::process::exit(2);
    };
    assert!(!fresh.exists(), "{} must not exist", fresh.display());
    let listing = std::fs::read_to_string(listing).expect("read the size listing");
    let outputs: Vec<(PathBuf, usize)> = listing
        .lines()
        .filter(|line| !line.starts_with(".evident"))
        .filter_map(|line| {
            let (path, size) = line.split_once('\t')?;
            Some((fresh.join(path), size.parse().ok()?))
        })
        .collect();

    let mut inputs = Vec::new();
    for dir in ["content", "citations"] {
        files(&site.join(dir), &mut inputs);
    }
    let read: usize = inputs
        .par_iter()
        .map(|path| std::fs::read(path).map(|b| b.len()).unwrap_or(0))
        .sum();
    let folders: BTreeSet<&Path> = outputs.iter().filter_map(|(p, _)| p.parent()).collect();
    for folder in folders {
        std::fs::create_dir_all(folder).expect("mkdir");
    }
    let written: usize = outputs
        .par_iter()
        .map(|(path, size)| {
            std::fs::write(path, vec![b'x'; *size]).expect("write");
            *size
        })
        .sum();
    println!(
        "floor: read {} files ({read} bytes), wrote {} files ({written} bytes)",
        inputs.len(),
        outputs.len()
    );
}
