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

    pub fn title(self) -> &'static str {
        match self {
            Phase::BeforeCopy => {
                "Before the copy: disable triggers and constraints, drop secondary indexes"
            }
            Phase::Semantics => "Length semantics: BYTE -> CHAR",
            Phase::AfterCopy => {
                "After the copy: re-create indexes, ENABLE NOVALIDATE constraints, re-enable triggers, sync sequences"
            }
            Phase::Validate => "Validate constraints (run later, at a quiet time)",
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
    pub steps: Vec<Step>,
    pub callouts: Vec<Callout>,
    /// Facts the DBA should know that need no statement (already-disabled triggers …).
    pub notes: Vec<String>,
}

impl Plan {
    pub fn steps_of(&self, phase: Phase) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(move |s| s.phase == phase)
    }
}
