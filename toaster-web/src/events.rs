//! Live progress of a build as server-sent events (`event: progress`, JSON data). One
//! poller per watched build reads it once a second and shares what it read with every
//! watcher of that build; the stream ends when the build ends, after [`MAX_STREAM`] (the
//! browser reconnects), or when the client goes. At most [`ServeOptions::max_event_streams`]
//! streams are open at once; past that, 503.
//!
//! [`ServeOptions::max_event_streams`]: crate::ServeOptions::max_event_streams

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use toaster_core::Actor;
use toaster_core::model::BuildId;
use toaster_core::views::BuildView;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;

use crate::api::{build_id, path};
use crate::auth::Caller;
use crate::error::{ApiError, Lookup, blocking};
use crate::server::App;

/// The most event streams open at once unless told otherwise.
pub const MAX_EVENT_STREAMS: usize = 2048;

/// How long one stream lasts at most.
const MAX_STREAM: Duration = Duration::from_secs(3600);

/// How often a watched build is read.
const POLL: Duration = Duration::from_secs(1);

/// What a progress event says.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct ProgressEvent {
    pub state: &'static str,
    pub ended: bool,
    pub recipes_parsed: u32,
    pub recipes_total: u32,
    pub tasks_done: u32,
    pub tasks_total: u32,
    pub errors: u32,
    pub warnings: u32,
    pub duration_ms: i64,
}

impl ProgressEvent {
    pub(crate) fn of(view: &BuildView, ended: bool) -> ProgressEvent {
        ProgressEvent {
            state: view.state,
            ended,
            recipes_parsed: view.progress.recipes_parsed,
            recipes_total: view.progress.recipes_total,
            tasks_done: view.progress.tasks_done,
            tasks_total: view.progress.tasks_total,
            errors: view.errors,
            warnings: view.warnings,
            duration_ms: view.duration_ms,
        }
    }
}

type Latest = watch::Sender<Option<String>>;

/// The builds being watched, and the streams open.
pub(crate) struct Watchers {
    builds: Mutex<HashMap<i64, Arc<Latest>>>,
    open: Arc<Semaphore>,
    max: usize,
}

impl Watchers {
    /// Watchers of at most `max` streams at once.
    pub(crate) fn new(max: usize) -> Watchers {
        Watchers {
            builds: Mutex::new(HashMap::new()),
            open: Arc::new(Semaphore::new(max)),
            max,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<Latest>>> {
        // One insert or remove at a time: a panic leaves the map whole.
        self.builds.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A receiver of build `id`'s progress, starting its poller (reading as `actor`, who
    /// may read it) when nobody watches it yet.
    fn subscribe(self: &Arc<Self>, actor: Actor, id: BuildId) -> watch::Receiver<Option<String>> {
        let mut builds = self.lock();
        if let Some(latest) = builds.get(&id.0) {
            return latest.subscribe();
        }
        let (latest, rx) = watch::channel(None);
        let latest = Arc::new(latest);
        builds.insert(id.0, latest.clone());
        tokio::spawn(poll(self.clone(), latest, actor, id));
        rx
    }
}

async fn poll(watchers: Arc<Watchers>, latest: Arc<Latest>, actor: Actor, id: BuildId) {
    loop {
        let reader = actor.clone();
        let read = blocking(move || {
            reader
                .build(id)
                .map(|detail| {
                    let ended = detail.build.state.is_final();
                    ProgressEvent::of(&BuildView::from(&detail), ended)
                })
                .map_err(|e| ApiError::from_core(e, &Lookup::Build(id.0)))
        })
        .await;
        let ended = match read {
            Ok(event) => {
                let ended = event.ended;
                if let Ok(json) = serde_json::to_string(&event) {
                    latest.send_if_modified(|old| {
                        let new = Some(json);
                        let changed = *old != new;
                        *old = new;
                        changed
                    });
                }
                ended
            }
            Err(_) => true,
        };
        {
            let mut builds = watchers.lock();
            if ended || latest.receiver_count() == 0 {
                builds.remove(&id.0);
                return;
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

struct Watching {
    rx: watch::Receiver<Option<String>>,
    until: Instant,
    first: bool,
    _permit: OwnedSemaphorePermit,
}

async fn next(mut w: Watching) -> Option<(Result<Event, Infallible>, Watching)> {
    if !w.first {
        tokio::select! {
            changed = w.rx.changed() => changed.ok()?,
            () = tokio::time::sleep_until(w.until) => return None,
        }
    } else {
        w.first = false;
        // Wait for the poller's first read.
        while w.rx.borrow().is_none() {
            tokio::select! {
                changed = w.rx.changed() => changed.ok()?,
                () = tokio::time::sleep_until(w.until) => return None,
            }
        }
    }
    let data = w.rx.borrow_and_update().clone()?;
    Some((Ok(Event::default().event("progress").data(data)), w))
}

pub(crate) async fn stream(
    State(app): State<App>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = build_id(&path(id)?)?;
    let Ok(permit) = app.watchers.open.clone().try_acquire_owned() else {
        return Err(ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            format!(
                "{} event streams are open already; reload the page later",
                app.watchers.max
            ),
        ));
    };
    let actor = caller.actor;
    {
        // The watcher must be able to read the build itself.
        let actor = actor.clone();
        blocking(move || {
            actor
                .build(id)
                .map(|_| ())
                .map_err(|e| ApiError::from_core(e, &Lookup::Build(id.0)))
        })
        .await?;
    }
    let rx = app.watchers.subscribe(actor, id);
    let watching = Watching {
        rx,
        until: Instant::now() + MAX_STREAM,
        first: true,
        _permit: permit,
    };
    let events = futures_util::stream::unfold(watching, next);
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
