//! Delivering post-build hooks from the outbox: claim a due delivery, make one attempt with
//! the hook's transport, record it, and schedule the retry. Whichever process serves hooks
//! (a runner, `toaster hook deliver`, the recorder of a build run by hand) runs this.

use std::time::{Duration, Instant};

use super::Actor;
use super::delivery_content::{BuildReport, after};
use crate::Error;
use crate::hooks::{email, script, webhook};
use crate::model::{
    Attempt, AttemptResult, BuildId, Delivery, DeliveryClaim, HookAction, NextAttempt, Setting,
    Timestamp,
};
use crate::store::StoreError;

/// How long a deliverer sleeps at most between looks at the outbox when it follows it.
const POLL: Duration = Duration::from_secs(1);

/// How a delivery is retried and how long its attempts may take, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPolicy {
    /// Attempts before a delivery is given up.
    pub attempts: u32,
    /// The wait before the first retry; each later one waits twice as long.
    pub retry_after: Duration,
    /// How long a script may run.
    pub script_timeout: Duration,
    /// How long a webhook or SMTP server has to answer.
    pub network_timeout: Duration,
}

impl DeliveryPolicy {
    /// What comes after attempt number `made` failed at `now`.
    pub fn next(&self, made: usize, now: Timestamp) -> NextAttempt {
        if made >= self.attempts as usize {
            return NextAttempt::None;
        }
        let doubling = 1u32 << (made.saturating_sub(1).min(20));
        NextAttempt::At(after(now, (self.retry_after * doubling).as_millis()))
    }

    /// How long a claim holds: longer than any attempt takes.
    fn hold(&self) -> Duration {
        self.script_timeout.max(self.network_timeout) + Duration::from_secs(10)
    }
}

/// What one attempt at a delivery came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The delivery after the attempt (its newest attempt is this one).
    pub delivery: Delivery,
    /// False when another deliverer took the delivery over meanwhile and this attempt's
    /// record was refused.
    pub recorded: bool,
}

/// When a deliverer stops.
#[derive(Clone, Copy)]
pub enum DeliverUntil<'a> {
    /// After one attempt at each delivery due now (`toaster hook deliver`).
    NothingDue,
    /// When no delivery it can make is pending any more, waiting for retries that are due
    /// later (the deliverer of a build run by hand).
    Settled,
    /// When `stop` says so, following the outbox (`hook deliver --follow`, runners).
    Stopped(&'a (dyn Fn() -> bool + Sync)),
}

/// One process delivering hooks as an owner: the deliveries of projects it may build, and
/// script hooks only of builds that ran on its host.
pub struct Deliverer<'a> {
    actor: &'a Actor,
    by: String,
    host: String,
    build: Option<BuildId>,
}

impl Actor {
    /// A deliverer on `host` acting as this owner, for `build`'s deliveries only if given.
    pub fn deliverer(&self, host: &str, build: Option<BuildId>) -> Result<Deliverer<'_>, Error> {
        let by = crate::model::RunnerId::generate(host)?.to_string();
        Ok(Deliverer {
            actor: self,
            by,
            host: host.to_owned(),
            build,
        })
    }

    /// The retry policy and time limits in effect.
    pub fn delivery_policy(&self) -> Result<DeliveryPolicy, Error> {
        let number = |setting: Setting| -> Result<u64, Error> {
            let value = self.setting(setting)?;
            Ok(value
                .effective()
                .and_then(|v| v.parse().ok())
                .unwrap_or_default())
        };
        Ok(DeliveryPolicy {
            attempts: u32::try_from(number(Setting::HookAttempts)?)
                .unwrap_or(1)
                .max(1),
            retry_after: Duration::from_secs(number(Setting::HookRetryAfter)?),
            script_timeout: Duration::from_secs(number(Setting::HookScriptTimeout)?.max(1)),
            network_timeout: Duration::from_secs(number(Setting::HookNetworkTimeout)?.max(1)),
        })
    }
}

