//! How much an archive may hold before the reader refuses it.

/// How much an archive may hold before [`ArchiveReader::open`](super::ArchiveReader::open)
/// refuses it. Everything is checked against the central directory before any entry is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// The most entries (files and directories).
    pub max_entries: u64,
    /// The most bytes all entries may declare once unpacked, added up.
    pub max_total_bytes: u64,
    /// The highest uncompressed-to-compressed size ratio of one entry (a zip bomb's mark).
    pub max_ratio: u64,
    /// Entries declaring at most this many bytes unpacked are never taken for bombs, however
    /// well they compress.
    pub ratio_floor: u64,
}

impl Default for ArchiveLimits {
    /// 100,000 entries, 64 GiB in all, a ratio of 200 above 1 MiB.
    fn default() -> Self {
        ArchiveLimits {
            max_entries: 100_000,
            max_total_bytes: 64 << 30,
            max_ratio: 200,
            ratio_floor: 1 << 20,
        }
    }
}
