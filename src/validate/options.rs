//! Options whose values protoc checks against the element they are on.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `PACKED_NOT_PACKABLE` | `[packed = true]` on a field that is not repeated or not numeric | `ValidateOptions(FieldDescriptor)` |
//! | `LAZY_NOT_MESSAGE` | `[lazy = true]` on a field that is not a (length-prefixed) message | `ValidateOptions(FieldDescriptor)` |
//! | `JSTYPE_NOT_64_BIT` | `jstype` on a field that is not a 64-bit integer | `ValidateJSType` |
//! | `LITE_IMPORT` | a non-lite file importing a `LITE_RUNTIME` one | `ValidateOptions(FileDescriptor)` |
//! | `LITE_EXTENSION` | a lite file extending a non-lite message | `ValidateOptions(FieldDescriptor)` |
//! | `LITE_SERVICE` | generic services in a lite file | `ValidateOptions(ServiceDescriptor)` |
//! | `MAP_ENTRY_EXPLICIT` | `option map_entry = …;` written by hand | `Parser::ValidateMessage` (parser.cc) |
//! | `OPTION_RESERVED_NAME` | an option named `uninterpreted_option` | `OptionInterpreter::InterpretSingleOption` |
//! | `FEATURE_SUPPORT_INVALID` | a `feature_support` that is deprecated without `deprecation_warning`, removed without `removal_error`, or out of order | `FeatureResolver::ValidateFeatureSupport` |
//! | `FEATURE_SAME_FILE` | a custom feature (`features.(my_feature)`) used in the file that defines it | `OptionInterpreter::InterpretSingleOption` |

use prost_types::field_descriptor_proto::Type;
use prost_types::file_options::OptimizeMode;
use prost_types::FileDescriptorProto;

use super::editions::is_packable;
use super::targets::Target;
use super::{sub, tag, with_sub, Checker, EnumCx, FeatureSet, FieldCx, FileCx, MessageCx};
use crate::descriptor::WrittenOptions;
use crate::diagnostics::Diagnostic;

pub(crate) fn is_lite(fd: &FileDescriptorProto) -> bool {
    fd.options.as_ref().and_then(|o| o.optimize_for) == Some(OptimizeMode::LiteRuntime as i32)
}

/// File-level option rules.
pub(crate) fn check_file(ck: &mut Checker, f: &FileCx) {
    if !is_lite(f.fd) {
        for (i, dep) in f.fd.dependency.iter().enumerate() {
            // Looked up, not searched: every file imports, and each import would scan every file.
            if ck.lite_files.contains(dep.as_str()) {
                ck.push(
                    Diagnostic::error(
                        "LITE_IMPORT",
                        format!(
                            "Files that do not use optimize_for = LITE_RUNTIME cannot import files \
                             which do use this option.  This file is not lite, but it imports \
                             \"{dep}\" which is."
                        ),
                    )
                    .at(
                        f.id,
                        f.span(&[tag::FILE_DEPENDENCY, i as i32]),
                        "a lite file",
                    )
                    .help(format!(
                        "add `option optimize_for = LITE_RUNTIME;` to this file, or remove it from \
                         \"{dep}\""
                    )),
                );
                break;
            }
        }
    }
    if is_lite(f.fd) {
        let opts = f.fd.options.as_ref();
        let generic = opts.and_then(|o| o.cc_generic_services) == Some(true)
            || opts.and_then(|o| o.java_generic_services) == Some(true);
        if generic {
            for (i, _) in f.fd.service.iter().enumerate() {
                ck.push(
                    Diagnostic::error(
                        "LITE_SERVICE",
                        "Files with optimize_for = LITE_RUNTIME cannot define services unless you \
                         set both options cc_generic_services and java_generic_services to false.",
                    )
                    .at(
                        f.id,
                        f.span(&[tag::FILE_SERVICE, i as i32, tag::SERVICE_NAME]),
                        "",
                    )
                    .help("set `cc_generic_services` and `java_generic_services` to false"),
                );
            }
        }
    }
}

