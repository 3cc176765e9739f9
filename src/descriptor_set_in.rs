//! `--descriptor_set_in`: files of compiled `FileDescriptorSet`s serve as dependencies (and
//! inputs), after the files of the include directories, as in protoc.
//!
//! The compiler reads `.proto` text through a [`FileResolver`], so each file of a set is printed
//! back to `.proto` text ([`to_proto_text`]) and compiled like any other file: its names,
//! types, extensions and options are then visible to the files that import it. What the
//! outputs hold for it is not that reprint but the file's own bytes from the set
//! ([`DescriptorSets::original`]), as protoc passes a set's files on unchanged.
//!
//! Limits of the reprint (the file's own bytes, used for every output, are unaffected): options
//! whose field is defined nowhere in the sets (nor in `descriptor.proto`) are left out, and so
//! are empty message-valued options; a oneof whose fields are not contiguous cannot be written.
// The shell around the core: it does the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    ServiceDescriptorProto,
};

use crate::descriptor::pool::descriptor_proto;
use crate::descriptor::text::{c_escape, simple_dtoa, simple_ftoa};
use crate::descriptor::wire::{parse_fields, WireField, WireValue};
use crate::fs::FsResolver;
use crate::protobuf::descriptor_fields as tag;
use crate::protobuf::names::json_name;
use crate::protobuf::qualify;
use crate::source::{FileResolver, ResolveError, ResolvedFile};

/// One file of a descriptor set.
#[derive(Clone, Debug)]
pub struct SetFile {
    /// Its bytes as the set holds them.
    pub bytes: Vec<u8>,
    /// The set it came from.
    pub set: PathBuf,
}

/// The files of every `--descriptor_set_in` set; for a name in several sets, the first set's.
#[derive(Clone, Debug, Default)]
pub struct DescriptorSets {
    files: Vec<SetFile>,
    by_name: HashMap<String, usize>,
}

