-- charmig audit tables (Oracle). charmig creates them itself when absent; this script is
-- for DBAs who prefer to create them by hand, e.g. in a dedicated schema:
--   sqlplus admin@db @audit_tables_oracle.sql CHARMIG_AUDIT
-- Every value charmig truncates or repairs keeps its original here (text as CLOB and the
-- exact stored bytes as BLOB), so `charmig truncate --restore` / `charmig repair --restore`
-- can put it back byte for byte.
DEFINE audit_schema = &1

CREATE TABLE "&audit_schema"."CHARMIG_TRUNCATED" (
  OWNER           VARCHAR2(128 CHAR) NOT NULL,
  TABLE_NAME      VARCHAR2(128 CHAR) NOT NULL,
  COLUMN_NAME     VARCHAR2(128 CHAR) NOT NULL,
  ROW_ID          VARCHAR2(4000)     NOT NULL,
  ORIGINAL_VALUE  CLOB,
  ORIGINAL_BYTES  BLOB               NOT NULL,
  KEPT_CHARS      NUMBER(10)         NOT NULL,
  CHARSET         VARCHAR2(30)       NOT NULL,
  TRUNCATED_AT    TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  RUN_ID          VARCHAR2(64)       NOT NULL,
  CONSTRAINT CHARMIG_TRUNCATED_PK PRIMARY KEY (OWNER, TABLE_NAME, COLUMN_NAME, ROW_ID)
);

CREATE TABLE "&audit_schema"."CHARMIG_REPAIRED" (
  OWNER           VARCHAR2(128 CHAR) NOT NULL,
  TABLE_NAME      VARCHAR2(128 CHAR) NOT NULL,
  COLUMN_NAME     VARCHAR2(128 CHAR) NOT NULL,
  ROW_ID          VARCHAR2(4000)     NOT NULL,
  ORIGINAL_VALUE  CLOB,
  ORIGINAL_BYTES  BLOB               NOT NULL,
  MODE_USED       VARCHAR2(64)       NOT NULL,
  CHARSET         VARCHAR2(30)       NOT NULL,
  REPAIRED_AT     TIMESTAMP WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,
  RUN_ID          VARCHAR2(64)       NOT NULL,
  CONSTRAINT CHARMIG_REPAIRED_PK PRIMARY KEY (OWNER, TABLE_NAME, COLUMN_NAME, ROW_ID)
);
