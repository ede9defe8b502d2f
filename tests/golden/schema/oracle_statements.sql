-- source: session transforms
-- binds: (none)
BEGIN
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SQLTERMINATOR', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'PRETTY', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SEGMENT_ATTRIBUTES', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'STORAGE', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'TABLESPACE', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'CONSTRAINTS_AS_ALTER', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'REF_CONSTRAINTS', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'EMIT_SCHEMA', TRUE);
END;

-- source: session transforms with --tablespaces
-- binds: (none)
BEGIN
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SQLTERMINATOR', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'PRETTY', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'SEGMENT_ATTRIBUTES', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'STORAGE', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'TABLESPACE', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'CONSTRAINTS_AS_ALTER', TRUE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'REF_CONSTRAINTS', FALSE);
  DBMS_METADATA.SET_TRANSFORM_PARAM(DBMS_METADATA.SESSION_TRANSFORM, 'EMIT_SCHEMA', TRUE);
END;

-- source: objects of the chosen owners
-- binds: :1="HR" :2="REF"
SELECT o.owner AS owner, o.object_name AS name, o.object_type AS object_type, o.status AS status
FROM ALL_OBJECTS o
WHERE o.owner IN (:1, :2)
  AND o.object_type IN ('SEQUENCE', 'TYPE', 'TABLE', 'INDEX', 'VIEW', 'FUNCTION', 'PROCEDURE', 'PACKAGE', 'PACKAGE BODY', 'TYPE BODY', 'MATERIALIZED VIEW', 'SYNONYM', 'TRIGGER')
  AND o.generated = 'N' AND o.secondary = 'N'
  AND NOT (o.object_type = 'TABLE' AND EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.owner = o.owner AND m.mview_name = o.object_name))
  AND NOT (o.object_type = 'INDEX' AND EXISTS (SELECT 1 FROM ALL_CONSTRAINTS c WHERE c.index_owner = o.owner AND c.index_name = o.object_name))
ORDER BY o.owner, o.object_name

-- source: what they need from other owners
-- binds: :1="HR" :2="REF" :3="HR" :4="REF"
SELECT d.owner AS owner, d.name AS name, d.type AS object_type,
       d.referenced_owner AS ref_owner, d.referenced_name AS ref_name, d.referenced_type AS ref_type
FROM ALL_DEPENDENCIES d
WHERE d.owner IN (:1, :2)
  AND d.referenced_owner <> d.owner
  AND d.referenced_type <> 'NON-EXISTENT'
UNION
SELECT c.owner, c.table_name, 'TABLE', p.owner, p.table_name, 'TABLE'
FROM ALL_CONSTRAINTS c
  JOIN ALL_CONSTRAINTS p ON p.owner = c.r_owner AND p.constraint_name = c.r_constraint_name
WHERE c.constraint_type = 'R' AND c.owner IN (:3, :4)
  AND p.owner <> c.owner

-- source: foreign keys
-- binds: :1="HR" :2="REF"
SELECT c.owner AS owner, c.constraint_name AS name, c.table_name AS table_name,
       c.status AS status, c.validated AS validated
FROM ALL_CONSTRAINTS c
WHERE c.constraint_type = 'R' AND c.owner IN (:1, :2)
ORDER BY c.owner, c.table_name, c.constraint_name

-- source: BYTE-semantics character columns (12.1 and later)
-- binds: :1="HR" :2="REF"
SELECT c.owner AS owner, c.table_name AS table_name, c.column_name AS column_name,
       c.data_type AS data_type, c.char_length AS char_length
FROM ALL_TAB_COLS c
  JOIN ALL_TABLES t ON t.owner = c.owner AND t.table_name = c.table_name
WHERE c.owner IN (:1, :2)
  AND c.char_used = 'B'
  AND c.data_type IN ('VARCHAR2', 'CHAR')
  AND c.user_generated = 'YES'
ORDER BY c.owner, c.table_name, c.column_id

-- source: BYTE-semantics character columns (before 12.1)
-- binds: :1="HR" :2="REF"
SELECT c.owner AS owner, c.table_name AS table_name, c.column_name AS column_name,
       c.data_type AS data_type, c.char_length AS char_length
FROM ALL_TAB_COLUMNS c
  JOIN ALL_TABLES t ON t.owner = c.owner AND t.table_name = c.table_name
WHERE c.owner IN (:1, :2)
  AND c.char_used = 'B'
  AND c.data_type IN ('VARCHAR2', 'CHAR')
ORDER BY c.owner, c.table_name, c.column_id

