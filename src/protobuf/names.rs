//! Protobuf's naming rules, written once: every case conversion the compiler uses.
//!
//! Four families, kept apart on purpose because each must agree with a different authority:
//!
//! - **protoc's conversions**, which decide what goes into descriptors and which names clash:
//!   [`json_name`] (`ToJsonName`), [`to_camel_case`] (`ToCamelCase` with the first letter
//!   upper-cased), [`map_entry_name`], [`enum_value_to_pascal`] (`EnumValueToPascalCase`) and
//!   [`EnumValuePrefix`] (`PrefixRemover`).
//! - **buf's conversions** ([`buf_pascal`], [`buf_lower_snake`], [`buf_upper_snake`]): the lint's
//!   style rules must pass a name exactly when `buf lint` does, and suggest buf's spelling.
//! - **iprotoc's generated names** ([`generated_upper_snake`], [`generated_snake`]): the `TYPE_…`
//!   values and the extension and oneof field names lowering makes from a message name. They keep
//!   the underscores the author wrote (buf's collapse and trim them), so that renaming nothing
//!   never renames a generated name.
//! - **naming-style suggestions** ([`suggested_lower_snake`], [`suggested_upper_snake`], and
//!   [`to_camel_case`] for TitleCase): the spelling validation's edition 2024 `NAMING_STYLE` error
//!   proposes. Only advice, never compared with anything.

/// protoc's `ToJsonName`: the JSON name of a field, its name without underscores and with the
/// letter after each one upper-cased (`foo_bar_baz` → `fooBarBaz`, `_foo` → `Foo`,
/// `foo__bar` → `fooBar`). The descriptor builder fills `json_name` with it; validation and
/// lowering compare fields by it.
pub fn json_name(field: &str) -> String {
    // Bytewise, part by part between underscores (found with memchr): upper-casing only ever
    // changes an ASCII letter, and the first byte of a multi-byte character is never one, so
    // this is the same as working on chars.
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut start = 0;
    for end in memchr::memchr_iter(b'_', bytes).chain(std::iter::once(bytes.len())) {
        if let [first, rest @ ..] = &bytes[start..end] {
            out.push(if start > 0 {
                first.to_ascii_uppercase()
            } else {
                *first
            });
            out.extend_from_slice(rest);
        }
        start = end + 1;
    }
    String::from_utf8(out).expect("dropping '_' and upper-casing ASCII keeps UTF-8 valid")
}

/// Whether `json` is [`json_name`]`(field)`, without building it (for callers that only compare).
pub fn is_json_name(field: &str, json: &str) -> bool {
    is_camel_of(field, json, false)
}

/// Whether `camel` is `name` with every `_` dropped and the letter after it upper-cased (the
/// first letter too with `upper_first`), without building it: [`json_name`]'s rule, and with
/// `upper_first` [`to_camel_case`]'s.
pub fn is_camel_of(name: &str, camel: &str, upper_first: bool) -> bool {
    let mut camel = camel.bytes();
    let mut upper = upper_first;
    for b in name.bytes() {
        if b == b'_' {
            upper = true;
            continue;
        }
        // Upper-casing only ever changes an ASCII letter, so bytes compare like chars.
        let want = if upper { b.to_ascii_uppercase() } else { b };
        upper = false;
        if camel.next() != Some(want) {
            return false;
        }
    }
    camel.next().is_none()
}

/// protoc's `ToCamelCase(name, /*lower_first=*/false)`: every `_` dropped, the first letter and
/// each letter after an `_` upper-cased, the rest kept (`foo_bar` → `FooBar`, `fooBar` →
/// `FooBar`). Also the TitleCase spelling validation suggests.
pub fn to_camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The name protoc gives a map field's entry message: `my_field` → `MyFieldEntry`.
pub fn map_entry_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 5);
    push_map_entry_name(&mut out, field);
    out
}

/// Appends [`map_entry_name`]`(field)` to `out`: each part between underscores with its first
/// letter upper-cased, then `Entry`. Part by part (found with memchr) rather than char by char:
/// `_` is ASCII, so splitting the bytes at it keeps every part valid UTF-8.
fn push_map_entry_name(out: &mut String, field: &str) {
    let mut start = 0;
    for end in memchr::memchr_iter(b'_', field.as_bytes()).chain(std::iter::once(field.len())) {
        let part = &field[start..end];
        start = end + 1;
        let mut chars = part.chars();
        let Some(first) = chars.next() else {
            continue;
        };
        if first.is_ascii() {
            out.push(first.to_ascii_uppercase());
        } else {
            out.extend(first.to_uppercase());
        }
        out.push_str(chars.as_str());
    }
    out.push_str("Entry");
}

