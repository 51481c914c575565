//! Plain (unquoted) YAML scalars typed as kas's loader types them: PyYAML's `SafeLoader`
//! follows YAML 1.1, where `yes`, `on` and `off` are booleans, `010` is octal, `1:30` is 90
//! and `2024-01-01` is a date. A value kas would read as a number where it wants a string
//! is refused here as kas refuses it.

use super::node::Value;

/// What a plain scalar is; `None` for the one PyYAML cannot construct (`=`, its "value"
/// tag).
pub(super) fn resolve_plain(text: &str) -> Option<Value> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Value::Bool(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        "=" => return None,
        _ => {
            if let Some(n) = int(text) {
                Value::Int(n)
            } else if is_float(text) {
                Value::Float
            } else if is_timestamp(text) {
                Value::Timestamp
            } else {
                Value::Str(text.to_owned())
            }
        }
    })
}

/// What a scalar with the core-schema tag `!!suffix` is; `None` when the text does not fit
/// the tag or the tag is not one a safe loader constructs from a scalar.
pub(super) fn resolve_tagged(suffix: &str, text: &str) -> Option<Value> {
    match suffix {
        "str" => Some(Value::Str(text.to_owned())),
        "null" => matches!(text, "" | "~" | "null" | "Null" | "NULL").then_some(Value::Null),
        "bool" => match resolve_plain(text)? {
            v @ Value::Bool(_) => Some(v),
            _ => None,
        },
        "int" => int(text).map(Value::Int),
        "float" => (is_float(text) || int(text).is_some()).then_some(Value::Float),
        "timestamp" => is_timestamp(text).then_some(Value::Timestamp),
        _ => None,
    }
}

/// A YAML 1.1 integer: `[-+]?` then `0b[01_]+`, `0x[0-9a-fA-F_]+`, `0[0-7_]+` (octal),
/// `0`, `[1-9][0-9_]*`, or base 60 `[1-9][0-9_]*(:[0-5]?[0-9])+`.
fn int(text: &str) -> Option<i128> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let digits =
        |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c == '_' || c.is_digit(radix));
    let value = if let Some(rest) = body.strip_prefix("0b") {
        digits(rest, 2).then(|| number(rest, 2))?
    } else if let Some(rest) = body.strip_prefix("0x") {
        digits(rest, 16).then(|| number(rest, 16))?
    } else if body == "0" {
        0
    } else if let Some(rest) = body.strip_prefix('0') {
        digits(rest, 8).then(|| number(rest, 8))?
    } else if body.starts_with(|c: char| ('1'..='9').contains(&c)) {
        let mut parts = body.split(':');
        let first = parts.next()?;
        if !digits(first, 10) {
            return None;
        }
        let mut value = number(first, 10);
        for part in parts {
            let sixty = !part.is_empty()
                && part.len() <= 2
                && part.chars().all(|c| c.is_ascii_digit())
                && (part.len() == 1 || part.as_bytes()[0] <= b'5');
            if !sixty {
                return None;
            }
            value = value.saturating_mul(60).saturating_add(number(part, 10));
        }
        value
    } else {
        return None;
    };
    Some(if negative { -value } else { value })
}

/// The value of digits (and `_`) in `radix`, saturated.
fn number(text: &str, radix: u32) -> i128 {
    text.chars()
        .filter_map(|c| c.to_digit(radix))
        .fold(0i128, |acc, d| {
            acc.saturating_mul(i128::from(radix))
                .saturating_add(i128::from(d))
        })
}

