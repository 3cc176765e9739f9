//! Names: JSON names, enum value names once their prefix is stripped, and edition 2024's naming
//! style. (Duplicate symbols, including a field clashing with a map's `…Entry` message, are the
//! descriptor builder's: they are symbol table errors.)
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `JSON_NAME_CONFLICT` | two fields with one JSON name (`foo_bar` and `fooBar`), which ProtoJSON and field masks cannot tell apart. An error, except that a conflict involving a default JSON name is only a warning under `json_format = LEGACY_BEST_EFFORT` (proto2's default) | `CheckFieldJsonNameUniqueness` |
//! | `JSON_NAME_INVALID` | a custom `json_name` like `[x]`, which reads as an extension in JSON | `CheckFieldJsonNameUniqueness` |
//! | `ENUM_VALUE_PREFIX_CONFLICT` | values equal once the enum's name prefix is stripped and case ignored (`FOO_BAR` and `BAR` in `Foo`), which breaks generators that strip prefixes. A warning only for proto2 enums with `deprecated_legacy_json_field_conflicts` | `CheckEnumValueUniqueness` |
//! | `PACKAGE_TOO_LONG` | a package name over 511 characters, or with more than 100 dots | `DescriptorBuilder::BuildFileImpl` (`NameLimits::kPackageName`, `kPackageLimit`) |
//! | `NAMING_STYLE` | in edition 2024 (`enforce_naming_style = STYLE2024`): messages, enums, services and methods in TitleCase, fields, oneofs and the package in lower_snake_case, enum values in UPPER_SNAKE_CASE | `ValidateNamingStyle`, `naming_style.cc` |

use foldhash::HashMap;
use std::borrow::Cow;

use prost_types::{DescriptorProto, ServiceDescriptorProto};

use super::targets::Target;
use super::{sub, tag, with_sub, Checker, Edition, EnumCx, Features, FieldCx, FileCx, MessageCx};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names::{
    is_json_name, json_name, suggested_lower_snake, suggested_upper_snake, to_camel_case,
    EnumValuePrefix,
};
pub use crate::protobuf::{MAX_PACKAGE_DOTS, MAX_PACKAGE_NAME};

/// Whether the deprecated `deprecated_legacy_json_field_conflicts` option is set on the options
/// at `options_path` (prost-types cannot hold it): `number` is its field in `MessageOptions` or
/// `EnumOptions`.
fn legacy_json_conflicts(f: &FileCx, options_path: &[i32], number: i32) -> bool {
    f.option_varint(options_path, number as u32)
        .is_some_and(|v| v != 0)
}

/// JSON name rules on one message.
pub(crate) fn check_message(ck: &mut Checker, f: &FileCx, mx: &MessageCx) {
    let (m, path, features) = (mx.proto, mx.path, mx.features);
    let legacy = with_sub(path, &[tag::MSG_OPTIONS], |p| {
        legacy_json_conflicts(f, p, tag::MSG_OPT_LEGACY_JSON_CONFLICTS)
    });
    if !legacy {
        // Default JSON names, computed once for both passes (borrowed when unchanged).
        // The descriptor builder fills every `json_name`, with the default unless one was
        // written: that one is borrowed when it is the default.
        let defaults: Vec<Cow<str>> = m
            .field
            .iter()
            .map(|field| {
                let name = field.name.as_deref().unwrap_or("");
                match field.json_name.as_deref() {
                    // Without underscores a name is its own default.
                    _ if !name.as_bytes().contains(&b'_') => Cow::Borrowed(name),
                    Some(j) if is_json_name(name, j) => Cow::Borrowed(j),
                    _ => default_json_name(name),
                }
            })
            .collect();
        let mut seen = FirstByName::with_capacity(m.field.len());
        check_json_names(ck, f, m, path, features, false, &defaults, &mut seen);
        // The pass over custom names only reports conflicts involving a custom name.
        let any_custom = m
            .field
            .iter()
            .zip(&defaults)
            .any(|(field, default)| field.json_name.as_deref().is_some_and(|j| j != default));
        if any_custom {
            seen.clear();
            check_json_names(ck, f, m, path, features, true, &defaults, &mut seen);
        }
    }
    if features.naming_2024 {
        let name = m.name.as_deref().unwrap_or("");
        if let Err(why) = title_case(name) {
            style(
                ck,
                f,
                "Message",
                name,
                why,
                &sub(path, &[tag::MSG_NAME]),
                &to_camel_case(name),
            );
        }
        for (i, o) in m.oneof_decl.iter().enumerate() {
            let name = o.name.as_deref().unwrap_or("");
            let opath = sub(path, &[tag::MSG_ONEOF, i as i32, tag::ONEOF_OPTIONS]);
            if !features.merged(&f.explicit(&opath)).naming_2024 {
                continue;
            }
            if let Err(why) = lower_snake(name) {
                let at = sub(path, &[tag::MSG_ONEOF, i as i32, tag::ONEOF_NAME]);
                style(ck, f, "Oneof", name, why, &at, &suggested_lower_snake(name));
            }
        }
    }
}

struct JsonName<'a> {
    index: usize,
    field: &'a str,
    name: &'a str,
    custom: bool,
}

