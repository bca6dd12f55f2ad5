//! What each crate costs in the wasm (`cargo xtask size`, issue 11 item 7).
//!
//! The wasm in dist/ has no names: wasm-opt drops the name section. So the same cargo
//! output goes once more through split.rs (wasm-split, wasm-bindgen) and wasm-opt with
//! its flags plus `-g` (keep names), which gives the same main module with a name
//! section: the figures are the first load's, chunks left out. Each function's
//! body is counted for the crate its (demangled) name starts with; for an
//! `<A as Trait>::f` it is A's crate, or the trait's when A is a std type or a generic.
//!
//! Read the figures as "code that lives in this crate's functions": generic code is
//! counted where it is defined, so a view closure that Leptos instantiates with the app's
//! types counts for tachys or reactive_graph, and what wasm-opt inlined counts for the
//! caller. The gzip column compresses each crate's bodies alone: an estimate (like code
//! compresses better together, so the column adds up to ~8 % less than the real file).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, setup, sh};

/// Builds the named twin of dist/'s wasm from `cargo_wasm` (the cargo output Trunk used)
/// into `work`, and prints the breakdown.
pub fn print(cargo_wasm: &Path, work: &Path) -> Result {
    let named = named_build(cargo_wasm, work)?;
    let bytes = std::fs::read(&named).map_err(|e| format!("{}: {e}", named.display()))?;
    let module = Module::parse(&bytes)?;
    let mut groups: HashMap<String, Vec<u8>> = HashMap::new();
    for (index, body) in module.bodies.iter().enumerate() {
        let name = module.names.get(&(index as u32 + module.imported_functions)).map_or("", String::as_str);
        let name = format!("{:#}", rustc_demangle::demangle(name));
        groups.entry(crate_of(&name)).or_default().extend_from_slice(&bytes[body.clone()]);
    }
    groups.entry("(data: strings, tables)".into()).or_default().extend_from_slice(&module.data);
    let code: usize = groups.values().map(Vec::len).sum();
    let mut rows: Vec<_> = groups.into_iter().map(|(name, bytes)| (name, bytes.len(), gzip_len(&bytes))).collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    println!("\nwhat each crate costs in the main wasm (functions counted where they are defined; see breakdown.rs)");
    println!("{:<44} {:>10} {:>7} {:>10}", "crate", "bytes", "share", "gzip alone");
    let (mut rest, mut rest_gz, mut rest_n) = (0, 0, 0);
    for (name, len, gz) in &rows {
        if *len * 100 >= code {
            println!("{:<44} {:>10} {:>6.1}% {:>10}", name, len, *len as f64 * 100.0 / code as f64, gz);
        } else {
            (rest, rest_gz, rest_n) = (rest + len, rest_gz + gz, rest_n + 1);
        }
    }
    println!(
        "{:<44} {:>10} {:>6.1}% {:>10}",
        format!("{rest_n} others under 1 %"),
        rest,
        rest as f64 * 100.0 / code as f64,
        rest_gz
    );
    println!("{:<44} {:>10}", "functions and data (the rest is wasm structure)", code);
    Ok(())
}

/// The main module as the build makes it (split.rs: wasm-split, wasm-bindgen, then
/// wasm-opt), keeping names: the figures are what a first load costs, chunks left out.
fn named_build(cargo_wasm: &Path, work: &Path) -> Result<PathBuf> {
    crate::split::split(cargo_wasm, work, "parley", "0", false)?;
    let named = work.join("parley_named.wasm");
    let mut opt = Command::new("wasm-opt");
    setup::tool_env(&mut opt);
    opt.args(crate::split::WASM_OPT).arg("-g");
    opt.arg(work.join("parley_bg.wasm")).arg("-o").arg(&named);
    sh(&mut opt)?;
    Ok(named)
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("writing to memory");
    gz.finish().expect("writing to memory").len()
}

/// The crate a demangled Rust name belongs to (see the module comment); "(other)" for
/// names that are not Rust paths (the allocator's C-like helpers, imports' shims).
fn crate_of(name: &str) -> String {
    const STD: [&str; 3] = ["core", "alloc", "std"];
    let head = |path: &str| -> Option<String> {
        let path = path.trim_start_matches(['&', '*', '(', '[']);
        let path = ["mut ", "const ", "dyn "].iter().fold(path, |p, pre| p.strip_prefix(pre).unwrap_or(p));
        let end = path.find("::")?;
        let krate = &path[..end];
        let krate = krate.split('[').next().unwrap_or(krate);
        (!krate.is_empty() && krate.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| krate.to_owned())
    };
    let Some(inner) = name.strip_prefix('<') else {
        return head(name).unwrap_or_else(|| "(other)".into());
    };
    // `<A as B>::f`: split at the top-level " as ".
    let (mut depth, mut split) = (0, None);
    for (i, c) in inner.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if depth == 0 => break,
            '>' => depth -= 1,
            ' ' if depth == 0 && inner[i..].starts_with(" as ") => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let (this, trait_) = match split {
        Some(i) => (&inner[..i], head(&inner[i + 4..])),
        None => (inner, None),
    };
    match (head(this), trait_) {
        (Some(k), Some(t)) if STD.contains(&k.as_str()) => t,
        (Some(k), _) => k,
        (None, Some(t)) => t,
        (None, None) => "(other)".into(),
    }
}

