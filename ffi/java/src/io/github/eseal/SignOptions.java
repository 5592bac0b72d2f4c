package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** How a seal is applied to data; unset fields keep the defaults (version 4, signing time now). */
public final class SignOptions {
    private String propertyInfo;
    private Long signingTime;
    private Integer version;

    /** propertyInfo, the protection scope written in the signature. */
    public SignOptions propertyInfo(String value) {
        propertyInfo = value;
        return this;
    }

    /** The signing time, seconds since the epoch. */
    public SignOptions signingTime(long unixSeconds) {
        signingTime = unixSeconds;
        return this;
    }

    /** The signature version, 4 or 5. */
    public SignOptions version(int value) {
        version = value;
        return this;
    }

    /** Runs {@code f} with native options made from {@code opts} (NULL when null), then frees them. */
    static <T> T with(SignOptions opts, Handle.Use<T> f) throws EsealException {
        if (opts == null) {
            return f.apply(null);
        }
        PointerByReference out = new PointerByReference();
        Eseal.check(Eseal.LIB.eseal_sign_options_new(out));
        Pointer o = out.getValue();
        try {
            opts.apply(o);
            return f.apply(o);
        } finally {
            Eseal.LIB.eseal_sign_options_free(o);
        }
    }

    void apply(Pointer o) throws EsealException {
        LibEseal lib = Eseal.LIB;
        if (propertyInfo != null) {
            Eseal.check(lib.eseal_sign_options_set_property_info(o, propertyInfo));
        }
        if (signingTime != null) {
            Eseal.check(lib.eseal_sign_options_set_signing_time(o, signingTime));
        }
        if (version != null) {
            Eseal.check(lib.eseal_sign_options_set_version(o, version));
        }
    }
}
