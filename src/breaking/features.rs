//! Editions features, read from the encoded descriptors.
//!
//! `prost_types` predates editions: decoding a `FileDescriptorProto` drops its `edition` and every
//! `features` message, so an editions file would be compared without them. This module walks the
//! encoded bytes instead (the FileDescriptorSet that `--against` names, or what iprotoc's builder
//! encoded, which is byte-identical to protoc's) and resolves, for every element of an editions
//! file, the **effective** value of the features that change the wire: a feature set on the file
//! or a message is inherited by what it contains (file → message → oneof → field, file → message
//! → enum; an extension inherits from the scope it is declared in), so a feature moved from a
//! field to its file with the same result is no change.
//!
//! Only editions files are recorded: for `proto2` and `proto3` files the decoded descriptors
//! already say everything (`required` is a label, a group is `TYPE_GROUP`, enums are closed in
//! proto2 and open in proto3).

use std::collections::HashMap;

use crate::descriptor::wire::{parse_fields, WireField, WireValue};
use crate::protobuf::qualify;

/// The effective wire features of a field (or extension) of an editions file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FieldFeatures {
    /// `field_presence = LEGACY_REQUIRED`: the field is `required`.
    pub required: bool,
    /// `message_encoding = DELIMITED`: a message field is encoded as a group.
    pub delimited: bool,
}

/// The effective features of the elements of editions files, by full name (no leading dot).
#[derive(Clone, Debug, Default)]
pub struct Features {
    /// Enum → closed (`enum_type = CLOSED`).
    pub(crate) enums: HashMap<String, bool>,
    /// (message, field number) → its field's features.
    pub(crate) fields: HashMap<(String, i32), FieldFeatures>,
    /// (extendee, number) → the extension's features.
    pub(crate) extensions: HashMap<(String, i32), FieldFeatures>,
}

/// The features that matter here, as resolved at one level.
#[derive(Clone, Copy, Debug)]
struct Resolved {
    /// `FeatureSet.field_presence`: 1 EXPLICIT, 2 IMPLICIT, 3 LEGACY_REQUIRED.
    presence: u64,
    /// `FeatureSet.enum_type`: 1 OPEN, 2 CLOSED.
    enum_type: u64,
    /// `FeatureSet.message_encoding`: 1 LENGTH_PREFIXED, 2 DELIMITED.
    message_encoding: u64,
}

impl Resolved {
    /// The defaults of editions 2023 and 2024 for these three features (the same in both).
    const EDITION_DEFAULTS: Resolved = Resolved {
        presence: 1,
        enum_type: 1,
        message_encoding: 1,
    };

    /// `self` with the features set in an options message (`features` is its field `number`).
    fn with(self, options: Option<&[u8]>, number: u32) -> Resolved {
        let mut r = self;
        let Some(fields) = options.and_then(parse_fields) else {
            return r;
        };
        for set in fields.iter().filter(|f| f.number == number) {
            let WireValue::Bytes(b) = &set.value else {
                continue;
            };
            for f in parse_fields(b).unwrap_or_default() {
                match (f.number, f.value) {
                    (1, WireValue::Varint(v)) => r.presence = v,
                    (2, WireValue::Varint(v)) => r.enum_type = v,
                    (5, WireValue::Varint(v)) => r.message_encoding = v,
                    _ => {}
                }
            }
        }
        r
    }
}

fn bytes(fields: &[WireField], number: u32) -> impl Iterator<Item = &[u8]> {
    fields.iter().filter_map(move |f| match &f.value {
        WireValue::Bytes(b) if f.number == number => Some(b.as_slice()),
        _ => None,
    })
}

fn string(fields: &[WireField], number: u32) -> String {
    bytes(fields, number)
        .last()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default()
}

fn varint(fields: &[WireField], number: u32) -> Option<u64> {
    fields.iter().rev().find_map(|f| match f.value {
        WireValue::Varint(v) if f.number == number => Some(v),
        _ => None,
    })
}

