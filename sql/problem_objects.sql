-- charmig problem_objects.sql: the checks of `charmig objects`, for DBAs who only have SQL*Plus.
--
-- Usage (as a user with SELECT_CATALOG_ROLE; DBA_ views):
--   sqlplus user@db @problem_objects.sql 30        (Oracle 12.1 or later)
-- Argument 1: statistics older than this many days count as stale.
--
-- Each section starts with `== <id>: <title>`, the same ids as objects.csv/objects.json of
-- `charmig objects`. Oracle-maintained schemas are left out by ALL_USERS.ORACLE_MAINTAINED
-- (Oracle 12.1+; a substitution variable holds at most 240 characters, too few for a list). Differences from the tool: the function-based index section
-- lists every function-based index on a table with character columns and shows the
-- expression (the tool lists only those whose expression names a character column), and
-- orphan rows are counted by the PL/SQL block at the end.

SET DEFINE ON VERIFY OFF FEEDBACK OFF PAGESIZE 50000 LINESIZE 250 TRIMSPOOL ON TAB OFF LONG 4000
SET SERVEROUTPUT ON SIZE UNLIMITED
DEFINE stats_days = "&1"
DEFINE not_maintained = "NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')"
COLUMN object FORMAT A60
COLUMN on_table FORMAT A60
COLUMN detail FORMAT A100 WORD_WRAPPED

PROMPT == disabled_triggers: Disabled triggers
SELECT owner || '.' || trigger_name AS object, table_owner || '.' || table_name AS on_table,
       trigger_type || ' ' || triggering_event || ' ' || base_object_type AS detail
  FROM dba_triggers
 WHERE status = 'DISABLED' AND owner &not_maintained AND owner NOT LIKE 'APEX\_%' ESCAPE '\' AND trigger_name NOT LIKE 'BIN$%'
 ORDER BY 1;

PROMPT == invalid_objects: Invalid objects (with their DBA_ERRORS lines below)
SELECT owner || '.' || object_name AS object, object_type AS on_table, status AS detail
  FROM dba_objects
 WHERE status <> 'VALID' AND owner &not_maintained AND owner NOT LIKE 'APEX\_%' ESCAPE '\' AND object_name NOT LIKE 'BIN$%'
 ORDER BY 1, 2;
SELECT owner || '.' || name AS object, type || ' line ' || line || ', column ' || position AS on_table,
       attribute || ': ' || text AS detail
  FROM dba_errors
 WHERE owner &not_maintained AND owner NOT LIKE 'APEX\_%' ESCAPE '\'
 ORDER BY owner, name, type, sequence;

PROMPT == disabled_constraints: Disabled constraints
SELECT owner || '.' || constraint_name AS object, owner || '.' || table_name AS on_table,
       DECODE(constraint_type, 'P', 'PRIMARY KEY', 'U', 'UNIQUE', 'R', 'FOREIGN KEY', 'C', 'CHECK', constraint_type) AS detail
  FROM dba_constraints
 WHERE status = 'DISABLED' AND constraint_type IN ('P', 'U', 'R', 'C')
   AND owner &not_maintained AND owner NOT LIKE 'APEX\_%' ESCAPE '\' AND table_name NOT LIKE 'BIN$%'
 ORDER BY 1;

PROMPT == not_validated_constraints: Enabled but NOT VALIDATED constraints (orphan rows of foreign keys below)
SELECT owner || '.' || constraint_name AS object, owner || '.' || table_name AS on_table,
       DECODE(constraint_type, 'P', 'PRIMARY KEY', 'U', 'UNIQUE', 'R', 'FOREIGN KEY', 'C', 'CHECK', constraint_type) AS detail
  FROM dba_constraints
 WHERE status = 'ENABLED' AND validated = 'NOT VALIDATED' AND constraint_type IN ('P', 'U', 'R', 'C')
   AND owner &not_maintained AND owner NOT LIKE 'APEX\_%' ESCAPE '\' AND table_name NOT LIKE 'BIN$%'
 ORDER BY 1;
-- Orphans: the statement the tool runs (src/source/oracle/sql.rs orphan_count), built here in
-- PL/SQL. Rows with a NULL in any key column are not checked by Oracle and not counted.
DECLARE
  v_sql VARCHAR2(32767);
  v_nn  VARCHAR2(32767);
  v_on  VARCHAR2(32767);
  v_n   NUMBER;
BEGIN
  FOR k IN (SELECT c.owner, c.constraint_name, c.table_name, p.owner AS r_owner, p.table_name AS r_table, p.constraint_name AS r_name
              FROM dba_constraints c JOIN dba_constraints p ON p.owner = c.r_owner AND p.constraint_name = c.r_constraint_name
             WHERE c.constraint_type = 'R' AND c.status = 'ENABLED' AND c.validated = 'NOT VALIDATED'
               AND c.owner &not_maintained AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\'
             ORDER BY 1, 2) LOOP
    v_nn := NULL;
    v_on := NULL;
    FOR col IN (SELECT cc.column_name AS child, pc.column_name AS parent
                  FROM dba_cons_columns cc JOIN dba_cons_columns pc ON pc.owner = k.r_owner AND pc.constraint_name = k.r_name AND pc.position = cc.position
                 WHERE cc.owner = k.owner AND cc.constraint_name = k.constraint_name
                 ORDER BY cc.position) LOOP
      v_nn := v_nn || CASE WHEN v_nn IS NOT NULL THEN ' AND ' END || 'c."' || col.child || '" IS NOT NULL';
      v_on := v_on || CASE WHEN v_on IS NOT NULL THEN ' AND ' END || 'p."' || col.parent || '" = c."' || col.child || '"';
    END LOOP;
    v_sql := 'SELECT COUNT(*) FROM "' || k.owner || '"."' || k.table_name || '" c WHERE ' || v_nn
          || ' AND NOT EXISTS (SELECT 1 FROM "' || k.r_owner || '"."' || k.r_table || '" p WHERE ' || v_on || ')';
    BEGIN
      EXECUTE IMMEDIATE v_sql INTO v_n;
      DBMS_OUTPUT.PUT_LINE(k.owner || '.' || k.constraint_name || ': ' || v_n || ' orphan rows');
    EXCEPTION WHEN OTHERS THEN
      DBMS_OUTPUT.PUT_LINE(k.owner || '.' || k.constraint_name || ': not counted: ' || SQLERRM);
    END;
  END LOOP;
