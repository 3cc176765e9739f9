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
//! | [`names`] | package length and depth, JSON name conflicts, enum value prefix conflicts, map entry name conflicts, edition 2024 naming style |
//! | [`proto3`] | proto3's restrictions (no required, groups, defaults, extension ranges, closed enums…) |
//! | [`editions`] | features outside editions, labels/groups/`packed`/`ctype` under editions, features on the wrong kind of field |
//! | [`visibility`] | `export` on nested types under `default_symbol_visibility = STRICT` |
//! | [`targets`] | options and features on kinds of element their definitions' `targets` exclude, or in editions their `feature_support` excludes |
//! | [`maps`] | map key types, map entries used as plain types, enum map values |
//! | [`oneofs`] | empty oneofs, split oneofs, proto3 `optional`'s synthetic oneofs |
//! | [`defaults`] | default values: allowed at all, parse per type, enum values exist |
//! | [`extensions`] | extendee ranges, duplicate extension numbers, required extensions, MessageSet, `json_name` on extensions |
//! | [`declarations`] | extension declarations (`declaration`, `verification` of extension ranges) and extensions against them |
//! | [`utf8`] | `string` option values with invalid UTF-8 where the field requires validation |
//! | [`options`] | `packed`, `lazy`, `jstype`, lite runtime, `map_entry` / `allow_alias` written by hand |
//!
//! [`features`] resolves each element's features; [`schema`] finds the definitions of options
//! (with their own options) for [`targets`].
//!
//! The corpus of rejected schemas (`corpus/invalid`) and which of them each rule explains is
//! tabulated in `tests/check_corpus.rs`.

pub mod declarations;
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
pub mod schema;
pub mod targets;
pub mod utf8;
pub mod visibility;

use std::hash::BuildHasher;

use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use crate::descriptor::{OptionsByPath, WrittenOption, WrittenOptions};
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span, SpanMap};

pub use features::{Edition, FeatureSet, Features, Presence};

/// One file to validate.
///
/// The descriptor alone cannot say everything protoc's validation looks at: prost-types 0.14 has
/// no `edition` field, no `features` in options, no custom options. Inputs from the descriptor
/// builder therefore also carry the file's exact encoding ([`CheckInput::with_encoded`], for
/// the edition) and each element's interpreted options before retention stripping
/// ([`CheckInput::with_options`], for features and options prost-types drops); see
/// [`features`]. Hand-built inputs may leave both out: the edition then comes from
/// `syntax`, and no element has options beyond the descriptor's.
#[derive(Clone, Copy, Debug)]
pub struct CheckInput<'a> {
    /// The file's id in the source map, for diagnostics.
    pub id: FileId,
    /// The built descriptor: names fully qualified (`.pkg.Msg`), types filled, options
    /// interpreted (the fields prost-types knows).
    pub descriptor: &'a FileDescriptorProto,
    /// Where each descriptor path was written.
    pub spans: &'a SpanMap,
    /// The edition, when neither the encoding nor `syntax` can say it (`syntax = "editions"`
    /// alone means 2023). `None`: read it from the encoding or `syntax`.
    pub edition: Option<Edition>,
    /// The file serialized as protoc writes it ([`crate::descriptor::Built::encoded`]).
    pub encoded: Option<&'a [u8]>,
    /// Every element's interpreted options, by options path
    /// ([`crate::descriptor::Built::options`]).
    pub options: Option<&'a OptionsByPath>,
    /// The file is known to pass every check (one of protoc's own files, importing only such
    /// files): only what later files' checks need from it is recorded ([`CheckInput::known_valid`]).
    pub known_valid: bool,
}

impl<'a> CheckInput<'a> {
    /// An input whose edition is read from the descriptor's `syntax`.
    pub fn new(id: FileId, descriptor: &'a FileDescriptorProto, spans: &'a SpanMap) -> Self {
        CheckInput {
            id,
            descriptor,
            spans,
            edition: None,
            encoded: None,
            options: None,
            known_valid: false,
        }
    }

    /// Marks the file as known to pass every check, such as iprotoc's built-in copies of
    /// protoc's own files when everything they import is built in too. Its own checks are then
    /// skipped; its extension numbers are still recorded for later files (and if an earlier file
    /// already took one of them, the file is checked as usual, to report that).
    pub fn known_valid(mut self, known_valid: bool) -> Self {
        self.known_valid = known_valid;
        self
    }

