//! Command-line and environment configuration.

use std::convert::Infallible;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::BoolishValueParser;
use clap::Parser;

/// Getty's token URL as documented in the download workflow.
pub const DEFAULT_TOKEN_URL: &str = "https://api.gettyimages.com/oauth2/token";

/// Getty's API, where the one call checking a token is made (`GET /v3/countries`).
pub const DEFAULT_API_BASE: &str = "https://api.gettyimages.com";

/// Default renewal margin, as Getty's own Node SDK renews five minutes early.
pub const DEFAULT_TOKEN_MARGIN_SECS: u64 = 300;

/// Default bound on every upstream call (token endpoint and forward-auth).
pub const DEFAULT_UPSTREAM_TIMEOUT_SECS: u64 = 10;

/// Default age below which `?refresh=1` reuses the cached token instead of asking upstream.
pub const DEFAULT_REFRESH_MIN_AGE_SECS: u64 = 30;

/// Default number of `/token` requests a client may make per rate-limit window.
pub const DEFAULT_RATE_LIMIT: u32 = 60;

/// Default length of a rate-limit window.
pub const DEFAULT_RATE_WINDOW_SECS: u64 = 60;

/// Default pause after a failed upstream token call before the next one is tried.
pub const DEFAULT_FAILURE_BACKOFF_SECS: u64 = 5;

/// Default time a client has to send its request head (and a request body).
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;

/// Default number of connections served at once; further ones wait in the listen backlog.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// Default time SIGTERM gives in-flight requests before their connections are closed.
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 10;

/// Shortest ticket secret accepted: HMAC-SHA256 keys shorter than this are guessable.
pub const MIN_TICKET_SECRET_LEN: usize = 32;

/// Fewest bits a ticket secret must carry by its character frequencies (a Shannon estimate):
/// 32 random hex digits carry about 115, 32 times one character none.
pub const MIN_TICKET_SECRET_BITS: f64 = 72.0;

/// Default longest lifetime of a ticket: minutes, so a leaked ticket, or one of an editor who
/// lost the permission, soon stops working.
pub const DEFAULT_TICKET_MAX_LIFETIME_SECS: u64 = 15 * 60;

/// Longest ticket lifetime that may be configured.
pub const MAX_TICKET_MAX_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// Default number of full logins (password or client-credentials grants) each token cache
/// makes per minute at most, whatever callers do.
pub const DEFAULT_MAX_LOGINS_PER_MINUTE: u32 = 3;

/// Most logins per minute that may be configured.
const MAX_LOGINS_PER_MINUTE: u32 = 60;

/// Largest connection cap accepted; far beyond what one process has descriptors for.
const MAX_CONNECTIONS: usize = 1_000_000;

/// Longest upstream timeout accepted; anything longer would leave the widget hanging.
const MAX_UPSTREAM_TIMEOUT_SECS: u64 = 300;

/// A string that must never appear in logs or responses; `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret value; call sites are the only places it leaves the wrapper.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl FromStr for Secret {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(s))
    }
}

/// Server configuration, from flags and environment variables.
#[derive(Parser, Clone, Debug)]
#[command(name = "getty-picker-server", version, about)]
pub struct Config {
    /// Getty API key (the OAuth client id).
    #[arg(long, env = "GETTY_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,

    /// Getty API secret (the OAuth client secret).
    #[arg(long, env = "GETTY_API_SECRET", hide_env_values = true)]
    pub api_secret: Option<Secret>,

    /// Getty username; with a password, tokens use the password grant (needed for downloads).
    #[arg(long, env = "GETTY_USERNAME", hide_env_values = true)]
    pub username: Option<String>,

    /// Getty password for the password grant.
    #[arg(long, env = "GETTY_PASSWORD", hide_env_values = true)]
    pub password: Option<Secret>,

    /// Getty OAuth token endpoint.
    #[arg(long, env = "GETTY_TOKEN_URL", default_value = DEFAULT_TOKEN_URL, hide_env_values = true)]
    pub token_url: String,

    /// Getty API base URL, asked (`GET /v3/countries`) whether a token a widget reports as refused really is.
    #[arg(long, env = "GETTY_API_BASE", default_value = DEFAULT_API_BASE, hide_env_values = true)]
    pub api_base: String,

    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "PICKER_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,

