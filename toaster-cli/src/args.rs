//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Where you stand: without --db or TOASTER_DB, toaster looks in the current directory and
each one above it for a project directory (one holding a .toaster-project file, as
`project create` makes) and uses the database that project belongs to, else
toaster.sqlite in the current directory. There, PROJECT may be left out of every command
that takes one (`toaster config set MACHINE qemuarm64` in PROJECT/build); `-p NAME` names
a project anywhere. `toaster status` says what is in effect and why.

Leaving PROJECT out: the count of arguments decides (`config set [PROJECT] KEY VALUE`: three
arguments name the project, two do not). Where a command takes a list or an optional
argument (`build start [PROJECT] [TARGET...]`), the first argument is the project only
outside a project directory, or when it is that directory's project's name; one that names
another project is refused as ambiguous: use `-p`.

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

/// The keys `config` takes, for its help.
macro_rules! config_keys {
    () => {
        "Keys:
  machine    the MACHINE to build for (qemuarm64, raspberrypi4-64, ...)
  distro     the DISTRO (poky, poky-tiny, ...)
  targets    what `build start` builds: recipes, `recipe:task`, `mc:NAME:recipe` (a list)
  packages   packages added to every image (IMAGE_INSTALL:append; a list)
  recipes    recipes built beside the targets (a list)
  VARIABLE   any BitBake variable, as BitBake writes its left-hand side: IMAGE_FSTYPES,
             PARALLEL_MAKE, DISTRO_FEATURES:append, PREFERRED_VERSION_linux-yocto,
             SRCREV:pn-busybox, do_fetch[number_threads] (`toaster config schema` lists the
             ones Toaster knows and checks)
Layers change with `toaster layer`, BitBake with `toaster bitbake`, hooks with `toaster hook`."
    };
}

/// Toaster: BitBake/Yocto projects, their configuration history, and their builds.
#[derive(Debug, Parser)]
#[command(name = "toaster", version, after_long_help = AFTER_HELP, after_help = AFTER_HELP)]
pub struct Cli {
    /// The database file (created by the first `owner add`; default: the one of the
    /// project directory you are in, else toaster.sqlite here).
    #[arg(
        long,
        global = true,
        env = "TOASTER_DB",
        value_name = "PATH",
        help_heading = GLOBAL
    )]
    pub db: Option<PathBuf>,

    /// Act as this owner.
    #[arg(
        long = "as",
        global = true,
        env = "TOASTER_OWNER",
        value_name = "OWNER",
        help_heading = GLOBAL
    )]
    pub acting: Option<String>,

    /// Print JSON instead of text.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,

    /// Extra variable specs (a JSON file like `toaster config schema --json` prints), added
    /// to the built-in catalogue.
    #[arg(
        long,
        global = true,
        env = "TOASTER_SCHEMA",
        value_name = "PATH",
        help_heading = GLOBAL
    )]
    pub schema: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The heading global options are listed under in every command's help.
const GLOBAL: &str = "Global options";

/// `-p/--project NAME`, for the commands that act on one project.
#[derive(Debug, Args)]
pub struct ProjectOption {
    /// The project, instead of the PROJECT argument (default: the project whose directory
    /// you are in).
    #[arg(
        short = 'p',
        long = "project",
        id = "project_option",
        value_name = "NAME"
    )]
    pub project: Option<String>,
}

/// The command groups.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Where you stand: the database, project and owner in effect, and why.
    #[command(after_help = STATUS_HELP)]
    Status,
    /// Owners: who creates, changes and builds projects.
    #[command(subcommand)]
    Owner(OwnerCommand),
    /// Projects: create, list, clone, delete, and their configuration history.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// A project's configuration: machine, distro, targets, variables, packages, recipes.
    #[command(subcommand, after_help = config_keys!())]
    Config(ConfigCommand),
    /// Builds: what each one ran with and what it did.
    #[command(subcommand)]
    Build(BuildCommand),
    /// Groups of owners that projects are shared with (admins manage them).
    #[command(subcommand)]
    Group(GroupCommand),
    /// The audit log: who created, changed or deleted what, when, from which client.
    #[command(
        after_help = "Examples:\n  toaster audit --project demo --since 1d\n  toaster audit --owner bob --limit 20 --json"
    )]
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
    #[command(
        after_help = "Examples:\n  toaster runner --jobs 2\n  toaster runner --once      (until no build waits)"
    )]
    Runner(RunnerArgs),
    /// Serve pages for a phone, a JSON API under /api/v1 and downloads (sign in with a
    /// token from `toaster owner token create`; Ctrl-C or SIGTERM stops it).
    #[command(
        after_help = "Examples:\n  toaster serve                                  (http://127.0.0.1:8000)\n  toaster serve --listen 127.0.0.1:9000 --behind-proxy   (TLS ends at nginx)\n  toaster serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem"
    )]
    Serve(ServeArgs),
    /// Post-build hooks: e-mail, webhooks or programs when a project's build ends.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Instance settings: the SMTP server, hook retries and time limits (admins change them).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Build hosts: the runners taking builds from this database, what each host runs,
    /// and each host's own settings (its toaster-host.conf).
    #[command(subcommand)]
    Host(HostCommand),
    /// Build archives: import one written elsewhere (`toaster build archive` writes them).
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// Wrapper recipes for imported sources (tarballs, git repositories, directories), in
    /// the project's own layer.
    #[command(subcommand)]
    Recipe(RecipeCommand),
    /// The database itself: copy it whole into another (SQLite to PostgreSQL, or back).
    #[command(subcommand)]
    Db(DbCommand),
}

