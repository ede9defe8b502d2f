-- indexes: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,
       i.status, i.partitioned, i.funcidx_status,
       TO_CHAR(i.last_analyzed, 'YYYY-MM-DD"T"HH24:MI:SS') AS last_analyzed,
       (SELECT MAX(s.stale_stats) FROM USER_IND_STATISTICS s
          WHERE s.index_name = i.index_name AND s.partition_name IS NULL) AS stale_stats,
       (SELECT TO_CHAR(COUNT(*)) FROM USER_IND_PARTITIONS p
          WHERE p.index_name = i.index_name AND p.status = 'UNUSABLE') AS unusable_partitions
  FROM USER_INDEXES i
 WHERE i.table_name NOT LIKE 'BIN$%'
 ORDER BY 1, 2
