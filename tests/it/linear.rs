//! Memory that grows with the input, never faster: each hostile shape is compiled at two sizes,
//! and the peak of live heap bytes (counted by this binary's allocator, not timed) must grow no
//! faster than the input. A stage that keeps something per pair of files, ranges or statements
//! fails here at once: 4× the input would take 16× the memory.
//!
//! Broken input besides costs a bounded amount of heap and allocations per input byte.
//!
//! One test runs the shapes one after another, so that no other test's allocations mix in.

use crate::support::soup;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use iprotoc::compile::{compile, Options};
use iprotoc::MemoryResolver;

/// The system allocator, counting the bytes live now and the most live since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const P2: &str = "syntax = \"proto2\";\n";

/// The peak heap bytes above what was live before, while compiling `files` (name, text), the
/// inputs being every file whose name starts with `in`.
fn peak_of(files: &[(String, String)]) -> usize {
    let mut resolver = MemoryResolver::new();
    for (name, text) in files {
        resolver.add(name, text.as_bytes().to_vec());
    }
    let inputs: Vec<String> = files
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.starts_with("in"))
        .collect();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = compile(&resolver, &inputs, &Options::default());
    let peak = PEAK.load(Ordering::Relaxed) - before;
    drop(out);
    peak
}

/// Many files, each importing one shared file: what each file can see was a row of a matrix
/// over all files.
fn files_importing_one(n: usize) -> Vec<(String, String)> {
    let mut files = vec![(
        "common.proto".to_string(),
        format!("{P2}package c;\nmessage Shared {{}}\n"),
    )];
    for i in 0..n {
        files.push((
            format!("in{i}.proto"),
            format!(
                "{P2}package p{i};\nimport \"common.proto\";\nmessage M {{ optional c.Shared s = 1; }}\n"
            ),
        ));
    }
    files
}

/// One file whose message has `n` overlapping reserved ranges: every pair was a diagnostic.
fn overlapping_ranges(n: usize) -> Vec<(String, String)> {
    let body = "reserved 1 to 1000;\n".repeat(n);
    vec![("in.proto".into(), format!("{P2}message A {{\n{body}}}\n"))]
}

/// One file of `n` lone `;`: each was a statement of the tree.
fn semicolons(n: usize) -> Vec<(String, String)> {
    vec![("in.proto".into(), format!("{P2}{}", ";".repeat(n)))]
}

/// An enum whose values all collide: each duplicate's hint searched upwards value by value.
fn duplicate_enum_values(n: usize) -> Vec<(String, String)> {
    let values: String = (0..n).map(|i| format!("V{i} = 1;\n")).collect();
    vec![(
        "in.proto".into(),
        format!("{P2}enum E {{\nZERO = 0;\n{values}}}\n"),
    )]
}

/// One file of `n` stray `}`: each was a syntax error kept with its expected-token list.
fn closing_braces(n: usize) -> Vec<(String, String)> {
    vec![("in.proto".into(), format!("{P2}{}", "}".repeat(n)))]
}

/// `n` broken statements inside 120 nested messages: each error looked at the whole stack.
fn deep_broken_statements(n: usize) -> Vec<(String, String)> {
    vec![(
        "in.proto".into(),
        format!("{P2}{}{}", "message A {".repeat(120), "= ;".repeat(n)),
    )]
}

/// `n` tokens dropped by one recovery inside 120 nested messages.
fn deep_dropped_tokens(n: usize) -> Vec<(String, String)> {
    vec![(
        "in.proto".into(),
        format!("{P2}{}{}", "message A {".repeat(120), "= ".repeat(n)),
    )]
}

/// `n` block comments that each open another: one lexical error per five bytes.
fn nested_comment_starts(n: usize) -> Vec<(String, String)> {
    vec![("in.proto".into(), format!("{P2}{}", "/*/**/".repeat(n)))]
}

/// About `n` bytes of broken token soup ([`soup::token_soup`]).
fn token_soup(n: usize) -> Vec<(String, String)> {
    let text = format!("{P2}{}", soup::token_soup(0x9e37_79b9_7f4a_7c15, n));
    vec![("in.proto".into(), text)]
}

/// Broken input costs a bounded amount per input byte: at most 64 bytes of peak heap and one
/// allocation. Kept syntax
/// errors cost about 1 KB and 20 allocations each, so a file of stray `}` took ~900 bytes of heap
/// per byte before at most [`iprotoc::parse::MAX_SYNTAX_ERRORS`] + 1 were kept; and each token
/// dropped by recovery inside 120 nested messages cost ~120 allocations before the grammar parsed
/// the skipped tokens itself.
fn broken_input_costs_a_bounded_amount_per_byte() {
    type Shape = fn(usize) -> Vec<(String, String)>;
    let shapes: [(&str, Shape, usize); 5] = [
        ("closing braces", closing_braces, 200_000),
        ("deep broken statements", deep_broken_statements, 60_000),
        ("deep dropped tokens", deep_dropped_tokens, 100_000),
        ("nested comment starts", nested_comment_starts, 40_000),
        ("token soup", token_soup, 700_000),
    ];
    let mut report = Vec::new();
    for (name, shape, n) in shapes {
        let files = shape(n);
        let bytes: usize = files.iter().map(|f| f.1.len()).sum();
        let allocs_before = ALLOCS.load(Ordering::Relaxed);
        let peak = peak_of(&files);
        let allocs = ALLOCS.load(Ordering::Relaxed) - allocs_before;
        report.push(format!(
            "{name}: {bytes} B in, peak {peak} B ({:.1}/B), {allocs} allocations ({:.3}/B)",
            peak as f64 / bytes as f64,
            allocs as f64 / bytes as f64
        ));
        assert!(
            peak <= 64 * bytes && allocs <= bytes,
            "broken input costs too much:\n{}",
            report.join("\n")
        );
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn memory_grows_linearly_with_every_hostile_shape() {
    type Shape = fn(usize) -> Vec<(String, String)>;
    let shapes: [(&str, Shape, usize); 8] = [
        ("files importing one file", files_importing_one, 1_000),
        ("overlapping ranges", overlapping_ranges, 1_000),
        ("lone semicolons", semicolons, 100_000),
        ("duplicate enum values", duplicate_enum_values, 2_000),
        ("closing braces", closing_braces, 20_000),
        ("deep broken statements", deep_broken_statements, 10_000),
        ("nested comment starts", nested_comment_starts, 10_000),
        ("token soup", token_soup, 100_000),
    ];
    let mut report = Vec::new();
    for (name, shape, n) in shapes {
        // A first, untimed compile of the small size warms up what is started once (the thread
        // pool, lazily built tables), so that it does not count against the small size.
        peak_of(&shape(n));
        let small = peak_of(&shape(n));
        let large = peak_of(&shape(4 * n));
        let ratio = large as f64 / small as f64;
        report.push(format!(
            "{name}: {small} B at n = {n}, {large} B at 4n: {ratio:.2}×"
        ));
        assert!(
            ratio <= 4.0 * 1.25,
            "memory grows faster than the input:\n{}",
            report.join("\n")
        );
    }
    eprintln!("{}", report.join("\n"));
    broken_input_costs_a_bounded_amount_per_byte();
}
