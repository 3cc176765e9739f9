//! Semantic validation of built descriptors: everything protoc's `DescriptorBuilder` (and
//! `CommandLineInterface`) rejects once names are resolved and options interpreted.
//!
//! Like protoc, this stage looks at `FileDescriptorProto`s, not syntax trees. Name resolution and
//! option interpretation errors belong to the descriptor builder, syntax errors to the parser.
//! Each diagnostic is placed on the user's source through the file's [`SpanMap`], at the most
//! specific descriptor path that has a span (a field's number, a range, an option…).
//!
//! One module per family of rules; each module's doc lists its rules, what they guard against and
//! where protoc makes the same check (`descriptor.cc` of protoc 36 unless said otherwise):
//!
//! | module | rules |
//! |---|---|
//! | [`numbers`] | field / extension-range / reserved-range numbers, overlaps, duplicates, enum value numbers and aliases, reserved names |
//! | [`names`] | JSON name conflicts, enum value prefix conflicts, map entry name conflicts, edition 2024 naming style |
//! | [`proto3`] | proto3's restrictions (no required, groups, defaults, extension ranges, closed enums…) |
//! | [`editions`] | features outside editions, feature support by edition, labels/groups/`packed`/`ctype` under editions, feature targets |
//! | [`maps`] | map key types, map entries used as plain types, enum map values |
//! | [`oneofs`] | empty oneofs, split oneofs, proto3 `optional`'s synthetic oneofs |
//! | [`defaults`] | default values: allowed at all, parse per type, enum values exist |
//! | [`extensions`] | extendee ranges, duplicate extension numbers, required extensions, MessageSet, `json_name` on extensions |
//! | [`options`] | `packed`, `lazy`, `jstype`, lite runtime, `map_entry` / `allow_alias` written by hand |
//!
//! The corpus of rejected schemas (`corpus/invalid`) and which of them each rule explains is
//! tabulated in `tests/check_corpus.rs`.

pub mod defaults;
pub mod editions;
pub mod extensions;
pub mod features;
pub mod maps;
pub mod names;
pub mod numbers;
pub mod oneofs;
pub mod options;
pub mod proto3;

use std::collections::HashMap;

use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span, SpanMap};

pub use features::{Edition, Features, Presence};

/// One file to validate.
#[derive(Clone, Copy, Debug)]
pub struct CheckInput<'a> {
    /// The file's id in the source map, for diagnostics.
    pub id: FileId,
    /// The built descriptor: names fully qualified (`.pkg.Msg`), types filled, options
    /// interpreted (features and options prost-types cannot hold left in `uninterpreted_option`).
    pub descriptor: &'a FileDescriptorProto,
    /// Where each descriptor path was written.
    pub spans: &'a SpanMap,
    /// The edition, when the descriptor's `syntax` cannot say it (prost-types has no `edition`
    /// field; `syntax = "editions"` alone means 2023). `None`: read it from `syntax`.
    pub edition: Option<Edition>,
}

impl<'a> CheckInput<'a> {
    /// An input whose edition is read from the descriptor's `syntax`.
    pub fn new(id: FileId, descriptor: &'a FileDescriptorProto, spans: &'a SpanMap) -> Self {
        CheckInput {
            id,
            descriptor,
            spans,
            edition: None,
        }
    }

    /// Sets the edition explicitly.
    pub fn with_edition(mut self, edition: Edition) -> Self {
        self.edition = Some(edition);
        self
    }
}

/// Validates every file (given in dependency order, imported files included) and returns every
/// problem found. Locates each diagnostic at the most specific path present in the file's SpanMap
/// (falling back to shorter prefixes of the path).
pub fn check_files(files: &[CheckInput]) -> Vec<Diagnostic> {
    let mut ck = Checker::new(files);
    for (idx, input) in files.iter().enumerate() {
        let f = ck.file_cx(idx, input);
        ck.check_file(&f);
    }
    ck.diags
}

// ---------------------------------------------------------------------------------------------
// Descriptor paths (SourceCodeInfo field numbers).

/// Field numbers of descriptor.proto used in paths.
pub(crate) mod tag {
    pub const FILE_PACKAGE: i32 = 2;
    pub const FILE_DEPENDENCY: i32 = 3;
    pub const FILE_MESSAGE: i32 = 4;
    pub const FILE_ENUM: i32 = 5;
    pub const FILE_SERVICE: i32 = 6;
    pub const FILE_EXTENSION: i32 = 7;
    pub const FILE_OPTIONS: i32 = 8;

