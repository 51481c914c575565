//! A variable's specification: kind, class, default, allowed values, documentation.

use serde::{Deserialize, Serialize};

use crate::model::{Extend, Release};

/// What shape a value has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Any text.
    String,
    /// A directory or file; no leading `~`.
    Path,
    /// A whole number (at least `minimum` when given).
    Integer,
    /// `1` or `0`.
    Boolean,
    /// One of the allowed values.
    Enum,
    /// Space-separated words (each allowed, when a list is given).
    Words,
    /// A URL without whitespace.
    Url,
    /// make options holding `-j N`.
    MakeOptions,
    /// `ACTION,DIR,SPACE,INODES` entries.
    DiskMonitor,
}

impl Kind {
    /// The kind's name as written in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Path => "path",
            Kind::Integer => "integer",
            Kind::Boolean => "boolean",
            Kind::Enum => "enum",
            Kind::Words => "words",
            Kind::Url => "url",
            Kind::MakeOptions => "make_options",
            Kind::DiskMonitor => "disk_monitor",
        }
    }
}

/// Who sets a variable, and where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Changes what the build produces; edited per project, written to `toaster.conf`.
    Build,
    /// Host-specific (where and how fast the build runs); written to `toaster-host.conf`.
    Infrastructure,
    /// Set through its own command (machine, distro, layers).
    Managed,
    /// Never set from a project.
    Forbidden,
}

impl Class {
    /// The class's name as written in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Build => "build",
            Class::Infrastructure => "infrastructure",
            Class::Managed => "managed",
            Class::Forbidden => "forbidden",
        }
    }
}

/// An allowed value, optionally only for a range of release series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Allowed {
    /// Allowed in every series.
    Always(String),
    /// Allowed in a range of series.
    Series {
        /// The value.
        value: String,
        /// The first series it is allowed in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The last series it is allowed in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<String>,
        /// What replaces it after `until` (`debug-tweaks`: the four features it stood for).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instead: Option<String>,
    },
}

impl Allowed {
    /// The value.
    pub fn value(&self) -> &str {
        match self {
            Allowed::Always(v) | Allowed::Series { value: v, .. } => v,
        }
    }

    /// Whether it is allowed in `release`.
    pub fn applies(&self, release: &Release) -> bool {
        match self {
            Allowed::Always(_) => true,
            Allowed::Series { from, until, .. } => in_range(release, from, until),
        }
    }

    /// The last series it was allowed in, when `release` comes after it (it was removed).
    pub fn removed_in(&self, release: &Release) -> Option<&str> {
        match self {
            Allowed::Series { until, .. } if !in_range(release, &None, until) => until.as_deref(),
            _ => None,
        }
    }

    /// What replaces it once removed, if the spec says.
    pub fn instead(&self) -> Option<&str> {
        match self {
            Allowed::Always(_) => None,
            Allowed::Series { instead, .. } => instead.as_deref(),
        }
    }

    /// The series range, for display (`until whinlatter`).
    pub fn range(&self) -> Option<String> {
        match self {
            Allowed::Always(_) => None,
            Allowed::Series { from, until, .. } => Some(match (from, until) {
                (Some(f), Some(u)) => format!("{f} to {u}"),
                (Some(f), None) => format!("from {f}"),
                (None, Some(u)) => format!("until {u}"),
                (None, None) => return None,
            }),
        }
    }
}

/// Whether `release` lies in `from..=until` (series names; a missing bound is open).
pub(crate) fn in_range(release: &Release, from: &Option<String>, until: &Option<String>) -> bool {
    // Release::all() lists the newest first, so a smaller position is a newer series.
    let position = |name: &str| Release::all().position(|r| r.name() == name);
    let Some(here) = position(release.name()) else {
        return true;
    };
    let after_from = from.as_deref().and_then(position).is_none_or(|f| here <= f);
    let before_until = until
        .as_deref()
        .and_then(position)
        .is_none_or(|u| here >= u);
    after_from && before_until
}

