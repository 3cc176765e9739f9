//! Protobuf's own facts, written once: the limits on numbers, the way full names are built, the
//! syntax and editions ([`edition`]), the naming rules ([`names`]) and `descriptor.proto`'s field
//! numbers ([`descriptor_fields`]). Every stage that needs one of these reads it from here. A
//! leaf: it imports nothing from the rest of the crate.

pub mod descriptor_fields;
pub mod edition;
pub mod names;

pub use edition::Edition;

/// The largest field number (`2^29 - 1`): of fields, extensions and so of subclass tags.
pub const MAX_FIELD_NUMBER: i32 = 536_870_911;
/// The first field number of the range protobuf reserves for its implementation.
pub const FIRST_RESERVED_NUMBER: i32 = 19_000;
/// The last field number of the range protobuf reserves for its implementation.
pub const LAST_RESERVED_NUMBER: i32 = 19_999;
/// protoc's limit on message nesting (`MaxMessageDeclarationNestingDepth`).
pub const MAX_MESSAGE_NESTING: usize = 32;
/// protoc's `NameLimits::kPackageName`: the longest package name.
pub const MAX_PACKAGE_NAME: usize = 511;
/// protoc's `kPackageLimit`: the most dots a package may have.
pub const MAX_PACKAGE_DOTS: usize = 100;

/// `scope.name`, or `name` in the root scope (no package).
pub fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        let mut full = String::with_capacity(scope.len() + 1 + name.len());
        full.push_str(scope);
        full.push('.');
        full.push_str(name);
        full
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn qualify_joins_with_a_dot_except_at_the_root() {
        assert_eq!(super::qualify("", "A"), "A");
        assert_eq!(super::qualify("pkg.v1", "A"), "pkg.v1.A");
    }
}
