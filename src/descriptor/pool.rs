//! An index of message, enum and extension definitions over built descriptors: the schema that
//! option interpretation walks (protoc's `DescriptorPool` as its `OptionInterpreter` sees it).
//!
//! protoc looks the options messages (`google.protobuf.FileOptions`, …) up in the files being
//! built when they include `descriptor.proto`, and otherwise in the copy compiled into protoc.
//! The same copy decides how interpreted options are re-serialized. We embed that copy: the
//! `FileDescriptorSet` protoc 36.2 writes for its own `google/protobuf/descriptor.proto`.

use foldhash::{HashMap, HashSet};
use std::sync::OnceLock;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, FileDescriptorSet,
};

use super::encode::Extras;
use super::wire::{parse_fields, WireField, WireValue};
use crate::protobuf::descriptor_fields as tag;
use crate::protobuf::qualify;
use crate::protobuf::Edition;

/// protoc's own `descriptor.proto`, as protoc serializes it (a `FileDescriptorSet` of that one
/// file); validation reads the options of its fields (`targets`, `feature_support`) from it.
pub const DESCRIPTOR_PROTO: &[u8] = include_bytes!("descriptor_proto.pb");

/// The embedded `google/protobuf/descriptor.proto`.
pub fn descriptor_proto() -> &'static FileDescriptorProto {
    static FILE: OnceLock<FileDescriptorProto> = OnceLock::new();
    FILE.get_or_init(|| {
        let set = FileDescriptorSet::decode(DESCRIPTOR_PROTO).expect("embedded descriptor.proto");
        set.file.into_iter().next().expect("one file")
    })
}

/// The schema protoc compiled into itself (the embedded `descriptor.proto`).
pub fn generated() -> &'static Pool<'static> {
    static INDEX: OnceLock<Index> = OnceLock::new();
    static POOL: OnceLock<Pool<'static>> = OnceLock::new();
    POOL.get_or_init(|| {
        let index = INDEX.get_or_init(|| {
            let mut index = Index::default();
            index.add_file(0, descriptor_proto(), Edition::PROTO2, None);
            // prost_types drops `FieldOptions.retention`, so these are listed by hand (checked
            // by a test against descriptor.proto).
            index.source_retention.extend(
                DESCRIPTOR_PROTO_SOURCE_RETENTION
                    .iter()
                    .map(|s| s.to_string()),
            );
            index
        });
        Pool::new(vec![(index, std::slice::from_ref(descriptor_proto()))])
    })
}

/// Fields of `descriptor.proto` declared `retention = RETENTION_SOURCE`.
pub const DESCRIPTOR_PROTO_SOURCE_RETENTION: &[&str] = &[
    "google.protobuf.ExtensionRangeOptions.declaration",
    "google.protobuf.ExtensionRangeOptions.verification",
    "google.protobuf.FeatureSet.enforce_naming_style",
    "google.protobuf.FeatureSet.default_symbol_visibility",
    "google.protobuf.FeatureSet.enforce_proto_limits",
];

/// A message definition with what interpretation needs about its file.
#[derive(Clone, Copy, Debug)]
pub struct MessageRef<'p> {
    /// The definition.
    pub proto: &'p DescriptorProto,
    /// Its file's syntax (for packed defaults and implicit presence).
    pub syntax: Edition,
    /// Its lookups, when it is large.
    table: Option<&'p Table>,
}

