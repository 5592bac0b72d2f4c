package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * A private key (or a device) with its SM2 certificate. Thread-safe; a signer made by {@link
 * #fromDevice} calls its device from whichever threads use the signer.
 */
public final class Signer extends Handle {
    private static final LibEseal LIB = Eseal.LIB;

    /** Signs a 32-byte digest e = SM3(Z || M); returns the signature, DER or raw r || s. */
    public interface Device {
        byte[] signDigest(byte[] digest) throws Exception;
    }

    /** Kept reachable while the signer lives: the library holds a pointer to it. */
    private final LibEseal.SignCallback callback;

    private Signer(Pointer p, LibEseal.SignCallback callback) {
        super(p);
        this.callback = callback;
    }

    @Override
    void free(Pointer p) {
        LIB.eseal_signer_free(p);
    }

    /**
     * A signer from a key file (PKCS#8 plain or encrypted, SEC1 or PKCS#12, PEM or DER) and its
     * certificate (PEM or DER). {@code password} may be null for a key without one.
     */
    public static Signer fromPem(byte[] key, String password, byte[] cert) throws EsealException {
        PointerByReference out = new PointerByReference();
        Eseal.check(LIB.eseal_signer_from_pem(Eseal.nz(key), Eseal.len(key), password, Eseal.nz(cert), Eseal.len(cert), out));
        return new Signer(out.getValue(), null);
    }

    /** A signer from a PKCS#12 (.p12/.pfx) file holding the key and its certificate. */
    public static Signer fromPkcs12(byte[] p12, String password) throws EsealException {
        PointerByReference out = new PointerByReference();
        Eseal.check(LIB.eseal_signer_from_pkcs12(Eseal.nz(p12), Eseal.len(p12), password, out));
        return new Signer(out.getValue(), null);
    }

    /**
     * A signer whose signatures come from {@code device} (a UKey, an HSM, a remote service); each
     * signature is checked against {@code cert} before it is used.
     */
    public static Signer fromDevice(byte[] cert, Device device) throws EsealException {
        LibEseal.SignCallback cb = (userdata, digest, digestLen, sig, sigCap, sigLen) -> {
            try {
                byte[] e = digest.getByteArray(0, digestLen.intValue());
                byte[] s = device.signDigest(e);
                if (s == null || s.length == 0 || s.length > sigCap.longValue()) {
                    return 2;
                }
                sig.write(0, s, 0, s.length);
                if (com.sun.jna.Native.SIZE_T_SIZE == 8) {
                    sigLen.setLong(0, s.length);
                } else {
                    sigLen.setInt(0, s.length);
                }
                return 0;
            } catch (Exception | Error ex) {
                return 1;
            }
        };
        PointerByReference out = new PointerByReference();
        Eseal.check(LIB.eseal_signer_from_callback(Eseal.nz(cert), Eseal.len(cert), cb, null, out));
        return new Signer(out.getValue(), cb);
    }

    /** The signer's certificate (DER). */
    public byte[] certificate() throws EsealException {
        return borrow(LIB::eseal_signer_certificate);
    }

    /** A plain SM2 signature (default user ID 1234567812345678) over {@code msg}, DER. */
    public byte[] signSm2(byte[] msg) throws EsealException {
        return use(p -> {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_signer_sign_sm2(p, Eseal.nz(msg), Eseal.len(msg), out));
            return Eseal.takeBytes(out);
        });
    }

    /** Signs a 32-byte digest as it is; returns the DER signature. */
    public byte[] signDigest(byte[] digest) throws EsealException {
        return use(p -> {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_signer_sign_digest(p, Eseal.nz(digest), Eseal.len(digest), out));
            return Eseal.takeBytes(out);
        });
    }

    /**
     * Seals a PDF with {@code seal} (an incremental update: a signature field showing the seal
     * picture and an SES or CMS payload); returns the sealed PDF. {@code opts} may be null.
     */
    public byte[] signPdf(Seal seal, byte[] pdf, PdfOptions opts) throws EsealException {
        return use(p -> seal.use(sp -> PdfOptions.with(opts, o -> apply(LIB::eseal_sign_pdf, p, sp, pdf, o))));
    }

    /**
     * Seals an OFD package with {@code seal} (GB/T 33190 §18: a stamp, a Signature.xml protecting
     * every file, an SES_Signature over it); returns the sealed package. {@code opts} may be null.
     */
    public byte[] sealOfd(Seal seal, byte[] ofd, OfdOptions opts) throws EsealException {
        return use(p -> seal.use(sp -> OfdOptions.with(opts, o -> apply(LIB::eseal_seal_ofd, p, sp, ofd, o))));
    }

    /**
     * Applies {@code seal} to {@code data} (GB/T 38540 §7.2); returns the DER SES_Signature.
     * {@code opts} may be null for the defaults.
     */
    public byte[] signData(Seal seal, byte[] data, SignOptions opts) throws EsealException {
        return use(p -> seal.use(sp -> SignOptions.with(opts, o -> apply(LIB::eseal_sign_data, p, sp, data, o))));
    }

    /** {@code eseal_sign_data}, {@code eseal_sign_pdf} or {@code eseal_seal_ofd}. */
    private interface Apply {
        int apply(Pointer signer, Pointer seal, byte[] input, LibEseal.SizeT len, Pointer opts, PointerByReference out);
    }

    /** Applies the seal {@code sp} to {@code input} with {@code f}; returns the result's bytes. */
    private static byte[] apply(Apply f, Pointer p, Pointer sp, byte[] input, Pointer opts) throws EsealException {
        PointerByReference out = new PointerByReference();
        Eseal.check(f.apply(p, sp, Eseal.nz(input), Eseal.len(input), opts, out));
        return Eseal.takeBytes(out);
    }
}
