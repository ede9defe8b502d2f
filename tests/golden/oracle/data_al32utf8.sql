-- AL32UTF8 database (validation): columns read unconverted from the fetch buffer
-- binds: :1="AAAR3sAAEAAAACXAAA" :2="AAAR3sAAEAAAACfH//"
SELECT ROWIDTOCHAR(t.ROWID) AS row_id,
       t."C",
       t."D"
  FROM "APP"."T" t
 WHERE t.ROWID BETWEEN CHARTOROWID(:1) AND CHARTOROWID(:2)
