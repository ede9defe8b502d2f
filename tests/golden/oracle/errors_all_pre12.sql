-- errors: ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)
-- binds: (none)
SELECT e.owner AS owner, e.name, e.type, TO_CHAR(e.sequence) AS sequence, TO_CHAR(e.line) AS line,
       TO_CHAR(e.position) AS position, e.attribute, e.text
  FROM ALL_ERRORS e
 WHERE 1 = 1
   AND e.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND e.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND e.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 3, 2, e.sequence
