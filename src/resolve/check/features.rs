//! Editions and features: the edition of a file, the features each element resolves to, and the
//! explicit `features.*` options written on it.
//!
//! prost-types 0.14 predates editions: `FileDescriptorProto` has no `edition` field and the
//! options messages have no `features` field. The descriptor builder therefore leaves every
//! `features.…` option in the element's `uninterpreted_option` list, named as written
//! (`features.field_presence = IMPLICIT` is the name parts `features`, `field_presence` and the
//! identifier value `IMPLICIT`), and the edition comes from [`crate::resolve::check::CheckInput`].
//!
//! Resolution follows protoc's `FeatureResolver`: edition defaults, then the file's features,
//! then each enclosing element's, then the element's own; proto2/proto3 files infer the features
//! their syntax implies (`InferLegacyProtoFeatures`).

use prost_types::UninterpretedOption;

/// The edition (or legacy syntax) of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edition {
    /// `syntax = "proto2";` (also a file with no syntax statement).
    Proto2,
    /// `syntax = "proto3";`
    Proto3,
    /// `edition = "2023";`
    E2023,
    /// `edition = "2024";`
    E2024,
}

impl Edition {
    /// Reads the edition from a descriptor's `syntax` field: `proto2`/empty, `proto3`, or
    /// `editions` (which prost-types cannot qualify further, so it means 2023), and also accepts
    /// the edition names `2023` and `2024`.
    pub fn from_syntax(syntax: Option<&str>) -> Edition {
        match syntax.unwrap_or("") {
            "proto3" => Edition::Proto3,
            "editions" | "2023" => Edition::E2023,
            "2024" => Edition::E2024,
            _ => Edition::Proto2,
        }
    }

    /// Whether this is an edition proper (not proto2/proto3).
    pub fn is_editions(self) -> bool {
        self >= Edition::E2023
    }

    /// How protoc names it in messages (`2023`, `PROTO3`…).
    pub fn describe(self) -> &'static str {
        match self {
            Edition::Proto2 => "PROTO2",
            Edition::Proto3 => "PROTO3",
            Edition::E2023 => "2023",
            Edition::E2024 => "2024",
        }
    }
}

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

/// The resolved features of one element (only the ones validation needs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// `field_presence`.
    pub presence: Presence,
    /// `enum_type = CLOSED`.
    pub closed_enum: bool,
    /// `repeated_field_encoding = PACKED`.
    pub packed: bool,
    /// `message_encoding = DELIMITED`.
    pub delimited: bool,
    /// `json_format = LEGACY_BEST_EFFORT`.
    pub json_legacy: bool,
    /// `enforce_naming_style = STYLE2024`.
    pub naming_2024: bool,
}

impl Features {
    /// The defaults of an edition (descriptor.proto's `edition_defaults`).
    pub fn defaults(edition: Edition) -> Features {
        match edition {
            Edition::Proto2 => Features {
                presence: Presence::Explicit,
                closed_enum: true,
                packed: false,
                delimited: false,
                json_legacy: true,
                naming_2024: false,
            },
            Edition::Proto3 => Features {
                presence: Presence::Implicit,
                closed_enum: false,
                packed: true,
                delimited: false,
                json_legacy: false,
                naming_2024: false,
            },
            Edition::E2023 | Edition::E2024 => Features {
                presence: Presence::Explicit,
                closed_enum: false,
                packed: true,
                delimited: false,
                json_legacy: false,
                naming_2024: edition == Edition::E2024,
            },
        }
    }

    /// These features with the explicit ones applied.
    pub fn merged(mut self, explicit: &[ExplicitFeature]) -> Features {
        for f in explicit {
            match (f.name.as_str(), f.value.as_str()) {
                ("field_presence", "EXPLICIT") => self.presence = Presence::Explicit,
                ("field_presence", "IMPLICIT") => self.presence = Presence::Implicit,
                ("field_presence", "LEGACY_REQUIRED") => self.presence = Presence::LegacyRequired,
                ("enum_type", v) => self.closed_enum = v == "CLOSED",
                ("repeated_field_encoding", v) => self.packed = v == "PACKED",
                ("message_encoding", v) => self.delimited = v == "DELIMITED",
                ("json_format", v) => self.json_legacy = v == "LEGACY_BEST_EFFORT",
                ("enforce_naming_style", v) => self.naming_2024 = v == "STYLE2024",
                _ => {}
            }
        }
        self
    }
}

/// One `features.<name> = <value>` option written on an element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplicitFeature {
    /// The feature (`field_presence`), or the extension for language features (`(pb.cpp)`).
    pub name: String,
    /// The value as written (`IMPLICIT`, `true`).
    pub value: String,
    /// Index in the element's `uninterpreted_option` list, for locating it.
    pub index: usize,
}

/// The `features.…` options among an element's uninterpreted options.
pub fn explicit_features(options: &[UninterpretedOption]) -> Vec<ExplicitFeature> {
    options
        .iter()
        .enumerate()
        .filter_map(|(index, o)| {
            let first = o.name.first()?;
            if first.is_extension || first.name_part != "features" {
                return None;
            }
            let name = match o.name.get(1) {
                Some(p) if p.is_extension => format!("({})", p.name_part),
                Some(p) => p.name_part.clone(),
                None => String::new(),
            };
            let value = if let Some(v) = &o.identifier_value {
                v.clone()
            } else if let Some(v) = o.positive_int_value {
                v.to_string()
            } else if let Some(v) = &o.aggregate_value {
                v.clone()
            } else {
                String::new()
            };
            Some(ExplicitFeature { name, value, index })
        })
        .collect()
}

/// The edition in which a `FeatureSet` field was introduced (descriptor.proto's
/// `feature_support.edition_introduced`), for the features protoc 36 knows.
pub fn feature_introduced(name: &str) -> Option<Edition> {
    match name {
        "field_presence"
        | "enum_type"
        | "repeated_field_encoding"
        | "utf8_validation"
        | "message_encoding"
        | "json_format" => Some(Edition::E2023),
        "enforce_naming_style" | "default_symbol_visibility" => Some(Edition::E2024),
        _ => None,
    }
}

/// Finds a plain (non-extension, single-part) option among uninterpreted options.
pub fn uninterpreted<'a>(
    options: &'a [UninterpretedOption],
    name: &str,
) -> Option<(usize, &'a UninterpretedOption)> {
    options
        .iter()
        .enumerate()
        .find(|(_, o)| o.name.len() == 1 && !o.name[0].is_extension && o.name[0].name_part == name)
}
