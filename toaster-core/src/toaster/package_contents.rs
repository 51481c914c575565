//! What a build's packages hold and what its images hold: package files, installed
//! packages, why a package is in an image, and image file listings.

use std::collections::BTreeMap;

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::model::{
    BuildId, FileQuery, FileType, ImageFiles, ImageListing, ImagePackages, ImageSummary,
    InstalledPackage, PackageFile, PackageFiles, Right, WhyHop, why_installed,
};

impl Actor {
    /// The files of package `package` of build `id`, by path (needs read). A package the
    /// build did not make is an error; one it made without files recorded has none.
    pub fn package_files(&self, id: BuildId, package: &str) -> Result<Vec<PackageFile>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        let files = self.store().package_files(id, Some(package))?;
        if files.is_empty() && !self.store().packages(id)?.iter().any(|p| p.name == package) {
            return Err(Error::NoBuildPackage {
                build: id,
                package: package.to_owned(),
            });
        }
        Ok(files.into_iter().map(|(_, f)| f).collect())
    }

    /// How many files each package of build `id` has recorded, by package (needs read).
    pub fn package_file_counts(&self, id: BuildId) -> Result<BTreeMap<String, u32>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for (package, _) in self.store().package_files(id, None)? {
            *counts.entry(package).or_default() += 1;
        }
        Ok(counts)
    }

    /// The images build `id` recorded, summed up, by target (needs read).
    pub fn images(&self, id: BuildId) -> Result<Vec<ImageSummary>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().images(id)?)
    }

    /// The packages installed in image `target` of build `id`, by name, each with the
    /// installed packages it pulled in (needs read).
    pub fn image_packages(
        &self,
        id: BuildId,
        target: &str,
    ) -> Result<Vec<InstalledPackage>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        let packages: Vec<InstalledPackage> = self
            .store()
            .image_packages(id)?
            .into_iter()
            .filter(|(t, _)| t == target)
            .map(|(_, p)| p)
            .collect();
        if packages.is_empty() && !self.has_image(id, target)? {
            return Err(Error::NoImage {
                build: id,
                target: target.to_owned(),
            });
        }
        Ok(packages)
    }

    /// The chain of installed packages that brought `package` into image `target` of build
    /// `id` (needs read): from a package nothing in the image needs, by the fewest hops,
    /// ending with `package`; just `package` when it was installed for itself.
    pub fn package_why(
        &self,
        id: BuildId,
        target: &str,
        package: &str,
    ) -> Result<Vec<WhyHop>, Error> {
        let installed = self.image_packages(id, target)?;
        let names: Vec<String> = installed.iter().map(|p| p.name.clone()).collect();
        let edges: Vec<_> = installed
            .iter()
            .flat_map(|p| {
                p.depends
                    .iter()
                    .map(|d| (p.name.clone(), d.name.clone(), d.kind))
            })
            .collect();
        why_installed(&names, &edges, package).ok_or_else(|| Error::NotInImage {
            build: id,
            target: target.to_owned(),
            package: package.to_owned(),
        })
    }

    /// The file listing of image `target` of build `id` as `query` asks (needs read): the
    /// entries at or below a directory, or the largest regular files, with their count and
    /// total size.
    pub fn image_files(
        &self,
        id: BuildId,
        target: &str,
        query: &FileQuery,
    ) -> Result<ImageListing, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        let mut files = self.store().image_files(id, target)?;
        if files.is_empty() && !self.has_image(id, target)? {
            return Err(Error::NoImage {
                build: id,
                target: target.to_owned(),
            });
        }
        if let Some(dir) = &query.under {
            let dir = dir.trim_end_matches('/');
            let below = format!("{dir}/");
            files.retain(|f| f.path == dir || f.path.starts_with(&below) || dir.is_empty());
        }
        let matched = u32::try_from(files.len()).unwrap_or(u32::MAX);
        let total_size = files
            .iter()
            .filter(|f| f.file_type == FileType::File)
            .map(|f| f.size)
            .fold(0u64, u64::saturating_add);
        if let Some(n) = query.largest {
            files.retain(|f| f.file_type == FileType::File);
            files.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
            files.truncate(n);
        }
        Ok(ImageListing {
            files,
            matched,
            total_size,
        })
    }

    /// The size in bytes of each image of build `id`, by target.
    pub(super) fn image_sizes(&self, id: BuildId) -> Result<BTreeMap<String, u64>, Error> {
        Ok(self
            .store()
            .images(id)?
            .into_iter()
            .map(|i| (i.target, i.size))
            .collect())
    }

    /// A build's package files, one write per package, for its archive.
    pub(super) fn archived_package_files(&self, id: BuildId) -> Result<Vec<PackageFiles>, Error> {
        let mut grouped: Vec<PackageFiles> = Vec::new();
        for (package, file) in self.store().package_files(id, None)? {
            match grouped.last_mut() {
                Some(last) if last.package == package => last.files.push(file),
                _ => grouped.push(PackageFiles {
                    package,
                    files: vec![file],
                }),
            }
        }
        Ok(grouped)
    }

    /// A build's installed packages, one write per image, for its archive.
    pub(super) fn archived_image_packages(&self, id: BuildId) -> Result<Vec<ImagePackages>, Error> {
        let mut grouped: Vec<ImagePackages> = Vec::new();
        for (target, package) in self.store().image_packages(id)? {
            match grouped.last_mut() {
                Some(last) if last.target == target => last.packages.push(package),
                _ => grouped.push(ImagePackages {
                    target,
                    packages: vec![package],
                }),
            }
        }
        Ok(grouped)
    }

    /// A build's image file listings, one write per image, for its archive.
    pub(super) fn archived_image_files(&self, id: BuildId) -> Result<Vec<ImageFiles>, Error> {
        let mut listings = Vec::new();
        for image in self.store().images(id)? {
            let files = self.store().image_files(id, &image.target)?;
            if !files.is_empty() {
                listings.push(ImageFiles {
                    target: image.target,
                    files,
                });
            }
        }
        Ok(listings)
    }

    fn has_image(&self, id: BuildId, target: &str) -> Result<bool, Error> {
        Ok(self.store().images(id)?.iter().any(|i| i.target == target))
    }
}
