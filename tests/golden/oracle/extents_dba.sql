-- extents of one table as ROWID bounds (DBA_)
-- binds: :1="HR" :2="EMP"
SELECT DBMS_ROWID.ROWID_CREATE(1, o.data_object_id, e.relative_fno, e.block_id, 0) AS lo,
       DBMS_ROWID.ROWID_CREATE(1, o.data_object_id, e.relative_fno, e.block_id + e.blocks - 1, 32767) AS hi,
       TO_CHAR(e.blocks) AS blocks, TO_CHAR(o.data_object_id) AS data_object_id
  FROM dba_extents e
  JOIN dba_objects o ON o.owner = e.owner AND o.object_name = e.segment_name
   AND NVL(o.subobject_name, ' ') = NVL(e.partition_name, ' ')
   AND o.object_type IN ('TABLE', 'TABLE PARTITION', 'TABLE SUBPARTITION')
 WHERE e.owner = :1 AND e.segment_name = :2
   AND e.segment_type IN ('TABLE', 'TABLE PARTITION', 'TABLE SUBPARTITION')
 ORDER BY o.data_object_id, e.relative_fno, e.block_id
