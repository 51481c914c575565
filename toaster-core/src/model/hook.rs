//! Post-build hooks: what a project asks to happen when one of its builds ends (part of its
//! revisioned configuration), and the deliveries and attempts that carry them out.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{BuildId, ModelError, Timestamp, check_email};

/// The most addresses one e-mail hook sends to.
const MAX_RECIPIENTS: usize = 50;
/// The longest webhook URL, program argument or argument list taken.
const MAX_TEXT: usize = 4096;
/// The most arguments a script hook has.
const MAX_ARGS: usize = 64;

/// A project's hook: when it fires and what it does. Its id is unique within the project's
/// configuration and stays with the hook through later revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hook {
    /// Its number within the project (`hook remove PROJECT ID`).
    pub id: u32,
    /// Which ends of a build fire it.
    pub on: HookTrigger,
    /// What it does.
    pub action: HookAction,
}

/// Which ends of a build fire a hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookTrigger {
    /// The build succeeded.
    Success,
    /// The build ended any other way: failed, cancelled or interrupted.
    Failure,
    /// Every end.
    Always,
}

impl HookTrigger {
    /// Reads `success`, `failure` or `always`.
    pub fn parse(text: &str) -> Result<HookTrigger, ModelError> {
        match text {
            "success" => Ok(HookTrigger::Success),
            "failure" => Ok(HookTrigger::Failure),
            "always" => Ok(HookTrigger::Always),
            _ => Err(ModelError::invalid(
                "hook trigger",
                text,
                "it is not one",
                "use `success`, `failure` or `always`",
            )),
        }
    }

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            HookTrigger::Success => "success",
            HookTrigger::Failure => "failure",
            HookTrigger::Always => "always",
        }
    }
}

impl fmt::Display for HookTrigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a hook does when it fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HookAction {
    /// Mails a report of the build over the instance's SMTP server.
    Email {
        /// The recipients.
        to: Vec<String>,
    },
    /// POSTs the build as JSON to a URL.
    Webhook {
        /// An `http` or `https` URL without credentials.
        url: String,
        /// The environment variable of the delivering process that holds the HMAC-SHA256
        /// secret; the secret itself is never stored.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        secret_env: Option<String>,
    },
    /// Runs a program (argv, never a shell line) in the build directory.
    Run {
        /// The program and its arguments.
        argv: Vec<String>,
    },
}

impl HookAction {
    /// An e-mail action to `to`, each address checked.
    pub fn email(to: &[String]) -> Result<HookAction, ModelError> {
        if to.is_empty() || to.len() > MAX_RECIPIENTS {
            return Err(ModelError::invalid(
                "e-mail hook",
                &to.join(","),
                format!("it has {} addresses", to.len()),
                format!("give 1 to {MAX_RECIPIENTS} addresses, separated by commas"),
            ));
        }
        for address in to {
            check_email(address)?;
            if address.contains(['<', '>', ',', ';', '"', '(', ')']) {
                return Err(ModelError::invalid(
                    "e-mail address",
                    address,
                    "it holds one of `<>,;\"()`",
                    "give a plain address like `alice@example.com`",
                ));
            }
        }
        Ok(HookAction::Email { to: to.to_vec() })
    }

    /// A webhook action, with its URL and secret variable name checked.
    pub fn webhook(url: &str, secret_env: Option<&str>) -> Result<HookAction, ModelError> {
        check_url(url)?;
        if let Some(name) = secret_env {
            check_env_name(name)?;
        }
        Ok(HookAction::Webhook {
            url: url.to_owned(),
            secret_env: secret_env.map(str::to_owned),
        })
    }

    /// A script action running `argv`: a program and its arguments, each one line.
    pub fn run(argv: &[String]) -> Result<HookAction, ModelError> {
        let Some(program) = argv.first() else {
            return Err(ModelError::invalid(
                "hook program",
                "",
                "no program was given",
                "give the program to run and its arguments",
            ));
        };
        if program.trim().is_empty() || argv.len() > MAX_ARGS {
            return Err(ModelError::invalid(
                "hook program",
                program,
                format!("it is empty or has more than {MAX_ARGS} arguments"),
                "give the program to run and its arguments",
            ));
        }
        for arg in argv {
            if arg.len() > MAX_TEXT || arg.contains('\0') {
                return Err(ModelError::invalid(
                    "hook argument",
                    arg,
                    format!("it is longer than {MAX_TEXT} bytes or holds a NUL byte"),
                    "give shorter arguments",
                ));
            }
        }
        Ok(HookAction::Run {
            argv: argv.to_vec(),
        })
    }

