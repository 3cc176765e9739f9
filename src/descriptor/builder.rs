//! Walks one lowered file and fills a `FileDescriptorProto` the way protoc's parser and
//! `DescriptorBuilder` do, leaving options for `options.rs`.
//!
//! What protoc does, and so what this does:
//!
//! - **Order.** Every repeated field keeps declaration order. A group or a map field also adds a
//!   nested message (`Result`, `FooEntry`) at the point where the field is declared, so nested
//!   types interleave with nested messages as written. Groups inside an `extend` add their
//!   message to the enclosing message (or to the file's `message_type`).
//! - **Labels.** As written in proto2; absent labels (proto3, editions, oneof members) become
//!   `LABEL_OPTIONAL`; map fields are `LABEL_REPEATED`. proto3 `optional` sets
//!   `proto3_optional` and gets a synthetic oneof named `_name` (prefixed with `X` until unique),
//!   appended after the real oneofs (`GenerateSyntheticOneofs`).
//! - **Types.** Scalar keywords map to `TYPE_*`; names resolve to `TYPE_MESSAGE` or `TYPE_ENUM`
//!   with a fully qualified `type_name` (`.pkg.Msg`). Groups are `TYPE_GROUP`. In editions, a
//!   `DELIMITED` message field stays `TYPE_MESSAGE` in the output (protoc only changes it inside
//!   its runtime descriptor), and `LEGACY_REQUIRED` stays `LABEL_OPTIONAL`.
//! - **Ranges.** `N to M` is stored end-exclusive (`M + 1`) for extension and reserved ranges of
//!   messages; `max` is 2^29 (exclusive end), or `i32::MAX` for `message_set_wire_format`
//!   messages. Enum reserved ranges are end-inclusive and `max` is `i32::MAX`.
//!   Options after an `extensions` statement apply to each of its ranges.
//! - **json_name.** protoc's `-o` output always carries `json_name`: the `json_name` option's
//!   value, else `ToJsonName(name)`.
//! - **Defaults.** Stored in protoc's canonical text form (see `text.rs`).

use std::collections::HashSet;
use std::sync::Arc;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    descriptor_proto, enum_descriptor_proto, DescriptorProto, EnumDescriptorProto,
    EnumValueDescriptorProto, FieldDescriptorProto, FileDescriptorProto, MethodDescriptorProto,
    OneofDescriptorProto, ServiceDescriptorProto,
};

use super::encode::Extras;
use super::source_info::{self, RecordedLocation};
use super::text;
use super::wire::WireField;
use crate::ast::{self, Constant, FullIdent, OptionAssign, OptionNamePart};
use crate::diagnostics::Diagnostic;
use crate::protobuf::descriptor_fields as tag;
use crate::protobuf::names::{json_name, map_entry_name};
use crate::protobuf::Edition;
use crate::resolve::symbols::{qualify, SymbolKind};
use crate::resolve::types::{Expect, Resolver};
use crate::source::{FileId, SourceMap, Span, SpanMap};

/// Which options message an options field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionsKind {
    /// `FileOptions`
    File,
    /// `MessageOptions`
    Message,
    /// `FieldOptions`
    Field,
    /// `OneofOptions`
    Oneof,
    /// `EnumOptions`
    Enum,
    /// `EnumValueOptions`
    EnumValue,
    /// `ServiceOptions`
    Service,
    /// `MethodOptions`
    Method,
    /// `ExtensionRangeOptions`
    ExtensionRange,
}

impl OptionsKind {
    /// The options message's full name.
    pub fn message_name(self) -> &'static str {
        match self {
            OptionsKind::File => "google.protobuf.FileOptions",
            OptionsKind::Message => "google.protobuf.MessageOptions",
            OptionsKind::Field => "google.protobuf.FieldOptions",
            OptionsKind::Oneof => "google.protobuf.OneofOptions",
            OptionsKind::Enum => "google.protobuf.EnumOptions",
            OptionsKind::EnumValue => "google.protobuf.EnumValueOptions",
            OptionsKind::Service => "google.protobuf.ServiceOptions",
            OptionsKind::Method => "google.protobuf.MethodOptions",
            OptionsKind::ExtensionRange => "google.protobuf.ExtensionRangeOptions",
        }
    }
}

/// Options of one element, waiting for interpretation (protoc's `OptionsToInterpret`).
#[derive(Clone, Debug)]
pub struct PendingOptions {
    /// Path of the `options` field (`[4, 0, 7]`).
    pub path: Vec<i32>,
    /// Which options message.
    pub kind: OptionsKind,
    /// Scope for looking up extension names: the element's full name minus its last part
    /// (protoc looks up relative to the element's full name, dropping the last component first).
    /// Shared by the elements of one scope (a message's fields).
    pub scope: Arc<str>,
    /// The assignments, in source order, packed ([`super::packed`]): read them with
    /// [`PendingOptions::assigns`].
    pub packed: Box<[u8]>,
    /// Fields protoc's parser sets directly (`map_entry = true` on map entries).
    pub preset: Vec<WireField>,
    /// The options message exists even when empty (an rpc written with a `{ }` body).
    pub present: bool,
}

impl PendingOptions {
    /// The assignments, in source order.
    pub fn assigns(&self) -> Vec<OptionAssign> {
        super::packed::unpack(&self.packed)
    }

    /// Whether any option was written (rather than only set by the parser).
    pub fn has_assigns(&self) -> bool {
        !self.packed.is_empty()
    }
}

/// One built file before option interpretation.
pub struct FileState {
    /// The descriptor (options still empty).
    pub proto: FileDescriptorProto,
    /// What prost cannot hold.
    pub extras: Extras,
    /// Where each element was written.
    pub spans: SpanMap,
    /// The locations protoc's parser records, in its order (for `SourceCodeInfo`).
    pub locations: Vec<RecordedLocation>,
    /// Options to interpret.
    pub pending: Vec<PendingOptions>,
    /// The file's syntax.
    pub syntax: Edition,
}

/// What an element's options message holds before its options are interpreted.
enum Preset {
    /// Nothing: without options written, there is no options message.
    Nothing,
    /// Nothing, but the message exists (an rpc written with a `{ }` body).
    EmptyMessage,
    /// Fields protoc's parser sets directly (`map_entry = true` on map entries).
    Fields(Vec<WireField>),
}

/// Inputs of the walk over one file.
pub struct FileContext<'a, 'r> {
    /// The file.
    pub id: FileId,
    /// Its descriptor name.
    pub name: &'a str,
    /// Its tree.
    pub ast: &'a ast::File,
    /// Descriptor names of its imports, in source order (`None`: missing).
    pub dep_names: Vec<Option<String>>,
    /// Name resolution as seen from this file.
    pub resolver: &'r Resolver<'r>,
    /// Sources, for literal text.
    pub sources: &'r SourceMap,
    /// Whether to record source-info locations ([`FileState::locations`]).
    pub include_source_info: bool,
}

/// Builds the descriptor of one file (without options).
pub fn build_file(cx: &FileContext<'_, '_>, diags: &mut Vec<Diagnostic>) -> FileState {
    let syntax = cx.ast.edition();
    let package = cx.ast.package_name();
    let mut b = Walker {
        cx,
        diags,
        syntax,
        encoding: Vec::new(),
        last_scope: Arc::from(""),
        state: FileState {
            proto: FileDescriptorProto {
                name: Some(cx.name.to_string()),
                ..Default::default()
            },
            extras: Extras::default(),
            spans: SpanMap::new(),
            locations: Vec::new(),
            pending: Vec::new(),
            syntax,
        },
    };
    b.file(&package);
    // Growth slack is most of a queue's size otherwise, and the queues wait for every file.
    b.state.pending.shrink_to_fit();
    // The span map is complete, and kept until validation.
    b.state.spans.shrink_to_fit();
    b.state
}

