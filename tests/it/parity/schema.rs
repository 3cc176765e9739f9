//! Schema rules against protoc: NUL bytes in comments and strings, `feature_support` of option
//! and feature definitions, `lazy` / `unverified_lazy` on non-message fields, and the lookup
//! of extendees and rpc types among all symbols. Each case states protoc's verdict; see
//! `parity/mod.rs` for what is compared.

use super::{check, Verdict::*};

const NUL: &str = "invalid control characters encountered in text";

#[test]
fn nul_bytes_in_comments_and_strings() {
    check(&[
        ("line comment", &[("t.proto", "syntax = \"proto3\";\n// a\0b\nmessage M {}\n")], Rejects(NUL)),
        ("block comment", &[("t.proto", "syntax = \"proto3\";\n/* a\0b */\nmessage M {}\n")], Rejects(NUL)),
        (
            "string",
            &[("t.proto", "syntax = \"proto3\";\nmessage M { string s = 1 [json_name = \"a\0b\"]; }\n")],
            Rejects(NUL),
        ),
        (
            "string in a literal",
            &[("t.proto", concat!(
                "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message H { optional string s = 1; }\n",
                "extend google.protobuf.FileOptions { optional H h = 50000; }\n",
                "option (h) = { s: \"a\0\" };\n"
            ))],
            Rejects(NUL),
        ),
        (
            "other control characters in a comment and a string",
            &[("t.proto", "syntax = \"proto2\";\n// a\x01\x07\x08\x0b\x0c\x1b\x7fb\n/* \x01 */\nmessage M { optional string s = 1 [default = \"\x01\x1b\"]; }\n")],
            Accepts,
        ),
        (
            "an escaped NUL",
            &[("t.proto", "syntax = \"proto2\";\nmessage M { optional string s = 1 [default = \"a\\0b\"]; }\n")],
            Accepts,
        ),
    ]);
}

/// A proto2 file defining option `o` with `feature_support = { SUPPORT }`.
macro_rules! support {
    ($support:expr) => {
        concat!(
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\npackage p;\n",
            "extend google.protobuf.FieldOptions { optional int32 o = 50000 [feature_support = { ",
            $support,
            " }]; }\n"
        )
    };
}

#[test]
fn feature_support_must_be_consistent() {
    check(&[
        (
            "deprecated without a warning",
            &[("t.proto", support!("edition_introduced: EDITION_2023 edition_deprecated: EDITION_2023"))],
            Rejects("p.o is deprecated but does not specify a deprecation warning"),
        ),
        (
            "removed without an error",
            &[("t.proto", support!("edition_introduced: EDITION_2023 edition_removed: EDITION_2024"))],
            Rejects("p.o has been removed but does not specify a removal error"),
        ),
        (
            "introduced and removed in one edition needs no error",
            &[("t.proto", support!("edition_introduced: EDITION_2024 edition_removed: EDITION_2024"))],
            Accepts,
        ),
        (
            "deprecated before introduced",
            &[("t.proto", support!("edition_introduced: EDITION_2024 edition_deprecated: EDITION_2023 deprecation_warning: \"x\""))],
            Rejects("p.o was deprecated before it was introduced"),
        ),
        (
            "a warning without a deprecation",
            &[("t.proto", support!("edition_introduced: EDITION_2023 deprecation_warning: \"x\""))],
            Rejects("p.o specifies a deprecation warning but is not marked deprecated in any edition"),
        ),
        (
            "deprecated after removed",
            &[("t.proto", support!("edition_introduced: EDITION_2023 edition_deprecated: EDITION_2024 deprecation_warning: \"x\" edition_removed: EDITION_2024 removal_error: \"e\""))],
            Rejects("p.o was deprecated after it was removed"),
        ),
        (
            "removed before introduced",
            &[("t.proto", support!("edition_introduced: EDITION_2024 edition_removed: EDITION_2023 removal_error: \"e\""))],
            Rejects("p.o was removed before it was introduced"),
        ),
        (
            "an error without a removal",
            &[("t.proto", support!("edition_introduced: EDITION_2023 removal_error: \"e\""))],
            Rejects("p.o specifies a removal error but is not marked removed in any edition"),
        ),
        (
            "complete",
            &[("t.proto", support!("edition_introduced: EDITION_2023 edition_deprecated: EDITION_2023 deprecation_warning: \"x\" edition_removed: EDITION_2024 removal_error: \"e\""))],
            Accepts,
        ),
        (
            "set in pieces",
            &[("t.proto", concat!(
                "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\npackage p;\n",
                "extend google.protobuf.FieldOptions { optional int32 o = 50000 [",
                "feature_support.edition_introduced = EDITION_2023, ",
                "feature_support.edition_deprecated = EDITION_2023]; }\n"
            ))],
            Rejects("p.o is deprecated but does not specify a deprecation warning"),
        ),
        (
            "on a plain field",
            &[("t.proto", "syntax = \"proto2\";\nmessage M { optional int32 a = 1 [feature_support = { edition_introduced: EDITION_2023 edition_deprecated: EDITION_2023 }]; }\n")],
            Rejects("M.a is deprecated but does not specify a deprecation warning"),
        ),
        (
            "on an enum value",
            &[("t.proto", "syntax = \"proto2\";\npackage p;\nenum E { A = 0 [feature_support = { edition_introduced: EDITION_2024 edition_removed: EDITION_2023 removal_error: \"e\" }]; }\n")],
            Rejects("p.A was removed before it was introduced"),
        ),
        (
            "a custom feature, deprecated without a warning",
            &[("t.proto", concat!(
                "edition = \"2023\";\npackage pkg;\nimport \"google/protobuf/descriptor.proto\";\n",
                "extend google.protobuf.FeatureSet { MyFeatures my = 9995; }\n",
                "message MyFeatures {\n  enum V { V_UNKNOWN = 0; A = 1; B = 2; }\n",
                "  V f = 1 [targets = TARGET_TYPE_FILE, targets = TARGET_TYPE_FIELD,\n",
                "    feature_support = { edition_introduced: EDITION_2023 edition_deprecated: EDITION_2023 },\n",
                "    edition_defaults = { edition: EDITION_LEGACY, value: \"A\" }];\n}\n"
            ))],
            Rejects("pkg.MyFeatures.f is deprecated but does not specify a deprecation warning"),
        ),
    ]);
}

