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
//! | `SUBCLASS_TAG_CHANGED` | a class's tag (its `Type` value and attaching number) changed, renamed or not |
//! | `SUBCLASS_MOVED` | a class now inherits from another parent, or moved to another hierarchy |
//! | `SUBCLASS_REMOVED` | a class was removed and its tag is not `reserved` in its old parent |
//! | `SUBCLASS_TAG_REUSED` | a removed class's tag went to a class that reads its data differently |
//! | `SUBCLASS_RETIRED_TAG_REUSED` | a tag OLD reserved is given to a class again |
//! | `DISCRIMINATOR_CHANGED` | the discriminator's number changed, or it is gone |
//! | `FIELD_REMOVED` | a field was removed and its number is not `reserved` |
//! | `FIELD_NUMBER_CHANGED` | a field of the same name has another number |
//! | `FIELD_TYPE_CHANGED` | a field's (extension's, map key's or value's) type changed to a wire-incompatible one |
//! | `FIELD_LABEL_CHANGED` | singular / `repeated` changed |
//! | `FIELD_REQUIRED_CHANGED` | `required` added or removed, or a required field added or removed |
//! | `FIELD_ONEOF_CHANGED` | a field moved into, out of, or between oneofs that group other fields |
//! | `FIELD_DEFAULT_CHANGED` | a singular scalar field's `[default = …]` changed |
//! | `RESERVED_NUMBER_REUSED` | a field or enum value uses a number OLD reserved |
//! | `ENUM_VALUE_REMOVED` | an enum number was removed and is not `reserved` |
//! | `ENUM_VALUE_NUMBER_CHANGED` | an enum value of the same name has another number |
//! | `ENUM_CLOSEDNESS_CHANGED` | an enum changed between closed (proto2, `CLOSED`) and open (proto3, `OPEN`) |
//! | `MESSAGE_SET_WIRE_FORMAT_CHANGED` | `message_set_wire_format` turned on or off |
//! | `EXTENSION_REMOVED` | a user extension was removed and its number is not reserved |
//! | `EXTENSION_NUMBER_CHANGED` | an extension of the same name has another number |
//! | `EXTENSION_EXTENDEE_CHANGED` | an extension of the same name extends another message |
//! | `EXTENSION_RANGE_REMOVED` | an extension range shrank under an extension OLD declared |
//!
//! With `json` ([`compare_full`], `breaking --json`), also what breaks JSON readers:
//! `FIELD_JSON_NAME_CHANGED`, `ENUM_VALUE_NAME_CHANGED`, `EXTENSION_NAME_CHANGED`,
//! `SUBCLASS_JSON_NAME_CHANGED`.
//!
//! Editions files are compared by their effective features ([`Features`], read from the encoded
//! descriptors because `prost_types` drops them): `LEGACY_REQUIRED` is `required`, `DELIMITED` a
//! group, `enum_type` the enum's closedness.
//!
//! Wire-compatible type changes are not reported (protobuf's own rules): within
//! `int32 uint32 int64 uint64 bool` and enums, within `sint32 sint64`, `fixed32 sfixed32`,
//! `fixed64 sfixed64`, and between `string` and `bytes`. Renames are not reported either: the
//! binary wire format has numbers, not names. Types are compared structurally wherever a field
//! refers to them (a renamed message against its old self, a map's entry against an entry
//! message), each pair of types once, so the whole comparison is linear in both versions.

mod features;
pub mod hierarchy;
mod locate;

use crate::protobuf::qualify;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use crate::diagnostics::Diagnostic;
pub use features::{FieldFeatures, Features};
pub use locate::Locator;

/// A field (or extension) as the comparison sees it.
#[derive(Clone, Debug)]
struct FieldInfo {
    name: String,
    number: i32,
    repeated: bool,
    required: bool,
    ty: i32,
    type_name: String,
    /// The real oneof it is in (a proto3 `optional`'s synthetic oneof is none).
    oneof: Option<String>,
    /// The declared `[default = …]`, as the descriptor spells it.
    default: Option<String>,
    /// Where the version declared it: `file:line`, or `file` without source info.
    at: String,
    /// Declared in an editions file (`required` is `LEGACY_REQUIRED`, a group is `DELIMITED`).
    editions: bool,
    /// Its JSON name (`json_name`, else protobuf's lowerCamelCase of the name).
    json: String,
}

impl FieldInfo {
    fn of(f: &FieldDescriptorProto, oneofs: &[String], at: String) -> FieldInfo {
        let label = f.label.unwrap_or(Label::Optional as i32);
        FieldInfo {
            name: f.name().to_string(),
            number: f.number(),
            repeated: label == Label::Repeated as i32,
            required: label == Label::Required as i32,
            ty: f.r#type.unwrap_or(0),
            type_name: f.type_name().trim_start_matches('.').to_string(),
            default: f.default_value.clone(),
            oneof: match f.oneof_index {
                Some(i) if !f.proto3_optional() => oneofs.get(i as usize).cloned(),
                _ => None,
            },
            at,
            editions: false,
            json: f
                .json_name
                .clone()
                .unwrap_or_else(|| crate::protobuf::names::json_name(f.name())),
        }
    }

    fn describe_type(&self) -> String {
        match Type::try_from(self.ty) {
            Ok(Type::Message | Type::Enum) => self.type_name.clone(),
            Ok(Type::Group) if self.editions => format!("{} (DELIMITED)", self.type_name),
            Ok(Type::Group) => format!("group {}", self.type_name),
            Ok(t) => t
                .as_str_name()
                .trim_start_matches("TYPE_")
                .to_ascii_lowercase(),
            Err(_) => format!("type {}", self.ty),
        }
    }

    fn is_message(&self) -> bool {
        matches!(Type::try_from(self.ty), Ok(Type::Message | Type::Group))
    }

