//! Which repository URLs may come from outside (a bundle, a kas file): the ones git fetches
//! with a plain transport.
//! Git's remote-helper syntax (`ext::sh -c …` runs a command, `fd::` reads descriptors) and
//! any other `HELPER::address` is refused, as are URLs that would read as an option
//! (`-u…`), hold whitespace or control characters, or use a scheme git does not clone from.

/// The schemes accepted before `://`.
const SCHEMES: &[&str] = &["https", "http", "ssh", "git", "git+ssh", "ssh+git", "file"];

/// What a URL is, once accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Url {
    /// A URL to give git as it is.
    Remote(String),
    /// A path without a scheme, relative to the file that names it when not absolute.
    Path(String),
}

/// Checks `url`; the reason is why it is refused.
pub fn check(url: &str) -> Result<Url, &'static str> {
    if url.trim().is_empty() {
        return Err("it is empty");
    }
    let helper = url.split_once("::").is_some_and(|(helper, _)| {
        helper
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if helper || url.starts_with("::") {
        return Err(
            "it uses git's remote-helper syntax (`HELPER::…`, e.g. `ext::`), which can run commands",
        );
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("it holds whitespace or control characters");
    }
    if url.starts_with('-') {
        return Err("it starts with `-`, which git would read as an option");
    }
    if let Some((scheme, rest)) = url.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        if !SCHEMES.contains(&scheme.as_str()) {
            return Err("its scheme is not one git clones from here (https, http, ssh, git, file)");
        }
        if rest.is_empty() {
            return Err("it names no host or path");
        }
        return Ok(Url::Remote(url.to_owned()));
    }
    // scp-like `[user@]host:path`: a colon before any slash.
    if let Some((host, path)) = url.split_once(':') {
        if !host.contains('/') {
            if host.is_empty() || path.is_empty() {
                return Err("it is neither host:path nor a path");
            }
            return Ok(Url::Remote(url.to_owned()));
        }
    }
    Ok(Url::Path(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_transports_pass() {
        for good in [
            "https://git.yoctoproject.org/poky",
            "git://git.openembedded.org/meta-openembedded",
            "ssh://git@example.com/x.git",
            "git@github.com:siemens/meta-iot2000.git",
            "file:///srv/git/meta-x",
        ] {
            assert!(matches!(check(good), Ok(Url::Remote(_))), "{good}");
        }
        assert_eq!(
            check("/srv/meta-x"),
            Ok(Url::Path("/srv/meta-x".to_owned()))
        );
        assert_eq!(check("../meta-x"), Ok(Url::Path("../meta-x".to_owned())));
        assert!(matches!(check("ssh://[::1]/r.git"), Ok(Url::Remote(_))));
    }

    #[test]
    fn helpers_options_and_odd_schemes_are_refused() {
        for bad in [
            "ext::sh -c touch% /tmp/pwned",
            "ext::sh",
            "fd::0",
            "transport::address",
            "-uhttps://x",
            "--upload-pack=touch /tmp/x",
            "https://host/a b",
            "https://host/\nx",
            "ftp://host/x",
            "javascript://x",
            "",
            ":x",
            "https://",
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        for helper in ["ext::sh -c touch% /tmp/pwned", "fd::0", "x.y+z::a"] {
            assert!(
                check(helper).unwrap_err().contains("remote-helper"),
                "{helper}"
            );
        }
    }
}
