//! The plan model: ordered steps, each with the statement a DBA reviews, the statement that
//! undoes it, a comment saying why, and the object it touches. `plan.json` holds exactly what
//! the scripts show, so `charmig apply` executes what was reviewed.

use crate::charset::Dialect;
use serde::{Deserialize, Serialize};

/// Version tag of `plan.json`.
pub const PLAN_FORMAT: &str = "charmig-plan/1";

/// The four scripts, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    BeforeCopy,
    Semantics,
    AfterCopy,
    Validate,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::BeforeCopy,
        Phase::Semantics,
        Phase::AfterCopy,
        Phase::Validate,
    ];

    /// The script's file name (without `.sql`).
    pub fn script(self) -> &'static str {
        match self {
            Phase::BeforeCopy => "01_before_copy",
            Phase::Semantics => "02_semantics",
            Phase::AfterCopy => "03_after_copy",
            Phase::Validate => "04_validate",
        }
    }

    /// What the script does, in the words of its dialect, and (PostgreSQL) where it runs.
    pub fn title(self, d: Dialect) -> &'static str {
        match (self, d) {
            (Phase::BeforeCopy, Dialect::Oracle) => {
                "Before the copy: disable triggers and constraints, drop secondary indexes"
            }
            (Phase::BeforeCopy, Dialect::Postgres) => {
                "Before the copy, on the target: disable triggers, drop constraints and secondary indexes"
            }
            (Phase::Semantics, Dialect::Oracle) => "Length semantics: BYTE -> CHAR",
            (Phase::Semantics, Dialect::Postgres) => {
                "Length semantics: nothing on PostgreSQL (lengths count characters)"
            }
            (Phase::AfterCopy, Dialect::Oracle) => {
                "After the copy: re-create indexes, ENABLE NOVALIDATE constraints, re-enable triggers, sync sequences"
            }
            (Phase::AfterCopy, Dialect::Postgres) => {
                "After the copy, on the target: re-create indexes, add constraints back NOT VALID, re-enable triggers, sync sequences"
            }
            (Phase::Validate, Dialect::Oracle) => {
                "Validate constraints (run later, at a quiet time)"
            }
            (Phase::Validate, Dialect::Postgres) => {
                "Validate constraints, on the target (run later, at a quiet time)"
            }
        }
    }
}

/// One statement of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable identifier, e.g. `01-0003`: the script number and position.
    pub id: String,
    pub phase: Phase,
    /// What the step does, e.g. `disable_trigger`.
    pub action: String,
    /// The object it touches, e.g. `HR.EMP_BIU` (names as the dictionary spells them).
    pub object: String,
    /// The statement, without the terminator.
    pub sql: String,
    /// The statement that undoes it, if any.
    pub reverse: Option<String>,
    /// Why.
    pub comment: String,
}

/// Something the plan cannot do by itself: the DBA chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callout {
    pub object: String,
    pub problem: String,
    pub options: String,
}

/// The options a plan was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CharSemantics {
    /// Every BYTE column in scope.
    All,
    /// Only columns the scan found truncation in (and their foreign-key partners).
    Affected,
    None,
}

impl CharSemantics {
    pub fn parse(s: &str) -> Option<CharSemantics> {
        match s.to_ascii_lowercase().as_str() {
            "all" => Some(CharSemantics::All),
            "affected" => Some(CharSemantics::Affected),
            "none" => Some(CharSemantics::None),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanOptions {
    pub char_semantics: CharSemantics,
    pub nchar_to_char: bool,
    pub dialect: Dialect,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub format: String,
    pub source: String,
    pub created_at: String,
    pub options: PlanOptions,
    /// The database the plan was made from (its source), when known: `apply` refuses to run
    /// the target's scripts there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<crate::catalog::DbIdentity>,
    pub steps: Vec<Step>,
    pub callouts: Vec<Callout>,
    /// Facts the DBA should know that need no statement (already-disabled triggers …).
    pub notes: Vec<String>,
}

impl Plan {
    /// Steps of `steps` that must not run on the database `here` (a PostgreSQL plan's
    /// 01/03/04 run on the target, never on the plan's source; its 02 runs nowhere: PostgreSQL
    /// lengths count characters), with the reason. `None`: nothing to refuse.
    pub fn wrong_side(
        &self,
        steps: &[&Step],
        here: Option<&crate::catalog::DbIdentity>,
    ) -> Option<String> {
        if self.options.dialect != Dialect::Postgres {
            return None;
        }
        if let Some(s) = steps.iter().find(|s| s.phase == Phase::Semantics) {
            return Some(format!(
                "step {} ({}) changes Oracle length semantics: on PostgreSQL it runs on neither database (lengths count characters)",
                s.id,
                s.phase.script()
            ));
        }
        let on_source = match (&self.source_identity, here) {
            (Some(a), Some(b)) => a.matches(b),
            _ => false,
        };
        if on_source {
            let mut scripts: Vec<&str> = steps.iter().map(|s| s.phase.script()).collect();
            scripts.dedup();
            if !scripts.is_empty() {
                return Some(format!(
                    "{} run on the target (the UTF8 database the rows are copied into), and --db is the plan's source ({}): \
                     pass the target's URL (its constraints, indexes and triggers are the ones to drop and restore)",
                    scripts.join(", "),
                    self.source_identity
                        .as_ref()
                        .map(|i| i.describe())
                        .unwrap_or_default()
                ));
            }
        }
        None
    }

    pub fn steps_of(&self, phase: Phase) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(move |s| s.phase == phase)
    }
}
