//! A build's package files, package relations and image contents in PostgreSQL: written
//! in the recorder's batches, read back by package or image.

use std::collections::BTreeMap;

use super::transaction::Tx;
use super::{PostgresStore, get, rows};
use crate::model::{
    BuildId, FileType, ImageDependency, ImageDependencyKind, ImageFile, ImageFiles, ImagePackages,
    ImageSummary, InstalledPackage, PackageFile, PackageFiles, RelationKind,
};
use crate::store::sqlite::rows::int;
use crate::store::{StoreError, contents};

// A row a build already has keeps its first record.
const PACKAGE_FILE: &str = "INSERT INTO package_file (build_id, package, path, size) \
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
const RELATION: &str = "INSERT INTO package_relation (build_id, package, kind, name) \
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
const IMAGE_PACKAGE: &str = "INSERT INTO image_package (build_id, target, package, size) \
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
const IMAGE_DEPENDENCY: &str = "INSERT INTO image_dependency (build_id, target, package, \
     dep_package, kind) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const IMAGE_FILE: &str = "INSERT INTO image_file (build_id, target, path, size, type, mode, \
     owner, grp, link) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING";

/// Inserts the relations of package `package` of `build`.
pub(super) fn insert_relations(
    tx: &mut Tx<'_>,
    build: BuildId,
    package: &str,
    relations: &BTreeMap<RelationKind, Vec<String>>,
) -> Result<u64, postgres::Error> {
    relations.iter().try_fold(0, |n, (kind, names)| {
        names.iter().try_fold(n, |n, name| {
            tx.execute(RELATION, &[&build.0, &package, &kind.as_str(), name])
                .map(|m| n + m)
        })
    })
}

/// Inserts files of a package.
pub(super) fn insert_package_files(
    tx: &mut Tx<'_>,
    build: BuildId,
    p: &PackageFiles,
) -> Result<u64, postgres::Error> {
    p.files.iter().try_fold(0, |n, f| {
        tx.execute(PACKAGE_FILE, &[&build.0, &p.package, &f.path, &int(f.size)])
            .map(|m| n + m)
    })
}

/// Inserts packages installed in an image, with their dependencies.
pub(super) fn insert_image_packages(
    tx: &mut Tx<'_>,
    build: BuildId,
    image: &ImagePackages,
) -> Result<u64, postgres::Error> {
    image.packages.iter().try_fold(0, |n, p| {
        let n = n + tx.execute(
            IMAGE_PACKAGE,
            &[&build.0, &image.target, &p.name, &int(p.size)],
        )?;
        p.depends.iter().try_fold(n, |n, d| {
            tx.execute(
                IMAGE_DEPENDENCY,
                &[&build.0, &image.target, &p.name, &d.name, &d.kind.as_str()],
            )
            .map(|m| n + m)
        })
    })
}

