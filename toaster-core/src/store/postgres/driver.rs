//! Mapping the driver's errors onto [`crate::store::StoreError`], by SQLSTATE, so no
//! driver type leaves the backend.

use postgres::error::SqlState;

/// The start of a `Backend` detail for a transaction that lost a race to another one; the
/// store runs such a transaction again.
pub(super) const RACE_LOST: &str = "the transaction lost a race with another";

/// The start of a `Backend` detail for a connection lost in a transaction; the store runs
/// such a transaction again on a new connection (it had not committed).
pub(super) const CONNECTION_LOST: &str = "the connection to the database was lost";

/// What a driver error means to the store.
pub(super) enum Failure {
    /// Serialization failure or deadlock: run the transaction again.
    RaceLost,
    /// The connection was lost (the server restarted or shut down, the network failed).
    ConnectionLost,
    /// A lock stayed held for longer than the lock timeout.
    Busy,
    /// The database or the transaction may not be written.
    ReadOnly,
    /// A UNIQUE constraint (named) refused the row.
    Unique(String),
    /// A row pointed at one that does not exist.
    ForeignKey,
    /// Anything else.
    Other,
}

/// What `e` means.
pub(super) fn classify(e: &postgres::Error) -> Failure {
    if e.is_closed() {
        return Failure::ConnectionLost;
    }
    let Some(code) = e.code() else {
        return Failure::Other;
    };
    if code.code().starts_with("08")
        || *code == SqlState::ADMIN_SHUTDOWN
        || *code == SqlState::CRASH_SHUTDOWN
        || *code == SqlState::CANNOT_CONNECT_NOW
    {
        return Failure::ConnectionLost;
    }
    if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED {
        Failure::RaceLost
    } else if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED {
        Failure::Busy
    } else if *code == SqlState::READ_ONLY_SQL_TRANSACTION
        || *code == SqlState::INSUFFICIENT_PRIVILEGE
    {
        Failure::ReadOnly
    } else if *code == SqlState::UNIQUE_VIOLATION {
        let constraint = e
            .as_db_error()
            .and_then(|db| db.constraint())
            .unwrap_or_default();
        Failure::Unique(constraint.to_owned())
    } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
        Failure::ForeignKey
    } else {
        Failure::Other
    }
}

/// The server's message (with its detail), or the driver's.
pub(in crate::store) fn message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => e.to_string(),
    }
}
