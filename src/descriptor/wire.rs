//! Protobuf wire format: a small unknown-field-set model (what protoc's option interpreter builds
//! options in) and the primitives the exact encoder writes with.

/// One field as it appears on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct WireField {
    /// The field number.
    pub number: u32,
    /// The value.
    pub value: WireValue,
}

/// A wire value, by wire type.
#[derive(Clone, Debug, PartialEq)]
pub enum WireValue {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 5.
    Fixed32(u32),
    /// Wire type 1.
    Fixed64(u64),
    /// Wire type 2 (strings, bytes, messages, packed runs).
    Bytes(Vec<u8>),
    /// Wire types 3/4: a group's fields.
    Group(Vec<WireField>),
}

impl WireField {
    /// A varint field.
    pub fn varint(number: u32, v: u64) -> Self {
        WireField {
            number,
            value: WireValue::Varint(v),
        }
    }

    /// A length-delimited field.
    pub fn bytes(number: u32, v: Vec<u8>) -> Self {
        WireField {
            number,
            value: WireValue::Bytes(v),
        }
    }
}

/// Appends a varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a tag.
pub fn put_tag(out: &mut Vec<u8>, number: u32, wire_type: u8) {
    put_varint(out, (u64::from(number) << 3) | u64::from(wire_type));
}

/// Appends a length-delimited field.
pub fn put_bytes(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    put_tag(out, number, 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends a varint field.
pub fn put_varint_field(out: &mut Vec<u8>, number: u32, v: u64) {
    put_tag(out, number, 0);
    put_varint(out, v);
}

/// Appends an `int32` field (negative values sign-extend to ten bytes, as protobuf does).
pub fn put_int32_field(out: &mut Vec<u8>, number: u32, v: i32) {
    put_varint_field(out, number, v as i64 as u64);
}

/// Encodes fields in the given order.
pub fn encode_fields(fields: &[WireField], out: &mut Vec<u8>) {
    for f in fields {
        encode_field(f, out);
    }
}

/// Encodes one field.
pub fn encode_field(f: &WireField, out: &mut Vec<u8>) {
    match &f.value {
        WireValue::Varint(v) => put_varint_field(out, f.number, *v),
        WireValue::Fixed32(v) => {
            put_tag(out, f.number, 5);
            out.extend_from_slice(&v.to_le_bytes());
        }
        WireValue::Fixed64(v) => {
            put_tag(out, f.number, 1);
            out.extend_from_slice(&v.to_le_bytes());
        }
        WireValue::Bytes(b) => put_bytes(out, f.number, b),
        WireValue::Group(fields) => {
            put_tag(out, f.number, 3);
            encode_fields(fields, out);
            put_tag(out, f.number, 4);
        }
    }
}

/// Parses bytes into fields (groups parsed recursively). `None` if malformed.
pub fn parse_fields(bytes: &[u8]) -> Option<Vec<WireField>> {
    let mut pos = 0;
    let fields = parse_until(bytes, &mut pos, None)?;
    (pos == bytes.len()).then_some(fields)
}

/// Reads the varint at `*pos` and moves past it; `None` if the bytes end first or it runs past
/// ten bytes (an over-long value keeps its low 64 bits, as protoc's reader does).
pub(crate) fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift.min(63);
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

fn parse_until(bytes: &[u8], pos: &mut usize, group: Option<u32>) -> Option<Vec<WireField>> {
    let mut fields = Vec::new();
    while *pos < bytes.len() {
        let tag = get_varint(bytes, pos)?;
        let number = u32::try_from(tag >> 3).ok()?;
        let value = match tag & 7 {
            0 => WireValue::Varint(get_varint(bytes, pos)?),
            1 => {
                let b = bytes.get(*pos..*pos + 8)?;
                *pos += 8;
                WireValue::Fixed64(u64::from_le_bytes(b.try_into().ok()?))
            }
            2 => {
                let len = usize::try_from(get_varint(bytes, pos)?).ok()?;
                let b = bytes.get(*pos..pos.checked_add(len)?)?;
                *pos += len;
                WireValue::Bytes(b.to_vec())
            }
            3 => WireValue::Group(parse_until(bytes, pos, Some(number))?),
            4 => {
                return (group == Some(number)).then_some(fields);
            }
            5 => {
                let b = bytes.get(*pos..*pos + 4)?;
                *pos += 4;
                WireValue::Fixed32(u32::from_le_bytes(b.try_into().ok()?))
            }
            _ => return None,
        };
        fields.push(WireField { number, value });
    }
    group.is_none().then_some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let fields = vec![
            WireField::varint(1, 300),
            WireField::bytes(2, b"hi".to_vec()),
            WireField {
                number: 3,
                value: WireValue::Group(vec![WireField {
                    number: 4,
                    value: WireValue::Fixed32(7),
                }]),
            },
            WireField {
                number: 5,
                value: WireValue::Fixed64(u64::MAX),
            },
        ];
        let mut out = Vec::new();
        encode_fields(&fields, &mut out);
        assert_eq!(parse_fields(&out), Some(fields));
    }

    #[test]
    fn negative_int32_uses_ten_bytes() {
        let mut out = Vec::new();
        put_int32_field(&mut out, 1, -1);
        assert_eq!(out.len(), 11);
    }
}
