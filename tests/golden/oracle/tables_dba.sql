-- tables: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT t.owner AS owner, t.table_name, TO_CHAR(t.num_rows) AS num_rows, TO_CHAR(t.blocks) AS blocks,
       TO_CHAR(t.avg_row_len) AS avg_row_len, t.dropped, t.temporary, t.iot_type, t.partitioned,
       CASE WHEN EXISTS (SELECT 1 FROM DBA_EXTERNAL_TABLES x WHERE x.owner = t.owner AND x.table_name = t.table_name) THEN 'YES' ELSE 'NO' END AS external,
       t.nested, 'NO' AS object_table,
       CASE WHEN EXISTS (SELECT 1 FROM DBA_MVIEWS m WHERE m.owner = t.owner AND m.mview_name = t.table_name) THEN 'YES' ELSE 'NO' END AS mview
  FROM DBA_TABLES t
 WHERE 1 = 1
   AND t.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
UNION ALL
SELECT t.owner, t.table_name, TO_CHAR(t.num_rows), TO_CHAR(t.blocks), TO_CHAR(t.avg_row_len), t.dropped,
       t.temporary, t.iot_type, t.partitioned, 'NO', t.nested, 'YES', 'NO'
  FROM DBA_OBJECT_TABLES t
 WHERE 1 = 1
   AND t.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2
