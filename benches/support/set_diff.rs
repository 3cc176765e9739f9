//! Where two encoded `FileDescriptorSet`s differ, for the benchmark's report: how many files one
//! tool wrote byte for byte as the reference tool did, and for the others, which descriptor
//! fields differ (`message_type.options.50001`), counted in files.
//!
//! It reads the wire format directly (no descriptor library), borrowing from the two buffers,
//! so that comparing the large sets does not grow the harness: its peak memory is counted into
//! the children it starts afterwards.

use std::collections::{BTreeMap, BTreeSet};

/// How a set compares with the reference set.
pub struct SetDiff {
    /// The two encodings are the same bytes.
    pub identical: bool,
    /// Files of the reference set written byte for byte the same.
    pub same_files: usize,
    /// Files in the reference set.
    pub files: usize,
    /// Files of the reference set missing from the other set.
    pub missing: usize,
    /// For each path of a differing descriptor field, the number of files where it differs.
    pub paths: BTreeMap<String, usize>,
    /// The names of the first few files that differ.
    pub differing: Vec<String>,
    /// How many files differ (present in both).
    pub differing_count: usize,
}

/// At most this many differing files are named.
const NAMED: usize = 3;

impl SetDiff {
    /// A one-line summary: `"yes"`, or the count of equal files, the first differing files and
    /// the `most` frequent paths where they differ.
    pub fn summary(&self, most: usize) -> String {
        if self.identical {
            return "yes".to_string();
        }
        let mut s = format!(
            "**no**: {} of {} files the same",
            self.same_files, self.files
        );
        if self.missing > 0 {
            s += &format!(", {} missing", self.missing);
        }
        if !self.differing.is_empty() {
            let named: Vec<String> = self.differing.iter().map(|n| format!("`{n}`")).collect();
            s += &format!("; differing: {}", named.join(", "));
            if self.differing_count > self.differing.len() {
                s += &format!(" and {} more", self.differing_count - self.differing.len());
            }
        }
        let mut paths: Vec<(&String, &usize)> = self.paths.iter().collect();
        paths.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        if !paths.is_empty() {
            let shown: Vec<String> = paths
                .iter()
                .take(most)
                .map(|(p, n)| format!("`{p}` ({n})"))
                .collect();
            s += &format!("; in {}", shown.join(", "));
            if paths.len() > most {
                s += &format!(" and {} more paths", paths.len() - most);
            }
        }
        s
    }
}

/// Compares `other` with `reference`, file by file (by name).
pub fn compare(reference: &[u8], other: &[u8]) -> SetDiff {
    let ours = by_name(other);
    let theirs = by_name(reference);
    let mut d = SetDiff {
        identical: reference == other,
        same_files: 0,
        files: theirs.len(),
        missing: 0,
        paths: BTreeMap::new(),
        differing: Vec::new(),
        differing_count: 0,
    };
    for (name, file) in &theirs {
        match ours.get(name) {
            None => d.missing += 1,
            Some(o) if o == file => d.same_files += 1,
            Some(o) => {
                d.differing_count += 1;
                if d.differing.len() < NAMED {
                    d.differing.push(String::from_utf8_lossy(name).into_owned());
                }
                let mut paths = BTreeSet::new();
                diff(file, o, Kind::File, "", &mut paths);
                for p in paths {
                    *d.paths.entry(p).or_default() += 1;
                }
            }
        }
    }
    d
}

/// The files of an encoded set by name.
fn by_name(set: &[u8]) -> BTreeMap<&[u8], &[u8]> {
    let mut files = BTreeMap::new();
    for (n, file) in fields(set).unwrap_or_default() {
        if n != 1 {
            continue;
        }
        let name = fields(file)
            .and_then(|f| f.into_iter().find(|&(n, _)| n == 1))
            .map_or(&b""[..], |(_, v)| v);
        files.insert(name, file);
    }
    files
}

/// The fields of a protobuf message as (number, raw value: the payload of length-delimited
/// fields, the encoded bytes of the others), in order; `None` if malformed.
pub(crate) fn fields(mut b: &[u8]) -> Option<Vec<(u64, &[u8])>> {
    fn varint(b: &mut &[u8]) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = b.split_first()?;
            *b = rest;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(v);
            }
        }
        None
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let tag = varint(&mut b)?;
        let start = b;
        let value = match tag & 7 {
            0 => {
                varint(&mut b)?;
                &start[..start.len() - b.len()]
            }
            1 => {
                b = b.get(8..)?;
                &start[..8]
            }
            5 => {
                b = b.get(4..)?;
                &start[..4]
            }
            2 => {
                let len = usize::try_from(varint(&mut b)?).ok()?;
                let v = b.get(..len)?;
                b = &b[len..];
                v
            }
            _ => return None,
        };
        if tag >> 3 == 0 {
            return None;
        }
        out.push((tag >> 3, value));
    }
    Some(out)
}

