-- lower-case, spaced and reserved-word names, whole table (no ROWID range)
-- binds: (none)
SELECT ROWIDTOCHAR(t.ROWID) AS row_id,
       UTL_RAW.CAST_TO_RAW(t."text"),
       UTL_RAW.CAST_TO_RAW(t."Note Body"),
       UTL_RAW.CAST_TO_RAW(t."DATE")
  FROM "sales"."order notes" t
