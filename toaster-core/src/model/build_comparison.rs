//! What changed between two builds: their settings, layers, variables, packages and image
//! sizes.

use std::collections::BTreeMap;

use super::{Build, BuildId, BuildLayer, PackageRecord};

/// One side of a comparison: a build and the facts recorded of it.
#[derive(Debug, Clone, Copy)]
pub struct ComparedBuild<'a> {
    /// The build.
    pub build: &'a Build,
    /// The variables it recorded, by name.
    pub variables: &'a BTreeMap<String, String>,
    /// The packages it made.
    pub packages: &'a [PackageRecord],
    /// The size in bytes of each image it made, by target.
    pub images: &'a BTreeMap<String, u64>,
}

/// A value on either side; `None` where that side has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueChange<T> {
    /// What it is (`MACHINE`, a layer's name, an image target).
    pub name: String,
    /// In the first build.
    pub from: Option<T>,
    /// In the second build.
    pub to: Option<T>,
}

/// A package of one build only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSide {
    /// The package.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its size in bytes.
    pub size: u64,
}

/// A package both builds made, with another version or size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageChange {
    /// The package.
    pub name: String,
    /// In the first build.
    pub from: PackageSide,
    /// In the second build.
    pub to: PackageSide,
}

/// What changed between two builds; each list sorted by name, holding only differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildComparison {
    /// The first build.
    pub from: BuildId,
    /// The second build.
    pub to: BuildId,
    /// Machine, distro and targets (`MACHINE`, `DISTRO`, `targets`).
    pub settings: Vec<ValueChange<String>>,
    /// Layers added, removed, or at another source, reference or commit.
    pub layers: Vec<ValueChange<BuildLayer>>,
    /// Variables set, unset or changed.
    pub variables: Vec<ValueChange<String>>,
    /// Packages only the second build made.
    pub packages_added: Vec<PackageSide>,
    /// Packages only the first build made.
    pub packages_removed: Vec<PackageSide>,
    /// Packages both made, at another version or size.
    pub packages_changed: Vec<PackageChange>,
    /// How many packages both made alike.
    pub packages_unchanged: u32,
    /// Images whose size differs, or made by one build only.
    pub images: Vec<ValueChange<u64>>,
}

impl BuildComparison {
    /// Compares `from` with `to`.
    pub fn new(from: ComparedBuild<'_>, to: ComparedBuild<'_>) -> BuildComparison {
        let settings = [
            (
                "MACHINE",
                from.build.machine.clone(),
                to.build.machine.clone(),
            ),
            ("DISTRO", from.build.distro.clone(), to.build.distro.clone()),
            ("targets", targets(from.build), targets(to.build)),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, from, to)| ValueChange {
            name: name.to_owned(),
            from,
            to,
        })
        .collect();
        let layers = |b: &Build| -> BTreeMap<String, BuildLayer> {
            b.layers
                .iter()
                .map(|l| (l.name.clone(), l.clone()))
                .collect()
        };
        let (packages_added, packages_removed, packages_changed, packages_unchanged) =
            compare_packages(from.packages, to.packages);
        BuildComparison {
            from: from.build.id,
            to: to.build.id,
            settings,
            layers: changes(&layers(from.build), &layers(to.build)),
            variables: changes(from.variables, to.variables),
            packages_added,
            packages_removed,
            packages_changed,
            packages_unchanged,
            images: changes(from.images, to.images),
        }
    }

    /// Whether the builds differ in nothing compared.
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
            && self.layers.is_empty()
            && self.variables.is_empty()
            && self.packages_added.is_empty()
            && self.packages_removed.is_empty()
            && self.packages_changed.is_empty()
            && self.images.is_empty()
    }
}

/// A build's targets as one value (`core-image-minimal meta-toolchain:do_populate_sdk`).
fn targets(build: &Build) -> Option<String> {
    let names: Vec<String> = build.targets.iter().map(ToString::to_string).collect();
    (!names.is_empty()).then(|| names.join(" "))
}

/// The entries of two maps that differ, by key.
fn changes<T: Clone + PartialEq>(
    from: &BTreeMap<String, T>,
    to: &BTreeMap<String, T>,
) -> Vec<ValueChange<T>> {
    let mut names: Vec<&String> = from.keys().chain(to.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| from.get(*name) != to.get(*name))
        .map(|name| ValueChange {
            name: name.clone(),
            from: from.get(name).cloned(),
            to: to.get(name).cloned(),
        })
        .collect()
}

type PackageDifferences = (Vec<PackageSide>, Vec<PackageSide>, Vec<PackageChange>, u32);

