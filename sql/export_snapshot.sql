-- charmig export_snapshot.sql: writes a charmig-snapshot/1 directory with nothing but SQL*Plus,
-- for hosts where charmig cannot connect (no Oracle Instant Client, locked-down servers).
--
-- Usage (SQL*Plus 12.2 or later as the client, for SET MARKUP CSV; a database from 12.1, for
-- invisible and identity columns in the dictionary; on 11.2 use `charmig snapshot`):
--   NLS_LANG=AMERICAN_AMERICA.AL32UTF8 sqlplus user@db @export_snapshot.sql /path/to/snap ALL
--   NLS_LANG=AMERICAN_AMERICA.AL32UTF8 sqlplus user@db @export_snapshot.sql /path/to/snap HR,SALES
-- then, anywhere:  charmig scan --snapshot /path/to/snap
--
-- Argument 1: the directory to write (created with HOST mkdir -p; no spaces in the path).
-- Argument 2: ALL (every schema the user can see, Oracle-maintained ones excluded) or a
--             comma-separated list of schemas.
--
-- How the bytes stay exact: every cell is turned into hex on the server (RAWTOHEX of
-- UTL_RAW.CAST_TO_RAW, in windows of 500 characters for long values; CLOBs through
-- DBMS_LOB.CONVERTTOBLOB into their own charset; LONGs through PL/SQL), so no client
-- conversion ever touches them. NLS_LANG=…AL32UTF8 only makes names with non-ASCII letters
-- come out as UTF-8 in the CSV files. Views used: ALL_ (what this user can see).
--
-- What it writes: snapshot.json, columns.csv, tables.csv, data/NNNNN_OWNER.TABLE.csv (ROWID,
-- then `x` + hex per character cell, empty for NULL), and dictionary/*.csv (the rows of
-- charmig's own dictionary queries, for the offline problem-object report). Also
-- charmig_export_run.sql, the generated script that does the per-table work.
-- Recycle-bin, external and temporary tables, IOT overflow segments, nested-table storage and
-- object tables are not exported (charmig reports them as not scanned).

SET DEFINE ON
DEFINE out_dir = "&1"
DEFINE schemas = "&2"
WHENEVER SQLERROR EXIT SQL.SQLCODE
WHENEVER OSERROR EXIT FAILURE
SET ECHO OFF VERIFY OFF FEEDBACK OFF HEADING OFF PAGESIZE 0 LINESIZE 32767 TRIMSPOOL ON TRIMOUT ON
SET TAB OFF LONG 2000000000 LONGCHUNKSIZE 32767 SQLBLANKLINES OFF
SET SERVEROUTPUT ON SIZE UNLIMITED FORMAT WRAPPED
HOST mkdir -p "&out_dir/data" "&out_dir/dictionary"

PROMPT charmig: generating &out_dir/charmig_export_run.sql
SPOOL &out_dir/charmig_export_run.sql
DECLARE
  v_dir     VARCHAR2(4000) := '&out_dir';
  v_schemas VARCHAR2(4000) := UPPER(REPLACE('&schemas', ' '));
  v_cs      VARCHAR2(64);
  v_ncs     VARCHAR2(64);
  v_version VARCHAR2(64);
  v_mss     VARCHAR2(16);
  v_n       PLS_INTEGER := 0;
  v_item    VARCHAR2(32767);
  v_lob     BOOLEAN;
  v_long    VARCHAR2(512);
  TYPE t_names IS TABLE OF VARCHAR2(512) INDEX BY PLS_INTEGER;
  v_files   t_names;

  PROCEDURE p(s VARCHAR2) IS BEGIN DBMS_OUTPUT.PUT_LINE(s); END;
  FUNCTION q(s VARCHAR2) RETURN VARCHAR2 IS BEGIN RETURN '"' || s || '"'; END;
  FUNCTION csv(s VARCHAR2) RETURN VARCHAR2 IS BEGIN RETURN '"' || REPLACE(s, '"', '""') || '"'; END;
  -- A name on a PROMPT line must stay on it: a line break would end the PROMPT and run the rest.
  FUNCTION one_line(s VARCHAR2) RETURN VARCHAR2 IS
  BEGIN
    IF INSTR(s, CHR(10)) > 0 OR INSTR(s, CHR(13)) > 0 THEN
      RAISE_APPLICATION_ERROR(-20002, 'charmig: the name ' || REPLACE(REPLACE(s, CHR(10), '\n'), CHR(13), '\r')
        || ' holds a line break; SQL*Plus cannot write it on one line. Export with `charmig snapshot` instead.');
    END IF;
    RETURN s;
  END;
  -- A name inside a SQL literal of the generated script.
  FUNCTION lit(s VARCHAR2) RETURN VARCHAR2 IS BEGIN RETURN '''' || REPLACE(s, '''', '''''') || ''''; END;
  FUNCTION in_scope(o VARCHAR2) RETURN BOOLEAN IS
  BEGIN
    IF v_schemas = 'ALL' THEN
      RETURN o NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
         AND o NOT LIKE 'APEX\_%' ESCAPE '\' AND o NOT LIKE 'FLOWS\_%' ESCAPE '\';
    END IF;
    RETURN INSTR(',' || v_schemas || ',', ',' || UPPER(o) || ',') > 0;
  END;
BEGIN
  SELECT MAX(DECODE(parameter, 'NLS_CHARACTERSET', value)), MAX(DECODE(parameter, 'NLS_NCHAR_CHARACTERSET', value)),
         MAX(DECODE(parameter, 'NLS_RDBMS_VERSION', value))
    INTO v_cs, v_ncs, v_version
    FROM nls_database_parameters;
  -- A VARCHAR2 expression is capped at 4000 bytes under STANDARD, 32767 under EXTENDED.
  SELECT CASE WHEN LENGTHB(RPAD('x', 4001, 'x')) > 4000 THEN 'EXTENDED' ELSE 'STANDARD' END INTO v_mss FROM dual;

  p('SET DEFINE OFF ECHO OFF VERIFY OFF FEEDBACK OFF HEADING OFF PAGESIZE 0 LINESIZE 32767 TRIMSPOOL ON');
  p('SET TAB OFF LONG 2000000000 LONGCHUNKSIZE 32767 SQLBLANKLINES OFF');
  p('WHENEVER SQLERROR EXIT SQL.SQLCODE');
  p('SPOOL ' || v_dir || '/snapshot.json');
  p('PROMPT {"format":"charmig-snapshot/1","source":{"dialect":"oracle","version":"' || v_version || '","charset":"'
    || v_cs || '","nchar_charset":"' || v_ncs || '","max_string_size":"' || v_mss || '"},"exported_at":"'
    || TO_CHAR(SYS_EXTRACT_UTC(SYSTIMESTAMP), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '"}');
  p('SPOOL OFF');

  -- Pass 1: columns.csv (every column of every exported table, character or not).
  p('SPOOL ' || v_dir || '/columns.csv');
  p('PROMPT owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable');
  -- Invisible columns (HIDDEN_COLUMN = 'YES', USER_GENERATED = 'YES', no COLUMN_ID) hold data
  -- like any other: they are numbered after the visible ones.
  FOR c IN (SELECT c.owner, c.table_name, c.column_name, NVL(c.column_id, 1000 + c.internal_column_id) AS column_id,
                   c.data_type, c.data_length, c.char_length, c.char_used, c.nullable
              FROM all_tab_cols c
              JOIN all_tables t ON t.owner = c.owner AND t.table_name = c.table_name
             WHERE c.user_generated = 'YES' AND c.virtual_column = 'NO'
               AND t.dropped = 'NO' AND NVL(t.temporary, 'N') = 'N' AND NVL(t.iot_type, '-') <> 'IOT_OVERFLOW' AND t.nested = 'NO'
               AND NOT EXISTS (SELECT 1 FROM all_external_tables x WHERE x.owner = t.owner AND x.table_name = t.table_name)
             ORDER BY c.owner, c.table_name, 4) LOOP
    IF in_scope(c.owner) THEN
      p('PROMPT ' || csv(one_line(c.owner)) || ',' || csv(one_line(c.table_name)) || ',' || csv(one_line(c.column_name)) || ',' || c.column_id || ','
        || csv(c.data_type) || ',' || c.data_length || ',' || c.char_length || ',' || c.char_used || ',' || c.nullable);
    END IF;
  END LOOP;
  p('SPOOL OFF');

  -- Pass 2: tables.csv, naming each table's data file.
  p('SPOOL ' || v_dir || '/tables.csv');
  p('PROMPT owner,table_name,num_rows,data_file');
  FOR t IN (SELECT t.owner, t.table_name, t.num_rows
              FROM all_tables t
             WHERE t.dropped = 'NO' AND NVL(t.temporary, 'N') = 'N' AND NVL(t.iot_type, '-') <> 'IOT_OVERFLOW' AND t.nested = 'NO'
               AND NOT EXISTS (SELECT 1 FROM all_external_tables x WHERE x.owner = t.owner AND x.table_name = t.table_name)
             ORDER BY t.owner, t.table_name) LOOP
    IF in_scope(t.owner) THEN
      v_n := v_n + 1;
      v_files(v_n) := 'data/' || TO_CHAR(v_n, 'FM00000') || '_'
        || REGEXP_REPLACE(t.owner, '[^A-Za-z0-9_-]', '_') || '.' || REGEXP_REPLACE(t.table_name, '[^A-Za-z0-9_-]', '_') || '.csv';
      p('PROMPT ' || csv(one_line(t.owner)) || ',' || csv(one_line(t.table_name)) || ',' || t.num_rows || ',' || csv(v_files(v_n)));
    END IF;
  END LOOP;
  p('SPOOL OFF');

  -- Pass 3: one data file per table: ROWID, then x + hex of each character column's bytes.
  v_n := 0;
  FOR t IN (SELECT t.owner, t.table_name
              FROM all_tables t
             WHERE t.dropped = 'NO' AND NVL(t.temporary, 'N') = 'N' AND NVL(t.iot_type, '-') <> 'IOT_OVERFLOW' AND t.nested = 'NO'
               AND NOT EXISTS (SELECT 1 FROM all_external_tables x WHERE x.owner = t.owner AND x.table_name = t.table_name)
             ORDER BY t.owner, t.table_name) LOOP
    IF in_scope(t.owner) THEN
      v_n := v_n + 1;
      v_lob := FALSE;
      v_long := NULL;
      p('PROMPT charmig: exporting ' || one_line(t.owner || '.' || t.table_name) || ' ...');
      p('SET TERMOUT OFF');
      p('SPOOL ' || v_dir || '/' || v_files(v_n));
      -- The header: one name per line of a CLOB expression (a wide table's header is longer
      -- than any SQL*Plus line), printed in full by SET MARKUP CSV.
      p('SET MARKUP CSV ON QUOTE OFF');
      p('SELECT TO_CLOB(''"ROWID"'')');
      FOR c IN (SELECT column_name, data_type FROM all_tab_cols
                 WHERE owner = t.owner AND table_name = t.table_name AND user_generated = 'YES' AND virtual_column = 'NO'
                   AND data_type IN ('VARCHAR2', 'VARCHAR', 'CHAR', 'CLOB', 'LONG', 'NCHAR', 'NVARCHAR2', 'NCLOB')
                 ORDER BY NVL(column_id, 1000 + internal_column_id)) LOOP
        p('    || ' || lit(',' || csv(one_line(c.column_name))));
        IF c.data_type IN ('CLOB', 'NCLOB') THEN v_lob := TRUE; END IF;
        IF c.data_type = 'LONG' THEN v_long := c.column_name; END IF;
      END LOOP;
      p('  FROM dual');
      p('/');
      IF v_lob OR v_long IS NOT NULL THEN
        p('WITH');
      END IF;
      IF v_lob THEN
        p('  FUNCTION charmig_lob_hex(c IN CLOB CHARACTER SET ANY_CS, csid IN NUMBER) RETURN CLOB IS');
        p('    b BLOB; h CLOB; s VARCHAR2(32767); dest_off INTEGER := 1; src_off INTEGER := 1;');
        p('    ctx INTEGER := DBMS_LOB.DEFAULT_LANG_CTX; warn INTEGER; pos INTEGER := 1; n INTEGER;');
        p('  BEGIN');
        p('    IF c IS NULL THEN RETURN NULL; END IF;');
        p('    DBMS_LOB.CREATETEMPORARY(h, TRUE, DBMS_LOB.CALL);');
        p('    DBMS_LOB.WRITEAPPEND(h, 1, ''x'');');
        p('    IF DBMS_LOB.GETLENGTH(c) > 0 THEN');
        p('      DBMS_LOB.CREATETEMPORARY(b, TRUE, DBMS_LOB.CALL);');
        p('      DBMS_LOB.CONVERTTOBLOB(b, c, DBMS_LOB.LOBMAXSIZE, dest_off, src_off, csid, ctx, warn);');
        p('      IF warn <> 0 THEN RAISE_APPLICATION_ERROR(-20001, ''charmig: CONVERTTOBLOB warning '' || warn); END IF;');
        p('      n := DBMS_LOB.GETLENGTH(b);');
        p('      WHILE pos <= n LOOP');
        p('        s := RAWTOHEX(DBMS_LOB.SUBSTR(b, 16000, pos));');
        p('        DBMS_LOB.WRITEAPPEND(h, LENGTH(s), s);');
        p('        pos := pos + 16000;');
        p('      END LOOP;');
        p('    END IF;');
        p('    RETURN h;');
        p('  END;');
      END IF;
      IF v_long IS NOT NULL THEN
        p('  FUNCTION charmig_long_hex(r IN ROWID) RETURN CLOB IS');
        p('    v VARCHAR2(32767); h CLOB; s VARCHAR2(32767);');
        p('  BEGIN');
        p('    SELECT ' || q(v_long) || ' INTO v FROM ' || q(t.owner) || '.' || q(t.table_name) || ' WHERE ROWID = r;');
        p('    IF v IS NULL THEN RETURN NULL; END IF;');
        p('    DBMS_LOB.CREATETEMPORARY(h, TRUE, DBMS_LOB.CALL);');
        p('    DBMS_LOB.WRITEAPPEND(h, 1, ''x'');');
        p('    s := RAWTOHEX(UTL_RAW.CAST_TO_RAW(SUBSTRB(v, 1, 16000)));');
        p('    IF s IS NOT NULL THEN DBMS_LOB.WRITEAPPEND(h, LENGTH(s), s); END IF;');
        p('    s := RAWTOHEX(UTL_RAW.CAST_TO_RAW(SUBSTRB(v, 16001)));');
        p('    IF s IS NOT NULL THEN DBMS_LOB.WRITEAPPEND(h, LENGTH(s), s); END IF;');
        p('    RETURN h;');
        p('  END;');
      END IF;
      p('SELECT ROWIDTOCHAR(t.ROWID)');
      FOR c IN (SELECT column_name, data_type, data_length FROM all_tab_cols
                 WHERE owner = t.owner AND table_name = t.table_name AND user_generated = 'YES' AND virtual_column = 'NO'
                   AND data_type IN ('VARCHAR2', 'VARCHAR', 'CHAR', 'CLOB', 'LONG', 'NCHAR', 'NVARCHAR2', 'NCLOB')
                 ORDER BY NVL(column_id, 1000 + internal_column_id)) LOOP
        IF c.data_type = 'CLOB' THEN
          v_item := 'charmig_lob_hex(t.' || q(c.column_name) || ', NLS_CHARSET_ID(''' || v_cs || '''))';
        ELSIF c.data_type = 'NCLOB' THEN
          v_item := 'charmig_lob_hex(t.' || q(c.column_name) || ', NLS_CHARSET_ID(''' || v_ncs || '''))';
        ELSIF c.data_type = 'LONG' THEN
          v_item := 'charmig_long_hex(t.ROWID)';
        ELSIF c.data_length <= 1999 THEN
          -- 'x' plus 2 hex digits per byte stays within a 4000-byte VARCHAR2.
          v_item := 'NVL2(t.' || q(c.column_name) || ', ''x'' || RAWTOHEX(UTL_RAW.CAST_TO_RAW(t.' || q(c.column_name) || ')), NULL)';
        ELSE
          -- Windows of 500 characters: at most 2000 bytes each in any charset, never a split
          -- character; one window per line (66 of them for a VARCHAR2(32767)).
          p('     , NVL2(t.' || q(c.column_name) || ', TO_CLOB(''x'')');
          FOR k IN 0 .. CEIL(c.data_length / 500) - 1 LOOP
            p('         || RAWTOHEX(UTL_RAW.CAST_TO_RAW(SUBSTR(t.' || q(c.column_name) || ', ' || (k * 500 + 1) || ', 500)))');
          END LOOP;
          p('       , NULL)');
          v_item := NULL;
        END IF;
        IF v_item IS NOT NULL THEN
          p('     , ' || v_item);
        END IF;
      END LOOP;
      p('  FROM ' || q(t.owner) || '.' || q(t.table_name) || ' t');
      p('/');
      p('SET MARKUP CSV OFF');
      p('SPOOL OFF');
      p('SET TERMOUT ON');
    END IF;
  END LOOP;
  p('EXIT');
END;
/
SPOOL OFF

-- The dictionary: the rows of charmig's own queries (ALL_ views, Oracle-maintained schemas
-- excluded by charmig's list), in the shape charmig reads back. Each statement is exactly the
-- one charmig runs itself (tests/golden/oracle/*_all_pre12.sql; a test keeps them equal).
SET MARKUP CSV ON QUOTE ON
-- dictionary: tables
SPOOL &out_dir/dictionary/tables.csv
PROMPT owner,table_name,num_rows,blocks,avg_row_len,dropped,temporary,iot_type,partitioned,external,nested,object_table,mview
SELECT t.owner AS owner, t.table_name, TO_CHAR(t.num_rows) AS num_rows, TO_CHAR(t.blocks) AS blocks,
       TO_CHAR(t.avg_row_len) AS avg_row_len, t.dropped, t.temporary, t.iot_type, t.partitioned,
       CASE WHEN EXISTS (SELECT 1 FROM ALL_EXTERNAL_TABLES x WHERE x.owner = t.owner AND x.table_name = t.table_name) THEN 'YES' ELSE 'NO' END AS external,
       t.nested, 'NO' AS object_table,
       CASE WHEN EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.owner = t.owner AND m.mview_name = t.table_name) THEN 'YES' ELSE 'NO' END AS mview
  FROM ALL_TABLES t
 WHERE 1 = 1
   AND t.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND t.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND t.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
UNION ALL
SELECT t.owner, t.table_name, TO_CHAR(t.num_rows), TO_CHAR(t.blocks), TO_CHAR(t.avg_row_len), t.dropped,
       t.temporary, t.iot_type, t.partitioned, 'NO', t.nested, 'YES', 'NO'
  FROM ALL_OBJECT_TABLES t
 WHERE 1 = 1
   AND t.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND t.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND t.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2
/
SPOOL OFF
-- dictionary: columns
SPOOL &out_dir/dictionary/columns.csv
PROMPT owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable,virtual_column,hidden_column,identity_column,generation_type,default_on_null
SELECT c.owner AS owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       c.nullable, c.virtual_column, c.hidden_column, c.identity_column, id.generation_type, c.default_on_null
  FROM ALL_TAB_COLS c
  JOIN ALL_TABLES t ON t.owner = c.owner AND t.table_name = c.table_name
  LEFT JOIN ALL_TAB_IDENTITY_COLS id ON id.owner = c.owner AND id.table_name = c.table_name AND id.column_name = c.column_name
 WHERE c.user_generated = 'YES'
   AND c.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND c.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2, c.column_id
/
SPOOL OFF
-- dictionary: constraints
SPOOL &out_dir/dictionary/constraints.csv
PROMPT owner,constraint_name,constraint_type,table_name,r_owner,r_constraint_name,status,validated,delete_rule,index_owner,index_name,generated,search_condition_vc
SELECT c.owner, c.constraint_name, c.constraint_type, c.table_name, c.r_owner, c.r_constraint_name,
       c.status, c.validated, c.delete_rule, c.index_owner, c.index_name, c.generated, c.search_condition AS search_condition_vc
  FROM ALL_CONSTRAINTS c
 WHERE c.constraint_type IN ('P', 'U', 'R', 'C')
   AND c.table_name NOT LIKE 'BIN$%'
   AND c.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND c.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 4, 2
/
SPOOL OFF
-- dictionary: constraint_columns
SPOOL &out_dir/dictionary/constraint_columns.csv
PROMPT owner,constraint_name,table_name,column_name,position
SELECT cc.owner, cc.constraint_name, cc.table_name, cc.column_name, TO_CHAR(cc.position) AS position
  FROM ALL_CONS_COLUMNS cc
 WHERE (cc.owner, cc.constraint_name) IN (
       SELECT k.owner, k.constraint_name FROM ALL_CONSTRAINTS k WHERE k.constraint_type IN ('P', 'U', 'R')
   AND k.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND k.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND k.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
       UNION
       SELECT k.r_owner, k.r_constraint_name FROM ALL_CONSTRAINTS k WHERE k.constraint_type = 'R'
   AND k.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND k.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND k.owner NOT LIKE 'FLOWS\_%' ESCAPE '\')
 ORDER BY 1, 2, cc.position
/
SPOOL OFF
-- dictionary: indexes
SPOOL &out_dir/dictionary/indexes.csv
PROMPT owner,index_name,table_owner,table_name,index_type,uniqueness,status,partitioned,funcidx_status,last_analyzed,stale_stats,unusable_partitions
SELECT i.owner AS owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,
       i.status, i.partitioned, i.funcidx_status,
       TO_CHAR(i.last_analyzed, 'YYYY-MM-DD"T"HH24:MI:SS') AS last_analyzed,
       (SELECT MAX(s.stale_stats) FROM ALL_IND_STATISTICS s
          WHERE s.owner = i.owner AND s.index_name = i.index_name AND s.partition_name IS NULL) AS stale_stats,
       (SELECT TO_CHAR(COUNT(*)) FROM ALL_IND_PARTITIONS p
          WHERE p.index_owner = i.owner AND p.index_name = i.index_name AND p.status = 'UNUSABLE') AS unusable_partitions
  FROM ALL_INDEXES i
 WHERE i.table_name NOT LIKE 'BIN$%'
   AND i.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND i.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND i.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2
/
SPOOL OFF
-- dictionary: index_columns
SPOOL &out_dir/dictionary/index_columns.csv
PROMPT index_owner,index_name,table_name,column_name,column_position,descend,column_expression
SELECT ic.index_owner AS index_owner, ic.index_name, ic.table_name, ic.column_name,
       TO_CHAR(ic.column_position) AS column_position, ic.descend, e.column_expression
  FROM ALL_IND_COLUMNS ic
  LEFT JOIN ALL_IND_EXPRESSIONS e ON e.index_owner = ic.index_owner AND e.index_name = ic.index_name AND e.column_position = ic.column_position
 WHERE 1 = 1
   AND ic.index_owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND ic.index_owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND ic.index_owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2, ic.column_position
/
SPOOL OFF
-- dictionary: triggers
SPOOL &out_dir/dictionary/triggers.csv
PROMPT owner,trigger_name,table_owner,table_name,base_object_type,trigger_type,triggering_event,status
SELECT g.owner AS owner, g.trigger_name, g.table_owner, g.table_name, g.base_object_type,
       g.trigger_type, g.triggering_event, g.status
  FROM ALL_TRIGGERS g
 WHERE g.trigger_name NOT LIKE 'BIN$%'
   AND g.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND g.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND g.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2
/
SPOOL OFF
-- dictionary: sequences
SPOOL &out_dir/dictionary/sequences.csv
PROMPT sequence_owner,sequence_name,last_number,increment_by,min_value,max_value,cycle_flag
SELECT s.sequence_owner AS sequence_owner, s.sequence_name, TO_CHAR(s.last_number) AS last_number,
       TO_CHAR(s.increment_by) AS increment_by, TO_CHAR(s.min_value) AS min_value,
       TO_CHAR(s.max_value) AS max_value, s.cycle_flag
  FROM ALL_SEQUENCES s
 WHERE 1 = 1
   AND s.sequence_owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND s.sequence_owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND s.sequence_owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2
/
SPOOL OFF
-- dictionary: objects
SPOOL &out_dir/dictionary/objects.csv
PROMPT owner,object_name,object_type,status
SELECT o.owner AS owner, o.object_name, o.object_type, o.status
  FROM ALL_OBJECTS o
 WHERE o.status <> 'VALID'
   AND o.object_name NOT LIKE 'BIN$%'
   AND o.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND o.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND o.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 3, 2
/
SPOOL OFF
-- dictionary: errors
SPOOL &out_dir/dictionary/errors.csv
PROMPT owner,name,type,sequence,line,position,attribute,text
SELECT e.owner AS owner, e.name, e.type, TO_CHAR(e.sequence) AS sequence, TO_CHAR(e.line) AS line,
       TO_CHAR(e.position) AS position, e.attribute, e.text
  FROM ALL_ERRORS e
 WHERE 1 = 1
   AND e.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND e.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND e.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 3, 2, e.sequence
/
SPOOL OFF
-- dictionary: partition_keys
SPOOL &out_dir/dictionary/partition_keys.csv
PROMPT owner,table_name,column_name,key_kind
SELECT k.owner AS owner, k.name AS table_name, k.column_name, 'PARTITION' AS key_kind
  FROM ALL_PART_KEY_COLUMNS k
 WHERE k.object_type = 'TABLE'
   AND k.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND k.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND k.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
UNION ALL
SELECT k.owner, k.name, k.column_name, 'SUBPARTITION'
  FROM ALL_SUBPART_KEY_COLUMNS k
 WHERE k.object_type = 'TABLE'
   AND k.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND k.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND k.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2, 3
/
SPOOL OFF
-- end of dictionary statements
SET MARKUP CSV OFF

PROMPT charmig: exporting data (this takes as long as reading every character column once)
@&out_dir/charmig_export_run.sql
