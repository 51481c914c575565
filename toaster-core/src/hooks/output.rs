//! Bounded text from a transport: the last bytes a script printed, the first bytes a server
//! answered; at most [`AttemptResult::MAX_OUTPUT`] bytes, lossy UTF-8.

use crate::model::AttemptResult;

const MAX: usize = AttemptResult::MAX_OUTPUT;

/// The last [`MAX`] bytes of a stream of any length, in memory of at most twice that.
#[derive(Debug, Default)]
pub(crate) struct Tail {
    buf: Vec<u8>,
}

impl Tail {
    /// Appends `bytes`, dropping what falls off the front.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        if bytes.len() >= MAX {
            self.buf.clear();
            self.buf.extend_from_slice(&bytes[bytes.len() - MAX..]);
            return;
        }
        self.buf.extend_from_slice(bytes);
        if self.buf.len() > 2 * MAX {
            self.buf.drain(..self.buf.len() - MAX);
        }
    }

    /// The kept bytes as text (see [`tail_text`]).
    pub(crate) fn text(&self) -> String {
        tail_text(&self.buf)
    }
}

/// The end of `bytes` as text of at most [`MAX`] bytes, starting at a character boundary.
pub(crate) fn tail_text(bytes: &[u8]) -> String {
    let mut start = bytes.len().saturating_sub(MAX);
    // Skip the continuation bytes of a character cut at the front (at most three).
    let limit = (start + 3).min(bytes.len());
    while start < limit && is_continuation(bytes[start]) {
        start += 1;
    }
    let text = String::from_utf8_lossy(&bytes[start..]);
    // Replacement characters are longer than the bytes they replace: cut again if needed.
    let mut cut = text.len().saturating_sub(MAX);
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    text[cut..].to_owned()
}

/// The start of `bytes` as text of at most [`MAX`] bytes, ending at a character boundary.
pub(crate) fn head_text(bytes: &[u8]) -> String {
    let mut end = bytes.len().min(MAX);
    // Leave out a character cut at the end rather than show a replacement for it.
    if let Err(e) = std::str::from_utf8(&bytes[..end]) {
        if e.error_len().is_none() {
            end = e.valid_up_to();
        }
    }
    let text = String::from_utf8_lossy(&bytes[..end]);
    let mut cut = text.len().min(MAX);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text[..cut].to_owned()
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}
