//! Source analysis on real files in temp dirs.

use std::fs;
use std::path::Path;

use super::license_text::{Recognised, recognise};
use super::licenses::md5_hex;
use super::{BuildSystem, FactsError, LicenseFile, SourceFacts, analyse, toml_lite};

const MIT: &str = "MIT License\n\nCopyright (c) 2024 Example Authors\n\n\
Permission is hereby granted, free of charge, to any person obtaining a copy\n\
of this software and associated documentation files (the \"Software\"), to deal\n\
in the Software without restriction, including without limitation the rights\n\
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell\n\
copies of the Software.\n\n\
The above copyright notice and this permission notice shall be included in all\n\
copies or substantial portions of the Software.\n\n\
THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.\n";

const GPL2: &str = "\t\t    GNU GENERAL PUBLIC LICENSE\n\t\t       Version 2, June 1991\n\n\
 Copyright (C) 1989, 1991 Free Software Foundation, Inc.\n\
 Everyone is permitted to copy and distribute verbatim copies\n\
 of this license document, but changing it is not allowed.\n\n\
\t\t    GNU GENERAL PUBLIC LICENSE\n\
   TERMS AND CONDITIONS FOR COPYING, DISTRIBUTION AND MODIFICATION\n\n\
  9. Each version is given a distinguishing version number.  If the Program\n\
specifies a version number of this License which applies to it and \"any\n\
later version\", you have the option of following the terms and conditions\n\
either of that version or of any later version.\n\n\
\t\t     END OF TERMS AND CONDITIONS\n\n\
\t    How to Apply These Terms to Your New Programs\n\n\
    This program is free software; you can redistribute it and/or modify\n\
    it under the terms of the GNU General Public License as published by\n\
    the Free Software Foundation; either version 2 of the License, or\n\
    (at your option) any later version.\n\n\
library.  If this is what you want to do, use the GNU Lesser General\n\
Public License instead of this License.\n";

const GPL2_LATER_NOTICE: &str = "/*\n * frob - frobnicates\n *\n\
 * This program is free software; you can redistribute it and/or modify\n\
 * it under the terms of the GNU General Public License as published by\n\
 * the Free Software Foundation; either version 2 of the License, or\n\
 * (at your option) any later version.\n */\n";

const APACHE: &str = "\n                                 Apache License\n\
                           Version 2.0, January 2004\n\
                        http://www.apache.org/licenses/\n\n\
   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n\n\
   1. Definitions.\n\n\
      \"License\" shall mean the terms and conditions for use, reproduction,\n\
      and distribution as defined by Sections 1 through 9 of this document.\n";

/// Writes `files` (path, content) under a fresh temp dir.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(full, text).expect("write");
    }
    dir
}

fn lic(path: &str, text: &str, spdx: &str) -> LicenseFile {
    LicenseFile {
        path: path.to_owned(),
        md5: md5_hex(text.as_bytes()),
        spdx: Some(spdx.to_owned()),
    }
}

fn facts(dir: &Path) -> SourceFacts {
    analyse(dir).expect("analyse")
}

#[test]
fn autotools_project_with_mit() {
    let dir = tree(&[
        (
            "configure.ac",
            "dnl Process this file with autoconf (it's m4)\n\
             AC_INIT([frob], [1.4.2], [bugs@example.org], [frob], [https://example.org/frob])\n\
             AM_INIT_AUTOMAKE([foreign])\n\
             AC_MSG_CHECKING([whether it can't fail (really)])\n\
             PKG_CHECK_MODULES([GLIB], [glib-2.0 >= 2.56 gio-2.0])\n\
             PKG_CHECK_MODULES(ZLIB, zlib>=1.2)\n\
             PKG_CHECK_MODULES([X11], [x11], [have_x=yes], [have_x=no])\n\
             AC_OUTPUT\n",
        ),
        ("Makefile.am", "SUBDIRS = src\n"),
        ("COPYING", MIT),
        ("NOTICE", "Third-party notices.\n"),
    ]);
    let got = facts(dir.path());
    assert_eq!(got.build, BuildSystem::Autotools);
    assert_eq!(got.name.as_deref(), Some("frob"));
    assert_eq!(got.version.as_deref(), Some("1.4.2"));
    assert_eq!(got.homepage.as_deref(), Some("https://example.org/frob"));
    assert_eq!(got.depends, ["gio-2.0", "glib-2.0", "zlib"]);
    assert_eq!(got.licenses, [lic("COPYING", MIT, "MIT")]);
    assert_eq!(got.notes.len(), 1, "{:?}", got.notes);
    assert!(got.notes[0].contains("x11") && got.notes[0].contains("optional"));
}