    /// Comma-separated browser origins allowed to request tokens (`*` only with --sandbox).
    #[arg(long, env = "PICKER_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Forward-auth URL: the caller's Cookie and Authorization go there; only a 2xx answer gets a token.
    #[arg(long, env = "PICKER_AUTH_URL", hide_env_values = true)]
    pub auth_url: Option<String>,

    /// Allow PICKER_AUTH_URL over plain http:// to a host other than loopback (cookies then travel unencrypted).
    #[arg(long, env = "PICKER_ALLOW_INSECURE_AUTH_URL", value_parser = BoolishValueParser::new(), default_value_t = false)]
    pub allow_insecure_auth_url: bool,

    /// Shared secret (32+ random characters) verifying `Authorization: GettyPicker-Ticket` tickets signed by the CMS.
    #[arg(long, env = "PICKER_TICKET_SECRET", hide_env_values = true)]
    pub ticket_secret: Option<Secret>,

    /// Seconds ahead a ticket may expire at most; tickets expiring later are refused.
    #[arg(long, env = "PICKER_TICKET_MAX_LIFETIME_SECS", default_value_t = DEFAULT_TICKET_MAX_LIFETIME_SECS)]
    pub ticket_max_lifetime_secs: u64,

    /// Hand tokens to anyone who reaches /token (only Origin and rate limit apply); risky, see README.
    #[arg(long, env = "PICKER_ALLOW_ANONYMOUS_TOKENS", value_parser = BoolishValueParser::new(), default_value_t = false)]
    pub allow_anonymous_tokens: bool,

    /// Comma-separated hosts (`host[:port]`, as in the Host header) whose own pages may ask for tokens (same origin).
    #[arg(long, env = "PICKER_PUBLIC_HOSTS", value_delimiter = ',')]
    pub public_hosts: Vec<String>,

    /// `/token` requests allowed per client and window; 0 disables the limit.
    #[arg(long, env = "PICKER_RATE_LIMIT", default_value_t = DEFAULT_RATE_LIMIT)]
    pub rate_limit: u32,

    /// Length in seconds of a rate-limit window.
    #[arg(long, env = "PICKER_RATE_WINDOW_SECS", default_value_t = DEFAULT_RATE_WINDOW_SECS)]
    pub rate_window_secs: u64,

    /// Comma-separated proxy IPs whose X-Forwarded-For names the client (e.g. 127.0.0.1 behind nginx).
    #[arg(long, env = "PICKER_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,

    /// Serve a Getty-compatible fake API and issue its tokens; no credentials needed.
    #[arg(long, env = "PICKER_SANDBOX", value_parser = BoolishValueParser::new(), default_value_t = false)]
    pub sandbox: bool,

    /// With --sandbox: take client-credentials tokens (search only, downloads refused) instead of user tokens.
    #[arg(long, env = "PICKER_SANDBOX_SEARCH_ONLY", value_parser = BoolishValueParser::new(), default_value_t = false)]
    pub sandbox_search_only: bool,

    /// Directory of static files served for every other path (index.html for `/`).
    #[arg(long, env = "PICKER_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Seconds before expiry at which a cached token is renewed.
    #[arg(long, env = "PICKER_TOKEN_MARGIN_SECS", default_value_t = DEFAULT_TOKEN_MARGIN_SECS)]
    pub token_margin_secs: u64,

    /// Seconds a token must have been cached before `POST /token?refresh=1` replaces it.
    #[arg(long, env = "PICKER_REFRESH_MIN_AGE_SECS", default_value_t = DEFAULT_REFRESH_MIN_AGE_SECS)]
    pub refresh_min_age_secs: u64,

    /// Seconds after a failed upstream token call during which callers get that failure without a new call.
    #[arg(long, env = "PICKER_FAILURE_BACKOFF_SECS", default_value_t = DEFAULT_FAILURE_BACKOFF_SECS)]
    pub failure_backoff_secs: u64,

    /// Full logins to Getty (password or client-credentials grant) per minute and token cache, at most.
    #[arg(long, env = "PICKER_MAX_LOGINS_PER_MINUTE", default_value_t = DEFAULT_MAX_LOGINS_PER_MINUTE)]
    pub max_logins_per_minute: u32,

