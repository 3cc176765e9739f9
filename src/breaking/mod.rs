//! `iprotoc breaking`: wire-incompatible changes between two versions of a schema.
//!
//! Both versions are compared as **lowered descriptors** (`FileDescriptorProto`s: what protoc
//! writes for the lowered `.proto` files, or what iprotoc's builder makes), so the old side can be
//! a descriptor set written long ago by `iprotoc compile -o` or by protoc. Findings are located in
//! the NEW `.iproto` source by name ([`Locator`]), in the user's terms.
//!
//! Hierarchies are recovered from the lowered shape ([`hierarchy`]): a root has a nested
//! `enum Type` and a singular field of that type (the discriminator); a class's tag is the number
//! of the extension (extension style) or `oneof subtype` field (oneof style) that attaches it to
//! its parent. Both styles give the same tags, so a schema may even switch style between versions.
//!
//! | code | when |
//! |---|---|
//! | `SUBCLASS_TAG_CHANGED` | a class's tag (its `Type` value and attaching number) changed |
//! | `SUBCLASS_MOVED` | a class now inherits from another parent, or moved to another hierarchy |
//! | `SUBCLASS_REMOVED` | a class was removed and its tag is not `reserved` in its old parent |
//! | `DISCRIMINATOR_CHANGED` | the discriminator's number changed, or it is gone |
//! | `FIELD_REMOVED` | a field was removed and its number is not `reserved` |
//! | `FIELD_NUMBER_CHANGED` | a field of the same name has another number |
//! | `FIELD_TYPE_CHANGED` | a field's type changed to a wire-incompatible one |
//! | `FIELD_LABEL_CHANGED` | `optional` / `required` / `repeated` changed |
//! | `ENUM_VALUE_REMOVED` | an enum number was removed and is not `reserved` |
//! | `ENUM_VALUE_NUMBER_CHANGED` | an enum value of the same name has another number |
//! | `EXTENSION_REMOVED` | a user extension was removed and its number is not reserved |
//!
//! Wire-compatible type changes are not reported (protobuf's own rules): within
//! `int32 uint32 int64 uint64 bool` and enums, within `sint32 sint64`, `fixed32 sfixed32`,
//! `fixed64 sfixed64`, and between `string` and `bytes`. Renames are not reported either: the
//! binary wire format has numbers, not names.

pub mod hierarchy;
mod locate;

use crate::protobuf::qualify;
use std::collections::{BTreeMap, BTreeSet};

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use crate::diagnostics::Diagnostic;
pub use locate::Locator;

/// A field as the comparison sees it.
#[derive(Clone, Debug)]
struct FieldInfo {
    name: String,
    number: i32,
    label: i32,
    ty: i32,
    type_name: String,
}

impl FieldInfo {
    fn of(f: &FieldDescriptorProto) -> FieldInfo {
        FieldInfo {
            name: f.name().to_string(),
            number: f.number(),
            label: f.label.unwrap_or(Label::Optional as i32),
            ty: f.r#type.unwrap_or(0),
            type_name: f.type_name().trim_start_matches('.').to_string(),
        }
    }

    fn describe_type(&self) -> String {
        match Type::try_from(self.ty) {
            Ok(Type::Message | Type::Enum | Type::Group) => self.type_name.clone(),
            Ok(t) => t
                .as_str_name()
                .trim_start_matches("TYPE_")
                .to_ascii_lowercase(),
            Err(_) => format!("type {}", self.ty),
        }
    }
}

fn label_name(label: i32) -> &'static str {
    match Label::try_from(label) {
        Ok(Label::Required) => "required",
        Ok(Label::Repeated) => "repeated",
        _ => "optional",
    }
}

/// Which wire-compatible family a scalar type is in.
fn wire_family(ty: i32) -> i32 {
    match Type::try_from(ty) {
        Ok(Type::Int32 | Type::Uint32 | Type::Int64 | Type::Uint64 | Type::Bool | Type::Enum) => -1,
        Ok(Type::Sint32 | Type::Sint64) => -2,
        Ok(Type::Fixed32 | Type::Sfixed32) => -3,
        Ok(Type::Fixed64 | Type::Sfixed64) => -4,
        Ok(Type::String | Type::Bytes) => -5,
        _ => ty,
    }
}

/// A message of a schema, flattened.
#[derive(Debug, Default)]
struct MessageInfo {
    fields: BTreeMap<i32, FieldInfo>,
    reserved: Vec<(i32, i32)>,
    map_entry: bool,
}

impl MessageInfo {
    fn reserves(&self, n: i32) -> bool {
        self.reserved.iter().any(|&(lo, hi)| lo <= n && n < hi)
    }
}