    fn is_enum(&self) -> bool {
        Type::try_from(self.ty) == Ok(Type::Enum)
    }

    fn cardinality(&self) -> &'static str {
        if self.repeated {
            "repeated"
        } else if self.required {
            "required"
        } else {
            "optional"
        }
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

/// Sorted, disjoint, half-open ranges of `i64` (see [`merged`]): whether one holds `n`, in
/// `O(log ranges)`. (Enum ranges are inclusive up to `i32::MAX`, so their ends need `i64`.)
fn in_ranges(ranges: &[(i64, i64)], n: i32) -> bool {
    let n = i64::from(n);
    let i = ranges.partition_point(|&(lo, _)| lo <= n);
    i > 0 && n < ranges[i - 1].1
}

/// `ranges` sorted and merged where they overlap or touch, for [`in_ranges`] (descriptors are
/// untrusted input: their ranges may overlap).
fn merged(mut ranges: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    ranges.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// A message of a schema, flattened.
#[derive(Debug, Default)]
struct MessageInfo {
    fields: BTreeMap<i32, FieldInfo>,
    by_name: HashMap<String, i32>,
    /// Sorted, disjoint, half-open.
    reserved: Vec<(i64, i64)>,
    /// Members per real oneof.
    oneof_sizes: HashMap<String, usize>,
    map_entry: bool,
    /// `option message_set_wire_format = true;`.
    message_set: bool,
    /// Extension ranges: sorted, disjoint, half-open.
    extension_ranges: Vec<(i64, i64)>,
    /// For a map entry: the map field's name and message (`counts`, `zoo.Animal`).
    map_of: Option<(String, String)>,
    at: String,
}

impl MessageInfo {
    fn reserves(&self, n: i32) -> bool {
        in_ranges(&self.reserved, n)
    }
}

/// An enum of a schema, flattened.
#[derive(Debug, Default)]
struct EnumInfo {
    by_name: BTreeMap<String, i32>,
    /// Number → first value name with it.
    numbers: BTreeMap<i32, String>,
    /// Sorted, disjoint, half-open (the inclusive end + 1, in `i64`: `reserved 5 to max`
    /// covers `i32::MAX`).
    reserved: Vec<(i64, i64)>,
    /// Closed (proto2, or `enum_type = CLOSED`) or open (proto3, or `OPEN`); unknown for an
    /// editions file whose features were not read.
    closed: Option<bool>,
    /// Declared in an editions file.
    editions: bool,
    at: String,
}

/// Source lines of one descriptor file, by path (only when it carries source info).
struct Lines<'f> {
    file: &'f str,
    lines: HashMap<&'f [i32], i32>,
}

impl<'f> Lines<'f> {
    fn of(f: &'f FileDescriptorProto) -> Lines<'f> {
        let lines = f
            .source_code_info
            .iter()
            .flat_map(|i| &i.location)
            .filter_map(|l| Some((l.path.as_slice(), *l.span.first()?)))
            .collect();
        Lines {
            file: f.name(),
            lines,
        }
    }

    fn at(&self, path: &[i32]) -> String {
        match self.lines.get(path) {
            Some(line) => format!("{}:{}", self.file, line + 1),
            None => self.file.to_string(),
        }
    }
}

/// Everything of one version, by fully qualified name (no leading dot).
#[derive(Debug, Default)]
pub(crate) struct Schema {
    messages: BTreeMap<String, MessageInfo>,
    enums: BTreeMap<String, EnumInfo>,
    /// (extendee, number) → the extension and the scope it is declared in.
    extensions: BTreeMap<(String, i32), (FieldInfo, String)>,
    /// Extension full name → (extendee, number).
    extension_names: HashMap<String, (String, i32)>,
    /// Extendee → (number, extension full name, where) of every extension of the version's
    /// files, compared or not (an OLD file that only extends a compared message still has
    /// data under its numbers).
    extended: HashMap<String, Vec<(i32, String, String)>>,
}

impl Schema {
    fn of(files: &[&FileDescriptorProto], features: &Features) -> Schema {
        let mut s = Schema::default();
        for f in files {
            let pkg = f.package();
            let lines = Lines::of(f);
            let closed = match f.syntax() {
                "" | "proto2" => Some(true),
                "proto3" => Some(false),
                _ => None,
            };
            for (i, m) in f.message_type.iter().enumerate() {
                s.message(m, pkg, &lines, &mut vec![4, i as i32], closed);
            }
            for (i, e) in f.enum_type.iter().enumerate() {
                s.enum_(e, pkg, &lines, &[5, i as i32], closed);
            }
            for (i, x) in f.extension.iter().enumerate() {
                s.extension(x, pkg, lines.at(&[7, i as i32]));
            }
        }
        s.apply(features);
        // Name each map entry after its map field, for the diagnostics.
        let mut maps = Vec::new();
        for (name, m) in &s.messages {
            for f in m.fields.values() {
                if f.is_message() && s.messages.get(&f.type_name).is_some_and(|e| e.map_entry) {
                    maps.push((f.type_name.clone(), (f.name.clone(), name.clone())));
                }
            }
        }
        for (entry, of) in maps {
            if let Some(e) = s.messages.get_mut(&entry) {
                e.map_of = Some(of);
            }
        }
        s
    }

