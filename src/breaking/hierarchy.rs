//! Hierarchies recovered from lowered descriptors, and the comparison of two versions of them.
//!
//! A **root** is a message `R` with a nested `enum Type` that has `TYPE_UNSPECIFIED = 0` and a
//! singular field of type `R.Type` (the discriminator, generated or declared), and at least one
//! class attached to it. A class `C` is **attached** to its parent `P` with its tag `N` by
//! `extend P { optional C … = N; }` nested in `C` (extension style) or by a field `C … = N` of
//! `oneof subtype` in `P` (oneof style).
//!
//! Only what lowering really generated is a hierarchy: on the NEW side, a root whose source
//! declares its own `enum Type` is a plain message, and so is a class declared without `: Base`;
//! on the OLD side (descriptors only), a class counts only when the root's `Type` has the value
//! lowering gives it (`TYPE_` + its name in UPPER_SNAKE, numbered with its tag), and a root the
//! new source declares plain is plain in OLD too. Anything else is compared field by field.

use std::collections::{BTreeMap, HashMap};

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FileDescriptorProto};

use super::{qualify, AtOpt, Comparison, Generated, Locator};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names::generated_upper_snake;

/// One class of a hierarchy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    /// Its tag.
    pub tag: i32,
    /// Its direct parent (fully qualified).
    pub parent: String,
    /// Its key in the JSON of its parent: `[pkg.Cat.animal]` (extension style) or `cat` (oneof
    /// style).
    pub json: String,
}

/// One hierarchy, keyed by its root in [`of`]'s result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hierarchy {
    /// The discriminator field: name and number.
    pub discriminator: Option<(String, i32)>,
    /// Every class but the root, by fully qualified name.
    pub classes: BTreeMap<String, Class>,
    /// The root's `Type` values by number.
    pub type_values: BTreeMap<i32, String>,
}

/// The hierarchies of a set of lowered files, by root (fully qualified, no leading dot), as
/// their shape shows them (see [`of_old`] and [`of_new`] for what the comparison uses; this one
/// is for the tests).
#[cfg(feature = "internals")]
pub fn of(files: &[&FileDescriptorProto]) -> BTreeMap<String, Hierarchy> {
    of_counted(files, &mut 0)
}

/// [`of`], adding its work to `work`: linear in the files (each class's chain of parents is
/// followed once, its root memoized for the classes below it).
fn of_counted(files: &[&FileDescriptorProto], work: &mut usize) -> BTreeMap<String, Hierarchy> {
    let mut messages: BTreeMap<String, &DescriptorProto> = BTreeMap::new();
    let mut edges: HashMap<String, (String, i32, String)> = HashMap::new();
    fn walk<'a>(
        m: &'a DescriptorProto,
        scope: &str,
        messages: &mut BTreeMap<String, &'a DescriptorProto>,
        edges: &mut HashMap<String, (String, i32, String)>,
        work: &mut usize,
    ) {
        *work += 1;
        let full = qualify(scope, m.name());
        // Extension style: `extend Parent { optional Self … = TAG; }` nested in the class.
        for x in &m.extension {
            if x.type_name().trim_start_matches('.') == full && x.r#type() == Type::Message {
                edges.insert(
                    full.clone(),
                    (
                        x.extendee().trim_start_matches('.').to_string(),
                        x.number(),
                        format!("[{}]", qualify(&full, x.name())),
                    ),
                );
            }
        }
        // Oneof style: `oneof subtype { Child child = TAG; }` in the parent.
        if let Some(subtype) = m.oneof_decl.iter().position(|o| o.name() == "subtype") {
            for f in &m.field {
                if f.oneof_index == Some(subtype as i32) && f.r#type() == Type::Message {
                    edges.insert(
                        f.type_name().trim_start_matches('.').to_string(),
                        (
                            full.clone(),
                            f.number(),
                            f.json_name
                                .clone()
                                .unwrap_or_else(|| crate::protobuf::names::json_name(f.name())),
                        ),
                    );
                }
            }
        }
        for n in &m.nested_type {
            walk(n, &full, messages, edges, work);
        }
        messages.insert(full, m);
    }
    for f in files {
        for m in &f.message_type {
            walk(m, f.package(), &mut messages, &mut edges, work);
        }
    }
    let mut out: BTreeMap<String, Hierarchy> = BTreeMap::new();
    for (full, m) in &messages {
        let Some(ty) = m.enum_type.iter().find(|e| {
            e.name() == "Type"
                && e.value
                    .iter()
                    .any(|v| v.name() == "TYPE_UNSPECIFIED" && v.number() == 0)
        }) else {
            continue;
        };
        *work += ty.value.len() + m.field.len();
        let type_name = format!("{full}.Type");
        let discriminator = m
            .field
            .iter()
            .find(|f| {
                f.type_name().trim_start_matches('.') == type_name && f.label() != Label::Repeated
            })
            .map(|f| (f.name().to_string(), f.number()));
        let mut type_values = BTreeMap::new();
        for v in &ty.value {
            type_values
                .entry(v.number())
                .or_insert_with(|| v.name().to_string());
        }
        out.insert(
            full.clone(),
            Hierarchy {
                discriminator,
                classes: BTreeMap::new(),
                type_values,
            },
        );
    }
    // The root of every class: its parent's chain is followed until a root or a class whose root
    // is known, and everything on the way is given the answer (so each link is followed once).
    let mut root_of: HashMap<&str, Option<&str>> = HashMap::new();
    for class in edges.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut cur: &str = class;
        let found = loop {
            *work += 1;
            if let Some(&r) = root_of.get(cur) {
                break r;
            }
            if cur != class.as_str() && out.contains_key(cur) {
                break Some(cur);
            }
            // A cycle in untrusted descriptors: no root.
            if path.len() > edges.len() {
                break None;
            }
            path.push(cur);
            match edges.get(cur) {
                Some((p, _, _)) => cur = p,
                None => break None,
            }
        };
        for p in path {
            root_of.insert(p, found);
        }
    }
    for (class, (parent, tag, json)) in &edges {
        if let Some(Some(root)) = root_of.get(class.as_str()) {
            if let Some(h) = out.get_mut(*root) {
                h.classes.insert(
                    class.clone(),
                    Class {
                        tag: *tag,
                        parent: parent.clone(),
                        json: json.clone(),
                    },
                );
            }
        }
    }
    out.retain(|_, h| !h.classes.is_empty());
    out
}

