//! What changed after a PDF signature, revision by revision, judged by a written policy
//! (ISO 32000-1 §7.5.6 incremental updates, §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP; ISO 32000-2
//! §12.8.4.5 `/Lock`; ETSI EN 319 142-1 §5.4 document security store; DESIGN §5.2).
//!
//! The analysis has three parts, kept apart:
//!
//! - **reader** ([`reader`], [`History`]): the signed revision's cross-reference state, then every later
//!   revision on its own (its xref section, newest trailer keys completed from older ones), and
//!   an **update without any xref** at the end of the file (objects appended after the last
//!   `%%EOF`, found by scanning as a reader that reconstructs the xref would find them);
//! - **diff** ([`rules`], [`classify`]): every object a revision wrote, compared with the state before that
//!   revision, is given one or more [`Change`]s naming the object and what it is;
//! - **policy** (this module, [`POLICY`]): a table giving each kind of change its [`ModificationLevel`] and
//!   whether it is reported as a warning; [`judge`] compares the highest level with what the
//!   signature allows.
//!
//! # The policy
//!
//! As strict as pyHanko's default diff policy, and no stricter:
//!
//! | level | changes |
//! |---|---|
//! | `ltv` (always allowed) | new document timestamps (`/Type /DocTimeStamp`) and invisible signature fields; the `/DSS` with `/VRI`, `/Certs`, `/CRLs`, `/OCSPs` and their streams; the Info dictionary; the catalog's `/Metadata` stream (must still be XML); `/Extensions`, `/Version`, `/MarkInfo`; xref and object streams; objects rewritten unchanged; new objects nothing references (orphans) |
//! | `form_filling` (DocMDP P ≥ 2 or none) | new signatures in new or existing signature fields, with their widgets and appearance streams (pass); form field values and appearances (`/V`, `/AS`, `/AP`, `/F`, `/DA`, `/Q`, `/Ff`), other `/AcroForm` entries (warn) |
//! | `annotations` (DocMDP P = 3 or none) | annotations added or changed, with their appearances (warn) |
//! | `other` (never allowed) | anything else, named: page content, resources or page tree changed, pages added, objects deleted, streams replaced, catalog entries other than the above (including `/Perms`), form fields other than signatures added or removed, annotations removed, and objects that the signed revision referenced but did not define |
//!
//! A document with no DocMDP signature allows up to `annotations`; DocMDP `/P 1` allows only
//! `ltv`, `/P 2` up to `form_filling`, `/P 3` up to `annotations`. The DocMDP transform is read
//! from the signature's `/Reference` or from its field's `/Lock /P`. FieldMDP (`/Lock` of the
//! signature field, or a FieldMDP `/Reference`) with `/Action /All`, `/Include` or `/Exclude`
//! makes a change to a locked field fail: a new value, a signature in a locked empty field, or a
//! new visible signature field whose name is locked (as pyHanko: invisible ones never are). A
//! new visible signature after a certification with P = 2 is allowed, as ISO 32000-1 says
//! ("signing"), where pyHanko by default refuses it.
//!
//! Every later revision is compared with the one before it, so a forbidden change undone by a
//! later revision still fails; the signature's `modification_level` is the highest level of all.
//! The `modifications` check fails when the level exceeds what the signature allows (and names
//! every change above it), warns when a reported change was allowed or when unused bytes
//! follow the last revision, and passes otherwise.
//!
//! # Updates without an xref
//!
//! Objects appended after the last revision with no cross-reference section are judged as one
//! more revision ("without xref"), with the same table: readers that rebuild a damaged xref
//! use the last definition of each object number, so an object of the signed state redefined
//! there is a change like any other, and a forbidden one fails with its number. New objects
//! there are judged by the same rules too: by their type when they say what they are (a new
//! page is `other`, an annotation `annotations`), and as orphans when nothing references them —
//! they cannot be displayed without a reference from the document, so the check only warns that
//! unused bytes follow. A redefined catalog or page tree is caught as the change of those
//! objects.