    /// Seconds a client has to send its request head and body.
    #[arg(long, env = "PICKER_HEADER_TIMEOUT_SECS", default_value_t = DEFAULT_HEADER_TIMEOUT_SECS)]
    pub header_timeout_secs: u64,

    /// Connections served at once; more wait until one closes.
    #[arg(long, env = "PICKER_MAX_CONNECTIONS", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,

    /// Seconds SIGTERM waits for in-flight requests before closing their connections.
    #[arg(long, env = "PICKER_SHUTDOWN_TIMEOUT_SECS", default_value_t = DEFAULT_SHUTDOWN_TIMEOUT_SECS)]
    pub shutdown_timeout_secs: u64,

    /// Timeout in seconds of every upstream call (token endpoint and forward-auth).
    #[arg(long, env = "PICKER_UPSTREAM_TIMEOUT_SECS", default_value_t = DEFAULT_UPSTREAM_TIMEOUT_SECS)]
    pub upstream_timeout_secs: u64,

    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "PICKER_LOG_JSON", value_parser = BoolishValueParser::new(), default_value_t = false)]
    pub log_json: bool,
}

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// Neither sandbox mode nor Getty credentials were given.
    #[error("GETTY_API_KEY and GETTY_API_SECRET (or --api-key and --api-secret) are required unless --sandbox is given")]
    MissingCredentials,
    /// Only one of username and password was given.
    #[error("GETTY_USERNAME and GETTY_PASSWORD must be given together")]
    IncompleteUser,
    /// Outside sandbox mode, nothing decides who may get a token.
    #[error("refusing to hand Getty tokens to anyone who asks: set PICKER_AUTH_URL (forward-auth: the CMS's session check) or PICKER_TICKET_SECRET (tickets signed by the CMS), or accept the risk with --allow-anonymous-tokens (PICKER_ALLOW_ANONYMOUS_TOKENS=true); see docs/backend.md, \"Who gets a token\"")]
    NoAuthentication,
    /// The ticket secret is too short to resist guessing.
    #[error("PICKER_TICKET_SECRET must be at least {MIN_TICKET_SECRET_LEN} characters (e.g. `openssl rand -hex 32`)")]
    WeakTicketSecret,
    /// The ticket secret is long enough but predictable: few distinct characters, or a pattern.
    #[error("PICKER_TICKET_SECRET has too little entropy (repeated characters or a repeated pattern): use a random value, e.g. `openssl rand -hex 32`")]
    LowEntropyTicketSecret,
    /// The forward-auth URL would send session cookies unencrypted over the network.
    #[error("PICKER_AUTH_URL is plain http:// to a host other than loopback ({0}): the editors' session cookies would travel unencrypted; use https://, or accept the risk with --allow-insecure-auth-url (PICKER_ALLOW_INSECURE_AUTH_URL=true)")]
    InsecureAuthUrl(String),
    /// The login bound is zero or absurdly large.
    #[error("PICKER_MAX_LOGINS_PER_MINUTE must be between 1 and {MAX_LOGINS_PER_MINUTE}")]
    InvalidLoginLimit,
    /// The API base is not an absolute http(s) URL (shown without credentials).
    #[error("GETTY_API_BASE is not an http(s) URL: {0}")]
    InvalidApiBase(String),
    /// A public host is not of the form `host[:port]`.
    #[error("PICKER_PUBLIC_HOSTS contains an invalid host: {0:?} (expected host[:port])")]
    InvalidPublicHost(String),
    /// The connection cap is zero or absurdly large.
    #[error("PICKER_MAX_CONNECTIONS must be between 1 and {MAX_CONNECTIONS}")]
    NoConnections,
    /// The token URL is not an absolute http(s) URL (shown without credentials).
    #[error("GETTY_TOKEN_URL is not an http(s) URL: {0}")]
    InvalidTokenUrl(String),
    /// An allowed origin is not of the form `scheme://host[:port]`.
    #[error(
        "PICKER_ALLOWED_ORIGINS contains an invalid origin: {0:?} (expected scheme://host[:port])"
    )]
    InvalidOrigin(String),
    /// `*` was given as an allowed origin outside sandbox mode.
    #[error("PICKER_ALLOWED_ORIGINS may not contain \"*\" with real Getty credentials: tokens spend the account's downloads, list the CMS origins instead")]
    WildcardOrigin,
    /// The forward-auth URL is not an absolute http(s) URL (shown without credentials).
    #[error("PICKER_AUTH_URL is not an http(s) URL: {0}")]
    InvalidAuthUrl(String),
    /// A duration that must be positive is zero or too large.
    #[error("{name} must be between 1 and {max} seconds (got {value})")]
    InvalidDuration {
        /// The variable's name.
        name: &'static str,
        /// The largest accepted value.
        max: u64,
        /// The configured value.
        value: u64,
    },
    /// The static directory does not exist.
    #[error("PICKER_STATIC_DIR is not a directory: {0}")]
    InvalidStaticDir(String),
    /// `--sandbox` was given to a build without the `sandbox` feature.
    #[error("PICKER_SANDBOX (--sandbox): this build of getty-picker-server has no sandbox (built without the `sandbox` feature); build it with default features for development and the demos")]
    SandboxNotBuilt,
    /// `--sandbox-search-only` was given without `--sandbox`.
    #[error("PICKER_SANDBOX_SEARCH_ONLY (--sandbox-search-only) only applies with --sandbox; with real credentials, search only means leaving GETTY_USERNAME and GETTY_PASSWORD unset")]
    SearchOnlyWithoutSandbox,
}

