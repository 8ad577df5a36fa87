//! Asking URLs: `HEAD`, then `GET` when `HEAD` does not succeed (many servers refuse or
//! mishandle `HEAD`), following redirects, through one `ureq` agent. `ureq` is a small,
//! blocking, well-kept client (rustls for TLS, no async runtime of its own), which suits a
//! bounded pool of threads better than bringing a second async stack beside the server's.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How an external check runs.
#[derive(Debug, Clone, Copy)]
pub struct ExternalOptions {
    /// Requests under way at once (at least 1).
    pub concurrency: usize,
    /// The longest one request (with its redirects) may take.
    pub timeout: Duration,
    /// The longest the whole check may take; URLs not asked by then are not checked.
    pub deadline: Duration,
    /// How many days a cached success stands before the URL is asked again.
    pub max_age_days: u32,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(120),
            max_age_days: 7,
        }
    }
}

/// What asking one URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A success (status below 400), after redirects.
    Ok(u16),
    /// A status of 400 or more, after redirects and the `GET` retry.
    Status(u16),
    /// No answer: a timeout, a refused connection, a TLS or DNS failure, too many redirects.
    Failed(String),
    /// Not asked: the check's deadline had passed.
    NotChecked,
}

/// Asks every URL with at most `options.concurrency` requests at once; the outcomes in the
/// order of `urls`.
pub fn ask_all(urls: &[&str], options: &ExternalOptions) -> Vec<Outcome> {
    let deadline = Instant::now() + options.deadline;
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Outcome>> = Mutex::new(vec![Outcome::NotChecked; urls.len()]);
    let workers = options.concurrency.max(1).min(urls.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else {
                        break;
                    };
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        continue;
                    }
                    let outcome = ask(url, options.timeout.min(left));
                    if let Ok(mut all) = outcomes.lock() {
                        all[i] = outcome;
                    }
                }
            });
        }
    });
    outcomes.into_inner().unwrap_or_default()
}

/// Asks one URL, `HEAD` then `GET`, each within `timeout`.
fn ask(url: &str, timeout: Duration) -> Outcome {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("evident-link-check/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent: ureq::Agent = config.into();
    let head = agent.head(url).call();
    if let Ok(response) = &head
        && response.status().as_u16() < 400
    {
        return Outcome::Ok(response.status().as_u16());
    }
    match agent.get(url).call() {
        Ok(response) => {
            let status = response.status().as_u16();
            if status < 400 {
                Outcome::Ok(status)
            } else {
                Outcome::Status(status)
            }
        }
        Err(error) => Outcome::Failed(describe(&error)),
    }
}

/// An error in words, for the warning.
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::TooManyRedirects => "too many redirects".to_string(),
        other => other.to_string(),
    }
}
