//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Choosing the owner you act as: `--as NAME`, else TOASTER_OWNER, else the owner this client
last chose with `toaster owner use NAME` (the first owner added to a new database is chosen
for you). A client is `cli:USER@HOST`, or TOASTER_CLIENT when set. Owners identify people
on a trusted network; they are not passwords.

Exit codes:
  0  success
  1  user error: something named does not exist or exists already, a value was refused,
     the owner you act as may not do it, someone else changed the project first, or the
     database cannot be used as it is
  2  usage error: the command line itself is wrong
  3  internal error: the file system or the database failed
  4  busy: the database stayed locked by other processes; try again

`--json` prints one JSON document on standard output, errors included (their text also
goes to standard error); field names are stable (see the README's \"JSON output\" section).";

/// Toaster: BitBake/Yocto projects, their configuration history, and their builds.
#[derive(Debug, Parser)]
#[command(name = "toaster", version, after_long_help = AFTER_HELP, after_help = AFTER_HELP)]
pub struct Cli {
    /// The database file (created by the first `owner add`).
    #[arg(
        long,
        global = true,
        env = "TOASTER_DB",
        default_value = "toaster.sqlite",
        value_name = "PATH"
    )]
    pub db: PathBuf,

    /// Act as this owner.
    #[arg(
        long = "as",
        global = true,
        env = "TOASTER_OWNER",
        value_name = "OWNER"
    )]
    pub acting: Option<String>,

    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Extra variable specs (a JSON file like `toaster config schema --json` prints), added
    /// to the built-in catalogue.
    #[arg(long, global = true, env = "TOASTER_SCHEMA", value_name = "PATH")]
    pub schema: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The command groups.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Owners: who creates, changes and builds projects.
    #[command(subcommand)]
    Owner(OwnerCommand),
    /// Projects: create, list, clone, delete, and their configuration history.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// A project's configuration: machine, distro, targets, variables, packages, recipes.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Builds: what each one ran with and what it did.
    #[command(subcommand)]
    Build(BuildCommand),
    /// Groups of owners that projects are shared with (admins manage them).
    #[command(subcommand)]
    Group(GroupCommand),
    /// The audit log: who created, changed or deleted what, when, from which client.
    Audit(AuditArgs),
    /// BitBake conf files: evaluate them, regenerate a project's.
    #[command(subcommand)]
    Conf(ConfCommand),
    /// A project's layers: add (local or git), remove, list, show, update.
    #[command(subcommand)]
    Layer(LayerCommand),
    /// Where a project's builds get BitBake.
    #[command(subcommand)]
    Bitbake(BitbakeCommand),
    /// Run queued builds on this host (Ctrl-C or SIGTERM cancels the running ones cleanly).
    Runner(RunnerArgs),
    /// Post-build hooks: e-mail, webhooks or programs when a project's build ends.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Instance settings: the SMTP server, hook retries and time limits (admins change them).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Build archives: import one written elsewhere (`toaster build archive` writes them).
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// Wrapper recipes for imported sources (tarballs, git repositories, directories), in
    /// the project's own layer.
    #[command(subcommand)]
    Recipe(RecipeCommand),
}

