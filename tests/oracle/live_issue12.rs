//! Live tests of the statements changed after the review against Oracle's documentation
//! (issue 12): a clean-up script and its restore on a 3000-byte value, run block by block as
//! SQL*Plus would; a plan over an index-organized table, identity columns and a sequence at
//! its MAXVALUE, applied. They skip without CHARMIG_ORACLE_URL like every live test.

use super::live::{Live, live};
use charmig::clean::changes::Change;
use charmig::clean::oracle_script::{self, Audit};

/// The PL/SQL blocks of a script (each `DECLARE … END;` ended by a line `/`), and its other
/// statements (`COMMIT;`), in order, as SQL*Plus sends them.
fn run_script(l: &Live, text: &str) {
    let mut block = String::new();
    let mut in_block = false;
    for line in text.lines() {
        if in_block {
            if line == "/" {
                l.exec(&block);
                block.clear();
                in_block = false;
            } else {
                block.push_str(line);
                block.push('\n');
            }
        } else if line == "DECLARE" {
            in_block = true;
            block.push_str(line);
            block.push('\n');
        } else if line == "COMMIT;" {
            l.commit();
        }
    }
    assert!(!in_block, "unterminated block");
}

fn audit_ddl(l: &Live) {
    let ddl = include_str!("../../sql/audit_tables_oracle.sql").replace("&audit_schema", &l.user);
    for stmt in ddl
        .split(";\n")
        .map(str::trim)
        .filter(|s| s.starts_with("CREATE TABLE"))
    {
        if !stmt.contains("CHARMIG_TRUNCATED") {
            continue;
        }
        l.exec(&format!(
            "BEGIN EXECUTE IMMEDIATE '{}'; EXCEPTION WHEN OTHERS THEN IF SQLCODE <> -955 THEN RAISE; END IF; END;",
            stmt.replace('\'', "''")
        ));
    }
}