impl DescriptorSets {
    /// Reads the sets (`--descriptor_set_in=a.pb:b.pb`, already split).
    pub fn read(paths: &[PathBuf]) -> Result<DescriptorSets, String> {
        let mut out = DescriptorSets::default();
        for path in paths {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let files = parse_fields(&bytes)
                .filter(|f| f.iter().all(|x| matches!(x.value, WireValue::Bytes(_))))
                .ok_or_else(|| format!("{}: not a FileDescriptorSet", path.display()))?;
            for f in files {
                let (1, WireValue::Bytes(file)) = (f.number, f.value) else {
                    continue;
                };
                let proto = FileDescriptorProto::decode(file.as_slice()).map_err(|e| {
                    format!(
                        "{}: a file in it is not a FileDescriptorProto: {e}",
                        path.display()
                    )
                })?;
                let name = proto.name().to_string();
                if !out.by_name.contains_key(&name) {
                    out.by_name.insert(name, out.files.len());
                    out.files.push(SetFile {
                        bytes: file,
                        set: path.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Splits a `--descriptor_set_in` value: `:` between files (`;` on Windows), as protoc.
    pub fn split(value: &str) -> Vec<PathBuf> {
        let sep = if cfg!(windows) { ';' } else { ':' };
        value
            .split(sep)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect()
    }

    /// The file named `name`, if a set holds it.
    pub fn get(&self, name: &str) -> Option<&SetFile> {
        self.by_name.get(name).map(|&i| &self.files[i])
    }

    /// The bytes a set holds for `name`.
    pub fn original(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(|f| f.bytes.as_slice())
    }

    /// The `.proto` text the compiler reads for `name` (see the module's limits; for the tests).
    #[cfg(feature = "internals")]
    pub fn proto_text(&self, name: &str) -> Option<String> {
        let file = self.get(name)?;
        let proto = FileDescriptorProto::decode(file.bytes.as_slice()).ok()?;
        Some(to_proto_text(&proto, &file.bytes, &self.schema()))
    }

    /// The definitions of every set file plus `descriptor.proto`, for printing options.
    fn schema(&self) -> Schema {
        let mut files: Vec<FileDescriptorProto> = self
            .files
            .iter()
            .filter_map(|f| FileDescriptorProto::decode(f.bytes.as_slice()).ok())
            .collect();
        if !files
            .iter()
            .any(|f| f.name() == "google/protobuf/descriptor.proto")
        {
            files.push(descriptor_proto().clone());
        }
        Schema::new(files)
    }
}

/// Files from the include directories first (then, as protoc finds its own include directory
/// there, the built-in well-known types), then from the descriptor sets (printed back to
/// `.proto` text); records which names the sets served.
pub struct SetsResolver<'a> {
    fs: Option<FsResolver>,
    sets: &'a DescriptorSets,
    schema: Schema,
    served: RefCell<BTreeSet<String>>,
}

impl<'a> SetsResolver<'a> {
    /// `fs`: the include directories (`None` when there are none: protoc then reads only the
    /// sets).
    pub fn new(fs: Option<FsResolver>, sets: &'a DescriptorSets) -> Self {
        SetsResolver {
            fs,
            sets,
            schema: sets.schema(),
            served: RefCell::new(BTreeSet::new()),
        }
    }

    /// The names read from the sets so far.
    pub fn served(&self) -> BTreeSet<String> {
        self.served.borrow().clone()
    }
}

impl FileResolver for SetsResolver<'_> {
    fn open(&self, name: &str) -> Result<ResolvedFile, ResolveError> {
        if let Some(fs) = &self.fs {
            match fs.open(name) {
                Err(ResolveError::NotFound) => {}
                other => return other,
            }
            // protoc puts the well-known types installed beside it after the -I directories
            // and before the sets: iprotoc's built-in copies stand for them.
            if crate::wkt::get(name).is_some() {
                return Err(ResolveError::NotFound);
            }
        }
        let Some(file) = self.sets.get(name) else {
            return Err(ResolveError::NotFound);
        };
        let proto = FileDescriptorProto::decode(file.bytes.as_slice())
            .map_err(|e| ResolveError::Io(format!("{name}: {e}")))?;
        self.served.borrow_mut().insert(name.to_string());
        Ok(ResolvedFile {
            name: name.to_string(),
            display_path: format!("{}({name})", file.set.display()),
            contents: to_proto_text(&proto, &file.bytes, &self.schema).into_bytes(),
        })
    }

    fn search_description(&self) -> Option<String> {
        let dirs = self.fs.as_ref().and_then(|fs| fs.search_description());
        let sets: BTreeSet<String> = self
            .sets
            .files
            .iter()
            .map(|f| format!("\"{}\"", f.set.display()))
            .collect();
        let sets = sets.into_iter().collect::<Vec<_>>().join(", ");
        Some(match dirs {
            Some(d) if !sets.is_empty() => format!("{d} and the descriptor sets {sets}"),
            Some(d) => d,
            None => format!("the descriptor sets {sets}"),
        })
    }
}

/// Definitions by full name (no leading dot), for printing option values.
struct Schema {
    files: Vec<FileDescriptorProto>,
    messages: HashMap<String, (usize, Vec<usize>)>,
    enums: HashMap<String, (usize, Option<Vec<usize>>, usize)>,
    /// (extendee full name, number) → where the extension is.
    extensions: HashMap<(String, i32), ExtensionAt>,
}

/// An extension's full name, file, the path of its message (empty at file level) and index.
type ExtensionAt = (String, usize, Vec<usize>, usize);

impl Schema {
    fn new(files: Vec<FileDescriptorProto>) -> Schema {
        let mut s = Schema {
            files: Vec::new(),
            messages: HashMap::new(),
            enums: HashMap::new(),
            extensions: HashMap::new(),
        };
        for (fi, f) in files.iter().enumerate() {
            let package = f.package();
            for (i, e) in f.enum_type.iter().enumerate() {
                s.enums
                    .entry(qualify(package, e.name()))
                    .or_insert((fi, None, i));
            }
            for (i, x) in f.extension.iter().enumerate() {
                s.extensions
                    .entry((x.extendee().trim_start_matches('.').to_string(), x.number()))
                    .or_insert((qualify(package, x.name()), fi, Vec::new(), i));
            }
            let mut stack: Vec<(String, Vec<usize>)> = f
                .message_type
                .iter()
                .enumerate()
                .map(|(i, m)| (qualify(package, m.name()), vec![i]))
                .collect();
            while let Some((full, path)) = stack.pop() {
                let m = message_at(f, &path);
                for (i, e) in m.enum_type.iter().enumerate() {
                    s.enums
                        .entry(qualify(&full, e.name()))
                        .or_insert((fi, Some(path.clone()), i));
                }
                for (i, x) in m.extension.iter().enumerate() {
                    s.extensions
                        .entry((x.extendee().trim_start_matches('.').to_string(), x.number()))
                        .or_insert((qualify(&full, x.name()), fi, path.clone(), i));
                }
                for (i, n) in m.nested_type.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(i);
                    stack.push((qualify(&full, n.name()), p));
                }
                s.messages.entry(full).or_insert((fi, path));
            }
        }
        s.files = files;
        s
    }

    fn message(&self, full: &str) -> Option<&DescriptorProto> {
        let (fi, path) = self.messages.get(full.trim_start_matches('.'))?;
        Some(message_at(&self.files[*fi], path))
    }

    fn enumeration(&self, full: &str) -> Option<&EnumDescriptorProto> {
        let (fi, parent, i) = self.enums.get(full.trim_start_matches('.'))?;
        let f = &self.files[*fi];
        match parent {
            None => f.enum_type.get(*i),
            Some(path) => message_at(f, path).enum_type.get(*i),
        }
    }

    /// The extension of `extendee` numbered `number`, with its full name.
    fn extension(&self, extendee: &str, number: i32) -> Option<(&str, &FieldDescriptorProto)> {
        let (full, fi, path, i) = self
            .extensions
            .get(&(extendee.trim_start_matches('.').to_string(), number))?;
        let f = &self.files[*fi];
        let x = if path.is_empty() {
            f.extension.get(*i)?
        } else {
            message_at(f, path).extension.get(*i)?
        };
        Some((full, x))
    }
}

fn message_at<'f>(f: &'f FileDescriptorProto, path: &[usize]) -> &'f DescriptorProto {
    let mut m = &f.message_type[path[0]];
    for &i in &path[1..] {
        m = &m.nested_type[i];
    }
    m
}

/// What `prost_types` cannot hold, read from a file's bytes: each element's options bytes by
/// the path of the `options` field, `visibility` by element path, `edition`, `option_dependency`.
#[derive(Default)]
struct Raw {
    options: HashMap<Vec<i32>, Vec<u8>>,
    visibility: HashMap<Vec<i32>, i32>,
    edition: Option<i32>,
    option_dependency: Vec<String>,
}

impl Raw {
    fn read(bytes: &[u8]) -> Raw {
        let mut raw = Raw::default();
        let Some(fields) = parse_fields(bytes) else {
            return raw;
        };
        let mut counts: HashMap<i32, i32> = HashMap::new();
        for f in fields {
            match (f.number as i32, f.value) {
                (tag::FILE_OPTIONS, WireValue::Bytes(b)) => {
                    raw.options.insert(vec![tag::FILE_OPTIONS], b);
                }
                (tag::FILE_EDITION, WireValue::Varint(v)) => raw.edition = Some(v as i32),
                (tag::FILE_OPTION_DEPENDENCY, WireValue::Bytes(b)) => {
                    raw.option_dependency
                        .push(String::from_utf8_lossy(&b).into_owned());
                }
                (
                    n @ (tag::FILE_MESSAGE
                    | tag::FILE_ENUM
                    | tag::FILE_SERVICE
                    | tag::FILE_EXTENSION),
                    WireValue::Bytes(b),
                ) => {
                    let c = counts.entry(n).or_default();
                    let path = vec![n, *c];
                    *c += 1;
                    let kind = match n {
                        tag::FILE_MESSAGE => Kind::Message,
                        tag::FILE_ENUM => Kind::Enum,
                        tag::FILE_SERVICE => Kind::Service,
                        _ => Kind::Field,
                    };
                    raw.element(&b, path, kind);
                }
                _ => {}
            }
        }
        raw
    }

