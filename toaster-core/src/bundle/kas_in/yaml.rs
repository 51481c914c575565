//! YAML text to a [`Node`] tree, within bounds.
//!
//! The parser is `saphyr-parser` (pure Rust, no unsafe), used event by event so that this
//! module builds the tree itself and keeps every bound: nesting depth, and the number of
//! values and of string bytes the trees of all the files hold *after* aliases are expanded
//! (an alias counts as a copy of what it names, an anchored value twice for the copy kept
//! for its aliases), so a "billion laughs" document is refused when its count passes the
//! bound, long before memory is spent. Scalars are typed as PyYAML's
//! `safe_load` (kas's loader) types them; tags other than the core schema's are refused as
//! `safe_load` refuses them; `<<` merge keys are merged as PyYAML merges them.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use super::error::{Budget, KasInError};
use super::limits::{MAX_DEPTH, MAX_NODES, MAX_TREE_BYTES};
use super::node::{At, Node, Value};
use super::scalar::{resolve_plain, resolve_tagged};
use super::source::Sources;

/// A collection being read.
struct Frame {
    /// Its anchor id (0: none).
    anchor: usize,
    /// Where it starts.
    at: At,
    /// The counters when it started, to weigh it for aliases.
    nodes_before: usize,
    bytes_before: usize,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(String, Node)>,
        index: HashMap<String, usize>,
        /// The values of `<<` keys, in order.
        merges: Vec<Node>,
        /// A key read, waiting for its value.
        key: Option<Node>,
    },
}

/// A finished anchored value and its weight.
struct Anchored {
    node: Node,
    nodes: usize,
    bytes: usize,
    height: usize,
}

/// What the trees read so far hold, every alias counted as a copy of what it names and
/// every anchored value once more (the copy kept for its aliases).
#[derive(Debug, Default)]
pub(super) struct Spent {
    /// Values.
    pub nodes: usize,
    /// String bytes.
    pub bytes: usize,
}

/// Builds the tree of one file.
struct Builder<'a> {
    sources: &'a Sources,
    file: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    spent: &'a mut Spent,
    root: Option<Node>,
    documents: usize,
}

/// Reads `text`, the content of file `file` of `sources`, as one YAML document, adding
/// what it holds to `spent` (bounded over all the files of one kas file).
pub(super) fn parse(
    sources: &Sources,
    file: usize,
    text: &str,
    spent: &mut Spent,
) -> Result<Node, KasInError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder {
        sources,
        file,
        stack: Vec::new(),
        anchors: HashMap::new(),
        spent,
        root: None,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| KasInError::Yaml {
            file: sources.path(file).to_owned(),
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_owned(),
        })?;
        builder.event(event, span)?;
    }
    builder.root.ok_or_else(|| KasInError::NotAMapping {
        file: sources.path(file).to_owned(),
        found: "nothing",
    })
}

