//! Artifact downloads: streamed, resumable (`Range: bytes=...`), under the same confinement
//! and checksum rules as `toaster build download` (the facade's [`Actor::open_artifact`]).
//!
//! The file is checked against its recorded size and SHA-256 before the answer starts, so a
//! file changed since the build gets a clear 409. It is read again to send; should it
//! change in between, the last chunk is held back and the answer breaks off short, so the
//! client never takes a changed file for a whole one.
//!
//! [`Actor::open_artifact`]: toaster_core::Actor::open_artifact

use std::io::{ErrorKind, Read};

use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use toaster_core::model::BuildId;
use toaster_core::{Actor, Error};
use tokio::sync::mpsc;

use crate::api::{build_id, path};
use crate::auth::Caller;
use crate::error::{ApiError, Lookup, blocking};

/// How much is read and sent at a time.
const CHUNK: usize = 64 * 1024;

/// Which bytes of a file of `size` bytes a `Range` header asks for, inclusive; `None` for
/// the whole file. A header naming several ranges, or none that fits, is refused with 416.
fn requested_range(headers: &HeaderMap, size: u64) -> Result<Option<(u64, u64)>, ApiError> {
    let Some(value) = headers.get(header::RANGE) else {
        return Ok(None);
    };
    let unsatisfiable = || {
        ApiError::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "range",
            format!("the range asked for is not one range within the file's {size} bytes"),
        )
    };
    let spec = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().strip_prefix("bytes="))
        .filter(|s| !s.contains(','))
        .ok_or_else(unsatisfiable)?;
    let (first, last) = spec.split_once('-').ok_or_else(unsatisfiable)?;
    let number = |s: &str| s.trim().parse::<u64>().map_err(|_| unsatisfiable());
    let (start, end) = match (first.trim(), last.trim()) {
        ("", "") => return Err(unsatisfiable()),
        ("", suffix) => {
            let n = number(suffix)?;
            if n == 0 {
                return Err(unsatisfiable());
            }
            (size.saturating_sub(n), size.saturating_sub(1))
        }
        (start, "") => (number(start)?, size.saturating_sub(1)),
        (start, end) => (number(start)?, number(end)?.min(size.saturating_sub(1))),
    };
    if size == 0 || start > end || start >= size {
        return Err(unsatisfiable());
    }
    Ok(Some((start, end)))
}

fn open_failure(e: Error, lookup: &Lookup) -> ApiError {
    ApiError::from_core(e, lookup)
}

/// Reads the artifact through, checking it, before anything is sent.
fn check_whole(actor: &Actor, id: BuildId, name: &str, lookup: &Lookup) -> Result<u64, ApiError> {
    let (record, mut reader) = actor
        .open_artifact(id, name)
        .map_err(|e| open_failure(e, lookup))?;
    match std::io::copy(&mut reader, &mut std::io::sink()) {
        Ok(_) => Ok(record.size),
        Err(e) if e.kind() == ErrorKind::InvalidData => Err(changed(name, &e)),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(ApiError::not_found(lookup)),
        Err(e) => {
            eprintln!(
                "toaster serve: reading artifact {name} of build {}: {e}",
                id.0
            );
            Err(ApiError::internal())
        }
    }
}

fn changed(name: &str, e: &std::io::Error) -> ApiError {
    ApiError {
        hint: Some(
            "the build's record no longer matches the file; rebuild, or download it with `toaster build download --force` on the build's host".to_owned(),
        ),
        ..ApiError::new(
            StatusCode::CONFLICT,
            "changed",
            format!("artifact `{name}` changed since the build: {e}"),
        )
    }
}

/// Sends bytes `start..=end` of the artifact into `tx`, reading it to its end to check it;
/// the last chunk goes only once the whole file checked out.
fn send_range(
    actor: &Actor,
    id: BuildId,
    name: &str,
    (start, end): (u64, u64),
    tx: &mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let Ok((_, mut reader)) = actor.open_artifact(id, name) else {
        let _ = tx.blocking_send(Err(std::io::Error::other("the artifact is gone")));
        return;
    };
    let mut offset = 0u64;
    let mut held: Option<Bytes> = None;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        };
        let (from, to) = (offset, offset + n as u64);
        offset = to;
        let wanted_from = start.max(from);
        let wanted_to = (end + 1).min(to);
        if wanted_from < wanted_to {
            let part = Bytes::copy_from_slice(
                &buf[(wanted_from - from) as usize..(wanted_to - from) as usize],
            );
            if let Some(previous) = held.replace(part) {
                if tx.blocking_send(Ok(previous)).is_err() {
                    return; // The client went away.
                }
            }
        }
    }
    if let Some(last) = held {
        let _ = tx.blocking_send(Ok(last));
    }
}

fn disposition(name: &str) -> HeaderValue {
    let base = name.rsplit('/').next().unwrap_or(name);
    let safe: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-+".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

pub(crate) async fn download(
    caller: Caller,
    headers: HeaderMap,
    params: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let (id, name) = path(params)?;
    let id = build_id(&id)?;
    let lookup = Lookup::Artifact(id.0, name.clone());
    let actor = caller.actor;
    let size = {
        let (actor, name, lookup) = (actor.clone(), name.clone(), lookup.clone());
        blocking(move || check_whole(&actor, id, &name, &lookup)).await?
    };
    let range = requested_range(&headers, size)?;
    let (start, end) = range.unwrap_or((0, size.saturating_sub(1)));
    let length = if size == 0 { 0 } else { end - start + 1 };
    let (tx, rx) = mpsc::channel(4);
    if length > 0 {
        let name = name.clone();
        tokio::task::spawn_blocking(move || send_range(&actor, id, &name, (start, end), &tx));
    }
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut response = Response::new(Body::from_stream(stream));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition(&name));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{size}")) {
            response.headers_mut().insert(header::CONTENT_RANGE, value);
        }
    }
    Ok(response.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(value: &str, size: u64) -> Result<Option<(u64, u64)>, StatusCode> {
        let mut headers = HeaderMap::new();
        headers.insert(header::RANGE, HeaderValue::from_str(value).unwrap());
        requested_range(&headers, size).map_err(|e| e.status)
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(range("bytes=0-9", 100), Ok(Some((0, 9))));
        assert_eq!(range("bytes=90-", 100), Ok(Some((90, 99))));
        assert_eq!(range("bytes=-10", 100), Ok(Some((90, 99))));
        assert_eq!(range("bytes=-1000", 100), Ok(Some((0, 99))));
        assert_eq!(range("bytes=50-5000", 100), Ok(Some((50, 99))));
        let refused = Err(StatusCode::RANGE_NOT_SATISFIABLE);
        for bad in [
            "bytes=100-",
            "bytes=9-1",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=-0",
            "bytes=-",
            "bytes=a-b",
            "bytes=99999999999999999999999-",
        ] {
            assert_eq!(range(bad, 100), refused, "{bad}");
        }
        assert_eq!(range("bytes=0-0", 0), refused);
    }
}
