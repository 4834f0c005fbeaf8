//! The npm package: `npm pack` of the release folder (`GETTY_PICKER_DIST` or `dist/`), unpacked
//! as `npm install` would put it in `node_modules/getty-picker`. Its files and manifest, its type
//! declarations under `tsc --strict` (tests/types/usage.ts), and its entry, found through the
//! manifest's `exports` as Node resolves it, imported in headless Chromium from the unpacked
//! files, where the picker mounts and searches the sandbox.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use support::{eventually, titles, Browser, CmsHost, Sandbox, TempDir};

/// The package as an integrator's project holds it after installing the tarball.
struct Installed {
    project: TempDir,
    /// `npm pack --json`'s account of the tarball.
    listing: Value,
}

impl Installed {
    /// Packs the release folder and unpacks the tarball into a fresh project's `node_modules`.
    fn pack() -> Self {
        let dist = std::env::var_os("GETTY_PICKER_DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
        assert!(
            dist.join("package.json").is_file(),
            "{} has no package.json: run scripts/build.sh first",
            dist.display()
        );
        let project = TempDir::new("npm-project");
        let output = Command::new("npm")
            .args(["pack", "--json", "--pack-destination"])
            .arg(project.path())
            .arg(&dist)
            .current_dir(project.path())
            .env("npm_config_update_notifier", "false")
            .env("npm_config_fund", "false")
            .output()
            .expect("npm runs (scripts/setup.sh needs it as well)");
        assert!(
            output.status.success(),
            "npm pack failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let listing: Value = serde_json::from_slice(&output.stdout).expect("npm pack's JSON");
        let listing = listing[0].clone();
        let tarball = project.path().join(
            listing["filename"]
                .as_str()
                .expect("npm pack names the tarball"),
        );
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(project.path())
            .status()
            .expect("tar runs");
        assert!(status.success(), "the tarball unpacks");
        std::fs::create_dir_all(project.path().join("node_modules")).expect("node_modules/");
        std::fs::rename(
            project.path().join("package"),
            project.path().join("node_modules/getty-picker"),
        )
        .expect("the package moves into node_modules/getty-picker");
        Self { project, listing }
    }

    fn dir(&self) -> &Path {
        self.project.path()
    }

    /// The file `import "getty-picker"` loads, as Node resolves it through `exports`.
    fn resolve_entry(&self) -> PathBuf {
        let output = Command::new("node")
            .args([
                "--input-type=module",
                "-e",
                "process.stdout.write(import.meta.resolve('getty-picker'))",
            ])
            .current_dir(self.dir())
            .output()
            .expect("node runs");
        assert!(
            output.status.success(),
            "node resolves getty-picker: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let url = String::from_utf8(output.stdout).expect("a UTF-8 URL");
        PathBuf::from(url.strip_prefix("file://").expect("a file URL"))
    }
}

#[test]
fn npm_pack_gives_the_entry_its_two_files_the_locales_the_types_and_a_manifest_and_nothing_else() {
    let installed = Installed::pack();
    assert_eq!(installed.listing["name"], "getty-picker");
    assert_eq!(
        installed.listing["version"],
        env!("CARGO_PKG_VERSION"),
        "the package's version is the crate's"
    );
    let package = installed.dir().join("node_modules/getty-picker");
    let entry = std::fs::read_to_string(package.join("getty-picker.js")).expect("the entry");
    let bindings = entry
        .split("import(\"./")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the entry imports the bindings");
    let wasm = bindings.replace(".js", "_bg.wasm");
    let mut files: Vec<String> = installed.listing["files"]
        .as_array()
        .expect("npm pack lists the files")
        .iter()
        .filter_map(|file| file["path"].as_str().map(str::to_owned))
        .collect();
    files.sort();
    let mut expected = vec![
        bindings.to_owned(),
        wasm.clone(),
        "getty-picker.d.ts".to_owned(),
        "getty-picker.js".to_owned(),
        "package.json".to_owned(),
    ];
    // Every locale file, under the name the wasm asks for.
    expected.extend(
        getty_picker::i18n::Locale::all()
            .filter_map(|locale| locale.file())
            .map(|file| format!("locales/{file}")),
    );
    expected.sort();
    assert_eq!(files, expected, "no dev page, no example, nothing missing");
    assert!(
        entry.contains(&format!("new URL(\"./{wasm}\", import.meta.url)")),
        "the entry loads the packed wasm"
    );

    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(package.join("package.json")).expect("package.json"),
    )
    .expect("package.json is JSON");
    assert_eq!(manifest["type"], "module");
    assert_eq!(manifest["types"], "./getty-picker.d.ts");
    assert_eq!(
        manifest["exports"]["."],
        json!({"types": "./getty-picker.d.ts", "default": "./getty-picker.js"})
    );
    assert_eq!(
        installed.resolve_entry(),
        package.join("getty-picker.js"),
        "`import \"getty-picker\"` loads the entry"
    );
}

#[test]
fn the_type_declarations_pass_tsc_strict_against_the_usage_file() {
    let installed = Installed::pack();
    let types = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/types");
    for file in ["usage.ts", "tsconfig.json"] {
        std::fs::copy(types.join(file), installed.dir().join(file))
            .unwrap_or_else(|error| panic!("copying {file}: {error}"));
    }
    let tsc = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/node_modules/.bin/tsc");
    let output = Command::new(&tsc)
        .args(["--noEmit", "--strict", "-p", "tsconfig.json"])
        .current_dir(installed.dir())
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "{} runs ({error}); scripts/setup.sh installs it",
                tsc.display()
            )
        });
    assert!(
        output.status.success(),
        "tsc rejects the usage file against the packed declarations:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_packed_entry_mounts_and_searches_in_chromium() {
    let installed = Installed::pack();
    let entry = installed.resolve_entry();
    let entry = entry
        .strip_prefix(installed.dir())
        .expect("the entry is inside the project")
        .to_string_lossy()
        .into_owned();
    let sandbox = Sandbox::start().await;
    let api = sandbox.api_base();
    let write = |name: &str, contents: &str| {
        std::fs::write(installed.dir().join(name), contents)
            .unwrap_or_else(|error| panic!("writing {name}: {error}"));
    };
    write("spy.js", include_str!("../pages/spy.js"));
    write(
        "app.js",
        &format!(
            "import GettyPicker, {{ GettyPickerElement }} from \"/{entry}\";
             window.packed = [typeof GettyPicker.mount,
                              customElements.get(\"getty-picker\") === GettyPickerElement];\n"
        ),
    );
    write(
        "index.html",
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>npm</title>
<script src="spy.js"></script><script type="module" src="app.js"></script></head>
<body><getty-picker id="packed" token-url="{api}/token" api-key="sandbox-api-key"
 api-base="{api}">Loading…</getty-picker></body></html>"#
        ),
    );
    let cms = CmsHost::start(installed.dir(), &sandbox.csp()).await;

    let browser = Browser::start().await;
    browser
        .client
        .goto(&cms.url("index.html"))
        .await
        .expect("the page loads");
    browser.search_in("#packed", "kitties").await;
    let expected = titles("kitties", None, 1, 30);
    eventually("the packed picker shows the results", || async {
        let shown = browser.texts_in("#packed", ".gp-card .gp-title").await;
        shown.starts_with(&expected).then_some(())
    })
    .await;
    assert_eq!(
        browser.eval("return window.packed").await,
        json!(["function", true])
    );
    assert_eq!(browser.eval("return spy.violations").await, json!([]));
    assert!(sandbox.counts().search >= 1);
    browser.close().await;
}