    /// Adds the file's exact encoding (its `edition` field decides the edition).
    pub fn with_encoded(mut self, encoded: &'a [u8]) -> Self {
        self.encoded = Some(encoded);
        self
    }

    /// Adds every element's interpreted options (features, custom and source-retention
    /// options, and what was written where).
    pub fn with_options(mut self, options: &'a OptionsByPath) -> Self {
        self.options = Some(options);
        self
    }

    /// The file's edition: from the encoding's `edition` field (floored onto the editions
    /// validation knows, [`Edition::known_floor`]), else [`Self::edition`], else `syntax`.
    pub fn resolved_edition(&self) -> Edition {
        self.encoded
            .and_then(|b| features::read_varint(b, tag::FILE_EDITION as u32))
            .and_then(|n| Edition::from_number(n as i32).known_floor())
            .or(self.edition)
            .unwrap_or_else(|| Edition::from_descriptor_syntax(self.descriptor.syntax.as_deref()))
    }
}

/// Validates every file (given in dependency order, imported files included) and returns every
/// problem found. Locates each diagnostic at the most specific path present in the file's SpanMap
/// (falling back to shorter prefixes of the path).
pub fn check_files(files: &[CheckInput]) -> Vec<Diagnostic> {
    let index = Index::new(files);
    // Files are checked independently (on several cores for large compilations) against the
    // shared index; their findings are joined in file order.
    let work_bytes = files
        .iter()
        .filter_map(|i| i.encoded)
        .map(<[u8]>::len)
        .sum();
    let per_file = crate::parallel::map((0..files.len()).collect(), work_bytes, |idx| {
        let mut ck = Checker::new(&index);
        if index.checked[idx] {
            ck.check_file(&index.cxs[idx]);
        }
        (ck.diags, ck.after_build)
    });
    let mut diags = Vec::new();
    let mut after_build = Vec::new();
    for (d, a) in per_file {
        diags.extend(d);
        after_build.extend(a);
    }
    // protoc checks option targets only once every file has built without errors.
    if !diags.iter().any(Diagnostic::is_error) {
        diags.append(&mut after_build);
    }
    diags
}

/// The codes of the checks protoc makes while it builds and cross-links descriptors
/// (`BuildMessage`, `BuildEnum`, `BuildFieldOrExtension`, `CrossLinkField`, adding symbols to the
/// pool), as opposed to those of `ValidateOptions`, which runs only on a file that built and
/// linked without error and whose options were interpreted. protoc reports these together with
/// the names that did not resolve; the driver does too ([`split_build_checks`]).
///
/// None of them reads a field's type or an option, so they hold on a half-linked descriptor:
/// numbers, reserved ranges and names, extension ranges, empty enums, required extensions.
pub const BUILD_CHECKS: &[&str] = &[
    "FIELD_NUMBER_NOT_POSITIVE",
    "FIELD_NUMBER_TOO_LARGE",
    "FIELD_NUMBER_DUPLICATE",
    "FIELD_USES_RESERVED_NUMBER",
    "FIELD_USES_RESERVED_NAME",
    "FIELD_IN_EXTENSION_RANGE",
    "RESERVED_NUMBER_NOT_POSITIVE",
    "RESERVED_RANGE_INVERTED",
    "RESERVED_RANGE_OVERLAP",
    "RESERVED_NAME_DUPLICATE",
    "EXTENSION_NUMBER_NOT_POSITIVE",
    "EXTENSION_NUMBER_TOO_LARGE",
    "EXTENSION_RANGE_INVERTED",
    "EXTENSION_RANGE_OVERLAP",
    "EXTENSION_RANGE_OVERLAPS_RESERVED",
    "EXTENSION_NUMBER_DUPLICATE",
    "EXTENSION_NUMBER_NOT_DECLARED",
    "EXTENSION_REQUIRED",
    "ENUM_EMPTY",
    "ENUM_RESERVED_RANGE_INVERTED",
    "ENUM_RESERVED_RANGE_OVERLAP",
    "ENUM_RESERVED_NAME_DUPLICATE",
    "ENUM_VALUE_USES_RESERVED_NUMBER",
    "ENUM_VALUE_USES_RESERVED_NAME",
    "DEFAULT_UNKNOWN_ENUM_VALUE",
];

/// Splits [`check_files`]'s findings into those of [`BUILD_CHECKS`] and the rest (each in its
/// order).
pub fn split_build_checks(diags: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    diags
        .into_iter()
        .partition(|d| BUILD_CHECKS.contains(&d.code))
}

