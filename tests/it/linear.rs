//! Memory that grows with the input, never faster: each hostile shape is compiled at two sizes,
//! and the peak of live heap bytes (counted by this binary's allocator, not timed) must grow no
//! faster than the input. A stage that keeps something per pair of files, ranges or statements
//! fails here at once: 4× the input would take 16× the memory.
//!
//! Broken input besides costs a bounded amount of heap and allocations per input byte.
//!
//! And work that grows with the input, never faster: each generated shape of valid input (wide
//! files, deep nesting, many files, import chains, options, hierarchies, subclasses) is compiled
//! at n and 10n, and its allocations and bytes allocated, counted, not timed, must grow at most
//! 10.5× ([`work_grows_linearly_with_every_generated_shape`]).
//!
//! The allocator of the test binary counts only the threads of [`counted_pool`]: each compile
//! measured here runs on that pool (its stages' helper threads included, since rayon runs them on
//! the pool they are called from), so the other tests, running at the same time on other threads
//! of the one test binary, do not mix their allocations in. One test runs the shapes one after
//! another, so that no measurement mixes with another.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use iprotoc::driver::{compile, Options};
use iprotoc::MemoryResolver;

use crate::support::soup;

/// The system allocator, counting, for the threads that ask to be counted, the bytes live now,
/// the most live since the last reset, and the number of allocations.
struct Counting;

thread_local! {
    /// Whether this thread's allocations are counted (set on the threads of [`counted_pool`]).
    /// A `const` thread-local without a destructor: reading it never allocates.
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

/// Signed: a counted thread may free what an uncounted one allocated.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
/// Bytes allocated in all (a `realloc` that grows counts its growth): the memory traffic.
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

fn counted() -> bool {
    COUNTED.try_with(Cell::get).unwrap_or(false)
}

fn grow(bytes: usize) {
    ALLOCATED.fetch_add(bytes, Ordering::Relaxed);
    let live = LIVE.fetch_add(bytes as isize, Ordering::Relaxed) + bytes as isize;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrink(bytes: usize) {
    LIVE.fetch_sub(bytes as isize, Ordering::Relaxed);
}

// SAFETY: every call is passed to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if counted() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            if !p.is_null() {
                grow(layout.size());
            }
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if counted() {
            shrink(layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && counted() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The threads whose allocations are counted: as many as the machine has cores (at least two,
/// so that the stages' parallel paths run as they do in the CLI).
fn counted_pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores.max(2))
            .thread_name(|i| format!("counted-{i}"))
            .start_handler(|_| COUNTED.with(|c| c.set(true)))
            .build()
            .expect("a thread pool")
    })
}

/// Runs `f` on [`counted_pool`] and returns its result, the peak of live heap bytes above what
/// was live before, and the number of allocations. One measurement at a time.
fn measured<T: Send>(f: impl FnOnce() -> T + Send) -> (T, usize, usize) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // An earlier compile's trees, still being freed on the pool, would free bytes counted as
    // live before this one started, and hide as much of its peak: on a loaded machine, the
    // 4n/n ratio of a shape measured after a large one read 14× where it is 4×.
    iprotoc::parallel::wait_for_background_drops();
    let measurement = counted_pool().install(|| {
        let allocs = ALLOCS.load(Ordering::Relaxed);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let value = f();
        let peak = PEAK.load(Ordering::Relaxed) - before;
        let peak = usize::try_from(peak).expect("the peak is at least what was live before");
        (value, peak, ALLOCS.load(Ordering::Relaxed) - allocs)
    });
    iprotoc::parallel::wait_for_background_drops();
    measurement
}

const P2: &str = "syntax = \"proto2\";\n";

/// The peak heap bytes above what was live before, and the number of allocations, while
/// compiling `files` (name, text), the inputs being every file whose name starts with `in`.
fn cost_of(files: &[(String, String)]) -> (usize, usize) {
    let mut resolver = MemoryResolver::new();
    for (name, text) in files {
        resolver.add(name, text.as_bytes().to_vec());
    }
    let inputs: Vec<String> = files
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.starts_with("in"))
        .collect();
    let ((), peak, allocs) = measured(|| drop(compile(&resolver, &inputs, &Options::default())));
    (peak, allocs)
}

