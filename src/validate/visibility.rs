//! Edition 2024 symbol visibility (`export` / `local`) under `default_symbol_visibility = STRICT`.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `VISIBILITY_STRICT` | a nested message, or a nested enum outside an enum namespace message (`local message N { export enum E {…} reserved 1 to max; }`), marked `export` under `STRICT` | `SymbolChecker::CheckSymbolVisibilityRules` (symbol_checker.cc) |
//!
//! prost-types has no `visibility` field, so the keyword is read from the file's exact encoding
//! (`DescriptorProto.visibility` = 11, `EnumDescriptorProto.visibility` = 6).

use prost_types::{DescriptorProto, EnumDescriptorProto};

use super::features::{read_varint, DefaultVisibility};
use super::{sub, tag, Checker, FileCx, MAX_FIELD_NUMBER};
use crate::diagnostics::Diagnostic;

/// `SymbolVisibility.VISIBILITY_LOCAL`.
const LOCAL: u64 = 1;
/// `SymbolVisibility.VISIBILITY_EXPORT`.
const EXPORT: u64 = 2;

/// The visibility keyword written on the element at `path` (0: none).
fn keyword<'a>(ck: &mut Checker<'a, '_>, f: &FileCx<'a>, path: &[i32], field: u32) -> u64 {
    f.encoded
        .and_then(|b| ck.lookups.encoding.bytes_at(b, path))
        .and_then(|b| read_varint(b, field))
        .unwrap_or(0)
}

/// Checks every nested message and enum of a top-level message.
pub(crate) fn check_top_level<'a>(
    ck: &mut Checker<'a, '_>,
    f: &FileCx<'a>,
    m: &DescriptorProto,
    path: &[i32],
) {
    if f.features.visibility != DefaultVisibility::Strict {
        return;
    }
    let namespace = is_enum_namespace(ck, f, m, path);
    let scope = super::qualify(&f.scope(), m.name.as_deref().unwrap_or(""));
    nested(ck, f, m, path, &scope, namespace);
}

/// `SymbolChecker::IsEnumNamespaceMessage` for a top-level message: local (explicitly, or by a
/// `STRICT`/`LOCAL_ALL` default) with the single reserved range `1 to max`.
fn is_enum_namespace<'a>(
    ck: &mut Checker<'a, '_>,
    f: &FileCx<'a>,
    m: &DescriptorProto,
    path: &[i32],
) -> bool {
    let local = match keyword(ck, f, path, 11) {
        LOCAL => true,
        0 => matches!(
            f.features.visibility,
            DefaultVisibility::Strict | DefaultVisibility::LocalAll
        ),
        _ => false,
    };
    local
        && m.reserved_range.len() == 1
        && m.reserved_range[0].start == Some(1)
        && m.reserved_range[0].end == Some(MAX_FIELD_NUMBER + 1)
}

fn nested<'a>(
    ck: &mut Checker<'a, '_>,
    f: &FileCx<'a>,
    m: &DescriptorProto,
    path: &[i32],
    scope: &str,
    namespace: bool,
) {
    for (i, n) in m.nested_type.iter().enumerate() {
        let npath = sub(path, &[tag::MSG_NESTED, i as i32]);
        let full = super::qualify(scope, n.name.as_deref().unwrap_or(""));
        if keyword(ck, f, &npath, 11) == EXPORT {
            ck.push(
                Diagnostic::error(
                    "VISIBILITY_STRICT",
                    format!(
                        "\"{full}\" is a nested message and cannot be `export` with STRICT \
                         default_symbol_visibility. It must be moved to top-level, ideally in its \
                         own file in order to be `export`."
                    ),
                )
                .at(
                    f.id,
                    f.span(&sub(&npath, &[tag::MSG_NAME])),
                    "nested and `export`",
                )
                .help("remove `export`, or move the message to the top level"),
            );
        }
        // Only top-level messages are enum namespaces.
        nested(ck, f, n, &npath, &full, false);
    }
    for (i, e) in m.enum_type.iter().enumerate() {
        let epath = sub(path, &[tag::MSG_ENUM, i as i32]);
        check_enum(ck, f, e, &epath, scope, namespace);
    }
}

fn check_enum<'a>(
    ck: &mut Checker<'a, '_>,
    f: &FileCx<'a>,
    e: &EnumDescriptorProto,
    path: &[i32],
    scope: &str,
    namespace: bool,
) {
    // Under STRICT an enum is exported only by its keyword; in a namespace message it may be.
    if keyword(ck, f, path, 6) != EXPORT || namespace {
        return;
    }
    let full = super::qualify(scope, e.name.as_deref().unwrap_or(""));
    ck.push(
        Diagnostic::error(
            "VISIBILITY_STRICT",
            format!(
                "\"{full}\" is a nested enum and cannot be marked `export` with STRICT \
                 default_symbol_visibility. It must be moved to top-level, ideally in its own \
                 file in order to be `export`. For C++ namespacing of enums in a messages use: \
                 `local message <OuterNamespace> {{ export enum {full} {{...}} reserved 1 to max; }}`"
            ),
        )
        .at(f.id, f.span(&sub(path, &[tag::ENUM_NAME])), "nested and `export`")
        .help(
            "remove `export`, move the enum to the top level, or nest it in a `local` message \
             with `reserved 1 to max;`",
        ),
    );
}