impl<'p> MessageRef<'p> {
    /// The field with this name (not extensions).
    pub fn field_by_name(&self, name: &str) -> Option<&'p FieldDescriptorProto> {
        match self.table {
            Some(t) => t.by_name(name).and_then(|i| self.proto.field.get(i)),
            None => self.proto.field.iter().find(|f| f.name() == name),
        }
    }

    /// The `required` fields, in declaration order.
    pub fn required_fields(&self) -> impl Iterator<Item = &'p FieldDescriptorProto> + 'p {
        let proto = self.proto;
        let listed = self.table.map(|t| {
            t.required
                .iter()
                .filter_map(move |&i| proto.field.get(i as usize))
        });
        let scanned = listed.is_none().then(|| {
            proto
                .field
                .iter()
                .filter(|f| f.label() == Label::Required)
        });
        listed.into_iter().flatten().chain(scanned.into_iter().flatten())
    }

    /// Whether the message uses the MessageSet wire format (extensions written as items).
    pub fn is_message_set(&self) -> bool {
        self.proto
            .options
            .as_ref()
            .and_then(|o| o.message_set_wire_format)
            .unwrap_or(false)
    }

    /// The field with this number (not extensions).
    pub fn field_by_number(&self, number: i32) -> Option<&'p FieldDescriptorProto> {
        match self.table {
            Some(t) => t.by_number(number).and_then(|i| self.proto.field.get(i)),
            None => self.proto.field.iter().find(|f| f.number() == number),
        }
    }
}

/// From this many fields (or values) on, a message's (or an enum's) lookups by name and number
/// go through a [`Table`] made when its file is indexed. Searching the declarations instead made
/// an options literal that sets every field of a large message quadratic, as did every use of a
/// large enum's values; below this, a search is as fast as a hash.
const TABLE_FROM: usize = 16;

/// The positions of a large message's fields (or an enum's values) by name and by number: the
/// first declared of each, as a search would find.
#[derive(Clone, Debug, Default)]
pub struct Table {
    names: HashMap<Box<str>, u32>,
    numbers: HashMap<i32, u32>,
    /// The `required` fields' positions, in order.
    required: Box<[u32]>,
}

impl Table {
    /// The table of these declarations (name, number, whether `required`), if there are enough
    /// of them to need one.
    fn of<'a>(items: impl ExactSizeIterator<Item = (&'a str, i32, bool)>) -> Option<Box<Table>> {
        if items.len() < TABLE_FROM {
            return None;
        }
        let mut t = Table::default();
        let mut required = Vec::new();
        for (i, (name, number, is_required)) in items.enumerate() {
            let i = i as u32;
            t.names.entry(name.into()).or_insert(i);
            t.numbers.entry(number).or_insert(i);
            if is_required {
                required.push(i);
            }
        }
        t.required = required.into();
        Some(Box::new(t))
    }

    fn by_name(&self, name: &str) -> Option<usize> {
        self.names.get(name).map(|&i| i as usize)
    }

    fn by_number(&self, number: i32) -> Option<usize> {
        self.numbers.get(&number).map(|&i| i as usize)
    }
}

/// Where a definition lives: which file of its layer's slice, and its path in that file (as in
/// `SourceCodeInfo`: `[4, 0, 3, 1]` is the second nested message of the first message).
#[derive(Clone, Debug)]
struct Loc {
    file: u32,
    path: Box<[i32]>,
    syntax: Edition,
    /// A large message's or enum's lookups ([`TABLE_FROM`]).
    table: Option<Box<Table>>,
}

/// Definitions of some files by fully qualified name (no leading dot), as locations in those
/// files. An index is built once per file and kept, so the pool over N files costs N file
/// indexings in all, not one per file built (which made building quadratic).
#[derive(Debug, Default)]
pub struct Index {
    messages: HashMap<String, Loc>,
    enums: HashMap<String, Loc>,
    extensions: HashMap<String, Loc>,
    /// Extensions by extendee full name and number, with their full names.
    by_number: HashMap<String, HashMap<i32, (Loc, String)>>,
    /// Full names of fields and extensions declared `retention = RETENTION_SOURCE`.
    source_retention: HashSet<String>,
    /// Resolved `repeated_field_encoding` of repeated fields of editions files, by full name.
    packed: HashMap<String, bool>,
    /// Message fields of editions files whose `message_encoding` resolves to `DELIMITED`.
    delimited: HashSet<String>,
    /// Enums of editions files whose `enum_type` resolves to `CLOSED`.
    closed_enums: HashSet<String>,
    /// Fields of editions files whose `field_presence` resolves to `IMPLICIT`.
    implicit: HashSet<String>,
    /// Enum fields of editions files whose `(pb.cpp).legacy_closed_enum` resolves to true.
    legacy_closed: HashSet<String>,
}

