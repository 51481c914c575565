use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Collection, Dependency, LayerRef, LayerSource, ModelError, Operator, ProjectConfig};

/// Known release series, newest first: codename, Yocto version, and the branch name the
/// core layers use for it.
/// BitBake's own repository, where a release's default BitBake comes from.
pub const BITBAKE_URL: &str = "https://git.openembedded.org/bitbake";

const SERIES: &[(&str, &str, &str)] = &[
    ("blacksail", "6.1", "master"),
    ("wrynose", "6.0", "wrynose"),
    ("whinlatter", "5.3", "whinlatter"),
    ("walnascar", "5.2", "walnascar"),
    ("styhead", "5.1", "styhead"),
    ("scarthgap", "5.0", "scarthgap"),
    ("nanbield", "4.3", "nanbield"),
    ("mickledore", "4.2", "mickledore"),
    ("langdale", "4.1", "langdale"),
    ("kirkstone", "4.0", "kirkstone"),
    ("honister", "3.4", "honister"),
    ("hardknott", "3.3", "hardknott"),
    ("gatesgarth", "3.2", "gatesgarth"),
    ("dunfell", "3.1", "dunfell"),
];

/// A Yocto Project release series, by codename (`scarthgap`, `wrynose`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Release(&'static str);

impl Release {
    /// The series a new project gets when none is named: the newest stable release.
    pub const DEFAULT: Release = Release("wrynose");

    /// Looks up a codename (case-insensitive).
    pub fn parse(value: &str) -> Result<Release, ModelError> {
        let wanted = value.trim().to_ascii_lowercase();
        if let Some((name, _, _)) = SERIES.iter().find(|(name, _, _)| *name == wanted) {
            return Ok(Release(name));
        }
        let known: Vec<&str> = SERIES.iter().map(|(name, _, _)| *name).collect();
        let hint = match SERIES.iter().find(|(_, version, _)| *version == wanted) {
            Some((name, _, _)) => format!("version {wanted} is the series `{name}`"),
            None => format!("use a codename: {}", known.join(", ")),
        };
        Err(ModelError::invalid(
            "release series",
            value,
            "it is not a known Yocto Project release series",
            hint,
        ))
    }

    /// Every known series, newest first.
    pub fn all() -> impl Iterator<Item = Release> {
        SERIES.iter().map(|(name, _, _)| Release(name))
    }

