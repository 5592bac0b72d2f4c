//! Making seals (GB/T 38540-2020 §7.1): the seal maker (制章者) binds a picture, a name and the
//! signer certificates (or their SM3 digests) into SES_SealInfo and signs its DER with SM2.
//!
//! The maker's certificate must be usable now (within its validity, keyUsage allowing
//! digitalSignature or nonRepudiation when the extension is present) unless the caller skips
//! that check, and the maker's key must match it.

use super::encode;
use super::picture::check_picture;
use super::types::*;
use crate::crypto::{Signer, sm3};
use crate::error::{Error, ErrorKind, Result};
use crate::pki::{Certificate, KeyUsage, Time};

/// Builds and signs a seal. Version 4 by default.
///
/// ```no_run
/// # use eseal::ses::SealBuilder;
/// # fn f(maker_cert: &[u8], signer_cert: Vec<u8>, png: Vec<u8>,
/// #      maker: &dyn eseal::crypto::Signer, start: eseal::pki::Time, end: eseal::pki::Time)
/// # -> eseal::Result<()> {
/// let seal = SealBuilder::new("Vid", "es-0001", "合同专用章")
///     .signer_certs(vec![signer_cert])
///     .validity(start, end)
///     .picture("PNG", png, 40, 40)
///     .build(maker_cert, maker)?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SealBuilder {
    version: Version,
    vid: String,
    es_id: String,
    name: String,
    seal_type: i64,
    cert_list_type: i64,
    signer_certs: Vec<Vec<u8>>,
    create_date: Option<Time>,
    valid_start: Option<Time>,
    valid_end: Option<Time>,
    picture: Option<PictureInfo>,
    ext_datas: Vec<ExtData>,
    skip_maker_cert_check: bool,
    now: Option<Time>,
}

impl SealBuilder {
    /// A builder for a seal with vendor id `vid`, seal code `es_id` and `name`; type 1,
    /// certListType 1.
    pub fn new(vid: &str, es_id: &str, name: &str) -> Self {
        SealBuilder {
            version: Version::V4,
            vid: vid.to_string(),
            es_id: es_id.to_string(),
            name: name.to_string(),
            seal_type: 1,
            cert_list_type: 1,
            signer_certs: Vec::new(),
            create_date: None,
            valid_start: None,
            valid_end: None,
            picture: None,
            ext_datas: Vec::new(),
            skip_maker_cert_check: false,
            now: None,
        }
    }

    /// Version 4 (default) or 5. Version 1 cannot be written.
    pub fn version(mut self, v: Version) -> Self {
        self.version = v;
        self
    }

    /// Business-defined seal type (default 1).
    pub fn seal_type(mut self, t: i64) -> Self {
        self.seal_type = t;
        self
    }

    /// certListType: 1 lists the signer certificates (default), 2 their SM3 digests.
    pub fn cert_list_type(mut self, t: i64) -> Self {
        self.cert_list_type = t;
        self
    }

    /// The certificates (DER) of the signers allowed to use the seal.
    pub fn signer_certs(mut self, certs: Vec<Vec<u8>>) -> Self {
        self.signer_certs = certs;
        self
    }

    /// createDate (default: now).
    pub fn create_date(mut self, t: Time) -> Self {
        self.create_date = Some(t);
        self
    }

    /// validStart and validEnd.
    pub fn validity(mut self, start: Time, end: Time) -> Self {
        self.valid_start = Some(start);
        self.valid_end = Some(end);
        self
    }

    /// The picture: its type name (checked against the content), bytes and size in mm.
    pub fn picture(
        mut self,
        picture_type: &str,
        data: Vec<u8>,
        width_mm: i64,
        height_mm: i64,
    ) -> Self {
        self.picture = Some(PictureInfo {
            picture_type: picture_type.to_string(),
            data,
            width: width_mm,
            height: height_mm,
        });
        self
    }

    /// Adds an extension to SES_SealInfo.
    pub fn ext_data(mut self, ext: ExtData) -> Self {
        self.ext_datas.push(ext);
        self
    }

    /// Skips the check that the maker certificate is valid now and allows signing.
    pub fn skip_maker_cert_check(mut self, skip: bool) -> Self {
        self.skip_maker_cert_check = skip;
        self
    }

