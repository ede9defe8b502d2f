-- charmig plan: Length semantics: BYTE -> CHAR
-- source: snapshot fixture
-- generated: 2026-01-01T00:00:00Z (review before running)
-- run with SQL*Plus as a user allowed to alter these objects
WHENEVER SQLERROR EXIT FAILURE
SET DEFINE OFF
SET SQLBLANKLINES ON
SET BLOCKTERMINATOR OFF
SET ECHO ON

-- DECIDE: HR.EMPLOYEES.NOTE: 1 values exceed the 4000-byte type limit even with CHAR semantics
--   options: change the column to CLOB, set MAX_STRING_SIZE=EXTENDED (VARCHAR2 up to 32767 bytes), or cut the values with `charmig truncate` (originals kept)

-- [02-0001] modify_column HR.EMPLOYEES.CODE: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("CODE" CHAR(4 CHAR));

-- [02-0002] modify_column HR.EMPLOYEES.LAST_NAME: BYTE semantics: converted values can need more bytes
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("LAST_NAME" VARCHAR2(20 CHAR));

-- [02-0003] modify_column HR.EMPLOYEES.NICK: --nchar-to-char: national column becomes a database-charset column
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("NICK" VARCHAR2(40 CHAR));

-- [02-0004] modify_column HR.EMPLOYEES.NOTE: BYTE semantics: converted values can need more bytes; note: 2000 characters can need up to 8000 bytes, above the 4000-byte type limit
ALTER TABLE "HR"."EMPLOYEES" MODIFY ("NOTE" VARCHAR2(2000 CHAR));

-- [02-0005] modify_column SALES.ORDERS.REGION: BYTE semantics: converted values can need more bytes
ALTER TABLE "SALES"."ORDERS" MODIFY ("REGION" VARCHAR2(10 CHAR));

-- [02-0006] modify_column SALES.ORDERS.order note: BYTE semantics: converted values can need more bytes
ALTER TABLE "SALES"."ORDERS" MODIFY ("order note" VARCHAR2(50 CHAR));

-- [02-0007] modify_column SALES.ORDER_LINES.ITEM: BYTE semantics: converted values can need more bytes
ALTER TABLE "SALES"."ORDER_LINES" MODIFY ("ITEM" VARCHAR2(40 CHAR));

-- [02-0008] modify_column app.Audit Log.ITEM: BYTE semantics: converted values can need more bytes
ALTER TABLE "app"."Audit Log" MODIFY ("ITEM" VARCHAR2(40 CHAR));

-- [02-0009] modify_column app.Audit Log.Msg: BYTE semantics: converted values can need more bytes
ALTER TABLE "app"."Audit Log" MODIFY ("Msg" VARCHAR2(100 CHAR));

