#!/usr/bin/env python3
"""Generate demo/snapshot: a small but realistic WE8ISO8859P15 Oracle schema in the
charmig-snapshot/1 format. Deterministic; re-run to regenerate:

    python3 tools/make_demo.py demo/snapshot

What it holds (each a real-world case charmig must report):
- HR.EMPLOYEES: accented names (convertible), names that grow past VARCHAR2(n BYTE)
  (truncation), stray cp1252 bytes pasted from Word (0x92 ’, 0x93/0x94 “ ”, 0x80 €: lossy in
  ISO-8859-15, flagged stray), CHAR(2 BYTE) country codes with padding, a CLOB of notes,
  an NVARCHAR2 column (national charset: not affected), NULLs.
- SALES.PRODUCTS: product names and euro prices (0xA4 is € in ISO-8859-15), CHAR(4 BYTE) unit
  codes that overflow (ÄÖÜß: 4 bytes -> 8), UTF-8 pasted into Latin-9 (pass-through).
- SALES."order notes": a lower-case quoted table name with CHAR-semantics columns.
"""
import csv
import json
import os
import random
import sys

rng = random.Random(20261122)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(n, width):
    s = ""
    for _ in range(width):
        s = B64[n % 64] + s
        n //= 64
    return s


def rowids(obj, count):
    """Plausible extended ROWIDs: object(6) file(3) block(6) row(3)."""
    out = []
    block, row = 131, 0
    for _ in range(count):
        out.append(b64(obj, 6) + b64(4, 3) + b64(block, 6) + b64(row, 3))
        row += 1
        if row == 40:
            block, row = block + 1, 0
    return out


def enc(s):
    """Latin-9 bytes of a str; bytes pass through unchanged."""
    return s if isinstance(s, bytes) else s.encode("iso8859_15")


def cell(v):
    return "" if v is None else "x" + enc(v).hex().upper()


FIRST = ["José", "Zoë", "François", "Björn", "Anaïs", "Jürgen", "Sébastien", "Ægir", "Ana",
         "John", "Mary", "Peter", "Paula", "Chloé", "Noël", "Müller", "Åsa", "Ines", "Ole", "Luís"]
LAST = ["García", "Dupont", "Ølstad", "Schäfer", "Nuñez", "Smith", "Brown", "Lefèvre",
        "Gonçalves", "Kowalski", "Îlesçu", "Weiß", "O'Neil", "Martínez-Hernández de la Peña"]
CITIES = ["Zürich", "München", "Malmö", "São Paulo", "Genève", "Paris", "London", "Århus",
          "Besançon", "Kraków", "Reykjavík", None]
COUNTRIES = ["CH", "DE", "SE", "BR", "FR", "GB", "DK", "PL", "IS", "ÅL", None]


def employees():
    rows = []
    for i in range(240):
        first = rng.choice(FIRST)
        last = rng.choice(LAST)
        city = rng.choice(CITIES)
        cc = rng.choice(COUNTRIES)
        cc = None if cc is None else cc.ljust(2)
        notes = None
        if i % 7 == 0:
            notes = f"Joined {2000 + i % 20}. Speaks français and español; prefers Zürich office. " * (1 + i % 3)
        if i % 31 == 5:
            # Pasted from Word: curly quotes and apostrophe as cp1252 bytes.
            notes = b"Said \x93we\x92ll see\x94 about the move."
        if i % 53 == 9:
            notes = b"Expense claim \x80 120 approved"
        nick = None if i % 5 else first
        if i % 41 == 3:
            last = "Évariste-Âgé"  # 12 chars, 12 bytes in Latin-9 -> 16 bytes after conversion
        rows.append([f"{1000 + i}", first, last, city, cc, notes, nick])
    return rows


def products():
    names = [("Crème brûlée", "Dessert, 4 × 90 g", "ÄÖÜß"), ("Café crème", "Price: 4,50 € per cup", "EA"),
             ("Tarte", "Classic", "PCS"), ("Bière", "0,33 l", "ÉTÉ"), ("Soda", None, "EA"),
             ("Smørrebrød", "Open sandwich", "PC"), ("Pâté", b"Pasted from the web: caf\xc3\xa9 au lait", "KG"),
             ("Gâteau", b"\x93Best in town\x94", "EA"), ("Water", "Still", "L"), ("Çay", "Turkish tea", "G")]
    rows = []
    for i, (name, desc, unit) in enumerate(names * 3):
        rows.append([str(i + 1), name, desc, unit.ljust(4), str(3 + i % 7)])
    return rows


