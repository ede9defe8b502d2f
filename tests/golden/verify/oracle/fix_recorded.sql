-- charmig verify: statements that close the schema differences of the target
-- source: oracle src
-- target: oracle tgt
-- Review, then run on the target: sqlplus USER@TARGET @fix.sql
-- (each DDL statement commits by itself: a failure stops the script after the statements before it)
-- extra on the target, left alone (drop it yourself if it must go): view HR.OLD_V
-- not fixed here: trigger HR.EMP_AUDIT is missing: its body is not in the dictionary views verify reads; re-create it with `charmig schema --from SOURCE --to TARGET --schema HR` (then `--after-copy` enables it)
SET DEFINE OFF
SET SQLBLANKLINES ON
WHENEVER SQLERROR EXIT SQL.SQLCODE

-- column HR.DEPT.TITLE shorter on the target
ALTER TABLE "HR"."DEPT" MODIFY ("TITLE" VARCHAR2(40 CHAR));

-- index HR.EMP_CITY_IX missing
CREATE INDEX "HR"."EMP_CITY_IX" ON "HR"."EMP" ("CITY", "NAME" DESC);

-- foreign key constraint EMP_DEPT_FK on HR.EMP status
ALTER TABLE "HR"."EMP" MODIFY CONSTRAINT "EMP_DEPT_FK" ENABLE VALIDATE;

-- trigger HR.EMP_BIU status
ALTER TRIGGER "HR"."EMP_BIU" ENABLE;

-- sequence HR.EMP_SEQ behind the source
DECLARE
  v NUMBER;
BEGIN
  SELECT "HR"."EMP_SEQ".NEXTVAL INTO v FROM dual;
  IF v + (1) < 1041 THEN
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."EMP_SEQ" INCREMENT BY ' || TO_CHAR(1041 - v - (1));
    SELECT "HR"."EMP_SEQ".NEXTVAL INTO v FROM dual;
    EXECUTE IMMEDIATE 'ALTER SEQUENCE "HR"."EMP_SEQ" INCREMENT BY 1';
  END IF;
END;
/

-- identity of column HR.ORDERS.ID behind the source
ALTER TABLE "HR"."ORDERS" MODIFY ("ID" GENERATED ALWAYS AS IDENTITY (START WITH 61));

EXIT