-- source: sequences
-- binds: :1="HR" :2="REF"
SELECT s.sequence_owner AS owner, s.sequence_name AS name,
       TO_CHAR(s.increment_by) AS increment_by, TO_CHAR(s.last_number) AS last_number,
       TO_CHAR(s.max_value) AS max_value, TO_CHAR(s.min_value) AS min_value
FROM ALL_SEQUENCES s
WHERE s.sequence_owner IN (:1, :2)
  AND s.sequence_name NOT LIKE 'ISEQ$$\_%' ESCAPE '\'
ORDER BY s.sequence_owner, s.sequence_name

-- source: identity columns
-- binds: :1="HR" :2="REF"
SELECT i.owner AS owner, i.table_name AS table_name, i.column_name AS column_name,
       i.generation_type AS generation_type, c.default_on_null AS default_on_null
FROM ALL_TAB_IDENTITY_COLS i
  JOIN ALL_TAB_COLS c ON c.owner = i.owner AND c.table_name = i.table_name
   AND c.column_name = i.column_name
WHERE i.owner IN (:1, :2)
ORDER BY i.owner, i.table_name, i.column_name

-- source: DDL of one object
-- binds: :1="PACKAGE_BODY" :2="EMP_PKG" :3="HR"
SELECT DBMS_METADATA.GET_DDL(:1, :2, :3) FROM DUAL

-- source: DDL of a foreign key
-- binds: :1="REF_CONSTRAINT" :2="EMP_DEPT_FK" :3="HR"
SELECT DBMS_METADATA.GET_DDL(:1, :2, :3) FROM DUAL

-- source: comments of one object
-- binds: :1="COMMENT" :2="EMPLOYÉS" :3="HR"
SELECT DBMS_METADATA.GET_DEPENDENT_DDL(:1, :2, :3) FROM DUAL

-- target: session
-- binds: (none)
ALTER SESSION SET NLS_LENGTH_SEMANTICS = CHAR

-- target: DDL log
-- binds: (none)
CREATE TABLE CHARMIG.CHARMIG_DDL_LOG (
  STATEMENT_KIND VARCHAR2(40) NOT NULL,
  OBJECT_OWNER   VARCHAR2(128) NOT NULL,
  OBJECT_NAME    VARCHAR2(128) NOT NULL,
  PART           VARCHAR2(400) NOT NULL,
  PHASE          VARCHAR2(20) NOT NULL,
  SEQ            NUMBER NOT NULL,
  STATEMENT      CLOB NOT NULL,
  STATUS         VARCHAR2(10) NOT NULL,
  ERROR          VARCHAR2(4000),
  ATTEMPTS       NUMBER DEFAULT 0 NOT NULL,
  RUN_ID         VARCHAR2(100) NOT NULL,
  STARTED        TIMESTAMP WITH TIME ZONE,
  FINISHED       TIMESTAMP WITH TIME ZONE,
  CONSTRAINT CHARMIG_DDL_LOG_PK PRIMARY KEY (STATEMENT_KIND, OBJECT_OWNER, OBJECT_NAME, PART)
)

-- target: DDL log statuses
-- binds: (none)
SELECT STATEMENT_KIND, OBJECT_OWNER, OBJECT_NAME, PART, STATUS FROM CHARMIG.CHARMIG_DDL_LOG

-- target: DDL log row
-- binds: (none)
MERGE INTO CHARMIG.CHARMIG_DDL_LOG l
USING (SELECT :1 AS k, :2 AS o, :3 AS n, :4 AS p, :5 AS st, :6 AS err, :7 AS run, :8 AS ph, :9 AS seq, :10 AS stmt FROM DUAL) x
  ON (l.STATEMENT_KIND = x.k AND l.OBJECT_OWNER = x.o AND l.OBJECT_NAME = x.n AND l.PART = x.p)
WHEN MATCHED THEN UPDATE SET l.STATUS = x.st, l.ERROR = x.err, l.RUN_ID = x.run, l.ATTEMPTS = l.ATTEMPTS + 1,
  l.FINISHED = SYSTIMESTAMP
WHEN NOT MATCHED THEN INSERT (STATEMENT_KIND, OBJECT_OWNER, OBJECT_NAME, PART, STATUS, ERROR, RUN_ID, PHASE, SEQ, STATEMENT, ATTEMPTS, STARTED, FINISHED)
  VALUES (:11, :12, :13, :14, :15, :16, :17, :18, :19, :20, 1, SYSTIMESTAMP, SYSTIMESTAMP)

-- target: refresh
-- binds: (none)
BEGIN DBMS_MVIEW.REFRESH(list => '"HR"."EMP_TOT"', method => 'C'); END;

-- target: recompile
-- binds: (none)
BEGIN DBMS_UTILITY.COMPILE_SCHEMA(schema => 'HR', compile_all => FALSE); END;

