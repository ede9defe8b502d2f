-- charmig plan: After the copy: re-create indexes, ENABLE NOVALIDATE constraints, re-enable triggers, sync sequences
-- source: snapshot SAMPLES
-- generated: (time)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- [03-0001] create_index CO.ORDERS_STATUS_I: re-create the index dropped before the copy on CO.ORDERS
CREATE INDEX "CO"."ORDERS_STATUS_I" ON "CO"."ORDERS" ("ORDER_STATUS");

-- [03-0002] create_index HR.EMP_NAME_IX: re-create the index dropped before the copy on HR.EMPLOYEES
CREATE INDEX "HR"."EMP_NAME_IX" ON "HR"."EMPLOYEES" ("LAST_NAME", "FIRST_NAME");

-- [03-0003] create_index SH.CUST_LNAME_DESC_IX: re-create the index dropped before the copy on SH.CUSTOMERS
CREATE INDEX "SH"."CUST_LNAME_DESC_IX" ON "SH"."CUSTOMERS" ("CUST_LAST_NAME" DESC, "CUST_FIRST_NAME");

-- [03-0004] create_index SH.SALES_CHANNEL_BIX: re-create the index dropped before the copy on SH.SALES
CREATE BITMAP INDEX "SH"."SALES_CHANNEL_BIX" ON "SH"."SALES" ("CHANNEL_ID") LOCAL;

-- [03-0005] enable_constraint CO.CUSTOMERS_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "CO"."CUSTOMERS" ENABLE NOVALIDATE CONSTRAINT "CUSTOMERS_PK";

-- [03-0006] enable_constraint CO.ORDERS_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "CO"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORDERS_PK";

-- [03-0007] enable_constraint CO.SYS_C0013009: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "CO"."STORES" ENABLE NOVALIDATE PRIMARY KEY;

-- [03-0008] enable_constraint HR.DEPT_ID_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "HR"."DEPARTMENTS" ENABLE NOVALIDATE CONSTRAINT "DEPT_ID_PK";

-- [03-0009] enable_constraint HR.EMP_EMP_ID_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_EMP_ID_PK";

-- [03-0010] enable_constraint SH.CUSTOMERS_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "SH"."CUSTOMERS" ENABLE NOVALIDATE CONSTRAINT "CUSTOMERS_PK";

-- [03-0011] enable_constraint SH.PRODUCTS_PK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "SH"."PRODUCTS" ENABLE NOVALIDATE CONSTRAINT "PRODUCTS_PK";

-- [03-0012] enable_constraint CO.CUSTOMERS_EMAIL_U: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "CO"."CUSTOMERS" ENABLE NOVALIDATE CONSTRAINT "CUSTOMERS_EMAIL_U";

-- [03-0013] enable_constraint HR.EMP_EMAIL_UK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_EMAIL_UK";

-- [03-0014] enable_constraint SH.PRODUCTS_NAME_UK: ENABLE NOVALIDATE over the index kept at DISABLE (KEEP INDEX): a unique index has checked every row loaded meanwhile; 04_validate.sql marks the key validated
ALTER TABLE "SH"."PRODUCTS" ENABLE NOVALIDATE CONSTRAINT "PRODUCTS_NAME_UK";

-- [03-0015] enable_constraint CO.ORDERS_STATUS_C: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORDERS_STATUS_C";

-- [03-0016] enable_constraint HR.EMP_SALARY_MIN: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_SALARY_MIN";

-- [03-0017] enable_constraint HR.EMP_DEPT_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "HR"."EMPLOYEES" ENABLE NOVALIDATE CONSTRAINT "EMP_DEPT_FK";

-- [03-0018] enable_constraint CO.ORDERS_CUSTOMER_ID_FK: checks new rows only (ENABLE NOVALIDATE); full validation is in 04_validate.sql
ALTER TABLE "CO"."ORDERS" ENABLE NOVALIDATE CONSTRAINT "ORDERS_CUSTOMER_ID_FK";

-- [03-0019] enable_trigger HR.UPDATE_JOB_HISTORY: it was enabled before the copy
ALTER TRIGGER "HR"."UPDATE_JOB_HISTORY" ENABLE;

-- [03-0020] sync_identity CO.CUSTOMERS.CUSTOMER_ID: identity column: its generator restarts past the highest value loaded (its ISEQ$$_ sequence cannot be altered and is named otherwise on the target)
ALTER TABLE "CO"."CUSTOMERS" MODIFY ("CUSTOMER_ID" GENERATED BY DEFAULT ON NULL AS IDENTITY (START WITH LIMIT VALUE));

-- [03-0021] sync_identity CO.ORDERS.ORDER_ID: identity column: its generator restarts past the highest value loaded (its ISEQ$$_ sequence cannot be altered and is named otherwise on the target)
ALTER TABLE "CO"."ORDERS" MODIFY ("ORDER_ID" GENERATED BY DEFAULT ON NULL AS IDENTITY (START WITH LIMIT VALUE));

-- [03-0022] sync_identity CO.STORES.STORE_ID: identity column: its generator restarts past the highest value loaded (its ISEQ$$_ sequence cannot be altered and is named otherwise on the target)
ALTER TABLE "CO"."STORES" MODIFY ("STORE_ID" GENERATED ALWAYS AS IDENTITY (START WITH LIMIT VALUE));

-- [03-0023] sync_sequence HR.DEPARTMENTS_SEQ: the target sequence must not hand out values the source already used (source last value 9990); capped at its limit, see README.txt
DECLARE
  v NUMBER;
BEGIN
  SELECT "HR"."DEPARTMENTS_SEQ".NEXTVAL INTO v FROM dual;
  IF v + (10) < 9990 THEN
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."DEPARTMENTS_SEQ" INCREMENT BY ' || TO_CHAR(9990 - v - (10));
    SELECT "HR"."DEPARTMENTS_SEQ".NEXTVAL INTO v FROM dual;
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."DEPARTMENTS_SEQ" INCREMENT BY 10';
  END IF;
END;
/

-- [03-0024] sync_sequence HR.EMPLOYEES_SEQ: the target sequence must not hand out values the source already used (source last value 207)
DECLARE
  v NUMBER;
BEGIN
  SELECT "HR"."EMPLOYEES_SEQ".NEXTVAL INTO v FROM dual;
  IF v + (1) < 208 THEN
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."EMPLOYEES_SEQ" INCREMENT BY ' || TO_CHAR(208 - v - (1));
    SELECT "HR"."EMPLOYEES_SEQ".NEXTVAL INTO v FROM dual;
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."EMPLOYEES_SEQ" INCREMENT BY 1';
  END IF;
END;
/

-- [03-0025] sync_sequence HR.LOCATIONS_SEQ: the target sequence must not hand out values the source already used (source last value 3300)
DECLARE
  v NUMBER;
BEGIN
  SELECT "HR"."LOCATIONS_SEQ".NEXTVAL INTO v FROM dual;
  IF v + (100) < 3400 THEN
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."LOCATIONS_SEQ" INCREMENT BY ' || TO_CHAR(3400 - v - (100));
    SELECT "HR"."LOCATIONS_SEQ".NEXTVAL INTO v FROM dual;
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."LOCATIONS_SEQ" INCREMENT BY 100';
  END IF;
END;
/

