//! Column lists and row decoders. A decoder returns a nested result: the outer one is the
//! driver's, the inner one ours, since a column can be read fine and still not decode into
//! the domain (a damaged name, an unknown release).

use std::path::{Path, PathBuf};

use rusqlite::Row;

use crate::model::{
    AuditAction, AuditEntry, Build, BuildArchive, BuildId, BuildState, Claim, Group, GroupId, Mode,
    Name, Owner, OwnerId, Progress, Project, ProjectConfig, ProjectId, Release, Revision,
    RevisionNumber, RunnerId, ScriptType, SstateResult, Target, Task, TaskOutcome, TaskRecord,
    Timestamp,
};
use crate::store::StoreError;

/// A row decoder.
pub(super) type Decode<T> = fn(&Row<'_>) -> rusqlite::Result<Result<T, StoreError>>;

pub(super) const OWNER_SELECT: &str =
    "SELECT id, name, email, client, admin, created_at FROM owner";

pub(super) const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.dir, p.release, p.owner_id, \
     o.name, p.group_id, g.name, p.mode, p.created_at, p.head FROM project p \
     JOIN owner o ON o.id = p.owner_id LEFT JOIN owner_group g ON g.id = p.group_id";

pub(super) const REVISION_SELECT: &str = "SELECT r.project_id, r.number, o.name, r.created_at, \
     r.description, r.restores, r.config FROM config_revision r JOIN owner o ON o.id = r.author_id";

/// Members are joined into one column, separated by `/`, which no name contains.
pub(super) const GROUP_SELECT: &str = "SELECT g.id, g.name, g.created_at, \
     (SELECT group_concat(name, '/') FROM (SELECT o.name FROM group_member m \
       JOIN owner o ON o.id = m.owner_id WHERE m.group_id = g.id ORDER BY o.name)) \
     FROM owner_group g";

/// Targets are joined into one column, separated by spaces, as `Target` prints them.
pub(super) const BUILD_SELECT: &str = "SELECT b.id, b.project_id, p.name, b.revision, o.name, \
     b.client, b.host, b.build_dir, b.log_path, b.machine, b.distro, b.state, b.hidden, \
     b.started_at, b.ended_at, b.heartbeat_at, b.recipes_parsed, b.recipes_total, \
     b.tasks_done, b.tasks_total, b.errors, b.warnings, b.log_written, \
     (SELECT group_concat(t, ' ') FROM (SELECT recipe || coalesce(':' || task, '') AS t \
       FROM build_target WHERE build_id = b.id ORDER BY position)), \
     b.requested, b.run_on, b.claimed_by, b.claimed_at, b.lease_until, b.cancel_requested_at, \
     b.archive_path, b.archived_at, b.archive_images, b.origin \
     FROM build b JOIN project p ON p.id = b.project_id JOIN owner o ON o.id = b.owner_id";

pub(super) const AUDIT_SELECT: &str =
    "SELECT id, at, owner_name, client, action, project_id, project, detail, owner_id FROM audit";

/// A count or size for an INTEGER column (SQLite's are signed 64-bit; larger saturates).
pub(in crate::store) fn int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Paths are stored as UTF-8 text so that every backend and every host can read them.
pub(in crate::store) fn path_text(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| StoreError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path is not valid UTF-8; choose a directory whose name is",
        ),
    })
}

