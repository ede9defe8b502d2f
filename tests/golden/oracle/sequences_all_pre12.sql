-- sequences: ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)
-- binds: (none)
SELECT s.sequence_owner AS sequence_owner, s.sequence_name, TO_CHAR(s.last_number) AS last_number,
       TO_CHAR(s.increment_by) AS increment_by, TO_CHAR(s.min_value) AS min_value,
       TO_CHAR(s.max_value) AS max_value, s.cycle_flag
  FROM ALL_SEQUENCES s
 WHERE 1 = 1
   AND s.sequence_owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND s.sequence_owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND s.sequence_owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2