fn peak_of(files: &[(String, String)]) -> usize {
    cost_of(files).0
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
        let (peak, allocs) = cost_of(&files);
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

/// The counting covers the pool's threads, and only them: the test threads (which the other tests
/// share) are not counted, and a megabyte allocated on the pool is.
#[test]
fn only_the_counted_pool_is_counted() {
    assert!(!counted(), "a test thread is not counted");
    let (on_pool, peak, allocs) = measured(|| {
        let counted = counted();
        drop(std::hint::black_box(vec![1u8; 1 << 20]));
        counted
    });
    assert!(on_pool, "the pool's threads are counted");
    assert!(
        peak >= 1 << 20 && allocs >= 1,
        "peak {peak}, {allocs} allocations"
    );
}

/// The work of one compile, counted rather than timed: allocations and bytes allocated (the
/// memory traffic), over every thread of the compile.
#[derive(Clone, Copy, Debug)]
struct Work {
    allocs: usize,
    bytes: usize,
}

/// The work of compiling `files` (name, text) as `iprotoc compile --include_imports -o` does, the
/// inputs being every file whose name starts with `in`; the compile must succeed (a shape
/// measures the work of valid input, not of its errors).
fn work_of(files: &[(String, String)]) -> Work {
    let mut resolver = MemoryResolver::new();
    for (name, text) in files {
        resolver.add(name, text.as_bytes().to_vec());
    }
    let inputs: Vec<String> = files
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.starts_with("in"))
        .collect();
    // Every lint rule runs too: `iprotoc check` is as exposed to hostile input as `compile`.
    let options = Options {
        include_imports: true,
        skip_proto_files: true,
        lint: iprotoc::Lints::All,
        ..Options::default()
    };
    let ((errors, bytes), _peak, allocs) = measured(|| {
        let before = ALLOCATED.load(Ordering::Relaxed);
        let out = compile(&resolver, &inputs, &options);
        let errors: Vec<String> = out
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{d:?}"))
            .take(3)
            .collect();
        drop(out);
        (errors, ALLOCATED.load(Ordering::Relaxed) - before)
    });
    assert!(errors.is_empty(), "the shape does not compile: {errors:?}");
    Work { allocs, bytes }
}

const P3: &str = "syntax = \"proto3\";\n";

/// One file, one message of `n` fields and an enum of `n` values.
fn wide_file(n: usize) -> Vec<(String, String)> {
    let mut s = format!("{P3}package w;\nenum E {{\n  E_0 = 0;\n");
    for i in 1..=n {
        s += &format!("  E_{i} = {i};\n");
    }
    s += "}\nmessage Wide {\n";
    for i in 1..=n {
        let ty = ["string", "int64", "E", "Wide", "repeated double"][i % 5];
        // Numbers 19000 to 19999 are protobuf's own.
        let number = if i < 19_000 { i } else { i + 1_000 };
        s += &format!("  {ty} f{i} = {number};\n");
    }
    s += "}\n";
    vec![("in.proto".into(), s)]
}

/// `n` messages, each the top of a nest of 30 messages (protoc allows 31 levels), the innermost
/// referring by relative names to the levels above it (each lookup walks up the scopes).
fn deep_nesting(n: usize) -> Vec<(String, String)> {
    const DEPTH: usize = 30;
    let mut s = format!("{P3}package d;\n");
    for i in 0..n {
        // The top level has a name of its own, so that the nests do not clash.
        s += &format!("message Top{i} {{\n");
        for level in 1..DEPTH {
            s += &format!("message N{level} {{\n");
        }
        for (k, up) in [1, 7, 15, 29].iter().enumerate() {
            s += &format!("  N{up} r{k} = {};\n", k + 1);
        }
        s += &"}\n".repeat(DEPTH);
    }
    vec![("in.proto".into(), s)]
}

