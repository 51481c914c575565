//! The server: its options, its routes, and running it (blocking until stopped, or in the
//! background for tests and embedding).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request};
use axum::http::HeaderMap;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use toaster_core::Toaster;
use tokio::sync::oneshot;

use crate::auth::Sessions;
use crate::error::{ApiError, Lookup, WebError};
use crate::events::{MAX_EVENT_STREAMS, Watchers};
use crate::signin::SignInLimiter;
use crate::tls::{self, PeerAddr, TlsFiles, TlsListener};
use crate::{api, download, events, pages, security};

/// How `toaster serve` serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The address to listen on (`127.0.0.1:8000` by default).
    pub listen: SocketAddr,
    /// Serve TLS with this certificate and key.
    pub tls: Option<TlsFiles>,
    /// The most server-sent event streams open at once ([`MAX_EVENT_STREAMS`] by default);
    /// past it, 503.
    pub max_event_streams: usize,
    /// TLS ends at a reverse proxy in front: cookies are marked `Secure`, and the client
    /// address is the last one the proxy adds to `X-Forwarded-For`.
    pub behind_proxy: bool,
}

impl ServeOptions {
    /// Plain HTTP on `listen`, nothing in front, the default limits.
    pub fn new(listen: SocketAddr) -> ServeOptions {
        ServeOptions {
            listen,
            tls: None,
            behind_proxy: false,
            max_event_streams: MAX_EVENT_STREAMS,
        }
    }

    /// Whether tokens and cookies would cross a network in the clear: listening beyond
    /// this host with no TLS in front.
    pub fn exposed_without_tls(&self) -> bool {
        !self.listen.ip().is_loopback() && !self.behind_proxy && self.tls.is_none()
    }

    /// Whether browsers reach the server over TLS (its own, or a proxy's).
    fn over_tls(&self) -> bool {
        self.behind_proxy || self.tls.is_some()
    }
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct App {
    pub toaster: Toaster,
    pub sessions: Arc<Sessions>,
    pub limiter: Arc<SignInLimiter>,
    pub watchers: Arc<Watchers>,
    pub behind_proxy: bool,
    /// Cookies are marked `Secure`.
    pub secure_cookies: bool,
}

impl App {
    /// The address a request came from: the peer's, or behind a proxy the last one the
    /// proxy added to `X-Forwarded-For`.
    pub(crate) fn client_ip(&self, PeerAddr(peer): PeerAddr, headers: &HeaderMap) -> IpAddr {
        if self.behind_proxy {
            let forwarded = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(addr) = forwarded {
                return addr;
            }
        }
        peer.ip()
    }
}

fn router(app: App) -> Router {
    Router::new()
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/projects", get(api::projects))
        .route("/api/v1/projects/{name}", get(api::project))
        .route("/api/v1/projects/{name}/builds", post(api::start_build))
        .route("/api/v1/builds", get(api::builds))
        .route("/api/v1/builds/{id}", get(api::build))
        .route("/api/v1/builds/{id}/tasks", get(api::tasks))
        .route("/api/v1/builds/{id}/log", get(api::log))
        .route("/api/v1/builds/{id}/artifacts", get(api::artifacts))
        .route(
            "/api/v1/builds/{id}/artifacts/{name}/download",
            get(download::download),
        )
        .route("/api/v1/builds/{id}/cancel", post(api::cancel))
        .route("/api/v1/builds/{id}/events", get(events::stream))
        .route("/", get(pages::home))
        .route("/signin", get(pages::signin_form).post(pages::signin))
        .route("/signout", post(pages::signout))
        .route("/builds", get(pages::builds))
        .route("/builds/{id}", get(pages::build))
        .route("/builds/{id}/cancel", post(pages::cancel))
        .route("/projects/{name}", get(pages::project))
        .route("/projects/{name}/build", post(pages::start))
        .route("/static/site.css", get(pages::css))
        .route("/static/live.js", get(pages::js))
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(security::MAX_BODY))
        .layer(middleware::from_fn(security::guard))
        .with_state(app)
}

async fn fallback(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        ApiError::not_found(&Lookup::Nothing).into_response()
    } else {
        pages::not_found()
    }
}

/// A server running in the background; dropping it stops it.
pub struct RunningServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<Result<(), WebError>>>,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, WebError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| WebError::Runtime { source })
}

fn app(toaster: Toaster, options: &ServeOptions) -> App {
    App {
        toaster,
        sessions: Arc::new(Sessions::default()),
        limiter: Arc::new(SignInLimiter::default()),
        watchers: Arc::new(Watchers::new(options.max_event_streams)),
        behind_proxy: options.behind_proxy,
        secure_cookies: options.over_tls(),
    }
}

/// The listener of `options`: plain TCP, or TLS over it.
enum Bound {
    Plain(tokio::net::TcpListener),
    Tls(TlsListener),
}

impl Bound {
    fn local_addr(&self, wanted: SocketAddr) -> Result<SocketAddr, WebError> {
        match self {
            Bound::Plain(l) => l.local_addr(),
            Bound::Tls(l) => axum::serve::Listener::local_addr(l),
        }
        .map_err(|source| WebError::Listen {
            addr: wanted,
            source,
        })
    }
}

async fn listen(options: &ServeOptions) -> Result<Bound, WebError> {
    let tcp = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|source| WebError::Listen {
            addr: options.listen,
            source,
        })?;
    Ok(match &options.tls {
        None => Bound::Plain(tcp),
        Some(files) => Bound::Tls(TlsListener::new(tcp, tls::acceptor(files)?)),
    })
}

async fn run(
    listener: Bound,
    app: App,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), WebError> {
    let service = router(app).into_make_service_with_connect_info::<PeerAddr>();
    let served = async move {
        match listener {
            Bound::Plain(l) => axum::serve(l, service).await,
            Bound::Tls(l) => axum::serve(l, service).await,
        }
    };
    tokio::select! {
        served = served => served.map_err(|source| WebError::Runtime { source }),
        () = stop => Ok(()),
    }
}

/// Starts serving in a background thread; the server stops when the handle is dropped.
pub fn start(toaster: Toaster, options: ServeOptions) -> Result<RunningServer, WebError> {
    let runtime = runtime()?;
    let listener = runtime.block_on(listen(&options))?;
    let addr = listener.local_addr(options.listen)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let app = app(toaster, &options);
    let thread = std::thread::spawn(move || {
        let result = runtime.block_on(run(listener, app, async {
            let _ = stopped.await;
        }));
        // Event streams never end on their own; do not wait for them.
        runtime.shutdown_timeout(Duration::from_millis(100));
        result
    });
    Ok(RunningServer {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Serves until Ctrl-C or SIGTERM; `ready` hears the address once it listens.
pub fn serve(
    toaster: Toaster,
    options: ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), WebError> {
    let runtime = runtime()?;
    let listener = runtime.block_on(listen(&options))?;
    let addr = listener.local_addr(options.listen)?;
    ready(addr);
    let app = app(toaster, &options);
    let result = runtime.block_on(run(listener, app, stop_signal()));
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}

async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// The client address of a request, for handlers that take [`ConnectInfo`].
pub(crate) type Peer = ConnectInfo<PeerAddr>;
