//! The charset registry: Oracle and PostgreSQL names resolved to explicit encodings.

use super::tables;
use serde::{Deserialize, Serialize};

/// Which database's naming a charset name follows. `UTF8` means CESU-8 to Oracle and
/// standard UTF-8 to PostgreSQL, so resolution always needs the dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Oracle,
    Postgres,
}

impl Dialect {
    pub fn parse(s: &str) -> Option<Dialect> {
        match s.to_ascii_lowercase().as_str() {
            "oracle" => Some(Dialect::Oracle),
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Oracle => "oracle",
            Dialect::Postgres => "postgres",
        }
    }
}

/// Which bytes of a single-byte table the scan treats as undefined beyond the mapping file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Only the bytes the mapping file leaves undefined.
    MappingOnly,
    /// ISO-8859 family: 0x80–0x9F (C1 controls) are undefined, as CSSCAN reports them.
    C1Undefined,
    /// US7ASCII: every byte >= 0x80 is undefined.
    HighUndefined,
}

/// How a charset's bytes decode.
#[derive(Debug, Clone, Copy)]
pub enum Encoding {
    SingleByte {
        table: &'static [u16; 256],
        policy: Policy,
    },
    /// Standard UTF-8 (Oracle AL32UTF8, PostgreSQL UTF8).
    Utf8,
    /// Oracle `UTF8`: CESU-8, supplementary characters as two 3-byte surrogates.
    Cesu8,
    /// PostgreSQL SQL_ASCII: no charset at all; a scan needs an assumed one.
    Undeclared,
}

/// The target charset of the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    #[serde(rename = "AL32UTF8")]
    Al32Utf8,
    /// Oracle's `UTF8` (CESU-8).
    #[serde(rename = "UTF8")]
    Cesu8,
}

impl Target {
    /// `AL32UTF8` or `UTF8` (case-insensitive). `UTF-8` is refused: it reads as standard
    /// UTF-8 but would mean Oracle's CESU-8 `UTF8`, so the user must say which one.
    pub fn parse(s: &str) -> Option<Target> {
        match s.trim().to_ascii_uppercase().as_str() {
            "AL32UTF8" => Some(Target::Al32Utf8),
            "UTF8" => Some(Target::Cesu8),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Target::Al32Utf8 => "AL32UTF8",
            Target::Cesu8 => "UTF8",
        }
    }
}

/// One supported charset.
#[derive(Debug, Clone, Copy)]
pub struct Charset {
    /// The Oracle name, when Oracle has this charset.
    pub oracle: Option<&'static str>,
    /// The PostgreSQL name, when PostgreSQL has this charset.
    pub postgres: Option<&'static str>,
    pub encoding: Encoding,
    pub description: &'static str,
}

impl Charset {
    /// The name in the given dialect, else the other dialect's.
    pub fn name(&self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Oracle => self.oracle.or(self.postgres),
            Dialect::Postgres => self.postgres.or(self.oracle),
        }
        .unwrap_or("?")
    }
    pub fn is_single_byte(&self) -> bool {
        matches!(self.encoding, Encoding::SingleByte { .. })
    }
}

const fn sb(
    oracle: Option<&'static str>,
    postgres: Option<&'static str>,
    table: &'static [u16; 256],
    policy: Policy,
    description: &'static str,
) -> Charset {
    Charset {
        oracle,
        postgres,
        encoding: Encoding::SingleByte { table, policy },
        description,
    }
}

use Policy::{C1Undefined, HighUndefined, MappingOnly};

