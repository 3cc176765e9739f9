//! The field numbers of `descriptor.proto`'s messages that the compiler writes, reads or puts in
//! paths (`SourceCodeInfo` locations, span maps, options paths: `[4, 0, 2, 1]` is
//! `[FILE_MESSAGE, 0, MSG_FIELD, 1]`). Callers import the module as `tag` (a field's number is its
//! tag): `tag::FILE_MESSAGE`.
//!
//! Names are the message's short prefix and the field's name: `FILE_` for
//! `FileDescriptorProto`, `MSG_` for `DescriptorProto`, `RANGE_` for its `ExtensionRange` /
//! `ReservedRange` (and `EnumReservedRange`), `FIELD_`, `ONEOF_`, `ENUM_`, `VALUE_` (enum values),
//! `SERVICE_`, `METHOD_`; `…_OPT_…` for a field of an options message.

/// `FileDescriptorSet.file`.
pub const SET_FILE: i32 = 1;

/// `FileDescriptorProto.name`.
pub const FILE_NAME: i32 = 1;
/// `FileDescriptorProto.package`.
pub const FILE_PACKAGE: i32 = 2;
/// `FileDescriptorProto.dependency`.
pub const FILE_DEPENDENCY: i32 = 3;
/// `FileDescriptorProto.message_type`.
pub const FILE_MESSAGE: i32 = 4;
/// `FileDescriptorProto.enum_type`.
pub const FILE_ENUM: i32 = 5;
/// `FileDescriptorProto.service`.
pub const FILE_SERVICE: i32 = 6;
/// `FileDescriptorProto.extension`.
pub const FILE_EXTENSION: i32 = 7;
/// `FileDescriptorProto.options`.
pub const FILE_OPTIONS: i32 = 8;
/// `FileDescriptorProto.source_code_info`.
pub const FILE_SOURCE_CODE_INFO: i32 = 9;
/// `FileDescriptorProto.public_dependency`.
pub const FILE_PUBLIC_DEPENDENCY: i32 = 10;
/// `FileDescriptorProto.weak_dependency`.
pub const FILE_WEAK_DEPENDENCY: i32 = 11;
/// `FileDescriptorProto.syntax`.
pub const FILE_SYNTAX: i32 = 12;
/// `FileDescriptorProto.edition`.
pub const FILE_EDITION: i32 = 14;
/// `FileDescriptorProto.option_dependency`.
pub const FILE_OPTION_DEPENDENCY: i32 = 15;

/// `DescriptorProto.name`.
pub const MSG_NAME: i32 = 1;
/// `DescriptorProto.field`.
pub const MSG_FIELD: i32 = 2;
/// `DescriptorProto.nested_type`.
pub const MSG_NESTED: i32 = 3;
/// `DescriptorProto.enum_type`.
pub const MSG_ENUM: i32 = 4;
/// `DescriptorProto.extension_range`.
pub const MSG_EXT_RANGE: i32 = 5;
/// `DescriptorProto.extension`.
pub const MSG_EXTENSION: i32 = 6;
/// `DescriptorProto.options`.
pub const MSG_OPTIONS: i32 = 7;
/// `DescriptorProto.oneof_decl`.
pub const MSG_ONEOF: i32 = 8;
/// `DescriptorProto.reserved_range`.
pub const MSG_RESERVED_RANGE: i32 = 9;
/// `DescriptorProto.reserved_name`.
pub const MSG_RESERVED_NAME: i32 = 10;
/// `DescriptorProto.visibility`.
pub const MSG_VISIBILITY: i32 = 11;

/// `start` of `DescriptorProto.ExtensionRange`, `DescriptorProto.ReservedRange` and
/// `EnumDescriptorProto.EnumReservedRange`.
pub const RANGE_START: i32 = 1;
/// `end` of the same three range messages.
pub const RANGE_END: i32 = 2;
/// `DescriptorProto.ExtensionRange.options`.
pub const EXT_RANGE_OPTIONS: i32 = 3;