    /// The codename.
    pub fn name(&self) -> &'static str {
        self.0
    }

    /// The Yocto Project version (`5.0` for scarthgap).
    pub fn version(&self) -> &'static str {
        self.entry().1
    }

    /// The branch the core layers carry for this series.
    pub fn branch(&self) -> &'static str {
        self.entry().2
    }

    /// The branch of BitBake's repository ([`BITBAKE_URL`]) this series builds with: BitBake
    /// has version numbers of its own (scarthgap builds with BitBake 2.8).
    pub fn bitbake_branch(&self) -> &'static str {
        match self.0 {
            "wrynose" => "2.18",
            "whinlatter" => "2.16",
            "walnascar" => "2.12",
            "styhead" => "2.10",
            "scarthgap" => "2.8",
            "nanbield" => "2.6",
            "mickledore" => "2.4",
            "langdale" => "2.2",
            "kirkstone" => "2.0",
            "honister" => "1.52",
            "hardknott" => "1.50",
            "gatesgarth" => "1.48",
            "dunfell" => "1.46",
            _ => "master",
        }
    }

    fn entry(&self) -> &'static (&'static str, &'static str, &'static str) {
        // Invariant: a Release is only made from an entry of SERIES.
        SERIES
            .iter()
            .find(|(name, _, _)| *name == self.0)
            .unwrap_or(&SERIES[0])
    }

    /// `LAYERVERSION_core` of this series' openembedded-core.
    pub fn core_layer_version(&self) -> &'static str {
        match self.0 {
            "dunfell" => "11",
            "gatesgarth" | "hardknott" | "honister" => "12",
            "kirkstone" | "langdale" => "14",
            _ => "15",
        }
    }

    /// The configuration a new project of this series starts with, and what `reset`
    /// restores: the reference distribution on the QEMU x86-64 machine with the core layers.
    /// The download and sstate directories are not part of it: every project of a database
    /// shares that database's unless it sets its own.
    pub fn defaults(&self) -> ProjectConfig {
        // What the core layers' conf/layer.conf files declare, until a fetch reads them.
        let git = |name: &str, url: &str, subdir: &str, collection: &str, version: &str| {
            let depends = if collection == "core" {
                Vec::new()
            } else {
                vec![Dependency {
                    collection: "core".to_owned(),
                    constraint: None,
                }]
            };
            LayerRef {
                name: name.to_owned(),
                source: LayerSource::Git {
                    url: url.to_owned(),
                    reference: self.branch().to_owned(),
                    subdir: Some(subdir.to_owned()),
                    commit: None,
                },
                collections: vec![Collection {
                    name: collection.to_owned(),
                    pattern: "^${LAYERDIR}/".to_owned(),
                    priority: Some(5),
                    version: Some(version.to_owned()),
                    depends,
                    recommends: Vec::new(),
                    series_compat: Some(vec![self.0.to_owned()]),
                }],
            }
        };
        // DL_DIR and SSTATE_DIR are the database's shared caches, added where the conf
        // files are written (see `toaster::caches`).
        let variables = BTreeMap::from([("PACKAGE_CLASSES".to_owned(), "package_rpm".into())]);
        ProjectConfig {
            machine: Some("qemux86-64".to_owned()),
            distro: Some("poky".to_owned()),
            targets: Vec::new(),
            variables,
            machine_op: Operator::Set,
            distro_op: Operator::Set,
            layers: vec![
                git(
                    "openembedded-core",
                    "https://git.openembedded.org/openembedded-core",
                    "meta",
                    "core",
                    self.core_layer_version(),
                ),
                git(
                    "meta-poky",
                    "https://git.yoctoproject.org/meta-yocto",
                    "meta-poky",
                    "yocto",
                    "3",
                ),
                git(
                    "meta-yocto-bsp",
                    "https://git.yoctoproject.org/meta-yocto",
                    "meta-yocto-bsp",
                    "yoctobsp",
                    "4",
                ),
            ],
            packages: Vec::new(),
            recipes: Vec::new(),
            hooks: Vec::new(),
            bitbake: Some(LayerSource::Git {
                url: BITBAKE_URL.to_owned(),
                reference: self.bitbake_branch().to_owned(),
                subdir: None,
                commit: None,
            }),
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Release {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Release::parse(&name).map_err(serde::de::Error::custom)
    }
}

impl From<Release> for String {
    fn from(release: Release) -> String {
        release.0.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codenames_and_helps_with_versions() {
        assert_eq!(Release::parse("Scarthgap").unwrap().version(), "5.0");
        assert_eq!(Release::parse("blacksail").unwrap().branch(), "master");
        let err = Release::parse("5.0").unwrap_err().to_string();
        assert!(err.contains("`scarthgap`"), "{err}");
        let err = Release::parse("zzz").unwrap_err().to_string();
        assert!(err.contains("wrynose"), "{err}");
    }

    #[test]
    fn defaults_follow_the_series_branch() {
        let config = Release::parse("kirkstone").unwrap().defaults();
        assert_eq!(config.machine.as_deref(), Some("qemux86-64"));
        assert!(config.layers.iter().all(|l| matches!(
            &l.source,
            LayerSource::Git { reference, .. } if reference == "kirkstone"
        )));
        // BitBake has version numbers of its own: kirkstone builds with BitBake 2.0.
        assert_eq!(
            config.bitbake,
            Some(LayerSource::Git {
                url: BITBAKE_URL.to_owned(),
                reference: "2.0".to_owned(),
                subdir: None,
                commit: None,
            })
        );
        let newest = Release::parse("blacksail").unwrap().defaults().bitbake;
        assert!(
            matches!(newest, Some(LayerSource::Git { reference, .. }) if reference == "master")
        );
    }
}
