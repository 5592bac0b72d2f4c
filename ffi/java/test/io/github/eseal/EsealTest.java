package io.github.eseal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tests of the Java binding, run with plain java (no test framework): prints
 * "N passed, N failed" and exits non-zero on failure.
 *
 * usage: java -cp eseal-java.jar:jna.jar:... io.github.eseal.EsealTest REPO_ROOT
 */
public final class EsealTest {
    private static int passed;
    private static int failed;
    private static String root;

    private EsealTest() {
    }

    private static void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.err.println("FAILED: " + what);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    /** Checks that {@code body} throws an EsealException with {@code code}. */
    private static void expectCode(int code, String what, Body body) {
        try {
            body.run();
            check(false, what + ": no exception");
        } catch (EsealException e) {
            check(e.getCode() == code && !e.getDetail().isEmpty(), what + ": code " + e.getCode() + " (" + e.getMessage() + ")");
        } catch (Exception e) {
            check(false, what + ": " + e);
        }
    }

    private static byte[] read(String name) throws Exception {
        return Files.readAllBytes(Paths.get(root, "test-vectors", name));
    }

    private static final long T2026 = 1767225600L;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

    /** A 1x1 PNG (the PDF appearance decodes the picture). */
    private static final byte[] REAL_PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /** A one-page PDF with a classic xref table. */
    private static byte[] minimalPdf() {
        String[] objs = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
        StringBuilder b = new StringBuilder("%PDF-1.7\n");
        int[] offs = new int[3];
        for (int i = 0; i < 3; i++) {
            offs[i] = b.length();
            b.append(i + 1).append(" 0 obj\n").append(objs[i]).append("\nendobj\n");
        }
        int xref = b.length();
        b.append("xref\n0 4\n0000000000 65535 f \n");
        for (int off : offs) {
            b.append(String.format("%010d 00000 n \n", off));
        }
        b.append("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static Verifier chainVerifier() throws Exception {
        return Verifier.create().addTrust(read("chains/root.pem")).addIntermediates(read("chains/inter.pem"))
                .addCrl(read("chains/inter_crl.pem")).addCrl(read("chains/root_crl.pem")).setTime(T2026);
    }

    /** Third-party OFDs (test-vectors/third-party/ofd, issue 11): coverage judged by role. */
    private static void testThirdPartyOfd() throws Exception {
        try (Verifier v = Verifier.create().addTrust(read("keys/ca-cert.pem"))) {
            Report warn = v.verify(read("third-party/ofd/ofdxml-unprotected.ofd"));
            check(warn.getVerdict() == Verdict.VALID
                    && warn.getJson().contains("\"role\":\"ofd_xml\",\"status\":\"warn\""), "OFD.xml unprotected: warn");
            Report tpl = v.verify(read("third-party/ofd/template-unprotected.ofd"));
            check(tpl.getVerdict() == Verdict.INDETERMINATE
                    && tpl.getJson().contains("\"role\":\"template\""), "template unprotected: indeterminate");
            Report swapped = v.verify(read("third-party/ofd/docroot-swapped.ofd"));
            check(swapped.getVerdict() == Verdict.INVALID
                    && swapped.getJson().contains("\"role\":\"document\",\"status\":\"fail\""), "DocRoot swapped: fail");
        }
    }

    private static void testVerify() throws Exception {
        check(Eseal.version().matches("\\d+\\.\\d+\\.\\d+.*"), "version");
        check(Eseal.describe(2007).equals("wrong password"), "describe");
        try (Verifier v = chainVerifier()) {
            check(v.verify(read("chains/leaf.pem")).getVerdict() == Verdict.VALID, "leaf valid");
            Report revoked = v.verify(read("chains/revoked.pem"));
            check(revoked.getVerdict() == Verdict.INVALID && revoked.getJson().contains("cert.revocation"), "revoked");
            check(v.verify(read("chains/other_leaf.pem")).getVerdict() == Verdict.INDETERMINATE, "unknown issuer");
            Report junk = v.verify("junk".getBytes(StandardCharsets.UTF_8));
            check(junk.getVerdict() == Verdict.INVALID && junk.getJson().contains("\"error\":\"input of unknown kind"), "junk");
            check(v.verify(new byte[0]).getVerdict() == Verdict.INVALID, "empty input");
            byte[] leaf = read("chains/leaf.pem");
            byte[] rev = read("chains/revoked.pem");
            byte[] bundle = new byte[leaf.length + rev.length];
            System.arraycopy(leaf, 0, bundle, 0, leaf.length);
            System.arraycopy(rev, 0, bundle, leaf.length, rev.length);
            Report b = v.verify(bundle);
            check(b.getAllJson().size() == 2 && b.getVerdict() == Verdict.INVALID, "bundle");
            expectCode(EsealException.MALFORMED_CERTIFICATE, "addTrust junk", () -> v.addTrust(new byte[] {1, 2}));
            expectCode(EsealException.MALFORMED_CRL, "addCrl junk", () -> v.addCrl(new byte[0]));
            expectCode(EsealException.INVALID_ARGUMENT, "setTime", () -> v.setTime(Long.MAX_VALUE));

            List<byte[]> inputs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                inputs.add(i % 3 == 0 ? leaf : i % 3 == 1 ? rev : new byte[] {9});
            }
            List<Report> reports = v.verifyBatch(inputs, 4);
            boolean ok = reports.size() == 30;
            for (int i = 0; ok && i < 30; i++) {
                ok = reports.get(i).getVerdict() == (i % 3 == 0 ? Verdict.VALID : Verdict.INVALID);
            }
            check(ok, "batch");
            testRows(v, bundle);
        }
        Verifier closed = Verifier.create();
        closed.close();
        closed.close();
        try {
            closed.verify(new byte[] {1});
            check(false, "use after close");
        } catch (IllegalStateException e) {
            check(true, "use after close");
        }
    }

