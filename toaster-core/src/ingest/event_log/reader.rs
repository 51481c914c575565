//! Reading an event log once, from its start: the header, then the events, one bounded
//! line at a time, so a pipe or a FIFO works and memory stays flat.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::{FORMAT, Header, VERSION};
use crate::ingest::bounds::{self, MAX_LINE};
use crate::ingest::event::shortened;
use crate::ingest::line_reader::{BoundedLines, LineFault};
use crate::ingest::{Event, IngestError, LineError, parse_line};

/// How many skipped lines a report lists; the rest are counted in one last entry.
const LISTED_SKIPS: usize = 100;

/// What reading an event log came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Events read and handed on.
    pub events: usize,
    /// Lines skipped because their event is unknown, malformed or beyond its bounds, with
    /// their line numbers: the first 100, then one entry counting the rest.
    pub skipped: Vec<(usize, String)>,
    /// Where reading stopped early, and why: a line that is not a JSON event.
    pub stopped: Option<(usize, String)>,
}

/// An event log being read: its header is read and checked, its events are next.
#[derive(Debug)]
pub struct EventLogReader {
    path: PathBuf,
    header: Header,
    lines: BoundedLines<BufReader<File>>,
}

impl EventLogReader {
    /// Opens `path` once (a file, a pipe such as `/dev/stdin`, or a FIFO, which waits for
    /// its writer), and reads and checks the header.
    pub fn open(path: &Path) -> Result<EventLogReader, IngestError> {
        let io = |source| IngestError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        if file.metadata().map_err(io)?.is_dir() {
            return Err(not_log(path, "it is a directory, not an event log file"));
        }
        let mut lines = BoundedLines::new(BufReader::new(file), MAX_LINE);
        let first = match lines.next_line() {
            None => return Err(not_log(path, "it is empty")),
            Some(Err(fault)) => return Err(fault_error(path, fault)),
            Some(Ok((_, first))) => first,
        };
        Ok(EventLogReader {
            path: path.to_owned(),
            header: header_of(path, &first)?,
            lines,
        })
    }

    /// The header, checked.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Hands each event to `each`, in order, to the end of the log or the first line that
    /// is not JSON. A line past the bound, or an error of `each`, ends reading with that
    /// error.
    pub fn events(
        mut self,
        mut each: impl FnMut(Event) -> Result<(), IngestError>,
    ) -> Result<ReadReport, IngestError> {
        let mut report = ReadReport::default();
        let mut unlisted: Option<(usize, usize)> = None;
        let mut skip = |report: &mut ReadReport, line: usize, reason: String| {
            if report.skipped.len() < LISTED_SKIPS {
                report.skipped.push((line, reason));
            } else {
                unlisted.get_or_insert((line, 0)).1 += 1;
            }
        };
        while let Some(next) = self.lines.next_line() {
            let (number, bytes) = match next {
                Ok(line) => line,
                Err(LineFault::Io(number, e)) => {
                    report.stopped = Some((number, format!("it could not be read: {e}")));
                    break;
                }
                Err(fault) => return Err(fault_error(&self.path, fault)),
            };
            let Ok(line) = std::str::from_utf8(&bytes) else {
                report.stopped = Some((
                    number,
                    "it is not UTF-8 text; the log may be corrupt".to_owned(),
                ));
                break;
            };
            if line.trim().is_empty() {
                continue;
            }
            match parse_line(line) {
                Ok(Some(event)) => {
                    each(event)?;
                    report.events += 1;
                }
                Ok(None) => {
                    let kind = serde_json::from_str::<serde_json::Value>(line)
                        .ok()
                        .and_then(|v| v.get("event").and_then(|k| k.as_str()).map(str::to_owned))
                        .unwrap_or_else(|| "(none)".to_owned());
                    let reason = format!("event `{kind}` is not known to this version");
                    skip(&mut report, number, shortened(reason));
                }
                Err(LineError::Malformed(reason)) => skip(&mut report, number, reason),
                Err(LineError::NotJson(reason)) => {
                    report.stopped = Some((
                        number,
                        format!("it is not JSON ({reason}); the log may be cut short"),
                    ));
                    break;
                }
            }
        }
        if let Some((first, count)) = unlisted {
            report.skipped.push((
                first,
                format!(
                    "{count} lines from here on were skipped as well; only the first {LISTED_SKIPS} are listed"
                ),
            ));
        }
        Ok(report)
    }
}

#[cfg(test)]
/// Reads and checks only the header of an event log.
pub fn read_header(path: &Path) -> Result<Header, IngestError> {
    Ok(EventLogReader::open(path)?.header)
}

#[cfg(test)]
/// Reads an event log: returns its header after checking it, then hands each event to
/// `each` in order.
pub fn read(
    path: &Path,
    each: impl FnMut(Event) -> Result<(), IngestError>,
) -> Result<(Header, ReadReport), IngestError> {
    let reader = EventLogReader::open(path)?;
    let header = reader.header.clone();
    Ok((header, reader.events(each)?))
}

fn not_log(path: &Path, reason: impl Into<String>) -> IngestError {
    IngestError::NotAnEventLog {
        path: path.to_owned(),
        reason: shortened(reason.into()),
    }
}

fn fault_error(path: &Path, fault: LineFault) -> IngestError {
    match fault {
        LineFault::TooLong(line) => IngestError::LineTooLong {
            path: path.to_owned(),
            line,
            limit: MAX_LINE,
        },
        LineFault::Io(_, source) => IngestError::Io {
            path: path.to_owned(),
            source,
        },
    }
}