impl Index {
    /// Indexes a file's definitions; `file` is its position in the slice the index is used with,
    /// `extras` holds its encoded options (for `retention`). A later definition of a name
    /// replaces an earlier one.
    pub fn add_file(
        &mut self,
        file: usize,
        proto: &FileDescriptorProto,
        syntax: Edition,
        extras: Option<&Extras>,
    ) {
        let mut cx = Indexer {
            index: self,
            file: file as u32,
            syntax,
            extras: extras.filter(|x| {
                !x.options.is_empty()
                    || !x.packed.is_empty()
                    || !x.delimited.is_empty()
                    || !x.closed_enums.is_empty()
                    || !x.implicit.is_empty()
                    || !x.legacy_closed.is_empty()
            }),
            path: Vec::with_capacity(16),
        };
        let package = proto.package();
        for (i, m) in proto.message_type.iter().enumerate() {
            cx.path.extend([tag::FILE_MESSAGE, i as i32]);
            cx.message(package, m);
            cx.path.truncate(0);
        }
        for (i, e) in proto.enum_type.iter().enumerate() {
            cx.path.extend([tag::FILE_ENUM, i as i32]);
            let loc = cx.loc().with_table(enum_table(e));
            cx.enum_flags(|| qualify(package, e.name()));
            cx.index.enums.insert(qualify(package, e.name()), loc);
            cx.path.truncate(0);
        }
        for (i, x) in proto.extension.iter().enumerate() {
            cx.path.extend([tag::FILE_EXTENSION, i as i32]);
            cx.extension(package, x);
            cx.path.truncate(0);
        }
    }
}

impl Index {
    /// Recomputes which fields of the one file this index holds have `retention =
    /// RETENTION_SOURCE`, from each element's interpreted options (`FieldOptions` fields at the
    /// path of its `options` field). Nothing else the index holds depends on options, so after
    /// options are interpreted this replaces indexing the file again.
    pub fn refresh_source_retention<'f>(
        &mut self,
        proto: &FileDescriptorProto,
        options: impl IntoIterator<Item = (&'f [i32], &'f [WireField])>,
    ) {
        self.source_retention.clear();
        for (path, fields) in options {
            let [field_path @ .., 8] = path else {
                continue;
            };
            if !fields_are_source_retention(fields) {
                continue;
            }
            if let Some(full) = field_full_name(proto, field_path) {
                self.source_retention.insert(full);
            }
        }
    }

    /// Makes room for the definitions of `indexes` (which [`Index::absorb`] will move in), so
    /// the maps grow once instead of rehashing as files join.
    pub fn reserve_for<'i>(&mut self, indexes: impl IntoIterator<Item = &'i Index>) {
        let (mut messages, mut enums, mut extensions, mut extendees) = (0, 0, 0, 0);
        for index in indexes {
            messages += index.messages.len();
            enums += index.enums.len();
            extensions += index.extensions.len();
            extendees += index.by_number.len();
        }
        self.messages.reserve(messages);
        self.enums.reserve(enums);
        self.extensions.reserve(extensions);
        self.by_number.reserve(extendees);
    }

    /// Every extendee and number this index has an extension for.
    pub fn extension_numbers(&self) -> impl Iterator<Item = (&str, i32)> {
        self.by_number
            .iter()
            .flat_map(|(extendee, numbers)| numbers.keys().map(move |&n| (extendee.as_str(), n)))
    }

    /// Moves every definition of `other` (an index of one file, at position 0) into this index,
    /// as the file at position `file`: what [`Index::add_file`] of that file would add.
    pub fn absorb(&mut self, other: Index, file: usize) {
        let file = file as u32;
        let relocate = |mut loc: Loc| {
            loc.file = file;
            loc
        };
        for (k, v) in other.messages {
            self.messages.insert(k, relocate(v));
        }
        for (k, v) in other.enums {
            self.enums.insert(k, relocate(v));
        }
        for (k, v) in other.extensions {
            self.extensions.insert(k, relocate(v));
        }
        for (extendee, numbers) in other.by_number {
            let entry = self.by_number.entry(extendee).or_default();
            for (n, (loc, full)) in numbers {
                entry.insert(n, (relocate(loc), full));
            }
        }
        self.source_retention.extend(other.source_retention);
        self.packed.extend(other.packed);
        self.delimited.extend(other.delimited);
        self.closed_enums.extend(other.closed_enums);
        self.implicit.extend(other.implicit);
        self.legacy_closed.extend(other.legacy_closed);
    }
}

