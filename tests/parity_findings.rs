//! Parity cases found by the differential fuzzer (`fuzz/fuzz_targets/differential.rs`) and the
//! last parity notes of issue 18 (implicit presence in editions, `legacy_closed_enum`). Each case
//! states protoc's verdict; see `parity_support` for what is compared.

mod parity_support;

use parity_support::{check, Verdict::*};

/// A proto2 file with custom file options of every unsigned type.
macro_rules! unsigned {
    ($($body:expr),*) => {
        concat!(
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\npackage pkg;\n",
            "extend google.protobuf.FileOptions {\n",
            "  optional uint32 u32 = 50000; optional fixed32 f32 = 50001;\n",
            "  optional uint64 u64 = 50002; optional fixed64 f64 = 50003;\n",
            "  optional int32 i32 = 50004; optional sint64 s64 = 50005;\n",
            "}\n",
            $($body),*
        )
    };
}

/// `-0` is a negative integer to protoc's parser, which an unsigned option refuses (found by the
/// differential fuzzer on a `fixed32` field option); signed options take it as 0.
#[test]
fn negative_zero_for_unsigned_options() {
    check(&[
        (
            "uint32 -0",
            &[("t.proto", unsigned!("option (u32) = -0;\n"))],
            Rejects("Value must be integer, from 0 to 4294967295, for uint32 option \"pkg.u32\"."),
        ),
        (
            "fixed32 -0",
            &[("t.proto", unsigned!("option (f32) = -0;\n"))],
            Rejects("Value must be integer, from 0 to 4294967295"),
        ),
        (
            "uint64 -0",
            &[("t.proto", unsigned!("option (u64) = -0;\n"))],
            Rejects("Value must be integer, from 0 to 18446744073709551615"),
        ),
        (
            "fixed64 -0x0",
            &[("t.proto", unsigned!("option (f64) = -0x0;\n"))],
            Rejects("Value must be integer"),
        ),
        (
            "uint32 0",
            &[("t.proto", unsigned!("option (u32) = 0;\n"))],
            Accepts,
        ),
        (
            "int32 -0",
            &[("t.proto", unsigned!("option (i32) = -0;\n"))],
            Accepts,
        ),
        (
            "sint64 -0",
            &[("t.proto", unsigned!("option (s64) = -0;\n"))],
            Accepts,
        ),
    ]);
}
