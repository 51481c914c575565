//! A build's tasks as JUnit XML, for CI servers (Jenkins, GitLab, Buildbot): one test case
//! per task, named `recipe:task`, grouped by recipe; failed tasks are failures, tasks that
//! did not run (restored, covered, not needed) are skipped.

use std::fmt::Write as _;
use std::path::Path;

use toaster_core::model::{Build, Task, TaskOutcome};

/// Writes `build`'s `tasks` as JUnit XML to `path`.
pub fn write(path: &Path, build: &Build, tasks: &[Task]) -> std::io::Result<()> {
    std::fs::write(path, render(build, tasks))
}

fn render(build: &Build, tasks: &[Task]) -> String {
    let count = |wanted: &dyn Fn(Option<TaskOutcome>) -> bool| {
        tasks.iter().filter(|t| wanted(t.record.outcome)).count()
    };
    let failures = count(&|o| o == Some(TaskOutcome::Failed));
    let skipped = count(&|o| !matches!(o, Some(TaskOutcome::Succeeded | TaskOutcome::Failed)));
    let seconds: f64 = tasks
        .iter()
        .filter_map(|t| t.elapsed_ms)
        .map(|ms| ms as f64 / 1000.0)
        .sum();
    let name = format!("build {} of {}", build.id, build.project_name);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
        escape(&name),
        tasks.len()
    );
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
        escape(&name),
        tasks.len()
    );
    for task in tasks {
        let record = &task.record;
        let time = task.elapsed_ms.map_or(0.0, |ms| ms as f64 / 1000.0);
        let _ = write!(
            xml,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{time:.3}\"",
            escape(&record.recipe),
            escape(&format!("{}:{}", record.recipe, record.task))
        );
        let log = record.log_file.as_deref().unwrap_or("no log file");
        let _ = match record.outcome {
            Some(TaskOutcome::Succeeded) => writeln!(xml, "/>"),
            Some(TaskOutcome::Failed) => writeln!(
                xml,
                "><failure message=\"{} failed\">{}</failure></testcase>",
                escape(&record.task),
                escape(log)
            ),
            Some(other) => writeln!(
                xml,
                "><skipped message=\"{}\"/></testcase>",
                escape(other.as_str())
            ),
            None => writeln!(xml, "><skipped message=\"did not end\"/></testcase>"),
        };
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// Text safe in XML attributes and content: markup escaped, control characters dropped
/// (XML 1.0 cannot hold them).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
