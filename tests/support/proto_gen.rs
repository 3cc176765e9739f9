//! A generator of plain `.proto` files for differential testing against protoc, driven by
//! [`arbitrary`] bytes.
//!
//! Shared by the differential fuzz target (`fuzz/fuzz_targets/differential.rs`) and its
//! regression test (`tests/it/differential.rs`). Where `schema_gen.rs` makes only schemas that must
//! compile, this one aims wider: most of what it writes is valid, but it also writes the corners
//! where compilers disagree — defaults of every type (hex, octal, `inf`, `-nan`, escapes), custom
//! options of every kind with scalar, enum and message-literal values, `json_name`, features,
//! closed and aliased enums, groups, extensions, services, reserved names and ranges, comments in
//! every position. The caller compiles the text with both compilers; they must agree on whether
//! it is valid and, when it is, on every byte of the descriptor set.
//!
//! Names are unique by construction: messages `K<n>`, enums `E<n>` (values `E<n>_V<k>`), fields
//! `f<n>`, groups `G<n>`, services `S<n>`, methods `M<n>`.
#![allow(dead_code)]

use arbitrary::{Result, Unstructured};

/// The file's syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Proto2,
    Proto3,
    Editions2023,
}

const SCALARS: &[&str] = &[
    "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
    "sfixed64", "bool", "string", "bytes", "double", "float",
];
const MAP_KEYS: &[&str] = &[
    "int32", "int64", "uint32", "sint64", "string", "bool", "fixed32",
];
const WKT: &[(&str, &str)] = &[
    (
        "google/protobuf/timestamp.proto",
        "google.protobuf.Timestamp",
    ),
    ("google/protobuf/any.proto", "google.protobuf.Any"),
    (
        "google/protobuf/wrappers.proto",
        "google.protobuf.Int32Value",
    ),
    ("google/protobuf/struct.proto", "google.protobuf.Struct"),
    ("google/protobuf/empty.proto", "google.protobuf.Empty"),
];

/// Which descriptor options a custom option extends, and its short name.
const OPTION_KINDS: &[(&str, &str)] = &[
    ("FileOptions", "fi"),
    ("MessageOptions", "ms"),
    ("FieldOptions", "fd"),
    ("EnumOptions", "en"),
    ("EnumValueOptions", "ev"),
    ("ServiceOptions", "sv"),
    ("MethodOptions", "mt"),
    ("OneofOptions", "oo"),
];

/// The custom options declared for each kind: suffix, type (`O` is the option message `Opt`,
/// `OE` the option enum `OptEnum`), repeated.
const OPTION_FIELDS: &[(&str, &str, bool)] = &[
    ("i", "int32", false),
    ("u", "uint64", false),
    ("s", "string", false),
    ("d", "double", false),
    ("f", "float", false),
    ("b", "bool", false),
    ("y", "bytes", false),
    ("e", "OptEnum", false),
    ("m", "Opt", false),
    ("r", "sint64", true),
    ("rm", "Opt", true),
    ("x", "fixed32", false),
];

