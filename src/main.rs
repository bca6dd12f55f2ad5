//! Entry point of the wasm binary: everything else lives in the library so that
//! browser tests can import it.

fn main() {
    // Panic messages in the console are for development: in release the hook's formatting
    // costs ~1.2 KB gzipped of the 350 KB budget, and panic=abort still stops the app.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(parley::App);
    // index.html's shell (brand and "Loading…", painted before the wasm had arrived) gives
    // way to the app, in the same task as the mount: no frame shows both or neither.
    if let Some(shell) = leptos::prelude::document().get_element_by_id("boot") {
        shell.remove();
    }
}
