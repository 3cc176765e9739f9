//! An index of message, enum and extension definitions over built descriptors: the schema that
//! option interpretation walks (protoc's `DescriptorPool` as its `OptionInterpreter` sees it).
//!
//! protoc looks the options messages (`google.protobuf.FileOptions`, …) up in the files being
//! built when they include `descriptor.proto`, and otherwise in the copy compiled into protoc.
//! The same copy decides how interpreted options are re-serialized. We embed that copy: the
//! `FileDescriptorSet` protoc 36.2 writes for its own `google/protobuf/descriptor.proto`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet,
};

use super::builder::Syntax;
use super::encode::Extras;
use super::wire::{parse_fields, WireValue};

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
    static POOL: OnceLock<Pool<'static>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut p = Pool::default();
        p.add_file(descriptor_proto(), Syntax::Proto2, None);
        // prost_types drops `FieldOptions.retention`, so these are listed by hand (checked by a
        // test against descriptor.proto).
        p.source_retention.extend(
            DESCRIPTOR_PROTO_SOURCE_RETENTION
                .iter()
                .map(|s| s.to_string()),
        );
        p
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
    pub syntax: Syntax,
}

impl<'p> MessageRef<'p> {
    /// The field with this name (not extensions).
    pub fn field_by_name(&self, name: &str) -> Option<&'p FieldDescriptorProto> {
        self.proto.field.iter().find(|f| f.name() == name)
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
        self.proto.field.iter().find(|f| f.number() == number)
    }
}

