//! Names the locale files of `locales/` by their content for `src/i18n/locale.rs`. (The
//! stylesheet is not in the wasm: `scripts/write-entry.sh` puts it into the entry module.)

use std::{env, fs, path::Path};

use sha2::{Digest, Sha256};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("locale_files.rs"), locale_files())
        .expect("OUT_DIR is writable");
}

/// `FILES`: for each `locales/<tag>.json`, its tag and the name it has in the release folder,
/// `<tag>-<first 16 hex digits of its SHA-256>.json`, which `scripts/write-entry.sh` gives it too
/// (`sha256sum`): a new text is a new name, so the files may be cached for ever.
fn locale_files() -> String {
    println!("cargo:rerun-if-changed=locales");
    let mut files: Vec<(String, String)> = fs::read_dir("locales")
        .expect("locales/ is readable")
        .map(|entry| entry.expect("a readable locales/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let tag = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("a locale file named by its tag")
                .to_owned();
            let bytes = fs::read(&path).expect("a readable locale file");
            let hash: String = Sha256::digest(&bytes)
                .iter()
                .take(8)
                .map(|byte| format!("{byte:02x}"))
                .collect();
            let name = format!("{tag}-{hash}.json");
            (tag, name)
        })
        .collect();
    files.sort();
    let entries: String = files
        .iter()
        .map(|(tag, name)| format!("    ({tag:?}, {name:?}),\n"))
        .collect();
    format!(
        "/// Every locale file: its tag and its content-hashed name (build.rs).\n\
         pub const FILES: [(&str, &str); {}] = [\n{entries}];\n",
        files.len()
    )
}