/// The first field to claim each JSON name: a list searched in order for the usual small
/// message, with a map beside it for large ones.
struct FirstByName<'m> {
    /// The fields, in the order they claimed their names.
    names: Vec<JsonName<'m>>,
    /// Index in `names` by name, for messages of more than [`FirstByName::LINEAR_MAX`] fields.
    index: Option<foldhash::HashMap<&'m str, usize>>,
}

impl<'m> FirstByName<'m> {
    /// Up to this many fields, searching the list costs less than hashing.
    const LINEAR_MAX: usize = 16;

    /// Room for `fields` names.
    fn with_capacity(fields: usize) -> Self {
        FirstByName {
            names: Vec::with_capacity(fields),
            index: (fields > Self::LINEAR_MAX).then(|| {
                let mut index = foldhash::HashMap::default();
                index.reserve(fields);
                index
            }),
        }
    }

    /// The field that claimed `name`, if one did.
    fn get(&self, name: &str) -> Option<&JsonName<'m>> {
        match &self.index {
            Some(index) => index.get(name).map(|&i| &self.names[i]),
            None => self.names.iter().find(|n| n.name == name),
        }
    }

    /// Records a field claiming a name no field claimed before.
    fn insert(&mut self, details: JsonName<'m>) {
        if let Some(index) = &mut self.index {
            index.insert(details.name, self.names.len());
        }
        self.names.push(details);
    }

    /// Forgets every name.
    fn clear(&mut self) {
        self.names.clear();
        if let Some(index) = &mut self.index {
            index.clear();
        }
    }
}

/// [`json_name`], borrowing the field name when it has no underscore (and so is its own
/// JSON name).
fn default_json_name(field: &str) -> Cow<'_, str> {
    if field.contains('_') {
        Cow::Owned(json_name(field))
    } else {
        Cow::Borrowed(field)
    }
}

