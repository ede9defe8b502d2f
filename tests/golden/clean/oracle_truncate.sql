-- charmig truncate script, run run-1
-- 2 cells. Each original is kept in AUDIT.CHARMIG_TRUNCATED before its value changes.
-- A cell whose bytes differ from the scan is skipped and reported (DBMS_OUTPUT).
-- Bytes are handled in PL/SQL variables (RAW up to 32767 bytes), never in SQL (2000).
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
WHENEVER SQLERROR EXIT ROLLBACK
SET SERVEROUTPUT ON SIZE UNLIMITED

-- table HR.EMPLOYEES
-- HR.EMPLOYEES.LAST_NAME ROWID AAASETAAEAAAACDAAD: kept 4 of 8 characters
DECLARE
  v_text VARCHAR2(32767);
  v_old  RAW(32767);
  v_scan RAW(32767);
  v_new  RAW(32767);
  v_clob CLOB;
  v_blob BLOB;
BEGIN
  v_scan := HEXTORAW('C976617269737465');
  v_new := HEXTORAW('C9766172');
  SELECT "LAST_NAME" INTO v_text FROM "HR"."EMPLOYEES" WHERE ROWID = CHARTOROWID('AAASETAAEAAAACDAAD') FOR UPDATE;
  v_old := UTL_RAW.CAST_TO_RAW(v_text);
  IF v_old = v_scan THEN
    v_clob := TO_CLOB(v_text);
    DBMS_LOB.CREATETEMPORARY(v_blob, TRUE);
    DBMS_LOB.WRITEAPPEND(v_blob, UTL_RAW.LENGTH(v_old), v_old);
    INSERT INTO "AUDIT"."CHARMIG_TRUNCATED" (OWNER, TABLE_NAME, COLUMN_NAME, ROW_ID, ORIGINAL_VALUE, ORIGINAL_BYTES, KEPT_CHARS, CHARSET, RUN_ID)
      VALUES ('HR', 'EMPLOYEES', 'LAST_NAME', 'AAASETAAEAAAACDAAD', v_clob, v_blob, 4, 'WE8ISO8859P15', 'run-1');
    v_text := UTL_RAW.CAST_TO_VARCHAR2(v_new);
    UPDATE "HR"."EMPLOYEES" SET "LAST_NAME" = v_text WHERE ROWID = CHARTOROWID('AAASETAAEAAAACDAAD');
    DBMS_LOB.FREETEMPORARY(v_blob);
  ELSE
    DBMS_OUTPUT.PUT_LINE('skipped (changed since the scan): HR.EMPLOYEES.LAST_NAME ROWID AAASETAAEAAAACDAAD');
  END IF;
EXCEPTION WHEN NO_DATA_FOUND THEN
  DBMS_OUTPUT.PUT_LINE('skipped (row gone since the scan): HR.EMPLOYEES.LAST_NAME ROWID AAASETAAEAAAACDAAD');
END;
/
COMMIT;

-- table HR.order notes
-- HR.order notes.Note ROWID AAASEaAAEAAAACDAAB: kept 4 of 8 characters
DECLARE
  v_text VARCHAR2(32767);
  v_old  RAW(32767);
  v_scan RAW(32767);
  v_new  RAW(32767);
  v_clob CLOB;
  v_blob BLOB;
BEGIN
  v_scan := HEXTORAW('C976617269737465');
  v_new := HEXTORAW('C9766172');
  SELECT "Note" INTO v_text FROM "HR"."order notes" WHERE ROWID = CHARTOROWID('AAASEaAAEAAAACDAAB') FOR UPDATE;
  v_old := UTL_RAW.CAST_TO_RAW(v_text);
  IF v_old = v_scan THEN
    v_clob := TO_CLOB(v_text);
    DBMS_LOB.CREATETEMPORARY(v_blob, TRUE);
    DBMS_LOB.WRITEAPPEND(v_blob, UTL_RAW.LENGTH(v_old), v_old);
    INSERT INTO "AUDIT"."CHARMIG_TRUNCATED" (OWNER, TABLE_NAME, COLUMN_NAME, ROW_ID, ORIGINAL_VALUE, ORIGINAL_BYTES, KEPT_CHARS, CHARSET, RUN_ID)
      VALUES ('HR', 'order notes', 'Note', 'AAASEaAAEAAAACDAAB', v_clob, v_blob, 4, 'WE8ISO8859P15', 'run-1');
    v_text := UTL_RAW.CAST_TO_VARCHAR2(v_new);
    UPDATE "HR"."order notes" SET "Note" = v_text WHERE ROWID = CHARTOROWID('AAASEaAAEAAAACDAAB');
    DBMS_LOB.FREETEMPORARY(v_blob);
  ELSE
    DBMS_OUTPUT.PUT_LINE('skipped (changed since the scan): HR.order notes.Note ROWID AAASEaAAEAAAACDAAB');
  END IF;
EXCEPTION WHEN NO_DATA_FOUND THEN
  DBMS_OUTPUT.PUT_LINE('skipped (row gone since the scan): HR.order notes.Note ROWID AAASEaAAEAAAACDAAB');
END;
/
COMMIT;
