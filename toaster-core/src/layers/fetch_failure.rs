//! Why a fetch from a remote failed (network, credentials, host key, certificate, URL),
//! read from git2's error class and code, with what to do about each.

use git2::{ErrorClass, ErrorCode};

/// Why a repository could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchFailure {
    /// The host could not be resolved or connected to.
    Network,
    /// The server refused every credential offered.
    Credentials,
    /// The ssh server's host key is not in `~/.ssh/known_hosts`, or differs from it.
    HostKey,
    /// The https server's TLS certificate is not trusted.
    Certificate,
    /// The URL names no repository, or a protocol git cannot use.
    Url,
    /// Anything else git reported.
    Other,
}

impl FetchFailure {
    /// Classifies a git2 error from fetching `url`.
    pub(crate) fn of(url: &str, error: &git2::Error) -> FetchFailure {
        let message = error.message().to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| message.contains(w));
        if error.code() == ErrorCode::Auth
            || has(&["authentication", "authenticating", "401", "403"])
        {
            return FetchFailure::Credentials;
        }
        if error.code() == ErrorCode::Certificate || has(&["hostkey", "host key", "certificate"]) {
            return if is_ssh(url) {
                FetchFailure::HostKey
            } else {
                FetchFailure::Certificate
            };
        }
        if has(&[
            "failed to resolve",
            "could not resolve",
            "failed to connect",
            "could not connect",
            "connection refused",
            "timed out",
            "network is unreachable",
            "no route to host",
            "failed to start ssh session",
            "connection reset",
            "proxy",
        ]) {
            return FetchFailure::Network;
        }
        if error.code() == ErrorCode::NotFound
            || has(&[
                "404",
                "not found",
                "does not appear to be a git repository",
                "not a git repository",
                "unsupported url protocol",
                "malformed url",
                "invalid url",
                "could not find repository",
            ])
        {
            return FetchFailure::Url;
        }
        match error.class() {
            ErrorClass::Net | ErrorClass::Os if error.code() == ErrorCode::GenericError => {
                FetchFailure::Network
            }
            _ => FetchFailure::Other,
        }
    }

    /// What to do next.
    pub fn hint(self) -> &'static str {
        match self {
            FetchFailure::Network => {
                "could not connect: check the network, the host name and port, and the proxy (https_proxy, git config http.proxy); nothing was changed"
            }
            FetchFailure::Credentials => {
                "authentication failed: load a key into ssh-agent (ssh-add), put one in ~/.ssh (id_ed25519, id_ecdsa or id_rsa), or configure a git credential helper for https; nothing was changed"
            }
            FetchFailure::HostKey => {
                "the server's ssh host key is unknown or changed: check its fingerprint, then add it to ~/.ssh/known_hosts (for example `ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts`); nothing was changed"
            }
            FetchFailure::Certificate => {
                "the server's TLS certificate is not trusted: install its CA in the system store, or point SSL_CERT_FILE at it; nothing was changed"
            }
            FetchFailure::Url => {
                "check the URL: it must name a git repository (https://, ssh://, user@host:path or a local path); nothing was changed"
            }
            FetchFailure::Other => {
                "check the URL and that this host can reach it; nothing was changed"
            }
        }
    }
}

/// Whether `url` is fetched over ssh (`ssh://…`, `git+ssh://…` or scp-like `user@host:path`).
fn is_ssh(url: &str) -> bool {
    if let Some((scheme, _)) = url.split_once("://") {
        return scheme.contains("ssh");
    }
    url.split_once(':')
        .is_some_and(|(host, _)| !host.contains('/') && host.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(url: &str, code: ErrorCode, class: ErrorClass, message: &str) -> FetchFailure {
        FetchFailure::of(url, &git2::Error::new(code, class, message))
    }

    #[test]
    fn git2_errors_are_classified() {
        let generic = ErrorCode::GenericError;
        assert_eq!(
            classify("ssh://h/r", ErrorCode::Auth, ErrorClass::Ssh, "x"),
            FetchFailure::Credentials
        );
        assert_eq!(
            classify(
                "git@h:r",
                ErrorCode::Certificate,
                ErrorClass::Ssh,
                "invalid or unknown remote ssh hostkey"
            ),
            FetchFailure::HostKey
        );
        assert_eq!(
            classify(
                "https://h/r",
                ErrorCode::Certificate,
                ErrorClass::Ssl,
                "the SSL certificate is invalid"
            ),
            FetchFailure::Certificate
        );
        assert_eq!(
            classify(
                "https://h/r",
                generic,
                ErrorClass::Net,
                "failed to resolve address for h: Name or service not known"
            ),
            FetchFailure::Network
        );
        assert_eq!(
            classify(
                "ftp://h/r",
                generic,
                ErrorClass::Net,
                "unsupported URL protocol"
            ),
            FetchFailure::Url
        );
        assert_eq!(
            classify(
                "/nowhere",
                ErrorCode::NotFound,
                ErrorClass::Repository,
                "could not find repository at '/nowhere'"
            ),
            FetchFailure::Url
        );
    }

    #[test]
    fn ssh_urls_are_told_from_others() {
        assert!(is_ssh("ssh://git@h/r.git"));
        assert!(is_ssh("git@github.com:foo/meta-x.git"));
        assert!(!is_ssh("https://h/r.git"));
        assert!(!is_ssh("/srv/git/r.git"));
        assert!(!is_ssh("C:/r"));
    }
}
