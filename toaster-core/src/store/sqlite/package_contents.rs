//! A build's package files, package relations and image contents in SQLite: written in the
//! recorder's batches, read back by package or image.

use std::collections::BTreeMap;

use rusqlite::{Transaction, params};

use super::SqliteStore;
use super::rows::int;
use crate::model::{
    BuildId, FileType, ImageDependency, ImageDependencyKind, ImageFile, ImageFiles, ImagePackages,
    ImageSummary, InstalledPackage, PackageFile, PackageFiles, RelationKind,
};
use crate::store::{StoreError, contents};

// A row a build already has keeps its first record.
const PACKAGE_FILE: &str = "INSERT OR IGNORE INTO package_file (build_id, package, path, size) \
     VALUES (?1, ?2, ?3, ?4)";
const RELATION: &str = "INSERT OR IGNORE INTO package_relation (build_id, package, kind, name) \
     VALUES (?1, ?2, ?3, ?4)";
const IMAGE_PACKAGE: &str = "INSERT OR IGNORE INTO image_package (build_id, target, package, \
     size) VALUES (?1, ?2, ?3, ?4)";
const IMAGE_DEPENDENCY: &str = "INSERT OR IGNORE INTO image_dependency (build_id, target, \
     package, dep_package, kind) VALUES (?1, ?2, ?3, ?4, ?5)";
const IMAGE_FILE: &str = "INSERT OR IGNORE INTO image_file (build_id, target, path, size, type, \
     mode, owner, grp, link) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// Inserts the relations of package `package` of `build`.
pub(super) fn insert_relations(
    tx: &Transaction<'_>,
    build: BuildId,
    package: &str,
    relations: &BTreeMap<RelationKind, Vec<String>>,
) -> rusqlite::Result<usize> {
    if relations.is_empty() {
        return Ok(0);
    }
    let mut st = tx.prepare_cached(RELATION)?;
    relations.iter().try_fold(0, |n, (kind, names)| {
        names.iter().try_fold(n, |n, name| {
            st.execute(params![build.0, package, kind.as_str(), name])
                .map(|m| n + m)
        })
    })
}

/// Inserts files of a package.
pub(super) fn insert_package_files(
    tx: &Transaction<'_>,
    build: BuildId,
    p: &PackageFiles,
) -> rusqlite::Result<usize> {
    let mut st = tx.prepare_cached(PACKAGE_FILE)?;
    p.files.iter().try_fold(0, |n, f| {
        st.execute(params![build.0, p.package, f.path, int(f.size)])
            .map(|m| n + m)
    })
}

/// Inserts packages installed in an image, with their dependencies.
pub(super) fn insert_image_packages(
    tx: &Transaction<'_>,
    build: BuildId,
    image: &ImagePackages,
) -> rusqlite::Result<usize> {
    let mut package = tx.prepare_cached(IMAGE_PACKAGE)?;
    let mut dependency = tx.prepare_cached(IMAGE_DEPENDENCY)?;
    image.packages.iter().try_fold(0, |n, p| {
        let n = n + package.execute(params![build.0, image.target, p.name, int(p.size)])?;
        p.depends.iter().try_fold(n, |n, d| {
            dependency
                .execute(params![
                    build.0,
                    image.target,
                    p.name,
                    d.name,
                    d.kind.as_str()
                ])
                .map(|m| n + m)
        })
    })
}

/// Inserts entries of an image's file listing.
pub(super) fn insert_image_files(
    tx: &Transaction<'_>,
    build: BuildId,
    image: &ImageFiles,
) -> rusqlite::Result<usize> {
    let mut st = tx.prepare_cached(IMAGE_FILE)?;
    image.files.iter().try_fold(0, |n, f| {
        st.execute(params![
            build.0,
            image.target,
            f.path,
            int(f.size),
            f.file_type.as_str(),
            f.mode,
            f.owner,
            f.group,
            f.link
        ])
        .map(|m| n + m)
    })
}

fn corrupt(what: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: format!("`{value}` is not one this version knows"),
    }
}

