//! The text forms protoc writes into descriptors: `default_value` strings (`json_name` is
//! [`crate::protobuf::names::json_name`]).
//!
//! protoc's parser reads a default, and its descriptor builder parses it into a typed value and
//! prints it back (`FieldDescriptor::DefaultValueAsString`), so the descriptor holds a canonical
//! form, not the text the user wrote: integers in decimal, floats in `SimpleDtoa`/`SimpleFtoa`
//! form (shortest of `%.15g`/`%.17g` that round-trips; `%.6g`/`%.9g` for `float`), `inf`, `-inf`,
//! `nan`, and bytes escaped with absl's `CEscape`.

/// absl's `CEscape`: `\n \r \t \" \' \\` by name, other bytes outside printable ASCII as three
/// octal digits.
pub fn c_escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out
}

/// C's `printf("%.*g", precision, v)` for a finite `v`.
fn format_g(v: f64, precision: usize) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let p = precision.max(1);
    // `{:e}` rounds to p significant digits exactly as printf does; its exponent decides the style.
    let sci = format!("{:.*e}", p - 1, v);
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` output has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    if exp < -4 || exp >= p as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", strip_fraction_zeros(mantissa), exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp) as usize;
        strip_fraction_zeros(&format!("{v:.decimals$}")).to_string()
    }
}

fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// protoc's `SimpleDtoa`: `%.15g` if that parses back to the same double, else `%.17g`.
pub fn simple_dtoa(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    let short = format_g(v, 15);
    if short.parse::<f64>().ok() == Some(v) {
        short
    } else {
        format_g(v, 17)
    }
}

/// protoc's `SimpleFtoa`: `%.6g` if that parses back to the same float, else `%.9g`.
pub fn simple_ftoa(v: f32) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    let short = format_g(v as f64, 6);
    if short.parse::<f32>().ok() == Some(v) {
        short
    } else {
        format_g(v as f64, 9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_like_simple_dtoa() {
        assert_eq!(simple_dtoa(0.0), "0");
        assert_eq!(simple_dtoa(-0.0), "-0");
        assert_eq!(simple_dtoa(1.0), "1");
        assert_eq!(simple_dtoa(0.1), "0.1");
        assert_eq!(simple_dtoa(1.5e10), "15000000000");
        assert_eq!(simple_dtoa(1e15), "1e+15");
        assert_eq!(simple_dtoa(1e-5), "1e-05");
        assert_eq!(simple_dtoa(0.0001), "0.0001");
        assert_eq!(simple_dtoa(f64::MAX), "1.7976931348623157e+308");
        assert_eq!(simple_dtoa(0.3), "0.3");
        assert_eq!(simple_dtoa(1.0 / 3.0), "0.33333333333333331");
        assert_eq!(simple_dtoa(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn floats_print_like_simple_ftoa() {
        assert_eq!(simple_ftoa(1.5), "1.5");
        assert_eq!(simple_ftoa(0.1), "0.1");
        assert_eq!(simple_ftoa(3.4028235e38), "3.40282347e+38");
        assert_eq!(simple_ftoa(1e5), "100000");
        assert_eq!(simple_ftoa(1e6), "1e+06");
    }

    #[test]
    fn bytes_escape_like_cescape() {
        assert_eq!(c_escape(b"a\"b'\\\n\x01\xff"), "a\\\"b\\'\\\\\\n\\001\\377");
    }
}