/// A value for a scalar, enum or message type (text as written in an option or default):
/// mostly one protoc accepts, one time in forty an edge it may refuse.
fn value(
    u: &mut Unstructured<'_>,
    ty: &str,
    depth: usize,
    enum_values: &[String],
) -> Result<String> {
    let edge = u.ratio(1, 40)?;
    let pick = |u: &mut Unstructured<'_>, valid: &[&str], edges: &[&str]| -> Result<String> {
        Ok(if edge {
            u.choose(edges)?
        } else {
            u.choose(valid)?
        }
        .to_string())
    };
    match ty {
        "int32" | "sint32" | "sfixed32" => pick(
            u,
            &[
                "0",
                "1",
                "-1",
                "42",
                "2147483647",
                "-2147483648",
                "0x7f",
                "-0x10",
                "017",
                "-017",
                "-0",
                "0X1F",
            ],
            &["2147483648", "-2147483649", "1.5", "x", "0x", "09"],
        ),
        "int64" | "sint64" | "sfixed64" => pick(
            u,
            &[
                "0",
                "-1",
                "9223372036854775807",
                "-9223372036854775808",
                "0x7fffffffffffffff",
                "-0x8000000000000000",
                "0777",
                "12",
                "-0",
            ],
            &[
                "9223372036854775808",
                "-9223372036854775809",
                "18446744073709551616",
                "1e3",
            ],
        ),
        "uint32" | "fixed32" => pick(
            u,
            &["0", "1", "4294967295", "0xffffffff", "010"],
            &["4294967296", "-0", "-1", "0x100000000"],
        ),
        "uint64" | "fixed64" => pick(
            u,
            &["0", "18446744073709551615", "0xFFFFFFFFFFFFFFFF", "07", "5"],
            &["18446744073709551616", "-0", "-1"],
        ),
        "double" | "float" => pick(
            u,
            &[
                "0",
                "1.5",
                "-2.25",
                "1e10",
                "1E-5",
                "-0",
                "-0.0",
                "inf",
                "-inf",
                "nan",
                "-nan",
                "0x10",
                "010",
                "3.4028235e38",
                "1e39",
                "1e400",
                "-1e400",
                ".5",
                "5.",
                "infinity",
                "18446744073709551616",
                "-9223372036854775809",
                "-0x8000000000000001",
                "1e-400",
                "123456789012345678901234567890",
            ],
            &["1f", "-Infinity", "1e", "0x1p3", "- 1"],
        ),
        "bool" => pick(
            u,
            &["true", "false"],
            &["True", "f", "1", "0", "t", "-true"],
        ),
        "string" | "bytes" => {
            let mut valid = vec![
                "\"\"",
                "\"abc\"",
                "'single'",
                "\"tab\\there\"",
                "\"\\x41\\101\\0\"",
                "\"\\u00e9\\U0001F600\"",
                "\"q\\\"uote\\\\\"",
                "\"caf\u{e9}\"",
                "\"a\" \"b\"",
                "\"\\a\\b\\f\\v\\?\\'\"",
            ];
            if ty == "bytes" {
                valid.push("\"\\xff\\377\"");
            }
            pick(
                u,
                &valid,
                &["\"\\x\"", "\"\\ud800\"", "\"\\xff\"", "\"\\z\"", "x"],
            )
        }
        _ if ty.starts_with('E') || ty == "OptEnum" => {
            if enum_values.is_empty() || edge {
                Ok(u.choose(&["1", "0", "-1", "NOPE"])?.to_string())
            } else {
                Ok(u.choose(enum_values)?.clone())
            }
        }
        _ => aggregate(u, depth),
    }
}

/// A message literal for `Opt`.
fn aggregate(u: &mut Unstructured<'_>, depth: usize) -> Result<String> {
    let (open, close) = if depth > 0 && u.ratio(1, 3)? {
        ("<", ">")
    } else {
        ("{", "}")
    };
    let mut out = format!("{open} ");
    let n = u.int_in_range(0..=4)?;
    let mut used = [false; 9];
    for _ in 0..n {
        let sep = *u.choose(&["", "", ",", ";"])?;
        let which = u.int_in_range(0..=8)?;
        // `c` is repeated; the others are set once (twice is an error protoc reports, now and then).
        if which != 2
            && which != 3
            && std::mem::replace(&mut used[which as usize], true)
            && !u.ratio(1, 10)?
        {
            continue;
        }
        match which {
            0 => out.push_str(&format!("a: {}", value(u, "int32", depth, &[])?)),
            1 => out.push_str(&format!("b: {}", value(u, "string", depth, &[])?)),
            2 => {
                let items: Vec<String> = (0..u.int_in_range(0..=3)?)
                    .map(|_| value(u, "int32", depth, &[]))
                    .collect::<Result<_>>()?;
                let colon = if u.ratio(1, 5)? { "" } else { ":" };
                out.push_str(&format!("c{colon} [{}]", items.join(", ")));
            }
            3 => out.push_str(&format!("c: {}", value(u, "int32", depth, &[])?)),
            4 if depth < 3 => {
                let colon = if u.ratio(1, 2)? { ": " } else { " " };
                out.push_str(&format!("d{colon}{}", aggregate(u, depth + 1)?));
            }
            5 => {
                let vals = ["OPT_ZERO".to_string(), "OPT_ONE".to_string()];
                out.push_str(&format!("e: {}", value(u, "OptEnum", depth, &vals)?));
            }
            6 => out.push_str(&format!("g: {}", value(u, "double", depth, &[])?)),
            7 => out.push_str(&format!("h: {}", value(u, "bytes", depth, &[])?)),
            _ => out.push_str(&format!("k: {}", value(u, "uint64", depth, &[])?)),
        }
        out.push_str(sep);
        out.push(' ');
    }
    out.push_str(close);
    Ok(out)
}

