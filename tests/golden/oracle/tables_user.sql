-- tables: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, t.table_name, TO_CHAR(t.num_rows) AS num_rows, TO_CHAR(t.blocks) AS blocks,
       TO_CHAR(t.avg_row_len) AS avg_row_len, t.dropped, t.temporary, t.iot_type, t.partitioned,
       CASE WHEN EXISTS (SELECT 1 FROM USER_EXTERNAL_TABLES x WHERE x.table_name = t.table_name) THEN 'YES' ELSE 'NO' END AS external,
       t.nested, 'NO' AS object_table,
       CASE WHEN EXISTS (SELECT 1 FROM USER_MVIEWS m WHERE m.mview_name = t.table_name) THEN 'YES' ELSE 'NO' END AS mview
  FROM USER_TABLES t
 WHERE 1 = 1
UNION ALL
SELECT USER, t.table_name, TO_CHAR(t.num_rows), TO_CHAR(t.blocks), TO_CHAR(t.avg_row_len), t.dropped,
       t.temporary, t.iot_type, t.partitioned, 'NO', t.nested, 'YES', 'NO'
  FROM USER_OBJECT_TABLES t
 WHERE 1 = 1
 ORDER BY 1, 2