    /// Records an element's options (and visibility), and its children's.
    fn element(&mut self, bytes: &[u8], path: Vec<i32>, kind: Kind) {
        let Some(fields) = parse_fields(bytes) else {
            return;
        };
        let (options_field, visibility_field) = match kind {
            Kind::Message => (tag::MSG_OPTIONS, Some(tag::MSG_VISIBILITY)),
            Kind::Field => (tag::FIELD_OPTIONS, None),
            Kind::Enum => (tag::ENUM_OPTIONS, Some(tag::ENUM_VISIBILITY)),
            Kind::EnumValue => (tag::VALUE_OPTIONS, None),
            Kind::Service => (tag::SERVICE_OPTIONS, None),
            Kind::Method => (tag::METHOD_OPTIONS, None),
            Kind::Oneof => (tag::ONEOF_OPTIONS, None),
            Kind::Range => (tag::EXT_RANGE_OPTIONS, None),
        };
        let mut counts: HashMap<i32, i32> = HashMap::new();
        for f in fields {
            let WireField { number, value } = f;
            let number = number as i32;
            if number == options_field {
                if let WireValue::Bytes(b) = value {
                    let mut p = path.clone();
                    p.push(number);
                    self.options.insert(p, b);
                }
                continue;
            }
            if Some(number) == visibility_field {
                if let WireValue::Varint(v) = value {
                    self.visibility.insert(path.clone(), v as i32);
                }
                continue;
            }
            let child = match (kind, number) {
                (Kind::Message, tag::MSG_FIELD | tag::MSG_EXTENSION) => Kind::Field,
                (Kind::Message, tag::MSG_NESTED) => Kind::Message,
                (Kind::Message, tag::MSG_ENUM) => Kind::Enum,
                (Kind::Message, tag::MSG_EXT_RANGE) => Kind::Range,
                (Kind::Message, tag::MSG_ONEOF) => Kind::Oneof,
                (Kind::Enum, tag::ENUM_VALUE) => Kind::EnumValue,
                (Kind::Service, tag::SERVICE_METHOD) => Kind::Method,
                _ => continue,
            };
            if let WireValue::Bytes(b) = value {
                let c = counts.entry(number).or_default();
                let mut p = path.clone();
                p.extend([number, *c]);
                *c += 1;
                self.element(&b, p, child);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Message,
    Field,
    Enum,
    EnumValue,
    Service,
    Method,
    Oneof,
    Range,
}

/// Prints a compiled file back as `.proto` text that compiles to the same definitions (see the
/// module's limits). `bytes` is the file as encoded (for what `prost_types` drops).
fn to_proto_text(file: &FileDescriptorProto, bytes: &[u8], schema_files: &Schema) -> String {
    let raw = Raw::read(bytes);
    let mut p = Printer {
        out: String::new(),
        scope: if file.package().is_empty() {
            String::new()
        } else {
            format!(".{}", file.package())
        },
        raw: &raw,
        schema: schema_files,
        editions: false,
        proto3: false,
    };
    p.file(file);
    p.out
}

struct Printer<'a> {
    out: String,
    /// The full name of the message being printed, with a leading dot (`.pkg.Outer.Inner`).
    scope: String,
    raw: &'a Raw,
    schema: &'a Schema,
    editions: bool,
    proto3: bool,
}

impl Printer<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn file(&mut self, f: &FileDescriptorProto) {
        match (f.syntax(), self.raw.edition) {
            ("editions", Some(e)) => {
                self.editions = true;
                let name = crate::protobuf::Edition::from_number(e).short_name();
                self.line(0, &format!("edition = \"{name}\";"));
            }
            ("proto3", _) => {
                self.proto3 = true;
                self.line(0, "syntax = \"proto3\";");
            }
            _ => self.line(0, "syntax = \"proto2\";"),
        }
        if !f.package().is_empty() {
            self.line(0, &format!("package {};", f.package()));
        }
        for (i, d) in f.dependency.iter().enumerate() {
            let kind = if f.public_dependency.contains(&(i as i32)) {
                "public "
            } else if f.weak_dependency.contains(&(i as i32)) {
                "weak "
            } else {
                ""
            };
            self.line(0, &format!("import {kind}\"{}\";", c_escape(d.as_bytes())));
        }
        for d in &self.raw.option_dependency.clone() {
            self.line(0, &format!("import option \"{}\";", c_escape(d.as_bytes())));
        }
        self.options_statements(0, &[tag::FILE_OPTIONS], "google.protobuf.FileOptions");
        let scope = if f.package().is_empty() {
            ".".to_string()
        } else {
            format!(".{}.", f.package())
        };
        let groups = self.extension_groups(&f.extension, &f.message_type, &scope);
        for (i, m) in f.message_type.iter().enumerate() {
            if !groups.iter().any(|(_, j)| *j == i) {
                self.message(0, m, &[tag::FILE_MESSAGE, i as i32]);
            }
        }
        for (i, e) in f.enum_type.iter().enumerate() {
            self.enumeration(0, e, &[tag::FILE_ENUM, i as i32]);
        }
        for (i, s) in f.service.iter().enumerate() {
            self.service(s, &[tag::FILE_SERVICE, i as i32]);
        }
        for (i, x) in f.extension.iter().enumerate() {
            let group = groups
                .iter()
                .find(|(k, _)| *k == i)
                .map(|&(_, j)| (&f.message_type[j], vec![tag::FILE_MESSAGE, j as i32]));
            self.extension(0, x, &[tag::FILE_EXTENSION, i as i32], group);
        }
    }

    /// The proto2 group extensions among `extensions`, each with the index of its group's type
    /// among `types` (the messages of the same scope, `scope` being their prefix `.pkg.`).
    fn extension_groups(
        &self,
        extensions: &[FieldDescriptorProto],
        types: &[DescriptorProto],
        scope: &str,
    ) -> Vec<(usize, usize)> {
        if self.editions {
            return Vec::new();
        }
        extensions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.r#type() == Type::Group)
            .filter_map(|(i, x)| {
                let name = x.type_name().strip_prefix(scope)?;
                let j = types.iter().position(|t| t.name() == name)?;
                Some((i, j))
            })
            .collect()
    }

    /// `option name = value;` for each option of the element whose options field is at `path`.
    fn options_statements(&mut self, indent: usize, path: &[i32], message: &str) {
        for (name, value) in self.options(path, message) {
            self.line(indent, &format!("option {name} = {value};"));
        }
    }

    /// The element's options as (name, value) pairs, in the order of their bytes.
    fn options(&self, path: &[i32], message: &str) -> Vec<(String, String)> {
        let Some(bytes) = self.raw.options.get(path) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some(fields) = parse_fields(bytes) {
            self.flatten(message, &fields, String::new(), &mut out);
        }
        out
    }

    /// Option assignments for the fields of a `message` value, names prefixed by `prefix`
    /// (`features.`): singular messages are flattened (`features.field_presence = …`), other
    /// values printed.
    fn flatten(
        &self,
        message: &str,
        fields: &[WireField],
        prefix: String,
        out: &mut Vec<(String, String)>,
    ) {
        for f in fields {
            let Some((name, fd)) = self.field(message, f.number) else {
                continue;
            };
            let name = format!("{prefix}{name}");
            let singular_message =
                matches!(fd.r#type(), Type::Message | Type::Group) && fd.label() != Label::Repeated;
            match (&f.value, singular_message) {
                (WireValue::Bytes(b), true) => {
                    if let Some(inner) = parse_fields(b) {
                        self.flatten(fd.type_name(), &inner, format!("{name}."), out);
                    }
                }
                (WireValue::Group(inner), true) => {
                    self.flatten(fd.type_name(), inner, format!("{name}."), out);
                }
                (v, _) => {
                    for value in self.values(fd, v) {
                        out.push((name.clone(), value));
                    }
                }
            }
        }
    }

    /// A field of `message` by number: its option name (`json_name`, `(.pkg.ext)`) and
    /// definition.
    fn field(&self, message: &str, number: u32) -> Option<(String, &FieldDescriptorProto)> {
        let m = self.schema.message(message)?;
        if let Some(fd) = m.field.iter().find(|x| x.number() == number as i32) {
            return Some((fd.name().to_string(), fd));
        }
        let (full, fd) = self.schema.extension(message, number as i32)?;
        Some((format!("(.{full})"), fd))
    }

    /// A wire value as option values (a packed run gives several).
    fn values(&self, fd: &FieldDescriptorProto, v: &WireValue) -> Vec<String> {
        use Type::*;
        match (fd.r#type(), v) {
            (String | Bytes, WireValue::Bytes(b)) => vec![format!("\"{}\"", c_escape(b))],
            (Message, WireValue::Bytes(b)) => {
                vec![self.aggregate(fd.type_name(), &parse_fields(b).unwrap_or_default())]
            }
            (Group, WireValue::Group(inner)) => vec![self.aggregate(fd.type_name(), inner)],
            (Float, WireValue::Fixed32(x)) => vec![float(f64::from(f32::from_bits(*x)), true)],
            (Double, WireValue::Fixed64(x)) => vec![float(f64::from_bits(*x), false)],
            (Fixed32, WireValue::Fixed32(x)) => vec![x.to_string()],
            (Sfixed32, WireValue::Fixed32(x)) => vec![(*x as i32).to_string()],
            (Fixed64, WireValue::Fixed64(x)) => vec![x.to_string()],
            (Sfixed64, WireValue::Fixed64(x)) => vec![(*x as i64).to_string()],
            (_, WireValue::Varint(x)) => vec![self.varint(fd, *x)],
            (_, WireValue::Bytes(packed)) => {
                let mut out = Vec::new();
                let mut pos = 0;
                while pos < packed.len() {
                    match fd.r#type() {
                        Float | Fixed32 | Sfixed32 => {
                            let Some(b) = packed.get(pos..pos + 4) else {
                                break;
                            };
                            let x = u32::from_le_bytes(b.try_into().expect("4 bytes"));
                            out.extend(self.values(fd, &WireValue::Fixed32(x)));
                            pos += 4;
                        }
                        Double | Fixed64 | Sfixed64 => {
                            let Some(b) = packed.get(pos..pos + 8) else {
                                break;
                            };
                            let x = u64::from_le_bytes(b.try_into().expect("8 bytes"));
                            out.extend(self.values(fd, &WireValue::Fixed64(x)));
                            pos += 8;
                        }
                        _ => {
                            let Some(x) = crate::descriptor::wire::get_varint(packed, &mut pos)
                            else {
                                break;
                            };
                            out.push(self.varint(fd, x));
                        }
                    }
                }
                out
            }
            _ => Vec::new(),
        }
    }

    fn varint(&self, fd: &FieldDescriptorProto, x: u64) -> String {
        match fd.r#type() {
            Type::Bool => (x != 0).to_string(),
            Type::Int32 => (x as i32).to_string(),
            Type::Int64 => (x as i64).to_string(),
            Type::Sint32 | Type::Sint64 => ((x >> 1) as i64 ^ -((x & 1) as i64)).to_string(),
            Type::Enum => self
                .schema
                .enumeration(fd.type_name())
                .and_then(|e| e.value.iter().find(|v| v.number() == x as i32))
                .map_or_else(|| (x as i32).to_string(), |v| v.name().to_string()),
            _ => x.to_string(),
        }
    }

