//! The password of a connection whose URL has none, found as libpq finds it: in
//! `PGPASSWORD`, else in the password file (`PGPASSFILE`, or `~/.pgpass`), whose lines are
//! `host:port:database:user:password` with `*` matching anything and `\` escaping.

use std::path::{Path, PathBuf};

use postgres::config::Host;

/// The password for `config`'s first host, port, database and user, if one is given.
pub(super) fn find(config: &postgres::Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD")
        && !password.is_empty()
    {
        return Some(password);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    from_file(&file, config)
}

/// The password the password file `file` gives for `config`'s first host, port, database
/// and user, if any.
pub(super) fn from_file(file: &Path, config: &postgres::Config) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first()? {
        Host::Tcp(name) => name.clone(),
        Host::Unix(_) => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(fields)
        .filter(|fields| fields.len() == 5)
        .find(|fields| {
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want)
        })
        .map(|mut fields| fields.swap_remove(4))
}

/// A line's fields, split at unescaped `:`.
fn fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_at_unescaped_colons() {
        assert_eq!(
            fields(r"db\:1:5432:*:alice:pa\:ss\\word"),
            ["db:1", "5432", "*", "alice", r"pa:ss\word"]
        );
    }
}
