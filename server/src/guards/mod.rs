//! The guards in front of the backend's handlers, composed here and only here, in the order a
//! request meets them:
//!
//! 1. **Trace span**: method and path (never the query, which carries signatures).
//! 2. **Client IP** ([`client_ip`]): `serve` attaches the peer address; the rate limit keys on
//!    it, or on the client a trusted proxy names in `X-Forwarded-For` (IPv6 by /64).
//! 3. **Body limit** ([`body_limit`]): every body read whole, at most 64 KiB, within the header
//!    timeout, before any handler or guard below runs.
//! 4. **Security headers** ([`security_headers`]): `nosniff` and `no-referrer` on the backend's
//!    own answers (probes, `/token`, static files), refusals below included.
//!
//! Then for `POST /token`:
//!
//! 5. **Origin** ([`origin`]): a foreign `Origin` is refused, preflights are answered, CORS
//!    headers added; it wraps everything below, 405s included.
//! 6. **Method**: anything but `POST` answers 405 (not counted by the rate limit).
//! 7. **Rate limit before authentication** ([`rate_limit`]): a client whose refusals used up
//!    their allowance is refused unheard, sparing the auth service, unless its request carries
//!    a ticket or a credential that passed forward-auth from it lately
//!    ([`known_credentials`]) and its authenticated allowance is not used up too.
//! 8. **Authentication** ([`authn`]): a ticket signed by the CMS decides, else the forward-auth
//!    service ([`forward_auth`]); with neither configured, anyone (sandbox, or the operator's
//!    opt-in).
//! 9. **Rate limit**: the request counted in the bucket of its outcome (authenticated or
//!    refused), so refusals from a shared address cannot use up an editor's allowance.
//! 10. **Scope** ([`scope`]): the granted scope and the client's key handed to the handler,
//!     which picks the token cache.
//!
//! And for the static files (`--static-dir`), after 4:
//!
//! 5. **Static paths** ([`static_files`]): dotfiles, `//` and links out of the directory are
//!    refused; `ServeDir`'s empty 404/405 become the backend's JSON errors.
//!
//! Every refusal is a [`crate::error::ApiError`]: one JSON answer and one log line, written once.

pub mod authn;
pub mod body_limit;
pub mod client_ip;
pub mod forward_auth;
pub mod known_credentials;
pub mod origin;
pub mod rate_limit;
pub mod scope;
pub mod security_headers;
pub mod static_files;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::middleware;
use axum::routing::MethodRouter;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::error;
use crate::settings::Settings;
use authn::TokenAuth;
use known_credentials::KnownCredentials;
use origin::OriginPolicy;
use rate_limit::RateLimiter;
use static_files::StaticRoot;

/// The guards' state, from the settings.
#[derive(Clone)]
pub struct Guards {
    body_timeout: Duration,
    origins: OriginPolicy,
    auth: Arc<TokenAuth>,
    limiter: Arc<RateLimiter>,
    known: Arc<KnownCredentials>,
}

impl Guards {
    /// The guards for `settings`, authenticating with `auth`; the key of the credentials'
    /// hashes comes from the operating system's random source.
    pub fn new(settings: &Settings, auth: TokenAuth) -> Result<Self, getrandom::Error> {
        let limit = &settings.rate_limit;
        Ok(Self {
            body_timeout: settings.serve.header_timeout,
            origins: settings.origins.clone(),
            auth: Arc::new(auth),
            limiter: Arc::new(RateLimiter::new(
                limit.limit,
                limit.window,
                &limit.trusted_proxies,
            )),
            known: Arc::new(KnownCredentials::new()?),
        })
    }

    /// Steps 1–3, around every route (the sandbox's included).
    pub fn around_all(&self, app: Router) -> Router {
        app.layer(
            ServiceBuilder::new()
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                        tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                    }),
                )
                .layer(middleware::from_fn_with_state(
                    self.body_timeout,
                    body_limit::limit,
                )),
        )
    }

    /// Step 4, for the backend's own endpoints that need nothing else (the probes).
    pub fn own(route: MethodRouter) -> MethodRouter {
        route.layer(middleware::from_fn(security_headers::add))
    }

    /// Steps 4–10 around `POST /token`'s handler.
    pub fn token(&self, handler: MethodRouter) -> MethodRouter {
        handler
            // Steps 7–10; a route layer, so only requests reaching the handler count.
            .route_layer(middleware::from_fn_with_state(
                authn::Authn {
                    auth: self.auth.clone(),
                    limiter: self.limiter.clone(),
                    known: self.known.clone(),
                },
                authn::require,
            ))
            // Step 6, set before steps 4–5 are layered: a fallback added later would bypass
            // them, preflights included.
            .fallback(error::method_not_allowed)
            .layer(
                ServiceBuilder::new()
                    .layer(middleware::from_fn(security_headers::add))
                    .layer(middleware::from_fn_with_state(
                        self.origins.clone(),
                        origin::guard,
                    )),
            )
    }

    /// Steps 4–5 around the files of `root`.
    pub fn static_files(root: StaticRoot) -> Router {
        let files = ServeDir::new(root.path());
        Router::new().fallback_service(files).layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(security_headers::add))
                .layer(middleware::from_fn_with_state(root, static_files::guard)),
        )
    }
}
