//! A generator of a schema set of googleapis' shape and size, for the benchmark's
//! googleapis-scale case (googleapis itself is not in the repository).
//!
//! googleapis holds ~7,200 `.proto` files, 63 MB, in versioned packages of a few dozen files
//! that import each other, the API annotations (`google/api/*.proto`), long-running operations
//! and the well-known types. [`write`] writes a plain-`.proto` set of that shape, file by file
//! (so that the writer never holds the 63 MB):
//!
//! - the common protos: `google/api/{http,annotations,client,field_behavior,resource}.proto`,
//!   `google/longrunning/operations.proto`, `google/rpc/status.proto`,
//!   `google/type/{date,money,latlng}.proto` (written here, small stand-ins of googleapis' own);
//! - [`PACKAGES`] packages `google.cloud.prod<p>.v1` of [`FILES_PER_PACKAGE`] files: a
//!   `service.proto` with five RPCs for each of its first resources (HTTP bindings, method signatures,
//!   long-running operations) and their request and response messages, and resource files,
//!   each importing the previous one, the common protos, and the first resource file of the
//!   previous package;
//! - options-heavy as googleapis is: every file has eight file options, every resource message a
//!   `google.api.resource` message literal, most fields a `field_behavior`, references a
//!   `resource_reference`; comments on everything (license header included), as there.
//!
//! Everything is proto3 and plain protobuf, so protoc, protox and iprotoc compile the same text.
//! The output is deterministic.

use std::fmt::Write as _;

/// Packages in the full-size set (× [`FILES_PER_PACKAGE`] ≈ googleapis' 7,200 files).
pub const PACKAGES: usize = 360;

/// Files per package: one service file and the resource files.
pub const FILES_PER_PACKAGE: usize = 20;

/// Messages besides the resource in each resource file.
const CONFIGS_PER_FILE: usize = 1;

/// What [`write`] wrote.
pub struct Written {
    /// Every file's name, common protos first: the compilation's inputs.
    pub inputs: Vec<String>,
    /// Total bytes of source.
    pub bytes: usize,
}

/// Writes the set of `packages` packages: `sink(name, text)` is called once per file.
pub fn write(packages: usize, mut sink: impl FnMut(&str, &str)) -> Written {
    let mut inputs = Vec::new();
    let mut bytes = 0;
    let mut emit = |name: String, text: String| {
        sink(&name, &text);
        bytes += text.len();
        inputs.push(name);
    };
    for (name, text) in COMMON {
        emit((*name).to_string(), format!("{LICENSE}{text}"));
    }
    for p in 0..packages {
        for j in 0..FILES_PER_PACKAGE - 1 {
            emit(
                format!("{}/resources{j}.proto", dir(p)),
                resource_file(p, j),
            );
        }
        emit(format!("{}/service.proto", dir(p)), service_file(p));
    }
    Written { inputs, bytes }
}

fn dir(p: usize) -> String {
    format!("google/cloud/prod{p}/v1")
}

fn package(p: usize) -> String {
    format!("google.cloud.prod{p}.v1")
}

/// The resource of file `j`: `Widget<j>`.
fn resource(j: usize) -> String {
    format!("Widget{j}")
}

fn resource_type(p: usize, j: usize) -> String {
    format!("prod{p}.googleapis.com/Widget{j}")
}

fn pattern(j: usize) -> String {
    format!("projects/{{project}}/locations/{{location}}/widget{j}s/{{widget{j}}}")
}

/// A paragraph of documentation, as long as googleapis' own on its main messages.
const USAGE: &str = "
// Usage notes: a resource of this kind is created in a location of a project, and its
// name is fixed once created. Reads are eventually consistent: a list that follows a
// create may not show the new resource for a few seconds, while a get by name always
// does. Updates take a field mask; fields left out of the mask keep their values, and
// an update with an empty mask replaces every field that the caller may set. Deleting
// a resource that others depend on fails with FAILED_PRECONDITION unless the request
// sets `force`, which deletes the dependents too. Quotas apply per project and per
// location: see the quota page of the product's documentation for the limits, and
// the monitoring page for how usage is reported. Every change is recorded in the
// audit log of the project, with the caller's identity and the fields changed.";

const LICENSE: &str = "// Copyright 2026 Example LLC
//
// Licensed under the Apache License, Version 2.0 (the \"License\");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an \"AS IS\" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

