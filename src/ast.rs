//! The syntax tree as written: every construct of a `.iproto` file, with spans and comments, and no
//! meaning attached yet (names are unresolved, numbers unchecked, options uninterpreted).
//!
//! Items keep their source order, so the printer can reproduce the file's layout and the descriptor
//! builder can sort them the way protoc does. Lowering rewrites this tree into plain protobuf
//! (no [`Message::base`]) and marks what it made with [`Origin::Generated`].
//!
//! **Invariant:** every node's span points into the file it was parsed from; generated nodes carry
//! the span of the declaration that caused them.

use crate::protobuf::Edition;
use crate::source::Span;

/// An identifier as written (`Animal`, `weight`, or a keyword used as a name: `message`, `max`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A dotted name: a type reference `.pkg.Animal`, `Outer.Inner`, a package name, or an option's
/// extension name inside parentheses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullIdent {
    /// Written with a leading dot (fully qualified).
    pub absolute: bool,
    /// The dot-separated parts, at least one.
    pub parts: Vec<Ident>,
    /// From the leading dot (if any) to the last part.
    pub span: Span,
}

impl FullIdent {
    /// The name as written, with the leading dot if any.
    pub fn to_text(&self) -> String {
        let len =
            usize::from(self.absolute) + self.parts.iter().map(|p| p.name.len() + 1).sum::<usize>();
        let mut s = String::with_capacity(len);
        self.push_text(&mut s);
        s
    }

    /// Appends [`FullIdent::to_text`] to `out`.
    pub fn push_text(&self, out: &mut String) {
        if self.absolute {
            out.push('.');
        }
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(&p.name);
        }
    }
}

/// Comments attached to a declaration, following protoc's rules (see `comments.rs`); reads
/// as a [`CommentText`] (empty when there are none).
///
/// Out of line: most trees are parsed without comments (they are attached only where source info
/// or the printed `.proto` text reads them), and in every tree most declarations have none, so an
/// inline `CommentText` (72 bytes) would be most of an empty field's size, in every pass over
/// the trees.
#[derive(Clone, Debug, Default, Eq)]
pub struct Comments(Option<Box<CommentText>>);

/// The text of a declaration's comment blocks, without the `//` or `/* */` markers, lines joined
/// with `\n`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommentText {
    /// Blocks before the leading comment, separated from it (and each other) by blank lines.
    pub leading_detached: Vec<String>,
    /// The block immediately before the declaration.
    pub leading: Option<String>,
    /// The comment after the declaration's `;` or opening `{` on the same line (or the next block
    /// when it is followed by a blank line).
    pub trailing: Option<String>,
}

/// What declarations without comments read.
static NO_COMMENTS: CommentText = CommentText {
    leading_detached: Vec::new(),
    leading: None,
    trailing: None,
};

impl Comments {
    /// These comments.
    pub fn new(text: CommentText) -> Comments {
        Comments(Some(Box::new(text)))
    }

    /// The comments, to change them.
    pub fn edit(&mut self) -> &mut CommentText {
        self.0.get_or_insert_with(Box::default)
    }
}

impl std::ops::Deref for Comments {
    type Target = CommentText;

    fn deref(&self) -> &CommentText {
        self.0.as_deref().unwrap_or(&NO_COMMENTS)
    }
}

impl PartialEq for Comments {
    /// Equal when the text is (no comments and empty comments alike).
    fn eq(&self, other: &Comments) -> bool {
        **self == **other
    }
}

/// Whether a node came from the user's source or from lowering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    /// Written by the user.
    #[default]
    Source,
    /// Made by lowering; the printer gives it a short comment saying what it is.
    Generated,
}

/// A whole `.iproto` (or `.proto`) file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    /// `syntax = "…";` or `edition = "…";`, if present.
    pub syntax: Option<SyntaxDecl>,
    /// Top-level statements in source order.
    pub items: Vec<FileItem>,
    /// Comments that precede nothing (after the last declaration), for the printer.
    pub trailing_comments: Vec<String>,
}

impl File {
    /// The syntax or edition its first statement declares (proto2 without one).
    pub(crate) fn edition(&self) -> Edition {
        self.syntax.as_ref().map_or(Edition::PROTO2, |s| {
            Edition::of_statement(s.kind == SyntaxKind::Edition, &s.value.value)
        })
    }

