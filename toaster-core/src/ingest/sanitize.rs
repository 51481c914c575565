//! Making absurd event values safe to store, with a word about what was changed.

use super::bounds;
use crate::model::Timestamp;

/// The longest text kept from one log message or name; the rest is cut with a note.
pub const MAX_TEXT: usize = 64 * 1024;

/// `text` cut to [`MAX_TEXT`] bytes (on a character boundary), and a warning if it was cut.
pub fn text(what: &str, text: String) -> (String, Option<String>) {
    if text.len() <= MAX_TEXT {
        return (text, None);
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text.len() - end;
    let mut kept = text[..end].to_owned();
    kept.push_str(&format!("… [{cut} more bytes cut by toaster]"));
    (
        kept,
        Some(format!(
            "a {what} of {} bytes was cut to {MAX_TEXT}",
            text.len()
        )),
    )
}

/// A time, or `None` with a warning when it is before 1970 (clocks and parsers do that) or
/// after 9999 (events read from outside are refused for that already; see `bounds`).
pub fn time(what: &str, at: Option<Timestamp>) -> (Option<Timestamp>, Option<String>) {
    match at {
        Some(t) if t.0 < 0 => (
            None,
            Some(format!("a negative {what} time ({}) was dropped", t.0)),
        ),
        Some(t) if t > bounds::LAST_TIME => (
            None,
            Some(format!(
                "a {what} time after the year 9999 ({}) was dropped",
                t.0
            )),
        ),
        other => (other, None),
    }
}

/// A count, or `None` with a warning when it is negative.
pub fn count(what: &str, value: Option<i64>) -> (Option<u64>, Option<String>) {
    match value {
        Some(v) if v < 0 => (None, Some(format!("a negative {what} ({v}) was dropped"))),
        Some(v) => (Some(v.unsigned_abs()), None),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        let (kept, warning) = text("log line", "é".repeat(MAX_TEXT));
        assert!(kept.len() < MAX_TEXT + 64 && kept.contains("more bytes cut"));
        assert!(warning.unwrap().contains("cut to"));
        assert_eq!(text("x", "short".into()), ("short".to_owned(), None));
    }

    #[test]
    fn negative_times_and_counts_are_dropped_with_a_warning() {
        assert_eq!(time("start", Some(Timestamp(-5))).0, None);
        assert_eq!(time("start", Some(Timestamp(i64::MAX))).0, None);
        assert_eq!(
            time("start", Some(bounds::LAST_TIME)),
            (Some(bounds::LAST_TIME), None)
        );
        assert_eq!(
            time("start", Some(Timestamp(5))),
            (Some(Timestamp(5)), None)
        );
        assert!(count("cpu time", Some(-1)).1.is_some());
        assert_eq!(count("cpu time", Some(7)), (Some(7), None));
    }
}
