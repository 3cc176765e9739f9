//! Editions: features where they are not allowed, features and options by edition, and the
//! proto2 spellings that editions replace by features.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `FEATURES_OUTSIDE_EDITIONS` | `features.…` options in a proto2/proto3 file | `ResolveFeaturesImpl` |
//! | `FEATURE_NOT_INTRODUCED` | a feature newer than the file's edition (`enforce_naming_style` in 2023) | `FeatureResolver::ValidateFeatureLifetimes` |
//! | `OPTION_REMOVED` | an option removed in the file's edition (`java_multiple_files` in 2024, `ctype` from 2024) | `ValidateFeatureLifetimes`, `ValidateOptions(FieldDescriptor)` |
//! | `EDITIONS_LEGACY_SYNTAX` | `required`, groups, `[packed]`, `java_string_check_utf8` in editions: each has a feature instead | `ValidateFieldFeatures`, `ValidateFileFeatures` |
//! | `FEATURE_TARGET` | a feature on a field it cannot apply to (presence on repeated/oneof/extension fields, implicit presence on messages, encodings on the wrong types, `LEGACY_REQUIRED` as a file default) | `ValidateFieldFeatures`, `ValidateFileFeatures` |
//! | `IMPLICIT_PRESENCE_DEFAULT`, `IMPLICIT_PRESENCE_CLOSED_ENUM` | implicit-presence fields with a default, or of a closed enum | `ValidateFieldFeatures` |
//! | `EXTENSION_REQUIRED` | `LEGACY_REQUIRED` extensions | `ValidateFieldFeatures` |

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, ServiceDescriptorProto, UninterpretedOption,
};

use super::features::{explicit_features, feature_introduced, ExplicitFeature};
use super::{sub, tag, Checker, Edition, FieldCx, FileCx, Presence};
use crate::diagnostics::Diagnostic;

/// Checks the explicit features of one element: allowed at all, and known in this edition.
fn check_features(
    ck: &mut Checker,
    f: &FileCx,
    options: &[UninterpretedOption],
    options_path: &[i32],
) -> Vec<ExplicitFeature> {
    let explicit = explicit_features(options);
    for feat in &explicit {
        let at = sub(options_path, &[tag::UNINTERPRETED, feat.index as i32]);
        if !f.edition.is_editions() {
            ck.push(
                Diagnostic::error(
                    "FEATURES_OUTSIDE_EDITIONS",
                    "Features are only valid under editions.",
                )
                .at(f.id, f.span(&at), "features need an `edition`")
                .help(format!(
                    "remove the option, or migrate the file to editions (`edition = \"2023\";`); \
                     this file uses {}",
                    if f.edition == Edition::Proto3 {
                        "proto3"
                    } else {
                        "proto2"
                    }
                )),
            );
            continue;
        }
        if let Some(intro) = feature_introduced(&feat.name) {
            if f.edition < intro {
                ck.push(
                    Diagnostic::error(
                        "FEATURE_NOT_INTRODUCED",
                        format!(
                            "google.protobuf.FeatureSet.{} wasn't introduced until edition {} and \
                             can't be used in edition {}",
                            feat.name,
                            intro.describe(),
                            f.edition.describe()
                        ),
                    )
                    .at(
                        f.id,
                        f.span(&at),
                        format!("needs edition {}", intro.describe()),
                    )
                    .help(format!(
                        "remove the option, or move the file to `edition = \"{}\";`",
                        intro.describe()
                    )),
                );
            }
        }
    }
    explicit
}