";

fn header(s: &mut String, p: usize, outer: &str, imports: &[String]) {
    s.push_str(LICENSE);
    let _ = writeln!(s, "syntax = \"proto3\";\n\npackage {};\n", package(p));
    for i in imports {
        let _ = writeln!(s, "import \"{i}\";");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "option cc_enable_arenas = true;");
    let _ = writeln!(s, "option csharp_namespace = \"Google.Cloud.Prod{p}.V1\";");
    let _ = writeln!(
        s,
        "option go_package = \"cloud.google.com/go/prod{p}/apiv1/prod{p}pb;prod{p}pb\";"
    );
    let _ = writeln!(s, "option java_multiple_files = true;");
    let _ = writeln!(s, "option java_outer_classname = \"{outer}\";");
    let _ = writeln!(s, "option java_package = \"com.google.cloud.prod{p}.v1\";");
    let _ = writeln!(
        s,
        "option php_namespace = \"Google\\\\Cloud\\\\Prod{p}\\\\V1\";"
    );
    let _ = writeln!(s, "option ruby_package = \"Google::Cloud::Prod{p}::V1\";");
}

/// Resource file `j` of package `p`: the resource `Widget<j>` and its configuration messages.
fn resource_file(p: usize, j: usize) -> String {
    let mut s = String::with_capacity(12_000);
    let mut imports: Vec<String> = [
        "google/api/field_behavior.proto",
        "google/api/resource.proto",
        "google/protobuf/duration.proto",
        "google/protobuf/struct.proto",
        "google/protobuf/timestamp.proto",
        "google/type/date.proto",
        "google/type/latlng.proto",
        "google/type/money.proto",
    ]
    .map(String::from)
    .to_vec();
    if j > 0 {
        imports.push(format!("{}/resources{}.proto", dir(p), j - 1));
    } else if p > 0 {
        imports.push(format!("{}/resources0.proto", dir(p - 1)));
    }
    header(&mut s, p, &format!("Resources{j}Proto"), &imports);
    if j == 0 {
        let _ = writeln!(s, "option (google.api.resource_definition) = {{");
        let _ = writeln!(s, "  type: \"prod{p}.googleapis.com/Location\"");
        let _ = writeln!(
            s,
            "  pattern: \"projects/{{project}}/locations/{{location}}\""
        );
        let _ = writeln!(s, "}};");
    }
    let _ = writeln!(s);
    let w = resource(j);
    let _ = writeln!(
        s,
        "// A {w} is a resource of product {p}: it groups the settings that one team keeps for\n// one deployment, and is the unit of access control.\n//\n// The fields marked output only are set by the service.\n//{USAGE}"
    );
    let _ = writeln!(s, "message {w} {{");
    let _ = writeln!(s, "  option (google.api.resource) = {{");
    let _ = writeln!(s, "    type: \"{}\"", resource_type(p, j));
    let _ = writeln!(s, "    pattern: \"{}\"", pattern(j));
    let _ = writeln!(s, "    plural: \"widget{j}s\"");
    let _ = writeln!(s, "    singular: \"widget{j}\"");
    let _ = writeln!(s, "  }};\n");
    let _ = writeln!(s, "  // The states a {w} can be in.");
    let _ = writeln!(s, "  enum State {{");
    for (v, name) in [
        "STATE_UNSPECIFIED",
        "CREATING",
        "ACTIVE",
        "UPDATING",
        "DELETING",
        "FAILED",
    ]
    .iter()
    .enumerate()
    {
        let _ = writeln!(s, "    // The {w} is {}.", name.to_lowercase());
        let _ = writeln!(s, "    {name} = {v};\n");
    }
    let _ = writeln!(s, "  }}\n");
    let fields: [(&str, &str, &str, &str); 10] = [
        ("string", "name", "IDENTIFIER", "The resource name of the {w}.\n  // Format: `{pat}`"),
        ("string", "display_name", "REQUIRED", "The name shown in the console. At most 63\n  // characters, unique in the project."),
        ("string", "description", "OPTIONAL", "A description of the {w}, in plain text."),
        ("google.protobuf.Timestamp", "create_time", "OUTPUT_ONLY", "When the {w} was created."),
        ("google.protobuf.Timestamp", "update_time", "OUTPUT_ONLY", "When the {w} was last updated."),
        ("State", "state", "OUTPUT_ONLY", "The state of the {w}."),
        ("string", "etag", "OPTIONAL", "A checksum of the other fields, sent back on update\n  // and delete to make sure the client has an up-to-date value."),
        ("google.type.Money", "monthly_cost", "OUTPUT_ONLY", "What the {w} costs per month."),
        ("google.type.LatLng", "location", "OPTIONAL", "Where the {w} runs."),
        ("google.protobuf.Duration", "ttl", "OPTIONAL", "How long the {w} lives after its last use."),
    ];
    let pat = pattern(j);
    for (n, (ty, name, behavior, doc)) in fields.iter().enumerate() {
        let doc = doc.replace("{w}", &w).replace("{pat}", &pat);
        let _ = writeln!(s, "  // {doc}");
        let _ = writeln!(
            s,
            "  {ty} {name} = {} [(google.api.field_behavior) = {behavior}];\n",
            n + 1
        );
    }
    let _ = writeln!(
        s,
        "  // Labels, as key-value pairs: at most 64, keys and values at most 63 characters."
    );
    let _ = writeln!(
        s,
        "  map<string, string> labels = 11 [(google.api.field_behavior) = OPTIONAL];\n"
    );
    if j > 0 {
        let _ = writeln!(s, "  // The {} this {w} depends on.", resource(j - 1));
        let _ = writeln!(s, "  string depends_on = 12 [");
        let _ = writeln!(s, "    (google.api.field_behavior) = OPTIONAL,");
        let _ = writeln!(
            s,
            "    (google.api.resource_reference) = {{ type: \"{}\" }}",
            resource_type(p, j - 1)
        );
        let _ = writeln!(s, "  ];\n");
        let _ = writeln!(
            s,
            "  // The settings inherited from the {}.",
            resource(j - 1)
        );
        let _ = writeln!(s, "  {}Config0 inherited = 13;\n", resource(j - 1));
    } else if p > 0 {
        let _ = writeln!(s, "  // The widget of product {} this one mirrors.", p - 1);
        let _ = writeln!(
            s,
            "  .{}.Widget0 mirror = 13 [(google.api.field_behavior) = OPTIONAL];\n",
            package(p - 1)
        );
    }
    let _ = writeln!(s, "  // How the {w} is configured.");
    let _ = writeln!(s, "  oneof config {{");
    for c in 0..CONFIGS_PER_FILE {
        let _ = writeln!(s, "    // Configuration of kind {c}.");
        let _ = writeln!(s, "    {w}Config{c} config{c} = {};\n", 20 + c);
    }
    let _ = writeln!(s, "  }}");
    let _ = writeln!(s, "}}\n");
    for c in 0..CONFIGS_PER_FILE {
        config_message(&mut s, &w, c);
    }
    s
}

