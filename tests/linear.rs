//! Memory that grows with the input, never faster: each hostile shape is compiled at two sizes,
//! and the peak of live heap bytes (counted by this binary's allocator, not timed) must grow no
//! faster than the input. A stage that keeps something per pair of files, ranges or statements
//! fails here at once: 4× the input would take 16× the memory.
//!
//! One test runs the shapes one after another, so that no other test's allocations mix in.
// Tests read fixtures and run binaries: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use iprotoc::compile::{compile, Options};
use iprotoc::MemoryResolver;

/// The system allocator, counting the bytes live now and the most live since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
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

#[test]
fn memory_grows_linearly_with_every_hostile_shape() {
    type Shape = fn(usize) -> Vec<(String, String)>;
    let shapes: [(&str, Shape, usize); 4] = [
        ("files importing one file", files_importing_one, 1_000),
        ("overlapping ranges", overlapping_ranges, 1_000),
        ("lone semicolons", semicolons, 100_000),
        ("duplicate enum values", duplicate_enum_values, 2_000),
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
}
