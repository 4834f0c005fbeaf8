//! Command-line and environment configuration: what clap reads, before [`Settings::parse`]
//! checks it and turns it into types.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use clap::builder::BoolishValueParser;
use clap::Parser;

use crate::settings::Settings;

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
pub(crate) const MAX_LOGINS_PER_MINUTE: u32 = 60;

/// Largest connection cap accepted; far beyond what one process has descriptors for.
pub(crate) const MAX_CONNECTIONS: usize = 1_000_000;

/// Longest upstream timeout accepted; anything longer would leave the widget hanging.
pub(crate) const MAX_UPSTREAM_TIMEOUT_SECS: u64 = 300;

pub use crate::secret::Secret;
pub use crate::settings::checks::{estimated_bits, is_insecure_url, is_unpredictable, redact_url};

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

    /// Forward-auth URL: the caller's Cookie and Authorization go there; only a 2xx answer gets a token, the full scope only with `X-Getty-Picker-Scope: license`.
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
    /// `--sandbox` was given beside settings that only real Getty credentials need (named).
    #[error("PICKER_SANDBOX (--sandbox) refuses to start beside real Getty credentials ({0}): the sandbox hands a token to anyone who passes the origin check and never calls Getty, so a production configuration with a stray PICKER_SANDBOX would seem to work while licensing nothing; unset PICKER_SANDBOX to use Getty, or unset {0} to run the sandbox")]
    SandboxWithCredentials(String),
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

    /// Checks the combinations clap cannot express (see [`Settings::parse`], which start-up uses).
    pub fn validate(&self) -> Result<(), ConfigError> {
        Settings::parse(self).map(|_| ())
    }
}
