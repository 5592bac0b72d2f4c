//! The worker pool of batch runs: inputs pulled lazily from an iterator, handed to `jobs`
//! worker threads through a bounded queue, and each input's reports delivered to the caller's
//! sink as they finish (or in input order, through a reorder window of bounded size). Every
//! worker verifies through the one [`Verifier`], so they share its cache.

use super::Verifier;
use crate::report::{Kind, Report};
use crate::{Error, ErrorKind, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

/// Largest input file read by a batch run (256 MiB); larger files are reported, not read.
pub const MAX_INPUT_SIZE: u64 = 256 * 1024 * 1024;

impl Verifier {
    /// Verifies one batch input: reads a file (at most [`MAX_INPUT_SIZE`] bytes) and verifies
    /// its contents. A file that cannot be read, or a verifier that panics, gives one invalid
    /// report carrying the error, never a failure of the whole run.
    pub fn verify_input(&self, input: Input) -> Vec<Report> {
        self.verify_input_with_data(input, None)
    }

    /// [`Verifier::verify_input`] with the data a detached seal signature protects (see
    /// [`Verifier::verify_bytes_with_data`]).
    pub fn verify_input_with_data(&self, input: Input, data: Option<&[u8]>) -> Vec<Report> {
        let (name, bytes) = match input {
            Input::Bytes { name, bytes } => (name, bytes),
            Input::Failed { name, error } => {
                return vec![Report::from_error(name, Kind::Unknown, &error)];
            }
            Input::Path(p) => {
                let name = p.display().to_string();
                match read_limited(&p) {
                    Ok(b) => (name, b),
                    Err(e) => return vec![Report::from_error(name, Kind::Unknown, &e)],
                }
            }
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.verify_bytes_with_data(&name, &bytes, data)
        }));
        match run {
            Ok(r) => r,
            Err(_) => vec![Report::from_error(
                name.as_str(),
                Kind::Unknown,
                &Error::new(ErrorKind::Panic, "the verifier panicked on this input"),
            )],
        }
    }

    /// Verifies many inputs on `opts.jobs` threads, handing each input's reports to `sink` on
    /// the calling thread as they finish (in input order when `opts.sorted`). Inputs are pulled
    /// lazily; at most a bounded number are in flight. Stops pulling new inputs once
    /// `opts.stop` is set (inputs already started are finished and delivered). Returns the
    /// number of inputs delivered.
    pub fn verify_many<I, F>(&self, inputs: I, opts: &BatchOptions, mut sink: F) -> u64
    where
        I: Iterator<Item = Input> + Send,
        F: FnMut(Outcome),
    {
        let jobs = opts.jobs.max(1);
        let window = opts.window.max(jobs) as u64;
        let never = AtomicBool::new(false);
        let stop: &AtomicBool = opts.stop.as_deref().unwrap_or(&never);
        // The source and the lowest index not yet delivered (for the sorted window).
        let source = Mutex::new((inputs, 0u64, false));
        let delivered = Mutex::new(0u64);
        let room = Condvar::new();
        let (tx, rx) = mpsc::sync_channel::<Outcome>(jobs * 4);
        let sorted = opts.sorted;
        let mut count = 0u64;
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                let tx = tx.clone();
                let (source, delivered, room) = (&source, &delivered, &room);
                scope.spawn(move || {
                    loop {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let next = {
                            let Ok(mut src) = source.lock() else { break };
                            if src.2 {
                                break;
                            }
                            if sorted {
                                // Wait until the input would fall inside the reorder window.
                                let mut d = match delivered.lock() {
                                    Ok(d) => d,
                                    Err(_) => break,
                                };
                                while src.1 >= *d + window && !stop.load(Ordering::Relaxed) {
                                    d = match room
                                        .wait_timeout(d, std::time::Duration::from_millis(50))
                                    {
                                        Ok((d, _)) => d,
                                        Err(_) => return,
                                    };
                                }
                                if stop.load(Ordering::Relaxed) {
                                    break;
                                }
                            }
                            match src.0.next() {
                                Some(input) => {
                                    let i = src.1;
                                    src.1 += 1;
                                    Some((i, input))
                                }
                                None => {
                                    src.2 = true;
                                    None
                                }
                            }
                        };
                        let Some((index, input)) = next else { break };
                        let name = input.name();
                        let reports = self.verify_input_with_data(input, opts.data.as_deref());
                        if tx
                            .send(Outcome {
                                index,
                                name,
                                reports,
                            })
                            .is_err()
                        {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut pending: BTreeMap<u64, Outcome> = BTreeMap::new();
            let mut next_out = 0u64;
            for o in rx {
                if !sorted {
                    count += 1;
                    sink(o);
                    continue;
                }
                pending.insert(o.index, o);
                let mut moved = false;
                while let Some(o) = pending.remove(&next_out) {
                    next_out += 1;
                    count += 1;
                    moved = true;
                    sink(o);
                }
                if moved {
                    if let Ok(mut d) = delivered.lock() {
                        *d = next_out;
                    }
                    room.notify_all();
                }
            }
            // Stopped runs may leave gaps: deliver what was done, in order.
            for (_, o) in std::mem::take(&mut pending) {
                count += 1;
                sink(o);
            }
        });
        count
    }
}

fn read_limited(p: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, e.to_string());
    let f = std::fs::File::open(p).map_err(io)?;
    let mut buf = Vec::new();
    f.take(MAX_INPUT_SIZE + 1)
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() as u64 > MAX_INPUT_SIZE {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            format!("file larger than {MAX_INPUT_SIZE} bytes"),
        ));
    }
    Ok(buf)
}

/// One input of a batch run.
#[derive(Debug)]
pub enum Input {
    /// A file, read by the worker that verifies it.
    Path(PathBuf),
    /// Bytes already in memory, with the name that labels their reports.
    Bytes {
        /// Label of the reports.
        name: String,
        /// The contents.
        bytes: Vec<u8>,
    },
    /// An input that could not even be listed (e.g. an unreadable directory): reported as an
    /// invalid report carrying the error.
    Failed {
        /// Label of the report.
        name: String,
        /// What went wrong.
        error: Error,
    },
}

impl Input {
    /// The label of the input's reports.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Bytes { name, .. } | Input::Failed { name, .. } => name.clone(),
        }
    }
}

/// The reports of one input of a batch run.
#[derive(Debug)]
pub struct Outcome {
    /// Position of the input in the input sequence (from 0).
    pub index: u64,
    /// The input's label.
    pub name: String,
    /// Its reports (one per certificate of a PEM bundle, else one).
    pub reports: Vec<Report>,
}

/// How a batch run is carried out.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Deliver outcomes in input order (through a reorder window) rather than as they finish.
    pub sorted: bool,
    /// Inputs in flight at most when sorted, beyond the oldest undelivered one (at least
    /// `jobs`): bounds the memory a slow input can make the others wait in.
    pub window: usize,
    /// Set it (e.g. from a Ctrl-C handler) to stop pulling new inputs.
    pub stop: Option<Arc<AtomicBool>>,
    /// The data detached seal signatures protect (for their `data_hash` check), if any.
    pub data: Option<Arc<[u8]>>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            sorted: false,
            window: 1024,
            stop: None,
            data: None,
        }
    }
}
