//! Diff of the analysis: every object a revision wrote, compared with the state before it,
//! becomes [`Finding`]s naming the object and what it is (ISO 32000-1 §7.7, §12.5, §12.7,
//! §12.8; ETSI EN 319 142-1 §5.4 for the DSS).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::reader::{Revision, State};
use super::{Change, Finding, ModificationLevel, WALK_BUDGET, rule};
use crate::pdf::object::{Dict, Object, decode_text};

fn refs_in(o: &Object, out: &mut Vec<u32>) {
    match o {
        Object::Ref(n, _) => out.push(*n),
        Object::Array(a) => a.iter().for_each(|x| refs_in(x, out)),
        Object::Dict(d) => d.0.iter().for_each(|(_, v)| refs_in(v, out)),
        Object::Stream(s) => s.dict.0.iter().for_each(|(_, v)| refs_in(v, out)),
        _ => {}
    }
}

/// Equality of PDF values with dictionaries compared as maps (key order does not matter).
pub(super) fn obj_eq(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Dict(x), Object::Dict(y)) => dict_eq(x, y),
        (Object::Stream(x), Object::Stream(y)) => {
            x.data_offset == y.data_offset && dict_eq(&x.dict, &y.dict)
        }
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| obj_eq(p, q))
        }
        (Object::Int(x), Object::Real(y)) | (Object::Real(y), Object::Int(x)) => *x as f64 == *y,
        _ => a == b,
    }
}

pub(super) fn dict_eq(a: &Dict, b: &Dict) -> bool {
    a.0.len() == b.0.len()
        && a.0
            .iter()
            .all(|(k, v)| b.0.iter().any(|(k2, v2)| k == k2 && obj_eq(v, v2)))
}

