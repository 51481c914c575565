//! Recognising a licence from its text: distinctive phrases, never a guess.
//!
//! The text is normalised first (lower case, every run of non-alphanumeric characters one
//! space), so comment markers, line breaks and punctuation do not matter.

/// What recognition decided about one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recognised {
    /// Exactly one licence: its SPDX identifier.
    Spdx(&'static str),
    /// Not recognised, and why (for the note).
    Unknown(String),
}

/// Recognises the licence of `text`.
pub(crate) fn recognise(text: &str) -> Recognised {
    let norm = normalise(text);
    let mut found: Vec<&'static str> = Vec::new();
    match gnu(&norm) {
        Ok(Some(id)) => found.push(id),
        Ok(None) => {}
        Err(why) => return Recognised::Unknown(why),
    }
    if norm.contains("apache license version 2 0") {
        found.push("Apache-2.0");
    }
    if norm.contains("mozilla public license version 2 0") {
        found.push("MPL-2.0");
    }
    if norm.contains("permission is hereby granted free of charge to any person obtaining a copy")
        && norm.contains("the above copyright notice and this permission notice shall be included")
    {
        if norm.contains("except as contained in this notice the name") {
            return Recognised::Unknown(
                "an MIT-style text with an advertising clause (X11-like)".to_owned(),
            );
        }
        found.push("MIT");
    }
    if norm.contains("permission to use copy modify and")
        && norm.contains(
            "distribute this software for any purpose with or without fee is hereby granted",
        )
    {
        found.push("ISC");
    }
    if norm.contains("redistribution and use in source and binary forms with or without modification are permitted")
    {
        if norm.contains("all advertising materials mentioning features") {
            return Recognised::Unknown("a BSD text with an advertising clause".to_owned());
        }
        if norm.contains("neither the name of")
            || norm.contains("may not be used to endorse or promote products")
        {
            found.push("BSD-3-Clause");
        } else {
            found.push("BSD-2-Clause");
        }
    }
    match found.as_slice() {
        [one] => Recognised::Spdx(one),
        [] => Recognised::Unknown("no known licence phrase".to_owned()),
        many => Recognised::Unknown(format!("phrases of several licences ({})", many.join(", "))),
    }
}

/// Lower case, every run of characters other than ASCII letters and digits one space.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_owned()
}

/// The GNU family (GPL, LGPL, AGPL): which one, which version, only or or-later.
///
/// A full licence text ends with "how to apply these terms", a template notice that itself
/// says "or (at your option) any later version"; only what comes before it counts. The
/// family is the first GNU licence named; the version is the one written right after that
/// name ("... license version 2 june 1991") or else in the notice ("either version 2 of the
/// license"). `Err` when it is GNU but the version cannot be told.
fn gnu(norm: &str) -> Result<Option<&'static str>, String> {
    let body = [
        "how to apply these terms to your new",
        "end of terms and conditions",
    ]
    .iter()
    .filter_map(|cut| norm.find(cut))
    .min()
    .map_or(norm, |end| &norm[..end]);
    const FAMILIES: [(&str, &str); 4] = [
        ("gnu lesser general public license", "LGPL"),
        ("gnu library general public license", "LGPL"),
        ("gnu affero general public license", "AGPL"),
        ("gnu general public license", "GPL"),
    ];
    let Some((at, name, family)) = FAMILIES
        .iter()
        .filter_map(|(name, family)| body.find(name).map(|at| (at, *name, *family)))
        .min_by_key(|(at, _, _)| *at)
    else {
        return Ok(None);
    };
    let after_name = &body[at + name.len()..];
    let version = after_name
        .strip_prefix(" version ")
        .and_then(version_word)
        .or_else(|| {
            ["either version ", "version "].iter().find_map(|lead| {
                body.match_indices(lead).find_map(|(i, _)| {
                    let rest = &body[i + lead.len()..];
                    let v = version_word(rest)?;
                    let tail = &rest[v.len()..];
                    (tail.starts_with(" of the license") || tail.starts_with(" as published"))
                        .then_some(v)
                })
            })
        });
    let Some(version) = version else {
        return Err(format!("a {family} text whose version is not stated"));
    };
    let later = body.contains("or at your option any later version");
    let id = match (family, version, later) {
        ("GPL", "2", false) | ("GPL", "2 0", false) => "GPL-2.0-only",
        ("GPL", "2", true) | ("GPL", "2 0", true) => "GPL-2.0-or-later",
        ("GPL", "3", false) | ("GPL", "3 0", false) => "GPL-3.0-only",
        ("GPL", "3", true) | ("GPL", "3 0", true) => "GPL-3.0-or-later",
        ("LGPL", "2", false) | ("LGPL", "2 0", false) => "LGPL-2.0-only",
        ("LGPL", "2", true) | ("LGPL", "2 0", true) => "LGPL-2.0-or-later",
        ("LGPL", "2 1", false) => "LGPL-2.1-only",
        ("LGPL", "2 1", true) => "LGPL-2.1-or-later",
        ("LGPL", "3", false) | ("LGPL", "3 0", false) => "LGPL-3.0-only",
        ("LGPL", "3", true) | ("LGPL", "3 0", true) => "LGPL-3.0-or-later",
        ("AGPL", "3", false) | ("AGPL", "3 0", false) => "AGPL-3.0-only",
        ("AGPL", "3", true) | ("AGPL", "3 0", true) => "AGPL-3.0-or-later",
        (family, version, _) => {
            return Err(format!(
                "a {family} text of version {} that is not known",
                version.replace(' ', ".")
            ));
        }
    };
    Ok(Some(id))
}

/// The version number at the start of `text`: "2 1", "2 0", "3", … (normalised form).
fn version_word(text: &str) -> Option<&str> {
    let mut words = text.splitn(3, ' ');
    let major = words
        .next()
        .filter(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_digit()))?;
    match words.next() {
        Some(minor) if minor.len() == 1 && minor.chars().all(|c| c.is_ascii_digit()) => {
            Some(&text[..major.len() + 1 + minor.len()])
        }
        _ => Some(major),
    }
}
