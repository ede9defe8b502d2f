-- triggers: DBA_ views, all schemas, Oracle-maintained excluded by ORACLE_MAINTAINED (12.1+)
-- binds: (none)
SELECT g.owner AS owner, g.trigger_name, g.table_owner, g.table_name, g.base_object_type,
       g.trigger_type, g.triggering_event, g.status
  FROM DBA_TRIGGERS g
 WHERE g.trigger_name NOT LIKE 'BIN$%'
   AND g.owner NOT IN (SELECT u.username FROM all_users u WHERE u.oracle_maintained = 'Y')
 ORDER BY 1, 2
