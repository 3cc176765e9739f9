//! The definitions options are made of, with the options of those definitions: what protoc's
//! option validation reflects over (`ListFields` on an options message, then each field's own
//! `FieldOptions`: `targets`, `feature_support`).
//!
//! prost-types drops those `FieldOptions` fields, so they are read from exact encodings: each
//! compiled file's [`crate::descriptor::Built::encoded`] bytes (`targets` and
//! `feature_support` are runtime-retention, so they survive), and for `google.protobuf.*` types
//! not in the compilation, the copy of `descriptor.proto` compiled into protoc
//! ([`crate::descriptor::pool::DESCRIPTOR_PROTO`]). Definitions are found by descriptor
//! path, with [`bytes_at`].

use foldhash::HashMap;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex, OnceLock};

use prost::Message as _;
use prost_types::{DescriptorProto, FieldDescriptorProto};

use super::{qualify, tag, CheckInput, Messages};
use crate::descriptor::pool::DESCRIPTOR_PROTO;
use crate::descriptor::wire::{parse_fields, WireField, WireValue};

/// The bytes of the length-delimited element at a descriptor path in a message's encoding: the
/// path alternates (field, index) for repeated fields and may end with a singular field
/// (`[4, 0, 2, 1, 8]`: the options of the second field of the first message).
pub fn bytes_at<'b>(mut bytes: &'b [u8], path: &[i32]) -> Option<&'b [u8]> {
    let mut rest = path;
    while let Some((&number, tail)) = rest.split_first() {
        let (index, tail) = match tail.split_first() {
            Some((&i, t)) => (i as usize, t),
            None => (usize::MAX, tail),
        };
        bytes = nth_bytes(bytes, number as u32, index)?;
        rest = tail;
    }
    Some(bytes)
}

/// [`bytes_at`] for many paths into one encoding: each (path, field number) met on the way is
/// split into its occurrences once, so that looking up the `i`th of `n` elements costs a lookup,
/// not a pass over the `i - 1` before it (which made `n` lookups cost `n²`).
#[derive(Default)]
pub struct Located<'b> {
    /// The occurrences of each length-delimited field number inside the element at each path,
    /// and whether the element was read to its end (not cut short by malformed bytes).
    occurrences: foldhash::HashMap<(Vec<i32>, u32), Occurrences<'b>>,
}

/// The occurrences of one field in one element, and whether the element read to its end.
type Occurrences<'b> = (Vec<&'b [u8]>, bool);

impl<'b> Located<'b> {
    /// [`bytes_at`]`(bytes, path)`, where `bytes` is the same encoding at every call.
    pub fn bytes_at(&mut self, bytes: &'b [u8], path: &[i32]) -> Option<&'b [u8]> {
        let mut at = bytes;
        let mut rest = path;
        let mut walked = 0;
        while let Some((&number, tail)) = rest.split_first() {
            let (index, tail) = match tail.split_first() {
                Some((&i, t)) => (i as usize, t),
                None => (usize::MAX, tail),
            };
            let key = (path[..walked].to_vec(), number as u32);
            let (list, complete) = match self.occurrences.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let mut list = Vec::new();
                    let complete = each_field(at, |n, b| {
                        if n == number as u32 {
                            list.push(b);
                        }
                        ControlFlow::Continue(())
                    })
                    .is_some();
                    e.insert((list, complete))
                }
            };
            // As `nth_bytes`: an occurrence before malformed bytes is found, the last one is
            // known only if the element reads to its end.
            at = match index {
                usize::MAX if *complete => list.last().copied()?,
                usize::MAX => return None,
                i => list.get(i).copied()?,
            };
            walked = path.len() - tail.len();
            rest = tail;
        }
        Some(at)
    }
}

/// The `index`th occurrence of length-delimited field `number` (`usize::MAX`: the last one).
fn nth_bytes(bytes: &[u8], number: u32, index: usize) -> Option<&[u8]> {
    let (mut seen, mut last, mut hit) = (0, None, None);
    each_field(bytes, |n, b| {
        if n != number {
            return ControlFlow::Continue(());
        }
        if seen == index {
            hit = Some(b);
            return ControlFlow::Break(());
        }
        seen += 1;
        last = Some(b);
        ControlFlow::Continue(())
    })?;
    match (hit, index) {
        (Some(b), _) => Some(b),
        (None, usize::MAX) => last,
        (None, _) => None,
    }
}

