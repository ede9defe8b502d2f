-- index_columns: ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)
-- binds: (none)
SELECT ic.index_owner AS index_owner, ic.index_name, ic.table_name, ic.column_name,
       TO_CHAR(ic.column_position) AS column_position, ic.descend, e.column_expression
  FROM ALL_IND_COLUMNS ic
  LEFT JOIN ALL_IND_EXPRESSIONS e ON e.index_owner = ic.index_owner AND e.index_name = ic.index_name AND e.column_position = ic.column_position
 WHERE 1 = 1
   AND ic.index_owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND ic.index_owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND ic.index_owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2, ic.column_position
