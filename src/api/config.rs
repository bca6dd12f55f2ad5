//! Where the backend lives. One place, so that a runtime `config.json` (PRODUCT.md,
//! "Deployment") can later replace the same-origin default without touching callers.

/// Base URL of the REST API: same origin as the page.
pub(crate) fn api_base() -> String {
    "/api/v1".to_owned()
}

/// URL of a static file shipped in dist/ (copied from public/), like `/favicon.svg`.
pub(crate) fn asset_url(path: &str) -> String {
    path.to_owned()
}

/// Absolute URL of the WebSocket: `ws(s)://<host>/api/v1/ws`, following the page's scheme.
///
/// A relative URL would be simpler, but `new WebSocket()` only accepts relative URLs in
/// recent browsers, so the absolute form is built from `window.location`.
pub(crate) fn socket_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let (protocol, host) =
        location.map(|l| (l.protocol().unwrap_or_default(), l.host().unwrap_or_default())).unwrap_or_default();
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}{}/ws", api_base())
}
