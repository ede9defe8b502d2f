//! Golden tests: every statement charmig sends to Oracle, rendered to
//! `tests/golden/oracle/*.sql` and compared exactly. A change to any statement shows up as a
//! diff in review. After an intended change: `UPDATE_GOLDEN=1 cargo test --test oracle_golden`,
//! then read the diff before committing it.

use charmig::source::oracle::sql::{
    self, Family, Maintained, RangeSql, ReadAs, ReadColumn, Scope, Stmt,
};
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/oracle")
}

fn render(title: &str, stmt: &Stmt) -> String {
    let binds = if stmt.binds.is_empty() {
        "(none)".to_string()
    } else {
        stmt.binds
            .iter()
            .enumerate()
            .map(|(i, b)| format!(":{}={b:?}", i + 1))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("-- {title}\n-- binds: {binds}\n{}\n", stmt.sql)
}

fn scope(family: Family, schemas: &[&str], maintained: Maintained) -> Scope {
    Scope {
        family,
        schemas: schemas.iter().map(|s| s.to_string()).collect(),
        maintained,
        // charmig's own list of maintained schemas is what pre-12.1 databases get.
        version: if maintained == Maintained::ByList {
            (11, 2)
        } else {
            (19, 0)
        },
    }
}

/// Every statement, by golden file name.
fn statements() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add =
        |name: &str, title: &str, s: Stmt| out.push((name.to_string(), render(title, &s)));
    for f in Family::ORDER {
        add(
            &format!("probe_{}", f.prefix().to_lowercase().trim_end_matches('_')),
            "is this view family readable (ORA-00942 -> next)",
            sql::probe(f),
        );
    }
    add(
        "nls_parameters",
        "database charset, national charset, length semantics",
        sql::nls_parameters(),
    );
    add(
        "identity",
        "database identity: container DBID and name (12.1+, no grant needed)",
        sql::identity(),
    );
    add(
        "identity_v_database",
        "database identity before 12.1: V$DATABASE (needs SELECT_CATALOG_ROLE)",
        sql::identity_v_database(),
    );
    add(
        "max_string_size",
        "MAX_STRING_SIZE from V$PARAMETER",
        sql::max_string_size(),
    );
    add(
        "max_string_size_probe",
        "MAX_STRING_SIZE without V$PARAMETER: 4000 = STANDARD, 4001 = EXTENDED",
        sql::max_string_size_probe(),
    );

    let scopes = [
        (
            "dba",
            "DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)",
            scope(Family::Dba, &[], Maintained::ByFlag),
        ),
        (
            "all_pre12",
            "ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)",
            scope(Family::All, &[], Maintained::ByList),
        ),
        (
            "user",
            "USER_ views (own schema only)",
            scope(Family::User, &[], Maintained::ByFlag),
        ),
    ];
    for (suffix, what, sc) in &scopes {
        for (name, stmt) in sql::dictionary_queries(sc) {
            add(
                &format!("{name}_{suffix}"),
                &format!("{name}: {what}"),
                stmt,
            );
        }
    }
    add(
        "tables_dba_schemas",
        "tables: --schema hr --schema \"Sales Dept\" (bound, matched case-insensitively)",
        sql::tables(&scope(
            Family::Dba,
            &["hr", "Sales Dept"],
            Maintained::ByFlag,
        )),
    );
    add(
        "tables_dba_include_maintained",
        "tables: --include-maintained",
        sql::tables(&scope(Family::Dba, &[], Maintained::Include)),
    );
    add(
        "extents_dba",
        "extents of one table as ROWID bounds (DBA_)",
        sql::extents(Family::Dba, "HR", "EMP").unwrap(),
    );
    add(
        "index_ddl_transforms",
        "DBMS_METADATA session transforms before GET_DDL",
        charmig::source::oracle::ddl::transforms(),
    );
    add(
        "index_ddl",
        "the DDL of one secondary index (plan, ddl indexes)",
        charmig::source::oracle::ddl::index_ddl("HR", "emp name ix"),
    );
    out
}

