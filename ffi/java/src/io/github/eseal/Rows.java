package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A table of reports, one row per report, as {@link Verifier#verifyFiles} and {@link
 * Verifier#verifyRows} return it: each report's main facts computed by the library (no JSON to
 * parse) and the whole report as JSON. Copied out of the library in one piece (nothing to
 * close); cells are decoded when read. Columns are the C ABI's {@code ESEAL_COLUMN_*}. Immutable
 * and serializable: a few arrays whatever the number of rows, cheap to keep or ship (e.g. as an
 * element of a Spark RDD).
 */
public final class Rows implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Index of the input in the call. */
    public static final int INPUT = 0;
    /** Index of the report among its input's reports (0, or more for a PEM bundle). */
    public static final int REPORT_INDEX = 1;
    /** The report's path (the input's name). */
    public static final int PATH = 2;
    /** Kind: pdf, ofd, seal, ses, cert, unknown. */
    public static final int KIND = 3;
    /** Verdict: valid, invalid, indeterminate. */
    public static final int VERDICT = 4;
    /** Failing check ids ({@link #getList}). */
    public static final int FAILING_CHECKS = 5;
    /** Indeterminate check ids ({@link #getList}). */
    public static final int INDETERMINATE_CHECKS = 6;
    /** Number of signatures. */
    public static final int SIGNATURE_COUNT = 7;
    /** Signer subject (first signature), or a certificate's own subject. */
    public static final int SIGNER_SUBJECT = 8;
    /** Signer serial, hexadecimal. */
    public static final int SIGNER_SERIAL = 9;
    /** Seal esID. */
    public static final int SEAL_ID = 10;
    /** Seal name. */
    public static final int SEAL_NAME = 11;
    /** Signing time of the first signature, RFC 3339. */
    public static final int SIGNING_TIME = 12;
    /** The licence section as JSON. */
    public static final int LICENCE = 13;
    /** The first licence field column (identifier); {@link #LICENCE_FIELDS} of them follow in order. */
    public static final int LICENCE_IDENTIFIER = 14;
    /** Why the input could not be verified at all. */
    public static final int ERROR = 26;
    /** The whole report as JSON. */
    public static final int REPORT = 27;
    /** The number of columns. */
    public static final int COLUMNS = 28;
    /**
     * The licence field columns' names, from {@link #LICENCE_IDENTIFIER} on: identifier, number,
     * type name, type code, holder, holder code, authority, authority code, issue date, valid
     * from, valid to, the licence section's verdict.
     */
    public static final String[] LICENCE_FIELDS = {"identifier", "number", "type", "type_code", "holder",
        "holder_code", "authority", "authority_code", "issue_date", "valid_from", "valid_to", "verdict"};

    private static final String[] NONE = new String[0];

    private final byte[] packed;
    /** Per cell, the offset of its text in {@code packed}, or -1 for NULL. */
    private final int[] start;
    private final int[] length;
    private final int rows;

    private Rows(byte[] packed, int rows) {
        this.packed = packed;
        this.rows = rows;
        start = new int[rows * COLUMNS];
        length = new int[rows * COLUMNS];
        int at = 0;
        for (int i = 0; i < start.length; i++) {
            int n = (packed[at] & 0xff) | (packed[at + 1] & 0xff) << 8 | (packed[at + 2] & 0xff) << 16
                    | (packed[at + 3] & 0xff) << 24;
            at += 4;
            if (n == -1) {
                start[i] = -1;
            } else {
                start[i] = at;
                length[i] = n;
                at += n + 1;
            }
        }
    }

    /** Copies a C table ({@code eseal_rows_packed}) and frees it. */
    static Rows take(Pointer r) throws EsealException {
        LibEseal lib = Eseal.LIB;
        try {
            int n = (int) lib.eseal_rows_count(r).longValue();
            PointerByReference data = new PointerByReference();
            LibEseal.SizeTByReference len = new LibEseal.SizeTByReference();
            Eseal.check(lib.eseal_rows_packed(r, data, len));
            return new Rows(Eseal.borrowed(data, len), n);
        } finally {
            lib.eseal_rows_free(r);
        }
    }

    /** The number of rows. */
    public int size() {
        return rows;
    }

    /** The cell at {@code row}, {@code column}, or null. */
    public String get(int row, int column) {
        int i = cell(row, column);
        return start[i] < 0 ? null : new String(packed, start[i], length[i], StandardCharsets.UTF_8);
    }

    /** A numeric cell (input, report index, signature count). */
    public int getInt(int row, int column) {
        int i = cell(row, column);
        int v = 0;
        for (int k = start[i]; k < start[i] + length[i]; k++) {
            v = v * 10 + (packed[k] - '0');
        }
        return v;
    }

    /** A list cell (check ids), empty when none. */
    public String[] getList(int row, int column) {
        String s = get(row, column);
        return s == null || s.isEmpty() ? NONE : s.split(",");
    }

    private int cell(int row, int column) {
        if (row < 0 || row >= rows || column < 0 || column >= COLUMNS) {
            throw new IndexOutOfBoundsException("cell (" + row + ", " + column + ") of " + rows + " rows");
        }
        return row * COLUMNS + column;
    }
}
