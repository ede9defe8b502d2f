//! The databases' locales, where they change stored values: a generated stored column is
//! computed again by the target (`upper(nom)`, `lower(…)`, `initcap`, a regular expression
//! class), and `upper('é')` is `é` under the `C` locale of a LATIN9 database but `É` under
//! `de_DE.UTF-8` or `C.UTF-8`. The copy cannot write those columns, so a target whose locale
//! behaves differently would hold other values than the source, silently; `charmig copy`
//! refuses (`--allow-locale-change` to accept it) and `charmig schema` warns.

use postgres::Client;

/// A database's locale: its provider (`c` libc, `i` ICU from PostgreSQL 15, `b` builtin from
/// 17), the provider's locale for ICU and builtin, and LC_COLLATE / LC_CTYPE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbLocale {
    pub provider: String,
    /// ICU or builtin locale (`daticulocale` / `datlocale`); empty for libc.
    pub locale: String,
    pub collate: String,
    pub ctype: String,
}

impl DbLocale {
    pub fn of(client: &mut Client) -> Result<DbLocale, String> {
        // Through to_jsonb: the provider columns exist from 15 (daticulocale until 16,
        // datlocale from 17), and naming a missing column would fail on older servers.
        let r = client
            .query_one(
                "SELECT datcollate::text, datctype::text, coalesce(j->>'datlocprovider', 'c'), \
                        coalesce(j->>'datlocale', j->>'daticulocale', '') \
                   FROM pg_catalog.pg_database d, LATERAL (SELECT to_jsonb(d) AS j) x \
                  WHERE datname = pg_catalog.current_database()",
                &[],
            )
            .map_err(|e| crate::schema::pg_run::pg_err(&e))?;
        Ok(DbLocale {
            collate: r.get(0),
            ctype: r.get(1),
            provider: r.get(2),
            locale: r.get(3),
        })
    }

    /// Case mapping and character classes behave the same in both, as far as the names tell:
    /// the same provider, and the same ICU/builtin locale or (libc) the same LC_CTYPE. The
    /// ordering (LC_COLLATE) does not change what upper() or a regular expression computes.
    pub fn behaves_like(&self, other: &DbLocale) -> bool {
        if self.provider != other.provider {
            return false;
        }
        match self.provider.as_str() {
            "c" => same_locale(&self.ctype, &other.ctype),
            _ => self.locale.eq_ignore_ascii_case(&other.locale),
        }
    }

    /// The `createdb` options that give a new database this locale (its provider's too:
    /// `--locale-provider=icu --icu-locale=…` from PostgreSQL 15, `builtin` from 17), each
    /// value quoted for a POSIX shell when it needs it.
    pub fn createdb_options(&self) -> String {
        let q = |v: &str| {
            if !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.@-+=:,".contains(c))
            {
                v.to_string()
            } else {
                format!("'{}'", v.replace('\'', "'\\''"))
            }
        };
        let libc = format!(
            "--lc-collate={} --lc-ctype={}",
            q(&self.collate),
            q(&self.ctype)
        );
        match self.provider.as_str() {
            "i" => format!(
                "--locale-provider=icu --icu-locale={} {libc}",
                q(&self.locale)
            ),
            "b" => format!(
                "--locale-provider=builtin --builtin-locale={} {libc}",
                q(&self.locale)
            ),
            _ => libc,
        }
    }

    pub fn describe(&self) -> String {
        match self.provider.as_str() {
            "i" => format!("ICU locale {}", self.locale),
            "b" => format!("builtin locale {}", self.locale),
            _ if self.collate == self.ctype => format!("locale {}", self.collate),
            _ => format!("LC_COLLATE {}, LC_CTYPE {}", self.collate, self.ctype),
        }
    }
}