/// The full name of the field or extension at `path` (`[7, i]`, or a message path then `[2, j]`
/// or `[6, j]`) of `file`.
fn field_full_name(file: &FileDescriptorProto, path: &[i32]) -> Option<String> {
    match path {
        [tag::FILE_EXTENSION, i] => Some(qualify(
            file.package(),
            file.extension.get(*i as usize)?.name(),
        )),
        [parent @ .., kind @ (tag::MSG_FIELD | tag::MSG_EXTENSION), j] => {
            let [tag::FILE_MESSAGE, i, rest @ ..] = parent else {
                return None;
            };
            let mut m = file.message_type.get(*i as usize)?;
            let mut scope = qualify(file.package(), m.name());
            let mut rest: &[i32] = rest;
            while let [tag::MSG_NESTED, k, tail @ ..] = rest {
                m = m.nested_type.get(*k as usize)?;
                scope = qualify(&scope, m.name());
                rest = tail;
            }
            if !rest.is_empty() {
                return None;
            }
            let f = if *kind == tag::MSG_FIELD {
                m.field.get(*j as usize)?
            } else {
                m.extension.get(*j as usize)?
            };
            Some(qualify(&scope, f.name()))
        }
        _ => None,
    }
}

/// The state of one [`Index::add_file`]: the path of the element being indexed.
struct Indexer<'a> {
    index: &'a mut Index,
    file: u32,
    syntax: Edition,
    /// `None` when the file has no options or packed flags at all.
    extras: Option<&'a Extras>,
    path: Vec<i32>,
}

impl Indexer<'_> {
    fn loc(&self) -> Loc {
        Loc {
            file: self.file,
            path: self.path.as_slice().into(),
            syntax: self.syntax,
            table: None,
        }
    }

    /// Records whether the enum at the current path is closed (editions files).
    fn enum_flags(&mut self, full: impl FnOnce() -> String) {
        if let Some(extras) = self.extras {
            if extras.closed_enums.contains(self.path.as_slice()) {
                self.index.closed_enums.insert(full());
            }
        }
    }

    /// Records `packed` and `retention` of the field or extension at the current path.
    fn field_flags(&mut self, full: impl FnOnce() -> String) {
        let Some(extras) = self.extras else {
            return;
        };
        let packed = extras.packed.get(self.path.as_slice()).copied();
        let delimited = extras.delimited.contains(self.path.as_slice());
        let implicit = extras.implicit.contains(self.path.as_slice());
        let legacy_closed = extras.legacy_closed.contains(self.path.as_slice());
        self.path.push(8);
        let source = is_source_retention(extras, &self.path);
        self.path.pop();
        if packed.is_none() && !source && !delimited && !implicit && !legacy_closed {
            return;
        }
        let full = full();
        if implicit {
            self.index.implicit.insert(full.clone());
        }
        if legacy_closed {
            self.index.legacy_closed.insert(full.clone());
        }
        if delimited {
            self.index.delimited.insert(full.clone());
        }
        if let Some(p) = packed {
            self.index.packed.insert(full.clone(), p);
        }
        if source {
            self.index.source_retention.insert(full);
        }
    }

    fn extension(&mut self, scope: &str, x: &FieldDescriptorProto) {
        let full = qualify(scope, x.name());
        self.field_flags(|| full.clone());
        let extendee = x.extendee().trim_start_matches('.').to_string();
        let loc = self.loc();
        self.index
            .by_number
            .entry(extendee)
            .or_default()
            .insert(x.number(), (loc.clone(), full.clone()));
        self.index.extensions.insert(full, loc);
    }

    fn message(&mut self, scope: &str, m: &DescriptorProto) {
        let full = qualify(scope, m.name());
        let len = self.path.len();
        for (i, n) in m.nested_type.iter().enumerate() {
            self.path.extend([tag::MSG_NESTED, i as i32]);
            self.message(&full, n);
            self.path.truncate(len);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            self.path.extend([tag::MSG_ENUM, i as i32]);
            let loc = self.loc().with_table(enum_table(e));
            self.enum_flags(|| qualify(&full, e.name()));
            self.index.enums.insert(qualify(&full, e.name()), loc);
            self.path.truncate(len);
        }
        for (i, x) in m.extension.iter().enumerate() {
            self.path.extend([tag::MSG_EXTENSION, i as i32]);
            self.extension(&full, x);
            self.path.truncate(len);
        }
        for (i, f) in m.field.iter().enumerate() {
            self.path.extend([tag::MSG_FIELD, i as i32]);
            self.field_flags(|| qualify(&full, f.name()));
            self.path.truncate(len);
        }
        let fields = m
            .field
            .iter()
            .map(|f| (f.name(), f.number(), f.label() == Label::Required));
        let loc = self.loc().with_table(Table::of(fields));
        self.index.messages.insert(full, loc);
    }
}

