//! The OFD package: a zip container (GB/T 33190-2016 §7.2 "文件结构": the package is a ZIP
//! archive whose root holds `OFD.xml`).
//!
//! The whole package is read into memory once, entry by entry, under [`Limits`] so that a hostile
//! archive (zip bomb, millions of entries, lying size fields) is rejected with
//! [`ErrorKind::LimitExceeded`] before it can exhaust memory. Entry names are checked: absolute
//! names, drive letters, `..` segments, NUL characters and duplicate names are refused with
//! [`ErrorKind::MalformedOfd`]. The bytes of every entry are kept exactly as stored, so hashes
//! are computed over what was signed (never over re-serialised XML).
//!
//! Paths inside OFD files ([`resolve`]) are either absolute (`/Doc_0/…`, from the package root)
//! or relative to the folder of the file that contains them (GB/T 33190-2016 §7.5 "ST_Loc").

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use crate::error::{Error, ErrorKind, Result};

/// Size and count limits applied when a package is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest package (zip file) accepted, in bytes.
    pub max_package_size: u64,
    /// Most entries (files and folders) accepted.
    pub max_entries: usize,
    /// Largest uncompressed entry accepted, in bytes.
    pub max_entry_size: u64,
    /// Largest total of uncompressed entries accepted, in bytes.
    pub max_total_size: u64,
    /// Highest compression ratio (uncompressed / compressed) accepted for entries larger than
    /// [`Limits::ratio_threshold`].
    pub max_ratio: u64,
    /// Entries at most this large (uncompressed) are not subject to the ratio limit.
    pub ratio_threshold: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_package_size: 512 * 1024 * 1024,
            max_entries: 20_000,
            max_entry_size: 256 * 1024 * 1024,
            max_total_size: 1024 * 1024 * 1024,
            max_ratio: 200,
            ratio_threshold: 1024 * 1024,
        }
    }
}

/// One file of the package, with its exact bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Normalised name (no leading `/`).
    pub name: String,
    /// Uncompressed bytes, exactly as stored.
    pub data: Vec<u8>,
}

/// An OFD package read into memory.
#[derive(Debug, Clone, Default)]
pub struct Package {
    files: Vec<Entry>,
    index: BTreeMap<String, usize>,
    folders: Vec<String>,
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedOfd, msg)
}

fn limit(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::LimitExceeded, msg)
}

/// Checks a zip entry name and returns it normalised (no trailing `/` for folders).
fn check_entry_name(raw: &[u8]) -> Result<String> {
    let name = std::str::from_utf8(raw)
        .map_err(|_| malformed("zip entry name is not UTF-8"))?
        .to_string();
    if name.is_empty() {
        return Err(malformed("zip entry with an empty name"));
    }
    if name.contains('\0') {
        return Err(malformed(format!("zip entry name {name:?} contains NUL")));
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return Err(malformed(format!("absolute zip entry name {name:?}")));
    }
    if name.len() >= 2 && name.as_bytes()[1] == b':' {
        return Err(malformed(format!(
            "zip entry name {name:?} has a drive letter"
        )));
    }
    for seg in name.split(['/', '\\']) {
        if seg == ".." {
            return Err(malformed(format!("zip entry name {name:?} contains '..'")));
        }
    }
    Ok(name)
}

impl Package {
    /// Reads a package from a file.
    pub fn open(path: impl AsRef<std::path::Path>, limits: &Limits) -> Result<Package> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
        if meta.len() > limits.max_package_size {
            return Err(limit(format!(
                "package of {} bytes exceeds the limit of {} bytes",
                meta.len(),
                limits.max_package_size
            )));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
        Package::from_bytes(&bytes, limits)
    }

