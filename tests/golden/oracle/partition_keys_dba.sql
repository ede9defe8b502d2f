-- partition_keys: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT k.owner AS owner, k.name AS table_name, k.column_name, 'PARTITION' AS key_kind
  FROM DBA_PART_KEY_COLUMNS k
 WHERE k.object_type = 'TABLE'
   AND k.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
UNION ALL
SELECT k.owner, k.name, k.column_name, 'SUBPARTITION'
  FROM DBA_SUBPART_KEY_COLUMNS k
 WHERE k.object_type = 'TABLE'
   AND k.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2, 3