/// Rules on the names of the options written on any element (at `options_path`, of kind
/// `target`).
pub(crate) fn check_written(ck: &mut Checker, f: &FileCx, opts: &WrittenOptions, target: Target) {
    // The simple names of the feature extensions set here that this file defines: read once for
    // the element, not once per option written (a feature set of `n` extensions, written as `n`
    // options, would cost `n²`).
    let mut same_file_features: Option<foldhash::HashSet<&str>> = None;
    for w in &opts.written {
        if w.name.first().map(String::as_str) == Some("uninterpreted_option") {
            ck.push(
                Diagnostic::error(
                    "OPTION_RESERVED_NAME",
                    "Option must not use reserved name \"uninterpreted_option\".",
                )
                .at(f.id, w.name_span, "reserved")
                .help("`uninterpreted_option` is where parsers keep options; it cannot be set"),
            );
            continue;
        }
        let [first, ext, ..] = &w.name[..] else {
            continue;
        };
        let Some(ext_name) = ext.strip_prefix('(').and_then(|e| e.strip_suffix(')')) else {
            continue;
        };
        if first != "features" {
            continue;
        }
        let simple = ext_name.rsplit('.').next().unwrap_or(ext_name);
        let same_file = same_file_features.get_or_insert_with(|| {
            let features = FeatureSet::of(Some(opts), target.features_field());
            let schema = ck.schema;
            features
                .extensions
                .iter()
                .filter(|&&n| {
                    schema.extension_file("google.protobuf.FeatureSet", n as i32) == Some(f.idx)
                })
                .filter_map(|&n| {
                    schema
                        .extension("google.protobuf.FeatureSet", n as i32)?
                        .name
                        .as_deref()
                })
                .collect()
        });
        if same_file.contains(simple) {
            ck.push(
                Diagnostic::error(
                    "FEATURE_SAME_FILE",
                    format!(
                        "Feature \"features.{ext}\" can't be used in the same file it's defined in."
                    ),
                )
                .at(f.id, w.name_span, "defined in this file")
                .help("move the feature's definition to a file of its own and import it"),
            );
        }
    }
}

/// Message-level option rules.
pub(crate) fn check_message(ck: &mut Checker, f: &FileCx, mx: &MessageCx) {
    let path = mx.path;
    let written = with_sub(path, &[tag::MSG_OPTIONS], |opath| {
        f.written_option(opath, &["map_entry"])
    });
    if let Some(w) = written {
        ck.push(
            Diagnostic::error(
                "MAP_ENTRY_EXPLICIT",
                "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
            )
            .at(f.id, w.name_span, "set by hand")
            .help("remove the option and declare fields as `map<K, V>`"),
        );
    }
}

/// Enum-level option rules (aliases are in [`super::numbers`]).
pub(crate) fn check_enum(ck: &mut Checker, f: &FileCx, ex: &EnumCx) {
    let scope = ex.scope;
    for (i, v) in ex.proto.value.iter().enumerate() {
        let vpath = sub(ex.path, &[tag::ENUM_VALUE, i as i32]);
        // An enum value's full name is its enum's sibling.
        let name = v.name.as_deref().unwrap_or("");
        let full = if scope.is_empty() {
            name.to_string()
        } else {
            format!("{scope}.{name}")
        };
        let opts = f.opts(&sub(&vpath, &[tag::VALUE_OPTIONS]));
        // `EnumValueOptions.feature_support` is field 4.
        feature_support(ck, f, opts, 4, &full, &sub(&vpath, &[tag::VALUE_NAME]));
    }
}

/// `FieldOptions.feature_support` / `EnumValueOptions.feature_support` (field `number` of the
/// options, merged over its pieces) must describe a consistent lifetime, whether or not the
/// definition is ever used: protoc's `FeatureResolver::ValidateFeatureSupport`, run on every
/// field and enum value that sets it.
fn feature_support(
    ck: &mut Checker,
    f: &FileCx,
    opts: Option<&WrittenOptions>,
    number: u32,
    full_name: &str,
    name_path: &[i32],
) {
    use crate::descriptor::wire::{parse_fields, WireValue};
    let Some(opts) = opts else { return };
    let (mut introduced, mut deprecated, mut removed) = (None, None, None);
    let (mut warning, mut error) = (false, false);
    let mut any = false;
    for w in opts.fields.iter().filter(|w| w.number == number) {
        let WireValue::Bytes(b) = &w.value else {
            continue;
        };
        any = true;
        for x in parse_fields(b).unwrap_or_default() {
            match (x.number, x.value) {
                (1, WireValue::Varint(v)) => introduced = Some(v as i32),
                (2, WireValue::Varint(v)) => deprecated = Some(v as i32),
                (3, WireValue::Bytes(_)) => warning = true,
                (4, WireValue::Varint(v)) => removed = Some(v as i32),
                (5, WireValue::Bytes(_)) => error = true,
                _ => {}
            }
        }
    }
    if !any {
        return;
    }
    let introduced_or_0 = introduced.unwrap_or(0);
    let problem = if deprecated.is_some_and(|d| d < introduced_or_0) {
        Some("was deprecated before it was introduced")
    } else if deprecated.is_some() && !warning {
        Some("is deprecated but does not specify a deprecation warning")
    } else if deprecated.is_none() && warning {
        Some("specifies a deprecation warning but is not marked deprecated in any edition")
    } else if let Some(r) = removed {
        if deprecated.unwrap_or(0) >= r {
            Some("was deprecated after it was removed")
        } else if r < introduced_or_0 {
            Some("was removed before it was introduced")
        } else if introduced_or_0 != r && !error {
            Some("has been removed but does not specify a removal error")
        } else {
            None
        }
    } else if error {
        Some("specifies a removal error but is not marked removed in any edition")
    } else {
        None
    };
    if let Some(problem) = problem {
        ck.push(
            Diagnostic::error("FEATURE_SUPPORT_INVALID", format!("{full_name} {problem}."))
                .at(f.id, f.span(name_path), "its `feature_support` is inconsistent")
                .help(
                    "a deprecated edition needs `deprecation_warning`, a removed one `removal_error`;                      introduced ≤ deprecated < removed",
                ),
        );
    }
}

