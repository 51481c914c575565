use std::path::PathBuf;

use super::*;

fn parse(text: &str) -> Result<ConfFile, ConfError> {
    ConfFile::parse(Path::new("local.conf"), text, false)
}

#[test]
fn round_trips_byte_for_byte() {
    let text = "# c\r\n\r\nA = \"1\"\r\nB ?= \\\n  \"x \\\n  y\"\n\n  \nexport C\nunset D[ab]";
    assert_eq!(parse(text).unwrap().text(), text);
}

#[test]
fn errors_name_file_line_and_problem() {
    let err = parse("A = \"1\"\n\nB = \"2\" # why\n").unwrap_err();
    assert!(
        matches!(
            err,
            ConfError::Syntax {
                line: 3,
                problem: Problem::TrailingComment,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("local.conf:3: "), "{err}");
    let err = ConfFile::parse_bytes(Path::new("x.conf"), b"A = \"1\"\nB = \"\xff\"\n", false)
        .unwrap_err();
    assert!(
        matches!(err, ConfError::Encoding { line: 2, .. }),
        "{err:?}"
    );
    let err = parse("A = \"a\0b\"\n").unwrap_err();
    assert!(matches!(
        err,
        ConfError::Syntax {
            problem: Problem::Nul,
            ..
        }
    ));
}

#[test]
fn set_rewrites_the_last_definition_only() {
    let mut conf = parse("# keep\nA ?= 'old'  \nB = \"b\"\nA += \"more\"\n").unwrap();
    assert!(conf.set("A", "new \"v\"").unwrap());
    assert_eq!(
        conf.text(),
        "# keep\nA ?= 'new \"v\"'\nB = \"b\"\nA += \"more\"\n"
    );
    assert!(!conf.set("A", "new \"v\"").unwrap());
    assert!(conf.set("C", "c").unwrap());
    assert!(conf.text().ends_with("A += \"more\"\nC = \"c\"\n"));
}

#[test]
fn set_refuses_values_bitbake_cannot_read_back() {
    let mut conf = parse("A = \"1\"\n").unwrap();
    for bad in ["a\nB = \"x\"", "x\"y'z", "${@os.system('id')}"] {
        assert!(conf.set("A", bad).is_err(), "{bad:?}");
    }
    assert_eq!(conf.text(), "A = \"1\"\n");
}

#[test]
fn list_edits_use_the_bitbake_layers_shape() {
    let mut conf = parse("BBPATH = \"${TOPDIR}\"\nBBLAYERS ?= \"/a /b\"\n").unwrap();
    assert!(conf.add_words("BBLAYERS", &["/c", "/a"]).unwrap());
    assert_eq!(
        conf.text(),
        "BBPATH = \"${TOPDIR}\"\nBBLAYERS ?= \" \\\n  /a \\\n  /b \\\n  /c \\\n  \"\n"
    );
    assert!(conf.remove_words("BBLAYERS", &["/b"]).unwrap());
    assert!(!conf.remove_words("BBLAYERS", &["/zz"]).unwrap());
    assert!(conf.text().ends_with("  /a \\\n  /c \\\n  \"\n"));
    let reread = parse(&conf.text()).unwrap();
    assert_eq!(reread.text(), conf.text());
}

#[test]
fn removing_a_list_word_drops_an_emptied_append() {
    let mut conf = parse("A = \"x\"\n\nINHERIT += \"rm_work\"\n\nB = \"y\"\n").unwrap();
    assert!(conf.remove_words("INHERIT", &["rm_work"]).unwrap());
    assert_eq!(conf.text(), "A = \"x\"\n\nB = \"y\"\n");
}

#[test]
fn ensure_line_is_idempotent_and_ends_the_last_line() {
    let mut conf = parse("A = \"1\"").unwrap();
    assert!(conf.ensure_line("include toaster.conf").unwrap());
    assert!(!conf.ensure_line("include toaster.conf").unwrap());
    assert_eq!(conf.text(), "A = \"1\"\ninclude toaster.conf\n");
    let mut continued = parse("A = \"1\"\\\n").unwrap();
    continued.ensure_line("include x.conf").unwrap();
    let reread = parse(&continued.text()).unwrap();
    assert_eq!(reread.statements().count(), 2);
}

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conf");
    let mut files = Vec::new();
    for dir in ["corpus", "corpus-builddir/conf"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            files.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    files.sort();
    assert!(files.len() >= 15);
    files
}

#[test]
fn the_corpus_round_trips_and_the_bad_files_are_refused() {
    for (path, bytes) in corpus() {
        let conf = ConfFile::parse_bytes(&path, &bytes, false).unwrap();
        assert_eq!(
            conf.text().as_bytes(),
            bytes.as_slice(),
            "{}",
            path.display()
        );
    }
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conf/bad");
    for entry in std::fs::read_dir(bad).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "missing-require.conf" {
            continue; // parses; fails when evaluated
        }
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            ConfFile::parse_bytes(&path, &bytes, false).is_err(),
            "{}",
            path.display()
        );
    }
}

