//! Loading signing keys and certificates for the commands that sign, the key file's password
//! (from a file, the environment, a prompt, or — unsafe — the command line), and writing key
//! files (mode 0600, never over an existing file without `--force`).
//!
//! Secrets are kept in [`Zeroizing`] buffers: the password and the key file's bytes are wiped
//! when dropped, and the library zeroizes the decrypted key (its `PrivateKey` zeroizes on drop).

use clap::Args;
use eseal::ErrorKind;
use eseal::crypto::keyfile::load_key_bundle;
use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::pki::{Certificate, parse_certificates};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Where the key file's password comes from. At most one of the flags; with none, the password
/// is asked for on the terminal when the key file needs one and standard input is a terminal.
#[derive(Args, Debug, Default, Clone)]
pub struct PasswordArgs {
    /// Password of the key file. UNSAFE: every user of the machine can read it in the process
    /// list; prefer --password-file, --password-env or the prompt.
    #[arg(long, conflicts_with_all = ["password_file", "password_env"])]
    pub password: Option<String>,
    /// Read the key file's password from FILE (its first line; the line end is not part of it).
    #[arg(
        long = "password-file",
        value_name = "FILE",
        conflicts_with = "password_env"
    )]
    pub password_file: Option<PathBuf>,
    /// Read the key file's password from the environment variable VAR.
    #[arg(long = "password-env", value_name = "VAR")]
    pub password_env: Option<String>,
}

/// Longest password accepted from a file, the environment or the prompt (bytes).
const MAX_PASSWORD_LEN: usize = 4096;

/// The password given by the flags, if any (the prompt is not asked here: see [`load`]).
pub fn password(a: &PasswordArgs) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
    if let Some(p) = &a.password {
        eprintln!(
            "warning: --password is unsafe: every user of this machine can read it in the \
             process list; use --password-file FILE, --password-env VAR or the prompt"
        );
        return Ok(Some(Zeroizing::new(p.as_bytes().to_vec())));
    }
    if let Some(path) = &a.password_file {
        let bytes = Zeroizing::new(read(path)?);
        if bytes.len() > MAX_PASSWORD_LEN {
            return Err(format!("{}: longer than a password can be", path.display()));
        }
        return Ok(Some(first_line(&bytes)));
    }
    if let Some(var) = &a.password_env {
        let value = std::env::var_os(var)
            .ok_or_else(|| format!("--password-env: the variable {var} is not set"))?;
        let bytes = Zeroizing::new(value.into_encoded_bytes());
        if bytes.len() > MAX_PASSWORD_LEN {
            return Err(format!(
                "--password-env: {var} is longer than a password can be"
            ));
        }
        return Ok(Some(first_line(&bytes)));
    }
    Ok(None)
}

/// The bytes up to the first line end (`\n` or `\r\n`), in a new zeroizing buffer.
fn first_line(bytes: &[u8]) -> Zeroizing<Vec<u8>> {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let line = &bytes[..end];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Zeroizing::new(line.to_vec())
}

/// Asks for the password of `key` on the terminal, without echo. None when standard input is
/// not a terminal.
fn prompt(key: &Path) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(None);
    }
    eprint!("Password for {}: ", key.display());
    let _ = std::io::stderr().flush();
    let echo = EchoOff::new();
    // A fixed buffer read in place: no reallocation leaves a copy of the password behind.
    let mut buf = Zeroizing::new([0u8; MAX_PASSWORD_LEN + 2]);
    let mut len = 0;
    let mut lock = stdin.lock();
    while len < buf.len() {
        let n = lock
            .read(&mut buf[len..])
            .map_err(|e| format!("reading the password: {e}"))?;
        if n == 0 {
            break;
        }
        len += n;
        if buf[..len].contains(&b'\n') {
            break;
        }
    }
    drop(echo);
    eprintln!();
    if len > MAX_PASSWORD_LEN {
        return Err("the password is too long".into());
    }
    Ok(Some(first_line(&buf[..len])))
}

/// Terminal echo switched off on standard input for as long as it lives (termios).
struct EchoOff(Option<libc::termios>);

impl EchoOff {
    fn new() -> EchoOff {
        // SAFETY: tcgetattr writes a termios into the zeroed struct we own; fd 0 is stdin.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return EchoOff(None);
            }
            let saved = t;
            t.c_lflag &= !libc::ECHO;
            if libc::tcsetattr(0, libc::TCSANOW, &t) != 0 {
                return EchoOff(None);
            }
            EchoOff(Some(saved))
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            // SAFETY: restores the settings read by tcgetattr on the same fd.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, t);
            }
        }
    }
}

/// A key and its certificate, checked to belong together.
pub struct KeyAndCert {
    /// Signs with the private key.
    pub signer: SoftwareSigner,
    /// The certificate (DER).
    pub cert: Vec<u8>,
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads the key (PEM, DER or PKCS#12) and the certificate. The certificate comes from
/// `cert` (PEM or DER; its first certificate) or, when absent, from the PKCS#12 bundle. The
/// password comes from `pw`; without one, an encrypted key file makes the tool ask for it on
/// the terminal.
pub fn load(key: &Path, cert: Option<&Path>, pw: &PasswordArgs) -> Result<KeyAndCert, String> {
    let key_bytes = Zeroizing::new(read(key)?);
    let mut password = password(pw)?;
    let bundle = match load_key_bundle(&key_bytes, password.as_deref().map(Vec::as_slice)) {
        Err(e) if e.kind() == ErrorKind::PasswordRequired && password.is_none() => {
            password = prompt(key)?;
            match &password {
                Some(p) => load_key_bundle(&key_bytes, Some(p)),
                None => Err(e),
            }
        }
        other => other,
    }
    .map_err(|e| format!("{}: {e}", key.display()))?;
    drop(password);
    drop(key_bytes);
    let cert_der = match cert {
        Some(p) => {
            let certs =
                parse_certificates(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?;
            certs
                .first()
                .map(|c| c.der().to_vec())
                .ok_or_else(|| format!("{}: no certificate", p.display()))?
        }
        None => bundle.certificates.first().cloned().ok_or_else(|| {
            format!(
                "{}: no certificate in the key file; give --cert",
                key.display()
            )
        })?,
    };
    check_pair(&bundle.key, &cert_der)?;
    Ok(KeyAndCert {
        signer: SoftwareSigner::new(bundle.key),
        cert: cert_der,
    })
}

fn check_pair(key: &PrivateKey, cert_der: &[u8]) -> Result<(), String> {
    let cert = Certificate::from_der(cert_der).map_err(|e| e.to_string())?;
    let pk = cert.public_key().map_err(|e| e.to_string())?;
    if pk != key.public_key() {
        return Err(format!(
            "the private key does not match the certificate of {}",
            cert.subject()
        ));
    }
    Ok(())
}

/// Writes a key file: mode 0600 whatever the umask, through a temporary file in the same
/// folder (never a partial file), and never over an existing file unless `force`.
pub fn write_key_file(path: &Path, data: &[u8], force: bool) -> Result<(), String> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(format!(
            "{}: a key file is already there; give --force to replace it",
            path.display()
        ));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let res = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        // The umask may have taken bits away (even the owner's): set the mode explicitly.
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        f.write_all(data)?;
        f.sync_all()?;
        if force {
            std::fs::rename(&tmp, path)
        } else {
            // A hard link fails if the name was taken meanwhile: no race with another writer.
            std::fs::hard_link(&tmp, path)?;
            std::fs::remove_file(&tmp)
        }
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "{}: a key file is already there; give --force to replace it",
                path.display()
            )
        } else {
            err(e)
        }
    })
}