    /// The one action of `email`, `webhook` (with `secret_env`) and `run` that is given, as
    /// frontends take them; refused unless exactly one is, or `secret_env` without a webhook.
    pub fn choose(
        email: Option<&[String]>,
        webhook: Option<&str>,
        secret_env: Option<&str>,
        run: Option<&[String]>,
    ) -> Result<HookAction, ModelError> {
        match (email, webhook, run) {
            (Some(to), None, None) if secret_env.is_none() => HookAction::email(to),
            (None, Some(url), None) => HookAction::webhook(url, secret_env),
            (None, None, Some(argv)) if secret_env.is_none() => HookAction::run(argv),
            _ => Err(ModelError::invalid(
                "hook",
                "",
                "it needs exactly one action (a signing secret goes with a webhook only)",
                "give one of an e-mail list, a webhook URL or a program to run",
            )),
        }
    }

    /// The kind's name: `email`, `webhook` or `run`.
    pub fn kind(&self) -> &'static str {
        match self {
            HookAction::Email { .. } => "email",
            HookAction::Webhook { .. } => "webhook",
            HookAction::Run { .. } => "run",
        }
    }
}

impl fmt::Display for HookAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HookAction::Email { to } => write!(f, "email {}", to.join(",")),
            HookAction::Webhook { url, secret_env } => {
                write!(f, "webhook {url}")?;
                match secret_env {
                    Some(name) => write!(f, " (signed with ${name})"),
                    None => Ok(()),
                }
            }
            HookAction::Run { argv } => {
                f.write_str("run")?;
                for arg in argv {
                    write!(f, " {arg:?}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} on {}: {}", self.id, self.on, self.action)
    }
}

/// Checks a webhook URL: `http://` or `https://`, a host, no credentials, no spaces or
/// control characters.
pub fn check_url(url: &str) -> Result<(), ModelError> {
    let bad = |reason: &str| {
        Err(ModelError::invalid(
            "webhook URL",
            url,
            reason,
            "give an http:// or https:// URL like `https://ci.example.com/hooks/toaster`",
        ))
    };
    if url.len() > MAX_TEXT {
        return bad("it is too long");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("it contains a space or a control character");
    }
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return bad("it does not start with http:// or https://");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return bad("it holds credentials (user@); use --secret-env for a signature instead");
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((host, rest)) => (host, rest.strip_prefix(':')),
            None => return bad("its IPv6 address has no closing `]`"),
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if port.is_some_and(|port| port.parse::<u16>().is_err()) {
        return bad("its port is not a number from 0 to 65535");
    }
    if host.is_empty() || host.starts_with('.') {
        return bad("it has no host");
    }
    Ok(())
}

/// Checks the name of an environment variable: letters, digits and `_`, not starting with
/// a digit.
pub fn check_env_name(name: &str) -> Result<(), ModelError> {
    let fine = !name.is_empty()
        && name.len() <= 255
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if fine {
        Ok(())
    } else {
        Err(ModelError::invalid(
            "environment variable name",
            name,
            "it is not a variable name",
            "use letters, digits and `_`, like `TOASTER_WEBHOOK_SECRET`",
        ))
    }
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first or next attempt.
    Pending,
    /// An attempt succeeded.
    Delivered,
    /// Every attempt failed; no more are made.
    Failed,
}

impl DeliveryState {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    /// The state of a stored name.
    pub fn parse(text: &str) -> Option<DeliveryState> {
        match text {
            "pending" => Some(DeliveryState::Pending),
            "delivered" => Some(DeliveryState::Delivered),
            "failed" => Some(DeliveryState::Failed),
            _ => None,
        }
    }
}

impl fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The store's key of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeliveryId(pub i64);

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One hook to carry out for one ended build: written in the transaction that ends the
/// build (an outbox), with the hook as it was then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Its key.
    pub id: DeliveryId,
    /// The build that ended.
    pub build: BuildId,
    /// The hook, as the project's newest revision had it when the build ended.
    pub hook: Hook,
    /// Where it is.
    pub state: DeliveryState,
    /// When the next attempt is due (pending only).
    pub due_at: Timestamp,
    /// Who is delivering it now, and until when (a deliverer that dies lets it go then).
    pub claimed_by: Option<String>,
    /// The attempts made, oldest first.
    pub attempts: Vec<Attempt>,
}

