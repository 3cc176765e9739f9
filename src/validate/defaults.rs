//! Default values (`[default = …]`).
//!
//! The descriptor holds defaults as text, the way protoc writes them (`-5`, `0x1F`, `inf`, an
//! enum value's name, C-escaped bytes). These rules check the text against the field's type.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `DEFAULT_NOT_ALLOWED` | defaults on repeated or message fields | `BuildFieldOrExtension`, `CrossLinkField` |
//! | `DEFAULT_INVALID` | a default that does not parse as the field's type (numbers, bools, bytes escapes) | `BuildFieldOrExtension` |
//! | `DEFAULT_OUT_OF_RANGE` | an integer default outside the field type's range | `Parser::ParseDefaultAssignment` (parser.cc) |
//! | `DEFAULT_UNKNOWN_ENUM_VALUE` | an enum default that names no value of the enum | `CrossLinkField` |

use prost_types::field_descriptor_proto::Type;

use super::{tag, Checker, FieldCx, FileCx};
use crate::diagnostics::Diagnostic;

/// Parses an integer the way `strtoll(s, _, 0)` does: optional sign, then `0x` hex, `0` octal,
/// or decimal. `None` if it is not an integer at all.
pub fn parse_c_integer(s: &str) -> Option<i128> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, body) = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, h)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Saturate: anything this large is out of every range anyway.
    let v = u128::from_str_radix(body, radix).unwrap_or(u128::MAX >> 1) as i128;
    Some(if neg { -v } else { v })
}

/// Whether `s` is valid C-escaped text (`absl::CUnescape`).
pub fn valid_c_escapes(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        i += 1;
        let Some(&c) = b.get(i) else { return false };
        match c {
            b'n' | b't' | b'r' | b'\\' | b'\'' | b'"' | b'?' | b'a' | b'b' | b'f' | b'v' => i += 1,
            b'0'..=b'7' => {
                let mut n = 0;
                let mut v = 0u32;
                while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                if v > 0xff {
                    return false;
                }
            }
            b'x' | b'X' => {
                i += 1;
                let mut v = 0u32;
                let start = i;
                while i < b.len() && b[i].is_ascii_hexdigit() {
                    v = (v * 16 + (b[i] as char).to_digit(16).unwrap_or(0)).min(0x1000);
                    i += 1;
                }
                if i == start || v > 0xff {
                    return false;
                }
            }
            b'u' | b'U' => {
                let n = if c == b'u' { 4 } else { 8 };
                i += 1;
                if i + n > b.len() || !b[i..i + n].iter().all(|d| d.is_ascii_hexdigit()) {
                    return false;
                }
                i += n;
            }
            _ => return false,
        }
    }
    true
}

