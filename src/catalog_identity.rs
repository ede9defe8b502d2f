//! Database identity (which database a scan.json, plan.json or snapshot was made on) and the
//! one-line rendering of names in its messages. Part of [`crate::catalog`], in its own file by
//! size.

use serde::{Deserialize, Serialize};

/// The identity of one database: what makes a scan.json, plan.json or copy refuse a database
/// it was not made on.
///
/// PostgreSQL: `system_identifier` of `pg_control_system()` (one per cluster, survives
/// restarts, differs between clusters made by separate `initdb`s) and `current_database()`.
/// Oracle: the container's DBID and name (`SYS_CONTEXT('USERENV', 'CON_DBID' / 'CON_NAME')`,
/// so two PDBs of one CDB differ), else `V$DATABASE` (DBID, NAME) before 12.1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbIdentity {
    /// PostgreSQL system identifier or Oracle DBID, as decimal text.
    pub system_id: String,
    /// Database name (PostgreSQL current_database(), Oracle container or database name).
    pub database: String,
}

impl DbIdentity {
    /// True when both name the same database: same system id and same database name,
    /// compared exactly (PostgreSQL names are case-sensitive; Oracle reports upper case).
    pub fn matches(&self, other: &DbIdentity) -> bool {
        self.system_id == other.system_id && self.database == other.database
    }

    /// `database shop (system id 7301234567890123456)`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "database {} (system id {})",
            printable(&self.database),
            self.system_id
        )
    }

    /// The error text when `file` (e.g. `scan.json`, `plan.json`) was made on `made_on` and
    /// the command now runs against `here`:
    /// `scan.json was made on database X (system id …), this is database Y (system id …): rescan this database`.
    /// `fix` is the remedy (`rescan this database`, `make the plan again from a scan of this database` …).
    pub fn mismatch_message(
        file: &str,
        made_on: &DbIdentity,
        here: &DbIdentity,
        fix: &str,
    ) -> String {
        format!(
            "{file} was made on {}, this is {}: {fix}",
            made_on.describe(),
            here.describe()
        )
    }

    /// Checks that `file`, recorded on `made_on`, is used on `here`. Unknown on either side
    /// (older files, an Oracle role without V$DATABASE) passes: the caller may warn with
    /// [`DbIdentity::unknown_note`].
    pub fn check(
        file: &str,
        made_on: Option<&DbIdentity>,
        here: Option<&DbIdentity>,
        fix: &str,
    ) -> Result<(), String> {
        match (made_on, here) {
            (Some(a), Some(b)) if !a.matches(b) => {
                Err(DbIdentity::mismatch_message(file, a, b, fix))
            }
            _ => Ok(()),
        }
    }

    /// A note for when one side's identity is unknown, or `None` when both are known.
    pub fn unknown_note(
        file: &str,
        made_on: Option<&DbIdentity>,
        here: Option<&DbIdentity>,
    ) -> Option<String> {
        match (made_on, here) {
            (Some(_), Some(_)) => None,
            (None, _) => Some(format!(
                "note: {file} does not record which database it was made on; make sure it is this one"
            )),
            (_, None) => Some(format!(
                "note: the identity of this database could not be read (PostgreSQL pg_control_system(), \
                 Oracle V$DATABASE); make sure {file} was made on it"
            )),
        }
    }
}

/// A name or value made safe for one line of text: control characters as `\u{..}` escapes.
pub fn printable(s: &str) -> String {
    // One display policy for every printer: report::term decides how a control character looks.
    crate::report::term::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::SourceInfo;

    #[test]
    fn identity_matches_and_the_mismatch_names_both_databases() {
        let a = DbIdentity {
            system_id: "7301".into(),
            database: "shop".into(),
        };
        let b = DbIdentity {
            system_id: "7301".into(),
            database: "shop_copy".into(),
        };
        assert!(a.matches(&a.clone()));
        assert!(!a.matches(&b));
        assert!(DbIdentity::check("scan.json", Some(&a), Some(&a), "rescan").is_ok());
        assert!(DbIdentity::check("scan.json", None, Some(&a), "rescan").is_ok());
        assert_eq!(
            DbIdentity::check("scan.json", Some(&a), Some(&b), "rescan this database").unwrap_err(),
            "scan.json was made on database shop (system id 7301), this is database shop_copy \
             (system id 7301): rescan this database"
        );
        let evil = DbIdentity {
            system_id: "1".into(),
            database: "x\ny".into(),
        };
        assert!(!evil.describe().contains('\n'));
        assert!(DbIdentity::unknown_note("scan.json", None, Some(&a)).is_some());
        assert!(DbIdentity::unknown_note("scan.json", Some(&a), Some(&a)).is_none());
        // Old JSON without the field still reads; a known identity round-trips.
        let old = r#"{"dialect":"postgres","version":"16","charset":"LATIN1","nchar_charset":null,"max_string_size":"STANDARD"}"#;
        let s: SourceInfo = serde_json::from_str(old).unwrap();
        assert!(s.identity.is_none());
        let mut s2 = s.clone();
        s2.identity = Some(a.clone());
        let back: SourceInfo = serde_json::from_str(&serde_json::to_string(&s2).unwrap()).unwrap();
        assert_eq!(back.identity, Some(a));
    }
}
