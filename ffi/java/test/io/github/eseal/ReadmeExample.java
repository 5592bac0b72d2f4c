package io.github.eseal;

import java.nio.file.Files;
import java.nio.file.Paths;

/** The Java example of ffi/README.md (the README includes this file verbatim). */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    /** Verifies a certificate, seal, seal signature, PDF or OFD against one trust anchor. */
    static Verdict verifyFile(byte[] rootPem, String path) throws Exception {
        try (Verifier verifier = Verifier.create()) {
            verifier.addTrust(rootPem);
            Report report = verifier.verify(Files.readAllBytes(Paths.get(path)));
            System.out.println(report.getJson());
            return report.getVerdict();
        }
    }

    /** Applies a seal to data with a PKCS#12 key; returns the DER SES_Signature. */
    static byte[] sealData(byte[] p12, String password, byte[] sealDer, byte[] data) throws EsealException {
        try (Signer signer = Signer.fromPkcs12(p12, password); Seal seal = Seal.parse(sealDer)) {
            return signer.signData(seal, data, new SignOptions().propertyInfo("contract.pdf"));
        } catch (EsealException e) {
            if (e.getCode() == EsealException.WRONG_PASSWORD) {
                System.err.println("wrong password for the key file");
            }
            throw e;
        }
    }
}
