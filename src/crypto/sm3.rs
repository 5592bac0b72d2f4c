//! SM3 hash (GB/T 32905), one-shot and streaming.

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

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
