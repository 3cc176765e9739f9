//! Numbers: field numbers, extension and reserved ranges, enum values, reserved names.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `FIELD_NUMBER_NOT_POSITIVE` | field number ≤ 0 | `BuildFieldOrExtension` |
//! | `FIELD_NUMBER_TOO_LARGE` | field number > 536870911 (extensions are bounded by their extendee's ranges instead) | `BuildFieldOrExtension` |
//! | `FIELD_NUMBER_IMPLEMENTATION_RESERVED` | a field or extension numbered 19000–19999 (a *range* spanning them is fine) | `command_line_interface.cc`, after building |
//! | `FIELD_NUMBER_DUPLICATE` | two fields of a message with one number | `CrossLinkField` (`AddFieldByNumber`) |
//! | `FIELD_IN_EXTENSION_RANGE` | a field inside the message's own extension range | `BuildMessage` |
//! | `FIELD_USES_RESERVED_NUMBER` / `FIELD_USES_RESERVED_NAME` | a field reusing a reserved number or name | `BuildMessage` |
//! | `RESERVED_NUMBER_NOT_POSITIVE`, `RESERVED_RANGE_INVERTED`, `RESERVED_RANGE_OVERLAP`, `RESERVED_NAME_DUPLICATE` | malformed `reserved` statements | `BuildReservedRange`, `BuildMessage` |
//! | `EXTENSION_NUMBER_NOT_POSITIVE`, `EXTENSION_RANGE_INVERTED`, `EXTENSION_NUMBER_TOO_LARGE`, `EXTENSION_RANGE_OVERLAP`, `EXTENSION_RANGE_OVERLAPS_RESERVED` | malformed `extensions` statements (the upper bound is 2147483646 for MessageSets) | `BuildExtensionRange`, `BuildMessage`, `ValidateExtensionRangeOptions` |
//! | `ENUM_EMPTY` | an enum without values (fields of it would have no default) | `BuildEnum` |
//! | `ENUM_VALUE_DUPLICATE` | two values with one number without `allow_alias` | `ValidateOptions(EnumDescriptor)` |
//! | `ENUM_ALLOW_ALIAS_UNUSED` / `ENUM_ALLOW_ALIAS_FALSE` | a no-op `allow_alias` option | `Parser::ValidateEnum` (parser.cc) |
//! | `ENUM_RESERVED_RANGE_INVERTED`, `ENUM_RESERVED_RANGE_OVERLAP`, `ENUM_RESERVED_NAME_DUPLICATE`, `ENUM_VALUE_USES_RESERVED_NUMBER`, `ENUM_VALUE_USES_RESERVED_NAME` | enum `reserved` statements and values breaking them (enum ranges are inclusive) | `BuildEnum` |

use std::collections::BTreeSet;

use foldhash::HashMap;

use prost_types::{DescriptorProto, EnumDescriptorProto};

use super::{
    list_numbers, qualify, sub, tag, Checker, EnumCx, FieldCx, FileCx, MessageCx,
    FIRST_RESERVED_NUMBER, LAST_RESERVED_NUMBER, MAX_FIELD_NUMBER,
};
use crate::diagnostics::Diagnostic;

/// The ranges of a list (inclusive bounds) that hold something (start not after end), with their
/// index in the list, by start.
fn by_start(ranges: impl Iterator<Item = (i64, i64)>) -> Vec<(i64, i64, usize)> {
    let mut sorted: Vec<(i64, i64, usize)> = ranges
        .enumerate()
        .filter(|(_, (lo, hi))| lo <= hi)
        .map(|(i, (lo, hi))| (lo, hi, i))
        .collect();
    sorted.sort_unstable();
    sorted
}

/// Ranges (inclusive bounds) indexed by start, with the running furthest end, so that "which range
/// holds this number" and "which range overlaps this one" are binary searches: a message or enum
/// with thousands of ranges and fields checks in `O(n log n)`, not `O(n²)`. Inverted ranges
/// (start after end) hold nothing; they are reported on their own.
struct RangeIndex {
    /// Range starts, ascending.
    starts: Vec<i64>,
    /// For each position of `starts`: the furthest end among the ranges up to it, and its range.
    reach: Vec<(i64, usize)>,
}

