//! A generator of synthetic `.iproto` schema sets for the benchmarks.
//!
//! [`generate`] returns the text of a set of files holding `messages` top-level messages in all
//! (10 to 50,000 and more), shaped like a real code base rather than like a stress test:
//!
//! - `bench/opts/v1/options.iproto` declares custom options (it imports
//!   `google/protobuf/descriptor.proto`, so every compile also loads the built-in descriptor
//!   schema, as real schemas with custom options do);
//! - data files `bench/p<p>/v1/f<k>.iproto` hold up to [`MESSAGES_PER_FILE`] messages each, spread
//!   over a few packages `bench.p<p>.v1` (one directory each); each imports the options file, the
//!   previous file and the file at half its index, and refers to messages of both (relative and
//!   fully qualified names);
//! - three files in four are proto2 with **inheritance hierarchies** (every block of ten messages
//!   is a root, three subclasses and a grandchild; every root declares its discriminator, every
//!   subclass pins its tag, one of them out of the allocation order, and names its fields apart
//!   from its ancestors'); every fourth file is proto3 without inheritance (inheritance there
//!   needs the oneof style);
//! - every message has scalar, repeated, enum, map, oneof and cross-file message fields, a nested
//!   message, reserved ranges and names, leading/trailing comments, and standard and custom options;
//!   every file has an enum and a service with streaming RPCs and their request and response
//!   messages.
//!
//! The sets are clean: `iprotoc check` (every lint rule, the style rules included) reports nothing
//! on them, so a compile spends nothing on diagnostics, as a real user's clean schema does not;
//! the benchmark checks it on every case. [`generate_with_findings`] gives the same set with the
//! inheritance lints' findings in it (for tests of how diagnostics are rendered).
//!
//! The output is deterministic: the same `messages` gives the same bytes.

use std::fmt::Write as _;

/// At most this many messages per data file.
pub const MESSAGES_PER_FILE: usize = 100;

/// Number of distinct packages the data files are spread over.
const PACKAGES: usize = 7;

/// One generated file: its protoc name (relative to the include root) and its text.
pub struct GenFile {
    /// `bench/p3/v1/f3.iproto`.
    pub name: String,
    /// The `.iproto` source.
    pub text: String,
}

/// A generated schema set.
pub struct Schema {
    /// Every file, the options file first.
    pub files: Vec<GenFile>,
    /// The names of the data files, which are the compilation's inputs (the options file is
    /// reached through their imports).
    pub inputs: Vec<String>,
}

impl Schema {
    /// Total size of the sources in bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|f| f.text.len()).sum()
    }
}

/// How many messages data file `k` of a set of `messages` messages holds.
fn messages_in(k: usize, messages: usize) -> usize {
    (messages - k * MESSAGES_PER_FILE).min(MESSAGES_PER_FILE)
}

/// The package of data file `k`.
fn package_of(k: usize) -> String {
    format!("bench.p{}.v1", k % PACKAGES)
}

/// The name of data file `k`, in its package's directory.
fn file_name(k: usize) -> String {
    format!("bench/p{}/v1/f{k}.iproto", k % PACKAGES)
}

/// The name of message `i` of data file `k`.
fn message_name(k: usize, i: usize) -> String {
    format!("M{k}x{i}")
}

/// Whether data file `k` is proto3 (and so has no inheritance).
fn is_proto3(k: usize) -> bool {
    k % 4 == 3
}

/// Generates a clean schema set with `messages` top-level messages (at least 1) in hierarchies.
pub fn generate(messages: usize) -> Schema {
    generate_set(messages, false)
}

/// [`generate`]'s set, except that subclasses leave their tags to the compiler
/// (`SUBCLASS_TAG_UNPINNED`) and re-declare their ancestors' field names
/// (`FIELD_SHADOWS_BASE_FIELD`): a few thousand warnings, for tests of diagnostics.
#[allow(dead_code)] // Used by the tests (`tests/it/parallel.rs`), not by the benches.
pub fn generate_with_findings(messages: usize) -> Schema {
    generate_set(messages, true)
}

fn generate_set(messages: usize, findings: bool) -> Schema {
    let messages = messages.max(1);
    let file_count = messages.div_ceil(MESSAGES_PER_FILE);
    let mut files = vec![GenFile {
        name: OPTIONS_FILE_NAME.to_string(),
        text: OPTIONS_FILE.to_string(),
    }];
    let mut inputs = Vec::with_capacity(file_count);
    for k in 0..file_count {
        let name = file_name(k);
        files.push(GenFile {
            name: name.clone(),
            text: data_file(k, messages, findings),
        });
        inputs.push(name);
    }
    Schema { files, inputs }
}

const OPTIONS_FILE_NAME: &str = "bench/opts/v1/options.iproto";

const OPTIONS_FILE: &str = r#"// Custom options used by the generated benchmark schemas.
syntax = "proto2";

