//! Reading lines of outside input with a bound on each: memory stays flat however long a
//! line is, and an endless one (`/dev/zero`) is refused after the bound, not read forever.

use std::io::{self, BufRead};

/// Why a line could not be had.
#[derive(Debug)]
pub enum LineFault {
    /// The line went on past the bound (its number, from 1).
    TooLong(usize),
    /// Reading failed at this line.
    Io(usize, io::Error),
}

/// The lines of a reader, each at most `limit` bytes (without its `\n` or `\r\n`), numbered
/// from 1. Read once, in order: it works on pipes and FIFOs. After a fault it ends.
#[derive(Debug)]
pub struct BoundedLines<R> {
    reader: R,
    limit: usize,
    number: usize,
    done: bool,
}

impl<R: BufRead> BoundedLines<R> {
    /// The lines of `reader`, each at most `limit` bytes.
    pub fn new(reader: R, limit: usize) -> BoundedLines<R> {
        BoundedLines {
            reader,
            limit,
            number: 0,
            done: false,
        }
    }

    /// The next line with its number, as bytes (not checked to be text), or `None` at the
    /// end. A last line without a newline counts.
    pub fn next_line(&mut self) -> Option<Result<(usize, Vec<u8>), LineFault>> {
        if self.done {
            return None;
        }
        self.number += 1;
        let outcome = self.read_line();
        match &outcome {
            Some(Ok(_)) => {}
            None | Some(Err(_)) => self.done = true,
        }
        outcome.map(|line| line.map(|l| (self.number, l)))
    }

    fn read_line(&mut self) -> Option<Result<Vec<u8>, LineFault>> {
        let mut line = Vec::new();
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(LineFault::Io(self.number, e))),
            };
            if available.is_empty() {
                // The end: a last line without a newline is still a line.
                return (!line.is_empty()).then(|| self.bounded(line));
            }
            let (taken, ends) = match available.iter().position(|&b| b == b'\n') {
                Some(newline) => (newline, true),
                None => (available.len(), false),
            };
            // One byte of slack for a `\r` before the newline.
            if line.len() + taken > self.limit + 1 {
                return Some(Err(LineFault::TooLong(self.number)));
            }
            line.extend_from_slice(&available[..taken]);
            self.reader.consume(taken + usize::from(ends));
            if ends {
                return Some(self.bounded(line));
            }
        }
    }

    /// `line` without a last `\r`, if it is within the bound.
    fn bounded(&self, mut line: Vec<u8>) -> Result<Vec<u8>, LineFault> {
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > self.limit {
            return Err(LineFault::TooLong(self.number));
        }
        Ok(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Read};

    fn lines(input: &[u8], limit: usize) -> Vec<Result<(usize, Vec<u8>), String>> {
        let mut reader = BoundedLines::new(BufReader::with_capacity(4, input), limit);
        std::iter::from_fn(|| reader.next_line())
            .map(|l| l.map_err(|e| format!("{e:?}")))
            .collect()
    }

    #[test]
    fn lines_are_numbered_and_their_ends_trimmed() {
        let got = lines(b"one\r\ntwo\n\nlast", 10);
        let want: Vec<Result<(usize, Vec<u8>), String>> = vec![
            Ok((1, b"one".to_vec())),
            Ok((2, b"two".to_vec())),
            Ok((3, Vec::new())),
            Ok((4, b"last".to_vec())),
        ];
        assert_eq!(got, want);
        assert!(lines(b"", 10).is_empty());
    }

    #[test]
    fn a_line_at_the_limit_passes_and_one_past_it_ends_the_reading() {
        let got = lines(b"12345\n1234\r\n123456\nnever\n", 5);
        assert_eq!(got[0], Ok((1, b"12345".to_vec())));
        assert_eq!(got[1], Ok((2, b"1234".to_vec())));
        assert_eq!(got[2], Err("TooLong(3)".to_owned()));
        assert_eq!(got.len(), 3, "nothing after a fault");
        assert_eq!(lines(b"123456", 5), vec![Err("TooLong(1)".to_owned())]);
    }

    #[test]
    fn an_endless_line_is_refused_after_the_limit() {
        // `repeat` never ends: reading must stop at the bound, having read little more.
        let mut endless = std::io::repeat(0).take(u64::MAX);
        let mut reader = BoundedLines::new(BufReader::new(&mut endless), 1 << 20);
        assert!(matches!(
            reader.next_line(),
            Some(Err(LineFault::TooLong(1)))
        ));
        assert!(reader.next_line().is_none());
        assert!(u64::MAX - endless.limit() < 2 << 20);
    }
}
