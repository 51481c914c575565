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
