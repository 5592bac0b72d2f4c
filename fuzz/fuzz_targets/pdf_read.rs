//! The PDF reader: xref tables and streams, object streams, the page tree, stream filters.
#![no_main]
use eseal::pdf::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::from_bytes(data.to_vec()) else {
        return;
    };
    let _ = doc.catalog();
    if let Ok(n) = doc.page_count() {
        for i in 0..n.min(4) {
            let _ = doc.page(i);
        }
    }
    for num in 0..doc.size().min(64) {
        if let Ok(eseal::pdf::object::Object::Stream(s)) = doc.get(num) {
            let _ = doc.decode_stream(&s, 1 << 20);
        }
    }
});
