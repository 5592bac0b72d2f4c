// Independent CMS SignedData producer for OFD Type="Sign" signatures (Bouncy Castle 1.72,
// SM3withSM2 with the default user ID, as GM/T 0010 / GB/T 35275 prescribe).
//
// usage: java -cp bcprov.jar:bcpkix.jar:bcutil.jar:. BcOfdCms DATA CERT.pem KEY.pem MODE OUT
//   MODE detached: no eContent; signed attributes with messageDigest = SM3(DATA)
//   MODE attached: eContent = SM3(DATA) (32 bytes), signed attributes over it
// Run by tests/ofd_cms.rs (which compiles this file with javac into a temporary folder).
import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

public class BcOfdCms {
    public static void main(String[] a) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        byte[] data = Files.readAllBytes(Paths.get(a[0]));
        X509CertificateHolder holder = (X509CertificateHolder) new PEMParser(new FileReader(a[1])).readObject();
        X509Certificate cert = new JcaX509CertificateConverter().setProvider("BC").getCertificate(holder);
        Object k = new PEMParser(new FileReader(a[2])).readObject();
        PrivateKey key = k instanceof PEMKeyPair
            ? new JcaPEMKeyConverter().setProvider("BC").getKeyPair((PEMKeyPair) k).getPrivate()
            : new JcaPEMKeyConverter().setProvider("BC").getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) k);
        ContentSigner signer = new JcaContentSignerBuilder("SM3withSM2").setProvider("BC").build(key);
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
            new JcaDigestCalculatorProviderBuilder().setProvider("BC").build()).build(signer, cert));
        gen.addCertificates(new JcaCertStore(java.util.Collections.singletonList(cert)));
        CMSSignedData sd;
        if (a[3].equals("attached")) {
            byte[] digest = MessageDigest.getInstance("SM3", "BC").digest(data);
            sd = gen.generate(new CMSProcessableByteArray(digest), true);
        } else {
            sd = gen.generate(new CMSProcessableByteArray(data), false);
        }
        Files.write(Paths.get(a[4]), sd.getEncoded("DER"));
    }
}