/// `FieldDescriptorProto.name`.
pub const FIELD_NAME: i32 = 1;
/// `FieldDescriptorProto.extendee`.
pub const FIELD_EXTENDEE: i32 = 2;
/// `FieldDescriptorProto.number`.
pub const FIELD_NUMBER: i32 = 3;
/// `FieldDescriptorProto.label`.
pub const FIELD_LABEL: i32 = 4;
/// `FieldDescriptorProto.type`.
pub const FIELD_TYPE: i32 = 5;
/// `FieldDescriptorProto.type_name`.
pub const FIELD_TYPE_NAME: i32 = 6;
/// `FieldDescriptorProto.default_value`.
pub const FIELD_DEFAULT: i32 = 7;
/// `FieldDescriptorProto.options`.
pub const FIELD_OPTIONS: i32 = 8;
/// `FieldDescriptorProto.oneof_index`.
pub const FIELD_ONEOF_INDEX: i32 = 9;
/// `FieldDescriptorProto.json_name`.
pub const FIELD_JSON_NAME: i32 = 10;
/// `FieldDescriptorProto.proto3_optional`.
pub const FIELD_PROTO3_OPTIONAL: i32 = 17;

/// `OneofDescriptorProto.name`.
pub const ONEOF_NAME: i32 = 1;
/// `OneofDescriptorProto.options`.
pub const ONEOF_OPTIONS: i32 = 2;

/// `EnumDescriptorProto.name`.
pub const ENUM_NAME: i32 = 1;
/// `EnumDescriptorProto.value`.
pub const ENUM_VALUE: i32 = 2;
/// `EnumDescriptorProto.options`.
pub const ENUM_OPTIONS: i32 = 3;
/// `EnumDescriptorProto.reserved_range`.
pub const ENUM_RESERVED_RANGE: i32 = 4;
/// `EnumDescriptorProto.reserved_name`.
pub const ENUM_RESERVED_NAME: i32 = 5;
/// `EnumDescriptorProto.visibility`.
pub const ENUM_VISIBILITY: i32 = 6;

/// `EnumValueDescriptorProto.name`.
pub const VALUE_NAME: i32 = 1;
/// `EnumValueDescriptorProto.number`.
pub const VALUE_NUMBER: i32 = 2;
/// `EnumValueDescriptorProto.options`.
pub const VALUE_OPTIONS: i32 = 3;

/// `ServiceDescriptorProto.name`.
pub const SERVICE_NAME: i32 = 1;
/// `ServiceDescriptorProto.method`.
pub const SERVICE_METHOD: i32 = 2;
/// `ServiceDescriptorProto.options`.
pub const SERVICE_OPTIONS: i32 = 3;

/// `MethodDescriptorProto.name`.
pub const METHOD_NAME: i32 = 1;
/// `MethodDescriptorProto.input_type`.
pub const METHOD_INPUT_TYPE: i32 = 2;
/// `MethodDescriptorProto.output_type`.
pub const METHOD_OUTPUT_TYPE: i32 = 3;
/// `MethodDescriptorProto.options`.
pub const METHOD_OPTIONS: i32 = 4;
/// `MethodDescriptorProto.client_streaming`.
pub const METHOD_CLIENT_STREAMING: i32 = 5;
/// `MethodDescriptorProto.server_streaming`.
pub const METHOD_SERVER_STREAMING: i32 = 6;

/// `uninterpreted_option`, the same number in every options message.
pub const UNINTERPRETED_OPTION: i32 = 999;
/// `MessageOptions.message_set_wire_format`.
pub const MSG_OPT_MESSAGE_SET: i32 = 1;
/// `MessageOptions.map_entry`.
pub const MSG_OPT_MAP_ENTRY: i32 = 7;
/// `MessageOptions.deprecated_legacy_json_field_conflicts`.
pub const MSG_OPT_LEGACY_JSON_CONFLICTS: i32 = 11;
/// `FieldOptions.packed`.
pub const FIELD_OPT_PACKED: i32 = 2;
/// `FieldOptions.lazy`.
pub const FIELD_OPT_LAZY: i32 = 5;
/// `FieldOptions.jstype`.
pub const FIELD_OPT_JSTYPE: i32 = 6;
/// `FieldOptions.retention`.
pub const FIELD_OPT_RETENTION: i32 = 17;
/// `FieldOptions.targets`.
pub const FIELD_OPT_TARGETS: i32 = 19;
/// `FieldOptions.feature_support`.
pub const FIELD_OPT_FEATURE_SUPPORT: i32 = 22;
/// `EnumOptions.allow_alias`.
pub const ENUM_OPT_ALLOW_ALIAS: i32 = 2;
/// `EnumOptions.deprecated_legacy_json_field_conflicts`.
pub const ENUM_OPT_LEGACY_JSON_CONFLICTS: i32 = 6;
