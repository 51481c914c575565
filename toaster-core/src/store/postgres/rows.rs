//! Column lists and row decoders for PostgreSQL. Numbers are stored as BIGINT; a stored
//! number that does not fit its domain type is damage.

use std::path::PathBuf;

use postgres::Row;

use super::get;
use crate::model::{
    AuditAction, AuditEntry, Build, BuildArchive, BuildId, BuildState, Claim, Group, GroupId, Mode,
    Owner, OwnerId, Progress, Project, ProjectConfig, ProjectId, Release, Revision, RevisionNumber,
    RunnerId, ScriptType, SstateResult, Target, Task, TaskOutcome, TaskRecord, Timestamp,
};
use crate::store::StoreError;
use crate::store::sqlite::rows::{corrupt, name};

/// A row decoder.
pub(super) type Decode<T> = fn(&Row) -> Result<T, StoreError>;

pub(super) const OWNER_SELECT: &str =
    "SELECT id, name, email, client, admin, created_at FROM owner";

pub(super) const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.dir, p.release, p.owner_id, \
     o.name, p.group_id, g.name, p.mode, p.created_at, p.head FROM project p \
     JOIN owner o ON o.id = p.owner_id LEFT JOIN owner_group g ON g.id = p.group_id";

pub(super) const REVISION_SELECT: &str = "SELECT r.project_id, r.number, o.name, r.created_at, \
     r.description, r.restores, r.config FROM config_revision r JOIN owner o ON o.id = r.author_id";

/// Members are joined into one column, separated by `/`, which no name contains.
pub(super) const GROUP_SELECT: &str = "SELECT g.id, g.name, g.created_at, \
     (SELECT string_agg(o.name, '/' ORDER BY lower(o.name)) FROM group_member m \
       JOIN owner o ON o.id = m.owner_id WHERE m.group_id = g.id) \
     FROM owner_group g";

/// Targets are joined into one column, separated by spaces, as `Target` prints them.
pub(super) const BUILD_SELECT: &str = "SELECT b.id, b.project_id, p.name, b.revision, o.name, \
     b.client, b.host, b.build_dir, b.log_path, b.machine, b.distro, b.state, b.hidden, \
     b.started_at, b.ended_at, b.heartbeat_at, b.recipes_parsed, b.recipes_total, \
     b.tasks_done, b.tasks_total, b.errors, b.warnings, b.log_written, \
     (SELECT string_agg(recipe || coalesce(':' || task, ''), ' ' ORDER BY position) \
       FROM build_target WHERE build_id = b.id), \
     b.requested, b.run_on, b.claimed_by, b.claimed_at, b.lease_until, b.cancel_requested_at, \
     b.archive_path, b.archived_at, b.archive_images, b.origin \
     FROM build b JOIN project p ON p.id = b.project_id JOIN owner o ON o.id = b.owner_id";

pub(super) const AUDIT_SELECT: &str = "SELECT id, at, owner_name, client, action, project_id, \
     project, detail, owner_id FROM audit";

/// A stored BIGINT that is a `u32` in the domain.
pub(super) fn small(value: i64, what: &'static str) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt {
        what,
        detail: format!("{value} is out of range"),
    })
}

/// Column `index`, a BIGINT that is a `u32` in the domain.
pub(super) fn count(row: &Row, index: usize) -> Result<u32, StoreError> {
    small(get(row, index)?, "count")
}

/// Column `index`, a nullable BIGINT that is a `u32` in the domain.
pub(super) fn count_opt(row: &Row, index: usize) -> Result<Option<u32>, StoreError> {
    get::<Option<i64>>(row, index)?
        .map(|v| small(v, "count"))
        .transpose()
}

pub(super) fn owner(row: &Row) -> Result<Owner, StoreError> {
    Ok(Owner {
        id: OwnerId(get(row, 0)?),
        name: name(get(row, 1)?)?,
        email: get(row, 2)?,
        client: get(row, 3)?,
        admin: get(row, 4)?,
        created_at: Timestamp(get(row, 5)?),
    })
}

pub(super) fn project(row: &Row) -> Result<Project, StoreError> {
    let release: String = get(row, 3)?;
    let group_name: Option<String> = get(row, 7)?;
    Ok(Project {
        id: ProjectId(get(row, 0)?),
        name: name(get(row, 1)?)?,
        dir: PathBuf::from(get::<String>(row, 2)?),
        release: Release::parse(&release).map_err(corrupt("release"))?,
        owner: OwnerId(get(row, 4)?),
        owner_name: name(get(row, 5)?)?,
        group: get::<Option<i64>>(row, 6)?.map(GroupId),
        group_name: group_name.map(name).transpose()?,
        mode: Mode::from_bits(get(row, 8)?),
        created_at: Timestamp(get(row, 9)?),
        head: RevisionNumber(count(row, 10)?),
    })
}

pub(super) fn revision(row: &Row) -> Result<Revision, StoreError> {
    let config: String = get(row, 6)?;
    Ok(Revision {
        project: ProjectId(get(row, 0)?),
        number: RevisionNumber(count(row, 1)?),
        author: name(get(row, 2)?)?,
        created_at: Timestamp(get(row, 3)?),
        description: get(row, 4)?,
        restores: count_opt(row, 5)?.map(RevisionNumber),
        config: serde_json::from_str::<ProjectConfig>(&config).map_err(|e| {
            StoreError::Corrupt {
                what: "configuration",
                detail: e.to_string(),
            }
        })?,
    })
}