#[test]
fn live_cut_and_restore_of_a_3000_byte_value() {
    let name = "live_cut_and_restore_of_a_3000_byte_value";
    let Some(l) = live(name) else { return };
    if !l.single_byte() {
        super::live::skipped_pub(name, "needs a single-byte database charset");
        return;
    }
    let t = "CHARMIG_LIVE_CUT3000";
    l.drop_table(t);
    l.exec(&format!(
        "CREATE TABLE \"{t}\" (ID NUMBER, V VARCHAR2(4000 BYTE))"
    ));
    audit_ddl(&l);
    l.exec(&format!(
        "DELETE FROM \"{}\".\"CHARMIG_TRUNCATED\" WHERE TABLE_NAME = '{t}'",
        l.user
    ));
    // 3000 bytes: past SQL's 2000-byte RAW limit.
    let original: Vec<u8> = (0..3000u32)
        .map(|i| {
            if i % 7 == 0 {
                0xE9
            } else {
                b'a' + (i % 26) as u8
            }
        })
        .collect();
    l.exec(&format!(
        "DECLARE v VARCHAR2(4000); BEGIN v := UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('{}')) || UTL_RAW.CAST_TO_VARCHAR2(HEXTORAW('{}')); INSERT INTO \"{t}\" VALUES (1, v); END;",
        hex(&original[..1500]),
        hex(&original[1500..])
    ));
    l.commit();
    let rowid: String = l
        .conn
        .query_row_as(&format!("SELECT ROWIDTOCHAR(ROWID) FROM \"{t}\""), &[])
        .unwrap();
    let change = Change {
        owner: l.user.clone(),
        table: t.into(),
        column: "V".into(),
        row_id: rowid,
        original: original.clone(),
        new: original[..2000].to_vec(),
        kept_chars: 2000,
        detail: "live test".into(),
        charset: l.charset.clone(),
        mode: "truncate".into(),
    };
    let mut script = Vec::new();
    oracle_script::write_script(&[change], &l.user, Audit::Truncated, "live-12", &mut script)
        .unwrap();
    run_script(&l, &String::from_utf8(script).unwrap());
    let (len, tail): (i64, String) = l
        .conn
        .query_row_as(
            &format!("SELECT LENGTHB(V), RAWTOHEX(UTL_RAW.CAST_TO_RAW(SUBSTRB(V, 1001, 1000))) FROM \"{t}\""),
            &[],
        )
        .unwrap();
    assert_eq!((len, tail), (2000, hex(&original[1000..2000])));
    let (kept, mid): (i64, String) = l
        .conn
        .query_row_as(
            &format!(
                "SELECT DBMS_LOB.GETLENGTH(ORIGINAL_BYTES), RAWTOHEX(DBMS_LOB.SUBSTR(ORIGINAL_BYTES, 1000, 2001)) \
                 FROM \"{}\".\"CHARMIG_TRUNCATED\" WHERE TABLE_NAME = '{t}'",
                l.user
            ),
            &[],
        )
        .unwrap();
    assert_eq!((kept, mid), (3000, hex(&original[2000..])));

    let mut restore = Vec::new();
    oracle_script::write_restore_script(
        &l.user,
        Audit::Truncated,
        &[(l.user.clone(), t.to_string(), vec!["V".to_string()])],
        &mut restore,
    )
    .unwrap();
    run_script(&l, &String::from_utf8(restore).unwrap());
    let (len, tail): (i64, String) = l
        .conn
        .query_row_as(
            &format!("SELECT LENGTHB(V), RAWTOHEX(UTL_RAW.CAST_TO_RAW(SUBSTRB(V, 2001, 1000))) FROM \"{t}\""),
            &[],
        )
        .unwrap();
    assert_eq!((len, tail), (3000, hex(&original[2000..])));
    l.drop_table(t);
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

#[test]
fn live_plan_over_iot_identity_and_a_full_sequence() {
    let name = "live_plan_over_iot_identity_and_a_full_sequence";
    let Some(l) = live(name) else { return };
    let (iot, idt, seq) = ("CHARMIG_LIVE_IOT", "CHARMIG_LIVE_IDENT", "CHARMIG_LIVE_SEQ");
    l.drop_table(iot);
    l.drop_table(idt);
    l.exec(&format!(
        "BEGIN EXECUTE IMMEDIATE 'DROP SEQUENCE \"{seq}\"'; EXCEPTION WHEN OTHERS THEN NULL; END;"
    ));
    l.exec(&format!(
        "CREATE TABLE \"{iot}\" (CODE CHAR(2 BYTE) CONSTRAINT \"{iot}_PK\" PRIMARY KEY, NAME VARCHAR2(40 BYTE)) ORGANIZATION INDEX"
    ));
    l.exec(&format!(
        "CREATE TABLE \"{idt}\" (ID NUMBER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, STATUS VARCHAR2(10 BYTE) NOT NULL \
         CONSTRAINT \"{idt}_ST\" CHECK (STATUS IN ('OPEN', 'PAID')))"
    ));
    l.exec(&format!("INSERT INTO \"{idt}\" (STATUS) VALUES ('OPEN')"));
    l.exec(&format!("INSERT INTO \"{iot}\" VALUES ('CH', 'Schweiz')"));
    l.exec(&format!(
        "CREATE SEQUENCE \"{seq}\" INCREMENT BY 10 MAXVALUE 30 NOCACHE"
    ));
    for _ in 0..3 {
        let _: i64 = l
            .conn
            .query_row_as(&format!("SELECT \"{seq}\".NEXTVAL FROM dual"), &[])
            .unwrap();
    }
    l.commit();
    let run = |args: &[&str]| -> (i32, String) {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_charmig"))
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let dir = std::env::temp_dir().join(format!("charmig-live-12-{}", std::process::id()));
    let (scan_dir, plan_dir) = (dir.join("scan"), dir.join("plan"));
    let tables = [format!("{}.{iot}", l.user), format!("{}.{idt}", l.user)];
    let (code, err) = run(&[
        "scan",
        "--db",
        &l.opts.url,
        "--table",
        &tables[0],
        "--table",
        &tables[1],
        "--out",
        scan_dir.to_str().unwrap(),
    ]);
    assert!(code <= 1, "{err}");
    let (code, err) = run(&[
        "plan",
        "--scan",
        scan_dir.join("scan.json").to_str().unwrap(),
        "--db",
        &l.opts.url,
        "--char-semantics",
        "all",
        "--out",
        plan_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let readme = std::fs::read_to_string(plan_dir.join("README.txt")).unwrap();
    assert!(
        readme.contains(&format!(
            "{iot}_PK is the primary key of index-organized table"
        )),
        "{readme}"
    );
    assert!(
        readme.contains(&format!("{seq}")) && readme.contains("MAXVALUE 30"),
        "{readme}"
    );
    let after = std::fs::read_to_string(plan_dir.join("03_after_copy.sql")).unwrap();
    assert!(!after.contains("ISEQ$$_"), "{after}");
    assert!(
        after.contains("GENERATED ALWAYS AS IDENTITY (START WITH LIMIT VALUE)"),
        "{after}"
    );
    for step in [
        "01_before_copy",
        "02_semantics",
        "03_after_copy",
        "04_validate",
    ] {
        let (code, err) = run(&[
            "apply",
            "--plan",
            plan_dir.to_str().unwrap(),
            "--db",
            &l.opts.url,
            "--step",
            step,
        ]);
        assert_eq!(code, 0, "{step}: {err}");
    }
    // The identity generator is past the loaded value; the NOT NULL check was never touched.
    l.exec(&format!("INSERT INTO \"{idt}\" (STATUS) VALUES ('PAID')"));
    let ids: i64 = l
        .conn
        .query_row_as(&format!("SELECT COUNT(DISTINCT ID) FROM \"{idt}\""), &[])
        .unwrap();
    assert_eq!(ids, 2);
    l.commit();
    l.drop_table(iot);
    l.drop_table(idt);
    l.exec(&format!("DROP SEQUENCE \"{seq}\""));
    let _ = std::fs::remove_dir_all(&dir);
}