    /// The name its first `package` statement declares, empty without one.
    pub(crate) fn package_name(&self) -> String {
        self.items
            .iter()
            .find_map(|i| match i {
                FileItem::Package(p) => Some(p.name.to_text()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// `syntax = "proto2";` or `edition = "2023";`.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxDecl {
    /// Which keyword was used.
    pub kind: SyntaxKind,
    /// The string value (`proto2`, `proto3`, `2023`, …), checked by the resolver.
    pub value: StringLit,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `syntax` or `edition`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxKind {
    /// `syntax = "…";`
    Syntax,
    /// `edition = "…";`
    Edition,
}

/// A top-level statement.
#[derive(Clone, Debug, PartialEq)]
pub enum FileItem {
    /// `package a.b;`
    Package(Package),
    /// `import "x.proto";`
    Import(Import),
    /// `option java_package = "…";`
    Option(OptionDecl),
    /// `message …`
    Message(Message),
    /// `enum …`
    Enum(Enum),
    /// `extend … { … }`
    Extend(Extend),
    /// `service …`
    Service(Service),
    /// A lone `;`.
    Empty(Span),
}

impl FileItem {
    /// Where the statement was written.
    pub fn span(&self) -> Span {
        match self {
            FileItem::Package(p) => p.span,
            FileItem::Import(i) => i.span,
            FileItem::Option(o) => o.span,
            FileItem::Message(m) => m.span,
            FileItem::Enum(e) => e.span,
            FileItem::Extend(x) => x.span,
            FileItem::Service(s) => s.span,
            FileItem::Empty(s) => *s,
        }
    }
}

/// `package a.b;`
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    /// The package name.
    pub name: FullIdent,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `import [public|weak|option] "path";`
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The modifier, if any.
    pub kind: ImportKind,
    /// The imported file's name as written.
    pub path: StringLit,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// Import modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// `import "x";`
    Default,
    /// `import public "x";`
    Public,
    /// `import weak "x";`
    Weak,
    /// `import option "x";` (edition 2024)
    Option,
}

/// `option name = value;`
#[derive(Clone, Debug, PartialEq)]
pub struct OptionDecl {
    /// The assignment.
    pub option: OptionAssign,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `name = value`, in an `option` statement or in `[...]` compact options.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionAssign {
    /// The option name: `java_package`, `(my.ext).field`, …
    pub name: OptionName,
    /// The value.
    pub value: Constant,
    /// From the name to the end of the value.
    pub span: Span,
}

/// An option name: parts separated by dots, each plain or an extension in parentheses.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionName {
    /// The parts, at least one.
    pub parts: Vec<OptionNamePart>,
    /// The whole name.
    pub span: Span,
}

/// One part of an option name.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionNamePart {
    /// A field name: `java_package`, `baz`.
    Field(Ident),
    /// An extension: `(foo.bar)` or `(.foo.bar)`; the span covers the parentheses.
    Extension(FullIdent, Span),
}

/// A literal value of an option or a default.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// An identifier: `true`, `FOO`, `inf`, `nan`, or a dotted name; `-inf` / `-nan` set
    /// `negative`.
    Ident {
        /// Written with a leading `-`.
        negative: bool,
        /// The name.
        name: FullIdent,
        /// Including the sign.
        span: Span,
    },
    /// An integer literal (decimal, hex or octal), with an optional sign.
    Int(IntLit),
    /// A floating-point literal, with an optional sign.
    Float(FloatLit),
    /// One or more adjacent string literals, concatenated.
    String(StringLit),
    /// `{ … }` in text format.
    Aggregate(MessageValue),
}

impl Constant {
    /// Where the value was written.
    pub fn span(&self) -> Span {
        match self {
            Constant::Ident { span, .. } => *span,
            Constant::Int(i) => i.span,
            Constant::Float(f) => f.span,
            Constant::String(s) => s.span,
            Constant::Aggregate(m) => m.span,
        }
    }
}

/// An integer literal with its sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntLit {
    /// Written with a leading `-`.
    pub negative: bool,
    /// The magnitude, or `None` when it does not fit in a `u64` (the resolver reports it, or
    /// reads the text as a double where protoc does).
    pub value: Option<u64>,
    /// Including the sign.
    pub span: Span,
}

impl IntLit {
    /// The value as an `i128` (`None` on overflow), which holds every `u64` and every negated one.
    pub fn as_i128(&self) -> Option<i128> {
        self.value.map(|v| {
            if self.negative {
                -(v as i128)
            } else {
                v as i128
            }
        })
    }
}

/// A floating-point literal with its sign.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatLit {
    /// Written with a leading `-`.
    pub negative: bool,
    /// The magnitude (may be infinite when the literal overflows, as in protoc).
    pub value: f64,
    /// Including the sign.
    pub span: Span,
}