/// The descriptor type of a scalar type keyword in `edition = "UNSTABLE"`, where protoc's
/// parser reads the integer keywords as their fixed-width wire types and spells varints
/// `varint32`, `uvarint64`, `zigzag32`, ….
pub fn unstable_scalar_type(name: &str) -> Option<Type> {
    Some(match name {
        "double" => Type::Double,
        "float" => Type::Float,
        "uint64" => Type::Fixed64,
        "uint32" => Type::Fixed32,
        "int32" => Type::Sfixed32,
        "int64" => Type::Sfixed64,
        "bool" => Type::Bool,
        "string" => Type::String,
        "bytes" => Type::Bytes,
        "varint32" => Type::Int32,
        "varint64" => Type::Int64,
        "uvarint32" => Type::Uint32,
        "uvarint64" => Type::Uint64,
        "zigzag32" => Type::Sint32,
        "zigzag64" => Type::Sint64,
        _ => return None,
    })
}

/// The descriptor type of a scalar type keyword.
pub fn scalar_type(name: &str) -> Option<Type> {
    Some(match name {
        "double" => Type::Double,
        "float" => Type::Float,
        "int64" => Type::Int64,
        "uint64" => Type::Uint64,
        "int32" => Type::Int32,
        "fixed64" => Type::Fixed64,
        "fixed32" => Type::Fixed32,
        "bool" => Type::Bool,
        "string" => Type::String,
        "bytes" => Type::Bytes,
        "uint32" => Type::Uint32,
        "sfixed32" => Type::Sfixed32,
        "sfixed64" => Type::Sfixed64,
        "sint32" => Type::Sint32,
        "sint64" => Type::Sint64,
        _ => return None,
    })
}

fn scalar_of(name: &FullIdent, syntax: Edition) -> Option<Type> {
    if name.absolute || name.parts.len() != 1 {
        return None;
    }
    if syntax == Edition::UNSTABLE {
        unstable_scalar_type(&name.parts[0].name)
    } else {
        scalar_type(&name.parts[0].name)
    }
}

/// The exclusive end protoc stores for `max` in a message's ranges.
const MAX_FIELD_END: i32 = crate::protobuf::MAX_FIELD_NUMBER + 1;

struct Walker<'a, 'r, 'd> {
    cx: &'r FileContext<'a, 'r>,
    diags: &'d mut Vec<Diagnostic>,
    syntax: Edition,
    state: FileState,
    /// The features option encoding needs, as set on the file and enclosing messages,
    /// innermost last.
    encoding: Vec<Inherited>,
    /// The scope of the options queued last, shared with the next ones of the same scope.
    last_scope: Arc<str>,
}

/// The features that option encoding needs, as written on one element (`None`: not written
/// there, inherited from further out).
#[derive(Clone, Copy, Debug, Default)]
struct Inherited {
    /// `features.repeated_field_encoding` (`Some(true)`: PACKED).
    packed: Option<bool>,
    /// `features.message_encoding` (`Some(true)`: DELIMITED).
    delimited: Option<bool>,
    /// `features.enum_type` (`Some(true)`: CLOSED).
    closed: Option<bool>,
    /// `features.field_presence` (`Some(true)`: IMPLICIT).
    implicit: Option<bool>,
    /// `features.(pb.cpp).legacy_closed_enum`.
    legacy_closed: Option<bool>,
}

impl Inherited {
    fn of<'o, I: Iterator<Item = &'o OptionAssign>>(options: impl Fn() -> I) -> Self {
        Inherited {
            packed: repeated_encoding(options()),
            delimited: message_encoding(options()),
            closed: feature_is(options(), "enum_type", "CLOSED"),
            implicit: feature_is(options(), "field_presence", "IMPLICIT"),
            legacy_closed: legacy_closed_enum(options()),
        }
    }
}

/// The path `path` followed by `more`.
fn with(path: &[i32], more: &[i32]) -> Vec<i32> {
    let mut p = Vec::with_capacity(path.len() + more.len());
    p.extend_from_slice(path);
    p.extend_from_slice(more);
    p
}

/// A resolved type name as the descriptor holds it: `.` + the full name.
fn dotted(full: &str) -> String {
    let mut s = String::with_capacity(full.len() + 1);
    s.push('.');
    s.push_str(full);
    s
}

/// `.` + `scope.name` (or `.name` in the root scope).
fn dotted_in(scope: &str, name: &str) -> String {
    let mut s = String::with_capacity(scope.len() + name.len() + 2);
    s.push('.');
    if !scope.is_empty() {
        s.push_str(scope);
        s.push('.');
    }
    s.push_str(name);
    s
}

/// Where a field's nested types go: the message being built, or the file.
struct Nest<'m> {
    types: &'m mut Vec<DescriptorProto>,
    /// Path of that repeated field (`[4]` or `[…, 3]`).
    path: Vec<i32>,
}