    /// The time "now" for createDate's default and the maker certificate check (default: the
    /// system clock).
    pub fn now(mut self, t: Time) -> Self {
        self.now = Some(t);
        self
    }

    /// The SES_SealInfo this builder describes, validated (not signed).
    pub fn seal_info(&self) -> Result<SealInfo> {
        let refuse = |m: &str| Error::new(ErrorKind::InvalidArgument, m.to_string());
        if self.version == Version::V1 {
            return Err(Error::new(ErrorKind::Unsupported, "cannot make v1 seals"));
        }
        if self.signer_certs.is_empty() {
            return Err(refuse("a seal needs at least one signer certificate"));
        }
        for c in &self.signer_certs {
            Certificate::from_der(c)?;
        }
        let now = self.now.unwrap_or_else(Time::now);
        let (start, end) = match (self.valid_start, self.valid_end) {
            (Some(s), Some(e)) => (s, e),
            _ => {
                return Err(refuse(
                    "the seal's validity (validStart, validEnd) is required",
                ));
            }
        };
        if start > end {
            return Err(refuse("validStart is after validEnd"));
        }
        let picture = self
            .picture
            .clone()
            .ok_or_else(|| refuse("a seal needs a picture"))?;
        check_picture(&picture.picture_type, &picture.data)?;
        if picture.width <= 0 || picture.height <= 0 {
            return Err(refuse("picture width and height must be positive (mm)"));
        }
        let cert_list = match self.cert_list_type {
            1 => CertList::Certs(self.signer_certs.clone()),
            2 => CertList::Digests(
                self.signer_certs
                    .iter()
                    .map(|c| CertDigest {
                        digest_type: "SM3".to_string(),
                        value: sm3(c).to_vec(),
                    })
                    .collect(),
            ),
            t => return Err(refuse(&format!("certListType must be 1 or 2, not {t}"))),
        };
        Ok(SealInfo {
            header: Header {
                id: "ES".to_string(),
                version: self.version.number(),
                vid: self.vid.clone(),
            },
            es_id: self.es_id.clone(),
            property: PropertyInfo {
                seal_type: self.seal_type,
                name: self.name.clone(),
                cert_list_type: self.cert_list_type,
                cert_list,
                create_date: self.create_date.unwrap_or(now),
                valid_start: start,
                valid_end: end,
            },
            picture,
            ext_datas: self.ext_datas.clone(),
        })
    }

    /// Signs the seal with the maker's key and certificate (DER).
    ///
    /// Refused ([`ErrorKind::SealRefused`]) when the maker certificate is not valid now or its
    /// keyUsage allows neither digitalSignature nor nonRepudiation (unless skipped);
    /// [`ErrorKind::KeyMismatch`] when `maker` does not hold the certificate's key.
    pub fn build(&self, maker_cert: &[u8], maker: &dyn Signer) -> Result<Seal> {
        let info = self.seal_info()?;
        let cert = Certificate::from_der(maker_cert)?;
        if cert.public_key()? != maker.public_key() {
            return Err(Error::new(
                ErrorKind::KeyMismatch,
                "the maker's key does not match the maker certificate",
            ));
        }
        if !self.skip_maker_cert_check {
            let now = self.now.unwrap_or_else(Time::now);
            check_signing_cert(&cert, now, "maker")?;
        }
        let info_der = encode::seal_info_der(&info)?;
        let sig = maker.sign(&info_der)?;
        let der = encode::seal_der(&info_der, maker_cert, OID_SM2_SM3, &sig.to_der(), None)?;
        Seal::from_der(&der)
    }
}

/// Refuses a certificate that is not valid at `at` or whose keyUsage forbids signing.
pub(crate) fn check_signing_cert(cert: &Certificate, at: Time, who: &str) -> Result<()> {
    if !cert.is_valid_at(at) {
        return Err(Error::new(
            ErrorKind::SealRefused,
            format!(
                "the {who} certificate is not valid at {at} (valid {} to {})",
                cert.not_before(),
                cert.not_after()
            ),
        ));
    }
    if let Some(ku) = cert.key_usage()
        && !ku.any(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION)
    {
        return Err(Error::new(
            ErrorKind::SealRefused,
            format!(
                "the {who} certificate's keyUsage allows neither digitalSignature nor nonRepudiation"
            ),
        ));
    }
    Ok(())
}
