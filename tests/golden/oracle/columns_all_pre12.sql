-- columns: ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)
-- binds: (none)
SELECT c.owner AS owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       c.nullable, c.virtual_column, c.hidden_column, 'NO' AS identity_column, NULL AS generation_type, 'NO' AS default_on_null
  FROM ALL_TAB_COLS c
  JOIN ALL_TABLES t ON t.owner = c.owner AND t.table_name = c.table_name
 WHERE c.hidden_column = 'NO'
   AND c.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND c.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2, c.column_id
