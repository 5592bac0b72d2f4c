//! Input sniffing for `eseal verify` and batch runs: the kind of an input judged by its first
//! bytes (PDF header, zip local-file signature, PEM armour, DER SEQUENCE).

/// What an input looks like, judged by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A PDF document (`%PDF-` near the start).
    Pdf,
    /// A zip package (an OFD document).
    Ofd,
    /// PEM text (certificates).
    Pem,
    /// DER data (a certificate, a seal or a seal signature).
    Der,
    /// None of the above.
    Unknown,
}

/// Detects the kind of `bytes` by content.
pub fn detect(bytes: &[u8]) -> InputKind {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        InputKind::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") {
        InputKind::Ofd
    } else if head.windows(11).any(|w| w == b"-----BEGIN ") {
        InputKind::Pem
    } else if bytes.first() == Some(&0x30) {
        InputKind::Der
    } else {
        InputKind::Unknown
    }
}
