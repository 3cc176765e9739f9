//! How option values reach the descriptor, against protoc: editions `DELIMITED` message fields
//! are groups on the wire (and, when group-like, named by their type in literals), and a oneof
//! set in pieces keeps the member set last. Each case states protoc's verdict; see
//! `parity/mod.rs` for what is compared.

use super::{check, Verdict::*};

/// An edition 2023 file: `Foo` with a `DELIMITED` field `bar` of its nested type `Bar`, the
/// option `(foo)` of that type, then `REST`.
macro_rules! delimited {
    ($rest:expr) => {
        concat!(
            "edition = \"2023\";\nimport \"google/protobuf/descriptor.proto\";\n",
            "message Foo {\n  Bar bar = 1 [features.message_encoding = DELIMITED];\n",
            "  message Bar { string name = 1; }\n  int32 n = 2;\n}\n",
            "extend google.protobuf.MessageOptions { Foo foo = 10001; }\n",
            $rest
        )
    };
}

#[test]
fn delimited_fields_are_groups_in_option_values() {
    check(&[
        (
            "in a literal",
            &[("t.proto", delimited!("message Baz { option (foo) = { bar < name: \"abc\" > n: 1 }; }\n"))],
            Accepts,
        ),
        (
            "group-like, by its type name",
            &[("t.proto", delimited!("message Baz { option (foo) = { Bar { name: \"abc\" } }; }\n"))],
            Accepts,
        ),
        (
            "by name",
            &[("t.proto", delimited!("message Baz { option (foo).bar.name = \"x\"; option (foo).n = 2; }\n"))],
            Accepts,
        ),
        (
            "the option itself delimited",
            &[("t.proto", concat!(
                "edition = \"2023\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message Foo { int32 n = 1; }\n",
                "extend google.protobuf.MessageOptions { Foo foo = 10001 [features.message_encoding = DELIMITED]; }\n",
                "message Baz { option (foo).n = 2; }\nmessage Qux { option (foo) = { n: 3 }; }\n"
            ))],
            Accepts,
        ),
        (
            "delimited by the file's default",
            &[("t.proto", concat!(
                "edition = \"2023\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "option features.message_encoding = DELIMITED;\n",
                "message Foo { Bar bar = 1; message Bar { string name = 1; } }\n",
                "extend google.protobuf.MessageOptions { Foo foo = 10001; }\n",
                "message Baz { option (foo) = { bar { name: \"a\" } }; }\n"
            ))],
            Accepts,
        ),
        (
            "not group-like: the type is not beside the field",
            &[("t.proto", concat!(
                "edition = \"2023\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message Bar { string name = 1; }\n",
                "message Foo { Bar bar = 1 [features.message_encoding = DELIMITED]; }\n",
                "extend google.protobuf.MessageOptions { Foo foo = 10001; }\n",
                "message Baz { option (foo) = { Bar { name: \"a\" } }; }\n"
            ))],
            Rejects("Message type \"Foo\" has no field named \"Bar\""),
        ),
        (
            "not group-like: length-prefixed",
            &[("t.proto", concat!(
                "edition = \"2023\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message Foo { Bar bar = 1; message Bar { string name = 1; } }\n",
                "extend google.protobuf.MessageOptions { Foo foo = 10001; }\n",
                "message Baz { option (foo) = { Bar { name: \"a\" } }; }\n"
            ))],
            Rejects("Message type \"Foo\" has no field named \"Bar\""),
        ),
    ]);
}

#[test]
fn a_oneof_set_in_pieces_keeps_the_last_member() {
    check(&[
        (
            "two scalar members",
            &[("t.proto", concat!(
                "syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message Foo { oneof bar { string baz = 1; string buzz = 2; } }\n",
                "extend google.protobuf.MessageOptions { optional Foo foo = 10001; }\n",
                "message Baz { option (foo).baz = \"abc\"; option (foo).buzz = \"xyz\"; }\n"
            ))],
            Accepts,
        ),
        (
            "a message member set again after another",
            &[("t.proto", concat!(
                "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message In { optional int32 x = 1; optional int32 y = 2; }\n",
                "message Foo { oneof bar { In a = 1; string b = 2; } optional int32 z = 3; }\n",
                "extend google.protobuf.MessageOptions { optional Foo foo = 10001; }\n",
                "message Baz { option (foo).a.x = 1; option (foo).z = 5; option (foo).b = \"x\"; option (foo).a.y = 3; }\n",
                "message Qux { option (foo).a.x = 1; option (foo).a.y = 3; }\n"
            ))],
            Accepts,
        ),
        (
            "nested deeper",
            &[("t.proto", concat!(
                "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message Foo { oneof bar { string a = 1; string b = 2; } }\n",
                "message Outer { optional Foo f = 1; }\n",
                "extend google.protobuf.MessageOptions { optional Outer o = 10001; }\n",
                "message Baz { option (o).f.a = \"1\"; option (o).f.b = \"2\"; }\n"
            ))],
            Accepts,
        ),
        (
            "one member twice",
            &[("t.proto", concat!(
                "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n",
                "message Foo { oneof bar { string a = 1; string b = 2; } }\n",
                "extend google.protobuf.MessageOptions { optional Foo foo = 10001; }\n",
                "message Baz { option (foo).a = \"1\"; option (foo).b = \"2\"; option (foo).a = \"3\"; }\n"
            ))],
            Rejects("Option \"(foo).a\" was already set"),
        ),
    ]);
}
