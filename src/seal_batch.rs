//! Sealing many documents in one run: the inputs of a folder (recursively) or of a list file,
//! each sealed into an output folder on several threads.
//!
//! The caller loads the seal and the key once and prepares the placement once (a
//! [`crate::job::PdfJob`] or [`crate::job::OfdJob`]); [`run`] only calls it per document. Each
//! output is written to a temporary file and renamed (by the sealing functions), so an output
//! that exists is complete: a run that is interrupted and started again skips the documents
//! already sealed. A document that fails (unreadable, malformed, keyword not found…) is
//! recorded and the run goes on; [`write_errors_csv`] lists them.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::{Error, ErrorKind, Result};

/// Most documents one run takes.
pub const MAX_ITEMS: usize = 10_000_000;

/// One document of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The document to seal.
    pub input: PathBuf,
    /// Where its sealed copy goes.
    pub output: PathBuf,
}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Sealed by this run.
    Sealed,
    /// Its output already existed (an earlier run sealed it).
    Skipped,
    /// It could not be sealed: the message says why.
    Failed(String),
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents sealed by this run.
    pub sealed: u64,
    /// Documents skipped because their output existed.
    pub skipped: u64,
    /// Documents that failed, with the message, in input order.
    pub failed: Vec<(PathBuf, String)>,
    /// Documents not started because the run was stopped.
    pub not_started: u64,
}

/// Options of [`run`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads (0: four per core — each output is synced to disk before its rename,
    /// so a worker spends most of a small document's time waiting on the disk).
    pub jobs: usize,
    /// Set to stop the run: documents in progress finish, the others are not started.
    pub stop: Option<Arc<AtomicBool>>,
}

fn io_err(p: &Path, e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("{}: {e}", p.display()))
}

fn has_extension(p: &Path, ext: &str) -> bool {
    p.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

/// The documents of a run. `source` is a folder (every file ending in `.ext`, any case, found
/// recursively, symbolic links and hidden files skipped, and `out_dir` left out when it lies
/// inside; each output keeps its path relative to the folder) or a list file (one path per
/// line, blank lines and lines starting with `#` skipped; relative paths are taken from the
/// current folder; each output is named after its input's file name). Two inputs that would
/// share an output are an error, as is an input that is its own output.
pub fn plan(source: &Path, out_dir: &Path, ext: &str) -> Result<Vec<Item>> {
    let meta = std::fs::metadata(source).map_err(|e| io_err(source, e))?;
    let mut items = Vec::new();
    if meta.is_dir() {
        let skip = std::fs::canonicalize(out_dir).ok();
        if skip.is_some() && skip == std::fs::canonicalize(source).ok() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "the output folder must not be the folder of the documents",
            ));
        }
        let mut stack = vec![source.to_path_buf()];
        while let Some(dir) = stack.pop() {
            if skip.is_some() && std::fs::canonicalize(&dir).ok() == skip {
                continue;
            }
            for entry in std::fs::read_dir(&dir).map_err(|e| io_err(&dir, e))? {
                let entry = entry.map_err(|e| io_err(&dir, e))?;
                let path = entry.path();
                if entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                let ft = entry.file_type().map_err(|e| io_err(&path, e))?;
                if ft.is_dir() {
                    stack.push(path);
                } else if ft.is_file() && has_extension(&path, ext) {
                    let rel = path.strip_prefix(source).unwrap_or(&path).to_path_buf();
                    items.push(Item {
                        output: out_dir.join(&rel),
                        input: path,
                    });
                    if items.len() > MAX_ITEMS {
                        return Err(Error::new(
                            ErrorKind::LimitExceeded,
                            format!("more than {MAX_ITEMS} documents"),
                        ));
                    }
                }
            }
        }
        items.sort_by(|a, b| a.input.cmp(&b.input));
    } else {
        let text = std::fs::read_to_string(source).map_err(|e| io_err(source, e))?;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let input = PathBuf::from(line);
            let name = input.file_name().ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("{}: {line:?} names no file", source.display()),
                )
            })?;
            items.push(Item {
                output: out_dir.join(name),
                input,
            });
            if items.len() > MAX_ITEMS {
                return Err(Error::new(
                    ErrorKind::LimitExceeded,
                    format!("more than {MAX_ITEMS} documents"),
                ));
            }
        }
    }
    let mut seen: std::collections::HashMap<&Path, &Path> = std::collections::HashMap::new();
    for it in &items {
        if let Some(first) = seen.insert(&it.output, &it.input) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{} and {} would both be sealed into {}",
                    first.display(),
                    it.input.display(),
                    it.output.display()
                ),
            ));
        }
        if it.input == it.output {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{} would be sealed over itself", it.input.display()),
            ));
        }
    }
    Ok(items)
}