impl Config {
    /// A sandbox configuration on a free loopback port, for tests and demos; no rate limit, as test suites hammer it.
    pub fn sandbox() -> Self {
        Self {
            api_key: None,
            api_secret: None,
            username: None,
            password: None,
            token_url: DEFAULT_TOKEN_URL.to_owned(),
            api_base: DEFAULT_API_BASE.to_owned(),
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            allowed_origins: Vec::new(),
            sandbox: true,
            sandbox_search_only: false,
            static_dir: None,
            token_margin_secs: DEFAULT_TOKEN_MARGIN_SECS,
            auth_url: None,
            allow_insecure_auth_url: false,
            ticket_secret: None,
            ticket_max_lifetime_secs: DEFAULT_TICKET_MAX_LIFETIME_SECS,
            allow_anonymous_tokens: false,
            public_hosts: Vec::new(),
            failure_backoff_secs: DEFAULT_FAILURE_BACKOFF_SECS,
            max_logins_per_minute: DEFAULT_MAX_LOGINS_PER_MINUTE,
            header_timeout_secs: DEFAULT_HEADER_TIMEOUT_SECS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            shutdown_timeout_secs: DEFAULT_SHUTDOWN_TIMEOUT_SECS,
            rate_limit: 0,
            rate_window_secs: DEFAULT_RATE_WINDOW_SECS,
            trusted_proxies: Vec::new(),
            refresh_min_age_secs: DEFAULT_REFRESH_MIN_AGE_SECS,
            upstream_timeout_secs: DEFAULT_UPSTREAM_TIMEOUT_SECS,
            log_json: false,
        }
    }

    /// A configuration using the given upstream token URL and client credentials, on a free
    /// loopback port; it still needs a way to authenticate token requests to pass [`Config::validate`].
    pub fn upstream(token_url: &str, api_key: &str, api_secret: &str) -> Self {
        Self {
            api_key: Some(api_key.to_owned()),
            api_secret: Some(Secret::new(api_secret)),
            token_url: token_url.to_owned(),
            sandbox: false,
            rate_limit: DEFAULT_RATE_LIMIT,
            ..Self::sandbox()
        }
    }

