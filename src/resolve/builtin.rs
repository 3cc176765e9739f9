//! The definitions of the built-in well-known types ([`crate::wkt`]), indexed by full name: for
//! a diagnostic on a name that is not visible, the file to import (`NOT_IMPORTED`).

/// Where the built-in files define a name: for a diagnostic on a name that is not visible, the
/// file to import. Parsed and indexed on first use, which only an error report makes.
fn symbols() -> &'static super::symbols::SymbolTable {
    use crate::source::FileId;
    static TABLE: std::sync::OnceLock<super::symbols::SymbolTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let options = crate::parse::ParseOptions { comments: false };
        let parsed: Vec<(FileId, crate::ast::File)> = crate::wkt::files()
            .iter()
            .enumerate()
            .map(|(i, (_, text))| {
                let id = FileId(i as u32);
                (id, crate::parse::parse_with(id, text, options).0)
            })
            .collect();
        super::symbols::SymbolTable::build(parsed.iter().map(|(id, f)| (*id, f))).0
    })
}

/// A definition in a built-in file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The file's import name (`google/protobuf/timestamp.proto`).
    pub file: &'static str,
    /// What the name is.
    pub kind: super::symbols::SymbolKind,
}

/// The built-in file that defines `full_name` (no leading dot; a message, an enum, an extension,
/// …), if any: `google.protobuf.Timestamp` is in `google/protobuf/timestamp.proto`.
pub fn definition(full_name: &str) -> Option<Definition> {
    let sym = symbols().get(full_name)?;
    if sym.kind == super::symbols::SymbolKind::Package {
        return None;
    }
    Some(Definition {
        file: crate::wkt::files().get(sym.file.0 as usize)?.0,
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