fn varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// A field or extension definition, with its own options.
#[derive(Clone, Debug)]
pub struct FieldDef<'a> {
    /// The definition.
    pub proto: &'a FieldDescriptorProto,
    /// `pkg.Msg.field`, or the extension's full name.
    pub full_name: String,
    /// The index of the file defining it: an input's (same order as the inputs), or past the
    /// inputs for protoc's compiled-in `descriptor.proto`.
    pub file: usize,
    /// Its descriptor path in that file.
    pub path: Vec<i32>,
    /// `FieldOptions.targets`, read once (options are checked against it at every use).
    targets: Vec<i32>,
    /// The targets among 0..64 as bits, so that a use is checked in one step however long the
    /// definition's list (every [`super::targets::Target`] is below 64).
    target_bits: u64,
    /// `FieldOptions.feature_support`, read once.
    support: Option<FeatureSupport>,
}

impl<'a> FieldDef<'a> {
    /// A definition with its options (`targets` and `feature_support` are read from them).
    fn new(
        proto: &'a FieldDescriptorProto,
        full_name: String,
        options: Vec<WireField>,
        file: usize,
        path: Vec<i32>,
    ) -> Self {
        let targets = read_targets(&options);
        let target_bits = targets
            .iter()
            .filter(|&&t| (0..64).contains(&t))
            .fold(0, |bits, &t| bits | 1 << t);
        FieldDef {
            proto,
            full_name,
            targets,
            target_bits,
            support: read_feature_support(&options),
            file,
            path,
        }
    }

    /// `FieldOptions.targets` (field 19), packed or not.
    pub fn targets(&self) -> &[i32] {
        &self.targets
    }

    /// Whether `targets` names `target`.
    pub fn allows(&self, target: super::targets::Target) -> bool {
        let t = target as i32;
        (0..64).contains(&t) && self.target_bits >> t & 1 == 1
    }

    /// `FieldOptions.feature_support` (field 22), if set.
    pub fn feature_support(&self) -> Option<&FeatureSupport> {
        self.support.as_ref()
    }
}

/// `FieldOptions.targets` among a definition's options, packed or not.
fn read_targets(options: &[WireField]) -> Vec<i32> {
    let mut out = Vec::new();
    for f in options {
        if f.number != tag::FIELD_OPT_TARGETS as u32 {
            continue;
        }
        match &f.value {
            WireValue::Varint(v) => out.push(*v as i32),
            WireValue::Bytes(b) => {
                let mut pos = 0;
                while let Some(v) = varint(b, &mut pos) {
                    out.push(v as i32);
                }
            }
            _ => {}
        }
    }
    out
}

/// `FieldOptions.feature_support` among a definition's options, if set.
fn read_feature_support(options: &[WireField]) -> Option<FeatureSupport> {
    let b = options.iter().rev().find_map(|f| match &f.value {
        WireValue::Bytes(b) if f.number == tag::FIELD_OPT_FEATURE_SUPPORT as u32 => Some(b),
        _ => None,
    })?;
    let mut s = FeatureSupport::default();
    for f in parse_fields(b)? {
        match (f.number, f.value) {
            (1, WireValue::Varint(v)) => s.introduced = Some(v as i32),
            (2, WireValue::Varint(v)) => s.deprecated = Some(v as i32),
            (3, WireValue::Bytes(b)) => s.deprecation_warning = lossy(&b),
            (4, WireValue::Varint(v)) => s.removed = Some(v as i32),
            (5, WireValue::Bytes(b)) => s.removal_error = Some(lossy(&b)),
            _ => {}
        }
    }
    Some(s)
}

impl FieldDef<'_> {
    /// The message type it holds (`google.protobuf.FeatureSet`), if any.
    pub fn message_type(&self) -> Option<&str> {
        use prost_types::field_descriptor_proto::Type;
        let ty = self.proto.r#type?;
        if ty != Type::Message as i32 && ty != Type::Group as i32 {
            return None;
        }
        let name = self.proto.type_name.as_deref()?;
        Some(name.strip_prefix('.').unwrap_or(name))
    }

    /// Whether it is `repeated`.
    pub fn is_repeated(&self) -> bool {
        self.proto.label == Some(prost_types::field_descriptor_proto::Label::Repeated as i32)
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `FieldOptions.FeatureSupport`: the editions in which a field (an option or a feature) can be
/// used. Editions are `google.protobuf.Edition` numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureSupport {
    /// `edition_introduced`.
    pub introduced: Option<i32>,
    /// `edition_deprecated`.
    pub deprecated: Option<i32>,
    /// `deprecation_warning`.
    pub deprecation_warning: String,
    /// `edition_removed`.
    pub removed: Option<i32>,
    /// `removal_error`.
    pub removal_error: Option<String>,
}