/// An enum of a schema, flattened.
#[derive(Debug, Default)]
struct EnumInfo {
    by_name: BTreeMap<String, i32>,
    numbers: BTreeSet<i32>,
    reserved: Vec<(i32, i32)>,
}

/// Everything of one version, by fully qualified name (no leading dot).
#[derive(Debug, Default)]
pub(crate) struct Schema {
    messages: BTreeMap<String, MessageInfo>,
    enums: BTreeMap<String, EnumInfo>,
    /// (extendee, number) → the extension and the scope it is declared in.
    extensions: BTreeMap<(String, i32), (FieldInfo, String)>,
}

impl Schema {
    fn of(files: &[&FileDescriptorProto]) -> Schema {
        let mut s = Schema::default();
        for f in files {
            let pkg = f.package();
            for m in &f.message_type {
                s.message(m, pkg);
            }
            for e in &f.enum_type {
                s.enum_(e, pkg);
            }
            for x in &f.extension {
                s.extension(x, pkg);
            }
        }
        s
    }

    fn message(&mut self, m: &DescriptorProto, scope: &str) {
        let full = qualify(scope, m.name());
        let info = MessageInfo {
            fields: m
                .field
                .iter()
                .map(|f| (f.number(), FieldInfo::of(f)))
                .collect(),
            reserved: m
                .reserved_range
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            map_entry: m.options.as_ref().is_some_and(|o| o.map_entry()),
        };
        for n in &m.nested_type {
            self.message(n, &full);
        }
        for e in &m.enum_type {
            self.enum_(e, &full);
        }
        for x in &m.extension {
            self.extension(x, &full);
        }
        self.messages.insert(full, info);
    }

    fn enum_(&mut self, e: &EnumDescriptorProto, scope: &str) {
        let full = qualify(scope, e.name());
        let mut info = EnumInfo {
            reserved: e
                .reserved_range
                .iter()
                .map(|r| (r.start(), r.end() + 1)) // enum ranges are inclusive
                .collect(),
            ..EnumInfo::default()
        };
        for v in &e.value {
            info.by_name.insert(v.name().to_string(), v.number());
            info.numbers.insert(v.number());
        }
        self.enums.insert(full, info);
    }

    fn extension(&mut self, x: &FieldDescriptorProto, scope: &str) {
        let extendee = x.extendee().trim_start_matches('.').to_string();
        self.extensions.insert(
            (extendee, x.number()),
            (FieldInfo::of(x), scope.to_string()),
        );
    }
}

/// The short name of a fully qualified one, relative to `package`.
fn short<'a>(full: &'a str, package: &str) -> &'a str {
    full.strip_prefix(package)
        .and_then(|s| s.strip_prefix('.'))
        .unwrap_or(full)
}

/// Compares two versions and returns one error per wire-incompatible change, located in the new
/// source by `locate`. [`compare_summarized`] without the summary (for the tests).
#[cfg(feature = "internals")]
pub fn compare(
    old: &[FileDescriptorProto],
    new: &[FileDescriptorProto],
    locate: &Locator,
) -> Vec<Diagnostic> {
    compare_summarized(old, new, locate).0
}

/// How much a comparison compared: elements present in both versions. `breaking` prints it on
/// success too, and refuses to pass when [`Summary::files`] is 0 (nothing was compared).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// New files that share at least one top-level element with OLD.
    pub files: usize,
    /// Hierarchies (by root) present in both versions.
    pub hierarchies: usize,
    /// Messages (map entries aside) present in both versions.
    pub messages: usize,
    /// Enums present in both versions.
    pub enums: usize,
    /// Names of the new files none of whose top-level elements is in OLD.
    pub unmatched: Vec<String>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn n(count: usize, one: &str, many: &str) -> String {
            format!("{count} {}", if count == 1 { one } else { many })
        }
        write!(
            f,
            "compared {}, {}, {}, {}",
            n(self.files, "file", "files"),
            n(self.hierarchies, "hierarchy", "hierarchies"),
            n(self.messages, "message", "messages"),
            n(self.enums, "enum", "enums"),
        )?;
        if !self.unmatched.is_empty() {
            write!(f, "; not in OLD (new): {}", self.unmatched.join(", "))?;
        }
        Ok(())
    }
}

/// The top-level elements of a file by full name: messages, enums, and extensions (as
/// `extendee#number`), the keys files are matched by.
fn top_level(f: &FileDescriptorProto) -> impl Iterator<Item = String> + '_ {
    let pkg = f.package();
    f.message_type
        .iter()
        .map(move |m| qualify(pkg, m.name()))
        .chain(f.enum_type.iter().map(move |e| qualify(pkg, e.name())))
        .chain(
            f.extension
                .iter()
                .map(|x| format!("{}#{}", x.extendee().trim_start_matches('.'), x.number())),
        )
}

