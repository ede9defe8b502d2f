-- indexes: ALL_ views, Oracle-maintained excluded by charmig's list (before 12.1)
-- binds: (none)
SELECT i.owner AS owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,
       i.status, i.partitioned, i.funcidx_status,
       TO_CHAR(i.last_analyzed, 'YYYY-MM-DD"T"HH24:MI:SS') AS last_analyzed,
       (SELECT MAX(s.stale_stats) FROM ALL_IND_STATISTICS s
          WHERE s.owner = i.owner AND s.index_name = i.index_name AND s.partition_name IS NULL) AS stale_stats,
       (SELECT TO_CHAR(COUNT(*)) FROM ALL_IND_PARTITIONS p
          WHERE p.index_owner = i.owner AND p.index_name = i.index_name AND p.status = 'UNUSABLE') AS unusable_partitions
  FROM ALL_INDEXES i
 WHERE i.table_name NOT LIKE 'BIN$%'
   AND i.owner NOT IN ('ANONYMOUS', 'APPQOSSYS', 'AUDSYS', 'CTXSYS', 'DBSFWUSER', 'DBSNMP', 'DIP', 'DVF', 'DVSYS', 'EXFSYS', 'GGSYS', 'GSMADMIN_INTERNAL', 'GSMCATUSER', 'GSMUSER', 'LBACSYS', 'MDDATA', 'MDSYS', 'MGMT_VIEW', 'OJVMSYS', 'OLAPSYS', 'ORACLE_OCM', 'ORDDATA', 'ORDPLUGINS', 'ORDSYS', 'OUTLN', 'OWBSYS', 'OWBSYS_AUDIT', 'REMOTE_SCHEDULER_AGENT', 'SI_INFORMTN_SCHEMA', 'SPATIAL_CSW_ADMIN_USR', 'SPATIAL_WFS_ADMIN_USR', 'SYS', 'SYS$UMF', 'SYSBACKUP', 'SYSDG', 'SYSKM', 'SYSMAN', 'SYSRAC', 'SYSTEM', 'TSMSYS', 'WMSYS', 'XDB', 'XS$NULL')
   AND i.owner NOT LIKE 'APEX\_%' ESCAPE '\'
   AND i.owner NOT LIKE 'FLOWS\_%' ESCAPE '\'
 ORDER BY 1, 2