/// A small deterministic generator (xorshift), enough to vary edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

fn names_in(conf: &ConfFile) -> Vec<String> {
    conf.statements()
        .filter_map(|(_, s)| match s {
            Statement::Assign(a) if a.flag.is_none() => Some(a.name.clone()),
            _ => None,
        })
        .collect()
}

/// The items an edit of `name` must leave alone: every non-blank item not assigning `name`.
fn untouched(conf: &ConfFile, name: &str) -> Vec<String> {
    conf.items()
        .iter()
        .filter(|item| match &item.kind {
            ItemKind::Blank => false,
            ItemKind::Statement(Statement::Assign(a)) => a.name != name || a.flag.is_some(),
            _ => true,
        })
        .map(|item| item.text.trim_end_matches(['\n', '\r']).to_owned())
        .collect()
}

#[test]
fn random_edits_keep_untouched_bytes_and_read_back() {
    let values = [
        "v",
        "two words",
        "say \"hi\"",
        "it's",
        " lead",
        "${TOPDIR}/x",
        "",
    ];
    let words = ["/a", "/b/c", "rm_work", "x11", "ext4.gz"];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut edits = 0;
    for (path, bytes) in corpus() {
        let original = ConfFile::parse_bytes(&path, &bytes, false).unwrap();
        for _ in 0..40 {
            let mut conf = original.clone();
            let mut names = names_in(&conf);
            names.extend(["NEW_VAR".to_owned(), "BBLAYERS".to_owned()]);
            let name = names[rng.next(names.len())].clone();
            let before = untouched(&conf, &name);
            let value = values[rng.next(values.len())];
            let word = words[rng.next(words.len())];
            let result = match rng.next(4) {
                0 => conf.set(&name, value).map(|_| ()),
                1 => conf.add_words(&name, &[word]).map(|_| ()),
                2 => conf.remove_words(&name, &[word]).map(|_| ()),
                _ => {
                    conf.remove(&name);
                    Ok(())
                }
            };
            if result.is_err() {
                assert_eq!(
                    conf.text(),
                    original.text(),
                    "a refused edit changes nothing"
                );
                continue;
            }
            edits += 1;
            let reread = parse(&conf.text()).unwrap_or_else(|e| panic!("{e}\n{}", conf.text()));
            assert_eq!(reread.text(), conf.text());
            // Line ends are left out: a last line without one gets one when a line follows.
            let after = untouched(&reread, &name);
            assert_eq!(before, after, "{}: edit of {name}", path.display());
        }
    }
    assert!(edits > 300, "{edits}");
}

#[test]
fn a_name_given_is_named_in_its_error_not_the_file_it_was_checked_in() {
    let err = crate::conf::check_assignment("IMAGE_INSTALL_append", " htop").unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.starts_with("`IMAGE_INSTALL_append`: the name uses `_append`"),
        "{shown}"
    );
    assert!(!shown.contains("toaster.conf"), "{shown}");
    assert!(err.hint().unwrap_or_default().contains(":append"));
}
