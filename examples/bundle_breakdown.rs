//! Where the wasm's bytes go: reads a wasm file that keeps its function names (see
//! `scripts/bundle-breakdown.sh`), attributes each function body to a group by its name, and
//! prints each group's raw size and its size gzipped on its own (so the groups add up to a little
//! more than the whole), then the largest functions. Figures, not a test.
//!
//! `cargo run --release --example bundle_breakdown -- NAMED.wasm [TOP]` (default 25)

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

/// Groups, first match wins: (name, what a function's name contains).
const GROUPS: [(&str, &[&str]); 11] = [
    (
        "serde-wasm-bindgen (one deserialize_any per type)",
        &["serde_wasm_bindgen"],
    ),
    (
        "serde decoders of the picker's types (derive, lenient)",
        &[
            "Deserialize for",
            "Visitor",
            "serde_core",
            "lenient",
            "__Field",
        ],
    ),
    (
        "the picker's view tree (inlined into the mount's render)",
        &[
            "getty_picker::embed::registry::mount::",
            "getty_picker::embed::registry::render::",
        ],
    ),
    (
        "float formatting (serde's error messages)",
        &["f64 as core", "flt2dec"],
    ),
    (
        "Leptos views (tachys)",
        &[
            "tachys",
            "leptos::",
            "either_of",
            "RenderEffect",
            "render_effect",
        ],
    ),
    (
        "Leptos reactivity (reactive_graph)",
        &[
            "reactive_graph",
            "slotmap",
            "indexmap",
            "hashbrown",
            "any_spawner",
        ],
    ),
    (
        "the picker's own code (components, http, state, i18n, getty)",
        &["getty_picker"],
    ),
    (
        "allocator (dlmalloc)",
        &["dlmalloc", "__rust_alloc", "__rdl"],
    ),
    (
        "formatting and panics (core::fmt)",
        &[
            "fmt::",
            "Formatter",
            "Display",
            "Debug",
            "panic",
            "unwrap_failed",
            "slice_error",
        ],
    ),
    (
        "wasm-bindgen, js-sys, web-sys, gloo-net, futures",
        &[
            "js_sys",
            "wasm_bindgen",
            "web_sys",
            "externref",
            "shim",
            "gloo",
            "futures",
        ],
    ),
    ("the rest of std, core and alloc", &[""]),
];

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: bundle_breakdown NAMED.wasm [TOP]");
        return ExitCode::from(2);
    };
    let top: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(25);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let module = match Module::parse(&bytes) {
        Some(module) if !module.names.is_empty() => module,
        _ => {
            eprintln!("{path}: not a wasm file with a name section (scripts/bundle-breakdown.sh)");
            return ExitCode::FAILURE;
        }
    };
    let name = |index: usize| {
        module
            .names
            .get(&(module.imported_functions + index))
            .map_or("?", String::as_str)
    };
    let mut grouped: Vec<Vec<u8>> = vec![Vec::new(); GROUPS.len()];
    let mut counts = vec![0usize; GROUPS.len()];
    for (index, body) in module.bodies.iter().enumerate() {
        let group = GROUPS
            .iter()
            .position(|(_, needles)| needles.iter().any(|needle| name(index).contains(needle)))
            .unwrap_or(GROUPS.len() - 1);
        grouped[group].extend_from_slice(body);
        counts[group] += 1;
    }
    let mut rows: Vec<(usize, usize, usize, &str)> = grouped
        .iter()
        .zip(&counts)
        .zip(GROUPS)
        .map(|((code, count), (group, _))| (gzip(code), code.len(), *count, group))
        .collect();
    rows.sort_by(|a, b| b.cmp(a));
    println!("| what | functions | raw | gzip -9 |\n|---|---:|---:|---:|");
    for (gzipped, raw, count, group) in &rows {
        println!("| {group} | {count} | {raw} B | {gzipped} B |");
    }
    let code: Vec<u8> = module.bodies.concat();
    println!(
        "| all code | {} | {} B | {} B |",
        module.bodies.len(),
        code.len(),
        gzip(&code)
    );
    println!(
        "| data (texts, panic messages, tables) | | {} B | {} B |",
        module.data.len(),
        gzip(&module.data)
    );
    println!("\nlargest functions (raw bytes):");
    let mut sizes: Vec<(usize, &str)> = module
        .bodies
        .iter()
        .enumerate()
        .map(|(index, body)| (body.len(), name(index)))
        .collect();
    sizes.sort_by(|a, b| b.cmp(a));
    for (size, name) in sizes.into_iter().take(top) {
        println!("{size:>7}  {}", name.chars().take(140).collect::<String>());
    }
    ExitCode::SUCCESS
}

fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory").len()
}

/// What the breakdown needs of a wasm module.
#[derive(Default)]
struct Module {
    /// Imported functions come first in the function index space.
    imported_functions: usize,
    /// Function bodies, in order.
    bodies: Vec<Vec<u8>>,
    /// The data segments' sections, as they are.
    data: Vec<u8>,
    /// Function names by index (the `name` section).
    names: BTreeMap<usize, String>,
}

impl Module {
    fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.get(..4)? != b"\0asm" {
            return None;
        }
        let mut module = Module::default();
        let mut at = 8;
        while at < bytes.len() {
            let id = *bytes.get(at)?;
            let (size, start) = leb(bytes, at + 1)?;
            let section = bytes.get(start..start + size)?;
            match id {
                2 => module.imported_functions = imported_functions(section)?,
                10 => module.bodies = bodies(section)?,
                11 => module.data.extend_from_slice(section),
                0 => {
                    let (length, name_at) = leb(section, 0)?;
                    if section.get(name_at..name_at + length)? == b"name" {
                        module.names = names(&section[name_at + length..])?;
                    }
                }
                _ => {}
            }
            at = start + size;
        }
        Some(module)
    }
}

/// An unsigned LEB128 number at `at`, and where the next item starts.
fn leb(bytes: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let (mut value, mut shift) = (0usize, 0);
    loop {
        let byte = *bytes.get(at)?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some((value, at));
        }
        shift += 7;
    }
}

/// Skips a name (length and bytes) at `at`.
fn skip_name(bytes: &[u8], at: usize) -> Option<usize> {
    let (length, at) = leb(bytes, at)?;
    Some(at + length)
}

fn imported_functions(section: &[u8]) -> Option<usize> {
    let (count, mut at) = leb(section, 0)?;
    let mut functions = 0;
    for _ in 0..count {
        at = skip_name(section, skip_name(section, at)?)?;
        let kind = *section.get(at)?;
        at += 1;
        match kind {
            0 => {
                functions += 1;
                at = leb(section, at)?.1;
            }
            // A table: its element type, then limits.
            1 => at = limits(section, at + 1)?,
            2 => at = limits(section, at)?,
            // A global: its type and mutability.
            3 => at += 2,
            _ => return None,
        }
    }
    Some(functions)
}

fn limits(section: &[u8], at: usize) -> Option<usize> {
    let flags = *section.get(at)?;
    let at = leb(section, at + 1)?.1;
    if flags & 1 == 1 {
        Some(leb(section, at)?.1)
    } else {
        Some(at)
    }
}

fn bodies(section: &[u8]) -> Option<Vec<Vec<u8>>> {
    let (count, mut at) = leb(section, 0)?;
    let mut bodies = Vec::with_capacity(count);
    for _ in 0..count {
        let (size, start) = leb(section, at)?;
        bodies.push(section.get(start..start + size)?.to_vec());
        at = start + size;
    }
    Some(bodies)
}

/// The function names subsection (1) of a `name` section's contents.
fn names(section: &[u8]) -> Option<BTreeMap<usize, String>> {
    let mut names = BTreeMap::new();
    let mut at = 0;
    while at < section.len() {
        let id = *section.get(at)?;
        let (size, start) = leb(section, at + 1)?;
        if id == 1 {
            let (count, mut item) = leb(section, start)?;
            for _ in 0..count {
                let (index, name_at) = leb(section, item)?;
                let (length, text) = leb(section, name_at)?;
                let name = section.get(text..text + length)?;
                names.insert(index, String::from_utf8_lossy(name).into_owned());
                item = text + length;
            }
        }
        at = start + size;
    }
    Some(names)
}
