-- indexes: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT i.owner AS owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,
       i.status, i.partitioned, i.funcidx_status,
       TO_CHAR(i.last_analyzed, 'YYYY-MM-DD"T"HH24:MI:SS') AS last_analyzed,
       (SELECT MAX(s.stale_stats) FROM DBA_IND_STATISTICS s
          WHERE s.owner = i.owner AND s.index_name = i.index_name AND s.partition_name IS NULL) AS stale_stats,
       (SELECT TO_CHAR(COUNT(*)) FROM DBA_IND_PARTITIONS p
          WHERE p.index_owner = i.owner AND p.index_name = i.index_name AND p.status = 'UNUSABLE') AS unusable_partitions
  FROM DBA_INDEXES i
 WHERE i.table_name NOT LIKE 'BIN$%'
   AND i.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2
