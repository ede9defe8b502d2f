-- split points of a table without readable extents (ALL_ views): first ROWID of each of :1 groups
-- binds: :1="12"
SELECT ROWIDTOCHAR(MIN(rid)) AS lo
  FROM (SELECT t.ROWID AS rid, NTILE(:1) OVER (ORDER BY t.ROWID) AS part FROM "HR"."order lines" t)
 GROUP BY part
 ORDER BY part