impl Loc {
    fn with_table(mut self, table: Option<Box<Table>>) -> Loc {
        self.table = table;
        self
    }
}

/// The lookups of a large enum's values.
fn enum_table(e: &EnumDescriptorProto) -> Option<Box<Table>> {
    Table::of(e.value.iter().map(|v| (v.name(), v.number(), false)))
}

/// The message at `path` (`[4, i, 3, j, …]`) of `file`.
fn message_at<'p>(file: &'p FileDescriptorProto, path: &[i32]) -> Option<&'p DescriptorProto> {
    let [tag::FILE_MESSAGE, i, rest @ ..] = path else {
        return None;
    };
    let mut rest: &[i32] = rest;
    let mut m = file.message_type.get(*i as usize)?;
    while let [tag::MSG_NESTED, j, tail @ ..] = rest {
        m = m.nested_type.get(*j as usize)?;
        rest = tail;
    }
    rest.is_empty().then_some(m)
}

/// The enum (`[5, i]`, or a message path then `[4, j]`) or extension (`[7, i]`, or a message path
/// then `[6, j]`) at `path` of `file`.
fn enum_at<'p>(file: &'p FileDescriptorProto, path: &[i32]) -> Option<&'p EnumDescriptorProto> {
    match path {
        [tag::FILE_ENUM, i] => file.enum_type.get(*i as usize),
        [parent @ .., tag::MSG_ENUM, j] => message_at(file, parent)?.enum_type.get(*j as usize),
        _ => None,
    }
}

fn extension_at<'p>(
    file: &'p FileDescriptorProto,
    path: &[i32],
) -> Option<&'p FieldDescriptorProto> {
    match path {
        [tag::FILE_EXTENSION, i] => file.extension.get(*i as usize),
        [parent @ .., tag::MSG_EXTENSION, j] => {
            message_at(file, parent)?.extension.get(*j as usize)
        }
        _ => None,
    }
}

/// Definitions by fully qualified name (no leading dot): a stack of [`Index`]es, each over its
/// slice of files, searched first to last (so the first layer's definitions win), then protoc's
/// built-in `descriptor.proto` for messages and enums.
#[derive(Debug, Default)]
pub struct Pool<'p> {
    layers: Vec<(&'p Index, &'p [FileDescriptorProto])>,
}

impl<'p> Pool<'p> {
    /// A pool over these layers, searched in order.
    pub fn new(layers: Vec<(&'p Index, &'p [FileDescriptorProto])>) -> Self {
        Pool { layers }
    }

