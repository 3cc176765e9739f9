//! Which version of the language a file is written in: `syntax = "proto2"`, `"proto3"`, or an
//! edition (`edition = "2023";`). One type for every stage that asks.
//!
//! protoc numbers them all with its `google.protobuf.Edition` enum, proto2 and proto3 included
//! (`EDITION_PROTO2` = 998, `EDITION_PROTO3` = 999, `EDITION_2023` = 1000, …), and compares
//! editions by that number; [`Edition`] is that number. A file without a syntax statement is
//! proto2; an `edition = "…"` whose name protoc's parser does not know is
//! [`Edition::UNKNOWN`] (0), still an editions file (the parser has reported it).

/// A file's syntax or edition, as protoc's `google.protobuf.Edition` number. Ordered as protoc
/// orders editions: proto2 < proto3 < 2023 < 2024 < ….
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edition(i32);

impl Edition {
    /// `EDITION_UNKNOWN`: an `edition = "…"` protoc's parser rejects.
    pub const UNKNOWN: Edition = Edition(0);
    /// `EDITION_LEGACY`.
    pub const LEGACY: Edition = Edition(900);
    /// `EDITION_PROTO2`: `syntax = "proto2";`, or no syntax statement.
    pub const PROTO2: Edition = Edition(998);
    /// `EDITION_PROTO3`: `syntax = "proto3";`.
    pub const PROTO3: Edition = Edition(999);
    /// `EDITION_2023`.
    pub const E2023: Edition = Edition(1000);
    /// `EDITION_2024`.
    pub const E2024: Edition = Edition(1001);
    /// `EDITION_2026`.
    pub const E2026: Edition = Edition(1002);
    /// `EDITION_UNSTABLE`.
    pub const UNSTABLE: Edition = Edition(9999);
    /// `EDITION_MAX`.
    pub const MAX: Edition = Edition(i32::MAX);

    /// The edition with this `google.protobuf.Edition` number (as `FileDescriptorProto.edition`
    /// holds it).
    pub const fn from_number(number: i32) -> Edition {
        Edition(number)
    }

    /// Its `google.protobuf.Edition` number.
    pub const fn number(self) -> i32 {
        self.0
    }

    /// The edition an `edition = "name";` statement names, as protoc's parser accepts it (it
    /// parses `EDITION_` + the name as an enum value name); `None` for a name it rejects with
    /// `Unknown edition`.
    pub fn from_name(name: &str) -> Option<Edition> {
        Some(match name {
            "LEGACY" => Edition::LEGACY,
            "2023" => Edition::E2023,
            "2024" => Edition::E2024,
            "2026" => Edition::E2026,
            "UNSTABLE" => Edition::UNSTABLE,
            "1_TEST_ONLY" => Edition(1),
            "2_TEST_ONLY" => Edition(2),
            "99997_TEST_ONLY" => Edition(99997),
            "99998_TEST_ONLY" => Edition(99998),
            "99999_TEST_ONLY" => Edition(99999),
            "MAX" => Edition::MAX,
            _ => return None,
        })
    }

    /// What a file's first statement declares: `edition = "value";` when `is_edition`, else
    /// `syntax = "value";` (anything but `proto3` is proto2 here: protoc's parser has rejected
    /// other values already).
    pub fn of_statement(is_edition: bool, value: &[u8]) -> Edition {
        if is_edition {
            std::str::from_utf8(value)
                .ok()
                .and_then(Edition::from_name)
                .unwrap_or(Edition::UNKNOWN)
        } else if value == b"proto3" {
            Edition::PROTO3
        } else {
            Edition::PROTO2
        }
    }

    /// The edition a descriptor's `syntax` field says: `proto2` (or nothing), `proto3`, or
    /// `editions`, which says no more than "some edition": 2023 is assumed. The edition names
    /// `2023` and `2024` are read as themselves.
    pub fn from_descriptor_syntax(syntax: Option<&str>) -> Edition {
        match syntax.unwrap_or("") {
            "proto3" => Edition::PROTO3,
            "editions" | "2023" => Edition::E2023,
            "2024" => Edition::E2024,
            _ => Edition::PROTO2,
        }
    }

    /// Whether this is an edition proper: an `edition = "…";` file, not proto2 or proto3.
    pub fn is_editions(self) -> bool {
        self != Edition::PROTO2 && self != Edition::PROTO3
    }

    /// Whether `export` / `local` are visibility modifiers (edition 2024 and later); before that
    /// they are ordinary identifiers.
    pub fn has_visibility(self) -> bool {
        self > Edition::E2023
    }

