package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A GB/T 38540 seal (SESeal of version 1, 4 or 5). Thread-safe. */
public final class Seal extends Handle {
    private static final LibEseal LIB = Eseal.LIB;

    private Seal(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.eseal_seal_free(p);
    }

    /** Parses a DER seal (its maker signature is checked by {@link Verifier#verify}). */
    public static Seal parse(byte[] der) throws EsealException {
        PointerByReference out = new PointerByReference();
        Eseal.check(LIB.eseal_seal_parse(Eseal.nz(der), Eseal.len(der), out));
        return new Seal(out.getValue());
    }

    /** The seal's DER bytes, exactly as read or made. */
    public byte[] der() throws EsealException {
        return borrow(LIB::eseal_seal_der);
    }

    /** Facts about the seal as JSON (format, es_id, name, type, validity, picture, maker). */
    public String infoJson() throws EsealException {
        return new String(borrow(LIB::eseal_seal_info_json), StandardCharsets.UTF_8);
    }

    /** Starts describing a seal to make (GB/T 38540 §7.1). */
    public static Builder builder(String vid, String esId, String name) {
        return new Builder(vid, esId, name);
    }

    /** The description of a seal to make; {@link #make} signs it. */
    public static final class Builder {
        private final String vid;
        private final String esId;
        private final String name;
        private final List<byte[]> signerCerts = new ArrayList<>();
        private int version = 4;
        private long type = 1;
        private boolean certDigests;
        private long validFrom;
        private long validTo;
        private boolean validitySet;
        private Long created;
        private String pictureType;
        private byte[] picture;
        private long widthMm;
        private long heightMm;

        Builder(String vid, String esId, String name) {
            this.vid = vid;
            this.esId = esId;
            this.name = name;
        }

        /** Version 4 (default) or 5. */
        public Builder version(int v) {
            version = v;
            return this;
        }

        /** The business-defined seal type (default 1). */
        public Builder type(long t) {
            type = t;
            return this;
        }

        /** List SM3 digests of the signer certificates instead of the certificates. */
        public Builder certDigests(boolean digests) {
            certDigests = digests;
            return this;
        }

        /** Adds certificates (PEM or DER) of signers allowed to use the seal. */
        public Builder signerCert(byte[] cert) {
            signerCerts.add(cert);
            return this;
        }

        /** The seal's validity, seconds since the epoch. */
        public Builder validity(long from, long to) {
            validFrom = from;
            validTo = to;
            validitySet = true;
            return this;
        }

        /** createDate (default: the time of making). */
        public Builder created(long unixSeconds) {
            created = unixSeconds;
            return this;
        }

        /** The picture: type ("PNG", "JPG", "GIF", "BMP", "SVG", "OFD"), bytes, size in mm. */
        public Builder picture(String type, byte[] data, long widthMm, long heightMm) {
            this.pictureType = type;
            this.picture = data;
            this.widthMm = widthMm;
            this.heightMm = heightMm;
            return this;
        }

        /** Makes the seal, signed by the maker (its certificate becomes the maker certificate). */
        public Seal make(Signer maker) throws EsealException {
            return withNative(b -> maker.use(mp -> {
                PointerByReference seal = new PointerByReference();
                Eseal.check(LIB.eseal_seal_make(b, mp, seal));
                return new Seal(seal.getValue());
            }));
        }

        /** Runs {@code f} with a native builder holding this description, then frees it. */
        <T> T withNative(Handle.Use<T> f) throws EsealException {
            PointerByReference out = new PointerByReference();
            Eseal.check(LIB.eseal_seal_builder_new(vid, esId, name, out));
            Pointer b = out.getValue();
            try {
                Eseal.check(LIB.eseal_seal_builder_set_version(b, version));
                Eseal.check(LIB.eseal_seal_builder_set_type(b, type));
                Eseal.check(LIB.eseal_seal_builder_set_cert_list_type(b, certDigests ? 2 : 1));
                for (byte[] c : signerCerts) {
                    Eseal.check(LIB.eseal_seal_builder_add_signer_cert(b, Eseal.nz(c), Eseal.len(c)));
                }
                if (validitySet) {
                    Eseal.check(LIB.eseal_seal_builder_set_validity(b, validFrom, validTo));
                }
                if (created != null) {
                    Eseal.check(LIB.eseal_seal_builder_set_create_date(b, created));
                }
                if (picture != null) {
                    Eseal.check(LIB.eseal_seal_builder_set_picture(b, pictureType, Eseal.nz(picture),
                            Eseal.len(picture), widthMm, heightMm));
                }
                return f.apply(b);
            } finally {
                LIB.eseal_seal_builder_free(b);
            }
        }
    }
}