impl RangeIndex {
    fn new(ranges: impl Iterator<Item = (i64, i64)>) -> Self {
        let sorted = by_start(ranges);
        let mut reach = Vec::with_capacity(sorted.len());
        let mut best: Option<(i64, usize)> = None;
        for &(_, hi, i) in &sorted {
            if best.is_none_or(|(end, _)| hi > end) {
                best = Some((hi, i));
            }
            reach.extend(best);
        }
        RangeIndex {
            starts: sorted.iter().map(|r| r.0).collect(),
            reach,
        }
    }

    /// A range that overlaps `lo..=hi`: the one reaching furthest among those starting at or
    /// before `hi`.
    fn overlapping(&self, lo: i64, hi: i64) -> Option<usize> {
        let k = self.starts.partition_point(|&s| s <= hi);
        let (end, i) = *self.reach.get(k.checked_sub(1)?)?;
        (end >= lo).then_some(i)
    }

    /// A range that holds `n`.
    fn containing(&self, n: i64) -> Option<usize> {
        self.overlapping(n, n)
    }
}

/// The pairs of overlapping ranges (inclusive bounds) of one list, as (earlier, later) in
/// declaration order, each range named as the later one of at most a few pairs: one sweep in
/// order of start, each range against the one reaching furthest before it. A list of `n` ranges
/// gives at most `n` pairs, however many overlap, so hostile input cannot make `n²`
/// diagnostics. Two overlapping ranges give exactly protoc's pair.
fn overlapping_pairs(ranges: impl Iterator<Item = (i64, i64)>) -> Vec<(usize, usize)> {
    let sorted = by_start(ranges);
    let mut pairs = Vec::new();
    let mut reach: Option<(i64, usize)> = None;
    for &(lo, hi, i) in &sorted {
        if let Some((end, j)) = reach {
            if lo <= end {
                pairs.push((i.min(j), i.max(j)));
            }
        }
        if reach.is_none_or(|(end, _)| hi > end) {
            reach = Some((hi, i));
        }
    }
    pairs.sort_unstable_by_key(|&(earlier, later)| (later, earlier));
    pairs
}

/// How one kind of message range is named in the checks of its bounds: the codes and protoc's
/// messages for a start that is not positive and for an end before the start.
struct BoundWords {
    not_positive: (&'static str, &'static str),
    first_number: &'static str,
    inverted: (&'static str, &'static str),
}

const RESERVED_BOUNDS: BoundWords = BoundWords {
    not_positive: (
        "RESERVED_NUMBER_NOT_POSITIVE",
        "Reserved numbers must be positive integers.",
    ),
    first_number: "field numbers start at 1",
    inverted: (
        "RESERVED_RANGE_INVERTED",
        "Reserved range end number must be greater than start number.",
    ),
};

const EXTENSION_BOUNDS: BoundWords = BoundWords {
    not_positive: (
        "EXTENSION_NUMBER_NOT_POSITIVE",
        "Extension numbers must be positive integers.",
    ),
    first_number: "extension numbers start at 1",
    inverted: (
        "EXTENSION_RANGE_INVERTED",
        "Extension range end number must be greater than start number.",
    ),
};

/// A message range (at `path`, end exclusive) must start at a positive number and end after it.
fn check_bounds(
    ck: &mut Checker,
    f: &FileCx,
    path: &[i32],
    (start, end): (i32, i32),
    words: &BoundWords,
) {
    if start <= 0 {
        let (code, message) = words.not_positive;
        let at = f.span(&sub(path, &[tag::RANGE_START]));
        ck.push(
            Diagnostic::error(code, message)
                .at(f.id, at, "not positive")
                .help(words.first_number),
        );
    }
    if start >= end {
        let (code, message) = words.inverted;
        ck.push(
            Diagnostic::error(code, message)
                .at(f.id, f.span(path), "end is before start")
                .help("write the range as `low to high`"),
        );
    }
}

/// How one list of ranges is named in its overlap diagnostics.
struct RangeWords {
    code: &'static str,
    /// The message's first words: `Reserved range` or `Extension range`.
    noun: &'static str,
    here: &'static str,
    earlier: &'static str,
    help: &'static str,
}

const RESERVED_OVERLAPS: RangeWords = RangeWords {
    code: "RESERVED_RANGE_OVERLAP",
    noun: "Reserved range",
    here: "overlaps an earlier reserved range",
    earlier: "already reserved here",
    help: "reserve each number once: merge or shrink the ranges",
};

const EXTENSION_OVERLAPS: RangeWords = RangeWords {
    code: "EXTENSION_RANGE_OVERLAP",
    noun: "Extension range",
    here: "overlaps an earlier extension range",
    earlier: "already declared here",
    help: "merge or shrink the ranges",
};