/// `toaster recipe …`
#[derive(Debug, Subcommand)]
pub enum RecipeCommand {
    /// Import sources as a wrapper recipe into the project's own layer
    /// (PROJECT/layers/meta-PROJECT, made on first use): the build system, licences and
    /// dependencies are read from the sources, the recipe is written and added to the
    /// project's recipes in one revision.
    #[command(
        after_help = "Examples:\n  toaster recipe import demo --tarball https://example.com/hello-1.0.tar.gz\n  toaster recipe import demo --git https://example.com/tool.git --ref v2.1 --add-to-image\n  toaster recipe import demo --path ~/src/mylib --dry-run"
    )]
    #[command(group(clap::ArgGroup::new("source").required(true).args(["tarball", "git", "path"])))]
    Import {
        /// The project.
        project: String,
        /// A tarball (.tar, .tar.gz): a path, or an http(s) URL fetched with a progress line.
        #[arg(long, value_name = "PATH|URL")]
        tarball: Option<String>,
        /// A git repository; SRCREV is pinned to the commit --ref resolves to.
        #[arg(long, value_name = "URL")]
        git: Option<String>,
        /// With --git: a branch, tag or commit (default: the default branch).
        #[arg(long = "ref", value_name = "REF", requires = "git")]
        reference: Option<String>,
        /// A source tree used where it is (externalsrc).
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// The recipe's name (default: the one the sources give).
        #[arg(long)]
        name: Option<String>,
        /// Its version (default: the sources', else 1.0).
        #[arg(long)]
        version: Option<String>,
        /// Also install its package in every image.
        #[arg(long)]
        add_to_image: bool,
        /// Print the recipe without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// List the recipes imported into a project's own layer.
    List {
        /// The project.
        project: String,
    },
    /// Print an imported recipe.
    Show {
        /// The project.
        project: String,
        /// The recipe.
        name: String,
    },
    /// Take an imported recipe out of the project (a revision) and delete its file.
    Remove {
        /// The project.
        project: String,
        /// The recipe.
        name: String,
    },
}

/// `toaster archive …`
#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// Import a build archive (a zip written by `toaster build archive`, here or on another
    /// host) into a project as a new build that keeps every fact of the original and says
    /// where it came from. The whole file is checked before anything is written.
    Import {
        /// The archive.
        file: PathBuf,
        /// The project to import the build into.
        #[arg(long)]
        project: String,
    },
}

/// `toaster hook …`
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Add a hook to a project (a new, undoable revision): one of --email, --webhook or
    /// --run. `--run` takes the rest of the line as the program and its arguments (never a
    /// shell line), so put it last.
    #[command(group(clap::ArgGroup::new("action").required(true).args(["email", "webhook", "run"])))]
    Add {
        /// The project.
        project: String,
        /// When it fires: success, failure (failed, cancelled or interrupted) or always.
        #[arg(long, value_parser = ["success", "failure", "always"])]
        on: String,
        /// Mail a report to these addresses (comma-separated), over the instance's SMTP
        /// server (`toaster settings set smtp.host HOST`).
        #[arg(long, value_name = "ADDR[,ADDR]", value_delimiter = ',')]
        email: Option<Vec<String>>,
        /// POST the build as JSON to this http(s) URL.
        #[arg(long, value_name = "URL")]
        webhook: Option<String>,
        /// With --webhook: sign the body with HMAC-SHA256 (header X-Toaster-Signature-256)
        /// with the secret in this environment variable of the process delivering hooks.
        #[arg(long, value_name = "VAR", requires = "webhook")]
        secret_env: Option<String>,
        /// Run PROGRAM with ARGs in the build directory (environment: TOASTER_BUILD_ID,
        /// TOASTER_BUILD_STATE, TOASTER_PROJECT, TOASTER_BUILD_DIR, TOASTER_LOG,
        /// TOASTER_ARTIFACTS, TOASTER_DB, TOASTER_TARGETS, TOASTER_MACHINE).
        #[arg(long, value_name = "PROGRAM [ARG]...", num_args = 1.., allow_hyphen_values = true)]
        run: Option<Vec<String>>,
    },
    /// List a project's hooks.
    List {
        /// The project.
        project: String,
    },
    /// Remove a hook from a project (a new, undoable revision).
    Remove {
        /// The project.
        project: String,
        /// The hook's id (`hook list`).
        id: u32,
    },
    /// Deliver the hooks due now (for hosts without a runner, e.g. from cron), or keep
    /// delivering with --follow.
    Deliver {
        /// Only this build's.
        #[arg(long, value_name = "ID")]
        build: Option<i64>,
        /// Keep delivering as builds end and retries fall due, until Ctrl-C.
        #[arg(long)]
        follow: bool,
    },
}

/// `toaster settings …`
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting with its value or default.
    Show,
    /// Set a setting (admins only).
    Set {
        /// The setting (e.g. smtp.host).
        name: String,
        /// Its value.
        value: String,
    },
    /// Clear a setting, back to its default (admins only).
    Unset {
        /// The setting.
        name: String,
    },
}