impl<'a, 'r> Walker<'a, 'r, '_> {
    /// Records where the element at path `base` + `more` was written.
    fn span(&mut self, base: &[i32], more: &[i32], span: Span) {
        self.state.spans.insert_parts(base, more, span);
    }

    /// Records a source-info location at `base` + `more` (see `source_info.rs` for which and
    /// in what order), when source info was asked for.
    fn loc(&mut self, base: &[i32], more: &[i32], span: Span) {
        self.record(base, more, span, None);
    }

    /// Records a source-info location that carries a declaration's comments.
    fn loc_c(&mut self, base: &[i32], more: &[i32], span: Span, comments: &'a ast::Comments) {
        self.record(base, more, span, Some(comments));
    }

    fn record(
        &mut self,
        base: &[i32],
        more: &[i32],
        span: Span,
        comments: Option<&'a ast::Comments>,
    ) {
        if !self.cx.include_source_info {
            return;
        }
        let mut path = Vec::with_capacity(base.len() + more.len());
        path.extend_from_slice(base);
        path.extend_from_slice(more);
        self.state.locations.push(RecordedLocation {
            path,
            span,
            comments: comments.cloned(),
        });
    }

    /// `reserved "a", b;` in a message (`field` is `MSG_RESERVED_NAME`) or an enum
    /// (`ENUM_RESERVED_NAME`): the statement's location, then each name's, and the names
    /// themselves.
    fn reserved_names(
        &mut self,
        path: &[i32],
        field: i32,
        r: &'a ast::Reserved,
        names: &[ast::ReservedName],
        out: &mut Vec<String>,
    ) {
        self.loc_c(path, &[field], r.span, &r.comments);
        for n in names {
            let i = out.len() as i32;
            let (text, span) = reserved_name(n);
            self.span(path, &[field, i], span);
            self.loc(path, &[field, i], span);
            out.push(text);
        }
    }

    /// The file's text.
    fn text(&self) -> &'r str {
        self.cx.sources.get(self.cx.id).text.as_str()
    }

    /// An `option …;` statement: the options field, then the option itself (which protoc's
    /// interpreter later moves to the field it sets) with the comments.
    fn option_statement(&mut self, options: &[i32], k: usize, o: &'a ast::OptionDecl) {
        self.loc(options, &[], o.span);
        self.loc_c(
            options,
            &[tag::UNINTERPRETED_OPTION, k as i32],
            o.span,
            &o.comments,
        );
    }

    /// Where a message or enum declaration starts for protoc: at `message` / `enum`, after any
    /// `export` / `local`.
    fn after_visibility(&self, span: Span, v: ast::Visibility, keyword: &str) -> Span {
        if v == ast::Visibility::Default {
            return span;
        }
        let text = self.text();
        let vis_len = if v == ast::Visibility::Export { 6 } else { 5 };
        match source_info::word_at(text, span.start as usize + vis_len, keyword) {
            Some(k) => Span::new(k.start as usize, span.end as usize),
            None => span,
        }
    }

    fn file(&mut self, package: &str) {
        let ast = self.cx.ast;
        let file_options = || {
            ast.items.iter().filter_map(|i| match i {
                ast::FileItem::Option(o) => Some(&o.option),
                _ => None,
            })
        };
        self.encoding.push(Inherited::of(file_options));
        if self.syntax == Edition::PROTO3 {
            self.state.proto.syntax = Some("proto3".into());
        } else if self.syntax.is_editions() {
            self.state.proto.syntax = Some("editions".into());
            self.state.extras.edition = Some(self.syntax.number());
        }
        // The file: from its first token to its last.
        let last = ast
            .items
            .iter()
            .map(ast::FileItem::span)
            .chain(ast.syntax.as_ref().map(|s| s.span))
            .map(|s| s.end)
            .max();
        match last {
            Some(end) => {
                let start = source_info::skip_trivia(self.text(), 0);
                self.loc(&[], &[], Span::new(start, end as usize));
            }
            // No tokens: protoc starts at the end of input and ends at the start (`[2, 0, 0, 0]`
            // for two empty lines); a reversed span gives exactly that.
            None => self.loc(&[], &[], Span::new(self.text().len(), 0)),
        }
        if let Some(s) = &ast.syntax {
            let field = match s.kind {
                ast::SyntaxKind::Syntax => tag::FILE_SYNTAX,
                ast::SyntaxKind::Edition => tag::FILE_EDITION,
            };
            self.span(&[field], &[], s.span);
            // protoc records `edition` at `syntax`'s path too.
            self.loc_c(&[tag::FILE_SYNTAX], &[], s.span, &s.comments);
        }
        if !package.is_empty() {
            self.state.proto.package = Some(package.to_string());
        }
        let mut messages = Vec::new();
        let mut enums = Vec::new();
        let mut services = Vec::new();
        let mut extensions = Vec::new();
        let mut file_options = Vec::new();
        let mut import_index = 0;
        for item in &ast.items {
            match item {
                ast::FileItem::Package(p) => {
                    self.span(&[tag::FILE_PACKAGE], &[], p.span);
                    self.loc_c(&[tag::FILE_PACKAGE], &[], p.span, &p.comments);
                }
                ast::FileItem::Import(i) => {
                    let name = self.cx.dep_names.get(import_index).cloned().flatten();
                    import_index += 1;
                    let name = name.unwrap_or_else(|| i.path.to_text());
                    if i.kind == ast::ImportKind::Option {
                        let n = self.state.extras.option_dependency.len() as i32;
                        self.state.extras.option_dependency.push(name);
                        self.span(&[tag::FILE_OPTION_DEPENDENCY, n], &[], i.span);
                        self.loc_c(&[tag::FILE_OPTION_DEPENDENCY, n], &[], i.span, &i.comments);
                        continue;
                    }
                    let n = self.state.proto.dependency.len() as i32;
                    self.state.proto.dependency.push(name);
                    self.span(&[tag::FILE_DEPENDENCY, n], &[], i.span);
                    self.loc_c(&[tag::FILE_DEPENDENCY, n], &[], i.span, &i.comments);
                    // The modifier's own location covers just the keyword.
                    let text = self.text();
                    let modifier = |word| {
                        source_info::word_at(text, i.span.start as usize + 6, word)
                            .unwrap_or(i.span)
                    };
                    match i.kind {
                        ast::ImportKind::Public => {
                            let k = self.state.proto.public_dependency.len() as i32;
                            self.state.proto.public_dependency.push(n);
                            self.span(&[tag::FILE_PUBLIC_DEPENDENCY, k], &[], i.span);
                            let keyword = modifier("public");
                            self.loc(&[tag::FILE_PUBLIC_DEPENDENCY, k], &[], keyword);
                        }
                        ast::ImportKind::Weak => {
                            let k = self.state.proto.weak_dependency.len() as i32;
                            self.state.proto.weak_dependency.push(n);
                            self.span(&[tag::FILE_WEAK_DEPENDENCY, k], &[], i.span);
                            let keyword = modifier("weak");
                            self.loc(&[tag::FILE_WEAK_DEPENDENCY, k], &[], keyword);
                        }
                        _ => {}
                    }
                }
                ast::FileItem::Option(o) => {
                    self.option_statement(&[tag::FILE_OPTIONS], file_options.len(), o);
                    file_options.push(&o.option);
                }
                ast::FileItem::Message(m) => {
                    let path = vec![tag::FILE_MESSAGE, messages.len() as i32];
                    self.visibility(&path, m.visibility);
                    let start = self.after_visibility(m.span, m.visibility, "message");
                    self.loc_c(&path, &[], start, &m.comments);
                    self.loc(&path, &[tag::MSG_NAME], m.name.span);
                    let d = self.message(&m.name, &m.items, package, &path, m.span);
                    messages.push(d);
                }
                ast::FileItem::Enum(e) => {
                    let path = vec![tag::FILE_ENUM, enums.len() as i32];
                    self.visibility(&path, e.visibility);
                    enums.push(self.enumeration(e, package, &path));
                }
                ast::FileItem::Extend(x) => {
                    self.loc_c(&[tag::FILE_EXTENSION], &[], x.span, &x.comments);
                    let mut nest = Nest {
                        types: &mut messages,
                        path: vec![tag::FILE_MESSAGE],
                    };
                    self.extend(
                        x,
                        package,
                        &mut extensions,
                        &[tag::FILE_EXTENSION],
                        &mut nest,
                    );
                }
                ast::FileItem::Service(s) => {
                    let path = vec![tag::FILE_SERVICE, services.len() as i32];
                    services.push(self.service(s, package, &path));
                }
                ast::FileItem::Empty(_) => {}
            }
        }
        self.state.proto.message_type = messages;
        self.state.proto.enum_type = enums;
        self.state.proto.service = services;
        self.state.proto.extension = extensions;
        self.pending(
            &[tag::FILE_OPTIONS],
            &[],
            OptionsKind::File,
            package,
            file_options,
            Preset::Nothing,
        );
    }

    fn visibility(&mut self, path: &[i32], v: ast::Visibility) {
        let n = match v {
            ast::Visibility::Default => return,
            ast::Visibility::Local => 1,
            ast::Visibility::Export => 2,
        };
        self.state.extras.visibility.insert(path.to_vec(), n);
    }

    /// Queues options for interpretation; `element_scope` is the scope lookups start from.
    fn pending(
        &mut self,
        base: &[i32],
        more: &[i32],
        kind: OptionsKind,
        element_scope: &str,
        assigns: Vec<&'a OptionAssign>,
        preset: Preset,
    ) {
        let (preset, present) = match preset {
            Preset::Nothing => (Vec::new(), false),
            Preset::EmptyMessage => (Vec::new(), true),
            Preset::Fields(fields) => (fields, false),
        };
        if assigns.is_empty() && preset.is_empty() && !present {
            return;
        }
        let path = with(base, more);
        if let Some(first) = assigns.first() {
            let span = assigns.iter().fold(first.span, |s, a| s.to(a.span));
            self.span(&path, &[], span);
        }
        if *self.last_scope != *element_scope {
            self.last_scope = Arc::from(element_scope);
        }
        // Packed, so that the file's tree can be freed once it is built (the options are
        // interpreted later, in dependency waves), and small while they wait.
        let mut packed = Vec::new();
        super::packed::pack(assigns, &mut packed);
        self.state.pending.push(PendingOptions {
            path,
            kind,
            scope: Arc::clone(&self.last_scope),
            packed: packed.into_boxed_slice(),
            preset,
            present,
        });
    }

    /// Builds a message (or a group's message) named `name` with body `items` in `scope`.
    fn message(
        &mut self,
        name: &ast::Ident,
        items: &'a [ast::MessageItem],
        scope: &str,
        path: &[i32],
        span: Span,
    ) -> DescriptorProto {
        let full = qualify(scope, &name.name);
        self.span(path, &[], span);
        self.span(path, &[tag::MSG_NAME], name.span);
        let options = || {
            items.iter().filter_map(|i| match i {
                ast::MessageItem::Option(o) => Some(&o.option),
                _ => None,
            })
        };
        self.encoding.push(Inherited::of(options));
        // Sized up front: descriptor structs are large, and growth slack is most of the
        // builder's memory otherwise.
        let counts = ItemCounts::of(items);
        let mut d = DescriptorProto {
            name: Some(name.name.clone()),
            field: Vec::with_capacity(counts.fields),
            enum_type: Vec::with_capacity(counts.enums),
            ..Default::default()
        };
        let mut nested = Vec::with_capacity(counts.nested);
        let mut options = Vec::new();
        let mut message_set = false;
        for item in items {
            match item {
                ast::MessageItem::Field(f) => {
                    let idx = d.field.len() as i32;
                    let mut nest = Nest {
                        types: &mut nested,
                        path: with(path, &[tag::MSG_NESTED]),
                    };
                    let fpath = with(path, &[tag::MSG_FIELD, idx]);
                    let fd = self.field(f, &full, &full, fpath, None, None, &mut nest);
                    d.field.push(fd);
                }
                ast::MessageItem::Oneof(o) => {
                    let oneof_index = d.oneof_decl.len() as i32;
                    let opath = with(path, &[tag::MSG_ONEOF, oneof_index]);
                    self.span(&opath, &[], o.span);
                    self.span(&opath, &[tag::ONEOF_NAME], o.name.span);
                    self.loc_c(&opath, &[], o.span, &o.comments);
                    self.loc(&opath, &[tag::ONEOF_NAME], o.name.span);
                    d.oneof_decl.push(OneofDescriptorProto {
                        name: Some(o.name.name.clone()),
                        options: None,
                    });
                    let mut oneof_options = Vec::new();
                    for oi in &o.items {
                        match oi {
                            ast::OneofItem::Field(f) => {
                                let idx = d.field.len() as i32;
                                let mut nest = Nest {
                                    types: &mut nested,
                                    path: with(path, &[tag::MSG_NESTED]),
                                };
                                let fd = self.field(
                                    f,
                                    &full,
                                    &full,
                                    with(path, &[tag::MSG_FIELD, idx]),
                                    Some(oneof_index),
                                    None,
                                    &mut nest,
                                );
                                d.field.push(fd);
                            }
                            ast::OneofItem::Option(opt) => {
                                self.option_statement(
                                    &with(&opath, &[tag::ONEOF_OPTIONS]),
                                    oneof_options.len(),
                                    opt,
                                );
                                oneof_options.push(&opt.option);
                            }
                            ast::OneofItem::Empty(_) => {}
                        }
                    }
                    self.pending(
                        &opath,
                        &[tag::ONEOF_OPTIONS],
                        OptionsKind::Oneof,
                        &full,
                        oneof_options,
                        Preset::Nothing,
                    );
                }
                ast::MessageItem::Message(m) => {
                    let npath = with(path, &[tag::MSG_NESTED, nested.len() as i32]);
                    self.visibility(&npath, m.visibility);
                    let start = self.after_visibility(m.span, m.visibility, "message");
                    self.loc_c(&npath, &[], start, &m.comments);
                    self.loc(&npath, &[tag::MSG_NAME], m.name.span);
                    let nd = self.message(&m.name, &m.items, &full, &npath, m.span);
                    nested.push(nd);
                }
                ast::MessageItem::Enum(e) => {
                    let epath = with(path, &[tag::MSG_ENUM, d.enum_type.len() as i32]);
                    self.visibility(&epath, e.visibility);
                    let ed = self.enumeration(e, &full, &epath);
                    d.enum_type.push(ed);
                }
                ast::MessageItem::Extend(x) => {
                    self.loc_c(path, &[tag::MSG_EXTENSION], x.span, &x.comments);
                    let mut nest = Nest {
                        types: &mut nested,
                        path: with(path, &[tag::MSG_NESTED]),
                    };
                    let mut exts = std::mem::take(&mut d.extension);
                    self.extend(
                        x,
                        &full,
                        &mut exts,
                        &with(path, &[tag::MSG_EXTENSION]),
                        &mut nest,
                    );
                    d.extension = exts;
                }
                ast::MessageItem::Extensions(e) => {
                    let first = d.extension_range.len();
                    self.loc_c(path, &[tag::MSG_EXT_RANGE], e.span, &e.comments);
                    for r in &e.ranges {
                        let i = d.extension_range.len() as i32;
                        let rpath = with(path, &[tag::MSG_EXT_RANGE, i]);
                        self.span(&rpath, &[], r.span);
                        let (start, end) = self.range(r, &rpath);
                        d.extension_range.push(descriptor_proto::ExtensionRange {
                            start: Some(start),
                            end: Some(end),
                            options: None,
                        });
                    }
                    if let (Some(o1), Some(on), Some(last)) =
                        (e.options.first(), e.options.last(), e.ranges.last())
                    {
                        // protoc parses the options once and copies their locations to
                        // every range of the statement.
                        let brackets =
                            source_info::bracketed(self.text(), last.span.end, o1.span, on.span);
                        for i in first..d.extension_range.len() {
                            let opath = with(
                                path,
                                &[tag::MSG_EXT_RANGE, i as i32, tag::EXT_RANGE_OPTIONS],
                            );
                            self.loc(&opath, &[], brackets);
                            for (k, o) in e.options.iter().enumerate() {
                                self.loc(&opath, &[tag::UNINTERPRETED_OPTION, k as i32], o.span);
                            }
                        }
                    }
                    let assigns: Vec<&OptionAssign> = e.options.iter().collect();
                    for i in first..d.extension_range.len() {
                        self.pending(
                            path,
                            &[tag::MSG_EXT_RANGE, i as i32, tag::EXT_RANGE_OPTIONS],
                            OptionsKind::ExtensionRange,
                            &parent_scope(&full),
                            assigns.clone(),
                            Preset::Nothing,
                        );
                    }
                }
                ast::MessageItem::Reserved(r) => match &r.kind {
                    ast::ReservedKind::Ranges(ranges) => {
                        self.loc_c(path, &[tag::MSG_RESERVED_RANGE], r.span, &r.comments);
                        for range in ranges {
                            let i = d.reserved_range.len() as i32;
                            let rpath = with(path, &[tag::MSG_RESERVED_RANGE, i]);
                            self.span(&rpath, &[], range.span);
                            let (start, end) = self.range(range, &rpath);
                            d.reserved_range.push(descriptor_proto::ReservedRange {
                                start: Some(start),
                                end: Some(end),
                            });
                        }
                    }
                    ast::ReservedKind::Names(names) => {
                        self.reserved_names(
                            path,
                            tag::MSG_RESERVED_NAME,
                            r,
                            names,
                            &mut d.reserved_name,
                        );
                    }
                },
                ast::MessageItem::Option(o) => {
                    if is_message_set_option(&o.option) {
                        message_set = true;
                    }
                    self.option_statement(&with(path, &[tag::MSG_OPTIONS]), options.len(), o);
                    options.push(&o.option);
                }
                // Lowering removes registry statements.
                ast::MessageItem::Subclass(_) => {}
            }
        }
        if message_set {
            // Needed before options are interpreted, to encode option values of this type.
            d.options = Some(prost_types::MessageOptions {
                message_set_wire_format: Some(true),
                ..Default::default()
            });
            for r in d
                .extension_range
                .iter_mut()
                .map(|r| &mut r.end)
                .chain(d.reserved_range.iter_mut().map(|r| &mut r.end))
            {
                if *r == Some(MAX_FIELD_END) {
                    *r = Some(i32::MAX);
                }
            }
        }
        d.nested_type = nested;
        if self.syntax == Edition::PROTO3 {
            synthetic_oneofs(&mut d);
        }
        self.pending(
            path,
            &[tag::MSG_OPTIONS],
            OptionsKind::Message,
            scope,
            options,
            Preset::Nothing,
        );
        self.encoding.pop();
        d
    }

    /// A message range `N`, `N to M`, `N to max`: end stored exclusive (`max` as 2^29, fixed up
    /// for message sets by the caller).
    fn range(&mut self, r: &ast::Range, path: &[i32]) -> (i32, i32) {
        let start = int_value(&r.start) as i32;
        self.span(path, &[tag::RANGE_START], r.start.span);
        self.range_locations(r, path);
        let end = match &r.end {
            None => {
                self.span(path, &[tag::RANGE_END], r.start.span);
                start.wrapping_add(1)
            }
            Some(ast::RangeEnd::Int(i)) => {
                self.span(path, &[tag::RANGE_END], i.span);
                (int_value(i) as i32).wrapping_add(1)
            }
            Some(ast::RangeEnd::Max(s)) => {
                self.span(path, &[tag::RANGE_END], *s);
                MAX_FIELD_END
            }
        };
        (start, end)
    }

    /// A range's locations: itself, its start, its end (for `N`, the start's first token again:
    /// just the `-` of `- 1`).
    fn range_locations(&mut self, r: &ast::Range, path: &[i32]) {
        self.loc(path, &[], r.span);
        self.loc(path, &[tag::RANGE_START], r.start.span);
        let end = match &r.end {
            None if r.start.negative => {
                Span::new(r.start.span.start as usize, r.start.span.start as usize + 1)
            }
            None => r.start.span,
            Some(ast::RangeEnd::Int(i)) => i.span,
            Some(ast::RangeEnd::Max(s)) => *s,
        };
        self.loc(path, &[tag::RANGE_END], end);
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        f: &'a ast::Field,
        scope: &str,
        lookup_scope: &str,
        path: Vec<i32>,
        oneof_index: Option<i32>,
        extendee: Option<Span>,
        nest: &mut Nest<'_>,
    ) -> FieldDescriptorProto {
        self.span(&path, &[], f.span);
        self.field_locations(f, &path, extendee);
        let mut d = FieldDescriptorProto {
            number: Some(int_value(&f.number) as i32),
            oneof_index,
            ..Default::default()
        };
        self.span(&path, &[tag::FIELD_NUMBER], f.number.span);
        let label = match f.label {
            Some((l, span)) => {
                self.span(&path, &[tag::FIELD_LABEL], span);
                match l {
                    ast::Label::Optional => {
                        if self.syntax == Edition::PROTO3 {
                            d.proto3_optional = Some(true);
                        }
                        Label::Optional
                    }
                    ast::Label::Required => Label::Required,
                    ast::Label::Repeated => Label::Repeated,
                }
            }
            None => Label::Optional,
        };
        d.label = Some(label as i32);
        let mut field_name = f.name.name.clone();
        let mut options: Vec<&'a OptionAssign> = Vec::new();
        let mut explicit_json = None;
        let mut default = None;
        for o in &f.options {
            match plain_option_name(o) {
                Some("default") => default = Some(o),
                Some("json_name") => explicit_json = Some(o),
                _ => options.push(o),
            }
        }
        match &f.ty {
            ast::FieldType::Named(name) => {
                if let Some(t) = scalar_of(name, self.syntax) {
                    d.r#type = Some(t as i32);
                    self.span(&path, &[tag::FIELD_TYPE], name.span);
                } else {
                    self.span(&path, &[tag::FIELD_TYPE_NAME], name.span);
                    self.set_named_type(&mut d, name, lookup_scope);
                }
            }
            ast::FieldType::Map(map) => {
                let ast::MapType { key, value, span } = &**map;
                self.span(&path, &[tag::FIELD_TYPE_NAME], *span);
                d.label = Some(Label::Repeated as i32);
                d.r#type = Some(Type::Message as i32);
                let entry_name = map_entry_name(&f.name.name);
                d.type_name = Some(dotted_in(scope, &entry_name));
                let epath = with(&nest.path, &[nest.types.len() as i32]);
                let entry = self.map_entry(&entry_name, key, value, f, lookup_scope, &epath);
                nest.types.push(entry);
            }
            ast::FieldType::Group { items, .. } => {
                d.r#type = Some(Type::Group as i32);
                d.type_name = Some(dotted_in(scope, &f.name.name));
                self.span(&path, &[tag::FIELD_TYPE_NAME], f.name.span);
                field_name = f.name.name.to_ascii_lowercase();
                // protoc records the group's message after the field, with the comments, and
                // the field's type name again on the name.
                let gpath = with(&nest.path, &[nest.types.len() as i32]);
                self.loc_c(&gpath, &[], f.span, &f.comments);
                self.loc(&gpath, &[tag::MSG_NAME], f.name.span);
                self.loc(&path, &[tag::FIELD_TYPE_NAME], f.name.span);
                let g = self.message(&f.name, items, scope, &gpath, f.span);
                nest.types.push(g);
            }
        }
        self.span(&path, &[tag::FIELD_NAME], f.name.span);
        d.json_name = Some(match explicit_json {
            Some(o) => {
                self.span(&path, &[tag::FIELD_JSON_NAME], o.span);
                match &o.value {
                    Constant::String(s) => s.to_text(),
                    other => {
                        self.diags.push(
                            Diagnostic::error("BAD_JSON_NAME", "Expected string for JSON name.")
                                .at(self.cx.id, other.span(), "expected a string"),
                        );
                        json_name(&field_name)
                    }
                }
            }
            None => json_name(&field_name),
        });
        d.name = Some(field_name);
        if let Some(o) = default {
            self.span(&path, &[tag::FIELD_DEFAULT], o.value.span());
            d.default_value = self.default_value(&d, &o.value);
            // protoc keeps a string default's bytes even when they are not UTF-8.
            if let (Some(Type::String), Constant::String(s)) =
                (d.r#type.and_then(|t| Type::try_from(t).ok()), &o.value)
            {
                if d.default_value.is_some() && std::str::from_utf8(&s.value).is_err() {
                    self.state
                        .extras
                        .raw_defaults
                        .insert(path.clone(), s.value.clone());
                }
            }
        }
        if self.syntax.is_editions() {
            if d.label == Some(Label::Repeated as i32) {
                let packed = repeated_encoding(options.iter().copied())
                    .or_else(|| self.encoding.iter().rev().find_map(|e| e.packed))
                    .unwrap_or(true);
                self.state.extras.packed.insert(path.clone(), packed);
            }
            if d.r#type == Some(Type::Message as i32) {
                let delimited = message_encoding(options.iter().copied())
                    .or_else(|| self.encoding.iter().rev().find_map(|e| e.delimited))
                    .unwrap_or(false);
                if delimited {
                    self.state.extras.delimited.insert(path.clone());
                }
            }
            // Implicit presence (a zero is not present, and not written) for the singular
            // fields that can have it.
            let message = matches!(
                d.r#type.and_then(|t| Type::try_from(t).ok()),
                Some(Type::Message | Type::Group) | None
            );
            if d.label != Some(Label::Repeated as i32)
                && oneof_index.is_none()
                && extendee.is_none()
                && !message
            {
                let implicit = feature_is(options.iter().copied(), "field_presence", "IMPLICIT")
                    .or_else(|| self.encoding.iter().rev().find_map(|e| e.implicit))
                    .unwrap_or(false);
                if implicit {
                    self.state.extras.implicit.insert(path.clone());
                }
            }
            // C++'s legacy closed enums: an open enum's field that treats it as closed.
            if d.r#type == Some(Type::Enum as i32) {
                let legacy = legacy_closed_enum(options.iter().copied())
                    .or_else(|| self.encoding.iter().rev().find_map(|e| e.legacy_closed))
                    .unwrap_or(false);
                if legacy {
                    self.state.extras.legacy_closed.insert(path.clone());
                }
            }
        }
        // `packed` is needed before options are interpreted (to encode aggregate option values of
        // this file's own types); the interpreted options replace this later.
        for o in &options {
            if plain_option_name(o) == Some("packed") {
                if let Constant::Ident { name, .. } = &o.value {
                    let packed = name.to_text() == "true";
                    d.options = Some(prost_types::FieldOptions {
                        packed: Some(packed),
                        ..Default::default()
                    });
                }
            }
        }
        // The scope of the field's options: the parent of its full name, which is `scope`.
        self.pending(
            &path,
            &[tag::FIELD_OPTIONS],
            OptionsKind::Field,
            scope,
            options,
            Preset::Nothing,
        );
        d
    }

    /// A field's locations up to its options, in protoc's order (a group's message follows).
    fn field_locations(&mut self, f: &'a ast::Field, path: &[i32], extendee: Option<Span>) {
        let is_group = matches!(f.ty, ast::FieldType::Group { .. });
        if is_group {
            self.loc(path, &[], f.span);
        } else {
            self.loc_c(path, &[], f.span, &f.comments);
        }
        if let Some(x) = extendee {
            self.loc(path, &[tag::FIELD_EXTENDEE], x);
        }
        if let Some((_, span)) = f.label {
            self.loc(path, &[tag::FIELD_LABEL], span);
        }
        match &f.ty {
            ast::FieldType::Named(name) => {
                let field = if scalar_of(name, self.syntax).is_some() {
                    tag::FIELD_TYPE
                } else {
                    tag::FIELD_TYPE_NAME
                };
                self.loc(path, &[field], name.span);
            }
            ast::FieldType::Map(map) => self.loc(path, &[tag::FIELD_TYPE_NAME], map.span),
            ast::FieldType::Group { .. } => {
                let after_label = f.label.map_or(f.span.start, |(_, s)| s.end);
                let keyword = source_info::word_at(self.text(), after_label as usize, "group")
                    .unwrap_or(f.name.span);
                self.loc(path, &[tag::FIELD_TYPE], keyword);
            }
        }
        self.loc(path, &[tag::FIELD_NAME], f.name.span);
        self.loc(path, &[tag::FIELD_NUMBER], f.number.span);
        let (Some(first), Some(last)) = (f.options.first(), f.options.last()) else {
            return;
        };
        let brackets =
            source_info::bracketed(self.text(), f.number.span.end, first.span, last.span);
        let opath = with(path, &[tag::FIELD_OPTIONS]);
        self.loc(&opath, &[], brackets);
        let mut k = 0;
        for o in &f.options {
            match plain_option_name(o) {
                Some("default") => self.loc(path, &[tag::FIELD_DEFAULT], o.value.span()),
                Some("json_name") => {
                    self.loc(path, &[tag::FIELD_JSON_NAME], o.span);
                    self.loc(path, &[tag::FIELD_JSON_NAME], o.value.span());
                }
                _ => {
                    self.loc(&opath, &[tag::UNINTERPRETED_OPTION, k], o.span);
                    k += 1;
                }
            }
        }
    }

    /// The `FooEntry` message protoc generates for `map<K, V> foo`.
    fn map_entry(
        &mut self,
        entry_name: &str,
        key: &FullIdent,
        value: &FullIdent,
        f: &'a ast::Field,
        lookup_scope: &str,
        path: &[i32],
    ) -> DescriptorProto {
        self.span(path, &[], f.span);
        let mut fields = Vec::new();
        for (i, (name, ty)) in [("key", key), ("value", value)].into_iter().enumerate() {
            let mut fd = FieldDescriptorProto {
                name: Some(name.into()),
                number: Some(i as i32 + 1),
                label: Some(Label::Optional as i32),
                json_name: Some(name.into()),
                ..Default::default()
            };
            if let Some(t) = scalar_of(ty, self.syntax) {
                fd.r#type = Some(t as i32);
            } else {
                self.set_named_type(&mut fd, ty, lookup_scope);
            }
            // protoc copies the map field's `features` options (and `enforce_utf8` on string
            // fields) to the entry's key and value.
            let copied: Vec<&'a OptionAssign> = f
                .options
                .iter()
                .filter(|o| {
                    let first = match o.name.parts.first() {
                        Some(OptionNamePart::Field(i)) => i.name.as_str(),
                        _ => return false,
                    };
                    first == "features"
                        || (first == "enforce_utf8"
                            && o.name.parts.len() == 1
                            && fd.r#type == Some(Type::String as i32))
                })
                .collect();
            let fpath = with(path, &[tag::MSG_FIELD, i as i32]);
            self.pending(
                &fpath,
                &[tag::FIELD_OPTIONS],
                OptionsKind::Field,
                lookup_scope,
                copied,
                Preset::Nothing,
            );
            fields.push(fd);
        }
        self.pending(
            path,
            &[tag::MSG_OPTIONS],
            OptionsKind::Message,
            lookup_scope,
            vec![],
            Preset::Fields(vec![WireField::varint(tag::MSG_OPT_MAP_ENTRY as u32, 1)]),
        );
        DescriptorProto {
            name: Some(entry_name.to_string()),
            field: fields,
            ..Default::default()
        }
    }

    fn extend(
        &mut self,
        x: &'a ast::Extend,
        scope: &str,
        out: &mut Vec<FieldDescriptorProto>,
        path: &[i32],
        nest: &mut Nest<'_>,
    ) {
        let extendee = self
            .resolve(&x.extendee, scope, Expect::Message)
            .map(|(full, _)| dotted(&full))
            .unwrap_or_else(|| x.extendee.to_text());
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                let fpath = with(path, &[out.len() as i32]);
                self.span(&fpath, &[tag::FIELD_EXTENDEE], x.extendee.span);
                let extendee_span = Some(x.extendee.span);
                let mut fd = self.field(f, scope, scope, fpath, None, extendee_span, nest);
                fd.extendee = Some(extendee.clone());
                out.push(fd);
            }
        }
    }

    fn enumeration(&mut self, e: &'a ast::Enum, scope: &str, path: &[i32]) -> EnumDescriptorProto {
        self.span(path, &[], e.span);
        self.span(path, &[tag::ENUM_NAME], e.name.span);
        let start = self.after_visibility(e.span, e.visibility, "enum");
        self.loc_c(path, &[], start, &e.comments);
        self.loc(path, &[tag::ENUM_NAME], e.name.span);
        let full = qualify(scope, &e.name.name);
        let values = e
            .items
            .iter()
            .filter(|i| matches!(i, ast::EnumItem::Value(_)))
            .count();
        let mut d = EnumDescriptorProto {
            name: Some(e.name.name.clone()),
            value: Vec::with_capacity(values),
            ..Default::default()
        };
        let mut options = Vec::new();
        // `features.enum_type` written on the enum (editions).
        let mut enum_closed: Option<bool> = None;
        for item in &e.items {
            match item {
                ast::EnumItem::Value(v) => {
                    let vpath = with(path, &[tag::ENUM_VALUE, d.value.len() as i32]);
                    self.span(&vpath, &[], v.span);
                    self.span(&vpath, &[tag::VALUE_NAME], v.name.span);
                    self.span(&vpath, &[tag::VALUE_NUMBER], v.number.span);
                    self.loc_c(&vpath, &[], v.span, &v.comments);
                    self.loc(&vpath, &[tag::VALUE_NAME], v.name.span);
                    self.loc(&vpath, &[tag::VALUE_NUMBER], v.number.span);
                    if let (Some(first), Some(last)) = (v.options.first(), v.options.last()) {
                        let text = self.text();
                        let brackets =
                            source_info::bracketed(text, v.number.span.end, first.span, last.span);
                        let opath = with(&vpath, &[tag::VALUE_OPTIONS]);
                        self.loc(&opath, &[], brackets);
                        for (k, o) in v.options.iter().enumerate() {
                            self.loc(&opath, &[tag::UNINTERPRETED_OPTION, k as i32], o.span);
                        }
                    }
                    self.pending(
                        &vpath,
                        &[tag::VALUE_OPTIONS],
                        OptionsKind::EnumValue,
                        scope,
                        v.options.iter().collect(),
                        Preset::Nothing,
                    );
                    d.value.push(EnumValueDescriptorProto {
                        name: Some(v.name.name.clone()),
                        number: Some(int_value(&v.number) as i32),
                        options: None,
                    });
                }
                ast::EnumItem::Option(o) => {
                    self.option_statement(&with(path, &[tag::ENUM_OPTIONS]), options.len(), o);
                    options.push(&o.option);
                    if self.syntax.is_editions() {
                        let closed = feature_is(std::iter::once(&o.option), "enum_type", "CLOSED");
                        if let Some(closed) = closed {
                            enum_closed = Some(closed);
                        }
                    }
                }
                ast::EnumItem::Reserved(r) => match &r.kind {
                    ast::ReservedKind::Ranges(ranges) => {
                        self.loc_c(path, &[tag::ENUM_RESERVED_RANGE], r.span, &r.comments);
                        for range in ranges {
                            let rpath = with(
                                path,
                                &[tag::ENUM_RESERVED_RANGE, d.reserved_range.len() as i32],
                            );
                            self.span(&rpath, &[], range.span);
                            self.range_locations(range, &rpath);
                            let start = int_value(&range.start) as i32;
                            self.span(&rpath, &[tag::RANGE_START], range.start.span);
                            let end = match &range.end {
                                None => {
                                    self.span(&rpath, &[tag::RANGE_END], range.start.span);
                                    start
                                }
                                Some(ast::RangeEnd::Int(i)) => {
                                    self.span(&rpath, &[tag::RANGE_END], i.span);
                                    int_value(i) as i32
                                }
                                Some(ast::RangeEnd::Max(s)) => {
                                    self.span(&rpath, &[tag::RANGE_END], *s);
                                    i32::MAX
                                }
                            };
                            d.reserved_range
                                .push(enum_descriptor_proto::EnumReservedRange {
                                    start: Some(start),
                                    end: Some(end),
                                });
                        }
                    }
                    ast::ReservedKind::Names(names) => {
                        self.reserved_names(
                            path,
                            tag::ENUM_RESERVED_NAME,
                            r,
                            names,
                            &mut d.reserved_name,
                        );
                    }
                },
            }
        }
        if self.syntax.is_editions() {
            let closed = enum_closed
                .or_else(|| self.encoding.iter().rev().find_map(|e| e.closed))
                .unwrap_or(false);
            if closed {
                self.state.extras.closed_enums.insert(path.to_vec());
            }
        }
        self.pending(
            path,
            &[tag::ENUM_OPTIONS],
            OptionsKind::Enum,
            &parent_scope(&full),
            options,
            Preset::Nothing,
        );
        d
    }

    fn service(
        &mut self,
        s: &'a ast::Service,
        scope: &str,
        path: &[i32],
    ) -> ServiceDescriptorProto {
        self.span(path, &[], s.span);
        self.span(path, &[tag::SERVICE_NAME], s.name.span);
        self.loc_c(path, &[], s.span, &s.comments);
        self.loc(path, &[tag::SERVICE_NAME], s.name.span);
        let full = qualify(scope, &s.name.name);
        let mut d = ServiceDescriptorProto {
            name: Some(s.name.name.clone()),
            ..Default::default()
        };
        let mut options = Vec::new();
        for item in &s.items {
            match item {
                ast::ServiceItem::Rpc(r) => {
                    let mpath = with(path, &[tag::SERVICE_METHOD, d.method.len() as i32]);
                    d.method.push(self.method(r, &full, &mpath));
                }
                ast::ServiceItem::Option(o) => {
                    self.option_statement(&with(path, &[tag::SERVICE_OPTIONS]), options.len(), o);
                    options.push(&o.option);
                }
            }
        }
        self.pending(
            path,
            &[tag::SERVICE_OPTIONS],
            OptionsKind::Service,
            scope,
            options,
            Preset::Nothing,
        );
        d
    }

    fn method(&mut self, r: &'a ast::Rpc, service: &str, path: &[i32]) -> MethodDescriptorProto {
        self.span(path, &[], r.span);
        self.span(path, &[tag::METHOD_NAME], r.name.span);
        self.span(path, &[tag::METHOD_INPUT_TYPE], r.input.span);
        self.span(path, &[tag::METHOD_OUTPUT_TYPE], r.output.span);
        self.loc_c(path, &[], r.span, &r.comments);
        self.loc(path, &[tag::METHOD_NAME], r.name.span);
        if let Some(s) = r.client_streaming {
            self.loc(path, &[tag::METHOD_CLIENT_STREAMING], s);
        }
        self.loc(path, &[tag::METHOD_INPUT_TYPE], r.input.span);
        if let Some(s) = r.server_streaming {
            self.loc(path, &[tag::METHOD_SERVER_STREAMING], s);
        }
        self.loc(path, &[tag::METHOD_OUTPUT_TYPE], r.output.span);
        for (k, o) in r.body.iter().flat_map(|b| &b.options).enumerate() {
            self.option_statement(&with(path, &[tag::METHOD_OPTIONS]), k, o);
        }
        let mut d = MethodDescriptorProto {
            name: Some(r.name.name.clone()),
            ..Default::default()
        };
        for (ty, slot) in [(&r.input, 0), (&r.output, 1)] {
            let t = self
                .resolve(ty, service, Expect::Message)
                .map(|(full, _)| dotted(&full))
                .unwrap_or_else(|| ty.to_text());
            if slot == 0 {
                d.input_type = Some(t);
            } else {
                d.output_type = Some(t);
            }
        }
        if let Some(s) = r.client_streaming {
            d.client_streaming = Some(true);
            self.span(path, &[tag::METHOD_CLIENT_STREAMING], s);
        }
        if let Some(s) = r.server_streaming {
            d.server_streaming = Some(true);
            self.span(path, &[tag::METHOD_SERVER_STREAMING], s);
        }
        let options = r
            .body
            .iter()
            .flat_map(|b| b.options.iter().map(|o| &o.option))
            .collect();
        // protoc's parser creates the options message as soon as it sees a body.
        let preset = if r.body.is_some() {
            Preset::EmptyMessage
        } else {
            Preset::Nothing
        };
        self.pending(
            path,
            &[tag::METHOD_OPTIONS],
            OptionsKind::Method,
            service,
            options,
            preset,
        );
        d
    }

    /// Sets the type of a field of message or enum type `name`: resolved, the type and its
    /// `.full.Name`; unresolved (reported), the name as written and no type.
    fn set_named_type(&mut self, d: &mut FieldDescriptorProto, name: &FullIdent, scope: &str) {
        if let Some((full, kind)) = self.resolve(name, scope, Expect::Type) {
            let ty = if kind == SymbolKind::Enum {
                Type::Enum
            } else {
                Type::Message
            };
            d.r#type = Some(ty as i32);
            d.type_name = Some(dotted(&full));
        } else {
            d.type_name = Some(name.to_text());
        }
    }

    /// Resolves a type reference, reporting failures.
    fn resolve(
        &mut self,
        name: &FullIdent,
        scope: &str,
        expect: Expect,
    ) -> Option<(String, SymbolKind)> {
        match self.cx.resolver.resolve(name, scope, expect) {
            Ok((full, sym)) => Some((full, sym.kind)),
            Err(d) => {
                self.diags.push(*d);
                None
            }
        }
    }

    /// Gives the last diagnostic another code; `None`, for the caller to return.
    fn recode_last(&mut self, code: &'static str) -> Option<String> {
        if let Some(d) = self.diags.last_mut() {
            d.code = code;
        }
        None
    }

    /// A default in protoc's canonical text form, or `None` (with an error) when it does not
    /// fit the field.
    fn default_value(&mut self, d: &FieldDescriptorProto, value: &Constant) -> Option<String> {
        let ty = d.r#type.and_then(|t| Type::try_from(t).ok());
        let err = |this: &mut Self, msg: &str| {
            this.diags
                .push(Diagnostic::error("BAD_DEFAULT", msg.to_string()).at(
                    this.cx.id,
                    value.span(),
                    "invalid default",
                ));
            None
        };
        let Some(ty) = ty else {
            // Unresolved type: keep what was written.
            return Some(
                self.cx
                    .sources
                    .get(self.cx.id)
                    .slice(value.span())
                    .to_string(),
            );
        };
        match ty {
            Type::Int32
            | Type::Int64
            | Type::Sint32
            | Type::Sint64
            | Type::Sfixed32
            | Type::Sfixed64
            | Type::Uint32
            | Type::Uint64
            | Type::Fixed32
            | Type::Fixed64 => {
                let Constant::Int(i) = value else {
                    return err(self, "Expected integer for field default value.");
                };
                let (lo, hi): (i128, i128) = match ty {
                    Type::Int32 | Type::Sint32 | Type::Sfixed32 => {
                        (i32::MIN.into(), i32::MAX.into())
                    }
                    Type::Int64 | Type::Sint64 | Type::Sfixed64 => {
                        (i64::MIN.into(), i64::MAX.into())
                    }
                    Type::Uint32 | Type::Fixed32 => (0, u32::MAX.into()),
                    _ => (0, u64::MAX.into()),
                };
                // protoc's parser refuses the `-` itself on an unsigned field, so `-0` too.
                match i.as_i128() {
                    _ if i.negative && lo == 0 => {
                        err(self, "Unsigned field can't have negative default value.")
                    }
                    Some(v) if v >= lo && v <= hi => Some(v.to_string()),
                    _ => err(self, "Integer out of range."),
                }
            }
            Type::Float | Type::Double => {
                let v = match value {
                    Constant::Int(i) => {
                        let m = i.value.map(|v| v as f64).unwrap_or_else(|| {
                            let text = self.cx.sources.get(self.cx.id).slice(i.span);
                            text.trim_start_matches('-')
                                .parse()
                                .unwrap_or(f64::INFINITY)
                        });
                        if i.negative {
                            -m
                        } else {
                            m
                        }
                    }
                    Constant::Float(f) => {
                        if f.negative {
                            -f.value
                        } else {
                            f.value
                        }
                    }
                    Constant::Ident { negative, name, .. }
                        if name.parts.len() == 1 && !name.absolute =>
                    {
                        let m = match name.parts[0].name.as_str() {
                            "inf" => f64::INFINITY,
                            "nan" => f64::NAN,
                            _ => return err(self, "Expected number."),
                        };
                        if *negative {
                            -m
                        } else {
                            m
                        }
                    }
                    _ => return err(self, "Expected number."),
                };
                Some(if ty == Type::Float {
                    text::simple_ftoa(v as f32)
                } else {
                    text::simple_dtoa(v)
                })
            }
            Type::Bool => match value {
                Constant::Ident {
                    negative: false,
                    name,
                    ..
                } if matches!(name.to_text().as_str(), "true" | "false") => Some(name.to_text()),
                _ => err(self, "Expected \"true\" or \"false\"."),
            },
            Type::String => match value {
                Constant::String(s) => Some(s.to_text()),
                _ => err(self, "Expected string for field default value."),
            },
            Type::Bytes => match value {
                Constant::String(s) => Some(text::c_escape(&s.value)),
                _ => err(self, "Expected string."),
            },
            Type::Enum => match value {
                Constant::Ident {
                    negative: false,
                    name,
                    ..
                } => Some(name.to_text()),
                // Not the parser's check (it cannot tell an enum from a message), so not its
                // code: protoc reports this while cross-linking.
                _ => {
                    err(
                        self,
                        "Default value for an enum field must be an identifier.",
                    );
                    self.recode_last("DEFAULT_INVALID")
                }
            },
            Type::Message | Type::Group => {
                err(self, "Messages can't have default values.");
                self.recode_last("DEFAULT_NOT_ALLOWED")
            }
        }
    }
}

