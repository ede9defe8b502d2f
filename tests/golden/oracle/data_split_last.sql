-- ALL_ views, table split at ROWID points: the last part (open above)
-- binds: :1="AAAR3sAAEAAAACXAAA"
SELECT ROWIDTOCHAR(t.ROWID) AS row_id,
       UTL_RAW.CAST_TO_RAW(t."LAST_NAME")
  FROM "HR"."EMPLOYEES" t
 WHERE t.ROWID >= CHARTOROWID(:1)