/// Seals every item with `seal(input, output)` on `opts.jobs` threads, skipping items whose
/// output exists (its folder is created when needed). A failure (an error, or a panic, which
/// the library should never raise) is recorded and the run goes on. `progress(index, outcome)`
/// is called after each item, from the worker threads.
pub fn run(
    items: &[Item],
    opts: &Options,
    seal: &(dyn Fn(&Path, &Path) -> Result<()> + Sync),
    progress: &(dyn Fn(usize, &Outcome) + Sync),
) -> Summary {
    let jobs = match opts.jobs {
        0 => {
            4 * std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }
        n => n,
    }
    .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; items.len()]);
    let stopped = || {
        opts.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    };
    let one = |it: &Item| -> Outcome {
        if std::fs::symlink_metadata(&it.output).is_ok() {
            return Outcome::Skipped;
        }
        if let Some(dir) = it.output.parent().filter(|d| !d.as_os_str().is_empty())
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            return Outcome::Failed(io_err(dir, e).to_string());
        }
        let r =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| seal(&it.input, &it.output)));
        match r {
            Ok(Ok(())) => Outcome::Sealed,
            Ok(Err(e)) => Outcome::Failed(e.to_string()),
            Err(_) => Outcome::Failed("internal error (panic) while sealing".into()),
        }
    };
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    if stopped() {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(it) = items.get(i) else { break };
                    let o = one(it);
                    progress(i, &o);
                    outcomes.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(o);
                }
            });
        }
    });
    let mut summary = Summary::default();
    let outcomes = outcomes.into_inner().unwrap_or_else(|p| p.into_inner());
    for (it, o) in items.iter().zip(outcomes) {
        match o {
            Some(Outcome::Sealed) => summary.sealed += 1,
            Some(Outcome::Skipped) => summary.skipped += 1,
            Some(Outcome::Failed(m)) => summary.failed.push((it.input.clone(), m)),
            None => summary.not_started += 1,
        }
    }
    summary
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `<out_dir>/errors.csv` (`input,error`, one line per failed document) through a
/// temporary file and a rename; removes a stale one when nothing failed.
pub fn write_errors_csv(out_dir: &Path, summary: &Summary) -> Result<()> {
    let path = out_dir.join("errors.csv");
    if summary.failed.is_empty() {
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_err(&path, e)),
            _ => return Ok(()),
        }
    }
    let mut s = String::from("input,error\n");
    for (p, m) in &summary.failed {
        s.push_str(&format!(
            "{},{}\n",
            csv_field(&p.to_string_lossy()),
            csv_field(m)
        ));
    }
    crate::ofd::sign::write_atomically(&path, s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("eseal-seal-batch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn plans_folders_and_lists() {
        let d = tmp("plan");
        let src = d.join("in");
        std::fs::create_dir_all(src.join("sub")).unwrap();
        for f in ["a.pdf", "B.PDF", "c.ofd", ".hidden.pdf", "sub/d.pdf"] {
            std::fs::write(src.join(f), b"x").unwrap();
        }
        // The output folder inside the source is left out.
        let out = src.join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("a.pdf"), b"x").unwrap();
        let items = plan(&src, &out, "pdf").unwrap();
        let names: Vec<_> = items
            .iter()
            .map(|i| i.output.strip_prefix(&out).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            vec![
                PathBuf::from("B.PDF"),
                PathBuf::from("a.pdf"),
                PathBuf::from("sub/d.pdf")
            ]
        );
        let list = d.join("list.txt");
        std::fs::write(
            &list,
            format!(
                "# docs\n{}\n\n{}\n",
                src.join("a.pdf").display(),
                src.join("c.ofd").display()
            ),
        )
        .unwrap();
        assert_eq!(plan(&list, &out, "pdf").unwrap().len(), 2);
        std::fs::write(
            &list,
            format!(
                "{}\n{}\n",
                src.join("a.pdf").display(),
                src.join("sub/../a.pdf").display()
            ),
        )
        .unwrap();
        let e = plan(&list, &out, "pdf").unwrap_err().to_string();
        assert!(e.contains("would both be sealed into"), "{e}");
        assert!(plan(&d.join("missing"), &out, "pdf").is_err());
        assert!(plan(&src, &src, "pdf").is_err());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn failures_do_not_stop_the_run_and_outputs_are_skipped() {
        let d = tmp("run");
        let items: Vec<Item> = (0..20)
            .map(|i| Item {
                input: d.join(format!("in{i}")),
                output: d.join("out").join(format!("o{i}")),
            })
            .collect();
        std::fs::create_dir_all(d.join("out")).unwrap();
        std::fs::write(&items[3].output, b"done").unwrap();
        let seal = |i: &Path, o: &Path| -> Result<()> {
            let n: usize = i
                .to_string_lossy()
                .rsplit("in")
                .next()
                .unwrap()
                .parse()
                .unwrap();
            if n == 7 {
                return Err(Error::new(ErrorKind::MalformedPdf, "bad"));
            }
            if n == 9 {
                panic!("boom");
            }
            std::fs::write(o, b"sealed").map_err(Error::from)
        };
        let calls = AtomicUsize::new(0);
        let s = run(
            &items,
            &Options {
                jobs: 3,
                stop: None,
            },
            &seal,
            &|_, _| {
                calls.fetch_add(1, Ordering::Relaxed);
            },
        );
        assert_eq!(calls.into_inner(), 20);
        assert_eq!((s.sealed, s.skipped, s.not_started), (17, 1, 0));
        assert_eq!(s.failed.len(), 2);
        assert!(s.failed[0].1.contains("bad") && s.failed[1].1.contains("panic"));
        assert_eq!(std::fs::read(&items[3].output).unwrap(), b"done");
        write_errors_csv(&d.join("out"), &s).unwrap();
        let csv = std::fs::read_to_string(d.join("out/errors.csv")).unwrap();
        assert_eq!(csv.lines().count(), 3, "{csv}");
        // Run again: everything that was sealed is skipped.
        let s2 = run(&items, &Options::default(), &seal, &|_, _| {});
        assert_eq!((s2.sealed, s2.skipped, s2.failed.len()), (0, 18, 2));
        // A stopped run starts nothing.
        let stop = Arc::new(AtomicBool::new(true));
        let s3 = run(
            &items,
            &Options {
                jobs: 2,
                stop: Some(stop),
            },
            &seal,
            &|_, _| {},
        );
        assert_eq!(s3.not_started, 20);
        let _ = std::fs::remove_dir_all(&d);
    }
}