/// One or more adjacent string literals (`"a" 'b'`), escapes decoded and concatenated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringLit {
    /// The decoded bytes (strings in protobuf may hold any bytes through escapes).
    pub value: Vec<u8>,
    /// From the first quote to the last.
    pub span: Span,
}

impl StringLit {
    /// The value as text, with invalid UTF-8 replaced.
    pub fn to_text(&self) -> String {
        String::from_utf8_lossy(&self.value).into_owned()
    }
}

/// A text-format message value `{ a: 1 b { c: "x" } [ext.name]: 2 }` (also written `< … >`).
#[derive(Clone, Debug, PartialEq)]
pub struct MessageValue {
    /// The fields in order (repeated names are allowed).
    pub fields: Vec<FieldValue>,
    /// From the opening to the closing delimiter.
    pub span: Span,
}

/// One `name: value` of a text-format message.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldValue {
    /// The field name.
    pub name: FieldValueName,
    /// The value.
    pub value: TextValue,
    /// Whether a `:` separates name and value (text format requires it before a value of a
    /// non-message field, lists included; which fields those are is known only once the name
    /// is resolved).
    pub colon: bool,
    /// From the name to the end of the value.
    pub span: Span,
}

/// A text-format field name.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValueName {
    /// A plain field name.
    Field(Ident),
    /// `[pkg.ext]`: an extension.
    Extension(FullIdent),
    /// `[type.googleapis.com/pkg.Msg]`: an `Any`'s type URL (prefix and message name).
    AnyType {
        /// `type.googleapis.com`
        domain: String,
        /// `pkg.Msg`
        type_name: FullIdent,
        /// Including the brackets.
        span: Span,
    },
}

/// A text-format value.
#[derive(Clone, Debug, PartialEq)]
pub enum TextValue {
    /// A scalar (identifier, number or string).
    Scalar(Constant),
    /// A nested message.
    Message(MessageValue),
    /// `[a, b, c]`
    List(Vec<TextValue>, Span),
}

/// Message visibility (edition 2024's `export` / `local`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Visibility {
    /// Nothing written.
    #[default]
    Default,
    /// `export message …`
    Export,
    /// `local message …`
    Local,
}

/// `message Name [: Base [= TAG]] { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// `export` / `local`, if written.
    pub visibility: Visibility,
    /// The message name.
    pub name: Ident,
    /// The class it inherits from, if any (removed by lowering).
    pub base: Option<Base>,
    /// The body's statements in source order.
    pub items: Vec<MessageItem>,
    /// The whole declaration.
    pub span: Span,
    /// From `{` to `}` inclusive.
    pub body_span: Span,
    /// Attached comments.
    pub comments: Comments,
    /// Source or generated.
    pub origin: Origin,
}

/// `: Animal` or `: Animal = 105` in a message header.
#[derive(Clone, Debug, PartialEq)]
pub struct Base {
    /// The parent class, resolved with protobuf's scoping rules.
    pub name: FullIdent,
    /// The pinned tag, if written.
    pub tag: Option<IntLit>,
    /// From the `:` to the end.
    pub span: Span,
}

/// A statement inside a message body.
#[derive(Clone, Debug, PartialEq)]
pub enum MessageItem {
    /// A field (including map fields and groups).
    Field(Field),
    /// `oneof name { … }`
    Oneof(Oneof),
    /// A nested message.
    Message(Message),
    /// A nested enum.
    Enum(Enum),
    /// A nested `extend`.
    Extend(Extend),
    /// `extensions 100 to max;`
    Extensions(Extensions),
    /// `subclass zoo.cats.Cat = 100;`: the root registers a class of another file (removed by
    /// lowering).
    Subclass(Subclass),
    /// `reserved …;`
    Reserved(Reserved),
    /// `option …;`
    Option(OptionDecl),
}