fn is_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Default-value rules on one field.
pub(crate) fn check_field(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    let Some(default) = fx.field.default_value.as_deref() else {
        return;
    };
    // Only worked out for a diagnostic: valid files never build their span index.
    let at = || f.span(&fx.at(tag::FIELD_DEFAULT));
    let name = fx.name();
    if fx.is_repeated() {
        ck.push(
            Diagnostic::error(
                "DEFAULT_NOT_ALLOWED",
                "Repeated fields can't have default values.",
            )
            .at(f.id, at(), "not allowed on a repeated field")
            .help("remove the default: a repeated field starts empty"),
        );
        return;
    }
    let Some(ty) = fx.ty() else { return };
    let invalid = |msg: String, label: &str, help: String| {
        Diagnostic::error("DEFAULT_INVALID", msg)
            .at(f.id, at(), label.to_string())
            .help(help)
    };
    let couldnt = || format!("Couldn't parse default value \"{default}\".");
    match ty {
        Type::Message | Type::Group => ck.push(
            Diagnostic::error("DEFAULT_NOT_ALLOWED", "Messages can't have default values.")
                .at(f.id, at(), "not allowed on a message field")
                .help("remove the default: an unset message field reads as its type's defaults"),
        ),
        Type::Int32
        | Type::Sint32
        | Type::Sfixed32
        | Type::Int64
        | Type::Sint64
        | Type::Sfixed64
        | Type::Uint32
        | Type::Fixed32
        | Type::Uint64
        | Type::Fixed64 => {
            let (lo, hi, tyname): (i128, i128, &str) = match ty {
                Type::Int32 | Type::Sint32 | Type::Sfixed32 => {
                    (i32::MIN as i128, i32::MAX as i128, "32-bit signed")
                }
                Type::Int64 | Type::Sint64 | Type::Sfixed64 => {
                    (i64::MIN as i128, i64::MAX as i128, "64-bit signed")
                }
                Type::Uint32 | Type::Fixed32 => (0, u32::MAX as i128, "32-bit unsigned"),
                _ => (0, u64::MAX as i128, "64-bit unsigned"),
            };
            match parse_c_integer(default) {
                None => ck.push(invalid(
                    couldnt(),
                    "not an integer",
                    format!("`{name}` is an integer field: write an integer default"),
                )),
                Some(v) if v < lo || v > hi => ck.push(
                    Diagnostic::error("DEFAULT_OUT_OF_RANGE", "Integer out of range.")
                        .at(f.id, at(), format!("does not fit a {tyname} integer"))
                        .help(format!("the default must be between {lo} and {hi}")),
                ),
                Some(_) => {}
            }
        }
        Type::Float | Type::Double => {
            let special = matches!(default, "inf" | "-inf" | "nan" | "-nan");
            let lower = default.to_ascii_lowercase();
            let numeric = !lower.contains("inf") && !lower.contains("nan");
            let parses = default.parse::<f64>().is_ok() || parse_c_integer(default).is_some();
            if !(special || numeric && parses) {
                ck.push(invalid(
                    couldnt(),
                    "not a number",
                    "write a number, `inf`, `-inf` or `nan`".to_string(),
                ));
            }
        }
        Type::Bool => {
            if default != "true" && default != "false" {
                ck.push(invalid(
                    "Boolean default must be true or false.".to_string(),
                    "not a boolean",
                    "write `true` or `false`".to_string(),
                ));
            }
        }
        Type::Bytes => {
            if !valid_c_escapes(default) {
                ck.push(invalid(
                    "Invalid escaping in default value.".to_string(),
                    "invalid escape",
                    "use C escapes: `\\n`, `\\\\`, `\\x0f`, `\\017`…".to_string(),
                ));
            }
        }
        Type::String => {}
        Type::Enum => {
            if !is_identifier(default) {
                ck.push(invalid(
                    "Default value for an enum field must be an identifier.".to_string(),
                    "not a value name",
                    "write the name of one of the enum's values".to_string(),
                ));
                return;
            }
            let Some(e) = ck.enum_of(fx.field) else {
                return;
            };
            if ck.lookups.enum_has_value(e.proto, default) {
                return;
            }
            let values: Vec<&str> = e
                .proto
                .value
                .iter()
                .filter_map(|v| v.name.as_deref())
                .take(8)
                .collect();
            let ename = e.full_name.clone();
            let mut d = Diagnostic::error(
                "DEFAULT_UNKNOWN_ENUM_VALUE",
                format!("Enum type \"{ename}\" has no value named \"{default}\"."),
            )
            .at(f.id, at(), format!("not a value of `{ename}`"));
            if !values.is_empty() {
                d = d.help(format!("its values are {}", values.join(", ")));
            }
            ck.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_integers() {
        assert_eq!(parse_c_integer("-5"), Some(-5));
        assert_eq!(parse_c_integer("0x1f"), Some(31));
        assert_eq!(parse_c_integer("017"), Some(15));
        assert_eq!(parse_c_integer("0"), Some(0));
        assert_eq!(parse_c_integer("1.5"), None);
        assert_eq!(parse_c_integer("09"), None);
    }

    #[test]
    fn escapes() {
        assert!(valid_c_escapes("a\\n\\x0f\\017\\\\"));
        assert!(!valid_c_escapes("\\q"));
        assert!(!valid_c_escapes("\\"));
        assert!(!valid_c_escapes("\\x"));
    }
}