/// `n` input files of one message each, all importing one common file (and `descriptor.proto`
/// through it), itself an input.
fn many_files(n: usize) -> Vec<(String, String)> {
    let mut files = vec![(
        "in_common.proto".to_string(),
        format!("{P3}package c;\nimport \"google/protobuf/descriptor.proto\";\nmessage Shared {{ google.protobuf.FileOptions o = 1; }}\n"),
    )];
    for i in 0..n {
        files.push((
            format!("in{i}.proto"),
            format!("{P3}package p{i};\nimport \"in_common.proto\";\nmessage M {{ c.Shared s = 1; string name = 2; }}\n"),
        ));
    }
    files
}

/// A chain of `n` files after a first one, each importing the one before it and the one at half
/// its index, and referring to a message of each. (With `import public` instead, file i would
/// see i files: visibility is materialised per file, so a chain of public imports costs n²
/// memory, the one shape found quadratic; docs/performance.md.)
fn import_chain(n: usize) -> Vec<(String, String)> {
    let mut files = vec![(
        "in0.proto".to_string(),
        format!("{P3}package c0;\nmessage M0 {{ string id = 1; }}\n"),
    )];
    for i in 1..=n {
        let (prev, half) = (i - 1, i / 2);
        let mut s = format!("{P3}package c{i};\nimport \"in{prev}.proto\";\n");
        if half != prev {
            s += &format!("import \"in{half}.proto\";\n");
        }
        s += &format!(
            "message M{i} {{\n  c{prev}.M{prev} prev = 1;\n  .c{half}.M{half} far = 2;\n}}\n"
        );
        files.push((format!("in{i}.proto"), s));
    }
    files
}

/// `n` messages with standard and custom options: scalars, an enum, a repeated one and
/// message literals, on the message and its fields.
fn many_options(n: usize) -> Vec<(String, String)> {
    let opts = format!(
        "{P3}package o;\nimport \"google/protobuf/descriptor.proto\";\n\
         message Rule {{ string get = 1; string body = 2; repeated Rule more = 3; int32 weight = 4; }}\n\
         enum Behavior {{ B_UNSPECIFIED = 0; REQUIRED = 1; OUTPUT_ONLY = 2; }}\n\
         extend google.protobuf.MessageOptions {{ Rule rule = 50001; string label = 50002; }}\n\
         extend google.protobuf.FieldOptions {{ repeated Behavior behavior = 50003; Rule ref = 50004; int32 weight = 50005; }}\n"
    );
    let mut s = format!("{P3}package m;\nimport \"opts.proto\";\n");
    for i in 0..n {
        s += &format!(
            "message M{i} {{\n  option deprecated = true;\n  option (o.label) = \"m{i}\";\n  \
             option (o.rule) = {{ get: \"/v1/{{name=m/*}}\" body: \"*\" more {{ get: \"/v2\" weight: {i} }} }};\n  \
             string a = 1 [(o.behavior) = REQUIRED, (o.weight) = {i}, deprecated = true];\n  \
             int32 b = 2 [(o.ref) = {{ get: \"x\" }}, (o.behavior) = OUTPUT_ONLY, json_name = \"bee\"];\n}}\n"
        );
    }
    vec![("opts.proto".into(), opts), ("in.proto".into(), s)]
}

/// `n` hierarchies of a root, three subclasses and a grandchild (`.iproto`).
fn many_hierarchies(n: usize) -> Vec<(String, String)> {
    let mut s = format!("{P2}package h;\n");
    for i in 0..n {
        s += &format!(
            "message R{i} {{ optional string id = 1; }}\n\
             message A{i} : R{i} {{ optional int32 a = 1; }}\n\
             message B{i} : R{i} {{ optional R{i} parent = 1; }}\n\
             message C{i} : R{i} = 150 {{ repeated string c = 1; }}\n\
             message D{i} : A{i} {{ optional bool d = 1; }}\n"
        );
    }
    vec![("in.iproto".into(), s)]
}