    /// Overrides what the decoded descriptors of editions files cannot say with their effective
    /// features: `LEGACY_REQUIRED` is `required`, a `DELIMITED` message field is a group (as
    /// protobuf's own descriptors report it), and an enum is open or closed by `enum_type`.
    fn apply(&mut self, features: &Features) {
        let entries: HashSet<String> = self
            .messages
            .iter()
            .filter(|(_, m)| m.map_entry)
            .map(|(k, _)| k.clone())
            .collect();
        let fix = |f: &mut FieldInfo, ff: &FieldFeatures| {
            f.editions = true;
            f.required = ff.required && !f.repeated;
            // A map entry is always length-prefixed.
            if ff.delimited && f.ty == Type::Message as i32 && !entries.contains(&f.type_name) {
                f.ty = Type::Group as i32;
            }
        };
        for (name, m) in &mut self.messages {
            for f in m.fields.values_mut() {
                if let Some(ff) = features.fields.get(&(name.clone(), f.number)) {
                    fix(f, ff);
                }
            }
        }
        for (key, (f, _)) in &mut self.extensions {
            if let Some(ff) = features.extensions.get(key) {
                fix(f, ff);
            }
        }
        for (name, e) in &mut self.enums {
            if let Some(&closed) = features.enums.get(name) {
                e.closed = Some(closed);
            }
        }
    }

    fn message(
        &mut self,
        m: &DescriptorProto,
        scope: &str,
        lines: &Lines,
        path: &mut Vec<i32>,
        closed: Option<bool>,
    ) {
        let full = qualify(scope, m.name());
        let oneofs: Vec<String> = m.oneof_decl.iter().map(|o| o.name().to_string()).collect();
        let mut info = MessageInfo {
            map_entry: m.options.as_ref().is_some_and(|o| o.map_entry()),
            message_set: m
                .options
                .as_ref()
                .is_some_and(|o| o.message_set_wire_format()),
            extension_ranges: merged(
                m.extension_range
                    .iter()
                    .map(|r| (i64::from(r.start()), i64::from(r.end())))
                    .collect(),
            ),
            at: lines.at(path),
            ..MessageInfo::default()
        };
        for (i, f) in m.field.iter().enumerate() {
            path.extend([2, i as i32]);
            let fi = FieldInfo::of(f, &oneofs, lines.at(path));
            path.truncate(path.len() - 2);
            if let Some(o) = &fi.oneof {
                *info.oneof_sizes.entry(o.clone()).or_default() += 1;
            }
            info.by_name.insert(fi.name.clone(), fi.number);
            info.fields.insert(fi.number, fi);
        }
        info.reserved = merged(
            m.reserved_range
                .iter()
                .map(|r| (i64::from(r.start()), i64::from(r.end())))
                .collect(),
        );
        for (i, n) in m.nested_type.iter().enumerate() {
            path.extend([3, i as i32]);
            self.message(n, &full, lines, path, closed);
            path.truncate(path.len() - 2);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            path.extend([4, i as i32]);
            self.enum_(e, &full, lines, path, closed);
            path.truncate(path.len() - 2);
        }
        for (i, x) in m.extension.iter().enumerate() {
            path.extend([6, i as i32]);
            self.extension(x, &full, lines.at(path));
            path.truncate(path.len() - 2);
        }
        self.messages.insert(full, info);
    }

    fn enum_(
        &mut self,
        e: &EnumDescriptorProto,
        scope: &str,
        lines: &Lines,
        path: &[i32],
        closed: Option<bool>,
    ) {
        let full = qualify(scope, e.name());
        let mut info = EnumInfo {
            reserved: merged(
                e.reserved_range
                    .iter()
                    // Enum ranges are inclusive; in i64 the end of `N to max` does not overflow.
                    .map(|r| (i64::from(r.start()), i64::from(r.end()) + 1))
                    .collect(),
            ),
            closed,
            editions: closed.is_none(),
            at: lines.at(path),
            ..EnumInfo::default()
        };
        for v in &e.value {
            info.by_name.insert(v.name().to_string(), v.number());
            info.numbers
                .entry(v.number())
                .or_insert_with(|| v.name().to_string());
        }
        self.enums.insert(full, info);
    }

