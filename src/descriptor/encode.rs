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
use crate::protobuf::descriptor_fields as tag;

/// What a descriptor holds that `prost_types` cannot represent.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// `FileDescriptorProto.edition`, for editions files.
    pub edition: Option<i32>,
    /// `FileDescriptorProto.option_dependency`: `import option` files.
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
        put_bytes(&mut out, tag::FILE_NAME as u32, n.as_bytes());
    }
    if let Some(p) = &f.package {
        put_bytes(&mut out, tag::FILE_PACKAGE as u32, p.as_bytes());
    }
    for d in &f.dependency {
        put_bytes(&mut out, tag::FILE_DEPENDENCY as u32, d.as_bytes());
    }
    nested(
        &mut out,
        &mut path,
        tag::FILE_MESSAGE,
        &f.message_type,
        |m, p, out| message(m, p, x, out),
    );
    nested(
        &mut out,
        &mut path,
        tag::FILE_ENUM,
        &f.enum_type,
        |e, p, out| enumeration(e, p, x, out),
    );
    nested(
        &mut out,
        &mut path,
        tag::FILE_SERVICE,
        &f.service,
        |s, p, out| service(s, p, x, out),
    );
    nested(
        &mut out,
        &mut path,
        tag::FILE_EXTENSION,
        &f.extension,
        |e, p, out| field(e, p, x, out),
    );
    options(
        &mut out,
        &mut path,
        tag::FILE_OPTIONS,
        f.options.as_ref(),
        x,
    );
    if let Some(sci) = &f.source_code_info {
        put_bytes(
            &mut out,
            tag::FILE_SOURCE_CODE_INFO as u32,
            &sci.encode_to_vec(),
        );
    }
    for d in &f.public_dependency {
        put_int32_field(&mut out, tag::FILE_PUBLIC_DEPENDENCY as u32, *d);
    }
    for d in &f.weak_dependency {
        put_int32_field(&mut out, tag::FILE_WEAK_DEPENDENCY as u32, *d);
    }
    if let Some(s) = &f.syntax {
        put_bytes(&mut out, tag::FILE_SYNTAX as u32, s.as_bytes());
    }
    if let Some(e) = x.edition {
        put_int32_field(&mut out, tag::FILE_EDITION as u32, e);
    }
    for d in &x.option_dependency {
        put_bytes(&mut out, tag::FILE_OPTION_DEPENDENCY as u32, d.as_bytes());
    }
    out
}

/// Writes each element of a repeated message field, with its index pushed on the path.
fn nested<T>(
    out: &mut Vec<u8>,
    path: &mut Vec<i32>,
    number: i32,
    items: &[T],
    encode: impl Fn(&T, &mut Vec<i32>, &mut Vec<u8>),
) {
    path.push(number);
    for (i, item) in items.iter().enumerate() {
        path.push(i as i32);
        // Encoded in place, after a one-byte length that is widened if the element is longer.
        put_tag(out, number as u32, 2);
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
    number: i32,
    opts: Option<&M>,
    x: &Extras,
) {
    path.push(number);
    if let Some(bytes) = x.options.get(path.as_slice()) {
        put_bytes(out, number as u32, bytes);
    } else if let Some(o) = opts {
        put_bytes(out, number as u32, &o.encode_to_vec());
    }
    path.pop();
}

fn message(m: &DescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &m.name {
        put_bytes(out, tag::MSG_NAME as u32, n.as_bytes());
    }
    nested(out, path, tag::MSG_FIELD, &m.field, |f, p, out| {
        field(f, p, x, out)
    });
    nested(out, path, tag::MSG_NESTED, &m.nested_type, |n, p, out| {
        message(n, p, x, out)
    });
    nested(out, path, tag::MSG_ENUM, &m.enum_type, |e, p, out| {
        enumeration(e, p, x, out)
    });
    nested(
        out,
        path,
        tag::MSG_EXT_RANGE,
        &m.extension_range,
        |r, p, out| {
            if let Some(s) = r.start {
                put_int32_field(out, tag::RANGE_START as u32, s);
            }
            if let Some(e) = r.end {
                put_int32_field(out, tag::RANGE_END as u32, e);
            }
            options(out, p, tag::EXT_RANGE_OPTIONS, r.options.as_ref(), x);
        },
    );
    nested(out, path, tag::MSG_EXTENSION, &m.extension, |f, p, out| {
        field(f, p, x, out)
    });
    options(out, path, tag::MSG_OPTIONS, m.options.as_ref(), x);
    nested(out, path, tag::MSG_ONEOF, &m.oneof_decl, |o, p, out| {
        oneof(o, p, x, out)
    });
    for r in &m.reserved_range {
        put_bytes(out, tag::MSG_RESERVED_RANGE as u32, &r.encode_to_vec());
    }
    for n in &m.reserved_name {
        put_bytes(out, tag::MSG_RESERVED_NAME as u32, n.as_bytes());
    }
    if let Some(v) = x.visibility.get(path.as_slice()) {
        put_int32_field(out, tag::MSG_VISIBILITY as u32, *v);
    }
}

fn field(f: &FieldDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &f.name {
        put_bytes(out, tag::FIELD_NAME as u32, n.as_bytes());
    }
    if let Some(e) = &f.extendee {
        put_bytes(out, tag::FIELD_EXTENDEE as u32, e.as_bytes());
    }
    if let Some(n) = f.number {
        put_int32_field(out, tag::FIELD_NUMBER as u32, n);
    }
    if let Some(l) = f.label {
        put_int32_field(out, tag::FIELD_LABEL as u32, l);
    }
    if let Some(t) = f.r#type {
        put_int32_field(out, tag::FIELD_TYPE as u32, t);
    }
    if let Some(t) = &f.type_name {
        put_bytes(out, tag::FIELD_TYPE_NAME as u32, t.as_bytes());
    }
    if let Some(raw) = x.raw_defaults.get(path.as_slice()) {
        put_bytes(out, tag::FIELD_DEFAULT as u32, raw);
    } else if let Some(d) = &f.default_value {
        put_bytes(out, tag::FIELD_DEFAULT as u32, d.as_bytes());
    }
    options(out, path, tag::FIELD_OPTIONS, f.options.as_ref(), x);
    if let Some(i) = f.oneof_index {
        put_int32_field(out, tag::FIELD_ONEOF_INDEX as u32, i);
    }
    if let Some(j) = &f.json_name {
        put_bytes(out, tag::FIELD_JSON_NAME as u32, j.as_bytes());
    }
    if let Some(p) = f.proto3_optional {
        put_varint_field(out, tag::FIELD_PROTO3_OPTIONAL as u32, u64::from(p));
    }
}