package bench.opts.v1;

import "google/protobuf/descriptor.proto";

option java_package = "com.example.bench.opts.v1";

extend google.protobuf.MessageOptions {
  // A label for the message.
  optional string label = 50001;
}

extend google.protobuf.FieldOptions {
  // A weight for the field.
  optional int32 weight = 50002;
}

extend google.protobuf.FileOptions {
  // The team owning the file.
  optional string owner = 50003;
}
"#;

/// The text of data file `k`.
fn data_file(k: usize, messages: usize, findings: bool) -> String {
    let n = messages_in(k, messages);
    let proto3 = is_proto3(k);
    let label = if proto3 { "" } else { "optional " };
    let mut s = String::with_capacity(n * 1300);
    let _ = writeln!(s, "// Synthetic benchmark schema, file {k}.");
    let _ = writeln!(s, "//");
    let _ = writeln!(
        s,
        "// Generated by iprotoc's benchmark; the content is meaningless."
    );
    let _ = writeln!(
        s,
        "syntax = \"{}\";\n",
        if proto3 { "proto3" } else { "proto2" }
    );
    let _ = writeln!(s, "package {};\n", package_of(k));
    let _ = writeln!(s, "import \"{OPTIONS_FILE_NAME}\";");
    // Imported data files: the previous one and the one at half the index.
    let mut deps: Vec<usize> = Vec::new();
    if k > 0 {
        deps.push(k - 1);
        if k / 2 != k - 1 {
            deps.push(k / 2);
        }
    }
    for &d in &deps {
        let _ = writeln!(s, "import \"{}\";", file_name(d));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "option java_package = \"com.example.bench.f{k}\";");
    let _ = writeln!(s, "option java_multiple_files = true;");
    let _ = writeln!(s, "option optimize_for = SPEED;");
    let _ = writeln!(s, "option (bench.opts.v1.owner) = \"team-{}\";\n", k % 5);

    // The file's enum.
    let _ = writeln!(s, "// The state of an object in file {k}.");
    let _ = writeln!(s, "enum State{k} {{");
    for (v, name) in ["UNSPECIFIED", "ACTIVE", "SUSPENDED", "DELETED"]
        .iter()
        .enumerate()
    {
        let _ = writeln!(s, "  STATE{k}_{name} = {v};");
    }
    let _ = writeln!(s, "  reserved 10 to 20;");
    let _ = writeln!(s, "}}\n");

    for i in 0..n {
        message(&mut s, k, i, &deps, proto3, messages, findings);
    }

    // The file's service, and a request and a response message per RPC (buf's standard names).
    let service = format!("F{k}Service");
    let first = message_name(k, 0);
    for rpc in ["Get", "List", "Sync"] {
        for (kind, field) in [("Request", "query"), ("Response", "result")] {
            let _ = writeln!(s, "// The {} of {service}.{rpc}.", kind.to_lowercase());
            let _ = writeln!(s, "message {service}{rpc}{kind} {{");
            let _ = writeln!(s, "  {label}{first} {field} = 1;");
            let _ = writeln!(s, "}}\n");
        }
    }
    let _ = writeln!(s, "// Operations on the messages of file {k}.");
    let _ = writeln!(s, "service {service} {{");
    let _ = writeln!(s, "  option deprecated = false;");
    let _ = writeln!(s, "  // Gets one.");
    let _ = writeln!(
        s,
        "  rpc Get({service}GetRequest) returns ({service}GetResponse);"
    );
    let _ = writeln!(s, "  // Lists them.");
    let _ = writeln!(
        s,
        "  rpc List({service}ListRequest) returns (stream {service}ListResponse) {{"
    );
    let _ = writeln!(s, "    option idempotency_level = NO_SIDE_EFFECTS;");
    let _ = writeln!(s, "  }}");
    let _ = writeln!(
        s,
        "  rpc Sync(stream {service}SyncRequest) returns (stream {service}SyncResponse);  // Both ways."
    );
    let _ = writeln!(s, "}}");
    s
}