struct Msg {
    name: String,
    container: Option<usize>,
    /// Declared `extensions` ranges (proto2 / editions).
    ranges: Vec<(u32, u32)>,
    /// Next free extension number in the ranges.
    next_ext: u32,
}

struct Enum {
    name: String,
    container: Option<usize>,
    closed: bool,
    values: Vec<String>,
}

/// The generator's state while writing one file.
pub struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    pub syntax: Syntax,
    package: Option<String>,
    msgs: Vec<Msg>,
    enums: Vec<Enum>,
    imports: Vec<usize>,
    field: u32,
    group: u32,
    out: String,
}

/// Generates one `.proto` file from `u`.
pub fn generate(u: &mut Unstructured<'_>) -> Result<String> {
    let syntax = *u.choose(&[Syntax::Proto2, Syntax::Proto3, Syntax::Editions2023])?;
    let package = match u.int_in_range(0..=2)? {
        0 => None,
        1 => Some("p".to_string()),
        _ => Some("a.b_c".to_string()),
    };
    let mut g = Gen {
        u,
        syntax,
        package,
        msgs: Vec::new(),
        enums: Vec::new(),
        imports: Vec::new(),
        field: 0,
        group: 0,
        out: String::new(),
    };
    g.plan()?;
    g.render()?;
    Ok(g.out)
}

impl Gen<'_, '_> {
    fn plan(&mut self) -> Result<()> {
        let count = self.u.int_in_range(1..=10)?;
        for _ in 0..count {
            let container = if !self.msgs.is_empty() && self.u.ratio(1, 3)? {
                Some(self.u.choose_index(self.msgs.len())?)
            } else {
                None
            };
            if self.u.ratio(1, 4)? {
                let i = self.enums.len();
                let closed = match self.syntax {
                    Syntax::Proto2 => true,
                    Syntax::Proto3 => false,
                    Syntax::Editions2023 => self.u.ratio(1, 3)?,
                };
                let n = self.u.int_in_range(1..=4)?;
                let values = (0..n).map(|k| format!("E{i}_V{k}")).collect();
                self.enums.push(Enum {
                    name: format!("E{i}"),
                    container,
                    closed,
                    values,
                });
            } else {
                let i = self.msgs.len();
                let mut ranges = Vec::new();
                if self.syntax != Syntax::Proto3 && self.u.ratio(1, 3)? {
                    ranges.push((1000, 1999));
                    if self.u.ratio(1, 3)? {
                        ranges.push((5000, 536_870_911));
                    }
                }
                self.msgs.push(Msg {
                    name: format!("K{i}"),
                    container,
                    ranges,
                    next_ext: 1000,
                });
            }
        }
        for (k, _) in WKT.iter().enumerate() {
            if self.u.ratio(1, 6)? {
                self.imports.push(k);
            }
        }
        Ok(())
    }

    fn comment(&mut self, pad: &str) -> Result<()> {
        match self.u.int_in_range(0..=9)? {
            0 => self.out.push_str(&format!("{pad}// leading\n")),
            1 => self
                .out
                .push_str(&format!("{pad}/* block\n{pad} * more */\n")),
            2 => self
                .out
                .push_str(&format!("{pad}// detached\n\n{pad}// leading\n")),
            3 => self.out.push_str(&format!("{pad}/// doc\n{pad}//\n")),
            _ => {}
        }
        Ok(())
    }