/// What a descriptor message is, to name its fields and know which ones to descend into.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    File,
    Message,
    Field,
    Enum,
    EnumValue,
    Service,
    Method,
    /// Any `*Options`: its fields are named by number (custom options are what differ).
    Options,
    /// Not descended into.
    Leaf,
}

/// The name and kind of field `n` of a `kind` message.
fn child(kind: Kind, n: u64) -> (String, Kind) {
    use Kind::*;
    let named = |name: &str, k: Kind| (name.to_string(), k);
    match (kind, n) {
        (File, 1) => named("name", Leaf),
        (File, 2) => named("package", Leaf),
        (File, 3) => named("dependency", Leaf),
        (File, 4) => named("message_type", Message),
        (File, 5) => named("enum_type", Enum),
        (File, 6) => named("service", Service),
        (File, 7) => named("extension", Field),
        (File, 8) => named("options", Options),
        (File, 9) => named("source_code_info", Leaf),
        (File, 10) => named("public_dependency", Leaf),
        (File, 12) => named("syntax", Leaf),
        (File, 14) => named("edition", Leaf),
        (Message, 1) => named("name", Leaf),
        (Message, 2) => named("field", Field),
        (Message, 3) => named("nested_type", Message),
        (Message, 4) => named("enum_type", Enum),
        (Message, 5) => named("extension_range", Leaf),
        (Message, 6) => named("extension", Field),
        (Message, 7) => named("options", Options),
        (Message, 8) => named("oneof_decl", Leaf),
        (Message, 9) => named("reserved_range", Leaf),
        (Message, 10) => named("reserved_name", Leaf),
        (Field, 1) => named("name", Leaf),
        (Field, 2) => named("extendee", Leaf),
        (Field, 3) => named("number", Leaf),
        (Field, 4) => named("label", Leaf),
        (Field, 5) => named("type", Leaf),
        (Field, 6) => named("type_name", Leaf),
        (Field, 7) => named("default_value", Leaf),
        (Field, 8) => named("options", Options),
        (Field, 9) => named("oneof_index", Leaf),
        (Field, 10) => named("json_name", Leaf),
        (Field, 17) => named("proto3_optional", Leaf),
        (Enum, 1) => named("name", Leaf),
        (Enum, 2) => named("value", EnumValue),
        (Enum, 3) => named("options", Options),
        (EnumValue, 1) => named("name", Leaf),
        (EnumValue, 2) => named("number", Leaf),
        (EnumValue, 3) => named("options", Options),
        (Service, 1) => named("name", Leaf),
        (Service, 2) => named("method", Method),
        (Service, 3) => named("options", Options),
        (Method, 1) => named("name", Leaf),
        (Method, 2) => named("input_type", Leaf),
        (Method, 3) => named("output_type", Leaf),
        (Method, 4) => named("options", Options),
        _ => (n.to_string(), Leaf),
    }
}

/// Adds to `out` the path of every field where the `kind` messages `a` and `b` differ,
/// descending into descriptor messages that occur as often in both.
fn diff(a: &[u8], b: &[u8], kind: Kind, prefix: &str, out: &mut BTreeSet<String>) {
    let (Some(fa), Some(fb)) = (fields(a), fields(b)) else {
        out.insert(format!("{prefix}(malformed)"));
        return;
    };
    let (ga, gb) = (group_fields(fa), group_fields(fb));
    let numbers: BTreeSet<u64> = ga.keys().chain(gb.keys()).copied().collect();
    let empty = Vec::new();
    let mut order_only = true;
    for n in numbers {
        let (va, vb) = (ga.get(&n).unwrap_or(&empty), gb.get(&n).unwrap_or(&empty));
        if va == vb {
            continue;
        }
        order_only = false;
        let (name, sub) = child(kind, n);
        let path = format!("{prefix}{name}");
        if sub != Kind::Leaf && va.len() == vb.len() {
            for (x, y) in va.iter().zip(vb) {
                if x != y {
                    diff(x, y, sub, &format!("{path}."), out);
                }
            }
        } else {
            out.insert(path);
        }
    }
    if order_only && a != b {
        // The same fields with the same values, written in another order.
        out.insert(format!("{prefix}(field order)"));
    }
}

/// The values of each field number, in order.
fn group_fields(f: Vec<(u64, &[u8])>) -> BTreeMap<u64, Vec<&[u8]>> {
    let mut m: BTreeMap<u64, Vec<&[u8]>> = BTreeMap::new();
    for (n, v) in f {
        m.entry(n).or_default().push(v);
    }
    m
}
