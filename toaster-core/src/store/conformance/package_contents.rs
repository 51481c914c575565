//! Conformance checks of the full build record's package files, package relations and
//! image contents: per build, in order, duplicates kept once, gone with their build.

use std::collections::BTreeMap;

use super::Check;
use super::recipe_record::two_builds;
use crate::model::{
    BuildWrite, FileType, ImageDependency, ImageDependencyKind, ImageFile, ImageFiles,
    ImagePackages, ImageSummary, InstalledPackage, PackageFile, PackageFiles, PackageRecord,
    RelationKind,
};
use crate::store::Store;

/// Every check of package files and image contents, by name.
pub const CHECKS: &[(&str, Check)] = &[(
    "package_files_relations_and_images_round_trip_per_build",
    package_files_relations_and_images_round_trip_per_build,
)];

fn file(path: &str, size: u64) -> PackageFile {
    PackageFile {
        path: path.to_owned(),
        size,
    }
}

fn entry(path: &str, size: u64, file_type: FileType, link: Option<&str>) -> ImageFile {
    ImageFile {
        path: path.to_owned(),
        size,
        file_type,
        mode: if file_type == FileType::Dir {
            "drwxr-xr-x"
        } else {
            "-rwxr-xr-x"
        }
        .to_owned(),
        owner: "root".to_owned(),
        group: "root".to_owned(),
        link: link.map(str::to_owned),
    }
}

fn installed(name: &str, size: u64, depends: &[(&str, ImageDependencyKind)]) -> InstalledPackage {
    InstalledPackage {
        name: name.to_owned(),
        size,
        depends: depends
            .iter()
            .map(|(n, kind)| ImageDependency {
                name: (*n).to_owned(),
                kind: *kind,
            })
            .collect(),
    }
}

fn package_files_relations_and_images_round_trip_per_build(store: &dyn Store) {
    use ImageDependencyKind::{Depends, Recommends};
    let (first, second, delete) = two_builds(store);
    let odd = "/usr/share/a file\nwith a newline \u{fffd}";
    let busybox = PackageRecord {
        name: "busybox".to_owned(),
        version: "1.36.1-r0".to_owned(),
        size: 500,
        recipe: "busybox".to_owned(),
        depends: vec!["libc6".to_owned()],
        relations: BTreeMap::from([
            (
                RelationKind::Rrecommends,
                vec!["busybox-syslog".to_owned(), "busybox-udhcpc".to_owned()],
            ),
            (RelationKind::Rprovides, vec!["sh".to_owned()]),
        ]),
    };
    store
        .record(
            first.id,
            &[
                BuildWrite::Package(busybox.clone()),
                BuildWrite::PackageFiles(PackageFiles {
                    package: "busybox".to_owned(),
                    files: vec![file("/bin/busybox", 400), file(odd, 7)],
                }),
                BuildWrite::ImagePackages(ImagePackages {
                    target: "core-image-minimal".to_owned(),
                    packages: vec![
                        installed("packagegroup-core-boot", 0, &[("busybox", Depends)]),
                        installed(
                            "busybox",
                            4096,
                            &[("libc6", Depends), ("busybox-syslog", Recommends)],
                        ),
                        installed("libc6", 2048, &[]),
                    ],
                }),
                BuildWrite::ImageFiles(ImageFiles {
                    target: "core-image-minimal".to_owned(),
                    files: vec![
                        entry("/bin", 0, FileType::Dir, None),
                        entry("/bin/busybox", 400, FileType::File, None),
                    ],
                }),
            ],
        )
        .unwrap();
    // A later batch adds to what is there; a file recorded again keeps its first record.
    store
        .record(
            first.id,
            &[
                BuildWrite::PackageFiles(PackageFiles {
                    package: "busybox".to_owned(),
                    files: vec![file("/bin/busybox", 999), file("/etc/inittab", 30)],
                }),
                BuildWrite::ImageFiles(ImageFiles {
                    target: "core-image-minimal".to_owned(),
                    files: vec![
                        entry("/bin/sh", 7, FileType::Symlink, Some("busybox")),
                        entry("/bin/busybox", 1, FileType::File, None),
                    ],
                }),
            ],
        )
        .unwrap();
    store
        .record(
            second.id,
            &[BuildWrite::PackageFiles(PackageFiles {
                package: "busybox".to_owned(),
                files: vec![file("/bin/busybox", 1)],
            })],
        )
        .unwrap();

    assert_eq!(store.packages(first.id).unwrap(), [busybox]);
    let files: Vec<(String, PackageFile)> = store.package_files(first.id, None).unwrap();
    let expected = [
        file("/bin/busybox", 400),
        file("/etc/inittab", 30),
        file(odd, 7),
    ];
    assert_eq!(
        files,
        expected.map(|f| ("busybox".to_owned(), f)).to_vec(),
        "by package and path, the first record kept"
    );
    assert_eq!(
        store.package_files(first.id, Some("busybox")).unwrap(),
        files
    );
    assert!(
        store
            .package_files(first.id, Some("zlib"))
            .unwrap()
            .is_empty()
    );

    let image = store.image_packages(first.id).unwrap();
    let names: Vec<(&str, &str, u64, usize)> = image
        .iter()
        .map(|(t, p)| (t.as_str(), p.name.as_str(), p.size, p.depends.len()))
        .collect();
    assert_eq!(
        names,
        [
            ("core-image-minimal", "busybox", 4096, 2),
            ("core-image-minimal", "libc6", 2048, 0),
            ("core-image-minimal", "packagegroup-core-boot", 0, 1),
        ]
    );
    assert_eq!(
        image[0].1.depends,
        [
            ImageDependency {
                name: "busybox-syslog".to_owned(),
                kind: Recommends
            },
            ImageDependency {
                name: "libc6".to_owned(),
                kind: Depends
            },
        ]
    );
    let listing = store.image_files(first.id, "core-image-minimal").unwrap();
    let paths: Vec<(&str, u64, Option<&str>)> = listing
        .iter()
        .map(|f| (f.path.as_str(), f.size, f.link.as_deref()))
        .collect();
    assert_eq!(
        paths,
        [
            ("/bin", 0, None),
            ("/bin/busybox", 400, None),
            ("/bin/sh", 7, Some("busybox"))
        ]
    );
    assert_eq!(listing[2].file_type, FileType::Symlink);
    assert!(store.image_files(first.id, "other").unwrap().is_empty());
    assert_eq!(
        store.images(first.id).unwrap(),
        [ImageSummary {
            target: "core-image-minimal".to_owned(),
            packages: 3,
            files: 3,
            size: 400,
        }],
        "an image's size is its regular files'"
    );
    assert!(store.images(second.id).unwrap().is_empty());

    store.delete_build(first.id, &delete).unwrap();
    assert!(store.package_files(first.id, None).unwrap().is_empty());
    assert!(store.image_packages(first.id).unwrap().is_empty());
    assert!(
        store
            .image_files(first.id, "core-image-minimal")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.package_files(second.id, None).unwrap().len(),
        1,
        "deleting a build leaves the others' files"
    );
}
