//! One DDL statement of a schema run: what it creates, on which object, and when it runs.
//!
//! A statement is identified across runs by (kind, object schema, object name, part), the key
//! of the DDL log: a re-run skips the statements the log says are done, whatever order or
//! number they get, and retries the others.

use super::model::ObjectName;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the copy: objects, keys, checks, indexes, views, functions, foreign keys NOT
    /// VALID, triggers created disabled.
    Create,
    /// After the copy: validate foreign keys, enable triggers, refresh materialized views,
    /// sync sequences again.
    AfterCopy,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Create => "create",
            Phase::AfterCopy => "after_copy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DdlStatement {
    pub phase: Phase,
    /// `create_table`, `add_constraint`, `grant`, …
    pub kind: String,
    /// The object it creates or changes; for a schema, (schema, "").
    pub object: ObjectName,
    /// What part of the object, when several statements touch it (a constraint, index or
    /// trigger name, `column nom`, a grant's grantee and privilege); empty otherwise.
    pub part: String,
    /// The statement, without a terminator.
    pub sql: String,
}

impl DdlStatement {
    pub fn new(
        phase: Phase,
        kind: &str,
        object: &ObjectName,
        part: impl Into<String>,
        sql: String,
    ) -> DdlStatement {
        DdlStatement {
            phase,
            kind: kind.to_string(),
            object: object.clone(),
            part: part.into(),
            sql,
        }
    }

    /// Whether the statement runs again though the log says it is done: syncing a sequence or
    /// an identity generator and refreshing a materialized view take the source's state of the
    /// moment (all idempotent, and a sync never moves back), so an after-copy phase after a
    /// `--catch-up` moves them past the merged rows.
    pub fn reruns(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "sync_sequence" | "sync_identity" | "refresh_matview"
        )
    }

    /// The DDL log's key.
    pub fn key(&self) -> super::pg_run::LogKey {
        (
            self.kind.clone(),
            self.object.schema.clone(),
            self.object.name.clone(),
            self.part.clone(),
        )
    }
}

/// A name (or an error text) made safe for one line of a psql comment or a terminal:
/// [`crate::dialect::comment_text`], the one escaping every script writer uses.
pub fn one_line(name: &str) -> String {
    crate::dialect::comment_text(crate::charset::Dialect::Postgres, name)
}

/// `schema.name` for a comment or a terminal line ([`one_line`] on each part).
pub fn display(o: &ObjectName) -> String {
    if o.name.is_empty() {
        one_line(&o.schema)
    } else {
        format!("{}.{}", one_line(&o.schema), one_line(&o.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_end_a_line_or_a_comment() {
        let s = display(&ObjectName::new("app", "bad\nname*/\\x"));
        assert_eq!(s, "app.bad\\nname*\\/\\\\x");
        assert!(!s.contains('\n') && !s.contains("*/"), "{s}");
        assert_eq!(display(&ObjectName::new("réf", "")), "réf");
    }

    #[test]
    fn syncs_and_refreshes_run_again_in_both_runners() {
        let o = ObjectName::new("app", "t");
        let s = |kind: &str| DdlStatement::new(Phase::AfterCopy, kind, &o, "", String::new());
        for k in ["sync_sequence", "sync_identity", "refresh_matview"] {
            assert!(s(k).reruns(), "{k}");
        }
        for k in ["create_table", "add_constraint", "enable_trigger", "grant"] {
            assert!(!s(k).reruns(), "{k}");
        }
    }
}