/// PyYAML's float pattern: `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?`,
/// `\.[0-9][0-9_]*([eE][-+][0-9]+)?`, base 60 with a fraction, `[-+]?.inf`, `.nan`.
fn is_float(text: &str) -> bool {
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(body, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    if let Some(exponent) = exponent {
        let Some(digits) = exponent.strip_prefix(['-', '+']) else {
            return false;
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    let Some((whole, fraction)) = mantissa.split_once('.') else {
        return false;
    };
    if !fraction.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return false;
    }
    if whole.is_empty() {
        // `.5`: no sign allowed, at least one digit, and no base 60.
        return text == body && fraction.starts_with(|c: char| c.is_ascii_digit());
    }
    let mut parts = whole.split(':');
    let first = parts.next().unwrap_or_default();
    let first_ok = first.starts_with(|c: char| c.is_ascii_digit())
        && first.chars().all(|c| c.is_ascii_digit() || c == '_');
    let rest_ok = parts.all(|p| {
        !p.is_empty()
            && p.len() <= 2
            && p.chars().all(|c| c.is_ascii_digit())
            && (p.len() == 1 || p.as_bytes()[0] <= b'5')
    });
    first_ok && rest_ok && (exponent.is_none() || !whole.contains(':'))
}

/// PyYAML's timestamp pattern: `YYYY-MM-DD`, or `YYYY-M-D` followed by `T`/`t`/blanks,
/// `H:MM:SS`, an optional fraction and an optional zone (`Z`, `±H`, `±HH:MM`).
fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.len() == 10 && (0..4).all(digit) && b[4] == b'-' && digit(5) && digit(6) && b[7] == b'-' {
        return digit(8) && digit(9);
    }
    let mut i = 0;
    let run = |i: &mut usize, min: usize, max: usize| {
        let start = *i;
        while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start >= min
    };
    let byte = |i: &mut usize, c: u8| {
        let ok = b.get(*i) == Some(&c);
        if ok {
            *i += 1;
        }
        ok
    };
    if !(run(&mut i, 4, 4)
        && byte(&mut i, b'-')
        && run(&mut i, 1, 2)
        && byte(&mut i, b'-')
        && run(&mut i, 1, 2))
    {
        return false;
    }
    if !(byte(&mut i, b'T') || byte(&mut i, b't')) {
        let start = i;
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if !(run(&mut i, 1, 2)
        && byte(&mut i, b':')
        && run(&mut i, 2, 2)
        && byte(&mut i, b':')
        && run(&mut i, 2, 2))
    {
        return false;
    }
    if byte(&mut i, b'.') {
        run(&mut i, 0, usize::MAX);
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    if i == b.len() {
        return true;
    }
    if byte(&mut i, b'Z') {
        return i == b.len();
    }
    if !(byte(&mut i, b'-') || byte(&mut i, b'+')) || !run(&mut i, 1, 2) {
        return false;
    }
    if byte(&mut i, b':') && !run(&mut i, 2, 2) {
        return false;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_are_typed_as_pyyaml_types_them() {
        let kind = |t: &str| resolve_plain(t).map(|v| v.kind());
        for (text, expected) in [
            ("", "nothing (null)"),
            ("~", "nothing (null)"),
            ("yes", "a boolean"),
            ("Off", "a boolean"),
            ("14", "a number"),
            ("0x1F", "a number"),
            ("010", "a number"),
            ("1:30", "a number"),
            ("-1_000", "a number"),
            ("0.10", "a decimal number"),
            ("1.", "a decimal number"),
            (".5", "a decimal number"),
            ("-.inf", "a decimal number"),
            ("2024-01-31", "a date"),
            ("2001-12-14t21:59:43.10-05:00", "a date"),
            ("2001-12-14 21:59:43.10 Z", "a date"),
            ("1e5", "a string"),
            ("08", "a string"),
            ("scarthgap", "a string"),
            ("qemux86-64", "a string"),
            ("v1.2", "a string"),
            ("0123456789abcdef0123456789abcdef01234567", "a string"),
            ("1234567", "a number"),
            ("-", "a string"),
            ("y", "a string"),
        ] {
            assert_eq!(kind(text), Some(expected), "{text:?}");
        }
        assert_eq!(resolve_plain("="), None);
        assert_eq!(resolve_plain("1:30"), Some(Value::Int(90)));
        assert_eq!(resolve_plain("010"), Some(Value::Int(8)));
        assert_eq!(resolve_plain("-0x10"), Some(Value::Int(-16)));
    }

    #[test]
    fn tags_force_a_type_or_refuse() {
        assert_eq!(
            resolve_tagged("str", "14"),
            Some(Value::Str("14".to_owned()))
        );
        assert_eq!(resolve_tagged("int", "14"), Some(Value::Int(14)));
        assert_eq!(resolve_tagged("int", "x"), None);
        assert_eq!(resolve_tagged("binary", "aGk="), None);
    }
}