/// An extension: (file, path, definition, full name).
type ExtensionEntry<'a> = (usize, Vec<i32>, &'a FieldDescriptorProto, String);

/// The definitions of the compilation's fields and extensions with their options, plus protoc's
/// own `descriptor.proto` for the messages the compilation does not define (looked up only when
/// asked for, see [`Embedded`]). Messages are found in validation's index of them
/// ([`Messages`]), which the field lookups are given.
pub(crate) struct Schema<'a> {
    /// Each input's exact encoding, if known.
    files: Vec<Option<&'a [u8]>>,
    /// Extensions by (extendee full name, number): (file, path, definition, full name).
    extensions: HashMap<(String, i32), ExtensionEntry<'a>>,
    /// [`Schema::field`]'s answers so far, by message and number: finding a definition's
    /// options re-reads its file's encoding, and the same few options are looked up for every
    /// element.
    fields: Mutex<FieldCache<'a>>,
    /// Each input's encoding, split as definitions' options are looked up in it.
    located: Mutex<foldhash::HashMap<usize, Located<'a>>>,
    /// Each message's fields by number, for messages of many fields (by the descriptor's
    /// address): a definition is looked up per number used.
    numbers: Mutex<foldhash::HashMap<usize, foldhash::HashMap<i32, usize>>>,
}

/// Field definitions by message full name and number (`None`: no such field).
type FieldCache<'a> = foldhash::HashMap<String, foldhash::HashMap<i32, Option<Arc<FieldDef<'a>>>>>;

/// protoc's compiled-in `descriptor.proto`, indexed by message full name without decoding it:
/// a message is decoded (with prost) the first time it is looked up, so a compilation that
/// uses no options pays only for scanning the message names. It defines no extensions (a unit
/// test checks that), so only its messages are indexed.
struct Embedded {
    /// The file's exact encoding.
    file: &'static [u8],
    /// Messages by full name.
    messages: HashMap<String, EmbeddedMessage>,
}

/// One message of [`Embedded`]: (path, encoding, decoded definition once asked for).
type EmbeddedMessage = (Vec<i32>, &'static [u8], OnceLock<DescriptorProto>);

/// Calls `f(number, bytes)` for each length-delimited field of a message encoding, in order,
/// until `f` breaks (`None` on malformed input met before that).
fn each_field<'b>(
    bytes: &'b [u8],
    mut f: impl FnMut(u32, &'b [u8]) -> ControlFlow<()>,
) -> Option<()> {
    let mut pos = 0;
    while pos < bytes.len() {
        let tag = varint(bytes, &mut pos)?;
        match tag & 7 {
            0 => {
                varint(bytes, &mut pos)?;
            }
            1 => pos += 8,
            5 => pos += 4,
            2 => {
                let len = usize::try_from(varint(bytes, &mut pos)?).ok()?;
                let end = pos.checked_add(len)?;
                if f((tag >> 3) as u32, bytes.get(pos..end)?).is_break() {
                    return Some(());
                }
                pos = end;
            }
            // Descriptors have no groups.
            _ => return None,
        }
    }
    Some(())
}

/// [`each_field`] over every field.
fn each_bytes<'b>(bytes: &'b [u8], mut f: impl FnMut(u32, &'b [u8])) -> Option<()> {
    each_field(bytes, |n, b| {
        f(n, b);
        ControlFlow::Continue(())
    })
}

impl Embedded {
    /// Indexes `DESCRIPTOR_PROTO`'s messages, nested ones included.
    fn get() -> Option<&'static Embedded> {
        static EMBEDDED: OnceLock<Option<Embedded>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                let file = bytes_at(DESCRIPTOR_PROTO, &[tag::SET_FILE, 0])?;
                let mut package = "";
                let mut tops = Vec::new();
                each_bytes(file, |n, b| match n as i32 {
                    tag::FILE_PACKAGE => package = std::str::from_utf8(b).unwrap_or(""),
                    tag::FILE_MESSAGE => tops.push(b),
                    _ => {}
                })?;
                let mut e = Embedded {
                    file,
                    messages: HashMap::default(),
                };
                for (i, m) in tops.into_iter().enumerate() {
                    e.add_message(package, m, vec![tag::FILE_MESSAGE, i as i32]);
                }
                Some(e)
            })
            .as_ref()
    }

    /// Indexes message `m` (encoded) in `scope` at `path`, then its nested messages, keeping
    /// the first definition of a name as [`Schema::add_message`] does.
    fn add_message(&mut self, scope: &str, m: &'static [u8], path: Vec<i32>) {
        let mut name = "";
        let mut nested = Vec::new();
        each_bytes(m, |n, b| match n as i32 {
            tag::MSG_NAME => name = std::str::from_utf8(b).unwrap_or(""),
            tag::MSG_NESTED => nested.push(b),
            _ => {}
        });
        let full = qualify(scope, name);
        for (i, n) in nested.into_iter().enumerate() {
            let mut p = path.clone();
            p.extend([tag::MSG_NESTED, i as i32]);
            self.add_message(&full, n, p);
        }
        self.messages
            .entry(full)
            .or_insert((path, m, OnceLock::new()));
    }

    /// Message `full` (no leading dot): its path and definition, decoded on first use.
    fn message(&self, full: &str) -> Option<(&[i32], &DescriptorProto)> {
        let (path, bytes, decoded) = self.messages.get(full)?;
        let m = decoded.get_or_init(|| DescriptorProto::decode(*bytes).unwrap_or_default());
        Some((path, m))
    }
}

