//! Instance settings an admin sets (`toaster settings set smtp.host mail.example.com`): each
//! known by name, with its default and a check of its value. Secrets are never settings:
//! a setting names the environment variable or file that holds one.

use std::fmt;

use super::{ModelError, check_email, check_env_name};

/// A setting of the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Setting {
    /// The SMTP server e-mail hooks send through.
    SmtpHost,
    /// Its port (default: 587 with STARTTLS, 465 with TLS, 25 plain).
    SmtpPort,
    /// `starttls`, `tls` or `plain` (plain only for a relay on a trusted network).
    SmtpSecurity,
    /// The user name to log in with, if the server wants one.
    SmtpUser,
    /// The environment variable holding the SMTP password.
    SmtpPasswordEnv,
    /// The file holding the SMTP password (its first line).
    SmtpPasswordFile,
    /// The sender of hook e-mail.
    SmtpFrom,
    /// How many times a delivery is tried before it is given up.
    HookAttempts,
    /// Seconds before the first retry; each later retry waits twice as long.
    HookRetryAfter,
    /// Seconds a hook script may run before it is killed.
    HookScriptTimeout,
    /// Seconds a webhook or SMTP server has to answer.
    HookNetworkTimeout,
    /// The directory build archives are written to (default: `archives/` beside the
    /// database).
    ArchiveDir,
    /// Whether every build is archived when it ends (`yes` or `no`).
    ArchiveOnEnd,
    /// The download directory (DL_DIR) every project shares unless it sets its own
    /// (default: `downloads/` beside the database).
    CacheDownloads,
    /// The shared-state cache (SSTATE_DIR) every project shares unless it sets its own
    /// (default: `sstate-cache/` beside the database).
    CacheSstate,
}

impl Setting {
    /// Every setting, in the order they are listed.
    pub const ALL: [Setting; 15] = [
        Setting::SmtpHost,
        Setting::SmtpPort,
        Setting::SmtpSecurity,
        Setting::SmtpUser,
        Setting::SmtpPasswordEnv,
        Setting::SmtpPasswordFile,
        Setting::SmtpFrom,
        Setting::HookAttempts,
        Setting::HookRetryAfter,
        Setting::HookScriptTimeout,
        Setting::HookNetworkTimeout,
        Setting::ArchiveDir,
        Setting::ArchiveOnEnd,
        Setting::CacheDownloads,
        Setting::CacheSstate,
    ];