    fn extension(&mut self, x: &FieldDescriptorProto, scope: &str, at: String) {
        let extendee = x.extendee().trim_start_matches('.').to_string();
        let info = FieldInfo::of(x, &[], at);
        self.extension_names
            .insert(qualify(scope, &info.name), (extendee.clone(), x.number()));
        self.extensions
            .insert((extendee, x.number()), (info, scope.to_string()));
    }
}

/// Every extension of `files` by extendee: (number, full name, file).
fn extended_by(files: &[FileDescriptorProto]) -> HashMap<String, Vec<(i32, String, String)>> {
    fn walk(
        out: &mut HashMap<String, Vec<(i32, String, String)>>,
        xs: &[FieldDescriptorProto],
        nested: &[DescriptorProto],
        scope: &str,
        file: &str,
    ) {
        for x in xs {
            out.entry(x.extendee().trim_start_matches('.').to_string())
                .or_default()
                .push((x.number(), qualify(scope, x.name()), file.to_string()));
        }
        for m in nested {
            walk(out, &m.extension, &m.nested_type, &qualify(scope, m.name()), file);
        }
    }
    let mut out = HashMap::new();
    for f in files {
        walk(&mut out, &f.extension, &f.message_type, f.package(), f.name());
    }
    out
}

/// `extensions A to B` as written, for a half-open range.
fn show_range((lo, hi): (i64, i64)) -> String {
    if hi - 1 == lo {
        format!("extensions {lo}")
    } else if hi > 536_870_911 {
        format!("extensions {lo} to max")
    } else {
        format!("extensions {lo} to {}", hi - 1)
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
    /// Units of work the comparison did (elements visited, chain links followed): a count that
    /// grows linearly with the two versions, which tests compare across input sizes instead of
    /// timing anything.
    pub work: usize,
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
///
/// A message or enum renamed in NEW is not a change: wherever a field's type changed name, the
/// old type is compared with the new one structurally (each pair of types once), and a class
/// renamed with its tag kept is compared with its new self the same way.
///
/// Without editions features or the JSON rules: for the tests (the command line calls
/// [`compare_full`]).
#[cfg(feature = "internals")]
pub fn compare_summarized(
    old: &[FileDescriptorProto],
    new: &[FileDescriptorProto],
    locate: &Locator,
) -> (Vec<Diagnostic>, Summary) {
    let none = Features::default();
    compare_full(old, &none, new, &none, locate, false)
}

/// Compares two versions, with the editions features of both versions, read from their
/// encoded descriptors ([`Features::of_set`]): what `breaking` runs. Without them an editions file is
/// compared as if every feature had its default (`prost_types` drops them when decoding).
pub fn compare_full(
    old: &[FileDescriptorProto],
    old_features: &Features,
    new: &[FileDescriptorProto],
    new_features: &Features,
    locate: &Locator,
    json: bool,
) -> (Vec<Diagnostic>, Summary) {
    let new_elements: BTreeSet<String> = new.iter().flat_map(top_level).collect();
    let old_files: Vec<&FileDescriptorProto> = old
        .iter()
        .filter(|f| top_level(f).any(|e| new_elements.contains(&e)))
        .collect();
    let old_elements: BTreeSet<String> = old_files.iter().flat_map(|f| top_level(f)).collect();
    let new_files: Vec<&FileDescriptorProto> = new.iter().collect();
    let package = new_files.first().map_or("", |f| f.package()).to_string();
    let (mut o, n) = (
        Schema::of(&old_files, old_features),
        Schema::of(&new_files, new_features),
    );
    o.extended = extended_by(old);
    let mut work = 0;
    let oh = hierarchy::of_old(&old_files, locate, &mut work);
    let nh = hierarchy::of_new(&new_files, locate, &mut work);
    let (matched, unmatched): (Vec<_>, Vec<_>) = new
        .iter()
        .partition(|f| top_level(f).any(|e| old_elements.contains(&e)));
    let mut summary = Summary {
        files: matched.len(),
        hierarchies: oh.keys().filter(|r| nh.contains_key(*r)).count(),
        messages: o
            .messages
            .iter()
            .filter(|(k, m)| !m.map_entry && n.messages.contains_key(*k))
            .count(),
        enums: o.enums.keys().filter(|k| n.enums.contains_key(*k)).count(),
        unmatched: unmatched.iter().map(|f| f.name().to_string()).collect(),
        work: 0,
    };
    let generated = hierarchy::generated(&oh, &nh);
    let mut cx = Comparison {
        old: &o,
        new: &n,
        generated: &generated,
        locate,
        package: &package,
        out: Vec::new(),
        seen: HashSet::new(),
        queue: Vec::new(),
        work,
        json,
    };
    for name in o.messages.keys() {
        if n.messages.contains_key(name) {
            cx.pair(Pair::Message(name.clone(), name.clone()));
        }
    }
    for name in o.enums.keys() {
        if n.enums.contains_key(name) && !generated.enums.contains(name) {
            cx.pair(Pair::Enum(name.clone(), name.clone()));
        }
    }
    hierarchy::compare(&oh, &nh, &mut cx);
    cx.drain();
    cx.extensions();
    summary.work = cx.work;
    let mut out = cx.out;
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

/// Two types compared structurally: the old one's name and the new one's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Pair {
    Message(String, String),
    Enum(String, String),
}

/// The comparison in progress: what it reads, what it found, and the pairs of types still to
/// compare (each pair once: following field types pairwise costs one visit per pair).
pub(crate) struct Comparison<'c> {
    old: &'c Schema,
    new: &'c Schema,
    /// What lowering generated: compared as hierarchies, skipped here.
    generated: &'c Generated,
    /// Where the new source declares things.
    locate: &'c Locator,
    /// The package names are shortened against.
    package: &'c str,
    out: Vec<Diagnostic>,
    seen: HashSet<Pair>,
    queue: Vec<Pair>,
    work: usize,
    /// Also report what breaks JSON readers (`--json`): names on the wire of the JSON format.
    pub(crate) json: bool,
}

impl Comparison<'_> {
    fn short<'a>(&self, full: &'a str) -> &'a str {
        short(full, self.package)
    }

    /// Queues a pair of types to compare, unless it was already.
    fn pair(&mut self, p: Pair) {
        if self.seen.insert(p.clone()) {
            self.queue.push(p);
        }
    }

    fn drain(&mut self) {
        while let Some(p) = self.queue.pop() {
            let mut out = std::mem::take(&mut self.out);
            match &p {
                Pair::Message(o, n) => self.messages(o, n, &mut out),
                Pair::Enum(o, n) => self.enums(o, n, &mut out),
            }
            self.out = out;
        }
    }

