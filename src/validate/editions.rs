//! Editions: features where they are not allowed, and the proto2 spellings that editions
//! replace by features. (Features and options used in an edition that does not have them, or
//! on the wrong kind of element, are [`super::targets`]'.)
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `FEATURES_OUTSIDE_EDITIONS` | `features` options (even `features = {}`) in a proto2/proto3 file | `ResolveFeaturesImpl` |
//! | `OPTION_REMOVED` | `ctype` from edition 2024 | `ValidateOptions(FieldDescriptor)` |
//! | `EDITIONS_LEGACY_SYNTAX` | `required`, groups, `[packed]`, `java_string_check_utf8` in editions: each has a feature instead | `ValidateFieldFeatures`, `ValidateFileFeatures` |
//! | `FEATURE_TARGET` | a feature on a field it cannot apply to (presence on repeated/oneof/extension fields, implicit presence on messages, encodings on the wrong types, `LEGACY_REQUIRED` as a file default) | `ValidateFieldFeatures`, `ValidateFileFeatures` |
//! | `IMPLICIT_PRESENCE_DEFAULT`, `IMPLICIT_PRESENCE_CLOSED_ENUM` | implicit-presence fields with a default, or of a closed enum | `ValidateFieldFeatures` |
//! | `EXTENSION_REQUIRED` | `LEGACY_REQUIRED` extensions | `ValidateFieldFeatures` |

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::ServiceDescriptorProto;

use super::features::number;
use super::targets::{self, Target};
use super::{
    sub, tag, with_sub, Checker, Edition, ElementOptions, EnumCx, FieldCx, FileCx, MessageCx,
    Presence,
};
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// Checks the options of the element at `element` (its options at `element` + `options_tag`):
/// features only under editions, then the options' targets and lifetimes. `name_path` locates
/// the element when no `features` option was written (a file's syntax statement, an element's
/// name); it is only worked out when that is reported.
fn check_options(
    ck: &mut Checker,
    f: &FileCx,
    element: &[i32],
    options_tag: i32,
    target: Target,
    name_path: &dyn Fn() -> Vec<i32>,
) {
    with_sub(element, &[options_tag], |options_path| {
        if let Some(opts) = f.opts(options_path) {
            let el = ElementOptions {
                path: options_path,
                opts,
                target,
            };
            check_options_in(ck, f, &el, name_path);
        }
    });
}

/// [`check_options`] with the element's options looked up already.
fn check_options_in(
    ck: &mut Checker,
    f: &FileCx,
    el: &ElementOptions,
    name_path: &dyn Fn() -> Vec<i32>,
) {
    let (options_path, opts) = (el.path, el.opts);
    let explicit = f.explicit_in(options_path, Some(opts));
    if explicit.present && !f.edition.is_editions() {
        let at = f.option_span(options_path, &["features"], &name_path());
        ck.push(
            Diagnostic::error(
                "FEATURES_OUTSIDE_EDITIONS",
                "Features are only valid under editions.",
            )
            .at(f.id, at, "features need an `edition`")
            .help(format!(
                "remove the option, or migrate the file to editions (`edition = \"2023\";`); \
                 this file uses {}",
                if f.edition == Edition::PROTO3 {
                    "proto3"
                } else {
                    "proto2"
                }
            )),
        );
    }
    super::options::check_written(ck, f, opts, el.target);
    targets::check_element(ck, f, el);
    super::utf8::check_element(ck, f, el);
}

/// `EDITIONS_LEGACY_SYNTAX` at `at`: a proto2 spelling that editions replace by a feature
/// (protoc's `message` says which).
fn legacy_syntax(f: &FileCx, at: Span, message: &'static str) -> Diagnostic {
    Diagnostic::error("EDITIONS_LEGACY_SYNTAX", message).at(f.id, at, "not allowed under editions")
}

/// The span of the syntax or edition statement (where protoc reports file-level editions
/// errors).
fn syntax_path(f: &FileCx) -> [i32; 1] {
    if f.written(&[tag::FILE_EDITION]) {
        [tag::FILE_EDITION]
    } else {
        [tag::FILE_SYNTAX]
    }
}

/// File-level rules.
pub(crate) fn check_file(ck: &mut Checker, f: &FileCx) {
    super::names::check_package_style(ck, f);
    let opath = [tag::FILE_OPTIONS];
    check_options(ck, f, &[], tag::FILE_OPTIONS, Target::File, &|| {
        syntax_path(f).to_vec()
    });
    if !f.edition.is_editions() {
        return;
    }
    let explicit = f.explicit(&opath);
    if explicit.get(number::FIELD_PRESENCE) == Some(3) {
        ck.push(
            Diagnostic::error(
                "FEATURE_TARGET",
                "Required presence can't be specified by default.",
            )
            .at(
                f.id,
                f.option_span(&opath, &["features", "field_presence"], &syntax_path(f)),
                "not allowed as a file default",
            )
            .help("set `features.field_presence = LEGACY_REQUIRED` on the fields that need it"),
        );
    }
    let Some(opts) = &f.fd.options else { return };
    if opts.java_string_check_utf8 == Some(true) {
        ck.push(
            legacy_syntax(
                f,
                f.option_span(&opath, &["java_string_check_utf8"], &opath),
                "File option java_string_check_utf8 is not allowed under editions. Use the \
                 (pb.java).utf8_validation feature to control this behavior.",
            )
            .help("use `option features.(pb.java).utf8_validation = VERIFY;` instead"),
        );
    }
}

