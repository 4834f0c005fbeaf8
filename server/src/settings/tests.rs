//! The configuration's checks, through `Settings::parse` (`Config::validate`).

use std::time::Duration;

use clap::Parser;

use super::checks::{estimated_bits, is_insecure_url, is_unpredictable, redact_url};
use super::{Callers, Mode, Open, Settings, TokenSource};
use crate::config::{Config, ConfigError, Secret, MIN_TICKET_SECRET_LEN};
use crate::guards::origin::Origins;
use crate::upstream::Grant;

/// The settings of a configuration that must parse.
fn settings(config: &Config) -> Settings {
    match Settings::parse(config) {
        Ok(settings) => settings,
        Err(error) => panic!("{error}"),
    }
}

fn search_only(config: &Config) -> bool {
    settings(config).tokens.mode() == Mode::SearchOnly
}

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
fn the_sandbox_refuses_real_credentials_naming_them() {
    let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
    config.sandbox = true;
    assert_eq!(
        config.validate(),
        Err(ConfigError::SandboxWithCredentials(
            "GETTY_API_KEY, GETTY_API_SECRET, GETTY_TOKEN_URL".into()
        ))
    );
    let mut config = Config::sandbox();
    config.username = Some("user".into());
    assert_eq!(
        config.validate(),
        Err(ConfigError::SandboxWithCredentials("GETTY_USERNAME".into()))
    );
    // Empty values are unset; Getty's default token URL is no setting of anyone's.
    let mut config = Config::sandbox();
    config.api_secret = Some(Secret::new(""));
    config.password = Some(Secret::new(""));
    assert_eq!(config.validate(), Ok(()));
    let message = ConfigError::SandboxWithCredentials("GETTY_API_SECRET".into()).to_string();
    assert!(message.contains("PICKER_SANDBOX") && message.contains("GETTY_API_SECRET"));
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
    let Origins::Listed(origins) = settings(config).origins.origins else {
        panic!("not a list");
    };
    assert_eq!(
        origins.as_ref(),
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
    assert!(!search_only(&config));
    config.sandbox_search_only = true;
    assert!(search_only(&config));
    assert_eq!(config.validate(), Ok(()));
    let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
    config.allow_anonymous_tokens = true;
    assert!(search_only(&config));
    config.username = Some("user".into());
    config.password = Some(Secret::new("pw"));
    assert!(!search_only(&config));
    config.sandbox_search_only = true;
    assert_eq!(
        config.validate(),
        Err(ConfigError::SearchOnlyWithoutSandbox)
    );
    let parsed = Config::try_parse_from(["x", "--sandbox", "--sandbox-search-only"]);
    assert!(parsed.is_ok_and(|c| search_only(&c)));
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
    assert!(settings(&config)
        .callers
        .forward_auth()
        .is_some_and(|url| url.insecure));
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
    assert_eq!(
        settings(&config).origins.public_hosts.as_ref(),
        ["picker.example.com:8443", "[::1]:80"]
    );
    config.public_hosts = vec!["https://picker.example.com".into()];
    assert!(matches!(
        config.validate(),
        Err(ConfigError::InvalidPublicHost(_))
    ));
}

#[test]
fn callers_follow_what_is_configured() {
    let ticket_secret = "9f86d081884c7d659a2feaa0c55ad015";
    let mut config = Config::sandbox();
    assert!(matches!(
        settings(&config).callers,
        Callers::Anyone(Open::Sandbox)
    ));
    config.allow_anonymous_tokens = true;
    assert!(matches!(
        settings(&config).callers,
        Callers::Anyone(Open::Sandbox)
    ));
    let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
    config.allow_anonymous_tokens = true;
    assert!(matches!(
        settings(&config).callers,
        Callers::Anyone(Open::Anonymous)
    ));
    config.ticket_secret = Some(Secret::new(ticket_secret));
    assert!(matches!(settings(&config).callers, Callers::Tickets(_)));
    config.auth_url = Some("http://127.0.0.1:9/auth".into());
    assert!(matches!(
        settings(&config).callers,
        Callers::TicketsOrForwardAuth(_, _)
    ));
    config.ticket_secret = Some(Secret::new(""));
    let callers = settings(&config).callers;
    assert!(
        matches!(&callers, Callers::ForwardAuth(url) if url.url == "http://127.0.0.1:9/auth" && !url.insecure)
    );
}

#[test]
fn tokens_come_from_getty_with_the_grant_the_credentials_allow() {
    let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
    config.allow_anonymous_tokens = true;
    config.api_base = "http://127.0.0.1:2/".into();
    let TokenSource::Getty(upstream) = settings(&config).tokens else {
        panic!("not Getty");
    };
    assert!(matches!(upstream.grant, Grant::ClientCredentials));
    assert_eq!(upstream.api_base, "http://127.0.0.1:2");
    assert_eq!(upstream.api_secret.expose(), "secret");
    config.username = Some("user".into());
    config.password = Some(Secret::new("pw"));
    let TokenSource::Getty(upstream) = settings(&config).tokens else {
        panic!("not Getty");
    };
    assert!(
        matches!(&upstream.grant, Grant::Password { username, password } if username == "user" && password.expose() == "pw")
    );
    // Empty values count as unset.
    config.password = Some(Secret::new(""));
    assert_eq!(config.validate(), Err(ConfigError::IncompleteUser));
}

#[test]
fn durations_are_durations_and_the_sandbox_never_backs_off() {
    let mut config = Config::upstream("http://127.0.0.1:1/t", "key", "secret");
    config.allow_anonymous_tokens = true;
    config.failure_backoff_secs = 7;
    config.header_timeout_secs = 3;
    config.upstream_timeout_secs = 4;
    config.rate_window_secs = 90;
    let parsed = settings(&config);
    assert_eq!(parsed.token_policy.failure_backoff, Duration::from_secs(7));
    assert_eq!(parsed.serve.header_timeout, Duration::from_secs(3));
    assert_eq!(parsed.upstream_timeout, Duration::from_secs(4));
    assert_eq!(parsed.rate_limit.window, Duration::from_secs(90));
    let mut sandbox = Config::sandbox();
    sandbox.failure_backoff_secs = 7;
    assert_eq!(
        settings(&sandbox).token_policy.failure_backoff,
        Duration::ZERO
    );
    config.failure_backoff_secs = 0;
    assert!(matches!(
        config.validate(),
        Err(ConfigError::InvalidDuration {
            name: "PICKER_FAILURE_BACKOFF_SECS",
            ..
        })
    ));
}
