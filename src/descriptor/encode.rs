//! Serializes a `FileDescriptorProto` byte for byte as protoc (C++) does.
//!
//! C++ writes known fields in field-number order, then unknown fields in the order they were
//! added. prost would do the same for the fields it knows, but `prost_types` predates editions
//! (no `edition`, `option_dependency`, `visibility`, `features`) and its options structs cannot
//! hold extensions. So this encoder walks the prost struct for the fields it has, and takes the
//! rest from [`Extras`]: every options message as already-encoded bytes (built by
//! `options.rs` in protoc's order), keyed by the options field's `SourceCodeInfo` path.

use foldhash::HashMap;

use prost::Message as _;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, MethodDescriptorProto, OneofDescriptorProto, ServiceDescriptorProto,
};

use super::wire::{put_bytes, put_int32_field, put_tag, put_varint, put_varint_field};

/// What a descriptor holds that `prost_types` cannot represent.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// `FileDescriptorProto.edition` (field 14), for editions files.
    pub edition: Option<i32>,
    /// `FileDescriptorProto.option_dependency` (field 15): `import option` files.
    pub option_dependency: Vec<String>,
    /// Encoded options messages, keyed by the path of the `options` field
    /// (`[8]` for the file, `[4, 0, 7]` for the first message, …).
    pub options: HashMap<Vec<i32>, Vec<u8>>,
    /// `visibility` of messages and enums (edition 2024 `export`/`local`), keyed by element path.
    pub visibility: HashMap<Vec<i32>, i32>,
    /// For repeated fields of editions files: whether `features.repeated_field_encoding`
    /// resolves to `PACKED` (not written; option encoding needs it). Keyed by field path.
    pub packed: HashMap<Vec<i32>, bool>,
    /// For message fields of editions files: the paths of those whose
    /// `features.message_encoding` resolves to `DELIMITED` (not written: they stay
    /// `TYPE_MESSAGE`, but are groups on the wire, which option encoding needs).
    pub delimited: foldhash::HashSet<Vec<i32>>,
    /// For enums of editions files: the paths of those whose `features.enum_type` resolves to
    /// `CLOSED` (option values of such an enum refuse unknown numbers).
    pub closed_enums: foldhash::HashSet<Vec<i32>>,
    /// For singular non-message fields of editions files (not in a oneof, not extensions): the
    /// paths of those whose `features.field_presence` resolves to `IMPLICIT` (in option values,
    /// their zero is neither present nor written).
    pub implicit: foldhash::HashSet<Vec<i32>>,
    /// For enum fields of editions files: the paths of those whose
    /// `features.(pb.cpp).legacy_closed_enum` resolves to true (they treat an open enum as
    /// closed: option values refuse unknown numbers).
    pub legacy_closed: foldhash::HashSet<Vec<i32>>,
    /// String defaults that are not valid UTF-8 (`"\ud800"`, `"\xff"`), keyed by field path:
    /// protoc writes their bytes as they are, which `default_value` (a `String`) cannot hold.
    pub raw_defaults: HashMap<Vec<i32>, Vec<u8>>,
}

/// Encodes a file descriptor.
pub fn encode_file(f: &FileDescriptorProto, x: &Extras) -> Vec<u8> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    if let Some(n) = &f.name {
        put_bytes(&mut out, 1, n.as_bytes());
    }
    if let Some(p) = &f.package {
        put_bytes(&mut out, 2, p.as_bytes());
    }
    for d in &f.dependency {
        put_bytes(&mut out, 3, d.as_bytes());
    }
    nested(&mut out, &mut path, 4, &f.message_type, |m, p, out| {
        message(m, p, x, out)
    });
    nested(&mut out, &mut path, 5, &f.enum_type, |e, p, out| {
        enumeration(e, p, x, out)
    });
    nested(&mut out, &mut path, 6, &f.service, |s, p, out| {
        service(s, p, x, out)
    });
    nested(&mut out, &mut path, 7, &f.extension, |e, p, out| {
        field(e, p, x, out)
    });
    options(&mut out, &mut path, 8, f.options.as_ref(), x);
    if let Some(sci) = &f.source_code_info {
        put_bytes(&mut out, 9, &sci.encode_to_vec());
    }
    for d in &f.public_dependency {
        put_int32_field(&mut out, 10, *d);
    }
    for d in &f.weak_dependency {
        put_int32_field(&mut out, 11, *d);
    }
    if let Some(s) = &f.syntax {
        put_bytes(&mut out, 12, s.as_bytes());
    }
    if let Some(e) = x.edition {
        put_int32_field(&mut out, 14, e);
    }
    for d in &x.option_dependency {
        put_bytes(&mut out, 15, d.as_bytes());
    }
    out
}

/// Writes each element of a repeated message field, with its index pushed on the path.
fn nested<T>(
    out: &mut Vec<u8>,
    path: &mut Vec<i32>,
    number: u32,
    items: &[T],
    encode: impl Fn(&T, &mut Vec<i32>, &mut Vec<u8>),
) {
    path.push(number as i32);
    for (i, item) in items.iter().enumerate() {
        path.push(i as i32);
        // Encoded in place, after a one-byte length that is widened if the element is longer.
        put_tag(out, number, 2);
        let at = out.len();
        out.push(0);
        encode(item, path, out);
        let len = out.len() - at - 1;
        if len < 0x80 {
            out[at] = len as u8;
        } else {
            let mut prefix = Vec::with_capacity(10);
            put_varint(&mut prefix, len as u64);
            out.splice(at..at + 1, prefix);
        }
        path.pop();
    }
    path.pop();
}

