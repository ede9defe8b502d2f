-- tables: ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)
-- binds: (none)
SELECT t.owner AS owner, t.table_name, TO_CHAR(t.num_rows) AS num_rows, TO_CHAR(t.blocks) AS blocks,
       TO_CHAR(t.avg_row_len) AS avg_row_len, t.dropped, t.temporary, t.iot_type, t.partitioned,
       CASE WHEN EXISTS (SELECT 1 FROM ALL_EXTERNAL_TABLES x WHERE x.owner = t.owner AND x.table_name = t.table_name) THEN 'YES' ELSE 'NO' END AS external,
       t.nested, 'NO' AS object_table,
       CASE WHEN EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.owner = t.owner AND m.mview_name = t.table_name) THEN 'YES' ELSE 'NO' END AS mview
  FROM ALL_TABLES t
 WHERE 1 = 1
   AND t.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND t.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND t.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
UNION ALL
SELECT t.owner, t.table_name, TO_CHAR(t.num_rows), TO_CHAR(t.blocks), TO_CHAR(t.avg_row_len), t.dropped,
       t.temporary, t.iot_type, t.partitioned, 'NO', t.nested, 'YES', 'NO'
  FROM ALL_OBJECT_TABLES t
 WHERE 1 = 1
   AND t.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND t.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND t.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2