/// How many elements of each kind a message body adds to its descriptor, to size its vectors.
#[derive(Default)]
struct ItemCounts {
    /// Fields, including oneof members (not extensions).
    fields: usize,
    /// Nested messages: declared ones, map entries and groups (also groups of nested `extend`s).
    nested: usize,
    /// Nested enums.
    enums: usize,
}

impl ItemCounts {
    fn of(items: &[ast::MessageItem]) -> Self {
        /// Whether a field adds a nested message (a map entry or a group).
        fn adds_message(f: &ast::Field) -> bool {
            !matches!(f.ty, ast::FieldType::Named(_))
        }
        let mut c = ItemCounts::default();
        for item in items {
            match item {
                ast::MessageItem::Field(f) => {
                    c.fields += 1;
                    c.nested += adds_message(f) as usize;
                }
                ast::MessageItem::Oneof(o) => {
                    for oi in &o.items {
                        if let ast::OneofItem::Field(f) = oi {
                            c.fields += 1;
                            c.nested += adds_message(f) as usize;
                        }
                    }
                }
                ast::MessageItem::Message(_) => c.nested += 1,
                ast::MessageItem::Enum(_) => c.enums += 1,
                ast::MessageItem::Extend(x) => {
                    for xi in &x.items {
                        if let ast::ExtendItem::Field(f) = xi {
                            c.nested += adds_message(f) as usize;
                        }
                    }
                }
                _ => {}
            }
        }
        c
    }
}

