//! Which client a request comes from, for per-client limits.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::HeaderMap;

/// The client's address: the peer, or what a trusted proxy put in `X-Forwarded-For`.
///
/// Only the rightmost entries can be trusted (each proxy appends the address it saw), so the
/// list is read from the right, skipping trusted proxies; anything unparseable there means the
/// header is not what a trusted proxy wrote, and the peer address is used instead.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let mut entries: Vec<&str> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(value) = value.to_str() else {
            return peer;
        };
        entries.extend(value.split(','));
    }
    for entry in entries.iter().rev() {
        let Some(ip) = forwarded_ip(entry) else {
            return peer;
        };
        let ip = ip.to_canonical();
        if !trusted_proxies.contains(&ip) {
            return ip;
        }
    }
    peer
}

/// One `X-Forwarded-For` entry: an address, or an address with a port (`203.0.113.9:41234`,
/// `[2001:db8::1]:443`), as some proxies and load balancers write it.
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
}

/// The key a client is limited under: its IPv4 address, or its IPv6 /64.
///
/// One IPv6 host usually owns a whole /64, so keying by full address would let it dodge the limit.
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            if let Ok(v) = HeaderValue::from_str(v) {
                headers.append("x-forwarded-for", v);
            }
        }
        headers
    }

    #[test]
    fn untrusted_peers_are_their_own_clients() {
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            client_ip(ip("198.51.100.1"), &headers, &[]),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_ip(ip("198.51.100.1"), &headers, &[ip("127.0.0.1")]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn trusted_proxies_name_the_client_from_the_right() {
        let trusted = [ip("127.0.0.1"), ip("10.0.0.2")];
        let peer = ip("127.0.0.1");
        let spoofed = forwarded(&["1.2.3.4, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(client_ip(peer, &spoofed, &trusted), ip("203.0.113.9"));
        assert_eq!(client_ip(peer, &forwarded(&[]), &trusted), peer);
        assert_eq!(
            client_ip(peer, &forwarded(&["junk, 10.0.0.2"]), &trusted),
            peer
        );
        assert_eq!(
            client_ip(
                ip("::ffff:127.0.0.1"),
                &forwarded(&["::ffff:203.0.113.9"]),
                &trusted
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn entries_with_ports_name_the_client() {
        let trusted = [ip("127.0.0.1")];
        let peer = ip("127.0.0.1");
        assert_eq!(
            client_ip(peer, &forwarded(&["203.0.113.9:41234"]), &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_ip(
                peer,
                &forwarded(&["[2001:db8::1]:443, 127.0.0.1:80"]),
                &trusted
            ),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_ip(peer, &forwarded(&["203.0.113.9:port"]), &trusted),
            peer
        );
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
        assert_eq!(limit_key(ip("192.0.2.7")), ip("192.0.2.7"));
    }
}
