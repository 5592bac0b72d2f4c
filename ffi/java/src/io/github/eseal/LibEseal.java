package io.github.eseal;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The raw C ABI of libeseal (ffi/include/eseal.h) for JNA. Use the wrapper classes ({@link
 * Verifier}, {@link Signer}, {@link Seal}, {@link Pending}) instead: they own the handles.
 */
public interface LibEseal extends Library {
    /**
     * The library, loaded once, strings in UTF-8: from {@code jna.library.path}, the system paths,
     * or the classpath (the eseal jar carries {@code linux-x86-64/libeseal.so}, which JNA extracts).
     */
    LibEseal INSTANCE = load();

    /** Loads libeseal with UTF-8 strings. */
    static LibEseal load() {
        Map<String, Object> options = Collections.singletonMap(Library.OPTION_STRING_ENCODING, "UTF-8");
        return Native.load("eseal", LibEseal.class, options);
    }

    /** C size_t. */
    class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** A size_t out-parameter. */
    class SizeTByReference extends com.sun.jna.ptr.ByReference {
        public SizeTByReference() {
            super(Native.SIZE_T_SIZE);
        }

        public long getValue() {
            return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xffffffffL;
        }
    }

    /** eseal_sign_callback. */
    interface SignCallback extends Callback {
        int invoke(Pointer userdata, Pointer digest, SizeT digestLen, Pointer sig, SizeT sigCap, Pointer sigLen);
    }

    /** eseal_input. */
    @Structure.FieldOrder({"data", "len", "name"})
    class Input extends Structure {
        public Pointer data;
        public SizeT len;
        public Pointer name;

        @Override
        protected List<String> getFieldOrder() {
            return Arrays.asList("data", "len", "name");
        }
    }

    String eseal_version();

    void eseal_result_message(int result, byte[] buf, SizeT cap, SizeTByReference written);

    SizeT eseal_last_error_length();

    void eseal_last_error_message(byte[] buf, SizeT cap, SizeTByReference written);

    int eseal_verifier_new(PointerByReference out);

    int eseal_verifier_add_trust_pem(Pointer v, byte[] pem, SizeT len);

    int eseal_verifier_add_intermediate_pem(Pointer v, byte[] pem, SizeT len);

    int eseal_verifier_add_crl(Pointer v, byte[] crl, SizeT len);

    int eseal_verifier_set_time(Pointer v, long unixSeconds);

    void eseal_verifier_free(Pointer v);

    int eseal_verify(Pointer v, byte[] input, SizeT len, PointerByReference out);

    int eseal_verify_named(Pointer v, String name, byte[] input, SizeT len, PointerByReference out);

    int eseal_verify_batch(Pointer v, Input inputs, SizeT count, SizeT threads, Pointer reports);

    int eseal_verify_detached(Pointer v, byte[] sig, SizeT len, byte[] data, SizeT dataLen, PointerByReference out);

    int eseal_rows_verify_files(Pointer v, Pointer files, SizeT count, SizeT threads, PointerByReference out);

    int eseal_rows_verify_inputs(Pointer v, Pointer inputs, SizeT count, SizeT threads, PointerByReference out);

    SizeT eseal_rows_count(Pointer r);

    int eseal_rows_get(Pointer r, SizeT row, SizeT column, PointerByReference text, SizeTByReference len);

    int eseal_rows_packed(Pointer r, PointerByReference data, SizeTByReference len);

    void eseal_rows_free(Pointer r);

    int eseal_report_verdict(Pointer r);

    int eseal_report_json(Pointer r, PointerByReference json, SizeTByReference len);

    SizeT eseal_report_count(Pointer r);

    int eseal_report_json_at(Pointer r, SizeT index, PointerByReference json, SizeTByReference len);

    void eseal_report_free(Pointer r);

    int eseal_signer_from_pem(byte[] key, SizeT keyLen, String password, byte[] cert, SizeT certLen,
            PointerByReference out);

    int eseal_signer_from_pkcs12(byte[] p12, SizeT len, String password, PointerByReference out);

    int eseal_signer_from_callback(byte[] cert, SizeT len, SignCallback cb, Pointer userdata, PointerByReference out);

    int eseal_signer_certificate(Pointer s, PointerByReference der, SizeTByReference len);

    int eseal_signer_sign_sm2(Pointer s, byte[] msg, SizeT len, PointerByReference out);

    int eseal_signer_sign_digest(Pointer s, byte[] digest, SizeT len, PointerByReference out);