    /// Reads a package from its bytes.
    pub fn from_bytes(bytes: &[u8], limits: &Limits) -> Result<Package> {
        if bytes.len() as u64 > limits.max_package_size {
            return Err(limit(format!(
                "package of {} bytes exceeds the limit of {} bytes",
                bytes.len(),
                limits.max_package_size
            )));
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| malformed(format!("not a readable zip package: {e}")))?;
        if zip.len() > limits.max_entries {
            return Err(limit(format!(
                "package has {} entries, more than the limit of {}",
                zip.len(),
                limits.max_entries
            )));
        }
        if zip.has_duplicate_names() {
            return Err(malformed("package has duplicate entry names"));
        }
        let mut pkg = Package::default();
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let mut f = zip
                .by_index(i)
                .map_err(|e| malformed(format!("zip entry #{i}: {e}")))?;
            let name = check_entry_name(f.name_raw())?;
            if f.is_dir() {
                let folder = name.trim_end_matches(['/', '\\']).to_string();
                if pkg.index.contains_key(&folder) {
                    return Err(malformed(format!("duplicate zip entry {name:?}")));
                }
                pkg.folders.push(folder);
                continue;
            }
            let declared = f.size();
            if declared > limits.max_entry_size {
                return Err(limit(format!(
                    "entry {name:?} declares {declared} bytes, more than the limit of {}",
                    limits.max_entry_size
                )));
            }
            let compressed = f.compressed_size().max(1);
            if declared > limits.ratio_threshold && declared / compressed > limits.max_ratio {
                return Err(limit(format!(
                    "entry {name:?} has a compression ratio of {}:1 (limit {}:1): zip bomb",
                    declared / compressed,
                    limits.max_ratio
                )));
            }
            total = total.saturating_add(declared);
            if total > limits.max_total_size {
                return Err(limit(format!(
                    "package expands to more than {} bytes",
                    limits.max_total_size
                )));
            }
            // Read at most one byte more than declared: a lying size field cannot make us
            // allocate beyond the limits.
            let mut data = Vec::with_capacity(declared.min(1 << 20) as usize);
            (&mut f)
                .take(declared + 1)
                .read_to_end(&mut data)
                .map_err(|e| malformed(format!("entry {name:?} cannot be read: {e}")))?;
            if data.len() as u64 != declared {
                return Err(malformed(format!(
                    "entry {name:?} holds {} bytes but declares {declared}",
                    data.len()
                )));
            }
            drop(f);
            let key = normalize(&name)?;
            if pkg.index.contains_key(&key) || pkg.folders.contains(&key) {
                return Err(malformed(format!("duplicate zip entry {name:?}")));
            }
            pkg.index.insert(key.clone(), pkg.files.len());
            pkg.files.push(Entry { name: key, data });
        }
        Ok(pkg)
    }

    /// The bytes of the file at `path` (absolute or root-relative, normalised by [`normalize`]).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        let key = normalize(path).ok()?;
        self.index.get(&key).map(|&i| self.files[i].data.as_slice())
    }

    /// Whether the package holds a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// The normalised name of the file at `path`, compared without regard to ASCII case when
    /// no file has exactly that name (viewers on case-insensitive file systems open
    /// `TPLS/Tpl_0/Content.xml` for `Tpls/Tpl_0/Content.xml`; the Chongqing tax e-invoice
    /// sample names its template so). None when no file matches, or when several match
    /// without regard to case.
    pub fn find_loose(&self, path: &str) -> Option<String> {
        let key = normalize(path).ok()?;
        if self.index.contains_key(&key) {
            return Some(key);
        }
        let mut hits = self.index.keys().filter(|k| k.eq_ignore_ascii_case(&key));
        let first = hits.next()?;
        hits.next().is_none().then(|| first.clone())
    }

    /// The files (not folders), in archive order.
    pub fn files(&self) -> &[Entry] {
        &self.files
    }

    /// Builds a package in memory from `(name, bytes)` pairs (for tests and tools).
    pub fn from_entries(entries: impl IntoIterator<Item = (String, Vec<u8>)>) -> Result<Package> {
        let mut pkg = Package::default();
        for (name, data) in entries {
            let key = normalize(&check_entry_name(name.as_bytes())?)?;
            if pkg.index.contains_key(&key) {
                return Err(malformed(format!("duplicate entry {name:?}")));
            }
            pkg.index.insert(key.clone(), pkg.files.len());
            pkg.files.push(Entry { name: key, data });
        }
        Ok(pkg)
    }
}

/// Normalises a package path: `\` becomes `/`, a leading `/` and `.` segments are dropped, `..`
/// segments are applied; a `..` above the root is an error.
pub fn normalize(path: &str) -> Result<String> {
    let mut out: Vec<&str> = Vec::new();
    let path = path.trim();
    let replaced = path.replace('\\', "/");
    for seg in replaced.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() {
                    return Err(malformed(format!("path {path:?} leaves the package root")));
                }
            }
            s => out.push(s),
        }
    }
    if out.is_empty() {
        return Err(malformed(format!("empty path {path:?}")));
    }
    Ok(out.join("/"))
}

