package io.github.eseal.spark;

import io.github.eseal.Rows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The reports of a chunk of inputs as the library returned them ({@link Rows}, one packed
 * buffer), the inputs' names, and the inputs that could not even be read (name and error). The
 * job keeps these between the verification stage and the writing of the table: a few arrays a
 * chunk rather than dozens of objects a row, so Spark sizes, stores and collects them cheaply.
 */
final class Chunk implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The library's rows, or null when the chunk holds only failures. */
    final Rows table;
    /** The name of each input of {@link #table}, by its {@link Rows#INPUT} index. */
    final String[] inputs;
    /** Inputs that could not be read, and why. */
    final String[] failedInputs;
    final String[] failedErrors;

    Chunk(Rows table, List<String> inputs, List<String> failedInputs, List<String> failedErrors) {
        this.table = table;
        this.inputs = inputs.toArray(new String[0]);
        this.failedInputs = failedInputs.toArray(new String[0]);
        this.failedErrors = failedErrors.toArray(new String[0]);
    }

    /** The chunk's table rows (the library's, then the failures'). */
    Iterator<Row> rows() {
        int n = table == null ? 0 : table.size();
        List<Row> out = new ArrayList<>(n + failedInputs.length);
        for (int r = 0; r < n; r++) {
            out.add(ReportRows.of(table, r, inputs[table.getInt(r, Rows.INPUT)]));
        }
        for (int i = 0; i < failedInputs.length; i++) {
            out.add(ReportRows.failed(failedInputs[i], failedErrors[i]));
        }
        return out.iterator();
    }
}
