// Makes PKCS#12 files and an encrypted PKCS#8 with Bouncy Castle (used by gen.sh).
// Usage: java BcP12 <key.der (PKCS#8 SM2)> <out-dir> <password>
// Writes bc.p12 (BC "PKCS12" keystore: BER indefinite lengths, SHA-1 MAC, 3DES key bag, RC2-40
// cert bag) with the key, its leaf certificate and a CA certificate, both signed SM3withSM2,
// and bc-pkcs8-aes256.pem (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC).
import java.io.*;
import java.math.BigInteger;
import java.nio.file.*;
import java.security.*;
import java.security.cert.X509Certificate;
import java.security.spec.*;
import java.util.Date;
import org.bouncycastle.asn1.*;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.*;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.*;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

public class BcP12 {
    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        byte[] der = Files.readAllBytes(Paths.get(args[0]));
        Path out = Paths.get(args[1]);
        char[] pw = args[2].toCharArray();

        KeyFactory kf = KeyFactory.getInstance("EC", "BC");
        PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(der));
        ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("sm2p256v1");
        BigInteger d = ((java.security.interfaces.ECPrivateKey) priv).getS();
        PublicKey pub = kf.generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(spec.getG().multiply(d).normalize(), spec));

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "BC");
        g.initialize(new ECGenParameterSpec("sm2p256v1"));
        KeyPair ca = g.generateKeyPair();

        Date from = new Date(System.currentTimeMillis() - 86400000L);
        Date to = new Date(System.currentTimeMillis() + 3650L * 86400000L);
        X500Name caName = new X500Name("CN=eseal BC test CA");
        X500Name leafName = new X500Name("CN=eseal BC test leaf");
        ContentSigner caSigner = new JcaContentSignerBuilder("SM3withSM2").setProvider("BC").build(ca.getPrivate());
        X509Certificate caCert = new JcaX509CertificateConverter().setProvider("BC").getCertificate(
            new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName, ca.getPublic()).build(caSigner));
        X509Certificate leaf = new JcaX509CertificateConverter().setProvider("BC").getCertificate(
            new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, to, leafName, pub).build(caSigner));

        KeyStore ks = KeyStore.getInstance("PKCS12", "BC");
        ks.load(null, null);
        ks.setKeyEntry("private", priv, pw, new java.security.cert.Certificate[] {leaf, caCert});
        try (OutputStream os = Files.newOutputStream(out.resolve("bc.p12"))) {
            ks.store(os, pw);
        }

        // BC 1.72 has no PBKDF2 PRF HMAC-SM3 ("no prf for algorithm: 1.2.156.10197.1.401.2") and
        // cannot use SM4 in PBES2 ("invalid keyLength value"): AES-256 + HMAC-SHA256 it is.
        OutputEncryptor enc = new JcePKCSPBEOutputEncryptorBuilder(
                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC)
            .setProvider("BC")
            .setPRF(new AlgorithmIdentifier(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
            .setIterationCount(2048)
            .build(pw);
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(out.resolve("bc-pkcs8-aes256.pem")))) {
            w.writeObject(new JcaPKCS8Generator(priv, enc));
        }
    }

}
