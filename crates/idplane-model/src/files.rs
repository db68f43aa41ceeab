//! Reading the files a user names (spec files, variable files, SAML metadata, `{file:}`
//! secrets, saved plans): regular files only, never more than a bound, so that a FIFO cannot
//! hang a command and `/dev/zero` cannot exhaust memory.

use std::io::Read;
use std::path::Path;

/// Largest `{file:}` secret (an OIDC client secret is at most a few hundred bytes).
pub const MAX_SECRET_BYTES: u64 = 64 * 1024;
/// Largest SAML metadata document (AWS's `MetadataFile` provider detail is far smaller).
pub const MAX_METADATA_BYTES: u64 = 1024 * 1024;

/// Reads a regular file as UTF-8 text, refusing anything else (a FIFO, a device, a directory)
/// before opening it, and refusing a file over `max_bytes` while reading it (a file may grow
/// between the check and the read). The message says what is wrong, without the path (the
/// caller adds what the file was for).
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a pipe, a device or a socket)"
        };
        return Err(format!("it is {what}"));
    }
    if meta.len() > max_bytes {
        return Err(format!(
            "the file is {} bytes, more than the {max_bytes} allowed here",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "the file grew past the {max_bytes} bytes allowed here"
        ));
    }
    String::from_utf8(bytes).map_err(|_| "the file is not valid UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        let e = read_text(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        let e = read_text(Path::new("/"), 1024).unwrap_err();
        assert!(e.contains("a directory"), "{e}");
        let dir = std::env::temp_dir().join(format!("idplane-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.txt");
        std::fs::write(&big, "x".repeat(2048)).unwrap();
        assert!(read_text(&big, 1024).unwrap_err().contains("2048 bytes"));
        assert_eq!(read_text(&big, 4096).unwrap().len(), 2048);
        let bad = dir.join("bad.txt");
        std::fs::write(&bad, [0xff, 0xfe]).unwrap();
        assert!(read_text(&bad, 1024).unwrap_err().contains("UTF-8"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