/// Values of a variable that the project's layers define in their files, beyond the ones
/// the catalogue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerValue {
    /// A machine: a layer's `conf/machine/NAME.conf`.
    Machine,
    /// A distribution: a layer's `conf/distro/NAME.conf`.
    Distro,
    /// An image type: a word of `IMAGE_TYPES`, or a `IMAGE_CMD:TYPE`, in a layer's `conf/`
    /// or `classes*/` files.
    ImageType,
}

impl LayerValue {
    /// What the value is, for messages (`machine`).
    pub fn noun(self) -> &'static str {
        match self {
            LayerValue::Machine => "machine",
            LayerValue::Distro => "distro",
            LayerValue::ImageType => "image type",
        }
    }

    /// Where layers define it, for messages.
    pub fn place(self) -> &'static str {
        match self {
            LayerValue::Machine => "conf/machine/*.conf",
            LayerValue::Distro => "conf/distro/*.conf",
            LayerValue::ImageType => "IMAGE_TYPES and IMAGE_CMD:TYPE in conf/ and classes*/",
        }
    }
}

/// The specification of one variable, or of a family of variables when its name holds a `*`
/// standing for any text (`PREFERRED_VERSION_*`, `SRCREV:pn-*`, `SKIP_RECIPE[*]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VarSpec {
    /// The variable's name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// Its class.
    pub class: Class,
    /// BitBake's or the templates' default, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Allowed values (for `enum`), or allowed words (for `words`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Allowed>,
    /// Other values are accepted too (with a did-you-mean warning when close to a known one):
    /// layers add machines, distros, features.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// The kind of value the project's layers define more of (machines, distros, image
    /// types): values are checked against the layers on disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_value: Option<LayerValue>,
    /// Suffixes a word may carry after a `.` (`ext4.gz.sha256sum`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suffixes: Vec<String>,
    /// The smallest allowed integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// The first series that knows the variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// One line of documentation.
    pub doc: String,
    /// For managed and forbidden variables: what to do instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instead: Option<String>,
    /// For a list that distros, layers or image recipes extend too: how `config add` adds
    /// to it (`+=` or `:append`); a hard `=` on it is accepted with a warning naming that
    /// form. Absent: `:append`, and no warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extend: Option<Extend>,
}

impl VarSpec {
    /// The spec Toaster assumes for a variable it does not know.
    pub fn unknown(name: &str) -> VarSpec {
        VarSpec {
            name: name.to_owned(),
            kind: Kind::String,
            class: Class::Build,
            default: None,
            allowed: Vec::new(),
            open: true,
            layer_value: None,
            suffixes: Vec::new(),
            minimum: None,
            since: None,
            doc: String::new(),
            instead: None,
            extend: None,
        }
    }

    /// Whether this spec names a family of variables (its name holds a `*`).
    pub fn is_family(&self) -> bool {
        self.name.contains('*')
    }

    /// Whether `name` is this family's: each `*` of the spec's name stands for one or more
    /// characters.
    pub fn matches(&self, name: &str) -> bool {
        let mut parts = self.name.split('*');
        let first = parts.next().unwrap_or_default();
        let Some(mut rest) = name.strip_prefix(first) else {
            return false;
        };
        let mut parts = parts.peekable();
        while let Some(part) = parts.next() {
            // The `*` before `part` takes at least one character.
            let Some((_, after)) = rest
                .split_at_checked(rest.chars().next().map_or(0, char::len_utf8))
                .filter(|(star, _)| !star.is_empty())
            else {
                return false;
            };
            if parts.peek().is_none() {
                return after.ends_with(part);
            }
            match after.find(part) {
                Some(at) => rest = &after[at + part.len()..],
                None => return false,
            }
        }
        rest.is_empty()
    }

    /// The values allowed in `release`.
    pub fn allowed_in<'a>(&'a self, release: &'a Release) -> impl Iterator<Item = &'a str> + 'a {
        self.allowed
            .iter()
            .filter(move |a| a.applies(release))
            .map(Allowed::value)
    }
}