    /// A message value in text format: `{ name: value … }`.
    fn aggregate(&self, message: &str, fields: &[WireField]) -> String {
        let mut out = String::from("{");
        for f in fields {
            let Some((name, fd)) = self.field(message, f.number) else {
                continue;
            };
            let name = match name.strip_prefix("(.") {
                Some(ext) => format!("[{}]", ext.trim_end_matches(')')),
                None => name,
            };
            for v in self.values(fd, &f.value) {
                let _ = write!(out, " {name}: {v}");
            }
        }
        out.push_str(" }");
        out
    }

    fn bracket_options(&self, path: &[i32], message: &str, mut extra: Vec<String>) -> String {
        extra.extend(
            self.options(path, message)
                .into_iter()
                .map(|(n, v)| format!("{n} = {v}")),
        );
        if extra.is_empty() {
            String::new()
        } else {
            format!(" [{}]", extra.join(", "))
        }
    }

    fn visibility(&self, path: &[i32]) -> &'static str {
        match self.raw.visibility.get(path) {
            Some(1) => "local ",
            Some(2) => "export ",
            _ => "",
        }
    }

    fn message(&mut self, indent: usize, m: &DescriptorProto, path: &[i32]) {
        let vis = self.visibility(path);
        self.line(indent, &format!("{vis}message {} {{", m.name()));
        self.message_body(indent + 1, m, path);
        self.line(indent, "}");
    }

