//! protoc's code-generation interface in `iprotoc compile`: `--plugin`, `--NAME_out`,
//! `--NAME_opt`, `--descriptor_set_in`, `@argsfile`, `--error_format`, `--fatal_warnings`.
//!
//! The `CodeGeneratorRequest` tests run one capture plugin (a shell script that saves its stdin)
//! under both the vendored protoc 36.2, on the lowered `.proto` files, and iprotoc, on the
//! sources: the requests must be byte-equal apart from `compiler_version` and, for `.iproto`
//! inputs, where source-info spans point (iprotoc's point at the `.iproto` the user wrote).

use std::path::{Path, PathBuf};
use std::process::Command;

use iprotoc::descriptor::wire::{encode_fields, parse_fields, WireField, WireValue};
use prost::Message as _;
use prost_types::SourceCodeInfo;

use crate::support;
use crate::support::cli::{self, listing, run as iprotoc, stderr, write};

/// Writes an executable shell script.
fn script(path: &Path, body: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The capture plugin: saves the request to `$CAPTURE` and answers a response that supports
/// proto3 `optional` and editions 2023 to 2024 (`supported_features = 3`, `minimum_edition =
/// 1000`, `maximum_edition = 1001`), so that neither compiler refuses the inputs afterwards.
fn capture_plugin(dir: &Path) -> PathBuf {
    let path = dir.join("plugins/protoc-gen-capture");
    script(
        &path,
        "cat > \"$CAPTURE\"\nprintf '\\020\\003\\030\\350\\007\\040\\351\\007'",
    );
    path
}

/// Runs `cmd` (protoc or iprotoc, with the capture plugin) and returns the request it sent.
fn captured(mut cmd: Command, what: &str) -> Vec<u8> {
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = cmd.env("CAPTURE", file.path()).output().unwrap();
    assert!(out.status.success(), "{what} failed:\n{}", stderr(&out));
    std::fs::read(file.path()).unwrap()
}

/// The request protoc sends, from `dir`, with the include dir of its well-known types last.
fn protoc_request(dir: &Path, args: &[&str]) -> Vec<u8> {
    let include = format!("-I{}", support::protoc::include().display());
    protoc_request_exactly(dir, &[args, &[include.as_str()]].concat())
}

/// The request protoc sends, from `dir`, with these arguments only.
fn protoc_request_exactly(dir: &Path, args: &[&str]) -> Vec<u8> {
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let mut cmd = support::protoc::command();
    cmd.current_dir(dir)
        .arg(format!(
            "--plugin=protoc-gen-capture={}",
            capture_plugin(dir).display()
        ))
        .args(args);
    captured(cmd, "protoc")
}

/// The request iprotoc sends, from `dir`.
fn iprotoc_request(dir: &Path, args: &[&str]) -> Vec<u8> {
    let mut cmd = cli::command(dir);
    cmd.arg("compile")
        .arg(format!(
            "--plugin=protoc-gen-capture={}",
            capture_plugin(dir).display()
        ))
        .args(args);
    captured(cmd, "iprotoc")
}

/// The top-level fields of a request, `compiler_version` (3) taken out after checking it is
/// there.
fn without_version(request: &[u8]) -> Vec<WireField> {
    let mut fields = parse_fields(request).expect("a request is a message");
    let at = fields
        .iter()
        .position(|f| f.number == 3)
        .expect("compiler_version is set");
    fields.remove(at);
    fields
}

/// A file of a request (`proto_file` or `source_file_descriptors`) with its source info
/// normalized by `f`.
fn map_source_info(file: &[u8], f: &dyn Fn(&mut SourceCodeInfo)) -> Vec<u8> {
    let mut fields = parse_fields(file).expect("a file is a message");
    for field in &mut fields {
        if let (9, WireValue::Bytes(b)) = (field.number, &mut field.value) {
            let mut info = SourceCodeInfo::decode(b.as_slice()).unwrap();
            f(&mut info);
            *b = info.encode_to_vec();
        }
    }
    let mut out = Vec::new();
    encode_fields(&fields, &mut out);
    out
}

/// The request's files, each normalized by `f`, as (field number, name, bytes).
fn files(fields: &[WireField], f: &dyn Fn(&mut SourceCodeInfo)) -> Vec<(u32, String, Vec<u8>)> {
    fields
        .iter()
        .filter(|x| x.number == 15 || x.number == 17)
        .map(|x| {
            let WireValue::Bytes(b) = &x.value else {
                panic!("files are messages")
            };
            let name = parse_fields(b)
                .unwrap()
                .into_iter()
                .find_map(|g| match (g.number, g.value) {
                    (1, WireValue::Bytes(n)) => Some(String::from_utf8(n).unwrap()),
                    _ => None,
                })
                .unwrap_or_default();
            (x.number, name, map_source_info(b, f))
        })
        .collect()
}

/// Asserts two requests equal apart from `compiler_version` and what `f` normalizes in source
/// info, naming the first file that differs.
fn assert_requests_equal(protoc: &[u8], ours: &[u8], f: &dyn Fn(&mut SourceCodeInfo)) {
    let (p, o) = (without_version(protoc), without_version(ours));
    let head = |fields: &[WireField]| -> Vec<WireField> {
        fields
            .iter()
            .filter(|x| x.number != 15 && x.number != 17)
            .cloned()
            .collect()
    };
    assert_eq!(head(&p), head(&o), "file_to_generate and parameter");
    let (pf, of) = (files(&p, f), files(&o, f));
    let names = |v: &[(u32, String, Vec<u8>)]| -> Vec<(u32, String)> {
        v.iter().map(|(n, s, _)| (*n, s.clone())).collect()
    };
    assert_eq!(names(&pf), names(&of), "the files, in order");
    for ((number, name, a), (_, _, b)) in pf.iter().zip(&of) {
        if a != b {
            let fa = parse_fields(a).unwrap();
            let fb = parse_fields(b).unwrap();
            let first = fa.iter().zip(&fb).position(|(x, y)| x != y);
            panic!(
                "field {number} `{name}` differs (first differing top-level field: {:?} vs {:?})",
                first.map(|i| &fa[i]),
                first.map(|i| &fb[i])
            );
        }
    }
    // Same bytes overall once normalized (field order included).
    assert_eq!(p.len(), o.len());
}

/// Source info as it is once spans are set aside: paths and comments only. The header iprotoc
/// writes at the top of a lowered file is a comment of that file, not of the user's source, so
/// it is taken out of protoc's side too.
fn spans_cleared(info: &mut SourceCodeInfo) {
    for l in &mut info.location {
        l.span.clear();
        l.leading_detached_comments.retain(|c| {
            !(c.starts_with(" Generated by iprotoc from ") && c.ends_with(" Do not edit.\n"))
        });
    }
}

fn unchanged(_: &mut SourceCodeInfo) {}

const OPTIONS_PROTO: &str = r#"syntax = "proto2";
package opts;
import "google/protobuf/descriptor.proto";
// Options for fields.
extend google.protobuf.FieldOptions {
  optional int32 b = 50001;
  optional int32 a = 50000;
  // Source retention: protoc strips it from the files to generate only.
  optional int32 src = 50002 [retention = RETENTION_SOURCE];
  repeated string tags = 50003;
}
message Limits {
  optional int32 max = 1 [(src) = 7, (b) = 2, (a) = 1];
}
"#;

const SHOP_PROTO: &str = r#"// The shop.
syntax = "proto3";

package shop;

import "opts.proto";
import "google/protobuf/timestamp.proto";

option java_package = "com.example.shop";

// An order.
message Order {
  // Its id.
  string id = 1 [(opts.src) = 3, (opts.b) = 5, (opts.a) = 4];
  optional int64 total = 2; // proto3 optional
  map<string, Item> items = 3;
  oneof payment {
    string card = 4 [(opts.tags) = "x", (opts.tags) = "y"];
    string cash = 5;
  }
  google.protobuf.Timestamp placed = 6;
  opts.Limits limits = 7;
  message Item { int32 count = 1 [json_name = "n"]; }
  enum State { STATE_UNSPECIFIED = 0; STATE_OPEN = 1; }
  State state = 8;
  reserved 100 to 200;
}

// The service.
service Shop {
  rpc Place(Order) returns (Order);
  rpc Watch(stream Order) returns (stream Order) { option deprecated = true; }
}
"#;

const RECEIPT_PROTO: &str = r#"syntax = "proto3";
package shop;
import "shop.proto";
message Receipt { Order order = 1; }
"#;

#[test]
fn a_plain_proto_input_gets_protocs_request_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "src/opts.proto", OPTIONS_PROTO);
    write(dir, "src/shop.proto", SHOP_PROTO);
    write(dir, "src/receipt.proto", RECEIPT_PROTO);
    // Two inputs, the second imported by the first, and a parameter from `_out` and `_opt`.
    let args = [
        "-I",
        "src",
        "--capture_out=a=1:out",
        "--capture_opt=b=2",
        "--capture_opt",
        "c=3",
        "src/receipt.proto",
        "src/shop.proto",
    ];
    let p = protoc_request(dir, &args);
    let o = iprotoc_request(dir, &args);
    // Only compiler_version differs: every other byte is protoc's.
    let strip = |r: &[u8]| {
        let mut out = Vec::new();
        encode_fields(&without_version(r), &mut out);
        out
    };
    assert_requests_equal(&p, &o, &unchanged);
    assert_eq!(strip(&p), strip(&o));
    let request = parse_fields(&o).unwrap();
    assert!(request.contains(&WireField::bytes(2, b"a=1,b=2,c=3".to_vec())));
    let version = request.iter().find(|f| f.number == 3).unwrap();
    let WireValue::Bytes(v) = &version.value else {
        panic!()
    };
    assert!(
        v.ends_with(b"iprotoc"),
        "iprotoc names itself in the suffix"
    );
}

