-- charmig plan: Length semantics: BYTE -> CHAR
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- DECIDE: HR.EMPLOYEES.NOTE: 1 values exceed the 4000-byte type limit even with CHAR semantics
--   options: change the column to CLOB, set MAX_STRING_SIZE=EXTENDED (VARCHAR2 up to 32767 bytes), or cut the values with `charmig truncate` (originals kept)
-- DECIDE: SALES.ORDERS.REGION: partitioning key column: its length semantics cannot be changed in place (ORA-14060)
--   options: re-create the table with the new definition (CTAS or online redefinition with DBMS_REDEFINITION), or keep BYTE semantics and truncate the values that do not fit

-- [02-0001] modify_column HR.EMPLOYEES.LAST_NAME: 3 values would exceed the BYTE limit after conversion
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("LAST_NAME" VARCHAR2(20 CHAR));

-- [02-0002] modify_column HR.EMPLOYEES.NOTE: 2 values would exceed the BYTE limit after conversion; note: 2000 characters can need up to 8000 bytes, above the 4000-byte type limit
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("NOTE" VARCHAR2(2000 CHAR));

-- [02-0003] modify_column SALES.ORDER_LINES.ITEM: foreign-key partner of app.Audit Log.ITEM (constraint audit item fk)
ALTER TABLE "SALES"."ORDER_LINES" MODIFY ("ITEM" VARCHAR2(40 CHAR));

-- [02-0004] modify_column app.Audit Log.ITEM: 4 values would exceed the BYTE limit after conversion
ALTER TABLE "app"."Audit Log" MODIFY ("ITEM" VARCHAR2(40 CHAR));