    fn trailing(&mut self) -> Result<&'static str> {
        Ok(*self
            .u
            .choose(&["", "", "", "", " // trailing", " /* t */"])?)
    }

    fn full(&self, m: usize) -> String {
        let local = self.local(m);
        match &self.package {
            Some(p) => format!("{p}.{local}"),
            None => local,
        }
    }

    fn local(&self, m: usize) -> String {
        match self.msgs[m].container {
            Some(c) => format!("{}.{}", self.local(c), self.msgs[m].name),
            None => self.msgs[m].name.clone(),
        }
    }

    fn enum_full(&self, e: usize) -> String {
        let local = match self.enums[e].container {
            Some(c) => format!("{}.{}", self.local(c), self.enums[e].name),
            None => self.enums[e].name.clone(),
        };
        match &self.package {
            Some(p) => format!("{p}.{local}"),
            None => local,
        }
    }

    /// A reference to message `m`, written one of the ways protoc resolves.
    fn msg_ref(&mut self, m: usize) -> Result<String> {
        Ok(if self.u.ratio(1, 2)? {
            format!(".{}", self.full(m))
        } else {
            self.local(m)
        })
    }

    fn enum_ref(&mut self, e: usize) -> Result<String> {
        Ok(format!(".{}", self.enum_full(e)))
    }

    fn render(&mut self) -> Result<()> {
        self.comment("")?;
        self.out.push_str(match self.syntax {
            Syntax::Proto2 => "syntax = \"proto2\";\n",
            Syntax::Proto3 => "syntax = \"proto3\";\n",
            Syntax::Editions2023 => "edition = \"2023\";\n",
        });
        if let Some(p) = self.package.clone() {
            self.comment("")?;
            self.out.push_str(&format!("package {p};\n"));
        }
        self.out
            .push_str("import \"google/protobuf/descriptor.proto\";\n");
        for k in self.imports.clone() {
            let public = if self.u.ratio(1, 5)? { "public " } else { "" };
            self.out
                .push_str(&format!("import {public}\"{}\";\n", WKT[k].0));
        }
        // File options.
        let mut file_used = Vec::new();
        let mut set = Vec::new();
        for _ in 0..self.u.int_in_range(0..=3)? {
            let which = self.u.int_in_range(0..=7)?;
            if which < 5 && set.contains(&which) {
                continue;
            }
            set.push(which);
            let opt = match which {
                0 => "java_package = \"com.example\"".to_string(),
                1 => format!("optimize_for = {}", self.u.choose(&["SPEED", "CODE_SIZE"])?),
                2 => "go_package = \"example.com/p\"".to_string(),
                3 => "deprecated = true".to_string(),
                4 => "cc_enable_arenas = false".to_string(),
                5 if self.syntax == Syntax::Editions2023 => format!(
                    "features.{}",
                    self.u.choose(&[
                        "field_presence = IMPLICIT",
                        "field_presence = EXPLICIT",
                        "enum_type = CLOSED",
                        "repeated_field_encoding = EXPANDED",
                        "utf8_validation = NONE",
                        "json_format = LEGACY_BEST_EFFORT",
                    ])?
                ),
                _ => self.custom_option("fi", &mut file_used)?,
            };
            self.out.push_str(&format!("option {opt};\n"));
        }
        self.option_declarations()?;
        for m in 0..self.msgs.len() {
            if self.msgs[m].container.is_none() {
                self.message(m, 0)?;
            }
        }
        for e in 0..self.enums.len() {
            if self.enums[e].container.is_none() {
                self.enumeration(e, 0)?;
            }
        }
        if self.syntax != Syntax::Proto3 {
            for m in 0..self.msgs.len() {
                if !self.msgs[m].ranges.is_empty() && self.u.ratio(1, 2)? {
                    self.extend(m, "")?;
                }
            }
        }
        for s in 0..self.u.int_in_range(0..=2)? {
            self.service(s)?;
        }
        Ok(())
    }

    /// `Opt`, `OptEnum` and one extension of every options message per option field.
    fn option_declarations(&mut self) -> Result<()> {
        let (opt, rep) = match self.syntax {
            Syntax::Editions2023 => ("", "repeated "),
            _ => ("optional ", "repeated "),
        };
        self.out.push_str(&format!(
            "message Opt {{\n  {opt}int32 a = 1;\n  {opt}string b = 2;\n  {rep}int32 c = 3;\n  \
             {opt}Opt d = 4;\n  {opt}OptEnum e = 5;\n  {opt}double g = 6;\n  {opt}bytes h = 7;\n  \
             {opt}uint64 k = 8;\n}}\n"
        ));
        self.out
            .push_str("enum OptEnum {\n  OPT_ZERO = 0;\n  OPT_ONE = 1;\n}\n");
        let mut n = 50_000;
        for (kind, short) in OPTION_KINDS {
            self.out
                .push_str(&format!("extend google.protobuf.{kind} {{\n"));
            for (suffix, ty, repeated) in OPTION_FIELDS {
                let label = if *repeated { rep } else { opt };
                self.out
                    .push_str(&format!("  {label}{ty} {short}_{suffix} = {n};\n"));
                n += 1;
            }
            self.out.push_str("}\n");
        }
        Ok(())
    }

    /// A custom option of kind `short` with a value (`(fd_i) = 3`, `(fd_m).a = 1`, ...).
    fn custom_option(&mut self, short: &str, used: &mut Vec<String>) -> Result<String> {
        let (mut suffix, mut ty, repeated) = *self.u.choose(OPTION_FIELDS)?;
        let mut sub = None;
        if ty == "Opt" && suffix == "m" && self.u.ratio(1, 3)? {
            sub = Some(*self.u.choose(&[
                ("a", "int32"),
                ("b", "string"),
                ("c", "int32"),
                ("d.a", "int32"),
                ("e", "OptEnum"),
                ("g", "double"),
            ])?);
        }
        // An option is set once (twice is an error protoc reports, now and then): a whole
        // message option excludes its fields, and a field excludes the whole.
        let key = match sub {
            Some((f, _)) => format!("{short}_{suffix}.{f}"),
            None => format!("{short}_{suffix}"),
        };
        let clash = !repeated
            && used.iter().any(|k| {
                *k == key
                    || k.strip_prefix(key.as_str())
                        .is_some_and(|r| r.starts_with('.'))
                    || key
                        .strip_prefix(k.as_str())
                        .is_some_and(|r| r.starts_with('.'))
            });
        if clash && !self.u.ratio(1, 10)? {
            // A repeated option instead, which may be set any number of times.
            (suffix, ty, sub) = ("r", "sint64", None);
        }
        used.push(key);
        let name = if self.u.ratio(1, 6)? {
            match &self.package {
                Some(p) => format!("(.{p}.{short}_{suffix})"),
                None => format!("(.{short}_{suffix})"),
            }
        } else {
            format!("({short}_{suffix})")
        };
        let enum_vals = ["OPT_ZERO".to_string(), "OPT_ONE".to_string()];
        if let Some((sub, subty)) = sub {
            let v = value(self.u, subty, 1, &enum_vals)?;
            return Ok(format!("{name}.{sub} = {v}"));
        }
        let v = value(self.u, ty, 0, &enum_vals)?;
        Ok(format!("{name} = {v}"))
    }

    fn enumeration(&mut self, e: usize, depth: usize) -> Result<()> {
        let pad = "  ".repeat(depth);
        self.comment(&pad)?;
        let name = self.enums[e].name.clone();
        let t = self.trailing()?;
        self.out.push_str(&format!("{pad}enum {name} {{{t}\n"));
        if self.syntax == Syntax::Editions2023 && self.enums[e].closed {
            self.out
                .push_str(&format!("{pad}  option features.enum_type = CLOSED;\n"));
        }
        let alias = self.u.ratio(1, 5)?;
        if alias {
            self.out
                .push_str(&format!("{pad}  option allow_alias = true;\n"));
        }
        if self.u.ratio(1, 5)? {
            let o = self.custom_option("en", &mut Vec::new())?;
            self.out.push_str(&format!("{pad}  option {o};\n"));
        }
        let values = self.enums[e].values.clone();
        let closed = self.enums[e].closed;
        let mut number: i32 = if closed {
            if self.u.ratio(1, 4)? {
                *self.u.choose(&[1, -3, 7])?
            } else {
                0
            }
        } else {
            0
        };
        for (k, v) in values.iter().enumerate() {
            self.comment(&format!("{pad}  "))?;
            let opts = match self.u.int_in_range(0..=7)? {
                0 => " [deprecated = true]".to_string(),
                1 => format!(" [{}]", self.custom_option("ev", &mut Vec::new())?),
                2 => format!(
                    " [debug_redact = true, {}]",
                    self.custom_option("ev", &mut Vec::new())?
                ),
                _ => String::new(),
            };
            let t = self.trailing()?;
            self.out
                .push_str(&format!("{pad}  {v} = {number}{opts};{t}\n"));
            if k == 0 && alias {
                self.out
                    .push_str(&format!("{pad}  {name}_ALIAS = {number};\n"));
            }
            number += self.u.int_in_range(1..=3)?;
        }
        match self.u.int_in_range(0..=5)? {
            0 => self
                .out
                .push_str(&format!("{pad}  reserved 100 to 110, 200;\n")),
            1 => self
                .out
                .push_str(&format!("{pad}  reserved 1000 to max;\n")),
            2 if self.syntax == Syntax::Editions2023 => {
                self.out.push_str(&format!("{pad}  reserved OLD, GONE;\n"))
            }
            2 => self
                .out
                .push_str(&format!("{pad}  reserved \"OLD\", \"GONE\";\n")),
            _ => {}
        }
        self.out.push_str(&format!("{pad}}}\n"));
        Ok(())
    }

    /// The enums a field of this file may use (proto3 fields only open ones).
    fn usable_enums(&self) -> Vec<usize> {
        (0..self.enums.len())
            .filter(|&e| self.syntax != Syntax::Proto3 || !self.enums[e].closed)
            .collect()
    }

    fn field_type(&mut self, allow_map: bool) -> Result<(String, Kind)> {
        let enums = self.usable_enums();
        Ok(match self.u.int_in_range(0..=11)? {
            0..=5 => {
                let s = *self.u.choose(SCALARS)?;
                (s.to_string(), Kind::Scalar(s))
            }
            6 | 7 => {
                let m = self.u.choose_index(self.msgs.len())?;
                (self.msg_ref(m)?, Kind::Message)
            }
            8 | 9 if !enums.is_empty() => {
                let e = *self.u.choose(&enums)?;
                (self.enum_ref(e)?, Kind::Enum(e))
            }
            10 if allow_map => {
                let k = *self.u.choose(MAP_KEYS)?;
                let (v, _) = self.field_type(false)?;
                (format!("map<{k}, {v}>"), Kind::Map)
            }
            11 if !self.imports.is_empty() => {
                let k = *self.u.choose(&self.imports)?;
                (WKT[k].1.to_string(), Kind::Message)
            }
            _ => ("string".to_string(), Kind::Scalar("string")),
        })
    }

    fn message(&mut self, m: usize, depth: usize) -> Result<()> {
        let pad = "  ".repeat(depth);
        self.comment(&pad)?;
        let name = self.msgs[m].name.clone();
        let t = self.trailing()?;
        self.out.push_str(&format!("{pad}message {name} {{{t}\n"));
        let inner = format!("{pad}  ");
        let mut msg_used = Vec::new();
        match self.u.int_in_range(0..=7)? {
            0 => self
                .out
                .push_str(&format!("{inner}option deprecated = true;\n")),
            1 => {
                let o = self.custom_option("ms", &mut msg_used)?;
                self.out.push_str(&format!("{inner}option {o};\n"));
            }
            2 if self.syntax != Syntax::Proto3 => self
                .out
                .push_str(&format!("{inner}option message_set_wire_format = false;\n")),
            _ => {}
        }
        let mut number = 0u32;
        let mut oneof = 0;
        for _ in 0..self.u.int_in_range(0..=7)? {
            number += self.u.int_in_range(1..=4)?;
            if self.u.ratio(1, 6)? {
                oneof += 1;
                self.comment(&inner)?;
                self.out.push_str(&format!("{inner}oneof o{oneof} {{\n"));
                if self.u.ratio(1, 4)? {
                    let o = self.custom_option("oo", &mut Vec::new())?;
                    self.out.push_str(&format!("{inner}  option {o};\n"));
                }
                for _ in 0..self.u.int_in_range(1..=3)? {
                    number += 1;
                    self.field(number, &format!("{inner}  "), true)?;
                }
                self.out.push_str(&format!("{inner}}}\n"));
            } else {
                self.field(number, &inner, false)?;
            }
        }
        match self.u.int_in_range(0..=5)? {
            0 => self
                .out
                .push_str(&format!("{inner}reserved 50, 60 to 70;\n")),
            1 if self.syntax == Syntax::Editions2023 => self
                .out
                .push_str(&format!("{inner}reserved old_name, x;\n")),
            1 => self
                .out
                .push_str(&format!("{inner}reserved \"old_name\", \"x\";\n")),
            2 => self.out.push_str(&format!("{inner}reserved 80 to 99;\n")),
            _ => {}
        }
        for (lo, hi) in self.msgs[m].ranges.clone() {
            let hi = if hi == 536_870_911 {
                "max".to_string()
            } else {
                hi.to_string()
            };
            self.out
                .push_str(&format!("{inner}extensions {lo} to {hi};\n"));
        }
        for n in 0..self.msgs.len() {
            if self.msgs[n].container == Some(m) {
                self.message(n, depth + 1)?;
            }
        }
        for e in 0..self.enums.len() {
            if self.enums[e].container == Some(m) {
                self.enumeration(e, depth + 1)?;
            }
        }
        if self.syntax != Syntax::Proto3 && self.u.ratio(1, 6)? {
            let targets: Vec<usize> = (0..self.msgs.len())
                .filter(|&t| !self.msgs[t].ranges.is_empty())
                .collect();
            if !targets.is_empty() {
                let t = *self.u.choose(&targets)?;
                self.extend(t, &inner)?;
            }
        }
        self.out.push_str(&format!("{pad}}}\n"));
        Ok(())
    }

    /// `extend K<t> { ... }` with one or two extensions in its ranges.
    fn extend(&mut self, t: usize, pad: &str) -> Result<()> {
        let target = self.msg_ref(t)?;
        self.out.push_str(&format!("{pad}extend {target} {{\n"));
        for _ in 0..self.u.int_in_range(1..=2)? {
            let n = self.msgs[t].next_ext;
            self.msgs[t].next_ext += 1;
            self.field_with(n, &format!("{pad}  "), false, true)?;
        }
        self.out.push_str(&format!("{pad}}}\n"));
        Ok(())
    }

    fn field(&mut self, number: u32, pad: &str, in_oneof: bool) -> Result<()> {
        self.field_with(number, pad, in_oneof, false)
    }

    fn field_with(&mut self, number: u32, pad: &str, in_oneof: bool, ext: bool) -> Result<()> {
        self.comment(pad)?;
        self.field += 1;
        let name = format!("f{}", self.field);
        // A proto2 group, now and then.
        if self.syntax == Syntax::Proto2 && !ext && self.u.ratio(1, 12)? {
            self.group += 1;
            let g = self.group;
            let label = if in_oneof { "" } else { "optional " };
            self.out.push_str(&format!(
                "{pad}{label}group G{g} = {number} {{\n{pad}  optional int32 a = 1;\n{pad}}}\n"
            ));
            return Ok(());
        }
        let (ty, kind) = self.field_type(!in_oneof && !ext)?;
        let is_map = matches!(kind, Kind::Map);
        let repeated = !in_oneof && !is_map && self.u.ratio(1, 4)?;
        let label = if in_oneof || is_map {
            ""
        } else if repeated {
            "repeated "
        } else {
            match self.syntax {
                Syntax::Proto2 => {
                    if !ext && self.u.ratio(1, 8)? {
                        "required "
                    } else {
                        "optional "
                    }
                }
                Syntax::Proto3 => {
                    if self.u.ratio(1, 3)? {
                        "optional "
                    } else {
                        ""
                    }
                }
                Syntax::Editions2023 => "",
            }
        };
        let singular = !repeated && !is_map;
        let mut opts: Vec<String> = Vec::new();
        let mut implicit = self.syntax == Syntax::Proto3 && label.is_empty() && !in_oneof;
        let mut used = Vec::new();
        let mut set = Vec::new();
        for _ in 0..self.u.int_in_range(0..=3)? {
            let which = self.u.int_in_range(0..=11)?;
            // Each option once (twice is an error protoc reports, now and then).
            if which != 5 && set.contains(&which) && !self.u.ratio(1, 10)? {
                continue;
            }
            set.push(which);
            match which {
                0 => opts.push("deprecated = true".to_string()),
                1 if !ext => opts.push(format!("json_name = \"j{}\"", self.field)),
                2 if singular
                    && self.syntax != Syntax::Proto3
                    && !implicit
                    && matches!(kind, Kind::Scalar(_) | Kind::Enum(_)) =>
                {
                    let enum_vals = match kind {
                        Kind::Enum(e) => self.enums[e].values.clone(),
                        _ => Vec::new(),
                    };
                    let t = match kind {
                        Kind::Scalar(s) => s.to_string(),
                        Kind::Enum(e) => self.enums[e].name.clone(),
                        _ => "int32".to_string(),
                    };
                    let v = value(self.u, &t, 0, &enum_vals)?;
                    opts.push(format!("default = {v}"));
                }
                3 if repeated && packable(kind) && self.syntax != Syntax::Editions2023 => {
                    opts.push(format!("packed = {}", self.u.choose(&["true", "false"])?))
                }
                4 if matches!(kind, Kind::Message) => opts.push("lazy = true".to_string()),
                5 => opts.push(self.custom_option("fd", &mut used)?),
                6 => opts.push("debug_redact = true".to_string()),
                7 if self.syntax == Syntax::Editions2023 => {
                    let message = matches!(kind, Kind::Message);
                    let mut fits: Vec<&str> = Vec::new();
                    if singular && !in_oneof && !ext {
                        fits.push("features.field_presence = EXPLICIT");
                        fits.push("features.field_presence = LEGACY_REQUIRED");
                        if !message && !opts.iter().any(|o| o.starts_with("default")) {
                            fits.push("features.field_presence = IMPLICIT");
                        }
                    }
                    if matches!(kind, Kind::Scalar("string")) {
                        fits.push("features.utf8_validation = NONE");
                    }
                    if repeated && packable(kind) {
                        fits.push("features.repeated_field_encoding = EXPANDED");
                    }
                    if message && !is_map {
                        fits.push("features.message_encoding = DELIMITED");
                    }
                    if fits.is_empty() {
                        continue;
                    }
                    let f = *self.u.choose(&fits)?;
                    if f.ends_with("IMPLICIT") {
                        implicit = true;
                    }
                    opts.push(f.to_string());
                }
                8 => opts.push(format!(
                    "retention = {}",
                    self.u.choose(&["RETENTION_SOURCE", "RETENTION_RUNTIME"])?
                )),
                9 => opts.push(format!(
                    "targets = {}",
                    self.u.choose(&["TARGET_TYPE_FIELD", "TARGET_TYPE_FILE"])?
                )),
                10 if matches!(kind, Kind::Scalar("string")) => {
                    opts.push("ctype = CORD".to_string())
                }
                _ => {}
            }
        }
        let opts = if opts.is_empty() {
            String::new()
        } else {
            format!(" [{}]", opts.join(", "))
        };
        let t = self.trailing()?;
        self.out
            .push_str(&format!("{pad}{label}{ty} {name} = {number}{opts};{t}\n"));
        Ok(())
    }

    fn service(&mut self, s: usize) -> Result<()> {
        self.comment("")?;
        self.out.push_str(&format!("service S{s} {{\n"));
        if self.u.ratio(1, 4)? {
            let o = self.custom_option("sv", &mut Vec::new())?;
            self.out.push_str(&format!("  option {o};\n"));
        }
        for k in 0..self.u.int_in_range(0..=3)? {
            self.comment("  ")?;
            let (i, _) = self.rpc_type()?;
            let (o, _) = self.rpc_type()?;
            let si = if self.u.ratio(1, 4)? { "stream " } else { "" };
            let so = if self.u.ratio(1, 4)? { "stream " } else { "" };
            self.out
                .push_str(&format!("  rpc M{k}({si}{i}) returns ({so}{o})"));
            match self.u.int_in_range(0..=3)? {
                0 => self.out.push_str(" {}\n"),
                1 => {
                    let opt = match self.u.int_in_range(0..=2)? {
                        0 => "deprecated = true".to_string(),
                        1 => format!(
                            "idempotency_level = {}",
                            self.u.choose(&["NO_SIDE_EFFECTS", "IDEMPOTENT"])?
                        ),
                        _ => self.custom_option("mt", &mut Vec::new())?,
                    };
                    self.out
                        .push_str(&format!(" {{\n    option {opt};\n  }}\n"));
                }
                _ => self.out.push_str(";\n"),
            }
        }
        self.out.push_str("}\n");
        Ok(())
    }

    fn rpc_type(&mut self) -> Result<(String, ())> {
        if !self.imports.is_empty() && self.u.ratio(1, 5)? {
            let k = *self.u.choose(&self.imports)?;
            return Ok((WKT[k].1.to_string(), ()));
        }
        let m = self.u.choose_index(self.msgs.len().max(1))?;
        if self.msgs.is_empty() {
            return Ok(("Opt".to_string(), ()));
        }
        Ok((self.msg_ref(m)?, ()))
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Scalar(&'static str),
    Message,
    Enum(usize),
    Map,
}

/// Whether a repeated field of this kind can be packed (numbers, bools and enums).
fn packable(kind: Kind) -> bool {
    match kind {
        Kind::Scalar(s) => !matches!(s, "string" | "bytes"),
        Kind::Enum(_) => true,
        Kind::Message | Kind::Map => false,
    }
}
