//! Minifies `style/picker.css` into `OUT_DIR` for `src/embed/shadow.rs`, so the comments that
//! document the stylesheet cost the bundle nothing; and names the locale files of `locales/` by
//! their content for `src/i18n/locale.rs`.

use std::{env, fs, path::Path};

use sha2::{Digest, Sha256};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let source = "style/picker.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).expect("style/picker.css is readable");
    fs::write(Path::new(&out).join("picker.min.css"), minify(&css)).expect("OUT_DIR is writable");
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

/// Drops comments and needless whitespace; strings are copied untouched.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            '"' | '\'' => {
                push_space(&mut out, &mut space, c);
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                push_space(&mut out, &mut space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes a pending space before `next` unless punctuation on either side makes it needless.
fn push_space(out: &mut String, space: &mut bool, next: char) {
    const TIGHT: &[char] = &['{', '}', ';', ','];
    if std::mem::take(space) && !out.is_empty() && !out.ends_with(TIGHT) && !TIGHT.contains(&next) {
        out.push(' ');
    }
}