fn data_statements() -> Vec<(String, String)> {
    let col = |name: &str, read: ReadAs| ReadColumn {
        name: name.into(),
        read,
    };
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Vec<ReadColumn>,
        RangeSql,
    );
    let cases: Vec<Case> = vec![
        (
            "data_single_byte",
            "single-byte database: RAW up to 2000 bytes, SUBSTRB windows beyond, ROWID range",
            "HR",
            "EMPLOYEES",
            vec![
                col("LAST_NAME", ReadAs::Raw),
                col(
                    "NOTES",
                    ReadAs::ByteChunks {
                        width: 2000,
                        count: 2,
                    },
                ),
                col("CODE", ReadAs::Raw),
            ],
            RangeSql::Between,
        ),
        (
            "data_quoted_names",
            "lower-case, spaced and reserved-word names, whole table (no ROWID range)",
            "sales",
            "order notes",
            vec![
                col("text", ReadAs::Raw),
                col("Note Body", ReadAs::Raw),
                col("DATE", ReadAs::Raw),
            ],
            RangeSql::Whole,
        ),
        (
            "data_clob_long",
            "single-byte database: CLOB via DBMS_LOB.CONVERTTOBLOB, LONG via PL/SQL by ROWID (12.1+)",
            "HR",
            "DOCS",
            vec![
                col(
                    "BODY",
                    ReadAs::Lob {
                        csid_charset: "WE8ISO8859P15".into(),
                    },
                ),
                col("LEGACY", ReadAs::Long),
                col(
                    "NBODY",
                    ReadAs::Lob {
                        csid_charset: "AL16UTF16".into(),
                    },
                ),
            ],
            RangeSql::Between,
        ),
        (
            "data_multibyte_legacy",
            "multi-byte legacy database (UTF8): SUBSTR windows of whole characters",
            "APP",
            "T",
            vec![col(
                "C",
                ReadAs::CharChunks {
                    chars: 666,
                    count: 7,
                },
            )],
            RangeSql::Between,
        ),
        (
            "data_al32utf8",
            "AL32UTF8 database (validation): columns read unconverted from the fetch buffer",
            "APP",
            "T",
            vec![col("C", ReadAs::Text), col("D", ReadAs::Text)],
            RangeSql::Between,
        ),
        (
            "data_split_first",
            "ALL_ views, table split at ROWID points: the first part (open below)",
            "HR",
            "EMPLOYEES",
            vec![col("LAST_NAME", ReadAs::Raw)],
            RangeSql::Below,
        ),
        (
            "data_split_middle",
            "ALL_ views, table split at ROWID points: a middle part",
            "HR",
            "EMPLOYEES",
            vec![col("LAST_NAME", ReadAs::Raw)],
            RangeSql::FromBelow,
        ),
        (
            "data_split_last",
            "ALL_ views, table split at ROWID points: the last part (open above)",
            "HR",
            "EMPLOYEES",
            vec![col("LAST_NAME", ReadAs::Raw)],
            RangeSql::From,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, title, owner, table, cols, range)| {
            let sql = sql::data_select(owner, table, &cols, range).unwrap();
            let (lo, hi) = ("AAAR3sAAEAAAACXAAA".to_string(), "AAAR3sAAEAAAACfH//".to_string());
            let binds = match range {
                RangeSql::Whole => vec![],
                RangeSql::Between | RangeSql::FromBelow => vec![lo, hi],
                RangeSql::From => vec![lo],
                RangeSql::Below => vec![hi],
            };
            (name.to_string(), render(title, &Stmt { sql, binds }))
        })
        .chain(std::iter::once((
            "rowid_split_points".to_string(),
            render(
                "split points of a table without readable extents (ALL_ views): first ROWID of each of :1 groups",
                &Stmt { sql: sql::rowid_split_points("HR", "order lines").unwrap(), binds: vec!["12".into()] },
            ),
        )))
        .chain(std::iter::once((
            "orphan_count".to_string(),
            render(
                "orphans of an enabled NOT VALIDATED two-column foreign key (NULL keys are not checked)",
                &Stmt {
                    sql: sql::orphan_count("HR", "order lines", &["ORDER_ID".into(), "line no".into()], "HR", "ORDERS", &["ID".into(), "LINE_NO".into()]).unwrap(),
                    binds: vec![],
                },
            ),
        )))
        .collect()
}

#[test]
fn every_oracle_statement_matches_its_golden_file() {
    let dir = golden_dir();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let all: Vec<(String, String)> = statements().into_iter().chain(data_statements()).collect();
    let mut failures = Vec::new();
    for (name, text) in &all {
        let path = dir.join(format!("{name}.sql"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if &expected == text => {}
            Ok(expected) => failures.push(format!(
                "{name}: differs\n--- golden\n{expected}\n--- now\n{text}"
            )),
            Err(_) => failures.push(format!("{name}: no golden file {}", path.display())),
        }
    }
    // A golden file no statement produces any more is stale.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = file.trim_end_matches(".sql");
        if !all.iter().any(|(n, _)| n == stem) {
            if update {
                std::fs::remove_file(dir.join(&file)).unwrap();
            } else {
                failures.push(format!(
                    "{file}: stale golden file (no statement renders it)"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatch(es); rerun with UPDATE_GOLDEN=1 after checking:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
