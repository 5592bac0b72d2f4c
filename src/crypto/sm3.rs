//! SM3 hash (GB/T 32905), one-shot and streaming, and many inputs at once on all cores
//! ([`sm3_many`], for the reference digests of an OFD package: GB/T 33190 §18 / GM/T 0099).
//!
//! The compression function is the `sm3` crate's (fully unrolled rounds, message expansion
//! interleaved with the rounds, the rotations of T_j precomputed): the same scheme as OpenSSL's
//! portable C, and measured at par with it (benches/sm3.rs, benches/crypto_peers.sh).

use ::sm3::Digest;
pub use ::sm3::Sm3;
use std::io::Read;

/// Length of an SM3 digest in bytes.
pub const DIGEST_LEN: usize = 32;

/// SM3 of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    Sm3::digest(data).into()
}

/// SM3 of everything `reader` yields, read in 64 KiB blocks (never loads the whole input).
pub fn sm3_reader(mut reader: impl Read) -> std::io::Result<[u8; 32]> {
    let mut h = Sm3::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        h.update(&buf[..n]);
    }
    Ok(h.finalize().into())
}

/// Total input size below which [`sm3_many`] hashes on the calling thread: starting threads
/// costs tens of microseconds, about what hashing 64 KiB takes.
pub const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// SM3 of each input, in order, spread over the available cores when the inputs are large
/// enough together to pay for the threads ([`PARALLEL_MIN_BYTES`]). Each thread takes a
/// contiguous run of inputs holding about an equal share of the bytes; one input is never
/// split (SM3 is sequential within a message).
pub fn sm3_many<T: AsRef<[u8]> + Sync>(inputs: &[T]) -> Vec<[u8; 32]> {
    let total: usize = inputs.iter().map(|i| i.as_ref().len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(inputs.len());
    if threads <= 1 || total < PARALLEL_MIN_BYTES {
        return inputs.iter().map(|i| sm3(i.as_ref())).collect();
    }
    // Cut the list into `threads` runs of about total/threads bytes each.
    let share = total.div_ceil(threads);
    let mut runs: Vec<&[T]> = Vec::with_capacity(threads);
    let mut start = 0;
    let mut acc = 0;
    for (i, input) in inputs.iter().enumerate() {
        acc += input.as_ref().len();
        if acc >= share && runs.len() + 1 < threads {
            runs.push(&inputs[start..=i]);
            start = i + 1;
            acc = 0;
        }
    }
    if start < inputs.len() {
        runs.push(&inputs[start..]);
    }
    let mut out = Vec::with_capacity(inputs.len());
    std::thread::scope(|scope| {
        let (first, rest) = runs.split_first().expect("at least one run");
        let handles: Vec<_> = rest
            .iter()
            .map(|run| scope.spawn(move || run.iter().map(|i| sm3(i.as_ref())).collect::<Vec<_>>()))
            .collect();
        out.extend(first.iter().map(|i| sm3(i.as_ref())));
        for h in handles {
            match h.join() {
                Ok(v) => out.extend(v),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GB/T 32905-2016 Appendix A, examples 1 and 2.
    #[test]
    fn standard_examples() {
        assert_eq!(
            hex(&sm3(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            hex(&sm3(&b"abcd".repeat(16))),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
        assert_eq!(sm3_reader(&b"abc"[..]).unwrap(), sm3(b"abc"));
    }

    #[test]
    fn many_matches_one_by_one() {
        // Small (serial) and large (threaded) batches, with uneven sizes and empty inputs.
        for sizes in [
            vec![0usize, 3, 64, 65],
            vec![300_000, 0, 1, 70_000, 200_000, 5, 1 << 20],
        ] {
            let inputs: Vec<Vec<u8>> = sizes
                .iter()
                .enumerate()
                .map(|(i, &n)| (0..n).map(|j| (j * 31 + i) as u8).collect())
                .collect();
            let want: Vec<[u8; 32]> = inputs.iter().map(|v| sm3(v)).collect();
            assert_eq!(sm3_many(&inputs), want);
        }
        assert!(sm3_many::<&[u8]>(&[]).is_empty());
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