    /// The first layer's file and location for `full` in the map `pick` selects.
    fn find(
        &self,
        full: &str,
        pick: impl Fn(&'p Index) -> &'p HashMap<String, Loc>,
    ) -> Option<(&'p FileDescriptorProto, &'p Loc)> {
        self.layers.iter().find_map(|&(index, files)| {
            let loc = pick(index).get(full)?;
            Some((files.get(loc.file as usize)?, loc))
        })
    }

    /// Whether a field or extension (by full name) is dropped from protoc's output.
    pub fn is_source_retention(&self, full: &str) -> bool {
        self.layers
            .iter()
            .any(|(index, _)| index.source_retention.contains(full))
            // The embedded `descriptor.proto`'s are this list (its index adds no others): read
            // it directly rather than decode and index that file for the question.
            || DESCRIPTOR_PROTO_SOURCE_RETENTION.contains(&full)
    }

    /// The extension of `extendee` with this number: definition, syntax, full name.
    pub fn extension_by_number(
        &self,
        extendee: &str,
        number: i32,
    ) -> Option<(&'p FieldDescriptorProto, Edition, String)> {
        self.layers.iter().find_map(|&(index, files)| {
            let (loc, full) = index.by_number.get(extendee)?.get(&number)?;
            let x = extension_at(files.get(loc.file as usize)?, &loc.path)?;
            Some((x, loc.syntax, full.clone()))
        })
    }

    /// A message by full name, falling back to protoc's built-in `descriptor.proto`.
    pub fn message(&self, full: &str) -> Option<MessageRef<'p>>
    where
        'static: 'p,
    {
        let full = full.trim_start_matches('.');
        let get = |pool: &Pool<'p>| {
            let (file, loc) = pool.find(full, |i| &i.messages)?;
            Some(MessageRef {
                proto: message_at(file, &loc.path)?,
                syntax: loc.syntax,
                table: loc.table.as_deref(),
            })
        };
        get(self).or_else(|| get(generated()))
    }

    /// An enum by full name.
    pub fn enumeration(&self, full: &str) -> Option<&'p EnumDescriptorProto>
    where
        'static: 'p,
    {
        self.enum_with_table(full).map(|(e, _)| e)
    }

    /// An enum by full name, with its lookups when it is large.
    fn enum_with_table(&self, full: &str) -> Option<(&'p EnumDescriptorProto, Option<&'p Table>)>
    where
        'static: 'p,
    {
        let full = full.trim_start_matches('.');
        let get = |pool: &Pool<'p>| {
            let (file, loc) = pool.find(full, |i| &i.enums)?;
            Some((enum_at(file, &loc.path)?, loc.table.as_deref()))
        };
        get(self).or_else(|| get(generated()))
    }

    /// The value named `name` of the enum `full` (the first declared, with `allow_alias`).
    pub fn enum_value(&self, full: &str, name: &str) -> Option<&'p EnumValueDescriptorProto>
    where
        'static: 'p,
    {
        let (e, table) = self.enum_with_table(full)?;
        match table {
            Some(t) => e.value.get(t.by_name(name)?),
            None => e.value.iter().find(|v| v.name() == name),
        }
    }

    /// Whether the enum `full` has a value numbered `number`.
    pub fn enum_has_number(&self, full: &str, number: i32) -> bool
    where
        'static: 'p,
    {
        self.enum_with_table(full).is_some_and(|(e, table)| match table {
            Some(t) => t.by_number(number).is_some(),
            None => e.value.iter().any(|v| v.number() == number),
        })
    }

    /// Whether a message field or extension (by full name) is a group on the wire: `TYPE_GROUP`,
    /// or a message field of an editions file whose `message_encoding` is `DELIMITED`.
    pub fn is_group(&self, full: &str, f: &FieldDescriptorProto) -> bool {
        match f.r#type() {
            Type::Group => true,
            Type::Message => self
                .layers
                .iter()
                .any(|(i, _)| i.delimited.contains(full.trim_start_matches('.'))),
            _ => false,
        }
    }

    /// Whether a field (by full name, in a file of `syntax`) has implicit presence: singular,
    /// not a message, not in a oneof, not an extension, and either proto3 without `optional`
    /// or an editions field whose `field_presence` resolves to `IMPLICIT`. Its zero is not
    /// present (it may be set again) and is not written.
    pub fn has_implicit_presence(
        &self,
        full: &str,
        f: &FieldDescriptorProto,
        syntax: Edition,
    ) -> bool {
        if f.extendee.is_some()
            || f.label() == Label::Repeated
            || f.oneof_index.is_some()
            || matches!(f.r#type(), Type::Message | Type::Group)
        {
            return false;
        }
        match syntax {
            Edition::PROTO2 => false,
            Edition::PROTO3 => f.proto3_optional != Some(true),
            _ => {
                let full = full.trim_start_matches('.');
                self.layers.iter().any(|(i, _)| i.implicit.contains(full))
            }
        }
    }

    /// Whether an enum field (by full name) refuses unknown numbers: its enum is closed, or the
    /// field treats it as closed (`features.(pb.cpp).legacy_closed_enum`).
    pub fn field_enum_is_closed(&self, full: &str, f: &FieldDescriptorProto) -> bool
    where
        'static: 'p,
    {
        let full = full.trim_start_matches('.');
        self.enum_is_closed(f.type_name())
            || self
                .layers
                .iter()
                .any(|(i, _)| i.legacy_closed.contains(full))
    }

    /// Whether the enum (by full name) is closed: an unknown number is refused for it. proto2
    /// enums are, proto3 enums are not; in editions the `enum_type` feature decides (on the
    /// enum, a message around it or the file; `OPEN` by default).
    pub fn enum_is_closed(&self, full: &str) -> bool
    where
        'static: 'p,
    {
        let full = full.trim_start_matches('.');
        match self.find(full, |i| &i.enums) {
            Some((_, loc)) => match loc.syntax {
                Edition::PROTO2 => true,
                Edition::PROTO3 => false,
                _ => self
                    .layers
                    .iter()
                    .any(|(i, _)| i.closed_enums.contains(full)),
            },
            // protoc's built-in `descriptor.proto` is proto2.
            None => generated().enumeration(full).is_some(),
        }
    }

    /// An extension by full name, with its file's syntax.
    pub fn extension(&self, full: &str) -> Option<(&'p FieldDescriptorProto, Edition)> {
        let (file, loc) = self.find(full.trim_start_matches('.'), |i| &i.extensions)?;
        Some((extension_at(file, &loc.path)?, loc.syntax))
    }
}

