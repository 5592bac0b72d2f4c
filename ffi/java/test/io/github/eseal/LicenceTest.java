package io.github.eseal;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * An electronic licence through the Java binding: test-vectors/licence/good.pdf (issued by
 * {@code eseal licence issue} from a PDF form) verifies with every licence check passing, and its
 * licence section names the holder, the authority code and the validity; expired.ofd fails
 * licence.validity. Plain java, no test framework: prints "N passed, N failed".
 *
 * usage: java -cp eseal-java.jar:jna.jar:... io.github.eseal.LicenceTest REPO_ROOT
 */
public final class LicenceTest {
    private static int passed;
    private static int failed;

    private LicenceTest() {
    }

    private static void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.err.println("FAILED: " + what);
        }
    }

    /** The JSON object that follows {@code "key":} in {@code json} (braces balanced, strings skipped). */
    static String object(String json, String key) {
        int at = json.indexOf("\"" + key + "\":{");
        if (at < 0) {
            return "";
        }
        int start = json.indexOf('{', at);
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return json.substring(start, i + 1);
            }
        }
        return "";
    }

    /** Whether the report JSON has the check {@code id} with {@code status}. */
    static boolean hasCheck(String json, String id, String status) {
        int at = json.indexOf("{\"id\":\"" + id + "\",");
        if (at < 0) {
            return false;
        }
        int st = json.indexOf("\"status\":\"", at);
        return st >= 0 && json.startsWith(status + "\"", st + "\"status\":\"".length());
    }

    public static void main(String[] args) throws Exception {
        String root = args.length > 0 ? args[0] : ".";
        String[] ids = {"licence.metadata_protected", "licence.identifier", "licence.codes",
            "licence.issuer_matches_seal", "licence.validity", "licence.consistency"};
        try (Verifier v = Verifier.create()) {
            v.addTrust(Files.readAllBytes(Paths.get(root, "test-vectors/licence/root.pem")));
            v.setTime(1767225600L);
            Report r = v.verify("good.pdf", Files.readAllBytes(Paths.get(root, "test-vectors/licence/good.pdf")));
            String json = r.getJson();
            check(r.getVerdict() == Verdict.VALID, "good.pdf verdict " + r.getVerdict());
            String lic = object(json, "licence");
            check(lic.contains("\"holder\":\"某某科技有限公司\""), "holder in " + lic);
            check(lic.contains("\"issuer_code\":\"11370000MB2852565A\""), "issuer_code in " + lic);
            check(lic.contains("\"valid_to\":\"2044-05-19\""), "valid_to in " + lic);
            check(lic.contains("\"licence_id\":\"1.2.156.3005.2.11100000000013338W011.11370000MB2852565A."), "licence_id in " + lic);
            check(lic.contains("\"verdict\":\"valid\""), "licence verdict in " + lic);
            for (String id : ids) {
                check(hasCheck(json, id, "pass"), "good.pdf " + id);
            }
            Report e = v.verify("expired.ofd", Files.readAllBytes(Paths.get(root, "test-vectors/licence/expired.ofd")));
            check(e.getVerdict() == Verdict.INVALID, "expired.ofd verdict " + e.getVerdict());
            check(hasCheck(e.getJson(), "licence.validity", "fail"), "expired.ofd licence.validity");
            check(hasCheck(e.getJson(), "licence.identifier", "pass"), "expired.ofd licence.identifier");
        }
        System.out.println("LicenceTest: " + passed + " passed, " + failed + " failed");
        System.out.flush();
        if (failed > 0 || passed == 0) {
            System.exit(1);
        }
    }
}