    /// Compares the old message `on` with the new `nn` (the same name, or the types of one
    /// field in both versions), pushing findings to `out`.
    fn messages(&mut self, on: &str, nn: &str, out: &mut Vec<Diagnostic>) {
        let (old, new, gen_set) = (self.old, self.new, self.generated);
        let (Some(om), Some(nm)) = (old.messages.get(on), new.messages.get(nn)) else {
            return;
        };
        self.work += om.fields.len() + nm.fields.len() + 1;
        let locate = self.locate;
        let shown = self.short(nn).to_string();
        let generated = |msg: &str, num: i32| gen_set.fields.contains(&(msg.to_string(), num));
        if om.message_set != nm.message_set {
            let (was, now) = if om.message_set {
                ("the message-set wire format", "the standard one")
            } else {
                ("the standard wire format", "the message-set one")
            };
            out.push(
                Diagnostic::error(
                    "MESSAGE_SET_WIRE_FORMAT_CHANGED",
                    format!("`{shown}` changed from {was} to {now}"),
                )
                .at_opt(locate.message(nn), format!("`message_set_wire_format` was {}", om.message_set))
                .note("a message set holds its extensions in `Item` groups (type_id, message): readers of the two versions do not find each other's extensions")
                .help(if om.message_set {
                    format!("keep `option message_set_wire_format = true;` in `{shown}`")
                } else {
                    format!("remove `option message_set_wire_format = true;` from `{shown}`")
                }),
            );
        }
        // Extension ranges shrunk under a known extension (of OLD: NEW's must fit to compile).
        if let Some(xs) = old.extended.get(on) {
            self.work += xs.len();
            let mut gone: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
            for (num, name, _) in xs {
                if gen_set.extensions.contains(&(on.to_string(), *num))
                    || !in_ranges(&om.extension_ranges, *num)
                    || in_ranges(&nm.extension_ranges, *num)
                    || nm.reserves(*num)
                {
                    continue;
                }
                let i = om.extension_ranges.partition_point(|&(lo, _)| lo <= i64::from(*num));
                gone.entry(om.extension_ranges[i - 1])
                    .or_default()
                    .push(format!("`{}` = {num}", self.short(name)));
            }
            for (range, names) in gone {
                let now: Vec<String> = nm.extension_ranges.iter().map(|&r| format!("`{}`", show_range(r))).collect();
                out.push(
                    Diagnostic::error(
                        "EXTENSION_RANGE_REMOVED",
                        format!(
                            "`{shown}` no longer covers `{}`, where extension {} {} declared",
                            show_range(range),
                            names.join(", "),
                            if names.len() == 1 { "was" } else { "were" }
                        ),
                    )
                    .at_opt(locate.message(nn), format!("had `{}`", show_range(range)))
                    .note(format!(
                        "data written under those numbers still exists, and the extensions can no longer be declared to read it ({} now)",
                        if now.is_empty() { "no extension range".to_string() } else { now.join(", ") }
                    ))
                    .help(format!("restore `{};` in `{shown}` and keep the extensions declared", show_range(range))),
                );
            }
        }
        let mut oneof_map: HashMap<&str, Option<&str>> = HashMap::new();
        let mut oneof_back: HashMap<&str, Option<&str>> = HashMap::new();
        for (&num, of) in &om.fields {
            let gen = generated(on, num) || generated(nn, num);
            match nm.fields.get(&num) {
                None if gen => {}
                None => {
                    let moved = nm.by_name.get(&of.name).and_then(|n| nm.fields.get(n));
                    if let Some(moved) = moved {
                        let back = if nm.reserves(num) {
                            format!("give the field back its number {num} (and take {num} out of `reserved`)")
                        } else {
                            format!("give the field back its number {num}")
                        };
                        out.push(
                            Diagnostic::error(
                                "FIELD_NUMBER_CHANGED",
                                format!("field `{}` of `{shown}` changed number from {num} to {}", of.name, moved.number),
                            )
                            .at_opt(locate.field(nn, &of.name), format!("was {num}"))
                            .note("the number is what is on the wire: data written with the old number is no longer read into this field")
                            .help(format!("{back}; to retire it, delete it and add `reserved {num};`")),
                        );
                    } else if of.required {
                        out.push(
                            Diagnostic::error(
                                "FIELD_REQUIRED_CHANGED",
                                format!("required field `{}` = {num} of `{shown}` was removed", of.name),
                            )
                            .at_opt(locate.message(nn), format!("had required field `{}` = {num}", of.name))
                            .note(format!("old readers reject every message written without it (OLD had it at {})", of.at))
                            .help(format!("keep `{}` = {num} and keep setting it; a required field can never be retired safely", of.name)),
                        );
                    } else if !nm.reserves(num) {
                        out.push(
                            Diagnostic::error(
                                "FIELD_REMOVED",
                                format!("field `{}` = {num} of `{shown}` was removed without reserving its number", of.name),
                            )
                            .at_opt(locate.message(nn), format!("had field `{}` = {num}", of.name))
                            .note(format!("OLD had it at {}; a later field could reuse the number and misread data written with the old one", of.at))
                            .help(format!("add `reserved {num};` (and `reserved \"{}\";`) to `{shown}`", of.name)),
                        );
                    }
                }
                Some(nf) => {
                    let what = match &nm.map_of {
                        Some((field, msg)) => format!(
                            "the {} of map `{field}` of `{}`",
                            if num == 1 { "key" } else { "value" },
                            self.short(msg)
                        ),
                        None => format!("field `{}` = {num} of `{shown}`", nf.name),
                    };
                    let loc = locate.field(nn, &nf.name);
                    if gen {
                        // Generated (a discriminator, a `oneof subtype` field): the hierarchy
                        // rules compare it, but `required` is checked here like anywhere.
                        self.required(of, nf, &what, loc, out);
                        continue;
                    }
                    self.field(of, nf, &what, loc, out);
                    if self.json && nm.map_of.is_none() && of.json != nf.json {
                        out.push(
                            Diagnostic::error(
                                "FIELD_JSON_NAME_CHANGED",
                                format!("{what} changed its JSON name from `{}` to `{}`", of.json, nf.json),
                            )
                            .at_opt(loc, format!("was `{}` in JSON", of.json))
                            .note("JSON data names fields: a reader of the other version does not find this one (`--json`)")
                            .help(format!("keep the JSON name: `[json_name = \"{}\"]`", of.json)),
                        );
                    }
                    // Oneof membership: the fields sharing a oneof must share one in both
                    // versions, no more and no fewer.
                    let (oo, no) = (of.oneof.as_deref(), nf.oneof.as_deref());
                    let moved = match (oo, no) {
                        (None, None) => None,
                        (Some(o), None) => (om.oneof_sizes.get(o).copied().unwrap_or(0) > 1)
                            .then(|| format!("left oneof `{o}`, so it can now be set together with the fields that were in it")),
                        (None, Some(n)) => (nm.oneof_sizes.get(n).copied().unwrap_or(0) > 1)
                            .then(|| format!("moved into oneof `{n}`, so setting it now clears fields that could be set with it")),
                        (Some(o), Some(n)) => {
                            let fwd = *oneof_map.entry(o).or_insert(Some(n));
                            let back = *oneof_back.entry(n).or_insert(Some(o));
                            (fwd != Some(n) || back != Some(o)).then(|| {
                                format!("moved from oneof `{o}` to oneof `{n}`, which groups other fields than before")
                            })
                        }
                    };
                    if let Some(how) = moved {
                        out.push(
                            Diagnostic::error("FIELD_ONEOF_CHANGED", format!("{what} {how}"))
                                .at_opt(loc, match oo {
                                    Some(o) => format!("was in oneof `{o}`"),
                                    None => "was in no oneof".to_string(),
                                })
                                .note("a reader keeps only the last field of a oneof it meets: data written with both set loses one")
                                .help(format!("keep `{}` {}; add a new field for the new grouping", nf.name, match oo {
                                    Some(o) => format!("in oneof `{o}` with the same fields"),
                                    None => "out of any oneof".to_string(),
                                })),
                        );
                    }
                }
            }
        }
        for (&num, nf) in &nm.fields {
            if om.fields.contains_key(&num) || generated(nn, num) || generated(on, num) {
                continue;
            }
            let loc = locate.field(nn, &nf.name);
            if nf.required {
                out.push(
                    Diagnostic::error(
                        "FIELD_REQUIRED_CHANGED",
                        format!("`{shown}` has a new required field `{}` = {num}", nf.name),
                    )
                    .at_opt(loc, "new and required")
                    .note("data written by the old version does not have it: new readers reject it")
                    .help(if nf.editions {
                        format!("remove `features.field_presence = LEGACY_REQUIRED` from `{}` (or from what it inherits it from)", nf.name)
                    } else {
                        format!("declare `{}` `optional`", nf.name)
                    }),
                );
            }
            if om.reserves(num) {
                out.push(
                    Diagnostic::error(
                        "RESERVED_NUMBER_REUSED",
                        format!("field `{}` of `{shown}` reuses the number {num}, which the old version reserved", nf.name),
                    )
                    .at_opt(loc, format!("{num} was reserved"))
                    .note(format!("a number is reserved because data written under it still exists (`{}` reserved it at {})", self.short(on), om.at))
                    .help(format!("give `{}` another number and keep `reserved {num};`", nf.name)),
                );
            }
        }
    }