fn config_message(s: &mut String, w: &str, c: usize) {
    let _ = writeln!(
        s,
        "// Configuration of kind {c} for a {w}. Exactly one kind is set on a {w}; changing\n// the kind recreates the {w}.\n//{USAGE}"
    );
    let _ = writeln!(s, "message {w}Config{c} {{");
    let _ = writeln!(s, "  // A tier of service.");
    let _ = writeln!(s, "  enum Tier {{");
    let _ = writeln!(s, "    // Not set.");
    let _ = writeln!(s, "    TIER_UNSPECIFIED = 0;");
    let _ = writeln!(s, "    // The basic tier.");
    let _ = writeln!(s, "    BASIC = 1;");
    let _ = writeln!(s, "    // The premium tier.");
    let _ = writeln!(s, "    PREMIUM = 2;");
    let _ = writeln!(s, "  }}\n");
    let fields: [(&str, &str, &str); 5] = [
        ("Tier", "tier", "REQUIRED"),
        ("int32", "node_count", "OPTIONAL"),
        ("repeated string", "zones", "OPTIONAL"),
        ("google.protobuf.Struct", "parameters", "OPTIONAL"),
        ("google.type.Date", "maintenance_date", "OUTPUT_ONLY"),
    ];
    for (n, (ty, name, behavior)) in fields.iter().enumerate() {
        let _ = writeln!(
            s,
            "  // The {0} of the configuration. See the product documentation for the\n  // values allowed in each region; a value the region does not allow is\n  // rejected with INVALID_ARGUMENT, and changing the {0} of a running\n  // {w} restarts it, which takes a few minutes.",
            name.replace('_', " ")
        );
        let _ = writeln!(
            s,
            "  {ty} {name} = {} [(google.api.field_behavior) = {behavior}];\n",
            n + 1
        );
    }
    let _ = writeln!(s, "}}\n");
}

