// Starts the app. It lives in a file, not inline in index.html, so that the
// Content-Security-Policy allows scripts from the app's own origin only. The glue (an ES
// module) and the main wasm have hashed names; Trunk writes them into index.html's
// `parley-js` and `parley-wasm` meta tags, relative to the document's base.
//
// The download starts once the shell in index.html has painted (the frame after the
// first `requestAnimationFrame`): on a slow link, a large download started at once
// shares the bandwidth with the stylesheet the shell needs. A hidden tab paints no
// frames, so it starts at once.
const named = (name) => new URL(document.querySelector(`meta[name="${name}"]`).content, document.baseURI).href;
const start = () =>
  import(named('parley-js')).then((glue) => glue.default({ module_or_path: named('parley-wasm') }));
if (document.visibilityState === 'hidden') start();
else requestAnimationFrame(() => setTimeout(start));