// ---------------------------------------------------------------------------------------------
// Descriptor paths (SourceCodeInfo field numbers).

/// Field numbers of descriptor.proto used in paths.
pub(crate) use crate::protobuf::descriptor_fields as tag;

/// A path extended by more components.
pub(crate) fn sub(path: &[i32], more: &[i32]) -> Vec<i32> {
    let mut p = Vec::with_capacity(path.len() + more.len());
    p.extend_from_slice(path);
    p.extend_from_slice(more);
    p
}

/// Calls `f` with `path` extended by `more`, built on the stack when short enough: for paths
/// that are only looked up (in the options or spans), to spare an allocation per element.
pub(crate) fn with_sub<R>(path: &[i32], more: &[i32], f: impl FnOnce(&[i32]) -> R) -> R {
    const ON_STACK: usize = 32;
    let n = path.len() + more.len();
    if n > ON_STACK {
        return f(&sub(path, more));
    }
    let mut buf = [0i32; ON_STACK];
    buf[..path.len()].copy_from_slice(path);
    buf[path.len()..n].copy_from_slice(more);
    f(&buf[..n])
}

pub(crate) use crate::protobuf::qualify;
pub use crate::protobuf::{
    FIRST_RESERVED_NUMBER, LAST_RESERVED_NUMBER, MAX_FIELD_NUMBER, MAX_MESSAGE_NESTING,
};

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
    /// If nested, the length of the enclosing message's full name, which starts `full_name`
    /// ([`MessageDef::parent`]).
    pub parent_len: Option<usize>,
    /// Its path in its file.
    pub path: Vec<i32>,
}

impl MessageDef<'_> {
    /// Full name of the enclosing message, if nested.
    pub fn parent(&self) -> Option<&str> {
        self.parent_len.map(|len| &self.full_name[..len])
    }
}

/// Every message of the compilation by full name (no leading dot), each name stored once, in
/// its [`MessageDef`].
#[derive(Default)]
pub(crate) struct Messages<'a> {
    /// The messages.
    table: hashbrown::HashTable<MessageDef<'a>>,
    /// Hashes full names.
    hasher: foldhash::fast::RandomState,
}

impl<'a> Messages<'a> {
    /// The message of a full name.
    pub fn get(&self, full_name: &str) -> Option<&MessageDef<'a>> {
        let hash = self.hasher.hash_one(full_name);
        self.table.find(hash, |m| m.full_name == full_name)
    }

    /// Whether there is a message of a full name.
    pub fn contains_key(&self, full_name: &str) -> bool {
        self.get(full_name).is_some()
    }

    /// Makes room for `additional` more messages.
    fn reserve(&mut self, additional: usize) {
        let hasher = &self.hasher;
        self.table
            .reserve(additional, |m| hasher.hash_one(m.full_name.as_str()));
    }

    /// Adds a message, unless one of the same name is there already: a name defined twice (an
    /// error of the symbol table's) means its first definition, as in protoc's pool, so that
    /// the second one adds no findings of its own to the clash.
    fn insert(&mut self, def: MessageDef<'a>) {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(def.full_name.as_str());
        match self.table.entry(
            hash,
            |m| m.full_name == def.full_name,
            |m| hasher.hash_one(m.full_name.as_str()),
        ) {
            hashbrown::hash_table::Entry::Occupied(_) => {}
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(def);
            }
        }
    }
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
    /// Every element's interpreted options, by options path ([`CheckInput::options`]).
    pub options: Option<&'a OptionsByPath>,
    /// The file's exact encoding, if given.
    pub encoded: Option<&'a [u8]>,
}