fn header_of(path: &Path, first: &[u8]) -> Result<Header, IngestError> {
    let first = std::str::from_utf8(first).map_err(|_| {
        not_log(
            path,
            "line 1 is not UTF-8 text, so not a header (is it a binary file?)",
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(first)
        .map_err(|e| not_log(path, format!("line 1 is not JSON: {e}")))?;
    let format = value
        .get("format")
        .and_then(|f| f.as_str())
        .unwrap_or("(none)");
    if format != FORMAT {
        return Err(not_log(
            path,
            format!("its format is `{format}`, not `{FORMAT}`"),
        ));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version != u64::from(VERSION) {
        return Err(not_log(
            path,
            format!("it is version {version} of the format; this Toaster reads version {VERSION}"),
        ));
    }
    let header: Header = serde_json::from_value(value)
        .map_err(|e| not_log(path, format!("line 1 is not a valid header: {e}")))?;
    bounds::check_header(&header.build)
        .map_err(|reason| not_log(path, format!("line 1 is not a valid header: {reason}")))?;
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::event_log::{BuildHeader, EventLogWriter};
    use crate::model::Timestamp;

    const HEADER: &str = r#"{"format":"toaster-events","version":1,"build":{"host":"h","build_dir":"/b","started_at":1}}"#;

    fn log(dir: &tempfile::TempDir, text: &[u8]) -> PathBuf {
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn events(path: &Path) -> Result<(Vec<Event>, ReadReport), IngestError> {
        let mut seen = Vec::new();
        let (_, report) = read(path, |e| {
            seen.push(e);
            Ok(())
        })?;
        Ok((seen, report))
    }

    #[test]
    fn what_the_writer_writes_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.jsonl");
        let header = Header::new(BuildHeader {
            project: Some("demo".into()),
            host: "h".into(),
            build_dir: "/b".into(),
            machine: None,
            distro: None,
            targets: vec!["busybox".into()],
            layers: Vec::new(),
            started_at: Timestamp(1_795_765_414_000),
        });
        let mut writer = EventLogWriter::create(&path, &header).unwrap();
        let written = [
            Event::TaskFinished {
                recipe: "zlib".into(),
                task: "do_fetch".into(),
                outcome: crate::model::TaskOutcome::NoOp,
                at: Some(Timestamp(1_795_765_415_000)),
                cpu_ms: None,
                read_bytes: None,
                write_bytes: None,
                log_file: None,
                sstate: None,
                executed: None,
                script: None,
            },
            Event::Heartbeat { at: None },
        ];
        for event in &written {
            writer.append(event).unwrap();
        }
        writer.flush().unwrap();
        assert_eq!(read_header(&path).unwrap(), header);
        let (seen, report) = events(&path).unwrap();
        assert_eq!(seen, written);
        assert_eq!(
            report,
            ReadReport {
                events: 2,
                ..ReadReport::default()
            }
        );
    }

    #[test]
    fn inputs_that_are_no_event_log_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let reason = |path: &Path| match EventLogReader::open(path) {
            Err(IngestError::NotAnEventLog { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            reason(dir.path()),
            "it is a directory, not an event log file"
        );
        assert_eq!(reason(&log(&dir, b"")), "it is empty");
        assert!(reason(&log(&dir, b"\xff\xfe\x00garbage\n")).contains("not UTF-8 text"));
        let huge = format!(r#"{{"format":"{}"}}"#, "f".repeat(100_000));
        assert!(reason(&log(&dir, huge.as_bytes())).len() < 400);
        let far = HEADER.replace("\"h\"", &format!("\"{}\"", "h".repeat(256)));
        assert!(reason(&log(&dir, far.as_bytes())).contains("`host` is 256 bytes"));
        let late = HEADER.replace(":1}", ":253402300800000}");
        assert!(reason(&log(&dir, late.as_bytes())).contains("not between 1970 and 9999"));
        let endless = vec![b'{'; MAX_LINE + 1];
        assert!(matches!(
            EventLogReader::open(&log(&dir, &endless)),
            Err(IngestError::LineTooLong { line: 1, .. })
        ));
    }

    #[test]
    fn a_long_line_is_an_error_and_binary_stops_reading() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("{HEADER}\n{}\n", " ".repeat(MAX_LINE + 1));
        let err = events(&log(&dir, long.as_bytes())).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "line 2 of {} is longer than 1 MiB: an event log holds one event per line, and no event is that large",
                dir.path().join("log.jsonl").display()
            )
        );
        let binary = [HEADER.as_bytes(), b"\n{\"event\":\"heartbeat\"}\n\xff\n"].concat();
        let (seen, report) = events(&log(&dir, &binary)).unwrap();
        assert_eq!(seen, [Event::Heartbeat { at: None }]);
        assert_eq!(
            report.stopped,
            Some((3, "it is not UTF-8 text; the log may be corrupt".to_owned()))
        );
    }

    #[test]
    fn only_the_first_skipped_lines_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = format!("{HEADER}\n");
        for _ in 0..250 {
            text.push_str("{\"event\":\"from_the_future\"}\n");
        }
        let (_, report) = events(&log(&dir, text.as_bytes())).unwrap();
        assert_eq!(report.skipped.len(), LISTED_SKIPS + 1);
        assert_eq!(
            report.skipped[LISTED_SKIPS],
            (
                LISTED_SKIPS + 2,
                "150 lines from here on were skipped as well; only the first 100 are listed"
                    .to_owned()
            )
        );
    }
}
