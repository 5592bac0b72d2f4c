// PDFBox 2 + Bouncy Castle side of the third-party PDF corpus (see gen.sh and README.md).
//
//   java PdfBoxSm2 PLAIN.pdf SEALED.pdf OUTDIR
//
// Makes an SM2 key and a self-signed certificate (BC, sm2p256v1, SM3withSM2, default user ID),
// writes OUTDIR/pdfbox-sm2.pem, and with PDFBox's incremental signing writes a CMS SignedData
// (adbe.pkcs7.detached, SM3 digest, SM3withSM2) signature:
//   OUTDIR/pdfbox_signed.pdf        PLAIN signed by PDFBox
//   OUTDIR/sm2-ber.pdf              PLAIN signed by PDFBox, CMS in BC's default BER encoding
//   OUTDIR/eseal_then_pdfbox.pdf    SEALED (eseal) countersigned by PDFBox
//   OUTDIR/eseal_then_pdfbox_page_changed.pdf   SEALED with text appended to page 1 by PDFBox
import java.io.*;
import java.math.BigInteger;
import java.security.*;
import java.security.spec.ECGenParameterSpec;
import java.util.*;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.*;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.*;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.*;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.*;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.*;

public class PdfBoxSm2 {
    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", "BC");
        kpg.initialize(new ECGenParameterSpec("sm2p256v1"));
        KeyPair kp = kpg.generateKeyPair();
        X500Name name = new X500Name("CN=PDFBox SM2 Signer,O=eseal third-party corpus,C=CN");
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
            BigInteger.valueOf(now), new Date(now - 86400000L), new Date(now + 3650L * 86400000L),
            name, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyCertSign));
        X509CertificateHolder cert = b.build(signer(kp));
        try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(new File(args[2], "pdfbox-sm2.pem")))) {
            w.writeObject(cert);
        }
        sign(new File(args[0]), new File(args[2], "pdfbox_signed.pdf"), kp, cert, false);
        sign(new File(args[0]), new File(args[2], "sm2-ber.pdf"), kp, cert, true);
        sign(new File(args[1]), new File(args[2], "eseal_then_pdfbox.pdf"), kp, cert, false);
        changePage(new File(args[1]), new File(args[2], "eseal_then_pdfbox_page_changed.pdf"));
    }

    static ContentSigner signer(KeyPair kp) throws Exception {
        return new JcaContentSignerBuilder("SM3withSM2").setProvider("BC").build(kp.getPrivate());
    }

    static void sign(File in, File out, KeyPair kp, X509CertificateHolder cert, boolean ber)
            throws Exception {
        try (PDDocument doc = PDDocument.load(in)) {
            PDSignature sig = new PDSignature();
            sig.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            sig.setSubFilter(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
            sig.setName("PDFBox SM2 Signer");
            sig.setReason("third-party corpus");
            sig.setSignDate(Calendar.getInstance());
            SignatureOptions opts = new SignatureOptions();
            opts.setPreferredSignatureSize(8192);
            doc.addSignature(sig, content -> {
                try {
                    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
                    gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().setProvider("BC").build())
                        .build(signer(kp), cert));
                    gen.addCertificate(cert);
                    CMSSignedData sd = gen.generate(
                        new CMSProcessableByteArray(IOUtils.toByteArray(content)), false);
                    // Bouncy Castle's default getEncoded() is BER with indefinite lengths, as in
                    // PDFBox's own signing examples (sm2-ber.pdf); the other files embed DER.
                    return ber ? sd.getEncoded() : sd.getEncoded(ASN1Encoding.DER);
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }, opts);
            try (FileOutputStream fos = new FileOutputStream(out)) {
                doc.saveIncremental(fos);
            }
            opts.close();
        }
    }

    static void changePage(File in, File out) throws Exception {
        try (PDDocument doc = PDDocument.load(in)) {
            PDPage page = doc.getPage(0);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page,
                    PDPageContentStream.AppendMode.APPEND, false)) {
                cs.beginText();
                cs.setFont(PDType1Font.HELVETICA_BOLD, 24);
                cs.newLineAtOffset(72, 700);
                cs.showText("Amount: 999 999 CNY");
                cs.endText();
            }
            page.getCOSObject().setNeedToBeUpdated(true);
            doc.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
            doc.getPages().getCOSObject().setNeedToBeUpdated(true);
            try (FileOutputStream fos = new FileOutputStream(out)) {
                doc.saveIncremental(fos);
            }
        }
    }
}