#[test]
fn cmake_project_with_gpl2_only() {
    let dir = tree(&[
        (
            "CMakeLists.txt",
            "cmake_minimum_required(VERSION 3.16)\n\
             project(Frobber VERSION 2.0.1 DESCRIPTION \"Frobs (things)\" \
             HOMEPAGE_URL \"https://frob.example\" LANGUAGES C)\n\
             find_package(PkgConfig REQUIRED)\n\
             # pkg_check_modules(OLD REQUIRED oldlib)\n\
             PKG_CHECK_MODULES(DEPS REQUIRED IMPORTED_TARGET libusb-1.0>=1.0 json-c)\n\
             pkg_check_modules(OPT QUIET libsystemd)\n\
             add_subdirectory(src)\n",
        ),
        (
            "src/CMakeLists.txt",
            "pkg_check_modules(UDEV REQUIRED libudev)\n",
        ),
        ("COPYING", GPL2),
    ]);
    let got = facts(dir.path());
    assert_eq!(got.build, BuildSystem::Cmake);
    assert_eq!(got.name.as_deref(), Some("Frobber"));
    assert_eq!(got.version.as_deref(), Some("2.0.1"));
    assert_eq!(got.summary.as_deref(), Some("Frobs (things)"));
    assert_eq!(got.homepage.as_deref(), Some("https://frob.example"));
    assert_eq!(got.depends, ["json-c", "libudev", "libusb-1.0"]);
    assert_eq!(got.licenses, [lic("COPYING", GPL2, "GPL-2.0-only")]);
    assert!(
        got.notes.iter().any(|n| n.contains("libsystemd")),
        "{:?}",
        got.notes
    );
}

#[test]
fn meson_project_with_apache() {
    let dir = tree(&[
        (
            "meson.build",
            "project('zapper', 'c',\n  version : '0.9.1',\n  license : 'Apache-2.0')\n\
             glib = dependency('glib-2.0', version : '>= 2.60')\n\
             thr = dependency('threads')\n\
             sd = dependency('libsystemd', required : get_option('systemd'))\n\
             # dependency('commented')\n\
             subdir('lib')\n",
        ),
        (
            "lib/meson.build",
            "ssl = dependency('openssl', required : true)\n",
        ),
        ("LICENSE", APACHE),
    ]);
    let got = facts(dir.path());
    assert_eq!(got.build, BuildSystem::Meson);
    assert_eq!(got.name.as_deref(), Some("zapper"));
    assert_eq!(got.version.as_deref(), Some("0.9.1"));
    assert_eq!(got.depends, ["glib-2.0", "openssl"]);
    assert_eq!(got.licenses, [lic("LICENSE", APACHE, "Apache-2.0")]);
    assert_eq!(got.notes.len(), 1, "{:?}", got.notes);
    assert!(got.notes[0].contains("libsystemd"));
}

