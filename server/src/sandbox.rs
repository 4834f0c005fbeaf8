//! Sandbox mode (`--sandbox`): the process serves the `getty-sandbox` crate's Getty-compatible
//! fake API itself and takes its tokens from it. Only a build with the `sandbox` feature (on by
//! default) has it; without it, [`Settings::parse`](crate::settings::Settings::parse) refuses
//! `--sandbox`, so no sandbox route or test hook exists in that process.

use std::net::SocketAddr;

use axum::Router;

use crate::error::StartError;
use crate::settings::Mode;
use crate::upstream::Upstream;

#[cfg(feature = "sandbox")]
pub use getty_sandbox::Sandbox;

/// No sandbox in a build without the `sandbox` feature: no value of this type exists.
#[cfg(not(feature = "sandbox"))]
pub type Sandbox = std::convert::Infallible;

/// A new sandbox for a process listening on `addr`: the sandbox, how the token client reaches
/// it, and its routes (its API, media, delivery and token endpoint).
#[cfg(feature = "sandbox")]
pub fn start(mode: Mode, addr: SocketAddr) -> Result<(Sandbox, Upstream, Router), StartError> {
    let sandbox = Sandbox::new().map_err(StartError::Random)?;
    let upstream = upstream(&sandbox, addr, mode == Mode::SearchOnly);
    let routes = sandbox.router();
    Ok((sandbox, upstream, routes))
}

/// Refused: this build has no sandbox (the settings refuse `--sandbox` before this is reached).
#[cfg(not(feature = "sandbox"))]
pub fn start(_mode: Mode, _addr: SocketAddr) -> Result<(Sandbox, Upstream, Router), StartError> {
    Err(crate::config::ConfigError::SandboxNotBuilt.into())
}

/// How the backend's token client reaches `sandbox` once it listens on `addr`: the password
/// grant with the sandbox user, so downloads work as with a configured Getty user, or client
/// credentials when `search_only` (downloads then refused, as Getty refuses them).
#[cfg(feature = "sandbox")]
pub fn upstream(sandbox: &Sandbox, addr: SocketAddr, search_only: bool) -> Upstream {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use crate::secret::Secret;
    use crate::upstream::Grant;
    use getty_sandbox::{SANDBOX_API_KEY, SANDBOX_PASSWORD, SANDBOX_USERNAME};

    // A wildcard bind address is not connectable; the same port on loopback is.
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let grant = if search_only {
        Grant::ClientCredentials
    } else {
        Grant::Password {
            username: SANDBOX_USERNAME.to_owned(),
            password: Secret::new(SANDBOX_PASSWORD),
        }
    };
    let origin = SocketAddr::new(ip, addr.port());
    Upstream {
        token_url: format!("http://{origin}/oauth2/token"),
        api_base: format!("http://{origin}"),
        api_key: SANDBOX_API_KEY.to_owned(),
        api_secret: Secret::new(sandbox.client_secret()),
        grant,
    }
}
