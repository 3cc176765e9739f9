//! Hierarchies recovered from lowered descriptors, and the comparison of two versions of them.
//!
//! A **root** is a message `R` with a nested `enum Type` that has `TYPE_UNSPECIFIED = 0` and a
//! singular field of type `R.Type` (the discriminator, generated or declared), and at least one
//! class attached to it. A class `C` is **attached** to its parent `P` with its tag `N` by
//! `extend P { optional C … = N; }` nested in `C` (extension style) or by a field `C … = N` of
//! `oneof subtype` in `P` (oneof style).

use std::collections::BTreeMap;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FileDescriptorProto};

use super::{qualify, short, AtOpt, Generated, Locator, Schema};
use crate::diagnostics::Diagnostic;

/// One class of a hierarchy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    /// Its tag.
    pub tag: i32,
    /// Its direct parent (fully qualified).
    pub parent: String,
}

/// One hierarchy, keyed by its root in [`of`]'s result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hierarchy {
    /// The discriminator field: name and number.
    pub discriminator: Option<(String, i32)>,
    /// Every class but the root, by fully qualified name.
    pub classes: BTreeMap<String, Class>,
}

/// The hierarchies of a set of lowered files, by root (fully qualified, no leading dot).
pub fn of(files: &[&FileDescriptorProto]) -> BTreeMap<String, Hierarchy> {
    let mut messages: BTreeMap<String, &DescriptorProto> = BTreeMap::new();
    let mut edges: BTreeMap<String, (String, i32)> = BTreeMap::new();
    fn walk<'a>(
        m: &'a DescriptorProto,
        scope: &str,
        messages: &mut BTreeMap<String, &'a DescriptorProto>,
        edges: &mut BTreeMap<String, (String, i32)>,
    ) {
        let full = qualify(scope, m.name());
        // Extension style: `extend Parent { optional Self … = TAG; }` nested in the class.
        for x in &m.extension {
            if x.type_name().trim_start_matches('.') == full && x.r#type() == Type::Message {
                edges.insert(
                    full.clone(),
                    (x.extendee().trim_start_matches('.').to_string(), x.number()),
                );
            }
        }
        // Oneof style: `oneof subtype { Child child = TAG; }` in the parent.
        if let Some(subtype) = m.oneof_decl.iter().position(|o| o.name() == "subtype") {
            for f in &m.field {
                if f.oneof_index == Some(subtype as i32) && f.r#type() == Type::Message {
                    edges.insert(
                        f.type_name().trim_start_matches('.').to_string(),
                        (full.clone(), f.number()),
                    );
                }
            }
        }
        for n in &m.nested_type {
            walk(n, &full, messages, edges);
        }
        messages.insert(full, m);
    }
    for f in files {
        for m in &f.message_type {
            walk(m, f.package(), &mut messages, &mut edges);
        }
    }
    let mut out = BTreeMap::new();
    for (full, m) in &messages {
        let has_type_enum = m.enum_type.iter().any(|e| {
            e.name() == "Type"
                && e.value
                    .iter()
                    .any(|v| v.name() == "TYPE_UNSPECIFIED" && v.number() == 0)
        });
        if !has_type_enum {
            continue;
        }
        let type_name = format!("{full}.Type");
        let discriminator = m
            .field
            .iter()
            .find(|f| {
                f.type_name().trim_start_matches('.') == type_name && f.label() != Label::Repeated
            })
            .map(|f| (f.name().to_string(), f.number()));
        let mut classes = BTreeMap::new();
        for (class, (parent, tag)) in &edges {
            // Follow the chain of parents up to this root (bounded: chains cannot cycle after
            // lowering, but old descriptors are untrusted input).
            let mut cur = parent;
            let mut steps = 0;
            while cur != full && steps < edges.len() {
                match edges.get(cur) {
                    Some((p, _)) => cur = p,
                    None => break,
                }
                steps += 1;
            }
            if cur == full {
                classes.insert(
                    class.clone(),
                    Class {
                        tag: *tag,
                        parent: parent.clone(),
                    },
                );
            }
        }
        if !classes.is_empty() {
            out.insert(
                full.clone(),
                Hierarchy {
                    discriminator,
                    classes,
                },
            );
        }
    }
    out
}

/// Which hierarchy of `hs` holds `class`: (root, class).
fn find<'a>(hs: &'a BTreeMap<String, Hierarchy>, class: &str) -> Option<(&'a str, &'a Class)> {
    hs.iter()
        .find_map(|(r, h)| h.classes.get(class).map(|c| (r.as_str(), c)))
}

fn mark(generated: &mut Generated, hs: &BTreeMap<String, Hierarchy>) {
    for (root, h) in hs {
        generated.enums.insert(format!("{root}.Type"));
        if let Some((_, n)) = &h.discriminator {
            generated.fields.insert((root.clone(), *n));
        }
        for c in h.classes.values() {
            generated.fields.insert((c.parent.clone(), c.tag));
            generated.extensions.insert((c.parent.clone(), c.tag));
        }
    }
}