    /// Checks the combinations clap cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.sandbox && !cfg!(feature = "sandbox") {
            return Err(ConfigError::SandboxNotBuilt);
        }
        if !self.sandbox && (self.api_key().is_none() || self.api_secret().is_none()) {
            return Err(ConfigError::MissingCredentials);
        }
        if self.username().is_some() != self.password().is_some() {
            return Err(ConfigError::IncompleteUser);
        }
        // Silently ignoring it would leave an operator believing downloads are off when they are not.
        if self.sandbox_search_only && !self.sandbox {
            return Err(ConfigError::SearchOnlyWithoutSandbox);
        }
        if !self.sandbox && !is_http_url(&self.token_url) {
            return Err(ConfigError::InvalidTokenUrl(redact_url(&self.token_url)));
        }
        if !self.sandbox && !is_http_url(&self.api_base) {
            return Err(ConfigError::InvalidApiBase(redact_url(&self.api_base)));
        }
        if let Some(url) = self.auth_url() {
            if !is_http_url(url) {
                return Err(ConfigError::InvalidAuthUrl(redact_url(url)));
            }
            if is_insecure_url(url) && !self.allow_insecure_auth_url {
                return Err(ConfigError::InsecureAuthUrl(redact_url(url)));
            }
        }
        if let Some(secret) = self.ticket_secret() {
            if secret.expose().len() < MIN_TICKET_SECRET_LEN {
                return Err(ConfigError::WeakTicketSecret);
            }
            if !is_unpredictable(secret.expose()) {
                return Err(ConfigError::LowEntropyTicketSecret);
            }
        }
        check_duration(
            "PICKER_TICKET_MAX_LIFETIME_SECS",
            self.ticket_max_lifetime_secs,
            MAX_TICKET_MAX_LIFETIME_SECS,
        )?;
        if !(1..=MAX_LOGINS_PER_MINUTE).contains(&self.max_logins_per_minute) {
            return Err(ConfigError::InvalidLoginLimit);
        }
        if !self.sandbox
            && self.auth_url().is_none()
            && self.ticket_secret().is_none()
            && !self.allow_anonymous_tokens
        {
            return Err(ConfigError::NoAuthentication);
        }
        for host in self.hosts() {
            if !is_host(&host) {
                return Err(ConfigError::InvalidPublicHost(host));
            }
        }
        if !(1..=MAX_CONNECTIONS).contains(&self.max_connections) {
            return Err(ConfigError::NoConnections);
        }
        check_duration(
            "PICKER_FAILURE_BACKOFF_SECS",
            self.failure_backoff_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        check_duration(
            "PICKER_HEADER_TIMEOUT_SECS",
            self.header_timeout_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        check_duration(
            "PICKER_SHUTDOWN_TIMEOUT_SECS",
            self.shutdown_timeout_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        check_duration(
            "PICKER_UPSTREAM_TIMEOUT_SECS",
            self.upstream_timeout_secs,
            MAX_UPSTREAM_TIMEOUT_SECS,
        )?;
        check_duration("PICKER_RATE_WINDOW_SECS", self.rate_window_secs, 86_400)?;
        for origin in self.origins() {
            if origin == "*" {
                if self.sandbox {
                    continue;
                }
                return Err(ConfigError::WildcardOrigin);
            }
            if !is_origin(&origin) {
                return Err(ConfigError::InvalidOrigin(origin));
            }
        }
        if let Some(dir) = &self.static_dir {
            if !dir.is_dir() {
                return Err(ConfigError::InvalidStaticDir(dir.display().to_string()));
            }
        }
        Ok(())
    }

    /// The API key, treating an empty value as absent.
    pub fn api_key(&self) -> Option<&str> {
        self.api_key.as_deref().filter(|s| !s.is_empty())
    }

    /// The API secret, treating an empty value as absent.
    pub fn api_secret(&self) -> Option<&Secret> {
        self.api_secret.as_ref().filter(|s| !s.expose().is_empty())
    }

    /// Whether tokens come without a user (client credentials), so downloads are refused.
    pub fn search_only(&self) -> bool {
        if self.sandbox {
            self.sandbox_search_only
        } else {
            self.username().is_none() || self.password().is_none()
        }
    }

    /// The username, treating an empty value as absent.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref().filter(|s| !s.is_empty())
    }

    /// The password, treating an empty value as absent.
    pub fn password(&self) -> Option<&Secret> {
        self.password.as_ref().filter(|s| !s.expose().is_empty())
    }

    /// Whether the forward-auth URL is plain `http://` to a host other than loopback (allowed
    /// only with `--allow-insecure-auth-url`; start-up then warns).
    pub fn insecure_auth_url(&self) -> bool {
        self.auth_url().is_some_and(is_insecure_url)
    }

    /// The forward-auth URL, treating an empty value as absent.
    pub fn auth_url(&self) -> Option<&str> {
        self.auth_url.as_deref().filter(|s| !s.is_empty())
    }

    /// The ticket secret, treating an empty value as absent.
    pub fn ticket_secret(&self) -> Option<&Secret> {
        self.ticket_secret
            .as_ref()
            .filter(|s| !s.expose().is_empty())
    }

    /// Public hosts, trimmed and lowercased, without empty entries.
    pub fn hosts(&self) -> Vec<String> {
        self.public_hosts
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect()
    }

    /// Allowed origins, trimmed, without trailing slashes or empty entries.
    pub fn origins(&self) -> Vec<String> {
        self.allowed_origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect()
    }
}

