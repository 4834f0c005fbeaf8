//! getty-picker's backend: issues Getty API tokens to the widget and, with `--sandbox`,
//! serves a Getty-compatible fake API.

pub mod access;
pub mod authn;
pub mod body_limit;
pub mod client_ip;
pub mod config;
pub mod error;
pub mod forward_auth;
pub mod health;
pub mod rate_limit;
pub mod sandbox;
pub mod scope;
pub mod security_headers;
pub mod serve;
pub mod static_files;
pub mod ticket;
pub mod token;
pub mod upstream;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::routing::{get, post};
use axum::{middleware, Router};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use error::StartError;

use access::OriginPolicy;
use authn::TokenAuth;
use forward_auth::ForwardAuth;
use health::Readiness;
use rate_limit::RateLimiter;
use sandbox::Sandbox;
use serve::ServeLimits;
use static_files::StaticRoot;
use ticket::TicketVerifier;
use token::cache::TokenCache;
use token::check::TokenChecker;
use token::state::{
    Policy, CHECKS_BURST, CHECKS_REFILL, CHECKS_RESERVE, CHECK_BURST, CHECK_REFILL, LOGIN_WINDOW,
};
use token::Tokens;
use upstream::{OAuthClient, Upstream};

/// A server started by [`start`]; dropping it also stops the server, without waiting.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    sandbox: Option<Sandbox>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl RunningServer {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The sandbox, in sandbox mode.
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    /// Stops accepting connections and waits for in-flight requests to finish, at most the
    /// shutdown timeout.
    pub async fn shutdown(self) {
        // The receiver is gone only if the server already stopped, which is what we want anyway.
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => tracing::info!("server stopped"),
            Ok(Err(error)) => tracing::error!(%error, "server failed"),
            Err(error) => tracing::error!(%error, "server task failed"),
        }
    }
}

/// Binds `config.listen` (port 0 allowed), spawns the server task, returns once listening.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    config.validate()?;
    let bind_error = |source| StartError::Bind {
        addr: config.listen,
        source,
    };
    let listener = TcpListener::bind(config.listen).await.map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    // The sandbox's token URL needs the bound port, hence binding before building the client.
    let sandbox = sandbox::create(&config)?;
    let upstream = match &sandbox {
        Some(sandbox) => sandbox::upstream(sandbox, addr, config.search_only()),
        None => Upstream::from_config(&config)?,
    };
    if config.insecure_auth_url() {
        tracing::warn!(
            "PICKER_AUTH_URL is plain http:// to a host other than loopback: the editors' \
             session cookies cross the network unencrypted (allowed by \
             --allow-insecure-auth-url)"
        );
    }
    // The URL without any user:password@ part; the key and the username are never logged.
    tracing::info!(
        token_url = %config::redact_url(&upstream.token_url),
        password_grant = matches!(upstream.grant, upstream::Grant::Password { .. }),
        sandbox = config.sandbox,
        forward_auth = config.auth_url().is_some(),
        tickets = config.ticket_secret().is_some(),
        rate_limit = config.rate_limit,
        "token source configured"
    );
    if config.search_only() {
        // Every download would fail at Getty with UserTokenRequired; say so before an editor finds out.
        tracing::warn!(
            sandbox = config.sandbox,
            "{}; tokens come from the client-credentials grant, which Getty refuses for downloads",
            health::SEARCH_ONLY_WARNING
        );
    }
    if !config.sandbox && config.auth_url().is_none() && config.ticket_secret().is_none() {
        tracing::warn!(
            "PICKER_ALLOW_ANONYMOUS_TOKENS: anyone who can reach /token gets a Getty token \
             (only the Origin check and the rate limit apply); set PICKER_AUTH_URL or \
             PICKER_TICKET_SECRET to require a CMS login"
        );
    }
    let http = upstream::http_client(Duration::from_secs(config.upstream_timeout_secs))?;
    let tokens = Arc::new(token_caches(&config, &http, &upstream));
    let auth = Arc::new(TokenAuth {
        forward: config
            .auth_url()
            .map(|url| ForwardAuth::new(http, url.to_owned())),
        tickets: config.ticket_secret().cloned().map(|secret| {
            TicketVerifier::new(secret, Duration::from_secs(config.ticket_max_lifetime_secs))
        }),
    });
    let static_root = match &config.static_dir {
        Some(dir) => Some(
            StaticRoot::new(dir)
                .map_err(|_| config::ConfigError::InvalidStaticDir(dir.display().to_string()))?,
        ),
        None => None,
    };
    let app = router(&config, tokens, auth, sandbox.as_ref(), static_root);
    let limits = ServeLimits {
        header_timeout: Duration::from_secs(config.header_timeout_secs),
        max_connections: config.max_connections,
        shutdown_timeout: Duration::from_secs(config.shutdown_timeout_secs),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve::serve(listener, app, limits, async {
        // Resolves on an explicit stop or when the RunningServer is dropped.
        let _ = stopped.await;
    }));
    Ok(RunningServer {
        addr,
        sandbox,
        stop,
        task,
    })
}