/// `toaster db …`
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy the whole database in effect (--db, TOASTER_DB, the project directory's or
    /// toaster.sqlite) into an empty one: every table, keys kept, in one transaction that
    /// compares each table with the source row by row before it commits. The source is
    /// only read.
    #[command(
        after_help = "Examples:\n  toaster db copy --to postgres://toaster@db.example.com:5432/toaster\n  toaster --db postgres://toaster@db.example.com/toaster db copy --to back.sqlite\n\nThe password comes from PGPASSWORD or ~/.pgpass, never the command line. A target\nholding any row is refused: copy into a new SQLite file or an empty database."
    )]
    Copy {
        /// Where to: postgres://USER@HOST:PORT/DB (an empty database, or schema with
        /// ?options=-c%20search_path%3DNAME), or an SQLite file (made if missing).
        #[arg(long, value_name = "TARGET")]
        to: std::path::PathBuf,
    },
}

const STATUS_HELP: &str = "\
Examples:
  cd ~/work/demo/build && toaster status
  toaster status --json | jq -r .database.path

Exit code 0 whenever it can tell, also where there is no database (it says so:
`database.exists` is false); 1 only when the current directory cannot be read.";

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
    #[command(after_help = "Example:\n  toaster recipe list demo")]
    List {
        /// The project.
        project: String,
    },
    /// Print an imported recipe.
    #[command(after_help = "Example:\n  toaster recipe show demo hello")]
    Show {
        /// The project.
        project: String,
        /// The recipe.
        name: String,
    },
    /// Take an imported recipe out of the project (a revision) and delete its file.
    #[command(after_help = "Example:\n  toaster recipe remove demo hello")]
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
    #[command(after_help = "Example:\n  toaster archive import demo-build-7.zip --project history")]
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
    #[command(
        after_help = "Examples:\n  toaster hook add demo --on failure --email ops@example.com,dev@example.com\n  toaster hook add demo --on success --run examples/hooks/copy-artifacts --to /srv/images"
    )]
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
    #[command(after_help = "Example:\n  toaster hook list demo")]
    List {
        /// The project.
        project: String,
    },
    /// Remove a hook from a project (a new, undoable revision).
    #[command(
        after_help = "Examples:\n  toaster hook remove demo 2\n  toaster project undo demo      (brings it back)"
    )]
    Remove {
        /// The project.
        project: String,
        /// The hook's id (`hook list`).
        id: u32,
    },
    /// Deliver the hooks due now (for hosts without a runner, e.g. from cron), or keep
    /// delivering with --follow.
    #[command(
        after_help = "Examples:\n  toaster hook deliver                (from cron)\n  toaster hook deliver --follow"
    )]
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
    #[command(after_help = "Examples:\n  toaster settings show\n  toaster settings show --json")]
    Show,
    /// Set a setting (admins only).
    #[command(
        after_help = "Examples:\n  toaster settings set smtp.host mail.example.com\n  toaster settings set cache.sstate /srv/yocto/sstate-cache      (every project's SSTATE_DIR)"
    )]
    Set {
        /// The setting (e.g. smtp.host).
        name: String,
        /// Its value.
        value: String,
    },
    /// Clear a setting, back to its default (admins only).
    #[command(
        after_help = "Example:\n  toaster settings unset cache.downloads      (back to downloads/ beside the database)"
    )]
    Unset {
        /// The setting.
        name: String,
    },
}

