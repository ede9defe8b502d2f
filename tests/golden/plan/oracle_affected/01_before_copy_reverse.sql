-- charmig plan: REVERSE of 01_before_copy
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- undo [01-0016] drop_index app.audit msg ix
CREATE INDEX "app"."audit msg ix" ON "app"."Audit Log" ("Msg");

-- undo [01-0015] drop_index HR.EMP_UPPER_IX
CREATE INDEX "HR"."EMP_UPPER_IX" ON "HR"."EMPLOYEES" (UPPER("LAST_NAME")) PCTFREE 10 TABLESPACE "USERS";

-- undo [01-0014] drop_index HR.EMP_NAME_IX
CREATE INDEX "HR"."EMP_NAME_IX" ON "HR"."EMPLOYEES" ("LAST_NAME", "CODE");

-- undo [01-0013] disable_constraint SALES.OL_PK
ALTER TABLE "SALES"."ORDER_LINES" ENABLE VALIDATE CONSTRAINT "OL_PK";

-- undo [01-0012] disable_constraint SALES.ORD_PK
ALTER TABLE "SALES"."ORDERS" ENABLE VALIDATE CONSTRAINT "ORD_PK";

-- undo [01-0011] disable_constraint HR.EMP_PK
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_PK";

-- undo [01-0010] disable_constraint HR.DEPT_PK
ALTER TABLE "HR"."DEPARTMENTS" ENABLE VALIDATE CONSTRAINT "DEPT_PK";

-- undo [01-0009] disable_constraint SALES.OL_ITEM_UK
ALTER TABLE "SALES"."ORDER_LINES" ENABLE VALIDATE CONSTRAINT "OL_ITEM_UK";

-- undo [01-0008] disable_constraint HR.EMP_CODE_CK
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_CODE_CK";

-- undo [01-0007] disable_constraint HR.EMP_DEPT_FK
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_DEPT_FK";

-- undo [01-0006] disable_constraint SALES.ORD_EMP_FK
ALTER TABLE "SALES"."ORDERS" ENABLE VALIDATE CONSTRAINT "ORD_EMP_FK";

-- undo [01-0005] disable_constraint SALES.OL_ORD_FK
ALTER TABLE "SALES"."ORDER_LINES" ENABLE VALIDATE CONSTRAINT "OL_ORD_FK";

-- undo [01-0004] disable_constraint app.audit item fk
ALTER TABLE "app"."Audit Log" ENABLE NOVALIDATE CONSTRAINT "audit item fk";

-- undo [01-0003] disable_constraint SALES.SHIP_OL_FK
ALTER TABLE "SALES"."SHIPMENTS" ENABLE VALIDATE CONSTRAINT "SHIP_OL_FK";

-- undo [01-0002] disable_trigger app.audit"trg
ALTER TRIGGER "app"."audit""trg" ENABLE;

-- undo [01-0001] disable_trigger HR.EMP_BIU
ALTER TRIGGER "HR"."EMP_BIU" ENABLE;