pub mod reader;
pub mod rules;

pub use reader::{History, HistoryError, Revision, State, history};
pub use rules::classify;

/// Upper bound on objects visited by one walk of the document graph.
const WALK_BUDGET: usize = 200_000;
/// Upper bound on the objects one revision may change.
const MAX_CHANGED: usize = 200_000;

/// How far a document was changed after a signature (after pyHanko's `ModificationLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModificationLevel {
    /// Nothing was appended.
    None,
    /// Only long-term validation material, metadata and new document timestamps.
    Ltv,
    /// New signatures and form field values.
    FormFilling,
    /// Annotations added or changed.
    Annotations,
    /// Anything else: never allowed after a signature.
    Other,
}

impl ModificationLevel {
    /// The lowercase name used in reports (`none`, `ltv`, `form_filling`, `annotations`,
    /// `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            ModificationLevel::None => "none",
            ModificationLevel::Ltv => "ltv",
            ModificationLevel::FormFilling => "form_filling",
            ModificationLevel::Annotations => "annotations",
            ModificationLevel::Other => "other",
        }
    }

    /// The highest level a signature with DocMDP `/P p` (or none) allows.
    pub fn allowed_by_docmdp(p: Option<i64>) -> ModificationLevel {
        match p {
            Some(1) => ModificationLevel::Ltv,
            Some(2) => ModificationLevel::FormFilling,
            _ => ModificationLevel::Annotations,
        }
    }
}

/// The kinds of change the diff analysis finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// An object written again with the same value.
    Unchanged,
    /// A cross-reference or object stream.
    XrefStructure,
    /// A new object nothing in the revision references.
    Orphan,
    /// The document information dictionary.
    DocInfo,
    /// The catalog's XMP `/Metadata` stream.
    Metadata,
    /// The document security store and what it holds.
    Dss,
    /// The catalog's `/Extensions` (e.g. the ESIC extension level written with a DSS),
    /// `/Version` and `/MarkInfo`.
    Extensions,
    /// A new document timestamp.
    DocTimeStamp,
    /// A new invisible signature field.
    InvisibleSigField,
    /// `/Fields` or a page's `/Annots` grew by new objects, `/SigFlags`, `/DR`, `/DA`.
    FormStructure,
    /// A new signature value (`/Type /Sig`).
    Signature,
    /// A new visible signature field, or a signature put in an existing empty field.
    SignatureField,
    /// A form field's value or appearance.
    FieldValue,
    /// Other entries of the `/AcroForm` dictionary.
    FormDictionary,
    /// An annotation added or changed.
    Annotation,
    /// A forbidden change.
    Forbidden,
}

/// The policy as data: each kind of change, its level, and whether it is reported as a
/// warning when allowed.
pub const POLICY: &[(Change, ModificationLevel, bool)] = &[
    (Change::Unchanged, ModificationLevel::Ltv, false),
    (Change::XrefStructure, ModificationLevel::Ltv, false),
    (Change::Orphan, ModificationLevel::Ltv, false),
    (Change::DocInfo, ModificationLevel::Ltv, false),
    (Change::Metadata, ModificationLevel::Ltv, false),
    (Change::Dss, ModificationLevel::Ltv, false),
    (Change::Extensions, ModificationLevel::Ltv, false),
    (Change::DocTimeStamp, ModificationLevel::Ltv, false),
    (Change::InvisibleSigField, ModificationLevel::Ltv, false),
    (Change::FormStructure, ModificationLevel::Ltv, false),
    (Change::Signature, ModificationLevel::FormFilling, false),
    (
        Change::SignatureField,
        ModificationLevel::FormFilling,
        false,
    ),
    (Change::FieldValue, ModificationLevel::FormFilling, true),
    (Change::FormDictionary, ModificationLevel::FormFilling, true),
    (Change::Annotation, ModificationLevel::Annotations, true),
    (Change::Forbidden, ModificationLevel::Other, true),
];