/// The user token's cache and, when the service has a Getty user, the search-only callers'
/// client-credentials cache; both check refused tokens against the same API.
fn token_caches(config: &Config, http: &reqwest::Client, upstream: &Upstream) -> Tokens {
    let policy = Policy {
        margin: Duration::from_secs(config.token_margin_secs),
        refresh_min_age: Duration::from_secs(config.refresh_min_age_secs),
        // The sandbox's token endpoint is local and free, and tests fail it once on purpose.
        failure_backoff: if config.sandbox {
            Duration::ZERO
        } else {
            Duration::from_secs(config.failure_backoff_secs)
        },
        check_burst: CHECK_BURST,
        check_refill: CHECK_REFILL,
        checks_burst: CHECKS_BURST,
        checks_refill: CHECKS_REFILL,
        checks_reserve: CHECKS_RESERVE,
        max_logins: config.max_logins_per_minute,
        login_window: LOGIN_WINDOW,
    };
    let checker = TokenChecker::new(http.clone(), upstream);
    let cache = |upstream: Upstream| {
        TokenCache::new(
            OAuthClient::new(http.clone(), upstream),
            checker.clone(),
            policy,
        )
    };
    let user = cache(upstream.clone());
    let search = user
        .has_user()
        .then(|| cache(upstream.client_credentials()));
    Tokens::new(user, search)
}

/// All routes, state and middleware of the server, in one place.
fn router(
    config: &Config,
    tokens: Arc<Tokens>,
    auth: Arc<TokenAuth>,
    sandbox: Option<&Sandbox>,
    static_root: Option<StaticRoot>,
) -> Router {
    let limiter = Arc::new(RateLimiter::new(
        config.rate_limit,
        Duration::from_secs(config.rate_window_secs),
        &config.trusted_proxies,
    ));
    let readiness = match sandbox {
        Some(_) => Readiness::Sandbox {
            search_only: config.search_only(),
        },
        None => Readiness::Upstream(tokens.clone()),
    };
    // Innermost first: authentication with the rate limit (counted by its outcome), the origin
    // check (which also answers preflights) around everything, 405s included.
    let token_route = post(token::issue_token)
        .with_state(tokens)
        .route_layer(middleware::from_fn_with_state(
            (auth, limiter),
            authn::require,
        ))
        // Set before the guard is layered: a fallback added later would bypass it, preflights included.
        .fallback(error::method_not_allowed)
        .layer(middleware::from_fn_with_state(
            OriginPolicy::from_config(config),
            access::guard,
        ))
        .layer(middleware::from_fn(security_headers::add));
    let mut app = Router::new()
        .route(
            "/healthz",
            get(health::healthz).layer(middleware::from_fn(security_headers::add)),
        )
        .route(
            "/readyz",
            get(health::readyz)
                .with_state(readiness)
                .layer(middleware::from_fn(security_headers::add)),
        )
        .route("/token", token_route)
        .method_not_allowed_fallback(error::method_not_allowed);
    // Merged after the fallback above so the sandbox's CORS layer still answers its preflights.
    if let Some(sandbox) = sandbox {
        app = sandbox::mount(app, sandbox);
    }
    app = match static_root {
        Some(root) => {
            let files = ServeDir::new(root.path());
            app.fallback_service(
                Router::new()
                    .fallback_service(files)
                    .layer(middleware::from_fn_with_state(root, static_files::guard))
                    .layer(middleware::from_fn(security_headers::add)),
            )
        }
        None => app.fallback(error::not_found),
    };
    app.layer(middleware::from_fn_with_state(
        Duration::from_secs(config.header_timeout_secs),
        body_limit::limit,
    ))
    .layer(
        // Path only: query strings carry signatures and delivery tokens.
        TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }),
    )
}