impl Features {
    /// The effective features of field `number` of `message` (full names without the leading
    /// dot), when it is declared in an editions file.
    /// (For the tests.)
    #[cfg(feature = "internals")]
    pub fn field(&self, message: &str, number: i32) -> Option<FieldFeatures> {
        self.fields.get(&(message.to_string(), number)).copied()
    }

    /// The effective features of the extension `number` of `extendee`, in an editions file.
    /// (For the tests.)
    #[cfg(feature = "internals")]
    pub fn extension(&self, extendee: &str, number: i32) -> Option<FieldFeatures> {
        self.extensions.get(&(extendee.to_string(), number)).copied()
    }

    /// Whether the enum `name` of an editions file is closed.
    /// (For the tests.)
    #[cfg(feature = "internals")]
    pub fn enum_closed(&self, name: &str) -> Option<bool> {
        self.enums.get(name).copied()
    }

    /// The features of every editions file of an encoded `FileDescriptorSet` (nothing for bytes
    /// that do not parse: the caller decodes the set itself and reports that).
    pub fn of_set(set: &[u8]) -> Features {
        let mut out = Features::default();
        out.add_set(set);
        out
    }

    /// Adds the features of every editions file of an encoded `FileDescriptorSet`.
    pub fn add_set(&mut self, set: &[u8]) {
        for file in bytes(&parse_fields(set).unwrap_or_default(), 1) {
            self.add_file(file);
        }
    }

    /// Adds the features of one encoded `FileDescriptorProto`, if it is an editions file.
    pub fn add_file(&mut self, file: &[u8]) {
        let Some(fields) = parse_fields(file) else {
            return;
        };
        // `syntax = "editions"` (12) with an `edition` (14); proto2 and proto3 files are read
        // from the decoded descriptors.
        if string(&fields, 12) != "editions" {
            return;
        }
        let package = string(&fields, 2);
        let options = bytes(&fields, 8).last();
        let here = Resolved::EDITION_DEFAULTS.with(options, 50);
        for m in bytes(&fields, 4) {
            self.message(m, &package, here);
        }
        for e in bytes(&fields, 5) {
            self.enum_(e, &package, here);
        }
        for x in bytes(&fields, 7) {
            self.walk_field(x, here, None);
        }
    }

    fn message(&mut self, m: &[u8], scope: &str, parent: Resolved) {
        let Some(fields) = parse_fields(m) else {
            return;
        };
        let full = qualify(scope, &string(&fields, 1));
        let here = parent.with(bytes(&fields, 7).last(), 12);
        // Oneofs (8): `OneofOptions.features` is field 1 of the options (field 2 of the oneof).
        let oneofs: Vec<Resolved> = bytes(&fields, 8)
            .map(|o| {
                let of = parse_fields(o).unwrap_or_default();
                here.with(bytes(&of, 2).last(), 1)
            })
            .collect();
        for f in bytes(&fields, 2) {
            self.walk_field(f, here, Some((&full, &oneofs)));
        }
        for x in bytes(&fields, 6) {
            self.walk_field(x, here, None);
        }
        for n in bytes(&fields, 3) {
            self.message(n, &full, here);
        }
        for e in bytes(&fields, 4) {
            self.enum_(e, &full, here);
        }
    }

    /// A field of `message` (with its oneofs' features), or an extension (`message` is None).
    fn walk_field(
        &mut self,
        f: &[u8],
        parent: Resolved,
        message: Option<(&str, &[Resolved])>,
    ) {
        let Some(fields) = parse_fields(f) else {
            return;
        };
        let number = varint(&fields, 3).unwrap_or(0) as i32;
        // A field in a oneof inherits from the oneof.
        let parent = match (message, varint(&fields, 9)) {
            (Some((_, oneofs)), Some(i)) => oneofs.get(i as usize).copied().unwrap_or(parent),
            _ => parent,
        };
        // `FieldOptions.features` is field 21 of the options (field 8 of the field).
        let r = parent.with(bytes(&fields, 8).last(), 21);
        let ty = varint(&fields, 5).unwrap_or(0);
        let repeated = varint(&fields, 4) == Some(3);
        let ff = FieldFeatures {
            required: r.presence == 3 && !repeated,
            // TYPE_MESSAGE (11); a map entry is always length-prefixed (checked by the caller).
            delimited: r.message_encoding == 2 && ty == 11,
        };
        match message {
            Some((m, _)) => {
                self.fields.insert((m.to_string(), number), ff);
            }
            None => {
                let extendee = string(&fields, 2).trim_start_matches('.').to_string();
                self.extensions.insert((extendee, number), ff);
            }
        }
    }