const ENUM_RESERVED_OVERLAPS: RangeWords = RangeWords {
    code: "ENUM_RESERVED_RANGE_OVERLAP",
    help: "enum reserved ranges include both ends: merge or shrink them",
    ..RESERVED_OVERLAPS
};

/// What the reserved-name findings of fields or of enum values say.
struct NameWords {
    /// The code of a name reserved twice.
    duplicate: &'static str,
    /// The code of a name used though reserved.
    used: &'static str,
    /// protoc's word for the names: `Field name`, `Enum value`.
    what: &'static str,
    /// The help for a name used though reserved.
    rename: &'static str,
}

const FIELD_NAMES: NameWords = NameWords {
    duplicate: "RESERVED_NAME_DUPLICATE",
    used: "FIELD_USES_RESERVED_NAME",
    what: "Field name",
    rename: "rename the field (reserved names belong to deleted fields)",
};

const VALUE_NAMES: NameWords = NameWords {
    duplicate: "ENUM_RESERVED_NAME_DUPLICATE",
    used: "ENUM_VALUE_USES_RESERVED_NAME",
    what: "Enum value",
    rename: "rename the value (reserved names belong to deleted values)",
};

/// The names a message or an enum reserves (its `reserved_name` field `field`, at `path`), each
/// with the index of its first reservation.
struct ReservedNames<'n, 'p> {
    first: HashMap<&'n str, usize>,
    path: &'p [i32],
    field: i32,
    words: &'static NameWords,
}