/// `toaster bitbake …`
#[derive(Debug, Subcommand)]
pub enum BitbakeCommand {
    /// Build the project with the BitBake checkout in DIR (e.g. ~/poky/bitbake), from a new
    /// revision on (undoable).
    Set {
        /// The project.
        project: String,
        /// A BitBake checkout (holding bin/bitbake and lib/bb), used where it is.
        #[arg(long, required_unless_present = "git", conflicts_with = "git")]
        path: Option<PathBuf>,
        /// A git repository to clone BitBake from (like a layer's; the commit is recorded).
        #[arg(long)]
        git: Option<String>,
        /// With --git: the branch, tag or commit (default: the repository's default branch).
        #[arg(long = "ref", requires = "git")]
        reference: Option<String>,
        /// With --git: where BitBake is inside the repository (`bitbake` in poky).
        #[arg(long, requires = "git")]
        subdir: Option<String>,
    },
    /// Fetch the project's BitBake repository and move to the newest commit of its ref (a
    /// new revision); a local checkout is left as it is.
    Update {
        /// The project.
        project: String,
    },
    /// Show where the project's builds get BitBake.
    Show {
        /// The project.
        project: String,
    },
}

/// `toaster runner`
#[derive(Debug, Args)]
pub struct RunnerArgs {
    /// Builds run at once (never two of one project, never two in one build directory).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,
    /// Run what is queued, then stop.
    #[arg(long)]
    pub once: bool,
    /// Seconds a claim on a build holds unless this runner renews it: when the runner is
    /// killed, its builds end `interrupted` that long after, and their projects are free.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(3..=86400))]
    pub lease: u64,
}

/// `toaster layer …`
#[derive(Debug, Subcommand)]
pub enum LayerCommand {
    /// Add a layer: a local directory used where it is, or a git repository cloned into
    /// PROJECT/layers/ and checked out at a ref whose commit is recorded.
    ///
    /// Its LAYERDEPENDS must be in the project (or be taken from the same repository or
    /// the project's other repositories with --with-dependencies), in the versions asked
    /// for, and its LAYERSERIES_COMPAT must list the project's release series (or use
    /// --force). Without --subdir, a repository that holds several layers lists them.
    Add {
        /// The project.
        project: String,
        /// A local layer directory.
        #[arg(long, value_name = "DIR", required_unless_present = "git", conflicts_with_all = ["git", "reference", "subdir"])]
        path: Option<std::path::PathBuf>,
        /// A git repository: URL or path.
        #[arg(long, value_name = "URL")]
        git: Option<String>,
        /// Branch, tag or commit (default: the ref the project's other layers of this
        /// repository use, else the release's branch if it exists, else the default branch).
        #[arg(long = "ref", value_name = "REF", requires = "git")]
        reference: Option<String>,
        /// The layer's directory inside the repository.
        #[arg(long, value_name = "DIR", requires = "git")]
        subdir: Option<String>,
        /// The layer's name in the project (default: its layer-index name or directory).
        #[arg(long)]
        name: Option<String>,
        /// Also add the missing dependencies that the known sources provide.
        #[arg(long)]
        with_dependencies: bool,
        /// Add it even if it does not list the project's release series.
        #[arg(long)]
        force: bool,
    },
    /// Remove layers; refused while other layers of the project depend on them. Clones
    /// stay on disk.
    Remove {
        /// The project.
        project: String,
        /// The layers.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// List the layers in the order BitBake reads them.
    List {
        /// The project.
        project: String,
    },
    /// Show one layer: source, ref, commit, directory, collections and dependencies.
    Show {
        /// The project.
        project: String,
        /// The layer.
        name: String,
    },
    /// Fetch git layers and move them to the newest commit of their refs (one revision).
    Update {
        /// The project.
        project: String,
        /// Only this layer (and the others of its repository).
        name: Option<String>,
        /// Accept layers that no longer list the project's release series.
        #[arg(long)]
        force: bool,
    },
}

/// `toaster conf …`
#[derive(Debug, Subcommand)]
pub enum ConfCommand {
    /// Print the values BitBake would compute from conf files, without running BitBake.
    ///
    /// Files are read in the order given (as BitBake reads bblayers.conf, then local.conf),
    /// following their include and require lines. Arguments ending in `.conf` or holding a
    /// `/` are files; the others are variables (`VAR`, or `VAR[flag]` for a flag). Without
    /// variables, every variable is printed. Inline Python `${@…}` is shown unevaluated.
    Eval {
        /// Conf files, then variable names.
        #[arg(required = true, value_name = "FILE... [VAR...]")]
        args: Vec<String>,
    },
    /// Rewrite a project's generated conf files (build/conf/toaster*.conf) from its newest
    /// revision. Every configuration change does this already.
    Write {
        /// The project.
        project: String,
    },
}

/// `toaster audit`
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries about this project (also after it was deleted).
    #[arg(long)]
    pub project: Option<String>,
    /// Only entries made by this owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// Only entries since this time: `2026-11-27`, `2026-11-27T08:30Z`, or an age (`2h`, `7d`).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// At most this many entries, newest first.
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
}

