-- objects: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT o.owner AS owner, o.object_name, o.object_type, o.status
  FROM DBA_OBJECTS o
 WHERE o.status <> 'VALID'
   AND o.object_name NOT LIKE 'BIN$%'
   AND o.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 3, 2
