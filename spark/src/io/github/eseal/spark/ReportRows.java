package io.github.eseal.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output table: one row per report (DESIGN §4.4), the report's main facts as columns and the
 * whole report as JSON. Column names are public like the report's field names: only add.
 */
final class ReportRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportRows() {
    }

    /** The licence columns: column suffix, then the report keys tried in order (GB/T 36903 names too). */
    private static final String[][] LICENCE_FIELDS = {
        {"identifier", "identifier", "证照标识"},
        {"number", "number", "证照编号"},
        {"type", "type_name", "type", "证照类型名称"},
        {"type_code", "type_code", "证照类型代码"},
        {"holder", "holder", "持证主体"},
        {"holder_code", "holder_code", "持证主体代码"},
        {"authority", "authority", "证照颁发机构"},
        {"authority_code", "authority_code", "证照颁发机构代码"},
        {"issue_date", "issue_date", "证照颁发日期"},
        {"valid_from", "valid_from", "证照有效期起始日期"},
        {"valid_to", "valid_to", "证照有效期截止日期"},
        {"verdict", "verdict"},
    };

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
        for (String[] l : LICENCE_FIELDS) {
            f.add(DataTypes.createStructField("licence_" + l[0], DataTypes.StringType, true));
        }
        f.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("report", DataTypes.StringType, false));
        return DataTypes.createStructType(f);
    }

    /** The row of one report of {@code input} (the {@code index}-th of that input). */
    static Row fromJson(String input, int index, String reportJson) throws IOException {
        JsonNode r = JSON.readTree(reportJson);
        Set<String> failing = new LinkedHashSet<>();
        Set<String> undecided = new LinkedHashSet<>();
        collectChecks(r.path("checks"), failing, undecided);
        JsonNode sigs = r.path("signatures");
        for (JsonNode s : sigs) {
            collectChecks(s.path("checks"), failing, undecided);
        }
        JsonNode first = sigs.size() > 0 ? sigs.get(0) : null;
        String subject;
        String serial;
        JsonNode seal;
        Timestamp signingTime = null;
        if (first != null) {
            subject = text(first.path("signer").get("subject"));
            serial = text(first.path("signer").get("serial"));
            seal = first.path("seal");
            signingTime = timestamp(text(first.get("signing_time")));
        } else {
            // A certificate report carries its own subject and serial; a seal report its seal.
            subject = text(r.get("subject"));
            serial = text(r.get("serial"));
            seal = r.path("seal");
        }
        JsonNode licence = r.get("licence");
        List<Object> values = new ArrayList<>();
        values.add(textOr(r.get("path"), input));
        values.add(input);
        values.add(index);
        values.add(textOr(r.get("kind"), "unknown"));
        values.add(textOr(r.get("verdict"), "invalid"));
        values.add(failing.toArray(new String[0]));
        values.add(undecided.toArray(new String[0]));
        values.add(sigs.size());
        values.add(subject);
        values.add(serial);
        values.add(text(seal.get("es_id")));
        values.add(text(seal.get("name")));
        values.add(signingTime);
        values.add(licence == null || licence.isNull() ? null : JSON.writeValueAsString(licence));
        for (String[] l : LICENCE_FIELDS) {
            values.add(licenceField(licence, l));
        }
        values.add(text(r.get("error")));
        values.add(reportJson);
        return RowFactory.create(values.toArray());
    }

    /** The row of an input that could not be read: verdict invalid, the reason in {@code error}. */
    static Row failed(String input, String error) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        r.put("path", input);
        r.put("kind", "unknown");
        r.put("verdict", "invalid");
        r.set("checks", JSON.createArrayNode());
        r.set("signatures", JSON.createArrayNode());
        r.put("error", error);
        return fromJson(input, 0, JSON.writeValueAsString(r));
    }

    private static void collectChecks(JsonNode checks, Set<String> failing, Set<String> undecided) {
        if (!(checks instanceof ArrayNode)) {
            return;
        }
        for (JsonNode c : checks) {
            String status = c.path("status").asText("");
            String id = c.path("id").asText("");
            if (status.equals("fail")) {
                failing.add(id);
            } else if (status.equals("indeterminate")) {
                undecided.add(id);
            }
        }
    }

    /** A licence field: the first of the keys found, in the licence object or its "fields". */
    private static String licenceField(JsonNode licence, String[] spec) {
        if (licence == null || !licence.isObject()) {
            return null;
        }
        for (int i = 1; i < spec.length; i++) {
            for (JsonNode where : new JsonNode[] {licence, licence.get("fields")}) {
                if (where == null || !where.isObject()) {
                    continue;
                }
                JsonNode v = where.get(spec[i]);
                if (v != null && v.isObject() && v.has("value")) {
                    v = v.get("value");
                }
                String s = text(v);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static String textOr(JsonNode n, String otherwise) {
        String s = text(n);
        return s == null ? otherwise : s;
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