/// `toaster host …`
#[derive(Debug, Subcommand)]
pub enum HostCommand {
    /// Every host with a runner or a running build: alive or silent (by the database's
    /// clock), its runners, the builds it runs.
    #[command(after_help = "Examples:\n  toaster host list\n  toaster host list --json")]
    List,
    /// One host: its runners, the builds it runs and its settings.
    #[command(after_help = "Example:\n  toaster host show buildhost1")]
    Show {
        /// The host's name (as `toaster host list` shows it).
        host: String,
    },
    /// Set variables of a host's toaster-host.conf, where and how fast builds run there
    /// (admins only): they take the place of the project's own values on that host.
    #[command(
        after_help = "Example:\n  toaster host set buildhost1 DL_DIR /srv/dl SSTATE_DIR /srv/sstate BB_NUMBER_THREADS 16"
    )]
    Set {
        /// The host's name.
        host: String,
        /// Pairs of NAME VALUE (infrastructure variables only).
        #[arg(value_name = "NAME VALUE", num_args = 2.., required = true)]
        pairs: Vec<String>,
    },
    /// Unset variables of a host's toaster-host.conf (admins only).
    #[command(after_help = "Example:\n  toaster host unset buildhost1 BB_NUMBER_THREADS")]
    Unset {
        /// The host's name.
        host: String,
        /// The variables.
        #[arg(required = true)]
        names: Vec<String>,
    },
}

/// `toaster bitbake …`
#[derive(Debug, Subcommand)]
pub enum BitbakeCommand {
    /// Build the project with the BitBake checkout in DIR (e.g. ~/poky/bitbake), from a new
    /// revision on (undoable).
    #[command(
        after_help = "Examples:\n  toaster bitbake set demo --path ~/poky/bitbake\n  toaster bitbake set demo --git https://git.openembedded.org/bitbake --ref 2.8"
    )]
    Set {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
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
    #[command(
        after_help = "Examples:\n  toaster bitbake update demo\n  toaster bitbake update      (in the project's directory)"
    )]
    Update {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
    },
    /// Show where the project's builds get BitBake.
    #[command(
        after_help = "Examples:\n  toaster bitbake show demo\n  toaster bitbake show --json      (in the project's directory)"
    )]
    Show {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
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
    /// Build each project in DIR/PROJECT, made for it here: its layers cloned at the
    /// commits the build pins, its conf files generated with this host's settings
    /// (`toaster host set`). Default: in the project's own directory.
    #[arg(long, value_name = "DIR")]
    pub workdir: Option<PathBuf>,
    /// Take only builds of projects of this release series (repeat for several, e.g.
    /// --release scarthgap --release wrynose). Default: every release.
    #[arg(long = "release", value_name = "SERIES")]
    pub releases: Vec<String>,
}