/// How one attempt at a delivery went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// 1 for the first.
    pub number: u32,
    /// When it started.
    pub started_at: Timestamp,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// What came of it.
    #[serde(flatten)]
    pub result: AttemptResult,
    /// Which deliverer made it.
    pub by: String,
}

/// What came of an attempt: made by a transport, kept in the attempt's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptResult {
    /// Whether the hook was carried out: a 2xx answer, an accepted message, exit status 0.
    pub delivered: bool,
    /// The HTTP status, the SMTP reply code or the exit status, when there was one.
    pub status: Option<i64>,
    /// One line saying what happened (`HTTP 500 Internal Server Error`, `killed after 600 s`).
    pub detail: String,
    /// The end of what the server answered or the script printed (at most
    /// [`AttemptResult::MAX_OUTPUT`] bytes).
    pub output: String,
}

impl AttemptResult {
    /// The most output an attempt keeps: its last 16 KiB.
    pub const MAX_OUTPUT: usize = 16 * 1024;

    /// A failed attempt that got no answer at all.
    pub fn failed(detail: impl Into<String>) -> AttemptResult {
        AttemptResult {
            delivered: false,
            status: None,
            detail: detail.into(),
            output: String::new(),
        }
    }
}

/// How a deliverer claims the next delivery due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryClaim {
    /// Who delivers (a runner id or another process's id).
    pub by: String,
    /// The deliverer's host: script hooks are only run on the host the build ran on.
    pub host: String,
    /// The owner the deliverer acts as: only deliveries of projects it may build.
    pub owner: super::OwnerId,
    /// Only this build's deliveries, if set.
    pub build: Option<BuildId>,
    /// Now, by the deliverer.
    pub now: Timestamp,
    /// How long the claim holds before another deliverer may take it over.
    pub hold: Duration,
}

/// What comes after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextAttempt {
    /// None: it was delivered, or it failed for the last time.
    None,
    /// Another attempt, due then.
    At(Timestamp),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        for good in [
            "http://127.0.0.1:8080/hook",
            "https://ci.example.com/hooks/toaster?x=1",
            "http://[::1]:80/",
            "http://[::1]/x",
            "http://host",
        ] {
            assert!(check_url(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "ftp://x/",
            "http://",
            "http:///x",
            "https://user:pw@host/",
            "http://host:99999/",
            "http://ho st/",
            "http://host/\nX: y",
            "file:///etc/passwd",
            "ext::sh -c x",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn actions_refuse_bad_input() {
        assert!(HookAction::email(&["a@example.com".into(), "b@x.org".into()]).is_ok());
        for bad in [vec![], vec!["nope".to_owned()], vec!["a@b>\"x".to_owned()]] {
            assert!(HookAction::email(&bad).is_err(), "{bad:?}");
        }
        assert!(HookAction::webhook("http://h/", Some("1SECRET")).is_err());
        assert!(HookAction::webhook("http://h/", Some("MY_SECRET")).is_ok());
        assert!(HookAction::run(&[]).is_err());
        assert!(HookAction::run(&[" ".into()]).is_err());
        assert!(HookAction::run(&["/bin/true".into(), "a\0b".into()]).is_err());
        assert!(HookAction::run(&["/bin/echo".into(), "hi; rm -rf /".into()]).is_ok());
        let to = ["a@b.c".to_owned()];
        assert!(HookAction::choose(Some(&to), None, None, None).is_ok());
        assert!(HookAction::choose(Some(&to), Some("http://h/"), None, None).is_err());
        assert!(HookAction::choose(Some(&to), None, Some("SECRET"), None).is_err());
        assert!(HookAction::choose(None, None, None, None).is_err());
    }

    #[test]
    fn hooks_serialize_with_their_kind() {
        let hook = Hook {
            id: 2,
            on: HookTrigger::Failure,
            action: HookAction::webhook("https://h/x", None).unwrap(),
        };
        let text = serde_json::to_string(&hook).unwrap();
        assert_eq!(
            text,
            r#"{"id":2,"on":"failure","action":{"kind":"webhook","url":"https://h/x"}}"#
        );
        assert_eq!(serde_json::from_str::<Hook>(&text).unwrap(), hook);
        assert_eq!(hook.to_string(), "#2 on failure: webhook https://h/x");
    }
}
