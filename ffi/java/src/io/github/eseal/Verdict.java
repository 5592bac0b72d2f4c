package io.github.eseal;

/** The outcome of a verification (ETSI EN 319 102-1). */
public enum Verdict {
    /** Every check passed (warnings allowed). */
    VALID,
    /** At least one check failed. */
    INVALID,
    /** Nothing failed but something could not be decided. */
    INDETERMINATE;

    static Verdict of(int v) {
        switch (v) {
            case 0:
                return VALID;
            case 2:
                return INDETERMINATE;
            default:
                return INVALID;
        }
    }
}
