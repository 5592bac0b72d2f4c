package io.github.eseal.spark;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The counts `eseal verify` prints at the end (eseal::batch::Summary): inputs, reports by verdict,
 * errors, and for each check id the number of reports in which it failed or was indeterminate.
 * Built on the executors by one aggregate over the rows and merged on the driver.
 */
final class Summary implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final int REPORT_INDEX = ReportRows.SCHEMA.fieldIndex("report_index");
    private static final int VERDICT = ReportRows.SCHEMA.fieldIndex("verdict");
    private static final int ERROR = ReportRows.SCHEMA.fieldIndex("error");
    private static final int FAILING = ReportRows.SCHEMA.fieldIndex("failing_checks");
    private static final int UNDECIDED = ReportRows.SCHEMA.fieldIndex("indeterminate_checks");

    long inputs;
    long reports;
    long valid;
    long invalid;
    long indeterminate;
    long errors;
    final TreeMap<String, Long> failedChecks = new TreeMap<>();
    final TreeMap<String, Long> indeterminateChecks = new TreeMap<>();

    /** Counts one row (one report) as {@link ReportRows} makes it (check ids as String[]). */
    Summary add(Row r) {
        reports++;
        if (r.getInt(REPORT_INDEX) == 0) {
            inputs++;
        }
        String verdict = r.getString(VERDICT);
        if (verdict.equals("valid")) {
            valid++;
        } else if (verdict.equals("indeterminate")) {
            indeterminate++;
        } else {
            invalid++;
        }
        if (!r.isNullAt(ERROR)) {
            errors++;
        }
        count(failedChecks, (String[]) r.get(FAILING));
        count(indeterminateChecks, (String[]) r.get(UNDECIDED));
        return this;
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
