//! The connections of `serve`: accepted one by one and served over HTTP/1.1 with a deadline
//! for each request's head, then ended gracefully when the server stops.
//!
//! `axum::serve` has no deadline for request heads: a client that opens connections and
//! sends its headers a byte at a time (or never) would hold each one open for ever. So the
//! connections are served here, through hyper, with its header read timeout.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch as signal;
use tokio::task::JoinSet;

/// How long a client may take to send a request's line and headers, the first one or the
/// next on a kept-alive connection, before the connection is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `stopping` turns true; then stops accepting (the port is
/// closed at once), lets each connection finish the response it is sending, and returns when
/// every connection has ended.
pub(super) async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    mut stopping: signal::Receiver<bool>,
) -> std::io::Result<()> {
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            // The `Ref` the wait returns is dropped here: it must not be held across an await.
            _ = stopping.wait_for(|s| *s) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // A connection reset before it was accepted is that client's problem; out of
                // file descriptors, a pause lets some connections end.
                if !is_connection_error(&e) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                continue;
            }
        };
        while connections.try_join_next().is_some() {}
        let service = TowerToHyperService::new(app.clone());
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                // A client that went away, or a head that came too late: nothing to tell.
                _ = connection.as_mut() => return,
                _ = stopping.wait_for(|s| *s) => {}
            }
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        });
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    Ok(())
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}
