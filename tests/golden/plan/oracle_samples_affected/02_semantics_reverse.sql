-- charmig plan: REVERSE of 02_semantics
-- source: snapshot SAMPLES
-- generated: (time)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- undo [02-0002] modify_column HR.EMPLOYEES.LAST_NAME
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("LAST_NAME" VARCHAR2(25 BYTE));

-- undo [02-0001] modify_column CO.ORDERS.NOTES
ALTER TABLE "CO"."ORDERS" MODIFY ("NOTES" VARCHAR2(4000 BYTE));