impl<'a> FileCx<'a> {
    /// The interpreted options at an options path (`[4, 0, 7]`), if the element has any.
    pub fn opts(&self, options_path: &[i32]) -> Option<&'a WrittenOptions> {
        self.options?.get(options_path)
    }

    /// The features written at an options path.
    pub fn explicit(&self, options_path: &[i32]) -> FeatureSet {
        self.explicit_in(options_path, self.opts(options_path))
    }

    /// The features written at an options path known to be of a `target` element (saves
    /// working the kind out from the path, as [`FileCx::explicit`] does).
    pub fn explicit_of(&self, options_path: &[i32], target: targets::Target) -> FeatureSet {
        FeatureSet::of(self.opts(options_path), target.features_field())
    }

    /// The features among `opts`, the options at `options_path` (looked up already).
    pub fn explicit_in(&self, options_path: &[i32], opts: Option<&WrittenOptions>) -> FeatureSet {
        match targets::Target::of_options_path(options_path) {
            Some(kind) => FeatureSet::of(opts, kind.features_field()),
            None => FeatureSet::default(),
        }
    }

    /// The first option written at an options path whose name starts with `prefix`.
    pub fn written_option(
        &self,
        options_path: &[i32],
        prefix: &[&str],
    ) -> Option<&'a WrittenOption> {
        self.opts(options_path)?.written.iter().find(|w| {
            w.name.len() >= prefix.len() && w.name.iter().zip(prefix).all(|(a, b)| a == b)
        })
    }

    /// The span of the first option written at `options_path` whose name starts with `prefix`,
    /// or else of the most specific recorded prefix of `fallback`.
    pub fn option_span(&self, options_path: &[i32], prefix: &[&str], fallback: &[i32]) -> Span {
        self.written_option(options_path, prefix)
            .map(|w| w.span)
            .unwrap_or_else(|| self.span(fallback))
    }

    /// The last varint value of top-level field `number` of the options at `options_path`
    /// (options prost-types cannot hold).
    pub fn option_varint(&self, options_path: &[i32], number: u32) -> Option<u64> {
        use crate::descriptor::wire::WireValue;
        self.opts(options_path)?
            .fields
            .iter()
            .rev()
            .find_map(|f| match f.value {
                WireValue::Varint(v) if f.number == number => Some(v),
                _ => None,
            })
    }

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

/// An element's interpreted options, for the rules that walk them.
#[derive(Clone, Copy)]
pub(crate) struct ElementOptions<'o> {
    /// The path of the element's `options` field.
    pub path: &'o [i32],
    /// The options.
    pub opts: &'o WrittenOptions,
    /// The kind of element that holds them.
    pub target: targets::Target,
}

/// A message being checked, with where it lives (`'p`: borrowed from the walk).
#[derive(Clone, Copy)]
pub(crate) struct MessageCx<'a, 'p> {
    /// The descriptor.
    pub proto: &'a DescriptorProto,
    /// Its path.
    pub path: &'p [i32],
    /// Its full name.
    pub full_name: &'p str,
    /// The features it resolves to.
    pub features: Features,
}

/// An enum being checked or indexed, with where it lives (`'p`: borrowed from the walk). Not a
/// [`MessageCx`] of another descriptor: an enum's rules read the scope it is declared in (its
/// values are its siblings there), which no message rule needs, and none reads its full name.
#[derive(Clone, Copy)]
pub(crate) struct EnumCx<'a, 'p> {
    /// The descriptor.
    pub proto: &'a EnumDescriptorProto,
    /// Its path.
    pub path: &'p [i32],
    /// The scope it is declared in: the enclosing message's full name, or the package.
    pub scope: &'p str,
    /// The features it resolves to.
    pub features: Features,
}

/// Builds the context of one enum, resolving its features.
fn enum_cx<'a, 'p>(
    f: &FileCx<'a>,
    proto: &'a EnumDescriptorProto,
    path: &'p [i32],
    scope: &'p str,
    parent_features: Features,
) -> EnumCx<'a, 'p> {
    let explicit = with_sub(path, &[tag::ENUM_OPTIONS], |p| {
        f.explicit_of(p, targets::Target::Enum)
    });
    EnumCx {
        proto,
        path,
        scope,
        features: parent_features.merged(&explicit),
    }
}

/// A field or extension being checked, with where it lives (`'p`: its parent's name, borrowed
/// from the walk).
pub(crate) struct FieldCx<'a, 'p> {
    /// The descriptor.
    pub field: &'a FieldDescriptorProto,
    /// Its path.
    pub path: &'p [i32],
    /// The message declaring it (for an extension, the message it is nested in, if any).
    pub parent: Option<&'a DescriptorProto>,
    /// Full name of the declaring message, or the package for top-level extensions.
    pub parent_name: &'p str,
    /// An extension, not a field.
    pub is_extension: bool,
    /// The features it resolves to.
    pub features: Features,
    /// The features written on it.
    pub explicit: FeatureSet,
    /// Its interpreted options, if it has any.
    pub opts: Option<&'a WrittenOptions>,
}

impl FieldCx<'_, '_> {
    /// The field's name.
    pub fn name(&self) -> &str {
        self.field.name.as_deref().unwrap_or("")
    }

