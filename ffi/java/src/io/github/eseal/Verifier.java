package io.github.eseal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Trust anchors, intermediates, CRLs and the reference time. Thread-safe: any number of threads
 * may verify at once, and add to it while others verify.
 */
public final class Verifier extends Handle {
    private static final LibEseal LIB = Eseal.LIB;

    private Verifier(Pointer p) {
        super(p);
    }

    /** A verifier with no trust anchors, judging at the current time. */
    public static Verifier create() throws EsealException {
        PointerByReference out = new PointerByReference();
        Eseal.check(LIB.eseal_verifier_new(out));
        return new Verifier(out.getValue());
    }

    @Override
    void free(Pointer p) {
        LIB.eseal_verifier_free(p);
    }

    /** Adds trust anchors (PEM with one or more certificates, or one DER certificate). */
    public Verifier addTrust(byte[] pem) throws EsealException {
        use(p -> {
            Eseal.check(LIB.eseal_verifier_add_trust_pem(p, Eseal.nz(pem), Eseal.len(pem)));
            return null;
        });
        return this;
    }

    /** Adds untrusted intermediate certificates used to build paths. */
    public Verifier addIntermediates(byte[] pem) throws EsealException {
        use(p -> {
            Eseal.check(LIB.eseal_verifier_add_intermediate_pem(p, Eseal.nz(pem), Eseal.len(pem)));
            return null;
        });
        return this;
    }

    /** Adds a CRL (PEM or DER). */
    public Verifier addCrl(byte[] crl) throws EsealException {
        use(p -> {
            Eseal.check(LIB.eseal_verifier_add_crl(p, Eseal.nz(crl), Eseal.len(crl)));
            return null;
        });
        return this;
    }

    /** Sets the reference time, in seconds since 1970-01-01T00:00:00Z. */
    public Verifier setTime(long unixSeconds) throws EsealException {
        use(p -> {
            Eseal.check(LIB.eseal_verifier_set_time(p, unixSeconds));
            return null;
        });
        return this;
    }

    /**
     * Verifies one input (PDF, OFD, seal, seal signature or certificate, detected by content).
     * Input that cannot be verified is not an exception: its report says why.
     */
    public Report verify(byte[] input) throws EsealException {
        return use(p -> {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_verify(p, Eseal.nz(input), Eseal.len(input), out));
            return Report.take(out.getValue());
        });
    }

    /**
     * Like {@link #verify}, labelling the report with {@code name} (e.g. the file's path), which
     * becomes its {@code "path"}.
     */
    public Report verify(String name, byte[] input) throws EsealException {
        return use(p -> {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_verify_named(p, name, Eseal.nz(input), Eseal.len(input), out));
            return Report.take(out.getValue());
        });
    }

    /** Verifies a seal signature together with the data it protects. */
    public Report verifyDetached(byte[] sig, byte[] data) throws EsealException {
        return use(p -> {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_verify_detached(p, Eseal.nz(sig), Eseal.len(sig), Eseal.nz(data), Eseal.len(data), out));
            return Report.take(out.getValue());
        });
    }

    /** Verifies many inputs on the library's worker threads (0: one per core), in order. */
    public List<Report> verifyBatch(List<byte[]> inputs, int threads) throws EsealException {
        if (inputs.isEmpty()) {
            return new ArrayList<>();
        }
        return use(p -> {
            int n = inputs.size();
            LibEseal.Input[] arr = (LibEseal.Input[]) new LibEseal.Input().toArray(n);
            List<Memory> keep = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] in = inputs.get(i);
                Memory m = new Memory(Math.max(1, in.length));
                m.write(0, in, 0, in.length);
                keep.add(m);
                arr[i].data = m;
                arr[i].len = new LibEseal.SizeT(in.length);
                arr[i].name = null;
                arr[i].write();
            }
            Memory reports = new Memory((long) n * Native.POINTER_SIZE);
            Eseal.check(LIB.eseal_verify_batch(p, arr[0], new LibEseal.SizeT(n), new LibEseal.SizeT(threads), reports));
            List<Report> out = new ArrayList<>();
            EsealException first = null;
            for (int i = 0; i < n; i++) {
                try {
                    out.add(Report.take(reports.getPointer((long) i * Native.POINTER_SIZE)));
                } catch (EsealException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            keep.clear();
            return out;
        });
    }
}
