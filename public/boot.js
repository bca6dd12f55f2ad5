// Starts the app. It lives in a file, not inline in index.html, so that the
// Content-Security-Policy allows scripts from the app's own origin only. The wasm file's
// name is hashed; Trunk writes it into index.html's `parley-wasm` meta tag.
//
// The download starts once the shell in index.html has painted (the frame after the
// first `requestAnimationFrame`): on a slow link, a 440 KB download started at once
// shares the bandwidth with the stylesheet the shell needs. A hidden tab paints no
// frames, so it starts at once.
const start = () =>
  wasm_bindgen({ module_or_path: document.querySelector('meta[name="parley-wasm"]').content });
if (document.visibilityState === 'hidden') start();
else requestAnimationFrame(() => setTimeout(start));
