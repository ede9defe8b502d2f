-- constraints: ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)
-- binds: (none)
SELECT c.owner, c.constraint_name, c.constraint_type, c.table_name, c.r_owner, c.r_constraint_name,
       c.status, c.validated, c.delete_rule, c.index_owner, c.index_name, c.generated, c.search_condition AS search_condition_vc
  FROM ALL_CONSTRAINTS c
 WHERE c.constraint_type IN ('P', 'U', 'R', 'C')
   AND c.table_name NOT LIKE 'BIN$%'
   AND c.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND c.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND c.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 4, 2
