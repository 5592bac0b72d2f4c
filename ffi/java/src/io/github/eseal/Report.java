package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The result of verifying one input, copied out of the library (nothing to close). */
public final class Report {
    private final Verdict verdict;
    private final List<String> json;

    private Report(Verdict verdict, List<String> json) {
        this.verdict = verdict;
        this.json = json;
    }

    /** The verdict (combined over every report of a PEM bundle). */
    public Verdict getVerdict() {
        return verdict;
    }

    /** The report as JSON (DESIGN §4.4); for a PEM bundle, the first certificate's. */
    public String getJson() {
        return json.get(0);
    }

    /** One JSON report per certificate of a PEM bundle, else exactly one. */
    public List<String> getAllJson() {
        return json;
    }

    /** Copies a C report and frees it. */
    static Report take(Pointer r) throws EsealException {
        LibEseal lib = Eseal.LIB;
        try {
            Verdict v = Verdict.of(lib.eseal_report_verdict(r));
            long n = lib.eseal_report_count(r).longValue();
            List<String> all = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                PointerByReference text = new PointerByReference();
                LibEseal.SizeTByReference len = new LibEseal.SizeTByReference();
                Eseal.check(lib.eseal_report_json_at(r, new LibEseal.SizeT(i), text, len));
                byte[] bytes = text.getValue().getByteArray(0, (int) len.getValue());
                all.add(new String(bytes, StandardCharsets.UTF_8));
            }
            return new Report(v, Collections.unmodifiableList(all));
        } finally {
            lib.eseal_report_free(r);
        }
    }
}