    /** Batch verification into table rows: files read by the library, inputs in memory. */
    private static void testRows(Verifier v, byte[] bundle) throws Exception {
        String dir = Paths.get(root, "test-vectors", "chains").toString();
        Rows t = v.verifyFiles(Arrays.asList(dir + "/leaf.pem", dir + "/revoked.pem", dir + "/no-such-file.pem"),
                Arrays.asList("a.pem", "b.pem", null), 2);
        check(t.size() == 3 && t.getInt(2, Rows.INPUT) == 2, "rows: one per file");
        check("a.pem".equals(t.get(0, Rows.PATH)) && "valid".equals(t.get(0, Rows.VERDICT))
                && t.getList(0, Rows.FAILING_CHECKS).length == 0 && t.get(0, Rows.ERROR) == null
                && t.get(0, Rows.SIGNER_SUBJECT).startsWith("CN="), "rows: valid certificate");
        check("invalid".equals(t.get(1, Rows.VERDICT))
                && Arrays.equals(t.getList(1, Rows.FAILING_CHECKS), new String[] {"cert.revocation"})
                && t.get(1, Rows.REPORT).contains("\"path\":\"b.pem\""), "rows: revoked certificate");
        check(t.get(2, Rows.PATH).endsWith("no-such-file.pem") && t.get(2, Rows.ERROR) != null
                && Arrays.equals(t.getList(2, Rows.FAILING_CHECKS), new String[] {"format"}), "rows: missing file");
        Rows m = v.verifyRows(Arrays.asList(bundle, new byte[] {9}), Arrays.asList("bundle.pem", "junk"), 0);
        check(m.size() == 3 && "bundle.pem#2".equals(m.get(1, Rows.PATH)) && m.getInt(1, Rows.REPORT_INDEX) == 1
                && m.getInt(2, Rows.INPUT) == 1 && "unknown".equals(m.get(2, Rows.KIND)), "rows: in memory");
        check(v.verifyRows(new ArrayList<>(), null, 1).size() == 0, "rows: empty");
    }

