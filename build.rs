//! Minifies `style/picker.css` into `OUT_DIR` for `src/embed/shadow.rs`, so the comments that
//! document the stylesheet cost the bundle nothing.

use std::{env, fs, path::Path};

fn main() {
    let source = "style/picker.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).expect("style/picker.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("picker.min.css");
    fs::write(out, minify(&css)).expect("OUT_DIR is writable");
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