/// protoc's `GenerateSyntheticOneofs`: one oneof per proto3 `optional` field, after the real
/// ones, named `_field` (prefixed with `X` until it clashes with no field or oneof name).
fn synthetic_oneofs(d: &mut DescriptorProto) {
    let mut names: HashSet<String> = d.field.iter().map(|f| f.name().to_string()).collect();
    names.extend(d.oneof_decl.iter().map(|o| o.name().to_string()));
    for i in 0..d.field.len() {
        if d.field[i].proto3_optional != Some(true) {
            continue;
        }
        let mut name = d.field[i].name().to_string();
        if !name.starts_with('_') {
            name.insert(0, '_');
        }
        while names.contains(&name) {
            name.insert(0, 'X');
        }
        names.insert(name.clone());
        d.field[i].oneof_index = Some(d.oneof_decl.len() as i32);
        d.oneof_decl.push(OneofDescriptorProto {
            name: Some(name),
            options: None,
        });
    }
}

/// `a.b.c` → `a.b`; `a` → ``.
pub fn parent_scope(full: &str) -> String {
    full.rfind('.')
        .map_or(String::new(), |i| full[..i].to_string())
}

fn reserved_name(n: &ast::ReservedName) -> (String, Span) {
    match n {
        ast::ReservedName::Quoted(s) => (s.to_text(), s.span),
        ast::ReservedName::Bare(i) => (i.name.clone(), i.span),
    }
}

