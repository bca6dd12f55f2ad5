//! Entry point of the wasm binary: everything else lives in the library so that
//! browser tests can import it.

fn main() {
    // Panic messages in the console are for development: in release the hook's formatting
    // costs ~1.2 KB gzipped of the 350 KB budget, and panic=abort still stops the app.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    parley::router::ensure_base();
    // config.json first: it says where the API is, the language and the theme. Meanwhile
    // index.html's shell ("Loading…") stays. (Not Leptos's spawn_local: its executor
    // starts with the mount.)
    wasm_bindgen_futures::spawn_local(async {
        match parley::api::load_config().await {
            Ok(()) => parley::start(),
            Err(problem) => parley::cannot_start(&problem),
        }
    });
}
