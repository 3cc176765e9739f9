//! Option assignments packed into bytes while they wait for interpretation.
//!
//! Between a file's build and the interpretation of its options, each queued assignment
//! (`[(google.api.field_behavior) = REQUIRED]`) used to be a cloned tree: a `Vec` of name parts,
//! a `Vec` of identifiers and a `String` per identifier, about eight allocations and 400 bytes.
//! On a googleapis-sized compile those trees were a quarter of the peak heap. Packed, one
//! assignment is a few dozen bytes of a single buffer per element; it is unpacked into the same
//! tree when the file's options are interpreted.
//!
//! The format is private to this module: identifiers and strings as a length and their bytes,
//! spans as a start and a length, integers as LEB128 varints. [`unpack`] never panics: bytes it
//! did not write give a well-formed (if meaningless) tree.

use crate::ast::{
    Constant, FieldValue, FieldValueName, FloatLit, FullIdent, Ident, IntLit, MessageValue,
    OptionAssign, OptionName, OptionNamePart, StringLit, TextValue,
};
use crate::source::Span;

/// Appends `assigns` to `out`, to be read back by [`unpack`].
pub fn pack<'a>(assigns: impl IntoIterator<Item = &'a OptionAssign>, out: &mut Vec<u8>) {
    let mut w = Writer(out);
    for a in assigns {
        w.assign(a);
    }
}

/// The assignments [`pack`] wrote into `bytes`, in order.
pub fn unpack(bytes: &[u8]) -> Vec<OptionAssign> {
    let mut r = Reader { bytes, pos: 0 };
    let mut out = Vec::new();
    while r.pos < bytes.len() {
        out.push(r.assign());
    }
    out
}

/// The option names [`pack`] wrote into `bytes`, each with whether its value is an aggregate
/// (`{ … }`) that names extensions or `Any` types inside ([`names_inside`]), without building
/// the values.
pub fn names(bytes: &[u8]) -> Vec<(OptionName, bool)> {
    let mut r = Reader { bytes, pos: 0 };
    let mut out = Vec::new();
    while r.pos < bytes.len() {
        let len = r.len();
        let end = r.pos.saturating_add(len);
        let name = r.option_name();
        let naming = r.byte() == CONST_AGGREGATE_NAMING;
        r.pos = end;
        out.push((name, naming));
    }
    out
}

/// Whether a text-format value names an extension or an `Any` type (`[pkg.ext]`,
/// `[type.googleapis.com/pkg.Msg]`) anywhere inside. Without such names, an aggregate value
/// reads only the fields of its option's type and of the types it holds, as an option name with
/// field parts does (`(pkg.ext).a.b`): the files `option_waves` already waits for.
pub fn names_inside(m: &MessageValue) -> bool {
    fn value(v: &TextValue) -> bool {
        match v {
            TextValue::Scalar(_) => false,
            TextValue::Message(m) => names_inside(m),
            TextValue::List(items, _) => items.iter().any(value),
        }
    }
    m.fields
        .iter()
        .any(|f| !matches!(f.name, FieldValueName::Field(_)) || value(&f.value))
}

const CONST_IDENT: u8 = 0;
const CONST_INT: u8 = 1;
const CONST_FLOAT: u8 = 2;
const CONST_STRING: u8 = 3;
const CONST_AGGREGATE: u8 = 4;
/// An aggregate that names extensions or `Any` types inside ([`names_inside`]).
const CONST_AGGREGATE_NAMING: u8 = 5;

struct Writer<'o>(&'o mut Vec<u8>);