const COMMON_IPROTO: &str = r#"syntax = "proto2";
package zoo;

// A tag on an animal.
message Tag {
  optional string id = 1; // the id
}
"#;

const ANIMALS_IPROTO: &str = r#"// The zoo's animals.
syntax = "proto2";

package zoo;

import "zoo/common.iproto";
import "google/protobuf/timestamp.proto";

// Every animal.
message Animal {
  // How heavy.
  required float weight = 1;
  optional Tag tag = 2;
  optional google.protobuf.Timestamp born = 3;
}

// A cat.
message Cat : Animal = 100 {
  optional bool declawed = 1; // trailing
}

// Detached.

message Dog : Animal = 105 {
  optional uint32 bones_buried = 1;
}

message Kitten : Cat = 101 {
  optional string toy = 1;
}
"#;

/// Lowers every `.iproto` under `dir/src` into `dir/low` (as inputs, so each is written).
fn lower(dir: &Path, files: &[&str], extra: &[&str]) {
    let mut args = vec!["compile", "-I", "src", "--proto_out", "low"];
    args.extend(extra);
    args.extend(files);
    let out = iprotoc(dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn an_iproto_input_gets_protocs_request_for_the_lowered_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "src/zoo/common.iproto", COMMON_IPROTO);
    write(dir, "src/zoo/animals.iproto", ANIMALS_IPROTO);
    lower(
        dir,
        &["src/zoo/animals.iproto", "src/zoo/common.iproto"],
        &[],
    );
    let p = protoc_request(
        dir,
        &["-I", "low", "--capture_out=out", "low/zoo/animals.proto"],
    );
    let o = iprotoc_request(
        dir,
        &["-I", "src", "--capture_out=out", "src/zoo/animals.iproto"],
    );
    assert_requests_equal(&p, &o, &spans_cleared);
    // The user's comments are there (with spans cleared they were compared above; this says
    // what that comparison covers).
    let text = String::from_utf8_lossy(&o);
    for comment in [
        " Every animal.\n",
        " the id\n",
        " trailing\n",
        " Detached.\n",
    ] {
        assert!(text.contains(comment), "{comment:?} is in the request");
    }
    // The file to generate is the lowered name.
    assert!(parse_fields(&o)
        .unwrap()
        .contains(&WireField::bytes(1, b"zoo/animals.proto".to_vec())));
}