    int eseal_sign_data(Pointer signer, Pointer seal, byte[] data, SizeT len, Pointer opts, PointerByReference out);

    int eseal_sign_pdf(Pointer signer, Pointer seal, byte[] pdf, SizeT len, Pointer opts, PointerByReference out);

    int eseal_seal_ofd(Pointer signer, Pointer seal, byte[] ofd, SizeT len, Pointer opts, PointerByReference out);

    void eseal_signer_free(Pointer s);

    // Two-phase signing (ffi/src/pending.rs): each eseal_prepare_* returns an eseal_pending.

    int eseal_prepare_sign_sm2(byte[] cert, SizeT certLen, byte[] msg, SizeT len, PointerByReference out);

    int eseal_prepare_seal_make(Pointer b, byte[] makerCert, SizeT len, PointerByReference out);

    int eseal_prepare_sign_data(byte[] cert, SizeT certLen, Pointer seal, byte[] data, SizeT len, Pointer opts,
            PointerByReference out);

    int eseal_prepare_sign_pdf(byte[] cert, SizeT certLen, Pointer seal, byte[] pdf, SizeT len, Pointer opts,
            PointerByReference out);

    int eseal_prepare_seal_ofd(byte[] cert, SizeT certLen, Pointer seal, byte[] ofd, SizeT len, Pointer opts,
            PointerByReference out);

    int eseal_pending_digest(Pointer p, PointerByReference digest, SizeTByReference len);

    int eseal_pending_finish(Pointer p, byte[] sig, SizeT len, PointerByReference out);

    void eseal_pending_free(Pointer p);

    int eseal_seal_parse(byte[] der, SizeT len, PointerByReference out);

    int eseal_seal_der(Pointer s, PointerByReference der, SizeTByReference len);

    int eseal_seal_info_json(Pointer s, PointerByReference json, SizeTByReference len);

    void eseal_seal_free(Pointer s);

    int eseal_seal_builder_new(String vid, String esId, String name, PointerByReference out);

    int eseal_seal_builder_set_version(Pointer b, int version);

    int eseal_seal_builder_set_type(Pointer b, long type);

    int eseal_seal_builder_set_cert_list_type(Pointer b, long type);

    int eseal_seal_builder_add_signer_cert(Pointer b, byte[] cert, SizeT len);

    int eseal_seal_builder_set_validity(Pointer b, long start, long end);

    int eseal_seal_builder_set_create_date(Pointer b, long created);

    int eseal_seal_builder_set_picture(Pointer b, String type, byte[] data, SizeT len, long widthMm, long heightMm);

    int eseal_seal_make(Pointer b, Pointer maker, PointerByReference out);

    void eseal_seal_builder_free(Pointer b);

    // Options of eseal_sign_data, eseal_sign_pdf and eseal_seal_ofd (and their two-phase forms), grouped
    // by what they set.

    int eseal_sign_options_new(PointerByReference out);

    int eseal_pdf_options_new(PointerByReference out);

    int eseal_ofd_options_new(PointerByReference out);

    void eseal_sign_options_free(Pointer o);

    void eseal_pdf_options_free(Pointer o);

    void eseal_ofd_options_free(Pointer o);

    // Signing time and placement.

    int eseal_sign_options_set_signing_time(Pointer o, long unixSeconds);

    int eseal_pdf_options_set_signing_time(Pointer o, long unixSeconds);

    int eseal_ofd_options_set_signing_time(Pointer o, long unixSeconds);

    int eseal_pdf_options_set_page(Pointer o, int page);

    int eseal_ofd_options_set_page(Pointer o, int page);

    int eseal_pdf_options_set_position(Pointer o, double xMm, double yMm);

    int eseal_ofd_options_set_position(Pointer o, double xMm, double yMm);

    // Seal signature (SES_Signature) fields.

    int eseal_sign_options_set_property_info(Pointer o, String propertyInfo);

    int eseal_sign_options_set_version(Pointer o, int version);

    // PDF: payload (SES or CMS) and the signature dictionary's reason and location.

    int eseal_pdf_options_set_payload(Pointer o, int payload);

    int eseal_pdf_options_set_reason(Pointer o, String reason);

    int eseal_pdf_options_set_location(Pointer o, String location);

    // OFD: what the signature protects.

    int eseal_ofd_options_set_protect_all(Pointer o, int protectAll);

    int eseal_ofd_options_set_include_seal_file(Pointer o, int include);

    Pointer eseal_bytes_data(Pointer b);

    SizeT eseal_bytes_len(Pointer b);

    void eseal_bytes_free(Pointer b);
}