/// `toaster build …`
#[derive(Debug, Subcommand)]
pub enum BuildCommand {
    /// Queue a build of the project's newest revision for a runner and print its id; with
    /// --wait, run it here and wait (exit 0 when it succeeded, 1 otherwise).
    Start {
        /// The project.
        project: String,
        /// What to build (default: the project's targets).
        targets: Vec<String>,
        /// Run the build here, now, and wait for its end (Ctrl-C cancels it cleanly).
        #[arg(long)]
        wait: bool,
        /// With --wait: write the build's tasks to FILE as JUnit XML.
        #[arg(long, value_name = "FILE", requires = "wait")]
        junit: Option<PathBuf>,
    },
    /// Follow a build (started here, by a runner, or by hand) until it ends: exit 0 when
    /// it succeeded, 1 otherwise.
    Watch {
        /// The build.
        id: i64,
        /// Write the build's tasks to FILE as JUnit XML when it has ended.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
    },
    /// Cancel a build: a queued one never starts, a running one is stopped (as Ctrl-C
    /// stops BitBake, then harder) and ends cancelled.
    Cancel {
        /// The build.
        id: i64,
    },
    /// List builds, newest first (of one project, or of every project you may read).
    List {
        /// Only this project's builds.
        project: Option<String>,
        /// Only hidden builds.
        #[arg(long, conflicts_with = "all")]
        hidden: bool,
        /// Hidden and visible builds.
        #[arg(long)]
        all: bool,
        /// Builds per page.
        #[arg(long, default_value_t = 25)]
        limit: u32,
        /// Which page (from 1).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
    },
    /// Show a build: targets, outcome, duration, tasks by outcome, errors, log, configuration.
    Show {
        /// The build.
        id: i64,
    },
    /// List a build's tasks.
    Tasks {
        /// The build.
        id: i64,
        /// Only tasks that ended this way (succeeded, failed, cached, covered, prebuilt,
        /// empty, noop), or `running` for those that did not end.
        #[arg(long)]
        outcome: Option<String>,
        /// Only this recipe's tasks.
        #[arg(long)]
        recipe: Option<String>,
        /// `order` (as they started) or `elapsed` (longest first).
        #[arg(long, default_value = "order", value_parser = ["order", "elapsed"])]
        sort: String,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// List the deliveries of a build's hooks and every attempt at each.
    Hooks {
        /// The build.
        id: i64,
    },
    /// List what a build made or read worth keeping: images, SDKs, kernels, manifests,
    /// licence manifests, its log, failed tasks' logs, conf files; with size and SHA-256.
    Artifacts {
        /// The build.
        id: i64,
        /// Only artifacts of this kind (image, sdk, kernel, manifest, license, log,
        /// task-log, conf, other).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Copy artifacts of a build (by name, as `build artifacts` lists them) into a
    /// directory, checking each against its recorded size and SHA-256.
    #[command(
        after_help = "Examples:\n  toaster build artifacts 7 --kind image\n  toaster build download 7 core-image-minimal-qemux86-64.rootfs.wic -o ~/images"
    )]
    Download {
        /// The build.
        id: i64,
        /// The artifacts' names.
        #[arg(required = true)]
        names: Vec<String>,
        /// Where to put them (default: the current directory); a name with `/` makes
        /// directories under it.
        #[arg(short = 'o', long = "output", value_name = "DIR", default_value = ".")]
        output: PathBuf,
        /// Copy an artifact that changed since the build recorded it, as it is now.
        #[arg(long)]
        force: bool,
    },
    /// Write a build's archive (one zip in the instance's archive directory): its record,
    /// log, failed tasks' logs, conf files and the checksums of its artifacts; the images
    /// too with --with-images. With --older-than, every unarchived build that ended that
    /// long ago.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["id", "older_than"])))]
    Archive {
        /// The build.
        id: Option<i64>,
        /// Also keep images, SDKs and other large files.
        #[arg(long)]
        with_images: bool,
        /// Archive every build that ended this long ago and has no archive: `30d`, `12h`,
        /// `0d` for all.
        #[arg(long, value_name = "AGE")]
        older_than: Option<String>,
        /// With --older-than: only this project's builds.
        #[arg(long, requires = "older_than")]
        project: Option<String>,
    },
    /// Print a build's log messages.
    Log {
        /// The build.
        id: i64,
        /// Only messages at this level or above (debug, note, warning, error, critical).
        #[arg(long, default_value = "note")]
        level: String,
    },
    /// Hide a build from listings (shown again with --hidden or --all).
    Hide {
        /// The build.
        id: i64,
    },
    /// Show a hidden build in listings again.
    Unhide {
        /// The build.
        id: i64,
    },
    /// Delete every record of a build (its files on disk stay).
    Delete {
        /// The build.
        id: i64,
    },
    /// Replay an event log (JSON lines, written by the recorder) into a new build.
    ImportEvents {
        /// The event log.
        file: PathBuf,
        /// The project to import into (default: the one the log names).
        #[arg(long)]
        project: Option<String>,
    },
}