const EDITIONS_DEP: &str = r#"edition = "2023";
package ed;
import "google/protobuf/descriptor.proto";
import "google/protobuf/cpp_features.proto";
import "google/protobuf/java_features.proto";
import "google/protobuf/go_features.proto";
option features.field_presence = IMPLICIT;
// protoc's own classes know pb.cpp and pb.java, not pb.go: in a dependency, pb.java and pb.cpp
// come back sorted and pb.go after them.
option features.(pb.go).legacy_unmarshal_json_enum = false;
option features.(pb.java).utf8_validation = VERIFY;
option features.(pb.cpp).string_type = VIEW;
extend google.protobuf.MessageOptions {
  int32 note = 50010 [retention = RETENTION_SOURCE];
  int32 kept = 50011;
}
message Dep {
  option (note) = 1;
  option (kept) = 2;
  string x = 1 [features.(pb.java).utf8_validation = VERIFY, features.(pb.cpp).string_type = VIEW];
  repeated int32 r = 2 [features.repeated_field_encoding = EXPANDED];
  Dep child = 3 [features.message_encoding = DELIMITED];
}
"#;

const EDITIONS_TOP: &str = r#"edition = "2023";
package ed;
import "dep.proto";
import "google/protobuf/cpp_features.proto";
message Top {
  option (note) = 3;
  Dep dep = 1 [features.field_presence = LEGACY_REQUIRED];
  string s = 2 [features.(pb.cpp).string_type = CORD];
}
message Sub : Top = 100 { int32 y = 1; }
"#;