    /// Prints a message's body with [`Printer::scope`] set to it.
    fn message_body(&mut self, indent: usize, m: &DescriptorProto, path: &[i32]) {
        let outer = self.scope.clone();
        self.scope = format!("{outer}.{}", m.name());
        self.message_members(indent, m, path);
        self.scope = outer;
    }

    fn message_members(&mut self, indent: usize, m: &DescriptorProto, path: &[i32]) {
        let at = |rest: &[i32]| [path, rest].concat();
        self.options_statements(
            indent,
            &at(&[tag::MSG_OPTIONS]),
            "google.protobuf.MessageOptions",
        );
        // Nested types printed with their field: map entries and proto2 groups.
        let mut inline: Vec<usize> = Vec::new();
        let mut printed: Vec<usize> = Vec::new();
        let mut open_oneof: Option<i32> = None;
        for (i, f) in m.field.iter().enumerate() {
            let real_oneof = f.oneof_index.filter(|_| f.proto3_optional != Some(true));
            if open_oneof.is_some() && open_oneof != real_oneof {
                self.line(indent, "}");
                open_oneof = None;
            }
            if let (Some(o), None) = (real_oneof, open_oneof) {
                let name = m.oneof_decl.get(o as usize).map_or("", |d| d.name());
                self.line(indent, &format!("oneof {name} {{"));
                self.options_statements(
                    indent + 1,
                    &at(&[tag::MSG_ONEOF, o, tag::ONEOF_OPTIONS]),
                    "google.protobuf.OneofOptions",
                );
                open_oneof = Some(o);
            }
            let inner = indent + usize::from(open_oneof.is_some());
            let nested = nested_index(m, f).filter(|&n| {
                is_map_entry(&m.nested_type[n]) || f.r#type() == Type::Group && !self.editions
            });
            // Nested types declared before this field's own (a map entry's, a group's) are
            // printed first, so that the nested types keep their order.
            if let (Some(n), None) = (nested, open_oneof) {
                for (j, t) in m.nested_type.iter().enumerate().take(n) {
                    if !inline.contains(&j) && !printed.contains(&j) && !self.is_inline(m, j) {
                        printed.push(j);
                        self.message(indent, t, &at(&[tag::MSG_NESTED, j as i32]));
                    }
                }
            }
            if let Some(n) = nested.filter(|&n| is_map_entry(&m.nested_type[n])) {
                inline.push(n);
                let entry = &m.nested_type[n];
                let key = entry.field.iter().find(|x| x.number() == 1);
                let value = entry.field.iter().find(|x| x.number() == 2);
                let (Some(key), Some(value)) = (key, value) else {
                    continue;
                };
                let opts =
                    self.field_options(f, &at(&[tag::MSG_FIELD, i as i32, tag::FIELD_OPTIONS]));
                self.line(
                    inner,
                    &format!(
                        "map<{}, {}> {} = {}{opts};",
                        type_name(key),
                        type_name(value),
                        f.name(),
                        f.number()
                    ),
                );
                continue;
            }
            if let Some(n) = nested.filter(|_| f.r#type() == Type::Group && !self.editions) {
                inline.push(n);
                let group = &m.nested_type[n];
                let label = self.label(f, open_oneof.is_some());
                let opts =
                    self.field_options(f, &at(&[tag::MSG_FIELD, i as i32, tag::FIELD_OPTIONS]));
                self.line(
                    inner,
                    &format!("{label}group {} = {}{opts} {{", group.name(), f.number()),
                );
                self.message_body(inner + 1, group, &at(&[tag::MSG_NESTED, n as i32]));
                self.line(inner, "}");
                continue;
            }
            self.field_line(
                inner,
                f,
                &at(&[tag::MSG_FIELD, i as i32]),
                open_oneof.is_some(),
            );
        }
        if open_oneof.is_some() {
            self.line(indent, "}");
        }
        let groups =
            self.extension_groups(&m.extension, &m.nested_type, &format!("{}.", self.scope));
        inline.extend(groups.iter().map(|&(_, j)| j));
        for (i, n) in m.nested_type.iter().enumerate() {
            if !inline.contains(&i) && !printed.contains(&i) {
                self.message(indent, n, &at(&[tag::MSG_NESTED, i as i32]));
            }
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            self.enumeration(indent, e, &at(&[tag::MSG_ENUM, i as i32]));
        }
        for (i, r) in m.extension_range.iter().enumerate() {
            let opts = self.bracket_options(
                &at(&[tag::MSG_EXT_RANGE, i as i32, tag::EXT_RANGE_OPTIONS]),
                "google.protobuf.ExtensionRangeOptions",
                Vec::new(),
            );
            self.line(
                indent,
                &format!(
                    "extensions {} to {}{opts};",
                    r.start(),
                    r.end().saturating_sub(1)
                ),
            );
        }
        for r in &m.reserved_range {
            self.line(
                indent,
                &format!("reserved {} to {};", r.start(), r.end().saturating_sub(1)),
            );
        }
        for n in &m.reserved_name {
            if self.editions {
                self.line(indent, &format!("reserved {n};"));
            } else {
                self.line(indent, &format!("reserved \"{}\";", c_escape(n.as_bytes())));
            }
        }
        for (i, x) in m.extension.iter().enumerate() {
            let group = groups
                .iter()
                .find(|(k, _)| *k == i)
                .map(|&(_, j)| (&m.nested_type[j], at(&[tag::MSG_NESTED, j as i32])));
            self.extension(indent, x, &at(&[tag::MSG_EXTENSION, i as i32]), group);
        }
    }

