//! The configuration parsed once into the types the server runs on.
//!
//! [`Config`] is what the command line and the environment say; [`Settings::parse`] checks
//! every combination clap cannot express, in a fixed order (so the first problem is the one
//! reported), and returns types that carry what was checked: where tokens come from
//! ([`TokenSource`]), how callers authenticate ([`Callers`]), which origins may ask
//! ([`OriginPolicy`]), and real [`Duration`]s. Nothing downstream checks the configuration again.

pub mod checks;
#[cfg(test)]
mod tests;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Serialize;

use crate::config::{
    Config, ConfigError, DEFAULT_TOKEN_URL, MAX_CONNECTIONS, MAX_LOGINS_PER_MINUTE,
    MAX_TICKET_MAX_LIFETIME_SECS, MAX_UPSTREAM_TIMEOUT_SECS, MIN_TICKET_SECRET_LEN,
};
use crate::guards::origin::{OriginPolicy, Origins};
use crate::guards::static_files::StaticRoot;
use crate::secret::Secret;
use crate::serve::ServeLimits;
use crate::ticket::TicketVerifier;
use crate::token::state::{
    Policy, CHECKS_BURST, CHECKS_REFILL, CHECKS_RESERVE, CHECK_BURST, CHECK_REFILL, LOGIN_WINDOW,
};
use crate::upstream::{Grant, Upstream};
use checks::{
    check_duration, is_host, is_http_url, is_insecure_url, is_origin, is_unpredictable, redact_url,
};

/// Longest rate-limit window accepted: a day.
const MAX_RATE_WINDOW_SECS: u64 = 86_400;

/// Everything the server needs to start, checked.
#[derive(Debug)]
pub struct Settings {
    /// Address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// Where tokens come from.
    pub tokens: TokenSource,
    /// How callers of `/token` authenticate.
    pub callers: Callers,
    /// Which browser origins may ask for tokens.
    pub origins: OriginPolicy,
    /// The per-client limit on `/token`.
    pub rate_limit: RateLimit,
    /// When the token caches renew, check and back off.
    pub token_policy: Policy,
    /// Bounds on how clients may hold the server (header and body time, connections, shutdown).
    pub serve: ServeLimits,
    /// Bound on every upstream call (token endpoint, token check, forward-auth).
    pub upstream_timeout: Duration,
    /// The directory served for every other path, canonicalised.
    pub static_root: Option<StaticRoot>,
}

/// Where the backend's tokens come from.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// Getty's token endpoint with the configured credentials: the password grant when a Getty
    /// user is configured, else client credentials (search only).
    Getty(Upstream),
    /// The built-in sandbox (`--sandbox`): its token URL is known once the port is bound.
    Sandbox(Mode),
}

impl TokenSource {
    /// Whether tokens from this source can download.
    pub fn mode(&self) -> Mode {
        match self {
            Self::Getty(upstream) => match upstream.grant {
                Grant::Password { .. } => Mode::Downloads,
                Grant::ClientCredentials => Mode::SearchOnly,
            },
            Self::Sandbox(mode) => *mode,
        }
    }

    /// Whether this is the sandbox.
    pub fn is_sandbox(&self) -> bool {
        matches!(self, Self::Sandbox(_))
    }
}

/// Whether the backend's tokens can download, as `/readyz` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Password grant: tokens search and download.
    Downloads,
    /// Client credentials: tokens search; Getty refuses their downloads.
    SearchOnly,
}

/// How a caller of `/token` proves it may have a token.
#[derive(Debug, Clone)]
pub enum Callers {
    /// Nobody is asked: anyone who passes the origin check and the rate limit gets a token.
    Anyone(Open),
    /// The forward-auth service decides.
    ForwardAuth(AuthUrl),
    /// A ticket signed by the CMS decides; requests without one are refused.
    Tickets(TicketVerifier),
    /// A request carrying a ticket is decided by it, any other by the forward-auth service.
    TicketsOrForwardAuth(TicketVerifier, AuthUrl),
}

/// Why nobody is asked who calls `/token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// The sandbox: its tokens spend nothing.
    Sandbox,
    /// The operator accepted the risk (`--allow-anonymous-tokens`).
    Anonymous,
}

/// The forward-auth service's URL, checked to be http(s).
#[derive(Debug, Clone)]
pub struct AuthUrl {
    /// The URL asked about each token request.
    pub url: String,
    /// Plain `http://` to a host other than loopback (allowed by `--allow-insecure-auth-url`;
    /// start-up then warns).
    pub insecure: bool,
}

