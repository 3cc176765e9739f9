//! Case conversion for generated names.
//!
//! A message name is split into words, then joined with `_` in upper case (`TYPE_` values) or lower
//! case (extension and oneof field names). A new word starts at an upper-case letter that follows a
//! lower-case letter (`KittenToy` → `KITTEN_TOY`), or that follows an upper-case letter or a digit
//! *and* is followed by a lower-case letter (the last letter of an acronym starts the next word:
//! `HTTPRequest` → `HTTP_REQUEST`, `Http2Server` → `HTTP2_SERVER`). Digits never start a word and
//! a trailing capital after a digit stays in its word (`Cat2D` → `CAT2D`). Underscores the author
//! wrote are kept as they are (`Foo_Bar` → `FOO_BAR`), so the conversion never invents a double
//! underscore. Only ASCII is involved: protobuf identifiers are ASCII.

/// `HTTPRequest` → `HTTP_REQUEST`, `Kitten` → `KITTEN`, `Cat2D` → `CAT2D`.
pub fn upper_snake(name: &str) -> String {
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

/// `HTTPRequest` → `http_request`, `Animal` → `animal`: [`upper_snake`] in lower case.
pub fn snake(name: &str) -> String {
    upper_snake(name).to_ascii_lowercase()
}

pub use crate::resolve::symbols::json_name;

/// The key under which protoc compares the values of an enum named `Type` (its
/// `CheckEnumValueUniqueness`: strip the enum-name prefix, then PascalCase): two `TYPE_…` values
/// with the same key are rejected in proto3 and editions files.
pub fn enum_value_key(value: &str) -> String {
    let stripped = value
        .strip_prefix("TYPE")
        .unwrap_or(value)
        .trim_start_matches('_');
    let stripped = if stripped.is_empty() { value } else { stripped };
    let mut out = String::with_capacity(stripped.len());
    let mut upper = true;
    for c in stripped.chars() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_snake_splits_words_and_acronyms() {
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
            ("snake_case", "SNAKE_CASE"),
            ("URL", "URL"),
            ("A", "A"),
            ("_Private", "_PRIVATE"),
        ];
        for (input, want) in cases {
            assert_eq!(upper_snake(input), want, "{input}");
        }
    }

    #[test]
    fn snake_is_lower_case_upper_snake() {
        assert_eq!(snake("Animal"), "animal");
        assert_eq!(snake("HTTPRequest"), "http_request");
        assert_eq!(snake("GoldenRetriever"), "golden_retriever");
        assert_eq!(snake("Cat2D"), "cat2d");
    }

    #[test]
    fn json_names_follow_protoc() {
        assert_eq!(json_name("http_request"), "httpRequest");
        assert_eq!(json_name("type"), "type");
        assert_eq!(json_name("a__b"), "aB");
    }

    #[test]
    fn enum_value_keys_follow_protoc() {
        assert_eq!(enum_value_key("TYPE_HTTP_REQUEST"), "HttpRequest");
        assert_eq!(
            enum_value_key("TYPE_FOO__BAR"),
            enum_value_key("TYPE_FOO_BAR")
        );
        assert_ne!(enum_value_key("TYPE_A_B"), enum_value_key("TYPE_AB"));
    }
}