/// The value of an integer literal as an `i64` (wrapping, as protoc's parser is assumed to have
/// reported out-of-range numbers).
fn int_value(i: &ast::IntLit) -> i64 {
    i.as_i128().map_or(0, |v| v as i64)
}

/// The name of a one-part, non-extension option (`default`, `json_name`, `packed`).
pub fn plain_option_name(o: &OptionAssign) -> Option<&str> {
    match o.name.parts.as_slice() {
        [OptionNamePart::Field(i)] => Some(i.name.as_str()),
        _ => None,
    }
}

/// The last `features.repeated_field_encoding` among options: `Some(true)` for PACKED.
fn repeated_encoding<'o>(options: impl Iterator<Item = &'o OptionAssign>) -> Option<bool> {
    let mut result = None;
    for o in options {
        let is_it = matches!(
            o.name.parts.as_slice(),
            [OptionNamePart::Field(a), OptionNamePart::Field(b)]
                if a.name == "features" && b.name == "repeated_field_encoding"
        );
        if let (true, Constant::Ident { name, .. }) = (is_it, &o.value) {
            result = Some(name.to_text() == "PACKED");
        }
    }
    result
}

/// The last `features.message_encoding` among options: `Some(true)` for DELIMITED.
fn message_encoding<'o>(options: impl Iterator<Item = &'o OptionAssign>) -> Option<bool> {
    feature_is(options, "message_encoding", "DELIMITED")
}

