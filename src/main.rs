//! Entry point of the wasm binary: everything else lives in the library so that
//! browser tests can import it.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(parley::App);
}
