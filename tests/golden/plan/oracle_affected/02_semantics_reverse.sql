-- charmig plan: REVERSE of 02_semantics
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- undo [02-0004] modify_column app.Audit Log.ITEM
ALTER TABLE "app"."Audit Log" MODIFY ("ITEM" VARCHAR2(40 BYTE));

-- undo [02-0003] modify_column SALES.ORDER_LINES.ITEM
ALTER TABLE "SALES"."ORDER_LINES" MODIFY ("ITEM" VARCHAR2(40 BYTE));

-- undo [02-0002] modify_column HR.EMPLOYEES.NOTE
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("NOTE" VARCHAR2(2000 BYTE));

-- undo [02-0001] modify_column HR.EMPLOYEES.LAST_NAME
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("LAST_NAME" VARCHAR2(20 BYTE));

