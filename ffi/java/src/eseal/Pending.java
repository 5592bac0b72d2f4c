package eseal;

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

    /** The 32-byte digest e = SM3(Z || M) to be signed. */
    public byte[] digest() throws EsealException {
        return use(p -> {
            PointerByReference d = new PointerByReference();
            LibEseal.SizeTByReference n = new LibEseal.SizeTByReference();
            Eseal.check(LIB.eseal_pending_digest(p, d, n));
            return Eseal.borrowed(d, n);
        });
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