impl Writer<'_> {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn bool(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }

    fn span(&mut self, s: Span) {
        self.varint(u64::from(s.start));
        self.varint(u64::from(s.end.wrapping_sub(s.start)));
    }

    fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    fn ident(&mut self, i: &Ident) {
        self.bytes(i.name.as_bytes());
        self.span(i.span);
    }

    fn full_ident(&mut self, f: &FullIdent) {
        self.bool(f.absolute);
        self.varint(f.parts.len() as u64);
        for p in &f.parts {
            self.ident(p);
        }
        self.span(f.span);
    }

    /// An assignment, prefixed with its length (so that [`names`] can skip values).
    fn assign(&mut self, a: &OptionAssign) {
        let mut body = Vec::new();
        let mut w = Writer(&mut body);
        w.varint(a.name.parts.len() as u64);
        for p in &a.name.parts {
            match p {
                OptionNamePart::Field(i) => {
                    w.0.push(0);
                    w.ident(i);
                }
                OptionNamePart::Extension(f, s) => {
                    w.0.push(1);
                    w.full_ident(f);
                    w.span(*s);
                }
            }
        }
        w.span(a.name.span);
        w.constant(&a.value);
        w.span(a.span);
        self.bytes(&body);
    }

    fn constant(&mut self, c: &Constant) {
        match c {
            Constant::Ident {
                negative,
                name,
                span,
            } => {
                self.0.push(CONST_IDENT);
                self.bool(*negative);
                self.full_ident(name);
                self.span(*span);
            }
            Constant::Int(i) => {
                self.0.push(CONST_INT);
                self.bool(i.negative);
                match i.value {
                    Some(v) => {
                        self.0.push(1);
                        self.varint(v);
                    }
                    None => self.0.push(0),
                }
                self.span(i.span);
            }
            Constant::Float(f) => {
                self.0.push(CONST_FLOAT);
                self.bool(f.negative);
                self.0.extend_from_slice(&f.value.to_bits().to_le_bytes());
                self.span(f.span);
            }
            Constant::String(s) => {
                self.0.push(CONST_STRING);
                self.bytes(&s.value);
                self.span(s.span);
            }
            Constant::Aggregate(m) => {
                self.0.push(if names_inside(m) {
                    CONST_AGGREGATE_NAMING
                } else {
                    CONST_AGGREGATE
                });
                self.message(m);
            }
        }
    }

    fn message(&mut self, m: &MessageValue) {
        self.varint(m.fields.len() as u64);
        for f in &m.fields {
            match &f.name {
                FieldValueName::Field(i) => {
                    self.0.push(0);
                    self.ident(i);
                }
                FieldValueName::Extension(n) => {
                    self.0.push(1);
                    self.full_ident(n);
                }
                FieldValueName::AnyType {
                    domain,
                    type_name,
                    span,
                } => {
                    self.0.push(2);
                    self.bytes(domain.as_bytes());
                    self.full_ident(type_name);
                    self.span(*span);
                }
            }
            self.text_value(&f.value);
            self.bool(f.colon);
            self.span(f.span);
        }
        self.span(m.span);
    }

    fn text_value(&mut self, v: &TextValue) {
        match v {
            TextValue::Scalar(c) => {
                self.0.push(0);
                self.constant(c);
            }
            TextValue::Message(m) => {
                self.0.push(1);
                self.message(m);
            }
            TextValue::List(items, span) => {
                self.0.push(2);
                self.varint(items.len() as u64);
                for i in items {
                    self.text_value(i);
                }
                self.span(*span);
            }
        }
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn varint(&mut self) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
        }
        v
    }

    /// A length or count, bounded by what is left (so bad bytes cannot ask for a huge buffer).
    fn len(&mut self) -> usize {
        let n = self.varint();
        usize::try_from(n)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len().saturating_sub(self.pos))
    }

    fn bool(&mut self) -> bool {
        self.byte() != 0
    }

    fn span(&mut self) -> Span {
        let start = self.varint() as u32;
        let len = self.varint() as u32;
        Span {
            start,
            end: start.wrapping_add(len),
        }
    }

    fn bytes(&mut self) -> Vec<u8> {
        let n = self.len();
        let b = self
            .bytes
            .get(self.pos..self.pos + n)
            .unwrap_or_default()
            .to_vec();
        self.pos += n;
        b
    }

    fn string(&mut self) -> String {
        String::from_utf8(self.bytes()).unwrap_or_default()
    }

    fn ident(&mut self) -> Ident {
        let name = self.string();
        Ident {
            name,
            span: self.span(),
        }
    }

    fn full_ident(&mut self) -> FullIdent {
        let absolute = self.bool();
        let n = self.len();
        let parts = (0..n).map(|_| self.ident()).collect();
        FullIdent {
            absolute,
            parts,
            span: self.span(),
        }
    }

    fn option_name(&mut self) -> OptionName {
        let n = self.len();
        let parts = (0..n)
            .map(|_| match self.byte() {
                0 => OptionNamePart::Field(self.ident()),
                _ => {
                    let f = self.full_ident();
                    OptionNamePart::Extension(f, self.span())
                }
            })
            .collect();
        OptionName {
            parts,
            span: self.span(),
        }
    }

    fn assign(&mut self) -> OptionAssign {
        let len = self.len();
        let end = self.pos + len;
        let name = self.option_name();
        let value = self.constant();
        let span = self.span();
        self.pos = end;
        OptionAssign { name, value, span }
    }

    fn constant(&mut self) -> Constant {
        match self.byte() {
            CONST_IDENT => {
                let negative = self.bool();
                let name = self.full_ident();
                Constant::Ident {
                    negative,
                    name,
                    span: self.span(),
                }
            }
            CONST_INT => {
                let negative = self.bool();
                let value = match self.byte() {
                    0 => None,
                    _ => Some(self.varint()),
                };
                Constant::Int(IntLit {
                    negative,
                    value,
                    span: self.span(),
                })
            }
            CONST_FLOAT => {
                let negative = self.bool();
                let mut b = [0u8; 8];
                for x in &mut b {
                    *x = self.byte();
                }
                Constant::Float(FloatLit {
                    negative,
                    value: f64::from_bits(u64::from_le_bytes(b)),
                    span: self.span(),
                })
            }
            CONST_STRING => {
                let value = self.bytes();
                Constant::String(StringLit {
                    value,
                    span: self.span(),
                })
            }
            _ => Constant::Aggregate(self.message()),
        }
    }

    fn message(&mut self) -> MessageValue {
        let n = self.len();
        let fields = (0..n)
            .map(|_| {
                let name = match self.byte() {
                    0 => FieldValueName::Field(self.ident()),
                    1 => FieldValueName::Extension(self.full_ident()),
                    _ => {
                        let domain = self.string();
                        let type_name = self.full_ident();
                        FieldValueName::AnyType {
                            domain,
                            type_name,
                            span: self.span(),
                        }
                    }
                };
                let value = self.text_value();
                let colon = self.bool();
                FieldValue {
                    name,
                    value,
                    colon,
                    span: self.span(),
                }
            })
            .collect();
        MessageValue {
            fields,
            span: self.span(),
        }
    }

    fn text_value(&mut self) -> TextValue {
        match self.byte() {
            0 => TextValue::Scalar(self.constant()),
            1 => TextValue::Message(self.message()),
            _ => {
                let n = self.len();
                let items = (0..n).map(|_| self.text_value()).collect();
                TextValue::List(items, self.span())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_options(text: &str) -> Vec<OptionAssign> {
        let (file, errors) = crate::parse::parse(crate::source::FileId(0), text);
        assert!(errors.is_empty(), "{errors:?}");
        file.items
            .iter()
            .filter_map(|i| match i {
                crate::ast::FileItem::Option(o) => Some(o.option.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_kind_of_assignment_round_trips() {
        let assigns = parse_options(
            r#"syntax = "proto2";
option java_package = "a.b";
option (my.ext).field = -12;
option (.abs.ext) = 18446744073709551615;
option (big) = 99999999999999999999999;
option (f) = -1.5e300;
option (g) = -inf;
option (e) = FOO;
option (agg) = { a: 1 b { c: "x" } [ext.name]: 2 l: [1, 2] m: [{x: 1}, {}]
  [type.googleapis.com/pkg.Msg] { y: "z" } n < > };
option (plain) = { a: 1 b { c: "x" } l: [{x: 1}] };
"#,
        );
        assert_eq!(assigns.len(), 9);
        let mut bytes = Vec::new();
        pack(&assigns, &mut bytes);
        assert_eq!(unpack(&bytes), assigns);
        let names = names(&bytes);
        let expected: Vec<_> = assigns
            .iter()
            .map(|a| {
                let naming = matches!(&a.value, Constant::Aggregate(m) if names_inside(m));
                (a.name.clone(), naming)
            })
            .collect();
        assert_eq!(names, expected);
        // Only the aggregate that names an extension or an `Any` type inside counts.
        let naming: Vec<bool> = names.iter().map(|(_, n)| *n).collect();
        assert_eq!(naming, [false, false, false, false, false, false, false, true, false]);
    }

    #[test]
    fn bytes_it_did_not_write_give_a_tree() {
        for bytes in [&[0xff_u8; 12][..], &[3, 1, 0, 5], &[40, 2, 1, 9, 9]] {
            let _ = unpack(bytes);
            let _ = names(bytes);
        }
        assert!(unpack(&[]).is_empty());
    }
}