/// Resources the service file has RPCs for (the first ones of the package).
const SERVICE_RESOURCES: usize = 4;

/// The service file of package `p`: five RPCs for each of the first [`SERVICE_RESOURCES`]
/// resources, and their messages.
fn service_file(p: usize) -> String {
    let resources = SERVICE_RESOURCES;
    let mut s = String::with_capacity(60_000);
    let mut imports: Vec<String> = [
        "google/api/annotations.proto",
        "google/api/client.proto",
        "google/api/field_behavior.proto",
        "google/api/resource.proto",
        "google/longrunning/operations.proto",
        "google/protobuf/empty.proto",
        "google/protobuf/field_mask.proto",
        "google/protobuf/timestamp.proto",
    ]
    .map(String::from)
    .to_vec();
    for j in 0..resources {
        imports.push(format!("{}/resources{j}.proto", dir(p)));
    }
    header(&mut s, p, "ServiceProto", &imports);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "// Manages the widgets of product {p}.\n//\n// Every mutation is a long-running operation."
    );
    let _ = writeln!(s, "service Prod{p}Service {{");
    let _ = writeln!(
        s,
        "  option (google.api.default_host) = \"prod{p}.googleapis.com\";"
    );
    let _ = writeln!(
        s,
        "  option (google.api.oauth_scopes) = \"https://www.googleapis.com/auth/cloud-platform\";\n"
    );
    for j in 0..resources {
        let w = resource(j);
        let coll = format!("projects/*/locations/*/widget{j}s");
        let _ = writeln!(s, "  // Lists the {w}s of a location.");
        let _ = writeln!(
            s,
            "  rpc List{w}s(List{w}sRequest) returns (List{w}sResponse) {{"
        );
        let _ = writeln!(
            s,
            "    option (google.api.http) = {{\n      get: \"/v1/{{parent=projects/*/locations/*}}/widget{j}s\"\n    }};"
        );
        let _ = writeln!(s, "    option (google.api.method_signature) = \"parent\";");
        let _ = writeln!(s, "  }}\n");
        let _ = writeln!(s, "  // Gets one {w}.");
        let _ = writeln!(s, "  rpc Get{w}(Get{w}Request) returns ({w}) {{");
        let _ = writeln!(
            s,
            "    option (google.api.http) = {{\n      get: \"/v1/{{name={coll}/*}}\"\n      additional_bindings {{ get: \"/v1beta/{{name={coll}/*}}\" }}\n    }};"
        );
        let _ = writeln!(s, "    option (google.api.method_signature) = \"name\";");
        let _ = writeln!(s, "  }}\n");
        for (verb, http, body, sig) in [
            ("Create", "post", "widget", "parent,widget,widget_id"),
            ("Update", "patch", "widget", "widget,update_mask"),
            ("Delete", "delete", "", "name"),
        ] {
            let _ = writeln!(
                s,
                "  // {verb}s a {w}. The returned operation tracks the change; its metadata is an\n  // OperationMetadata. The change is applied in every zone of the location, one zone\n  // at a time, and the operation is done when the last zone has applied it; a\n  // failure in one zone rolls the change back in the zones that had applied it."
            );
            // Deletion is immediate; creation and update are long-running operations.
            let lro = verb != "Delete";
            let returns = if lro {
                "google.longrunning.Operation"
            } else {
                "google.protobuf.Empty"
            };
            let _ = writeln!(
                s,
                "  rpc {verb}{w}({verb}{w}Request) returns ({returns}) {{"
            );
            let path = match verb {
                "Create" => {
                    "/v1/{parent=projects/*/locations/*}/".to_string() + &format!("widget{j}s")
                }
                "Update" => format!("/v1/{{widget.name={coll}/*}}"),
                _ => format!("/v1/{{name={coll}/*}}"),
            };
            let _ = write!(
                s,
                "    option (google.api.http) = {{\n      {http}: \"{path}\""
            );
            if !body.is_empty() {
                let _ = write!(s, "\n      body: \"{body}\"");
            }
            let _ = writeln!(s, "\n    }};");
            let _ = writeln!(s, "    option (google.api.method_signature) = \"{sig}\";");
            if lro {
                let _ = writeln!(
                    s,
                    "    option (google.longrunning.operation_info) = {{\n      response_type: \"{w}\"\n      metadata_type: \"OperationMetadata\"\n    }};"
                );
            }
            let _ = writeln!(s, "  }}\n");
        }
    }
    let _ = writeln!(s, "}}\n");
    for j in 0..resources {
        request_messages(&mut s, p, j);
    }
    let _ = writeln!(s, "// The metadata of the operations of this service.");
    let _ = writeln!(s, "message OperationMetadata {{");
    let _ = writeln!(s, "  // When the operation was created.");
    let _ = writeln!(
        s,
        "  google.protobuf.Timestamp create_time = 1 [(google.api.field_behavior) = OUTPUT_ONLY];\n"
    );
    let _ = writeln!(s, "  // When the operation finished.");
    let _ = writeln!(
        s,
        "  google.protobuf.Timestamp end_time = 2 [(google.api.field_behavior) = OUTPUT_ONLY];\n"
    );
    let _ = writeln!(s, "  // The resource the operation acts on.");
    let _ = writeln!(
        s,
        "  string target = 3 [(google.api.field_behavior) = OUTPUT_ONLY];\n"
    );
    let _ = writeln!(s, "  // Whether the caller asked to cancel the operation.");
    let _ = writeln!(
        s,
        "  bool requested_cancellation = 4 [(google.api.field_behavior) = OUTPUT_ONLY];"
    );
    let _ = writeln!(s, "}}");
    s
}

