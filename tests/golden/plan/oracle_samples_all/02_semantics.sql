-- charmig plan: Length semantics: BYTE -> CHAR
-- source: snapshot SAMPLES
-- generated: (time)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- DECIDE: SH.SALES_PROMO_IX: a partitioned index on SH.SALES and no DDL in the snapshot to re-create it as it is: kept through the copy (not dropped in 01), which slows the load of its table
--   options: take the snapshot with DBMS_METADATA access (SELECT_CATALOG_ROLE) so the plan can drop and re-create it, or drop and re-create it yourself around the copy
-- DECIDE: CO.ORDERS.NOTES: 1 values exceed the 4000-byte type limit even with CHAR semantics
--   options: change the column to CLOB, set MAX_STRING_SIZE=EXTENDED (VARCHAR2 up to 32767 bytes), or cut the values with `charmig truncate` (originals kept)
-- DECIDE: SH.SALES.CHANNEL_ID: partitioning key column: its length semantics cannot be changed in place (ORA-14060)
--   options: re-create the table with the new definition (CTAS or online redefinition with DBMS_REDEFINITION), or keep BYTE semantics and truncate the values that do not fit
-- DECIDE: SH.PRODUCTS_NAME_DESC_IX: index (enforcing PRODUCTS_NAME_UK) key can need up to 8000 bytes after the move (PROD_NAME 4000 + PROD_DESC 4000), over the 6398-byte key limit of an 8 KB block (ORA-01450); switching its BYTE columns to CHAR is what makes it grow
--   options: shorten the CHAR lengths to what the data needs, index a prefix or an expression (SUBSTR) instead of the whole columns, or move the index to a tablespace with a larger block size (16 KB or 32 KB)
-- DECIDE: SH.CUSTOMERS.CUST_NAME_UPPER: virtual column on a table whose column(s) CUST_FIRST_NAME, CUST_LAST_NAME change semantics in 02: if its expression uses one, the MODIFY fails (ORA-54031) or the result no longer fits (ORA-54033)
--   options: look up its expression (DBA_TAB_COLS.DATA_DEFAULT); if it uses a modified column, drop the virtual column (and indexes on it) before 02 and add it back after, with a CHAR length
-- DECIDE: HR.DEPARTMENTS_SEQ: restarting one increment past the source's last value (9990 + 10 = 10000) passes MAXVALUE 9990 (ORA-04008); 03 restarts it at MAXVALUE 9990, a value the source may already have handed out, and its next NEXTVAL fails (ORA-08004) once past it
--   options: raise the limit before 03 (ALTER SEQUENCE … MAXVALUE n), or let CYCLE or a new sequence take over; the source sequence is exhausted the same way

-- [02-0001] modify_column CO.CUSTOMERS.EMAIL_ADDRESS: BYTE semantics: converted values can need more bytes
ALTER TABLE "CO"."CUSTOMERS" MODIFY ("EMAIL_ADDRESS" VARCHAR2(255 CHAR));

-- [02-0002] modify_column CO.CUSTOMERS.FULL_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "CO"."CUSTOMERS" MODIFY ("FULL_NAME" VARCHAR2(255 CHAR));

-- [02-0003] modify_column CO.ORDERS.NOTES: BYTE semantics: converted values can need more bytes; note: 4000 characters can need up to 16000 bytes, above the 4000-byte type limit
ALTER TABLE "CO"."ORDERS" MODIFY ("NOTES" VARCHAR2(4000 CHAR));

-- [02-0004] modify_column CO.STORES.STORE_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "CO"."STORES" MODIFY ("STORE_NAME" VARCHAR2(255 CHAR));

-- [02-0005] modify_column HR.COUNTRIES.COUNTRY_ID: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."COUNTRIES" MODIFY ("COUNTRY_ID" CHAR(2 CHAR));

-- [02-0006] modify_column HR.COUNTRIES.COUNTRY_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."COUNTRIES" MODIFY ("COUNTRY_NAME" VARCHAR2(40 CHAR));

-- [02-0007] modify_column HR.DEPARTMENTS.DEPARTMENT_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."DEPARTMENTS" MODIFY ("DEPARTMENT_NAME" VARCHAR2(30 CHAR));

-- [02-0008] modify_column HR.EMPLOYEES.EMAIL: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("EMAIL" VARCHAR2(25 CHAR));

-- [02-0009] modify_column HR.EMPLOYEES.FIRST_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("FIRST_NAME" VARCHAR2(20 CHAR));

-- [02-0010] modify_column HR.EMPLOYEES.LAST_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("LAST_NAME" VARCHAR2(25 CHAR));

-- [02-0011] modify_column HR.EMPLOYEES.NICKNAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("NICKNAME" VARCHAR2(30 CHAR));

-- [02-0012] modify_column SH.CUSTOMERS.CUST_FIRST_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "SH"."CUSTOMERS" MODIFY ("CUST_FIRST_NAME" VARCHAR2(20 CHAR));

-- [02-0013] modify_column SH.CUSTOMERS.CUST_LAST_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "SH"."CUSTOMERS" MODIFY ("CUST_LAST_NAME" VARCHAR2(40 CHAR));

-- [02-0014] modify_column SH.PRODUCTS.PROD_DESC: BYTE semantics: converted values can need more bytes
ALTER TABLE "SH"."PRODUCTS" MODIFY ("PROD_DESC" VARCHAR2(1000 CHAR));

-- [02-0015] modify_column SH.PRODUCTS.PROD_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "SH"."PRODUCTS" MODIFY ("PROD_NAME" VARCHAR2(1000 CHAR));

-- [02-0016] modify_column SH.SALES.PROMO_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "SH"."SALES" MODIFY ("PROMO_NAME" VARCHAR2(30 CHAR));

