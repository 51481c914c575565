//! The bounds on what reading one kas file may cost. Real kas files are a few kilobytes,
//! a few hundred values, nested five deep, with a handful of includes; the bounds leave
//! room for far more and stop a hostile file long before it costs memory or time.

/// The largest kas file (or include, or lock file) read, in bytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most bytes read over a kas file, its includes and lock files together.
pub const MAX_TOTAL_BYTES: u64 = 4 * 1024 * 1024;

/// The most files read for one kas file (an include read twice counts twice).
pub const MAX_FILES: usize = 64;

/// The deepest nesting of lists and mappings in one file.
pub const MAX_DEPTH: usize = 64;

/// The most values the trees of one kas file's files may hold together, every alias counted
/// as a copy of what it names.
pub const MAX_NODES: usize = 100_000;

/// The most string bytes the trees of one kas file's files may hold together, every alias
/// counted as a copy of what it names.
pub const MAX_TREE_BYTES: usize = 8 * 1024 * 1024;

/// Notes kept for one `local_conf_header` section; the rest are counted in one line.
pub const MAX_SECTION_NOTES: usize = 20;
