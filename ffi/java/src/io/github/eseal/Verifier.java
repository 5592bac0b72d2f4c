package io.github.eseal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
    /**
     * Verifies files of the local file system on the library's worker threads ({@code threads},
     * 0: one per core) and returns the table of their reports. The library reads each file (at
     * most 256 MiB); one that cannot be read is a row with an error. {@code names} (or null)
     * label the reports instead of the paths.
     */
    public Rows verifyFiles(List<String> paths, List<String> names, int threads) throws EsealException {
        int n = paths.size();
        CArray a = new CArray(n, 2);
        for (int i = 0; i < n; i++) {
            a.text(i, 0, paths.get(i));
            a.text(i, 1, names == null ? null : names.get(i));
        }
        return a.call((p, arr) -> LIB.eseal_rows_verify_files(p, arr, new LibEseal.SizeT(n),
                new LibEseal.SizeT(threads), a.out));
    }

    /**
     * Verifies inputs in memory on the library's worker threads ({@code threads}, 0: one per core)
     * and returns the table of their reports, labelled by {@code names} (or null: {@code #index}).
     */
    public Rows verifyRows(List<byte[]> inputs, List<String> names, int threads) throws EsealException {
        int n = inputs.size();
        CArray a = new CArray(n, 3);
        for (int i = 0; i < n; i++) {
            a.bytes(i, 0, inputs.get(i));
            a.text(i, 2, names == null ? null : names.get(i));
        }
        return a.call((p, arr) -> LIB.eseal_rows_verify_inputs(p, arr, new LibEseal.SizeT(n),
                new LibEseal.SizeT(threads), a.out));
    }

    /**
     * An array of C structs whose fields are pointer-sized (pointers, size_t): {@code eseal_file},
     * {@code eseal_input}. The strings and buffers they point to are copied into one block of
     * native memory when the call is made.
     */
    private final class CArray {
        private final int n;
        private final int fields;
        /** Per field: the bytes it points to (a string with its NUL), or null for NULL. */
        private final byte[][] data;
        /** Fields followed by a size_t length. */
        private final boolean[] sized;
        final PointerByReference out = new PointerByReference();

        CArray(int n, int fields) {
            this.n = n;
            this.fields = fields;
            data = new byte[n * fields][];
            sized = new boolean[n * fields];
        }

        /** Sets a {@code const char *} field (NULL for null). */
        void text(int i, int field, String s) {
            if (s != null) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                data[i * fields + field] = Arrays.copyOf(b, b.length + 1);
            }
        }

        /** Sets a buffer field and the size_t length after it. */
        void bytes(int i, int field, byte[] b) {
            data[i * fields + field] = b;
            sized[i * fields + field] = true;
        }

        Rows call(Call f) throws EsealException {
            long total = 1;
            for (byte[] b : data) {
                total += b == null ? 0 : b.length;
            }
            int word = Native.POINTER_SIZE;
            Memory structs = new Memory(Math.max(1, (long) n * fields * word));
            structs.clear();
            Memory block = new Memory(total);
            long at = 0;
            for (int k = 0; k < data.length; k++) {
                byte[] b = data[k];
                if (b == null) {
                    continue;
                }
                block.write(at, b, 0, b.length);
                structs.setPointer((long) k * word, block.share(at));
                at += b.length;
                if (sized[k]) {
                    long len = (long) (k + 1) * word;
                    if (Native.SIZE_T_SIZE == 8) {
                        structs.setLong(len, b.length);
                    } else {
                        structs.setInt(len, b.length);
                    }
                }
            }
            return use(p -> {
                Eseal.check(f.apply(p, structs));
                Rows rows = Rows.take(out.getValue());
                // The native copies stay alive until the call has returned.
                block.clear(0);
                return rows;
            });
        }
    }

    /** A C call on the verifier and an array. */
    private interface Call {
        int apply(Pointer verifier, Pointer array);
    }
}
