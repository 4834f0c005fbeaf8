//! `--static-dir`: the widget's files, and nothing else from the disk.
//!
//! `ServeDir` follows symlinks, serves dotfiles and answers a directory without its trailing
//! slash with a redirect to the same path plus `/`; for `//examples` that is `//examples/`, a
//! protocol-relative URL to the host "examples". This guard refuses all three before
//! `ServeDir` runs and turns its empty 404/405 answers into the backend's JSON errors.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

use crate::error::{ApiError, RouteError};

/// The served directory, canonicalised once at start.
#[derive(Debug, Clone)]
pub struct StaticRoot {
    root: Arc<Path>,
}

impl StaticRoot {
    /// `dir`, resolved to its canonical path (symlinks in the configured path itself are fine).
    pub fn new(dir: &Path) -> std::io::Result<Self> {
        Ok(Self {
            root: dir.canonicalize()?.into(),
        })
    }

    /// The canonical root.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The file `path` names under the root, or `None` if it must not be served: an empty
    /// segment (`//`), a segment starting with `.` (dotfiles, `..`), a backslash or a NUL.
    pub fn resolve(&self, path: &str) -> Option<PathBuf> {
        let inner = path.strip_prefix('/')?;
        let mut file = self.root.to_path_buf();
        let segments: Vec<&str> = inner.split('/').collect();
        let last = segments.len() - 1;
        for (i, raw) in segments.into_iter().enumerate() {
            let segment = percent_decode_str(raw).decode_utf8().ok()?;
            // An empty last segment is a directory's trailing slash; elsewhere it is `//`.
            if segment.is_empty() && i == last {
                continue;
            }
            if segment.is_empty() || segment.starts_with('.') || segment.contains(['/', '\\', '\0'])
            {
                return None;
            }
            file.push(&*segment);
        }
        Some(file)
    }

    /// Whether `file` stays inside the root once symlinks are resolved; a file that does not
    /// exist is let through (ServeDir answers 404).
    async fn contains(&self, file: &Path) -> bool {
        let Ok(real) = tokio::fs::canonicalize(file).await else {
            return true;
        };
        if !real.starts_with(&self.root) {
            return false;
        }
        // A directory is served through its index.html, which may itself be a link out.
        if tokio::fs::metadata(&real).await.is_ok_and(|m| m.is_dir()) {
            if let Ok(index) = tokio::fs::canonicalize(real.join("index.html")).await {
                return index.starts_with(&self.root);
            }
        }
        true
    }
}

/// Middleware in front of `ServeDir`: refuses what must not be served, JSON for its errors.
pub async fn guard(State(root): State<StaticRoot>, request: Request, next: Next) -> Response {
    let allowed = match root.resolve(request.uri().path()) {
        Some(file) => root.contains(&file).await,
        None => false,
    };
    if !allowed {
        return ApiError::HiddenPath.into_response();
    }
    let response = next.run(request).await;
    match response.status() {
        StatusCode::NOT_FOUND => ApiError::from(RouteError::NotFound).into_response(),
        StatusCode::METHOD_NOT_ALLOWED => {
            ApiError::from(RouteError::MethodNotAllowed).into_response()
        }
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_are_never_served() {
        let root = StaticRoot {
            root: Path::new("/srv/site").into(),
        };
        assert_eq!(
            root.resolve("/examples/a%20b.html"),
            Some(PathBuf::from("/srv/site/examples/a b.html"))
        );
        assert_eq!(root.resolve("/"), Some(PathBuf::from("/srv/site")));
        assert_eq!(
            root.resolve("/examples/"),
            Some(PathBuf::from("/srv/site/examples"))
        );
        for bad in [
            "//examples",
            "/a//b",
            "/.env",
            "/.git/config",
            "/x/%2e%2e/y",
            "/%2egit/config",
            "/a%2fb",
            "/a%5cb",
            "/a%00",
            "/%ff",
        ] {
            assert_eq!(root.resolve(bad), None, "{bad}");
        }
    }
}
