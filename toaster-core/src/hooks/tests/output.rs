use crate::hooks::output::{Tail, head_text, tail_text};
use crate::model::AttemptResult;

const MAX: usize = AttemptResult::MAX_OUTPUT;

#[test]
fn a_tail_keeps_the_last_bytes() {
    let mut tail = Tail::default();
    for i in 0..10_000u32 {
        tail.push(format!("{i:08}\n").as_bytes());
    }
    let text = tail.text();
    assert_eq!(text.len(), MAX);
    assert!(text.ends_with("00009999\n"));
    tail.push(&vec![b'y'; 3 * MAX]);
    assert_eq!(tail.text(), "y".repeat(MAX));
}

#[test]
fn cut_text_stays_within_bounds_and_on_characters() {
    let euros = "€".repeat(MAX); // 3 bytes each
    let tail = tail_text(euros.as_bytes());
    assert!(
        tail.len() <= MAX && tail.chars().all(|c| c == '€'),
        "{}",
        tail.len()
    );
    let head = head_text(euros.as_bytes());
    assert!(head.len() <= MAX && head.chars().all(|c| c == '€'));
    let garbage = vec![0xff; 2 * MAX];
    assert!(tail_text(&garbage).len() <= MAX);
    assert!(head_text(&garbage).len() <= MAX);
    assert_eq!(head_text(b"ok"), "ok");
}
