//! Other origins: which web origins may call the API from a browser (`--allow-origin`,
//! CORS) and open the WebSocket (the server's own or an allowed one).

use axum::http::{HeaderMap, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::ApiError;

/// `scheme://host[:port]` as browsers send it in `Origin`: lowercase, without the
/// scheme's default port, so that a configured origin compares equal to the header.
/// Only http and https, with no path (not even `/`), query, fragment or user info.
pub fn canonical(origin: &str) -> Result<String, String> {
    let bad = |why: &str| {
        format!("{origin:?} is not an origin ({why}); write scheme://host[:port], e.g. https://cdn.example.com")
    };
    let lower = origin.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://").ok_or_else(|| bad("no scheme"))?;
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => return Err(bad("the scheme must be http or https")),
    };
    if rest.contains(['/', '?', '#']) {
        return Err(bad("an origin has no path, not even /"));
    }
    let (host, port) = match rest.rfind(':').filter(|&i| !rest[i..].contains(']')) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let ipv6 = host.len() > 2
        && host.starts_with('[')
        && host.ends_with(']')
        && host[1..host.len() - 1].bytes().all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'));
    if host.is_empty() || !(host.bytes().all(name) || ipv6) {
        return Err(bad("the host may hold letters, digits, dots and hyphens, or be an [IPv6] address"));
    }
    match port {
        None => Ok(format!("{scheme}://{host}")),
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n > 0) => {
            let p = p.trim_start_matches('0');
            Ok(if p == default_port { format!("{scheme}://{host}") } else { format!("{scheme}://{host}:{p}") })
        }
        Some(_) => Err(bad("the port must be a number from 1 to 65535")),
    }
}

/// CORS for `/api/v1` from `allowed` (canonical origins), or nothing when there are none.
/// Bearer tokens, not cookies: credentials stay off.
pub fn cors(allowed: &[String]) -> Option<CorsLayer> {
    if allowed.is_empty() {
        return None;
    }
    let origins = allowed.iter().map(|o| HeaderValue::from_str(o).expect("canonical origins are ASCII"));
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            // 429's wait, and the file name of an attachment download.
            .expose_headers([header::RETRY_AFTER, header::CONTENT_DISPOSITION])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

/// Whether a WebSocket upgrade may proceed: without `Origin` (not a browser), from the
/// server's own origin (the `Host` the request was sent to, or `X-Forwarded-Host` behind
/// a proxy that rewrites it; either scheme), or from an allowed origin. A page cannot
/// set `Host` or `X-Forwarded-Host` on a WebSocket, so trusting them lets no other page in.
pub fn check_socket_origin(headers: &HeaderMap, allowed: &[String]) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
    let refused = || {
        ApiError::Forbidden(format!(
            "WebSocket connections from origin {:?} are not allowed (see --allow-origin)",
            String::from_utf8_lossy(origin.as_bytes())
        ))
    };
    let origin = origin.to_str().ok().and_then(|o| canonical(o).ok()).ok_or_else(refused)?;
    if allowed.contains(&origin) {
        return Ok(());
    }
    let hosts = [header::HOST.as_str(), "x-forwarded-host"]
        .into_iter()
        .filter_map(|name| headers.get(name)?.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or_default().trim());
    for host in hosts {
        for scheme in ["https", "http"] {
            if canonical(&format!("{scheme}://{host}")).is_ok_and(|own| own == origin) {
                return Ok(());
            }
        }
    }
    Err(refused())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked_and_written_as_browsers_send_them() {
        let good = [
            ("https://cdn.example.com", "https://cdn.example.com"),
            ("HTTPS://CDN.Example.com:443", "https://cdn.example.com"),
            ("http://localhost:8080", "http://localhost:8080"),
            ("http://127.0.0.1:80", "http://127.0.0.1"),
            ("http://[::1]:3000", "http://[::1]:3000"),
            ("https://[::1]", "https://[::1]"),
        ];
        for (given, expected) in good {
            assert_eq!(canonical(given).as_deref(), Ok(expected), "{given}");
        }
        let bad = [
            "",
            "cdn.example.com",
            "https://cdn.example.com/",
            "https://cdn.example.com/app",
            "https://cdn.example.com?x",
            "ftp://cdn.example.com",
            "https://",
            "https://cdn.example.com:",
            "https://cdn.example.com:99999",
            "https://cdn.example.com:0",
            "https://user@cdn.example.com",
            "https://cdn example.com",
            "https://cdn.example.com;x",
            "*",
            "null",
        ];
        for given in bad {
            assert!(canonical(given).is_err(), "{given:?} accepted");
        }
    }

    #[test]
    fn a_socket_is_refused_only_from_a_foreign_origin() {
        let allowed = vec!["https://cdn.example.com".to_owned()];
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (name, value) in pairs {
                h.insert(*name, HeaderValue::from_str(value).unwrap());
            }
            h
        };
        let accepted = [
            headers(&[("host", "parley.test")]),
            headers(&[("host", "parley.test"), ("origin", "https://parley.test")]),
            headers(&[("host", "parley.test:8080"), ("origin", "http://parley.test:8080")]),
            headers(&[("host", "parley.test:443"), ("origin", "https://parley.test")]),
            headers(&[
                ("host", "backend:8080"),
                ("x-forwarded-host", "parley.test"),
                ("origin", "https://parley.test"),
            ]),
            headers(&[("host", "parley.test"), ("origin", "https://cdn.example.com")]),
        ];
        for h in accepted {
            assert!(check_socket_origin(&h, &allowed).is_ok(), "{h:?}");
        }
        let refused = [
            headers(&[("host", "parley.test"), ("origin", "https://evil.test")]),
            headers(&[("host", "parley.test"), ("origin", "https://parley.test:8443")]),
            headers(&[("host", "parley.test"), ("origin", "https://parley.test.evil.test")]),
            headers(&[("host", "parley.test"), ("origin", "null")]),
            headers(&[("origin", "https://parley.test")]),
        ];
        for h in refused {
            assert!(matches!(check_socket_origin(&h, &allowed), Err(ApiError::Forbidden(_))), "{h:?}");
        }
    }
}
