//! The well-known types, built in: `google/protobuf/*.proto` as shipped with protoc 36.2
//! (see `wkt/README.md`). The loader falls back to these after every include directory.

const FILES: &[(&str, &str)] = &[
    (
        "google/protobuf/any.proto",
        include_str!("../wkt/google/protobuf/any.proto"),
    ),
    (
        "google/protobuf/api.proto",
        include_str!("../wkt/google/protobuf/api.proto"),
    ),
    (
        "google/protobuf/c_sharp_features.proto",
        include_str!("../wkt/google/protobuf/c_sharp_features.proto"),
    ),
    (
        "google/protobuf/compiler/plugin.proto",
        include_str!("../wkt/google/protobuf/compiler/plugin.proto"),
    ),
    (
        "google/protobuf/cpp_features.proto",
        include_str!("../wkt/google/protobuf/cpp_features.proto"),
    ),
    (
        "google/protobuf/cpp_file_options.proto",
        include_str!("../wkt/google/protobuf/cpp_file_options.proto"),
    ),
    (
        "google/protobuf/cpp_options.proto",
        include_str!("../wkt/google/protobuf/cpp_options.proto"),
    ),
    (
        "google/protobuf/descriptor.proto",
        include_str!("../wkt/google/protobuf/descriptor.proto"),
    ),
    (
        "google/protobuf/duration.proto",
        include_str!("../wkt/google/protobuf/duration.proto"),
    ),
    (
        "google/protobuf/empty.proto",
        include_str!("../wkt/google/protobuf/empty.proto"),
    ),
    (
        "google/protobuf/field_mask.proto",
        include_str!("../wkt/google/protobuf/field_mask.proto"),
    ),
    (
        "google/protobuf/go_features.proto",
        include_str!("../wkt/google/protobuf/go_features.proto"),
    ),
    (
        "google/protobuf/java_features.proto",
        include_str!("../wkt/google/protobuf/java_features.proto"),
    ),
    (
        "google/protobuf/json_enumvalue_options.proto",
        include_str!("../wkt/google/protobuf/json_enumvalue_options.proto"),
    ),
    (
        "google/protobuf/json_options.proto",
        include_str!("../wkt/google/protobuf/json_options.proto"),
    ),
    (
        "google/protobuf/source_context.proto",
        include_str!("../wkt/google/protobuf/source_context.proto"),
    ),
    (
        "google/protobuf/struct.proto",
        include_str!("../wkt/google/protobuf/struct.proto"),
    ),
    (
        "google/protobuf/timestamp.proto",
        include_str!("../wkt/google/protobuf/timestamp.proto"),
    ),
    (
        "google/protobuf/type.proto",
        include_str!("../wkt/google/protobuf/type.proto"),
    ),
    (
        "google/protobuf/wrappers.proto",
        include_str!("../wkt/google/protobuf/wrappers.proto"),
    ),
];

/// The text of a built-in file, by its import name (`google/protobuf/any.proto`).
pub fn get(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The names of every built-in file (for the tests).
#[cfg(feature = "internals")]
pub fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(n, _)| *n)
}

/// Every built-in file: its import name and its text.
pub(crate) fn files() -> &'static [(&'static str, &'static str)] {
    FILES
}
