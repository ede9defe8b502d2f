#!/usr/bin/env python3
"""Writes a charmig-snapshot/1 directory full of large lossy cells, to measure the scan's peak
memory with and without the per-column exception budget (issue 13 point 5):

    python3 scripts/lossy_snapshot.py /tmp/lossysnap 10000
    /usr/bin/time -v charmig scan --snapshot /tmp/lossysnap --out /tmp/o --jobs 2 \
        [--max-exception-bytes 1000000000000] 2>&1 | grep 'Maximum resident'

Table APP.T, two CLOB columns, ROWS rows, every cell 4,000 bytes starting with 0x81 (undefined
in WE8ISO8859P1): every cell is lossy and listed (hex 8,000 characters).
"""
import json
import os
import sys

out, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000
os.makedirs(os.path.join(out, "data"), exist_ok=True)
with open(os.path.join(out, "snapshot.json"), "w") as f:
    json.dump({"format": "charmig-snapshot/1",
               "source": {"dialect": "oracle", "version": "19.0", "charset": "WE8ISO8859P1",
                          "max_string_size": "STANDARD"}}, f)
with open(os.path.join(out, "columns.csv"), "w") as f:
    f.write("owner,table_name,column_name,column_id,data_type,data_length,char_length,char_used,nullable\n"
            "APP,T,CL,1,CLOB,4000,,,Y\nAPP,T,CL2,2,CLOB,4000,,,Y\n")
with open(os.path.join(out, "tables.csv"), "w") as f:
    f.write(f"owner,table_name,num_rows,data_file\nAPP,T,{rows},data/APP.T.csv\n")
cell = "x81" + "61" * 3999
with open(os.path.join(out, "data", "APP.T.csv"), "w") as f:
    f.write("ROWID,CL,CL2\n")
    for i in range(rows):
        f.write(f"R{i:017},{cell},{cell}\n")
