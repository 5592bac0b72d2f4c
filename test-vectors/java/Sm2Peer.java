// SM2 signatures made and checked by Bouncy Castle (an implementation eseal does not share code
// with), for tests/interop_sm2.rs.
//
//   java -cp CLASSES:bcprov.jar:bcpkix.jar:bcutil.jar Sm2Peer gen OUTDIR
//       writes OUTDIR/vectors.json: fresh keys, BC signatures (JCA "SM3withSM2" = default ID and
//       DER; SM2ParameterSpec for other IDs; SM2Signer + PlainDSAEncoding for raw r||s), and a
//       few that must NOT verify (wrong message, empty ID checked with the default ID, tampered).
//   java ... Sm2Peer verify LIST
//       LIST has one signature per line: ENCODING PUBHEX IDHEX MSG SIGHEX (tab separated;
//       IDHEX "-" = empty; MSG is hex:HEX, pattern:LEN or file:PATH); prints one line per input:
//       true, false or skip.
//
// Compile: javac -cp /usr/share/java/bcprov.jar:/usr/share/java/bcpkix.jar:/usr/share/java/bcutil.jar -d OUT Sm2Peer.java

import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPrivateKey;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.util.encoders.Hex;

public class Sm2Peer {
    static final byte[] DEFAULT_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
    static final X9ECParameters X9 = GMNamedCurves.getByName("sm2p256v1");
    static final ECDomainParameters DOMAIN =
        new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH());
    static final SecureRandom RNG = new SecureRandom();
    static final String PEER = "bouncycastle " + new BouncyCastleProvider().getVersionStr();

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        if (args.length == 2 && args[0].equals("gen")) {
            gen(new File(args[1]));
        } else if (args.length == 2 && args[0].equals("verify")) {
            verify(new File(args[1]));
        } else {
            System.err.println("usage: Sm2Peer gen OUTDIR | verify LIST");
            System.exit(2);
        }
    }

    // ---- signing ----

    static byte[] signJca(PrivateKey k, byte[] id, byte[] msg) throws Exception {
        Signature s = Signature.getInstance("SM3withSM2", "BC");
        if (id != null) {
            s.setParameter(new SM2ParameterSpec(id));
        }
        s.initSign(k, RNG);
        s.update(msg);
        return s.sign();
    }

    static byte[] signRaw(PrivateKey k, byte[] id, byte[] msg) throws Exception {
        BigInteger d = ((BCECPrivateKey) k).getD();
        SM2Signer s = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
        s.init(true, new ParametersWithID(
            new ParametersWithRandom(new ECPrivateKeyParameters(d, DOMAIN), RNG), id));
        s.update(msg, 0, msg.length);
        return s.generateSignature();
    }

    static String pubHex(PublicKey p) {
        return Hex.toHexString(((BCECPublicKey) p).getQ().getEncoded(false));
    }

    // ---- verifying ----

    static boolean verifyOne(String enc, byte[] pub, byte[] id, byte[] msg, byte[] sig) {
        try {
            if (enc.equals("der")) {
                ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("sm2p256v1");
                PublicKey pk = KeyFactory.getInstance("EC", "BC")
                    .generatePublic(new ECPublicKeySpec(spec.getCurve().decodePoint(pub), spec));
                Signature s = Signature.getInstance("SM3withSM2", "BC");
                s.setParameter(new SM2ParameterSpec(id));
                s.initVerify(pk);
                s.update(msg);
                return s.verify(sig);
            }
            SM2Signer s = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
            s.init(false, new ParametersWithID(
                new ECPublicKeyParameters(DOMAIN.getCurve().decodePoint(pub), DOMAIN), id));
            s.update(msg, 0, msg.length);
            return s.verifySignature(sig);
        } catch (Exception e) {
            return false;
        }
    }

    static void verify(File list) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(list.toPath(), StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t");
            byte[] id = f[2].equals("-") ? new byte[0] : Hex.decode(f[2]);
            boolean ok = verifyOne(f[0], Hex.decode(f[1]), id, message(f[3]), Hex.decode(f[4]));
            out.append(ok).append('\n');
        }
        System.out.print(out);
    }

    static byte[] message(String spec) throws Exception {
        if (spec.startsWith("hex:")) {
            return Hex.decode(spec.substring(4));
        } else if (spec.startsWith("pattern:")) {
            return pattern(Integer.parseInt(spec.substring(8)));
        } else if (spec.startsWith("file:")) {
            return Files.readAllBytes(new File(spec.substring(5)).toPath());
        }
        throw new IllegalArgumentException("bad message spec " + spec);
    }

    /** The manifest's msg_pattern_len message: byte i is i % 251. */
    static byte[] pattern(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    // ---- generating the manifest ----

    static final List<String> VECTORS = new ArrayList<>();

    static void add(String comment, String pub, byte[] id, byte[] msg, Integer patternLen,
                    byte[] sig, String enc, boolean valid) {
        StringBuilder v = new StringBuilder("    {");
        v.append("\"peer\": \"").append(PEER).append("\", ");
        v.append("\"comment\": \"").append(comment).append("\", ");
        v.append("\"public_key_hex\": \"").append(pub).append("\", ");
        v.append("\"id_hex\": \"").append(Hex.toHexString(id)).append("\", ");
        if (patternLen != null) {
            v.append("\"msg_pattern_len\": ").append(patternLen).append(", ");
        } else {
            v.append("\"msg_hex\": \"").append(Hex.toHexString(msg)).append("\", ");
        }
        v.append("\"sig_hex\": \"").append(Hex.toHexString(sig)).append("\", ");
        v.append("\"encoding\": \"").append(enc).append("\", ");
        v.append("\"valid\": ").append(valid).append("}");
        VECTORS.add(v.toString());
    }

    static void gen(File dir) throws Exception {
        dir.mkdirs();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "BC");
        g.initialize(new ECGenParameterSpec("sm2p256v1"), RNG);
        byte[] random = new byte[1000];
        RNG.nextBytes(random);
        byte[][] msgs = {new byte[0], "abc".getBytes(StandardCharsets.US_ASCII),
            "message digest".getBytes(StandardCharsets.US_ASCII), random};
        String[] names = {"empty message", "abc", "message digest", "1000 random bytes"};
        int big = 1 << 20;
        byte[] bigMsg = pattern(big);
        byte[] alice = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
        byte[] binId = Hex.decode("000102030405060708090a0b0c0d0e0f80ff");

        for (int n = 0; n < 2; n++) {
            KeyPair kp = g.generateKeyPair();
            String pub = pubHex(kp.getPublic());
            String key = "key " + (n + 1) + ": ";
            for (int i = 0; i < msgs.length; i++) {
                add(key + "SM3withSM2 (JCA, default ID, DER), " + names[i], pub, DEFAULT_ID,
                    msgs[i], null, signJca(kp.getPrivate(), null, msgs[i]), "der", true);
                add(key + "SM2Signer + PlainDSAEncoding (default ID, raw r||s), " + names[i], pub,
                    DEFAULT_ID, msgs[i], null, signRaw(kp.getPrivate(), DEFAULT_ID, msgs[i]), "raw",
                    true);
            }
            add(key + "SM3withSM2 (JCA, default ID, DER), 1 MiB pattern", pub, DEFAULT_ID, null, big,
                signJca(kp.getPrivate(), null, bigMsg), "der", true);
            add(key + "SM3withSM2 + SM2ParameterSpec(ALICE123@YAHOO.COM), DER", pub, alice,
                msgs[2], null, signJca(kp.getPrivate(), alice, msgs[2]), "der", true);
            add(key + "SM3withSM2 + explicit SM2ParameterSpec(1234567812345678), DER", pub,
                DEFAULT_ID, msgs[1], null, signJca(kp.getPrivate(), DEFAULT_ID, msgs[1]), "der", true);
            add(key + "SM2Signer, binary 18-byte ID, raw", pub, binId, msgs[1], null,
                signRaw(kp.getPrivate(), binId, msgs[1]), "raw", true);
            byte[] empty = signJca(kp.getPrivate(), new byte[0], msgs[1]);
            add(key + "SM2ParameterSpec(empty ID), checked with the empty ID", pub, new byte[0],
                msgs[1], null, empty, "der", true);
            add(key + "INVALID: signed with the EMPTY ID, checked with the default ID", pub,
                DEFAULT_ID, msgs[1], null, empty, "der", false);
            add(key + "INVALID: ALICE123@YAHOO.COM signature checked with the default ID", pub,
                DEFAULT_ID, msgs[2], null, signJca(kp.getPrivate(), alice, msgs[2]), "der", false);
            add(key + "INVALID: signature over abc checked against abd", pub, DEFAULT_ID,
                "abd".getBytes(StandardCharsets.US_ASCII), null,
                signJca(kp.getPrivate(), null, msgs[1]), "der", false);
            byte[] raw = signRaw(kp.getPrivate(), DEFAULT_ID, msgs[1]);
            raw[63] ^= 0x01;
            add(key + "INVALID: raw signature with the last bit of s flipped", pub, DEFAULT_ID,
                msgs[1], null, raw, "raw", false);
        }
        StringBuilder json = new StringBuilder("{\"generator\": \"test-vectors/java/Sm2Peer.java gen\",\n"
            + " \"vectors\": [\n");
        json.append(String.join(",\n", VECTORS)).append("\n]}\n");
        Files.write(new File(dir, "vectors.json").toPath(), json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
