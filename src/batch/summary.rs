//! The summary of a batch run: counts by verdict and by failing check id.

use super::pool::Outcome;
use crate::report::{Report, Status, Verdict};
use std::collections::BTreeMap;

/// Counts of a batch run: inputs, reports by verdict, failing check ids, errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Inputs verified.
    pub inputs: u64,
    /// Reports produced.
    pub reports: u64,
    /// Reports with verdict valid.
    pub valid: u64,
    /// Reports with verdict invalid.
    pub invalid: u64,
    /// Reports with verdict indeterminate.
    pub indeterminate: u64,
    /// Reports carrying an error (unreadable file, unknown or malformed input).
    pub errors: u64,
    /// For each check id, the number of reports in which it failed.
    pub failed_checks: BTreeMap<String, u64>,
    /// For each check id, the number of reports in which it was indeterminate.
    pub indeterminate_checks: BTreeMap<String, u64>,
}

impl Summary {
    /// Counts one input's reports.
    pub fn add_outcome(&mut self, o: &Outcome) {
        self.inputs += 1;
        for r in &o.reports {
            self.add(r);
        }
    }

    /// Counts one report.
    pub fn add(&mut self, r: &Report) {
        self.reports += 1;
        match r.verdict {
            Verdict::Valid => self.valid += 1,
            Verdict::Invalid => self.invalid += 1,
            Verdict::Indeterminate => self.indeterminate += 1,
        }
        if r.error.is_some() {
            self.errors += 1;
        }
        let mut failed: Vec<&str> = Vec::new();
        let mut undecided: Vec<&str> = Vec::new();
        for c in r
            .checks
            .iter()
            .chain(r.signatures.iter().flat_map(|s| s.checks.iter()))
        {
            match c.status {
                Status::Fail if !failed.contains(&c.id.as_str()) => failed.push(&c.id),
                Status::Indeterminate if !undecided.contains(&c.id.as_str()) => {
                    undecided.push(&c.id)
                }
                _ => {}
            }
        }
        for id in failed {
            *self.failed_checks.entry(id.to_string()).or_default() += 1;
        }
        for id in undecided {
            *self.indeterminate_checks.entry(id.to_string()).or_default() += 1;
        }
    }

    /// The overall verdict: invalid if any report is, else indeterminate if any is, else valid.
    pub fn verdict(&self) -> Verdict {
        if self.invalid > 0 {
            Verdict::Invalid
        } else if self.indeterminate > 0 {
            Verdict::Indeterminate
        } else {
            Verdict::Valid
        }
    }
}