#[test]
fn editions_inputs_and_dependencies_keep_protocs_options() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "src/dep.proto", EDITIONS_DEP);
    // A plain .proto first: byte for byte.
    write(
        dir,
        "src/top.proto",
        EDITIONS_TOP.replace("Sub : Top = 100", "Sub"),
    );
    let args = ["-I", "src", "--capture_out=out", "src/top.proto"];
    let p = protoc_request(dir, &args);
    let o = iprotoc_request(dir, &args);
    assert_requests_equal(&p, &o, &unchanged);
    // The same with inheritance, through the lowered file (oneof style: the only one in which
    // an editions file with implicit presence can hold a subclass).
    std::fs::remove_file(dir.join("src/top.proto")).unwrap();
    write(dir, "src/top.iproto", EDITIONS_TOP);
    lower(dir, &["src/top.iproto"], &["--style", "oneof"]);
    std::fs::copy(dir.join("src/dep.proto"), dir.join("low/dep.proto")).unwrap();
    let p = protoc_request(dir, &["-I", "low", "--capture_out=out", "low/top.proto"]);
    let o = iprotoc_request(
        dir,
        &[
            "-I",
            "src",
            "--style",
            "oneof",
            "--capture_out=out",
            "src/top.iproto",
        ],
    );
    assert_requests_equal(&p, &o, &spans_cleared);
}

const PROTO3_IPROTO: &str = r#"syntax = "proto3";
package p3;
// A shape.
message Shape { optional string name = 1; }
message Circle : Shape { optional double radius = 1; }
"#;

#[test]
fn proto3_optional_and_oneof_style_match_protoc() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "src/shape.iproto", PROTO3_IPROTO);
    lower(dir, &["src/shape.iproto"], &["--style", "oneof"]);
    let p = protoc_request(
        dir,
        &["-I", "low", "--capture_out=p:out", "low/shape.proto"],
    );
    let o = iprotoc_request(
        dir,
        &[
            "-I",
            "src",
            "--style=oneof",
            "--capture_out=p:out",
            "shape.iproto",
        ],
    );
    assert_requests_equal(&p, &o, &spans_cleared);
}

/// A plugin that answers `response` (printf escapes) after reading its input.
fn answering_plugin(path: &Path, response: &str) {
    script(path, &format!("cat > /dev/null\nprintf '{response}'"));
}

/// The response of a plugin writing `a.txt` = "hello\n" and `sub/b.txt` = "b\n".
const TWO_FILES: &str =
    "\\172\\017\\012\\005a.txt\\172\\006hello\\n\\172\\017\\012\\011sub/b.txt\\172\\002b\\n";

