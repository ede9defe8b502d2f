-- charmig plan: Before the copy: disable triggers and constraints, drop secondary indexes
-- source: snapshot SAMPLES
-- generated: (time)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- [01-0001] disable_trigger HR.UPDATE_JOB_HISTORY: trigger on HR.EMPLOYEES must not fire for copied rows
ALTER TRIGGER "HR"."UPDATE_JOB_HISTORY" DISABLE;

-- [01-0002] disable_constraint CO.ORDERS_CUSTOMER_ID_FK: foreign key CO.ORDERS -> CO.CUSTOMERS: disabled children first so tables load in any order
ALTER TABLE "CO"."ORDERS" DISABLE CONSTRAINT "ORDERS_CUSTOMER_ID_FK";

-- [01-0003] disable_constraint HR.EMP_DEPT_FK: foreign key HR.EMPLOYEES -> HR.DEPARTMENTS: disabled children first so tables load in any order
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_DEPT_FK";

-- [01-0004] disable_constraint CO.ORDERS_STATUS_C: check on CO.ORDERS: re-enabled NOVALIDATE after the load
ALTER TABLE "CO"."ORDERS" DISABLE CONSTRAINT "ORDERS_STATUS_C";

-- [01-0005] disable_constraint HR.EMP_SALARY_MIN: check on HR.EMPLOYEES: re-enabled NOVALIDATE after the load
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_SALARY_MIN";

-- [01-0006] disable_constraint CO.CUSTOMERS_EMAIL_U: key of CO.CUSTOMERS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "CO"."CUSTOMERS" DISABLE CONSTRAINT "CUSTOMERS_EMAIL_U" KEEP INDEX;

-- [01-0007] disable_constraint HR.EMP_EMAIL_UK: key of HR.EMPLOYEES: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_EMAIL_UK" KEEP INDEX;

-- [01-0008] disable_constraint SH.PRODUCTS_NAME_UK: key of SH.PRODUCTS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "SH"."PRODUCTS" DISABLE CONSTRAINT "PRODUCTS_NAME_UK" KEEP INDEX;

-- [01-0009] disable_constraint CO.CUSTOMERS_PK: key of CO.CUSTOMERS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "CO"."CUSTOMERS" DISABLE CONSTRAINT "CUSTOMERS_PK" KEEP INDEX;

-- [01-0010] disable_constraint CO.ORDERS_PK: key of CO.ORDERS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "CO"."ORDERS" DISABLE CONSTRAINT "ORDERS_PK" KEEP INDEX;

-- [01-0011] disable_constraint CO.SYS_C0013009: key of CO.STORES: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "CO"."STORES" DISABLE PRIMARY KEY KEEP INDEX;

-- [01-0012] disable_constraint HR.DEPT_ID_PK: key of HR.DEPARTMENTS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "HR"."DEPARTMENTS" DISABLE CONSTRAINT "DEPT_ID_PK" KEEP INDEX;

-- [01-0013] disable_constraint HR.EMP_EMP_ID_PK: key of HR.EMPLOYEES: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "HR"."EMPLOYEES" DISABLE CONSTRAINT "EMP_EMP_ID_PK" KEEP INDEX;

-- [01-0014] disable_constraint SH.CUSTOMERS_PK: key of SH.CUSTOMERS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "SH"."CUSTOMERS" DISABLE CONSTRAINT "CUSTOMERS_PK" KEEP INDEX;

-- [01-0015] disable_constraint SH.PRODUCTS_PK: key of SH.PRODUCTS: rebuilt after the load (its foreign keys are already disabled)
ALTER TABLE "SH"."PRODUCTS" DISABLE CONSTRAINT "PRODUCTS_PK" KEEP INDEX;

-- [01-0016] drop_index CO.ORDERS_STATUS_I: secondary index on CO.ORDERS: loading without it is faster; re-created after the copy
DROP INDEX "CO"."ORDERS_STATUS_I";

-- [01-0017] drop_index HR.EMP_NAME_IX: secondary index on HR.EMPLOYEES: loading without it is faster; re-created after the copy
DROP INDEX "HR"."EMP_NAME_IX";

-- [01-0018] drop_index SH.CUST_LNAME_DESC_IX: secondary index on SH.CUSTOMERS: loading without it is faster; re-created after the copy (function-based: it must also be gone before its column changes semantics)
DROP INDEX "SH"."CUST_LNAME_DESC_IX";

-- [01-0019] drop_index SH.SALES_CHANNEL_BIX: secondary index on SH.SALES: loading without it is faster; re-created after the copy
DROP INDEX "SH"."SALES_CHANNEL_BIX";