#[test]
fn python_hatchling_with_mit() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[build-system]\nrequires = [\n  \"hatchling\",  # backend\n]\n\
             build-backend = \"hatchling.build\"\n\n\
             [project]\nname = \"spam-eggs\"\nversion = \"3.1.0\"\n\
             description = \"Spam and eggs [for breakfast]\"\n\
             dependencies = [\n  \"requests>=2\",\n  \"[weird]\",\n]\n\
             [project.urls]\nHomepage = 'https://spam.example'\n",
        ),
        ("LICENSE.txt", MIT),
    ]);
    let got = facts(dir.path());
    assert_eq!(
        got.build,
        BuildSystem::Python {
            backend: "hatchling.build".to_owned()
        }
    );
    assert_eq!(got.name.as_deref(), Some("spam-eggs"));
    assert_eq!(got.version.as_deref(), Some("3.1.0"));
    assert_eq!(
        got.summary.as_deref(),
        Some("Spam and eggs [for breakfast]")
    );
    assert_eq!(got.homepage.as_deref(), Some("https://spam.example"));
    assert_eq!(got.licenses, [lic("LICENSE.txt", MIT, "MIT")]);
    assert!(got.depends.is_empty());
    assert!(got.notes.is_empty(), "{:?}", got.notes);
}