impl Deliverer<'_> {
    /// This deliverer's id, as its attempts record it.
    pub fn id(&self) -> &str {
        &self.by
    }

    /// Makes one attempt at each delivery due now that this deliverer may make, telling
    /// `tell` about each; returns how many attempts it made.
    pub fn deliver_due(&self, tell: &mut dyn FnMut(&DeliveryReport)) -> Result<usize, Error> {
        let policy = self.actor.delivery_policy()?;
        let mut made = 0;
        while let Some(delivery) = self.actor.store().claim_delivery(&DeliveryClaim {
            by: self.by.clone(),
            host: self.host.clone(),
            owner: self.actor.owner().id,
            build: self.build,
            now: Timestamp::now(),
            hold: policy.hold(),
        })? {
            let report = self.attempt(&delivery, &policy)?;
            made += 1;
            tell(&report);
        }
        Ok(made)
    }

    /// Delivers until `until`; returns how many attempts it made.
    pub fn run(
        &self,
        until: DeliverUntil<'_>,
        tell: &mut dyn FnMut(&DeliveryReport),
    ) -> Result<usize, Error> {
        let mut made = 0;
        loop {
            let now_made = self.deliver_due(tell)?;
            made += now_made;
            let next = self.actor.store().next_delivery_due(self.build)?;
            let wait = match until {
                DeliverUntil::NothingDue => return Ok(made),
                DeliverUntil::Settled => match next {
                    None => return Ok(made),
                    // Due now, yet nothing was claimed: only another deliverer may make it.
                    Some(due) if due <= Timestamp::now() && now_made == 0 => return Ok(made),
                    Some(due) => until_due(due).min(POLL),
                },
                DeliverUntil::Stopped(stop) => {
                    if stop() {
                        return Ok(made);
                    }
                    next.map_or(POLL, |due| until_due(due).min(POLL))
                }
            };
            std::thread::sleep(wait.max(Duration::from_millis(50)));
        }
    }

    fn attempt(
        &self,
        delivery: &Delivery,
        policy: &DeliveryPolicy,
    ) -> Result<DeliveryReport, Error> {
        let started_at = Timestamp::now();
        let clock = Instant::now();
        let result = match BuildReport::read(self.actor, delivery.build, &delivery.hook) {
            Ok(report) => self.send(&delivery.hook.action, &report, policy),
            Err(e) => AttemptResult::failed(format!("cannot read build {}: {e}", delivery.build)),
        };
        let attempt = Attempt {
            number: 0,
            started_at,
            duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
            result,
            by: self.by.clone(),
        };
        let next = policy.next(delivery.attempts.len() + 1, Timestamp::now());
        match self
            .actor
            .store()
            .record_attempt(delivery.id, &attempt, next)
        {
            Ok(delivery) => Ok(DeliveryReport {
                delivery,
                recorded: true,
            }),
            Err(StoreError::DeliveryLost { .. }) => {
                let mut delivery = delivery.clone();
                delivery.attempts.push(attempt);
                Ok(DeliveryReport {
                    delivery,
                    recorded: false,
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    fn send(
        &self,
        action: &HookAction,
        report: &BuildReport,
        policy: &DeliveryPolicy,
    ) -> AttemptResult {
        match action {
            HookAction::Email { to } => match smtp_server(self.actor, policy) {
                Ok(server) => email::send(
                    &server,
                    &email::Mail {
                        to: to.clone(),
                        subject: report.subject(),
                        body: report.body(),
                    },
                ),
                Err(failed) => failed,
            },
            HookAction::Webhook { url, secret_env } => {
                let secret = match secret_env {
                    None => None,
                    Some(name) => match std::env::var(name) {
                        Ok(secret) if !secret.is_empty() => Some(secret),
                        _ => {
                            return AttemptResult::failed(format!(
                                "the signing secret is not set: set {name} in the environment of the process delivering hooks"
                            ));
                        }
                    },
                };
                let body = report.json();
                webhook::post(&webhook::WebhookPost {
                    url,
                    body: &body,
                    secret: secret.as_deref().map(str::as_bytes),
                    timeout: policy.network_timeout,
                })
            }
            HookAction::Run { argv } => {
                let artifacts = match report.write_artifacts() {
                    Ok(path) => path,
                    Err(e) => {
                        return AttemptResult::failed(format!(
                            "cannot write the artifact list into {}: {e}",
                            report.build_dir().display()
                        ));
                    }
                };
                script::run(&script::ScriptRun {
                    argv,
                    dir: &report.build_dir(),
                    env: &report.script_env(&artifacts),
                    time_limit: policy.script_timeout,
                })
            }
        }
    }
}

fn until_due(due: Timestamp) -> Duration {
    Duration::from_millis(u64::try_from(due.0 - Timestamp::now().0).unwrap_or(0))
}

/// The SMTP server from the settings, with its password read now from the variable or file
/// named; a failed attempt saying what to set when that cannot be done.
fn smtp_server(actor: &Actor, policy: &DeliveryPolicy) -> Result<email::SmtpServer, AttemptResult> {
    let get = |setting: Setting| {
        actor
            .setting(setting)
            .map(|v| v.effective().map(str::to_owned))
            .map_err(|e| AttemptResult::failed(format!("cannot read setting {setting}: {e}")))
    };
    let Some(host) = get(Setting::SmtpHost)? else {
        return Err(AttemptResult::failed(
            "no SMTP server is set: an admin sets one with `toaster settings set smtp.host HOST`",
        ));
    };
    let security = match get(Setting::SmtpSecurity)?.as_deref() {
        Some("tls") => email::SmtpSecurity::Tls,
        Some("plain") => email::SmtpSecurity::Plain,
        _ => email::SmtpSecurity::StartTls,
    };
    let port = match get(Setting::SmtpPort)?.and_then(|p| p.parse().ok()) {
        Some(port) => port,
        None => match security {
            email::SmtpSecurity::StartTls => 587,
            email::SmtpSecurity::Tls => 465,
            email::SmtpSecurity::Plain => 25,
        },
    };
    let login = match get(Setting::SmtpUser)? {
        None => None,
        Some(user) => Some((
            user,
            smtp_password(
                &get(Setting::SmtpPasswordEnv)?,
                &get(Setting::SmtpPasswordFile)?,
            )?,
        )),
    };
    let from = match get(Setting::SmtpFrom)? {
        Some(from) => from,
        None => format!("toaster@{}", crate::runner::host_name()),
    };
    Ok(email::SmtpServer {
        host,
        port,
        security,
        login,
        from,
        timeout: policy.network_timeout,
    })
}

fn smtp_password(env: &Option<String>, file: &Option<String>) -> Result<String, AttemptResult> {
    if let Some(name) = env {
        return match std::env::var(name) {
            Ok(password) => Ok(password),
            Err(_) => Err(AttemptResult::failed(format!(
                "the SMTP password is not set: set {name} in the environment of the process delivering hooks"
            ))),
        };
    }
    if let Some(path) = file {
        return match std::fs::read_to_string(path) {
            Ok(text) => Ok(text.lines().next().unwrap_or_default().to_owned()),
            Err(e) => Err(AttemptResult::failed(format!(
                "cannot read the SMTP password from {path}: {e}"
            ))),
        };
    }
    Err(AttemptResult::failed(
        "smtp.user is set but no password is: an admin sets smtp.password-env or smtp.password-file",
    ))
}