/// Field-level option rules.
pub(crate) fn check_field(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    // `FieldOptions.feature_support` is field 22.
    feature_support(ck, f, fx.opts, 22, &fx.full_name(), &fx.at(tag::FIELD_NAME));
    let Some(opts) = &fx.field.options else {
        lite_extension(ck, f, fx);
        return;
    };
    let opath = fx.at(tag::FIELD_OPTIONS);
    if opts.packed == Some(true) && !(fx.is_repeated() && is_packable(fx.ty())) {
        ck.push(
            Diagnostic::error(
                "PACKED_NOT_PACKABLE",
                "[packed = true] can only be specified for repeated primitive fields.",
            )
            .at(
                f.id,
                f.span(&sub(&opath, &[tag::FIELD_OPT_PACKED])),
                "cannot be packed",
            )
            .help(if fx.is_repeated() {
                "remove the option: strings, bytes and messages cannot be packed"
            } else {
                "remove the option: only repeated fields can be packed"
            }),
        );
    }
    // A delimited message field is a group to protoc.
    let message = fx.ty() == Some(Type::Message) && !fx.features.delimited;
    // `unverified_lazy` (field 15) is held to the same rule; prost's `FieldOptions` lacks it.
    let unverified_lazy = fx.opts.and_then(|o| {
        o.fields.iter().rev().find_map(|w| match w.value {
            crate::descriptor::wire::WireValue::Varint(v) if w.number == 15 => Some(v != 0),
            _ => None,
        })
    }) == Some(true);
    let lazy_option = if opts.lazy == Some(true) {
        Some(tag::FIELD_OPT_LAZY)
    } else if unverified_lazy {
        Some(15)
    } else {
        None
    };
    if let Some(option) = lazy_option.filter(|_| !message) {
        ck.push(
            Diagnostic::error(
                "LAZY_NOT_MESSAGE",
                "[lazy = true] can only be specified for submessage fields.",
            )
            .at(
                f.id,
                f.span(&sub(&opath, &[option])),
                "not a submessage field",
            )
            .help("remove the option"),
        );
    }
    if let Some(js) = opts.jstype.filter(|&j| j != 0) {
        let is64 = matches!(
            fx.ty(),
            Some(Type::Int64 | Type::Uint64 | Type::Sint64 | Type::Fixed64 | Type::Sfixed64)
        );
        if !is64 {
            ck.push(
                Diagnostic::error(
                    "JSTYPE_NOT_64_BIT",
                    "jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields.",
                )
                .at(
                    f.id,
                    f.span(&sub(&opath, &[tag::FIELD_OPT_JSTYPE])),
                    "not a 64-bit integer field",
                )
                .help("remove the option"),
            );
        }
        let _ = js;
    }
    lite_extension(ck, f, fx);
}

fn lite_extension(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    if !fx.is_extension || !is_lite(f.fd) {
        return;
    }
    let Some(extendee) = fx.field.extendee.as_deref() else {
        return;
    };
    let Some(target) = ck.messages.get(extendee.trim_start_matches('.')) else {
        return;
    };
    if !is_lite(ck.files[target.file].descriptor) {
        ck.push(
            Diagnostic::error(
                "LITE_EXTENSION",
                "Extensions to non-lite types can only be declared in non-lite files.  Note that \
                 you cannot extend a non-lite type to contain a lite type, but the reverse is \
                 allowed.",
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_EXTENDEE)),
                "a non-lite message",
            )
            .help("remove `optimize_for = LITE_RUNTIME` from this file"),
        );
    }
}
