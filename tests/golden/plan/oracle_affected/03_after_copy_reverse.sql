-- charmig plan: REVERSE of 03_after_copy
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- [03-0017] sync_sequence HR.EMP_SEQ: nothing to undo

-- undo [03-0016] enable_trigger app.audit"trg
ALTER TRIGGER "app"."audit""trg" DISABLE;

-- undo [03-0015] enable_trigger HR.EMP_BIU
ALTER TRIGGER "HR"."EMP_BIU" DISABLE;

-- undo [03-0014] enable_constraint SALES.SHIP_OL_FK
ALTER TABLE "SALES"."SHIPMENTS" DISABLE CONSTRAINT "SHIP_OL_FK";

-- undo [03-0013] enable_constraint app.audit item fk
ALTER TABLE "app"."Audit Log" DISABLE CONSTRAINT "audit item fk";

-- undo [03-0012] enable_constraint SALES.OL_ORD_FK
ALTER TABLE "SALES"."ORDER_LINES" DISABLE CONSTRAINT "OL_ORD_FK";

-- undo [03-0011] enable_constraint SALES.ORD_EMP_FK
ALTER TABLE "SALES"."ORDERS" DISABLE CONSTRAINT "ORD_EMP_FK";

-- undo [03-0010] enable_constraint HR.EMP_DEPT_FK
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_DEPT_FK";

-- undo [03-0009] enable_constraint HR.EMP_CODE_CK
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_CODE_CK";

-- undo [03-0008] enable_constraint SALES.OL_ITEM_UK
ALTER TABLE "SALES"."ORDER_LINES" DISABLE CONSTRAINT "OL_ITEM_UK" KEEP INDEX;

-- undo [03-0007] enable_constraint SALES.OL_PK
ALTER TABLE "SALES"."ORDER_LINES" DISABLE CONSTRAINT "OL_PK" KEEP INDEX;

-- undo [03-0006] enable_constraint SALES.ORD_PK
ALTER TABLE "SALES"."ORDERS" DISABLE CONSTRAINT "ORD_PK" KEEP INDEX;

-- undo [03-0005] enable_constraint HR.EMP_PK
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_PK" KEEP INDEX;

-- undo [03-0004] enable_constraint HR.DEPT_PK
ALTER TABLE "HR"."DEPARTMENTS" DISABLE CONSTRAINT "DEPT_PK" KEEP INDEX;

-- undo [03-0003] create_index app.audit msg ix
DROP INDEX "app"."audit msg ix";

-- undo [03-0002] create_index HR.EMP_UPPER_IX
DROP INDEX "HR"."EMP_UPPER_IX";

-- undo [03-0001] create_index HR.EMP_NAME_IX
DROP INDEX "HR"."EMP_NAME_IX";