/// Options of a message, its oneofs and extension ranges.
pub(crate) fn check_message(ck: &mut Checker, f: &FileCx, mx: &MessageCx) {
    let (m, path) = (mx.proto, mx.path);
    check_options(ck, f, path, tag::MSG_OPTIONS, Target::Message, &|| {
        sub(path, &[tag::MSG_NAME])
    });
    for i in 0..m.oneof_decl.len() {
        let p = [tag::MSG_ONEOF, i as i32];
        with_sub(path, &p, |p| {
            check_options(ck, f, p, tag::ONEOF_OPTIONS, Target::Oneof, &|| {
                sub(p, &[tag::ONEOF_NAME])
            })
        });
    }
    for i in 0..m.extension_range.len() {
        let p = [tag::MSG_EXT_RANGE, i as i32];
        with_sub(path, &p, |p| {
            check_options(
                ck,
                f,
                p,
                tag::EXT_RANGE_OPTIONS,
                Target::ExtensionRange,
                &|| p.to_vec(),
            )
        });
    }
}

/// Options of an enum and its values.
pub(crate) fn check_enum(ck: &mut Checker, f: &FileCx, ex: &EnumCx) {
    let (e, path) = (ex.proto, ex.path);
    check_options(ck, f, path, tag::ENUM_OPTIONS, Target::Enum, &|| {
        sub(path, &[tag::ENUM_NAME])
    });
    for i in 0..e.value.len() {
        with_sub(path, &[tag::ENUM_VALUE, i as i32], |p| {
            check_options(ck, f, p, tag::VALUE_OPTIONS, Target::EnumEntry, &|| {
                sub(p, &[tag::VALUE_NAME])
            })
        });
    }
}

/// Options of a service and its methods.
pub(crate) fn check_service(
    ck: &mut Checker,
    f: &FileCx,
    s: &ServiceDescriptorProto,
    path: &[i32],
) {
    check_options(ck, f, path, tag::SERVICE_OPTIONS, Target::Service, &|| {
        sub(path, &[tag::SERVICE_NAME])
    });
    for i in 0..s.method.len() {
        with_sub(path, &[tag::SERVICE_METHOD, i as i32], |p| {
            check_options(ck, f, p, tag::METHOD_OPTIONS, Target::Method, &|| {
                sub(p, &[tag::METHOD_NAME])
            })
        });
    }
}

/// Whether a type can be packed (every scalar but strings and bytes).
pub fn is_packable(ty: Option<Type>) -> bool {
    !matches!(
        ty,
        None | Some(Type::String | Type::Bytes | Type::Message | Type::Group)
    )
}