static CHARSETS: &[Charset] = &[
    sb(
        Some("US7ASCII"),
        None,
        &tables::ISO8859_1,
        HighUndefined,
        "ASCII; bytes >= 0x80 undefined",
    ),
    sb(
        Some("WE8ISO8859P1"),
        Some("LATIN1"),
        &tables::ISO8859_1,
        C1Undefined,
        "ISO-8859-1 Western European",
    ),
    sb(
        Some("WE8ISO8859P15"),
        Some("LATIN9"),
        &tables::ISO8859_15,
        C1Undefined,
        "ISO-8859-15 Western European with euro",
    ),
    sb(
        Some("WE8MSWIN1252"),
        Some("WIN1252"),
        &tables::CP1252,
        MappingOnly,
        "Windows-1252 Western European",
    ),
    sb(
        Some("WE8ISO8859P9"),
        Some("LATIN5"),
        &tables::ISO8859_9,
        C1Undefined,
        "ISO-8859-9 Turkish",
    ),
    sb(
        Some("EE8ISO8859P2"),
        Some("LATIN2"),
        &tables::ISO8859_2,
        C1Undefined,
        "ISO-8859-2 Central European",
    ),
    sb(
        Some("EE8MSWIN1250"),
        Some("WIN1250"),
        &tables::CP1250,
        MappingOnly,
        "Windows-1250 Central European",
    ),
    sb(
        Some("CL8ISO8859P5"),
        Some("ISO_8859_5"),
        &tables::ISO8859_5,
        C1Undefined,
        "ISO-8859-5 Cyrillic",
    ),
    sb(
        Some("CL8MSWIN1251"),
        Some("WIN1251"),
        &tables::CP1251,
        MappingOnly,
        "Windows-1251 Cyrillic",
    ),
    sb(
        Some("CL8KOI8R"),
        Some("KOI8R"),
        &tables::KOI8_R,
        MappingOnly,
        "KOI8-R Russian",
    ),
    sb(
        Some("EL8ISO8859P7"),
        Some("ISO_8859_7"),
        &tables::ISO8859_7,
        C1Undefined,
        "ISO-8859-7 Greek",
    ),
    sb(
        Some("EL8MSWIN1253"),
        Some("WIN1253"),
        &tables::CP1253,
        MappingOnly,
        "Windows-1253 Greek",
    ),
    sb(
        Some("TR8MSWIN1254"),
        Some("WIN1254"),
        &tables::CP1254,
        MappingOnly,
        "Windows-1254 Turkish",
    ),
    sb(
        Some("IW8MSWIN1255"),
        Some("WIN1255"),
        &tables::CP1255,
        MappingOnly,
        "Windows-1255 Hebrew",
    ),
    sb(
        Some("AR8MSWIN1256"),
        Some("WIN1256"),
        &tables::CP1256,
        MappingOnly,
        "Windows-1256 Arabic",
    ),
    sb(
        Some("BLT8MSWIN1257"),
        Some("WIN1257"),
        &tables::CP1257,
        MappingOnly,
        "Windows-1257 Baltic",
    ),
    Charset {
        oracle: Some("AL32UTF8"),
        postgres: None,
        encoding: Encoding::Utf8,
        description: "UTF-8 (Oracle)",
    },
    Charset {
        oracle: Some("UTF8"),
        postgres: None,
        encoding: Encoding::Cesu8,
        description: "CESU-8 (Oracle UTF8): supplementary characters as surrogate pairs",
    },
    Charset {
        oracle: None,
        postgres: Some("UTF8"),
        encoding: Encoding::Utf8,
        description: "UTF-8 (PostgreSQL)",
    },
    Charset {
        oracle: None,
        postgres: Some("SQL_ASCII"),
        encoding: Encoding::Undeclared,
        description: "no charset declared: needs --assume",
    },
];

/// Every supported charset, in display order.
pub fn all_charsets() -> &'static [Charset] {
    CHARSETS
}

/// Resolves a charset name (case-insensitive) in a dialect. A name that only the other
/// dialect knows resolves too (a DBA may assume `WE8MSWIN1252` for a PostgreSQL column);
/// `UTF8`, the one name both dialects use differently, follows the given dialect.
pub fn resolve(name: &str, dialect: Dialect) -> Option<&'static Charset> {
    let norm = name.trim().to_ascii_uppercase();
    let norm = match norm.as_str() {
        // PostgreSQL aliases (pg_encoding names accepted by the server).
        "LATIN-1" | "ISO88591" | "ISO_8859_1" => "LATIN1".to_string(),
        "ISO885915" | "ISO_8859_15" => "LATIN9".to_string(),
        "ISO88592" | "ISO_8859_2" => "LATIN2".to_string(),
        "ISO88599" | "ISO_8859_9" => "LATIN5".to_string(),
        "UTF-8" | "UNICODE" if dialect == Dialect::Postgres => "UTF8".to_string(),
        "WIN" => "WIN1251".to_string(),
        "KOI8" | "KOI8-R" => "KOI8R".to_string(),
        "ASCII" if dialect == Dialect::Oracle => "US7ASCII".to_string(),
        _ => norm,
    };
    let in_dialect = |c: &&Charset| match dialect {
        Dialect::Oracle => c.oracle == Some(norm.as_str()),
        Dialect::Postgres => c.postgres == Some(norm.as_str()),
    };
    let in_other = |c: &&Charset| match dialect {
        Dialect::Oracle => c.postgres == Some(norm.as_str()),
        Dialect::Postgres => c.oracle == Some(norm.as_str()),
    };
    CHARSETS
        .iter()
        .find(in_dialect)
        .or_else(|| CHARSETS.iter().find(in_other))
}
