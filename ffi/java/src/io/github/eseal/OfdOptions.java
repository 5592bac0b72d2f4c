package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * How an OFD is sealed (GB/T 33190 §18); unset fields keep the defaults (page 1, stamp 10 mm ×
 * 10 mm from the top-left corner, Signatures.xml not protected, no Seal.esl, signing time now).
 */
public final class OfdOptions {
    private Integer page;
    private double[] position;
    private Boolean protectAll;
    private Boolean includeSealFile;
    private Long signingTime;

    /** The page to stamp, from 1 (in the order of Document.xml's Pages). */
    public OfdOptions page(int value) {
        page = value;
        return this;
    }

    /** The stamp's left and top edges, in millimetres from the page's left and top edges. */
    public OfdOptions position(double xMm, double yMm) {
        position = new double[] {xMm, yMm};
        return this;
    }

    /** Also protect Signatures.xml, so that the document refuses any later signature. */
    public OfdOptions protectAll(boolean value) {
        protectAll = value;
        return this;
    }

    /** Also store the seal as {@code Sign_N/Seal.esl}, protected by a Reference. */
    public OfdOptions includeSealFile(boolean value) {
        includeSealFile = value;
        return this;
    }

    /** The signing time, seconds since the epoch. */
    public OfdOptions signingTime(long unixSeconds) {
        signingTime = unixSeconds;
        return this;
    }

    /** Runs {@code f} with native options made from {@code opts} (NULL when null), then frees them. */
    static <T> T with(OfdOptions opts, Handle.Use<T> f) throws EsealException {
        if (opts == null) {
            return f.apply(null);
        }
        PointerByReference out = new PointerByReference();
        Eseal.check(Eseal.LIB.eseal_ofd_options_new(out));
        Pointer o = out.getValue();
        try {
            opts.apply(o);
            return f.apply(o);
        } finally {
            Eseal.LIB.eseal_ofd_options_free(o);
        }
    }

    void apply(Pointer o) throws EsealException {
        LibEseal lib = Eseal.LIB;
        if (page != null) {
            Eseal.check(lib.eseal_ofd_options_set_page(o, page));
        }
        if (position != null) {
            Eseal.check(lib.eseal_ofd_options_set_position(o, position[0], position[1]));
        }
        if (protectAll != null) {
            Eseal.check(lib.eseal_ofd_options_set_protect_all(o, protectAll ? 1 : 0));
        }
        if (includeSealFile != null) {
            Eseal.check(lib.eseal_ofd_options_set_include_seal_file(o, includeSealFile ? 1 : 0));
        }
        if (signingTime != null) {
            Eseal.check(lib.eseal_ofd_options_set_signing_time(o, signingTime));
        }
    }
}
