//! Instance settings: read by anyone, changed by admins, every change audited.

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::model::{AuditAction, Setting};

/// A setting with the value in effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingValue {
    /// Which setting.
    pub setting: Setting,
    /// The value set, if any.
    pub value: Option<String>,
}

impl SettingValue {
    /// The value in effect: the one set, else the default.
    pub fn effective(&self) -> Option<&str> {
        self.value.as_deref().or(self.setting.default_value())
    }
}

impl Actor {
    /// Every setting, with its value.
    pub fn settings(&self) -> Result<Vec<SettingValue>, Error> {
        Setting::ALL
            .into_iter()
            .map(|setting| {
                Ok(SettingValue {
                    setting,
                    value: self.store().setting(setting.name())?,
                })
            })
            .collect()
    }

    /// One setting, with its value.
    pub fn setting(&self, setting: Setting) -> Result<SettingValue, Error> {
        Ok(SettingValue {
            setting,
            value: self.store().setting(setting.name())?,
        })
    }

    /// Sets `name` to `value` (checked first), or clears it with `None` (admins only).
    pub fn set_setting(&self, name: &str, value: Option<&str>) -> Result<SettingValue, Error> {
        let setting = Setting::parse(name)?;
        let value = value.map(|v| setting.check(v)).transpose()?;
        self.require(Action::ChangeDefaults)?;
        let detail = match &value {
            Some(value) => format!("{setting} = {value}"),
            None => format!("{setting} unset"),
        };
        let audit = self.entry(
            Some(Action::ChangeDefaults),
            AuditAction::SettingChange,
            None,
            detail,
        );
        self.store()
            .set_setting(setting.name(), value.as_deref(), &audit)?;
        Ok(SettingValue { setting, value })
    }
}