fn size(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl SqliteStore {
    /// The relations of each package of `build` that has any, by package.
    pub(super) fn read_relations(
        &self,
        build: BuildId,
    ) -> Result<BTreeMap<String, BTreeMap<RelationKind, Vec<String>>>, StoreError> {
        let sql = "SELECT package, kind, name FROM package_relation WHERE build_id = ?1 \
                   ORDER BY package, kind, name";
        let rows = self.list(&self.conn(), sql, [build.0], |r| {
            let kind: String = r.get(1)?;
            let Some(kind) = RelationKind::parse(&kind) else {
                return Ok(Err(corrupt("package relation kind", &kind)));
            };
            Ok(Ok((r.get::<_, String>(0)?, kind, r.get::<_, String>(2)?)))
        })?;
        Ok(contents::relations(rows))
    }

    pub(super) fn read_package_files(
        &self,
        build: BuildId,
        package: Option<&str>,
    ) -> Result<Vec<(String, PackageFile)>, StoreError> {
        let sql = "SELECT package, path, size FROM package_file WHERE build_id = ?1 \
                   AND (?2 IS NULL OR package = ?2) ORDER BY package, path";
        self.list(&self.conn(), sql, params![build.0, package], |r| {
            Ok(Ok((
                r.get(0)?,
                PackageFile {
                    path: r.get(1)?,
                    size: size(r.get(2)?),
                },
            )))
        })
    }

    pub(super) fn read_image_packages(
        &self,
        build: BuildId,
    ) -> Result<Vec<(String, InstalledPackage)>, StoreError> {
        let sql = "SELECT target, package, dep_package, kind FROM image_dependency \
                   WHERE build_id = ?1 ORDER BY target, package, dep_package, kind";
        let edges = self.list(&self.conn(), sql, [build.0], |r| {
            let kind: String = r.get(3)?;
            let Some(kind) = ImageDependencyKind::parse(&kind) else {
                return Ok(Err(corrupt("image dependency kind", &kind)));
            };
            let key: (String, String) = (r.get(0)?, r.get(1)?);
            Ok(Ok((
                key,
                ImageDependency {
                    name: r.get(2)?,
                    kind,
                },
            )))
        })?;
        let sql = "SELECT target, package, size FROM image_package WHERE build_id = ?1 \
                   ORDER BY target, package";
        let packages = self.list(&self.conn(), sql, [build.0], |r| {
            Ok(Ok((r.get(0)?, r.get(1)?, size(r.get(2)?))))
        })?;
        Ok(contents::installed(packages, edges))
    }

    pub(super) fn read_image_files(
        &self,
        build: BuildId,
        target: &str,
    ) -> Result<Vec<ImageFile>, StoreError> {
        let sql = "SELECT path, size, type, mode, owner, grp, link FROM image_file \
                   WHERE build_id = ?1 AND target = ?2 ORDER BY path";
        self.list(&self.conn(), sql, params![build.0, target], |r| {
            let file_type: String = r.get(2)?;
            let Some(file_type) = FileType::parse(&file_type) else {
                return Ok(Err(corrupt("image file type", &file_type)));
            };
            Ok(Ok(ImageFile {
                path: r.get(0)?,
                size: size(r.get(1)?),
                file_type,
                mode: r.get(3)?,
                owner: r.get(4)?,
                group: r.get(5)?,
                link: r.get(6)?,
            }))
        })
    }

    pub(super) fn read_images(&self, build: BuildId) -> Result<Vec<ImageSummary>, StoreError> {
        let sql = "WITH targets AS ( \
                     SELECT target FROM image_package WHERE build_id = ?1 \
                     UNION SELECT target FROM image_file WHERE build_id = ?1), \
                   packages AS (SELECT target, count(*) AS n, sum(size) AS bytes \
                     FROM image_package WHERE build_id = ?1 GROUP BY target), \
                   files AS (SELECT target, count(*) AS n, \
                     sum(CASE WHEN type = 'file' THEN size ELSE 0 END) AS bytes \
                     FROM image_file WHERE build_id = ?1 GROUP BY target) \
                   SELECT t.target, coalesce(p.n, 0), coalesce(f.n, 0), \
                     CASE WHEN f.n > 0 THEN f.bytes ELSE coalesce(p.bytes, 0) END \
                   FROM targets t LEFT JOIN packages p ON p.target = t.target \
                   LEFT JOIN files f ON f.target = t.target ORDER BY t.target";
        self.list(&self.conn(), sql, [build.0], |r| {
            Ok(Ok(ImageSummary {
                target: r.get(0)?,
                packages: r.get(1)?,
                files: r.get(2)?,
                size: size(r.get(3)?),
            }))
        })
    }
}