fn oneof(o: &OneofDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &o.name {
        put_bytes(out, tag::ONEOF_NAME as u32, n.as_bytes());
    }
    options(out, path, tag::ONEOF_OPTIONS, o.options.as_ref(), x);
}

fn enumeration(e: &EnumDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &e.name {
        put_bytes(out, tag::ENUM_NAME as u32, n.as_bytes());
    }
    nested(out, path, tag::ENUM_VALUE, &e.value, |v, p, out| {
        enum_value(v, p, x, out)
    });
    options(out, path, tag::ENUM_OPTIONS, e.options.as_ref(), x);
    for r in &e.reserved_range {
        put_bytes(out, tag::ENUM_RESERVED_RANGE as u32, &r.encode_to_vec());
    }
    for n in &e.reserved_name {
        put_bytes(out, tag::ENUM_RESERVED_NAME as u32, n.as_bytes());
    }
    if let Some(v) = x.visibility.get(path.as_slice()) {
        put_int32_field(out, tag::ENUM_VISIBILITY as u32, *v);
    }
}

fn enum_value(v: &EnumValueDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &v.name {
        put_bytes(out, tag::VALUE_NAME as u32, n.as_bytes());
    }
    if let Some(n) = v.number {
        put_int32_field(out, tag::VALUE_NUMBER as u32, n);
    }
    options(out, path, tag::VALUE_OPTIONS, v.options.as_ref(), x);
}

fn service(s: &ServiceDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &s.name {
        put_bytes(out, tag::SERVICE_NAME as u32, n.as_bytes());
    }
    nested(out, path, tag::SERVICE_METHOD, &s.method, |m, p, out| {
        method(m, p, x, out)
    });
    options(out, path, tag::SERVICE_OPTIONS, s.options.as_ref(), x);
}

fn method(m: &MethodDescriptorProto, path: &mut Vec<i32>, x: &Extras, out: &mut Vec<u8>) {
    if let Some(n) = &m.name {
        put_bytes(out, tag::METHOD_NAME as u32, n.as_bytes());
    }
    if let Some(t) = &m.input_type {
        put_bytes(out, tag::METHOD_INPUT_TYPE as u32, t.as_bytes());
    }
    if let Some(t) = &m.output_type {
        put_bytes(out, tag::METHOD_OUTPUT_TYPE as u32, t.as_bytes());
    }
    options(out, path, tag::METHOD_OPTIONS, m.options.as_ref(), x);
    if let Some(c) = m.client_streaming {
        put_varint_field(out, tag::METHOD_CLIENT_STREAMING as u32, u64::from(c));
    }
    if let Some(s) = m.server_streaming {
        put_varint_field(out, tag::METHOD_SERVER_STREAMING as u32, u64::from(s));
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
