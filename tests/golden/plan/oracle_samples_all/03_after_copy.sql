-- charmig plan: After the copy: re-create indexes, ENABLE NOVALIDATE constraints, re-enable triggers, sync sequences
-- source: snapshot SAMPLES
-- generated: (time)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET ECHO ON

-- [03-0001] create_index CO.ORDERS_STATUS_I: re-create the index dropped before the copy on CO.ORDERS
CREATE INDEX "CO"."ORDERS_STATUS_I" ON "CO"."ORDERS" ("ORDER_STATUS");

-- [03-0002] create_index HR.EMP_NAME_IX: re-create the index dropped before the copy on HR.EMPLOYEES
CREATE INDEX "HR"."EMP_NAME_IX" ON "HR"."EMPLOYEES" ("LAST_NAME", "FIRST_NAME");

-- [03-0003] create_index SH.CUST_LNAME_DESC_IX: re-create the index dropped before the copy on SH.CUSTOMERS
CREATE INDEX "SH"."CUST_LNAME_DESC_IX" ON "SH"."CUSTOMERS" ("CUST_LAST_NAME" DESC, "CUST_FIRST_NAME");

-- [03-0004] create_index SH.SALES_CHANNEL_BIX: re-create the index dropped before the copy on SH.SALES
CREATE INDEX "SH"."SALES_CHANNEL_BIX" ON "SH"."SALES" ("CHANNEL_ID");

-- [03-0005] create_index SH.SALES_PROMO_IX: re-create the index dropped before the copy on SH.SALES
CREATE INDEX "SH"."SALES_PROMO_IX" ON "SH"."SALES" ("PROMO_NAME");

-- [03-0006] enable_constraint CO.CUSTOMERS_PK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."CUSTOMERS" ENABLE NOVALIDATE CONSTRAINT "CUSTOMERS_PK";

-- [03-0007] enable_constraint CO.ORDERS_PK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORDERS_PK";

-- [03-0008] enable_constraint CO.SYS_C0013009: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."STORES" ENABLE NOVALIDATE CONSTRAINT "SYS_C0013009";

-- [03-0009] enable_constraint HR.COUNTRY_C_ID_PK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."COUNTRIES" ENABLE NOVALIDATE CONSTRAINT "COUNTRY_C_ID_PK";

-- [03-0010] enable_constraint HR.DEPT_ID_PK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."DEPARTMENTS" ENABLE NOVALIDATE CONSTRAINT "DEPT_ID_PK";

-- [03-0011] enable_constraint HR.EMP_EMP_ID_PK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_EMP_ID_PK";

-- [03-0012] enable_constraint SH.CUSTOMERS_PK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "SH"."CUSTOMERS" ENABLE NOVALIDATE CONSTRAINT "CUSTOMERS_PK";

-- [03-0013] enable_constraint SH.PRODUCTS_PK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "SH"."PRODUCTS" ENABLE NOVALIDATE CONSTRAINT "PRODUCTS_PK";

-- [03-0014] enable_constraint CO.CUSTOMERS_EMAIL_U: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."CUSTOMERS" ENABLE NOVALIDATE CONSTRAINT "CUSTOMERS_EMAIL_U";

-- [03-0015] enable_constraint HR.EMP_EMAIL_UK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_EMAIL_UK";

-- [03-0016] enable_constraint SH.PRODUCTS_NAME_UK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "SH"."PRODUCTS" ENABLE NOVALIDATE CONSTRAINT "PRODUCTS_NAME_UK";

-- [03-0017] enable_constraint CO.ORDERS_STATUS_C: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORDERS_STATUS_C";

-- [03-0018] enable_constraint HR.EMP_SALARY_MIN: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_SALARY_MIN";

-- [03-0019] enable_constraint HR.EMP_DEPT_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_DEPT_FK";

-- [03-0020] enable_constraint CO.ORDERS_CUSTOMER_ID_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORDERS_CUSTOMER_ID_FK";

-- [03-0021] enable_trigger HR.UPDATE_JOB_HISTORY: it was enabled before the copy
ALTER TRIGGER "HR"."UPDATE_JOB_HISTORY" ENABLE;

-- [03-0022] sync_sequence CO.ISEQ$$_74301: the target sequence must not hand out values the source already used (source last value 4)
ALTER SEQUENCE "CO"."ISEQ$$_74301" RESTART START WITH 5;

-- [03-0023] sync_sequence CO.ISEQ$$_74305: the target sequence must not hand out values the source already used (source last value 21)
ALTER SEQUENCE "CO"."ISEQ$$_74305" RESTART START WITH 22;

-- [03-0024] sync_sequence CO.ISEQ$$_74309: the target sequence must not hand out values the source already used (source last value 3)
ALTER SEQUENCE "CO"."ISEQ$$_74309" RESTART START WITH 4;

-- [03-0025] sync_sequence HR.DEPARTMENTS_SEQ: the target sequence must not hand out values the source already used (source last value 9990)
ALTER SEQUENCE "HR"."DEPARTMENTS_SEQ" RESTART START WITH 10000;

-- [03-0026] sync_sequence HR.EMPLOYEES_SEQ: the target sequence must not hand out values the source already used (source last value 207)
ALTER SEQUENCE "HR"."EMPLOYEES_SEQ" RESTART START WITH 208;

-- [03-0027] sync_sequence HR.LOCATIONS_SEQ: the target sequence must not hand out values the source already used (source last value 3300)
ALTER SEQUENCE "HR"."LOCATIONS_SEQ" RESTART START WITH 3400;

