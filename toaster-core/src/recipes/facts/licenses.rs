//! Finding the licence files at the top of a tree, their md5 and their licence.

use md5::{Digest, Md5};

use super::LicenseFile;
use super::error::FactsError;
use super::license_text::{Recognised, recognise};
use super::tree::Tree;

/// Whether a top-level file name looks like a licence: `LICENSE*`, `LICENCE*`, `COPYING*`
/// in any case (`NOTICE`, `COPYRIGHT` and `README` are not licences).
pub(crate) fn is_license_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING"]
        .iter()
        .any(|prefix| upper.starts_with(prefix))
}

/// Lower-case hex md5 of `bytes` (what BitBake's `LIC_FILES_CHKSUM` `md5=` holds).
pub(crate) fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every licence-looking top-level file, sorted by path, with a note for each one not
/// recognised, each symlink skipped, and when there is none.
pub(crate) fn find(
    tree: &mut Tree,
    notes: &mut Vec<String>,
) -> Result<Vec<LicenseFile>, FactsError> {
    let mut found = Vec::new();
    for entry in tree.top_entries()? {
        if !is_license_name(&entry.name) {
            continue;
        }
        if entry.symlink {
            notes.push(format!(
                "{} is a symlink and was not followed: point LIC_FILES_CHKSUM at the file it names",
                entry.name
            ));
            continue;
        }
        let Some(bytes) = tree.read_bytes(&entry.name)? else {
            continue;
        };
        let spdx = match recognise(&String::from_utf8_lossy(&bytes)) {
            Recognised::Spdx(id) => Some(id.to_owned()),
            Recognised::Unknown(why) => {
                notes.push(format!(
                    "{}: licence not recognised ({why}); read it and set LICENSE by hand",
                    entry.name
                ));
                None
            }
        };
        found.push(LicenseFile {
            path: entry.name,
            md5: md5_hex(&bytes),
            spdx,
        });
    }
    if found.is_empty() {
        notes.push(
            "no licence file (LICENSE*, LICENCE*, COPYING*) at the top: find the licence in the \
             sources' headers or README and set LICENSE and LIC_FILES_CHKSUM by hand"
                .to_owned(),
        );
    }
    Ok(found)
}
