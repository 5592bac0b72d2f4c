package io.github.eseal.spark;

import io.github.eseal.EsealException;
import io.github.eseal.Verifier;
import java.io.Serializable;
import java.util.List;

/**
 * The one {@link Verifier} of an executor JVM. It is made on first use from the trust material
 * the driver shipped (a broadcast {@link Config}) and then shared by every task thread of the
 * JVM for every row: the library's verifier is thread-safe and caches path validations and issuer
 * keys, so one per JVM is both correct and fastest. Never closed: it lives as long as the JVM.
 */
final class ExecutorVerifier {
    private static final Object LOCK = new Object();
    private static volatile Verifier verifier;
    private static volatile String configId;

    private ExecutorVerifier() {
    }

    /** Trust anchors, intermediates and CRLs (file contents), and the reference time. */
    static final class Config implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Distinguishes configurations when one JVM runs several jobs (e.g. in tests). */
        final String id;
        final List<byte[]> trust;
        final List<byte[]> intermediates;
        final List<byte[]> crls;
        /** Seconds since the epoch, or null for "now". */
        final Long at;

        Config(String id, List<byte[]> trust, List<byte[]> intermediates, List<byte[]> crls, Long at) {
            this.id = id;
            this.trust = trust;
            this.intermediates = intermediates;
            this.crls = crls;
            this.at = at;
        }

        /** A verifier configured with this material. */
        Verifier newVerifier() throws EsealException {
            Verifier v = Verifier.create();
            try {
                for (byte[] t : trust) {
                    v.addTrust(t);
                }
                for (byte[] i : intermediates) {
                    v.addIntermediates(i);
                }
                for (byte[] c : crls) {
                    v.addCrl(c);
                }
                if (at != null) {
                    v.setTime(at);
                }
                return v;
            } catch (EsealException | RuntimeException e) {
                v.close();
                throw e;
            }
        }
    }

    /** The JVM's verifier for {@code config}, made on first use. */
    static Verifier get(Config config) throws EsealException {
        Verifier v = verifier;
        if (v != null && config.id.equals(configId)) {
            return v;
        }
        synchronized (LOCK) {
            if (verifier == null || !config.id.equals(configId)) {
                Verifier old = verifier;
                verifier = config.newVerifier();
                configId = config.id;
                if (old != null) {
                    old.close(); // waits for calls in progress
                }
            }
            return verifier;
        }
    }
}
