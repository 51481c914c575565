//! What an image target of a build holds: the packages installed in it, with the
//! dependencies between them that brought each in, and its file listing (openembedded-core's
//! buildhistory, sent by its `toaster` class as `ImagePkgList`).

use serde::{Deserialize, Serialize};

use super::dependency_graph::DependencyGraph;

/// How one installed package pulled in another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageDependencyKind {
    /// A run-time dependency (`RDEPENDS`).
    Depends,
    /// A recommendation (`RRECOMMENDS`) the image took.
    Recommends,
}

impl ImageDependencyKind {
    /// Its stored and printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageDependencyKind::Depends => "depends",
            ImageDependencyKind::Recommends => "recommends",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<ImageDependencyKind> {
        match text {
            "depends" => Some(ImageDependencyKind::Depends),
            "recommends" => Some(ImageDependencyKind::Recommends),
            _ => None,
        }
    }
}

/// A package another installed package needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ImageDependency {
    /// The package needed.
    pub name: String,
    /// How.
    pub kind: ImageDependencyKind,
}

/// A package installed in an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledPackage {
    /// The package.
    pub name: String,
    /// Its installed size in bytes.
    #[serde(default)]
    pub size: u64,
    /// The installed packages it pulled in.
    #[serde(default)]
    pub depends: Vec<ImageDependency>,
}

/// Packages installed in one image, as a recorder writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImagePackages {
    /// The image target (`core-image-minimal`).
    pub target: String,
    /// Its packages.
    pub packages: Vec<InstalledPackage>,
}

/// What an entry of an image's file listing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A device, pipe or socket.
    Other,
}

impl FileType {
    /// Its stored and printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            FileType::File => "file",
            FileType::Dir => "dir",
            FileType::Symlink => "symlink",
            FileType::Other => "other",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<FileType> {
        [
            FileType::File,
            FileType::Dir,
            FileType::Symlink,
            FileType::Other,
        ]
        .into_iter()
        .find(|t| t.as_str() == text)
    }
}

/// One entry of an image's file listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFile {
    /// Its path in the image (`/bin/busybox`).
    pub path: String,
    /// Its size in bytes.
    #[serde(default)]
    pub size: u64,
    /// What it is.
    #[serde(rename = "type")]
    pub file_type: FileType,
    /// Its mode as `ls -l` shows it (`-rwxr-xr-x`).
    #[serde(default)]
    pub mode: String,
    /// Its owner.
    #[serde(default)]
    pub owner: String,
    /// Its group.
    #[serde(default)]
    pub group: String,
    /// Where a symbolic link points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// Entries of one image's file listing, as a recorder writes them (a long listing comes in
/// several runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFiles {
    /// The image target.
    pub target: String,
    /// The entries.
    pub files: Vec<ImageFile>,
}

/// An image of a build, summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSummary {
    /// The image target.
    pub target: String,
    /// Packages installed.
    pub packages: u32,
    /// Entries of its file listing.
    pub files: u32,
    /// Its size in bytes: the regular files of its listing, else its installed packages.
    pub size: u64,
}

/// One step of the chain that brought a package into an image: `package` pulled in the
/// next step's package (the last step is the package asked about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhyHop {
    /// The package.
    pub package: String,
    /// How the previous step's package pulled this one in (`None` on the first step: a
    /// package installed for itself, nothing in the image needing it).
    pub kind: Option<ImageDependencyKind>,
}

/// A query of an image's file listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileQuery {
    /// Only entries at or below this directory.
    pub under: Option<String>,
    /// Only the this many largest regular files, largest first.
    pub largest: Option<usize>,
}

/// An image's file listing as queried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageListing {
    /// The entries, by path (by size with `largest`).
    pub files: Vec<ImageFile>,
    /// How many entries matched (before `largest`).
    pub matched: u32,
    /// The size of the regular files that matched.
    pub total_size: u64,
}

/// Which installed package of an image pulled in which, walkable both ways.
pub type ImagePackageGraph = DependencyGraph<String>;

/// The chain that brought `package` into an image whose dependency edges are
/// `(package, needed, kind)`: from a package nothing in the image needs, by the fewest hops.
/// `None` when the package is not among `installed`.
pub fn why_installed(
    installed: &[String],
    edges: &[(String, String, ImageDependencyKind)],
    package: &str,
) -> Option<Vec<WhyHop>> {
    if !installed.iter().any(|p| p == package) {
        return None;
    }
    let graph = ImagePackageGraph::new(edges.iter().map(|(a, b, _)| (a.clone(), b.clone())));
    let needed: std::collections::HashSet<&str> =
        edges.iter().map(|(_, b, _)| b.as_str()).collect();
    let is_root = |p: &str| !needed.contains(p);
    let mut chain: Vec<String> = vec![package.to_owned()];
    if !is_root(package) {
        // Walks out from the package towards what needs it, nearest first: the first root
        // reached is one of the nearest.
        let reached = graph.depending_on(&package.to_owned());
        if let Some(root) = reached.iter().find(|r| is_root(&r.node)) {
            chain.extend(root.chain.iter().cloned());
        }
    }
    chain.reverse();
    let kind_of = |from: &str, to: &str| {
        edges
            .iter()
            .filter(|(a, b, _)| a == from && b == to)
            .map(|(_, _, k)| *k)
            .min()
    };
    let mut hops = Vec::with_capacity(chain.len());
    for (i, p) in chain.iter().enumerate() {
        let kind = if i == 0 {
            None
        } else {
            kind_of(&chain[i - 1], p)
        };
        hops.push(WhyHop {
            package: p.clone(),
            kind,
        });
    }
    Some(hops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ImageDependencyKind::*;

    fn edge(a: &str, b: &str, k: ImageDependencyKind) -> (String, String, ImageDependencyKind) {
        (a.into(), b.into(), k)
    }

    #[test]
    fn the_chain_starts_at_a_package_nothing_needs_and_takes_the_fewest_hops() {
        let installed: Vec<String> = ["base", "busybox", "libc", "extra", "tool", "alone"]
            .map(String::from)
            .to_vec();
        let edges = [
            edge("base", "busybox", Depends),
            edge("busybox", "libc", Depends),
            edge("base", "extra", Recommends),
            edge("extra", "tool", Depends),
            edge("tool", "libc", Depends),
            // A cycle does not loop the walk.
            edge("libc", "busybox", Depends),
        ];
        let why = why_installed(&installed, &edges, "tool").unwrap();
        let steps: Vec<(&str, Option<ImageDependencyKind>)> =
            why.iter().map(|h| (h.package.as_str(), h.kind)).collect();
        assert_eq!(
            steps,
            [
                ("base", None),
                ("extra", Some(Recommends)),
                ("tool", Some(Depends))
            ]
        );
        let libc = why_installed(&installed, &edges, "libc").unwrap();
        assert_eq!(libc.len(), 3, "base > busybox > libc: {libc:?}");
        let alone = why_installed(&installed, &edges, "alone").unwrap();
        assert_eq!(
            alone,
            [WhyHop {
                package: "alone".into(),
                kind: None
            }]
        );
        assert_eq!(why_installed(&installed, &edges, "absent"), None);
    }

    #[test]
    fn kinds_and_types_read_back_what_they_print() {
        for k in [Depends, Recommends] {
            assert_eq!(ImageDependencyKind::parse(k.as_str()), Some(k));
        }
        for t in [
            FileType::File,
            FileType::Dir,
            FileType::Symlink,
            FileType::Other,
        ] {
            assert_eq!(FileType::parse(t.as_str()), Some(t));
        }
        assert_eq!(FileType::parse("socket"), None);
    }
}