/// `toaster serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Anything beyond this host warns, unless it is served
    /// over TLS (--tls-cert/--tls-key) or --behind-proxy says TLS ends at a proxy in front.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8000")]
    pub listen: std::net::SocketAddr,
    /// TLS ends at a reverse proxy in front (nginx, caddy): cookies are marked Secure and
    /// the client address is read from X-Forwarded-For.
    #[arg(long, conflicts_with = "tls_cert")]
    pub behind_proxy: bool,
    /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
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
    #[command(
        after_help = "Examples:\n  toaster layer add demo --git https://git.openembedded.org/meta-openembedded --subdir meta-oe --with-dependencies\n  toaster layer add demo --path ~/src/meta-mine\n  toaster layer add --git https://git.yoctoproject.org/meta-arm --subdir meta-arm --ref scarthgap   (in the project's directory)"
    )]
    Add {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
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
    #[command(
        override_usage = "toaster layer remove [OPTIONS] [PROJECT] <NAME>...",
        after_help = "Examples:\n  toaster layer remove demo meta-oe\n  toaster layer remove meta-python meta-oe      (in the project's directory)"
    )]
    Remove {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
        /// The layers.
        names: Vec<String>,
    },
    /// List the layers in the order BitBake reads them.
    #[command(
        after_help = "Examples:\n  toaster layer list demo\n  cd demo/build && toaster layer list --json"
    )]
    List {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
    },
    /// Show one layer: source, ref, commit, directory, collections and dependencies.
    #[command(
        override_usage = "toaster layer show [OPTIONS] [PROJECT] <NAME>",
        after_help = "Examples:\n  toaster layer show demo meta-poky\n  toaster layer show openembedded-core      (in the project's directory)"
    )]
    Show {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
        /// The layer.
        name: Option<String>,
    },
    /// Fetch git layers and move them to the newest commit of their refs (one revision).
    #[command(
        after_help = "Examples:\n  toaster layer update demo\n  toaster layer update -p demo meta-oe      (only meta-oe and the others of its repository)"
    )]
    Update {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
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
    #[command(
        after_help = "Examples:\n  toaster conf eval build/conf/bblayers.conf build/conf/local.conf MACHINE DL_DIR\n  toaster conf eval conf/local.conf 'do_fetch[network]'"
    )]
    Eval {
        /// Conf files, then variable names.
        #[arg(required = true, value_name = "FILE... [VAR...]")]
        args: Vec<String>,
    },
    /// Rewrite a project's generated conf files (build/conf/toaster*.conf) from its newest
    /// revision. Every configuration change does this already.
    #[command(
        after_help = "Examples:\n  toaster conf write demo\n  toaster conf write      (in the project's directory)"
    )]
    Write {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
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
    #[command(
        override_usage = "toaster build start [OPTIONS] [PROJECT] [TARGET]...",
        after_help = "Examples:\n  toaster build start demo                      queue the project's targets for a runner\n  toaster build start demo core-image-minimal --wait --junit tasks.xml\n  cd demo/build && toaster build start --wait   (the project of this directory)"
    )]
    Start {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory; see `toaster --help`).
        project: Option<String>,
        /// What to build (default: the project's targets).
        targets: Vec<String>,
        /// Run the build here, now, and wait for its end (Ctrl-C cancels it cleanly).
        #[arg(long)]
        wait: bool,
        /// With --wait: write the build's tasks to FILE as JUnit XML.
        #[arg(long, value_name = "FILE", requires = "wait")]
        junit: Option<PathBuf>,
        /// Only a runner on host HOST may take it (`toaster host list` shows the hosts).
        #[arg(long, value_name = "HOST", conflicts_with = "wait")]
        host: Option<String>,
    },
    /// Follow a build (started here, by a runner, or by hand) until it ends: exit 0 when
    /// it succeeded, 1 otherwise.
    #[command(
        after_help = "Examples:\n  toaster build watch 7\n  toaster build watch 7 --junit tasks.xml"
    )]
    Watch {
        /// The build.
        id: i64,
        /// Write the build's tasks to FILE as JUnit XML when it has ended.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
    },
    /// Cancel a build: a queued one never starts, a running one is stopped (as Ctrl-C
    /// stops BitBake, then harder) and ends cancelled.
    #[command(after_help = "Example:\n  toaster build cancel 7")]
    Cancel {
        /// The build.
        id: i64,
    },
    /// List builds, newest first: of one project (named, or the one whose directory you are
    /// in), or of every project you may read.
    #[command(
        after_help = "Examples:\n  toaster build list demo --all\n  toaster build list --limit 10 --page 2 --json"
    )]
    List {
        #[command(flatten)]
        project_option: ProjectOption,
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
    #[command(after_help = "Examples:\n  toaster build show 7\n  toaster build show 7 --json")]
    Show {
        /// The build.
        id: i64,
    },
    /// List a build's tasks.
    /// List the variables a build recorded (those of the schema and those the project sets)
    /// with their values, or show one, with `--history` where each was set (operation, file,
    /// line, value) in BitBake's order.
    #[command(
        after_help = "Examples:\n  toaster build variables 7\n  toaster build variables 7 MACHINE\n  toaster build variables 7 IMAGE_INSTALL --history --json"
    )]
    Variables {
        /// The build.
        id: i64,
        /// Only this variable (case-sensitive: `MACHINE`, `PREFERRED_VERSION_busybox`).
        name: Option<String>,
        /// Also its history: each operation with its file (from the layer or build directory
        /// that holds it) and line.
        #[arg(long, requires = "name")]
        history: bool,
    },
    /// List the packages a build made (version, recipe, size, files), those installed in an
    /// image, or why one is in an image: the chain of installed packages that pulled it in.
    #[command(
        after_help = "Examples:\n  toaster build packages 7\n  toaster build packages 7 --in-image core-image-minimal\n  toaster build packages 7 --in-image core-image-minimal --why libz1 --json"
    )]
    Packages {
        /// The build.
        id: i64,
        /// Only the packages installed in this image target.
        #[arg(long, value_name = "TARGET")]
        in_image: Option<String>,
        /// Instead, why PACKAGE is in the image: from a package nothing else in the image
        /// needs, each package that pulled in the next (depends or recommends).
        #[arg(long, value_name = "PACKAGE", requires = "in_image")]
        why: Option<String>,
    },
    /// List the images a build recorded, or the file listing of one: everything, the entries
    /// under a directory, or the largest files, with the total size.
    #[command(
        after_help = "Examples:\n  toaster build files 7\n  toaster build files 7 core-image-minimal --under /usr/lib\n  toaster build files 7 core-image-minimal --largest 20 --json"
    )]
    Files {
        /// The build.
        id: i64,
        /// The image target (left out: list the build's images).
        target: Option<String>,
        /// Only entries at or below this directory of the image.
        #[arg(long, value_name = "DIR", requires = "target")]
        under: Option<String>,
        /// Only the N largest regular files, largest first.
        #[arg(long, value_name = "N", requires = "target")]
        largest: Option<usize>,
    },
    /// What changed from one build to another: machine, distro, targets, layers and their
    /// commits, the variables each recorded, packages added, removed or resized, image sizes.
    #[command(
        after_help = "Examples:\n  toaster build compare 7 9\n  toaster build compare 7 9 --json"
    )]
    Compare {
        /// The first build.
        from: i64,
        /// The second build.
        to: i64,
    },
    /// List the recipes a build used (name, version, layer, licence), or walk their build
    /// and run-time dependencies.
    #[command(
        after_help = "Examples:\n  toaster build recipes 7\n  toaster build recipes 7 --needed-by core-image-minimal\n  toaster build recipes 7 --depends-on zlib --json"
    )]
    Recipes {
        /// The build.
        id: i64,
        /// Instead, the recipes that need RECIPE (at build or run time), directly or through
        /// others, with the chain that leads to each.
        #[arg(long, value_name = "RECIPE", conflicts_with = "needed_by")]
        depends_on: Option<String>,
        /// Instead, the recipes RECIPE needs (at build or run time), directly or through
        /// others, with the chain that leads to each.
        #[arg(long, value_name = "RECIPE")]
        needed_by: Option<String>,
    },
    #[command(
        after_help = "Examples:\n  toaster build tasks 7 --outcome failed\n  toaster build tasks 7 --sort elapsed --limit 10\n  toaster build tasks 7 --needed-by busybox:do_compile\n  toaster build tasks 7 --depends-on zlib:do_populate_sysroot --json"
    )]
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
        /// Instead, the tasks that wait for TASK (RECIPE:TASK), directly or through others,
        /// with the chain that leads to each.
        #[arg(long, value_name = "TASK", conflicts_with = "needed_by")]
        depends_on: Option<String>,
        /// Instead, the tasks TASK (RECIPE:TASK) waits for, directly or through others, with
        /// the chain that leads to each.
        #[arg(long, value_name = "TASK")]
        needed_by: Option<String>,
    },
    /// List the deliveries of a build's hooks and every attempt at each.
    #[command(after_help = "Example:\n  toaster build hooks 7")]
    Hooks {
        /// The build.
        id: i64,
    },
    /// List what a build made or read worth keeping: images, SDKs, kernels, manifests,
    /// licence manifests, its log, failed tasks' logs, conf files; with size and SHA-256.
    #[command(
        after_help = "Examples:\n  toaster build artifacts 7\n  toaster build artifacts 7 --kind image --json"
    )]
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
    #[command(
        after_help = "Examples:\n  toaster build archive 7 --with-images\n  toaster build archive --older-than 30d --project demo"
    )]
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
    #[command(
        after_help = "Examples:\n  toaster build log 7\n  toaster build log 7 --level warning"
    )]
    Log {
        /// The build.
        id: i64,
        /// Only messages at this level or above (debug, note, warning, error, critical).
        #[arg(long, default_value = "note")]
        level: String,
    },
    /// Hide a build from listings (shown again with --hidden or --all).
    #[command(after_help = "Examples:\n  toaster build hide 7\n  toaster build list --hidden")]
    Hide {
        /// The build.
        id: i64,
    },
    /// Show a hidden build in listings again.
    #[command(after_help = "Example:\n  toaster build unhide 7")]
    Unhide {
        /// The build.
        id: i64,
    },
    /// Delete every record of a build (its files on disk stay).
    #[command(after_help = "Example:\n  toaster build delete 7      (its files on disk stay)")]
    Delete {
        /// The build.
        id: i64,
    },
    /// Replay an event log (JSON lines, written by the recorder) into a new build.
    #[command(after_help = "Example:\n  toaster build import-events farm7.jsonl --project demo")]
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
    #[command(after_help = "Example:\n  toaster group add acme")]
    Add {
        /// The group's name.
        name: String,
    },
    /// Add an owner to a group (admins only).
    #[command(after_help = "Example:\n  toaster group add-member acme bob")]
    AddMember {
        /// The group.
        group: String,
        /// The owner.
        owner: String,
    },
    /// Remove an owner from a group (admins only).
    #[command(after_help = "Example:\n  toaster group remove-member acme bob")]
    RemoveMember {
        /// The group.
        group: String,
        /// The owner.
        owner: String,
    },
    /// List the groups and their members.
    #[command(after_help = "Examples:\n  toaster group list\n  toaster group list --json")]
    List,
}