    pub const MSG_NAME: i32 = 1;
    pub const MSG_FIELD: i32 = 2;
    pub const MSG_NESTED: i32 = 3;
    pub const MSG_ENUM: i32 = 4;
    pub const MSG_EXT_RANGE: i32 = 5;
    pub const MSG_EXTENSION: i32 = 6;
    pub const MSG_OPTIONS: i32 = 7;
    pub const MSG_ONEOF: i32 = 8;
    pub const MSG_RESERVED_RANGE: i32 = 9;
    pub const MSG_RESERVED_NAME: i32 = 10;

    pub const RANGE_START: i32 = 1;
    pub const RANGE_END: i32 = 2;
    pub const EXT_RANGE_OPTIONS: i32 = 3;

    pub const FIELD_NAME: i32 = 1;
    pub const FIELD_EXTENDEE: i32 = 2;
    pub const FIELD_NUMBER: i32 = 3;
    pub const FIELD_LABEL: i32 = 4;
    pub const FIELD_TYPE: i32 = 5;
    pub const FIELD_TYPE_NAME: i32 = 6;
    pub const FIELD_DEFAULT: i32 = 7;
    pub const FIELD_OPTIONS: i32 = 8;
    pub const FIELD_JSON_NAME: i32 = 10;

    pub const ONEOF_NAME: i32 = 1;
    pub const ONEOF_OPTIONS: i32 = 2;

    pub const ENUM_NAME: i32 = 1;
    pub const ENUM_VALUE: i32 = 2;
    pub const ENUM_OPTIONS: i32 = 3;
    pub const ENUM_RESERVED_RANGE: i32 = 4;
    pub const ENUM_RESERVED_NAME: i32 = 5;

    pub const VALUE_NAME: i32 = 1;
    pub const VALUE_NUMBER: i32 = 2;
    pub const VALUE_OPTIONS: i32 = 3;

    pub const SERVICE_NAME: i32 = 1;
    pub const SERVICE_METHOD: i32 = 2;
    pub const SERVICE_OPTIONS: i32 = 3;
    pub const METHOD_NAME: i32 = 1;
    pub const METHOD_OPTIONS: i32 = 4;

    /// `uninterpreted_option` in every options message.
    pub const UNINTERPRETED: i32 = 999;

    pub const FIELD_OPT_CTYPE: i32 = 1;
    pub const FIELD_OPT_PACKED: i32 = 2;
    pub const FIELD_OPT_LAZY: i32 = 5;
    pub const FIELD_OPT_JSTYPE: i32 = 6;
    pub const MSG_OPT_MESSAGE_SET: i32 = 1;
    pub const MSG_OPT_MAP_ENTRY: i32 = 7;
    pub const ENUM_OPT_ALLOW_ALIAS: i32 = 2;
    pub const FILE_OPT_JAVA_MULTIPLE_FILES: i32 = 10;
    pub const FILE_OPT_JAVA_STRING_CHECK_UTF8: i32 = 27;
}

/// A path extended by more components.
pub(crate) fn sub(path: &[i32], more: &[i32]) -> Vec<i32> {
    let mut p = Vec::with_capacity(path.len() + more.len());
    p.extend_from_slice(path);
    p.extend_from_slice(more);
    p
}

/// protoc's largest field number.
pub const MAX_FIELD_NUMBER: i32 = 536_870_911;
/// First number of the range reserved for the protobuf implementation.
pub const FIRST_RESERVED_NUMBER: i32 = 19_000;
/// Last number of the range reserved for the protobuf implementation.
pub const LAST_RESERVED_NUMBER: i32 = 19_999;
/// protoc's limit on message nesting (`MaxMessageDeclarationNestingDepth`).
pub const MAX_MESSAGE_NESTING: usize = 32;

// ---------------------------------------------------------------------------------------------
// The index of every type in the compilation.

/// A message anywhere in the compilation.
#[derive(Clone, Debug)]
pub(crate) struct MessageDef<'a> {
    /// Index of its file in the input.
    pub file: usize,
    /// The descriptor.
    pub proto: &'a DescriptorProto,
    /// Full name without the leading dot.
    pub full_name: String,
    /// Full name of the enclosing message, if nested.
    pub parent: Option<String>,
    /// Its path in its file.
    pub path: Vec<i32>,
}

/// An enum anywhere in the compilation.
#[derive(Clone, Debug)]
pub(crate) struct EnumDef<'a> {
    /// The descriptor.
    pub proto: &'a EnumDescriptorProto,
    /// Full name without the leading dot.
    pub full_name: String,
    /// Closed (proto2 semantics) rather than open.
    pub closed: bool,
}

