// GB/T 38540-2020 (version 4) seals and signatures made and checked with Bouncy Castle's ASN.1
// (org.bouncycastle.asn1.*) and SM2, independently of eseal. See test-vectors/java/README.md.
//
//   make-cert  --out-key K.pem --out-cert C.pem --cn NAME [--ca] [--issuer-key K --issuer-cert C]
//   make-seal  --maker-key K.pem --maker-cert C.pem --signer-cert S.pem [--signer-cert ...]
//              --picture FILE [--picture-type PNG] [--esid ID] [--name NAME] [--type N]
//              [--vid V] [--width MM] [--height MM] [--create T] [--valid-start T] [--valid-end T]
//              [--cert-list-type 1|2] --out seal.der
//   sign       --seal seal.der --signer-key K.pem --signer-cert C.pem --data FILE
//              [--property /Doc_0/Signs/Sign_0/Signature.xml] [--time T] --out sig.der
//   check-seal seal.der [--picture-out FILE]
//   check-sig  sig.der [--data FILE] [--picture-out FILE]
//   batch      FILE   (one command per line, tab-separated arguments, all in one JVM; prints
//              "RESULT <status>" before each command's output)
//
// Times T are GeneralizedTime strings such as 20260601000000Z. SM2 signatures use BC's
// "SM3withSM2" (user ID 1234567812345678) and are written as DER SEQUENCE { r, s } in the BIT
// STRING; when checking, a raw 64-byte r||s is accepted too. Checking verifies over the raw bytes
// of SES_SealInfo / TBS_Sign as they are in the file (never re-encoded), prints the fields as JSON
// and exits 0 only if every check passed.

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileReader;
import java.io.FileWriter;
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
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.util.encoders.Hex;

