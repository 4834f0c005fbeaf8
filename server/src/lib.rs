//! getty-picker's backend: issues Getty API tokens to the widget and, with `--sandbox`,
//! serves a Getty-compatible fake API.

pub mod config;
pub mod error;
pub mod guards;
pub mod health;
pub mod sandbox;
pub mod secret;
pub mod serve;
pub mod settings;
pub mod ticket;
pub mod token;
pub mod upstream;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::Config;
pub use error::StartError;

use guards::authn::TokenAuth;
use guards::Guards;
use health::Readiness;
use sandbox::Sandbox;
use settings::{Callers, Mode, Open, Settings, TokenSource};
use token::cache::TokenCache;
use token::check::TokenChecker;
use token::state::Policy;
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

/// Parses `config`, binds its listen address (port 0 allowed), spawns the server task, returns
/// once listening.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let settings = Settings::parse(&config)?;
    let bind_error = |source| StartError::Bind {
        addr: settings.listen,
        source,
    };
    let listener = TcpListener::bind(settings.listen)
        .await
        .map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    // The sandbox's token URL needs the bound port, hence binding before building the client.
    let (upstream, sandbox) = match &settings.tokens {
        TokenSource::Getty(upstream) => (upstream.clone(), None),
        TokenSource::Sandbox(mode) => {
            let (sandbox, upstream, routes) = sandbox::start(*mode, addr)?;
            (upstream, Some((sandbox, routes)))
        }
    };
    log_settings(&settings, &upstream);
    let http = upstream::http_client(settings.upstream_timeout)?;
    let tokens = Arc::new(token_caches(settings.token_policy, &http, &upstream));
    let guards = Guards::new(&settings, TokenAuth::new(&settings.callers, &http))
        .map_err(StartError::Random)?;
    let readiness = match settings.tokens {
        TokenSource::Sandbox(mode) => Readiness::Sandbox(mode),
        TokenSource::Getty(_) => Readiness::Upstream(tokens.clone()),
    };
    let (sandbox, sandbox_routes) = sandbox.unzip();
    let app = router(&settings, tokens, &guards, readiness, sandbox_routes);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve::serve(listener, app, settings.serve, async {
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

/// What start-up says about where tokens come from and who gets them; never a credential.
fn log_settings(settings: &Settings, upstream: &Upstream) {
    let forward = settings.callers.forward_auth();
    if forward.is_some_and(|url| url.insecure) {
        tracing::warn!(
            "PICKER_AUTH_URL is plain http:// to a host other than loopback: the editors' \
             session cookies cross the network unencrypted (allowed by \
             --allow-insecure-auth-url)"
        );
    }
    let sandbox = settings.tokens.is_sandbox();
    // The URL without any user:password@ part; the key and the username are never logged.
    tracing::info!(
        token_url = %config::redact_url(&upstream.token_url),
        password_grant = matches!(upstream.grant, upstream::Grant::Password { .. }),
        sandbox,
        forward_auth = forward.is_some(),
        tickets = settings.callers.tickets().is_some(),
        rate_limit = settings.rate_limit.limit,
        "token source configured"
    );
    if settings.tokens.mode() == Mode::SearchOnly {
        // Every download would fail at Getty with UserTokenRequired; say so before an editor finds out.
        tracing::warn!(
            sandbox,
            "{}; tokens come from the client-credentials grant, which Getty refuses for downloads",
            health::SEARCH_ONLY_WARNING
        );
    }
    if matches!(settings.callers, Callers::Anyone(Open::Anonymous)) {
        tracing::warn!(
            "PICKER_ALLOW_ANONYMOUS_TOKENS: anyone who can reach /token gets a Getty token \
             (only the Origin check and the rate limit apply); set PICKER_AUTH_URL or \
             PICKER_TICKET_SECRET to require a CMS login"
        );
    }
}

/// The user token's cache and, when the service has a Getty user, the search-only callers'
/// client-credentials cache; both check refused tokens against the same API.
fn token_caches(policy: Policy, http: &reqwest::Client, upstream: &Upstream) -> Tokens {
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

/// All routes of the server, each behind its guards (see [`guards`] for their order).
fn router(
    settings: &Settings,
    tokens: Arc<Tokens>,
    guards: &Guards,
    readiness: Readiness,
    sandbox_routes: Option<Router>,
) -> Router {
    let mut app = Router::new()
        .route("/healthz", Guards::own(get(health::healthz)))
        .route(
            "/readyz",
            Guards::own(get(health::readyz).with_state(readiness)),
        )
        .route(
            "/token",
            guards.token(post(token::issue_token).with_state(tokens)),
        )
        .method_not_allowed_fallback(error::method_not_allowed);
    // Merged after the fallback above so the sandbox's CORS layer still answers its preflights.
    if let Some(routes) = sandbox_routes {
        app = app.merge(routes);
    }
    app = match settings.static_root.clone() {
        Some(root) => app.fallback_service(Guards::static_files(root)),
        None => app.fallback(error::not_found),
    };
    guards.around_all(app)
}
