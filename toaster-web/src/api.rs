//! The JSON API under `/api/v1`, in the field names of the CLI's `--json`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use toaster_core::model::{BuildId, LogLevel, Target, TaskFilter, TaskOutcome, Visibility};
use toaster_core::views::{ArtifactView, BuildView, ProjectView, TaskView};
use toaster_core::{BuildQuery, BuildRequest, Toaster};

use crate::auth::{Caller, check_csrf};
use crate::error::{ApiError, Lookup, blocking};
use crate::server::App;

/// The most rows one list answers with.
pub(crate) const MAX_LIMIT: u32 = 500;

/// A build id from a path: a positive whole number; one too large to be an id is simply
/// not there.
pub(crate) fn build_id(raw: &str) -> Result<BuildId, ApiError> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(format!(
            "`{}` is not a build id: use a whole number like 42",
            raw.chars().take(40).collect::<String>()
        )));
    }
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Ok(BuildId(id)),
        _ => Err(ApiError::not_found(&Lookup::Build(0)).with_message(format!(
            "there is no build {} you may read",
            raw.chars().take(40).collect::<String>()
        ))),
    }
}

impl ApiError {
    pub(crate) fn with_message(mut self, message: String) -> Self {
        self.message = message;
        self
    }
}

pub(crate) fn path<T>(raw: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
    raw.map(|Path(p)| p)
        .map_err(|e| ApiError::bad_request(format!("the path is not understood: {e}")))
}

pub(crate) fn query<T>(raw: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    raw.map(|Query(q)| q)
        .map_err(|e| ApiError::bad_request(format!("the query string is not understood: {e}")))
}

pub(crate) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ProjectsQuery {
    #[serde(default)]
    mine: bool,
}

pub(crate) async fn projects(
    caller: Caller,
    q: Result<Query<ProjectsQuery>, QueryRejection>,
) -> Result<Json<Vec<ProjectView>>, ApiError> {
    let q = query(q)?;
    blocking(move || {
        let projects = caller
            .actor
            .projects(q.mine)
            .map_err(|e| ApiError::from_core(e, &Lookup::Nothing))?;
        Ok(Json(projects.iter().map(ProjectView::from).collect()))
    })
    .await
}

pub(crate) async fn project(
    caller: Caller,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<ProjectView>, ApiError> {
    let name = path(name)?;
    blocking(move || {
        let project = caller
            .actor
            .project(&name)
            .map_err(|e| ApiError::from_core(e, &Lookup::Project(name.clone())))?;
        Ok(Json(ProjectView::from(&project)))
    })
    .await
}

/// Which builds a list shows.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BuildsQuery {
    /// Only the builds of projects I own.
    #[serde(default)]
    pub mine: bool,
    /// Only this project's.
    pub project: Option<String>,
    /// `visible` (default), `hidden` or `all`.
    pub visibility: Option<String>,
    #[serde(default = "default_limit")]
    pub limit: u32,
    #[serde(default)]
    pub offset: u32,
}

fn default_limit() -> u32 {
    20
}

/// The builds `q` picks, as `actor` may read them.
pub(crate) fn list_builds(
    actor: &toaster_core::Actor,
    q: &BuildsQuery,
) -> Result<Vec<toaster_core::model::Build>, ApiError> {
    if q.limit == 0 || q.limit > MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit must be 1 to {MAX_LIMIT}"
        )));
    }
    let visibility = match q.visibility.as_deref() {
        None | Some("visible") => Visibility::Visible,
        Some("hidden") => Visibility::Hidden,
        Some("all") => Visibility::All,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "visibility `{}` is not one of visible, hidden, all",
                other.chars().take(40).collect::<String>()
            )));
        }
    };
    let query = BuildQuery {
        project: q.project.as_deref(),
        visibility,
        limit: q.limit,
        offset: q.offset,
    };
    let lookup = q.project.clone().map_or(Lookup::Nothing, Lookup::Project);
    if q.mine && q.project.is_none() {
        actor.own_builds(&query)
    } else {
        actor.builds(&query)
    }
    .map_err(|e| ApiError::from_core(e, &lookup))
}

pub(crate) async fn builds(
    caller: Caller,
    q: Result<Query<BuildsQuery>, QueryRejection>,
) -> Result<Json<Vec<BuildView>>, ApiError> {
    let q = query(q)?;
    blocking(move || {
        let builds = list_builds(&caller.actor, &q)?;
        Ok(Json(builds.iter().map(BuildView::from).collect()))
    })
    .await
}

