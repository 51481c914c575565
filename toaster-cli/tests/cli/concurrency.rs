//! Several processes writing one SQLite file at once: no lost change, no "database is
//! locked" reaching the user.

use std::process::Child;

use super::Scratch;

/// Starts one `toaster config add PROJECT packages WORD` process per job, all at once.
fn writers(s: &Scratch, jobs: &[(String, String)]) -> Vec<(String, Child)> {
    jobs.iter()
        .map(|(project, word)| {
            let child = s
                .command(&["config", "add", project, "packages", word])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn");
            (word.clone(), child)
        })
        .collect()
}

fn wait_all(children: Vec<(String, Child)>) {
    for (word, child) in children {
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{word}: {stderr}");
        assert!(!stderr.contains("locked"), "{word}: {stderr}");
    }
}

#[test]
fn two_processes_on_the_same_project_lose_nothing() {
    let s = Scratch::new().with_demo();
    // Rounds of two processes started together, each adding its own package.
    for round in 0..12 {
        let jobs = vec![
            ("demo".to_owned(), format!("a{round}")),
            ("demo".to_owned(), format!("b{round}")),
        ];
        wait_all(writers(&s, &jobs));
    }
    let packages = s.json(&["config", "get", "demo", "packages"]);
    let value = packages["value"].as_str().expect("packages").to_owned();
    let words: Vec<&str> = value.split(' ').collect();
    assert_eq!(words.len(), 24, "{value}");
    let history = s.json(&["project", "history", "demo"]);
    assert_eq!(history.as_array().expect("list").len(), 25);
}

#[test]
fn many_processes_on_different_projects_lose_nothing() {
    let s = Scratch::new().with_demo();
    s.ok(&["project", "create", "other", "--dir", "other"]);
    let jobs: Vec<(String, String)> = (0..8)
        .flat_map(|i| {
            [
                ("demo".to_owned(), format!("d{i}")),
                ("other".to_owned(), format!("o{i}")),
            ]
        })
        .collect();
    wait_all(writers(&s, &jobs));
    for project in ["demo", "other"] {
        let value = s.json(&["config", "get", project, "packages"])["value"]
            .as_str()
            .expect("packages")
            .to_owned();
        assert_eq!(value.split(' ').count(), 8, "{project}: {value}");
    }
}