/// File-level rules.
pub(crate) fn check_file(ck: &mut Checker, f: &FileCx) {
    super::names::check_package_style(ck, f);
    let Some(opts) = &f.fd.options else { return };
    let opath = [tag::FILE_OPTIONS];
    let explicit = check_features(ck, f, &opts.uninterpreted_option, &opath);
    if !f.edition.is_editions() {
        return;
    }
    for feat in &explicit {
        if feat.name == "field_presence" && feat.value == "LEGACY_REQUIRED" {
            ck.push(
                Diagnostic::error(
                    "FEATURE_TARGET",
                    "Required presence can't be specified by default.",
                )
                .at(
                    f.id,
                    f.span(&sub(&opath, &[tag::UNINTERPRETED, feat.index as i32])),
                    "not allowed as a file default",
                )
                .help("set `features.field_presence = LEGACY_REQUIRED` on the fields that need it"),
            );
        }
    }
    if opts.java_string_check_utf8 == Some(true) {
        ck.push(
            Diagnostic::error(
                "EDITIONS_LEGACY_SYNTAX",
                "File option java_string_check_utf8 is not allowed under editions. Use the \
                 (pb.java).utf8_validation feature to control this behavior.",
            )
            .at(
                f.id,
                f.span(&sub(&opath, &[tag::FILE_OPT_JAVA_STRING_CHECK_UTF8])),
                "not allowed under editions",
            )
            .help("use `option features.(pb.java).utf8_validation = VERIFY;` instead"),
        );
    }
    if opts.java_multiple_files.is_some() && f.edition >= Edition::E2024 {
        ck.push(
            Diagnostic::error(
                "OPTION_REMOVED",
                "google.protobuf.FileOptions.java_multiple_files has been removed in edition \
                 2024: This behavior is enabled by default in editions 2024 and above. To disable \
                 it, you can set `features.(pb.java).nest_in_file_class = YES` on individual \
                 messages, enums, or services.",
            )
            .at(
                f.id,
                f.span(&sub(&opath, &[tag::FILE_OPT_JAVA_MULTIPLE_FILES])),
                "removed in edition 2024",
            )
            .help("remove the option"),
        );
    }
}

/// Features on a message, its oneofs and extension ranges.
pub(crate) fn check_message(
    ck: &mut Checker,
    f: &FileCx,
    m: &DescriptorProto,
    path: &[i32],
    _full_name: &str,
) {
    if let Some(o) = &m.options {
        check_features(
            ck,
            f,
            &o.uninterpreted_option,
            &sub(path, &[tag::MSG_OPTIONS]),
        );
    }
    for (i, o) in m.oneof_decl.iter().enumerate() {
        if let Some(opts) = &o.options {
            let p = sub(path, &[tag::MSG_ONEOF, i as i32, tag::ONEOF_OPTIONS]);
            check_features(ck, f, &opts.uninterpreted_option, &p);
        }
    }
    for (i, r) in m.extension_range.iter().enumerate() {
        if let Some(opts) = &r.options {
            let p = sub(
                path,
                &[tag::MSG_EXT_RANGE, i as i32, tag::EXT_RANGE_OPTIONS],
            );
            check_features(ck, f, &opts.uninterpreted_option, &p);
        }
    }
}

/// Features on an enum and its values.
pub(crate) fn check_enum(ck: &mut Checker, f: &FileCx, e: &EnumDescriptorProto, path: &[i32]) {
    if let Some(o) = &e.options {
        check_features(
            ck,
            f,
            &o.uninterpreted_option,
            &sub(path, &[tag::ENUM_OPTIONS]),
        );
    }
    for (i, v) in e.value.iter().enumerate() {
        if let Some(o) = &v.options {
            let p = sub(path, &[tag::ENUM_VALUE, i as i32, tag::VALUE_OPTIONS]);
            check_features(ck, f, &o.uninterpreted_option, &p);
        }
    }
}