/// The level and warning flag of a kind of change.
pub fn rule(c: Change) -> (ModificationLevel, bool) {
    POLICY
        .iter()
        .find(|(k, _, _)| *k == c)
        .map(|(_, l, w)| (*l, *w))
        .unwrap_or((ModificationLevel::Other, true))
}

/// One change found: the object, its kind, a description, and the form field it concerns.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Object number (0 when the change is not about one object).
    pub obj: u32,
    /// What kind of change.
    pub change: Change,
    /// For people: the object and what happened to it.
    pub what: String,
    /// The fully qualified name of the form field changed, if any (for FieldMDP locks).
    pub field: Option<String>,
}

/// What a signature allows after it.
#[derive(Debug, Clone, Default)]
pub struct Permissions {
    /// DocMDP `/P` of a certification signature (or of the field's `/Lock /P`).
    pub docmdp: Option<i64>,
    /// FieldMDP locks: `(action, fields)` with action `All`, `Include` or `Exclude`.
    pub locks: Vec<(String, Vec<String>)>,
}

impl Permissions {
    /// True when a change to the field `name` is forbidden by a FieldMDP lock.
    pub fn locked(&self, name: &str) -> bool {
        self.locks.iter().any(|(action, fields)| {
            let listed = fields
                .iter()
                .any(|f| f == name || name.starts_with(&format!("{f}.")));
            match action.as_str() {
                "All" => true,
                "Include" => listed,
                "Exclude" => !listed,
                _ => false,
            }
        })
    }
}

/// The judgement for one signature.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// The highest level of change after the signature.
    pub level: ModificationLevel,
    /// `pass`, `warn` or `fail`, with a message naming what changed.
    pub check: crate::report::Check,
}

