//! Credentials and proxy for fetching over ssh and https: the ssh agent, the user's default
//! keys, the git credential helper; each tried at most once per fetch.

use std::cell::RefCell;
use std::path::PathBuf;

use git2::{Config, Cred, CredentialType, ErrorClass, ErrorCode, ProxyOptions, RemoteCallbacks};

/// The user's default private keys, tried in this order after the agent.
const DEFAULT_KEYS: [&str; 3] = ["id_ed25519", "id_ecdsa", "id_rsa"];

/// The user name when the URL gives none (`git@host:…` is the usual one).
const DEFAULT_USER: &str = "git";

/// What was offered to one remote so far; libgit2 asks again after each refusal, so each
/// method is offered once and then the callback gives up.
#[derive(Debug, Default)]
pub(crate) struct Credentials {
    state: RefCell<State>,
}

#[derive(Debug, Default)]
struct State {
    username_given: bool,
    agent_tried: bool,
    keys_tried: usize,
    helper_tried: bool,
    /// The methods offered, for the error message.
    tried: Vec<String>,
    /// Methods passed over and why, for the error message.
    skipped: Vec<String>,
}

impl Credentials {
    /// What was offered so far (`ssh-agent`, `key ~/.ssh/id_rsa`, `git credential helper`),
    /// then what was passed over (`no ssh-agent (SSH_AUTH_SOCK is unset)`); empty when
    /// no credential was asked for.
    pub(crate) fn tried(&self) -> Vec<String> {
        let state = self.state.borrow();
        state.tried.iter().chain(&state.skipped).cloned().collect()
    }

    /// Installs the credentials callback on `callbacks`; `config` is the clone's git config
    /// (with the user's global one), read by the credential helper.
    pub(crate) fn install<'a>(
        &'a self,
        callbacks: &mut RemoteCallbacks<'a>,
        config: Option<Config>,
    ) {
        callbacks.credentials(move |url, username, allowed| {
            self.next(url, username, allowed, config.as_ref())
        });
    }

    /// The next credential to offer, or an authentication error when none is left.
    fn next(
        &self,
        url: &str,
        username: Option<&str>,
        allowed: CredentialType,
        config: Option<&Config>,
    ) -> Result<Cred, git2::Error> {
        let mut state = self.state.borrow_mut();
        let user = username.unwrap_or(DEFAULT_USER);
        if allowed == CredentialType::USERNAME {
            if state.username_given {
                return Err(exhausted("the server refused user name ", user));
            }
            state.username_given = true;
            return Cred::username(user);
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            if !state.agent_tried {
                state.agent_tried = true;
                if std::env::var_os("SSH_AUTH_SOCK").is_some_and(|s| !s.is_empty()) {
                    state.tried.push("ssh-agent".to_owned());
                    return Cred::ssh_key_from_agent(user);
                }
                state
                    .skipped
                    .push("no ssh-agent (SSH_AUTH_SOCK is unset)".to_owned());
            }
            while state.keys_tried < DEFAULT_KEYS.len() {
                let name = DEFAULT_KEYS[state.keys_tried];
                state.keys_tried += 1;
                let Some(private) = ssh_dir().map(|d| d.join(name)) else {
                    break;
                };
                if !private.is_file() {
                    continue;
                }
                let public = private.with_extension("pub");
                state.tried.push(format!("key ~/.ssh/{name}"));
                return Cred::ssh_key(user, public.is_file().then_some(&*public), &private, None);
            }
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) && !state.helper_tried {
            state.helper_tried = true;
            if let Some(Ok(cred)) = config.map(|c| Cred::credential_helper(c, url, username)) {
                state.tried.push("git credential helper".to_owned());
                return Ok(cred);
            }
            state.skipped.push(
                "no git credential helper answered (git config credential.helper)".to_owned(),
            );
        }
        Err(exhausted("no more credentials to offer as ", user))
    }
}

fn exhausted(what: &str, user: &str) -> git2::Error {
    git2::Error::new(
        ErrorCode::Auth,
        ErrorClass::Callback,
        format!("authentication failed: {what}`{user}`"),
    )
}

/// `~/.ssh`, where libgit2 also reads `known_hosts`.
fn ssh_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".ssh"))
}

/// The proxy git would use: `https_proxy`/`http_proxy` and git's `http.proxy`.
pub(crate) fn proxy<'a>() -> ProxyOptions<'a> {
    let mut options = ProxyOptions::new();
    options.auto();
    options
}
