//! Cache headers for the app's files (docs/deploy.md): Trunk's hashed files never change
//! under their name, so browsers keep them for a year; everything else (index.html,
//! boot.js, config.json…) is revalidated on every load, so a new deployment shows at once.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    // A hashed name answered by the index.html fallback (an old page asking for files a
    // newer deployment removed) must not be kept as that file.
    let value = if hashed && !html && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// `parley-d0afa46f228e22e4.js`, `…_bg.wasm`, `….css`: Trunk's 16-hex-digit hash.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hash = stem.rsplit_once('-').map_or("", |(_, h)| h);
    matches!(ext, "js" | "wasm" | "css") && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_trunks() {
        for (path, hashed) in [
            ("/parley-d0afa46f228e22e4_bg.wasm", true),
            ("/parley-d0afa46f228e22e4.js", true),
            ("/support/parley-e001030fa4f58f19.css", true),
            ("/boot.js", false),
            ("/index.html", false),
            ("/config.json", false),
            ("/parley-d0afa46f228e22e.js", false),
            ("/parley-d0afa46f228e22eg.js", false),
            ("/inbox/mine", false),
            ("/", false),
        ] {
            assert_eq!(is_hashed(path), hashed, "{path}");
        }
    }
}
