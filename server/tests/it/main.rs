//! The backend's integration tests, one binary (linking tokio, axum and reqwest once): one
//! module per concern, the shared kit in `common` (a fake Getty and a fake forward-auth service
//! on loopback), sandbox tokens in `sandbox_tokens`, Getty's OpenAPI file in `openapi`.
//! Runs only with the `sandbox` feature (the default), as most modules drive the sandbox.

mod common;
mod openapi;
mod sandbox_tokens;

mod cors;
mod faults;
mod forward_auth;
mod hardening;
mod live_check;
mod logs;
mod oauth_errors;
mod rate_limit;
mod refresh;
mod robustness;
mod sandbox;
mod sandbox_account;
mod sandbox_history;
mod sandbox_images;
mod sandbox_mode;
mod sandbox_schemas;
mod sandbox_strict;
mod scopes;
mod search_only;
mod slow_clients;
mod startup;
mod starvation;
mod static_dir;
mod tickets;
mod token;