#[test]
fn cargo_with_lock_and_two_licences() {
    let dir = tree(&[
        (
            "Cargo.toml",
            "[package]\nname = \"frobnicate\"\nversion = \"0.4.0\"\nedition = \"2021\"\n\
             description = \"\"\"\nFrobnicates things.\n\"\"\"\n\
             homepage = \"https://frob.rs\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n",
        ),
        (
            "Cargo.lock",
            "# This file is automatically @generated by Cargo.\nversion = 4\n\n\
             [[package]]\nname = \"frobnicate\"\nversion = \"0.4.0\"\ndependencies = [\n \"serde\",\n]\n\n\
             [[package]]\nname = \"serde\"\nversion = \"1.0.200\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"abc\"\n\n\
             [[package]]\nname = \"local-git\"\nversion = \"0.1.0\"\nsource = \"git+https://example.org/x#abc\"\n\n\
             [[package]]\nname = \"itoa\"\nversion = \"1.0.11\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        ),
        ("LICENSE-APACHE", APACHE),
        ("LICENSE-MIT", MIT),
    ]);
    let got = facts(dir.path());
    assert_eq!(
        got.build,
        BuildSystem::Cargo {
            crates: vec![
                ("itoa".to_owned(), "1.0.11".to_owned()),
                ("serde".to_owned(), "1.0.200".to_owned()),
            ]
        }
    );
    assert_eq!(got.name.as_deref(), Some("frobnicate"));
    assert_eq!(got.version.as_deref(), Some("0.4.0"));
    assert_eq!(got.summary.as_deref(), Some("Frobnicates things."));
    assert_eq!(got.homepage.as_deref(), Some("https://frob.rs"));
    assert_eq!(
        got.licenses,
        [
            lic("LICENSE-APACHE", APACHE, "Apache-2.0"),
            lic("LICENSE-MIT", MIT, "MIT")
        ]
    );
    assert!(got.notes.is_empty(), "{:?}", got.notes);
}

#[test]
fn go_module_with_gpl2_or_later_notice() {
    let dir = tree(&[
        (
            "go.mod",
            "// frob\nmodule github.com/example/frob/v2\n\ngo 1.22\n",
        ),
        ("main.go", "package main\n"),
        ("COPYING", GPL2_LATER_NOTICE),
    ]);
    let got = facts(dir.path());
    assert_eq!(
        got.build,
        BuildSystem::Go {
            module: "github.com/example/frob/v2".to_owned()
        }
    );
    assert_eq!(got.name.as_deref(), Some("frob"));
    assert_eq!(got.version, None);
    assert_eq!(
        got.licenses,
        [lic("COPYING", GPL2_LATER_NOTICE, "GPL-2.0-or-later")]
    );
    assert_eq!(got.notes.len(), 1, "{:?}", got.notes);
    assert!(got.notes[0].contains("PV"));
}

#[test]
fn unknown_licence_is_none_with_note() {
    let text = "You may do anything with this, except sell it to penguins.\n";
    let dir = tree(&[("Makefile", "all:\n"), ("LICENCE", text)]);
    let got = facts(dir.path());
    assert_eq!(got.build, BuildSystem::Make);
    assert_eq!(
        got.licenses,
        [LicenseFile {
            path: "LICENCE".to_owned(),
            md5: md5_hex(text.as_bytes()),
            spdx: None
        }]
    );
    assert!(
        got.notes
            .iter()
            .any(|n| n.starts_with("LICENCE: licence not recognised")),
        "{:?}",
        got.notes
    );
}

#[test]
fn no_licence_file_gives_empty_list_and_note() {
    let dir = tree(&[("NOTICE", MIT), ("README", "hello\n")]);
    let got = facts(dir.path());
    assert_eq!(got.build, BuildSystem::Unknown);
    assert!(got.licenses.is_empty());
    assert!(
        got.notes.iter().any(|n| n.starts_with("no licence file")),
        "{:?}",
        got.notes
    );
    assert!(
        got.notes
            .iter()
            .any(|n| n.starts_with("no known build system"))
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_not_followed() {
    let outside = tree(&[
        ("LICENSE", MIT),
        ("meson.build", "project('evil', version : '6.6.6')\n"),
        ("sub/meson.build", "dependency('evil')\n"),
    ]);
    let dir = tree(&[("CMakeLists.txt", "project(good)\nadd_subdirectory(sub)\n")]);
    let link = |from: &str, to: &Path| {
        std::os::unix::fs::symlink(to, dir.path().join(from)).expect("symlink");
    };
    link("LICENSE", &outside.path().join("LICENSE"));
    link("meson.build", &outside.path().join("meson.build"));
    link("sub", &outside.path().join("sub"));
    let got = facts(dir.path());
    assert_eq!(
        got.build,
        BuildSystem::Cmake,
        "a linked meson.build is not read"
    );
    assert_eq!(got.name.as_deref(), Some("good"));
    assert!(got.depends.is_empty());
    assert!(got.licenses.is_empty());
    assert!(
        got.notes.iter().any(|n| n.contains("LICENSE is a symlink")),
        "{:?}",
        got.notes
    );
}

#[test]
fn md5_matches_md5sum() {
    assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    let dir = tree(&[("COPYING", "abc")]);
    let got = facts(dir.path());
    assert_eq!(got.licenses[0].md5, "900150983cd24fb0d6963f7d28e17f72");
}

#[test]
fn big_licence_files_are_skipped_with_a_note() {
    let big = "x".repeat(super::tree::MAX_FILE_BYTES as usize + 1);
    let dir = tree(&[("LICENSE", &big)]);
    let got = facts(dir.path());
    assert!(got.licenses.is_empty());
    assert!(
        got.notes.iter().any(|n| n.contains("bigger than")),
        "{:?}",
        got.notes
    );
}

#[test]
fn a_file_is_not_a_directory() {
    let dir = tree(&[("file", "x")]);
    let path = dir.path().join("file");
    let err = analyse(&path).expect_err("a file");
    assert!(matches!(err, FactsError::NotADirectory { .. }));
    assert!(err.hint().is_some_and(|h| h.contains("unpack")));
    let missing = analyse(&dir.path().join("missing")).expect_err("missing");
    assert!(matches!(missing, FactsError::NotADirectory { .. }));
}

#[test]
fn recognises_each_licence_from_its_phrases() {
    let cases: [(&str, &str); 9] = [
        (
            "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\nTERMS AND CONDITIONS\n\
             END OF TERMS AND CONDITIONS\nHow to Apply These Terms to Your New Programs\n\
             either version 3 of the License, or (at your option) any later version.",
            "GPL-3.0-only",
        ),
        (
            "# Licensed under the GNU General Public License as published by the Free\n\
             # Software Foundation, either version 3 of the License, or\n# (at your option) any later version.",
            "GPL-3.0-or-later",
        ),
        (
            "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 2.1, February 1999\n\
             [This is the first released version of the Lesser GPL.  It also counts\n\
             as the successor of the GNU Library Public License, version 2, hence\n\
             the version number 2.1.]\nEND OF TERMS AND CONDITIONS\n",
            "LGPL-2.1-only",
        ),
        (
            "This library is distributed under the terms of the GNU Lesser General Public\n\
             License version 2.1 as published by the Free Software Foundation.",
            "LGPL-2.1-only",
        ),
        (
            "Redistribution and use in source and binary forms, with or without\nmodification, \
             are permitted provided that the following conditions are met:\n\
             3. Neither the name of the copyright holder nor the names of its contributors",
            "BSD-3-Clause",
        ),
        (
            "Redistribution and use in source and binary forms, with or without\nmodification, \
             are permitted provided that the following conditions are met:\n1. ...\n2. ...",
            "BSD-2-Clause",
        ),
        (
            "Permission to use, copy, modify, and/or distribute this software for any\n\
             purpose with or without fee is hereby granted, provided that the above\n\
             copyright notice and this permission notice appear in all copies.",
            "ISC",
        ),
        (
            "Mozilla Public License Version 2.0\n==================================\n",
            "MPL-2.0",
        ),
        (
            "GNU GENERAL PUBLIC LICENSE\n Version 2, June 1991\n",
            "GPL-2.0-only",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(recognise(text), Recognised::Spdx(want), "{text}");
    }
}

#[test]
fn never_guesses() {
    let both = format!("{MIT}\n{APACHE}");
    assert!(matches!(recognise(&both), Recognised::Unknown(why) if why.contains("several")));
    assert!(matches!(
        recognise("Licensed under the GNU General Public License."),
        Recognised::Unknown(why) if why.contains("version")
    ));
    assert!(matches!(
        recognise("Mozilla Public License Version 1.1"),
        Recognised::Unknown(_)
    ));
}

#[test]
fn python_without_backend_and_setup_py_only() {
    let dir = tree(&[(
        "pyproject.toml",
        "[project]\nname = \"x\"\ndynamic = [\"version\"]\n",
    )]);
    let got = facts(dir.path());
    assert_eq!(
        got.build,
        BuildSystem::Python {
            backend: "setuptools.build_meta".to_owned()
        }
    );
    assert!(got.notes.iter().any(|n| n.contains("no build-backend")));
    assert!(got.notes.iter().any(|n| n.contains("dynamic")));
    let dir = tree(&[("setup.py", "from setuptools import setup\nsetup()\n")]);
    let got = facts(dir.path());
    assert!(matches!(got.build, BuildSystem::Python { .. }));
    assert!(got.notes.iter().any(|n| n.contains("only setup.py")));
}

#[test]
fn meson_wins_over_cmake_and_make() {
    let dir = tree(&[
        ("meson.build", "project('a')\n"),
        ("CMakeLists.txt", "project(b)\n"),
        ("Makefile", "all:\n"),
    ]);
    let got = facts(dir.path());
    assert_eq!(got.build, BuildSystem::Meson);
    assert_eq!(got.name.as_deref(), Some("a"));
}

#[test]
fn toml_lite_reads_strings_and_skips_other_values() {
    let doc = toml_lite::parse(
        "title = 'x' # c\n[a . \"b\"]\nk = \"v \\\"q\\\" \\u00e9\" # note\n\
         arr = [\n  [1, 2],\n  \"]\",\n]\nafter = \"yes\"\n[[p]]\nn = \"1\"\n[[p]]\nn = \"2\"\n",
    );
    assert_eq!(doc.tables[0].str("title"), Some("x"));
    let ab = doc.table("a.b").expect("table a.b");
    assert_eq!(ab.str("k"), Some("v \"q\" é"));
    assert_eq!(ab.str("after"), Some("yes"));
    let ns: Vec<_> = doc.array("p").filter_map(|t| t.str("n")).collect();
    assert_eq!(ns, ["1", "2"]);
}
