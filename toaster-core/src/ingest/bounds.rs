//! What an event may hold: bounds on the lines and fields that come from outside (event
//! logs, a hook's batches), so that no input fills memory or the store with absurd values.
//! An event beyond a bound is refused whole; only long texts are kept, cut with a marker
//! (see `sanitize`).

use super::Event;
use super::event_log::BuildHeader;
use crate::model::Timestamp;

/// The longest line of an event log or batch, in bytes.
pub const MAX_LINE: usize = 1 << 20;
/// The longest name (recipe, task, package, layer, version, host, …), in bytes.
pub const MAX_NAME: usize = 255;
/// The longest `recipe:task` reference, in bytes.
pub const MAX_TASK_REF: usize = 2 * MAX_NAME + 1;
/// The longest path, in bytes (Linux's `PATH_MAX`).
pub const MAX_PATH: usize = 4096;
/// The most run-time dependencies a package may list.
pub const MAX_DEPENDS: usize = 4096;
/// The most files one `package_files` or `image_files` event, or packages one
/// `image_packages` event, may list (a longer list comes in several events).
pub const MAX_ENTRIES: usize = 10_000;
/// The largest size in bytes a store keeps (a signed 64-bit integer).
pub const MAX_SIZE: u64 = i64::MAX.unsigned_abs();
/// The earliest time an event may carry: 1970-01-01T00:00:00.000Z.
pub const FIRST_TIME: Timestamp = Timestamp(0);
/// The latest time an event may carry: 9999-12-31T23:59:59.999Z.
pub const LAST_TIME: Timestamp = Timestamp(253_402_300_799_999);

/// `Err` with the reason when a field of `event` is beyond its bound.
pub fn check_event(event: &Event) -> Result<(), String> {
    match event {
        Event::ParseStarted { .. }
        | Event::ParseProgress { .. }
        | Event::ParseCompleted { .. }
        | Event::RunQueueProgress { .. } => Ok(()),
        Event::Recipe(recipe) => {
            name("name", &recipe.name)?;
            name("version", &recipe.version)?;
            name("layer", &recipe.layer)?;
            path("file", &recipe.file)?;
            let texts = [
                ("licence", &recipe.licence),
                ("summary", &recipe.summary),
                ("section", &recipe.section),
                ("homepage", &recipe.homepage),
            ];
            texts
                .into_iter()
                .try_for_each(|(field, text)| text.as_deref().map_or(Ok(()), |t| path(field, t)))
        }
        Event::TaskStarted {
            recipe,
            task,
            at,
            log_file,
        }
        | Event::TaskFinished {
            recipe,
            task,
            at,
            log_file,
            ..
        } => {
            name("recipe", recipe)?;
            name("task", task)?;
            time("at", *at)?;
            log_file.as_deref().map_or(Ok(()), |f| path("log_file", f))
        }
        Event::TaskDependencies(deps) => {
            name("recipe", &deps.recipe)?;
            name("task", &deps.task)?;
            if deps.depends.len() > MAX_DEPENDS {
                return Err(format!(
                    "its `depends` lists {} tasks, more than {MAX_DEPENDS}",
                    deps.depends.len()
                ));
            }
            deps.depends.iter().try_for_each(|d| {
                name("depends", &d.recipe)?;
                name("depends", &d.task)
            })
        }
        Event::RecipeDependencies(deps) => {
            name("recipe", &deps.recipe)?;
            if deps.depends.len() > MAX_DEPENDS {
                return Err(format!(
                    "its `depends` lists {} recipes, more than {MAX_DEPENDS}",
                    deps.depends.len()
                ));
            }
            deps.depends.iter().try_for_each(|d| {
                name("depends", &d.recipe)?;
                d.via.as_deref().map_or(Ok(()), |v| name("via", v))
            })
        }
        Event::Provider(provider) => {
            name("name", &provider.name)?;
            name("recipe", &provider.recipe)
        }
        Event::Variable(variable) => name("name", &variable.name),
        Event::VariableHistory(history) => {
            name("name", &history.name)?;
            if history.changes.len() > MAX_DEPENDS {
                return Err(format!(
                    "its `changes` lists {} entries, more than {MAX_DEPENDS}",
                    history.changes.len()
                ));
            }
            history.changes.iter().try_for_each(|c| {
                name("operation", &c.operation)?;
                c.flag.as_deref().map_or(Ok(()), |f| name("flag", f))?;
                c.file.as_deref().map_or(Ok(()), |f| path("file", f))
            })
        }
        Event::Log(log) => {
            if let Some(task) = &log.task {
                within("task", task, MAX_TASK_REF)?;
            }
            if let Some(file) = &log.file {
                path("file", file)?;
            }
            time("at", log.at)
        }
        Event::Package(package) => {
            name("name", &package.name)?;
            name("version", &package.version)?;
            name("recipe", &package.recipe)?;
            size(package.size)?;
            if package.depends.len() > MAX_DEPENDS {
                return Err(format!(
                    "its `depends` lists {} packages, more than {MAX_DEPENDS}",
                    package.depends.len()
                ));
            }
            package
                .depends
                .iter()
                .try_for_each(|d| name("depends", d))?;
            package.relations.values().try_for_each(|names| {
                entries("relations", names.len())?;
                names.iter().try_for_each(|n| name("relations", n))
            })
        }
        Event::PackageFiles(files) => {
            name("package", &files.package)?;
            entries("files", files.files.len())?;
            files.files.iter().try_for_each(|f| {
                path("path", &f.path)?;
                size(f.size)
            })
        }
        Event::ImagePackages(image) => {
            name("target", &image.target)?;
            entries("packages", image.packages.len())?;
            image.packages.iter().try_for_each(|p| {
                name("name", &p.name)?;
                size(p.size)?;
                if p.depends.len() > MAX_DEPENDS {
                    return Err(format!(
                        "package {}'s `depends` lists {} packages, more than {MAX_DEPENDS}",
                        p.name,
                        p.depends.len()
                    ));
                }
                p.depends.iter().try_for_each(|d| name("depends", &d.name))
            })
        }
        Event::ImageFiles(image) => {
            name("target", &image.target)?;
            entries("files", image.files.len())?;
            image.files.iter().try_for_each(|f| {
                path("path", &f.path)?;
                size(f.size)?;
                name("mode", &f.mode)?;
                name("owner", &f.owner)?;
                name("group", &f.group)?;
                f.link.as_deref().map_or(Ok(()), |l| path("link", l))
            })
        }
        Event::Artifact(artifact) => {
            path("path", &artifact.path)?;
            if let Some(dir) = &artifact.dir {
                path("dir", dir)?;
            }
            if let Some(name) = &artifact.name {
                path("name", name)?;
            }
            artifact.size.map_or(Ok(()), size)
        }
        Event::Heartbeat { at } | Event::BuildCompleted { at, .. } => time("at", *at),
    }
}