/// The parts of a wasm module the breakdown needs.
struct Module {
    imported_functions: u32,
    /// Byte ranges of the code section's function bodies, in function order.
    bodies: Vec<std::ops::Range<usize>>,
    names: HashMap<u32, String>,
    data: Vec<u8>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.at).ok_or("wasm: unexpected end")?;
        self.at += 1;
        Ok(b)
    }

    fn leb(&mut self) -> Result<u32> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| "wasm: LEB128 too large".into());
            }
            shift += 7;
        }
    }

    fn take(&mut self, len: usize) -> Result<&[u8]> {
        let end = self.at.checked_add(len).filter(|&e| e <= self.bytes.len()).ok_or("wasm: section overruns")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn name(&mut self) -> Result<String> {
        let len = self.leb()? as usize;
        Ok(String::from_utf8_lossy(self.take(len)?).into_owned())
    }
}

impl Module {
    fn parse(bytes: &[u8]) -> Result<Module> {
        if bytes.get(..4) != Some(b"\0asm") {
            return Err("not a wasm module".into());
        }
        let mut module = Module { imported_functions: 0, bodies: Vec::new(), names: HashMap::new(), data: Vec::new() };
        let mut r = Reader { bytes, at: 8 };
        while r.at < bytes.len() {
            let id = r.byte()?;
            let len = r.leb()? as usize;
            let start = r.at;
            let mut s = Reader { bytes: &bytes[..start + len], at: start };
            match id {
                0 if s.name()? == "name" => module.read_names(&mut s)?,
                2 => module.imported_functions = count_function_imports(&mut s)?,
                10 => {
                    for _ in 0..s.leb()? {
                        let size = s.leb()? as usize;
                        module.bodies.push(s.at..s.at + size);
                        s.take(size)?;
                    }
                }
                11 => module.data.extend_from_slice(&bytes[start..start + len]),
                _ => {}
            }
            r.at = start + len;
        }
        Ok(module)
    }

    /// The name section's function names (subsection 1).
    fn read_names(&mut self, s: &mut Reader) -> Result {
        while s.at < s.bytes.len() {
            let sub = s.byte()?;
            let len = s.leb()? as usize;
            let end = s.at + len;
            if sub == 1 {
                for _ in 0..s.leb()? {
                    let index = s.leb()?;
                    let name = s.name()?;
                    self.names.insert(index, name);
                }
            }
            s.at = end;
        }
        Ok(())
    }
}

fn count_function_imports(s: &mut Reader) -> Result<u32> {
    let mut functions = 0;
    for _ in 0..s.leb()? {
        s.name()?;
        s.name()?;
        match s.byte()? {
            0 => {
                functions += 1;
                s.leb()?;
            }
            1 => {
                s.byte()?;
                limits(s)?;
            }
            2 => limits(s)?,
            3 => {
                s.byte()?;
                s.byte()?;
            }
            4 => {
                s.byte()?;
                s.leb()?;
            }
            kind => return Err(format!("wasm: unknown import kind {kind}")),
        }
    }
    Ok(functions)
}

fn limits(s: &mut Reader) -> Result {
    let flags = s.byte()?;
    s.leb()?;
    if flags & 1 != 0 {
        s.leb()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn names_are_counted_for_their_crate() {
        assert_eq!(crate_of("parley::views::inbox_page::InboxPage::h0123456789abcdef"), "parley");
        assert_eq!(crate_of("dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<A>::malloc"), "dlmalloc");
        assert_eq!(crate_of("<tachys::html::Foo<T> as core::clone::Clone>::clone"), "tachys");
        assert_eq!(crate_of("<alloc::vec::Vec<T> as serde_core::de::Deserialize>::deserialize"), "serde_core");
        assert_eq!(crate_of("<T as reactive_graph::traits::Read>::try_read"), "reactive_graph");
        assert_eq!(crate_of("<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::f"), "serde_json");
        assert_eq!(crate_of("memcpy"), "(other)");
    }
}