    /// Its full name (`pkg.Msg.field`, or `pkg.ext` for a top-level extension), built on demand.
    pub fn full_name(&self) -> String {
        qualify(self.parent_name, self.name())
    }

    /// The path of one of its components.
    pub fn at(&self, component: i32) -> Vec<i32> {
        sub(self.path, &[component])
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

/// What every file's checks may look up: every type of the compilation, option definitions,
/// and the first extension to use each number (built before any file is checked).
pub(crate) struct Index<'a> {
    /// The input.
    files: &'a [CheckInput<'a>],
    /// Every message, by full name (no leading dot).
    messages: Messages<'a>,
    /// Every enum, by full name (no leading dot).
    enums: foldhash::HashMap<String, EnumDef<'a>>,
    /// Definitions with their options, for option targets and lifetimes.
    schema: schema::Schema<'a>,
    /// The first extension checking meets with each (extendee, number): file index, path of
    /// its number and full name.
    extensions: extensions::FirstNumbers,
    /// Whether each file is checked (not known to pass every check).
    checked: Vec<bool>,
    /// Each file's facts.
    cxs: Vec<FileCx<'a>>,
    /// Whether `descriptor.proto` is one of the files.
    has_descriptor_proto: bool,
    /// The names of the files with `optimize_for = LITE_RUNTIME` (which files may import them).
    lite_files: foldhash::HashSet<&'a str>,
}

impl<'a> Index<'a> {
    fn new(files: &'a [CheckInput<'a>]) -> Self {
        let mut index = Index {
            files,
            messages: Messages::default(),
            enums: foldhash::HashMap::default(),
            schema: schema::Schema::new(files),
            extensions: extensions::FirstNumbers::default(),
            checked: Vec::with_capacity(files.len()),
            cxs: files
                .iter()
                .enumerate()
                .map(|(idx, input)| file_cx(idx, input))
                .collect(),
            has_descriptor_proto: files
                .iter()
                .any(|i| i.descriptor.name.as_deref() == Some(utf8::DESCRIPTOR_PROTO)),
            lite_files: files
                .iter()
                .filter(|i| options::is_lite(i.descriptor))
                .filter_map(|i| i.descriptor.name.as_deref())
                .collect(),
        };
        let (messages, enums) = count_types(files);
        index.messages.reserve(messages);
        index.enums.reserve(enums);
        let cxs = std::mem::take(&mut index.cxs);
        for (f, input) in cxs.iter().zip(files) {
            let scope = f.scope();
            for (i, m) in input.descriptor.message_type.iter().enumerate() {
                let path = vec![tag::FILE_MESSAGE, i as i32];
                index.index_message(f, m, path, &scope, false, f.features);
            }
            for (i, e) in input.descriptor.enum_type.iter().enumerate() {
                let path = [tag::FILE_ENUM, i as i32];
                index.index_enum(&enum_cx(f, e, &path, &scope, f.features));
            }
            let package = input.descriptor.package.as_deref().unwrap_or("");
            for (i, x) in input.descriptor.extension.iter().enumerate() {
                let path = vec![tag::FILE_EXTENSION, i as i32];
                index.schema.add_extension(f.idx, package, x, path);
            }
        }
        for (f, input) in cxs.iter().zip(files) {
            let checked = extensions::record_numbers(
                &index.messages,
                &mut index.extensions,
                f,
                input.known_valid,
            );
            index.checked.push(checked);
        }
        index.cxs = cxs;
        index
    }

    fn index_message(
        &mut self,
        f: &FileCx<'a>,
        m: &'a DescriptorProto,
        path: Vec<i32>,
        scope: &str,
        nested: bool,
        parent_features: Features,
    ) {
        let full_name = qualify(scope, m.name.as_deref().unwrap_or(""));
        let features = parent_features.merged(&with_sub(&path, &[tag::MSG_OPTIONS], |p| {
            f.explicit_of(p, targets::Target::Message)
        }));
        for (i, n) in m.nested_type.iter().enumerate() {
            let npath = sub(&path, &[tag::MSG_NESTED, i as i32]);
            self.index_message(f, n, npath, &full_name, true, features);
        }
        for (i, x) in m.extension.iter().enumerate() {
            let xpath = sub(&path, &[tag::MSG_EXTENSION, i as i32]);
            self.schema.add_extension(f.idx, &full_name, x, xpath);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            with_sub(&path, &[tag::MSG_ENUM, i as i32], |epath| {
                self.index_enum(&enum_cx(f, e, epath, &full_name, features))
            });
        }
        self.messages.insert(MessageDef {
            file: f.idx,
            proto: m,
            parent_len: nested.then_some(scope.len()),
            full_name,
            path,
        });
    }

    fn index_enum(&mut self, ex: &EnumCx<'a, '_>) {
        let full_name = qualify(ex.scope, ex.proto.name.as_deref().unwrap_or(""));
        // The first definition of a name defined twice, as for messages.
        self.enums.entry(full_name.clone()).or_insert(EnumDef {
            proto: ex.proto,
            full_name,
            closed: ex.features.closed_enum,
        });
    }
}

