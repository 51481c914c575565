//! The variables BitBake would hold after reading conf files, for the plain cases: the
//! operators, weak defaults, `:append`/`:prepend`/`:remove`, overrides, flags and `${VAR}`
//! expansion, following BitBake's `data_smart`. Inline Python `${@…}` is kept as text.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::error::ConfError;
use super::text::is_space;

/// A variable's flags, as BitBake keeps them: the value itself is the flag `_content`, the
/// weak default `_defaultval`, queued operations `:append`, `:prepend`, `:remove`.
type Flags = BTreeMap<String, Flag>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Flag {
    Text(String),
    /// Queued `:append`/`:prepend`/`:remove` values with their override condition.
    Queue(Vec<(String, Option<String>)>),
}

const CONTENT: &str = "_content";
const DEFAULT: &str = "_defaultval";
const QUEUES: [&str; 3] = [":append", ":prepend", ":remove"];
/// How deep references may nest before expansion is taken for a cycle.
const MAX_DEPTH: usize = 400;

/// A renamed key that replaced a variable set already (`expandKeys` warns: "Variable key
/// KEY (VALUE) replaces original key REPLACED (REPLACED_VALUE)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyReplaced {
    /// The name as written, with its reference.
    pub key: String,
    /// Its value, unexpanded.
    pub value: String,
    /// The expanded name, set already.
    pub replaced: String,
    /// The value it had, unexpanded.
    pub replaced_value: String,
}

/// Variables and their flags.
#[derive(Debug, Clone, Default)]
pub struct Datastore {
    vars: HashMap<String, Flags>,
    /// For a variable, the override-style names that may replace it: (full name, overrides).
    overridedata: HashMap<String, Vec<(String, String)>>,
}