/// Judges every revision after a signature against what it allows.
pub fn judge(history: &History<'_>, perms: &Permissions) -> Judgement {
    use crate::report::{Check, ids};
    let allowed = ModificationLevel::allowed_by_docmdp(perms.docmdp);
    let mut level = ModificationLevel::None;
    let mut forbidden: Vec<String> = Vec::new();
    let mut reported: Vec<String> = Vec::new();
    let mut kinds: Vec<&'static str> = Vec::new();
    let mut warn = false;
    for rev in &history.revisions {
        let findings = classify(rev);
        let rev_level = if rev.without_xref {
            ModificationLevel::None
        } else {
            ModificationLevel::Ltv
        };
        level = level.max(rev_level);
        let mut orphans = 0;
        for f in &findings {
            let (l, w) = rule(f.change);
            if f.change == Change::Orphan {
                orphans += 1;
            }
            if !(rev.without_xref && matches!(f.change, Change::Orphan | Change::Unchanged)) {
                level = level.max(l);
            }
            let locked = l >= ModificationLevel::FormFilling
                && f.field.as_deref().is_some_and(|name| perms.locked(name));
            if l > allowed || locked {
                let why = if locked {
                    " (the field is locked by FieldMDP)".to_string()
                } else if l == ModificationLevel::Other {
                    String::new()
                } else {
                    format!(" (not allowed by DocMDP /P {})", perms.docmdp.unwrap_or(0))
                };
                forbidden.push(format!("{}: {}{why}", rev.label, f.what));
            } else if w {
                warn = true;
                reported.push(format!("{}: {}", rev.label, f.what));
            } else if !f.what.is_empty() {
                let k = kind_name(f.change);
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        if rev.without_xref {
            warn = true;
            reported.push(format!(
                "{}: no reader uses these bytes unless it rebuilds the xref{}",
                rev.label,
                if orphans > 0 {
                    format!("; {orphans} new object(s) there are referenced by nothing")
                } else {
                    String::new()
                }
            ));
        }
    }
    if history.unused_tail > 0 {
        warn = true;
        reported.push(format!(
            "{} bytes follow the last revision but no reader uses them",
            history.unused_tail
        ));
    }
    let revs = history.revisions.iter().filter(|r| !r.without_xref).count();
    let mdp = match perms.docmdp {
        Some(p) => format!(" (DocMDP /P {p})"),
        None => String::new(),
    };
    let after = if revs > 0 {
        format!("changed after signing in {revs} later revision(s){mdp}")
    } else {
        format!("bytes follow the signed revision{mdp}")
    };
    let list = |v: &[String]| {
        let mut v: Vec<String> = v.to_vec();
        let more = v.len().saturating_sub(50);
        v.truncate(50);
        let mut s = v.join("; ");
        if more > 0 {
            s.push_str(&format!("; and {more} more"));
        }
        s
    };
    let check = if !forbidden.is_empty() {
        if allowed < ModificationLevel::Other && perms.docmdp == Some(1) && level > allowed {
            forbidden.insert(
                0,
                "the certification signature (DocMDP /P 1) forbids any change but LTV updates"
                    .into(),
            );
        }
        Check::fail(ids::MODIFICATIONS, format!("{after}: {}", list(&forbidden)))
    } else if warn {
        Check::warn(
            ids::MODIFICATIONS,
            format!("{after}, as allowed: {}", list(&reported)),
        )
    } else if history.revisions.is_empty() {
        Check::pass(
            ids::MODIFICATIONS,
            "nothing was appended after the signature",
        )
    } else {
        let what = if kinds.is_empty() {
            "objects rewritten unchanged".to_string()
        } else {
            kinds.join(", ")
        };
        Check::pass(
            ids::MODIFICATIONS,
            format!("{revs} later revision(s) only add {what}"),
        )
    };
    Judgement { level, check }
}

fn kind_name(c: Change) -> &'static str {
    match c {
        Change::Unchanged => "unchanged rewrites",
        Change::XrefStructure => "cross-reference data",
        Change::Orphan => "unused objects",
        Change::DocInfo => "document information",
        Change::Metadata => "XMP metadata",
        Change::Dss => "document security store (LTV) data",
        Change::Extensions => "PDF version and extension levels",
        Change::DocTimeStamp => "document timestamps",
        Change::InvisibleSigField => "invisible signature fields",
        Change::FormStructure => "form and page annotation lists",
        Change::Signature => "signatures",
        Change::SignatureField => "signature fields, widgets and appearances",
        Change::FieldValue => "form values",
        Change::FormDictionary => "form dictionary entries",
        Change::Annotation => "annotations",
        Change::Forbidden => "other changes",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table_is_complete_and_ordered() {
        let all = [
            Change::Unchanged,
            Change::XrefStructure,
            Change::Orphan,
            Change::DocInfo,
            Change::Metadata,
            Change::Dss,
            Change::Extensions,
            Change::DocTimeStamp,
            Change::InvisibleSigField,
            Change::FormStructure,
            Change::Signature,
            Change::SignatureField,
            Change::FieldValue,
            Change::FormDictionary,
            Change::Annotation,
            Change::Forbidden,
        ];
        for c in all {
            assert_eq!(
                POLICY.iter().filter(|(k, _, _)| *k == c).count(),
                1,
                "{c:?}"
            );
        }
        assert_eq!(rule(Change::Forbidden).0, ModificationLevel::Other);
        assert_eq!(rule(Change::Dss).0, ModificationLevel::Ltv);
        assert!(ModificationLevel::allowed_by_docmdp(Some(1)) < rule(Change::Signature).0);
        assert!(ModificationLevel::allowed_by_docmdp(Some(2)) < rule(Change::Annotation).0);
        assert_eq!(
            ModificationLevel::allowed_by_docmdp(None),
            ModificationLevel::Annotations
        );
    }

    #[test]
    fn locks() {
        let p = Permissions {
            docmdp: None,
            locks: vec![("Include".into(), vec!["a".into()])],
        };
        assert!(p.locked("a") && p.locked("a.b") && !p.locked("ab"));
        let p = Permissions {
            docmdp: None,
            locks: vec![("Exclude".into(), vec!["a".into()])],
        };
        assert!(!p.locked("a") && p.locked("b"));
    }
}