/// protoc's `EnumValueToPascalCase`: `_` dropped, the first letter and each letter after an `_`
/// upper-cased, every other letter lower-cased (`FOO_BAR` → `FooBar`).
pub fn enum_value_to_pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else {
            out.push(if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            });
            upper = false;
        }
    }
    out
}

/// protoc's `PrefixRemover` for one enum: its name without underscores, lower-cased, worked out
/// once and stripped from the front of each value name.
pub struct EnumValuePrefix(Vec<u8>);

impl EnumValuePrefix {
    /// The prefix of the enum named `enum_name`.
    pub fn new(enum_name: &str) -> EnumValuePrefix {
        EnumValuePrefix(
            enum_name
                .bytes()
                .filter(|&b| b != b'_')
                .map(|b| b.to_ascii_lowercase())
                .collect(),
        )
    }

    /// protoc's `PrefixRemover::MaybeRemove`: `value` without the enum's name at its front
    /// (compared ignoring case and underscores) and the underscores after it, unless nothing
    /// would be left or the name is not there.
    pub fn strip<'v>(&self, value: &'v str) -> &'v str {
        let (s, prefix) = (value.as_bytes(), &self.0);
        let (mut i, mut j) = (0, 0);
        while i < s.len() && j < prefix.len() {
            if s[i] == b'_' {
                i += 1;
                continue;
            }
            if s[i].to_ascii_lowercase() != prefix[j] {
                return value;
            }
            i += 1;
            j += 1;
        }
        if j < prefix.len() {
            return value;
        }
        while i < s.len() && s[i] == b'_' {
            i += 1;
        }
        if i == s.len() {
            return value;
        }
        &value[i..]
    }

    /// The key under which protoc's `CheckEnumValueUniqueness` compares the values of the enum:
    /// the value [stripped](Self::strip), then [`enum_value_to_pascal`]. Two values with one key
    /// clash in proto3 and editions files.
    pub fn key(&self, value: &str) -> String {
        enum_value_to_pascal(self.strip(value))
    }
}

/// buf's word delimiters.
fn is_buf_delimiter(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ' ' | '\t' | '\n' | '\r')
}

