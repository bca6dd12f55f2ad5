//! Issue 12, the server's side of deploying anywhere: the app's inline script allowed by
//! its hash in the CSP.

use reqwest::header::HeaderMap;

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

/// The `'sha256-…'` source of a script's text, as CSP writes it.
fn source_of(script: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script)))
}

/// The app's CSP for a `dist/` whose index.html is `html`.
async fn app_csp(html: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("dist");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("index.html"), html).unwrap();
    let state = parley_server::open(&parley_server::Config::new(dir.path().join("db.sqlite3"))).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move { parley_server::serve(listener, state, Some(&site)).await.unwrap() });
    let mut policies = Vec::new();
    for path in ["/", "/inbox/mine", "/index.html"] {
        let res = reqwest::get(format!("{base}{path}")).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        policies.push(header(res.headers(), "content-security-policy").unwrap().to_owned());
    }
    task.abort();
    assert!(policies.windows(2).all(|w| w[0] == w[1]), "{policies:?}");
    policies.remove(0)
}

fn script_src(csp: &str) -> Vec<String> {
    let directive = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).expect("a script-src");
    directive.split_whitespace().skip(1).map(str::to_owned).collect()
}

#[tokio::test]
async fn the_inline_scripts_of_index_html_are_allowed_by_their_hashes_only() {
    let base = "\n      document.head.prepend(Object.assign(document.createElement('base'), {href: location.pathname.replace(/[^/]*$/, '')}));\n    ";
    let other = "window.parleyBoot = 1;";
    let html = format!(
        "<!doctype html>\n<html>\n  <head>\n    <meta charset=\"utf-8\" />\n    <script>{base}</script>\n    \
         <script src=\"boot.js\"></script>\n  </head>\n  <body><script type=\"module\">{other}</script></body>\n</html>\n"
    );
    let csp = app_csp(&html).await;
    assert_eq!(script_src(&csp), ["'self'", "'wasm-unsafe-eval'", &source_of(base), &source_of(other)], "{csp}");
    // Without inline scripts nothing is added.
    let csp = app_csp("<html><head><script src=\"boot.js\"></script></head></html>").await;
    assert_eq!(script_src(&csp), ["'self'", "'wasm-unsafe-eval'"], "{csp}");
}