impl Builder<'_> {
    fn at(&self, span: Span) -> At {
        At {
            file: self.file,
            line: span.start.line(),
        }
    }

    fn budget(&self, at: At, budget: Budget) -> KasInError {
        KasInError::Budget {
            file: self.sources.path(self.file).to_owned(),
            line: at.line,
            budget,
        }
    }

    /// Counts `nodes` values and `bytes` string bytes more, refusing past the bounds.
    fn spend(&mut self, at: At, nodes: usize, bytes: usize) -> Result<(), KasInError> {
        self.spent.nodes = self.spent.nodes.saturating_add(nodes);
        self.spent.bytes = self.spent.bytes.saturating_add(bytes);
        if self.spent.nodes > MAX_NODES {
            return Err(self.budget(at, Budget::Nodes));
        }
        if self.spent.bytes > MAX_TREE_BYTES {
            return Err(self.budget(at, Budget::Bytes));
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), KasInError> {
        let at = self.at(span);
        let is_map = matches!(event, Event::MappingStart(..));
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(KasInError::Documents {
                        file: self.sources.path(self.file).to_owned(),
                        line: at.line,
                    });
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = self.scalar(&text, style, tag.as_deref(), at)?;
                self.spend(at, 1, text.len())?;
                let node = Node { value, at };
                if anchor > 0 {
                    self.spend(at, 1, text.len())?;
                    self.anchors.insert(
                        anchor,
                        Anchored {
                            node: node.clone(),
                            nodes: 1,
                            bytes: text.len(),
                            height: 0,
                        },
                    );
                }
                self.add(node)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if let Some(tag) = tag.as_deref() {
                    let fits = tag.is_yaml_core_schema()
                        && tag.suffix == if is_map { "map" } else { "seq" };
                    let plain = tag.handle == "!" && tag.suffix.is_empty();
                    if !(fits || plain) {
                        return Err(self.tag_error(tag, at));
                    }
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.budget(at, Budget::Depth));
                }
                self.spend(at, 1, 0)?;
                let kind = if is_map {
                    FrameKind::Map {
                        entries: Vec::new(),
                        index: HashMap::new(),
                        merges: Vec::new(),
                        key: None,
                    }
                } else {
                    FrameKind::Seq(Vec::new())
                };
                self.stack.push(Frame {
                    anchor,
                    at,
                    nodes_before: self.spent.nodes - 1,
                    bytes_before: self.spent.bytes,
                    kind,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let value = match frame.kind {
                    FrameKind::Seq(items) => Value::Seq(items),
                    FrameKind::Map {
                        entries, merges, ..
                    } => Value::Map(self.merged(entries, merges)?),
                };
                let node = Node {
                    value,
                    at: frame.at,
                };
                if frame.anchor > 0 {
                    let nodes = self.spent.nodes - frame.nodes_before;
                    let bytes = self.spent.bytes - frame.bytes_before;
                    self.spend(frame.at, nodes, bytes)?;
                    let anchored = Anchored {
                        height: height(&node),
                        node: node.clone(),
                        nodes,
                        bytes,
                    };
                    self.anchors.insert(frame.anchor, anchored);
                }
                self.add(node)
            }
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(&id) else {
                    // Declared but unfinished: the alias is inside what it names.
                    return Err(self.budget(at, Budget::Recursive));
                };
                let (nodes, bytes, height) = (anchored.nodes, anchored.bytes, anchored.height);
                if self.stack.len() + height > MAX_DEPTH {
                    return Err(self.budget(at, Budget::Depth));
                }
                self.spend(at, nodes, bytes)?;
                let node = self
                    .anchors
                    .get(&id)
                    .map(|a| a.node.clone())
                    .ok_or_else(|| self.budget(at, Budget::Recursive))?;
                self.add(node)
            }
        }
    }

    fn tag_error(&self, tag: &Tag, at: At) -> KasInError {
        KasInError::Tag {
            file: self.sources.path(self.file).to_owned(),
            line: at.line,
            tag: crate::model::shorten(&shown(tag)),
        }
    }

    fn scalar(
        &self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        at: At,
    ) -> Result<Value, KasInError> {
        let value = match tag {
            None if style == ScalarStyle::Plain => resolve_plain(text),
            None => Some(Value::Str(text.to_owned())),
            Some(tag) if tag.handle == "!" && tag.suffix.is_empty() => {
                Some(Value::Str(text.to_owned()))
            }
            Some(tag)
                if tag.is_yaml_core_schema()
                    && matches!(
                        tag.suffix.as_str(),
                        "str" | "null" | "bool" | "int" | "float" | "timestamp"
                    ) =>
            {
                resolve_tagged(&tag.suffix, text)
            }
            Some(tag) => return Err(self.tag_error(tag, at)),
        };
        value.ok_or_else(|| KasInError::Scalar {
            file: self.sources.path(self.file).to_owned(),
            line: at.line,
            text: crate::model::shorten(text),
            tag: tag.map(shown),
        })
    }

    /// Puts a finished value where it belongs: the root, a list, a mapping's key or value.
    fn add(&mut self, node: Node) -> Result<(), KasInError> {
        let file = self.file;
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map {
                entries,
                index,
                merges,
                key,
            } => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let name = match k.value {
                        Value::Str(name) => name,
                        other => {
                            return Err(KasInError::Key {
                                file: self.sources.path(file).to_owned(),
                                line: k.at.line,
                                found: other.kind(),
                            });
                        }
                    };
                    if name == "<<" {
                        merges.push(node);
                    } else {
                        match index.get(&name) {
                            Some(&i) => entries[i].1 = node,
                            None => {
                                index.insert(name.clone(), entries.len());
                                entries.push((name, node));
                            }
                        }
                    }
                }
            },
        }
        Ok(())
    }

    /// PyYAML's merge keys: the mappings under `<<` (a mapping, or a list of them where
    /// the first wins) first, then the mapping's own keys, which win over all.
    fn merged(
        &self,
        entries: Vec<(String, Node)>,
        merges: Vec<Node>,
    ) -> Result<Vec<(String, Node)>, KasInError> {
        if merges.is_empty() {
            return Ok(entries);
        }
        let mut sources: Vec<Node> = Vec::new();
        for merge in merges {
            match merge.value {
                Value::Map(_) => sources.push(merge),
                Value::Seq(items) => {
                    for item in items.into_iter().rev() {
                        if !matches!(item.value, Value::Map(_)) {
                            return Err(self.merge_error(&item));
                        }
                        sources.push(item);
                    }
                }
                _ => return Err(self.merge_error(&merge)),
            }
        }
        let mut out: Vec<(String, Node)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let own = Node {
            value: Value::Map(entries),
            at: At {
                file: self.file,
                line: 0,
            },
        };
        for source in sources.into_iter().chain([own]) {
            if let Value::Map(pairs) = source.value {
                for (key, node) in pairs {
                    match index.get(&key) {
                        Some(&i) => out[i].1 = node,
                        None => {
                            index.insert(key.clone(), out.len());
                            out.push((key, node));
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn merge_error(&self, node: &Node) -> KasInError {
        KasInError::WrongType {
            file: self.sources.path(self.file).to_owned(),
            line: node.at.line,
            key: "<<".to_owned(),
            expected: "a mapping or a list of mappings to merge",
            found: node.value.kind(),
        }
    }
}

/// A tag as written: `!!int`, `!local`, or the whole handle and suffix.
fn shown(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// How many levels of collections a value has below it.
fn height(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(height).max().unwrap_or(0),
        Value::Map(entries) => 1 + entries.iter().map(|(_, n)| height(n)).max().unwrap_or(0),
        _ => 0,
    }
}
