//! An instance setting, as `settings show --json` prints it.

use serde::Serialize;

use crate::SettingValue;

/// A setting: its value, default and what it is for.
#[derive(Debug, Clone, Serialize)]
pub struct SettingView {
    /// Its name (`smtp.host`).
    pub name: &'static str,
    /// The value set; null when unset.
    pub value: Option<String>,
    /// What applies when unset.
    pub default: Option<&'static str>,
    /// What it is for.
    pub about: &'static str,
}

impl From<&SettingValue> for SettingView {
    fn from(s: &SettingValue) -> SettingView {
        SettingView {
            name: s.setting.name(),
            value: s.value.clone(),
            default: s.setting.default_value(),
            about: s.setting.about(),
        }
    }
}