    /// The stable name (`smtp.host`).
    pub fn name(self) -> &'static str {
        match self {
            Setting::SmtpHost => "smtp.host",
            Setting::SmtpPort => "smtp.port",
            Setting::SmtpSecurity => "smtp.security",
            Setting::SmtpUser => "smtp.user",
            Setting::SmtpPasswordEnv => "smtp.password-env",
            Setting::SmtpPasswordFile => "smtp.password-file",
            Setting::SmtpFrom => "smtp.from",
            Setting::HookAttempts => "hooks.attempts",
            Setting::HookRetryAfter => "hooks.retry-after",
            Setting::HookScriptTimeout => "hooks.script-timeout",
            Setting::HookNetworkTimeout => "hooks.network-timeout",
            Setting::ArchiveDir => "archive.dir",
            Setting::ArchiveOnEnd => "archive.on-end",
            Setting::CacheDownloads => "cache.downloads",
            Setting::CacheSstate => "cache.sstate",
        }
    }

    /// What it is for, for `settings show`.
    pub fn about(self) -> &'static str {
        match self {
            Setting::SmtpHost => "SMTP server for e-mail hooks (unset: e-mail hooks fail)",
            Setting::SmtpPort => "SMTP port (default: 587 starttls, 465 tls, 25 plain)",
            Setting::SmtpSecurity => "starttls, tls, or plain for a trusted local relay",
            Setting::SmtpUser => "SMTP login name (unset: no login)",
            Setting::SmtpPasswordEnv => "environment variable holding the SMTP password",
            Setting::SmtpPasswordFile => "file whose first line is the SMTP password",
            Setting::SmtpFrom => "sender of hook e-mail",
            Setting::HookAttempts => "attempts per delivery before it is given up",
            Setting::HookRetryAfter => "seconds before the first retry (doubling after)",
            Setting::HookScriptTimeout => "seconds a hook script may run before it is killed",
            Setting::HookNetworkTimeout => "seconds a webhook or SMTP server has to answer",
            Setting::ArchiveDir => {
                "where build archives go (default: archives/ beside the database)"
            }
            Setting::ArchiveOnEnd => "yes: archive every build when it ends (without images)",
            Setting::CacheDownloads => {
                "DL_DIR of every project that sets none (default: downloads/ beside the database)"
            }
            Setting::CacheSstate => {
                "SSTATE_DIR of every project that sets none (default: sstate-cache/ beside the database)"
            }
        }
    }

    /// The value in effect when it is not set, if there is one.
    pub fn default_value(self) -> Option<&'static str> {
        match self {
            Setting::SmtpSecurity => Some("starttls"),
            Setting::HookAttempts => Some("5"),
            Setting::HookRetryAfter => Some("60"),
            Setting::HookScriptTimeout => Some("600"),
            Setting::HookNetworkTimeout => Some("30"),
            Setting::ArchiveOnEnd => Some("no"),
            _ => None,
        }
    }

    /// The setting of a name.
    pub fn parse(name: &str) -> Result<Setting, ModelError> {
        Self::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|s| s.name()).collect();
                ModelError::invalid(
                    "setting",
                    name,
                    "there is no such setting",
                    format!("use one of {}", known.join(", ")),
                )
            })
    }

    /// Checks a value for this setting; returns it as stored.
    pub fn check(self, value: &str) -> Result<String, ModelError> {
        let bad =
            |reason: &str, hint: &str| Err(ModelError::invalid(self.name(), value, reason, hint));
        if value.is_empty() || value.len() > 1024 || value.chars().any(char::is_control) {
            return bad(
                "it is empty, too long, or holds a control character",
                "give one line of text; use `settings unset` to clear a setting",
            );
        }
        match self {
            Setting::SmtpHost if value.contains(|c: char| c.is_whitespace() || c == '/') => bad(
                "it is not a host name",
                "give a host name or address, like `mail.example.com`",
            ),
            Setting::SmtpPort => match value.parse::<u16>() {
                Ok(port) if port > 0 => Ok(value.to_owned()),
                _ => bad("it is not a port number", "give a number from 1 to 65535"),
            },
            Setting::SmtpSecurity if !matches!(value, "starttls" | "tls" | "plain") => {
                bad("it is not a kind of security", "use starttls, tls or plain")
            }
            Setting::SmtpPasswordEnv => check_env_name(value).map(|()| value.to_owned()),
            Setting::SmtpPasswordFile if !value.starts_with('/') => bad(
                "it is not an absolute path",
                "give the password file's absolute path",
            ),
            Setting::SmtpFrom => check_email(value).map(|()| value.to_owned()),
            Setting::ArchiveDir if !value.starts_with('/') => bad(
                "it is not an absolute path",
                "give the archive directory's absolute path",
            ),
            Setting::CacheDownloads | Setting::CacheSstate if !value.starts_with('/') => bad(
                "it is not an absolute path",
                "give the cache directory's absolute path, such as /srv/yocto/downloads",
            ),
            Setting::ArchiveOnEnd if !matches!(value, "yes" | "no") => {
                bad("it is neither yes nor no", "use yes or no")
            }
            Setting::HookAttempts => Self::number(self, value, 1, 100),
            Setting::HookRetryAfter => Self::number(self, value, 0, 86_400),
            Setting::HookScriptTimeout | Setting::HookNetworkTimeout => {
                Self::number(self, value, 1, 86_400)
            }
            _ => Ok(value.to_owned()),
        }
    }

    fn number(self, value: &str, min: u64, max: u64) -> Result<String, ModelError> {
        match value.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            _ => Err(ModelError::invalid(
                self.name(),
                value,
                "it is not a whole number in range",
                format!("give a number from {min} to {max}"),
            )),
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_values_are_checked() {
        for setting in Setting::ALL {
            assert_eq!(Setting::parse(setting.name()).unwrap(), setting);
            if let Some(default) = setting.default_value() {
                assert_eq!(setting.check(default).unwrap(), default);
            }
        }
        assert!(Setting::parse("smtp.password").is_err());
        assert!(Setting::SmtpPort.check("0").is_err());
        assert!(Setting::SmtpPort.check("2525").is_ok());
        assert!(Setting::SmtpSecurity.check("ssl").is_err());
        assert!(Setting::SmtpHost.check("a b").is_err());
        assert!(Setting::SmtpHost.check("x\ny").is_err());
        assert!(Setting::SmtpPasswordFile.check("pw.txt").is_err());
        assert!(Setting::SmtpPasswordEnv.check("SMTP-PW").is_err());
        assert_eq!(Setting::HookAttempts.check("007").unwrap(), "7");
        assert!(Setting::HookAttempts.check("0").is_err());
        assert!(Setting::HookRetryAfter.check("0").is_ok());
        assert!(Setting::CacheDownloads.check("downloads").is_err());
        assert!(Setting::CacheSstate.check("/srv/sstate").is_ok());
    }
}
