package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** A two-phase signing operation waiting for the signature of its digest. Thread-safe. */
public final class Pending extends Handle {
    private static final LibEseal LIB = Eseal.LIB;

    private Pending(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.eseal_pending_free(p);
    }

    /** Starts a plain SM2 signature over {@code msg} for the key of {@code cert} (PEM or DER). */
    public static Pending signSm2(byte[] cert, byte[] msg) throws EsealException {
        PointerByReference out = new PointerByReference();
        Eseal.check(LIB.eseal_prepare_sign_sm2(Eseal.nz(cert), Eseal.len(cert), Eseal.nz(msg), Eseal.len(msg), out));
        return new Pending(out.getValue());
    }

    /**
     * Starts making the seal {@code builder} describes for a maker whose key is elsewhere;
     * {@code makerCert} (PEM or DER) becomes the maker certificate. {@link #finish} returns the
     * seal's DER ({@link Seal#parse} it).
     */
    public static Pending sealMake(Seal.Builder builder, byte[] makerCert) throws EsealException {
        return builder.withNative(b -> {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_prepare_seal_make(b, Eseal.nz(makerCert), Eseal.len(makerCert), out));
            return new Pending(out.getValue());
        });
    }

    /**
     * Starts applying {@code seal} to {@code data} for the signer of {@code cert} (PEM or DER);
     * {@link #finish} returns the DER SES_Signature. {@code opts} may be null.
     */
    public static Pending signData(byte[] cert, Seal seal, byte[] data, SignOptions opts) throws EsealException {
        return seal.use(sp -> SignOptions.with(opts, o -> prepare(LIB::eseal_prepare_sign_data, cert, sp, data, o)));
    }

    /**
     * Starts sealing a PDF for the signer of {@code cert} (PEM or DER); {@link #finish} returns
     * the sealed PDF. {@code opts} may be null.
     */
    public static Pending signPdf(byte[] cert, Seal seal, byte[] pdf, PdfOptions opts) throws EsealException {
        return seal.use(sp -> PdfOptions.with(opts, o -> prepare(LIB::eseal_prepare_sign_pdf, cert, sp, pdf, o)));
    }

    /**
     * Starts sealing an OFD package for the signer of {@code cert} (PEM or DER); {@link #finish}
     * returns the sealed package. {@code opts} may be null.
     */
    public static Pending sealOfd(byte[] cert, Seal seal, byte[] ofd, OfdOptions opts) throws EsealException {
        return seal.use(sp -> OfdOptions.with(opts, o -> prepare(LIB::eseal_prepare_seal_ofd, cert, sp, ofd, o)));
    }

    /** {@code eseal_prepare_sign_data}, {@code _sign_pdf} or {@code _seal_ofd}. */
    private interface Prepare {
        int apply(byte[] cert, LibEseal.SizeT certLen, Pointer seal, byte[] input, LibEseal.SizeT len, Pointer opts,
                PointerByReference out);
    }

    /** Starts applying the seal {@code sp} to {@code input} with {@code f} for the signer of {@code cert}. */
    private static Pending prepare(Prepare f, byte[] cert, Pointer sp, byte[] input, Pointer opts)
            throws EsealException {
        PointerByReference out = new PointerByReference();
        Eseal.check(f.apply(Eseal.nz(cert), Eseal.len(cert), sp, Eseal.nz(input), Eseal.len(input), opts, out));
        return new Pending(out.getValue());
    }

    /** The 32-byte digest e = SM3(Z || M) to be signed. */
    public byte[] digest() throws EsealException {
        return borrow(LIB::eseal_pending_digest);
    }

    /**
     * Gives the signature (DER or raw r || s) and returns the result. A malformed or wrong
     * signature throws (MALFORMED_SIGNATURE, BAD_SIGNATURE) and the operation keeps waiting.
     */
    public byte[] finish(byte[] sig) throws EsealException {
        return use(p -> {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_pending_finish(p, Eseal.nz(sig), Eseal.len(sig), out));
            return Eseal.takeBytes(out);
        });
    }
}
