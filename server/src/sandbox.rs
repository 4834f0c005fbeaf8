//! Sandbox mode (`--sandbox`): the process serves the `getty-sandbox` crate's Getty-compatible
//! fake API itself and takes its tokens from it. Only a build with the `sandbox` feature (on by
//! default) has it; without it, [`Config::validate`](crate::Config::validate) refuses `--sandbox`,
//! so no sandbox route or test hook exists in that process.

use std::net::SocketAddr;

use axum::Router;

use crate::error::StartError;
use crate::upstream::Upstream;
use crate::Config;

#[cfg(feature = "sandbox")]
pub use getty_sandbox::Sandbox;

/// No sandbox in a build without the `sandbox` feature: no value of this type exists.
#[cfg(not(feature = "sandbox"))]
pub type Sandbox = std::convert::Infallible;

/// The sandbox this process serves, with `--sandbox`; none otherwise.
#[cfg(feature = "sandbox")]
pub fn create(config: &Config) -> Result<Option<Sandbox>, StartError> {
    config
        .sandbox
        .then(Sandbox::new)
        .transpose()
        .map_err(StartError::Random)
}

/// None: this build has no sandbox (and validation refused `--sandbox`).
#[cfg(not(feature = "sandbox"))]
pub fn create(_config: &Config) -> Result<Option<Sandbox>, StartError> {
    Ok(None)
}

/// `app` with the sandbox's routes (its API, media, delivery and token endpoint) merged in.
#[cfg(feature = "sandbox")]
pub fn mount(app: Router, sandbox: &Sandbox) -> Router {
    app.merge(sandbox.router())
}

/// Unreachable: no sandbox exists in this build.
#[cfg(not(feature = "sandbox"))]
pub fn mount(_app: Router, sandbox: &Sandbox) -> Router {
    match *sandbox {}
}

/// How the backend's token client reaches `sandbox` once it listens on `addr`: the password
/// grant with the sandbox user, so downloads work as with a configured Getty user, or client
/// credentials when `search_only` (downloads then refused, as Getty refuses them).
#[cfg(feature = "sandbox")]
pub fn upstream(sandbox: &Sandbox, addr: SocketAddr, search_only: bool) -> Upstream {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use crate::config::Secret;
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

/// Unreachable: no sandbox exists in this build.
#[cfg(not(feature = "sandbox"))]
pub fn upstream(sandbox: &Sandbox, _addr: SocketAddr, _search_only: bool) -> Upstream {
    match *sandbox {}
}