impl<'a> Schema<'a> {
    /// The inputs' encodings; their extensions are added by validation's walk of its index
    /// ([`Schema::add_extension`]), in file order, nested ones first.
    pub fn new(inputs: &'a [CheckInput<'a>]) -> Schema<'a> {
        Schema {
            files: inputs.iter().map(|i| i.encoded).collect(),
            extensions: HashMap::default(),
            fields: Mutex::default(),
            located: Mutex::default(),
            numbers: Mutex::default(),
        }
    }

    /// Adds extension `x`, defined in `scope` at `path` of file `file` (the first one added of
    /// an extendee and number is kept).
    pub fn add_extension(
        &mut self,
        file: usize,
        scope: &str,
        x: &'a FieldDescriptorProto,
        path: Vec<i32>,
    ) {
        let extendee = x.extendee.as_deref().unwrap_or("");
        let extendee = extendee.strip_prefix('.').unwrap_or(extendee).to_string();
        let full = qualify(scope, x.name.as_deref().unwrap_or(""));
        self.extensions
            .entry((extendee, x.number.unwrap_or(0)))
            .or_insert((file, path, x, full));
    }

    fn options_of(&self, file: usize, path: &[i32]) -> Vec<WireField> {
        let mut p = path.to_vec();
        p.push(8);
        let found = match self.files.get(file) {
            Some(encoded) => encoded.and_then(|b| {
                let mut located = self.located.lock().unwrap_or_else(|e| e.into_inner());
                located.entry(file).or_default().bytes_at(b, &p)
            }),
            None => Embedded::get().and_then(|e| bytes_at(e.file, &p)),
        };
        found.and_then(parse_fields).unwrap_or_default()
    }

    /// Field `number` of message `message` (full name, no leading dot): a field, or an
    /// extension of it.
    pub fn field(
        &self,
        messages: &Messages<'a>,
        message: &str,
        number: i32,
    ) -> Option<Arc<FieldDef<'a>>> {
        let mut cache = self.fields.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(message).and_then(|m| m.get(&number)) {
            return found.clone();
        }
        let found = self.find_field(messages, message, number).map(Arc::new);
        cache
            .entry(message.to_string())
            .or_default()
            .insert(number, found.clone());
        found
    }

    /// [`Schema::field`], uncached.
    fn find_field(
        &self,
        messages: &Messages<'a>,
        message: &str,
        number: i32,
    ) -> Option<FieldDef<'a>> {
        let found = match messages.get(message) {
            Some(def) => Some((def.file, def.path.as_slice(), def.proto)),
            None => Embedded::get()
                .and_then(|e| e.message(message))
                .map(|(path, m)| (self.files.len(), path, m)),
        };
        if let Some((file, path, m)) = found {
            let at = if m.field.len() <= super::Lookups::LINEAR_MAX {
                m.field.iter().position(|f| f.number == Some(number))
            } else {
                let mut numbers = self.numbers.lock().unwrap_or_else(|e| e.into_inner());
                let index = numbers.entry(m as *const _ as usize).or_insert_with(|| {
                    let mut index = foldhash::HashMap::default();
                    for (i, f) in m.field.iter().enumerate() {
                        if let Some(n) = f.number {
                            index.entry(n).or_insert(i);
                        }
                    }
                    index
                });
                index.get(&number).copied()
            };
            if let Some((i, f)) = at.map(|i| (i, &m.field[i])) {
                let mut p = path.to_vec();
                p.extend([2, i as i32]);
                let options = self.options_of(file, &p);
                let full_name = qualify(message, f.name.as_deref().unwrap_or(""));
                return Some(FieldDef::new(f, full_name, options, file, p));
            }
        }
        let (file, path, x, full) = self.extensions.get(&(message.to_string(), number))?;
        let options = self.options_of(*file, path);
        Some(FieldDef::new(x, full.clone(), options, *file, path.clone()))
    }

    /// The index of the compiled file (same order as the inputs) defining the extension of
    /// `message` with this number, if it is one.
    pub fn extension_file(&self, message: &str, number: i32) -> Option<usize> {
        self.extensions
            .get(&(message.to_string(), number))
            .map(|(f, ..)| *f)
    }

    /// The extension of `message` with this number.
    pub fn extension(&self, message: &str, number: i32) -> Option<&'a FieldDescriptorProto> {
        self.extensions
            .get(&(message.to_string(), number))
            .map(|(_, _, x, _)| *x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_descriptor_proto_has_feature_support() {
        let inputs: Vec<CheckInput> = Vec::new();
        let s = Schema::new(&inputs);
        let f = s
            .field(&Messages::default(), "google.protobuf.FileOptions", 10)
            .expect("java_multiple_files");
        assert_eq!(
            f.full_name,
            "google.protobuf.FileOptions.java_multiple_files"
        );
        let support = f.feature_support().expect("feature_support");
        assert_eq!(support.removed, Some(1001));
        let presence = s
            .field(&Messages::default(), "google.protobuf.FeatureSet", 1)
            .unwrap();
        assert_eq!(presence.targets(), vec![4, 1]);
        assert_eq!(presence.feature_support().unwrap().introduced, Some(1000));
    }

    /// [`Embedded`] indexes only messages, and the same ones at the same paths as decoding the
    /// whole file.
    #[test]
    fn embedded_index_matches_full_decode() {
        let set = prost_types::FileDescriptorSet::decode(DESCRIPTOR_PROTO).unwrap();
        let fd = &set.file[0];
        assert!(fd.extension.is_empty());
        assert!(fd.message_type.iter().all(|m| m.extension.is_empty()));
        let e = Embedded::get().unwrap();
        fn walk<'m>(
            scope: &str,
            m: &'m DescriptorProto,
            path: Vec<i32>,
            out: &mut Vec<(String, Vec<i32>, &'m DescriptorProto)>,
        ) {
            let full = qualify(scope, m.name.as_deref().unwrap_or(""));
            for (i, n) in m.nested_type.iter().enumerate() {
                walk(&full, n, [path.as_slice(), &[3, i as i32]].concat(), out);
            }
            out.push((full, path, m));
        }
        let mut decoded = Vec::new();
        for (i, m) in fd.message_type.iter().enumerate() {
            walk(fd.package(), m, vec![4, i as i32], &mut decoded);
        }
        assert_eq!(decoded.len(), e.messages.len());
        for (name, path, m) in &decoded {
            let (p, found) = e.message(name).unwrap();
            assert_eq!((p, found), (path.as_slice(), *m));
        }
    }

    #[test]
    fn paths_alternate_field_and_index() {
        // message { field 4: { field 2: "a" } field 4: { field 2: "b", field 8: "x" } }
        let bytes = [
            0x22, 0x03, 0x12, 0x01, b'a', 0x22, 0x06, 0x12, 0x01, b'b', 0x42, 0x01, b'x',
        ];
        assert_eq!(bytes_at(&bytes, &[4, 1, 8]), Some(&b"x"[..]));
        assert_eq!(bytes_at(&bytes, &[4, 0, 2, 0]), Some(&b"a"[..]));
        assert_eq!(bytes_at(&bytes, &[4, 2]), None);
    }
}