/// One root with `n` subclasses (`.iproto`), each with a field.
/// One chain of `n` classes, each inheriting from the one before, each field named as one of an
/// ancestor's once in a while (what the inheritance lints look at, all the way up).
fn class_chain(n: usize) -> Vec<(String, String)> {
    let mut s = format!("{P2}package c;\nmessage C0 {{ optional string id = 1; }}\n");
    for i in 1..=n {
        let field = if i % 10 == 0 {
            "id".to_string()
        } else {
            format!("f{i}")
        };
        s += &format!(
            "message C{i} : C{} {{ optional int64 {field} = 1; }}\n",
            i - 1
        );
    }
    vec![("in.iproto".into(), s)]
}

fn many_subclasses(n: usize) -> Vec<(String, String)> {
    let mut s = format!("{P2}package s;\nmessage Root {{ optional string id = 1; }}\n");
    for i in 0..n {
        s += &format!("message S{i} : Root {{ optional int64 v{i} = 1; }}\n");
    }
    vec![("in.iproto".into(), s)]
}

/// The benchmark's generated schema set of `n` messages (files, imports, hierarchies, options,
/// comments: `benches/support/schema_gen.rs`).
fn bench_schema(n: usize) -> Vec<(String, String)> {
    crate::support::bench_schemas::generate(n)
        .files
        .into_iter()
        .map(|f| {
            // The inputs are the data files: their names start with `in` here.
            let name = f.name.replace("bench/p", "in/p");
            let text = f.text.replace("import \"bench/p", "import \"in/p");
            (name, text)
        })
        .collect()
}

/// Every generated shape costs 10× the work at 10× the size, give or take 5 %, with the work
/// counted (allocations and bytes allocated), not timed: a stage that is quadratic in the
/// number of fields, nesting levels, files, imports, options, hierarchies or subclasses does
/// 100× at 10×, and fails here on any machine. The cost of a compile that does no work of the
/// shape (size 0: what is started once, `descriptor.proto`) is subtracted, so that it does not
/// hide growth.
#[test]
fn work_grows_linearly_with_every_generated_shape() {
    type Shape = fn(usize) -> Vec<(String, String)>;
    let shapes: [(&str, Shape, usize); 9] = [
        ("wide files", wide_file, 2_000),
        ("deep nesting", deep_nesting, 40),
        ("many files", many_files, 200),
        ("long import chains", import_chain, 200),
        ("many options", many_options, 300),
        ("many hierarchies", many_hierarchies, 300),
        ("many subclasses per root", many_subclasses, 500),
        ("a deep chain of classes", class_chain, 300),
        ("the benchmark's schema set", bench_schema, 100),
    ];
    let mut report = Vec::new();
    let mut failed = false;
    for (name, shape, n) in shapes {
        // A first compile warms up what is started once (the pool, lazily built tables).
        work_of(&shape(n));
        let base = work_of(&shape(0));
        let small = work_of(&shape(n));
        let large = work_of(&shape(10 * n));
        let growth = |f: fn(Work) -> usize| {
            f(large).saturating_sub(f(base)) as f64 / f(small).saturating_sub(f(base)).max(1) as f64
        };
        let (allocs, bytes) = (growth(|w| w.allocs), growth(|w| w.bytes));
        let ok = allocs <= 10.5 && bytes <= 10.5;
        failed |= !ok;
        report.push(format!(
            "{name}: n = {n}: {} allocations, {} bytes; 10n: {} allocations, {} bytes \
             (less {} and {} at 0): growth {allocs:.2}× allocations, {bytes:.2}× bytes{}",
            small.allocs,
            small.bytes,
            large.allocs,
            large.bytes,
            base.allocs,
            base.bytes,
            if ok { "" } else { "  <- more than 10.5×" }
        ));
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        !failed,
        "work grows faster than the input:\n{}",
        report.join("\n")
    );
}
