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
-- DECIDE: HR.DEPARTMENTS_SEQ: restarting one increment past the source's last value (9990 + 10 = 10000) passes MAXVALUE 9990 (ORA-04008); 03 restarts it at MAXVALUE 9990, a value the source may already have handed out, and its next NEXTVAL fails (ORA-08004) once past it
--   options: raise the limit before 03 (ALTER SEQUENCE … MAXVALUE n), or let CYCLE or a new sequence take over; the source sequence is exhausted the same way

-- [02-0001] modify_column CO.ORDERS.NOTES: 1 values would exceed the BYTE limit after conversion; note: 4000 characters can need up to 16000 bytes, above the 4000-byte type limit
ALTER TABLE "CO"."ORDERS" MODIFY ("NOTES" VARCHAR2(4000 CHAR));

-- [02-0002] modify_column HR.EMPLOYEES.LAST_NAME: 1 values would exceed the BYTE limit after conversion
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("LAST_NAME" VARCHAR2(25 CHAR));

