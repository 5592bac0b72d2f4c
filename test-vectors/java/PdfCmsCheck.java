// Independent check of CMS-sealed PDFs with Bouncy Castle (no eseal code): for the LAST
// signature of each PDF given, read /ByteRange [a b c d], take the /Contents hex string between
// the two ranges, parse it as a CMS SignedData (PKCS #7 OIDs), and verify its first SignerInfo
// with BC over the ByteRange bytes as detached content: messageDigest = SM3(ByteRange bytes) and
// the SM3withSM2 signature (default user ID) over the DER signed attributes, with the signer
// certificate carried in the CMS.
//
// Usage: java -cp CLASSES:bcprov.jar:bcpkix.jar:bcutil.jar PdfCmsCheck FILE.pdf...
// Prints "OK <file> <subject>" or "FAIL <file> <reason>" per file; exit 0 only if all are OK.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.Security;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.Store;

public class PdfCmsCheck {
    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        boolean all = true;
        for (String f : args) {
            try {
                System.out.println("OK " + f + " " + check(Files.readAllBytes(Paths.get(f))));
            } catch (Exception e) {
                all = false;
                System.out.println("FAIL " + f + " " + e);
            }
        }
        System.exit(all ? 0 : 1);
    }

    static String check(byte[] pdf) throws Exception {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("/ByteRange\\s*\\[\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*\\]").matcher(text);
        long[] br = null;
        while (m.find()) {
            br = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                             Long.parseLong(m.group(3)), Long.parseLong(m.group(4))};
        }
        if (br == null) throw new Exception("no /ByteRange");
        if (br[0] != 0 || br[0] + br[1] > br[2] || br[2] + br[3] > pdf.length) throw new Exception("bad /ByteRange");
        byte[] signed = new byte[(int) (br[1] + br[3])];
        System.arraycopy(pdf, 0, signed, 0, (int) br[1]);
        System.arraycopy(pdf, (int) br[2], signed, (int) br[1], (int) br[3]);
        String gap = text.substring((int) br[1], (int) br[2]).trim();
        if (!gap.startsWith("<") || !gap.endsWith(">")) throw new Exception("/Contents is not a hex string");
        String hex = gap.substring(1, gap.length() - 1).replaceAll("\\s", "");
        byte[] der = new byte[hex.length() / 2];
        for (int i = 0; i < der.length; i++) der[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        // The reserved space is zero-padded after the DER: read the first object only.
        ContentInfo ci;
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            ci = ContentInfo.getInstance(in.readObject());
        }
        CMSSignedData sd = new CMSSignedData(new CMSProcessableByteArray(signed), ci);
        SignerInformation si = sd.getSignerInfos().getSigners().iterator().next();
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certs = sd.getCertificates();
        X509CertificateHolder cert = (X509CertificateHolder) certs.getMatches(si.getSID()).iterator().next();
        if (!si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(cert))) {
            throw new Exception("signature does not verify");
        }
        return cert.getSubject().toString();
    }
}