impl<'n, 'p> ReservedNames<'n, 'p> {
    /// Indexes `names`, reporting each name reserved again.
    fn check(
        ck: &mut Checker,
        f: &FileCx,
        (path, field): (&'p [i32], i32),
        names: &'n [String],
        words: &'static NameWords,
    ) -> Self {
        let mut first: HashMap<&str, usize> = HashMap::default();
        for (k, name) in names.iter().enumerate() {
            let Some(&earlier) = first.get(name.as_str()) else {
                first.insert(name, k);
                continue;
            };
            let what = words.what;
            ck.push(
                Diagnostic::error(
                    words.duplicate,
                    format!("{what} \"{name}\" is reserved multiple times."),
                )
                .at(
                    f.id,
                    f.span(&sub(path, &[field, k as i32])),
                    "reserved again",
                )
                .also(
                    f.id,
                    f.span(&sub(path, &[field, earlier as i32])),
                    "first reserved here",
                )
                .help("remove the repeated name"),
            );
        }
        ReservedNames {
            first,
            path,
            field,
            words,
        }
    }

    /// Reports `name` (written at `name_path`) if it is reserved.
    fn check_use(&self, ck: &mut Checker, f: &FileCx, name: &str, name_path: &[i32]) {
        let Some(&k) = self.first.get(name) else {
            return;
        };
        let what = self.words.what;
        ck.push(
            Diagnostic::error(self.words.used, format!("{what} \"{name}\" is reserved."))
                .at(f.id, f.span(name_path), "this name is reserved")
                .also(
                    f.id,
                    f.span(&sub(self.path, &[self.field, k as i32])),
                    "reserved here",
                )
                .help(self.words.rename),
        );
    }
}

/// Reports the overlapping pairs of one list of ranges (inclusive bounds, as written), each
/// against the earlier one, in protoc's words ([`overlapping_pairs`]: at most one per range).
fn report_overlaps(
    ck: &mut Checker,
    f: &FileCx,
    ranges: &[(i64, i64)],
    path: impl Fn(usize) -> Vec<i32>,
    words: &RangeWords,
) {
    for (i, j) in overlapping_pairs(ranges.iter().copied()) {
        let ((lo1, hi1), (lo2, hi2)) = (ranges[i], ranges[j]);
        ck.push(
            Diagnostic::error(
                words.code,
                format!(
                    "{} {lo2} to {hi2} overlaps with already-defined range {lo1} to {hi1}.",
                    words.noun
                ),
            )
            .at(f.id, f.span(&path(j)), words.here)
            .also(f.id, f.span(&path(i)), words.earlier)
            .help(words.help),
        );
    }
}

/// The numbers an enum's values and reserved ranges take, merged into disjoint runs, for the
/// "next free value" hints: one binary search each, where walking up one number at a time took
/// seconds past a `reserved 5 to max`.
struct TakenValues(Vec<(i64, i64)>);

impl TakenValues {
    fn new(e: &EnumDescriptorProto) -> Self {
        let mut runs: Vec<(i64, i64)> = e
            .value
            .iter()
            .map(|v| (v.number() as i64, v.number() as i64))
            .chain(
                e.reserved_range
                    .iter()
                    .map(|r| (r.start() as i64, r.end() as i64)),
            )
            .filter(|(lo, hi)| lo <= hi)
            .collect();
        runs.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(runs.len());
        for (lo, hi) in runs {
            match merged.last_mut() {
                Some(last) if lo <= last.1 + 1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        TakenValues(merged)
    }

    /// The lowest number at or above `from` that no value uses and no range reserves (it may be
    /// past `i32::MAX`: then there is none).
    fn next_free(&self, from: i64) -> i64 {
        let k = self.0.partition_point(|&(lo, _)| lo <= from);
        match k.checked_sub(1).map(|k| self.0[k]) {
            Some((_, hi)) if hi >= from => hi + 1,
            _ => from,
        }
    }
}

/// The numbers `m`'s fields (with `extensions`, also the extensions declared inside it), its
/// reserved ranges and its extension ranges take, as inclusive bounds.
fn taken_numbers(m: &DescriptorProto, extensions: bool) -> impl Iterator<Item = (i64, i64)> + '_ {
    let extensions: &[_] = if extensions { &m.extension } else { &[] };
    let numbers = m.field.iter().chain(extensions).filter_map(|f| f.number);
    let reserved = m.reserved_range.iter().map(|r| (r.start(), r.end()));
    let ranges = m.extension_range.iter().map(|r| (r.start(), r.end()));
    numbers.map(|n| (n as i64, n as i64)).chain(
        reserved
            .chain(ranges)
            .map(|(start, end)| (start as i64, end as i64 - 1)),
    )
}

/// The lowest `count` numbers a new field of `m` could use: not taken by a field, an extension
/// declared inside it, a reserved or extension range, or 19000–19999.
pub fn free_field_numbers(m: &DescriptorProto, count: usize) -> Vec<i64> {
    let mut used: Vec<(i64, i64)> = taken_numbers(m, true).collect(); // inclusive
    used.push((FIRST_RESERVED_NUMBER as i64, LAST_RESERVED_NUMBER as i64));
    used.sort();
    let mut out = Vec::new();
    let mut next = 1i64;
    let mut i = 0;
    while out.len() < count && next <= MAX_FIELD_NUMBER as i64 {
        while i < used.len() && used[i].1 < next {
            i += 1;
        }
        if i < used.len() && used[i].0 <= next {
            next = used[i].1 + 1;
            continue;
        }
        out.push(next);
        next += 1;
    }
    out
}

/// protoc's "Next available field number is N" (the lowest number above every run of used
/// numbers starting at 1).
fn next_available(m: &DescriptorProto) -> Option<i64> {
    let used: BTreeSet<(i64, i64)> = taken_numbers(m, false).collect();
    let mut proposed = 1i64;
    for (start, end) in used {
        if start <= proposed && proposed <= end {
            proposed = end + 1;
        } else {
            break;
        }
    }
    (proposed <= MAX_FIELD_NUMBER as i64).then_some(proposed)
}

/// [`free_numbers_help`] and [`next_available`] per message full name, so a message with
/// thousands of bad numbers costs linear time, not quadratic.
#[derive(Debug, Default)]
pub(crate) struct FreeNumbers {
    help: HashMap<String, String>,
    next: HashMap<String, Option<i64>>,
}

impl FreeNumbers {
    fn help(&mut self, m: &DescriptorProto, full_name: &str) -> String {
        self.help
            .entry(full_name.to_string())
            .or_insert_with(|| free_numbers_help(m, full_name))
            .clone()
    }

