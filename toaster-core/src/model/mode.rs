use std::fmt;

use serde::{Deserialize, Serialize};

use super::ModelError;

/// One right on a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// See the project and its builds, download what builds made (`r`).
    Read,
    /// Change the configuration and the layers (`c`).
    Configure,
    /// Start, cancel and record builds (`b`).
    Build,
    /// Delete builds or the project (`d`).
    Delete,
}

impl Right {
    /// Every right, in mode-letter order.
    pub const ALL: [Right; 4] = [Right::Read, Right::Configure, Right::Build, Right::Delete];

    /// The mode letter: `r`, `c`, `b` or `d`.
    pub fn letter(self) -> char {
        match self {
            Right::Read => 'r',
            Right::Configure => 'c',
            Right::Build => 'b',
            Right::Delete => 'd',
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Right {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Right::Read => "read",
            Right::Configure => "configure",
            Right::Build => "build",
            Right::Delete => "delete",
        })
    }
}

/// A set of rights, written as letters (`rcbd`, `r`, or empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rights(u8);

impl Rights {
    /// No rights.
    pub const NONE: Rights = Rights(0);
    /// Every right.
    pub const ALL: Rights = Rights(0b1111);
    /// Read only.
    pub const READ: Rights = Rights(0b0001);

    /// Whether the set holds `right`.
    pub fn has(self, right: Right) -> bool {
        self.0 & right.bit() != 0
    }

    fn parse(class: &str, letters: &str, whole: &str) -> Result<Rights, ModelError> {
        let mut bits = 0u8;
        for c in letters.chars() {
            let Some(right) = Right::ALL.iter().find(|r| r.letter() == c) else {
                return Err(mode_error(
                    whole,
                    format!("`{c}` in `{class}` is not a right"),
                ));
            };
            bits |= right.bit();
        }
        let rights = Rights(bits);
        if bits != 0 && !rights.has(Right::Read) {
            return Err(mode_error(
                whole,
                format!("`{class}` has rights without `r`, which every other right needs"),
            ));
        }
        Ok(rights)
    }
}

impl fmt::Display for Rights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for right in Right::ALL {
            if self.has(right) {
                write!(f, "{}", right.letter())?;
            }
        }
        Ok(())
    }
}

/// Who may do what on a project, Unix style: rights for its owner, its group, and others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mode {
    /// The project's owner's rights.
    pub owner: Rights,
    /// The rights of members of the project's group.
    pub group: Rights,
    /// Everyone else's rights.
    pub others: Rights,
}

fn mode_error(whole: &str, reason: String) -> ModelError {
    ModelError::invalid(
        "mode",
        whole,
        reason,
        "write it like `owner=rcbd,group=r,others=` (r read, c configure, b build, d delete); classes left out keep their rights",
    )
}

impl Mode {
    /// A private instance's default: the owner may do everything, the group may read,
    /// others nothing.
    pub const PRIVATE: Mode = Mode {
        owner: Rights::ALL,
        group: Rights::READ,
        others: Rights::NONE,
    };

    /// Applies a mode text such as `owner=rcbd,group=r,others=` (also `u=`, `g=`, `o=`)
    /// to this mode; classes the text leaves out keep their rights.
    pub fn with(self, text: &str) -> Result<Mode, ModelError> {
        let mut mode = self;
        let mut seen: Vec<&str> = Vec::new();
        if text.trim().is_empty() {
            return Err(mode_error(text, "it is empty".to_owned()));
        }
        for part in text.split(',') {
            let Some((class, letters)) = part.trim().split_once('=') else {
                return Err(mode_error(text, format!("`{part}` has no `=`")));
            };
            let (name, slot) = match class.trim() {
                "owner" | "u" => ("owner", &mut mode.owner),
                "group" | "g" => ("group", &mut mode.group),
                "others" | "o" => ("others", &mut mode.others),
                other => {
                    return Err(mode_error(
                        text,
                        format!("`{other}` is not `owner`, `group` or `others`"),
                    ));
                }
            };
            if seen.contains(&name) {
                return Err(mode_error(text, format!("`{name}` is given twice")));
            }
            seen.push(name);
            *slot = Rights::parse(name, letters.trim(), text)?;
        }
        Ok(mode)
    }

    /// The mode as a number for storage: owner bits 0-3, group 4-7, others 8-11.
    pub fn to_bits(self) -> i64 {
        i64::from(self.owner.0) | i64::from(self.group.0) << 4 | i64::from(self.others.0) << 8
    }

    /// The mode from its stored number.
    pub fn from_bits(bits: i64) -> Mode {
        let part = |shift: u32| Rights(((bits >> shift) & 0b1111) as u8);
        Mode {
            owner: part(0),
            group: part(4),
            others: part(8),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "owner={},group={},others={}",
            self.owner, self.group, self.others
        )
    }
}

impl Serialize for Mode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Mode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Mode {
            owner: Rights::NONE,
            group: Rights::NONE,
            others: Rights::NONE,
        }
        .with(&text)
        .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prints_and_round_trips_through_bits() {
        let mode = Mode::PRIVATE.with("owner=rcbd,group=rc,others=r").unwrap();
        assert_eq!(mode.to_string(), "owner=rcbd,group=rc,others=r");
        assert_eq!(Mode::from_bits(mode.to_bits()), mode);
        assert_eq!(Mode::PRIVATE.to_string(), "owner=rcbd,group=r,others=");
        let partial = Mode::PRIVATE.with("g=rcb").unwrap();
        assert_eq!(partial.to_string(), "owner=rcbd,group=rcb,others=");
    }

    #[test]
    fn refuses_malformed_modes_with_the_form_to_use() {
        for bad in [
            "",
            "owner",
            "owner=x",
            "group=c",
            "world=r",
            "owner=r,owner=r",
            "o=r;g=r",
        ] {
            let err = Mode::PRIVATE.with(bad).unwrap_err().to_string();
            assert!(err.contains("owner=rcbd,group=r,others="), "{bad:?}: {err}");
        }
    }
}