    /// The label, `required` and type of one field (or extension) in both versions.
    fn field(
        &mut self,
        of: &FieldInfo,
        nf: &FieldInfo,
        what: &str,
        loc: Option<locate::Place>,
        out: &mut Vec<Diagnostic>,
    ) {
        self.required(of, nf, what, loc, out);
        self.default(of, nf, what, loc, out);
        if of.repeated != nf.repeated {
            out.push(
                Diagnostic::error(
                    "FIELD_LABEL_CHANGED",
                    format!(
                        "{what} changed from {} to {}",
                        of.cardinality(),
                        nf.cardinality()
                    ),
                )
                .at_opt(loc, format!("was {}", of.cardinality()))
                .note("a repeated field's elements and a singular field are read differently: data written as one is misread (or packed numbers fail) as the other")
                .help(format!(
                    "keep it {}, or add a new field with a new number",
                    of.cardinality()
                )),
            );
        }
        let same_type = if of.is_message() || nf.is_message() {
            of.ty == nf.ty
        } else {
            wire_family(of.ty) == wire_family(nf.ty)
        };
        let encoding = |f: &FieldInfo| match Type::try_from(f.ty) {
            Ok(Type::Group) => "DELIMITED",
            _ => "LENGTH_PREFIXED",
        };
        if !same_type
            && (of.editions || nf.editions)
            && of.is_message()
            && nf.is_message()
            && of.type_name == nf.type_name
        {
            // Editions spell a group as a `DELIMITED` message field.
            out.push(
                Diagnostic::error(
                    "FIELD_TYPE_CHANGED",
                    format!(
                        "{what} changed its message encoding from {} to {}",
                        encoding(of),
                        encoding(nf)
                    ),
                )
                .at_opt(loc, format!("was {}", encoding(of)))
                .note("a length-prefixed message and a delimited one (a group) have different wire types: each version reads the other's data as an unknown field")
                .help(if nf.editions {
                    format!("keep `[features.message_encoding = {}]` on it", encoding(of))
                } else {
                    format!("keep it a {}", if encoding(of) == "DELIMITED" { "group" } else { "message field" })
                }),
            );
        } else if !same_type {
            out.push(
                Diagnostic::error(
                    "FIELD_TYPE_CHANGED",
                    format!(
                        "{what} changed type from `{}` to `{}`",
                        of.describe_type(),
                        nf.describe_type()
                    ),
                )
                .at_opt(loc, format!("was `{}`", of.describe_type()))
                .help(format!(
                    "keep the type `{}`, or add a new field with a new number",
                    of.describe_type()
                )),
            );
        } else if of.is_message() && nf.is_message() {
            self.pair(Pair::Message(of.type_name.clone(), nf.type_name.clone()));
        } else if of.is_enum() && nf.is_enum() && !self.generated.enums.contains(&of.type_name) {
            self.pair(Pair::Enum(of.type_name.clone(), nf.type_name.clone()));
        }
    }