    fn next(&mut self, m: &DescriptorProto, full_name: &str) -> Option<i64> {
        *self
            .next
            .entry(full_name.to_string())
            .or_insert_with(|| next_available(m))
    }
}

/// A help line naming the next free field numbers of a message.
pub fn free_numbers_help(m: &DescriptorProto, full_name: &str) -> String {
    let free = free_field_numbers(m, 3);
    if free.is_empty() {
        format!("{full_name} has no free field numbers left")
    } else {
        format!(
            "the next free field numbers in {full_name} are {}",
            list_numbers(&free)
        )
    }
}

/// `a to b` for a range with exclusive end, as written.
fn range_text(start: i32, end_exclusive: i32) -> String {
    let end = end_exclusive as i64 - 1;
    if end == start as i64 {
        start.to_string()
    } else {
        format!("{start} to {end}")
    }
}

/// Rules on one field or extension's own number.
pub(crate) fn check_field(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    let Some(n) = fx.field.number else { return };
    // Where the number was written: only looked up for a diagnostic.
    let at = || f.span(&fx.at(tag::FIELD_NUMBER));
    let what = if fx.is_extension {
        "extension"
    } else {
        "field"
    };
    if n <= 0 {
        let mut d = Diagnostic::error(
            "FIELD_NUMBER_NOT_POSITIVE",
            "Field numbers must be positive integers.",
        )
        .at(f.id, at(), format!("{what} number {n} is not positive"));
        if let (Some(m), false) = (fx.parent, fx.is_extension) {
            d = d.help(ck.free_numbers.help(m, fx.parent_name));
        }
        ck.push(d);
    } else if !fx.is_extension && n > MAX_FIELD_NUMBER {
        let m = fx.parent.expect("fields have a parent");
        let help = ck.free_numbers.help(m, fx.parent_name);
        ck.push(
            Diagnostic::error(
                "FIELD_NUMBER_TOO_LARGE",
                format!("Field numbers cannot be greater than {MAX_FIELD_NUMBER}."),
            )
            .at(f.id, at(), format!("{n} is too large"))
            .help(help),
        );
    } else if (FIRST_RESERVED_NUMBER..=LAST_RESERVED_NUMBER).contains(&n) {
        let mut d = Diagnostic::error(
            "FIELD_NUMBER_IMPLEMENTATION_RESERVED",
            format!(
                "Field numbers {FIRST_RESERVED_NUMBER} through {LAST_RESERVED_NUMBER} are \
                 reserved for the protocol buffer library implementation."
            ),
        )
        .at(f.id, at(), format!("{what} number {n} is reserved"));
        d = match (fx.parent, fx.is_extension) {
            (Some(m), false) => d.help(ck.free_numbers.help(m, fx.parent_name)),
            _ => d.help(format!(
                "use a number below {FIRST_RESERVED_NUMBER} or above {LAST_RESERVED_NUMBER}"
            )),
        };
        ck.push(d);
    }
}

/// Rules on a message's ranges, reserved names and field numbers.
pub(crate) fn check_message(ck: &mut Checker, f: &FileCx, mx: &MessageCx) {
    let (m, path, full_name) = (mx.proto, mx.path, mx.full_name);
    let rpath = |i: usize| sub(path, &[tag::MSG_RESERVED_RANGE, i as i32]);
    let xpath = |i: usize| sub(path, &[tag::MSG_EXT_RANGE, i as i32]);
    let fpath = |i: usize, c: i32| sub(path, &[tag::MSG_FIELD, i as i32, c]);

    // Reserved ranges.
    for (i, r) in m.reserved_range.iter().enumerate() {
        check_bounds(ck, f, &rpath(i), (r.start(), r.end()), &RESERVED_BOUNDS);
    }
    let exclusive =
        |r: &prost_types::descriptor_proto::ReservedRange| (r.start() as i64, r.end() as i64 - 1);
    let reserved_bounds: Vec<(i64, i64)> = m.reserved_range.iter().map(exclusive).collect();
    report_overlaps(ck, f, &reserved_bounds, rpath, &RESERVED_OVERLAPS);

    // Reserved names.
    let names_at = (path, tag::MSG_RESERVED_NAME);
    let reserved_names = ReservedNames::check(ck, f, names_at, &m.reserved_name, &FIELD_NAMES);

    // Extension ranges.
    let max_ext = if m
        .options
        .as_ref()
        .and_then(|o| o.message_set_wire_format)
        .unwrap_or(false)
    {
        i32::MAX as i64 - 1
    } else {
        MAX_FIELD_NUMBER as i64
    };
    let reserved = RangeIndex::new(reserved_bounds.iter().copied());
    for (i, r) in m.extension_range.iter().enumerate() {
        check_bounds(ck, f, &xpath(i), (r.start(), r.end()), &EXTENSION_BOUNDS);
        if r.end() as i64 > max_ext + 1 {
            ck.push(
                Diagnostic::error(
                    "EXTENSION_NUMBER_TOO_LARGE",
                    format!("Extension numbers cannot be greater than {max_ext}."),
                )
                .at(
                    f.id,
                    f.span(&sub(&xpath(i), &[tag::RANGE_END])),
                    "too large",
                )
                .help("end the range at `max`"),
            );
        }
        if let Some(j) = reserved.overlapping(r.start() as i64, r.end() as i64 - 1) {
            let res = &m.reserved_range[j];
            ck.push(
                Diagnostic::error(
                    "EXTENSION_RANGE_OVERLAPS_RESERVED",
                    format!(
                        "Extension range {} to {} overlaps with reserved range {} to {}.",
                        r.start(),
                        r.end() as i64 - 1,
                        res.start(),
                        res.end() as i64 - 1
                    ),
                )
                .at(f.id, f.span(&xpath(i)), "overlaps a reserved range")
                .also(f.id, f.span(&rpath(j)), "reserved here")
                .help("a number is either reserved or open to extensions, not both"),
            );
        }
    }
    let extension_bounds: Vec<(i64, i64)> = m
        .extension_range
        .iter()
        .map(|r| (r.start() as i64, r.end() as i64 - 1))
        .collect();
    report_overlaps(ck, f, &extension_bounds, xpath, &EXTENSION_OVERLAPS);

    // Fields against ranges, reserved names, and each other.
    // The first field to use each positive number: searched among the earlier fields of a
    // small message, through a map in a large one.
    let mut by_number: HashMap<i32, usize> = HashMap::default();
    let small = m.field.len() <= 16;
    if !small {
        by_number.reserve(m.field.len());
    }
    let extensions = RangeIndex::new(extension_bounds.iter().copied());
    for (i, field) in m.field.iter().enumerate() {
        let name = field.name.as_deref().unwrap_or("");
        let Some(n) = field.number else { continue };
        if let Some(j) = extensions.containing(n as i64) {
            let r = &m.extension_range[j];
            let help = ck.free_numbers.help(m, full_name);
            ck.push(
                Diagnostic::error(
                    "FIELD_IN_EXTENSION_RANGE",
                    format!(
                        "Extension range {} to {} includes field \"{name}\" ({n}).",
                        r.start(),
                        r.end() as i64 - 1
                    ),
                )
                .at(f.id, f.span(&xpath(j)), format!("includes field `{name}`"))
                .also(
                    f.id,
                    f.span(&fpath(i, tag::FIELD_NUMBER)),
                    "field number here",
                )
                .help(help),
            );
        }
        if let Some(j) = reserved.containing(n as i64) {
            let r = &m.reserved_range[j];
            let help = ck.free_numbers.help(m, full_name);
            ck.push(
                Diagnostic::error(
                    "FIELD_USES_RESERVED_NUMBER",
                    format!("Field \"{name}\" uses reserved number {n}."),
                )
                .at(
                    f.id,
                    f.span(&fpath(i, tag::FIELD_NUMBER)),
                    format!("{n} is reserved"),
                )
                .also(
                    f.id,
                    f.span(&rpath(j)),
                    format!("reserved here ({})", range_text(r.start(), r.end())),
                )
                .help(help),
            );
        }
        reserved_names.check_use(ck, f, name, &fpath(i, tag::FIELD_NAME));
        let first = if small {
            (n > 0)
                .then(|| m.field[..i].iter().position(|x| x.number == Some(n)))
                .flatten()
        } else {
            by_number.get(&n).copied()
        };
        if let Some(first) = first {
            let first_name = m.field[first].name.as_deref().unwrap_or("");
            let help = ck.free_numbers.help(m, full_name);
            let next = match ck.free_numbers.next(m, full_name) {
                Some(x) => format!("Next available field number is {x}."),
                None => "There are no available field numbers.".to_string(),
            };
            ck.push(
                Diagnostic::error(
                    "FIELD_NUMBER_DUPLICATE",
                    format!(
                        "Field number {n} has already been used in \"{full_name}\" by field \
                         \"{first_name}\". {next}"
                    ),
                )
                .at(
                    f.id,
                    f.span(&fpath(i, tag::FIELD_NUMBER)),
                    "number already used",
                )
                .also(
                    f.id,
                    f.span(&fpath(first, tag::FIELD_NUMBER)),
                    format!("first used here by `{first_name}`"),
                )
                .help(help),
            );
        } else if n > 0 && !small {
            by_number.insert(n, i);
        }
    }
}

/// Rules on an enum's values, ranges, names and aliases.
pub(crate) fn check_enum(ck: &mut Checker, f: &FileCx, ex: &EnumCx) {
    let (e, path, scope) = (ex.proto, ex.path, ex.scope);
    let name = e.name.as_deref().unwrap_or("");
    let vpath = |i: usize, c: i32| sub(path, &[tag::ENUM_VALUE, i as i32, c]);
    let rpath = |i: usize| sub(path, &[tag::ENUM_RESERVED_RANGE, i as i32]);

    if e.value.is_empty() {
        ck.push(
            Diagnostic::error("ENUM_EMPTY", "Enums must contain at least one value.")
                .at(f.id, f.span(&sub(path, &[tag::ENUM_NAME])), "no values")
                .help(format!(
                    "add a value: fields of `{name}` take their default from the first one"
                )),
        );
    }

    for (i, r) in e.reserved_range.iter().enumerate() {
        if r.start() > r.end() {
            ck.push(
                Diagnostic::error(
                    "ENUM_RESERVED_RANGE_INVERTED",
                    "Reserved range end number must be greater than start number.",
                )
                .at(f.id, f.span(&rpath(i)), "end is before start")
                .help("write the range as `low to high`"),
            );
        }
    }
    let reserved_bounds: Vec<(i64, i64)> = e
        .reserved_range
        .iter()
        .map(|r| (r.start() as i64, r.end() as i64))
        .collect();
    report_overlaps(ck, f, &reserved_bounds, rpath, &ENUM_RESERVED_OVERLAPS);

    let names_at = (path, tag::ENUM_RESERVED_NAME);
    let reserved_names = ReservedNames::check(ck, f, names_at, &e.reserved_name, &VALUE_NAMES);

    // Built on the first error that needs a hint; most enums never do.
    let mut taken: Option<TakenValues> = None;
    let mut free_value = |from: i64| {
        taken
            .get_or_insert_with(|| TakenValues::new(e))
            .next_free(from)
    };
    let reserved = RangeIndex::new(reserved_bounds.iter().copied());

    for (i, v) in e.value.iter().enumerate() {
        let vname = v.name.as_deref().unwrap_or("");
        let n = v.number();
        if let Some(j) = reserved.containing(n as i64) {
            let next = free_value(n as i64);
            let help = if next <= i32::MAX as i64 {
                format!("the next free value is {next}")
            } else {
                format!("no value above {n} is free: use a lower one")
            };
            ck.push(
                Diagnostic::error(
                    "ENUM_VALUE_USES_RESERVED_NUMBER",
                    format!("Enum value \"{vname}\" uses reserved number {n}."),
                )
                .at(
                    f.id,
                    f.span(&vpath(i, tag::VALUE_NUMBER)),
                    format!("{n} is reserved"),
                )
                .also(f.id, f.span(&rpath(j)), "reserved here")
                .help(help),
            );
        }
        reserved_names.check_use(ck, f, vname, &vpath(i, tag::VALUE_NAME));
    }

    // Aliases.
    let allow_alias = e.options.as_ref().and_then(|o| o.allow_alias);
    let alias_opt = sub(path, &[tag::ENUM_OPTIONS, tag::ENUM_OPT_ALLOW_ALIAS]);
    let mut first_by_number: HashMap<i32, usize> = HashMap::default();
    let mut has_alias = false;
    for (i, v) in e.value.iter().enumerate() {
        let n = v.number();
        if let Some(&first) = first_by_number.get(&n) {
            has_alias = true;
            if allow_alias != Some(true) {
                let this = qualify(scope, v.name.as_deref().unwrap_or(""));
                let that_simple = e.value[first].name.as_deref().unwrap_or("");
                let that = qualify(scope, that_simple);
                let next = free_value(n as i64 + 1);
                let mut msg = format!(
                    "\"{this}\" uses the same enum value as \"{that}\". If this is intended, set \
                     'option allow_alias = true;' to the enum definition."
                );
                if next < i32::MAX as i64 {
                    msg.push_str(&format!(" The next available enum value is {next}."));
                }
                ck.push(
                    Diagnostic::error("ENUM_VALUE_DUPLICATE", msg)
                        .at(
                            f.id,
                            f.span(&vpath(i, tag::VALUE_NUMBER)),
                            format!("{n} is already used"),
                        )
                        .also(
                            f.id,
                            f.span(&vpath(first, tag::VALUE_NUMBER)),
                            format!("first used here by `{that_simple}`"),
                        )
                        .help(format!(
                            "use a free number ({next}), or add `option allow_alias = true;` to \
                             `{name}` if both names are meant to share it"
                        )),
                );
            }
        } else {
            first_by_number.insert(n, i);
        }
    }
    match allow_alias {
        Some(false) => ck.push(
            Diagnostic::error(
                "ENUM_ALLOW_ALIAS_FALSE",
                format!(
                    "\"{name}\" declares 'option allow_alias = false;' which has no effect. \
                     Please remove the declaration."
                ),
            )
            .at(f.id, f.span(&alias_opt), "has no effect")
            .help("remove the option: aliases are disallowed by default"),
        ),
        Some(true) if !has_alias && !e.value.is_empty() => ck.push(
            Diagnostic::error(
                "ENUM_ALLOW_ALIAS_UNUSED",
                format!(
                    "\"{name}\" declares support for enum aliases but no enum values share field \
                     numbers. Please remove the unnecessary 'option allow_alias = true;' \
                     declaration."
                ),
            )
            .at(f.id, f.span(&alias_opt), "no two values share a number")
            .help("remove the option"),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every list of up to three ranges over 0..6 (inverted ones included), as inclusive bounds.
    fn all_lists() -> Vec<Vec<(i64, i64)>> {
        let ranges: Vec<(i64, i64)> = (0..6)
            .flat_map(|lo| (0..6).map(move |hi| (lo, hi)))
            .collect();
        let mut lists = vec![vec![]];
        for len in 1..=3 {
            let mut next = Vec::new();
            for l in lists.iter().filter(|l| l.len() == len - 1) {
                for &r in &ranges {
                    let mut l = l.clone();
                    l.push(r);
                    next.push(l);
                }
            }
            lists.extend(next);
        }
        lists
    }

    fn overlap(a: (i64, i64), b: (i64, i64)) -> bool {
        a.0 <= a.1 && b.0 <= b.1 && a.0 <= b.1 && b.0 <= a.1
    }

    #[test]
    fn range_index_finds_a_holding_or_overlapping_range_exactly_when_one_exists() {
        for list in all_lists() {
            let index = RangeIndex::new(list.iter().copied());
            for lo in -1..7 {
                for hi in lo..7 {
                    let found = index.overlapping(lo, hi);
                    let any = list.iter().any(|&r| overlap(r, (lo, hi)));
                    assert_eq!(found.is_some(), any, "{list:?} against {lo}..={hi}");
                    if let Some(i) = found {
                        assert!(overlap(list[i], (lo, hi)), "{list:?}: {i}");
                    }
                }
            }
        }
    }

    #[test]
    fn overlapping_pairs_are_real_bounded_and_cover_every_overlap() {
        for list in all_lists() {
            let pairs = overlapping_pairs(list.iter().copied());
            assert!(pairs.len() <= list.len());
            for &(i, j) in &pairs {
                assert!(i < j && overlap(list[i], list[j]), "{list:?}: {i}, {j}");
            }
            let any =
                (0..list.len()).any(|i| (i + 1..list.len()).any(|j| overlap(list[i], list[j])));
            assert_eq!(!pairs.is_empty(), any, "{list:?}");
            if list.len() == 2 && any {
                assert_eq!(pairs, [(0, 1)], "two ranges give protoc's one pair");
            }
        }
    }

    #[test]
    fn next_free_value_skips_values_and_reserved_ranges() {
        let e = EnumDescriptorProto {
            value: [0, 1, 2, 7]
                .iter()
                .map(|&n| prost_types::EnumValueDescriptorProto {
                    number: Some(n),
                    ..Default::default()
                })
                .collect(),
            reserved_range: vec![
                prost_types::enum_descriptor_proto::EnumReservedRange {
                    start: Some(3),
                    end: Some(5),
                },
                prost_types::enum_descriptor_proto::EnumReservedRange {
                    start: Some(9),
                    end: Some(i32::MAX),
                },
            ],
            ..Default::default()
        };
        let taken = TakenValues::new(&e);
        let expect = [(-3, -3), (0, 6), (4, 6), (6, 6), (7, 8), (8, 8)];
        for (from, next) in expect {
            assert_eq!(taken.next_free(from), next, "from {from}");
        }
        assert_eq!(taken.next_free(9), i32::MAX as i64 + 1, "none left");
    }
}