/// The keys whose values differ between two dictionaries (in either).
fn changed_keys(a: &Dict, b: &Dict) -> Vec<String> {
    let mut keys: Vec<&Vec<u8>> = a.0.iter().map(|(k, _)| k).collect();
    for (k, _) in &b.0 {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .filter(|k| {
            let ka = a.0.iter().find(|(x, _)| x == *k).map(|(_, v)| v);
            let kb = b.0.iter().find(|(x, _)| x == *k).map(|(_, v)| v);
            match (ka, kb) {
                (Some(p), Some(q)) => !obj_eq(p, q),
                (None, None) => false,
                _ => true,
            }
        })
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect()
}

fn name_of(d: &Dict, key: &str) -> String {
    d.name(key)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .unwrap_or_default()
}

/// A short description of what an object is, for messages.
fn describe(o: &Object) -> String {
    match o {
        Object::Stream(s) => {
            let d = &s.dict;
            match (name_of(d, "Type").as_str(), name_of(d, "Subtype").as_str()) {
                ("", "") if d.get("Length1").is_some() || d.get("Length2").is_some() => {
                    "font program stream".into()
                }
                ("", "") => "content stream".into(),
                (t, "") => format!("/{t} stream"),
                ("", st) => format!("/{st} stream"),
                (t, st) => format!("/{t} /{st} stream"),
            }
        }
        Object::Dict(d) => {
            if d.get("FT").is_some() {
                return format!("form field /{}", name_of(d, "FT"));
            }
            match (name_of(d, "Type").as_str(), name_of(d, "Subtype").as_str()) {
                ("", "") => "dictionary".into(),
                (t, "") => format!("/{t} dictionary"),
                ("", st) => format!("/{st} dictionary"),
                (t, st) => format!("/{t} /{st} dictionary"),
            }
        }
        Object::Array(_) => "array".into(),
        Object::Null => "null".into(),
        _ => "value".into(),
    }
}

fn is_annotation(d: &Dict) -> bool {
    d.is_type("Annot") || (d.get("Subtype").is_some() && d.get("Rect").is_some())
}

fn is_widget(d: &Dict) -> bool {
    d.name("Subtype") == Some(b"Widget")
}

fn is_sig_value(d: &Dict) -> bool {
    d.is_type("Sig")
        || d.is_type("DocTimeStamp")
        || (d.get("ByteRange").is_some()
            && d.get("Contents").is_some()
            && d.get("Filter").is_some())
}

fn rect_visible(d: &Dict) -> bool {
    let Some(Object::Array(r)) = d.get("Rect") else {
        return false;
    };
    let v: Vec<f64> = r.iter().filter_map(Object::as_f64).collect();
    v.len() == 4 && ((v[2] - v[0]) * (v[3] - v[1])).abs() > 0.0
}

/// The field type, inherited through `/Parent` (§12.7.3.1).
fn field_type(st: &State<'_>, d: &Dict) -> Option<Vec<u8>> {
    let mut cur = d.clone();
    for _ in 0..32 {
        if let Some(ft) = cur.name("FT") {
            return Some(ft.to_vec());
        }
        cur = st.resolve_dict(cur.get("Parent")?)?;
    }
    None
}

/// The fully qualified field name (§12.7.3.2), through `/Parent`.
pub(crate) fn field_name(st: &State<'_>, d: &Dict) -> String {
    let mut parts = Vec::new();
    let mut cur = d.clone();
    for _ in 0..32 {
        if let Some(Object::String(t)) = cur.get("T") {
            parts.push(decode_text(t));
        }
        match cur.get("Parent").and_then(|p| st.resolve_dict(p)) {
            Some(p) => cur = p,
            None => break,
        }
    }
    parts.reverse();
    parts.join(".")
}

fn is_field(st: &State<'_>, d: &Dict) -> bool {
    d.get("FT").is_some()
        || d.get("T").is_some()
        || (!is_widget(d) && d.get("Parent").is_some() && field_type(st, d).is_some())
}

/// Every object number of the document security store of a state.
fn dss_objects(st: &State<'_>) -> HashSet<u32> {
    let mut out = HashSet::new();
    let Some(dss) = st.catalog().get("DSS").cloned() else {
        return out;
    };
    let mut stack = vec![(dss, 0u32)];
    while let Some((o, depth)) = stack.pop() {
        if depth > 4 || out.len() > WALK_BUDGET {
            break;
        }
        if let Some((n, _)) = o.as_ref()
            && !out.insert(n)
        {
            continue;
        }
        match st.resolve(&o) {
            Object::Dict(d) => {
                for (_, v) in d.0 {
                    stack.push((v, depth + 1));
                }
            }
            Object::Array(a) => {
                for v in a {
                    stack.push((v, depth + 1));
                }
            }
            _ => {}
        }
    }
    out
}

/// Compares two `/Fields` or `/Annots` arrays: removed entries, and old objects added.
fn list_change(
    before: &State<'_>,
    old: &Object,
    new: &Object,
    what: &str,
    owner: u32,
    added_old: Change,
    out: &mut Vec<Finding>,
) {
    let empty = Vec::new();
    let a = match old {
        Object::Array(a) => a,
        _ => &empty,
    };
    let b = match new {
        Object::Array(b) => b,
        Object::Null => &empty,
        _ => {
            out.push(Finding {
                obj: owner,
                change: Change::Forbidden,
                what: format!("the {what} of object {owner} is no longer an array"),
                field: None,
            });
            return;
        }
    };
    for x in a.iter().filter(|x| !b.contains(x)) {
        out.push(Finding {
            obj: x.as_ref().map(|r| r.0).unwrap_or(owner),
            change: Change::Forbidden,
            what: format!(
                "{} removed from the {what} of object {owner}",
                match x.as_ref() {
                    Some((n, _)) => format!("object {n}"),
                    None => "an entry".into(),
                }
            ),
            field: None,
        });
    }
    for x in b.iter().filter(|x| !a.contains(x)) {
        match x.as_ref() {
            Some((n, _)) if !before.exists(n) => {} // a new object: judged on its own
            Some((n, _)) => out.push(Finding {
                obj: n,
                change: added_old,
                what: format!("existing object {n} added to the {what} of object {owner}"),
                field: None,
            }),
            None => out.push(Finding {
                obj: owner,
                change: added_old,
                what: format!("a direct entry added to the {what} of object {owner}"),
                field: None,
            }),
        }
    }
}

/// Classifies every object one revision wrote. Returns the findings and the level of every
/// new object reached from a classified one (appearances, fonts, streams of the DSS, …).
pub fn classify(rev: &Revision<'_>) -> Vec<Finding> {
    let (b, a) = (&rev.before, &rev.after);
    let mut out: Vec<Finding> = Vec::new();
    let mut explained: HashMap<u32, ModificationLevel> = HashMap::new();
    let push = |out: &mut Vec<Finding>, obj: u32, change: Change, what: String| {
        out.push(Finding {
            obj,
            change,
            what,
            field: None,
        })
    };

    // The catalog, compared key by key, whatever its object number.
    let (root_b, root_a) = (b.trailer_ref("Root"), a.trailer_ref("Root"));
    let (cat_b, cat_a) = (b.catalog(), a.catalog());
    let root_changed = rev.changed.iter().any(|n| Some(*n) == root_a) || root_a != root_b;
    if root_changed {
        let root = root_a.unwrap_or(0);
        for key in changed_keys(&cat_b, &cat_a) {
            let change = match key.as_str() {
                "AcroForm" => Change::FormStructure, // its content is judged below
                "DSS" => Change::Dss,
                "Metadata" => Change::Metadata,
                "Extensions" | "Version" | "MarkInfo" => Change::Extensions,
                _ => Change::Forbidden,
            };
            push(
                &mut out,
                root,
                change,
                format!("the document catalog (object {root}) changed /{key}"),
            );
        }
        if root_a != root_b {
            push(
                &mut out,
                root,
                Change::FormStructure,
                format!("the trailer's /Root now names object {root}"),
            );
        }
        explained.insert(root, ModificationLevel::Ltv);
    }
    // The /AcroForm dictionary, wherever it is stored.
    let acro_b = cat_b.get("AcroForm").and_then(|x| b.resolve_dict(x));
    let acro_a = cat_a.get("AcroForm").and_then(|x| a.resolve_dict(x));
    let acro_num = cat_a.get("AcroForm").and_then(Object::as_ref).map(|r| r.0);
    let acro_changed = match (&acro_b, &acro_a) {
        (Some(x), Some(y)) => !dict_eq(x, y),
        (None, None) => false,
        _ => true,
    };
    if acro_changed {
        let owner = acro_num.or(root_a).unwrap_or(0);
        let ob = acro_b.clone().unwrap_or_default();
        let oa = acro_a.clone().unwrap_or_default();
        for key in changed_keys(&ob, &oa) {
            let change = match key.as_str() {
                "Fields" => continue,
                "SigFlags" | "DR" | "DA" | "Q" => Change::FormStructure,
                "XFA" => Change::Forbidden,
                _ => Change::FormDictionary,
            };
            push(
                &mut out,
                owner,
                change,
                format!("the form dictionary (object {owner}) changed /{key}"),
            );
        }
        let fb = ob
            .get("Fields")
            .map(|f| b.resolve(f))
            .unwrap_or(Object::Null);
        let fa = oa
            .get("Fields")
            .map(|f| a.resolve(f))
            .unwrap_or(Object::Null);
        list_change(
            b,
            &fb,
            &fa,
            "form fields",
            owner,
            Change::Forbidden,
            &mut out,
        );
        if let Some(n) = acro_num {
            explained.insert(n, ModificationLevel::Ltv);
        }
        if let Some(Object::Ref(n, _)) = oa.get("Fields") {
            explained.insert(*n, ModificationLevel::Ltv);
        }
    }
    // Pages whose /Annots is stored apart.
    let mut annots_owner: HashMap<u32, u32> = HashMap::new();
    let changed_set: HashSet<u32> = rev.changed.iter().copied().collect();
    if rev
        .changed
        .iter()
        .any(|n| b.exists(*n) && !explained.contains_key(n))
    {
        for (p, d) in a.pages() {
            if let Some(Object::Ref(n, _)) = d.get("Annots")
                && changed_set.contains(n)
            {
                annots_owner.insert(*n, p);
            }
        }
    }
    let info_a = a.trailer_ref("Info");
    let meta_a = cat_a.get("Metadata").and_then(Object::as_ref).map(|r| r.0);
    let dss_a = dss_objects(a);
    let dss_b = if dss_a.iter().any(|n| b.exists(*n)) {
        dss_objects(b)
    } else {
        HashSet::new()
    };

    // New objects reachable from the trailer or from the objects of the signed state this
    // revision rewrote; the others are orphans whatever they claim to be (pyHanko clears them
    // as LTV updates): nothing can display them.
    let reachable = reachable_new(rev, &changed_set);
    for &n in &rev.changed {
        if !b.exists(n) && a.exists(n) && !reachable.contains(&n) {
            continue;
        }
        let new = a.get(n);
        let existed = b.exists(n);
        if !existed && !a.exists(n) {
            continue; // freed or empty entry of an object that never existed
        }
        if existed && !a.exists(n) {
            push(
                &mut out,
                n,
                Change::Forbidden,
                format!("object {n} ({}) deleted", describe(&b.get(n))),
            );
            continue;
        }
        if explained.contains_key(&n) {
            continue;
        }
        let old = if existed { b.get(n) } else { Object::Null };
        if existed && b.same(&old, &new) {
            explained.insert(n, ModificationLevel::Ltv);
            continue;
        }
        let dict = match &new {
            Object::Dict(d) => Some(d.clone()),
            Object::Stream(s) => Some(s.dict.clone()),
            _ => None,
        };
        macro_rules! found {
            ($out:expr, $change:expr, $what:expr $(,)?) => {{
                let change: Change = $change;
                explained.insert(n, rule(change).0);
                push($out, n, change, $what);
            }};
        }
        if !existed
            && let Some(d) = &dict
            && (d.is_type("XRef") || d.is_type("ObjStm"))
        {
            found!(&mut out, Change::XrefStructure, String::new());
            continue;
        }
        if Some(n) == info_a {
            found!(
                &mut out,
                Change::DocInfo,
                format!("the document information dictionary (object {n})"),
            );
            continue;
        }
        if Some(n) == meta_a {
            let xml = match &new {
                Object::Stream(s) => a
                    .doc
                    .decode_stream(s, 4 << 20)
                    .map(|d| {
                        let t: Vec<u8> = d
                            .iter()
                            .skip_while(|c| {
                                c.is_ascii_whitespace() || **c == 0xEF || **c == 0xBB || **c == 0xBF
                            })
                            .take(1)
                            .copied()
                            .collect();
                        t == b"<"
                    })
                    .unwrap_or(false),
                _ => false,
            };
            if xml {
                found!(
                    &mut out,
                    Change::Metadata,
                    format!("the XMP metadata stream (object {n})"),
                );
            } else {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("the catalog's /Metadata (object {n}) is not an XML stream"),
                );
            }
            continue;
        }
        if dss_a.contains(&n) {
            if !existed || dss_b.contains(&n) {
                found!(
                    &mut out,
                    Change::Dss,
                    format!("document security store object {n}"),
                );
            } else {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!(
                        "object {n} ({}) of the signed revision was reused in the /DSS",
                        describe(&old)
                    ),
                );
            }
            continue;
        }
        if let Some(&page) = annots_owner.get(&n) {
            explained.insert(n, ModificationLevel::Ltv);
            list_change(
                b,
                &old,
                &new,
                "annotations",
                page,
                Change::Annotation,
                &mut out,
            );
            continue;
        }
        let Some(d) = dict else {
            if existed {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("object {n} ({}) changed", describe(&old)),
                );
            }
            continue;
        };
        let old_dict = old.as_dict().cloned().or_else(|| match &old {
            Object::Stream(s) => Some(s.dict.clone()),
            _ => None,
        });
        if is_sig_value(&d) {
            if existed {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("signature dictionary {n} changed"),
                );
            } else if d.is_type("DocTimeStamp") {
                found!(
                    &mut out,
                    Change::DocTimeStamp,
                    format!("document timestamp {n} added"),
                );
            } else {
                found!(&mut out, Change::Signature, format!("signature {n} added"));
            }
            continue;
        }
        if d.is_type("Page") || old_dict.as_ref().is_some_and(|o| o.is_type("Page")) {
            let Some(od) = old_dict.filter(|_| existed) else {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("page object {n} added")
                );
                continue;
            };
            let keys: Vec<String> = changed_keys(&od, &d)
                .into_iter()
                .filter(|k| k != "Annots")
                .collect();
            if !keys.is_empty() || matches!(new, Object::Stream(_)) {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!(
                        "page object {n} changed (/{}: content or resources)",
                        keys.join(", /")
                    ),
                );
                continue;
            }
            explained.insert(n, ModificationLevel::Ltv);
            let oa = od
                .get("Annots")
                .map(|x| b.resolve(x))
                .unwrap_or(Object::Null);
            let na = d
                .get("Annots")
                .map(|x| a.resolve(x))
                .unwrap_or(Object::Null);
            list_change(b, &oa, &na, "annotations", n, Change::Annotation, &mut out);
            continue;
        }
        if d.is_type("Pages") || old_dict.as_ref().is_some_and(|o| o.is_type("Pages")) {
            found!(
                &mut out,
                Change::Forbidden,
                format!("page tree node {n} changed"),
            );
            continue;
        }
        if is_field(a, &d) {
            let ft = field_type(a, &d);
            let name = field_name(a, &d);
            let sig = ft.as_deref() == Some(b"Sig");
            if !existed {
                if !sig {
                    found!(
                        &mut out,
                        Change::Forbidden,
                        format!(
                            "form field {n} (\"{name}\", /{}) added",
                            String::from_utf8_lossy(ft.as_deref().unwrap_or(b"?"))
                        ),
                    );
                    continue;
                }
                let visible = rect_visible(&d)
                    || matches!(d.get("Kids").map(|k| a.resolve(k)), Some(Object::Array(k))
                        if k.iter().any(|x| a.resolve_dict(x).is_some_and(|kd| rect_visible(&kd))));
                let change = if visible {
                    Change::SignatureField
                } else {
                    Change::InvisibleSigField
                };
                explained.insert(n, rule(change).0);
                out.push(Finding {
                    obj: n,
                    change,
                    what: format!(
                        "{} signature field {n} (\"{name}\") added",
                        if visible { "visible" } else { "invisible" }
                    ),
                    field: visible.then_some(name),
                });
                continue;
            }
            let od = old_dict.unwrap_or_default();
            let keys = changed_keys(&od, &d);
            let other: Vec<&String> = keys
                .iter()
                .filter(|k| {
                    !matches!(
                        k.as_str(),
                        "V" | "AP" | "AS" | "F" | "DA" | "Q" | "Ff" | "Type" | "Kids"
                    )
                })
                .collect();
            if !other.is_empty() {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!(
                        "form field {n} (\"{name}\") changed /{}",
                        other
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", /")
                    ),
                );
                continue;
            }
            if keys.iter().any(|k| k == "Kids") {
                let ok = od.get("Kids").map(|x| b.resolve(x)).unwrap_or(Object::Null);
                let nk = d.get("Kids").map(|x| a.resolve(x)).unwrap_or(Object::Null);
                list_change(b, &ok, &nk, "kids", n, Change::Forbidden, &mut out);
            }
            let change = if sig && od.get("V").is_none() && d.get("V").is_some() {
                Change::SignatureField
            } else if sig && keys.iter().any(|k| k == "V") {
                Change::Forbidden
            } else {
                Change::FieldValue
            };
            explained.insert(n, rule(change).0);
            out.push(Finding {
                obj: n,
                change,
                what: match change {
                    Change::SignatureField => {
                        format!("signature field {n} (\"{name}\") signed")
                    }
                    Change::Forbidden => {
                        format!("the value of signature field {n} (\"{name}\") replaced")
                    }
                    _ => format!("form field {n} (\"{name}\") value or appearance changed"),
                },
                field: Some(name),
            });
            continue;
        }
        if is_annotation(&d) {
            if existed && is_widget(&d) {
                let od = old_dict.unwrap_or_default();
                let keys = changed_keys(&od, &d);
                let name = field_name(a, &d);
                if keys
                    .iter()
                    .all(|k| matches!(k.as_str(), "AP" | "AS" | "F" | "DA" | "Q" | "Type"))
                {
                    explained.insert(n, ModificationLevel::FormFilling);
                    out.push(Finding {
                        obj: n,
                        change: Change::FieldValue,
                        what: format!("widget {n} (\"{name}\") appearance changed"),
                        field: Some(name),
                    });
                } else {
                    found!(
                        &mut out,
                        Change::Forbidden,
                        format!("widget annotation {n} changed /{}", keys.join(", /")),
                    );
                }
                continue;
            }
            if !existed && is_widget(&d) {
                continue; // a new widget: judged with the field that names it
            }
            let st = name_of(&d, "Subtype");
            found!(
                &mut out,
                Change::Annotation,
                format!(
                    "annotation {n} (/{st}) {}",
                    if existed { "changed" } else { "added" }
                ),
            );
            continue;
        }
        if existed {
            found!(
                &mut out,
                Change::Forbidden,
                match &new {
                    Object::Stream(_) => format!(
                        "stream object {n} ({}) replaced (content, image, font or form)",
                        describe(&old)
                    ),
                    _ => format!("object {n} ({}) changed", describe(&old)),
                },
            );
        }
    }

    // New objects that say nothing about themselves take the level of what references them.
    let new_objs: Vec<u32> = rev
        .changed
        .iter()
        .copied()
        .filter(|n| !b.exists(*n) && a.exists(*n))
        .collect();
    let mut levels: BTreeMap<u32, ModificationLevel> = BTreeMap::new();
    let mut stack: Vec<(u32, ModificationLevel)> =
        explained.iter().map(|(k, v)| (*k, *v)).collect();
    // A new field's widgets and appearances: its own level (new visible field: form filling).
    let mut budget = WALK_BUDGET;
    while let Some((n, lvl)) = stack.pop() {
        if budget == 0 {
            break;
        }
        budget -= 1;
        let mut refs = Vec::new();
        refs_in(&a.get(n), &mut refs);
        for r in refs {
            if !changed_set.contains(&r) || b.exists(r) || explained.contains_key(&r) {
                continue;
            }
            let e = levels.entry(r).or_insert(ModificationLevel::None);
            if lvl > *e {
                *e = lvl;
                stack.push((r, lvl));
            }
        }
    }
    // What is left is referenced by nothing this revision wrote: an orphan, unless the signed
    // state referenced that number before it existed (defining it changes the document).
    let orphans: Vec<u32> = new_objs
        .iter()
        .copied()
        .filter(|n| !explained.contains_key(n) && !levels.contains_key(n))
        .collect();
    let reused: HashSet<u32> = new_objs.iter().copied().filter(|n| *n < b.size()).collect();
    let dangling = if reused.is_empty() {
        HashMap::new()
    } else {
        referenced_in(b, &reused)
    };
    for n in &new_objs {
        if let Some(by) = dangling.get(n) {
            out.push(Finding {
                obj: *n,
                change: Change::Forbidden,
                what: format!(
                    "object {n} ({}) is defined after signing, but object {by} of the signed revision already referenced it",
                    describe(&a.get(*n))
                ),
                field: None,
            });
        }
    }
    for n in orphans {
        if !dangling.contains_key(&n) {
            out.push(Finding {
                obj: n,
                change: Change::Orphan,
                what: format!(
                    "new object {n} ({}) referenced by nothing",
                    describe(&a.get(n))
                ),
                field: None,
            });
        }
    }
    out
}