/// Inserts entries of an image's file listing.
pub(super) fn insert_image_files(
    tx: &mut Tx<'_>,
    build: BuildId,
    image: &ImageFiles,
) -> Result<u64, postgres::Error> {
    image.files.iter().try_fold(0, |n, f| {
        tx.execute(
            IMAGE_FILE,
            &[
                &build.0,
                &image.target,
                &f.path,
                &int(f.size),
                &f.file_type.as_str(),
                &f.mode,
                &f.owner,
                &f.group,
                &f.link,
            ],
        )
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

impl PostgresStore {
    /// The relations of each package of `build` that has any, by package.
    pub(super) fn relations_in(
        &self,
        tx: &mut Tx<'_>,
        build: BuildId,
    ) -> Result<BTreeMap<String, BTreeMap<RelationKind, Vec<String>>>, StoreError> {
        let sql = "SELECT package, kind, name FROM package_relation WHERE build_id = $1 \
                   ORDER BY package, kind, name";
        let found = self.list(tx, sql, &[&build.0], |r| {
            let kind: String = get(r, 1)?;
            let kind = RelationKind::parse(&kind)
                .ok_or_else(|| corrupt("package relation kind", &kind))?;
            Ok((get::<String>(r, 0)?, kind, get::<String>(r, 2)?))
        })?;
        Ok(contents::relations(found))
    }

    pub(super) fn read_package_files(
        &self,
        build: BuildId,
        package: Option<&str>,
    ) -> Result<Vec<(String, PackageFile)>, StoreError> {
        let sql = "SELECT package, path, size FROM package_file WHERE build_id = $1 \
                   AND ($2::text IS NULL OR package = $2) ORDER BY package, path";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0, &package], |r| {
                Ok((
                    get(r, 0)?,
                    PackageFile {
                        path: get(r, 1)?,
                        size: size(get(r, 2)?),
                    },
                ))
            })
        })
    }

    pub(super) fn read_image_packages(
        &self,
        build: BuildId,
    ) -> Result<Vec<(String, InstalledPackage)>, StoreError> {
        self.read(|tx| {
            let sql = "SELECT target, package, dep_package, kind FROM image_dependency \
                       WHERE build_id = $1 ORDER BY target, package, dep_package, kind";
            let edges = self.list(tx, sql, &[&build.0], |r| {
                let kind: String = get(r, 3)?;
                let kind = ImageDependencyKind::parse(&kind)
                    .ok_or_else(|| corrupt("image dependency kind", &kind))?;
                let key: (String, String) = (get(r, 0)?, get(r, 1)?);
                Ok((
                    key,
                    ImageDependency {
                        name: get(r, 2)?,
                        kind,
                    },
                ))
            })?;
            let sql = "SELECT target, package, size FROM image_package WHERE build_id = $1 \
                       ORDER BY target, package";
            let packages = self.list(tx, sql, &[&build.0], |r| {
                Ok((get(r, 0)?, get(r, 1)?, size(get(r, 2)?)))
            })?;
            Ok(contents::installed(packages, edges))
        })
    }

    pub(super) fn read_image_files(
        &self,
        build: BuildId,
        target: &str,
    ) -> Result<Vec<ImageFile>, StoreError> {
        let sql = "SELECT path, size, type, mode, owner, grp, link FROM image_file \
                   WHERE build_id = $1 AND target = $2 ORDER BY path";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0, &target], |r| {
                let file_type: String = get(r, 2)?;
                let file_type = FileType::parse(&file_type)
                    .ok_or_else(|| corrupt("image file type", &file_type))?;
                Ok(ImageFile {
                    path: get(r, 0)?,
                    size: size(get(r, 1)?),
                    file_type,
                    mode: get(r, 3)?,
                    owner: get(r, 4)?,
                    group: get(r, 5)?,
                    link: get(r, 6)?,
                })
            })
        })
    }

    pub(super) fn read_images(&self, build: BuildId) -> Result<Vec<ImageSummary>, StoreError> {
        let sql = "WITH targets AS ( \
                     SELECT target FROM image_package WHERE build_id = $1 \
                     UNION SELECT target FROM image_file WHERE build_id = $1), \
                   packages AS (SELECT target, count(*) AS n, sum(size)::bigint AS bytes \
                     FROM image_package WHERE build_id = $1 GROUP BY target), \
                   files AS (SELECT target, count(*) AS n, \
                     sum(CASE WHEN type = 'file' THEN size ELSE 0 END)::bigint AS bytes \
                     FROM image_file WHERE build_id = $1 GROUP BY target) \
                   SELECT t.target, coalesce(p.n, 0), coalesce(f.n, 0), \
                     CASE WHEN f.n > 0 THEN f.bytes ELSE coalesce(p.bytes, 0) END \
                   FROM targets t LEFT JOIN packages p ON p.target = t.target \
                   LEFT JOIN files f ON f.target = t.target ORDER BY t.target";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                Ok(ImageSummary {
                    target: get(r, 0)?,
                    packages: rows::count(r, 1)?,
                    files: rows::count(r, 2)?,
                    size: size(get(r, 3)?),
                })
            })
        })
    }
}