/// [`compare`], with a [`Summary`] of what was compared. Elements are matched by fully
/// qualified name, never by file path: an OLD file takes part when one of its top-level
/// elements is declared in a new file, so a renamed or moved file (or a descriptor set built
/// with another `-I`) is compared all the same; an OLD file that shares nothing with the new
/// files (an import of the old set, say) is not checked, and a new file that shares nothing with
/// OLD is new and has nothing to break.
pub fn compare_summarized(
    old: &[FileDescriptorProto],
    new: &[FileDescriptorProto],
    locate: &Locator,
) -> (Vec<Diagnostic>, Summary) {
    let new_elements: BTreeSet<String> = new.iter().flat_map(top_level).collect();
    let old_files: Vec<&FileDescriptorProto> = old
        .iter()
        .filter(|f| top_level(f).any(|e| new_elements.contains(&e)))
        .collect();
    let old_elements: BTreeSet<String> = old_files.iter().flat_map(|f| top_level(f)).collect();
    let new_files: Vec<&FileDescriptorProto> = new.iter().collect();
    let package = new_files.first().map_or("", |f| f.package()).to_string();
    let (o, n) = (Schema::of(&old_files), Schema::of(&new_files));
    let (oh, nh) = (hierarchy::of(&old_files), hierarchy::of(&new_files));
    let (matched, unmatched): (Vec<_>, Vec<_>) = new
        .iter()
        .partition(|f| top_level(f).any(|e| old_elements.contains(&e)));
    let summary = Summary {
        files: matched.len(),
        hierarchies: oh.keys().filter(|r| nh.contains_key(*r)).count(),
        messages: o
            .messages
            .iter()
            .filter(|(k, m)| !m.map_entry && n.messages.contains_key(*k))
            .count(),
        enums: o.enums.keys().filter(|k| n.enums.contains_key(*k)).count(),
        unmatched: unmatched.iter().map(|f| f.name().to_string()).collect(),
    };
    let mut out = Vec::new();
    let generated = hierarchy::compare(&oh, &nh, &n, locate, &package, &mut out);
    let cx = Comparison {
        old: &o,
        new: &n,
        generated: &generated,
        locate,
        package: &package,
    };
    fields(&cx, &mut out);
    enums(&cx, &mut out);
    extensions(&cx, &mut out);
    crate::diagnostics::sort(&mut out);
    (out, summary)
}

/// Elements that lowering generates, compared as hierarchies instead of one by one.
#[derive(Debug, Default)]
pub(crate) struct Generated {
    /// (message, field number): discriminators and `oneof subtype` fields.
    pub fields: BTreeSet<(String, i32)>,
    /// `Type` enums of roots.
    pub enums: BTreeSet<String>,
    /// (extendee, number): subclass extensions.
    pub extensions: BTreeSet<(String, i32)>,
}

/// What the element-by-element comparisons read.
struct Comparison<'c> {
    old: &'c Schema,
    new: &'c Schema,
    /// What lowering generated: compared as hierarchies, skipped here.
    generated: &'c Generated,
    /// Where the new source declares things.
    locate: &'c Locator,
    /// The package names are shortened against.
    package: &'c str,
}