/// `url` without the `user:password@` part, for logs and error messages; unparseable URLs are
/// replaced entirely, since where their credentials sit cannot be known.
pub fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            if !parsed.username().is_empty() || parsed.password().is_some() {
                // Only fails for URLs that cannot carry credentials, which then have none.
                let _ = parsed.set_username("");
                let _ = parsed.set_password(None);
            }
            parsed.to_string()
        }
        Err(_) => "[unparseable URL]".to_owned(),
    }
}

/// `host` or `host:port` as browsers send it in `Host`: letters, digits, dots, dashes, IPv6 brackets.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:[]".contains(&b))
}

/// An absolute `http` or `https` URL.
fn is_http_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// A plain `http://` URL whose host is not loopback (`localhost`, 127.0.0.0/8, `::1`):
/// whatever it carries crosses a network unencrypted.
pub fn is_insecure_url(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else {
        return false;
    };
    if url.scheme() != "http" {
        return false;
    }
    let Some(host) = url.host_str() else {
        return true;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => !ip.is_loopback(),
        Err(_) => !bare.eq_ignore_ascii_case("localhost"),
    }
}

/// Shannon's estimate of the bits in `text`, from its character frequencies: what a guesser
/// who knows which characters occur how often must still try.
pub fn estimated_bits(text: &str) -> f64 {
    let chars: Vec<char> = text.chars().collect();
    let total = chars.len() as f64;
    let mut counts: Vec<(char, usize)> = Vec::new();
    for c in &chars {
        match counts.iter_mut().find(|(seen, _)| seen == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((*c, 1)),
        }
    }
    let per_char: f64 = counts
        .iter()
        .map(|&(_, n)| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum();
    per_char * total
}

/// Whether `text` repeats a shorter piece (`abab…`, `passwordpassword…`).
fn is_repetition(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..=bytes.len() / 2).any(|period| {
        bytes.len().is_multiple_of(period)
            && bytes.chunks(period).all(|chunk| chunk == &bytes[..period])
    })
}

/// Whether a secret is plausibly random: enough estimated bits and no repeated pattern.
pub fn is_unpredictable(secret: &str) -> bool {
    estimated_bits(secret) >= MIN_TICKET_SECRET_BITS && !is_repetition(secret)
}

/// Zero would disable a safeguard silently, so it is refused rather than accepted.
fn check_duration(name: &'static str, value: u64, max: u64) -> Result<(), ConfigError> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::InvalidDuration { name, max, value })
    }
}