fn is_override(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Splits `NAME:append[:overrides]` (the first such operation whose tail has no upper-case
/// letter) into the base name, the operation and its overrides.
fn queued_operation(var: &str) -> Option<(&str, &'static str, Option<&str>)> {
    let mut from = 0;
    while let Some(at) = var[from..].find(':').map(|i| i + from) {
        for keyword in QUEUES {
            if let Some(tail) = var[at..].strip_prefix(keyword) {
                if tail.is_empty() {
                    return Some((&var[..at], keyword, None));
                }
                if let Some(add) = tail.strip_prefix(':') {
                    if !add.chars().any(|c| c.is_ascii_uppercase()) {
                        return Some((&var[..at], keyword, Some(add)));
                    }
                }
            }
        }
        from = at + 1;
    }
    None
}

impl Datastore {
    /// An empty datastore.
    pub fn new() -> Datastore {
        Datastore::default()
    }

    /// `setVar` while parsing: queues `:append`/`:prepend`/`:remove`, records overrides.
    pub fn set_var(&mut self, var: &str, value: &str) {
        if let Some((base, keyword, add)) = queued_operation(var) {
            let entry = self
                .vars
                .entry(base.to_owned())
                .or_default()
                .entry(keyword.to_owned())
                .or_insert_with(|| Flag::Queue(Vec::new()));
            if let Flag::Queue(list) = entry {
                list.push((value.to_owned(), add.map(str::to_owned)));
            } else {
                *entry = Flag::Queue(vec![(value.to_owned(), add.map(str::to_owned))]);
            }
            self.update_overrides(base);
            return;
        }
        if var.contains(':') {
            self.update_overrides(var);
        }
        self.vars
            .entry(var.to_owned())
            .or_default()
            .insert(CONTENT.to_owned(), Flag::Text(value.to_owned()));
    }

    /// `setVarFlag`.
    pub fn set_flag(&mut self, var: &str, flag: &str, value: &str) {
        self.vars
            .entry(var.to_owned())
            .or_default()
            .insert(flag.to_owned(), Flag::Text(value.to_owned()));
        if flag == DEFAULT && var.contains(':') {
            self.update_overrides(var);
        }
    }

    /// `delVar`: the variable and all its flags.
    pub fn del_var(&mut self, var: &str) {
        self.vars.insert(var.to_owned(), Flags::new());
        self.overridedata.remove(var);
        for (short, override_) in override_chain(var) {
            if let Some(list) = self.overridedata.get_mut(short) {
                list.retain(|(v, o)| !(v == var && o == override_));
            }
        }
    }

    /// `delVarFlag`.
    pub fn del_flag(&mut self, var: &str, flag: &str) {
        if let Some(flags) = self.vars.get_mut(var) {
            flags.remove(flag);
            flags.remove(&format!("_defaultval_flag_{flag}"));
        }
    }

    /// Records `var` (`A:b:c`) under `A:b` with override `c` and under `A` with `b:c`.
    fn update_overrides(&mut self, var: &str) {
        for (short, override_) in override_chain(var) {
            let list = self.overridedata.entry(short.to_owned()).or_default();
            let entry = (var.to_owned(), override_.to_owned());
            if !list.contains(&entry) {
                list.push(entry);
            }
        }
    }

    /// The raw value while parsing (`getVar(…, expand=False, noweakdefault=True,
    /// parsing=True)`), as the operators `?=`, `+=` and the like read it.
    pub fn parsing_value(&self, var: &str) -> Option<String> {
        self.text_flag(var, CONTENT)
    }

    /// A flag's raw value without weak default, as the flag operators read it.
    pub fn parsing_flag(&self, var: &str, flag: &str) -> Option<String> {
        self.text_flag(var, flag)
    }

    fn text_flag(&self, var: &str, flag: &str) -> Option<String> {
        match self.vars.get(var)?.get(flag)? {
            Flag::Text(t) => Some(t.clone()),
            Flag::Queue(_) => None,
        }
    }

    fn queue(&self, var: &str, keyword: &str) -> &[(String, Option<String>)] {
        match self.vars.get(var).and_then(|f| f.get(keyword)) {
            Some(Flag::Queue(list)) => list,
            _ => &[],
        }
    }

    /// The active overrides: `OVERRIDES` split on `:`, iterated to a fixed point as BitBake
    /// does.
    pub fn overrides(&self) -> Result<Vec<String>, ConfError> {
        let mut current = self.overrides_from(&[])?;
        for _ in 0..5 {
            let next = self.overrides_from(&current)?;
            if next == current {
                return Ok(current);
            }
            current = next;
        }
        Err(ConfError::Expansion {
            variable: "OVERRIDES".to_owned(),
            reason: "it does not settle: overrides change the value of OVERRIDES itself",
        })
    }

    fn overrides_from(&self, active: &[String]) -> Result<Vec<String>, ConfError> {
        let value = Reader::new(self, active.to_vec()).get("OVERRIDES", 0)?;
        Ok(value
            .unwrap_or_default()
            .split(':')
            .map(str::to_owned)
            .collect())
    }

    /// The value BitBake's `getVar(var)` returns: overrides applied, queued operations done,
    /// references expanded; `None` when unset.
    pub fn get(&self, var: &str) -> Result<Option<String>, ConfError> {
        Reader::new(self, self.overrides()?).get(var, 0)
    }

    /// A flag's value, expanded (`getVarFlag(var, flag)`).
    pub fn get_flag(&self, var: &str, flag: &str) -> Result<Option<String>, ConfError> {
        let reader = Reader::new(self, self.overrides()?);
        let raw = self.text_flag(var, flag).or_else(|| {
            if flag == CONTENT {
                None
            } else {
                self.text_flag(var, &format!("_defaultval_flag_{flag}"))
            }
        });
        raw.map(|v| reader.expand(&v, &format!("{var}[{flag}]"), 0))
            .transpose()
    }

    /// Expands `${VAR}` references in `text` (for `:=` and include names).
    pub fn expand(&self, text: &str, varname: &str) -> Result<String, ConfError> {
        Reader::new(self, self.overrides()?).expand(text, varname, 0)
    }

    /// The names BitBake lists as its keys: variables holding anything, and variables an
    /// active override replaces. Internal names (`__…`) are left out.
    pub fn keys(&self) -> Result<BTreeSet<String>, ConfError> {
        let mut keys = self.all_keys()?;
        keys.retain(|k| !k.starts_with("__"));
        Ok(keys)
    }

    /// BitBake's `bb.data.expandKeys`, as `bitbake -e` and recipe finalisation run it: every
    /// variable whose name holds a `${…}` reference is renamed to its expanded name, in
    /// sorted order of the old names. Returns the renames that replaced a variable set
    /// already (BitBake warns of each).
    pub fn expand_keys(&mut self) -> Result<Vec<KeyReplaced>, ConfError> {
        let mut renames = BTreeMap::new();
        for key in self.all_keys()? {
            if !key.contains("${") {
                continue;
            }
            let expanded = self.expand(&key, "")?;
            if expanded != key {
                renames.insert(key, expanded);
            }
        }
        let mut replaced = Vec::new();
        for (key, expanded) in renames {
            let reader = Reader::new(self, self.overrides()?);
            let existing = reader.value(&expanded, false, 0)?.0;
            if let Some(replaced_value) = existing {
                if let Some(value) = reader.value(&key, false, 0)?.0 {
                    replaced.push(KeyReplaced {
                        key: key.clone(),
                        value,
                        replaced: expanded.clone(),
                        replaced_value,
                    });
                }
            }
            drop(reader);
            self.rename_var(&key, &expanded);
        }
        Ok(replaced)
    }

    /// `renameVar`: the value (a weak default becoming a plain value, as BitBake's parsing
    /// read gives it) and the queued operations move to `new`, override-style variants are
    /// renamed with it, other flags are dropped with the old name.
    fn rename_var(&mut self, key: &str, new: &str) {
        if key == new {
            return;
        }
        let mut found = false;
        let value = self
            .text_flag(key, CONTENT)
            .or_else(|| self.text_flag(key, DEFAULT));
        if let Some(value) = &value {
            self.set_var(new, value);
            found = true;
        }
        for keyword in QUEUES {
            let Flag::Queue(moved) = (match self.vars.get(key).and_then(|f| f.get(keyword)) {
                Some(flag) => flag.clone(),
                None => continue,
            }) else {
                continue;
            };
            let dest = self.vars.entry(new.to_owned()).or_default();
            match dest.get_mut(keyword) {
                Some(Flag::Queue(list)) => list.extend(moved),
                _ => {
                    dest.insert(keyword.to_owned(), Flag::Queue(moved));
                }
            }
            found = true;
        }
        if let Some(variants) = self.overridedata.get(key).cloned() {
            found = true;
            let renamed = variants
                .iter()
                .map(|(v, o)| (v.replace(key, new), o.clone()))
                .collect();
            self.overridedata.insert(new.to_owned(), renamed);
            for (v, _) in variants {
                let to = v.replace(key, new);
                self.rename_var(&v, &to);
            }
        }
        if !found {
            return;
        }
        if new.contains(':') && value.is_none() {
            self.update_overrides(new);
        }
        self.del_var(key);
    }

    /// Every name BitBake iterates over, internal ones included.
    fn all_keys(&self) -> Result<BTreeSet<String>, ConfError> {
        let set: BTreeSet<String> = self.overrides()?.into_iter().collect();
        let set: BTreeSet<&str> = set.iter().map(String::as_str).collect();
        let mut keys: BTreeSet<String> = self
            .vars
            .iter()
            .filter(|(_, flags)| !flags.is_empty())
            .map(|(k, _)| k.clone())
            .collect();
        for (var, list) in &self.overridedata {
            if list.iter().any(|(_, o)| active(o, &set)) {
                keys.insert(var.clone());
            }
        }
        Ok(keys)
    }
}

/// `A:b:c` → (`A:b`, `c`), then (`A`, `b:c`), while the override looks like one (BitBake's
/// walk in `_setvar_update_overrides` and `delVar`).
fn override_chain(var: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut end = var.rfind(':');
    let mut first = true;
    std::iter::from_fn(move || {
        let at = end?;
        let short = &var[..at];
        let override_ = &var[at + 1..];
        if (!first && short.is_empty()) || !is_override(override_) {
            end = None;
            return None;
        }
        first = false;
        end = short.rfind(':');
        Some((short, override_))
    })
}

fn active(override_: &str, set: &BTreeSet<&str>) -> bool {
    set.contains(override_)
        || (override_.contains(':') && override_.split(':').all(|o| set.contains(o)))
}

/// Reads values with a fixed set of active overrides.
struct Reader<'a> {
    data: &'a Datastore,
    overrides: Vec<String>,
    /// Expanded values already computed: the overrides are fixed for a reader, so each
    /// variable expands once (as BitBake's expansion cache does), keeping chains such as
    /// `A2 = "${A1}${A1}"` linear instead of exponential.
    expanded: std::cell::RefCell<std::collections::HashMap<String, Option<String>>>,
}

/// The longest value expansion may produce; past it the file is refused, not evaluated.
const MAX_EXPANDED: usize = 16 << 20;

impl<'a> Reader<'a> {
    fn new(data: &'a Datastore, overrides: Vec<String>) -> Reader<'a> {
        Reader {
            data,
            overrides,
            expanded: Default::default(),
        }
    }

    fn set(&self) -> BTreeSet<&str> {
        self.overrides.iter().map(String::as_str).collect()
    }

    fn condition_holds(&self, condition: Option<&str>) -> bool {
        match condition {
            None | Some("") => true,
            Some(o) => o
                .split(':')
                .all(|part| self.overrides.iter().any(|x| x == part)),
        }
    }

    /// The override-style name that replaces `var`, if any (BitBake's renaming loop).
    fn replacement(&self, var: &str) -> Option<String> {
        let list = self.data.overridedata.get(var)?;
        let set = self.set();
        let mut active_map: Vec<(String, String)> = Vec::new();
        for (r, o) in list {
            if active(o, &set) {
                insert(&mut active_map, o.clone(), r.clone());
            }
        }
        let mut found = None;
        let mut changed = true;
        while changed {
            changed = false;
            for o in &self.overrides {
                let snapshot: Vec<String> = active_map.iter().map(|(k, _)| k.clone()).collect();
                let suffix = format!(":{o}");
                for a in snapshot {
                    let Some(pos) = active_map.iter().position(|(k, _)| *k == a) else {
                        continue;
                    };
                    if a.ends_with(&suffix) {
                        let (_, t) = active_map.remove(pos);
                        insert(&mut active_map, a.replace(&suffix, ""), t);
                        changed = true;
                    } else if a == *o {
                        let (_, t) = active_map.remove(pos);
                        found = Some(t);
                    }
                }
            }
        }
        found
    }

    /// `getVarFlag(var, "_content", expand)`, with the removes a replacing variable carries.
    fn value(
        &self,
        var: &str,
        expand: bool,
        depth: usize,
    ) -> Result<(Option<String>, Vec<String>), ConfError> {
        if depth > MAX_DEPTH {
            return Err(ConfError::Expansion {
                variable: var.to_owned(),
                reason: "its references form a cycle or nest too deep",
            });
        }
        let mut value = None;
        let mut removes: Vec<String> = Vec::new();
        if let Some(name) = self.replacement(var) {
            let (v, carried) = self.value(&name, false, depth + 1)?;
            value = v;
            removes = carried;
        }
        let flags = self.data.vars.get(var);
        if value.is_none() {
            value = self
                .data
                .text_flag(var, CONTENT)
                .or_else(|| self.data.text_flag(var, DEFAULT));
        }
        if flags.is_some() {
            for (r, o) in self.data.queue(var, ":append") {
                if self.condition_holds(o.as_deref()) {
                    value = Some(value.unwrap_or_default() + r);
                }
            }
            for (r, o) in self.data.queue(var, ":prepend") {
                if self.condition_holds(o.as_deref()) {
                    value = Some(format!("{r}{}", value.unwrap_or_default()));
                }
            }
        }
        let Some(raw) = value else {
            return Ok((None, removes));
        };
        let expanded = self.expand(&raw, var, depth + 1)?;
        if !expanded.is_empty() {
            for (r, o) in self.data.queue(var, ":remove") {
                if self.condition_holds(o.as_deref()) && !removes.contains(r) {
                    removes.push(r.clone());
                }
            }
        }
        if expanded.is_empty() || removes.is_empty() {
            return Ok((Some(if expand { expanded } else { raw }), Vec::new()));
        }
        let mut words: Vec<Vec<String>> = Vec::new();
        for r in &removes {
            let e = self.expand(r, "", depth + 1)?;
            words.push(
                e.split(is_space)
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
        let mut used = Vec::new();
        let mut out = String::with_capacity(expanded.len());
        let mut token = String::new();
        let mut flush = |token: &mut String, out: &mut String| {
            let mut skip = false;
            for (r, list) in removes.iter().zip(&words) {
                if list.iter().any(|w| w == token) {
                    if !used.contains(r) {
                        used.push(r.clone());
                    }
                    skip = true;
                }
            }
            if !skip {
                out.push_str(token);
            }
            token.clear();
        };
        for c in expanded.chars() {
            if is_space(c) {
                flush(&mut token, &mut out);
                out.push(c);
            } else {
                token.push(c);
            }
        }
        flush(&mut token, &mut out);
        Ok((Some(if expand { out } else { raw }), used))
    }

    fn get(&self, var: &str, depth: usize) -> Result<Option<String>, ConfError> {
        if let Some(known) = self.expanded.borrow().get(var) {
            return Ok(known.clone());
        }
        let value = self.value(var, true, depth)?.0;
        self.expanded
            .borrow_mut()
            .insert(var.to_owned(), value.clone());
        Ok(value)
    }

    /// Replaces `${NAME}` references until nothing changes; unknown ones stay as written.
    fn expand(&self, text: &str, varname: &str, depth: usize) -> Result<String, ConfError> {
        let mut s = text.to_owned();
        while s.contains("${") {
            let next = self.substitute(&s, varname, depth)?;
            if next == s {
                break;
            }
            s = next;
        }
        Ok(s)
    }

    /// One pass of `${NAME}` substitution, left to right, as `re.sub` does.
    fn substitute(&self, s: &str, varname: &str, depth: usize) -> Result<String, ConfError> {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_+./~:".contains(c)))
                .unwrap_or(after.len());
            if len > 0 && after[len..].starts_with('}') {
                let key = &after[..len];
                if key == varname {
                    return Err(ConfError::Expansion {
                        variable: varname.to_owned(),
                        reason: "it refers to itself",
                    });
                }
                match self.get(key, depth + 1)? {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[at..at + 3 + len]),
                }
                if out.len() > MAX_EXPANDED {
                    return Err(ConfError::Expansion {
                        variable: varname.to_owned(),
                        reason: "it expands to more than 16 MiB",
                    });
                }
                rest = &after[len + 1..];
            } else {
                out.push('$');
                rest = &rest[at + 1..];
            }
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Python dict assignment on an ordered list: replace in place, or add at the end.
fn insert(map: &mut Vec<(String, String)>, key: String, value: String) {
    match map.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => map.push((key, value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_operations_split_like_bitbake() {
        assert_eq!(queued_operation("A:append"), Some(("A", ":append", None)));
        assert_eq!(
            queued_operation("A:append:foo"),
            Some(("A", ":append", Some("foo")))
        );
        assert_eq!(
            queued_operation("A:foo:remove"),
            Some(("A:foo", ":remove", None))
        );
        assert_eq!(queued_operation("A:append:X"), None);
        assert_eq!(queued_operation("A:appendx"), None);
    }

    #[test]
    fn override_chains_walk_outwards() {
        let chain: Vec<_> = override_chain("A:b:c").collect();
        assert_eq!(chain, [("A:b", "c"), ("A", "b:c")]);
        assert_eq!(override_chain("A:X").count(), 0);
    }

    #[test]
    fn removes_keep_surrounding_whitespace() {
        let mut d = Datastore::new();
        d.set_var("FOO", "123 456 789 123");
        d.set_var("FOO:remove", "123");
        assert_eq!(d.get("FOO").unwrap().as_deref(), Some(" 456 789 "));
    }

    #[test]
    fn doubling_chains_expand_once_per_variable_and_stop_at_the_cap() {
        let mut d = Datastore::new();
        d.set_var("A0", "xx");
        for n in 1..=40 {
            d.set_var(&format!("A{n}"), &format!("${{A{}}}${{A{}}}", n - 1, n - 1));
        }
        // 2^20 bytes: computed through the memo, one expansion per variable.
        assert_eq!(d.get("A19").unwrap().map(|v| v.len()), Some(1 << 20));
        // 2^41 bytes would be; refused at the cap instead of running for hours.
        let err = d.get("A40").unwrap_err().to_string();
        assert!(err.contains("16 MiB"), "{err}");
    }

    #[test]
    fn expanding_keys_renames_as_bitbake_does() {
        let mut d = Datastore::new();
        d.set_var("FOO", "foo");
        d.set_var("BAR", "foo");
        d.set_var("VAL_${FOO}", "A");
        d.set_var("VAL_${BAR}", "B");
        d.set_var("LOCAL", "local");
        d.set_var("OVERRIDES", "${LOCAL}");
        d.set_var("TEST:bar", "2");
        d.set_var("TEST:${LOCAL}", "3");
        d.set_flag("W_${FOO}", "_defaultval", "weak");
        d.set_flag("W_${FOO}", "doc", "dropped");
        d.set_var("Q_${FOO}:append", " appended");
        let replaced = d.expand_keys().unwrap();
        // In sorted order of the old names: VAL_${BAR} first, then VAL_${FOO} replaces it.
        assert_eq!(
            replaced,
            [KeyReplaced {
                key: "VAL_${FOO}".into(),
                value: "A".into(),
                replaced: "VAL_foo".into(),
                replaced_value: "B".into(),
            }]
        );
        assert_eq!(d.get("VAL_foo").unwrap().as_deref(), Some("A"));
        assert_eq!(d.get("TEST").unwrap().as_deref(), Some("3"));
        assert_eq!(d.get("W_foo").unwrap().as_deref(), Some("weak"));
        assert_eq!(d.parsing_value("W_foo").as_deref(), Some("weak"));
        assert_eq!(d.get_flag("W_foo", "doc").unwrap(), None);
        assert_eq!(d.get("Q_foo").unwrap().as_deref(), Some(" appended"));
        let keys = d.keys().unwrap();
        assert!(keys.iter().all(|k| !k.contains("${")), "{keys:?}");
    }

    #[test]
    fn self_reference_is_an_error() {
        let mut d = Datastore::new();
        d.set_var("A", "${A} x");
        assert!(d.get("A").is_err());
        d.set_var("B", "${C}");
        d.set_var("C", "${B}");
        assert!(d.get("B").is_err());
    }
}
