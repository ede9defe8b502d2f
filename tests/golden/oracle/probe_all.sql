-- is this view family readable (ORA-00942 -> next)
-- binds: (none)
SELECT 1 FROM ALL_TAB_COLS WHERE ROWNUM = 1