/// `Err` with the reason when a field of an event log's header is beyond its bound (its
/// machine, distro, targets and layers are checked as those of every build are).
pub fn check_header(build: &BuildHeader) -> Result<(), String> {
    if let Some(project) = &build.project {
        name("project", project)?;
    }
    name("host", &build.host)?;
    path("build_dir", &build.build_dir)?;
    time("started_at", Some(build.started_at))
}

fn within(field: &str, value: &str, limit: usize) -> Result<(), String> {
    if value.len() > limit {
        return Err(format!(
            "its `{field}` is {} bytes, longer than {limit} bytes",
            value.len()
        ));
    }
    Ok(())
}

fn entries(field: &str, count: usize) -> Result<(), String> {
    if count > MAX_ENTRIES {
        return Err(format!(
            "its `{field}` lists {count} entries, more than {MAX_ENTRIES} (send a longer list in several events)"
        ));
    }
    Ok(())
}

fn name(field: &str, value: &str) -> Result<(), String> {
    within(field, value, MAX_NAME)
}

fn path(field: &str, value: &str) -> Result<(), String> {
    within(field, value, MAX_PATH)
}

fn time(field: &str, at: Option<Timestamp>) -> Result<(), String> {
    match at {
        Some(t) if t < FIRST_TIME || t > LAST_TIME => Err(format!(
            "its `{field}` time {} is not between 1970 and 9999 ({} to {} milliseconds since the Unix epoch)",
            t.0, FIRST_TIME.0, LAST_TIME.0
        )),
        _ => Ok(()),
    }
}

fn size(bytes: u64) -> Result<(), String> {
    if bytes > MAX_SIZE {
        return Err(format!(
            "its `size` {bytes} is larger than {MAX_SIZE} bytes, the most a store keeps"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parse_line;

    fn refused(line: &str) -> String {
        match parse_line(line) {
            Err(crate::ingest::LineError::Malformed(reason)) => reason,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn the_bounds_name_real_limits() {
        assert_eq!(LAST_TIME.to_rfc3339(), "9999-12-31T23:59:59.999Z");
        assert_eq!(
            Timestamp(LAST_TIME.0 + 1).to_rfc3339(),
            "10000-01-01T00:00:00.000Z"
        );
        assert_eq!(MAX_SIZE, 9_223_372_036_854_775_807);
    }

    #[test]
    fn names_and_paths_at_their_bound_pass_and_past_it_are_refused() {
        let task = |recipe: &str, log: &str| {
            format!(
                r#"{{"event":"task_started","recipe":"{recipe}","task":"do_compile","at":null,"log_file":"{log}"}}"#
            )
        };
        let (name, path) = ("n".repeat(MAX_NAME), "p".repeat(MAX_PATH));
        assert!(matches!(parse_line(&task(&name, &path)), Ok(Some(_))));
        let reason = refused(&task(&format!("{name}x"), "/log"));
        assert_eq!(
            reason,
            "event `task_started`: its `recipe` is 256 bytes, longer than 255 bytes"
        );
        let reason = refused(&task("busybox", &format!("{path}x")));
        assert!(reason.contains("`log_file` is 4097 bytes"), "{reason}");
        let depends = vec!["libc6"; MAX_DEPENDS + 1];
        let package = serde_json::json!({"event": "package", "name": "p", "version": "1",
            "size": 1, "recipe": "r", "depends": depends});
        assert!(refused(&package.to_string()).contains("more than 4096"));
    }

    #[test]
    fn times_outside_1970_to_9999_and_sizes_past_i64_are_refused() {
        let at = |t: i64| format!(r#"{{"event":"heartbeat","at":{t}}}"#);
        assert!(matches!(parse_line(&at(0)), Ok(Some(_))));
        assert!(matches!(parse_line(&at(LAST_TIME.0)), Ok(Some(_))));
        for bad in [-1, LAST_TIME.0 + 1, i64::MAX, i64::MIN] {
            assert!(
                refused(&at(bad)).contains("not between 1970 and 9999"),
                "{bad}"
            );
        }
        let ended = r#"{"event":"build_completed","state":"succeeded","at":9223372036854775807}"#;
        assert!(refused(ended).contains("`at` time 9223372036854775807"));
        let artifact = |size: u64| {
            format!(r#"{{"event":"artifact","kind":"image","path":"/i","size":{size}}}"#)
        };
        assert!(matches!(parse_line(&artifact(MAX_SIZE)), Ok(Some(_))));
        assert!(refused(&artifact(MAX_SIZE + 1)).contains("larger than 9223372036854775807"));
        assert!(refused(&artifact(u64::MAX)).contains("18446744073709551615"));
    }
}
