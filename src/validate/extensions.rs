//! Extensions.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `EXTENSION_NUMBER_NOT_DECLARED` | an extension number outside every extension range of its extendee | `CrossLinkField` |
//! | `EXTENSION_NUMBER_DUPLICATE` | two extensions of one message with one number: an error within a file, a warning across files (protoc 36 only warns there, "to be changed to an error") | `CrossLinkField` |
//! | `EXTENSION_REQUIRED` | `required` extensions (a message could not be parsed without the extension's code) | `BuildFieldOrExtension` |
//! | `MESSAGE_SET_EXTENSION` | extensions of a MessageSet that are not optional messages | `ValidateOptions(FieldDescriptor)` |
//! | `MESSAGE_SET_FIELD` | ordinary fields in a MessageSet | `ValidateOptions(FieldDescriptor)` |
//! | `EXTENSION_JSON_NAME` | `json_name` on an extension (JSON spells extensions `[full.name]`) | `ValidateOptions(FieldDescriptor)` |
//! | `EXTENSION_RANGE_LIMIT` | a MessageSet-only upper bound used elsewhere is in [`super::numbers`] | |
//!
//! Extension declarations (`declaration`, `verification` in `ExtensionRangeOptions`) are checked
//! in [`super::declarations`].

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::DescriptorProto;

use super::{qualify, tag, Checker, FieldCx, FileCx};
use crate::diagnostics::Diagnostic;

/// Extension rules on one field (and the MessageSet rule on plain fields).
pub(crate) fn check_field(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    if !fx.is_extension {
        let message_set = fx
            .parent
            .and_then(|m| m.options.as_ref())
            .and_then(|o| o.message_set_wire_format)
            == Some(true);
        if message_set {
            ck.push(
                Diagnostic::error(
                    "MESSAGE_SET_FIELD",
                    "MessageSets cannot have fields, only extensions.",
                )
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_NAME)),
                    "a field in a MessageSet",
                )
                .help("move the data into an extension of the MessageSet"),
            );
        }
        return;
    }
    let number = fx.field.number.unwrap_or(0);
    let name = fx.full_name();
    if fx.label() == Label::Required {
        ck.push(
            Diagnostic::error(
                "EXTENSION_REQUIRED",
                format!("The extension {name} cannot be required."),
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_LABEL)),
                "extensions cannot be required",
            )
            .help("make it `optional`"),
        );
    }
    if let Some(json) = fx.field.json_name.as_deref() {
        if !crate::protobuf::names::is_json_name(fx.name(), json) {
            ck.push(
                Diagnostic::error(
                    "EXTENSION_JSON_NAME",
                    "option json_name is not allowed on extension fields.",
                )
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_JSON_NAME)),
                    "not allowed on an extension",
                )
                .help(format!(
                    "remove it: ProtoJSON writes extensions as `[{name}]`"
                )),
            );
        }
    }

    let Some(extendee) = fx.field.extendee.as_deref() else {
        return;
    };
    let extendee = extendee.trim_start_matches('.').to_string();
    let Some(target) = ck.messages.get(&extendee) else {
        return;
    };
    let target_proto = target.proto;
    let ranges = &target_proto.extension_range;
    if number > 0 && ck.lookups.extension_range(target_proto, number).is_none() {
        let declared = crate::diagnostics::list_some(ranges.iter().map(|r| {
            if r.end() - 1 == r.start() {
                r.start().to_string()
            } else {
                format!("{} to {}", r.start(), r.end() as i64 - 1)
            }
        }));
        let help = if ranges.is_empty() {
            format!(
                "`{extendee}` declares no extension range: add `extensions {number};` (or a \
                 range) to it"
            )
        } else {
            format!(
                "use a number in {declared} (its extension ranges), or add `extensions \
                 {number};` to `{extendee}`"
            )
        };
        ck.push(
            Diagnostic::error(
                "EXTENSION_NUMBER_NOT_DECLARED",
                format!("\"{extendee}\" does not declare {number} as an extension number."),
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_NUMBER)),
                "outside the extension ranges",
            )
            .help(help),
        );
    }

    let message_set = target_proto
        .options
        .as_ref()
        .and_then(|o| o.message_set_wire_format)
        == Some(true);
    if message_set && (fx.label() != Label::Optional || fx.ty() != Some(Type::Message)) {
        ck.push(
            Diagnostic::error(
                "MESSAGE_SET_EXTENSION",
                "Extensions of MessageSets must be optional messages.",
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_TYPE)),
                "not an optional message",
            )
            .help("wrap the value in a message and extend the MessageSet with that"),
        );
    }

    let key = (extendee.clone(), number);
    let this = fx.at(tag::FIELD_NUMBER);
    match ck.extensions.get(&key) {
        // The first extension with this number is the one it is taken by.
        Some((file, path, _)) if *file == f.idx && *path == this => {}
        Some((file, path, other)) => {
            let (file, path, other) = (*file, path.clone(), other.clone());
            let other_file = ck.files[file].descriptor.name.clone().unwrap_or_default();
            let other_span = {
                let spans = ck.files[file].spans;
                (0..=path.len())
                    .rev()
                    .find_map(|n| spans.get(&path[..n]).copied())
                    .unwrap_or_default()
            };
            let d = if file == f.idx {
                Diagnostic::error(
                    "EXTENSION_NUMBER_DUPLICATE",
                    format!(
                        "Extension number {number} has already been used in \"{extendee}\" by \
                         extension \"{other}\"."
                    ),
                )
            } else {
                Diagnostic::warning(
                    "EXTENSION_NUMBER_DUPLICATE",
                    format!(
                        "Extension number {number} has already been used in \"{extendee}\" by \
                         extension \"{other}\" defined in {other_file}."
                    ),
                )
            };
            ck.push(
                d.at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_NUMBER)),
                    "number already used",
                )
                .also(
                    ck.files[file].id,
                    other_span,
                    format!("used by `{other}` here"),
                )
                .help(format!(
                    "give `{name}` another number in `{extendee}`'s extension ranges"
                )),
            );
        }
        None => {}
    }
}