/// One pass of the JSON name conflict check: over default names only, or (`use_custom`) over
/// the names fields end up with. `defaults` holds each field's default JSON name; `seen` is an
/// empty map to work in.
#[allow(clippy::too_many_arguments)]
fn check_json_names<'m>(
    ck: &mut Checker,
    f: &FileCx,
    m: &'m DescriptorProto,
    path: &[i32],
    features: Features,
    use_custom: bool,
    defaults: &'m [Cow<'m, str>],
    seen: &mut FirstByName<'m>,
) {
    for (i, field) in m.field.iter().enumerate() {
        let fname = field.name.as_deref().unwrap_or("");
        let default: &'m str = &defaults[i];
        let details = match field.json_name.as_deref() {
            Some(j) if use_custom && j != default => JsonName {
                index: i,
                field: fname,
                name: j,
                custom: true,
            },
            _ => JsonName {
                index: i,
                field: fname,
                name: default,
                custom: false,
            },
        };
        if details.custom && details.name.starts_with('[') && details.name.ends_with(']') {
            let fpath = sub(path, &[tag::MSG_FIELD, i as i32]);
            ck.push(
                Diagnostic::error(
                    "JSON_NAME_INVALID",
                    format!(
                        "The custom JSON name of field \"{fname}\" (\"{}\") is invalid: JSON names \
                         may not start with '[' and end with ']'.",
                        details.name
                    ),
                )
                .at(
                    f.id,
                    f.span(&sub(&fpath, &[tag::FIELD_JSON_NAME])),
                    "reads as an extension",
                )
                .help("drop the brackets: `[name]` is how ProtoJSON spells extensions"),
            );
            continue;
        }
        // protoc keys its map by the exact name; the conflict check is case-sensitive.
        match seen.get(details.name) {
            None => seen.insert(details),
            Some(first) => {
                if use_custom && !details.custom && !first.custom {
                    continue; // reported by the pass over default names
                }
                let this_kind = if details.custom { "custom" } else { "default" };
                let first_kind = if first.custom { "custom" } else { "default" };
                let msg = format!(
                    "The {this_kind} JSON name of field \"{fname}\" (\"{}\") conflicts with the \
                     {first_kind} JSON name of field \"{}\".",
                    details.name, first.field
                );
                let involves_default = !details.custom || !first.custom;
                let fpath = sub(path, &[tag::MSG_FIELD, i as i32]);
                let first_path = sub(path, &[tag::MSG_FIELD, first.index as i32]);
                let label_at = |p: &[i32], custom: bool| {
                    if custom {
                        f.span(&sub(p, &[tag::FIELD_JSON_NAME]))
                    } else {
                        f.span(&sub(p, &[tag::FIELD_NAME]))
                    }
                };
                let base = if features.json_legacy && involves_default {
                    Diagnostic::warning("JSON_NAME_CONFLICT", msg)
                } else {
                    Diagnostic::error("JSON_NAME_CONFLICT", msg)
                };
                let d = base
                    .at(
                        f.id,
                        label_at(&fpath, details.custom),
                        format!("JSON name `{}`", details.name),
                    )
                    .also(
                        f.id,
                        label_at(&first_path, first.custom),
                        format!("`{}` also has JSON name `{}`", first.field, details.name),
                    )
                    .help(if details.custom {
                        "choose a different `json_name`".to_string()
                    } else {
                        format!(
                            "rename one of the fields, or give `{fname}` a distinct \
                             `[json_name = \"…\"]`"
                        )
                    });
                ck.push(d);
            }
        }
    }
}