public class SesTool {
    static final byte[] DEFAULT_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
    static final ASN1ObjectIdentifier SM2_SM3 = GMObjectIdentifiers.sm2sign_with_sm3; // 1.2.156.10197.1.501
    static final SecureRandom RNG = new SecureRandom();

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        if (args.length == 2 && args[0].equals("batch")) {
            batch(args[1]);
            return;
        }
        System.exit(run(args));
    }

    /** One command; returns the exit status (0 = done / every check passed, 1 = a check failed). */
    static int run(String[] args) throws Exception {
        if (args.length < 1) {
            return usage();
        }
        Map<String, List<String>> o = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "make-cert": makeCert(o); return 0;
            case "make-seal": makeSeal(o); return 0;
            case "sign": sign(o); return 0;
            case "check-seal": return checkSeal(o) ? 0 : 1;
            case "check-sig": return checkSig(o) ? 0 : 1;
            default: return usage();
        }
    }

    /**
     * Runs many commands in one JVM: FILE has one command per line, arguments separated by tabs.
     * For each it prints "RESULT <status>" and then that command's output (status 3 = exception,
     * its message follows).
     */
    static void batch(String file) throws Exception {
        java.io.PrintStream stdout = System.out;
        for (String line : Files.readAllLines(new File(file).toPath(), StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
            int rc;
            try {
                rc = run(line.split("\t"));
            } catch (Exception e) {
                rc = 3;
                System.out.println(e);
            } finally {
                System.setOut(stdout);
            }
            stdout.println("RESULT " + rc);
            stdout.print(buf.toString(StandardCharsets.UTF_8));
        }
    }

    static int usage() {
        System.err.println("usage: SesTool make-cert|make-seal|sign|check-seal|check-sig ... | batch FILE (see the source header)");
        return 2;
    }

    /** --key value pairs (repeatable); a bare argument is stored under "". */
    static Map<String, List<String>> options(String[] a) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            if (a[i].startsWith("--")) {
                boolean flag = i + 1 >= a.length || a[i + 1].startsWith("--");
                m.computeIfAbsent(a[i].substring(2), k -> new ArrayList<>()).add(flag ? "" : a[++i]);
            } else {
                m.computeIfAbsent("", k -> new ArrayList<>()).add(a[i]);
            }
        }
        return m;
    }

    static String opt(Map<String, List<String>> o, String k, String dflt) {
        List<String> v = o.get(k);
        if (v == null || v.isEmpty()) {
            if (dflt == null) {
                throw new IllegalArgumentException("missing --" + k);
            }
            return dflt;
        }
        return v.get(0);
    }

    // ------------------------------------------------------------------ PEM and keys

    static Object readPem(String path) throws Exception {
        try (PEMParser p = new PEMParser(new FileReader(path))) {
            Object x = p.readObject();
            if (x == null) {
                throw new IllegalArgumentException(path + ": no PEM object");
            }
            return x;
        }
    }

    static PrivateKey readKey(String path) throws Exception {
        Object x = readPem(path);
        JcaPEMKeyConverter c = new JcaPEMKeyConverter().setProvider("BC");
        if (x instanceof PEMKeyPair) {
            return c.getKeyPair((PEMKeyPair) x).getPrivate();
        }
        if (x instanceof PrivateKeyInfo) {
            return c.getPrivateKey((PrivateKeyInfo) x);
        }
        throw new IllegalArgumentException(path + ": not a private key (" + x.getClass().getSimpleName() + ")");
    }

    static X509CertificateHolder readCert(String path) throws Exception {
        Object x = readPem(path);
        if (!(x instanceof X509CertificateHolder)) {
            throw new IllegalArgumentException(path + ": not a certificate");
        }
        return (X509CertificateHolder) x;
    }

    static void writePem(String path, Object o) throws Exception {
        try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(path))) {
            w.writeObject(o);
        }
    }

    static void makeCert(Map<String, List<String>> o) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "BC");
        g.initialize(new ECGenParameterSpec("sm2p256v1"), RNG);
        KeyPair kp = g.generateKeyPair();
        X500Name subject = new X500Name("CN=" + opt(o, "cn", null) + ",O=eseal SesTool,C=CN");
        X500Name issuer = subject;
        PrivateKey issuerKey = kp.getPrivate();
        if (o.containsKey("issuer-cert")) {
            issuer = readCert(opt(o, "issuer-cert", null)).getSubject();
            issuerKey = readKey(opt(o, "issuer-key", null));
        }
        boolean ca = o.containsKey("ca");
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, new BigInteger(64, RNG).setBit(63),
            Date.from(Instant.parse("2025-01-01T00:00:00Z")), Date.from(Instant.parse("2035-01-01T00:00:00Z")),
            subject, SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
            | KeyUsage.digitalSignature : KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        X509CertificateHolder cert = b.build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider("BC").build(issuerKey));
        writePem(opt(o, "out-key", null), kp.getPrivate());
        writePem(opt(o, "out-cert", null), cert);
    }

    // ------------------------------------------------------------------ SM2

    static byte[] sm2Sign(PrivateKey k, byte[] data) throws Exception {
        Signature s = Signature.getInstance("SM3withSM2", "BC");
        s.initSign(k, RNG);
        s.update(data);
        return s.sign();
    }

    /** Verifies over `data` with the default ID; DER or raw 64-byte r||s. */
    static boolean sm2Verify(X509CertificateHolder cert, byte[] data, byte[] sig) {
        try {
            if (sig.length == 64 && sig[0] != 0x30) {
                SM2Signer v = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
                v.init(false, new ParametersWithID(PublicKeyFactory.createKey(cert.getSubjectPublicKeyInfo()), DEFAULT_ID));
                v.update(data, 0, data.length);
                return v.verifySignature(sig);
            }
            PublicKey pk = new JcaX509CertificateConverter().setProvider("BC").getCertificate(cert).getPublicKey();
            Signature s = Signature.getInstance("SM3withSM2", "BC");
            s.initVerify(pk);
            s.update(data);
            return s.verify(sig);
        } catch (Exception e) {
            return false;
        }
    }

    static byte[] sm3(byte[] data) {
        SM3Digest d = new SM3Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    // ------------------------------------------------------------------ DER helpers

    static byte[] der(ASN1Encodable e) throws Exception {
        return e.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = b.length;
        if (n < 128) {
            out.write(n);
        } else {
            int len = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | len);
            for (int i = len - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** The raw TLVs inside a constructed element (definite lengths), exactly as encoded. */
    static List<byte[]> children(byte[] tlv) {
        int[] h = header(tlv, 0);
        List<byte[]> out = new ArrayList<>();
        int p = h[0];
        int end = h[0] + h[1];
        if (end != tlv.length) {
            throw new IllegalArgumentException("trailing bytes after the element");
        }
        while (p < end) {
            int[] c = header(tlv, p);
            int stop = c[0] + c[1];
            if (stop > end) {
                throw new IllegalArgumentException("element overruns its parent");
            }
            out.add(Arrays.copyOfRange(tlv, p, stop));
            p = stop;
        }
        return out;
    }

    /** {offset of the content, content length} of the TLV at `p`. */
    static int[] header(byte[] b, int p) {
        if (p + 2 > b.length) {
            throw new IllegalArgumentException("truncated");
        }
        int len = b[p + 1] & 0xff;
        int q = p + 2;
        if (len >= 0x80) {
            int k = len & 0x7f;
            if (k == 0 || k > 4 || q + k > b.length) {
                throw new IllegalArgumentException("bad length");
            }
            len = 0;
            for (int i = 0; i < k; i++) {
                len = (len << 8) | (b[q + i] & 0xff);
            }
            q += k;
        }
        if (len < 0 || q + len > b.length) {
            throw new IllegalArgumentException("length past the end");
        }
        return new int[] {q, len};
    }

    // ------------------------------------------------------------------ making

    static ASN1GeneralizedTime time(String t) {
        return new DERGeneralizedTime(t);
    }

    static void makeSeal(Map<String, List<String>> o) throws Exception {
        X509CertificateHolder makerCert = readCert(opt(o, "maker-cert", null));
        PrivateKey makerKey = readKey(opt(o, "maker-key", null));
        // certListType 1: CertInfoList (the certificates); 2: CertDigestList (SM3 of each).
        long certListType = Long.parseLong(opt(o, "cert-list-type", "1"));
        if (certListType != 1 && certListType != 2) {
            throw new IllegalArgumentException("--cert-list-type must be 1 or 2");
        }
        ASN1EncodableVector certs = new ASN1EncodableVector();
        for (String s : o.getOrDefault("signer-cert", List.of())) {
            byte[] c = readCert(s).getEncoded();
            certs.add(certListType == 1 ? new DEROctetString(c)
                : new DERSequence(new ASN1Encodable[] {new DERPrintableString("SM3"), new DEROctetString(sm3(c))}));
        }
        if (certs.size() == 0) {
            throw new IllegalArgumentException("at least one --signer-cert");
        }
        ASN1EncodableVector header = new ASN1EncodableVector();
        header.add(new DERIA5String("ES"));
        header.add(new ASN1Integer(4));
        header.add(new DERIA5String(opt(o, "vid", "BC-SesTool")));
        ASN1EncodableVector prop = new ASN1EncodableVector();
        prop.add(new ASN1Integer(Long.parseLong(opt(o, "type", "1"))));
        prop.add(new DERUTF8String(opt(o, "name", "BC SesTool test seal")));
        prop.add(new ASN1Integer(certListType));
        prop.add(new DERSequence(certs));
        prop.add(time(opt(o, "create", "20260101000000Z")));
        prop.add(time(opt(o, "valid-start", "20260101000000Z")));
        prop.add(time(opt(o, "valid-end", "20310101000000Z")));
        ASN1EncodableVector pic = new ASN1EncodableVector();
        pic.add(new DERIA5String(opt(o, "picture-type", "PNG")));
        pic.add(new DEROctetString(Files.readAllBytes(new File(opt(o, "picture", null)).toPath())));
        pic.add(new ASN1Integer(Long.parseLong(opt(o, "width", "40"))));
        pic.add(new ASN1Integer(Long.parseLong(opt(o, "height", "40"))));
        ASN1EncodableVector info = new ASN1EncodableVector();
        info.add(new DERSequence(header));
        info.add(new DERIA5String(opt(o, "esid", "BC-SESTOOL-0001")));
        info.add(new DERSequence(prop));
        info.add(new DERSequence(pic));
        byte[] sealInfo = der(new DERSequence(info));
        byte[] sig = sm2Sign(makerKey, sealInfo);
        byte[] seal = tlv(0x30, sealInfo, der(new DEROctetString(makerCert.getEncoded())), der(SM2_SM3),
            der(new DERBitString(sig)));
        Files.write(new File(opt(o, "out", null)).toPath(), seal);
    }

    static void sign(Map<String, List<String>> o) throws Exception {
        byte[] seal = Files.readAllBytes(new File(opt(o, "seal", null)).toPath());
        children(seal); // must be one well-formed element
        X509CertificateHolder cert = readCert(opt(o, "signer-cert", null));
        PrivateKey key = readKey(opt(o, "signer-key", null));
        byte[] data = Files.readAllBytes(new File(opt(o, "data", null)).toPath());
        // TBS_Sign built around the seal's own bytes (never re-encoded).
        byte[] tbs = tlv(0x30, der(new ASN1Integer(4)), seal, der(time(opt(o, "time", "20260601000000Z"))),
            der(new DERBitString(sm3(data))),
            der(new DERIA5String(opt(o, "property", "/Doc_0/Signs/Sign_0/Signature.xml"))));
        byte[] sig = sm2Sign(key, tbs);
        byte[] out = tlv(0x30, tbs, der(new DEROctetString(cert.getEncoded())), der(SM2_SM3), der(new DERBitString(sig)));
        Files.write(new File(opt(o, "out", null)).toPath(), out);
    }

    // ------------------------------------------------------------------ checking

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String str(ASN1Encodable e) {
        return ((ASN1String) e).getString();
    }

    static String timeStr(ASN1Encodable e) throws Exception {
        return new String(((ASN1GeneralizedTime) e).getEncoded(ASN1Encoding.DER), 2,
            ((ASN1GeneralizedTime) e).getEncoded(ASN1Encoding.DER).length - 2, StandardCharsets.US_ASCII);
    }

    static byte[] bits(byte[] tlv) throws Exception {
        return ((ASN1BitString) ASN1Primitive.fromByteArray(tlv)).getOctets();
    }

    /** Checks a v4 SESeal; appends its JSON object to `json`; true when the maker signature verifies. */
    static boolean sealJson(byte[] seal, StringBuilder json, String pictureOut, List<byte[]> certList,
                            List<byte[]> digestList) throws Exception {
        List<byte[]> top = children(seal);
        if (top.size() < 4) {
            throw new IllegalArgumentException("not a v4/v5 SESeal: " + top.size() + " elements");
        }
        byte[] sealInfoRaw = top.get(0);
        ASN1Sequence info = ASN1Sequence.getInstance(sealInfoRaw);
        ASN1Sequence header = ASN1Sequence.getInstance(info.getObjectAt(0));
        ASN1Sequence prop = ASN1Sequence.getInstance(info.getObjectAt(2));
        ASN1Sequence pic = ASN1Sequence.getInstance(info.getObjectAt(3));
        byte[] makerRaw = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(top.get(1))).getOctets();
        X509CertificateHolder maker = new X509CertificateHolder(makerRaw);
        String alg = ASN1ObjectIdentifier.getInstance(ASN1Primitive.fromByteArray(top.get(2))).getId();
        boolean ok = sm2Verify(maker, sealInfoRaw, bits(top.get(3)));
        long certListType = ASN1Integer.getInstance(prop.getObjectAt(2)).longValueExact();
        ASN1Sequence list = ASN1Sequence.getInstance(prop.getObjectAt(3));
        // cert_list: type 1 → {"sm3": SM3 of each certificate}; type 2 → each {type, value} as written.
        StringBuilder listJson = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                listJson.append(", ");
            }
            if (certListType == 1) {
                byte[] c = ASN1OctetString.getInstance(list.getObjectAt(i)).getOctets();
                certList.add(c);
                listJson.append("{\"sm3\": ").append(q(Hex.toHexString(sm3(c)))).append("}");
            } else if (certListType == 2) {
                ASN1Sequence d = ASN1Sequence.getInstance(list.getObjectAt(i));
                byte[] v = ASN1OctetString.getInstance(d.getObjectAt(1)).getOctets();
                digestList.add(v);
                listJson.append("{\"type\": ").append(q(str(d.getObjectAt(0))))
                    .append(", \"value\": ").append(q(Hex.toHexString(v))).append("}");
            }
        }
        listJson.append("]");
        byte[] picture = ASN1OctetString.getInstance(pic.getObjectAt(1)).getOctets();
        if (pictureOut != null) {
            Files.write(new File(pictureOut).toPath(), picture);
        }
        json.append("{\"version\": ").append(ASN1Integer.getInstance(header.getObjectAt(1)).getValue())
            .append(", \"header_id\": ").append(q(str(header.getObjectAt(0))))
            .append(", \"vid\": ").append(q(str(header.getObjectAt(2))))
            .append(", \"es_id\": ").append(q(str(info.getObjectAt(1))))
            .append(", \"type\": ").append(ASN1Integer.getInstance(prop.getObjectAt(0)).getValue())
            .append(", \"name\": ").append(q(str(prop.getObjectAt(1))))
            .append(", \"cert_list_type\": ").append(certListType)
            .append(", \"cert_list_len\": ").append(list.size())
            .append(", \"cert_list\": ").append(listJson)
            .append(", \"create_date\": ").append(q(timeStr(prop.getObjectAt(4))))
            .append(", \"valid_start\": ").append(q(timeStr(prop.getObjectAt(5))))
            .append(", \"valid_end\": ").append(q(timeStr(prop.getObjectAt(6))))
            .append(", \"picture_type\": ").append(q(str(pic.getObjectAt(0))))
            .append(", \"picture_len\": ").append(picture.length)
            .append(", \"picture_sm3\": ").append(q(Hex.toHexString(sm3(picture))))
            .append(", \"width\": ").append(ASN1Integer.getInstance(pic.getObjectAt(2)).getValue())
            .append(", \"height\": ").append(ASN1Integer.getInstance(pic.getObjectAt(3)).getValue())
            .append(", \"ext_datas\": ").append(info.size() > 4)
            .append(", \"maker\": ").append(q(maker.getSubject().toString()))
            .append(", \"maker_cert_sm3\": ").append(q(Hex.toHexString(sm3(makerRaw))))
            .append(", \"sign_alg\": ").append(q(alg))
            .append(", \"seal_signature\": ").append(q(ok ? "pass" : "fail"))
            .append("}");
        return ok && alg.equals(SM2_SM3.getId());
    }

    static boolean checkSeal(Map<String, List<String>> o) throws Exception {
        byte[] seal = Files.readAllBytes(new File(opt(o, "", null)).toPath());
        StringBuilder json = new StringBuilder();
        boolean ok = sealJson(seal, json, o.containsKey("picture-out") ? opt(o, "picture-out", null) : null,
            new ArrayList<>(), new ArrayList<>());
        System.out.println(json);
        return ok;
    }

    static boolean checkSig(Map<String, List<String>> o) throws Exception {
        byte[] ses = Files.readAllBytes(new File(opt(o, "", null)).toPath());
        List<byte[]> top = children(ses);
        if (top.size() < 4) {
            throw new IllegalArgumentException("not a v4/v5 SES_Signature");
        }
        byte[] tbsRaw = top.get(0);
        List<byte[]> tbs = children(tbsRaw);
        byte[] signerRaw = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(top.get(1))).getOctets();
        X509CertificateHolder signer = new X509CertificateHolder(signerRaw);
        String alg = ASN1ObjectIdentifier.getInstance(ASN1Primitive.fromByteArray(top.get(2))).getId();
        boolean sigOk = sm2Verify(signer, tbsRaw, bits(top.get(3)));
        StringBuilder seal = new StringBuilder();
        List<byte[]> certList = new ArrayList<>();
        List<byte[]> digestList = new ArrayList<>();
        boolean sealOk = sealJson(tbs.get(1), seal, o.containsKey("picture-out") ? opt(o, "picture-out", null) : null,
            certList, digestList);
        boolean inSeal = false;
        for (byte[] c : certList) {
            inSeal |= Arrays.equals(c, signerRaw);
        }
        for (byte[] d : digestList) {
            inSeal |= Arrays.equals(d, sm3(signerRaw));
        }
        byte[] dataHash = bits(tbs.get(3));
        String hashStatus = "skip";
        if (o.containsKey("data")) {
            byte[] data = Files.readAllBytes(new File(opt(o, "data", null)).toPath());
            hashStatus = Arrays.equals(sm3(data), dataHash) ? "pass" : "fail";
        }
        boolean ext = tbs.size() > 5 && (tbs.get(5)[0] & 0xff) == 0xa0;
        boolean ts = top.size() > 4;
        StringBuilder json = new StringBuilder();
        json.append("{\"version\": ").append(ASN1Integer.getInstance(ASN1Primitive.fromByteArray(tbs.get(0))).getValue())
            .append(", \"time_info\": ").append(q(timeStr(ASN1Primitive.fromByteArray(tbs.get(2)))))
            .append(", \"data_hash\": ").append(q(Hex.toHexString(dataHash)))
            .append(", \"property_info\": ").append(q(str(ASN1Primitive.fromByteArray(tbs.get(4)))))
            .append(", \"ext_datas\": ").append(ext)
            .append(", \"timestamp\": ").append(ts)
            .append(", \"signer\": ").append(q(signer.getSubject().toString()))
            .append(", \"signer_cert_sm3\": ").append(q(Hex.toHexString(sm3(signerRaw))))
            .append(", \"sign_alg\": ").append(q(alg))
            .append(", \"signature\": ").append(q(sigOk ? "pass" : "fail"))
            .append(", \"signer_in_seal\": ").append(q(inSeal ? "pass" : "fail"))
            .append(", \"data_hash_check\": ").append(q(hashStatus))
            .append(", \"seal\": ").append(seal)
            .append("}");
        System.out.println(json);
        return sigOk && sealOk && inSeal && !hashStatus.equals("fail") && alg.equals(SM2_SM3.getId());
    }
}
