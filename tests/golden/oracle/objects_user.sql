-- objects: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, o.object_name, o.object_type, o.status
  FROM USER_OBJECTS o
 WHERE o.status <> 'VALID'
   AND o.object_name NOT LIKE 'BIN$%'
 ORDER BY 1, 3, 2
