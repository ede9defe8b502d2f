-- tables: --schema hr --schema "Sales Dept" (bound, matched case-insensitively)
-- binds: :1="hr" :2="Sales Dept" :3="hr" :4="Sales Dept"
SELECT t.owner AS owner, t.table_name, TO_CHAR(t.num_rows) AS num_rows, TO_CHAR(t.blocks) AS blocks,
       TO_CHAR(t.avg_row_len) AS avg_row_len, t.dropped, t.temporary, t.iot_type, t.partitioned,
       CASE WHEN EXISTS (SELECT 1 FROM DBA_EXTERNAL_TABLES x WHERE x.owner = t.owner AND x.table_name = t.table_name) THEN 'YES' ELSE 'NO' END AS external,
       t.nested, 'NO' AS object_table,
       CASE WHEN EXISTS (SELECT 1 FROM DBA_MVIEWS m WHERE m.owner = t.owner AND m.mview_name = t.table_name) THEN 'YES' ELSE 'NO' END AS mview
  FROM DBA_TABLES t
 WHERE 1 = 1
   AND UPPER(t.owner) IN (UPPER(:1), UPPER(:2))
UNION ALL
SELECT t.owner, t.table_name, TO_CHAR(t.num_rows), TO_CHAR(t.blocks), TO_CHAR(t.avg_row_len), t.dropped,
       t.temporary, t.iot_type, t.partitioned, 'NO', t.nested, 'YES', 'NO'
  FROM DBA_OBJECT_TABLES t
 WHERE 1 = 1
   AND UPPER(t.owner) IN (UPPER(:3), UPPER(:4))
 ORDER BY 1, 2
