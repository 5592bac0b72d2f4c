// SM2 certificate chains and CRLs made by Bouncy Castle (X509v3CertificateBuilder, ContentSigner
// "SM3WITHSM2", X509v2CRLBuilder), with cases.json in the schema of tests/chains.rs.
//
//   java -cp CLASSES:bcprov.jar:bcpkix.jar:bcutil.jar ChainGen OUTDIR
//
// Every run makes fresh keys. Certificates are valid 2025-01-01 .. 2035-01-01 unless the case is
// about validity; the reference time of every case is 2026-06-01T00:00:00Z. CRLs are issued
// 2026-05-01 (next update 2026-07-01), except inter-later.crl.pem, issued 2026-09-02, which also
// lists a certificate revoked on 2026-09-01 (after the reference time).
// See test-vectors/chains-bc/README.md. Compile and run with test-vectors/chains-bc/gen.sh.

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.Base64;

public class ChainGen {
    static final SecureRandom RNG = new SecureRandom();
    static final Date NOT_BEFORE = date("2025-01-01T00:00:00Z");
    static final Date NOT_AFTER = date("2035-01-01T00:00:00Z");
    static final String AT = "2026-06-01T00:00:00Z";
    static long serial = 0x1000;
    static File dir;
    static JcaX509ExtensionUtils ext;

    static Date date(String s) {
        return Date.from(Instant.parse(s));
    }

    /** A CA or end entity: its key pair, name and certificate. */
    static final class Ent {
        KeyPair kp;
        X500Name name;
        X509CertificateHolder cert;
    }

