//! Which `Host` headers `serve` answers: its defence against DNS rebinding.
//!
//! A web page on any site can make the browser ask `http://attacker.example:4000/` after the
//! attacker's DNS has turned that name into 127.0.0.1; the browser then treats the preview,
//! drafts and the dashboard as the attacker's own origin and lets the page read them. The
//! request still says `Host: attacker.example`, so the server answers only names that cannot
//! be rebound: loopback names (`localhost`, `*.localhost`, which browsers resolve themselves)
//! and IP addresses. Bound to one address, that address and loopback addresses; bound to every
//! address (`0.0.0.0`, `::`), any IP address, since the machine's own are not known here.
//! The port is not checked: a tunnel or proxy may forward another port to this one.

use std::net::{IpAddr, SocketAddr};

/// Decides from the address the server is bound to.
#[derive(Debug, Clone, Copy)]
pub(super) struct HostPolicy {
    bound: IpAddr,
}

impl HostPolicy {
    pub(super) fn new(bound: SocketAddr) -> HostPolicy {
        HostPolicy { bound: bound.ip() }
    }

    /// Whether a request naming `host` (the `Host` header as sent, port and all) is answered.
    pub(super) fn allows(&self, host: &str) -> bool {
        let Some(name) = name_of(host) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let Some(ip) = ip_of(name) else {
            return false;
        };
        ip.is_loopback() || self.bound.is_unspecified() || canonical(ip) == canonical(self.bound)
    }
}

/// The host of a `Host` header without its port; None when it is not `host[:port]`.
fn name_of(host: &str) -> Option<&str> {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        // Kept bracketed, so that a name is never mistaken for an IPv6 address.
        (&host[..inside.len() + 2], after.strip_prefix(':'))
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if name.is_empty() {
        return None;
    }
    Some(name)
}

/// An IP literal: dotted IPv4, or bracketed IPv6 as a `Host` header writes it.
fn ip_of(name: &str) -> Option<IpAddr> {
    match name.strip_prefix('[') {
        Some(rest) => rest.strip_suffix(']')?.parse().ok(),
        None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.2`) as the IPv4 address they stand for.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(bound: &str) -> HostPolicy {
        HostPolicy::new(bound.parse().unwrap())
    }

    #[test]
    fn loopback_names_and_addresses_are_always_answered() {
        for bound in [
            "127.0.0.1:4000",
            "[::1]:4000",
            "0.0.0.0:4000",
            "192.168.1.5:4000",
        ] {
            let p = policy(bound);
            for host in [
                "localhost",
                "localhost:4000",
                "LocalHost.:4000",
                "tea.localhost:4000",
                "127.0.0.1",
                "127.0.0.1:4000",
                "127.1.2.3:80",
                "[::1]",
                "[::1]:4000",
            ] {
                assert!(p.allows(host), "{bound} {host}");
            }
        }
    }

    #[test]
    fn names_that_dns_could_rebind_are_refused() {
        for bound in [
            "127.0.0.1:4000",
            "0.0.0.0:4000",
            "[::]:4000",
            "192.168.1.5:4000",
        ] {
            let p = policy(bound);
            for host in [
                "attacker.example",
                "attacker.example:4000",
                "localhost.attacker.example",
                "127.0.0.1.attacker.example",
                "my-laptop.local:4000",
                "",
                ":4000",
                "localhost:",
                "localhost:80:80",
                "localhost:x",
                "[::1",
                "[tea]:4000",
                "::1",
            ] {
                assert!(!p.allows(host), "{bound} {host:?}");
            }
        }
    }

    #[test]
    fn the_bound_address_is_answered_and_other_addresses_only_when_bound_to_all() {
        let specific = policy("192.168.1.5:4000");
        assert!(specific.allows("192.168.1.5:4000"));
        assert!(specific.allows("192.168.1.5"));
        assert!(specific.allows("[::ffff:192.168.1.5]:4000"));
        assert!(!specific.allows("10.0.0.2:4000"));
        assert!(!policy("127.0.0.1:4000").allows("192.168.1.5:4000"));
        for bound in ["0.0.0.0:4000", "[::]:4000"] {
            let all = policy(bound);
            assert!(all.allows("10.0.0.2:4000"), "{bound}");
            assert!(all.allows("[fe80::1]:4000"), "{bound}");
        }
    }
}
