//! Small builders for descriptors, so check tests read like the schemas they stand for.
#![allow(dead_code, unused_imports)]

use iprotoc::diagnostics::{Diagnostic, Severity};
use iprotoc::source::{FileId, SpanMap};
use iprotoc::validate::{check_files, CheckInput};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    descriptor_proto::{ExtensionRange, ReservedRange},
    enum_descriptor_proto::EnumReservedRange,
    DescriptorProto, EnumDescriptorProto, EnumOptions, EnumValueDescriptorProto,
    FieldDescriptorProto, FieldOptions, FileDescriptorProto, MessageOptions, OneofDescriptorProto,
};

pub use prost_types::field_descriptor_proto::{Label as L, Type as T};

pub fn file(syntax: &str, messages: Vec<DescriptorProto>) -> FileDescriptorProto {
    FileDescriptorProto {
        name: Some("test.proto".into()),
        package: Some("pkg".into()),
        syntax: (!syntax.is_empty()).then(|| syntax.to_string()),
        message_type: messages,
        ..Default::default()
    }
}

pub fn msg(name: &str, fields: Vec<FieldDescriptorProto>) -> DescriptorProto {
    DescriptorProto {
        name: Some(name.into()),
        field: fields,
        ..Default::default()
    }
}

pub fn field(name: &str, number: i32, ty: Type) -> FieldDescriptorProto {
    FieldDescriptorProto {
        name: Some(name.into()),
        number: Some(number),
        label: Some(Label::Optional as i32),
        r#type: Some(ty as i32),
        ..Default::default()
    }
}

pub fn typed(name: &str, number: i32, ty: Type, type_name: &str) -> FieldDescriptorProto {
    FieldDescriptorProto {
        type_name: Some(type_name.into()),
        ..field(name, number, ty)
    }
}

pub fn labelled(mut f: FieldDescriptorProto, label: Label) -> FieldDescriptorProto {
    f.label = Some(label as i32);
    f
}

pub fn with_default(mut f: FieldDescriptorProto, default: &str) -> FieldDescriptorProto {
    f.default_value = Some(default.into());
    f
}

pub fn with_field_options(mut f: FieldDescriptorProto, o: FieldOptions) -> FieldDescriptorProto {
    f.options = Some(o);
    f
}

pub fn extension(name: &str, number: i32, ty: Type, extendee: &str) -> FieldDescriptorProto {
    FieldDescriptorProto {
        extendee: Some(extendee.into()),
        ..field(name, number, ty)
    }
}

pub fn ext_range(start: i32, end_inclusive: i32) -> ExtensionRange {
    ExtensionRange {
        start: Some(start),
        end: Some(end_inclusive + 1),
        options: None,
    }
}

pub fn reserved(start: i32, end_inclusive: i32) -> ReservedRange {
    ReservedRange {
        start: Some(start),
        end: Some(end_inclusive + 1),
    }
}

pub fn enum_reserved(start: i32, end: i32) -> EnumReservedRange {
    EnumReservedRange {
        start: Some(start),
        end: Some(end),
    }
}

pub fn oneof(name: &str) -> OneofDescriptorProto {
    OneofDescriptorProto {
        name: Some(name.into()),
        options: None,
    }
}

pub fn enumeration(name: &str, values: &[(&str, i32)]) -> EnumDescriptorProto {
    EnumDescriptorProto {
        name: Some(name.into()),
        value: values
            .iter()
            .map(|(n, v)| EnumValueDescriptorProto {
                name: Some(n.to_string()),
                number: Some(*v),
                options: None,
            })
            .collect(),
        ..Default::default()
    }
}

pub fn allow_alias(mut e: EnumDescriptorProto, allow: bool) -> EnumDescriptorProto {
    e.options = Some(EnumOptions {
        allow_alias: Some(allow),
        ..Default::default()
    });
    e
}

pub fn message_options(mut m: DescriptorProto, o: MessageOptions) -> DescriptorProto {
    m.options = Some(o);
    m
}

/// Checks files with no spans recorded.
pub fn check_all(files: &[FileDescriptorProto]) -> Vec<Diagnostic> {
    let spans: Vec<SpanMap> = files.iter().map(|_| SpanMap::new()).collect();
    let inputs: Vec<CheckInput> = files
        .iter()
        .zip(&spans)
        .enumerate()
        .map(|(i, (fd, s))| CheckInput::new(FileId(i as u32), fd, s))
        .collect();
    check_files(&inputs)
}

/// `(code, message)` of every error and warning.
pub fn check(file: FileDescriptorProto) -> Vec<(&'static str, String)> {
    summarize(check_all(&[file]))
}

pub fn summarize(diags: Vec<Diagnostic>) -> Vec<(&'static str, String)> {
    diags.into_iter().map(|d| (d.code, d.message)).collect()
}

pub fn errors(file: FileDescriptorProto) -> Vec<(&'static str, String)> {
    check_all(&[file])
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code, d.message))
        .collect()
}

pub fn codes(file: FileDescriptorProto) -> Vec<&'static str> {
    check_all(&[file]).into_iter().map(|d| d.code).collect()
}

pub fn one(code: &'static str, message: &str) -> Vec<(&'static str, String)> {
    vec![(code, message.to_string())]
}