    /// A singular scalar's `[default = …]`: what a reader sees for the field when the data does
    /// not have it. Enum defaults are compared by number (a renamed value is the same default).
    fn default(
        &mut self,
        of: &FieldInfo,
        nf: &FieldInfo,
        what: &str,
        loc: Option<locate::Place>,
        out: &mut Vec<Diagnostic>,
    ) {
        if of.repeated || nf.repeated || of.is_message() || nf.is_message() {
            return;
        }
        if wire_family(of.ty) != wire_family(nf.ty) || of.default == nf.default {
            return;
        }
        let number = |s: &Schema, f: &FieldInfo| -> Option<i32> {
            let e = s.enums.get(&f.type_name)?;
            match &f.default {
                Some(d) => e.by_name.get(d).copied(),
                // No default: the first value (its lowest-index one; by name order here is
                // not declaration order, so only an explicit default is compared).
                None => None,
            }
        };
        if of.is_enum() && nf.is_enum() {
            let (o, n) = (number(self.old, of), number(self.new, nf));
            if o.is_some() && o == n {
                return;
            }
            if of.default.is_none() || nf.default.is_none() {
                // An enum's implicit default is its first value: not compared.
                return;
            }
        }
        // As written in a `.proto`: strings quoted and escaped (a descriptor holds a string's
        // default unescaped, a bytes default C-escaped already).
        let literal = |f: &FieldInfo| -> Option<String> {
            let d = f.default.as_ref()?;
            Some(match Type::try_from(f.ty) {
                Ok(Type::String) => format!(
                    "\"{}\"",
                    d.replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace('\n', "\\n")
                ),
                Ok(Type::Bytes) => format!("\"{d}\""),
                _ => d.clone(),
            })
        };
        let (ol, nl) = (literal(of), literal(nf));
        let show = |d: &Option<String>| match d {
            Some(d) => format!("`{d}`"),
            None => "none".to_string(),
        };
        out.push(
            Diagnostic::error(
                "FIELD_DEFAULT_CHANGED",
                format!(
                    "{what} changed its default from {} to {}",
                    show(&ol),
                    show(&nl)
                ),
            )
            .at_opt(loc, format!("default was {}", show(&ol)))
            .note("the default is what a reader sees when the data does not have the field: readers of the two versions see different values for the same data")
            .help(match &ol {
                Some(d) => format!("keep `[default = {d}]`"),
                None => "remove the default".to_string(),
            }),
        );
    }

    fn required(
        &mut self,
        of: &FieldInfo,
        nf: &FieldInfo,
        what: &str,
        loc: Option<locate::Place>,
        out: &mut Vec<Diagnostic>,
    ) {
        if of.required != nf.required && !of.repeated && !nf.repeated {
            let (was, now, who) = if nf.required {
                (
                    "optional",
                    "required",
                    "new readers reject data written by the old version without it",
                )
            } else {
                (
                    "required",
                    "optional",
                    "old readers reject data written by the new version without it",
                )
            };
            out.push(
                Diagnostic::error(
                    "FIELD_REQUIRED_CHANGED",
                    format!("{what} changed from {was} to {now}"),
                )
                .at_opt(loc, format!("was {was}"))
                .note(format!(
                    "a message missing a required field fails to parse: {who}"
                ))
                .help(match (nf.editions, nf.required) {
                    (false, _) => format!("keep it {was}"),
                    (true, true) => "remove `features.field_presence = LEGACY_REQUIRED` (from the field, or from the message or file it inherits it from)".to_string(),
                    (true, false) => "keep it required: `[features.field_presence = LEGACY_REQUIRED]`".to_string(),
                }),
            );
        }
    }

    /// Compares the old enum `on` with the new `nn`.
    fn enums(&mut self, on: &str, nn: &str, out: &mut Vec<Diagnostic>) {
        let (old, new) = (self.old, self.new);
        let (Some(oe), Some(ne)) = (old.enums.get(on), new.enums.get(nn)) else {
            return;
        };
        self.work += oe.by_name.len() + ne.by_name.len() + 1;
        let locate = self.locate;
        let shown = self.short(nn).to_string();
        if let (Some(oc), Some(nc)) = (oe.closed, ne.closed) {
            if oc != nc {
                let (was, now) = if oc {
                    ("closed", "open")
                } else {
                    ("open", "closed")
                };
                out.push(
                    Diagnostic::error(
                        "ENUM_CLOSEDNESS_CHANGED",
                        format!("enum `{shown}` changed from {was} to {now} (its file's syntax or its `enum_type` feature changed)"),
                    )
                    .at_opt(locate.message(nn), format!("was {was}"))
                    .note("a closed enum field keeps a number it does not know as an unknown field, an open one keeps it in the field: readers of the two versions disagree on whether the field is set")
                    .help(if ne.editions {
                        format!("keep it {was}: `option features.enum_type = {};` in the enum", if oc { "CLOSED" } else { "OPEN" })
                    } else {
                        format!("keep the enum in a {} file", if oc { "proto2" } else { "proto3" })
                    }),
                );
            }
        }
        for (value, &num) in &oe.by_name {
            match ne.by_name.get(value) {
                Some(&now) if now != num => {
                    let help = match ne.numbers.get(&num) {
                        Some(other) => format!("keep `{value} = {num}` (data written as {num} means `{value}` to old readers, not `{other}`); give `{other}` another number"),
                        None => format!("give `{value}` back the number {num}"),
                    };
                    out.push(
                        Diagnostic::error(
                            "ENUM_VALUE_NUMBER_CHANGED",
                            format!(
                                "enum value `{value}` of `{shown}` changed number from {num} to {now}"
                            ),
                        )
                        .at_opt(locate.enum_value(nn, value), format!("was {num}"))
                        .help(help),
                    );
                }
                Some(_) => {}
                // The name JSON writers use for the number (its first value) is unknown to
                // the new version: a renamed value. (A dropped alias is never written.)
                None if self.json
                    && ne.numbers.contains_key(&num)
                    && oe.numbers.get(&num) == Some(value) =>
                {
                    let now = &ne.numbers[&num];
                    out.push(
                        Diagnostic::error(
                            "ENUM_VALUE_NAME_CHANGED",
                            format!("enum value `{value}` = {num} of `{shown}` was renamed `{now}`"),
                        )
                        .at_opt(locate.enum_value(nn, now), format!("was `{value}`"))
                        .note("JSON data holds an enum value's name: a reader of the other version does not know this one (`--json`)")
                        .help(format!("keep the name `{value}`; to add a new name, declare it as an alias (`option allow_alias = true;`)")),
                    );
                }
                None => {
                    if !ne.numbers.contains_key(&num) && !in_ranges(&ne.reserved, num) {
                        out.push(
                            Diagnostic::error(
                                "ENUM_VALUE_REMOVED",
                                format!("enum value `{value}` = {num} of `{shown}` was removed without reserving its number"),
                            )
                            .at_opt(locate.message(nn), format!("had `{value}` = {num}"))
                            .note(format!("OLD had `{}` at {}", self.short(on), oe.at))
                            .help(format!("add `reserved {num};` (and `reserved \"{value}\";`) to `{shown}`")),
                        );
                    }
                }
            }
        }
        for (&num, value) in &ne.numbers {
            if !oe.numbers.contains_key(&num) && in_ranges(&oe.reserved, num) {
                out.push(
                    Diagnostic::error(
                        "RESERVED_NUMBER_REUSED",
                        format!("enum value `{value}` of `{shown}` reuses the number {num}, which the old version reserved"),
                    )
                    .at_opt(locate.enum_value(nn, value), format!("{num} was reserved"))
                    .note(format!("a number is reserved because data written with it still exists (`{}` at {})", self.short(on), oe.at))
                    .help(format!("give `{value}` another number and keep {num} reserved")),
                );
            }
        }
    }