/// Per-file facts every rule needs.
pub(crate) struct FileCx<'a> {
    /// Index in the input.
    pub idx: usize,
    /// Source id.
    pub id: FileId,
    /// The descriptor.
    pub fd: &'a FileDescriptorProto,
    /// Where things were written.
    pub spans: &'a SpanMap,
    /// Its edition.
    pub edition: Edition,
    /// The file-level resolved features.
    pub features: Features,
}

impl FileCx<'_> {
    /// The span of the most specific prefix of `path` that was recorded.
    pub fn span(&self, path: &[i32]) -> Span {
        (0..=path.len())
            .rev()
            .find_map(|n| self.spans.get(&path[..n]).copied())
            .unwrap_or_default()
    }

    /// Whether exactly this path was recorded (the user wrote that element).
    pub fn written(&self, path: &[i32]) -> bool {
        self.spans.contains_key(path)
    }

    /// The package, with a trailing dot when non-empty, for qualifying names.
    pub fn scope(&self) -> String {
        match self.fd.package.as_deref() {
            Some(p) if !p.is_empty() => p.to_string(),
            _ => String::new(),
        }
    }
}

/// A field or extension being checked, with where it lives.
pub(crate) struct FieldCx<'a> {
    /// The descriptor.
    pub field: &'a FieldDescriptorProto,
    /// Its path.
    pub path: Vec<i32>,
    /// Its full name (`pkg.Msg.field`, or `pkg.ext` for a top-level extension).
    pub full_name: String,
    /// The message declaring it (for an extension, the message it is nested in, if any).
    pub parent: Option<&'a DescriptorProto>,
    /// Full name of the declaring message, or the package for top-level extensions.
    pub parent_name: String,
    /// An extension, not a field.
    pub is_extension: bool,
    /// The features it resolves to.
    pub features: Features,
}

impl FieldCx<'_> {
    /// The field's name.
    pub fn name(&self) -> &str {
        self.field.name.as_deref().unwrap_or("")
    }

    /// The path of one of its components.
    pub fn at(&self, component: i32) -> Vec<i32> {
        sub(&self.path, &[component])
    }

    /// The field's type.
    pub fn ty(&self) -> Option<prost_types::field_descriptor_proto::Type> {
        self.field
            .r#type
            .and_then(|t| prost_types::field_descriptor_proto::Type::try_from(t).ok())
    }

    /// Its label.
    pub fn label(&self) -> prost_types::field_descriptor_proto::Label {
        self.field
            .label
            .and_then(|l| prost_types::field_descriptor_proto::Label::try_from(l).ok())
            .unwrap_or(prost_types::field_descriptor_proto::Label::Optional)
    }

    /// `repeated`.
    pub fn is_repeated(&self) -> bool {
        self.label() == prost_types::field_descriptor_proto::Label::Repeated
    }

    /// Member of a oneof (real or synthetic).
    pub fn in_oneof(&self) -> bool {
        !self.is_extension && self.field.oneof_index.is_some()
    }

    /// Whether `has_x()` exists: protoc's `FieldDescriptor::has_presence`.
    pub fn has_presence(&self) -> bool {
        use prost_types::field_descriptor_proto::Type;
        if self.is_repeated() {
            return false;
        }
        matches!(self.ty(), Some(Type::Message | Type::Group))
            || self.in_oneof()
            || self.is_extension
            || self.features.presence != Presence::Implicit
    }
}

/// The state of one validation run.
pub(crate) struct Checker<'a> {
    /// The input.
    pub files: &'a [CheckInput<'a>],
    /// Every message, by full name (no leading dot).
    pub messages: HashMap<String, MessageDef<'a>>,
    /// Every enum, by full name (no leading dot).
    pub enums: HashMap<String, EnumDef<'a>>,
    /// Extensions seen so far, by (extendee, number): file index, path and full name.
    pub extensions: HashMap<(String, i32), (usize, Vec<i32>, String)>,
    /// What was found.
    pub diags: Vec<Diagnostic>,
    /// Free-number help lines, computed once per message.
    pub free_numbers: numbers::FreeNumbers,
}

