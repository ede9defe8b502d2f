-- charmig plan: Before the copy: disable triggers and constraints, drop secondary indexes
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- [01-0001] disable_trigger HR.EMP_BIU: trigger on HR.EMPLOYEES must not fire for copied rows
ALTER TRIGGER "HR"."EMP_BIU" DISABLE;

-- [01-0002] disable_trigger app.audit"trg: trigger on app.Audit Log must not fire for copied rows
ALTER TRIGGER "app"."audit""trg" DISABLE;

-- [01-0003] disable_constraint SALES.SHIP_OL_FK: foreign key SALES.SHIPMENTS -> SALES.ORDER_LINES: disabled children first so tables load in any order
ALTER TABLE "SALES"."SHIPMENTS" DISABLE CONSTRAINT "SHIP_OL_FK";

-- [01-0004] disable_constraint app.audit item fk: foreign key app.Audit Log -> SALES.ORDER_LINES: disabled children first so tables load in any order
ALTER TABLE "app"."Audit Log" DISABLE CONSTRAINT "audit item fk";

-- [01-0005] disable_constraint SALES.OL_ORD_FK: foreign key SALES.ORDER_LINES -> SALES.ORDERS: disabled children first so tables load in any order
ALTER TABLE "SALES"."ORDER_LINES" DISABLE CONSTRAINT "OL_ORD_FK";

-- [01-0006] disable_constraint SALES.ORD_EMP_FK: foreign key SALES.ORDERS -> HR.EMPLOYEES: disabled children first so tables load in any order
ALTER TABLE "SALES"."ORDERS" DISABLE CONSTRAINT "ORD_EMP_FK";

-- [01-0007] disable_constraint HR.EMP_DEPT_FK: foreign key HR.EMPLOYEES -> HR.DEPARTMENTS: disabled children first so tables load in any order
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_DEPT_FK";

-- [01-0008] disable_constraint HR.EMP_CODE_CK: check on HR.EMPLOYEES: re-enabled NOVALIDATE after the load
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_CODE_CK";

-- [01-0009] disable_constraint SALES.OL_ITEM_UK: key of SALES.ORDER_LINES: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "SALES"."ORDER_LINES" DISABLE CONSTRAINT "OL_ITEM_UK" KEEP INDEX;

-- [01-0010] disable_constraint HR.DEPT_PK: key of HR.DEPARTMENTS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "HR"."DEPARTMENTS" DISABLE CONSTRAINT "DEPT_PK" KEEP INDEX;

-- [01-0011] disable_constraint HR.EMP_PK: key of HR.EMPLOYEES: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_PK" KEEP INDEX;

-- [01-0012] disable_constraint SALES.ORD_PK: key of SALES.ORDERS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "SALES"."ORDERS" DISABLE CONSTRAINT "ORD_PK" KEEP INDEX;

-- [01-0013] disable_constraint SALES.OL_PK: key of SALES.ORDER_LINES: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "SALES"."ORDER_LINES" DISABLE CONSTRAINT "OL_PK" KEEP INDEX;

-- [01-0014] drop_index HR.EMP_NAME_IX: secondary index on HR.EMPLOYEES: loading without it is faster; re-created after the copy
DROP INDEX "HR"."EMP_NAME_IX";

-- [01-0015] drop_index HR.EMP_UPPER_IX: secondary index on HR.EMPLOYEES: loading without it is faster; re-created after the copy (function-based: it must also be gone before its column changes semantics)
DROP INDEX "HR"."EMP_UPPER_IX";

-- [01-0016] drop_index app.audit msg ix: secondary index on app.Audit Log: loading without it is faster; re-created after the copy
DROP INDEX "app"."audit msg ix";