pub(in crate::store) fn corrupt(
    what: &'static str,
) -> impl FnOnce(crate::model::ModelError) -> StoreError {
    move |e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

/// Decodes a stored name; a name that no longer passes the rules is damage.
pub(in crate::store) fn name(value: String) -> Result<Name, StoreError> {
    Name::parse("name", &value).map_err(corrupt("name"))
}

pub(super) fn owner(row: &Row<'_>) -> rusqlite::Result<Result<Owner, StoreError>> {
    let stored: String = row.get(1)?;
    let (id, email, client, admin, created_at) = (
        row.get(0)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    );
    Ok(name(stored).map(|name| Owner {
        id: OwnerId(id),
        name,
        email,
        client,
        admin,
        created_at: Timestamp(created_at),
    }))
}

pub(super) fn project(row: &Row<'_>) -> rusqlite::Result<Result<Project, StoreError>> {
    let (project_name, dir, release, owner_name): (String, String, String, String) =
        (row.get(1)?, row.get(2)?, row.get(3)?, row.get(5)?);
    let (group, group_name): (Option<i64>, Option<String>) = (row.get(6)?, row.get(7)?);
    let (id, owner, mode, created_at, head): (i64, i64, i64, i64, u32) = (
        row.get(0)?,
        row.get(4)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
    );
    Ok((|| {
        Ok(Project {
            id: ProjectId(id),
            name: name(project_name)?,
            dir: PathBuf::from(dir),
            release: Release::parse(&release).map_err(corrupt("release"))?,
            owner: OwnerId(owner),
            owner_name: name(owner_name)?,
            group: group.map(GroupId),
            group_name: group_name.map(name).transpose()?,
            mode: Mode::from_bits(mode),
            created_at: Timestamp(created_at),
            head: RevisionNumber(head),
        })
    })())
}

pub(super) fn revision(row: &Row<'_>) -> rusqlite::Result<Result<Revision, StoreError>> {
    let (project, number, author, created_at): (i64, u32, String, i64) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    let (description, restores, config): (String, Option<u32>, String) =
        (row.get(4)?, row.get(5)?, row.get(6)?);
    Ok((|| {
        Ok(Revision {
            project: ProjectId(project),
            number: RevisionNumber(number),
            author: name(author)?,
            created_at: Timestamp(created_at),
            description,
            restores: restores.map(RevisionNumber),
            config: serde_json::from_str::<ProjectConfig>(&config).map_err(|e| {
                StoreError::Corrupt {
                    what: "configuration",
                    detail: e.to_string(),
                }
            })?,
        })
    })())
}

pub(super) fn group(row: &Row<'_>) -> rusqlite::Result<Result<Group, StoreError>> {
    let (id, group_name, created_at, members): (i64, String, i64, Option<String>) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    Ok((|| {
        let members = members
            .iter()
            .flat_map(|m| m.split('/'))
            .map(|m| name(m.to_owned()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Group {
            id: GroupId(id),
            name: name(group_name)?,
            members,
            created_at: Timestamp(created_at),
        })
    })())
}

pub(super) fn audit(row: &Row<'_>) -> rusqlite::Result<Result<AuditEntry, StoreError>> {
    let (id, at, owner_name, client, action): (i64, i64, String, String, String) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    );
    let (project_id, project, detail): (Option<i64>, Option<String>, String) =
        (row.get(5)?, row.get(6)?, row.get(7)?);
    let owner_id: Option<i64> = row.get(8)?;
    Ok((|| {
        Ok(AuditEntry {
            id,
            at: Timestamp(at),
            owner_id: owner_id.map(OwnerId),
            owner: name(owner_name)?,
            client,
            action: AuditAction::parse(&action).map_err(corrupt("audit action"))?,
            project_id: project_id.map(ProjectId),
            project: project.map(name).transpose()?,
            detail,
        })
    })())
}

pub(super) fn build(row: &Row<'_>) -> rusqlite::Result<Result<Build, StoreError>> {
    let (id, project, project_name, revision, owner): (i64, i64, String, u32, String) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    );
    let (client, host, build_dir, log_path): (String, String, String, String) =
        (row.get(5)?, row.get(6)?, row.get(7)?, row.get(8)?);
    let (machine, distro, state, hidden): (Option<String>, Option<String>, String, bool) =
        (row.get(9)?, row.get(10)?, row.get(11)?, row.get(12)?);
    let (started_at, ended_at, heartbeat_at): (i64, Option<i64>, i64) =
        (row.get(13)?, row.get(14)?, row.get(15)?);
    let progress = Progress {
        recipes_parsed: row.get(16)?,
        recipes_total: row.get(17)?,
        tasks_done: row.get(18)?,
        tasks_total: row.get(19)?,
    };
    let (errors, warnings, log_written, targets): (u32, u32, bool, Option<String>) =
        (row.get(20)?, row.get(21)?, row.get(22)?, row.get(23)?);
    let (requested, run_on, claimed_by): (bool, Option<String>, Option<String>) =
        (row.get(24)?, row.get(25)?, row.get(26)?);
    let (claimed_at, lease_until, cancel_requested_at): (Option<i64>, Option<i64>, Option<i64>) =
        (row.get(27)?, row.get(28)?, row.get(29)?);
    let (archive_path, archived_at, archive_images, origin): (
        Option<String>,
        Option<i64>,
        bool,
        Option<String>,
    ) = (row.get(30)?, row.get(31)?, row.get(32)?, row.get(33)?);
    Ok((|| {
        Ok(Build {
            id: BuildId(id),
            project: ProjectId(project),
            project_name: name(project_name)?,
            revision: RevisionNumber(revision),
            owner: name(owner)?,
            client,
            host,
            build_dir: PathBuf::from(build_dir),
            log_path: log_written.then(|| PathBuf::from(log_path)),
            machine,
            distro,
            targets: targets
                .iter()
                .flat_map(|t| t.split(' '))
                .map(Target::parse)
                .collect::<Result<_, _>>()
                .map_err(corrupt("target"))?,
            layers: Vec::new(),
            state: BuildState::parse(&state).map_err(corrupt("build state"))?,
            hidden,
            started_at: Timestamp(started_at),
            ended_at: ended_at.map(Timestamp),
            heartbeat_at: Timestamp(heartbeat_at),
            progress,
            errors,
            warnings,
            requested,
            run_on,
            claim: claimed_by
                .map(|runner| {
                    Ok::<_, StoreError>(Claim {
                        runner: RunnerId::parse(&runner).map_err(corrupt("runner id"))?,
                        claimed_at: Timestamp(claimed_at.unwrap_or_default()),
                        lease_until: Timestamp(lease_until.unwrap_or_default()),
                    })
                })
                .transpose()?,
            cancel_requested_at: cancel_requested_at.map(Timestamp),
            archive: archive_path.map(|path| BuildArchive {
                path: PathBuf::from(path),
                at: Timestamp(archived_at.unwrap_or_default()),
                images: archive_images,
            }),
            origin,
        })
    })())
}