fn request_messages(s: &mut String, p: usize, j: usize) {
    let w = resource(j);
    let ty = resource_type(p, j);
    let parent = |s: &mut String| {
        let _ = writeln!(
            s,
            "  // Required. The location that owns the {w}s.\n  // Format: `projects/{{project}}/locations/{{location}}`"
        );
        let _ = writeln!(s, "  string parent = 1 [");
        let _ = writeln!(s, "    (google.api.field_behavior) = REQUIRED,");
        let _ = writeln!(
            s,
            "    (google.api.resource_reference) = {{ child_type: \"{ty}\" }}"
        );
        let _ = writeln!(s, "  ];\n");
    };
    let name = |s: &mut String| {
        let _ = writeln!(
            s,
            "  // Required. The name of the {w}.\n  // Format: `{}`",
            pattern(j)
        );
        let _ = writeln!(s, "  string name = 1 [");
        let _ = writeln!(s, "    (google.api.field_behavior) = REQUIRED,");
        let _ = writeln!(
            s,
            "    (google.api.resource_reference) = {{ type: \"{ty}\" }}"
        );
        let _ = writeln!(s, "  ];\n");
    };
    let _ = writeln!(s, "// The request of List{w}s.");
    let _ = writeln!(s, "message List{w}sRequest {{");
    parent(s);
    let _ = writeln!(
        s,
        "  // Optional. At most this many {w}s are returned; the service may return fewer.\n  int32 page_size = 2 [(google.api.field_behavior) = OPTIONAL];\n"
    );
    let _ = writeln!(
        s,
        "  // Optional. A page token from a previous call, to get the next page.\n  string page_token = 3 [(google.api.field_behavior) = OPTIONAL];\n"
    );
    let _ = writeln!(
        s,
        "  // Optional. A filter expression (https://google.aip.dev/160).\n  string filter = 4 [(google.api.field_behavior) = OPTIONAL];\n"
    );
    let _ = writeln!(
        s,
        "  // Optional. How to order the results (https://google.aip.dev/132).\n  string order_by = 5 [(google.api.field_behavior) = OPTIONAL];"
    );
    let _ = writeln!(s, "}}\n");
    let _ = writeln!(s, "// The response of List{w}s.");
    let _ = writeln!(s, "message List{w}sResponse {{");
    let _ = writeln!(
        s,
        "  // The {w}s of the page.\n  repeated {w} widgets = 1;\n"
    );
    let _ = writeln!(
        s,
        "  // A token for the next page; empty on the last page.\n  string next_page_token = 2;\n"
    );
    let _ = writeln!(
        s,
        "  // Locations that could not be reached.\n  repeated string unreachable = 3;"
    );
    let _ = writeln!(s, "}}\n");
    let _ = writeln!(s, "// The request of Get{w}.");
    let _ = writeln!(s, "message Get{w}Request {{");
    name(s);
    let _ = writeln!(s, "}}\n");
    let _ = writeln!(s, "// The request of Create{w}.");
    let _ = writeln!(s, "message Create{w}Request {{");
    parent(s);
    let _ = writeln!(
        s,
        "  // Required. The ID of the new {w}: 4 to 63 lower-case letters, digits and hyphens.\n  string widget_id = 2 [(google.api.field_behavior) = REQUIRED];\n"
    );
    let _ = writeln!(
        s,
        "  // Required. The {w} to create.\n  {w} widget = 3 [(google.api.field_behavior) = REQUIRED];\n"
    );
    let _ = writeln!(
        s,
        "  // Optional. An ID that makes the request idempotent (a UUID).\n  string request_id = 4 [(google.api.field_behavior) = OPTIONAL];"
    );
    let _ = writeln!(s, "}}\n");
    let _ = writeln!(s, "// The request of Update{w}.");
    let _ = writeln!(s, "message Update{w}Request {{");
    let _ = writeln!(
        s,
        "  // Required. The {w}, with its name set.\n  {w} widget = 1 [(google.api.field_behavior) = REQUIRED];\n"
    );
    let _ = writeln!(
        s,
        "  // Optional. The fields to update; all of them when not set.\n  google.protobuf.FieldMask update_mask = 2 [(google.api.field_behavior) = OPTIONAL];\n"
    );
    let _ = writeln!(
        s,
        "  // Optional. An ID that makes the request idempotent (a UUID).\n  string request_id = 3 [(google.api.field_behavior) = OPTIONAL];"
    );
    let _ = writeln!(s, "}}\n");
    let _ = writeln!(s, "// The request of Delete{w}.");
    let _ = writeln!(s, "message Delete{w}Request {{");
    name(s);
    let _ = writeln!(
        s,
        "  // Optional. The etag of the {w}: the request fails if it does not match.\n  string etag = 2 [(google.api.field_behavior) = OPTIONAL];\n"
    );
    let _ = writeln!(
        s,
        "  // Optional. Delete the {w}'s children too.\n  bool force = 3 [(google.api.field_behavior) = OPTIONAL];"
    );
    let _ = writeln!(s, "}}\n");
}