/// One message, `M<k>x<i>`, appended to `s`.
///
/// Unless `findings` is set, a subclass declares fields of its own names (prefixed with its place
/// in the block, `c1_name`, with JSON names to match), since fields named like its ancestors'
/// would be flagged (`FIELD_SHADOWS_BASE_FIELD`), and pins the tag the compiler would allocate
/// (`SUBCLASS_TAG_UNPINNED`); a root declares its discriminator where the compiler would put it
/// (`DISCRIMINATOR_IMPLICIT`).
fn message(
    s: &mut String,
    k: usize,
    i: usize,
    deps: &[usize],
    proto3: bool,
    messages: usize,
    findings: bool,
) {
    // The position in its block of ten decides its place in the hierarchy (proto2 files only):
    // 0 root, 1-3 subclasses of the root, 4 a subclass of 1; 5-9 plain. Tags are unique in a
    // hierarchy: 100, 101 and 102 (for 4) are the ones the compiler allocates in declaration
    // order; 150 (for 3) is out of that order, which the compiler must respect.
    let block = i - i % 10;
    let root = message_name(k, block);
    let (parent, tag) = match i % 10 {
        _ if proto3 => (None, 0),
        1 => (Some(root.clone()), 100),
        2 => (Some(root.clone()), 101),
        3 => (Some(root.clone()), 150),
        4 => (Some(message_name(k, block + 1)), 102),
        _ => (None, 0),
    };
    let base = parent.map(|p| {
        if findings && tag != 150 {
            p
        } else {
            format!("{p} = {tag}")
        }
    });
    // Field names: a subclass's are its own (`c<position>_`), a root's or plain message's plain.
    let distinct = base.is_some() && !findings;
    let p = if distinct {
        format!("c{}_", i % 10)
    } else {
        String::new()
    };
    // The JSON name written for `flag`: distinct in each class of a hierarchy as well.
    let flag_json = if distinct {
        format!("c{}IsFlag", i % 10)
    } else {
        "isFlag".to_string()
    };
    let label = if proto3 { "" } else { "optional " };
    let name = message_name(k, i);
    let _ = writeln!(s, "// {name}: a message of file {k}.");
    let _ = writeln!(s, "//");
    let _ = writeln!(s, "// It has a second paragraph of documentation.");
    match &base {
        Some(b) => {
            let _ = writeln!(s, "message {name} : {b} {{");
        }
        None => {
            let _ = writeln!(s, "message {name} {{");
        }
    }
    let _ = writeln!(s, "  option (bench.opts.v1.label) = \"m{k}-{i}\";");
    if i % 7 == 6 {
        let _ = writeln!(s, "  option deprecated = true;");
    }
    let _ = writeln!(s, "\n  // The name.");
    let _ = writeln!(s, "  {label}string {p}name = 1;");
    let _ = writeln!(
        s,
        "  {label}int64 {p}id = 2 [deprecated = true];  // Use {p}name instead."
    );
    let _ = writeln!(
        s,
        "  repeated double {p}values = 3 [(bench.opts.v1.weight) = {}];",
        i % 10
    );
    if proto3 {
        let _ = writeln!(s, "  State{k} {p}state = 4;");
    } else {
        let _ = writeln!(
            s,
            "  optional State{k} {p}state = 4 [default = STATE{k}_ACTIVE];"
        );
    }
    // A message of an imported file (or of this one): a root, never a subclass.
    let (j, rel) = match deps.first() {
        Some(&d) => (d, i % 2 == 0),
        None => (k, true),
    };
    let target_count = messages_in(j, messages);
    let target = message_name(j, ((i * 7) % target_count.div_ceil(10)) * 10);
    if rel {
        let pkg = package_of(j);
        let short = pkg.strip_prefix("bench.").expect("bench package");
        let _ = writeln!(s, "  {label}{short}.{target} {p}related = 5;");
    } else {
        let _ = writeln!(s, "  {label}.{}.{target} {p}related = 5;", package_of(j));
    }
    if let Some(&d) = deps.get(1) {
        let t = message_name(d, (i % messages_in(d, messages).div_ceil(10)) * 10);
        let _ = writeln!(s, "  repeated .{}.{t} {p}more = 11;", package_of(d));
    }
    let _ = writeln!(s, "  map<string, int32> {p}counts = 6;");
    let _ = writeln!(s, "  oneof {p}choice {{");
    let _ = writeln!(s, "    string {p}text = 7;");
    let _ = writeln!(s, "    bytes {p}blob = 8 [(bench.opts.v1.weight) = 3];");
    let _ = writeln!(s, "  }}");
    let _ = writeln!(s, "  // An entry.");
    let _ = writeln!(s, "  message Entry {{");
    let _ = writeln!(s, "    {label}string key = 1;");
    let _ = writeln!(s, "    {label}uint32 value = 2 [json_name = \"val\"];");
    let _ = writeln!(s, "  }}");
    let _ = writeln!(s, "  repeated Entry {p}entries = 9;");
    let _ = writeln!(
        s,
        "  {label}bool {p}flag = 10 [json_name = \"{flag_json}\"];"
    );
    let has_subclass = i + 1 < messages_in(k, messages);
    if !proto3 && i % 10 == 0 && has_subclass && !findings {
        // The root's discriminator, as the compiler would generate it.
        let _ = writeln!(s, "  // Which class the message holds.");
        let _ = writeln!(s, "  optional Type type = 99;");
    }
    let _ = writeln!(s, "  reserved 20 to 25;");
    let _ = writeln!(s, "  reserved \"old_name\";");
    let _ = writeln!(s, "}}\n");
}
