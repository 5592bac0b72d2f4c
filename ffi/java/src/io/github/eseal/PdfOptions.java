package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** How a PDF is sealed; unset fields keep the defaults (page 1, 20 mm × 20 mm, SES, now). */
public final class PdfOptions {
    /** An SES_Signature payload (GB/T 38540). */
    public static final int PAYLOAD_SES = 0;
    /** A CMS SignedData payload (adbe.pkcs7.detached). */
    public static final int PAYLOAD_CMS = 1;

    private Integer page;
    private double[] position;
    private Integer payload;
    private String reason;
    private String location;
    private Long signingTime;

    /** The page, from 1. */
    public PdfOptions page(int value) {
        page = value;
        return this;
    }

    /** The seal's left and top edges, in millimetres from the page's left and top edges. */
    public PdfOptions position(double xMm, double yMm) {
        position = new double[] {xMm, yMm};
        return this;
    }

    /** {@link #PAYLOAD_SES} or {@link #PAYLOAD_CMS}. */
    public PdfOptions payload(int value) {
        payload = value;
        return this;
    }

    /** /Reason. */
    public PdfOptions reason(String value) {
        reason = value;
        return this;
    }

    /** /Location. */
    public PdfOptions location(String value) {
        location = value;
        return this;
    }

    /** The signing time, seconds since the epoch. */
    public PdfOptions signingTime(long unixSeconds) {
        signingTime = unixSeconds;
        return this;
    }

    /** Runs {@code f} with native options made from {@code opts} (NULL when null), then frees them. */
    static <T> T with(PdfOptions opts, Handle.Use<T> f) throws EsealException {
        if (opts == null) {
            return f.apply(null);
        }
        PointerByReference out = new PointerByReference();
        Eseal.check(Eseal.LIB.eseal_pdf_options_new(out));
        Pointer o = out.getValue();
        try {
            opts.apply(o);
            return f.apply(o);
        } finally {
            Eseal.LIB.eseal_pdf_options_free(o);
        }
    }

    void apply(Pointer o) throws EsealException {
        LibEseal lib = Eseal.LIB;
        if (page != null) {
            Eseal.check(lib.eseal_pdf_options_set_page(o, page));
        }
        if (position != null) {
            Eseal.check(lib.eseal_pdf_options_set_position(o, position[0], position[1]));
        }
        if (payload != null) {
            Eseal.check(lib.eseal_pdf_options_set_payload(o, payload));
        }
        if (reason != null) {
            Eseal.check(lib.eseal_pdf_options_set_reason(o, reason));
        }
        if (location != null) {
            Eseal.check(lib.eseal_pdf_options_set_location(o, location));
        }
        if (signingTime != null) {
            Eseal.check(lib.eseal_pdf_options_set_signing_time(o, signingTime));
        }
    }
}