pub(super) fn group(row: &Row) -> Result<Group, StoreError> {
    let members: Option<String> = get(row, 3)?;
    Ok(Group {
        id: GroupId(get(row, 0)?),
        name: name(get(row, 1)?)?,
        members: members
            .iter()
            .flat_map(|m| m.split('/'))
            .map(|m| name(m.to_owned()))
            .collect::<Result<Vec<_>, _>>()?,
        created_at: Timestamp(get(row, 2)?),
    })
}

pub(super) fn audit(row: &Row) -> Result<AuditEntry, StoreError> {
    let action: String = get(row, 4)?;
    let project: Option<String> = get(row, 6)?;
    Ok(AuditEntry {
        id: get(row, 0)?,
        at: Timestamp(get(row, 1)?),
        owner_id: get::<Option<i64>>(row, 8)?.map(OwnerId),
        owner: name(get(row, 2)?)?,
        client: get(row, 3)?,
        action: AuditAction::parse(&action).map_err(corrupt("audit action"))?,
        project_id: get::<Option<i64>>(row, 5)?.map(ProjectId),
        project: project.map(name).transpose()?,
        detail: get(row, 7)?,
    })
}

pub(super) fn build(row: &Row) -> Result<Build, StoreError> {
    let state: String = get(row, 11)?;
    let targets: Option<String> = get(row, 23)?;
    let log_written: bool = get(row, 22)?;
    let claimed_by: Option<String> = get(row, 26)?;
    let (claimed_at, lease_until): (Option<i64>, Option<i64>) = (get(row, 27)?, get(row, 28)?);
    let archive_path: Option<String> = get(row, 30)?;
    let archived_at: Option<i64> = get(row, 31)?;
    let archive_images: bool = get(row, 32)?;
    Ok(Build {
        id: BuildId(get(row, 0)?),
        project: ProjectId(get(row, 1)?),
        project_name: name(get(row, 2)?)?,
        revision: RevisionNumber(count(row, 3)?),
        owner: name(get(row, 4)?)?,
        client: get(row, 5)?,
        host: get(row, 6)?,
        build_dir: PathBuf::from(get::<String>(row, 7)?),
        log_path: log_written
            .then(|| get::<String>(row, 8).map(PathBuf::from))
            .transpose()?,
        machine: get(row, 9)?,
        distro: get(row, 10)?,
        targets: targets
            .iter()
            .flat_map(|t| t.split(' '))
            .map(Target::parse)
            .collect::<Result<_, _>>()
            .map_err(corrupt("target"))?,
        layers: Vec::new(),
        state: BuildState::parse(&state).map_err(corrupt("build state"))?,
        hidden: get(row, 12)?,
        started_at: Timestamp(get(row, 13)?),
        ended_at: get::<Option<i64>>(row, 14)?.map(Timestamp),
        heartbeat_at: Timestamp(get(row, 15)?),
        progress: Progress {
            recipes_parsed: count(row, 16)?,
            recipes_total: count(row, 17)?,
            tasks_done: count(row, 18)?,
            tasks_total: count(row, 19)?,
        },
        errors: count(row, 20)?,
        warnings: count(row, 21)?,
        requested: get(row, 24)?,
        run_on: get(row, 25)?,
        claim: claimed_by
            .map(|runner| {
                Ok::<_, StoreError>(Claim {
                    runner: RunnerId::parse(&runner).map_err(corrupt("runner id"))?,
                    claimed_at: Timestamp(claimed_at.unwrap_or_default()),
                    lease_until: Timestamp(lease_until.unwrap_or_default()),
                })
            })
            .transpose()?,
        cancel_requested_at: get::<Option<i64>>(row, 29)?.map(Timestamp),
        archive: archive_path.map(|path| BuildArchive {
            path: PathBuf::from(path),
            at: Timestamp(archived_at.unwrap_or_default()),
            images: archive_images,
        }),
        origin: get(row, 33)?,
    })
}

pub(super) const TASK_COLUMNS: &str = "recipe, name, position, outcome, started_at, ended_at, \
     cpu_ms, read_bytes, write_bytes, log_file, sstate_result, executed, script_type";

pub(super) fn task(row: &Row) -> Result<Task, StoreError> {
    let outcome: Option<String> = get(row, 3)?;
    let (started_at, ended_at): (Option<i64>, Option<i64>) = (get(row, 4)?, get(row, 5)?);
    let unsigned = |index| -> Result<Option<u64>, StoreError> {
        Ok(get::<Option<i64>>(row, index)?.map(|v| u64::try_from(v).unwrap_or(0)))
    };
    let sstate: Option<String> = get(row, 10)?;
    let script: Option<String> = get(row, 12)?;
    Ok(Task {
        record: TaskRecord {
            recipe: get(row, 0)?,
            task: get(row, 1)?,
            order: count_opt(row, 2)?,
            outcome: outcome
                .map(|o| TaskOutcome::parse(&o))
                .transpose()
                .map_err(corrupt("task outcome"))?,
            started_at: started_at.map(Timestamp),
            ended_at: ended_at.map(Timestamp),
            cpu_ms: unsigned(6)?,
            read_bytes: unsigned(7)?,
            write_bytes: unsigned(8)?,
            log_file: get(row, 9)?,
            sstate: sstate
                .map(|s| SstateResult::parse(&s))
                .transpose()
                .map_err(corrupt("task shared-state result"))?,
            executed: get(row, 11)?,
            script: script
                .map(|s| ScriptType::parse(&s))
                .transpose()
                .map_err(corrupt("task script type"))?,
        },
        elapsed_ms: started_at.zip(ended_at).map(|(s, e)| e - s),
    })
}