/// The last `features.FEATURE` among options: whether it is set to `value`.
fn feature_is<'o>(
    options: impl Iterator<Item = &'o OptionAssign>,
    feature: &str,
    value: &str,
) -> Option<bool> {
    let mut result = None;
    for o in options {
        let is_it = matches!(
            o.name.parts.as_slice(),
            [OptionNamePart::Field(a), OptionNamePart::Field(b)]
                if a.name == "features" && b.name == feature
        );
        if let (true, Constant::Ident { name, .. }) = (is_it, &o.value) {
            result = Some(name.to_text() == value);
        }
    }
    result
}

/// The last `features.(pb.cpp).legacy_closed_enum` among options.
fn legacy_closed_enum<'o>(options: impl Iterator<Item = &'o OptionAssign>) -> Option<bool> {
    let mut result = None;
    for o in options {
        let is_it = matches!(
            o.name.parts.as_slice(),
            [OptionNamePart::Field(a), OptionNamePart::Extension(ext, _), OptionNamePart::Field(b)]
                if a.name == "features"
                    && ext.to_text().trim_start_matches('.') == "pb.cpp"
                    && b.name == "legacy_closed_enum"
        );
        if let (true, Constant::Ident { name, .. }) = (is_it, &o.value) {
            result = Some(name.to_text() == "true");
        }
    }
    result
}

/// `option message_set_wire_format = true;` as protoc's parser recognises it (before options are
/// interpreted) to pick the `max` of ranges.
fn is_message_set_option(o: &OptionAssign) -> bool {
    plain_option_name(o) == Some("message_set_wire_format")
        && matches!(&o.value, Constant::Ident { negative: false, name, .. } if name.to_text() == "true")
}