/// A field label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    /// `optional`
    Optional,
    /// `required`
    Required,
    /// `repeated`
    Repeated,
}

/// What a field holds.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    /// A scalar or message/enum type name. Scalars (`int32`, `string`, …) are names too; the
    /// resolver tells them apart (a one-part, non-absolute name that is a scalar keyword).
    Named(FullIdent),
    /// `map<K, V>` (boxed: the variant would double the size of every field).
    Map(Box<MapType>),
    /// `group Name = N { … }`: the group's message body (its name is the field's [`Field::name`]).
    Group {
        /// The body's statements.
        items: Vec<MessageItem>,
        /// From `{` to `}` inclusive.
        body_span: Span,
    },
}

/// The type of a map field: `map<K, V>`.
#[derive(Clone, Debug, PartialEq)]
pub struct MapType {
    /// The key type (always a scalar name, checked by the resolver).
    pub key: FullIdent,
    /// The value type.
    pub value: FullIdent,
    /// From `map` to `>`.
    pub span: Span,
}

/// A field, a map field, or a group, in a message, oneof or extend block.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The label, if written.
    pub label: Option<(Label, Span)>,
    /// The type.
    pub ty: FieldType,
    /// The field name (for groups, the group's type name as written, e.g. `Result`).
    pub name: Ident,
    /// The field number.
    pub number: IntLit,
    /// Compact options `[a = b, …]`.
    pub options: Vec<OptionAssign>,
    /// The whole declaration.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
    /// Source or generated.
    pub origin: Origin,
}

impl Field {
    /// Whether the field reads like a registry statement with an unqualified name
    /// (`subclass Cat = 100;`): no label, the type `subclass`, no options. Protobuf parses it as a
    /// field of a type named `subclass`; without such a type it is reported as a registry entry
    /// that needs the class's full name.
    pub fn is_bare_subclass(&self) -> bool {
        self.label.is_none()
            && self.options.is_empty()
            && matches!(&self.ty, FieldType::Named(n)
                if !n.absolute && matches!(n.parts.as_slice(), [only] if only.name == "subclass"))
    }
}

/// `oneof name { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Oneof {
    /// The oneof name.
    pub name: Ident,
    /// The body's statements: fields (and groups), options, empty statements.
    pub items: Vec<OneofItem>,
    /// The whole declaration.
    pub span: Span,
    /// From `{` to `}` inclusive.
    pub body_span: Span,
    /// Attached comments.
    pub comments: Comments,
    /// Source or generated.
    pub origin: Origin,
}

/// A statement inside a oneof.
#[derive(Clone, Debug, PartialEq)]
pub enum OneofItem {
    /// A field or group (no label).
    Field(Field),
    /// `option …;`
    Option(OptionDecl),
    /// A lone `;`.
    Empty(Span),
}

/// `enum Name { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// `export` / `local`, if written.
    pub visibility: Visibility,
    /// The enum name.
    pub name: Ident,
    /// The body's statements in source order.
    pub items: Vec<EnumItem>,
    /// The whole declaration.
    pub span: Span,
    /// From `{` to `}` inclusive.
    pub body_span: Span,
    /// Attached comments.
    pub comments: Comments,
    /// Source or generated.
    pub origin: Origin,
}

impl Enum {
    /// Its values, in source order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &EnumValue> {
        self.items.iter().filter_map(|item| match item {
            EnumItem::Value(v) => Some(v),
            _ => None,
        })
    }
}

/// A statement inside an enum.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumItem {
    /// `NAME = N [opts];`
    Value(EnumValue),
    /// `option …;`
    Option(OptionDecl),
    /// `reserved …;`
    Reserved(Reserved),
}

/// `NAME = N [opts];`
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The value name.
    pub name: Ident,
    /// The number (may be negative).
    pub number: IntLit,
    /// Compact options.
    pub options: Vec<OptionAssign>,
    /// The whole declaration.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
    /// Source or generated.
    pub origin: Origin,
}