/// `toaster group …`
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Make a group (admins only).
    Add {
        /// The group's name.
        name: String,
    },
    /// Add an owner to a group (admins only).
    AddMember {
        /// The group.
        group: String,
        /// The owner.
        owner: String,
    },
    /// Remove an owner from a group (admins only).
    RemoveMember {
        /// The group.
        group: String,
        /// The owner.
        owner: String,
    },
    /// List the groups and their members.
    List,
}

/// `toaster owner …`
#[derive(Debug, Subcommand)]
pub enum OwnerCommand {
    /// Add an owner (the first one of a new database also creates the database).
    Add {
        /// The new owner's name.
        name: String,
        /// Their e-mail address.
        #[arg(long)]
        email: Option<String>,
    },
    /// List the owners.
    List,
    /// Show an owner (default: the one you act as).
    Show {
        /// The owner.
        name: Option<String>,
    },
    /// Rename an owner or change their e-mail address.
    Edit {
        /// The owner.
        name: String,
        /// A new name.
        #[arg(long = "name", value_name = "NEW_NAME")]
        new_name: Option<String>,
        /// A new e-mail address ("" clears it).
        #[arg(long)]
        email: Option<String>,
    },
    /// Act as this owner from this client from now on.
    Use {
        /// The owner.
        name: String,
    },
    /// Make an owner an admin (admins only).
    GrantAdmin {
        /// The owner.
        name: String,
    },
    /// Stop an owner being an admin (admins only; the last admin stays).
    RevokeAdmin {
        /// The owner.
        name: String,
    },
}