/// Enum value name rules.
pub(crate) fn check_enum(ck: &mut Checker, f: &FileCx, ex: &EnumCx) {
    let (e, path, features) = (ex.proto, ex.path, ex.features);
    let ename = e.name.as_deref().unwrap_or("");
    let legacy = with_sub(path, &[tag::ENUM_OPTIONS], |p| {
        legacy_json_conflicts(f, p, tag::ENUM_OPT_LEGACY_JSON_CONFLICTS)
    });
    let mut seen: HashMap<String, usize> = HashMap::default();
    seen.reserve(e.value.len());
    let prefix = EnumValuePrefix::new(ename);
    for (i, v) in e.value.iter().enumerate() {
        let vname = v.name.as_deref().unwrap_or("");
        let key = prefix.key(vname);
        match seen.get(&key) {
            None => {
                seen.insert(key, i);
            }
            Some(&first) => {
                let other = &e.value[first];
                let oname = other.name.as_deref().unwrap_or("");
                if oname == vname || other.number() == v.number() {
                    continue;
                }
                let msg = format!(
                    "Enum name {vname} has the same name as {oname} if you ignore case and strip \
                     out the enum name prefix (if any). (If you are using allow_alias, please \
                     assign the same number to each enum value name.)"
                );
                let base = if legacy && f.edition == Edition::PROTO2 {
                    Diagnostic::warning("ENUM_VALUE_PREFIX_CONFLICT", msg)
                } else {
                    Diagnostic::error("ENUM_VALUE_PREFIX_CONFLICT", msg)
                };
                ck.push(
                    base.at(
                        f.id,
                        f.span(&sub(path, &[tag::ENUM_VALUE, i as i32, tag::VALUE_NAME])),
                        format!("reads as `{key}` once `{ename}`'s prefix is stripped"),
                    )
                    .also(
                        f.id,
                        f.span(&sub(
                            path,
                            &[tag::ENUM_VALUE, first as i32, tag::VALUE_NAME],
                        )),
                        format!("so does `{oname}`"),
                    )
                    .help(format!(
                        "rename one of them; code generators that strip the `{ename}` prefix \
                         would give both the same name"
                    )),
                );
            }
        }
    }
    if features.naming_2024 {
        if let Err(why) = title_case(ename) {
            style(
                ck,
                f,
                "Enum",
                ename,
                why,
                &sub(path, &[tag::ENUM_NAME]),
                &to_camel_case(ename),
            );
        }
    }
    for (i, v) in e.value.iter().enumerate() {
        let value_options = [tag::ENUM_VALUE, i as i32, tag::VALUE_OPTIONS];
        if !with_sub(path, &value_options, |p| {
            features
                .merged(&f.explicit_of(p, Target::EnumEntry))
                .naming_2024
        }) {
            continue;
        }
        let vname = v.name.as_deref().unwrap_or("");
        if let Err(why) = upper_snake(vname) {
            let at = sub(path, &[tag::ENUM_VALUE, i as i32, tag::VALUE_NAME]);
            style(
                ck,
                f,
                "Enum value",
                vname,
                why,
                &at,
                &suggested_upper_snake(vname),
            );
        }
    }
}

/// Naming style of a field (edition 2024).
pub(crate) fn check_field_style(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    if !fx.features.naming_2024 {
        return;
    }
    let name = fx.name();
    if let Err(why) = lower_snake(name) {
        style(
            ck,
            f,
            "Field",
            name,
            why,
            &fx.at(tag::FIELD_NAME),
            &suggested_lower_snake(name),
        );
    }
}

/// Naming style of a service and its methods, and of the package (edition 2024).
pub(crate) fn check_service_style(
    ck: &mut Checker,
    f: &FileCx,
    s: &ServiceDescriptorProto,
    path: &[i32],
) {
    let features = f
        .features
        .merged(&f.explicit(&sub(path, &[tag::SERVICE_OPTIONS])));
    let name = s.name.as_deref().unwrap_or("");
    if features.naming_2024 {
        if let Err(why) = title_case(name) {
            style(
                ck,
                f,
                "Service",
                name,
                why,
                &sub(path, &[tag::SERVICE_NAME]),
                &to_camel_case(name),
            );
        }
    }
    for (i, m) in s.method.iter().enumerate() {
        let mpath = sub(path, &[tag::SERVICE_METHOD, i as i32]);
        if !features
            .merged(&f.explicit(&sub(&mpath, &[tag::METHOD_OPTIONS])))
            .naming_2024
        {
            continue;
        }
        let mname = m.name.as_deref().unwrap_or("");
        if let Err(why) = title_case(mname) {
            let at = sub(&mpath, &[tag::METHOD_NAME]);
            style(ck, f, "Method", mname, why, &at, &to_camel_case(mname));
        }
    }
}

/// Whether the package is within protoc's limits on length and depth
/// ([`check_package_limits`] reports it otherwise).
pub(crate) fn package_within_limits(fd: &prost_types::FileDescriptorProto) -> bool {
    let pkg = fd.package.as_deref().unwrap_or("");
    pkg.len() <= MAX_PACKAGE_NAME && pkg.matches('.').count() <= MAX_PACKAGE_DOTS
}