/// `extensions 100 to 199, 500 to max [opts];`
#[derive(Clone, Debug, PartialEq)]
pub struct Extensions {
    /// The ranges.
    pub ranges: Vec<Range>,
    /// Compact options (e.g. `declaration`, `verification`).
    pub options: Vec<OptionAssign>,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
    /// Source or generated.
    pub origin: Origin,
}

/// `subclass zoo.cats.Cat = 100;` in a root's body: a class of its hierarchy declared in another
/// file, by full name (a leading dot is allowed), and its tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Subclass {
    /// The registered class's full name, as written.
    pub name: FullIdent,
    /// Its tag (may be written negative: an error, reported by lowering).
    pub tag: IntLit,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `reserved 1, 2 to 5;` or `reserved "a", "b";` or (editions) `reserved a, b;`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reserved {
    /// What is reserved.
    pub kind: ReservedKind,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// The two forms of `reserved`.
#[derive(Clone, Debug, PartialEq)]
pub enum ReservedKind {
    /// Number ranges.
    Ranges(Vec<Range>),
    /// Names: quoted strings, or bare identifiers in editions.
    Names(Vec<ReservedName>),
}

/// One reserved name.
#[derive(Clone, Debug, PartialEq)]
pub enum ReservedName {
    /// `"foo"` (proto2/proto3).
    Quoted(StringLit),
    /// `foo` (editions).
    Bare(Ident),
}

/// `N`, `N to M` or `N to max`.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The first number.
    pub start: IntLit,
    /// The last number (inclusive), if a `to` was written.
    pub end: Option<RangeEnd>,
    /// The whole range.
    pub span: Span,
}

/// The end of a range.
#[derive(Clone, Debug, PartialEq)]
pub enum RangeEnd {
    /// A number.
    Int(IntLit),
    /// `max`.
    Max(Span),
}

/// `extend Type { fields }`
#[derive(Clone, Debug, PartialEq)]
pub struct Extend {
    /// The extended message.
    pub extendee: FullIdent,
    /// The body's statements: fields (and groups) and empty statements.
    pub items: Vec<ExtendItem>,
    /// The whole declaration.
    pub span: Span,
    /// From `{` to `}` inclusive.
    pub body_span: Span,
    /// Attached comments.
    pub comments: Comments,
    /// Source or generated.
    pub origin: Origin,
}

/// A statement inside an extend block.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // a tree node; boxing every field would only add noise
pub enum ExtendItem {
    /// An extension field or group.
    Field(Field),
    /// A lone `;`.
    Empty(Span),
}

/// `service Name { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The service name.
    pub name: Ident,
    /// The body's statements.
    pub items: Vec<ServiceItem>,
    /// The whole declaration.
    pub span: Span,
    /// From `{` to `}` inclusive.
    pub body_span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// A statement inside a service.
#[derive(Clone, Debug, PartialEq)]
pub enum ServiceItem {
    /// `rpc …`
    Rpc(Rpc),
    /// `option …;`
    Option(OptionDecl),
}

/// `rpc Name (stream Req) returns (stream Resp) { option …; }` or `… ;`
#[derive(Clone, Debug, PartialEq)]
pub struct Rpc {
    /// The method name.
    pub name: Ident,
    /// The request type.
    pub input: FullIdent,
    /// `stream` before the request type.
    pub client_streaming: Option<Span>,
    /// The response type.
    pub output: FullIdent,
    /// `stream` before the response type.
    pub server_streaming: Option<Span>,
    /// Options in the body (`None` when the rpc ends in `;` instead of a body).
    pub body: Option<RpcBody>,
    /// The whole declaration.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// The `{ … }` body of an rpc.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcBody {
    /// `option …;` statements (and empty ones, dropped).
    pub options: Vec<OptionDecl>,
    /// From `{` to `}` inclusive.
    pub span: Span,
}

// The sizes ARCHITECTURE.md's "Small trees" relies on: every pass over the trees reads them, so a
// change that grows them must be a decision (change the numbers here), never an accident.
#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(std::mem::size_of::<Field>() == 160);
    assert!(std::mem::size_of::<Comments>() == 8);
};