#[test]
fn generated_files_land_with_the_other_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "zoo/common.iproto", COMMON_IPROTO);
    answering_plugin(&dir.join("bin/protoc-gen-two"), TWO_FILES);
    let out = iprotoc(
        dir,
        &[
            "compile",
            "--plugin=bin/protoc-gen-two",
            "--two_out=gen/two",
            "--proto_out",
            "gen/proto",
            "-o",
            "gen/set.pb",
            "zoo/common.iproto",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("gen/two/a.txt")).unwrap(),
        "hello\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("gen/two/sub/b.txt")).unwrap(),
        "b\n"
    );
    assert!(dir.join("gen/proto/zoo/common.proto").is_file());
    // -o is what it is without a plugin: no source info unless asked for.
    let with_plugin = std::fs::read(dir.join("gen/set.pb")).unwrap();
    let out = iprotoc(dir, &["compile", "-o", "alone.pb", "zoo/common.iproto"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(with_plugin, std::fs::read(dir.join("alone.pb")).unwrap());
    // Found on PATH without --plugin, as protoc finds it.
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = cli::command(dir)
        .args(["compile", "--two_out", "gen/path", "zoo/common.iproto"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("gen/path/sub/b.txt").is_file());
}

#[test]
fn a_failing_plugin_fails_the_compile_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "zoo/common.iproto", COMMON_IPROTO);
    answering_plugin(&dir.join("bin/protoc-gen-two"), TWO_FILES);
    // An error in the response.
    answering_plugin(
        &dir.join("bin/protoc-gen-err"),
        "\\012\\020unsupported: foo",
    );
    // A plugin that exits with status 3.
    script(&dir.join("bin/protoc-gen-exit"), "cat > /dev/null\nexit 3");
    let before = listing(dir);
    for (flag, plugin, needle) in [
        (
            "--err_out=gen/err",
            "protoc-gen-err",
            "--err_out: unsupported: foo",
        ),
        (
            "--exit_out=gen/exit",
            "protoc-gen-exit",
            "--exit_out: protoc-gen-exit: Plugin failed with status code 3.",
        ),
        (
            "--nope_out=gen/nope",
            "",
            "--nope_out: protoc-gen-nope: program not found or is not executable",
        ),
    ] {
        let plugin_flag = format!("--plugin=bin/{plugin}");
        let mut args = vec![
            "compile",
            "--error_format=gcc",
            "--plugin=bin/protoc-gen-two",
            "--two_out=gen/two",
            "--proto_out=gen/proto",
            "-o",
            "gen/set.pb",
        ];
        if !plugin.is_empty() {
            args.push(&plugin_flag);
        }
        args.extend([flag, "zoo/common.iproto"]);
        let out = iprotoc(dir, &args);
        assert_eq!(out.status.code(), Some(1), "{flag}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{flag}: {}", stderr(&out));
        assert_eq!(listing(dir), before, "{flag}: nothing is written");
    }
}

