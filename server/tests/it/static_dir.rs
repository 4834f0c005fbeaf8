//! `--static-dir` serves the widget's files and nothing else: no dotfiles, no symlinks out of
//! the root, no redirect to another host, and JSON errors like every other endpoint.

use crate::common;

use std::path::{Path, PathBuf};

use getty_picker_server::{start, Config, RunningServer};
use reqwest::{redirect, Client, StatusCode};
use serde_json::Value;

/// A fresh directory under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!(
            "getty-picker-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).expect("scratch dir");
        Self(path)
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent dir");
        }
        std::fs::write(&path, contents).expect("write");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn link(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

async fn serve(site: &Path) -> RunningServer {
    let mut config = Config::sandbox();
    config.static_dir = Some(site.to_owned());
    start(config).await.expect("starts")
}

async fn not_found_json(response: reqwest::Response, path: &str) {
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    let body: Value = response
        .json()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(body["error"], "not_found", "{path}");
}

#[tokio::test]
async fn only_the_sites_own_files_are_served() {
    let outside = Scratch::new("outside");
    let secret = outside.write("secret.txt", "outside0secret");
    outside.write("dir/index.html", "outside0index");
    let site = Scratch::new("site");
    site.write("index.html", "<h1>picker</h1>");
    site.write("examples/index.html", "examples");
    site.write("app.js", "console.log(1)");
    site.write(".env", "GETTY_API_SECRET=dotfile0secret");
    site.write(".git/config", "[remote] dotfile0secret");
    site.write("assets/.hidden", "dotfile0secret");
    link(&secret, &site.0.join("leak.txt"));
    link(&outside.0.join("dir"), &site.0.join("linked-dir"));
    link(&site.0.join("app.js"), &site.0.join("alias.js"));
    let server = serve(&site.0).await;
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    let root = common::base(server.addr());

    for (path, expected) in [
        ("/", "<h1>picker</h1>"),
        ("/index.html", "<h1>picker</h1>"),
        ("/examples/", "examples"),
        ("/alias.js", "console.log(1)"),
    ] {
        let response = client
            .get(format!("{root}{path}"))
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.text().await.expect("text"), expected, "{path}");
    }
    for path in [
        "/.env",
        "/.git/config",
        "/assets/.hidden",
        "/%2eenv",
        "/leak.txt",
        "/linked-dir/",
        "/linked-dir/index.html",
        "/missing.js",
        "//examples",
        "//examples/",
        "/examples//index.html",
    ] {
        let response = client
            .get(format!("{root}{path}"))
            .send()
            .await
            .expect("get");
        assert!(response.headers().get("location").is_none(), "{path}");
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.expect("text");
        assert!(!body.contains("secret"), "{path}: {body}");
        let body: Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e} {body}"));
        assert_eq!(body["error"], "not_found", "{path} {headers}");
    }
    // A directory without its slash is still redirected, on this host.
    let redirect = client
        .get(format!("{root}/examples"))
        .send()
        .await
        .expect("get");
    assert!(redirect.status().is_redirection());
    assert_eq!(redirect.headers()["location"], "/examples/");
    let post = client
        .post(format!("{root}/index.html"))
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = post.json().await.expect("json");
    assert_eq!(body["error"], "method_not_allowed");
    not_found_json(
        client
            .get(format!("{root}/nope/deeper"))
            .send()
            .await
            .expect("get"),
        "/nope/deeper",
    )
    .await;
    server.shutdown().await;
}

#[tokio::test]
async fn the_backends_own_answers_forbid_sniffing_and_referrers() {
    let site = Scratch::new("headers");
    site.write("index.html", "<h1>picker</h1>");
    site.write("app.js", "console.log(1)");
    let server = serve(&site.0).await;
    let client = Client::new();
    let root = common::base(server.addr());
    for (method, path) in [
        ("GET", "/"),
        ("GET", "/app.js"),
        ("GET", "/missing.js"),
        ("GET", "/.env"),
        ("POST", "/token"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let response = client
            .request(method, format!("{root}{path}"))
            .send()
            .await
            .expect("answer");
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_static_dir_given_through_a_symlink_still_works() {
    let site = Scratch::new("real-site");
    site.write("index.html", "linked site");
    let holder = Scratch::new("holder");
    let linked = holder.0.join("site");
    link(&site.0, &linked);
    let server = serve(&linked).await;
    let response = reqwest::get(format!("{}/", common::base(server.addr())))
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.expect("text"), "linked site");
    server.shutdown().await;
}
