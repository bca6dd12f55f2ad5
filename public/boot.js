// Starts the app. It lives in a file, not inline in index.html, so that the
// Content-Security-Policy allows scripts from the app's own origin only. The wasm file's
// name is hashed; index.html preloads it, so its address is read from there.
wasm_bindgen({ module_or_path: document.querySelector('link[rel="preload"][as="fetch"]').href });
