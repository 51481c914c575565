//! Reading `LAYERDEPENDS` and `LAYERRECOMMENDS` values as BitBake does
//! (`bb.utils.explode_dep_versions2`): commas dropped, names split on whitespace, a
//! parenthesised `(OP VERSION)` after a name constrains it.

use crate::model::{Constraint, Dependency, VersionOp};

/// Why a dependency list was refused.
pub type Refusal = String;

fn operator(text: &str) -> Result<(VersionOp, &str), Refusal> {
    // Longest spellings first.
    const SPELLINGS: [(&str, Option<VersionOp>); 11] = [
        ("<=", Some(VersionOp::Le)),
        ("=<", None),
        ("<<", Some(VersionOp::Lt)),
        ("==", Some(VersionOp::Eq)),
        ("!=", Some(VersionOp::Ne)),
        (">=", Some(VersionOp::Ge)),
        ("=>", None),
        (">>", Some(VersionOp::Gt)),
        ("<", Some(VersionOp::Lt)),
        (">", Some(VersionOp::Gt)),
        ("=", Some(VersionOp::Eq)),
    ];
    for (spelling, op) in SPELLINGS {
        if let Some(rest) = text.strip_prefix(spelling) {
            return match op {
                Some(op) => Ok((op, rest)),
                None => Err(format!(
                    "`{spelling}` is not a comparison BitBake can check; write `{}`",
                    if spelling == "=<" { "<=" } else { ">=" }
                )),
            };
        }
    }
    Err(format!(
        "invalid or missing operator in `({text})`; write e.g. `(>= 12)`"
    ))
}

/// Parses a dependency list. Refuses what BitBake refuses (a constraint without an
/// operator, a parenthesis without a name), and a second constraint on one name.
pub fn parse(value: &str) -> Result<Vec<Dependency>, Refusal> {
    // As BitBake does: commas are deleted (not spaces), names end only at whitespace.
    let text = value.replace(',', "");
    let mut out: Vec<Dependency> = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('(') {
            let Some(end) = inner.find(')') else {
                return Err("a `(` is not closed".to_owned());
            };
            let Some(last) = out.last_mut() else {
                return Err("a version constraint comes before any layer name".to_owned());
            };
            if last.constraint.is_some() {
                return Err(format!(
                    "`{}` has more than one version constraint; BitBake supports one",
                    last.collection
                ));
            }
            let (op, version) = operator(inner[..end].trim())?;
            let version = version.trim();
            if version.is_empty() || version.contains(char::is_whitespace) {
                return Err(format!("`({})` needs one version", inner[..end].trim()));
            }
            last.constraint = Some(Constraint {
                op,
                version: version.to_owned(),
            });
            rest = inner[end + 1..].trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let name = &rest[..end];
        if name.contains([')', '(']) {
            return Err(format!(
                "`{name}`: a parenthesis inside a name; separate the version, as in `name (>= 2)`"
            ));
        }
        out.push(Dependency {
            collection: name.to_owned(),
            constraint: None,
        });
        rest = rest[end..].trim_start();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn shown(value: &str) -> Vec<String> {
        parse(value)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_names_and_constraints_like_bitbake() {
        assert_eq!(shown("core"), ["core"]);
        assert_eq!(
            shown("core (>= 12) openembedded-layer"),
            ["core (>= 12)", "openembedded-layer"]
        );
        assert_eq!(
            shown("core (>=12), meta-python (= 1)"),
            ["core (>= 12)", "meta-python (= 1)"]
        );
        assert_eq!(shown("b (<< 2)"), ["b (< 2)"]);
        // BitBake deletes commas and ends names only at whitespace (checked with
        // bb.utils.explode_dep_versions2): `core,oe` is one name, `core(>=12)` another.
        assert_eq!(shown("core,oe"), ["coreoe"]);
        assert!(shown("  ").is_empty());
    }

    #[test]
    fn refuses_what_bitbake_refuses() {
        for bad in [
            "core (12)",
            "(>= 1) core",
            "core (>= 12",
            "core (>= 12) (< 16)",
            "core (=> 12)",
            "core (>=)",
            "core)",
            "core(>=12)",
            "a( = 1.10 )b",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