/// OLD's hierarchies: [`of`], keeping only the classes whose `Type` value is the one lowering
/// generates, and no root that the new source declares as a plain message.
pub(crate) fn of_old(
    files: &[&FileDescriptorProto],
    locate: &Locator,
    work: &mut usize,
) -> BTreeMap<String, Hierarchy> {
    let mut hs = of_counted(files, work);
    hs.retain(|root, _| !locate.declares_type_enum(root));
    for h in hs.values_mut() {
        let values = &h.type_values;
        h.classes.retain(|class, c| {
            let simple = class.rsplit('.').next().unwrap_or(class);
            values.get(&c.tag).map(String::as_str)
                == Some(format!("TYPE_{}", generated_upper_snake(simple)).as_str())
        });
    }
    hs.retain(|_, h| !h.classes.is_empty());
    hs
}

/// NEW's hierarchies: [`of`], without the roots whose source declares their own `enum Type` and
/// the classes the source declares without `: Base` (plain messages that only look lowered).
pub(crate) fn of_new(
    files: &[&FileDescriptorProto],
    locate: &Locator,
    work: &mut usize,
) -> BTreeMap<String, Hierarchy> {
    let mut hs = of_counted(files, work);
    hs.retain(|root, _| !locate.declares_type_enum(root));
    for h in hs.values_mut() {
        h.classes.retain(|class, _| !locate.is_plain_message(class));
    }
    hs.retain(|_, h| !h.classes.is_empty());
    hs
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

/// The elements the hierarchies of either version cover, which the field, enum and extension
/// comparisons skip.
pub(crate) fn generated(
    old: &BTreeMap<String, Hierarchy>,
    new: &BTreeMap<String, Hierarchy>,
) -> Generated {
    let mut generated = Generated::default();
    mark(&mut generated, old);
    mark(&mut generated, new);
    generated
}

/// Compares hierarchies, pushing findings to `cx`.
pub(crate) fn compare(
    old: &BTreeMap<String, Hierarchy>,
    new: &BTreeMap<String, Hierarchy>,
    cx: &mut Comparison,
) {
    let locate = cx.locate;
    let package = cx.package.to_string();
    let s = |full: &str| super::short(full, &package).to_string();
    // Indexes of NEW: class → (root, class), (root, tag) → class.
    let mut where_new: HashMap<&str, (&str, &Class)> = HashMap::new();
    let mut by_tag: HashMap<(&str, i32), &str> = HashMap::new();
    for (root, h) in new {
        for (class, c) in &h.classes {
            cx.work += 1;
            where_new.insert(class, (root, c));
            by_tag.insert((root, c.tag), class);
        }
    }
    let mut old_class: HashMap<&str, &str> = HashMap::new();
    for (root, h) in old {
        for class in h.classes.keys() {
            old_class.insert(class, root);
        }
    }
    // Renamed classes: gone from NEW, their tag taken in the same hierarchy by a class that is
    // not in OLD. Compared structurally below; a rename is no change.
    let mut renamed: HashMap<&str, &str> = HashMap::new();
    for (root, h) in old {
        for (class, c) in &h.classes {
            if where_new.contains_key(class.as_str()) {
                continue;
            }
            if let Some(&d) = by_tag.get(&(root.as_str(), c.tag)) {
                if !old_class.contains_key(d) {
                    renamed.insert(class, d);
                }
            }
        }
    }
    // Renamed *and* retagged: gone from NEW, and a class new in NEW, under the same parent, has
    // the same fields (numbers, types, labels). Matched only when the pair is the only one of
    // its shape under that parent, then confirmed structurally; one finding says what happened.
    let mut retagged: HashMap<&str, &str> = HashMap::new();
    {
        let sig = |schema: &super::Schema, class: &str| -> Option<Vec<(i32, i32, bool, bool)>> {
            let m = schema.messages.get(class)?;
            Some(
                m.fields
                    .values()
                    .filter(|f| !cx.generated.fields.contains(&(class.to_string(), f.number)))
                    .map(|f| (f.number, f.ty, f.repeated, f.required))
                    .collect(),
            )
        };
        type Key<'k> = (&'k str, Vec<(i32, i32, bool, bool)>);
        let mut gone: HashMap<Key, Vec<&str>> = HashMap::new();
        let mut added: HashMap<Key, Vec<&str>> = HashMap::new();
        for h in old.values() {
            for (class, c) in &h.classes {
                cx.work += 1;
                if where_new.contains_key(class.as_str()) || renamed.contains_key(class.as_str()) {
                    continue;
                }
                if let Some(sig) = sig(cx.old, class) {
                    gone.entry((c.parent.as_str(), sig)).or_default().push(class);
                }
            }
        }
        let rename_targets: std::collections::HashSet<&str> = renamed.values().copied().collect();
        for h in new.values() {
            for (class, c) in &h.classes {
                cx.work += 1;
                if old_class.contains_key(class.as_str()) || rename_targets.contains(class.as_str()) {
                    continue;
                }
                if let Some(sig) = sig(cx.new, class) {
                    added.entry((c.parent.as_str(), sig)).or_default().push(class);
                }
            }
        }
        for ((parent, sig), olds) in &gone {
            // The parent may itself have been renamed (with its tag kept).
            let parent = renamed.get(parent).copied().unwrap_or(parent);
            if let (&[o], Some(&[d])) = (
                olds.as_slice(),
                added.get(&(parent, sig.clone())).map(Vec::as_slice),
            ) {
                let mut found = Vec::new();
                cx.seen.insert(super::Pair::Message(o.to_string(), d.to_string()));
                cx.messages(o, d, &mut found);
                if found.is_empty() {
                    retagged.insert(o, d);
                }
            }
        }
    }
    let rename_targets: std::collections::HashSet<&str> =
        renamed.values().chain(retagged.values()).copied().collect();
    let parent_now = |p: &str| {
        renamed
            .get(p)
            .or_else(|| retagged.get(p))
            .map_or(p.to_string(), |d| d.to_string())
    };
    for (root, oh) in old {
        let nh = new.get(root);
        if let Some((oname, onum)) = &oh.discriminator {
            let now = nh.and_then(|h| h.discriminator.as_ref());
            let reserved = cx.new.messages.get(root).is_some_and(|m| m.reserves(*onum));
            match now {
                Some((nname, nnum)) if nnum != onum => cx.out.push(
                    Diagnostic::error(
                        "DISCRIMINATOR_CHANGED",
                        format!("the discriminator `{nname}` of `{}` changed number from {onum} to {nnum}", s(root)),
                    )
                    .at_opt(locate.field(root, nname), format!("was {onum}"))
                    .note("readers of either version no longer agree on which subclass a message holds")
                    .help(format!("declare the discriminator with its old number in `{}`: `Type {oname} = {onum};` (with `optional` in proto2)", s(root))),
                ),
                None if !reserved => cx.out.push(
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
            cx.work += 1;
            let cname = s(class);
            let found = where_new.get(class.as_str()).copied();
            match found {
                Some((nroot, nc)) if nroot != root || nc.parent != parent_now(&oc.parent) => {
                    let tag = if nc.tag != oc.tag {
                        format!(", and its tag changed from {} to {}", oc.tag, nc.tag)
                    } else {
                        String::new()
                    };
                    cx.out.push(
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
                Some((_, nc)) if nc.tag != oc.tag => cx.out.push(
                    Diagnostic::error(
                        "SUBCLASS_TAG_CHANGED",
                        format!("the tag of `{cname}` changed from {} to {}", oc.tag, nc.tag),
                    )
                    .at_opt(locate.tag(class), format!("was {}", oc.tag))
                    .note(format!(
                        "the tag is `{cname}`'s `Type` value and the number its fields travel under in `{}`: data written before is misread",
                        s(&oc.parent)
                    ))
                    .help({
                        let pin = format!(
                            "pin the old tag: `message {} : {} = {}`",
                            class.rsplit('.').next().unwrap_or(class),
                            s(&nc.parent),
                            oc.tag
                        );
                        // Never a pin that collides: say who must move off the old tag first.
                        // (An old class now on it is sent back by its own finding; a new
                        // unpinned one moves off by itself once the tag is pinned.)
                        match by_tag.get(&(root.as_str(), oc.tag)) {
                            Some(&other)
                                if other != class.as_str() && !old_class.contains_key(other) =>
                            {
                                format!(
                                    "{pin} (`{}` now has {}: if it is pinned there, pin it a tag no class ever had)",
                                    s(other),
                                    oc.tag
                                )
                            }
                            _ => pin,
                        }
                    }),
                ),
                Some((_, nc)) => json_changed(cx, oh, nh, class, oc, class, nc, &s),
                None => {
                    if let Some(&d) = renamed.get(class.as_str()) {
                        // Same tag, same place, another name: wire-safe if the new class reads
                        // the old one's fields the same.
                        let mut found = Vec::new();
                        cx.seen.insert(super::Pair::Message(class.clone(), d.to_string()));
                        cx.messages(class, d, &mut found);
                        if found.is_empty() {
                            let nc = where_new[d].1;
                            json_changed(cx, oh, nh, class, oc, d, nc, &s);
                            continue;
                        }
                        let mut diag = Diagnostic::error(
                            "SUBCLASS_TAG_REUSED",
                            format!(
                                "`{}` takes the tag {} of the removed `{cname}`, and reads its data differently",
                                s(d),
                                oc.tag
                            ),
                        )
                        .at_opt(locate.tag(d), format!("was `{cname}`'s tag"))
                        .note(format!("data written as a `{cname}` now reads as a `{}`", s(d)));
                        for f in found.iter().take(3) {
                            diag = diag.note(f.message.clone());
                        }
                        cx.out.push(diag.help(format!(
                            "pin `{}` another tag no class ever had, and add `reserved {};` to `{}`",
                            s(d),
                            oc.tag,
                            s(&oc.parent)
                        )));
                        continue;
                    }
                    if let Some(&d) = retagged.get(class.as_str()) {
                        let nc = where_new[d].1;
                        let simple = d.rsplit('.').next().unwrap_or(d);
                        let pin = format!("pin the old tag: `message {simple} : {} = {}`", s(&nc.parent), oc.tag);
                        cx.out.push(
                            Diagnostic::error(
                                "SUBCLASS_TAG_CHANGED",
                                format!(
                                    "`{cname}` was renamed `{}` and its tag changed from {} to {}",
                                    s(d),
                                    oc.tag,
                                    nc.tag
                                ),
                            )
                            .at_opt(locate.tag(d), format!("was `{cname}` = {}", oc.tag))
                            .note(format!(
                                "`{}` has `{cname}`'s parent and fields, but data written as a `{cname}` travels under {}: it no longer reads as a `{}`",
                                s(d),
                                oc.tag,
                                s(d)
                            ))
                            .help(match by_tag.get(&(root.as_str(), oc.tag)) {
                                Some(&other) => format!(
                                    "{pin} (`{}` now has {}: if it is pinned there, pin it a tag no class ever had)",
                                    s(other),
                                    oc.tag
                                ),
                                None => pin,
                            }),
                        );
                        continue;
                    }
                    let reserved = cx
                        .new
                        .messages
                        .get(&oc.parent)
                        .is_some_and(|m| m.reserves(oc.tag));
                    if reserved {
                        continue;
                    }
                    let what = if cx.new.messages.contains_key(class) {
                        format!("`{cname}` no longer inherits from `{}`", s(&oc.parent))
                    } else {
                        format!("subclass `{cname}` of `{}` was removed", s(&oc.parent))
                    };
                    let at = cx.old.messages.get(class).map_or(String::new(), |m| m.at.clone());
                    let d = Diagnostic::error(
                        "SUBCLASS_REMOVED",
                        format!("{what} without reserving its tag {}", oc.tag),
                    )
                    .at_opt(
                        if cx.new.messages.contains_key(class) {
                            locate.message(class)
                        } else {
                            locate.message(&oc.parent)
                        },
                        format!("had subclass `{cname}` = {}", oc.tag),
                    )
                    .note(format!("OLD had `{cname}` at {at}; a later class could take the tag {} and read its data as its own", oc.tag));
                    cx.out.push(d.help(format!(
                        "add `reserved {};` to `{}` so the tag is never reused",
                        oc.tag,
                        s(&oc.parent)
                    )));
                }
            }
        }
    }
    // Retired tags (reserved in OLD's parent, or in OLD's `Type`) handed to a new class.
    for (root, h) in new {
        for (class, c) in &h.classes {
            if old_class.contains_key(class.as_str()) || rename_targets.contains(class.as_str()) {
                continue;
            }
            let in_parent = cx
                .old
                .messages
                .get(&c.parent)
                .is_some_and(|m| m.reserves(c.tag));
            let in_type = cx
                .old
                .enums
                .get(&format!("{root}.Type"))
                .is_some_and(|e| super::in_ranges(&e.reserved, c.tag));
            if in_parent || in_type {
                cx.out.push(
                    Diagnostic::error(
                        "SUBCLASS_RETIRED_TAG_REUSED",
                        format!("`{}` takes the tag {}, which the old version reserved for a retired class", s(class), c.tag),
                    )
                    .at_opt(locate.tag(class), format!("{} was reserved", c.tag))
                    .note(format!("data written as the retired class still exists: it reads as a `{}`", s(class)))
                    .help(format!("keep `reserved {};` in `{}` and pin `{}` a tag no class ever had", c.tag, s(&c.parent), s(class))),
                );
            }
        }
    }
}

/// With `--json`: a class's JSON key in its parent (`[pkg.Cat.animal]`, or `cat` in oneof
/// style) or its `type` value's name changed, for a class present in both versions (under its
/// name or renamed).
#[allow(clippy::too_many_arguments)]
fn json_changed(
    cx: &mut Comparison,
    old: &Hierarchy,
    new: Option<&Hierarchy>,
    class: &str,
    oc: &Class,
    now: &str,
    nc: &Class,
    s: &dyn Fn(&str) -> String,
) {
    if !cx.json {
        return;
    }
    let (ot, nt) = (
        old.type_values.get(&oc.tag),
        new.and_then(|h| h.type_values.get(&nc.tag)),
    );
    let mut what = Vec::new();
    if oc.json != nc.json {
        what.push(format!("its key `{}` is now `{}`", oc.json, nc.json));
    }
    if let (Some(ot), Some(nt)) = (ot, nt) {
        if ot != nt {
            what.push(format!("its `type` value `{ot}` is now `{nt}`"));
        }
    }
    if what.is_empty() {
        return;
    }
    let name = if class == now {
        format!("`{}`", s(now))
    } else {
        format!("`{}` (was `{}`)", s(now), s(class))
    };
    cx.out.push(
        Diagnostic::error(
            "SUBCLASS_JSON_NAME_CHANGED",
            format!("the JSON of {name} changed: {}", what.join(", ")),
        )
        .at_opt(cx.locate.tag(now), format!("was `{}` in JSON", oc.json))
        .note(format!("JSON data names a class's part by that key and its `type` by name: a reader of the other version does not find the `{}` part (`--json`)", s(class)))
        .help(format!(
            "keep the class's name `{}`{}",
            class.rsplit('.').next().unwrap_or(class),
            if oc.json.starts_with('[') { " and its parent's name (the key is named after both)" } else { "" }
        )),
    );
}
