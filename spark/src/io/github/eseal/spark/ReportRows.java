package io.github.eseal.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eseal.Rows;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output table: one row per report (DESIGN §4.4), the report's main facts as columns (computed
 * by the library: {@link Rows}) and the whole report as JSON. Column names are public like the
 * report's field names: only add.
 */
final class ReportRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportRows() {
    }

    /** The table's schema. */
    static final StructType SCHEMA = schema();

    private static StructType schema() {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("path", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("input", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("report_index", DataTypes.IntegerType, false));
        f.add(DataTypes.createStructField("kind", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("verdict", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("failing_checks", DataTypes.createArrayType(DataTypes.StringType, false), false));
        f.add(DataTypes.createStructField("indeterminate_checks", DataTypes.createArrayType(DataTypes.StringType, false),
                false));
        f.add(DataTypes.createStructField("signature_count", DataTypes.IntegerType, false));
        f.add(DataTypes.createStructField("signer_subject", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("signer_serial", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("seal_id", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("seal_name", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("signing_time", DataTypes.TimestampType, true));
        f.add(DataTypes.createStructField("licence", DataTypes.StringType, true));
        for (String l : Rows.LICENCE_FIELDS) {
            f.add(DataTypes.createStructField("licence_" + l, DataTypes.StringType, true));
        }
        f.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("report", DataTypes.StringType, false));
        return DataTypes.createStructType(f);
    }

    /** The row of report {@code r} of table {@code t}, an input listed as {@code input}. */
    static Row of(Rows t, int r, String input) {
        Object[] v = new Object[SCHEMA.size()];
        int k = 0;
        v[k++] = t.get(r, Rows.PATH);
        v[k++] = input;
        v[k++] = t.getInt(r, Rows.REPORT_INDEX);
        v[k++] = t.get(r, Rows.KIND);
        v[k++] = t.get(r, Rows.VERDICT);
        v[k++] = t.getList(r, Rows.FAILING_CHECKS);
        v[k++] = t.getList(r, Rows.INDETERMINATE_CHECKS);
        v[k++] = t.getInt(r, Rows.SIGNATURE_COUNT);
        for (int c = Rows.SIGNER_SUBJECT; c <= Rows.SEAL_NAME; c++) {
            v[k++] = t.get(r, c);
        }
        v[k++] = timestamp(t.get(r, Rows.SIGNING_TIME));
        for (int c = Rows.LICENCE; c <= Rows.REPORT; c++) {
            v[k++] = t.get(r, c);
        }
        return RowFactory.create(v);
    }

    /**
     * The row of an input that could not be read: like the library's report of an unreadable file
     * (kind unknown, the check {@code format} failed, verdict invalid, the reason in {@code error}).
     */
    static Row failed(String input, String error) {
        ObjectNode r = JSON.createObjectNode();
        r.put("path", input);
        r.put("kind", "unknown");
        r.put("verdict", "invalid");
        r.putArray("checks").addObject().put("id", "format").put("status", "fail").put("message", error);
        r.putArray("signatures");
        r.put("error", error);
        Object[] v = new Object[SCHEMA.size()];
        v[0] = input;
        v[1] = input;
        v[2] = 0;
        v[3] = "unknown";
        v[4] = "invalid";
        v[5] = new String[] {"format"};
        v[6] = new String[0];
        v[7] = 0;
        v[SCHEMA.size() - 2] = error;
        v[SCHEMA.size() - 1] = r.toString();
        return RowFactory.create(v);
    }

    private static Timestamp timestamp(String rfc3339) {
        if (rfc3339 == null) {
            return null;
        }
        try {
            return Timestamp.from(OffsetDateTime.parse(rfc3339).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