END;
/

PROMPT == index_statistics: Indexes with missing or stale statistics (older than &stats_days days)
SELECT i.owner || '.' || i.index_name AS object, i.table_owner || '.' || i.table_name AS on_table,
       CASE WHEN i.last_analyzed IS NULL THEN 'never analyzed'
            WHEN s.stale_stats = 'YES' THEN 'statistics flagged STALE'
            ELSE 'analyzed ' || TO_CHAR(i.last_analyzed, 'YYYY-MM-DD') || ', older than &stats_days days' END AS detail
  FROM dba_indexes i
  LEFT JOIN dba_ind_statistics s ON s.owner = i.owner AND s.index_name = i.index_name AND s.partition_name IS NULL
 WHERE i.index_type NOT IN ('LOB', 'DOMAIN')
   AND (i.last_analyzed IS NULL OR s.stale_stats = 'YES' OR i.last_analyzed < SYSDATE - &stats_days)
   AND i.owner &not_maintained AND i.owner NOT LIKE 'APEX\_%' ESCAPE '\' AND i.table_name NOT LIKE 'BIN$%'
 ORDER BY 1;

PROMPT == unusable_indexes: Unusable or invalid indexes (and index partitions)
SELECT owner || '.' || index_name AS object, table_owner || '.' || table_name AS on_table, status AS detail
  FROM dba_indexes
 WHERE status NOT IN ('VALID', 'N/A') AND owner &not_maintained AND owner NOT LIKE 'APEX\_%' ESCAPE '\'
UNION ALL
SELECT index_owner || '.' || index_name, 'partition ' || partition_name, status
  FROM dba_ind_partitions
 WHERE status = 'UNUSABLE' AND index_owner &not_maintained AND index_owner NOT LIKE 'APEX\_%' ESCAPE '\'
 ORDER BY 1, 2;

PROMPT == byte_semantics_columns: Character columns with BYTE length semantics
SELECT c.owner || '.' || c.table_name || '.' || c.column_name AS object, c.data_type AS on_table,
       c.data_length || ' BYTE' AS detail
  FROM dba_tab_cols c JOIN dba_tables t ON t.owner = c.owner AND t.table_name = c.table_name
 WHERE c.char_used = 'B' AND c.data_type IN ('VARCHAR2', 'VARCHAR', 'CHAR') AND c.hidden_column = 'NO'
   AND c.owner &not_maintained AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\' AND c.table_name NOT LIKE 'BIN$%'
 ORDER BY c.owner, c.table_name, c.column_id;

PROMPT == nchar_columns: NCHAR, NVARCHAR2 and NCLOB columns
SELECT c.owner || '.' || c.table_name || '.' || c.column_name AS object, c.data_type AS on_table, NULL AS detail
  FROM dba_tab_cols c JOIN dba_tables t ON t.owner = c.owner AND t.table_name = c.table_name
 WHERE c.data_type IN ('NCHAR', 'NVARCHAR2', 'NCLOB') AND c.hidden_column = 'NO'
   AND c.owner &not_maintained AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\' AND c.table_name NOT LIKE 'BIN$%'
 ORDER BY c.owner, c.table_name, c.column_id;

PROMPT == long_columns: LONG columns
SELECT c.owner || '.' || c.table_name || '.' || c.column_name AS object, c.data_type AS on_table, NULL AS detail
  FROM dba_tab_cols c JOIN dba_tables t ON t.owner = c.owner AND t.table_name = c.table_name
 WHERE c.data_type = 'LONG'
   AND c.owner &not_maintained AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\' AND c.table_name NOT LIKE 'BIN$%'
 ORDER BY 1;

PROMPT == function_based_indexes_on_char: Function-based indexes on tables with character columns
SELECT e.index_owner || '.' || e.index_name AS object, e.table_owner || '.' || e.table_name AS on_table,
       e.column_expression AS detail
  FROM dba_ind_expressions e
 WHERE EXISTS (SELECT 1 FROM dba_tab_cols c
                WHERE c.owner = e.table_owner AND c.table_name = e.table_name AND c.hidden_column = 'NO'
                  AND c.data_type IN ('VARCHAR2', 'VARCHAR', 'CHAR', 'CLOB', 'NCHAR', 'NVARCHAR2', 'NCLOB'))
   AND e.index_owner &not_maintained AND e.index_owner NOT LIKE 'APEX\_%' ESCAPE '\'
 ORDER BY 1;