/// `toaster project …`
#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Create a project with its release's default configuration.
    Create {
        /// The project's name.
        name: String,
        /// Its directory: new, or existing and empty (default: ./NAME).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The Yocto release series, e.g. scarthgap (default: wrynose).
        #[arg(long)]
        release: Option<String>,
        /// Share it with this group (one you belong to).
        #[arg(long)]
        group: Option<String>,
    },
    /// Create a project from an existing build directory: its layers (as local
    /// directories), machine, distro, packages and variables from conf/bblayers.conf and
    /// conf/local.conf. What a project cannot hold is listed, not imported.
    Import {
        /// The new project's name.
        name: String,
        /// The build directory to read (the one holding conf/local.conf); it is not changed.
        #[arg(long, value_name = "BUILDDIR")]
        from: PathBuf,
        /// The new project's directory (default: ./NAME).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The Yocto release series (default: wrynose).
        #[arg(long)]
        release: Option<String>,
    },
    /// Write a project's configuration to share it: a bundle (a zip: build variables,
    /// packages, recipes, hooks, each layer with its exact commit; host settings left out),
    /// or a kas file (`--format kas`, or its lock file with `--format kas-lock`).
    #[command(
        after_help = "Examples:\n  toaster project export demo -o demo.zip --with-local-layers\n  toaster project import-bundle demo.zip --name demo   (on the other host)\n  toaster project export demo --format kas -o demo.yml && kas checkout demo.yml"
    )]
    Export {
        /// The project.
        name: String,
        /// The file to write (a bundle never replaces a file; kas is printed without -o).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// The configuration revision to export (default: the newest).
        #[arg(long)]
        revision: Option<u32>,
        /// Put the files of local layers in the bundle too.
        #[arg(long)]
        with_local_layers: bool,
        /// `bundle` (default), `kas` or `kas-lock`.
        #[arg(long, default_value = "bundle", value_parser = ["bundle", "kas", "kas-lock"])]
        format: String,
    },
    /// Create a project from a bundle written by `project export`: git layers cloned at
    /// their recorded commits, included local layers placed inside the project; what cannot
    /// be reproduced is listed.
    ImportBundle {
        /// The bundle.
        file: PathBuf,
        /// The new project's name.
        #[arg(long)]
        name: String,
        /// The new project's directory (default: ./NAME).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Refuse, writing nothing, if anything cannot be reproduced exactly.
        #[arg(long)]
        strict: bool,
    },
    /// Create a project from a kas project file (with its local includes, overrides and
    /// lock file): machine, distro, targets, repos as git layers, local_conf_header
    /// variables; what a project cannot hold is listed.
    ImportKas {
        /// The kas file.
        file: PathBuf,
        /// The new project's name (default: the file's name without .yml).
        #[arg(long)]
        name: Option<String>,
        /// The new project's directory (default: ./NAME).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The Yocto release series (default: wrynose).
        #[arg(long)]
        release: Option<String>,
    },
    /// List the projects you may read.
    List {
        /// Only the projects you own.
        #[arg(long)]
        mine: bool,
    },
    /// Show a project.
    Show {
        /// The project.
        name: String,
    },
    /// Create a new project with another's current configuration and copies of its git
    /// layers' clones at the recorded commits.
    Clone {
        /// The project to copy.
        source: String,
        /// The new project's name.
        name: String,
        /// The new project's directory (default: ./NAME).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Delete a project's records, and with --files its directory.
    Delete {
        /// The project.
        name: String,
        /// Also remove the project directory (only if Toaster created it for this project;
        /// shared download and sstate directories outside it are never touched).
        #[arg(long)]
        files: bool,
    },
    /// Recycle the build directory: remove BitBake's TMPDIR inside it (never a shared
    /// SSTATE_DIR or DL_DIR), once every build of it is archived.
    Clean {
        /// The project.
        name: String,
        /// Clean even though some builds of the directory are not archived.
        #[arg(long)]
        force: bool,
    },
    /// List a project's configuration revisions.
    History {
        /// The project.
        name: String,
        /// Only the newest N revisions.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Only revisions made at or after TIME (`2026-11-27`, `2026-11-27T08:30Z`, or an
        /// age like `7d`, `12h`).
        #[arg(long, value_name = "TIME")]
        since: Option<String>,
    },
    /// Show what a revision changed (from the one before it), or what changed from REV
    /// to REV2.
    #[command(
        after_help = "Examples:\n  toaster project diff demo 7        what revision 7 changed\n  toaster project diff demo 3 7      everything from revision 3 to revision 7"
    )]
    Diff {
        /// The project.
        name: String,
        /// The revision.
        rev: u32,
        /// A later (or earlier) revision to compare REV with.
        rev2: Option<u32>,
    },
    /// Go back to the configuration before the one in effect (as a new revision).
    Undo {
        /// The project.
        name: String,
    },
    /// Restore the configuration of an earlier revision (as a new revision).
    Revert {
        /// The project.
        name: String,
        /// The revision to restore.
        #[arg(long = "to", value_name = "N")]
        to: u32,
    },
    /// Restore the release's default configuration (as a new revision, so undo works).
    Reset {
        /// The project.
        name: String,
    },
    /// Change who may do what: MODE like `owner=rcbd,group=r,others=` (r read, c configure,
    /// b build, d delete); classes left out keep their rights. Owner or admin.
    Chmod {
        /// The project.
        name: String,
        /// The new rights.
        mode: String,
    },
    /// Give a project to another owner. Owner or admin.
    Chown {
        /// The project.
        name: String,
        /// The new owner.
        owner: String,
    },
    /// Share a project with a group you belong to, or with none. Owner or admin.
    Chgrp {
        /// The project.
        name: String,
        /// The group.
        #[arg(required_unless_present = "none")]
        group: Option<String>,
        /// Share it with no group.
        #[arg(long, conflicts_with = "group")]
        none: bool,
    },
    /// Show, or (admins) set, the mode new projects get.
    DefaultMode {
        /// The new default, like `owner=rcbd,group=r,others=`.
        mode: Option<String>,
    },
}