    /// The newest edition whose rules iprotoc's validation knows (proto2, proto3, 2023, 2024)
    /// that is not newer than this one; `None` below proto2 (unknown, legacy, the test editions
    /// 1 and 2). Validation works with this edition: every later edition (2026, UNSTABLE, the
    /// test editions above 2024) has 2024's feature defaults and is checked as 2024, also in
    /// the `feature_support` lifetime checks and their messages.
    pub fn known_floor(self) -> Option<Edition> {
        [
            Edition::E2024,
            Edition::E2023,
            Edition::PROTO3,
            Edition::PROTO2,
        ]
        .into_iter()
        .find(|&known| known <= self)
    }

    /// How protoc prints it in messages: its enum name without `EDITION_` (`PROTO3`, `2023`,
    /// `UNSTABLE`, `99997_TEST_ONLY`, …), or the number when the enum has no such value.
    pub fn name(self) -> String {
        match self.0 {
            900 => "LEGACY".into(),
            998 => "PROTO2".into(),
            999 => "PROTO3".into(),
            1000 => "2023".into(),
            1001 => "2024".into(),
            1002 => "2026".into(),
            9999 => "UNSTABLE".into(),
            1 | 2 | 99997..=99999 => format!("{}_TEST_ONLY", self.0),
            n => n.to_string(),
        }
    }

    /// The shorter table the plugin-support messages (a plugin whose `minimum_edition` /
    /// `maximum_edition` exclude a file) and `--descriptor_set_in`'s `edition = "…";` use:
    /// [`Edition::name`] for proto2, proto3, 2023 and 2024, the number for the rest, and `MAX`
    /// for 9999. It differs from [`Edition::name`] for 2026 (`1002`), 9999 (`EDITION_UNSTABLE`,
    /// which `MAX` would read back as `EDITION_MAX`), LEGACY and the test editions; the two
    /// tables are kept apart, as they were, until those callers are checked against protoc.
    pub fn short_name(self) -> String {
        match self.0 {
            998..=1001 => self.name(),
            9999 => "MAX".into(),
            n => n.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Edition;

    #[test]
    fn numbers_are_protocs() {
        assert_eq!(Edition::PROTO2.number(), 998);
        assert_eq!(Edition::PROTO3.number(), 999);
        assert_eq!(Edition::from_name("2023"), Some(Edition::from_number(1000)));
        assert_eq!(Edition::from_name("2024").map(Edition::number), Some(1001));
        assert_eq!(Edition::from_name("PROTO2"), None);
        assert_eq!(Edition::from_name("2025"), None);
        assert!(Edition::PROTO2 < Edition::PROTO3 && Edition::PROTO3 < Edition::E2023);
    }

    #[test]
    fn statements() {
        assert_eq!(Edition::of_statement(false, b"proto3"), Edition::PROTO3);
        assert_eq!(Edition::of_statement(false, b"proto2"), Edition::PROTO2);
        assert_eq!(Edition::of_statement(true, b"2023"), Edition::E2023);
        let unknown = Edition::of_statement(true, b"proto3");
        assert_eq!(unknown, Edition::UNKNOWN);
        assert!(unknown.is_editions());
        assert!(!Edition::PROTO3.is_editions());
        assert!(!Edition::E2023.has_visibility() && Edition::E2024.has_visibility());
    }

    #[test]
    fn validation_floors_onto_the_editions_it_knows() {
        assert_eq!(
            Edition::from_number(1001).known_floor(),
            Some(Edition::E2024)
        );
        assert_eq!(Edition::UNSTABLE.known_floor(), Some(Edition::E2024));
        assert_eq!(Edition::PROTO3.known_floor(), Some(Edition::PROTO3));
        assert_eq!(Edition::LEGACY.known_floor(), None);
        assert_eq!(Edition::UNKNOWN.known_floor(), None);
    }

    #[test]
    fn names() {
        assert_eq!(Edition::E2023.name(), "2023");
        assert_eq!(Edition::PROTO2.name(), "PROTO2");
        assert_eq!(Edition::from_number(99998).name(), "99998_TEST_ONLY");
        assert_eq!(Edition::UNSTABLE.name(), "UNSTABLE");
        assert_eq!(Edition::UNSTABLE.short_name(), "MAX");
        assert_eq!(Edition::E2026.short_name(), "1002");
        assert_eq!(Edition::E2024.short_name(), "2024");
    }
}
