//! Finding function calls (`project(...)`, `AC_INIT(...)`) in build files: balanced
//! parentheses, quotes respected, comments dropped.

/// How a language quotes text, so parentheses and commas inside quotes are not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// `'…'` and `"…"` strings (Meson, CMake).
    Strings,
    /// m4's nesting `[…]` quotes (Autoconf); apostrophes are plain text.
    M4,
}

/// `text` with `#` comments removed (a `#` inside quotes is kept), line by line.
pub(crate) fn strip_hash_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut quote = None;
        let mut end = line.len();
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), _) if c == q => quote = None,
                (None, '#') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(&line[..end]);
        out.push('\n');
    }
    out
}

/// The argument text of every call of `name` in `text` (what is between its parentheses).
/// `any_case` matches the name in any case (CMake commands).
pub(crate) fn calls(text: &str, name: &str, any_case: bool, quoting: Quoting) -> Vec<String> {
    let hay = if any_case {
        text.to_ascii_lowercase()
    } else {
        text.to_owned()
    };
    let needle = if any_case {
        name.to_ascii_lowercase()
    } else {
        name.to_owned()
    };
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(&needle) {
        let start = from + pos;
        from = start + needle.len();
        let before_ok = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'));
        let rest = hay[from..].trim_start();
        if !before_ok || !rest.starts_with('(') {
            continue;
        }
        let open = hay.len() - rest.len();
        if let Some(close) = matching_paren(&text[open..], quoting) {
            found.push(text[open + 1..open + close].to_owned());
        }
    }
    found
}

/// The offset of the `)` closing the `(` at the start of `text`.
fn matching_paren(text: &str, quoting: Quoting) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut m4 = 0usize;
    for (i, c) in text.char_indices() {
        if quoting == Quoting::M4 {
            match c {
                '[' => m4 += 1,
                ']' => m4 = m4.saturating_sub(1),
                _ => {}
            }
            if m4 > 0 || c == ']' {
                continue;
            }
        }
        match (quote, c) {
            (None, '"' | '\'') if quoting == Quoting::M4 => {}
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `args` split at top-level commas (not inside quotes, parentheses or brackets), trimmed.
pub(crate) fn split_commas(args: &str, quoting: Quoting) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote = None;
    let mut current = String::new();
    for c in args.chars() {
        match (quote, c) {
            (None, '"' | '\'') if quoting == Quoting::M4 => {}
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() || !parts.is_empty() {
        parts.push(current.trim().to_owned());
    }
    parts
}

/// The contents of a whole quoted literal (`'x'` or `"x"`), or `None` when `text` is not one.
pub(crate) fn quoted(text: &str) -> Option<&str> {
    let text = text.trim();
    for q in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            if !inner.contains(q) {
                return Some(inner);
            }
        }
    }
    None
}

/// Splits `modules >= 1.0 other` (pkg-config syntax) into module names, dropping version
/// constraints whether spaced (`x >= 1`) or glued (`x>=1`).
pub(crate) fn pkg_modules(spec: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut skip_next = false;
    for word in spec.split([' ', '\t', '\n', ',']).filter(|w| !w.is_empty()) {
        if skip_next {
            skip_next = false;
            continue;
        }
        if word.starts_with(['<', '>', '=', '!']) {
            skip_next = word.trim_start_matches(['<', '>', '=', '!']).is_empty();
            continue;
        }
        let name = word.split(['<', '>', '=', '!']).next().unwrap_or(word);
        if !name.is_empty() {
            names.push(name.to_owned());
        }
    }
    names
}