/// Browsers send `Origin` as `scheme://host[:port]`, so anything with a path can never match.
fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', ' ', '@'])
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "hunter2-secret");
        config.username = Some("user".into());
        config.password = Some(Secret::new("pa55word"));
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2-secret"));
        assert!(!debug.contains("pa55word"));
        assert!(debug.contains("[redacted]"));
    }

    #[test]
    fn requires_credentials_without_sandbox() {
        let mut config = Config::sandbox();
        assert_eq!(config.validate(), Ok(()));
        config.sandbox = false;
        assert_eq!(config.validate(), Err(ConfigError::MissingCredentials));
    }

    #[test]
    fn username_and_password_go_together() {
        let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
        config.allow_anonymous_tokens = true;
        config.username = Some("user".into());
        assert_eq!(config.validate(), Err(ConfigError::IncompleteUser));
        config.password = Some(Secret::new("pw"));
        assert_eq!(config.validate(), Ok(()));
    }

    #[test]
    fn parses_flags_and_origins() {
        let config = Config::try_parse_from([
            "getty-picker-server",
            "--sandbox",
            "--listen",
            "127.0.0.1:0",
            "--allowed-origins",
            "http://localhost:3000, https://cms.example.com/",
        ])
        .map_err(|e| e.to_string());
        let config = config.as_ref().map_err(String::as_str);
        let Ok(config) = config else {
            panic!("parse failed: {config:?}");
        };
        assert!(config.sandbox);
        assert_eq!(
            config.origins(),
            ["http://localhost:3000", "https://cms.example.com"]
        );
        assert_eq!(config.validate(), Ok(()));
    }

    #[test]
    fn wildcard_origin_only_in_sandbox() {
        let mut config = Config::sandbox();
        config.allowed_origins = vec!["*".into()];
        assert_eq!(config.validate(), Ok(()));
        let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
        config.allow_anonymous_tokens = true;
        config.allowed_origins = vec!["https://cms.example.com".into(), " * ".into()];
        assert_eq!(config.validate(), Err(ConfigError::WildcardOrigin));
    }

    #[test]
    fn rejects_bad_auth_url_and_durations() {
        let mut config = Config::sandbox();
        config.auth_url = Some("ftp://auth.example.com/check".into());
        assert!(matches!(
            config.validate(),
            Err(ConfigError::InvalidAuthUrl(_))
        ));
        config.auth_url = Some("http://127.0.0.1:9/auth".into());
        assert_eq!(config.validate(), Ok(()));
        config.upstream_timeout_secs = 0;
        assert!(matches!(
            config.validate(),
            Err(ConfigError::InvalidDuration { .. })
        ));
    }

    #[test]
    fn parses_proxies_and_limits() {
        let config = Config::try_parse_from([
            "getty-picker-server",
            "--sandbox",
            "--trusted-proxies",
            "127.0.0.1,::1",
            "--rate-limit",
            "0",
        ]);
        let Ok(config) = config else {
            panic!("parse failed: {config:?}");
        };
        assert_eq!(config.trusted_proxies.len(), 2);
        assert_eq!(config.rate_limit, 0);
        assert!(Config::try_parse_from(["x", "--trusted-proxies", "nginx"]).is_err());
    }

    #[test]
    fn rejects_origins_with_paths() {
        let mut config = Config::sandbox();
        config.allowed_origins = vec!["https://cms.example.com/admin".into()];
        assert!(matches!(
            config.validate(),
            Err(ConfigError::InvalidOrigin(_))
        ));
    }

    #[test]
    fn real_credentials_need_a_way_to_authenticate() {
        let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
        assert_eq!(config.validate(), Err(ConfigError::NoAuthentication));
        let message = ConfigError::NoAuthentication.to_string();
        for way in [
            "PICKER_AUTH_URL",
            "PICKER_TICKET_SECRET",
            "PICKER_ALLOW_ANONYMOUS_TOKENS",
        ] {
            assert!(message.contains(way), "{message}");
        }
        config.auth_url = Some("http://127.0.0.1:9/auth".into());
        assert_eq!(config.validate(), Ok(()));
        config.auth_url = None;
        config.ticket_secret = Some(Secret::new("short"));
        assert_eq!(config.validate(), Err(ConfigError::WeakTicketSecret));
        config.ticket_secret = Some(Secret::new("x".repeat(MIN_TICKET_SECRET_LEN)));
        assert_eq!(config.validate(), Err(ConfigError::LowEntropyTicketSecret));
        config.ticket_secret = Some(Secret::new("0123456789abcdef0123456789abcdef"));
        assert_eq!(config.validate(), Err(ConfigError::LowEntropyTicketSecret));
        config.ticket_secret = Some(Secret::new("9f86d081884c7d659a2feaa0c55ad015"));
        assert_eq!(config.validate(), Ok(()));
        config.ticket_secret = None;
        config.allow_anonymous_tokens = true;
        assert_eq!(config.validate(), Ok(()));
    }

    #[test]
    fn urls_lose_their_credentials_in_messages() {
        assert_eq!(
            redact_url("https://user:pa55@auth.example.com/check?x=1"),
            "https://auth.example.com/check?x=1"
        );
        assert_eq!(
            redact_url("http://token@127.0.0.1:9/t"),
            "http://127.0.0.1:9/t"
        );
        assert_eq!(redact_url("not a url pa55"), "[unparseable URL]");
        let mut config = Config::sandbox();
        config.auth_url = Some("ftp://user:pa55@auth.example.com/".into());
        let error = config.validate().map_err(|e| e.to_string());
        assert!(
            error.as_ref().is_err_and(|e| !e.contains("pa55")),
            "{error:?}"
        );
    }

    #[test]
    fn search_only_follows_the_user_or_the_sandbox_flag() {
        let mut config = Config::sandbox();
        assert!(!config.search_only());
        config.sandbox_search_only = true;
        assert!(config.search_only());
        assert_eq!(config.validate(), Ok(()));
        let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
        config.allow_anonymous_tokens = true;
        assert!(config.search_only());
        config.username = Some("user".into());
        config.password = Some(Secret::new("pw"));
        assert!(!config.search_only());
        config.sandbox_search_only = true;
        assert_eq!(
            config.validate(),
            Err(ConfigError::SearchOnlyWithoutSandbox)
        );
        let parsed = Config::try_parse_from(["x", "--sandbox", "--sandbox-search-only"]);
        assert!(parsed.is_ok_and(|c| c.search_only()));
    }

    #[test]
    fn ticket_secrets_need_entropy_not_just_length() {
        for weak in [
            "x".repeat(64),
            "ab".repeat(16),
            "abcd".repeat(8),
            "password".repeat(4),
            "0123456789abcdef".repeat(4),
        ] {
            assert!(!is_unpredictable(&weak), "{weak}");
        }
        for strong in [
            "0123456789abcdef0123456789abcdfe",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "cms0shared0ticket0secret0of0at0least032",
            "Zm9vYmFyYmF6cXV4LXJhbmRvbS1zZWNyZXQtMTIzNDU2",
        ] {
            assert!(is_unpredictable(strong), "{strong}");
        }
        assert_eq!(estimated_bits(&"x".repeat(32)), 0.0);
        assert_eq!(estimated_bits("0123456789abcdef0123456789abcdef"), 128.0);
    }

    #[test]
    fn plain_http_auth_urls_only_to_loopback_unless_allowed() {
        for insecure in [
            "http://cms.example.com/auth",
            "http://10.0.0.5:8000/auth",
            "http://cms:8000/auth",
            "http://[2001:db8::1]/auth",
        ] {
            assert!(is_insecure_url(insecure), "{insecure}");
        }
        for fine in [
            "https://cms.example.com/auth",
            "http://127.0.0.1:9/auth",
            "http://127.8.9.10/auth",
            "http://localhost:8000/auth",
            "http://LOCALHOST/auth",
            "http://[::1]:80/auth",
        ] {
            assert!(!is_insecure_url(fine), "{fine}");
        }
        let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
        config.auth_url = Some("http://user:pa55@cms.example.com/auth".into());
        let refused = config.validate();
        assert!(
            matches!(&refused, Err(ConfigError::InsecureAuthUrl(url)) if !url.contains("pa55")),
            "{refused:?}"
        );
        assert!(refused
            .map_err(|e| e.to_string())
            .is_err_and(|e| e.contains("--allow-insecure-auth-url")));
        config.allow_insecure_auth_url = true;
        assert_eq!(config.validate(), Ok(()));
        assert!(config.insecure_auth_url());
    }

    #[test]
    fn ticket_lifetime_and_login_bound_are_checked() {
        let mut config = Config::sandbox();
        assert_eq!(config.ticket_max_lifetime_secs, 900);
        config.ticket_max_lifetime_secs = 86_401;
        assert!(matches!(
            config.validate(),
            Err(ConfigError::InvalidDuration { .. })
        ));
        config.ticket_max_lifetime_secs = 600;
        config.max_logins_per_minute = 0;
        assert_eq!(config.validate(), Err(ConfigError::InvalidLoginLimit));
        let parsed = Config::try_parse_from([
            "x",
            "--sandbox",
            "--ticket-max-lifetime-secs",
            "300",
            "--max-logins-per-minute",
            "2",
            "--api-base",
            "http://127.0.0.1:9",
        ]);
        assert!(parsed.is_ok_and(|c| c.ticket_max_lifetime_secs == 300
            && c.max_logins_per_minute == 2
            && c.api_base == "http://127.0.0.1:9"));
    }

    #[test]
    fn public_hosts_are_host_and_port() {
        let mut config = Config::sandbox();
        config.public_hosts = vec![" Picker.Example.com:8443 ".into(), "[::1]:80".into()];
        assert_eq!(config.validate(), Ok(()));
        assert_eq!(config.hosts(), ["picker.example.com:8443", "[::1]:80"]);
        config.public_hosts = vec!["https://picker.example.com".into()];
        assert!(matches!(
            config.validate(),
            Err(ConfigError::InvalidPublicHost(_))
        ));
    }
}
