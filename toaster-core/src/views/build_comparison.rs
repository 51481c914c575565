//! What changed between two builds, as `build compare --json` prints it.

use serde::Serialize;

use crate::model::{BuildComparison, BuildLayer, PackageChange, PackageSide, ValueChange};

/// What changed between two builds; each list sorted by name, differences only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildComparisonView {
    /// The first build's id.
    pub from: i64,
    /// The second build's id.
    pub to: i64,
    /// `MACHINE`, `DISTRO` and `targets`, where they differ.
    pub settings: Vec<ChangeOf<String>>,
    /// Layers added (`from` null), removed (`to` null) or at another source, ref or commit.
    pub layers: Vec<ChangeOf<BuildLayer>>,
    /// Variables set, unset or changed (the values each build recorded).
    pub variables: Vec<ChangeOf<String>>,
    /// Packages added, removed and changed.
    pub packages: PackagesComparedView,
    /// Images whose size (bytes) differs, or made by one build only.
    pub images: Vec<SizeChangeView>,
}

/// One name's value in each build; null where that build has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeOf<T> {
    /// The variable, setting or layer.
    pub name: String,
    /// In the first build.
    pub from: Option<T>,
    /// In the second build.
    pub to: Option<T>,
}

/// A package in one build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageSideView {
    /// The package.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its size in bytes.
    pub size: u64,
}

/// A package both builds made, with another version or size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageChangeView {
    /// The package.
    pub name: String,
    /// Its version in the first build.
    pub from_version: String,
    /// Its version in the second build.
    pub to_version: String,
    /// Its size in the first build.
    pub from_size: u64,
    /// Its size in the second build.
    pub to_size: u64,
    /// `to_size - from_size`.
    pub size_change: i64,
}

/// The packages of two builds compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackagesComparedView {
    /// Only in the second build.
    pub added: Vec<PackageSideView>,
    /// Only in the first build.
    pub removed: Vec<PackageSideView>,
    /// In both, at another version or size.
    pub changed: Vec<PackageChangeView>,
    /// How many are in both alike.
    pub unchanged: u32,
}

/// An image's size in each build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeChangeView {
    /// The image target.
    pub target: String,
    /// Its size in the first build (bytes).
    pub from: Option<u64>,
    /// Its size in the second build (bytes).
    pub to: Option<u64>,
    /// `to - from` when both are known.
    pub change: Option<i64>,
}

fn difference(from: u64, to: u64) -> i64 {
    i64::try_from(to)
        .unwrap_or(i64::MAX)
        .saturating_sub(i64::try_from(from).unwrap_or(i64::MAX))
}

impl<T: Clone> From<&ValueChange<T>> for ChangeOf<T> {
    fn from(c: &ValueChange<T>) -> ChangeOf<T> {
        ChangeOf {
            name: c.name.clone(),
            from: c.from.clone(),
            to: c.to.clone(),
        }
    }
}

impl From<&PackageSide> for PackageSideView {
    fn from(p: &PackageSide) -> PackageSideView {
        PackageSideView {
            name: p.name.clone(),
            version: p.version.clone(),
            size: p.size,
        }
    }
}

impl From<&PackageChange> for PackageChangeView {
    fn from(p: &PackageChange) -> PackageChangeView {
        PackageChangeView {
            name: p.name.clone(),
            from_version: p.from.version.clone(),
            to_version: p.to.version.clone(),
            from_size: p.from.size,
            to_size: p.to.size,
            size_change: difference(p.from.size, p.to.size),
        }
    }
}

impl From<&BuildComparison> for BuildComparisonView {
    fn from(c: &BuildComparison) -> BuildComparisonView {
        BuildComparisonView {
            from: c.from.0,
            to: c.to.0,
            settings: c.settings.iter().map(ChangeOf::from).collect(),
            layers: c.layers.iter().map(ChangeOf::from).collect(),
            variables: c.variables.iter().map(ChangeOf::from).collect(),
            packages: PackagesComparedView {
                added: c.packages_added.iter().map(PackageSideView::from).collect(),
                removed: c
                    .packages_removed
                    .iter()
                    .map(PackageSideView::from)
                    .collect(),
                changed: c
                    .packages_changed
                    .iter()
                    .map(PackageChangeView::from)
                    .collect(),
                unchanged: c.packages_unchanged,
            },
            images: c
                .images
                .iter()
                .map(|i| SizeChangeView {
                    target: i.name.clone(),
                    from: i.from,
                    to: i.to,
                    change: i.from.zip(i.to).map(|(a, b)| difference(a, b)),
                })
                .collect(),
        }
    }
}