/// `toaster owner …`
#[derive(Debug, Subcommand)]
pub enum OwnerCommand {
    /// Add an owner (the first one of a new database also creates the database).
    #[command(
        after_help = "Examples:\n  toaster owner add alice --email alice@example.com      (the first: admin, new database)\n  toaster --as alice owner add bob"
    )]
    Add {
        /// The new owner's name.
        name: String,
        /// Their e-mail address.
        #[arg(long)]
        email: Option<String>,
    },
    /// List the owners.
    #[command(after_help = "Example:\n  toaster owner list")]
    List,
    /// Show an owner (default: the one you act as).
    #[command(after_help = "Examples:\n  toaster owner show\n  toaster owner show bob --json")]
    Show {
        /// The owner.
        name: Option<String>,
    },
    /// Rename an owner or change their e-mail address.
    #[command(
        after_help = "Examples:\n  toaster owner edit bob --email bob@example.com\n  toaster owner edit bob --name robert"
    )]
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
    #[command(after_help = "Example:\n  toaster owner use alice")]
    Use {
        /// The owner.
        name: String,
    },
    /// Make an owner an admin (admins only).
    #[command(after_help = "Example:\n  toaster owner grant-admin bob")]
    GrantAdmin {
        /// The owner.
        name: String,
    },
    /// Stop an owner being an admin (admins only; the last admin stays).
    #[command(after_help = "Example:\n  toaster owner revoke-admin bob")]
    RevokeAdmin {
        /// The owner.
        name: String,
    },
    /// Your sign-in tokens for `toaster serve` (browsers and API clients).
    #[command(
        subcommand,
        after_help = "Examples:\n  toaster owner token create --name phone --expires 90d\n  toaster owner token list\n  toaster owner token revoke phone"
    )]
    Token(TokenCommand),
}

