//! What a build's images hold, as frontends show it: images summed up, installed packages,
//! why a package is installed, file listings; and the files of a package.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{ImageFile, ImageListing, ImageSummary, InstalledPackage, PackageFile, WhyHop};

/// An image of a build, as `build files ID --json` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageView {
    /// The image target.
    pub target: String,
    /// Packages installed.
    pub packages: u32,
    /// Entries of its file listing.
    pub files: u32,
    /// Its size in bytes (its regular files, else its installed packages).
    pub size: u64,
}

impl From<&ImageSummary> for ImageView {
    fn from(i: &ImageSummary) -> ImageView {
        ImageView {
            target: i.target.clone(),
            packages: i.packages,
            files: i.files,
            size: i.size,
        }
    }
}

/// A package installed in an image, as `build packages ID --in-image T --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledPackageView {
    /// The package.
    pub name: String,
    /// Its installed size in bytes.
    pub size: u64,
    /// The installed packages it pulled in, by kind (`depends`, `recommends`).
    pub depends: BTreeMap<&'static str, Vec<String>>,
}

impl From<&InstalledPackage> for InstalledPackageView {
    fn from(p: &InstalledPackage) -> InstalledPackageView {
        let mut depends: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for d in &p.depends {
            depends
                .entry(d.kind.as_str())
                .or_default()
                .push(d.name.clone());
        }
        InstalledPackageView {
            name: p.name.clone(),
            size: p.size,
            depends,
        }
    }
}

/// One step of why a package is in an image, as `build packages ID --why P --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhyHopView {
    /// The package.
    pub package: String,
    /// How the step before pulled it in (`depends`, `recommends`); null on the first step.
    pub kind: Option<&'static str>,
}

impl From<&WhyHop> for WhyHopView {
    fn from(h: &WhyHop) -> WhyHopView {
        WhyHopView {
            package: h.package.clone(),
            kind: h.kind.map(|k| k.as_str()),
        }
    }
}

/// An entry of an image's file listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageFileView {
    /// Its path in the image.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// `file`, `dir`, `symlink` or `other`.
    #[serde(rename = "type")]
    pub file_type: &'static str,
    /// Its mode as `ls -l` shows it.
    pub mode: String,
    /// Its owner.
    pub owner: String,
    /// Its group.
    pub group: String,
    /// Where a symbolic link points.
    pub link: Option<String>,
}

impl From<&ImageFile> for ImageFileView {
    fn from(f: &ImageFile) -> ImageFileView {
        ImageFileView {
            path: f.path.clone(),
            size: f.size,
            file_type: f.file_type.as_str(),
            mode: f.mode.clone(),
            owner: f.owner.clone(),
            group: f.group.clone(),
            link: f.link.clone(),
        }
    }
}

/// An image's file listing as queried, as `build files ID TARGET --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageListingView {
    /// The image target.
    pub target: String,
    /// How many entries matched (before `--largest`).
    pub matched: u32,
    /// The size of the regular files that matched, in bytes.
    pub total_size: u64,
    /// The entries shown.
    pub files: Vec<ImageFileView>,
}

impl ImageListingView {
    /// The view of `listing`, of image `target`.
    pub fn new(target: &str, listing: &ImageListing) -> ImageListingView {
        ImageListingView {
            target: target.to_owned(),
            matched: listing.matched,
            total_size: listing.total_size,
            files: listing.files.iter().map(ImageFileView::from).collect(),
        }
    }
}

/// A file of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageFileView {
    /// Its path on the target.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
}

impl From<&PackageFile> for PackageFileView {
    fn from(f: &PackageFile) -> PackageFileView {
        PackageFileView {
            path: f.path.clone(),
            size: f.size,
        }
    }
}