/// The common protos every package imports (after [`LICENSE`]).
const COMMON: &[(&str, &str)] = &[
    (
        "google/api/http.proto",
        r#"syntax = "proto3";

package google.api;

option go_package = "google.golang.org/genproto/googleapis/api/annotations;annotations";
option java_multiple_files = true;
option java_outer_classname = "HttpProto";
option java_package = "com.google.api";

// HTTP rules of a service.
message Http {
  // The rules, one per method.
  repeated HttpRule rules = 1;

  // Whether reserved characters are decoded in multi-segment matches.
  bool fully_decode_reserved_expansion = 2;
}

// How a method maps to an HTTP request.
message HttpRule {
  // The method this rule applies to.
  string selector = 1;

  // The HTTP method and path template.
  oneof pattern {
    // GET.
    string get = 2;
    // PUT.
    string put = 3;
    // POST.
    string post = 4;
    // DELETE.
    string delete = 5;
    // PATCH.
    string patch = 6;
    // Another method.
    CustomHttpPattern custom = 8;
  }

  // The request field mapped to the body, or `*`.
  string body = 7;

  // The response field mapped to the body.
  string response_body = 12;

  // More bindings for the same method.
  repeated HttpRule additional_bindings = 11;
}

// A custom HTTP method.
message CustomHttpPattern {
  // The method name.
  string kind = 1;

  // The path template.
  string path = 2;
}
"#,
    ),
    (
        "google/api/annotations.proto",
        r#"syntax = "proto3";

package google.api;

import "google/api/http.proto";
import "google/protobuf/descriptor.proto";

option go_package = "google.golang.org/genproto/googleapis/api/annotations;annotations";
option java_multiple_files = true;
option java_outer_classname = "AnnotationsProto";
option java_package = "com.google.api";

extend google.protobuf.MethodOptions {
  // The HTTP binding of a method.
  HttpRule http = 72295728;
}
"#,
    ),
    (
        "google/api/client.proto",
        r#"syntax = "proto3";

package google.api;

import "google/protobuf/descriptor.proto";

option go_package = "google.golang.org/genproto/googleapis/api/annotations;annotations";
option java_multiple_files = true;
option java_outer_classname = "ClientProto";
option java_package = "com.google.api";

extend google.protobuf.MethodOptions {
  // The signatures of the method's generated overloads.
  repeated string method_signature = 1051;
}

extend google.protobuf.ServiceOptions {
  // The service's host name.
  string default_host = 1049;

  // The OAuth scopes the service needs, comma-separated.
  string oauth_scopes = 1050;
}
"#,
    ),
    (
        "google/api/field_behavior.proto",
        r#"syntax = "proto3";

package google.api;

import "google/protobuf/descriptor.proto";

option go_package = "google.golang.org/genproto/googleapis/api/annotations;annotations";
option java_multiple_files = true;
option java_outer_classname = "FieldBehaviorProto";
option java_package = "com.google.api";

extend google.protobuf.FieldOptions {
  // How the field behaves in requests and responses.
  repeated google.api.FieldBehavior field_behavior = 1052 [packed = false];
}

// How a field behaves.
enum FieldBehavior {
  // Not set.
  FIELD_BEHAVIOR_UNSPECIFIED = 0;
  // May be left out.
  OPTIONAL = 1;
  // Must be set.
  REQUIRED = 2;
  // Set by the service only.
  OUTPUT_ONLY = 3;
  // Set by the client only.
  INPUT_ONLY = 4;
  // Set on creation only.
  IMMUTABLE = 5;
  // A list whose order is not kept.
  UNORDERED_LIST = 6;
  // May be left out of responses.
  NON_EMPTY_DEFAULT = 7;
  // The resource's name.
  IDENTIFIER = 8;
}
"#,
    ),
    (
        "google/api/resource.proto",
        r#"syntax = "proto3";

package google.api;

import "google/protobuf/descriptor.proto";

option go_package = "google.golang.org/genproto/googleapis/api/annotations;annotations";
option java_multiple_files = true;
option java_outer_classname = "ResourceProto";
option java_package = "com.google.api";

extend google.protobuf.FieldOptions {
  // The resource a string field names.
  google.api.ResourceReference resource_reference = 1055;
}

extend google.protobuf.FileOptions {
  // Resources defined in the file without a message.
  repeated google.api.ResourceDescriptor resource_definition = 1053;
}

extend google.protobuf.MessageOptions {
  // The resource the message is.
  google.api.ResourceDescriptor resource = 1053;
}

// A resource type.
message ResourceDescriptor {
  // How the patterns evolved.
  enum History {
    // Not set.
    HISTORY_UNSPECIFIED = 0;
    // One pattern at first.
    ORIGINALLY_SINGLE_PATTERN = 1;
    // More patterns to come.
    FUTURE_MULTI_PATTERN = 2;
  }

  // A style of resource.
  enum Style {
    // Not set.
    STYLE_UNSPECIFIED = 0;
    // Declarative-friendly.
    DECLARATIVE_FRIENDLY = 1;
  }

  // The type, `{service}/{kind}`.
  string type = 1;

  // The name patterns.
  repeated string pattern = 2;

  // The field holding the name.
  string name_field = 3;

  // How the patterns evolved.
  History history = 4;

  // The plural name.
  string plural = 5;

  // The singular name.
  string singular = 6;

  // The styles.
  repeated Style style = 10;
}

// A reference to a resource type.
message ResourceReference {
  // The type named.
  string type = 1;

  // The type of a child of the resource named.
  string child_type = 2;
}
"#,
    ),
    (
        "google/rpc/status.proto",
        r#"syntax = "proto3";

package google.rpc;

import "google/protobuf/any.proto";

option go_package = "google.golang.org/genproto/googleapis/rpc/status;status";
option java_multiple_files = true;
option java_outer_classname = "StatusProto";
option java_package = "com.google.rpc";

// An error: a code, a message and details.
message Status {
  // The code, a google.rpc.Code.
  int32 code = 1;

  // A message for developers, in English.
  string message = 2;

  // Details for clients.
  repeated google.protobuf.Any details = 3;
}
"#,
    ),
    (
        "google/longrunning/operations.proto",
        r#"syntax = "proto3";

package google.longrunning;

import "google/api/annotations.proto";
import "google/api/client.proto";
import "google/protobuf/any.proto";
import "google/protobuf/descriptor.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/rpc/status.proto";

option go_package = "cloud.google.com/go/longrunning/autogen/longrunningpb;longrunningpb";
option java_multiple_files = true;
option java_outer_classname = "OperationsProto";
option java_package = "com.google.longrunning";

extend google.protobuf.MethodOptions {
  // What a long-running method's operation holds.
  google.longrunning.OperationInfo operation_info = 1049;
}

// Manages long-running operations.
service Operations {
  option (google.api.default_host) = "longrunning.googleapis.com";

  // Lists operations.
  rpc ListOperations(ListOperationsRequest) returns (ListOperationsResponse) {
    option (google.api.http) = {
      get: "/v1/{name=operations}"
    };
    option (google.api.method_signature) = "name,filter";
  }

  // Gets an operation.
  rpc GetOperation(GetOperationRequest) returns (Operation) {
    option (google.api.http) = {
      get: "/v1/{name=operations/**}"
    };
    option (google.api.method_signature) = "name";
  }

  // Deletes an operation.
  rpc DeleteOperation(DeleteOperationRequest) returns (google.protobuf.Empty) {
    option (google.api.http) = {
      delete: "/v1/{name=operations/**}"
    };
    option (google.api.method_signature) = "name";
  }

  // Waits for an operation.
  rpc WaitOperation(WaitOperationRequest) returns (Operation) {}
}

// A long-running operation.
message Operation {
  // Its name.
  string name = 1;

  // Progress information.
  google.protobuf.Any metadata = 2;

  // Whether it finished.
  bool done = 3;

  // The result, once done.
  oneof result {
    // The error.
    google.rpc.Status error = 4;

    // The response.
    google.protobuf.Any response = 5;
  }
}

// The request of GetOperation.
message GetOperationRequest {
  // The operation's name.
  string name = 1;
}

// The request of ListOperations.
message ListOperationsRequest {
  // The parent.
  string name = 4;

  // A filter.
  string filter = 1;

  // The page size.
  int32 page_size = 2;

  // The page token.
  string page_token = 3;
}

// The response of ListOperations.
message ListOperationsResponse {
  // The operations.
  repeated Operation operations = 1;

  // The next page's token.
  string next_page_token = 2;
}

// The request of DeleteOperation.
message DeleteOperationRequest {
  // The operation's name.
  string name = 1;
}

// The request of WaitOperation.
message WaitOperationRequest {
  // The operation's name.
  string name = 1;

  // How long to wait at most.
  google.protobuf.Duration timeout = 2;
}

// What a long-running method's operation holds.
message OperationInfo {
  // The response type.
  string response_type = 1;

  // The metadata type.
  string metadata_type = 2;
}
"#,
    ),
    (
        "google/type/date.proto",
        r#"syntax = "proto3";

package google.type;

option go_package = "google.golang.org/genproto/googleapis/type/date;date";
option java_multiple_files = true;
option java_outer_classname = "DateProto";
option java_package = "com.google.type";

// A calendar date.
message Date {
  // Year, or 0.
  int32 year = 1;

  // Month, 1 to 12, or 0.
  int32 month = 2;

  // Day, 1 to 31, or 0.
  int32 day = 3;
}
"#,
    ),
    (
        "google/type/latlng.proto",
        r#"syntax = "proto3";

package google.type;

option go_package = "google.golang.org/genproto/googleapis/type/latlng;latlng";
option java_multiple_files = true;
option java_outer_classname = "LatLngProto";
option java_package = "com.google.type";

// A latitude and longitude.
message LatLng {
  // Degrees, -90 to 90.
  double latitude = 1;

  // Degrees, -180 to 180.
  double longitude = 2;
}
"#,
    ),
    (
        "google/type/money.proto",
        r#"syntax = "proto3";

package google.type;

option go_package = "google.golang.org/genproto/googleapis/type/money;money";
option java_multiple_files = true;
option java_outer_classname = "MoneyProto";
option java_package = "com.google.type";

// An amount of money.
message Money {
  // ISO 4217 currency code.
  string currency_code = 1;

  // Whole units.
  int64 units = 2;

  // Nano units, -999,999,999 to 999,999,999.
  int32 nanos = 3;
}
"#,
    ),
];