/// Options shared by the commands that change a configuration.
#[derive(Debug, Args)]
pub struct Base {
    /// Refuse the change unless revision N is still the newest (for scripts that read first).
    #[arg(long, value_name = "N")]
    pub base: Option<u32>,
    /// Refuse variables Toaster does not know instead of accepting them with a warning.
    #[arg(long)]
    pub strict: bool,
}

/// The arguments of `config add` and `config remove`.
#[derive(Debug, Args)]
pub struct ListEdit {
    /// The project.
    pub project: String,
    /// The key.
    pub key: String,
    /// The words (may start with `-`).
    #[arg(required = true, allow_hyphen_values = true)]
    pub words: Vec<String>,
    #[command(flatten)]
    pub base: Base,
}

/// `toaster config …`
///
/// KEY is `machine`, `distro`, `targets`, `packages` (added to images), `recipes`, or a
/// BitBake variable name such as IMAGE_FSTYPES.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set a key (lists take space-separated words): a new revision (`project undo` takes
    /// it back).
    ///
    /// Keys: `machine`, `distro`, `targets` (recipes or `recipe:task`), `packages` (added to
    /// every image), `recipes` (built beside the targets), or any BitBake variable
    /// (`toaster config schema` lists the ones Toaster knows and checks).
    #[command(
        after_help = "Examples:\n  toaster config set demo machine qemuarm64\n  toaster config set demo targets \"core-image-minimal core-image-sato:do_populate_sdk\"\n  toaster config set demo EXTRA_IMAGE_FEATURES \"debug-tweaks tools-debug\"\n  toaster config set demo PARALLEL_MAKE \"-j 16\""
    )]
    Set {
        /// The project.
        project: String,
        /// `machine`, `distro`, `targets`, `packages`, `recipes`, or a BitBake variable.
        key: String,
        /// The value (may start with `-`, like "-j 16").
        #[arg(allow_hyphen_values = true)]
        value: String,
        #[command(flatten)]
        base: Base,
    },
    /// Remove a key's value.
    Unset {
        /// The project.
        project: String,
        /// The key.
        key: String,
        #[command(flatten)]
        base: Base,
    },
    /// Add words to a list key, keeping those there.
    Add(ListEdit),
    /// Remove words from a list key.
    Remove(ListEdit),
    /// Print one key's value.
    Get {
        /// The project.
        project: String,
        /// The key.
        key: String,
    },
    /// Describe the variables Toaster knows: kind, class, default, allowed values.
    ///
    /// Classes: build (written to toaster.conf), infrastructure (host-specific, written to
    /// toaster-host.conf), managed (set with its own command), forbidden (never set from a
    /// project).
    Schema {
        /// One variable (default: all).
        variable: Option<String>,
    },
    /// Show the whole configuration (default: the newest revision).
    Show {
        /// The project.
        project: String,
        /// Show this revision instead.
        #[arg(long, value_name = "N")]
        revision: Option<u32>,
    },
}