    private static void testSigners() throws Exception {
        byte[] key = read("keys/key.pem");
        byte[] cert = read("keys/leaf-cert.pem");
        expectCode(EsealException.WRONG_PASSWORD, "wrong password", () -> Signer.fromPem(read("keys/pkcs8-default.pem"), "no", cert));
        expectCode(EsealException.PASSWORD_REQUIRED, "no password", () -> Signer.fromPem(read("keys/pkcs8-default.pem"), null, cert));
        expectCode(EsealException.KEY_MISMATCH, "key mismatch", () -> Signer.fromPem(read("keys/other-key.pem"), null, cert));
        expectCode(EsealException.MALFORMED_KEY_FILE, "junk key", () -> Signer.fromPem(new byte[] {1}, null, cert));
        expectCode(EsealException.WRONG_PASSWORD, "p12 password", () -> Signer.fromPkcs12(read("keys/p12-default.p12"), "x"));
        try (Signer s = Signer.fromPem(key, null, cert);
                Signer p12 = Signer.fromPkcs12(read("keys/p12-utf8pw.p12"), "密码-pässwörd")) {
            byte[] sig = s.signSm2("data".getBytes(StandardCharsets.UTF_8));
            check(sig.length >= 8 && sig[0] == 0x30, "signSm2");
            check(java.util.Arrays.equals(s.certificate(), p12.certificate()), "p12 certificate");

            final byte[][] seen = new byte[1][];
            try (Signer dev = Signer.fromDevice(s.certificate(), e -> {
                seen[0] = e;
                return s.signDigest(e);
            }); Pending pe = Pending.signSm2(cert, "msg".getBytes(StandardCharsets.UTF_8))) {
                dev.signSm2("msg".getBytes(StandardCharsets.UTF_8));
                byte[] e = pe.digest();
                check(e.length == 32 && java.util.Arrays.equals(e, seen[0]), "device digest = two-phase digest");
                expectCode(EsealException.MALFORMED_SIGNATURE, "junk signature", () -> pe.finish(new byte[] {1, 2, 3}));
                byte[] out = pe.finish(s.signDigest(e));
                check(out.length >= 8, "finish");
                expectCode(EsealException.ALREADY_USED, "second finish", () -> pe.finish(out));
            }
            try (Signer failing = Signer.fromDevice(cert, e -> {
                throw new IllegalStateException("card removed");
            }); Signer lying = Signer.fromDevice(cert, e -> s.signDigest(new byte[32]))) {
                expectCode(EsealException.SIGNER_FAILED, "failing device", () -> failing.signSm2(new byte[] {1}));
                expectCode(EsealException.SIGNER_FAILED, "lying device", () -> lying.signSm2(new byte[] {1}));
            }

            long now = System.currentTimeMillis() / 1000;
            try (Seal seal = Seal.builder("java", "es-java", "Java 测试章").signerCert(cert)
                    .validity(now - 3600, now + 86400).picture("PNG", PNG, 40, 40).make(s);
                    Verifier v = Verifier.create().addTrust(read("keys/ca-cert.pem"))) {
                check(seal.infoJson().contains("\"name\":\"Java 测试章\""), "seal info");
                byte[] data = "contract".getBytes(StandardCharsets.UTF_8);
                byte[] ses = ReadmeExample.sealData(read("keys/p12-default.p12"), "eseal-test", seal.der(), data);
                check(v.verifyDetached(ses, data).getVerdict() == Verdict.VALID, "seal signature valid");
                check(v.verifyDetached(ses, "contract!".getBytes(StandardCharsets.UTF_8)).getVerdict() == Verdict.INVALID,
                        "tampered data");
                check(v.verify(seal.der()).getVerdict() == Verdict.VALID, "seal valid");
                check(v.verify(seal.der()).getJson().contains("\"id\":\"seal_validity\",\"message\":\"reference time"),
                        "bare seal: seal_validity at now");
                try (Verifier later = Verifier.create().addTrust(read("keys/ca-cert.pem")).setTime(now + 2 * 86400)) {
                    Report expired = later.verify(seal.der());
                    check(expired.getVerdict() == Verdict.INVALID
                            && expired.getJson().contains("the seal has expired"),
                            "bare seal after validEnd: seal_validity fails");
                }
                expectCode(EsealException.SEAL_REFUSED, "signing time outside validity",
                        () -> s.signData(seal, data, new SignOptions().signingTime(now + 2 * 86400)));
                expectCode(EsealException.WRONG_PASSWORD, "readme wrong password",
                        () -> ReadmeExample.sealData(read("keys/p12-default.p12"), "bad", seal.der(), data));
                expectCode(EsealException.MALFORMED_PICTURE, "bad picture",
                        () -> Seal.builder("j", "e", "n").signerCert(cert).validity(now, now + 1)
                                .picture("JPG", PNG, 1, 1).make(s));
                expectCode(EsealException.MALFORMED_SEAL, "parse junk", () -> Seal.parse(new byte[] {0x30, 0}));
            }
            try (Seal pdfSeal = Seal.builder("java", "es-pdf", "PDF").signerCert(cert)
                    .validity(now - 3600, now + 86400).picture("PNG", REAL_PNG, 40, 40).make(s)) {
                byte[] pdf = minimalPdf();
                for (int payload : new int[] {PdfOptions.PAYLOAD_SES, PdfOptions.PAYLOAD_CMS}) {
                    byte[] out = s.signPdf(pdfSeal, pdf, new PdfOptions().page(1).position(100, 150).payload(payload)
                            .reason("同意").location("Beijing"));
                    boolean prefix = out.length > pdf.length;
                    for (int i = 0; prefix && i < pdf.length; i++) {
                        prefix = out[i] == pdf[i];
                    }
                    check(prefix && new String(out, StandardCharsets.ISO_8859_1).contains("/ByteRange"),
                            "signPdf payload " + payload);
                    // Kept for .ci/ffi.sh: `eseal verify`, qpdf, pdfsig and Bouncy Castle check it.
                    String keep = System.getenv("ESEAL_BINDING_OUT");
                    if (keep != null && !keep.isEmpty()) {
                        Files.write(Paths.get(keep, payload == PdfOptions.PAYLOAD_SES ? "java-ses.pdf" : "java-cms.pdf"), out);
                    }
                }
                expectCode(EsealException.INVALID_ARGUMENT, "bad payload",
                        () -> s.signPdf(pdfSeal, pdf, new PdfOptions().payload(5)));
                expectCode(5001, "junk PDF", () -> s.signPdf(pdfSeal, "%PDF-1.7\njunk".getBytes(StandardCharsets.US_ASCII), null));
            }
            check(ReadmeExample.verifyFile(read("chains/root.pem"), Paths.get(root, "test-vectors/chains/root.pem").toString())
                    == Verdict.VALID, "readme verifyFile");
        }
    }