impl<'a> Checker<'a> {
    fn new(files: &'a [CheckInput<'a>]) -> Self {
        let mut ck = Checker {
            files,
            messages: HashMap::new(),
            enums: HashMap::new(),
            extensions: HashMap::new(),
            diags: Vec::new(),
            free_numbers: numbers::FreeNumbers::default(),
        };
        for (idx, input) in files.iter().enumerate() {
            let f = ck.file_cx(idx, input);
            let scope = f.scope();
            for (i, m) in input.descriptor.message_type.iter().enumerate() {
                let path = vec![tag::FILE_MESSAGE, i as i32];
                ck.index_message(idx, m, path, &scope, None, f.features);
            }
            for e in &input.descriptor.enum_type {
                ck.index_enum(e, &scope, f.features);
            }
        }
        ck
    }

    fn file_cx(&self, idx: usize, input: &'a CheckInput<'a>) -> FileCx<'a> {
        let fd = input.descriptor;
        let edition = input
            .edition
            .unwrap_or_else(|| Edition::from_syntax(fd.syntax.as_deref()));
        let explicit = fd
            .options
            .as_ref()
            .map(|o| features::explicit_features(&o.uninterpreted_option))
            .unwrap_or_default();
        FileCx {
            idx,
            id: input.id,
            fd,
            spans: input.spans,
            edition,
            features: Features::defaults(edition).merged(&explicit),
        }
    }

    fn index_message(
        &mut self,
        file: usize,
        m: &'a DescriptorProto,
        path: Vec<i32>,
        scope: &str,
        parent: Option<String>,
        parent_features: Features,
    ) {
        let full_name = qualify(scope, m.name.as_deref().unwrap_or(""));
        let features = parent_features.merged(&message_features(m));
        for (i, n) in m.nested_type.iter().enumerate() {
            let npath = sub(&path, &[tag::MSG_NESTED, i as i32]);
            self.index_message(
                file,
                n,
                npath,
                &full_name,
                Some(full_name.clone()),
                features,
            );
        }
        for e in &m.enum_type {
            self.index_enum(e, &full_name, features);
        }
        self.messages.insert(
            full_name.clone(),
            MessageDef {
                file,
                proto: m,
                full_name,
                parent,
                path,
            },
        );
    }

    fn index_enum(&mut self, e: &'a EnumDescriptorProto, scope: &str, parent_features: Features) {
        let full_name = qualify(scope, e.name.as_deref().unwrap_or(""));
        let explicit = e
            .options
            .as_ref()
            .map(|o| features::explicit_features(&o.uninterpreted_option))
            .unwrap_or_default();
        let closed = parent_features.merged(&explicit).closed_enum;
        self.enums.insert(
            full_name.clone(),
            EnumDef {
                proto: e,
                full_name,
                closed,
            },
        );
    }

    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// The message a field refers to, if it is a known message.
    pub fn message_of(&self, field: &FieldDescriptorProto) -> Option<&MessageDef<'a>> {
        let name = field.type_name.as_deref()?;
        self.messages.get(name.strip_prefix('.').unwrap_or(name))
    }

    /// The enum a field refers to, if it is a known enum.
    pub fn enum_of(&self, field: &FieldDescriptorProto) -> Option<&EnumDef<'a>> {
        let name = field.type_name.as_deref()?;
        self.enums.get(name.strip_prefix('.').unwrap_or(name))
    }

    fn check_file(&mut self, f: &FileCx<'a>) {
        editions::check_file(self, f);
        options::check_file(self, f);
        let scope = f.scope();
        for (i, m) in f.fd.message_type.iter().enumerate() {
            let path = vec![tag::FILE_MESSAGE, i as i32];
            self.check_message(f, m, &path, &scope, 1, f.features);
        }
        for (i, e) in f.fd.enum_type.iter().enumerate() {
            let path = vec![tag::FILE_ENUM, i as i32];
            self.check_enum(f, e, &path, &scope, f.features);
        }
        for (i, x) in f.fd.extension.iter().enumerate() {
            let path = vec![tag::FILE_EXTENSION, i as i32];
            let fx = field_cx(x, path, None, scope.clone(), true, f.features);
            self.check_field(f, &fx);
        }
        for (i, s) in f.fd.service.iter().enumerate() {
            let path = vec![tag::FILE_SERVICE, i as i32];
            editions::check_service(self, f, s, &path);
            names::check_service_style(self, f, s, &path);
        }
    }

    fn check_message(
        &mut self,
        f: &FileCx<'a>,
        m: &'a DescriptorProto,
        path: &[i32],
        scope: &str,
        depth: usize,
        parent_features: Features,
    ) {
        let full_name = qualify(scope, m.name.as_deref().unwrap_or(""));
        let explicit = message_features(m);
        let features = parent_features.merged(&explicit);

        if depth >= MAX_MESSAGE_NESTING {
            self.push(
                Diagnostic::error(
                    "NESTING_TOO_DEEP",
                    "Reached maximum recursion limit for nested messages.",
                )
                .at(
                    f.id,
                    f.span(&sub(path, &[tag::MSG_NAME])),
                    "nested too deeply",
                )
                .note(format!(
                    "protoc allows at most {} levels of nested messages (groups and map \
                     entries count as levels)",
                    MAX_MESSAGE_NESTING - 1
                ))
                .help("move some of the nested messages to the top level"),
            );
            return;
        }

        numbers::check_message(self, f, m, path, &full_name);
        names::check_message(self, f, m, path, features);
        oneofs::check_message(self, f, m, path, &full_name);
        proto3::check_message(self, f, m, path, &full_name);
        editions::check_message(self, f, m, path, &full_name);
        options::check_message(self, f, m, path, &full_name);
        extensions::check_ranges(self, f, m, path, &full_name);

        for (i, field) in m.field.iter().enumerate() {
            let fpath = sub(path, &[tag::MSG_FIELD, i as i32]);
            let fx = field_cx(field, fpath, Some(m), full_name.clone(), false, features);
            self.check_field(f, &fx);
        }
        for (i, x) in m.extension.iter().enumerate() {
            let fpath = sub(path, &[tag::MSG_EXTENSION, i as i32]);
            let fx = field_cx(x, fpath, Some(m), full_name.clone(), true, features);
            self.check_field(f, &fx);
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            let npath = sub(path, &[tag::MSG_NESTED, i as i32]);
            self.check_message(f, n, &npath, &full_name, depth + 1, features);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            let epath = sub(path, &[tag::MSG_ENUM, i as i32]);
            self.check_enum(f, e, &epath, &full_name, features);
        }
    }

    fn check_enum(
        &mut self,
        f: &FileCx<'a>,
        e: &'a EnumDescriptorProto,
        path: &[i32],
        scope: &str,
        parent_features: Features,
    ) {
        let explicit = e
            .options
            .as_ref()
            .map(|o| features::explicit_features(&o.uninterpreted_option))
            .unwrap_or_default();
        let features = parent_features.merged(&explicit);
        numbers::check_enum(self, f, e, path, scope);
        names::check_enum(self, f, e, path, features);
        proto3::check_enum(self, f, e, path, features);
        editions::check_enum(self, f, e, path);
        options::check_enum(self, f, e, path);
    }

    fn check_field(&mut self, f: &FileCx<'a>, fx: &FieldCx<'a>) {
        numbers::check_field(self, f, fx);
        defaults::check_field(self, f, fx);
        proto3::check_field(self, f, fx);
        editions::check_field(self, f, fx);
        maps::check_field(self, f, fx);
        extensions::check_field(self, f, fx);
        options::check_field(self, f, fx);
        names::check_field_style(self, f, fx);
    }
}