/// Two locale names that behave alike: the same language and territory whatever the charset
/// part (`de_DE.ISO-8859-15@euro` and `de_DE.UTF-8`). `C` and `POSIX` are only like each
/// other: PostgreSQL maps only ASCII letters under them, while `C.UTF-8` maps every letter.
pub fn same_locale(a: &str, b: &str) -> bool {
    let plain_c = |s: &str| s.eq_ignore_ascii_case("C") || s.eq_ignore_ascii_case("POSIX");
    if plain_c(a) || plain_c(b) {
        return plain_c(a) && plain_c(b);
    }
    let base = |s: &str| {
        s.split(['.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .replace('-', "_")
    };
    base(a) == base(b)
}

/// The generated stored columns of the target's tables `tables` (schema, table), as
/// `schema.table.column = expression`.
pub fn generated_columns(
    client: &mut Client,
    tables: &[(String, String)],
) -> Result<Vec<String>, String> {
    let rows = client
        .query(
            "SELECT n.nspname::text, c.relname::text, a.attname::text, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
               FROM pg_catalog.pg_attribute a
               JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attgenerated = 's' AND NOT a.attisdropped
              ORDER BY 1, 2, a.attnum",
            &[],
        )
        .map_err(|e| crate::schema::pg_run::pg_err(&e))?;
    Ok(rows
        .iter()
        .filter(|r| {
            tables
                .iter()
                .any(|(s, t)| s == r.get::<_, &str>(0) && t == r.get::<_, &str>(1))
        })
        .map(|r| {
            format!(
                "{}.{}.{} = {}",
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2),
                r.get::<_, String>(3)
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libc(collate: &str, ctype: &str) -> DbLocale {
        DbLocale {
            provider: "c".into(),
            locale: String::new(),
            collate: collate.into(),
            ctype: ctype.into(),
        }
    }

    #[test]
    fn createdb_options_name_the_provider_and_quote_odd_values() {
        assert_eq!(
            libc("de_DE.UTF-8", "de_DE.UTF-8").createdb_options(),
            "--lc-collate=de_DE.UTF-8 --lc-ctype=de_DE.UTF-8"
        );
        let icu = DbLocale {
            provider: "i".into(),
            locale: "de-DE-u-co-phonebk".into(),
            ..libc("C", "fr_FR.ISO-8859-15@euro")
        };
        assert_eq!(
            icu.createdb_options(),
            "--locale-provider=icu --icu-locale=de-DE-u-co-phonebk --lc-collate=C --lc-ctype=fr_FR.ISO-8859-15@euro"
        );
        let builtin = DbLocale {
            provider: "b".into(),
            locale: "C.UTF-8".into(),
            ..libc("C", "it's odd")
        };
        assert_eq!(
            builtin.createdb_options(),
            "--locale-provider=builtin --builtin-locale=C.UTF-8 --lc-collate=C --lc-ctype='it'\\''s odd'"
        );
    }

    #[test]
    fn providers_and_ctype_decide_not_collate() {
        assert!(libc("C", "de_DE.UTF-8").behaves_like(&libc("de_DE.UTF-8", "de_DE.utf8")));
        assert!(!libc("C", "C").behaves_like(&libc("C", "C.UTF-8")));
        let builtin = DbLocale {
            provider: "b".into(),
            locale: "C.UTF-8".into(),
            ..libc("C", "C")
        };
        assert!(
            !libc("C", "C").behaves_like(&builtin),
            "same LC_CTYPE, other provider"
        );
        let icu = DbLocale {
            provider: "i".into(),
            locale: "und".into(),
            ..libc("C", "C")
        };
        assert!(icu.behaves_like(&icu.clone()));
        assert!(!icu.behaves_like(&DbLocale {
            locale: "de".into(),
            ..icu.clone()
        }));
    }

    #[test]
    fn locales_alike_by_language_and_territory_but_c_only_like_c() {
        assert!(same_locale("de_DE.ISO-8859-15@euro", "de_DE.UTF-8"));
        assert!(same_locale("fr_FR.iso885915", "fr_FR.utf8"));
        assert!(same_locale("C", "POSIX"));
        assert!(!same_locale("C", "C.UTF-8"));
        assert!(!same_locale("C", "en_US.UTF-8"));
        assert!(!same_locale("de_DE.UTF-8", "de_AT.UTF-8"));
        assert!(same_locale("en_US.UTF-8", "en_US.utf8"));
    }
}