#[test]
fn plugins_must_support_what_the_inputs_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "a.proto",
        "syntax = \"proto3\";\nmessage A { optional int32 x = 1; }\n",
    );
    write(dir, "e.proto", "edition = \"2023\";\nmessage E {}\n");
    answering_plugin(&dir.join("bin/protoc-gen-old"), "");
    // proto3 optional needs FEATURE_PROTO3_OPTIONAL; an editions file FEATURE_SUPPORTS_EDITIONS.
    for (file, needle) in [
        (
            "a.proto",
            "a.proto: is a proto3 file that contains optional fields, but code generator protoc-gen-old hasn't been updated",
        ),
        (
            "e.proto",
            "e.proto: is an editions file, but code generator protoc-gen-old hasn't been updated to support editions yet.",
        ),
    ] {
        let out = iprotoc(
            dir,
            &["compile", "--plugin=protoc-gen-old=bin/protoc-gen-old", "--old_out=gen", file],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(needle), "{}", stderr(&out));
        assert!(!dir.join("gen").exists());
    }
    // Editions in range pass (the capture plugin supports 2023 to 2024).
    let capture = capture_plugin(dir);
    let out = cli::command(dir)
        .args(["compile", "--capture_out=gen", "e.proto", "a.proto"])
        .arg(format!("--plugin=protoc-gen-capture={}", capture.display()))
        .env("CAPTURE", dir.join("req.bin"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn argument_files_error_formats_and_fatal_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // An unpinned subclass tag is a warning.
    write(
        dir,
        "proto/zoo.iproto",
        "syntax = \"proto2\";\nmessage Animal {}\nmessage Cat : Animal {}\n",
    );
    write(dir, "args.txt", "-I\nproto\n-o\nout.pb\nzoo.iproto\n");
    let out = iprotoc(dir, &["compile", "@args.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("out.pb").is_file());
    std::fs::remove_file(dir.join("out.pb")).unwrap();
    // --fatal_warnings: the warning fails the compile, and nothing is written.
    let out = iprotoc(
        dir,
        &[
            "compile",
            "@args.txt",
            "--fatal_warnings",
            "--error_format=gcc",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("proto/zoo.iproto:3:13: warning[SUBCLASS_TAG_UNPINNED]"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out.pb").exists());
    // msvs: protoc's Visual Studio format.
    write(
        dir,
        "proto/bad.iproto",
        "syntax = \"proto2\";\nmessage Cat : Animl {}\n",
    );
    let out = iprotoc(
        dir,
        &[
            "compile",
            "-I",
            "proto",
            "--error_format=msvs",
            "-o",
            "x.pb",
            "bad.iproto",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("proto/bad.iproto(2) : error in column=15: "),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out)
        .lines()
        .next()
        .unwrap()
        .ends_with(" [UNKNOWN_BASE]"));
    // A missing argument file.
    let out = iprotoc(dir, &["compile", "@nope.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Failed to open argument file: nope.txt"));
}

#[test]
fn missing_output_directives_and_unmatched_options() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.proto", "syntax = \"proto3\";\nmessage A {}\n");
    let out = iprotoc(dir, &["compile", "a.proto"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("Missing output directives.\n"));
    let out = iprotoc(
        dir,
        &[
            "compile",
            "--go_opt=paths=source_relative",
            "-o",
            "x.pb",
            "a.proto",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Unknown flag: --go_opt"),
        "{}",
        stderr(&out)
    );
    let out = iprotoc(dir, &["compile", "--es_out", "-o", "x.pb", "a.proto"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Missing value for flag: --es_out"));
    let out = iprotoc(dir, &["compile", "--es_out=gen.zip", "a.proto"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".zip/.jar/.srcjar"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("x.pb").exists());
}

#[test]
fn a_builtin_generator_gets_the_commands_that_do_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "proto/zoo/common.iproto", COMMON_IPROTO);
    write(dir, "proto/zoo/animals.iproto", ANIMALS_IPROTO);
    let out = iprotoc(
        dir,
        &[
            "compile",
            "-I",
            "proto",
            "--python_out=pyi_dir:gen/py",
            "--python_opt=x",
            "proto/zoo/animals.iproto",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    let expected = "iprotoc compile -I proto -o out.pb --include_imports proto/zoo/animals.iproto \
                    && protoc --descriptor_set_in=out.pb --python_out=pyi_dir,x:gen/py zoo/animals.proto";
    assert!(
        err.contains("--python_out is protoc's built-in Python generator"),
        "{err}"
    );
    assert!(err.trim_end().ends_with(expected), "{err}");
    assert!(!dir.join("gen").exists());
    // The commands work as said (with the vendored protoc, and without the unknown option).
    let out = iprotoc(
        dir,
        &[
            "compile",
            "-I",
            "proto",
            "-o",
            "out.pb",
            "--include_imports",
            "proto/zoo/animals.iproto",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::create_dir_all(dir.join("gen/py")).unwrap();
    let out = support::protoc::command()
        .current_dir(dir)
        .args([
            "--descriptor_set_in=out.pb",
            "--python_out=gen/py",
            "zoo/animals.proto",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("gen/py/zoo/animals_pb2.py").is_file());
}

/// A descriptor set of `files` (under `src`) and everything they import, written by protoc.
fn protoc_set(dir: &Path, out: &str, files: &[&str]) {
    let status = support::protoc::command()
        .current_dir(dir)
        .args(["-I", "src", "-I"])
        .arg(support::protoc::include())
        .args(["--include_imports", "-o", out])
        .args(files)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", stderr(&status));
}

#[test]
fn descriptor_set_in_gives_protocs_request() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "src/opts.proto", OPTIONS_PROTO);
    write(dir, "src/shop.proto", SHOP_PROTO);
    write(dir, "deps.pb.src/receipt.proto", RECEIPT_PROTO);
    protoc_set(dir, "shop.pb", &["shop.proto"]);
    std::fs::remove_dir_all(dir.join("src")).unwrap();
    // An input on disk whose imports come from the set (the well-known types from beside
    // protoc, or iprotoc's built-in copies), and an input that is in the set, with no -I.
    for args in [
        &[
            "-I",
            "deps.pb.src",
            "--descriptor_set_in=shop.pb",
            "--capture_out=out",
            "receipt.proto",
        ][..],
        &[
            "--descriptor_set_in=shop.pb",
            "--capture_out=x:out",
            "shop.proto",
        ][..],
    ] {
        // protoc finds the well-known types beside itself once it reads from disk (-I).
        let p = protoc_request_exactly(dir, args);
        let o = iprotoc_request(dir, args);
        assert_requests_equal(&p, &o, &unchanged);
    }
    // The set's files come out as the set holds them.
    let out = iprotoc(
        dir,
        &[
            "compile",
            "--descriptor_set_in=missing.pb:shop.pb",
            "-o",
            "back.pb",
            "--include_imports",
            "shop.proto",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "a missing set is an error");
    assert!(stderr(&out).contains("missing.pb"), "{}", stderr(&out));
    let out = iprotoc(
        dir,
        &[
            "compile",
            "--descriptor_set_in=shop.pb",
            "-o",
            "back.pb",
            "--include_imports",
            "shop.proto",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.join("back.pb")).unwrap(),
        std::fs::read(dir.join("shop.pb")).unwrap()
    );
    // A name in neither place is reported with both places.
    let out = iprotoc(
        dir,
        &[
            "compile",
            "-I",
            "deps.pb.src",
            "--descriptor_set_in=shop.pb",
            "-o",
            "x.pb",
            "nope.proto",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("shop.pb"), "{}", stderr(&out));
}

#[test]
fn an_iproto_can_import_a_file_from_a_descriptor_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "src/zoo/common.proto",
        COMMON_IPROTO.replace("zoo;", "zoo;\n"),
    );
    protoc_set(dir, "common.pb", &["zoo/common.proto"]);
    std::fs::remove_dir_all(dir.join("src")).unwrap();
    write(
        dir,
        "proto/zoo/animals.iproto",
        ANIMALS_IPROTO.replace("zoo/common.iproto", "zoo/common.proto"),
    );
    let out = iprotoc(
        dir,
        &[
            "compile",
            "-I",
            "proto",
            "--descriptor_set_in=common.pb",
            "--proto_out=gen",
            "-o",
            "all.pb",
            "--include_imports",
            "proto/zoo/animals.iproto",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // protoc accepts the result with the same set.
    let p = support::protoc::command()
        .current_dir(dir)
        .args([
            "-I",
            "gen",
            "--descriptor_set_in=common.pb",
            "-o",
            "p.pb",
            "zoo/animals.proto",
        ])
        .arg("-I")
        .arg(support::protoc::include())
        .output()
        .unwrap();
    assert!(p.status.success(), "{}", stderr(&p));
}

/// Every file protoc compiles in the descriptor fixtures, printed back from a descriptor set,
/// compiles (with protoc) to the same descriptor: the text iprotoc reads for a set's file says
/// everything the file's importers can see.
#[test]
fn descriptor_set_files_print_back_to_equivalent_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for (root, file) in [
        ("descriptor", "basic.proto"),
        ("descriptor", "custom.proto"),
        ("descriptor", "editions.proto"),
        ("descriptor", "nested_scope.proto"),
        ("descriptor", "proto3.proto"),
        ("descriptor", "waves.proto"),
        ("source_info", "proto2_everything.proto"),
        ("source_info", "proto3_optional.proto"),
        ("source_info", "editions_2024.proto"),
    ] {
        let set = dir.join(format!("{file}.pb"));
        let made = support::protoc::command()
            .arg("-I")
            .arg(fixtures.join(root))
            .arg("-I")
            .arg(support::protoc::include())
            .args(["--include_imports", "-o"])
            .arg(&set)
            .arg(file)
            .output()
            .unwrap();
        assert!(made.status.success(), "{file}: {}", stderr(&made));
        let sets =
            iprotoc::descriptor_set_in::DescriptorSets::read(std::slice::from_ref(&set)).unwrap();
        let printed = dir.join(format!("{file}.printed"));
        let original = std::fs::read(&set).unwrap();
        let names: Vec<String> = parse_fields(&original)
            .unwrap()
            .into_iter()
            .map(|f| {
                let WireValue::Bytes(b) = f.value else {
                    panic!()
                };
                prost_types::FileDescriptorProto::decode(b.as_slice())
                    .unwrap()
                    .name()
                    .to_string()
            })
            .collect();
        for name in &names {
            write(&printed, name, sets.proto_text(name).unwrap());
        }
        let again = dir.join(format!("{file}.again.pb"));
        let made = support::protoc::command()
            .arg("-I")
            .arg(&printed)
            .args(["--include_imports", "-o"])
            .arg(&again)
            .arg(file)
            .output()
            .unwrap();
        let texts: Vec<String> = names.iter().map(|n| sets.proto_text(n).unwrap()).collect();
        assert!(
            made.status.success(),
            "{file}: {}\n{}",
            stderr(&made),
            texts.join("\n---\n")
        );
        let again = std::fs::read(&again).unwrap();
        for (a, b) in parse_fields(&original)
            .unwrap()
            .into_iter()
            .zip(parse_fields(&again).unwrap())
        {
            let (WireValue::Bytes(a), WireValue::Bytes(b)) = (a.value, b.value) else {
                panic!("files are messages")
            };
            assert_eq!(
                without_empty_options(&a, Element::File),
                without_empty_options(&b, Element::File),
                "{file}: a file prints back to different definitions"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 9,
        "the fixtures and what they import were compared"
    );
}

/// The kinds of descriptor messages, for [`without_empty_options`].
#[derive(Clone, Copy)]
enum Element {
    File,
    Message,
    Field,
    Enum,
    EnumValue,
    Service,
    Method,
    Oneof,
    Range,
}

/// A descriptor with its empty options messages (and empty `features` in them) dropped: a set
/// can hold one (all its options had source retention and were stripped), which no `.proto`
/// text declares; the set's own bytes are what iprotoc writes for such a file.
fn without_empty_options(bytes: &[u8], kind: Element) -> Vec<u8> {
    let options = match kind {
        Element::File | Element::Field => 8,
        Element::Message => 7,
        Element::Enum | Element::EnumValue | Element::Service | Element::Range => 3,
        Element::Method => 4,
        Element::Oneof => 2,
    };
    // `features` in each options message: emptied the same way.
    let features = match kind {
        Element::File | Element::Range => 50,
        Element::Message => 12,
        Element::Field => 21,
        Element::Oneof => 1,
        Element::Enum => 7,
        Element::EnumValue => 2,
        Element::Service => 34,
        Element::Method => 35,
    };
    let mut fields = parse_fields(bytes).unwrap();
    for f in &mut fields {
        if let (true, WireValue::Bytes(b)) = (f.number == options, &mut f.value) {
            let mut inner = parse_fields(b).unwrap();
            inner.retain(|g| !(g.number == features && g.value == WireValue::Bytes(Vec::new())));
            b.clear();
            encode_fields(&inner, b);
        }
    }
    fields.retain(|f| !(f.number == options && f.value == WireValue::Bytes(Vec::new())));
    for f in &mut fields {
        let child = match (kind, f.number) {
            (Element::File, 4) | (Element::Message, 3) => Element::Message,
            (Element::File, 5) | (Element::Message, 4) => Element::Enum,
            (Element::File, 6) => Element::Service,
            (Element::File, 7) | (Element::Message, 2 | 6) => Element::Field,
            (Element::Message, 5) => Element::Range,
            (Element::Message, 8) => Element::Oneof,
            (Element::Enum, 2) => Element::EnumValue,
            (Element::Service, 2) => Element::Method,
            _ => continue,
        };
        if let WireValue::Bytes(b) = &mut f.value {
            *b = without_empty_options(b, child);
        }
    }
    let mut out = Vec::new();
    encode_fields(&fields, &mut out);
    out
}

#[test]
fn retain_options_keeps_what_protoc_keeps() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "src/opts.proto", OPTIONS_PROTO);
    write(dir, "src/shop.proto", SHOP_PROTO);
    write(dir, "src/dep.proto", EDITIONS_DEP);
    for extra in [&[][..], &["--include_imports", "--include_source_info"][..]] {
        let mut args = vec!["-I", "src", "-o", "out.pb", "--retain_options"];
        args.extend(extra);
        args.extend(["shop.proto", "dep.proto"]);
        let p = support::protoc::command()
            .current_dir(dir)
            .args(&args)
            .arg("-I")
            .arg(support::protoc::include())
            .output()
            .unwrap();
        assert!(p.status.success(), "{}", stderr(&p));
        let expected = std::fs::read(dir.join("out.pb")).unwrap();
        std::fs::remove_file(dir.join("out.pb")).unwrap();
        let mut ours = vec!["compile"];
        ours.extend(&args);
        let o = iprotoc(dir, &ours);
        assert!(o.status.success(), "{}", stderr(&o));
        let got = std::fs::read(dir.join("out.pb")).unwrap();
        assert!(
            got == expected,
            "{extra:?}: -o --retain_options differs from protoc's"
        );
        // The source-retention option is there.
        assert!(
            got.windows(4).any(|w| w == [0x90, 0xb5, 0x18, 0x03]),
            "(opts.src) = 3 is kept"
        );
    }
}
