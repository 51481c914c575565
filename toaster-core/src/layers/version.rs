//! Comparing layer versions as BitBake does (`bb.utils.vercmp_string`): an optional
//! `epoch:`, the version, an optional `-revision`; numbers compared as numbers, letters as
//! text, `~` before everything, other characters after letters.

use std::cmp::Ordering;

/// One piece of a version: its class (`~` < end or number < letters < other) and text.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Tilde,
    Number(&'a str),
    Letters(&'a str),
    Other(char),
}

impl Piece<'_> {
    fn class(&self) -> i8 {
        match self {
            Piece::Tilde => -1,
            Piece::Number(_) => 0,
            Piece::Letters(_) => 1,
            Piece::Other(_) => 2,
        }
    }
}

fn pieces(mut text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    while let Some(c) = text.chars().next() {
        let run = |pred: fn(char) -> bool| text.find(|c: char| !pred(c)).unwrap_or(text.len());
        let (piece, len) = if c.is_ascii_digit() {
            let len = run(|c| c.is_ascii_digit());
            (Piece::Number(&text[..len]), len)
        } else if c.is_ascii_alphabetic() {
            let len = run(|c| c.is_ascii_alphabetic());
            (Piece::Letters(&text[..len]), len)
        } else if c == '~' {
            (Piece::Tilde, 1)
        } else {
            (Piece::Other(c), c.len_utf8())
        };
        out.push(piece);
        text = &text[len..];
    }
    out
}

/// Numbers of any length, compared by value.
fn compare_numbers(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn compare_part(a: &str, b: &str) -> Ordering {
    let (a, b) = (pieces(a), pieces(b));
    let mut a = a.iter();
    let mut b = b.iter();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            // The end sorts like a number that is less than every number, after `~`.
            (None, Some(p)) => {
                return if p.class() < 0 {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            (Some(p), None) => {
                return if p.class() < 0 {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            (Some(x), Some(y)) => {
                let order = x.class().cmp(&y.class()).then_with(|| match (x, y) {
                    (Piece::Number(m), Piece::Number(n)) => compare_numbers(m, n),
                    (Piece::Letters(m), Piece::Letters(n)) => m.cmp(n),
                    (Piece::Other(m), Piece::Other(n)) => m.cmp(n),
                    _ => Ordering::Equal,
                });
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

fn split(version: &str) -> (&str, &str, &str) {
    let version = version.trim_matches([' ', '<', '>', '=']);
    let (epoch, rest) = version.split_once(':').unwrap_or(("0", version));
    let (main, revision) = rest.rsplit_once('-').unwrap_or((rest, ""));
    (epoch, main, revision)
}

/// Compares two versions the way BitBake compares `LAYERVERSION` with a constraint.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ea, va, ra) = split(a);
    let (eb, vb, rb) = split(b);
    let epoch = |e: &str| e.parse::<u64>().unwrap_or(0);
    epoch(ea)
        .cmp(&epoch(eb))
        .then_with(|| compare_part(va, vb))
        .then_with(|| compare_part(ra, rb))
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::{Equal, Greater, Less};

    #[test]
    fn versions_compare_like_bitbake() {
        for (a, b, want) in [
            ("15", "12", Greater),
            ("12", "12", Equal),
            ("9", "10", Less),
            ("1.10", "1.9", Greater),
            ("1.0", "1.0a", Less),
            ("1.0~rc1", "1.0", Less),
            ("1.0", "1.0-r1", Less),
            ("1:1.0", "2.0", Greater),
            ("007", "7", Equal),
            ("1.0+git", "1.0a", Greater),
            ("123456789012345678901234567890", "9", Greater),
        ] {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }
}
