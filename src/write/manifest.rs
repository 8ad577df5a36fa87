//! The manifest, `<out>/.evident-manifest.json`: the files the writer owns, each with its
//! blake3 hash, read and checked before a build and written, byte for byte stable, after it.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{WriteError, io_error};
use super::guards::check_output_path;

/// The manifest's file name, directly inside the output folder.
pub const MANIFEST_FILE: &str = ".evident-manifest.json";

pub(super) const MANIFEST_VERSION: u32 = 1;

#[derive(Serialize)]
struct ManifestOut<'a> {
    evident_manifest: u32,
    files: &'a BTreeMap<String, String>,
}

#[derive(Deserialize)]
pub(super) struct ManifestIn {
    evident_manifest: u32,
    pub(super) files: BTreeMap<String, String>,
}

/// The manifest's bytes: sorted keys, fixed layout, so one output always gives one manifest.
pub(super) fn encode_manifest(
    out_dir: &Path,
    files: &BTreeMap<String, String>,
) -> Result<Vec<u8>, WriteError> {
    let manifest = ManifestOut {
        evident_manifest: MANIFEST_VERSION,
        files,
    };
    // Cannot fail for string maps; reported rather than replaced by an empty manifest, which
    // would make the next build treat every file as foreign.
    let mut bytes = serde_json::to_vec_pretty(&manifest)
        .map_err(|error| io_error("encode the manifest for", out_dir)(io::Error::other(error)))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The previous manifest: which files the writer owns, and its exact bytes.
#[derive(Debug, Default)]
pub(super) struct Previous {
    pub(super) files: BTreeMap<String, String>,
    pub(super) raw: Option<Vec<u8>>,
}

pub(super) fn read_manifest(out_dir: &Path) -> Result<Previous, WriteError> {
    let manifest = out_dir.join(MANIFEST_FILE);
    let corrupt = |reason: String| WriteError::CorruptManifest {
        manifest: manifest.clone(),
        out_dir: out_dir.to_path_buf(),
        reason,
    };
    match fs::symlink_metadata(&manifest) {
        // No manifest: the writer owns nothing yet, and every file there is someone else's.
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Previous::default()),
        Err(error) => return Err(corrupt(format!("it cannot be inspected ({error})"))),
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(corrupt("it is not a regular file".to_owned()));
        }
        Ok(_) => {}
    }
    let raw =
        fs::read(&manifest).map_err(|error| corrupt(format!("it cannot be read ({error})")))?;
    let parsed: ManifestIn = serde_json::from_slice(&raw)
        .map_err(|error| corrupt(format!("it is not a valid manifest ({error})")))?;
    if parsed.evident_manifest != MANIFEST_VERSION {
        return Err(corrupt(format!(
            "it has format version {}, and this evident reads version {MANIFEST_VERSION} (was it \
             written by another version of evident?)",
            parsed.evident_manifest
        )));
    }
    for (path, hash) in &parsed.files {
        check_output_path(path)
            .map_err(|reason| corrupt(format!("it lists the path {path:?}, and {reason}")))?;
        let is_hash = hash.len() == 64
            && hash
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte));
        if !is_hash {
            return Err(corrupt(format!(
                "the hash of {path:?} is not a blake3 hex digest"
            )));
        }
    }
    Ok(Previous {
        files: parsed.files,
        raw: Some(raw),
    })
}
