//! What a recorder writes of a build's package files and image contents: each entry once
//! per event (an entry listed twice is said and kept once; across events the store keeps
//! the first), a package's dependency on itself left out (said), and an image's packages
//! and files as sent.

use std::collections::HashSet;

use super::variables::Outcome;
use crate::model::{BuildWrite, ImageFiles, ImagePackages, PackageFiles};

/// Keeps the first of the items with the same key; returns how many were left out.
fn keep_first<T, K: std::hash::Hash + Eq>(items: &mut Vec<T>, key: impl Fn(&T) -> K) -> usize {
    let before = items.len();
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(key(item)));
    before - items.len()
}

/// A package's files.
pub(super) fn package_files(mut files: PackageFiles) -> Outcome {
    let mut warnings = Vec::new();
    let repeated = keep_first(&mut files.files, |f| f.path.clone());
    if repeated > 0 {
        warnings.push(format!(
            "package {} lists {repeated} of its files more than once; each is recorded once",
            files.package
        ));
    }
    let write = (!files.files.is_empty()).then_some(BuildWrite::PackageFiles(files));
    (write, warnings)
}

/// Packages installed in an image.
pub(super) fn image_packages(mut image: ImagePackages) -> Outcome {
    let mut warnings = Vec::new();
    let repeated = keep_first(&mut image.packages, |p| p.name.clone());
    if repeated > 0 {
        warnings.push(format!(
            "image {} lists {repeated} of its packages more than once; each is recorded once",
            image.target
        ));
    }
    for package in &mut image.packages {
        let name = package.name.clone();
        keep_first(&mut package.depends, |d| (d.name.clone(), d.kind));
        let before = package.depends.len();
        package.depends.retain(|d| d.name != name);
        if package.depends.len() < before {
            warnings.push(format!(
                "package {name} of image {} is listed as needing itself; that dependency is not recorded",
                image.target
            ));
        }
    }
    let write = (!image.packages.is_empty()).then_some(BuildWrite::ImagePackages(image));
    (write, warnings)
}

/// Entries of an image's file listing.
pub(super) fn image_files(mut image: ImageFiles) -> Outcome {
    let mut warnings = Vec::new();
    let repeated = keep_first(&mut image.files, |f| f.path.clone());
    if repeated > 0 {
        warnings.push(format!(
            "image {} lists {repeated} of its files more than once; each is recorded once",
            image.target
        ));
    }
    let write = (!image.files.is_empty()).then_some(BuildWrite::ImageFiles(image));
    (write, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        FileType, ImageDependency, ImageDependencyKind, ImageFile, InstalledPackage, PackageFile,
    };

    #[test]
    fn entries_listed_twice_are_kept_once_and_said() {
        let file = |path: &str, size| PackageFile {
            path: path.into(),
            size,
        };
        let (write, warnings) = package_files(PackageFiles {
            package: "busybox".into(),
            files: vec![
                file("/bin/busybox", 9),
                file("/bin/busybox", 10),
                file("/a\nb", 1),
            ],
        });
        let Some(BuildWrite::PackageFiles(kept)) = write else {
            panic!("{write:?}")
        };
        assert_eq!(kept.files, [file("/bin/busybox", 9), file("/a\nb", 1)]);
        assert!(warnings[0].contains("1 of its files"), "{warnings:?}");
        let empty = package_files(PackageFiles {
            package: "empty".into(),
            files: Vec::new(),
        });
        assert_eq!(empty, (None, Vec::new()));

        let depends = |names: &[&str]| {
            names
                .iter()
                .map(|n| ImageDependency {
                    name: (*n).into(),
                    kind: ImageDependencyKind::Depends,
                })
                .collect()
        };
        let (write, warnings) = image_packages(ImagePackages {
            target: "core-image-minimal".into(),
            packages: vec![
                InstalledPackage {
                    name: "a".into(),
                    size: 1,
                    depends: depends(&["b", "b", "a"]),
                },
                InstalledPackage {
                    name: "a".into(),
                    size: 2,
                    depends: Vec::new(),
                },
            ],
        });
        let Some(BuildWrite::ImagePackages(kept)) = write else {
            panic!("{write:?}")
        };
        assert_eq!(kept.packages.len(), 1);
        assert_eq!(kept.packages[0].depends, depends(&["b"]));
        assert_eq!(warnings.len(), 2, "{warnings:?}");

        let entry = |path: &str| ImageFile {
            path: path.into(),
            size: 0,
            file_type: FileType::Dir,
            mode: "drwxr-xr-x".into(),
            owner: "root".into(),
            group: "root".into(),
            link: None,
        };
        let (write, warnings) = image_files(ImageFiles {
            target: "core-image-minimal".into(),
            files: vec![entry("/bin"), entry("/bin")],
        });
        assert!(matches!(write, Some(BuildWrite::ImageFiles(ref i)) if i.files.len() == 1));
        assert_eq!(warnings.len(), 1);
    }
}