/// The PascalCase spelling buf expects for message, enum, service and rpc names: drop delimiters
/// (`_`, `-`, `.`, whitespace); upper-case the first letter and every letter after a delimiter;
/// keep capitals as written; lower-case everything else (`foo_bar` → `FooBar`, `HTTPServer`
/// stays, `Foo_Bar` → `FooBar`).
pub fn buf_pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous: Option<char> = None;
    for c in s.trim().chars() {
        if !is_buf_delimiter(c) {
            let word_start = previous.is_none_or(is_buf_delimiter);
            if word_start || c.is_uppercase() {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
        previous = Some(c);
    }
    out
}

/// buf's snake case before the final change of case: trim delimiters, turn the rest into single
/// `_`s, and start a new word at a capital that follows a lower-case letter, or that is followed
/// by a letter that is neither a capital nor a digit nor a delimiter (`JSONPascal` →
/// `JSON_Pascal`, `fooBar` → `foo_Bar`, `v1beta1` stays, `Foo1Bar` → `Foo1_Bar`). Digits never
/// start a word.
fn buf_snake(s: &str) -> String {
    let chars: Vec<char> = s.trim_matches(is_buf_delimiter).chars().collect();
    let mut out = String::with_capacity(chars.len() + 4);
    for (i, &raw) in chars.iter().enumerate() {
        let c = if is_buf_delimiter(raw) { '_' } else { raw };
        if i == 0 {
            out.push(c);
            continue;
        }
        let last_is_underscore = out.ends_with('_');
        let next = chars.get(i + 1).copied();
        let next_starts_lower_word =
            next.is_some_and(|n| !(n.is_uppercase() || n.is_ascii_digit() || is_buf_delimiter(n)));
        let after_lower = chars[i - 1].is_lowercase();
        if c.is_uppercase() && !last_is_underscore && (next_starts_lower_word || after_lower) {
            out.push('_');
            out.push(c);
        } else if !(c == '_' && last_is_underscore) {
            out.push(c);
        }
    }
    out
}

/// The lower_snake_case spelling buf expects for field, oneof and package names.
pub fn buf_lower_snake(s: &str) -> String {
    buf_snake(s).to_lowercase()
}

/// The UPPER_SNAKE_CASE spelling buf expects for enum values (and their prefix).
pub fn buf_upper_snake(s: &str) -> String {
    buf_snake(s).to_uppercase()
}

/// The UPPER_SNAKE_CASE of a message name, for the `TYPE_…` value lowering generates:
/// `HTTPRequest` → `HTTP_REQUEST`, `Kitten` → `KITTEN`, `Cat2D` → `CAT2D`.
///
/// A new word starts at an upper-case letter that follows a lower-case letter (`KittenToy` →
/// `KITTEN_TOY`), or that follows an upper-case letter or a digit *and* is followed by a
/// lower-case letter (the last letter of an acronym starts the next word: `HTTPRequest` →
/// `HTTP_REQUEST`, `Http2Server` → `HTTP2_SERVER`). Digits never start a word and a trailing
/// capital after a digit stays in its word (`Cat2D` → `CAT2D`). Underscores the author wrote are
/// kept as they are (`Foo_Bar` → `FOO_BAR`), so the conversion never invents a double
/// underscore. Only ASCII is involved: protobuf identifiers are ASCII.
pub fn generated_upper_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let starts_word = prev.is_ascii_lowercase()
                || ((prev.is_ascii_uppercase() || prev.is_ascii_digit()) && next_lower);
            if starts_word {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// [`generated_upper_snake`] in lower case, for the extension and oneof field names lowering
/// generates: `HTTPRequest` → `http_request`, `Animal` → `animal`.
pub fn generated_snake(name: &str) -> String {
    generated_upper_snake(name).to_ascii_lowercase()
}

/// The lower_snake_case spelling validation suggests for a field, oneof or package name:
/// `FooBar` / `fooBar` / `Foo__Bar` → `foo_bar`. A new word starts only at a capital after a
/// lower-case letter or digit (`HTTPServer` → `httpserver`); runs of `_` become one, and `_` at
/// either end go.
pub fn suggested_lower_snake(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c == '_' {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out.trim_matches('_').to_string()
}

/// The UPPER_SNAKE_CASE spelling validation suggests for an enum value: `FooBar` → `FOO_BAR`
/// ([`suggested_lower_snake`] in upper case).
pub fn suggested_upper_snake(name: &str) -> String {
    suggested_lower_snake(name).to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_follow_protoc() {
        for (field, json) in [
            ("foo_bar_baz", "fooBarBaz"),
            ("_foo", "Foo"),
            ("foo__bar", "fooBar"),
            ("foo__bar_", "fooBar"),
            ("foo_", "foo"),
            ("foo_1", "foo1"),
            ("FooBar", "FooBar"),
            ("http_request", "httpRequest"),
            ("", ""),
            ("_", ""),
            ("a_\u{e9}t\u{e9}", "a\u{e9}t\u{e9}"),
        ] {
            assert_eq!(json_name(field), json, "{field}");
            assert!(is_json_name(field, json), "{field}");
            assert!(!is_json_name(field, &format!("{json}x")), "{field}");
        }
        assert!(!is_json_name("foo_bar", "foobar"));
        assert!(!is_json_name("foo_bar", "fooBa"));
        assert!(!is_json_name("foo", ""));
    }

    #[test]
    fn camel_case_comparison_agrees_with_building_it() {
        let names = [
            "foo", "foo_bar", "_foo", "foo__bar", "foo_", "fOO_bAR", "x1_2y", "é_ü", "",
        ];
        for name in names {
            for other in names.iter().map(|n| to_camel_case(n)) {
                let same = to_camel_case(name) == other;
                assert_eq!(is_camel_of(name, &other, true), same, "{name} vs {other}");
            }
            assert!(is_camel_of(name, &to_camel_case(name), true));
            assert!(!is_camel_of(
                name,
                &format!("{}X", to_camel_case(name)),
                true
            ));
        }
        assert_eq!(to_camel_case("foo_bar"), "FooBar");
        assert_eq!(to_camel_case("fooBar"), "FooBar");
    }

    #[test]
    fn map_entry_names_follow_protoc() {
        assert_eq!(map_entry_name("my_field"), "MyFieldEntry");
        assert_eq!(map_entry_name("values"), "ValuesEntry");
        assert_eq!(map_entry_name("a__b"), "ABEntry");
        assert_eq!(map_entry_name("_x_"), "XEntry");
        assert_eq!(map_entry_name(""), "Entry");
        assert_eq!(map_entry_name("Already"), "AlreadyEntry");
        assert_eq!(
            map_entry_name("\u{e9}t\u{e9}_\u{df}x"),
            "\u{c9}t\u{e9}SSxEntry"
        );
    }

    #[test]
    fn enum_prefixes_follow_protoc() {
        let foo_bar = EnumValuePrefix::new("FooBar");
        assert_eq!(foo_bar.strip("FOO_BAR_BAZ"), "BAZ");
        assert_eq!(foo_bar.strip("FOO_BAR"), "FOO_BAR");
        assert_eq!(foo_bar.strip("BAZ"), "BAZ");
        assert_eq!(enum_value_to_pascal("VALUE_"), "Value");
        assert_eq!(enum_value_to_pascal("_VALUE"), "Value");
        let ty = EnumValuePrefix::new("Type");
        assert_eq!(ty.key("TYPE_HTTP_REQUEST"), "HttpRequest");
        assert_eq!(ty.key("TYPE_FOO__BAR"), ty.key("TYPE_FOO_BAR"));
        assert_ne!(ty.key("TYPE_A_B"), ty.key("TYPE_AB"));
        assert_eq!(ty.key("TYPE__"), "Type");
    }

    #[test]
    fn buf_lower_snake_matches_buf() {
        for (input, want) in [
            ("", ""),
            ("_", ""),
            ("PascalCase", "pascal_case"),
            ("  PascalCase  ", "pascal_case"),
            ("pascalCase", "pascal_case"),
            ("_PascalCase_", "pascal_case"),
            ("PascalCase__Hello", "pascal_case_hello"),
            ("JSONPascal", "json_pascal"),
            ("FooJSONPascal", "foo_json_pascal"),
            ("JSONPascalJSON", "json_pascal_json"),
            ("v1", "v1"),
            ("v1beta1", "v1beta1"),
            ("v1beta_1", "v1beta_1"),
            ("PascalCase1", "pascal_case1"),
            ("FooJSON1Pascal", "foo_json1_pascal"),
            ("FooJSON_1Pascal", "foo_json_1_pascal"),
            ("foo_bar__baz", "foo_bar_baz"),
            ("PascalCase--Hello", "pascal_case_hello"),
            ("  Foo  Bar  _Baz", "foo_bar_baz"),
            ("__PASCAL___case__", "pascal_case"),
            ("PASCAL case", "pascal_case"),
        ] {
            assert_eq!(buf_lower_snake(input), want, "buf_lower_snake({input:?})");
        }
    }

    #[test]
    fn buf_upper_snake_matches_buf() {
        assert_eq!(buf_upper_snake("PascalCase"), "PASCAL_CASE");
        assert_eq!(buf_upper_snake("pascalCase"), "PASCAL_CASE");
        assert_eq!(buf_upper_snake("PascalCase_"), "PASCAL_CASE");
        assert_eq!(buf_upper_snake("HTTPRequest"), "HTTP_REQUEST");
        assert_eq!(buf_upper_snake("FOO_BAR"), "FOO_BAR");
    }

    #[test]
    fn buf_pascal_matches_buf() {
        for (input, want) in [
            ("foo_bar", "FooBar"),
            ("fooBar", "FooBar"),
            ("FooBar", "FooBar"),
            ("HTTPServer", "HTTPServer"),
            ("Foo_Bar", "FooBar"),
            ("FOO", "FOO"),
            ("foo.bar-baz", "FooBarBaz"),
            ("Cat2d", "Cat2d"),
        ] {
            assert_eq!(buf_pascal(input), want, "buf_pascal({input:?})");
        }
    }

    #[test]
    fn generated_names_split_words_and_acronyms() {
        let cases = [
            ("Kitten", "KITTEN"),
            ("Cat", "CAT"),
            ("HTTPRequest", "HTTP_REQUEST"),
            ("HttpRequest", "HTTP_REQUEST"),
            ("Cat2D", "CAT2D"),
            ("Cat2d", "CAT2D"),
            ("Http2Server", "HTTP2_SERVER"),
            ("ABTest", "AB_TEST"),
            ("IPv6Address", "I_PV6_ADDRESS"),
            ("Foo_Bar", "FOO_BAR"),
            ("Foo__Bar", "FOO__BAR"),
            ("snake_case", "SNAKE_CASE"),
            ("URL", "URL"),
            ("A", "A"),
            ("_Private", "_PRIVATE"),
        ];
        for (input, want) in cases {
            assert_eq!(generated_upper_snake(input), want, "{input}");
        }
        assert_eq!(generated_snake("Animal"), "animal");
        assert_eq!(generated_snake("HTTPRequest"), "http_request");
        assert_eq!(generated_snake("GoldenRetriever"), "golden_retriever");
        assert_eq!(generated_snake("Cat2D"), "cat2d");
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggested_lower_snake("Another_Field"), "another_field");
        assert_eq!(suggested_lower_snake("fooBar"), "foo_bar");
        assert_eq!(suggested_lower_snake("Foo__Bar_"), "foo_bar");
        assert_eq!(suggested_lower_snake("HTTPServer"), "httpserver");
        assert_eq!(suggested_upper_snake("FooBar"), "FOO_BAR");
    }

    #[test]
    fn the_families_differ_where_their_authorities_do() {
        // buf collapses and trims underscores; generated names keep what the author wrote.
        assert_eq!(buf_upper_snake("Foo__Bar"), "FOO_BAR");
        assert_eq!(generated_upper_snake("Foo__Bar"), "FOO__BAR");
        assert_eq!(buf_upper_snake("_Private"), "PRIVATE");
        // Suggestions do not split acronyms.
        assert_eq!(buf_lower_snake("HTTPServer"), "http_server");
        assert_eq!(suggested_lower_snake("HTTPServer"), "httpserver");
    }
}