/// How many messages and enums the files declare, nested ones included (to size the maps of
/// them once).
pub(crate) fn count_types(files: &[CheckInput]) -> (usize, usize) {
    fn in_message(m: &DescriptorProto, counts: &mut (usize, usize)) {
        counts.0 += 1;
        counts.1 += m.enum_type.len();
        for n in &m.nested_type {
            in_message(n, counts);
        }
    }
    let mut counts = (0, 0);
    for input in files {
        counts.1 += input.descriptor.enum_type.len();
        for m in &input.descriptor.message_type {
            in_message(m, &mut counts);
        }
    }
    counts
}

/// The per-file facts of input `idx`.
fn file_cx<'a>(idx: usize, input: &CheckInput<'a>) -> FileCx<'a> {
    let edition = input.resolved_edition();
    let mut f = FileCx {
        idx,
        id: input.id,
        fd: input.descriptor,
        spans: input.spans,
        edition,
        features: Features::defaults(edition),
        options: input.options,
        encoded: input.encoded,
    };
    f.features = f.features.merged(&f.explicit(&[tag::FILE_OPTIONS]));
    f
}

/// The state of checking one file: the shared [`Index`] and what was found.
pub(crate) struct Checker<'a, 's> {
    /// The input.
    pub files: &'a [CheckInput<'a>],
    /// Every message, by full name (no leading dot).
    pub messages: &'s Messages<'a>,
    /// Every enum, by full name (no leading dot).
    pub enums: &'s foldhash::HashMap<String, EnumDef<'a>>,
    /// The first extension to use each (extendee, number): file index, path and full name.
    pub extensions: &'s extensions::FirstNumbers,
    /// What was found.
    pub diags: Vec<Diagnostic>,
    /// Definitions with their options, for option targets and lifetimes.
    pub schema: &'s schema::Schema<'a>,
    /// What protoc reports only when the descriptor builder found no error (its command-line
    /// checks: option targets).
    pub after_build: Vec<Diagnostic>,
    /// Free-number help lines, computed once per message.
    pub free_numbers: numbers::FreeNumbers,
    /// Lookups built once per message, enum or range that many elements are checked against
    /// (so that `n` fields against `m` values, ranges or declarations cost `n + m`, not `n · m`).
    pub lookups: Lookups<'a>,
    /// Whether `descriptor.proto` is one of the files.
    pub has_descriptor_proto: bool,
    /// The names of the files with `optimize_for = LITE_RUNTIME`.
    pub lite_files: &'s foldhash::HashSet<&'a str>,
}

/// Indexes a file's checks build on first use, keyed by the address of the descriptor they index
/// (descriptors are borrowed for the whole check, so an address names one element). Elements of
/// up to [`Lookups::LINEAR_MAX`] entries are searched in place instead: no allocation.
#[derive(Default)]
pub(crate) struct Lookups<'a> {
    /// Each enum's value names.
    enum_values: foldhash::HashMap<usize, foldhash::HashSet<&'a str>>,
    /// Each message's extension ranges: the first holding each number.
    extension_ranges: foldhash::HashMap<usize, crate::lower::ranges::FirstRange>,
    /// Each extension range's declarations (by the address of its options), with the first
    /// declaration of each number.
    declarations: foldhash::HashMap<usize, std::rc::Rc<declarations::Indexed>>,
    /// The file's encoding, split as elements are looked up in it.
    pub encoding: schema::Located<'a>,
    /// How many of the checker's diagnostics were looked at for [`Checker::has_error_in`], and
    /// the first file seen to have an error among them.
    errors_seen: (usize, foldhash::HashSet<FileId>),
}

impl<'a> Lookups<'a> {
    /// Up to this many entries, searching the list costs less than building an index.
    pub const LINEAR_MAX: usize = 16;

