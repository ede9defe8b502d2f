-- triggers: USER_ views (own schema only)
-- binds: (none)
SELECT USER AS owner, g.trigger_name, g.table_owner, g.table_name, g.base_object_type,
       g.trigger_type, g.triggering_event, g.status
  FROM USER_TRIGGERS g
 WHERE g.trigger_name NOT LIKE 'BIN$%'
 ORDER BY 1, 2
