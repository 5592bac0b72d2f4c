package io.github.eseal.spark;

import io.github.eseal.Rows;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts `eseal verify` prints at the end (eseal::batch::Summary): inputs, reports by verdict,
 * errors, and for each check id the number of reports in which it failed or was indeterminate.
 * Built on the executors by one aggregate over the chunks and merged on the driver.
 */
final class Summary implements Serializable {
    private static final long serialVersionUID = 1L;

    long inputs;
    long reports;
    long valid;
    long invalid;
    long indeterminate;
    long errors;
    final TreeMap<String, Long> failedChecks = new TreeMap<>();
    final TreeMap<String, Long> indeterminateChecks = new TreeMap<>();

    /** Counts the reports of a chunk. */
    Summary add(Chunk c) {
        int n = c.table == null ? 0 : c.table.size();
        for (int r = 0; r < n; r++) {
            if (c.table.getInt(r, Rows.REPORT_INDEX) == 0) {
                inputs++;
            }
            count(c.table.get(r, Rows.VERDICT), c.table.get(r, Rows.ERROR) != null);
            count(failedChecks, c.table.getList(r, Rows.FAILING_CHECKS));
            count(indeterminateChecks, c.table.getList(r, Rows.INDETERMINATE_CHECKS));
        }
        // An input that could not be read: like the library's report of an unreadable file.
        for (int i = 0; i < c.failedInputs.length; i++) {
            inputs++;
            count("invalid", true);
            count(failedChecks, new String[] {"format"});
        }
        return this;
    }

    private void count(String verdict, boolean error) {
        reports++;
        if (verdict.equals("valid")) {
            valid++;
        } else if (verdict.equals("indeterminate")) {
            indeterminate++;
        } else {
            invalid++;
        }
        if (error) {
            errors++;
        }
    }

    /** Adds another partial summary into this one. */
    Summary merge(Summary o) {
        inputs += o.inputs;
        reports += o.reports;
        valid += o.valid;
        invalid += o.invalid;
        indeterminate += o.indeterminate;
        errors += o.errors;
        o.failedChecks.forEach((k, v) -> failedChecks.merge(k, v, Long::sum));
        o.indeterminateChecks.forEach((k, v) -> indeterminateChecks.merge(k, v, Long::sum));
        return this;
    }

    private static void count(Map<String, Long> m, String[] ids) {
        for (String id : ids) {
            m.merge(id, 1L, Long::sum);
        }
    }

    /** The lines `eseal verify` prints, the rate over {@code secs}. */
    String render(double secs) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "summary: %d files, %d reports: %d valid, %d invalid, %d indeterminate (%d errors) in %.2f s (%.1f files/s)%n",
                inputs, reports, valid, invalid, indeterminate, errors, secs, inputs / Math.max(secs, 1e-9)));
        if (!failedChecks.isEmpty()) {
            b.append("failed checks: ").append(join(failedChecks)).append(System.lineSeparator());
        }
        if (!indeterminateChecks.isEmpty()) {
            b.append("indeterminate checks: ").append(join(indeterminateChecks)).append(System.lineSeparator());
        }
        return b.toString();
    }

    private static String join(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : m.entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getKey()).append(' ').append(e.getValue());
        }
        return b.toString();
    }
}