    /// Whether enum `e` has a value named `name`.
    pub fn enum_has_value(&mut self, e: &'a EnumDescriptorProto, name: &str) -> bool {
        if e.value.len() <= Self::LINEAR_MAX {
            return e.value.iter().any(|v| v.name.as_deref() == Some(name));
        }
        self.enum_values
            .entry(e as *const _ as usize)
            .or_insert_with(|| e.value.iter().filter_map(|v| v.name.as_deref()).collect())
            .contains(name)
    }

    /// The first extension range of `m` (in declaration order) that holds `number`.
    pub fn extension_range(&mut self, m: &DescriptorProto, number: i32) -> Option<usize> {
        let ranges = &m.extension_range;
        if ranges.len() <= Self::LINEAR_MAX {
            return ranges
                .iter()
                .position(|r| r.start.unwrap_or(0) <= number && number < r.end.unwrap_or(0));
        }
        self.extension_ranges
            .entry(m as *const _ as usize)
            .or_insert_with(|| {
                crate::lower::ranges::FirstRange::new(ranges.iter().map(|r| {
                    let (start, end) = (r.start.unwrap_or(0), r.end.unwrap_or(0));
                    (start as i64, end as i64 - 1)
                }))
            })
            .get(number as i64)
    }

    /// The declarations of an extension range, read from its options once.
    pub fn declarations(&mut self, opts: &WrittenOptions) -> std::rc::Rc<declarations::Indexed> {
        self.declarations
            .entry(opts as *const _ as usize)
            .or_insert_with(|| std::rc::Rc::new(declarations::Indexed::of(opts)))
            .clone()
    }
}

impl<'a, 's> Checker<'a, 's> {
    fn new(index: &'s Index<'a>) -> Self {
        Checker {
            files: index.files,
            messages: &index.messages,
            enums: &index.enums,
            extensions: &index.extensions,
            diags: Vec::new(),
            schema: &index.schema,
            after_build: Vec::new(),
            free_numbers: numbers::FreeNumbers::default(),
            lookups: Lookups::default(),
            has_descriptor_proto: index.has_descriptor_proto,
            lite_files: &index.lite_files,
        }
    }

    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Whether an error located in `file` was reported so far. Each diagnostic is looked at
    /// once over all calls, however many times this is asked.
    pub fn has_error_in(&mut self, file: FileId) -> bool {
        let (seen, files) = &mut self.lookups.errors_seen;
        for d in &self.diags[*seen..] {
            if let Some(l) = d.primary.as_ref().filter(|_| d.is_error()) {
                files.insert(l.location.file);
            }
        }
        *seen = self.diags.len();
        files.contains(&file)
    }

    /// The message a field refers to, if it is a known message.
    pub fn message_of(&self, field: &FieldDescriptorProto) -> Option<&'s MessageDef<'a>> {
        let name = field.type_name.as_deref()?;
        self.messages.get(name.strip_prefix('.').unwrap_or(name))
    }

    /// The enum a field refers to, if it is a known enum.
    pub fn enum_of(&self, field: &FieldDescriptorProto) -> Option<&'s EnumDef<'a>> {
        let name = field.type_name.as_deref()?;
        self.enums.get(name.strip_prefix('.').unwrap_or(name))
    }

