package io.github.eseal;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The third-party corpus (test-vectors/third-party/FOLDER/manifest.json) through the Java
 * binding: every case verified with its trust anchors, intermediates, CRLs, reference time and
 * detached data, its verdict and named checks compared with the manifest (as
 * tests/third_party.rs does through the library and the CLI). Plain java, no test framework:
 * prints "N passed, N failed" and exits non-zero on failure.
 *
 * usage: java -cp eseal-java.jar:jna.jar:... io.github.eseal.ThirdPartyTest REPO_ROOT
 */
public final class ThirdPartyTest {
    private static final List<String> FAILURES = new ArrayList<>();
    private static int compared;

    private ThirdPartyTest() {
    }

    /** Records one comparison; {@code what} is printed at the end when it failed. */
    private static void check(boolean ok, String what) {
        compared++;
        if (!ok) {
            FAILURES.add(what);
        }
    }

    /** A small JSON reader (RFC 8259): objects become maps, arrays lists, numbers doubles. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value(0);
            j.ws();
            if (j.i != j.s.length()) {
                throw new IllegalArgumentException("trailing data at " + j.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private char next() {
            ws();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + i);
            }
            i++;
        }

        private Object value(int depth) {
            if (depth > 64) {
                throw new IllegalArgumentException("too deep");
            }
            char c = next();
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                if (next() == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    String k = string();
                    expect(':');
                    m.put(k, value(depth + 1));
                    if (next() == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                if (next() == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value(depth + 1));
                    if (next() == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') {
                return string();
            }
            for (String lit : new String[] {"null", "true", "false"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit.equals("true"));
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("unexpected " + c + " at " + i);
            }
            return Double.valueOf(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                int k = "bfnrt".indexOf(e);
                if (k >= 0) {
                    b.append("\b\f\n\r\t".charAt(k));
                } else if (e == 'u') {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                } else {
                    b.append(e); // \" \\ \/
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Collections.<String, Object>emptyMap();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List ? (List<Object>) o : Collections.emptyList();
    }

    /** The status of check {@code id} in a report's checks array, or "(absent)". */
    private static String statusOf(Object checks, String id) {
        for (Object c : list(checks)) {
            if (id.equals(obj(c).get("id"))) {
                return String.valueOf(obj(c).get("status"));
            }
        }
        return "(absent)";
    }

    private static void compareChecks(String what, Object want, Object got) {
        for (Map.Entry<String, Object> e : obj(want).entrySet()) {
            String g = statusOf(got, e.getKey());
            check(g.equals(e.getValue()), what + ": check " + e.getKey() + ": " + g + " (want " + e.getValue() + ")");
        }
    }

    private static void compareString(String what, String key, Map<String, Object> want, Map<String, Object> got) {
        if (want.containsKey(key)) {
            check(String.valueOf(want.get(key)).equals(String.valueOf(got.get(key))),
                    what + ": " + key + " " + got.get(key) + " (want " + want.get(key) + ")");
        }
    }

    private static void runCase(Path dir, Map<String, Object> c) throws Exception {
        String file = String.valueOf(c.get("file"));
        String what = dir + "/" + file + " (Java)";
        try (Verifier v = Verifier.create()) {
            for (Object f : list(c.get("trust"))) {
                v.addTrust(Files.readAllBytes(dir.resolve((String) f)));
            }
            for (Object f : list(c.get("intermediates"))) {
                v.addIntermediates(Files.readAllBytes(dir.resolve((String) f)));
            }
            for (Object f : list(c.get("crls"))) {
                v.addCrl(Files.readAllBytes(dir.resolve((String) f)));
            }
            if (c.get("at") != null) {
                v.setTime(Instant.parse((String) c.get("at")).getEpochSecond());
            }
            byte[] input = Files.readAllBytes(dir.resolve(file));
            Report r = c.get("data") != null
                    ? v.verifyDetached(input, Files.readAllBytes(dir.resolve((String) c.get("data"))))
                    : v.verify(file, input);
            Map<String, Object> rep = obj(Json.parse(r.getJson()));
            check(r.getVerdict().name().toLowerCase(java.util.Locale.ROOT).equals(rep.get("verdict")),
                    what + ": getVerdict " + r.getVerdict() + ", JSON " + rep.get("verdict"));
            compareString(what, "verdict", c, rep);
            compareChecks(what, c.get("checks"), rep.get("checks"));
            if (c.containsKey("signatures")) {
                List<Object> want = list(c.get("signatures"));
                List<Object> got = list(rep.get("signatures"));
                check(want.size() == got.size(), what + ": " + got.size() + " signatures (want " + want.size() + ")");
                for (int k = 0; k < Math.min(want.size(), got.size()); k++) {
                    String sw = what + " signature " + k;
                    Map<String, Object> ws = obj(want.get(k));
                    Map<String, Object> gs = obj(got.get(k));
                    compareString(sw, "verdict", ws, gs);
                    compareString(sw, "format", ws, gs);
                    compareString(sw, "modification_level", ws, gs);
                    compareChecks(sw, ws.get("checks"), gs.get("checks"));
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path base = Paths.get(args.length > 0 ? args[0] : ".", "test-vectors", "third-party");
        File[] folders = base.toFile().listFiles(f -> new File(f, "manifest.json").isFile());
        check(folders != null && folders.length > 0, "no manifests under " + base);
        if (folders == null) {
            folders = new File[0];
        }
        Arrays.sort(folders);
        int cases = 0;
        for (File f : folders) {
            Path dir = f.toPath();
            String text = new String(Files.readAllBytes(dir.resolve("manifest.json")), StandardCharsets.UTF_8);
            for (Object c : list(obj(Json.parse(text)).get("cases"))) {
                runCase(dir, obj(c));
                cases++;
            }
        }
        System.out.println("ThirdPartyTest: " + cases + " cases in " + folders.length + " folders");
        for (String f : FAILURES) {
            System.err.println("FAILED: " + f);
        }
        System.out.println("ThirdPartyTest: " + (compared - FAILURES.size()) + " passed, " + FAILURES.size() + " failed");
        System.exit(FAILURES.isEmpty() ? 0 : 1);
    }
}
