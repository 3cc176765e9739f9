//! Editions and features: the edition of a file, the features each element resolves to, and the
//! features written on it.
//!
//! prost-types 0.14 predates editions: `FileDescriptorProto` has no `edition` field and the
//! options messages have no `features` field. So validation reads them from two other sources
//! the descriptor builder hands over (see [`super::CheckInput`]):
//!
//! - the **edition** from `edition` (field 14) of the file's exact encoding
//!   ([`crate::descriptor::Built::encoded`]);
//! - each element's **explicit features** from its interpreted options before retention
//!   stripping ([`crate::descriptor::Built::options`]): every `features` field of the
//!   `*Options` message (its number differs per message: 50 in `FileOptions`, 12 in
//!   `MessageOptions`, 21 in `FieldOptions`…, see [`super::targets::Target::features_field`]),
//!   merged in order as protobuf merges a message set in pieces. The encoded
//!   bytes would not do: `enforce_naming_style` and `default_symbol_visibility` are
//!   `RETENTION_SOURCE` and are gone from them.
//!
//! Resolution follows protoc's `FeatureResolver` and `DescriptorBuilder::ResolveFeaturesImpl`:
//! the edition's defaults (from `descriptor.proto`'s `edition_defaults`; proto2 and proto3 files
//! use `EDITION_PROTO2`/`EDITION_PROTO3`'s), then the file's explicit features, then each
//! enclosing element's, then the element's own; for proto2/proto3 fields the features their
//! syntax implies are inferred on top (`InferLegacyProtoFeatures`: `required`, groups, `packed`).

use crate::descriptor::wire::{parse_fields, WireField, WireValue};
use crate::descriptor::WrittenOptions;

pub use crate::protobuf::Edition;

/// `features.field_presence`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Has-bits: `optional` semantics.
    Explicit,
    /// No presence: proto3 singular semantics.
    Implicit,
    /// proto2 `required`.
    LegacyRequired,
}

/// `features.default_symbol_visibility`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultVisibility {
    /// Everything unmarked is exported (before edition 2024).
    ExportAll,
    /// Top-level symbols exported, nested ones local (edition 2024's default).
    ExportTopLevel,
    /// Everything unmarked is local.
    LocalAll,
    /// Like `LocalAll`, and nested types cannot be `export`.
    Strict,
}

/// Field numbers of `google.protobuf.FeatureSet`.
pub mod number {
    /// `field_presence`.
    pub const FIELD_PRESENCE: u32 = 1;
    /// `enum_type`.
    pub const ENUM_TYPE: u32 = 2;
    /// `repeated_field_encoding`.
    pub const REPEATED_FIELD_ENCODING: u32 = 3;
    /// `utf8_validation`.
    pub const UTF8_VALIDATION: u32 = 4;
    /// `message_encoding`.
    pub const MESSAGE_ENCODING: u32 = 5;
    /// `json_format`.
    pub const JSON_FORMAT: u32 = 6;
    /// `enforce_naming_style`.
    pub const ENFORCE_NAMING_STYLE: u32 = 7;
    /// `default_symbol_visibility`.
    pub const DEFAULT_SYMBOL_VISIBILITY: u32 = 8;
}

/// The features written on one element (`options.features`), as protoc's `proto_features_`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureSet {
    /// Whether the options have a `features` field at all (even `features = {}`).
    pub present: bool,
    /// The global features set, by field number, in field-number order: the last value wins.
    pub values: Vec<(u32, i32)>,
    /// Field numbers of language-specific features set (`(pb.cpp)` = 1000, …).
    pub extensions: Vec<u32>,
}

impl FeatureSet {
    /// The features in an element's interpreted options; `features_field` is the number of
    /// `features` in that options message.
    pub fn of(options: Option<&WrittenOptions>, features_field: u32) -> FeatureSet {
        options
            .map(|o| FeatureSet::from_fields(&o.fields, features_field))
            .unwrap_or_default()
    }