    /// User extensions: removed, renumbered, moved to another extendee, or changed.
    fn extensions(&mut self) {
        let (o, n, locate) = (self.old, self.new, self.locate);
        let mut out = Vec::new();
        for (key, (of, scope)) in &o.extensions {
            self.work += 1;
            if self.generated.extensions.contains(key) {
                continue;
            }
            let (extendee, num) = key;
            let full = qualify(scope, &of.name);
            let name = self.short(&full).to_string();
            let ext = self.short(extendee).to_string();
            let loc = locate.field(scope, &of.name);
            if let Some((nf, nscope)) = n.extensions.get(key) {
                let what = format!("extension `{name}` = {num} of `{ext}`");
                self.field(of, nf, &what, loc, &mut out);
                let now = qualify(nscope, &nf.name);
                if self.json && now != full {
                    out.push(
                        Diagnostic::error(
                            "EXTENSION_NAME_CHANGED",
                            format!("extension `{name}` = {num} of `{ext}` was renamed `{}`", self.short(&now)),
                        )
                        .at_opt(locate.field(nscope, &nf.name), format!("was `{name}`"))
                        .note(format!("JSON data names an extension by its full name (`[{full}]`): a reader of the other version does not find it (`--json`)"))
                        .help(format!("keep the extension's name `{}`", of.name)),
                    );
                }
                continue;
            }
            match n.extension_names.get(&full) {
                Some((nx, nnum)) if nx == extendee => out.push(
                    Diagnostic::error(
                        "EXTENSION_NUMBER_CHANGED",
                        format!("extension `{name}` of `{ext}` changed number from {num} to {nnum}"),
                    )
                    .at_opt(loc, format!("was {num}"))
                    .note("data written under the old number is no longer read into this extension")
                    .help(format!("give the extension back its number {num}")),
                ),
                Some((nx, _)) => out.push(
                    Diagnostic::error(
                        "EXTENSION_EXTENDEE_CHANGED",
                        format!("extension `{name}` now extends `{}` instead of `{ext}`", self.short(nx)),
                    )
                    .at_opt(loc, format!("extended `{ext}`"))
                    .note(format!("data written in `{ext}` messages is no longer read into this extension"))
                    .help(format!("keep `{name}` on `{ext}`; declare a new extension for the other message")),
                ),
                None if n.messages.get(extendee).is_some_and(|m| m.reserves(*num)) => {}
                // Its range is gone too: EXTENSION_RANGE_REMOVED says so (keeping the extension
                // declared would not compile).
                None if o.messages.get(extendee).is_some_and(|m| in_ranges(&m.extension_ranges, *num))
                    && n.messages.get(extendee).is_some_and(|m| !in_ranges(&m.extension_ranges, *num)) => {}
                None => out.push(
                    Diagnostic::error(
                        "EXTENSION_REMOVED",
                        format!("extension `{name}` = {num} of `{ext}` was removed"),
                    )
                    .at_opt(
                        locate.extend_block(scope, extendee),
                        format!("had extension `{name}` = {num}"),
                    )
                    .note(format!("OLD had it at {}; another extension could take {num} and misread data written with it", of.at))
                    .help(format!("keep the extension declared (mark it `[deprecated = true]`) so that {num} is never given to another one")),
                ),
            }
        }
        self.drain();
        self.out.extend(out);
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

#[cfg(test)]
mod tests {
    use super::{in_ranges, merged};

    #[test]
    fn ranges_are_merged_and_reach_i32_max() {
        let max = i64::from(i32::MAX);
        let r = merged(vec![(10, 20), (1, 3), (15, 30), (3, 5), (max - 1, max + 1)]);
        assert_eq!(r, [(1, 5), (10, 30), (max - 1, max + 1)]);
        for (n, inside) in [(0, false), (1, true), (4, true), (5, false), (9, false)] {
            assert_eq!(in_ranges(&r, n), inside, "{n}");
        }
        for (n, inside) in [
            (29, true),
            (30, false),
            (i32::MAX, true),
            (i32::MAX - 2, false),
        ] {
            assert_eq!(in_ranges(&r, n), inside, "{n}");
        }
    }
}