/// The package's length and depth limits. protoc gives up on the file after this error, so
/// returns whether the file can be checked further.
pub(crate) fn check_package_limits(ck: &mut Checker, f: &FileCx) -> bool {
    let pkg = f.fd.package.as_deref().unwrap_or("");
    let (message, help) = if pkg.len() > MAX_PACKAGE_NAME {
        (
            "Package name is too long",
            format!(
                "protoc allows at most {MAX_PACKAGE_NAME} characters; this one has {}",
                pkg.len()
            ),
        )
    } else if pkg.matches('.').count() > MAX_PACKAGE_DOTS {
        (
            "Exceeds Maximum Package Depth",
            format!(
                "protoc allows at most {} components; this one has {}",
                MAX_PACKAGE_DOTS + 1,
                pkg.matches('.').count() + 1
            ),
        )
    } else {
        return true;
    };
    ck.push(
        Diagnostic::error("PACKAGE_TOO_LONG", message)
            .at(f.id, f.span(&[tag::FILE_PACKAGE]), "")
            .help(help),
    );
    false
}

/// Naming style of the package (edition 2024).
pub(crate) fn check_package_style(ck: &mut Checker, f: &FileCx) {
    let Some(pkg) = f.fd.package.as_deref().filter(|p| !p.is_empty()) else {
        return;
    };
    if !f.features.naming_2024 {
        return;
    }
    if let Err(why) = lower_snake(pkg) {
        style(
            ck,
            f,
            "Package",
            pkg,
            why,
            &[tag::FILE_PACKAGE],
            &suggested_lower_snake(pkg),
        );
    }
}

fn style(
    ck: &mut Checker,
    f: &FileCx,
    what: &str,
    name: &str,
    why: &str,
    path: &[i32],
    suggestion: &str,
) {
    let mut d = Diagnostic::error(
        "NAMING_STYLE",
        format!(
            "{what} name {name} {why} (features.enforce_naming_style = STYLE_LEGACY can be used \
             to opt out of this check)"
        ),
    )
    .at(f.id, f.span(path), why.to_string());
    if !suggestion.is_empty() && suggestion != name {
        d = d.help(format!("rename it to `{suggestion}`"));
    }
    d = d.note("edition 2024 enforces protobuf's naming style by default");
    ck.push(d);
}

fn bad_underscores(name: &str) -> bool {
    let b = name.as_bytes();
    if b.is_empty() {
        return false;
    }
    if b[0] == b'_' || b[b.len() - 1] == b'_' {
        return true;
    }
    b.windows(2)
        .any(|w| w[0] == b'_' && !w[1].is_ascii_alphabetic())
}

fn title_case(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err("should be TitleCase");
    }
    if !name.as_bytes()[0].is_ascii_uppercase() {
        return Err("should begin with a capital letter");
    }
    Ok(())
}

fn lower_snake(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return Err("should be lower_snake_case");
    }
    if !name.as_bytes()[0].is_ascii_lowercase() {
        return Err("should begin with a lower case letter");
    }
    if bad_underscores(name) {
        return Err("contains style violating underscores");
    }
    Ok(())
}

fn upper_snake(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err("should be UPPER_SNAKE_CASE");
    }
    if !name.as_bytes()[0].is_ascii_uppercase() {
        return Err("should begin with an upper case letter");
    }
    if bad_underscores(name) {
        return Err("contains style violating underscores");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        assert!(lower_snake("foo_bar2").is_ok());
        assert_eq!(
            lower_snake("Another_Field"),
            Err("should be lower_snake_case")
        );
        assert_eq!(
            lower_snake("foo__bar"),
            Err("contains style violating underscores")
        );
        assert_eq!(
            upper_snake("FOO_1"),
            Err("contains style violating underscores")
        );
        assert_eq!(title_case("foo"), Err("should begin with a capital letter"));
    }
}