/// The first extension to use each (extendee, number): its file index, the path of its number
/// and its full name.
pub(crate) type FirstNumbers = foldhash::HashMap<(String, i32), (usize, Vec<i32>, String)>;

/// Records, before any file is checked, which extension is the first to use each extension
/// number: the extensions [`check_field`] meets (in checking order: each message's, then its
/// nested messages', then the file's) whose extendee is known and whose number is positive.
/// Returns whether the file is to be checked: always, unless it is `known_valid` and no earlier
/// file already used one of its numbers (which checking it reports).
pub(crate) fn record_numbers(
    messages: &super::Messages,
    first: &mut FirstNumbers,
    f: &FileCx,
    known_valid: bool,
) -> bool {
    /// Every extension of a message and its nested messages, in checking order: (path, full
    /// name of the scope, extension). Checking stops at protoc's nesting limit.
    fn walk<'d>(
        m: &'d DescriptorProto,
        path: &[i32],
        scope: &str,
        depth: usize,
        out: &mut Vec<(Vec<i32>, String, &'d prost_types::FieldDescriptorProto)>,
    ) {
        // Most messages declare no extensions at all, nested ones included: nothing to name.
        if depth >= super::MAX_MESSAGE_NESTING || !any_extension(m) {
            return;
        }
        let full_name = qualify(scope, m.name.as_deref().unwrap_or(""));
        for (i, x) in m.extension.iter().enumerate() {
            let p = super::sub(path, &[tag::MSG_EXTENSION, i as i32, tag::FIELD_NUMBER]);
            out.push((p, full_name.clone(), x));
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            super::with_sub(path, &[tag::MSG_NESTED, i as i32], |p| {
                walk(n, p, &full_name, depth + 1, out)
            });
        }
    }
    /// Whether a message or one of its nested messages declares an extension.
    fn any_extension(m: &DescriptorProto) -> bool {
        !m.extension.is_empty() || m.nested_type.iter().any(any_extension)
    }
    // A file whose package is over protoc's limits is not checked further.
    if !super::names::package_within_limits(f.fd) {
        return true;
    }
    let scope = f.scope();
    let mut all = Vec::new();
    for (i, m) in f.fd.message_type.iter().enumerate() {
        walk(m, &[tag::FILE_MESSAGE, i as i32], &scope, 1, &mut all);
    }
    for (i, x) in f.fd.extension.iter().enumerate() {
        let p = vec![tag::FILE_EXTENSION, i as i32, tag::FIELD_NUMBER];
        all.push((p, scope.clone(), x));
    }
    let mut keys = Vec::with_capacity(all.len());
    for (path, parent, x) in all {
        let number = x.number.unwrap_or(0);
        let Some(extendee) = x.extendee.as_deref() else {
            continue;
        };
        let extendee = extendee.trim_start_matches('.');
        if number <= 0 || !messages.contains_key(extendee) {
            continue;
        }
        let key = (extendee.to_string(), number);
        let name = qualify(&parent, x.name.as_deref().unwrap_or(""));
        keys.push((key, path, name));
    }
    let checked = !known_valid || keys.iter().any(|(key, ..)| first.contains_key(key));
    for (key, path, name) in keys {
        first.entry(key).or_insert((f.idx, path, name));
    }
    checked
}
