-- is this view family readable (ORA-00942 -> next)
-- binds: (none)
SELECT 1 FROM DBA_TAB_COLS WHERE ROWNUM = 1