    fn check_file(&mut self, f: &FileCx<'a>) {
        if !names::check_package_limits(self, f) {
            return;
        }
        editions::check_file(self, f);
        options::check_file(self, f);
        let scope = f.scope();
        for (i, m) in f.fd.message_type.iter().enumerate() {
            let path = vec![tag::FILE_MESSAGE, i as i32];
            self.check_message(f, m, &path, &scope, 1, f.features);
            visibility::check_top_level(self, f, m, &path);
        }
        for (i, e) in f.fd.enum_type.iter().enumerate() {
            let path = [tag::FILE_ENUM, i as i32];
            self.check_enum(f, &enum_cx(f, e, &path, &scope, f.features));
        }
        for (i, x) in f.fd.extension.iter().enumerate() {
            let path = [tag::FILE_EXTENSION, i as i32];
            let fx = field_cx(f, x, &path, None, &scope, true, f.features);
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
        let features = parent_features.merged(&with_sub(path, &[tag::MSG_OPTIONS], |p| {
            f.explicit_of(p, targets::Target::Message)
        }));

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

        let mx = MessageCx {
            proto: m,
            path,
            full_name: &full_name,
            features,
        };
        numbers::check_message(self, f, &mx);
        names::check_message(self, f, &mx);
        oneofs::check_message(self, f, &mx);
        proto3::check_message(self, f, &mx);
        editions::check_message(self, f, &mx);
        options::check_message(self, f, &mx);
        declarations::check_ranges(self, f, &mx);

        // A oneof's fields inherit from the oneof (protoc's `GetParentFeatures`).
        let oneof_features: Vec<Features> = (0..m.oneof_decl.len())
            .map(|i| {
                let at = [tag::MSG_ONEOF, i as i32, tag::ONEOF_OPTIONS];
                features.merged(&with_sub(path, &at, |p| {
                    f.explicit_of(p, targets::Target::Oneof)
                }))
            })
            .collect();
        for (i, field) in m.field.iter().enumerate() {
            let parent = field
                .oneof_index
                .and_then(|o| oneof_features.get(o as usize).copied())
                .unwrap_or(features);
            with_sub(path, &[tag::MSG_FIELD, i as i32], |fpath| {
                let fx = field_cx(f, field, fpath, Some(m), &full_name, false, parent);
                self.check_field(f, &fx);
            });
        }
        for (i, x) in m.extension.iter().enumerate() {
            with_sub(path, &[tag::MSG_EXTENSION, i as i32], |fpath| {
                let fx = field_cx(f, x, fpath, Some(m), &full_name, true, features);
                self.check_field(f, &fx);
            });
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            with_sub(path, &[tag::MSG_NESTED, i as i32], |npath| {
                self.check_message(f, n, npath, &full_name, depth + 1, features)
            });
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            with_sub(path, &[tag::MSG_ENUM, i as i32], |epath| {
                self.check_enum(f, &enum_cx(f, e, epath, &full_name, features))
            });
        }
    }

    fn check_enum(&mut self, f: &FileCx<'a>, ex: &EnumCx<'a, '_>) {
        numbers::check_enum(self, f, ex);
        names::check_enum(self, f, ex);
        proto3::check_enum(self, f, ex);
        editions::check_enum(self, f, ex);
        options::check_enum(self, f, ex);
    }

    fn check_field(&mut self, f: &FileCx<'a>, fx: &FieldCx<'a, '_>) {
        numbers::check_field(self, f, fx);
        defaults::check_field(self, f, fx);
        proto3::check_field(self, f, fx);
        editions::check_field(self, f, fx);
        maps::check_field(self, f, fx);
        extensions::check_field(self, f, fx);
        declarations::check_extension(self, f, fx);
        options::check_field(self, f, fx);
        names::check_field_style(self, f, fx);
    }
}

/// Builds the context of one field, resolving its features (including what proto2/proto3
/// labels and types imply, as protoc's `InferLegacyProtoFeatures` does).
fn field_cx<'a, 'p>(
    f: &FileCx<'a>,
    field: &'a FieldDescriptorProto,
    path: &'p [i32],
    parent: Option<&'a DescriptorProto>,
    parent_name: &'p str,
    is_extension: bool,
    parent_features: Features,
) -> FieldCx<'a, 'p> {
    use prost_types::field_descriptor_proto::{Label, Type};
    let opts = with_sub(path, &[tag::FIELD_OPTIONS], |p| f.opts(p));
    let explicit = FeatureSet::of(opts, targets::Target::Field.features_field());
    let mut features = parent_features.merged(&explicit);
    if !f.edition.is_editions() {
        if field.label == Some(Label::Required as i32) {
            features.presence = Presence::LegacyRequired;
        }
        if field.r#type == Some(Type::Group as i32) {
            features.delimited = true;
        }
        match field.options.as_ref().and_then(|o| o.packed) {
            Some(true) => features.packed = true,
            Some(false) if f.edition == Edition::PROTO3 => features.packed = false,
            _ => {}
        }
    }
    if field.proto3_optional == Some(true) {
        features.presence = Presence::Explicit;
    }
    FieldCx {
        field,
        path,
        parent,
        parent_name,
        is_extension,
        features,
        explicit,
        opts,
    }
}

/// The last component of a full name.
pub(crate) fn simple_name(full_name: &str) -> &str {
    match full_name.rfind('.') {
        Some(dot) => &full_name[dot + 1..],
        None => full_name,
    }
}

/// Lists numbers for a help line: `4, 5, 6`.
pub(crate) fn list_numbers(ns: &[i64]) -> String {
    ns.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