/// Whether the field whose `options` are at `options_path` has `retention = RETENTION_SOURCE`
/// (`FieldOptions` field 17 = 2) in its encoded options.
fn is_source_retention(extras: &Extras, options_path: &[i32]) -> bool {
    let Some(bytes) = extras.options.get(options_path) else {
        return false;
    };
    parse_fields(bytes).is_some_and(|fields| fields_are_source_retention(&fields))
}

/// Whether these `FieldOptions` fields set `retention = RETENTION_SOURCE` (2; the last
/// occurrence wins).
fn fields_are_source_retention(fields: &[WireField]) -> bool {
    fields
        .iter()
        .rev()
        .find(|f| f.number == tag::FIELD_OPT_RETENTION as u32)
        .is_some_and(|f| f.value == WireValue::Varint(2))
}

impl Pool<'_> {
    /// Whether a repeated field (by full name) is written packed: its resolved
    /// `repeated_field_encoding` in editions, else the `packed` option, else packed by default
    /// in proto3.
    pub fn is_packed(&self, full: &str, f: &FieldDescriptorProto, syntax: Edition) -> bool {
        if f.label() != Label::Repeated || !is_packable(f.r#type()) {
            return false;
        }
        if let Some(p) = self.layers.iter().find_map(|(i, _)| i.packed.get(full)) {
            return *p;
        }
        is_packed(f, syntax)
    }
}

/// Whether a repeated field is written packed, from its `packed` option and its file's syntax.
pub fn is_packed(f: &FieldDescriptorProto, syntax: Edition) -> bool {
    if f.label() != Label::Repeated || !is_packable(f.r#type()) {
        return false;
    }
    if let Some(p) = f.options.as_ref().and_then(|o| o.packed) {
        return p;
    }
    syntax != Edition::PROTO2
}

/// Numeric scalars (and enums) can be packed.
pub fn is_packable(t: Type) -> bool {
    !matches!(t, Type::String | Type::Bytes | Type::Message | Type::Group)
}
