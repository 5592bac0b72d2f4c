//! The lazy directory walker of batch runs.

use super::pool::Input;
use crate::{Error, ErrorKind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A lazy, depth-first walk over files and directories, yielding every regular file as an
/// [`Input::Path`]. Directories are read one at a time as the walk reaches them (entries in
/// the order the file system returns them), so memory does not grow with the number of files.
/// Symbolic links met inside a directory are skipped (and counted) unless `follow_symlinks`;
/// paths given explicitly are always followed. With `follow_symlinks`, a directory already on
/// the current path (a link cycle) is not entered again. Unreadable entries become
/// [`Input::Failed`].
#[derive(Debug)]
pub struct Walk {
    roots: std::vec::IntoIter<PathBuf>,
    stack: Vec<(std::fs::ReadDir, Option<(u64, u64)>)>,
    follow_symlinks: bool,
    skipped: Arc<AtomicU64>,
}

impl Walk {
    /// A walk over `roots`.
    pub fn new(roots: Vec<PathBuf>, follow_symlinks: bool) -> Self {
        Walk {
            roots: roots.into_iter(),
            stack: Vec::new(),
            follow_symlinks,
            skipped: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A counter of the symbolic links skipped so far (readable while the walk runs).
    pub fn skipped_symlinks(&self) -> Arc<AtomicU64> {
        self.skipped.clone()
    }

    fn dir_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some((meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    fn failed(p: &std::path::Path, e: std::io::Error) -> Input {
        Input::Failed {
            name: p.display().to_string(),
            error: Error::new(ErrorKind::Io, e.to_string()),
        }
    }

    /// Enters `p` if it is a directory (returns None), else yields it.
    fn visit(&mut self, p: PathBuf, meta: std::fs::Metadata) -> Option<Input> {
        if !meta.is_dir() {
            return Some(Input::Path(p));
        }
        let id = Self::dir_id(&meta);
        if id.is_some() && self.stack.iter().any(|(_, d)| *d == id) {
            return None; // a link cycle
        }
        match std::fs::read_dir(&p) {
            Ok(rd) => {
                self.stack.push((rd, id));
                None
            }
            Err(e) => Some(Self::failed(&p, e)),
        }
    }
}

impl Iterator for Walk {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some((rd, _)) = self.stack.last_mut() {
                match rd.next() {
                    None => {
                        self.stack.pop();
                    }
                    Some(Err(e)) => {
                        return Some(Input::Failed {
                            name: "(directory entry)".into(),
                            error: Error::new(ErrorKind::Io, e.to_string()),
                        });
                    }
                    Some(Ok(entry)) => {
                        let p = entry.path();
                        let ft = match entry.file_type() {
                            Ok(t) => t,
                            Err(e) => return Some(Self::failed(&p, e)),
                        };
                        if ft.is_symlink() && !self.follow_symlinks {
                            self.skipped.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        if ft.is_file() {
                            return Some(Input::Path(p));
                        }
                        let meta = match std::fs::metadata(&p) {
                            Ok(m) => m,
                            Err(e) => return Some(Self::failed(&p, e)),
                        };
                        if !meta.is_dir() && !meta.is_file() {
                            continue; // sockets, FIFOs, devices
                        }
                        if let Some(i) = self.visit(p, meta) {
                            return Some(i);
                        }
                    }
                }
                continue;
            }
            let p = self.roots.next()?;
            match std::fs::metadata(&p) {
                Ok(meta) => {
                    if let Some(i) = self.visit(p, meta) {
                        return Some(i);
                    }
                }
                Err(e) => return Some(Self::failed(&p, e)),
            }
        }
    }
}
