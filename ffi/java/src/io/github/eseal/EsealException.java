package io.github.eseal;

/** A failed eseal call: the result code (eseal_result) and the library's detail. */
public class EsealException extends Exception {
    private static final long serialVersionUID = 1L;

    /** ESEAL_RESULT_NULL_POINTER. */
    public static final int NULL_POINTER = 1901;
    /** ESEAL_RESULT_ALREADY_USED. */
    public static final int ALREADY_USED = 1902;
    /** ESEAL_RESULT_INVALID_ARGUMENT. */
    public static final int INVALID_ARGUMENT = 1001;
    /** ESEAL_RESULT_MALFORMED_SIGNATURE. */
    public static final int MALFORMED_SIGNATURE = 2004;
    /** ESEAL_RESULT_BAD_SIGNATURE. */
    public static final int BAD_SIGNATURE = 2005;
    /** ESEAL_RESULT_MALFORMED_KEY_FILE. */
    public static final int MALFORMED_KEY_FILE = 2006;
    /** ESEAL_RESULT_WRONG_PASSWORD. */
    public static final int WRONG_PASSWORD = 2007;
    /** ESEAL_RESULT_PASSWORD_REQUIRED. */
    public static final int PASSWORD_REQUIRED = 2008;
    /** ESEAL_RESULT_KEY_MISMATCH. */
    public static final int KEY_MISMATCH = 2009;
    /** ESEAL_RESULT_SIGNER_FAILED. */
    public static final int SIGNER_FAILED = 2010;
    /** ESEAL_RESULT_MALFORMED_CERTIFICATE. */
    public static final int MALFORMED_CERTIFICATE = 3001;
    /** ESEAL_RESULT_MALFORMED_CRL. */
    public static final int MALFORMED_CRL = 3002;
    /** ESEAL_RESULT_MALFORMED_SEAL. */
    public static final int MALFORMED_SEAL = 4001;
    /** ESEAL_RESULT_SEAL_REFUSED. */
    public static final int SEAL_REFUSED = 4003;
    /** ESEAL_RESULT_MALFORMED_PICTURE. */
    public static final int MALFORMED_PICTURE = 4004;

    private final int code;
    private final String detail;

    /** An exception for result code {@code code} with the library's detail. */
    public EsealException(int code, String detail) {
        super(Eseal.describe(code) + " (" + code + ")" + (detail.isEmpty() ? "" : ": " + detail));
        this.code = code;
        this.detail = detail;
    }

    /** The eseal result code (the stable code of eseal::ErrorKind). */
    public int getCode() {
        return code;
    }

    /** What the library said was wrong. */
    public String getDetail() {
        return detail;
    }
}