/// Compares hierarchies; returns the elements they cover, which the field, enum and extension
/// comparisons skip.
pub(crate) fn compare(
    old: &BTreeMap<String, Hierarchy>,
    new: &BTreeMap<String, Hierarchy>,
    new_schema: &Schema,
    locate: &Locator,
    package: &str,
    out: &mut Vec<Diagnostic>,
) -> Generated {
    let mut generated = Generated::default();
    mark(&mut generated, old);
    mark(&mut generated, new);
    let s = |full: &str| short(full, package).to_string();
    for (root, oh) in old {
        let nh = new.get(root);
        if let Some((oname, onum)) = &oh.discriminator {
            let now = nh.and_then(|h| h.discriminator.as_ref());
            let reserved = new_schema
                .messages
                .get(root)
                .is_some_and(|m| m.reserves(*onum));
            match now {
                Some((nname, nnum)) if nnum != onum => out.push(
                    Diagnostic::error(
                        "DISCRIMINATOR_CHANGED",
                        format!("the discriminator `{nname}` of `{}` changed number from {onum} to {nnum}", s(root)),
                    )
                    .at_opt(locate.field(root, nname), format!("was {onum}"))
                    .note("readers of either version no longer agree on which subclass a message holds")
                    .help(format!("declare the discriminator with its old number in `{}`: `Type {oname} = {onum};` (with `optional` in proto2)", s(root))),
                ),
                None if !reserved => out.push(
                    Diagnostic::error(
                        "DISCRIMINATOR_CHANGED",
                        format!("`{}` no longer has its discriminator `{oname}` = {onum}", s(root)),
                    )
                    .at_opt(locate.message(root), "was the root of a hierarchy")
                    .help(format!("add `reserved {onum};` to `{}` so the number is never reused", s(root))),
                ),
                _ => {}
            }
        }
        for (class, oc) in &oh.classes {
            let cname = s(class);
            match find(new, class) {
                Some((nroot, nc)) if nroot != root || nc.parent != oc.parent => {
                    let tag = if nc.tag != oc.tag {
                        format!(", and its tag changed from {} to {}", oc.tag, nc.tag)
                    } else {
                        String::new()
                    };
                    out.push(
                        Diagnostic::error(
                            "SUBCLASS_MOVED",
                            format!(
                                "`{cname}` now inherits from `{}` instead of `{}`{tag}",
                                s(&nc.parent),
                                s(&oc.parent)
                            ),
                        )
                        .at_opt(locate.tag(class), format!("was `{} = {}`", s(&oc.parent), oc.tag))
                        .note(format!("its fields travel inside its parent: data written as a `{}` child is not found under `{}`", s(&oc.parent), s(&nc.parent)))
                        .help(format!("keep `{cname}` under `{}` with tag {}; add a new class for the new place", s(&oc.parent), oc.tag)),
                    );
                }
                Some((_, nc)) if nc.tag != oc.tag => out.push(
                    Diagnostic::error(
                        "SUBCLASS_TAG_CHANGED",
                        format!("the tag of `{cname}` changed from {} to {}", oc.tag, nc.tag),
                    )
                    .at_opt(locate.tag(class), format!("was {}", oc.tag))
                    .note(format!(
                        "the tag is `{cname}`'s `Type` value and the number its fields travel under in `{}`: data written before is misread",
                        s(&oc.parent)
                    ))
                    .help(format!(
                        "pin the old tag: `message {} : {} = {}`",
                        class.rsplit('.').next().unwrap_or(class),
                        s(&oc.parent),
                        oc.tag
                    )),
                ),
                Some(_) => {}
                None => {
                    let reserved = new_schema
                        .messages
                        .get(&oc.parent)
                        .is_some_and(|m| m.reserves(oc.tag));
                    if reserved {
                        continue;
                    }
                    let reuse = nh.and_then(|h| {
                        h.classes
                            .iter()
                            .find(|(_, c)| c.tag == oc.tag && c.parent == oc.parent)
                    });
                    let what = if new_schema.messages.contains_key(class) {
                        format!("`{cname}` no longer inherits from `{}`", s(&oc.parent))
                    } else {
                        format!("subclass `{cname}` of `{}` was removed", s(&oc.parent))
                    };
                    let mut d = Diagnostic::error(
                        "SUBCLASS_REMOVED",
                        format!("{what} without reserving its tag {}", oc.tag),
                    );
                    d = match reuse {
                        Some((other, _)) => d
                            .at_opt(locate.tag(other), format!("now uses tag {}", oc.tag))
                            .note(format!("data written as a `{cname}` now reads as a `{}`", s(other))),
                        None => d.at_opt(locate.message(&oc.parent), format!("had subclass `{cname}` = {}", oc.tag)),
                    };
                    out.push(d.help(format!(
                        "add `reserved {};` to `{}` so the tag is never reused{}",
                        oc.tag,
                        s(&oc.parent),
                        if reuse.is_some() { ", and pin another tag for the new class" } else { "" }
                    )));
                }
            }
        }
    }
    generated
}
