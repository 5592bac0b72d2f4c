package eseal;

import com.sun.jna.Pointer;

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
