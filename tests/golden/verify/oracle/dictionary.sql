-- tables (owners: [])
-- binds: []
SELECT t.owner, t.table_name, t.temporary, t.iot_type, t.partitioned
  FROM ALL_TABLES t
 WHERE t.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND t.dropped = 'NO' AND t.nested = 'NO' AND t.secondary = 'N'
   AND (t.iot_type IS NULL OR t.iot_type <> 'IOT_OVERFLOW')
   AND NOT EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.owner = t.owner AND m.mview_name = t.table_name)
 ORDER BY t.owner, t.table_name;

-- columns (owners: [])
-- binds: []
SELECT c.owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       TO_CHAR(c.data_precision) AS data_precision, TO_CHAR(c.data_scale) AS data_scale, c.nullable,
       c.virtual_column, c.identity_column, c.data_default
  FROM ALL_TAB_COLS c
 WHERE c.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND c.user_generated = 'YES'
 ORDER BY c.owner, c.table_name, c.internal_column_id;

-- constraints (owners: [])
-- binds: []
SELECT c.owner, c.constraint_name, c.constraint_type, c.table_name, c.status, c.validated,
       c.generated, c.r_owner, c.r_constraint_name, c.delete_rule, c.search_condition
  FROM ALL_CONSTRAINTS c
 WHERE c.constraint_type IN ('P', 'U', 'R', 'C')
   AND ((c.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N'))
    OR (c.owner, c.constraint_name) IN (SELECT r.r_owner, r.r_constraint_name FROM ALL_CONSTRAINTS r
       WHERE r.constraint_type = 'R' AND r.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')));

-- constraint_columns (owners: [])
-- binds: []
SELECT k.owner, k.constraint_name, k.table_name, k.column_name, TO_CHAR(k.position) AS position
  FROM ALL_CONS_COLUMNS k
 WHERE ((k.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N'))
    OR (k.owner, k.constraint_name) IN (SELECT r.r_owner, r.r_constraint_name FROM ALL_CONSTRAINTS r
       WHERE r.constraint_type = 'R' AND r.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')))
 ORDER BY k.owner, k.constraint_name, k.position;

-- indexes (owners: [])
-- binds: []
SELECT i.owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,
       i.generated, i.status
  FROM ALL_INDEXES i
 WHERE i.table_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND i.index_type <> 'LOB'
 ORDER BY i.owner, i.index_name;

-- index_columns (owners: [])
-- binds: []
SELECT k.index_owner, k.index_name, k.column_name, TO_CHAR(k.column_position) AS column_position, k.descend
  FROM ALL_IND_COLUMNS k
 WHERE k.table_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
 ORDER BY k.index_owner, k.index_name, k.column_position;

-- index_expressions (owners: [])
-- binds: []
SELECT e.index_owner, e.index_name, TO_CHAR(e.column_position) AS column_position, e.column_expression
  FROM ALL_IND_EXPRESSIONS e
 WHERE e.table_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N');

-- triggers (owners: [])
-- binds: []
SELECT g.owner, g.trigger_name, g.table_owner, g.table_name, g.status
  FROM ALL_TRIGGERS g
 WHERE g.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
 ORDER BY g.owner, g.trigger_name;

-- sequences (owners: [])
-- binds: []
SELECT s.sequence_owner, s.sequence_name, TO_CHAR(s.min_value) AS min_value,
       TO_CHAR(s.max_value) AS max_value, TO_CHAR(s.increment_by) AS increment_by, s.cycle_flag,
       TO_CHAR(s.cache_size) AS cache_size, TO_CHAR(s.last_number) AS last_number,
       i.table_name AS identity_table, i.column_name AS identity_column, i.generation_type,
       c.default_on_null
  FROM ALL_SEQUENCES s
  LEFT JOIN ALL_TAB_IDENTITY_COLS i ON i.owner = s.sequence_owner AND i.sequence_name = s.sequence_name
  LEFT JOIN ALL_TAB_COLS c ON c.owner = i.owner AND c.table_name = i.table_name AND c.column_name = i.column_name
 WHERE s.sequence_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
 ORDER BY s.sequence_owner, s.sequence_name;

-- views (owners: [])
-- binds: []
SELECT v.owner, v.view_name, v.text
  FROM ALL_VIEWS v
 WHERE v.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N');

-- tables (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT t.owner, t.table_name, t.temporary, t.iot_type, t.partitioned
  FROM ALL_TABLES t
 WHERE t.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND t.owner IN (:1, :2)
   AND t.dropped = 'NO' AND t.nested = 'NO' AND t.secondary = 'N'
   AND (t.iot_type IS NULL OR t.iot_type <> 'IOT_OVERFLOW')
   AND NOT EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.owner = t.owner AND m.mview_name = t.table_name)
 ORDER BY t.owner, t.table_name;

-- columns (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT c.owner, c.table_name, c.column_name, TO_CHAR(c.column_id) AS column_id, c.data_type,
       TO_CHAR(c.data_length) AS data_length, TO_CHAR(c.char_length) AS char_length, c.char_used,
       TO_CHAR(c.data_precision) AS data_precision, TO_CHAR(c.data_scale) AS data_scale, c.nullable,
       c.virtual_column, c.identity_column, c.data_default
  FROM ALL_TAB_COLS c
 WHERE c.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND c.owner IN (:1, :2)
   AND c.user_generated = 'YES'
 ORDER BY c.owner, c.table_name, c.internal_column_id;

-- constraints (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept", "HR", "Sales Dept"]
SELECT c.owner, c.constraint_name, c.constraint_type, c.table_name, c.status, c.validated,
       c.generated, c.r_owner, c.r_constraint_name, c.delete_rule, c.search_condition
  FROM ALL_CONSTRAINTS c
 WHERE c.constraint_type IN ('P', 'U', 'R', 'C')
   AND ((c.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND c.owner IN (:1, :2))
    OR (c.owner, c.constraint_name) IN (SELECT r.r_owner, r.r_constraint_name FROM ALL_CONSTRAINTS r
       WHERE r.constraint_type = 'R' AND r.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
         AND r.owner IN (:3, :4)));

-- constraint_columns (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept", "HR", "Sales Dept"]
SELECT k.owner, k.constraint_name, k.table_name, k.column_name, TO_CHAR(k.position) AS position
  FROM ALL_CONS_COLUMNS k
 WHERE ((k.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND k.owner IN (:1, :2))
    OR (k.owner, k.constraint_name) IN (SELECT r.r_owner, r.r_constraint_name FROM ALL_CONSTRAINTS r
       WHERE r.constraint_type = 'R' AND r.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
         AND r.owner IN (:3, :4)))
 ORDER BY k.owner, k.constraint_name, k.position;

-- indexes (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT i.owner, i.index_name, i.table_owner, i.table_name, i.index_type, i.uniqueness,
       i.generated, i.status
  FROM ALL_INDEXES i
 WHERE i.table_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND i.table_owner IN (:1, :2)
   AND i.index_type <> 'LOB'
 ORDER BY i.owner, i.index_name;

-- index_columns (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT k.index_owner, k.index_name, k.column_name, TO_CHAR(k.column_position) AS column_position, k.descend
  FROM ALL_IND_COLUMNS k
 WHERE k.table_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND k.table_owner IN (:1, :2)
 ORDER BY k.index_owner, k.index_name, k.column_position;

-- index_expressions (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT e.index_owner, e.index_name, TO_CHAR(e.column_position) AS column_position, e.column_expression
  FROM ALL_IND_EXPRESSIONS e
 WHERE e.table_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND e.table_owner IN (:1, :2);

-- triggers (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT g.owner, g.trigger_name, g.table_owner, g.table_name, g.status
  FROM ALL_TRIGGERS g
 WHERE g.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND g.owner IN (:1, :2)
 ORDER BY g.owner, g.trigger_name;

-- sequences (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT s.sequence_owner, s.sequence_name, TO_CHAR(s.min_value) AS min_value,
       TO_CHAR(s.max_value) AS max_value, TO_CHAR(s.increment_by) AS increment_by, s.cycle_flag,
       TO_CHAR(s.cache_size) AS cache_size, TO_CHAR(s.last_number) AS last_number,
       i.table_name AS identity_table, i.column_name AS identity_column, i.generation_type,
       c.default_on_null
  FROM ALL_SEQUENCES s
  LEFT JOIN ALL_TAB_IDENTITY_COLS i ON i.owner = s.sequence_owner AND i.sequence_name = s.sequence_name
  LEFT JOIN ALL_TAB_COLS c ON c.owner = i.owner AND c.table_name = i.table_name AND c.column_name = i.column_name
 WHERE s.sequence_owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND s.sequence_owner IN (:1, :2)
 ORDER BY s.sequence_owner, s.sequence_name;

-- views (owners: ["HR", "Sales Dept"])
-- binds: ["HR", "Sales Dept"]
SELECT v.owner, v.view_name, v.text
  FROM ALL_VIEWS v
 WHERE v.owner IN (SELECT u.username FROM ALL_USERS u WHERE u.oracle_maintained = 'N')
   AND v.owner IN (:1, :2);

-- users
-- binds: []
SELECT u.username FROM ALL_USERS u ORDER BY u.username;