fn fields(cx: &Comparison, out: &mut Vec<Diagnostic>) {
    let (o, n, generated, locate, package) = (cx.old, cx.new, cx.generated, cx.locate, cx.package);
    for (msg, om) in &o.messages {
        let Some(nm) = n.messages.get(msg) else {
            continue;
        };
        if om.map_entry {
            continue;
        }
        let shown = short(msg, package);
        for (&num, of) in &om.fields {
            if generated.fields.contains(&(msg.clone(), num)) {
                continue;
            }
            match nm.fields.get(&num) {
                None => {
                    if let Some(moved) = nm.fields.values().find(|f| f.name == of.name) {
                        out.push(
                            Diagnostic::error(
                                "FIELD_NUMBER_CHANGED",
                                format!("field `{}` of `{shown}` changed number from {num} to {}", of.name, moved.number),
                            )
                            .at_opt(locate.field(msg, &of.name), format!("was {num}"))
                            .note("the number is what is on the wire: data written with the old number is no longer read into this field")
                            .help(format!("give the field back its number {num}; to retire it, delete it and add `reserved {num};`")),
                        );
                    } else if !nm.reserves(num) {
                        out.push(
                            Diagnostic::error(
                                "FIELD_REMOVED",
                                format!("field `{}` = {num} of `{shown}` was removed without reserving its number", of.name),
                            )
                            .at_opt(locate.message(msg), format!("had field `{}` = {num}", of.name))
                            .note("a later field could reuse the number and misread data written with the old one")
                            .help(format!("add `reserved {num};` (and `reserved \"{}\";`) to `{shown}`", of.name)),
                        );
                    }
                }
                Some(nf) => {
                    let loc = locate.field(msg, &nf.name);
                    if of.label != nf.label {
                        out.push(
                            Diagnostic::error(
                                "FIELD_LABEL_CHANGED",
                                format!(
                                    "field `{}` = {num} of `{shown}` changed from {} to {}",
                                    nf.name,
                                    label_name(of.label),
                                    label_name(nf.label)
                                ),
                            )
                            .at_opt(loc, format!("was {}", label_name(of.label)))
                            .help(format!(
                                "keep it {}, or add a new field with a new number",
                                label_name(of.label)
                            )),
                        );
                    }
                    let same_type =
                        if matches!(Type::try_from(of.ty), Ok(Type::Message | Type::Group))
                            || matches!(Type::try_from(nf.ty), Ok(Type::Message | Type::Group))
                        {
                            of.ty == nf.ty && of.type_name == nf.type_name
                        } else {
                            wire_family(of.ty) == wire_family(nf.ty)
                        };
                    if !same_type {
                        out.push(
                            Diagnostic::error(
                                "FIELD_TYPE_CHANGED",
                                format!(
                                    "field `{}` = {num} of `{shown}` changed type from `{}` to `{}`",
                                    nf.name,
                                    of.describe_type(),
                                    nf.describe_type()
                                ),
                            )
                            .at_opt(loc, format!("was `{}`", of.describe_type()))
                            .help(format!("keep the type `{}`, or add a new field with a new number", of.describe_type())),
                        );
                    }
                }
            }
        }
    }
}

fn enums(cx: &Comparison, out: &mut Vec<Diagnostic>) {
    let (o, n, generated, locate, package) = (cx.old, cx.new, cx.generated, cx.locate, cx.package);
    for (name, oe) in &o.enums {
        if generated.enums.contains(name) {
            continue;
        }
        let Some(ne) = n.enums.get(name) else {
            continue;
        };
        let shown = short(name, package);
        for (value, &num) in &oe.by_name {
            match ne.by_name.get(value) {
                Some(&now) if now != num => out.push(
                    Diagnostic::error(
                        "ENUM_VALUE_NUMBER_CHANGED",
                        format!(
                            "enum value `{value}` of `{shown}` changed number from {num} to {now}"
                        ),
                    )
                    .at_opt(locate.enum_value(name, value), format!("was {num}"))
                    .help(format!("give `{value}` back the number {num}")),
                ),
                Some(_) => {}
                None => {
                    let reserved = ne.reserved.iter().any(|&(lo, hi)| lo <= num && num < hi);
                    if !ne.numbers.contains(&num) && !reserved {
                        out.push(
                            Diagnostic::error(
                                "ENUM_VALUE_REMOVED",
                                format!("enum value `{value}` = {num} of `{shown}` was removed without reserving its number"),
                            )
                            .at_opt(locate.message(name), format!("had `{value}` = {num}"))
                            .help(format!("add `reserved {num};` (and `reserved \"{value}\";`) to `{shown}`")),
                        );
                    }
                }
            }
        }
    }
}

fn extensions(cx: &Comparison, out: &mut Vec<Diagnostic>) {
    let (o, n, generated, locate, package) = (cx.old, cx.new, cx.generated, cx.locate, cx.package);
    for (key, (of, scope)) in &o.extensions {
        if generated.extensions.contains(key) {
            continue;
        }
        let (extendee, num) = key;
        if n.extensions.contains_key(key) {
            continue;
        }
        let reserved = n.messages.get(extendee).is_some_and(|m| m.reserves(*num));
        if reserved {
            continue;
        }
        out.push(
            Diagnostic::error(
                "EXTENSION_REMOVED",
                format!(
                    "extension `{}` = {num} of `{}` was removed",
                    short(&qualify(scope, &of.name), package),
                    short(extendee, package)
                ),
            )
            .at_opt(
                locate.message(scope).or_else(|| locate.message(extendee)),
                "declared its extension here",
            )
            .help("keep the extension, or reserve its number in the extended message"),
        );
    }
}

/// `Diagnostic::at` for a location that may be unknown.
trait AtOpt {
    fn at_opt(self, at: Option<locate::Place>, label: impl Into<String>) -> Self;
}

impl AtOpt for Diagnostic {
    fn at_opt(self, at: Option<locate::Place>, label: impl Into<String>) -> Self {
        match at {
            Some((file, span)) => self.at(file, span, label),
            None => self,
        }
    }
}
