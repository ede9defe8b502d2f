-- partition_keys: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, k.name AS table_name, k.column_name, 'PARTITION' AS key_kind
  FROM USER_PART_KEY_COLUMNS k
 WHERE k.object_type = 'TABLE'
UNION ALL
SELECT USER, k.name, k.column_name, 'SUBPARTITION'
  FROM USER_SUBPART_KEY_COLUMNS k
 WHERE k.object_type = 'TABLE'
 ORDER BY 1, 2, 3
