//! The app's static files: precompressed copies are sent to browsers that accept them,
//! and any other path is the single-page app's index.html.

use parley_server::{Config, open, serve};

#[tokio::test]
async fn precompressed_copies_go_to_browsers_that_accept_them_and_app_routes_get_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("dist");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("index.html"), "<html>the app</html>").unwrap();
    std::fs::write(site.join("app.wasm"), "plain bytes").unwrap();
    std::fs::write(site.join("app.wasm.br"), "brotli bytes").unwrap();
    std::fs::write(site.join("app.wasm.gz"), "gzip bytes").unwrap();
    std::fs::write(site.join("parley-d0afa46f228e22e4_bg.wasm"), "hashed bytes").unwrap();
    let config = Config {
        db: dir.path().join("db.sqlite3"),
        fixture: None,
        static_dir: None,
        simulator: false,
        test_clock: false,
        ..Config::new(Default::default())
    };
    let state = open(&config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move { serve(listener, state, Some(&site)).await.unwrap() });
    let http = reqwest::Client::new();

    let cases = [
        ("br, gzip", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "plain bytes"),
    ];
    for (accept, encoding, body) in cases {
        let res = http.get(format!("{base}/app.wasm")).header("accept-encoding", accept).send().await.unwrap();
        assert_eq!(res.status(), 200, "{accept}");
        let got = res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(got.as_deref(), encoding, "{accept}");
        assert_eq!(res.text().await.unwrap(), body, "{accept}");
    }

    let res = http.get(format!("{base}/inbox/mine/c/c-1")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert_eq!(res.text().await.unwrap(), "<html>the app</html>");

    // Hashed names are kept for a year; anything else, or a hashed name that is gone (the
    // fallback answers it), is revalidated.
    for (path, cache) in [
        ("/parley-d0afa46f228e22e4_bg.wasm", "public, max-age=31536000, immutable"),
        ("/app.wasm", "no-cache"),
        ("/parley-0000000000000000.js", "no-cache"),
    ] {
        let res = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.headers()["cache-control"], cache, "{path}");
    }
    task.abort();
}
