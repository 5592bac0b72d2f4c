package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** Library-wide helpers of the binding. */
public final class Eseal {
    private Eseal() {
    }

    static final LibEseal LIB = LibEseal.INSTANCE;

    /** The version of libeseal. */
    public static String version() {
        return LIB.eseal_version();
    }

    /** The fixed description of result code {@code code}. */
    public static String describe(int code) {
        byte[] buf = new byte[128];
        LibEseal.SizeTByReference n = new LibEseal.SizeTByReference();
        LIB.eseal_result_message(code, buf, new LibEseal.SizeT(buf.length), n);
        return new String(buf, 0, (int) n.getValue(), StandardCharsets.UTF_8);
    }

    /** Throws for a non-zero result, with the detail of the last failure on this thread. */
    static void check(int rc) throws EsealException {
        if (rc == 0) {
            return;
        }
        long len = LIB.eseal_last_error_length().longValue();
        byte[] buf = new byte[(int) len + 1];
        LibEseal.SizeTByReference n = new LibEseal.SizeTByReference();
        LIB.eseal_last_error_message(buf, new LibEseal.SizeT(buf.length), n);
        throw new EsealException(rc, new String(buf, 0, (int) n.getValue(), StandardCharsets.UTF_8));
    }

    /** A byte array the C ABI accepts (never a NULL pointer, even when empty). */
    static byte[] nz(byte[] b) {
        return b.length == 0 ? new byte[1] : b;
    }

    static LibEseal.SizeT len(byte[] b) {
        return new LibEseal.SizeT(b.length);
    }

    /** Copies an eseal_bytes into Java and frees it. */
    static byte[] takeBytes(PointerByReference ref) {
        Pointer b = ref.getValue();
        try {
            long n = LIB.eseal_bytes_len(b).longValue();
            return n == 0 ? new byte[0] : LIB.eseal_bytes_data(b).getByteArray(0, (int) n);
        } finally {
            LIB.eseal_bytes_free(b);
        }
    }

    /** Copies a borrowed (pointer, length) pair into Java. */
    static byte[] borrowed(PointerByReference p, LibEseal.SizeTByReference n) {
        long len = n.getValue();
        return len == 0 ? new byte[0] : p.getValue().getByteArray(0, (int) len);
    }
}
