//! Precompressed copies of the bundle: `parley-server` (tower-http `ServeDir` with
//! `precompressed_br` / `precompressed_gzip`) sends `file.br` or `file.gz` to a browser
//! that accepts it, so the 1.6 MB wasm travels as ~0.5 MB. A CDN in front of `dist/` can
//! serve the same files.

use std::io::Write;
use std::path::Path;

use crate::Result;

/// Files worth compressing (images other than SVG are compressed already).
const COMPRESSIBLE: [&str; 6] = ["wasm", "js", "css", "html", "json", "svg"];

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Quality 11 and a 4 MB window: the slowest, smallest setting, paid once per build.
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

/// Writes `name.gz` and `name.br` next to every compressible file of `dist`.
pub fn precompress(dist: &Path) -> Result {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (suffix, packed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
            let mut name = path.file_name().unwrap_or_default().to_owned();
            name.push(".");
            name.push(suffix);
            let target = path.with_file_name(name);
            std::fs::write(&target, packed).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    /// Both copies decompress to the original bytes (a browser would otherwise get garbage).
    #[test]
    fn both_encodings_round_trip() {
        let original: Vec<u8> = (0..50_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let mut gunzipped = Vec::new();
        flate2::read::GzDecoder::new(&super::gzip(&original)[..]).read_to_end(&mut gunzipped).unwrap();
        assert_eq!(gunzipped, original);
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &super::brotli(&original)[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, original);
    }
}