    /** OFD sealing and every two-phase operation (prepare, digest, sign elsewhere, finish). */
    private static void testOfdAndTwoPhase() throws Exception {
        byte[] key = read("keys/key.pem");
        byte[] cert = read("keys/leaf-cert.pem");
        long now = System.currentTimeMillis() / 1000;
        try (Signer s = Signer.fromPem(key, null, cert);
                Verifier v = Verifier.create().addTrust(read("keys/ca-cert.pem"))) {
            Seal.Builder builder = Seal.builder("java", "es-2p", "两阶段").signerCert(cert)
                    .validity(now - 3600, now + 86400).picture("PNG", REAL_PNG, 40, 40);
            byte[] sealDer;
            try (Pending p = Pending.sealMake(builder, cert)) {
                expectCode(EsealException.BAD_SIGNATURE, "sealMake wrong signature", () -> p.finish(s.signDigest(new byte[32])));
                sealDer = p.finish(s.signDigest(p.digest()));
            }
            try (Seal seal = Seal.parse(sealDer)) {
                check(v.verify(sealDer).getVerdict() == Verdict.VALID, "two-phase seal valid");
                byte[] data = "two-phase".getBytes(StandardCharsets.UTF_8);
                try (Pending p = Pending.signData(cert, seal, data, new SignOptions().propertyInfo("2p.txt"))) {
                    byte[] ses = p.finish(s.signDigest(p.digest()));
                    check(v.verifyDetached(ses, data).getVerdict() == Verdict.VALID, "two-phase signData valid");
                }
                byte[] pdf = minimalPdf();
                try (Pending p = Pending.signPdf(cert, seal, pdf, new PdfOptions().reason("2p"))) {
                    byte[] out = p.finish(s.signDigest(p.digest()));
                    Report r = v.verify("two-phase.pdf", out);
                    check(r.getVerdict() != Verdict.INVALID && r.getJson().contains("\"path\":\"two-phase.pdf\""),
                            "two-phase signPdf, named report: " + r.getJson());
                }
                String samples = System.getenv("ESEAL_SAMPLES");
                if (samples == null || samples.isEmpty()) {
                    System.out.println("skipped: OFD sealing (ESEAL_SAMPLES not set)");
                    return;
                }
                byte[] ofd = Files.readAllBytes(Paths.get(samples, "ofdrw", "helloworld.ofd"));
                byte[] sealed = s.sealOfd(seal, ofd, new OfdOptions().page(1).position(20, 30).includeSealFile(true));
                Report r = v.verify(sealed);
                check(r.getJson().contains("\"kind\":\"ofd\"") && r.getVerdict() == Verdict.VALID,
                        "sealOfd valid: " + r.getJson());
                byte[] locked = s.sealOfd(seal, ofd, new OfdOptions().protectAll(true).signingTime(now));
                expectCode(6002, "sealOfd after protectAll", () -> s.sealOfd(seal, locked, null));
                expectCode(6001, "sealOfd junk", () -> s.sealOfd(seal, "PK\u0003\u0004junk".getBytes(StandardCharsets.ISO_8859_1), null));
                expectCode(EsealException.INVALID_ARGUMENT, "OFD position",
                        () -> s.sealOfd(seal, ofd, new OfdOptions().position(-5, 1)));
                try (Pending p = Pending.sealOfd(cert, seal, ofd, null)) {
                    byte[] out = p.finish(s.signDigest(p.digest()));
                    check(v.verify(out).getVerdict() == Verdict.VALID, "two-phase sealOfd valid");
                }
            }
        }
    }