/// Packages added, removed, changed and how many are alike.
fn compare_packages(from: &[PackageRecord], to: &[PackageRecord]) -> PackageDifferences {
    let side = |p: &PackageRecord| PackageSide {
        name: p.name.clone(),
        version: p.version.clone(),
        size: p.size,
    };
    let by_name = |packages: &[PackageRecord]| -> BTreeMap<String, PackageSide> {
        packages.iter().map(|p| (p.name.clone(), side(p))).collect()
    };
    let (from, to) = (by_name(from), by_name(to));
    let mut differences: PackageDifferences = (Vec::new(), Vec::new(), Vec::new(), 0);
    for change in changes(&from, &to) {
        match (change.from, change.to) {
            (None, Some(added)) => differences.0.push(added),
            (Some(removed), None) => differences.1.push(removed),
            (Some(from), Some(to)) => differences.2.push(PackageChange {
                name: change.name,
                from,
                to,
            }),
            (None, None) => {}
        }
    }
    let alike = from.len() - differences.1.len() - differences.2.len();
    differences.3 = u32::try_from(alike).unwrap_or(u32::MAX);
    differences
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;

    fn package(name: &str, version: &str, size: u64) -> PackageRecord {
        PackageRecord {
            name: name.into(),
            version: version.into(),
            size,
            recipe: name.into(),
            depends: Vec::new(),
            relations: Default::default(),
        }
    }

    fn layer(name: &str, commit: &str) -> BuildLayer {
        BuildLayer {
            name: name.into(),
            source: format!("https://git.example/{name}"),
            reference: Some("scarthgap".into()),
            commit: Some(commit.into()),
        }
    }

    fn map<T: Clone>(entries: &[(&str, T)]) -> BTreeMap<String, T> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn build(id: i64) -> Build {
        Build {
            id: BuildId(id),
            project: crate::model::ProjectId(1),
            project_name: crate::model::Name::parse("project", "demo").unwrap(),
            revision: crate::model::RevisionNumber(1),
            owner: crate::model::Name::parse("owner", "alice").unwrap(),
            client: "test".into(),
            host: "here".into(),
            build_dir: "/p/demo/build".into(),
            log_path: None,
            machine: None,
            distro: None,
            targets: Vec::new(),
            layers: Vec::new(),
            state: crate::model::BuildState::Succeeded,
            hidden: false,
            started_at: crate::model::Timestamp(0),
            ended_at: None,
            heartbeat_at: crate::model::Timestamp(0),
            progress: crate::model::Progress::default(),
            errors: 0,
            warnings: 0,
            requested: false,
            run_on: None,
            claim: None,
            cancel_requested_at: None,
            archive: None,
            origin: None,
        }
    }

    #[test]
    fn only_differences_are_listed_each_once_by_name() {
        let mut a = build(1);
        a.machine = Some("qemux86-64".into());
        a.targets = vec![Target::parse("core-image-minimal").unwrap()];
        a.layers = vec![layer("core", "aaa"), layer("meta-old", "bbb")];
        let mut b = a.clone();
        b.id = BuildId(2);
        b.machine = Some("qemuarm64".into());
        b.layers = vec![layer("core", "ccc"), layer("meta-new", "ddd")];
        let (va, vb) = (
            map(&[
                ("A", "1".to_owned()),
                ("B", "2".to_owned()),
                ("C", "3".to_owned()),
            ]),
            map(&[
                ("A", "1".to_owned()),
                ("B", "20".to_owned()),
                ("D", "4".to_owned()),
            ]),
        );
        let pa = [
            package("busybox", "1.36-r0", 500),
            package("zlib", "1.3-r0", 100),
            package("gone", "1-r0", 7),
            package("same", "1-r0", 9),
        ];
        let pb = [
            package("busybox", "1.36-r0", 600),
            package("zlib", "1.3.1-r0", 100),
            package("new", "2-r0", 8),
            package("same", "1-r0", 9),
        ];
        let (ia, ib) = (
            map(&[("core-image-minimal", 1000u64)]),
            map(&[("core-image-minimal", 1200u64), ("core-image-base", 5u64)]),
        );
        let side = |build, variables, packages, images| ComparedBuild {
            build,
            variables,
            packages,
            images,
        };
        let c = BuildComparison::new(side(&a, &va, &pa, &ia), side(&b, &vb, &pb, &ib));
        assert_eq!((c.from, c.to), (BuildId(1), BuildId(2)));
        let names = |v: &[ValueChange<String>]| -> Vec<String> {
            v.iter().map(|c| c.name.clone()).collect()
        };
        assert_eq!(names(&c.settings), ["MACHINE"]);
        assert_eq!(c.settings[0].to.as_deref(), Some("qemuarm64"));
        let layer_names: Vec<&str> = c.layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(layer_names, ["core", "meta-new", "meta-old"]);
        assert!(c.layers[1].from.is_none() && c.layers[2].to.is_none());
        assert_eq!(names(&c.variables), ["B", "C", "D"]);
        assert_eq!(c.variables[1].to, None);
        assert_eq!(c.packages_added[0].name, "new");
        assert_eq!(c.packages_removed[0].name, "gone");
        let changed: Vec<(&str, u64, u64)> = c
            .packages_changed
            .iter()
            .map(|p| (p.name.as_str(), p.from.size, p.to.size))
            .collect();
        assert_eq!(changed, [("busybox", 500, 600), ("zlib", 100, 100)]);
        assert_eq!(c.packages_unchanged, 1);
        let images: Vec<(&str, Option<u64>, Option<u64>)> = c
            .images
            .iter()
            .map(|i| (i.name.as_str(), i.from, i.to))
            .collect();
        assert_eq!(
            images,
            [
                ("core-image-base", None, Some(5)),
                ("core-image-minimal", Some(1000), Some(1200))
            ]
        );
        assert!(!c.is_empty());
        let same = BuildComparison::new(side(&a, &va, &pa, &ia), side(&a, &va, &pa, &ia));
        assert!(same.is_empty(), "{same:?}");
        assert_eq!(same.packages_unchanged, 4);
    }
}