/// The per-client limit on `/token`.
#[derive(Debug, Clone)]
pub struct RateLimit {
    /// Requests per client and window; 0 disables the limit.
    pub limit: u32,
    /// Length of a window.
    pub window: Duration,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Callers {
    /// The forward-auth service, if one decides.
    pub fn forward_auth(&self) -> Option<&AuthUrl> {
        match self {
            Self::ForwardAuth(url) | Self::TicketsOrForwardAuth(_, url) => Some(url),
            Self::Anyone(_) | Self::Tickets(_) => None,
        }
    }

    /// The ticket verifier, if tickets decide.
    pub fn tickets(&self) -> Option<&TicketVerifier> {
        match self {
            Self::Tickets(tickets) | Self::TicketsOrForwardAuth(tickets, _) => Some(tickets),
            Self::Anyone(_) | Self::ForwardAuth(_) => None,
        }
    }
}

impl Settings {
    /// Checks `config` and turns it into settings; the first problem found is the error.
    pub fn parse(config: &Config) -> Result<Self, ConfigError> {
        // Before anything else: the other checks would describe a sandbox this build lacks.
        if config.sandbox && !cfg!(feature = "sandbox") {
            return Err(ConfigError::SandboxNotBuilt);
        }
        let tokens = token_source(config)?;
        let sandbox = tokens.is_sandbox();
        let forward = auth_url(config)?;
        let tickets = tickets(config)?;
        if !(1..=MAX_LOGINS_PER_MINUTE).contains(&config.max_logins_per_minute) {
            return Err(ConfigError::InvalidLoginLimit);
        }
        let callers = match (tickets, forward) {
            (Some(tickets), Some(forward)) => Callers::TicketsOrForwardAuth(tickets, forward),
            (Some(tickets), None) => Callers::Tickets(tickets),
            (None, Some(forward)) => Callers::ForwardAuth(forward),
            (None, None) if sandbox => Callers::Anyone(Open::Sandbox),
            (None, None) if config.allow_anonymous_tokens => Callers::Anyone(Open::Anonymous),
            (None, None) => return Err(ConfigError::NoAuthentication),
        };
        let public_hosts = hosts(config)?;
        if !(1..=MAX_CONNECTIONS).contains(&config.max_connections) {
            return Err(ConfigError::NoConnections);
        }
        let seconds = |name, value, max| {
            check_duration(name, value, max).map(|()| Duration::from_secs(value))
        };
        let failure_backoff = seconds(
            "PICKER_FAILURE_BACKOFF_SECS",
            config.failure_backoff_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        let header_timeout = seconds(
            "PICKER_HEADER_TIMEOUT_SECS",
            config.header_timeout_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        let shutdown_timeout = seconds(
            "PICKER_SHUTDOWN_TIMEOUT_SECS",
            config.shutdown_timeout_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        let upstream_timeout = seconds(
            "PICKER_UPSTREAM_TIMEOUT_SECS",
            config.upstream_timeout_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        let rate_window = seconds(
            "PICKER_RATE_WINDOW_SECS",
            config.rate_window_secs,
            MAX_RATE_WINDOW_SECS,
        )?;
        let origins = OriginPolicy {
            origins: origins(config, sandbox)?,
            public_hosts: public_hosts.into(),
        };
        let static_root = static_root(config)?;
        Ok(Self {
            listen: config.listen,
            tokens,
            callers,
            origins,
            rate_limit: RateLimit {
                limit: config.rate_limit,
                window: rate_window,
                trusted_proxies: config.trusted_proxies.clone(),
            },
            token_policy: Policy {
                margin: Duration::from_secs(config.token_margin_secs),
                refresh_min_age: Duration::from_secs(config.refresh_min_age_secs),
                // The sandbox's token endpoint is local and free, and tests fail it once on purpose.
                failure_backoff: if sandbox {
                    Duration::ZERO
                } else {
                    failure_backoff
                },
                check_burst: CHECK_BURST,
                check_refill: CHECK_REFILL,
                checks_burst: CHECKS_BURST,
                checks_refill: CHECKS_REFILL,
                checks_reserve: CHECKS_RESERVE,
                max_logins: config.max_logins_per_minute,
                login_window: LOGIN_WINDOW,
            },
            serve: ServeLimits {
                header_timeout,
                max_connections: config.max_connections,
                shutdown_timeout,
            },
            upstream_timeout,
            static_root,
        })
    }
}

/// A text value, treating an empty one (`X=` in the environment) as absent.
fn present(value: Option<&String>) -> Option<&str> {
    value.map(String::as_str).filter(|s| !s.is_empty())
}

/// A secret, treating an empty one as absent.
fn present_secret(value: Option<&Secret>) -> Option<&Secret> {
    value.filter(|s| !s.is_empty())
}

/// The sandbox (beside no real credential), or Getty with complete credentials and http(s)
/// URLs.
fn token_source(config: &Config) -> Result<TokenSource, ConfigError> {
    if config.sandbox {
        let real = real_credentials(config);
        if !real.is_empty() {
            return Err(ConfigError::SandboxWithCredentials(real.join(", ")));
        }
        let mode = if config.sandbox_search_only {
            Mode::SearchOnly
        } else {
            Mode::Downloads
        };
        return Ok(TokenSource::Sandbox(mode));
    }
    let credentials = match (
        present(config.api_key.as_ref()),
        present_secret(config.api_secret.as_ref()),
    ) {
        (Some(key), Some(secret)) => (key, secret),
        _ => return Err(ConfigError::MissingCredentials),
    };
    let user = match (
        present(config.username.as_ref()),
        present_secret(config.password.as_ref()),
    ) {
        (Some(username), Some(password)) => Some((username, password)),
        (None, None) => None,
        _ => return Err(ConfigError::IncompleteUser),
    };
    // Silently ignoring it would leave an operator believing downloads are off when they are not.
    if config.sandbox_search_only {
        return Err(ConfigError::SearchOnlyWithoutSandbox);
    }
    if !is_http_url(&config.token_url) {
        return Err(ConfigError::InvalidTokenUrl(redact_url(&config.token_url)));
    }
    if !is_http_url(&config.api_base) {
        return Err(ConfigError::InvalidApiBase(redact_url(&config.api_base)));
    }
    let (api_key, api_secret) = credentials;
    let grant = match user {
        Some((username, password)) => Grant::Password {
            username: username.to_owned(),
            password: password.clone(),
        },
        None => Grant::ClientCredentials,
    };
    Ok(TokenSource::Getty(Upstream {
        token_url: config.token_url.clone(),
        api_base: config.api_base.trim_end_matches('/').to_owned(),
        api_key: api_key.to_owned(),
        api_secret: api_secret.clone(),
        grant,
    }))
}

/// The settings of `config` that only talk to the real Getty (named as in the environment):
/// the key, the secret, the user and a token URL other than Getty's default (a sandbox needs
/// none of them and ignores them all).
fn real_credentials(config: &Config) -> Vec<&'static str> {
    [
        ("GETTY_API_KEY", present(config.api_key.as_ref()).is_some()),
        (
            "GETTY_API_SECRET",
            present_secret(config.api_secret.as_ref()).is_some(),
        ),
        (
            "GETTY_USERNAME",
            present(config.username.as_ref()).is_some(),
        ),
        (
            "GETTY_PASSWORD",
            present_secret(config.password.as_ref()).is_some(),
        ),
        (
            "GETTY_TOKEN_URL",
            config.token_url.trim() != DEFAULT_TOKEN_URL,
        ),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect()
}

/// The forward-auth URL, if set: http(s), and plain http only to loopback unless allowed.
fn auth_url(config: &Config) -> Result<Option<AuthUrl>, ConfigError> {
    let Some(url) = present(config.auth_url.as_ref()) else {
        return Ok(None);
    };
    if !is_http_url(url) {
        return Err(ConfigError::InvalidAuthUrl(redact_url(url)));
    }
    let insecure = is_insecure_url(url);
    if insecure && !config.allow_insecure_auth_url {
        return Err(ConfigError::InsecureAuthUrl(redact_url(url)));
    }
    Ok(Some(AuthUrl {
        url: url.to_owned(),
        insecure,
    }))
}

/// The ticket verifier, if a secret is set: long and random enough; the lifetime bound is
/// checked either way.
fn tickets(config: &Config) -> Result<Option<TicketVerifier>, ConfigError> {
    let secret = present_secret(config.ticket_secret.as_ref());
    if let Some(secret) = secret {
        if secret.expose().len() < MIN_TICKET_SECRET_LEN {
            return Err(ConfigError::WeakTicketSecret);
        }
        if !is_unpredictable(secret.expose()) {
            return Err(ConfigError::LowEntropyTicketSecret);
        }
    }
    check_duration(
        "PICKER_TICKET_MAX_LIFETIME_SECS",
        config.ticket_max_lifetime_secs,
        MAX_TICKET_MAX_LIFETIME_SECS,
    )?;
    let max_lifetime = Duration::from_secs(config.ticket_max_lifetime_secs);
    Ok(secret.map(|secret| TicketVerifier::new(secret.clone(), max_lifetime)))
}

/// Public hosts, trimmed and lowercased, without empty entries; each `host[:port]`.
fn hosts(config: &Config) -> Result<Vec<String>, ConfigError> {
    let hosts: Vec<String> = config
        .public_hosts
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    match hosts.iter().find(|host| !is_host(host)) {
        Some(bad) => Err(ConfigError::InvalidPublicHost(bad.clone())),
        None => Ok(hosts),
    }
}

/// The cross-origin rule: the listed origins (trimmed, without trailing slashes), else any
/// loopback origin in the sandbox; `*` only in the sandbox.
fn origins(config: &Config, sandbox: bool) -> Result<Origins, ConfigError> {
    let origins: Vec<String> = config
        .allowed_origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/').to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    for origin in &origins {
        if origin == "*" {
            if sandbox {
                continue;
            }
            return Err(ConfigError::WildcardOrigin);
        }
        if !is_origin(origin) {
            return Err(ConfigError::InvalidOrigin(origin.clone()));
        }
    }
    Ok(if sandbox && origins.is_empty() {
        Origins::Loopback
    } else if sandbox && origins.iter().any(|o| o == "*") {
        Origins::Any
    } else {
        Origins::Listed(origins.into())
    })
}

/// The static directory, if set: an existing directory, canonicalised.
fn static_root(config: &Config) -> Result<Option<StaticRoot>, ConfigError> {
    let Some(dir) = &config.static_dir else {
        return Ok(None);
    };
    let invalid = || ConfigError::InvalidStaticDir(dir.display().to_string());
    if !dir.is_dir() {
        return Err(invalid());
    }
    StaticRoot::new(dir).map(Some).map_err(|_| invalid())
}