def order_notes():
    texts = ["Livraison prévue lundi", "Rückruf erbeten", "OK", None, "Größe XL — bitte prüfen".replace("—", "-"),
             "Entregar en la dirección de facturación, añadir nota", "¡Urgente!"]
    return [[str(i + 1), t] for i, t in enumerate(texts * 2)]


COLUMNS = [
    # owner, table, column, id, type, data_length, char_length, char_used, nullable
    ("HR", "EMPLOYEES", "EMPLOYEE_ID", 1, "NUMBER", 22, 0, "", "N"),
    ("HR", "EMPLOYEES", "FIRST_NAME", 2, "VARCHAR2", 20, 20, "B", "Y"),
    ("HR", "EMPLOYEES", "LAST_NAME", 3, "VARCHAR2", 30, 30, "B", "N"),
    ("HR", "EMPLOYEES", "CITY", 4, "VARCHAR2", 30, 30, "B", "Y"),
    ("HR", "EMPLOYEES", "COUNTRY_CODE", 5, "CHAR", 2, 2, "B", "Y"),
    ("HR", "EMPLOYEES", "NOTES", 6, "CLOB", 4000, 0, "", "Y"),
    ("HR", "EMPLOYEES", "NICKNAME", 7, "NVARCHAR2", 40, 20, "C", "Y"),
    ("SALES", "PRODUCTS", "PRODUCT_ID", 1, "NUMBER", 22, 0, "", "N"),
    ("SALES", "PRODUCTS", "NAME", 2, "VARCHAR2", 12, 12, "B", "N"),
    ("SALES", "PRODUCTS", "DESCRIPTION", 3, "VARCHAR2", 200, 200, "B", "Y"),
    ("SALES", "PRODUCTS", "UNIT", 4, "CHAR", 4, 4, "B", "Y"),
    ("SALES", "PRODUCTS", "STOCK", 5, "NUMBER", 22, 0, "", "Y"),
    ("SALES", "order notes", "ID", 1, "NUMBER", 22, 0, "", "N"),
    ("SALES", "order notes", "Note", 2, "VARCHAR2", 60, 60, "C", "Y"),
]


def main(out):
    os.makedirs(out, exist_ok=True)
    meta = {"format": "charmig-snapshot/1",
            "source": {"dialect": "oracle", "version": "19.0.0.0.0", "charset": "WE8ISO8859P15",
                       "nchar_charset": "AL16UTF16", "max_string_size": "STANDARD"},
            "exported_at": "2026-11-22T09:00:00Z"}
    with open(os.path.join(out, "snapshot.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "columns.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["owner", "table_name", "column_name", "column_id", "data_type", "data_length",
                    "char_length", "char_used", "nullable"])
        w.writerows(COLUMNS)
    tables = [("HR", "EMPLOYEES", employees(), 74003, "data/HR.EMPLOYEES.csv"),
              ("SALES", "PRODUCTS", products(), 74010, "data/SALES.PRODUCTS.csv"),
              ("SALES", "order notes", order_notes(), 74021, "data/SALES.order_notes.csv")]
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    with open(os.path.join(out, "tables.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["owner", "table_name", "num_rows", "data_file"])
        for owner, table, rows, _, path in tables:
            w.writerow([owner, table, len(rows), path])
    for owner, table, rows, obj, path in tables:
        cols = [c for c in COLUMNS if c[0] == owner and c[1] == table]
        with open(os.path.join(out, path), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["ROWID"] + [c[2] for c in cols])
            for rid, row in zip(rowids(obj, len(rows)), rows):
                vals = []
                for c, v in zip(cols, row):
                    if c[4] == "NVARCHAR2":
                        vals.append("" if v is None else "x" + v.encode("utf-16-be").hex().upper())
                    elif c[4] == "NUMBER":
                        # Not character data: exported as the number's text bytes.
                        vals.append(cell(v))
                    else:
                        vals.append(cell(v))
                w.writerow([rid] + vals)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/snapshot")
