-- charmig plan: Validate constraints (run later, at a quiet time)
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- [04-0001] validate_constraint HR.DEPT_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."DEPARTMENTS" ENABLE VALIDATE CONSTRAINT "DEPT_PK";

-- [04-0002] validate_constraint HR.EMP_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_PK";

-- [04-0003] validate_constraint SALES.ORD_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SALES"."ORDERS" ENABLE VALIDATE CONSTRAINT "ORD_PK";

-- [04-0004] validate_constraint SALES.OL_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SALES"."ORDER_LINES" ENABLE VALIDATE CONSTRAINT "OL_PK";

-- [04-0005] validate_constraint SALES.OL_ITEM_UK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SALES"."ORDER_LINES" ENABLE VALIDATE CONSTRAINT "OL_ITEM_UK";

-- [04-0006] validate_constraint HR.EMP_CODE_CK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_CODE_CK";

-- [04-0007] validate_constraint HR.EMP_DEPT_FK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_DEPT_FK";

-- [04-0008] validate_constraint SALES.ORD_EMP_FK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SALES"."ORDERS" ENABLE VALIDATE CONSTRAINT "ORD_EMP_FK";

-- [04-0009] validate_constraint SALES.OL_ORD_FK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SALES"."ORDER_LINES" ENABLE VALIDATE CONSTRAINT "OL_ORD_FK";

-- [04-0010] validate_constraint SALES.SHIP_OL_FK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SALES"."SHIPMENTS" ENABLE VALIDATE CONSTRAINT "SHIP_OL_FK";