    /// The features among an options message's fields (every occurrence of field
    /// `features_field`, merged).
    pub fn from_fields(fields: &[WireField], features_field: u32) -> FeatureSet {
        let mut set = FeatureSet::default();
        // The extensions already listed, once there are more than a few to search.
        let mut listed: Option<foldhash::HashSet<u32>> = None;
        for f in fields {
            if f.number != features_field {
                continue;
            }
            set.present = true;
            let WireValue::Bytes(b) = &f.value else {
                continue;
            };
            for sub in parse_fields(b).unwrap_or_default() {
                match sub.value {
                    WireValue::Varint(v) if sub.number < 1000 => set.set(sub.number, v as i32),
                    _ if sub.number >= 1000 => {
                        let new = match &mut listed {
                            Some(listed) => listed.insert(sub.number),
                            None => !set.extensions.contains(&sub.number),
                        };
                        if new {
                            set.extensions.push(sub.number);
                            if listed.is_none() && set.extensions.len() > super::Lookups::LINEAR_MAX
                            {
                                listed = Some(set.extensions.iter().copied().collect());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        set
    }

    fn set(&mut self, n: u32, v: i32) {
        match self.values.binary_search_by_key(&n, |(m, _)| *m) {
            Ok(i) => self.values[i].1 = v,
            Err(i) => self.values.insert(i, (n, v)),
        }
    }

    /// The value of a global feature, if set here.
    pub fn get(&self, n: u32) -> Option<i32> {
        self.values.iter().find(|(m, _)| *m == n).map(|(_, v)| *v)
    }

    /// Whether a global feature is set here.
    pub fn has(&self, n: u32) -> bool {
        self.get(n).is_some()
    }
}

/// The resolved features of one element (only the ones validation needs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// `field_presence`.
    pub presence: Presence,
    /// `enum_type = CLOSED`.
    pub closed_enum: bool,
    /// `repeated_field_encoding = PACKED`.
    pub packed: bool,
    /// `utf8_validation = VERIFY`.
    pub utf8_verify: bool,
    /// `message_encoding = DELIMITED`.
    pub delimited: bool,
    /// `json_format = LEGACY_BEST_EFFORT`.
    pub json_legacy: bool,
    /// `enforce_naming_style = STYLE2024` (or newer).
    pub naming_2024: bool,
    /// `default_symbol_visibility`.
    pub visibility: DefaultVisibility,
}

impl Features {
    /// The defaults of an edition (descriptor.proto's `edition_defaults`, protoc 36).
    pub fn defaults(edition: Edition) -> Features {
        let legacy = Features {
            presence: Presence::Explicit,
            closed_enum: true,
            packed: false,
            utf8_verify: false,
            delimited: false,
            json_legacy: true,
            naming_2024: false,
            visibility: DefaultVisibility::ExportAll,
        };
        let proto3 = Features {
            presence: Presence::Implicit,
            closed_enum: false,
            packed: true,
            utf8_verify: true,
            json_legacy: false,
            ..legacy
        };
        // The defaults of the newest edition not newer than this one.
        if edition >= Edition::E2024 {
            Features {
                presence: Presence::Explicit,
                naming_2024: true,
                visibility: DefaultVisibility::ExportTopLevel,
                ..proto3
            }
        } else if edition >= Edition::E2023 {
            Features {
                presence: Presence::Explicit,
                ..proto3
            }
        } else if edition >= Edition::PROTO3 {
            proto3
        } else {
            legacy
        }
    }

    /// These features with the explicit ones applied (values protoc would reject as unknown
    /// are ignored).
    #[inline]
    pub fn merged(self, explicit: &FeatureSet) -> Features {
        // Most elements have no features of their own.
        if explicit.values.is_empty() {
            self
        } else {
            self.merged_values(explicit)
        }
    }

    /// [`Features::merged`] for a non-empty set.
    fn merged_values(mut self, explicit: &FeatureSet) -> Features {
        for &(n, v) in &explicit.values {
            match (n, v) {
                (number::FIELD_PRESENCE, 1) => self.presence = Presence::Explicit,
                (number::FIELD_PRESENCE, 2) => self.presence = Presence::Implicit,
                (number::FIELD_PRESENCE, 3) => self.presence = Presence::LegacyRequired,
                (number::ENUM_TYPE, 1 | 2) => self.closed_enum = v == 2,
                (number::REPEATED_FIELD_ENCODING, 1 | 2) => self.packed = v == 1,
                (number::UTF8_VALIDATION, 2 | 3) => self.utf8_verify = v == 2,
                (number::MESSAGE_ENCODING, 1 | 2) => self.delimited = v == 2,
                (number::JSON_FORMAT, 1 | 2) => self.json_legacy = v == 2,
                (number::ENFORCE_NAMING_STYLE, 1..=3) => self.naming_2024 = v != 2,
                (number::DEFAULT_SYMBOL_VISIBILITY, 1) => {
                    self.visibility = DefaultVisibility::ExportAll
                }
                (number::DEFAULT_SYMBOL_VISIBILITY, 2) => {
                    self.visibility = DefaultVisibility::ExportTopLevel
                }
                (number::DEFAULT_SYMBOL_VISIBILITY, 3) => {
                    self.visibility = DefaultVisibility::LocalAll
                }
                (number::DEFAULT_SYMBOL_VISIBILITY, 4) => {
                    self.visibility = DefaultVisibility::Strict
                }
                _ => {}
            }
        }
        self
    }
}

/// Reads one field of a message's encoding: the varint value of the last occurrence of field
/// `number` at top level (`FileDescriptorProto.edition`, …).
pub fn read_varint(bytes: &[u8], number: u32) -> Option<u64> {
    // Skimmed without copying anything (a file's encoding is read for its edition); encodings
    // with groups or errors are left to the full parse, whose answer they are.
    scan_varint(bytes, number).unwrap_or_else(|| read_varint_parsed(bytes, number))
}

/// [`read_varint`] over encodings of varint, fixed and length-delimited fields only: the last
/// value of field `number` (`Some(None)` if it has none), or `None` for any other encoding.
fn scan_varint(bytes: &[u8], number: u32) -> Option<Option<u64>> {
    use crate::descriptor::wire::get_varint as varint;
    let mut pos = 0;
    let mut last = None;
    while pos < bytes.len() {
        let tag = varint(bytes, &mut pos)?;
        let n = u32::try_from(tag >> 3).ok()?;
        let skip = match tag & 7 {
            0 => {
                let v = varint(bytes, &mut pos)?;
                if n == number {
                    last = Some(v);
                }
                0
            }
            1 => 8,
            2 => usize::try_from(varint(bytes, &mut pos)?).ok()?,
            5 => 4,
            _ => return None,
        };
        pos = pos.checked_add(skip).filter(|&end| end <= bytes.len())?;
    }
    Some(last)
}

/// [`read_varint`] by parsing every field.
fn read_varint_parsed(bytes: &[u8], number: u32) -> Option<u64> {
    parse_fields(bytes)?
        .into_iter()
        .rev()
        .find_map(|f| match f.value {
            WireValue::Varint(v) if f.number == number => Some(v),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::wire::{encode_fields, WireField};

    fn features(values: &[(u32, u64)]) -> WireField {
        let inner: Vec<WireField> = values
            .iter()
            .map(|&(n, v)| WireField::varint(n, v))
            .collect();
        let mut b = Vec::new();
        encode_fields(&inner, &mut b);
        WireField::bytes(50, b)
    }

    #[test]
    fn varints_skimmed_as_parsed() {
        let mut b = Vec::new();
        encode_fields(
            &[
                WireField::varint(14, 998),
                WireField::bytes(4, vec![1, 2, 3]),
                WireField::varint(14, 1000),
                WireField::varint(3, 7),
            ],
            &mut b,
        );
        assert_eq!(read_varint(&b, 14), Some(1000));
        assert_eq!(read_varint(&b, 15), None);
        assert_eq!(scan_varint(&b, 14), Some(Some(1000)));
        for cut in 0..b.len() {
            assert_eq!(
                read_varint(&b[..cut], 14),
                read_varint_parsed(&b[..cut], 14)
            );
        }
        let group = [0x0b, 0x08, 0x01, 0x0c, 0x70, 0x05]; // group 1 { 1: 1 }, 14: 5
        assert_eq!(scan_varint(&group, 14), None);
        assert_eq!(read_varint(&group, 14), Some(5));
    }

    #[test]
    fn pieces_merge_and_last_wins() {
        let fields = vec![
            WireField::varint(1, 1),
            features(&[(number::ENUM_TYPE, 2)]),
            features(&[(number::FIELD_PRESENCE, 2), (number::ENUM_TYPE, 1)]),
        ];
        let set = FeatureSet::from_fields(&fields, 50);
        assert!(set.present);
        assert_eq!(set.values, vec![(1, 2), (2, 1)]);
        let f = Features::defaults(Edition::E2023).merged(&set);
        assert_eq!(f.presence, Presence::Implicit);
        assert!(!f.closed_enum);
    }

    #[test]
    fn empty_features_are_present() {
        let set = FeatureSet::from_fields(&[WireField::bytes(50, vec![])], 50);
        assert!(set.present);
        assert!(set.values.is_empty());
        assert!(!FeatureSet::from_fields(&[], 50).present);
    }

    #[test]
    fn legacy_defaults() {
        let p2 = Features::defaults(Edition::PROTO2);
        assert!(p2.closed_enum && p2.json_legacy && !p2.packed);
        let p3 = Features::defaults(Edition::PROTO3);
        assert!(!p3.closed_enum && !p3.json_legacy && p3.packed);
        assert_eq!(p3.presence, Presence::Implicit);
        let e24 = Features::defaults(Edition::E2024);
        assert!(e24.naming_2024);
        assert_eq!(e24.visibility, DefaultVisibility::ExportTopLevel);
    }
}