/// `toaster owner token …`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token for the owner you act as; its secret is printed this once (only its
    /// hash is kept).
    #[command(
        after_help = "Examples:\n  toaster owner token create --name phone --expires 90d\n  toaster owner token create --json      (the secret in field `token`)"
    )]
    Create {
        /// Its name (default: token-N); requests made with it act from client web:NAME.
        #[arg(long)]
        name: Option<String>,
        /// How long it works: 30m, 12h, 90d (default: until revoked).
        #[arg(long, value_name = "LIFETIME")]
        expires: Option<String>,
    },
    /// List your tokens (never their secrets).
    #[command(after_help = "Example:\n  toaster owner token list")]
    List,
    /// Revoke one of your tokens: it signs nothing in from now on, and its sessions end.
    #[command(after_help = "Example:\n  toaster owner token revoke phone")]
    Revoke {
        /// The token's name.
        name: String,
    },
}

/// `toaster project …`
#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Create a project with its release's default configuration.
    #[command(
        after_help = "Examples:\n  toaster project create demo --release scarthgap           (in ./demo)\n  toaster project create product --dir /srv/yocto/product --group acme"
    )]
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
    #[command(
        after_help = "Example:\n  toaster project import legacy --from ~/poky/build --dir ~/work/legacy --release scarthgap"
    )]
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
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
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
    #[command(
        after_help = "Example:\n  toaster project import-bundle demo.zip --name demo --dir ~/work/demo --strict"
    )]
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
    #[command(
        after_help = "Example:\n  toaster project import-kas kas-project.yml --name board --release scarthgap"
    )]
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
    #[command(
        after_help = "Examples:\n  toaster project list\n  toaster project list --mine --json"
    )]
    List {
        /// Only the projects you own.
        #[arg(long)]
        mine: bool,
    },
    /// Show a project.
    #[command(
        after_help = "Examples:\n  toaster project show demo\n  cd demo/build && toaster project show --json"
    )]
    Show {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
    },
    /// Create a new project with another's current configuration and copies of its git
    /// layers' clones at the recorded commits.
    #[command(
        after_help = "Example:\n  toaster project clone demo demo-next --dir ~/work/demo-next   (shares demo's download and sstate caches)"
    )]
    Clone {
        /// The project to copy.
        source: String,
        /// The new project's name.
        name: String,
        /// The new project's directory (default: ./NAME).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Delete a project's records, and with --files its directory. The project is always
    /// named: never taken from the directory you are in.
    #[command(
        after_help = "Examples:\n  toaster project delete old-demo\n  toaster project delete old-demo --files     (the shared caches beside the database stay)"
    )]
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
    #[command(
        after_help = "Examples:\n  toaster project clean demo\n  toaster project clean --force      (in the project's directory)"
    )]
    Clean {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
        /// Clean even though some builds of the directory are not archived.
        #[arg(long)]
        force: bool,
    },
    /// List a project's configuration revisions.
    #[command(
        after_help = "Examples:\n  toaster project history demo --limit 10\n  toaster project history --since 7d --json      (in the project's directory)"
    )]
    History {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
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
        override_usage = "toaster project diff [OPTIONS] [PROJECT] <REV> [REV2]",
        after_help = "Examples:\n  toaster project diff demo 7        what revision 7 changed\n  toaster project diff demo 3 7      everything from revision 3 to revision 7\n  toaster project diff 7             (in the project's directory)"
    )]
    Diff {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
        /// The revision.
        rev: Option<String>,
        /// A later (or earlier) revision to compare REV with.
        rev2: Option<String>,
    },
    /// Go back to the configuration before the one in effect (as a new revision).
    #[command(
        after_help = "Examples:\n  toaster project undo demo\n  toaster project undo      (in the project's directory)"
    )]
    Undo {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
    },
    /// Restore the configuration of an earlier revision (as a new revision).
    #[command(
        after_help = "Examples:\n  toaster project revert demo --to 3\n  toaster project revert --to 3      (in the project's directory)"
    )]
    Revert {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
        /// The revision to restore.
        #[arg(long = "to", value_name = "N")]
        to: u32,
    },
    /// Restore the release's default configuration (as a new revision, so undo works).
    #[command(
        after_help = "Examples:\n  toaster project reset demo\n  toaster project undo demo      (takes the reset back)"
    )]
    Reset {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
    },
    /// Change who may do what: MODE like `owner=rcbd,group=r,others=` (r read, c configure,
    /// b build, d delete); classes left out keep their rights. Owner or admin.
    #[command(
        override_usage = "toaster project chmod [OPTIONS] [PROJECT] <MODE>",
        after_help = "Examples:\n  toaster project chmod demo group=rcb\n  toaster project chmod demo owner=rcbd,group=r,others="
    )]
    Chmod {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
        /// The new rights.
        mode: Option<String>,
    },
    /// Give a project to another owner. Owner or admin.
    #[command(
        override_usage = "toaster project chown [OPTIONS] [PROJECT] <OWNER>",
        after_help = "Example:\n  toaster project chown demo bob"
    )]
    Chown {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
        /// The new owner.
        owner: Option<String>,
    },
    /// Share a project with a group you belong to, or with none. Owner or admin.
    #[command(
        override_usage = "toaster project chgrp [OPTIONS] [PROJECT] <GROUP|--none>",
        after_help = "Examples:\n  toaster project chgrp demo acme\n  toaster project chgrp demo --none"
    )]
    Chgrp {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        name: Option<String>,
        /// The group.
        group: Option<String>,
        /// Share it with no group.
        #[arg(long, conflicts_with = "group")]
        none: bool,
    },
    /// Show, or (admins) set, the mode new projects get.
    #[command(
        after_help = "Examples:\n  toaster project default-mode\n  toaster project default-mode owner=rcbd,group=rc,others=r"
    )]
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
    #[command(flatten)]
    pub project_option: ProjectOption,
    /// The project (left out in or below its directory).
    pub project: Option<String>,
    /// The list key: `targets`, `packages`, `recipes`, or a variable (IMAGE_FSTYPES).
    #[arg(allow_hyphen_values = true)]
    pub key: Option<String>,
    /// The words (may start with `-`).
    #[arg(allow_hyphen_values = true)]
    pub words: Vec<String>,
    #[command(flatten)]
    pub base: Base,
}