    static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "BC");
        g.initialize(new ECGenParameterSpec("sm2p256v1"), RNG);
        return g.generateKeyPair();
    }

    /** BC's own SM3withSM2 content signer (default ID 1234567812345678). */
    static ContentSigner signer(PrivateKey k) throws Exception {
        return new JcaContentSignerBuilder("SM3WITHSM2").setProvider("BC").build(k);
    }

    /** A content signer that signs with BC's SM2 using the given user ID (used with the EMPTY ID). */
    static ContentSigner signerWithId(PrivateKey k, byte[] id) {
        return new ContentSigner() {
            final ByteArrayOutputStream buf = new ByteArrayOutputStream();

            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);
            }

            public OutputStream getOutputStream() {
                return buf;
            }

            public byte[] getSignature() {
                try {
                    Signature s = Signature.getInstance("SM3withSM2", "BC");
                    s.setParameter(new SM2ParameterSpec(id));
                    s.initSign(k, RNG);
                    s.update(buf.toByteArray());
                    return s.sign();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }
        };
    }

    /** Options of one certificate. */
    static final class Opt {
        Date notBefore = NOT_BEFORE;
        Date notAfter = NOT_AFTER;
        boolean ca;
        Integer pathLen;
        int keyUsage;
        ContentSigner signer; // null = issuer's default
    }

    static Ent issue(String cn, Ent issuer, Opt o) throws Exception {
        Ent e = new Ent();
        e.kp = newKey();
        e.name = new X500Name("CN=" + cn + ",O=eseal interop (Bouncy Castle),C=CN");
        X500Name issuerName = issuer == null ? e.name : issuer.name;
        PublicKey issuerPub = issuer == null ? e.kp.getPublic() : issuer.kp.getPublic();
        PrivateKey issuerKey = issuer == null ? e.kp.getPrivate() : issuer.kp.getPrivate();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(e.kp.getPublic().getEncoded());
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, BigInteger.valueOf(serial++),
            o.notBefore, o.notAfter, e.name, spki);
        BasicConstraints bc = !o.ca ? new BasicConstraints(false)
            : o.pathLen == null ? new BasicConstraints(true) : new BasicConstraints(o.pathLen);
        b.addExtension(Extension.basicConstraints, true, bc);
        b.addExtension(Extension.keyUsage, true, new KeyUsage(o.keyUsage));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(e.kp.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPub));
        e.cert = b.build(o.signer != null ? o.signer : signer(issuerKey));
        return e;
    }

    static Opt ca() {
        Opt o = new Opt();
        o.ca = true;
        o.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
        return o;
    }

    static Opt leaf() {
        Opt o = new Opt();
        o.keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
        return o;
    }

    static void pem(String file, String label, byte[] der) throws Exception {
        StringBuilder s = new StringBuilder("-----BEGIN " + label + "-----\n");
        String b = Base64.toBase64String(der);
        for (int i = 0; i < b.length(); i += 64) {
            s.append(b, i, Math.min(b.length(), i + 64)).append('\n');
        }
        s.append("-----END ").append(label).append("-----\n");
        Files.write(new File(dir, file).toPath(), s.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static void cert(String file, Ent e) throws Exception {
        pem(file, "CERTIFICATE", e.cert.getEncoded());
    }

    /** A CRL by `issuer`, listing (certificate, revocation date) pairs. */
    static void crl(String file, Ent issuer, int number, String thisUpdate, String nextUpdate,
                    Object... revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(issuer.name, date(thisUpdate));
        b.setNextUpdate(date(nextUpdate));
        for (int i = 0; i < revoked.length; i += 2) {
            Ent r = (Ent) revoked[i];
            b.addCRLEntry(r.cert.getSerialNumber(), date((String) revoked[i + 1]), CRLReason.keyCompromise);
        }
        b.addExtension(Extension.authorityKeyIdentifier, false,
            ext.createAuthorityKeyIdentifier(issuer.kp.getPublic()));
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
        X509CRLHolder h = b.build(signer(issuer.kp.getPrivate()));
        pem(file, "X509 CRL", h.getEncoded());
    }

    static final List<String> CASES = new ArrayList<>();

    static String list(String... xs) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : ", ").append('"').append(xs[i]).append('"');
        }
        return s.append(']').toString();
    }

    static void addCase(String name, String cert, String[] trust, String[] inter, String[] crls,
                        String verdict, String check, String status, String note) {
        CASES.add("    {\"name\": \"" + name + "\", \"cert\": \"" + cert + "\", \"trust\": " + list(trust)
            + ", \"intermediates\": " + list(inter) + ", \"crls\": " + list(crls)
            + ", \"at\": \"" + AT + "\", \"verdict\": \"" + verdict + "\", \"check\": "
            + (check == null ? "null" : "\"" + check + "\"") + ", \"status\": "
            + (status == null ? "null" : "\"" + status + "\"") + ", \"note\": \"" + note + "\"}");
    }

    static String[] a(String... xs) {
        return xs;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ChainGen OUTDIR");
            System.exit(2);
        }
        Security.addProvider(new BouncyCastleProvider());
        dir = new File(args[0]);
        dir.mkdirs();
        ext = new JcaX509ExtensionUtils();

        Ent root = issue("eseal BC test root", null, ca());
        Ent inter = issue("eseal BC test intermediate", root, ca());
        Ent leaf = issue("eseal BC test leaf", inter, leaf());

        Opt o = leaf();
        o.notAfter = date("2026-01-01T00:00:00Z");
        Ent expired = issue("eseal BC expired leaf", inter, o);
        o = leaf();
        o.notBefore = date("2027-01-01T00:00:00Z");
        Ent notYet = issue("eseal BC not-yet-valid leaf", inter, o);
        Ent revoked = issue("eseal BC revoked leaf", inter, leaf());
        Ent revokedLater = issue("eseal BC leaf revoked after the reference time", inter, leaf());
        o = leaf();
        o.keyUsage = KeyUsage.keyEncipherment;
        Ent keyEnc = issue("eseal BC keyEncipherment-only leaf", inter, o);

        o = ca();
        o.ca = false; // CA:FALSE, yet keyCertSign: only the basic constraint is wrong
        Ent noCa = issue("eseal BC CA-FALSE intermediate", root, o);
        Ent underNoCa = issue("eseal BC leaf under a CA-FALSE intermediate", noCa, leaf());

        o = ca();
        o.pathLen = 0;
        Ent pl0 = issue("eseal BC pathLen-0 intermediate", root, o);
        Ent sub = issue("eseal BC sub-CA below pathLen 0", pl0, ca());
        Ent underSub = issue("eseal BC leaf below the sub-CA", sub, leaf());

        Ent other = issue("eseal BC unknown root", null, ca());
        Ent unknown = issue("eseal BC leaf of an unknown issuer", other, leaf());

        o = leaf();
        o.signer = signerWithId(inter.kp.getPrivate(), new byte[0]);
        Ent emptyId = issue("eseal BC leaf signed with the empty SM2 ID", inter, o);

        cert("root.pem", root);
        cert("inter.pem", inter);
        cert("leaf.pem", leaf);
        cert("leaf-expired.pem", expired);
        cert("leaf-notyet.pem", notYet);
        cert("leaf-revoked.pem", revoked);
        cert("leaf-revoked-later.pem", revokedLater);
        cert("leaf-keyenc.pem", keyEnc);
        cert("inter-noca.pem", noCa);
        cert("leaf-under-noca.pem", underNoCa);
        cert("inter-pathlen0.pem", pl0);
        cert("inter-sub.pem", sub);
        cert("leaf-pathlen.pem", underSub);
        cert("leaf-unknown.pem", unknown);
        cert("leaf-emptyid.pem", emptyId);
        // Bad signature: the leaf with the last byte of its signature value flipped.
        byte[] bad = leaf.cert.getEncoded();
        bad[bad.length - 1] ^= 0x01;
        pem("leaf-badsig.pem", "CERTIFICATE", bad);

        String u = "2026-05-01T00:00:00Z";
        String n = "2026-07-01T00:00:00Z";
        crl("root.crl.pem", root, 1, u, n);
        crl("inter.crl.pem", inter, 1, u, n, revoked, "2026-01-15T00:00:00Z");
        crl("inter-later.crl.pem", inter, 2, "2026-09-02T00:00:00Z", "2026-12-01T00:00:00Z",
            revoked, "2026-01-15T00:00:00Z", revokedLater, "2026-09-01T00:00:00Z");
        crl("inter-noca.crl.pem", noCa, 1, u, n);
        crl("inter-pathlen0.crl.pem", pl0, 1, u, n);
        crl("inter-sub.crl.pem", sub, 1, u, n);

        String[] t = a("root.pem");
        String[] i = a("inter.pem");
        String[] c = a("root.crl.pem", "inter.crl.pem");
        addCase("valid 3-certificate chain", "leaf.pem", t, i, c, "valid", null, null,
            "root -> intermediate -> leaf, CRLs of both issuers, nothing revoked");
        addCase("expired leaf", "leaf-expired.pem", t, i, c, "invalid", "cert.validity", "fail",
            "notAfter 2026-01-01");
        addCase("not yet valid leaf", "leaf-notyet.pem", t, i, c, "invalid", "cert.validity", "fail",
            "notBefore 2027-01-01");
        addCase("revoked leaf", "leaf-revoked.pem", t, i, c, "invalid", "cert.revocation", "fail",
            "revoked 2026-01-15 in inter.crl.pem");
        addCase("leaf revoked after the reference time", "leaf-revoked-later.pem", t, i,
            a("root.crl.pem", "inter-later.crl.pem"), "valid", "cert.revocation", "warn",
            "revoked 2026-09-01 in inter-later.crl.pem (issued 2026-09-02)");
        addCase("keyEncipherment-only leaf", "leaf-keyenc.pem", t, i, c, "invalid", "cert.key_usage", "fail",
            "keyUsage = keyEncipherment: no digitalSignature or nonRepudiation");
        addCase("CA:FALSE intermediate", "leaf-under-noca.pem", t, a("inter-noca.pem"),
            a("root.crl.pem", "inter-noca.crl.pem"), "invalid", "cert.chain", "fail",
            "the issuing certificate has basicConstraints CA:FALSE (keyUsage keyCertSign)");
        addCase("pathLen 0 exceeded", "leaf-pathlen.pem", t, a("inter-pathlen0.pem", "inter-sub.pem"),
            a("root.crl.pem", "inter-pathlen0.crl.pem", "inter-sub.crl.pem"), "invalid", "cert.chain", "fail",
            "root -> intermediate (pathLen 0) -> sub-CA -> leaf");
        addCase("bad signature", "leaf-badsig.pem", t, i, c, "invalid", "cert.chain", "fail",
            "leaf.pem with the last byte of the signature flipped");
        addCase("unknown issuer", "leaf-unknown.pem", t, a(), a("root.crl.pem"), "indeterminate", "cert.chain",
            "indeterminate", "issued by a root that is not a trust anchor and not supplied");
        addCase("leaf signed with the empty SM2 ID", "leaf-emptyid.pem", t, i, c, "invalid", "cert.chain", "fail",
            "the intermediate signed it with SM2ParameterSpec(empty ID); verifiers use 1234567812345678");

        String json = "{\"generator\": \"test-vectors/chains-bc/gen.sh (test-vectors/java/ChainGen.java, "
            + new BouncyCastleProvider().getInfo() + ")\",\n \"cases\": [\n"
            + String.join(",\n", CASES) + "\n]}\n";
        Files.write(new File(dir, "cases.json").toPath(), json.getBytes(StandardCharsets.UTF_8));
    }
}