/// Writes an options field: the bytes from [`Extras`] when present, else prost's encoding of
/// the struct (which then holds only known fields).
fn options<M: prost::Message>(
    out: &mut Vec<u8>,
    path: &mut Vec<i32>,
    number: u32,
    opts: Option<&M>,
    x: &Extras,
) {
    path.push(number as i32);
    if let Some(bytes) = x.options.get(path.as_slice()) {
        put_bytes(out, number, bytes);
    } else if let Some(o) = opts {
        put_bytes(out, number, &o.encode_to_vec());
    }
    path.pop();
}

fn message(m: &DescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &m.name {
        put_bytes(out, 1, n.as_bytes());
    }
    nested(out, path, 2, &m.field, |f, p, out| field(f, p, x, out));
    nested(out, path, 3, &m.nested_type, |n, p, out| {
        message(n, p, x, out)
    });
    nested(out, path, 4, &m.enum_type, |e, p, out| {
        enumeration(e, p, x, out)
    });
    nested(out, path, 5, &m.extension_range, |r, p, out| {
        if let Some(s) = r.start {
            put_int32_field(out, 1, s);
        }
        if let Some(e) = r.end {
            put_int32_field(out, 2, e);
        }
        options(out, p, 3, r.options.as_ref(), x);
    });
    nested(out, path, 6, &m.extension, |f, p, out| field(f, p, x, out));
    options(out, path, 7, m.options.as_ref(), x);
    nested(out, path, 8, &m.oneof_decl, |o, p, out| oneof(o, p, x, out));
    for r in &m.reserved_range {
        put_bytes(out, 9, &r.encode_to_vec());
    }
    for n in &m.reserved_name {
        put_bytes(out, 10, n.as_bytes());
    }
    if let Some(v) = x.visibility.get(path.as_slice()) {
        put_int32_field(out, 11, *v);
    }
}

fn field(f: &FieldDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &f.name {
        put_bytes(out, 1, n.as_bytes());
    }
    if let Some(e) = &f.extendee {
        put_bytes(out, 2, e.as_bytes());
    }
    if let Some(n) = f.number {
        put_int32_field(out, 3, n);
    }
    if let Some(l) = f.label {
        put_int32_field(out, 4, l);
    }
    if let Some(t) = f.r#type {
        put_int32_field(out, 5, t);
    }
    if let Some(t) = &f.type_name {
        put_bytes(out, 6, t.as_bytes());
    }
    if let Some(raw) = x.raw_defaults.get(path.as_slice()) {
        put_bytes(out, 7, raw);
    } else if let Some(d) = &f.default_value {
        put_bytes(out, 7, d.as_bytes());
    }
    options(out, path, 8, f.options.as_ref(), x);
    if let Some(i) = f.oneof_index {
        put_int32_field(out, 9, i);
    }
    if let Some(j) = &f.json_name {
        put_bytes(out, 10, j.as_bytes());
    }
    if let Some(p) = f.proto3_optional {
        put_varint_field(out, 17, u64::from(p));
    }
}

fn oneof(o: &OneofDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &o.name {
        put_bytes(out, 1, n.as_bytes());
    }
    options(out, path, 2, o.options.as_ref(), x);
}

fn enumeration(e: &EnumDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &e.name {
        put_bytes(out, 1, n.as_bytes());
    }
    nested(out, path, 2, &e.value, |v, p, out| enum_value(v, p, x, out));
    options(out, path, 3, e.options.as_ref(), x);
    for r in &e.reserved_range {
        put_bytes(out, 4, &r.encode_to_vec());
    }
    for n in &e.reserved_name {
        put_bytes(out, 5, n.as_bytes());
    }
    if let Some(v) = x.visibility.get(path.as_slice()) {
        put_int32_field(out, 6, *v);
    }
}

fn enum_value(v: &EnumValueDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &v.name {
        put_bytes(out, 1, n.as_bytes());
    }
    if let Some(n) = v.number {
        put_int32_field(out, 2, n);
    }
    options(out, path, 3, v.options.as_ref(), x);
}

fn service(s: &ServiceDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &s.name {
        put_bytes(out, 1, n.as_bytes());
    }
    nested(out, path, 2, &s.method, |m, p, out| method(m, p, x, out));
    options(out, path, 3, s.options.as_ref(), x);
}

fn method(m: &MethodDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &m.name {
        put_bytes(out, 1, n.as_bytes());
    }
    if let Some(t) = &m.input_type {
        put_bytes(out, 2, t.as_bytes());
    }
    if let Some(t) = &m.output_type {
        put_bytes(out, 3, t.as_bytes());
    }
    options(out, path, 4, m.options.as_ref(), x);
    if let Some(c) = m.client_streaming {
        put_varint_field(out, 5, u64::from(c));
    }
    if let Some(s) = m.server_streaming {
        put_varint_field(out, 6, u64::from(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_prost_for_plain_descriptors() {
        let f = FileDescriptorProto {
            name: Some("a.proto".into()),
            package: Some("p".into()),
            message_type: vec![DescriptorProto {
                name: Some("M".into()),
                field: vec![FieldDescriptorProto {
                    name: Some("x".into()),
                    number: Some(1),
                    label: Some(1),
                    r#type: Some(5),
                    json_name: Some("x".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            syntax: Some("proto3".into()),
            ..Default::default()
        };
        assert_eq!(encode_file(&f, &Extras::default()), f.encode_to_vec());
    }
}