    /// Whether nested type `j` of `m` is printed with its field (a map entry, a proto2 group).
    fn is_inline(&self, m: &DescriptorProto, j: usize) -> bool {
        m.field.iter().any(|f| {
            nested_index(m, f) == Some(j)
                && (is_map_entry(&m.nested_type[j]) || f.r#type() == Type::Group && !self.editions)
        })
    }

    fn label(&self, f: &FieldDescriptorProto, in_oneof: bool) -> &'static str {
        match f.label() {
            Label::Repeated => "repeated ",
            _ if in_oneof || self.editions => "",
            Label::Required => "required ",
            Label::Optional if self.proto3 => {
                if f.proto3_optional == Some(true) {
                    "optional "
                } else {
                    ""
                }
            }
            Label::Optional => "optional ",
        }
    }

    fn field_options(&self, f: &FieldDescriptorProto, options_path: &[i32]) -> String {
        let mut extra = Vec::new();
        if let Some(d) = &f.default_value {
            let literal = match f.r#type() {
                Type::String => format!("\"{}\"", c_escape(d.as_bytes())),
                // protoc stores a bytes default already escaped.
                Type::Bytes => format!("\"{d}\""),
                _ => d.clone(),
            };
            extra.push(format!("default = {literal}"));
        }
        if let Some(j) = &f.json_name {
            if *j != json_name(f.name()) {
                extra.push(format!("json_name = \"{}\"", c_escape(j.as_bytes())));
            }
        }
        self.bracket_options(options_path, "google.protobuf.FieldOptions", extra)
    }

    fn field_line(
        &mut self,
        indent: usize,
        f: &FieldDescriptorProto,
        path: &[i32],
        in_oneof: bool,
    ) {
        let label = self.label(f, in_oneof);
        let opts = self.field_options(f, &[path, &[tag::FIELD_OPTIONS]].concat());
        self.line(
            indent,
            &format!(
                "{label}{} {} = {}{opts};",
                type_name(f),
                f.name(),
                f.number()
            ),
        );
    }

    fn extension(
        &mut self,
        indent: usize,
        x: &FieldDescriptorProto,
        path: &[i32],
        group: Option<(&DescriptorProto, Vec<i32>)>,
    ) {
        self.line(indent, &format!("extend {} {{", x.extendee()));
        match group {
            Some((t, type_path)) => {
                let label = self.label(x, false);
                let opts = self.field_options(x, &[path, &[tag::FIELD_OPTIONS]].concat());
                self.line(
                    indent + 1,
                    &format!("{label}group {} = {}{opts} {{", t.name(), x.number()),
                );
                self.message_body(indent + 2, t, &type_path);
                self.line(indent + 1, "}");
            }
            None => self.field_line(indent + 1, x, path, false),
        }
        self.line(indent, "}");
    }

    fn enumeration(&mut self, indent: usize, e: &EnumDescriptorProto, path: &[i32]) {
        let vis = self.visibility(path);
        self.line(indent, &format!("{vis}enum {} {{", e.name()));
        let at = |rest: &[i32]| [path, rest].concat();
        self.options_statements(
            indent + 1,
            &at(&[tag::ENUM_OPTIONS]),
            "google.protobuf.EnumOptions",
        );
        for (i, v) in e.value.iter().enumerate() {
            let opts = self.bracket_options(
                &at(&[tag::ENUM_VALUE, i as i32, tag::VALUE_OPTIONS]),
                "google.protobuf.EnumValueOptions",
                Vec::new(),
            );
            self.line(indent + 1, &format!("{} = {}{opts};", v.name(), v.number()));
        }
        for r in &e.reserved_range {
            // Enum reserved ranges are inclusive.
            self.line(
                indent + 1,
                &format!("reserved {} to {};", r.start(), r.end()),
            );
        }
        for n in &e.reserved_name {
            if self.editions {
                self.line(indent + 1, &format!("reserved {n};"));
            } else {
                self.line(
                    indent + 1,
                    &format!("reserved \"{}\";", c_escape(n.as_bytes())),
                );
            }
        }
        self.line(indent, "}");
    }

    fn service(&mut self, s: &ServiceDescriptorProto, path: &[i32]) {
        self.line(0, &format!("service {} {{", s.name()));
        let at = |rest: &[i32]| [path, rest].concat();
        self.options_statements(
            1,
            &at(&[tag::SERVICE_OPTIONS]),
            "google.protobuf.ServiceOptions",
        );
        for (i, m) in s.method.iter().enumerate() {
            let stream = |b: bool| if b { "stream " } else { "" };
            let head = format!(
                "rpc {}({}{}) returns ({}{})",
                m.name(),
                stream(m.client_streaming()),
                m.input_type(),
                stream(m.server_streaming()),
                m.output_type()
            );
            let options_path = at(&[tag::SERVICE_METHOD, i as i32, tag::METHOD_OPTIONS]);
            let options = self.options(&options_path, "google.protobuf.MethodOptions");
            // `rpc M(A) returns (B) {}` has an (empty) options message; `;` has none.
            if !self.raw.options.contains_key(&options_path) {
                self.line(1, &format!("{head};"));
            } else {
                self.line(1, &format!("{head} {{"));
                for (n, v) in options {
                    self.line(2, &format!("option {n} = {v};"));
                }
                self.line(1, "}");
            }
        }
        self.line(0, "}");
    }
}