    /** With -Deseal.test.classpathLibrary=true: libeseal must come from the jar, not a path. */
    private static void testClasspathLibrary() {
        if (!Boolean.getBoolean("eseal.test.classpathLibrary")) {
            return;
        }
        check(System.getProperty("jna.library.path") == null, "no jna.library.path");
        java.io.File f = com.sun.jna.NativeLibrary.getInstance("eseal").getFile();
        String path = f == null ? "" : f.getAbsolutePath();
        check(!path.contains("target/release"), "libeseal extracted from the jar: " + path);
        System.out.println("libeseal loaded from " + path);
    }

    private static void testConcurrency() throws Exception {
        try (Verifier v = chainVerifier(); Signer s = Signer.fromPem(read("keys/key.pem"), null, read("keys/leaf-cert.pem"))) {
            byte[] leaf = read("chains/leaf.pem");
            byte[] rev = read("chains/revoked.pem");
            AtomicInteger errors = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 20; i++) {
                        try {
                            if (v.verify(leaf).getVerdict() != Verdict.VALID || v.verify(rev).getVerdict() != Verdict.INVALID) {
                                errors.incrementAndGet();
                            }
                            s.signSm2(new byte[] {(byte) i});
                            try {
                                v.addCrl(new byte[] {(byte) i});
                                errors.incrementAndGet();
                            } catch (EsealException e) {
                                if (e.getCode() != EsealException.MALFORMED_CRL || e.getDetail().isEmpty()) {
                                    errors.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (int i = 0; i < 10; i++) {
                v.addIntermediates(read("chains/inter.pem"));
            }
            for (Thread th : threads) {
                th.join();
            }
            check(errors.get() == 0, "8 threads: " + errors.get() + " errors");
        }
    }

    /** Bouncy Castle (SM3withSM2, default user ID) against eseal, both ways. */
    private static void testBouncyCastle() throws Exception {
        Provider bc;
        try {
            bc = (Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider").getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            if (System.getenv("CI") != null) {
                check(false, "Bouncy Castle not found");
            } else {
                System.out.println("skipped: Bouncy Castle not found");
            }
            return;
        }
        Security.addProvider(bc);
        byte[] certPem = read("keys/leaf-cert.pem");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509", bc)
                .generateCertificate(new java.io.ByteArrayInputStream(certPem));
        byte[] msg = "eseal ⇄ Bouncy Castle".getBytes(StandardCharsets.UTF_8);
        try (Signer s = Signer.fromPem(read("keys/key.pem"), null, certPem)) {
            byte[] sig = s.signSm2(msg);
            java.security.Signature verify = java.security.Signature.getInstance("SM3withSM2", bc);
            verify.initVerify(cert.getPublicKey());
            verify.update(msg);
            check(verify.verify(sig), "BC verifies eseal's signature");
            verify.initVerify(cert.getPublicKey());
            verify.update(msg, 1, msg.length - 1);
            check(!verify.verify(sig), "BC rejects it over other data");
        }
        String pem = new String(read("keys/key.pem"), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC", bc).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        java.security.Signature sign = java.security.Signature.getInstance("SM3withSM2", bc);
        try (Pending pe = Pending.signSm2(certPem, msg)) {
            Class<?> spec = Class.forName("org.bouncycastle.jcajce.spec.SM2ParameterSpec");
            sign.setParameter((AlgorithmParameterSpec) spec.getConstructor(byte[].class)
                    .newInstance((Object) "another-user-id!".getBytes(StandardCharsets.US_ASCII)));
            sign.initSign(key);
            sign.update(msg);
            byte[] other = sign.sign();
            expectCode(EsealException.BAD_SIGNATURE, "BC signature under another ID", () -> pe.finish(other));
            sign = java.security.Signature.getInstance("SM3withSM2", bc);
            sign.initSign(key);
            sign.update(msg);
            byte[] good = sign.sign();
            check(pe.finish(good).length > 0, "eseal accepts BC's signature");
        }
    }

    public static void main(String[] args) throws Exception {
        root = args.length > 0 ? args[0] : ".";
        testVerify();
        testClasspathLibrary();
        testOfdAndTwoPhase();
        testThirdPartyOfd();
        testSigners();
        testConcurrency();
        testBouncyCastle();
        System.out.println("EsealTest: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
