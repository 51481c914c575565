use std::path::PathBuf;

/// What can stop the runner from running a build.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunnerError {
    /// The directory given as BitBake is not a BitBake checkout.
    #[error("{path} is not a BitBake checkout (it has no bin/bitbake and lib/bb)")]
    NotBitbake {
        /// The directory.
        path: PathBuf,
    },
    /// Another BitBake runs in the build directory.
    #[error("another BitBake (process {pid}) uses the build directory {build_dir}")]
    BuildDirBusy {
        /// The build directory.
        build_dir: PathBuf,
        /// The BitBake server's process, as its lock file says (`?` when it does not).
        pid: String,
    },
    /// The project's BitBake comes from a repository never fetched.
    #[error("project `{project}` builds with BitBake from {origin}, which was never fetched")]
    BitbakeNotFetched {
        /// The project.
        project: String,
        /// The repository and ref.
        origin: String,
    },
    /// Layers of the build are not there, or not at the commits it pins.
    #[error("the layers are not ready: {}", problems.join("; "))]
    LayersNotReady {
        /// What is wrong, one sentence each.
        problems: Vec<String>,
    },
    /// The Python BitBake runs with cannot import the recorder.
    #[error(
        "the python3 BitBake runs with cannot import toaster_rs, so the build would not be recorded: {detail}"
    )]
    NoRecorder {
        /// What Python said.
        detail: String,
    },
    /// A conf file for the run could not be written.
    #[error("{path}: {source}")]
    Conf {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: crate::conf::ConfError,
    },
    /// A file or process could not be handled.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}