#[test]
fn lazy_only_on_submessage_fields() {
    check(&[
        (
            "lazy scalar",
            &[("t.proto", "syntax = \"proto2\";\nmessage M { optional int32 a = 1 [lazy = true]; }\n")],
            Rejects("[lazy = true] can only be specified for submessage fields"),
        ),
        (
            "unverified_lazy scalar",
            &[("t.proto", "syntax = \"proto2\";\nmessage M { optional int32 a = 1 [unverified_lazy = true]; }\n")],
            Rejects("[lazy = true] can only be specified for submessage fields"),
        ),
        (
            "lazy group",
            &[("t.proto", "syntax = \"proto2\";\nmessage M { optional group G = 2 [lazy = true] {} }\n")],
            Rejects("[lazy = true] can only be specified for submessage fields"),
        ),
        (
            "lazy delimited",
            &[("t.proto", "edition = \"2023\";\nmessage M { M a = 1 [lazy = true, features.message_encoding = DELIMITED]; }\n")],
            Rejects("[lazy = true] can only be specified for submessage fields"),
        ),
        (
            "lazy messages, maps, false on scalars",
            &[("t.proto", "syntax = \"proto3\";\nmessage M { M a = 1 [lazy = true]; repeated M r = 2 [unverified_lazy = true]; map<int32, M> m = 3 [lazy = true]; int32 b = 4 [lazy = false, unverified_lazy = false]; }\n")],
            Accepts,
        ),
    ]);
}

#[test]
fn extendees_and_rpc_types_are_looked_up_among_all_symbols() {
    const NOT_MESSAGE: &str = "\"M\" is not a message type";
    check(&[
        (
            "rpc named like its type",
            &[("t.proto", "syntax = \"proto3\";\npackage p;\nmessage M {}\nservice S { rpc M(M) returns (M); }\n")],
            Rejects(NOT_MESSAGE),
        ),
        (
            "a sibling rpc named like the type",
            &[("t.proto", "syntax = \"proto3\";\npackage p;\nmessage M {}\nservice S { rpc A(M) returns (M); rpc M(M) returns (M); }\n")],
            Rejects(NOT_MESSAGE),
        ),
        (
            "the service itself",
            &[("t.proto", "syntax = \"proto3\";\npackage p;\nmessage M {}\nservice M2 { rpc R(M2) returns (M); }\n")],
            Rejects("\"M2\" is not a message type"),
        ),
        (
            "extendee hidden by a field",
            &[("t.proto", "syntax = \"proto2\";\npackage p;\nmessage M { extensions 1 to 10; }\nmessage X { optional int32 M = 1; extend M { optional int32 e = 2; } }\n")],
            Rejects(NOT_MESSAGE),
        ),
        (
            "extendee hidden by the extension itself",
            &[("t.proto", "syntax = \"proto2\";\npackage p;\nmessage M { extensions 1 to 10; }\nmessage X { extend M { optional int32 M = 2; } }\n")],
            Rejects(NOT_MESSAGE),
        ),
        (
            "extendee hidden by a oneof",
            &[("t.proto", "syntax = \"proto2\";\npackage p;\nmessage M { extensions 1 to 10; }\nmessage X { oneof M { int32 a = 5; } extend M { optional int32 e = 2; } }\n")],
            Rejects(NOT_MESSAGE),
        ),
        (
            "extendee hidden by an enum value",
            &[("t.proto", "syntax = \"proto2\";\npackage p;\nmessage M { extensions 1 to 10; }\nmessage X { enum E { M = 0; } extend M { optional int32 e = 2; } }\n")],
            Rejects(NOT_MESSAGE),
        ),
        (
            "a field type skips what is not a type",
            &[("t.proto", "syntax = \"proto2\";\npackage p;\nmessage N {}\nmessage M { optional N N = 1; optional int32 M = 2; }\nservice S { rpc R(N) returns (N); }\n")],
            Accepts,
        ),
        (
            "extendee written in full",
            &[("t.proto", "syntax = \"proto2\";\npackage p;\nmessage M { extensions 1 to 10; }\nmessage X { optional int32 M = 1; extend .p.M { optional int32 e = 2; } }\n")],
            Accepts,
        ),
    ]);
}
