//! An index of message, enum and extension definitions over built descriptors: the schema that
//! option interpretation walks (protoc's `DescriptorPool` as its `OptionInterpreter` sees it).
//!
//! protoc looks the options messages (`google.protobuf.FileOptions`, …) up in the files being
//! built when they include `descriptor.proto`, and otherwise in the copy compiled into protoc.
//! The same copy decides how interpreted options are re-serialized. We embed that copy: the
//! `FileDescriptorSet` protoc 36.2 writes for its own `google/protobuf/descriptor.proto`.

use std::collections::HashMap;
use std::sync::OnceLock;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet,
};

use super::builder::Syntax;

/// protoc's own `descriptor.proto`, as protoc serializes it.
const DESCRIPTOR_PROTO: &[u8] = include_bytes!("descriptor_proto.pb");

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
        p.add_file(descriptor_proto(), Syntax::Proto2);
        p
    })
}

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
}

impl<'p> Pool<'p> {
    /// Indexes a file's definitions.
    pub fn add_file(&mut self, file: &'p FileDescriptorProto, syntax: Syntax) {
        let package = file.package();
        for m in &file.message_type {
            self.add_message(package, m, syntax);
        }
        for e in &file.enum_type {
            self.enums.insert(join(package, e.name()), e);
        }
        for x in &file.extension {
            self.extensions.insert(join(package, x.name()), (x, syntax));
        }
    }

    fn add_message(&mut self, scope: &str, m: &'p DescriptorProto, syntax: Syntax) {
        let full = join(scope, m.name());
        for n in &m.nested_type {
            self.add_message(&full, n, syntax);
        }
        for e in &m.enum_type {
            self.enums.insert(join(&full, e.name()), e);
        }
        for x in &m.extension {
            self.extensions.insert(join(&full, x.name()), (x, syntax));
        }
        self.messages.insert(full, MessageRef { proto: m, syntax });
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

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

/// Whether a repeated field is written packed: the `packed` option if set, else packed by
/// default for numeric scalars in proto3 and editions (2023's `repeated_field_encoding` default).
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