/// The explicit features of a message.
fn message_features(m: &DescriptorProto) -> Vec<features::ExplicitFeature> {
    m.options
        .as_ref()
        .map(|o| features::explicit_features(&o.uninterpreted_option))
        .unwrap_or_default()
}

/// Builds the context of one field, resolving its features (including what proto2/proto3
/// labels and types imply, as protoc's `InferLegacyProtoFeatures` does).
fn field_cx<'a>(
    field: &'a FieldDescriptorProto,
    path: Vec<i32>,
    parent: Option<&'a DescriptorProto>,
    parent_name: String,
    is_extension: bool,
    parent_features: Features,
) -> FieldCx<'a> {
    use prost_types::field_descriptor_proto::{Label, Type};
    let explicit = field
        .options
        .as_ref()
        .map(|o| features::explicit_features(&o.uninterpreted_option))
        .unwrap_or_default();
    let mut features = parent_features.merged(&explicit);
    if field.label == Some(Label::Required as i32) {
        features.presence = Presence::LegacyRequired;
    }
    if field.r#type == Some(Type::Group as i32) {
        features.delimited = true;
    }
    if field.proto3_optional == Some(true) {
        features.presence = Presence::Explicit;
    }
    if let Some(p) = field.options.as_ref().and_then(|o| o.packed) {
        features.packed = p;
    }
    let full_name = qualify(&parent_name, field.name.as_deref().unwrap_or(""));
    FieldCx {
        field,
        path,
        full_name,
        parent,
        parent_name,
        is_extension,
        features,
    }
}

/// `scope.name`, or `name` in the root scope.
pub(crate) fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

/// The last component of a full name.
pub(crate) fn simple_name(full_name: &str) -> &str {
    full_name.rsplit('.').next().unwrap_or(full_name)
}

/// Lists numbers for a help line: `4, 5, 6`.
pub(crate) fn list_numbers(ns: &[i64]) -> String {
    ns.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
