-- charmig plan: Validate constraints (run later, at a quiet time)
-- source: snapshot SAMPLES
-- generated: (time)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- [04-0001] validate_constraint CO.CUSTOMERS_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "CO"."CUSTOMERS" ENABLE VALIDATE CONSTRAINT "CUSTOMERS_PK";

-- [04-0002] validate_constraint CO.ORDERS_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "CO"."ORDERS" ENABLE VALIDATE CONSTRAINT "ORDERS_PK";

-- [04-0003] validate_constraint CO.SYS_C0013009: it was validated in the source: check every row, at a quiet time
ALTER TABLE "CO"."STORES" ENABLE VALIDATE PRIMARY KEY;

-- [04-0004] validate_constraint HR.DEPT_ID_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."DEPARTMENTS" ENABLE VALIDATE CONSTRAINT "DEPT_ID_PK";

-- [04-0005] validate_constraint HR.EMP_EMP_ID_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_EMP_ID_PK";

-- [04-0006] validate_constraint SH.CUSTOMERS_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SH"."CUSTOMERS" ENABLE VALIDATE CONSTRAINT "CUSTOMERS_PK";

-- [04-0007] validate_constraint SH.PRODUCTS_PK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SH"."PRODUCTS" ENABLE VALIDATE CONSTRAINT "PRODUCTS_PK";

-- [04-0008] validate_constraint CO.CUSTOMERS_EMAIL_U: it was validated in the source: check every row, at a quiet time
ALTER TABLE "CO"."CUSTOMERS" ENABLE VALIDATE CONSTRAINT "CUSTOMERS_EMAIL_U";

-- [04-0009] validate_constraint HR.EMP_EMAIL_UK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_EMAIL_UK";

-- [04-0010] validate_constraint SH.PRODUCTS_NAME_UK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "SH"."PRODUCTS" ENABLE VALIDATE CONSTRAINT "PRODUCTS_NAME_UK";

-- [04-0011] validate_constraint CO.ORDERS_STATUS_C: it was validated in the source: check every row, at a quiet time
ALTER TABLE "CO"."ORDERS" ENABLE VALIDATE CONSTRAINT "ORDERS_STATUS_C";

-- [04-0012] validate_constraint HR.EMP_SALARY_MIN: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_SALARY_MIN";

-- [04-0013] validate_constraint HR.EMP_DEPT_FK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "HR"."EMPLOYEES" ENABLE VALIDATE CONSTRAINT "EMP_DEPT_FK";

-- [04-0014] validate_constraint CO.ORDERS_CUSTOMER_ID_FK: it was validated in the source: check every row, at a quiet time
ALTER TABLE "CO"."ORDERS" ENABLE VALIDATE CONSTRAINT "ORDERS_CUSTOMER_ID_FK";