/// Features on a service and its methods.
pub(crate) fn check_service(
    ck: &mut Checker,
    f: &FileCx,
    s: &ServiceDescriptorProto,
    path: &[i32],
) {
    if let Some(o) = &s.options {
        check_features(
            ck,
            f,
            &o.uninterpreted_option,
            &sub(path, &[tag::SERVICE_OPTIONS]),
        );
    }
    for (i, m) in s.method.iter().enumerate() {
        if let Some(o) = &m.options {
            let p = sub(path, &[tag::SERVICE_METHOD, i as i32, tag::METHOD_OPTIONS]);
            check_features(ck, f, &o.uninterpreted_option, &p);
        }
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
    let opts_path = fx.at(tag::FIELD_OPTIONS);
    let explicit = match &fx.field.options {
        Some(o) => check_features(ck, f, &o.uninterpreted_option, &opts_path),
        None => Vec::new(),
    };
    if !f.edition.is_editions() {
        return;
    }
    let feat_at =
        |feat: &ExplicitFeature| f.span(&sub(&opts_path, &[tag::UNINTERPRETED, feat.index as i32]));
    let name = fx.name();
    if fx.label() == Label::Required {
        ck.push(
            Diagnostic::error(
                "EDITIONS_LEGACY_SYNTAX",
                "Required label is not allowed under editions.  Use the feature field_presence = \
                 LEGACY_REQUIRED to control this behavior.",
            )
            .at(f.id, f.span(&fx.at(tag::FIELD_LABEL)), "not allowed under editions")
            .help(format!(
                "remove `required` and add `[features.field_presence = LEGACY_REQUIRED]` to `{name}`"
            )),
        );
    }
    if fx.ty() == Some(Type::Group) {
        ck.push(
            Diagnostic::error(
                "EDITIONS_LEGACY_SYNTAX",
                "Group types are not allowed under editions.  Use the feature message_encoding = \
                 DELIMITED to control this behavior.",
            )
            .at(f.id, f.span(&fx.at(tag::FIELD_TYPE)), "not allowed under editions")
            .help(
                "declare a message and a field of it with `[features.message_encoding = DELIMITED]`",
            ),
        );
    }
    if let Some(packed) = fx.field.options.as_ref().and_then(|o| o.packed) {
        ck.push(
            Diagnostic::error(
                "EDITIONS_LEGACY_SYNTAX",
                "Field option packed is not allowed under editions.  Use the \
                 repeated_field_encoding feature to control this behavior.",
            )
            .at(
                f.id,
                f.span(&sub(&opts_path, &[tag::FIELD_OPT_PACKED])),
                "not allowed under editions",
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
                f.span(&sub(&opts_path, &[tag::FIELD_OPT_CTYPE])),
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
                .at(f.id, f.span(&opts_path), "required extension")
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
    let mut misuse = |msg: &str, feat: &ExplicitFeature, help: &str| {
        ck.push(
            Diagnostic::error("FEATURE_TARGET", msg.to_string())
                .at(
                    f.id,
                    feat_at(feat),
                    format!("`{}` does not apply here", feat.name),
                )
                .help(help.to_string()),
        );
    };
    for feat in &explicit {
        match feat.name.as_str() {
            "field_presence" => {
                if fx.in_oneof() {
                    misuse(
                        "Oneof fields can't specify field presence.",
                        feat,
                        "remove the feature: oneof members always have presence",
                    );
                } else if fx.is_repeated() {
                    misuse(
                        "Repeated fields can't specify field presence.",
                        feat,
                        "remove the feature: repeated fields have no presence",
                    );
                } else if fx.is_extension && feat.value != "LEGACY_REQUIRED" {
                    misuse(
                        "Extensions can't specify field presence.",
                        feat,
                        "remove the feature: extensions always have presence",
                    );
                } else if is_message && feat.value == "IMPLICIT" {
                    misuse(
                        "Message fields can't specify implicit presence.",
                        feat,
                        "remove the feature: message fields always have presence",
                    );
                }
            }
            "repeated_field_encoding" => {
                if !fx.is_repeated() {
                    misuse(
                        "Only repeated fields can specify repeated field encoding.",
                        feat,
                        "remove the feature, or make the field `repeated`",
                    );
                } else if feat.value == "PACKED" && !is_packable(fx.ty()) {
                    misuse(
                        "Only repeated primitive fields can specify PACKED repeated field \
                         encoding.",
                        feat,
                        "remove the feature: only numeric, bool and enum fields can be packed",
                    );
                }
            }
            "utf8_validation" if fx.ty() != Some(Type::String) && !string_map => {
                misuse(
                    "Only string fields can specify utf8 validation.",
                    feat,
                    "remove the feature",
                );
            }
            "message_encoding" if !is_message || is_map => {
                misuse(
                    "Only message fields can specify message encoding.",
                    feat,
                    "remove the feature",
                );
            }
            _ => {}
        }
    }
}
