//! kas's merge of its files (`_internal_dict_merge`): mappings merge key by key,
//! recursively; any other value (a list, a string, null) from the later file replaces the
//! earlier one whole, so `repos: {poky: }` in a later file empties an included `poky`
//! entry, and a later `target` list replaces an earlier one. A key keeps the place it was
//! first written at.

use std::collections::HashMap;

use super::node::{Node, Value};

/// Merges `trees` in order, later ones winning; `None` when there are none.
pub(super) fn merge_all(trees: Vec<Node>) -> Option<Node> {
    trees.into_iter().reduce(merge)
}

/// `update` merged into `dest`.
fn merge(dest: Node, update: Node) -> Node {
    match (dest.value, update.value) {
        (Value::Map(mut entries), Value::Map(updates)) => {
            let mut index: HashMap<String, usize> = entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect();
            for (key, value) in updates {
                match index.get(&key) {
                    Some(&i) => {
                        let old = std::mem::replace(&mut entries[i].1, placeholder(&value));
                        entries[i].1 = match (&old.value, &value.value) {
                            (Value::Map(_), Value::Map(_)) => merge(old, value),
                            _ => value,
                        };
                    }
                    None => {
                        index.insert(key.clone(), entries.len());
                        entries.push((key, value));
                    }
                }
            }
            Node {
                value: Value::Map(entries),
                at: dest.at,
            }
        }
        (_, value) => Node {
            value,
            at: update.at,
        },
    }
}

fn placeholder(like: &Node) -> Node {
    Node {
        value: Value::Null,
        at: like.at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::kas_in::node::At;

    fn at(file: usize) -> At {
        At { file, line: 1 }
    }

    fn s(text: &str, file: usize) -> Node {
        Node {
            value: Value::Str(text.to_owned()),
            at: at(file),
        }
    }

    fn map(entries: Vec<(&str, Node)>, file: usize) -> Node {
        Node {
            value: Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            ),
            at: at(file),
        }
    }

    #[test]
    fn mappings_merge_and_the_later_file_wins() {
        let first = map(
            vec![
                ("machine", s("a", 0)),
                (
                    "repos",
                    map(vec![("poky", map(vec![("branch", s("x", 0))], 0))], 0),
                ),
            ],
            0,
        );
        let second = map(
            vec![
                (
                    "repos",
                    map(vec![("poky", map(vec![("commit", s("c", 1))], 1))], 1),
                ),
                ("machine", s("b", 1)),
            ],
            1,
        );
        let merged = merge_all(vec![first, second]).unwrap();
        assert_eq!(merged.get("machine").unwrap().as_str(), Some("b"));
        assert_eq!(merged.get("machine").unwrap().at.file, 1);
        let poky = merged.get("repos").unwrap().get("poky").unwrap();
        assert_eq!(poky.get("branch").unwrap().as_str(), Some("x"));
        assert_eq!(poky.get("commit").unwrap().as_str(), Some("c"));
        // The first key written keeps its place.
        assert_eq!(merged.entries().unwrap()[0].0, "machine");
    }

    #[test]
    fn null_replaces_a_mapping() {
        let first = map(vec![("poky", map(vec![("branch", s("x", 0))], 0))], 0);
        let second = map(
            vec![(
                "poky",
                Node {
                    value: Value::Null,
                    at: at(1),
                },
            )],
            1,
        );
        let merged = merge_all(vec![first, second]).unwrap();
        assert!(merged.get("poky").unwrap().is_null());
    }
}
