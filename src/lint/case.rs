//! The case conversions buf's style rules compare names against, so that a name passes here
//! exactly when it passes `buf lint` (and the suggested spelling is the one buf suggests).
//!
//! - [`pascal`]: drop delimiters (`_`, `-`, `.`, whitespace); upper-case the first letter and
//!   every letter after a delimiter; keep capitals as written; lower-case everything else
//!   (`foo_bar` → `FooBar`, `HTTPServer` stays, `Foo_Bar` → `FooBar`).
//! - [`lower_snake`] / [`upper_snake`]: trim delimiters, turn the rest into single `_`s, and start
//!   a new word at a capital that follows a lower-case letter, or that is followed by a letter
//!   that is neither a capital nor a digit nor a delimiter (`JSONPascal` → `json_pascal`,
//!   `fooBar` → `foo_bar`, `v1beta1` stays, `Foo1Bar` → `foo1_bar`). Digits never start a word.

fn is_delimiter(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ' ' | '\t' | '\n' | '\r')
}

/// The PascalCase spelling buf expects for message, enum, service and rpc names.
pub fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous: Option<char> = None;
    for c in s.trim().chars() {
        if !is_delimiter(c) {
            let word_start = previous.is_none_or(is_delimiter);
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

fn snake(s: &str) -> String {
    let chars: Vec<char> = s.trim_matches(is_delimiter).chars().collect();
    let mut out = String::with_capacity(chars.len() + 4);
    for (i, &raw) in chars.iter().enumerate() {
        let c = if is_delimiter(raw) { '_' } else { raw };
        if i == 0 {
            out.push(c);
            continue;
        }
        let last_is_underscore = out.ends_with('_');
        let next = chars.get(i + 1).copied();
        let next_starts_lower_word =
            next.is_some_and(|n| !(n.is_uppercase() || n.is_ascii_digit() || is_delimiter(n)));
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
pub fn lower_snake(s: &str) -> String {
    snake(s).to_lowercase()
}

/// The UPPER_SNAKE_CASE spelling buf expects for enum values (and their prefix).
pub fn upper_snake(s: &str) -> String {
    snake(s).to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_snake_matches_buf() {
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
            assert_eq!(lower_snake(input), want, "lower_snake({input:?})");
        }
    }

    #[test]
    fn upper_snake_matches_buf() {
        assert_eq!(upper_snake("PascalCase"), "PASCAL_CASE");
        assert_eq!(upper_snake("pascalCase"), "PASCAL_CASE");
        assert_eq!(upper_snake("PascalCase_"), "PASCAL_CASE");
        assert_eq!(upper_snake("HTTPRequest"), "HTTP_REQUEST");
        assert_eq!(upper_snake("FOO_BAR"), "FOO_BAR");
    }

    #[test]
    fn pascal_matches_buf() {
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
            assert_eq!(pascal(input), want, "pascal({input:?})");
        }
    }
}