const CONFIG_SET_HELP: &str = concat!(
    config_keys!(),
    "

Examples:
  toaster config set demo machine qemuarm64
  toaster config set demo targets \"core-image-minimal core-image-sato:do_populate_sdk\"
  toaster config set demo EXTRA_IMAGE_FEATURES \"debug-tweaks tools-debug\"
  toaster config set demo PARALLEL_MAKE \"-j 16\"
  toaster config set demo MACHINE ??= qemuarm64          (an operator before the value)
  toaster config set demo INHERIT += rm_work
  toaster config set demo 'do_fetch[number_threads]' 4   (a flag)
  toaster config set demo SRCREV:pn-busybox 0123abcd     (an override)
  toaster config set demo --export HTTP_PROXY http://proxy:3128
  cd demo/build && toaster config set MACHINE qemuarm64     (the project of this directory)

Operators: = (default), ?= (unless set), ??= (weak default), := (expanded now), += and =+
(append and prepend with a space), .= and =. (without). `config add` extends a list with
+= or :append as its spec says, never with a hard =."
);

/// `toaster config …`
///
/// KEY is `machine`, `distro`, `targets`, `packages` (added to images), `recipes`, or a
/// BitBake variable name such as IMAGE_FSTYPES. PROJECT may be left out in or below the
/// project's directory.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set a key (lists take space-separated words): a new revision (`project undo` takes
    /// it back).
    #[command(
        override_usage = "toaster config set [OPTIONS] [PROJECT] <KEY> [OP] <VALUE>...",
        after_help = CONFIG_SET_HELP
    )]
    Set {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory: two arguments are KEY VALUE).
        project: Option<String>,
        /// `machine`, `distro`, `targets`, `packages`, `recipes`, or a BitBake variable
        /// (see Keys below).
        #[arg(allow_hyphen_values = true)]
        key: Option<String>,
        /// The value (may start with `-`, like "-j 16"), after an operator when it is not
        /// `=`: `?=`, `??=`, `:=`, `+=`, `=+`, `.=` or `=.`.
        #[arg(allow_hyphen_values = true)]
        value: Option<String>,
        /// The rest of the value after an operator (`INHERIT += rm_work`).
        #[arg(allow_hyphen_values = true, hide = true)]
        more: Vec<String>,
        /// Write it as `export KEY …`: BitBake passes the variable to the tasks.
        #[arg(long)]
        export: bool,
        #[command(flatten)]
        base: Base,
    },
    /// Remove a key's value.
    #[command(
        override_usage = "toaster config unset [OPTIONS] [PROJECT] <KEY>",
        after_help = "Examples:\n  toaster config unset demo IMAGE_FSTYPES\n  toaster config unset PARALLEL_MAKE      (in the project's directory)"
    )]
    Unset {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
        /// The key (`toaster config set --help` lists them).
        key: Option<String>,
        #[command(flatten)]
        base: Base,
    },
    /// Add words to a list key, keeping those there.
    #[command(
        override_usage = "toaster config add [OPTIONS] [PROJECT] <KEY> <WORD>...",
        after_help = "Examples:\n  toaster config add demo targets core-image-minimal core-image-sato:do_populate_sdk\n  toaster config add demo packages strace gdb\n  toaster config add -p demo EXTRA_OEMAKE -k     (options before the words)"
    )]
    Add(ListEdit),
    /// Remove words from a list key.
    #[command(
        override_usage = "toaster config remove [OPTIONS] [PROJECT] <KEY> <WORD>...",
        after_help = "Examples:\n  toaster config remove demo packages gdb\n  toaster config remove targets core-image-sato     (in the project's directory)"
    )]
    Remove(ListEdit),
    /// Print one key's value (exit 1 when it is not set; `null` with --json).
    #[command(
        override_usage = "toaster config get [OPTIONS] [PROJECT] <KEY>",
        after_help = "Examples:\n  toaster config get demo machine\n  toaster config get MACHINE --json      (in the project's directory)"
    )]
    Get {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
        /// The key (`toaster config set --help` lists them).
        key: Option<String>,
    },
    /// Describe the variables Toaster knows: kind, class, default, allowed values.
    ///
    /// Classes: build (written to toaster.conf), infrastructure (host-specific, written to
    /// toaster-host.conf), managed (set with its own command), forbidden (never set from a
    /// project).
    #[command(
        after_help = "Examples:\n  toaster config schema IMAGE_FSTYPES\n  toaster config schema --json > specs.json"
    )]
    Schema {
        /// One variable (default: all).
        variable: Option<String>,
    },
    /// Show the whole configuration (default: the newest revision).
    #[command(
        after_help = "Examples:\n  toaster config show demo\n  toaster config show --revision 3 --json      (in the project's directory)"
    )]
    Show {
        #[command(flatten)]
        project_option: ProjectOption,
        /// The project (left out in or below its directory).
        project: Option<String>,
        /// Show this revision instead.
        #[arg(long, value_name = "N")]
        revision: Option<u32>,
    },
}