/// The folder of a normalised file path (`""` for the root).
pub fn folder_of(file: &str) -> &str {
    match file.rfind('/') {
        Some(i) => &file[..i],
        None => "",
    }
}

/// Resolves `loc`, found in the file `referrer` (a normalised path), to a normalised package
/// path: absolute locations start at the root, relative ones at the referrer's folder.
pub fn resolve(referrer: &str, loc: &str) -> Result<String> {
    let loc_t = loc.trim();
    if loc_t.is_empty() {
        return Err(malformed(format!("empty location in {referrer}")));
    }
    if loc_t.starts_with('/') || loc_t.starts_with('\\') {
        return normalize(loc_t);
    }
    let base = folder_of(referrer);
    if base.is_empty() {
        normalize(loc_t)
    } else {
        normalize(&format!("{base}/{loc_t}"))
    }
}

/// Like [`resolve`], but when the relative resolution names no file of `pkg` and the location
/// read from the root does, returns the latter (some producers write root-relative paths
/// without the leading `/`).
pub fn resolve_in(pkg: &Package, referrer: &str, loc: &str) -> Result<String> {
    let p = resolve(referrer, loc)?;
    if pkg.contains(&p) {
        return Ok(p);
    }
    if let Ok(root) = normalize(loc)
        && pkg.contains(&root)
    {
        return Ok(root);
    }
    Ok(p)
}

/// Resolves `loc`, found in `referrer`, to the package file a viewer would open: the
/// location as written ([`resolve_in`]: relative to the referrer's folder, then from the
/// root), then the same without regard to ASCII case ([`Package::find_loose`]). None when no
/// file of the package matches.
pub fn resolve_used(pkg: &Package, referrer: &str, loc: &str) -> Option<String> {
    let p = resolve_in(pkg, referrer, loc).ok()?;
    if pkg.contains(&p) {
        return Some(p);
    }
    pkg.find_loose(&p)
        .or_else(|| normalize(loc).ok().and_then(|r| pkg.find_loose(&r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_lookup() {
        let pkg = Package::from_entries([
            ("Doc_0/Tpls/Tpl_0/Content.xml".to_string(), b"t".to_vec()),
            ("Doc_0/Document.xml".to_string(), b"d".to_vec()),
        ])
        .unwrap();
        assert_eq!(
            resolve_used(&pkg, "Doc_0/Document.xml", "TPLS/Tpl_0/Content.xml").as_deref(),
            Some("Doc_0/Tpls/Tpl_0/Content.xml")
        );
        assert_eq!(
            resolve_used(&pkg, "Doc_0/Document.xml", "/Doc_0/Document.xml").as_deref(),
            Some("Doc_0/Document.xml")
        );
        assert_eq!(resolve_used(&pkg, "Doc_0/Document.xml", "Tpls/x.xml"), None);
    }

    #[test]
    fn paths() {
        assert_eq!(
            normalize("/Doc_0/./Signs/../Document.xml").unwrap(),
            "Doc_0/Document.xml"
        );
        assert!(normalize("/../x").is_err());
        assert_eq!(
            resolve("Doc_0/Signs/Signatures.xml", "Sign_0/Signature.xml").unwrap(),
            "Doc_0/Signs/Sign_0/Signature.xml"
        );
        assert_eq!(
            resolve(
                "Doc_0/Signs/Signatures.xml",
                "/Doc_0/Signs/Sign_1/Signature.xml"
            )
            .unwrap(),
            "Doc_0/Signs/Sign_1/Signature.xml"
        );
        assert_eq!(
            resolve("OFD.xml", "Doc_0/Document.xml").unwrap(),
            "Doc_0/Document.xml"
        );
        assert_eq!(folder_of("OFD.xml"), "");
    }

    #[test]
    fn entry_names() {
        assert!(check_entry_name(b"/etc/passwd").is_err());
        assert!(check_entry_name(b"a/../../b").is_err());
        assert!(check_entry_name(b"C:\\x").is_err());
        assert!(check_entry_name(b"a\0b").is_err());
        assert!(check_entry_name(b"Doc_0/Document.xml").is_ok());
    }
}
