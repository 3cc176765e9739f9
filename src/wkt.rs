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

/// The names of every built-in file.
pub fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(n, _)| *n)
}

/// Where the built-in files define a name: for a diagnostic on a name that is not visible, the
/// file to import. Parsed and indexed on first use, which only an error report makes.
fn symbols() -> &'static crate::resolve::symbols::SymbolTable {
    use crate::source::FileId;
    static TABLE: std::sync::OnceLock<crate::resolve::symbols::SymbolTable> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let options = crate::parse::ParseOptions { comments: false };
        let parsed: Vec<(FileId, crate::ast::File)> = FILES
            .iter()
            .enumerate()
            .map(|(i, (_, text))| {
                let id = FileId(i as u32);
                (id, crate::parse::parse_with(id, text, options).0)
            })
            .collect();
        crate::resolve::symbols::SymbolTable::build(parsed.iter().map(|(id, f)| (*id, f))).0
    })
}

/// A definition in a built-in file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The file's import name (`google/protobuf/timestamp.proto`).
    pub file: &'static str,
    /// What the name is.
    pub kind: crate::resolve::symbols::SymbolKind,
}

/// The built-in file that defines `full_name` (no leading dot; a message, an enum, an extension,
/// …), if any: `google.protobuf.Timestamp` is in `google/protobuf/timestamp.proto`.
pub fn definition(full_name: &str) -> Option<Definition> {
    let sym = symbols().get(full_name)?;
    if sym.kind == crate::resolve::symbols::SymbolKind::Package {
        return None;
    }
    Some(Definition {
        file: FILES[sym.file.0 as usize].0,
        kind: sym.kind,
    })
}

/// The files whose types people use by their simple name and forget to import: the well-known
/// types proper, and `descriptor.proto` (whose options messages custom options extend).
const COMMONLY_USED: &[&str] = &[
    "google/protobuf/any.proto",
    "google/protobuf/descriptor.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/wrappers.proto",
];

/// A top-level message or enum of a commonly used built-in file whose simple name is `simple`
/// (`Timestamp`): its full name and its file. (Every such file is in package `google.protobuf`.)
pub fn type_named(simple: &str) -> Option<(String, &'static str)> {
    let full = format!("google.protobuf.{simple}");
    let d = definition(&full)?;
    (d.kind.is_type() && COMMONLY_USED.contains(&d.file)).then_some((full, d.file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::symbols::SymbolKind;

    #[test]
    fn definitions_name_their_file() {
        let at = |n: &str| definition(n).map(|d| (d.file, d.kind));
        assert_eq!(
            at("google.protobuf.Timestamp"),
            Some(("google/protobuf/timestamp.proto", SymbolKind::Message))
        );
        assert_eq!(
            at("google.protobuf.FieldOptions"),
            Some(("google/protobuf/descriptor.proto", SymbolKind::Message))
        );
        assert_eq!(
            at("google.protobuf.NullValue"),
            Some(("google/protobuf/struct.proto", SymbolKind::Enum))
        );
        assert_eq!(
            at("pb.cpp"),
            Some(("google/protobuf/cpp_features.proto", SymbolKind::Extension))
        );
        assert_eq!(at("google.protobuf"), None);
        assert_eq!(at("google.protobuf.Nope"), None);
    }

    #[test]
    fn simple_names_find_the_common_types_only() {
        assert_eq!(
            type_named("Duration"),
            Some((
                "google.protobuf.Duration".to_string(),
                "google/protobuf/duration.proto"
            ))
        );
        assert_eq!(
            type_named("FieldOptions").map(|t| t.1),
            Some("google/protobuf/descriptor.proto")
        );
        // type.proto's `Field` is not one people mean by `Field`.
        assert_eq!(type_named("Field"), None);
        assert_eq!(type_named("Timestamp.seconds"), None);
    }
}