/// Field-level editions rules.
pub(crate) fn check_field(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    if let Some(opts) = fx.opts {
        let el = ElementOptions {
            path: &fx.at(tag::FIELD_OPTIONS),
            opts,
            target: Target::Field,
        };
        check_options_in(ck, f, &el, &|| fx.at(tag::FIELD_NAME));
    }
    if !f.edition.is_editions() {
        return;
    }
    // The options' path: only worked out for a diagnostic.
    let opts_path = || fx.at(tag::FIELD_OPTIONS);
    let feat_at = |feature: &str| -> Span {
        f.option_span(
            &opts_path(),
            &["features", feature],
            &fx.at(tag::FIELD_NAME),
        )
    };
    let name = fx.name();
    if fx.label() == Label::Required {
        ck.push(
            legacy_syntax(
                f,
                f.span(&fx.at(tag::FIELD_LABEL)),
                "Required label is not allowed under editions.  Use the feature field_presence = \
                 LEGACY_REQUIRED to control this behavior.",
            )
            .help(format!(
                "remove `required` and add `[features.field_presence = LEGACY_REQUIRED]` to `{name}`"
            )),
        );
    }
    if fx.ty() == Some(Type::Group) {
        ck.push(
            legacy_syntax(
                f,
                f.span(&fx.at(tag::FIELD_TYPE)),
                "Group types are not allowed under editions.  Use the feature message_encoding = \
                 DELIMITED to control this behavior.",
            )
            .help(
                "declare a message and a field of it with `[features.message_encoding = DELIMITED]`",
            ),
        );
    }
    if let Some(packed) = fx.field.options.as_ref().and_then(|o| o.packed) {
        ck.push(
            legacy_syntax(
                f,
                f.option_span(&opts_path(), &["packed"], &fx.at(tag::FIELD_NAME)),
                "Field option packed is not allowed under editions.  Use the \
                 repeated_field_encoding feature to control this behavior.",
            )
            .help(format!(
                "use `[features.repeated_field_encoding = {}]`",
                if packed { "PACKED" } else { "EXPANDED" }
            )),
        );
    }
    if f.edition >= Edition::E2024 && fx.field.options.as_ref().and_then(|o| o.ctype).is_some() {
        ck.push(
            Diagnostic::error(
                "OPTION_REMOVED",
                "ctype option is not allowed under edition 2024 and beyond. Use the feature \
                 string_type = VIEW|CORD|STRING|... instead.",
            )
            .at(
                f.id,
                f.option_span(&opts_path(), &["ctype"], &fx.at(tag::FIELD_NAME)),
                "removed in edition 2024",
            )
            .help("use `[features.(pb.cpp).string_type = CORD]` (or VIEW/STRING)"),
        );
    }

    if !fx.is_repeated() && !fx.has_presence() {
        if fx.field.default_value.is_some() {
            ck.push(
                Diagnostic::error(
                    "IMPLICIT_PRESENCE_DEFAULT",
                    "Implicit presence fields can't specify defaults.",
                )
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_DEFAULT)),
                    "field has implicit presence",
                )
                .help("remove the default, or give the field explicit presence"),
            );
        }
        if fx.ty() == Some(Type::Enum) && ck.enum_of(fx.field).is_some_and(|e| e.closed) {
            ck.push(
                Diagnostic::error(
                    "IMPLICIT_PRESENCE_CLOSED_ENUM",
                    "Implicit presence enum fields must always be open.",
                )
                .at(f.id, f.span(&fx.at(tag::FIELD_TYPE_NAME)), "a closed enum")
                .help("give the field explicit presence, or use an open enum"),
            );
        }
    }
    if fx.is_extension && fx.features.presence == Presence::LegacyRequired {
        ck.push(
            Diagnostic::error("EXTENSION_REQUIRED", "Extensions can't be required.")
                .at(f.id, f.span(&opts_path()), "required extension")
                .help("remove `field_presence = LEGACY_REQUIRED`"),
        );
    }

    // Explicit features on the wrong kind of field. Map entries' fields inherit their map
    // field's features blindly and are not checked.
    if fx
        .parent
        .and_then(|m| m.options.as_ref())
        .and_then(|o| o.map_entry)
        == Some(true)
    {
        return;
    }
    let is_message = matches!(fx.ty(), Some(Type::Message | Type::Group));
    let is_map = fx.ty() == Some(Type::Message)
        && ck
            .message_of(fx.field)
            .and_then(|m| m.proto.options.as_ref())
            .and_then(|o| o.map_entry)
            == Some(true);
    let string_map = is_map
        && ck.message_of(fx.field).is_some_and(|m| {
            m.proto
                .field
                .iter()
                .any(|x| x.r#type == Some(Type::String as i32))
        });
    let explicit = &fx.explicit;
    let mut misuse = |msg: &str, feature: &str, help: &str| {
        ck.push(
            Diagnostic::error("FEATURE_TARGET", msg.to_string())
                .at(
                    f.id,
                    feat_at(feature),
                    format!("`{feature}` does not apply here"),
                )
                .help(help.to_string()),
        );
    };
    if let Some(presence) = explicit.get(number::FIELD_PRESENCE) {
        if fx.in_oneof() {
            misuse(
                "Oneof fields can't specify field presence.",
                "field_presence",
                "remove the feature: oneof members always have presence",
            );
        } else if fx.is_repeated() {
            misuse(
                "Repeated fields can't specify field presence.",
                "field_presence",
                "remove the feature: repeated fields have no presence",
            );
        } else if fx.is_extension && presence != 3 {
            misuse(
                "Extensions can't specify field presence.",
                "field_presence",
                "remove the feature: extensions always have presence",
            );
        } else if is_message && presence == 2 {
            misuse(
                "Message fields can't specify implicit presence.",
                "field_presence",
                "remove the feature: message fields always have presence",
            );
        }
    }
    if !fx.is_repeated() && explicit.has(number::REPEATED_FIELD_ENCODING) {
        misuse(
            "Only repeated fields can specify repeated field encoding.",
            "repeated_field_encoding",
            "remove the feature, or make the field `repeated`",
        );
    }
    if fx.ty() != Some(Type::String) && !string_map && explicit.has(number::UTF8_VALIDATION) {
        misuse(
            "Only string fields can specify utf8 validation.",
            "utf8_validation",
            "remove the feature",
        );
    }
    if !(fx.is_repeated() && is_packable(fx.ty()))
        && explicit.get(number::REPEATED_FIELD_ENCODING) == Some(1)
    {
        misuse(
            "Only repeated primitive fields can specify PACKED repeated field encoding.",
            "repeated_field_encoding",
            "remove the feature: only numeric, bool and enum fields can be packed",
        );
    }
    if (!is_message || is_map) && explicit.has(number::MESSAGE_ENCODING) {
        misuse(
            "Only message fields can specify message encoding.",
            "message_encoding",
            "remove the feature",
        );
    }
}