pub(crate) async fn build(
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<BuildView>, ApiError> {
    let id = build_id(&path(id)?)?;
    blocking(move || {
        let detail = caller
            .actor
            .build(id)
            .map_err(|e| ApiError::from_core(e, &Lookup::Build(id.0)))?;
        Ok(Json(BuildView::from(&detail)))
    })
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct TasksQuery {
    outcome: Option<String>,
    recipe: Option<String>,
    #[serde(default = "default_task_limit")]
    limit: u32,
    #[serde(default)]
    offset: u32,
}

fn default_task_limit() -> u32 {
    MAX_LIMIT
}

pub(crate) async fn tasks(
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<TasksQuery>, QueryRejection>,
) -> Result<Json<Vec<TaskView>>, ApiError> {
    let id = build_id(&path(id)?)?;
    let q = query(q)?;
    if q.limit == 0 || q.limit > MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit must be 1 to {MAX_LIMIT}"
        )));
    }
    let outcome = match q.outcome.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(text) => Some(Some(
            TaskOutcome::parse(text).map_err(|e| ApiError::bad_request(e.to_string()))?,
        )),
    };
    blocking(move || {
        let filter = TaskFilter {
            outcome,
            recipe: q.recipe,
            limit: q.limit,
            offset: q.offset,
            ..TaskFilter::default()
        };
        let tasks = caller
            .actor
            .tasks(id, &filter)
            .map_err(|e| ApiError::from_core(e, &Lookup::Build(id.0)))?;
        Ok(Json(tasks.iter().map(TaskView::from).collect()))
    })
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct LogQuery {
    level: Option<String>,
}

pub(crate) async fn log(
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<LogQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let id = build_id(&path(id)?)?;
    let level = match query(q)?.level {
        None => LogLevel::Note,
        Some(text) => LogLevel::parse(&text).map_err(|e| ApiError::bad_request(e.to_string()))?,
    };
    blocking(move || {
        let messages = caller
            .actor
            .log_messages(id, level)
            .map_err(|e| ApiError::from_core(e, &Lookup::Build(id.0)))?;
        Ok(Json(messages).into_response())
    })
    .await
}

pub(crate) async fn artifacts(
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<ArtifactView>>, ApiError> {
    let id = build_id(&path(id)?)?;
    blocking(move || {
        let artifacts = caller
            .actor
            .artifacts(id)
            .map_err(|e| ApiError::from_core(e, &Lookup::Build(id.0)))?;
        Ok(Json(artifacts.iter().map(ArtifactView::from).collect()))
    })
    .await
}

/// The CSRF token a signed-in browser sends with an API call that changes something.
fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-csrf-token").and_then(|v| v.to_str().ok())
}

/// Cancels build `id` as `caller`: a build they may not read is not there.
pub(crate) fn cancel_build(caller: &Caller, id: BuildId) -> Result<BuildView, ApiError> {
    let lookup = Lookup::Build(id.0);
    caller
        .actor
        .build(id)
        .map_err(|e| ApiError::from_core(e, &lookup))?;
    let build = caller
        .actor
        .cancel_build(id)
        .map_err(|e| ApiError::from_core(e, &lookup))?;
    Ok(BuildView::from(&build))
}

pub(crate) async fn cancel(
    caller: Caller,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<BuildView>, ApiError> {
    let id = build_id(&path(id)?)?;
    check_csrf(&caller, csrf_header(&headers))?;
    blocking(move || cancel_build(&caller, id).map(Json)).await
}

/// What a build is started with.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StartBody {
    /// What to build; absent: the project's targets.
    pub targets: Option<Vec<String>>,
}

/// Queues a build of `project` as `caller`: a project they may not read is not there.
pub(crate) fn start(
    caller: &Caller,
    project: &str,
    targets: Option<Vec<String>>,
) -> Result<BuildView, ApiError> {
    let lookup = Lookup::Project(project.to_owned());
    caller
        .actor
        .project(project)
        .map_err(|e| ApiError::from_core(e, &lookup))?;
    let targets = targets
        .map(|all| {
            all.iter()
                .map(|t| Target::parse(t))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let request = BuildRequest {
        targets,
        host: Toaster::host_name(),
        run_on: None,
    };
    let build = caller
        .actor
        .request_build(project, &request)
        .map_err(|e| ApiError::from_core(e, &lookup))?;
    Ok(BuildView::from(&build))
}

pub(crate) async fn start_build(
    State(_app): State<App>,
    caller: Caller,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
    body: Result<Json<StartBody>, JsonRejection>,
) -> Result<(StatusCode, Json<BuildView>), ApiError> {
    let name = path(name)?;
    check_csrf(&caller, csrf_header(&headers))?;
    let body = match body {
        Ok(Json(body)) => body,
        Err(JsonRejection::MissingJsonContentType(_))
            if headers.get(header::CONTENT_LENGTH).is_none_or(|l| l == "0") =>
        {
            StartBody::default()
        }
        Err(e) => {
            return Err(ApiError::new(e.status(), "bad_request", e.body_text()));
        }
    };
    blocking(move || start(&caller, &name, body.targets).map(|b| (StatusCode::CREATED, Json(b))))
        .await
}
