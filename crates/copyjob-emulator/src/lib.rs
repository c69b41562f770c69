//! An offline emulator of the Microsoft Fabric **Copy job** REST API.
//!
//! It speaks the Copy job API the way the service does — same routes, status codes, headers,
//! error bodies, long-running operations, paging, throttling and job lifecycle — with in-memory
//! state, and checks every definition it receives with the [`copyjob`] core crate.
//!
//! Embed it in a test or a program:
//!
//! ```no_run
//! # async fn demo() -> Result<(), copyjob_emulator::Error> {
//! use copyjob_emulator::{Config, Emulator};
//! let server = Emulator::new(Config::default()).bind(([127, 0, 0, 1], 0).into()).await?;
//! println!("{}", server.url()); // http://127.0.0.1:PORT
//! let running = server.spawn();
//! // ... call running.url() ...
//! running.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! or mount [`Emulator::router`] into an axum application of your own.

mod auth;
mod clock;
mod config;
mod error;
mod folders;
mod guardrails;
mod http;
mod options;
mod paging;
mod routes;
mod state;
mod timefmt;

pub use auth::{AuthOptions, ClientConfig, ClientProof, FABRIC_SCOPE, MAX_TOKEN_LIFETIME};
pub use clock::{Clock, ManualClock};
pub use config::{Config, LroMode, ValidationHook, WorkspaceConfig, DEFAULT_WORKSPACE_ID};
pub use error::{ApiError, ApiErrorData, Error};
pub use options::Options;
pub use state::DEFAULT_CONTENT;
pub use timefmt::service_timestamp;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use copyjob::Checker;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use guardrails::BODY_LIMIT;

/// An emulator, configured; [`Emulator::bind`] it to serve.
#[derive(Debug, Clone)]
pub struct Emulator {
    config: Config,
    checker: Arc<Checker>,
}

impl Emulator {
    /// An emulator with its own [`Checker`] (compiling the schemas takes a moment). Every check
    /// runs with [`copyjob::Config::service`]: the codes the service itself rejects are errors,
    /// the others (mistakes that fail at run time or are merely suspicious) are off.
    pub fn new(config: Config) -> Self {
        Self::with_checker(config, Arc::new(Checker::new()))
    }

    /// An emulator sharing a [`Checker`] the caller already built (its schemas compiled once); the
    /// configuration is the service's, as with [`Emulator::new`].
    pub fn with_checker(config: Config, checker: Arc<Checker>) -> Self {
        Emulator { config, checker }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The whole application: `/v1` API, and the static folder (if configured) at `/`.
    /// State lives in the router: each call makes a fresh, empty service.
    pub fn router(&self) -> Router {
        let app = Arc::new(http::App::new(self.config.clone(), self.checker.clone()));
        let api = routes::router()
            .layer(axum::middleware::from_fn_with_state(app.clone(), http::guard))
            .layer(DefaultBodyLimit::max(BODY_LIMIT))
            .layer(axum::middleware::from_fn(guardrails::limit_body));
        let router = Router::new().nest("/v1", api).merge(auth::router());
        let router = match &self.config.www {
            Some(dir) => router.fallback_service(tower_http::services::ServeDir::new(dir)),
            None => router.fallback(|| async { ApiError::endpoint_not_found() }),
        };
        router.layer(axum::middleware::from_fn_with_state(app.clone(), http::common)).with_state(app)
    }

    /// Checks the configuration and binds the listening socket (port 0: any free port).
    pub async fn bind(self, addr: SocketAddr) -> Result<Server, Error> {
        self.config.validate()?;
        let listener = TcpListener::bind(addr).await.map_err(|source| Error::Bind { addr, source })?;
        let local_addr = listener.local_addr().map_err(|source| Error::Bind { addr, source })?;
        Ok(Server { listener, local_addr, router: self.router() })
    }
}

/// A bound emulator, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: Router,
}

impl Server {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://ADDR:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), Error> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown).await.map_err(Error::Serve)
    }

    /// Serves until SIGINT (Ctrl-C) or SIGTERM.
    pub async fn run(self) -> Result<(), Error> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves on a Tokio task; stop it with [`RunningServer::shutdown`].
    pub fn spawn(self) -> RunningServer {
        let (tx, rx) = oneshot::channel::<()>();
        let local_addr = self.local_addr;
        let task = tokio::spawn(self.run_until(async {
            // Sent by `shutdown`, or the sender dropped with the handle: either way, stop.
            let _ = rx.await;
        }));
        RunningServer { local_addr, stop: Some(tx), task }
    }
}

/// An emulator serving on a Tokio task. Dropping it stops the server: the task's shutdown
/// signal completes when `stop` is sent or dropped.
#[derive(Debug)]
pub struct RunningServer {
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), Error>>,
}

impl RunningServer {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://ADDR:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// Stops accepting connections, finishes the requests in flight and waits for the task.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(join) => Err(Error::Serve(std::io::Error::other(join))),
        }
    }
}

/// Binds `addr` and serves `config` until SIGINT or SIGTERM.
pub async fn serve(config: Config, addr: SocketAddr) -> Result<(), Error> {
    Emulator::new(config).bind(addr).await?.run().await
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_configuration_keeps_only_service_enforced_rules() {
        let app = http::App::new(Config::default(), Arc::new(Checker::new()));
        for info in copyjob::all_codes() {
            let off = app.rules.level(info.code()) == Some(copyjob::RuleLevel::Off);
            assert_eq!(off, !info.service_rejects, "{}", info.code());
        }
        // A definition the service accepts although it would fail at run time: an upsert
        // without keys.
        let content = br#"{"properties": {"jobMode": "Batch"}, "activities": [{"properties": {"source": {}, "destination": {"writeBehavior": "Upsert", "datasetSettings": {"table": "t"}}}}]}"#;
        let source = copyjob::Source::Document { name: None, kind: None, bytes: content.to_vec() };
        assert!(!app.checker.check(&source, &app.rules).has_errors());
        assert!(Checker::new().check_file("copyjob-content.json", content).has_errors());
    }
}