pub(super) fn task(row: &Row<'_>) -> rusqlite::Result<Result<Task, StoreError>> {
    let (recipe, task, order, outcome): (String, String, Option<u32>, Option<String>) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    let (started_at, ended_at): (Option<i64>, Option<i64>) = (row.get(4)?, row.get(5)?);
    let (cpu_ms, read_bytes, write_bytes): (Option<i64>, Option<i64>, Option<i64>) =
        (row.get(6)?, row.get(7)?, row.get(8)?);
    let log_file = row.get(9)?;
    let (sstate, executed, script): (Option<String>, Option<bool>, Option<String>) =
        (row.get(10)?, row.get(11)?, row.get(12)?);
    let unsigned = |v: Option<i64>| v.map(|v| u64::try_from(v).unwrap_or(0));
    Ok((|| {
        Ok(Task {
            record: TaskRecord {
                recipe,
                task,
                order,
                outcome: outcome
                    .map(|o| TaskOutcome::parse(&o))
                    .transpose()
                    .map_err(corrupt("task outcome"))?,
                started_at: started_at.map(Timestamp),
                ended_at: ended_at.map(Timestamp),
                cpu_ms: unsigned(cpu_ms),
                read_bytes: unsigned(read_bytes),
                write_bytes: unsigned(write_bytes),
                log_file,
                sstate: sstate
                    .map(|s| SstateResult::parse(&s))
                    .transpose()
                    .map_err(corrupt("task shared-state result"))?,
                executed,
                script: script
                    .map(|s| ScriptType::parse(&s))
                    .transpose()
                    .map_err(corrupt("task script type"))?,
            },
            elapsed_ms: started_at.zip(ended_at).map(|(s, e)| e - s),
        })
    })())
}