/// The new objects of a revision reachable from its trailer or its rewritten old objects,
/// through new objects only.
fn reachable_new(rev: &Revision<'_>, changed: &HashSet<u32>) -> HashSet<u32> {
    let (b, a) = (&rev.before, &rev.after);
    let mut stack = Vec::new();
    refs_in(&Object::Dict(a.trailer.clone()), &mut stack);
    for &n in &rev.changed {
        if b.exists(n) {
            refs_in(&a.get(n), &mut stack);
        }
    }
    let mut seen = HashSet::new();
    while let Some(n) = stack.pop() {
        if !changed.contains(&n) || b.exists(n) || !seen.insert(n) {
            continue;
        }
        if seen.len() > WALK_BUDGET {
            break;
        }
        refs_in(&a.get(n), &mut stack);
    }
    seen
}

/// For the object numbers in `wanted`: which object of `st` references each one, walking the
/// document from the trailer (with a budget; over it, every number counts as referenced).
fn referenced_in(st: &State<'_>, wanted: &HashSet<u32>) -> HashMap<u32, u32> {
    let mut found = HashMap::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(u32, Object)> = st
        .trailer
        .0
        .iter()
        .filter(|(k, _)| k.as_slice() != b"Prev" && k.as_slice() != b"XRefStm")
        .map(|(_, v)| (0, v.clone()))
        .collect();
    while let Some((from, o)) = stack.pop() {
        let mut refs = Vec::new();
        refs_in(&o, &mut refs);
        for r in refs {
            if wanted.contains(&r) {
                found.entry(r).or_insert(from);
            }
            if !seen.insert(r) {
                continue;
            }
            if seen.len() > WALK_BUDGET {
                return wanted.iter().map(|n| (*n, 0)).collect();
            }
            if st.exists(r) {
                stack.push((r, st.get(r)));
            }
        }
    }
    found
}