    fn enum_(&mut self, e: &[u8], scope: &str, parent: Resolved) {
        let Some(fields) = parse_fields(e) else {
            return;
        };
        let full = qualify(scope, &string(&fields, 1));
        // `EnumOptions.features` is field 7 of the options (field 3 of the enum).
        let r = parent.with(bytes(&fields, 3).last(), 7);
        self.enums.insert(full, r.enum_type == 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::wire::{encode_fields, WireField};

    fn msg(fields: Vec<WireField>) -> Vec<u8> {
        let mut out = Vec::new();
        encode_fields(&fields, &mut out);
        out
    }

    fn features(presence: Option<u64>, enum_type: Option<u64>, encoding: Option<u64>) -> Vec<u8> {
        let mut f = Vec::new();
        for (n, v) in [(1, presence), (2, enum_type), (5, encoding)] {
            if let Some(v) = v {
                f.push(WireField::varint(n, v));
            }
        }
        msg(f)
    }

    /// Features set on the file are inherited by messages, oneofs, fields and enums; a closer
    /// level overrides; a proto3 file is not recorded at all.
    #[test]
    fn features_are_inherited_and_overridden() {
        let field = |name: &str, number: u64, ty: u64, opts: Option<Vec<u8>>, oneof: Option<u64>| {
            let mut f = vec![
                WireField::bytes(1, name.as_bytes().to_vec()),
                WireField::varint(3, number),
                WireField::varint(4, 1),
                WireField::varint(5, ty),
            ];
            if let Some(o) = opts {
                f.push(WireField::bytes(8, msg(vec![WireField::bytes(21, o)])));
            }
            if let Some(i) = oneof {
                f.push(WireField::varint(9, i));
            }
            msg(f)
        };
        let oneof = msg(vec![
            WireField::bytes(1, b"o".to_vec()),
            WireField::bytes(2, msg(vec![WireField::bytes(1, features(Some(1), None, None))])),
        ]);
        let en = msg(vec![WireField::bytes(1, b"E".to_vec())]);
        let m = msg(vec![
            WireField::bytes(1, b"M".to_vec()),
            WireField::bytes(2, field("a", 1, 5, None, None)),
            WireField::bytes(2, field("b", 2, 11, Some(features(Some(1), None, Some(1))), None)),
            WireField::bytes(2, field("c", 3, 11, None, Some(0))),
            WireField::bytes(4, en),
            WireField::bytes(8, oneof),
        ]);
        let file = |syntax: &str| {
            msg(vec![
                WireField::bytes(1, b"f.proto".to_vec()),
                WireField::bytes(2, b"p".to_vec()),
                WireField::bytes(4, m.clone()),
                WireField::bytes(
                    8,
                    msg(vec![WireField::bytes(50, features(Some(3), Some(2), Some(2)))]),
                ),
                WireField::bytes(12, syntax.as_bytes().to_vec()),
            ])
        };
        let mut f = Features::default();
        f.add_file(&file("editions"));
        let get = |n: i32| f.fields[&("p.M".to_string(), n)];
        assert_eq!(get(1), FieldFeatures { required: true, delimited: false });
        assert_eq!(get(2), FieldFeatures { required: false, delimited: false });
        assert_eq!(get(3), FieldFeatures { required: false, delimited: true });
        assert!(f.enums["p.M.E"]);
        let mut g = Features::default();
        g.add_file(&file("proto3"));
        assert!(g.fields.is_empty() && g.enums.is_empty());
    }
}
