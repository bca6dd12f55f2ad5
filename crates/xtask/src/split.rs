//! `cargo xtask split-wasm`, Trunk's post-build hook (Trunk.toml): splits the app's wasm
//! at its `#[lazy]` functions into a main module and chunks the browser fetches on first
//! use, as `cargo leptos --split` does. Trunk cannot split, so it only builds: its
//! wasm-bindgen output (target `web`, no wasm-opt) names the files, and this hook replaces
//! them with the split ones.
//!
//! Steps: [`wasm_split_cli_support`] on cargo's wasm (linked with `--emit-relocs`, see
//! .cargo/config.toml), wasm-bindgen on the main module, wasm-opt on each module in
//! release builds. Every file carries Trunk's hash (`split_reports_…-<hash>.wasm`,
//! `split-<hash>.js`), so the server's year-long caching of hashed names stays right
//! (crates/server/src/routes/cache.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, setup, sh, target_dir};

/// wasm-opt's flags for every module, as `cargo leptos --split` runs it. `--flatten
/// --rereloop` before `-Oz` saved 5 KB gzipped unsplit; it is not measured on the split
/// build yet (a failure first blamed on it came back without it).
pub const WASM_OPT: &[&str] = &["-Oz"];

pub fn run() -> Result {
    let env =
        |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set: run by Trunk's post_build hook"));
    let staging = PathBuf::from(env("TRUNK_STAGING_DIR")?);
    let release = env("TRUNK_PROFILE")? == "release";
    let cargo_wasm =
        target_dir().join("wasm32-unknown-unknown").join(if release { "release" } else { "debug" }).join("parley.wasm");
    // Trunk's names: parley-<hash>.js and parley-<hash>_bg.wasm.
    let stem = std::fs::read_dir(&staging)
        .map_err(|e| format!("cannot read {}: {e}", staging.display()))?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix("_bg.wasm").map(str::to_owned))
        .next()
        .ok_or_else(|| format!("no *_bg.wasm in {}", staging.display()))?;
    let hash = stem.rsplit_once('-').map(|(_, h)| h.to_owned()).ok_or_else(|| format!("{stem}: no hash"))?;
    split(&cargo_wasm, &staging, &stem, &hash, release)
}

/// Splits `cargo_wasm` into `out`: `{stem}.js` and `{stem}_bg.wasm` (the main module and
/// its glue), `split-{hash}.js` (the loaders) and one `{chunk}-{hash}.wasm` per chunk.
pub fn split(cargo_wasm: &Path, out: &Path, stem: &str, hash: &str, optimise: bool) -> Result {
    let work = target_dir().join("wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let input = std::fs::read(cargo_wasm).map_err(|e| format!("cannot read {}: {e}", cargo_wasm.display()))?;
    let main = work.join("main.wasm");
    let link_name = format!("./split-{hash}.js");
    let main_module = format!("./{stem}.js");
    eprintln!("$ wasm-split {} → {}", cargo_wasm.display(), work.display());
    let chunks = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &work;
        opts.main_out_path = &main;
        opts.link_name = &link_name;
        opts.main_module = &main_module;
        opts
    })
    .map_err(|e| format!("wasm-split: {e:#}"))?
    .split_modules;

    let mut bindgen = Command::new("wasm-bindgen");
    setup::tool_env(&mut bindgen);
    bindgen.args([
        "--target",
        "web",
        "--keep-lld-exports",
        "--no-demangle",
        "--no-typescript",
        "--out-name",
        stem,
        "--out-dir",
    ]);
    sh(bindgen.arg(out).arg(&main))?;
    let mut modules = vec![out.join(format!("{stem}_bg.wasm"))];

    // The loaders fetch each chunk by its file name, relative to their own URL.
    let mut loaders =
        std::fs::read_to_string(work.join(&link_name)).map_err(|e| format!("wasm-split wrote no {link_name}: {e}"))?;
    for chunk in &chunks {
        let name = chunk.file_stem().and_then(|n| n.to_str()).ok_or("a chunk without a name")?;
        let hashed = format!("{name}-{hash}.wasm");
        let quoted = format!("\"./{name}.wasm\"");
        if !loaders.contains(&quoted) {
            return Err(format!("{link_name} does not load {name}.wasm"));
        }
        loaders = loaders.replace(&quoted, &format!("\"./{hashed}\""));
        let target = out.join(&hashed);
        std::fs::copy(chunk, &target).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        modules.push(target);
    }
    if optimise {
        wasm_opt_all(modules)?;
    }
    let target = out.join(&link_name);
    std::fs::write(&target, loaders).map_err(|e| format!("cannot write {}: {e}", target.display()))
}

/// wasm-opt on every module, as many at once as the machine has cores: npm's wasm-opt is
/// binaryen compiled to JavaScript, single-threaded, and starting it costs about a second,
/// which the split's dozens of small chunks paid one after the other (~100 s of a build).
fn wasm_opt_all(mut modules: Vec<PathBuf>) -> Result {
    // The largest first, so that a long one does not start last.
    modules.sort_by_key(|m| std::cmp::Reverse(std::fs::metadata(m).map_or(0, |m| m.len())));
    let queue = std::sync::Mutex::new(modules.into_iter());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let next = queue.lock().map_err(|_| "a wasm-opt worker failed")?.next();
                        match next {
                            Some(module) => wasm_opt(&module)?,
                            None => return Ok(()),
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| w.join().unwrap_or_else(|_| Err("a wasm-opt worker panicked".into())))
    })
}

fn wasm_opt(file: &Path) -> Result {
    let mut opt = Command::new("wasm-opt");
    setup::tool_env(&mut opt);
    sh(opt.args(WASM_OPT).arg(file).arg("-o").arg(file))
}