/// The nested type of `m` a field's type names, if it is one of `m`'s own.
fn nested_index(m: &DescriptorProto, f: &FieldDescriptorProto) -> Option<usize> {
    let last = f.type_name().rsplit('.').next()?;
    m.nested_type
        .iter()
        .position(|n| n.name() == last)
        .filter(|_| {
            f.type_name()
                .strip_suffix(last)
                .is_some_and(|scope| scope.ends_with(&format!(".{}.", m.name())))
        })
}

fn is_map_entry(m: &DescriptorProto) -> bool {
    m.options.as_ref().and_then(|o| o.map_entry) == Some(true)
}

/// A field's type as written: a scalar keyword, or the fully qualified type name.
fn type_name(f: &FieldDescriptorProto) -> String {
    use Type::*;
    match f.r#type() {
        Double => "double".into(),
        Float => "float".into(),
        Int64 => "int64".into(),
        Uint64 => "uint64".into(),
        Int32 => "int32".into(),
        Fixed64 => "fixed64".into(),
        Fixed32 => "fixed32".into(),
        Bool => "bool".into(),
        String => "string".into(),
        Bytes => "bytes".into(),
        Uint32 => "uint32".into(),
        Sfixed32 => "sfixed32".into(),
        Sfixed64 => "sfixed64".into(),
        Sint32 => "sint32".into(),
        Sint64 => "sint64".into(),
        Group | Message | Enum => f.type_name().to_string(),
    }
}

/// A float or double option value that reads back as the same number.
fn float(v: f64, single: bool) -> String {
    if single {
        simple_ftoa(v as f32)
    } else {
        simple_dtoa(v)
    }
}

/// The sets named by a `--descriptor_set_in` value, read.
pub fn read(value: &str) -> Result<DescriptorSets, String> {
    DescriptorSets::read(&DescriptorSets::split(value))
}