/// Definitions by fully qualified name (no leading dot).
#[derive(Debug, Default)]
pub struct Pool<'p> {
    messages: HashMap<String, MessageRef<'p>>,
    enums: HashMap<String, &'p EnumDescriptorProto>,
    extensions: HashMap<String, (&'p FieldDescriptorProto, Syntax)>,
    /// Extensions by (extendee full name, number), with their full names.
    by_number: HashMap<(String, i32), (&'p FieldDescriptorProto, Syntax, String)>,
    /// Full names of fields and extensions declared `retention = RETENTION_SOURCE`.
    source_retention: HashSet<String>,
    /// Resolved `repeated_field_encoding` of repeated fields of editions files, by full name.
    packed: HashMap<String, bool>,
}

impl<'p> Pool<'p> {
    /// Indexes a file's definitions; `extras` holds its encoded options (for `retention`).
    pub fn add_file(
        &mut self,
        file: &'p FileDescriptorProto,
        syntax: Syntax,
        extras: Option<&Extras>,
    ) {
        let package = file.package();
        for (i, m) in file.message_type.iter().enumerate() {
            self.add_message(package, m, syntax, extras, vec![4, i as i32]);
        }
        for e in &file.enum_type {
            self.enums.insert(join(package, e.name()), e);
        }
        for (i, x) in file.extension.iter().enumerate() {
            self.add_extension(package, x, syntax, extras, vec![7, i as i32]);
        }
    }

    fn add_extension(
        &mut self,
        scope: &str,
        x: &'p FieldDescriptorProto,
        syntax: Syntax,
        extras: Option<&Extras>,
        path: Vec<i32>,
    ) {
        let full = join(scope, x.name());
        if let Some(p) = extras.and_then(|e| e.packed.get(&path)) {
            self.packed.insert(full.clone(), *p);
        }
        if is_source_retention(extras, path) {
            self.source_retention.insert(full.clone());
        }
        let extendee = x.extendee().trim_start_matches('.').to_string();
        self.by_number
            .insert((extendee, x.number()), (x, syntax, full.clone()));
        self.extensions.insert(full, (x, syntax));
    }

    fn add_message(
        &mut self,
        scope: &str,
        m: &'p DescriptorProto,
        syntax: Syntax,
        extras: Option<&Extras>,
        path: Vec<i32>,
    ) {
        let full = join(scope, m.name());
        for (i, n) in m.nested_type.iter().enumerate() {
            self.add_message(&full, n, syntax, extras, with(&path, &[3, i as i32]));
        }
        for e in &m.enum_type {
            self.enums.insert(join(&full, e.name()), e);
        }
        for (i, x) in m.extension.iter().enumerate() {
            self.add_extension(&full, x, syntax, extras, with(&path, &[6, i as i32]));
        }
        for (i, f) in m.field.iter().enumerate() {
            let fpath = with(&path, &[2, i as i32]);
            if let Some(p) = extras.and_then(|e| e.packed.get(&fpath)) {
                self.packed.insert(join(&full, f.name()), *p);
            }
            if is_source_retention(extras, fpath) {
                self.source_retention.insert(join(&full, f.name()));
            }
        }
        self.messages.insert(full, MessageRef { proto: m, syntax });
    }

    /// Whether a field or extension (by full name) is dropped from protoc's output.
    pub fn is_source_retention(&self, full: &str) -> bool {
        self.source_retention.contains(full) || generated().source_retention.contains(full)
    }

    /// The extension of `extendee` with this number: definition, syntax, full name.
    pub fn extension_by_number(
        &self,
        extendee: &str,
        number: i32,
    ) -> Option<(&'p FieldDescriptorProto, Syntax, String)> {
        self.by_number.get(&(extendee.to_string(), number)).cloned()
    }

    /// A message by full name, falling back to protoc's built-in `descriptor.proto`.
    pub fn message(&self, full: &str) -> Option<MessageRef<'p>>
    where
        'static: 'p,
    {
        let full = full.trim_start_matches('.');
        self.messages
            .get(full)
            .copied()
            .or_else(|| generated().messages.get(full).copied())
    }

    /// An enum by full name.
    pub fn enumeration(&self, full: &str) -> Option<&'p EnumDescriptorProto>
    where
        'static: 'p,
    {
        let full = full.trim_start_matches('.');
        self.enums
            .get(full)
            .copied()
            .or_else(|| generated().enums.get(full).copied())
    }

    /// An extension by full name, with its file's syntax.
    pub fn extension(&self, full: &str) -> Option<(&'p FieldDescriptorProto, Syntax)> {
        self.extensions.get(full.trim_start_matches('.')).copied()
    }
}

fn with(path: &[i32], more: &[i32]) -> Vec<i32> {
    let mut p = path.to_vec();
    p.extend_from_slice(more);
    p
}

/// Whether the field at `path` has `retention = RETENTION_SOURCE` (`FieldOptions` field 17 = 2)
/// in its encoded options.
fn is_source_retention(extras: Option<&Extras>, mut path: Vec<i32>) -> bool {
    path.push(8);
    let Some(bytes) = extras.and_then(|x| x.options.get(&path)) else {
        return false;
    };
    parse_fields(bytes)
        .and_then(|fields| {
            fields
                .iter()
                .rev()
                .find(|f| f.number == 17)
                .map(|f| f.value == WireValue::Varint(2))
        })
        .unwrap_or(false)
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

impl Pool<'_> {
    /// Whether a repeated field (by full name) is written packed: its resolved
    /// `repeated_field_encoding` in editions, else the `packed` option, else packed by default
    /// in proto3.
    pub fn is_packed(&self, full: &str, f: &FieldDescriptorProto, syntax: Syntax) -> bool {
        if f.label() != Label::Repeated || !is_packable(f.r#type()) {
            return false;
        }
        if let Some(p) = self.packed.get(full) {
            return *p;
        }
        is_packed(f, syntax)
    }
}

/// Whether a repeated field is written packed, from its `packed` option and its file's syntax.
pub fn is_packed(f: &FieldDescriptorProto, syntax: Syntax) -> bool {
    if f.label() != Label::Repeated || !is_packable(f.r#type()) {
        return false;
    }
    if let Some(p) = f.options.as_ref().and_then(|o| o.packed) {
        return p;
    }
    !matches!(syntax, Syntax::Proto2)
}

/// Numeric scalars (and enums) can be packed.
pub fn is_packable(t: Type) -> bool {
    !matches!(t, Type::String | Type::Bytes | Type::Message | Type::Group)
}
