-- charmig plan: After the copy: re-create indexes, ENABLE NOVALIDATE constraints, re-enable triggers, sync sequences
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- [03-0001] create_index HR.EMP_NAME_IX: re-create the index dropped before the copy on HR.EMPLOYEES
CREATE INDEX "HR"."EMP_NAME_IX" ON "HR"."EMPLOYEES" ("LAST_NAME", "CODE");

-- [03-0002] create_index HR.EMP_UPPER_IX: re-create the index dropped before the copy on HR.EMPLOYEES
CREATE INDEX "HR"."EMP_UPPER_IX" ON "HR"."EMPLOYEES" (UPPER("LAST_NAME")) PCTFREE 10 TABLESPACE "USERS";

-- [03-0003] create_index app.audit msg ix: re-create the index dropped before the copy on app.Audit Log
CREATE INDEX "app"."audit msg ix" ON "app"."Audit Log" ("Msg");

-- [03-0004] enable_constraint HR.DEPT_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "HR"."DEPARTMENTS" ENABLE NOVALIDATE CONSTRAINT "DEPT_PK";

-- [03-0005] enable_constraint HR.EMP_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_PK";

-- [03-0006] enable_constraint SALES.ORD_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "SALES"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORD_PK";

-- [03-0007] enable_constraint SALES.OL_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "SALES"."ORDER_LINES" ENABLE NOVALIDATE CONSTRAINT "OL_PK";

-- [03-0008] enable_constraint SALES.OL_ITEM_UK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "SALES"."ORDER_LINES" ENABLE NOVALIDATE CONSTRAINT "OL_ITEM_UK";

-- [03-0009] enable_constraint HR.EMP_CODE_CK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_CODE_CK";

-- [03-0010] enable_constraint HR.EMP_DEPT_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_DEPT_FK";

-- [03-0011] enable_constraint SALES.ORD_EMP_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "SALES"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORD_EMP_FK";

-- [03-0012] enable_constraint SALES.OL_ORD_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "SALES"."ORDER_LINES" ENABLE NOVALIDATE CONSTRAINT "OL_ORD_FK";

-- [03-0013] enable_constraint app.audit item fk: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "app"."Audit Log" ENABLE NOVALIDATE CONSTRAINT "audit item fk";

-- [03-0014] enable_constraint SALES.SHIP_OL_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "SALES"."SHIPMENTS" ENABLE NOVALIDATE CONSTRAINT "SHIP_OL_FK";

-- [03-0015] enable_trigger HR.EMP_BIU: it was enabled before the copy
ALTER TRIGGER "HR"."EMP_BIU" ENABLE;

-- [03-0016] enable_trigger app.audit"trg: it was enabled before the copy
ALTER TRIGGER "app"."audit""trg" ENABLE;

-- [03-0017] sync_sequence HR.EMP_SEQ: the target sequence must not hand out values the source already used (source last value 1042)
DECLARE
  v NUMBER;
BEGIN
  SELECT "HR"."EMP_SEQ".NEXTVAL INTO v FROM dual;
  IF v + (1) < 1043 THEN
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."EMP_SEQ" INCREMENT BY ' || TO_CHAR(1043 - v - (1));
    SELECT "HR"."EMP_SEQ".NEXTVAL INTO v FROM dual;
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."EMP_SEQ" INCREMENT BY 1';
  END IF;
END;
/

