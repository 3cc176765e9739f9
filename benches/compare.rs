//! iprotoc against protoc: wall time and peak memory on the same work.
//!
//! ```text
//! cargo bench --bench compare                   # the full run (a few minutes)
//! cargo bench --bench compare -- --quick        # smaller sizes, fewer runs (~30 s)
//! cargo bench --bench compare -- --out docs/perf   # also write results.tsv and the SVG plot
//! cargo bench --bench compare -- --dump /tmp/s --sizes 5000   # only write a generated schema
//! ```
//!
//! Options: `--googleapis PACKAGES` / `--no-googleapis`, `--protox PATH` / `--no-protox`,
//! `--runs N` (timed runs per tool and case, default 7; 3 with `--quick`),
//! `--sizes 10,100,…` (messages per generated set; `none` for the corpus only), `--corpus DIR` (default `../shared/corpus`,
//! or `$IPROTOC_CORPUS`; skipped when absent), `--no-corpus`, `--script DIR` (also write the
//! corpus runs as shell scripts in DIR, for profilers).
//!
//! Both tools compile the same files with `--include_imports -o FILE`; the harness checks that
//! they write the same bytes (a benchmark of wrong output would be worthless) and reports it.
//!
//! - **Generated schema sets** (`support/schema_gen.rs`): `.iproto` files with inheritance.
//!   iprotoc compiles them as written; protoc compiles the lowered `.proto` files, which iprotoc
//!   writes once, untimed, before the runs. The descriptor sets must be identical.
//! - **Small file**: the smallest generated set (one input file importing the options file and
//!   `descriptor.proto`), i.e. a one-file compile: the startup cost.
//! - **Corpus**: the valid files of `corpus/manifest.tsv`, one run of each tool per set of include
//!   roots (split where files of a set define the same names and cannot be compiled together).
//!   The `_wkt` root is for protoc only (iprotoc has the well-known types built in), and protoc
//!   gets iprotoc's own copy of them (`wkt/`, protoc 36.2's) so both compile the same text. Files
//!   that iprotoc rejects on their own are left out of both tools' lists and counted in the
//!   report. Time is the sum over the runs; memory the largest peak.
//! - **Corpus, fewest runs**: the same files in as few runs as they can be compiled in — the
//!   nearest the corpus comes to "compiled in one run", since its projects define the same names.
//!   Runs are merged (their include roots joined) only where both tools accept the union, write
//!   the same bytes, and protoc's output holds exactly the descriptors of the separate runs.
//!
//! - **Googleapis-scale** (`support/googleapis_gen.rs`): ~7,200 plain `.proto` files, 63 MB, of
//!   googleapis' shape, compiled whole by protoc, iprotoc and protox (when installed: its output
//!   is compared file by file, since it differs); wall, CPU and peak memory of each.
//!
//! Wall time is the median of the runs; the two tools alternate (ABBA order), so a load change
//! on the machine hits both alike. The generated sets are timed in rounds, every size once per
//! round, so that a slow spell of the machine hits every size alike and the growth ratios
//! between sizes hold. Peak memory is each child's `ru_maxrss` from `wait4`, taken from each
//! case's untimed first run; since Linux counts the spawning process's own peak into it, those
//! runs are made while this process is small: the corpus first, then the generated sets
//! smallest first, each as soon as it is written.
// Tests read fixtures and run binaries: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "support/googleapis_gen.rs"]
mod googleapis_gen;
#[path = "support/schema_gen.rs"]
mod schema_gen;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What the harness was asked to do.
struct Args {
    runs: usize,
    sizes: Vec<usize>,
    corpus: Option<PathBuf>,
    out: Option<PathBuf>,
    dump: Option<PathBuf>,
    script: Option<PathBuf>,
    /// Packages of the googleapis-scale set (`None`: no such case).
    googleapis: Option<usize>,
    /// protox's CLI, if it is to be measured too.
    protox: Option<PathBuf>,
}

fn parse_args() -> Args {
    let mut quick = false;
    let mut runs = None;
    let mut sizes = None;
    let mut corpus = Some(
        std::env::var_os("IPROTOC_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")),
    );
    let mut out = None;
    let mut dump = None;
    let mut script = None;
    let mut googleapis = None;
    let mut no_googleapis = false;
    let mut protox = None;
    let mut no_protox = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            "--quick" => quick = true,
            "--runs" => runs = Some(value().parse().unwrap_or_else(|_| usage("bad --runs"))),
            "--sizes" => {
                sizes = Some(
                    value()
                        .split(',')
                        .filter(|s| !s.trim().is_empty() && s.trim() != "none")
                        .map(|s| s.trim().parse().unwrap_or_else(|_| usage("bad --sizes")))
                        .collect(),
                )
            }
            "--corpus" => corpus = Some(PathBuf::from(value())),
            "--no-corpus" => corpus = None,
            "--out" => out = Some(PathBuf::from(value())),
            "--dump" => dump = Some(PathBuf::from(value())),
            "--script" => script = Some(PathBuf::from(value())),
            "--googleapis" => {
                googleapis = Some(
                    value()
                        .parse()
                        .unwrap_or_else(|_| usage("bad --googleapis")),
                )
            }
            "--no-googleapis" => no_googleapis = true,
            "--protox" => protox = Some(PathBuf::from(value())),
            "--no-protox" => no_protox = true,
            _ => usage(&format!("unknown argument {a}")),
        }
    }
    Args {
        runs: runs.unwrap_or(if quick { 3 } else { 7 }).max(1),
        sizes: sizes.unwrap_or_else(|| {
            if quick {
                vec![10, 100, 1000, 5000]
            } else {
                vec![10, 100, 1000, 5000, 10000, 50000]
            }
        }),
        corpus: corpus.filter(|c| c.join("manifest.tsv").exists()),
        out,
        dump,
        script,
        googleapis: if no_googleapis {
            None
        } else if quick {
            googleapis
        } else {
            Some(googleapis.unwrap_or(googleapis_gen::PACKAGES))
        }
        .filter(|&p| p > 0),
        protox: if no_protox {
            None
        } else {
            protox.or_else(find_protox)
        },
    }
}

/// protox's CLI (`cargo install protox --features bin`): on the `PATH` or in `~/.cargo/bin`.
fn find_protox() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("protox"))
        .find(|p| p.is_file())
}

fn usage(msg: &str) -> ! {
    eprintln!("{msg}\nusage: cargo bench --bench compare -- [--quick] [--runs N] [--sizes 10,100] [--corpus DIR | --no-corpus] [--googleapis PACKAGES | --no-googleapis] [--protox PATH | --no-protox] [--out DIR] [--dump DIR] [--script DIR]");
    std::process::exit(2)
}

/// One finished child process.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// CPU time, user and system, of the child (all its threads).
    cpu: Duration,
    /// Peak resident set size in KiB (`ru_maxrss`).
    max_rss_kib: u64,
    ok: bool,
}

/// Runs `cmd` to completion and measures it: wall time from spawn to reap, and the child's own
/// peak RSS from `wait4` (unlike `getrusage(RUSAGE_CHILDREN)`, not a maximum over all children).
fn measure(cmd: &mut Command, stderr_to: &Path) -> Sample {
    let err = fs::File::create(stderr_to).expect("create stderr file");
    cmd.stdout(Stdio::null()).stderr(err);
    let start = Instant::now();
    // Reaped by `wait4` below, which also reports the child's resource usage.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we just spawned and have not
    // reaped (std's Child does not reap on drop).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert!(pid > 0, "wait4 failed");
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Sample {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss as u64,
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
    }
}

/// One invocation of a tool: arguments and working directory.
#[derive(Clone)]
struct Invocation {
    program: PathBuf,
    args: Vec<String>,
    cwd: PathBuf,
    /// Where it writes its descriptor set.
    output: PathBuf,
}

impl Invocation {
    fn run(&self, scratch: &Path) -> Sample {
        let _ = fs::remove_file(&self.output);
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args).current_dir(&self.cwd);
        measure(&mut cmd, &scratch.join("stderr.txt"))
    }
}

/// A unit of work both tools do: each list of invocations is run in sequence (the corpus has
/// one invocation per include-root group) and counts as one run.
struct Case {
    name: String,
    /// Messages (generated sets) or files (corpus), for the linearity table and the plot.
    messages: Option<usize>,
    description: String,
    protoc: Vec<Invocation>,
    iprotoc: Vec<Invocation>,
}

/// The measured result of a case.
struct Outcome {
    name: String,
    messages: Option<usize>,
    description: String,
    protoc_ms: f64,
    iprotoc_ms: f64,
    protoc_kib: u64,
    iprotoc_kib: u64,
    identical: bool,
}

/// Runs the invocations of one tool once: total wall time, largest peak, all succeeded.
fn run_all(invs: &[Invocation], scratch: &Path) -> Sample {
    let mut total = Sample {
        wall: Duration::ZERO,
        cpu: Duration::ZERO,
        max_rss_kib: 0,
        ok: true,
    };
    for inv in invs {
        let s = inv.run(scratch);
        if !s.ok {
            let err = fs::read_to_string(scratch.join("stderr.txt")).unwrap_or_default();
            eprintln!(
                "  {} failed in {}:\n{}",
                inv.program.display(),
                inv.cwd.display(),
                err.lines().take(10).collect::<Vec<_>>().join("\n")
            );
        }
        total.wall += s.wall;
        total.cpu += s.cpu;
        total.max_rss_kib = total.max_rss_kib.max(s.max_rss_kib);
        total.ok &= s.ok;
    }
    total
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// What the untimed first run of a case found: whether both tools wrote the same bytes, and
/// each one's peak memory.
struct Warmup {
    identical: bool,
    protoc_kib: u64,
    iprotoc_kib: u64,
}

/// Runs both tools once, untimed: warms the file cache, checks that they write the same bytes,
/// and measures peak memory (see `main` for why memory comes from this run only).
fn warm_up(case: &Case, scratch: &Path) -> Warmup {
    eprintln!("{}: {}", case.name, case.description);
    let p0 = run_all(&case.protoc, scratch);
    let i0 = run_all(&case.iprotoc, scratch);
    let mut identical = p0.ok && i0.ok;
    for (p, i) in case.protoc.iter().zip(&case.iprotoc) {
        let a = fs::read(&p.output).ok();
        if a.is_none() || a != fs::read(&i.output).ok() {
            identical = false;
            eprintln!("  different output: iprotoc {}", i.args.join(" "));
        }
    }
    Warmup {
        identical,
        protoc_kib: p0.max_rss_kib,
        iprotoc_kib: i0.max_rss_kib,
    }
}

/// Times `runs` rounds over `cases`: each round runs every case once with each tool, the tools
/// alternating (ABBA: protoc first on even rounds, iprotoc first on odd ones). Taking the cases
/// in turn, rather than one case's runs back to back, spreads every case's runs over the same
/// minutes, so a slow spell of the machine hits every size alike and the growth ratios between
/// sizes are not skewed by when each size happened to run. Returns each case's median wall times
/// (protoc, iprotoc) in ms.
fn time_rounds(cases: &[&Case], runs: usize, scratch: &Path) -> Vec<(f64, f64)> {
    let mut times: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); cases.len()];
    for r in 0..runs {
        for (case, (pt, it)) in cases.iter().zip(&mut times) {
            let order: [bool; 2] = if r % 2 == 0 {
                [true, false]
            } else {
                [false, true]
            };
            for is_protoc in order {
                let (invs, times) = if is_protoc {
                    (&case.protoc, &mut *pt)
                } else {
                    (&case.iprotoc, &mut *it)
                };
                times.push(run_all(invs, scratch).wall.as_secs_f64() * 1e3);
            }
        }
        if cases.len() > 1 {
            eprintln!("  round {} of {runs} done", r + 1);
        }
    }
    times
        .into_iter()
        .map(|(pt, it)| (median(pt), median(it)))
        .collect()
}

/// The outcome of a case from its warm-up and its median times.
fn outcome(case: &Case, warm: &Warmup, (protoc_ms, iprotoc_ms): (f64, f64)) -> Outcome {
    let o = Outcome {
        name: case.name.clone(),
        messages: case.messages,
        description: case.description.clone(),
        protoc_ms,
        iprotoc_ms,
        protoc_kib: warm.protoc_kib,
        iprotoc_kib: warm.iprotoc_kib,
        identical: warm.identical,
    };
    eprintln!(
        "{}: protoc {:.1} ms, iprotoc {:.1} ms ({:.2}x); peak {} / {} KiB; identical output: {}",
        o.name,
        o.protoc_ms,
        o.iprotoc_ms,
        o.protoc_ms / o.iprotoc_ms,
        o.protoc_kib,
        o.iprotoc_kib,
        if o.identical { "yes" } else { "NO" }
    );
    o
}

/// Paths of the two tools and protoc's include directory (for the well-known types).
struct Tools {
    iprotoc: PathBuf,
    protoc: PathBuf,
    protoc_include: PathBuf,
}

/// Writes a generated schema set under `dir/src` and its lowered `.proto` files under
/// `dir/lowered` (with iprotoc, untimed), and returns the case.
fn generated_case(tools: &Tools, messages: usize, dir: &Path) -> Case {
    let schema = schema_gen::generate(messages);
    let src = dir.join("src");
    let lowered = dir.join("lowered");
    for f in &schema.files {
        let path = src.join(&f.name);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(&path, &f.text).expect("write schema");
    }
    let all: Vec<String> = schema.files.iter().map(|f| f.name.clone()).collect();
    let status = Command::new(&tools.iprotoc)
        .args(["compile", "-I", "src", "--proto_out", "lowered"])
        .args(&all)
        .current_dir(dir)
        .status()
        .expect("run iprotoc");
    assert!(
        status.success(),
        "iprotoc could not lower the generated schema"
    );
    assert!(lowered.is_dir());
    let proto_inputs: Vec<String> = schema
        .inputs
        .iter()
        .map(|n| n.replace(".iproto", ".proto"))
        .collect();
    let mut pargs: Vec<String> = vec!["-I".into(), "lowered".into(), "-I".into()];
    pargs.push(tools.protoc_include.display().to_string());
    pargs.extend(["--include_imports".into(), "-o".into(), "protoc.pb".into()]);
    pargs.extend(proto_inputs);
    let mut iargs: Vec<String> = [
        "compile",
        "-I",
        "src",
        "--include_imports",
        "-o",
        "iprotoc.pb",
    ]
    .map(String::from)
    .to_vec();
    iargs.extend(schema.inputs.iter().cloned());
    Case {
        name: if messages <= 10 {
            format!("small ({messages} messages)")
        } else {
            format!("generated {messages}")
        },
        messages: Some(messages),
        description: format!(
            "{} input files, {} messages, {:.1} MB of source",
            schema.inputs.len(),
            messages,
            schema.bytes() as f64 / 1e6
        ),
        protoc: vec![Invocation {
            program: tools.protoc.clone(),
            args: pargs,
            cwd: dir.to_path_buf(),
            output: dir.join("protoc.pb"),
        }],
        iprotoc: vec![Invocation {
            program: tools.iprotoc.clone(),
            args: iargs,
            cwd: dir.to_path_buf(),
            output: dir.join("iprotoc.pb"),
        }],
    }
}

/// The two corpus cases: the valid files grouped by include roots (as `manifest.tsv` lists them),
/// one run per group; and the same files in as few runs as both tools can compile them in.
fn corpus_cases(tools: &Tools, corpus: &Path, scratch: &Path) -> Vec<Case> {
    let manifest = fs::read_to_string(corpus.join("manifest.tsv")).expect("read manifest");
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let (roots_c, path_c, virt_c, ok_c) = (
        col("include_roots"),
        col("path"),
        col("virtual_name"),
        col("ok_new_protoc"),
    );
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut valid = 0;
    for line in lines {
        let c: Vec<&str> = line.split('\t').collect();
        if c.get(ok_c) != Some(&"yes") {
            continue;
        }
        valid += 1;
        let name = match c[virt_c] {
            "" => c[path_c],
            v => v,
        };
        groups
            .entry(c[roots_c].to_string())
            .or_default()
            .push(name.to_string());
    }
    // Leave out what iprotoc rejects on its own (a correctness gap, not a speed question).
    let mut excluded = Vec::new();
    for (roots, files) in &mut groups {
        files.retain(|f| {
            let mut args = vec!["compile".to_string()];
            for r in roots.split(':').filter(|r| *r != "_wkt") {
                args.extend(["-I".into(), r.into()]);
            }
            args.extend(["-o".into(), scratch.join("probe.pb").display().to_string()]);
            args.push(f.clone());
            let ok = Command::new(&tools.iprotoc)
                .args(&args)
                .current_dir(corpus)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                excluded.push(f.clone());
            }
            ok
        });
    }
    groups.retain(|_, files| !files.is_empty());
    // One run per include-root group, except that some files of a group define the same names
    // (a `golden/` and an `input/` copy, say) and cannot be compiled together by either tool:
    // such a group is split in halves until every batch compiles with both.
    let mut batches: Vec<(String, Vec<String>)> = Vec::new();
    let mut todo: Vec<(String, Vec<String>)> = groups.into_iter().rev().collect();
    while let Some((roots, files)) = todo.pop() {
        let (p, i) = corpus_invocations(tools, corpus, scratch, &roots, &files, 0);
        if p.run(scratch).ok && i.run(scratch).ok {
            batches.push((roots, files));
        } else if files.len() > 1 {
            let second = files[files.len() / 2..].to_vec();
            let first = files[..files.len() / 2].to_vec();
            todo.push((roots.clone(), second));
            todo.push((roots, first));
        } else {
            excluded.extend(files);
        }
    }
    if !excluded.is_empty() {
        eprintln!(
            "corpus: {} of {valid} valid files left out (iprotoc rejects them): {}",
            excluded.len(),
            excluded.join(" ")
        );
    }
    let kept: usize = batches.iter().map(|(_, f)| f.len()).sum();
    let case = |name: &str, how: &str, batches: &[(String, Vec<String>)]| {
        let (mut protoc, mut iprotoc) = (Vec::new(), Vec::new());
        for (g, (roots, files)) in batches.iter().enumerate() {
            let (p, i) = corpus_invocations(tools, corpus, scratch, roots, files, g);
            protoc.push(p);
            iprotoc.push(i);
        }
        Case {
            name: name.into(),
            messages: None,
            description: format!(
                "{kept} of {valid} valid files in {} runs ({how})",
                batches.len()
            ),
            protoc,
            iprotoc,
        }
    };
    let merged = merge_batches(tools, corpus, scratch, &batches);
    vec![
        case(
            "corpus",
            "one per set of include roots; name clashes split",
            &batches,
        ),
        case(
            "corpus, fewest runs",
            "sets merged where the result is unchanged",
            &merged,
        ),
    ]
}

/// What protoc writes for one corpus run, as a fingerprint of each file's descriptor by name, if
/// both tools compile it and write the same bytes. Fingerprints rather than decoded descriptors:
/// this process's peak memory is counted into its children's (see the module docs).
fn corpus_run_output(
    tools: &Tools,
    corpus: &Path,
    scratch: &Path,
    roots: &str,
    files: &[String],
) -> Option<BTreeMap<String, u64>> {
    let (p, i) = corpus_invocations(tools, corpus, scratch, roots, files, usize::MAX);
    if !(p.run(scratch).ok && i.run(scratch).ok) {
        return None;
    }
    let bytes = fs::read(&p.output).ok()?;
    if fs::read(&i.output).ok()? != bytes {
        return None;
    }
    let mut out = BTreeMap::new();
    for (field, file) in wire_fields(&bytes)? {
        if field != 1 {
            return None;
        }
        let name = wire_fields(file)?.find(|&(f, _)| f == 1)?.1;
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(file, &mut h);
        out.insert(
            String::from_utf8_lossy(name).into_owned(),
            std::hash::Hasher::finish(&h),
        );
    }
    Some(out)
}

/// The length-delimited fields of a protobuf message, as (field number, bytes); `None` if it holds
/// anything else or is malformed (a `FileDescriptorSet` holds only `file`s, and a file's `name`
/// is the only field read from it, so other wire types are skipped).
fn wire_fields(mut b: &[u8]) -> Option<impl Iterator<Item = (u64, &[u8])>> {
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
    let mut fields = Vec::new();
    while !b.is_empty() {
        let tag = varint(&mut b)?;
        match tag & 7 {
            0 => {
                varint(&mut b)?;
            }
            1 => b = b.get(8..)?,
            5 => b = b.get(4..)?,
            2 => {
                let len = usize::try_from(varint(&mut b)?).ok()?;
                fields.push((tag >> 3, b.get(..len)?));
                b = &b[len..];
            }
            _ => return None,
        }
    }
    Some(fields.into_iter())
}

/// Merges the corpus batches into as few runs as possible, which is as close as the corpus gets
/// to the issue's "compiled in one run" (it cannot be one: its projects have different include
/// roots and define the same names). A batch joins an earlier run when both tools compile the
/// union (include roots in order, `_wkt` last), write the same bytes, and protoc's output holds,
/// for every file, exactly the descriptor that the two separate runs produced: the merged run does
/// the work of the two, less reading the imports they share once more.
fn merge_batches(
    tools: &Tools,
    corpus: &Path,
    scratch: &Path,
    batches: &[(String, Vec<String>)],
) -> Vec<(String, Vec<String>)> {
    type Run = (String, Vec<String>, BTreeMap<String, u64>);
    let union_roots = |a: &str, b: &str| {
        let mut roots: Vec<&str> = Vec::new();
        for r in a.split(':').chain(b.split(':')) {
            if r != "_wkt" && !roots.contains(&r) {
                roots.push(r);
            }
        }
        roots.push("_wkt");
        roots.join(":")
    };
    let mut runs: Vec<Run> = Vec::new();
    'batches: for (roots, files) in batches {
        let Some(alone) = corpus_run_output(tools, corpus, scratch, roots, files) else {
            // Cannot happen (every batch was checked), but a lone run is still a valid run.
            runs.push((roots.clone(), files.clone(), BTreeMap::new()));
            continue;
        };
        for run in runs.iter_mut() {
            let clash = files.iter().any(|f| run.1.contains(f))
                || alone
                    .iter()
                    .any(|(name, d)| run.2.get(name).is_some_and(|e| e != d));
            if clash || run.2.is_empty() {
                continue;
            }
            let mut expected = run.2.clone();
            expected.extend(alone.iter().map(|(k, v)| (k.clone(), *v)));
            let roots = union_roots(&run.0, roots);
            let files: Vec<String> = run.1.iter().chain(files).cloned().collect();
            if corpus_run_output(tools, corpus, scratch, &roots, &files).as_ref() == Some(&expected)
            {
                *run = (roots, files, expected);
                continue 'batches;
            }
        }
        runs.push((roots.clone(), files.clone(), alone));
    }
    runs.into_iter().map(|(r, f, _)| (r, f)).collect()
}

/// One tool's result on the googleapis-scale case.
struct ToolResult {
    tool: &'static str,
    /// Median wall time of the timed runs.
    wall_ms: f64,
    /// Median CPU time (user + system, all threads) of the timed runs.
    cpu_ms: f64,
    /// Peak RSS of the untimed first run.
    kib: u64,
    /// Whether its descriptor set is protoc's, byte for byte (`None` for protoc itself).
    identical: Option<bool>,
    /// Of the files of protoc's set, how many it wrote byte for byte the same (`None` for protoc).
    same_files: Option<(usize, usize)>,
    /// Whether every run succeeded.
    ok: bool,
}

/// The googleapis-scale case: its input and each tool's result.
struct GoogleapisOutcome {
    description: String,
    runs: usize,
    tools: Vec<ToolResult>,
}

/// Writes the googleapis-scale set (`support/googleapis_gen.rs`) under `dir/src`, one file at a
/// time (this process stays small, see `main`), and measures protoc, iprotoc and protox (when
/// given) compiling all of it with `--include_imports -o`: a first untimed run each for peak
/// memory and the byte comparison with protoc's output, then `runs` rounds, the tools' order
/// rotating from round to round.
fn googleapis_case(
    tools: &Tools,
    protox: Option<&Path>,
    packages: usize,
    dir: &Path,
    runs: usize,
    scratch: &Path,
) -> GoogleapisOutcome {
    let src = dir.join("src");
    let written = googleapis_gen::write(packages, |name, text| {
        let path = src.join(name);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(&path, text).expect("write schema");
    });
    let description = format!(
        "{} files in {packages} packages, {:.1} MB of source",
        written.inputs.len(),
        written.bytes as f64 / 1e6
    );
    eprintln!("googleapis-scale: {description}");
    // protoc gets iprotoc's copy of protoc 36.2's well-known types (as in the corpus cases), so
    // that both compile the same `descriptor.proto`.
    let wkt = wkt_dir().display().to_string();
    let inv = |program: &Path, head: &[&str], out: &str| {
        let mut args: Vec<String> = head.iter().map(|a| a.to_string()).collect();
        args.push(out.to_string());
        args.extend(written.inputs.iter().cloned());
        Invocation {
            program: program.to_path_buf(),
            args,
            cwd: dir.to_path_buf(),
            output: dir.join(out),
        }
    };
    let mut invs: Vec<(&'static str, Invocation)> = vec![
        (
            "protoc",
            inv(
                &tools.protoc,
                &["-I", "src", "-I", &wkt, "--include_imports", "-o"],
                "protoc.pb",
            ),
        ),
        (
            "iprotoc",
            inv(
                &tools.iprotoc,
                &["compile", "-I", "src", "--include_imports", "-o"],
                "iprotoc.pb",
            ),
        ),
    ];
    if let Some(protox) = protox {
        // protox has its own well-known types: it cannot parse protoc 36.2's
        // `descriptor.proto` (extension declarations), so it does not get `wkt/`.
        invs.push((
            "protox",
            inv(
                protox,
                &["-I", "src", "--include-imports", "-o"],
                "protox.pb",
            ),
        ));
    }
    // The first runs: peak memory, and each output against protoc's.
    let first: Vec<Sample> = invs
        .iter()
        .map(|(_, i)| run_all(std::slice::from_ref(i), scratch))
        .collect();
    let reference = fs::read(&invs[0].1.output).ok();
    // Each file's encoding by name, to count the files a tool writes as protoc does.
    let by_name = |bytes: &[u8]| -> BTreeMap<Vec<u8>, Vec<u8>> {
        let mut files = BTreeMap::new();
        for (_, file) in wire_fields(bytes).into_iter().flatten() {
            if let Some((_, name)) = wire_fields(file).and_then(|mut f| f.find(|&(n, _)| n == 1)) {
                files.insert(name.to_vec(), file.to_vec());
            }
        }
        files
    };
    let protoc_files = reference.as_deref().map(by_name).unwrap_or_default();
    let mut results: Vec<ToolResult> = invs
        .iter()
        .zip(&first)
        .enumerate()
        .map(|(k, ((tool, i), s))| {
            let output = fs::read(&i.output).ok().filter(|_| s.ok);
            let same_files = output.as_deref().map(by_name).map(|files| {
                let same = protoc_files
                    .iter()
                    .filter(|(name, file)| files.get(*name) == Some(*file))
                    .count();
                (same, protoc_files.len())
            });
            ToolResult {
                tool,
                wall_ms: 0.0,
                cpu_ms: 0.0,
                kib: s.max_rss_kib,
                identical: (k > 0).then(|| output.is_some() && output == reference),
                same_files: if k > 0 { same_files } else { None },
                ok: s.ok,
            }
        })
        .collect();
    let mut walls = vec![Vec::new(); invs.len()];
    let mut cpus = vec![Vec::new(); invs.len()];
    for r in 0..runs {
        for k in 0..invs.len() {
            let t = (k + r) % invs.len();
            let s = run_all(std::slice::from_ref(&invs[t].1), scratch);
            results[t].ok &= s.ok;
            walls[t].push(s.wall.as_secs_f64() * 1e3);
            cpus[t].push(s.cpu.as_secs_f64() * 1e3);
        }
        eprintln!("  round {} of {runs} done", r + 1);
    }
    for ((res, w), c) in results.iter_mut().zip(walls).zip(cpus) {
        if runs > 0 {
            res.wall_ms = median(w);
            res.cpu_ms = median(c);
        }
        eprintln!(
            "googleapis-scale: {} {:.0} ms wall, {:.0} ms cpu, peak {} KiB, same bytes as protoc: {}",
            res.tool,
            res.wall_ms,
            res.cpu_ms,
            res.kib,
            res.identical.map_or("-", |i| if i { "yes" } else { "NO" })
        );
    }
    let _ = fs::remove_dir_all(&src);
    GoogleapisOutcome {
        description,
        runs,
        tools: results,
    }
}

/// The googleapis-scale case as a Markdown table.
fn googleapis_report(g: &GoogleapisOutcome) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\nGoogleapis-scale set: {}; median of {} rounds (tools in rotating order); peak = max RSS of the first run; cpu = user + system over all threads.\n",
        g.description, g.runs
    );
    let _ = writeln!(
        s,
        "| tool | wall | cpu | cpu / wall | peak RSS | wall vs protoc | same bytes as protoc |"
    );
    let _ = writeln!(s, "|---|--:|--:|--:|--:|--:|:-:|");
    let protoc_wall = g.tools[0].wall_ms;
    for t in &g.tools {
        let _ = writeln!(
            s,
            "| {}{} | {:.0} ms | {:.0} ms | {:.2} | {:.1} MiB | {:.2} | {} |",
            t.tool,
            if t.ok { "" } else { " (failed)" },
            t.wall_ms,
            t.cpu_ms,
            t.cpu_ms / t.wall_ms,
            t.kib as f64 / 1024.0,
            t.wall_ms / protoc_wall,
            match (t.identical, t.same_files) {
                (None, _) => "—".to_string(),
                (Some(true), _) => "yes".to_string(),
                (Some(false), Some((same, all))) =>
                    format!("**no**: {same} of {all} files the same"),
                (Some(false), None) => "**no**".to_string(),
            }
        );
    }
    s
}

/// iprotoc's built-in well-known types, as files (`wkt/` in the repository).
fn wkt_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("wkt")
}

/// The two tools' invocations for one batch of corpus files sharing include roots.
fn corpus_invocations(
    tools: &Tools,
    corpus: &Path,
    scratch: &Path,
    roots: &str,
    files: &[String],
    batch: usize,
) -> (Invocation, Invocation) {
    let outp = scratch.join(format!("corpus-{batch}-protoc.pb"));
    let outi = scratch.join(format!("corpus-{batch}-iprotoc.pb"));
    let mut pargs = Vec::new();
    let mut iargs = vec!["compile".to_string()];
    for r in roots.split(':') {
        if r == "_wkt" {
            // The well-known types iprotoc has built in (protoc 36.2's), so both tools compile
            // the same text: the corpus's `_wkt` holds protobuf 35.1's, whose
            // `descriptor.proto` differs.
            pargs.extend(["-I".to_string(), wkt_dir().display().to_string()]);
        } else {
            pargs.extend(["-I".to_string(), r.to_string()]);
            iargs.extend(["-I".to_string(), r.to_string()]);
        }
    }
    pargs.extend(["--include_imports".into(), "-o".into()]);
    pargs.push(outp.display().to_string());
    iargs.extend(["--include_imports".into(), "-o".into()]);
    iargs.push(outi.display().to_string());
    pargs.extend(files.iter().cloned());
    iargs.extend(files.iter().cloned());
    let protoc = Invocation {
        program: tools.protoc.clone(),
        args: pargs,
        cwd: corpus.to_path_buf(),
        output: outp,
    };
    let iprotoc = Invocation {
        program: tools.iprotoc.clone(),
        args: iargs,
        cwd: corpus.to_path_buf(),
        output: outi,
    };
    (protoc, iprotoc)
}

fn main() {
    let args = parse_args();
    if let Some(dir) = &args.dump {
        if let Some(packages) = args.googleapis.filter(|_| args.sizes.is_empty()) {
            let root = dir.join("googleapis");
            let written = googleapis_gen::write(packages, |name, text| {
                let p = root.join(name);
                fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                fs::write(&p, text).expect("write");
            });
            fs::write(root.join("inputs.txt"), written.inputs.join("\n")).expect("write");
            eprintln!("wrote {} ({} files)", root.display(), written.inputs.len());
        }
        for &n in &args.sizes {
            let schema = schema_gen::generate(n);
            let root = dir.join(n.to_string());
            for f in &schema.files {
                let p = root.join(&f.name);
                fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                fs::write(&p, &f.text).expect("write");
            }
            fs::write(root.join("inputs.txt"), schema.inputs.join("\n")).expect("write");
            eprintln!("wrote {} ({} files)", root.display(), schema.files.len());
        }
        return;
    }
    let tools = Tools {
        iprotoc: PathBuf::from(env!("CARGO_BIN_EXE_iprotoc")),
        protoc: protoc_bin_vendored::protoc_bin_path().expect("vendored protoc"),
        protoc_include: protoc_bin_vendored::include_path().expect("vendored includes"),
    };
    let version = Command::new(&tools.protoc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let scratch = tempfile::tempdir().expect("temp dir");
    eprintln!(
        "iprotoc: {}\nprotoc: {} ({version})\nruns per case: {}\n",
        tools.iprotoc.display(),
        tools.protoc.display(),
        args.runs
    );

    // Peak memory comes from each case's untimed first run, made while this process is still
    // small: Linux carries the spawning process's peak RSS into the child's `ru_maxrss` (the
    // child starts as a copy of it), so once the 50,000-message set has been generated every
    // child would report at least this harness's ~80 MB. Hence the corpus first, then the
    // generated sets smallest first, each warmed up as soon as it is written. Only then are
    // the generated sets timed, in rounds over all sizes (`time_rounds`).
    let mut corpus_outcomes = Vec::new();
    if let Some(corpus) = &args.corpus {
        let cases = corpus_cases(&tools, corpus, scratch.path());
        if let Some(dir) = &args.script {
            write_scripts(&cases, dir);
        }
        for case in &cases {
            let warm = warm_up(case, scratch.path());
            let times = time_rounds(&[case], args.runs, scratch.path())[0];
            corpus_outcomes.push(outcome(case, &warm, times));
        }
    }
    // The googleapis-scale set next: written file by file, so this process is still small.
    let googleapis = args.googleapis.map(|packages| {
        googleapis_case(
            &tools,
            args.protox.as_deref(),
            packages,
            &scratch.path().join("googleapis"),
            args.runs,
            scratch.path(),
        )
    });
    let mut sizes = args.sizes.clone();
    sizes.sort_unstable();
    let mut generated = Vec::new();
    for n in sizes {
        let dir = scratch.path().join(format!("gen-{n}"));
        let case = generated_case(&tools, n, &dir);
        let warm = warm_up(&case, scratch.path());
        generated.push((case, warm));
    }
    if !generated.is_empty() {
        eprintln!(
            "timing the generated sets: {} rounds over all sizes",
            args.runs
        );
    }
    let cases: Vec<&Case> = generated.iter().map(|(c, _)| c).collect();
    let times = time_rounds(&cases, args.runs, scratch.path());
    let mut outcomes: Vec<Outcome> = generated
        .iter()
        .zip(times)
        .map(|((case, warm), t)| outcome(case, warm, t))
        .collect();
    outcomes.extend(corpus_outcomes);

    let mut report = report(&outcomes, &version, args.runs);
    if let Some(g) = &googleapis {
        report.push_str(&googleapis_report(g));
    }
    println!("{report}");
    if let Some(out) = &args.out {
        fs::create_dir_all(out).expect("mkdir --out");
        fs::write(out.join("results.md"), &report).expect("write results.md");
        fs::write(out.join("results.tsv"), tsv(&outcomes)).expect("write results.tsv");
        fs::write(out.join("time-vs-size.svg"), svg_plot(&outcomes)).expect("write svg");
        eprintln!(
            "wrote {}/results.md, results.tsv, time-vs-size.svg",
            out.display()
        );
    }
}

/// Writes the corpus cases' invocations as `DIR/protoc.sh` and `DIR/iprotoc.sh` (one run per
/// include-root set) and `DIR/protoc-merged.sh`, `DIR/iprotoc-merged.sh` (fewest runs), so that
/// a profiler (`valgrind --tool=callgrind --trace-children=yes sh DIR/iprotoc.sh`, `perf stat`)
/// can replay exactly the work the benchmark times. Outputs go to `/tmp`.
fn write_scripts(cases: &[Case], dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir --script");
    let quote = |a: &str| format!("'{}'", a.replace('\'', "'\\''"));
    let scripts = cases
        .iter()
        .zip(["", "-merged"])
        .flat_map(|(case, suffix)| {
            [
                (format!("protoc{suffix}"), &case.protoc),
                (format!("iprotoc{suffix}"), &case.iprotoc),
            ]
        });
    for (tool, invs) in scripts {
        let mut sh = String::from("#!/bin/sh\nset -e\n");
        for inv in invs {
            let args: Vec<String> = inv
                .args
                .iter()
                .map(|a| {
                    if Path::new(a) == inv.output {
                        quote(&format!("/tmp/{tool}-corpus.pb"))
                    } else {
                        quote(a)
                    }
                })
                .collect();
            let _ = writeln!(
                sh,
                "(cd {} && {} {})",
                quote(&inv.cwd.display().to_string()),
                quote(&inv.program.display().to_string()),
                args.join(" ")
            );
        }
        fs::write(dir.join(format!("{tool}.sh")), sh).expect("write script");
    }
    eprintln!(
        "wrote {0}/protoc.sh, iprotoc.sh, protoc-merged.sh and iprotoc-merged.sh",
        dir.display()
    );
}

/// The results as a Markdown report: one table row per case, then the linearity of each tool.
fn report(outcomes: &[Outcome], version: &str, runs: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "protoc: {version}; median of {runs} alternating runs (generated sets: in rounds over all sizes); peak = max RSS of the first run\n"
    );
    let _ = writeln!(
        s,
        "| case | input | protoc | iprotoc | speed-up | protoc peak | iprotoc peak | memory ratio | same bytes |"
    );
    let _ = writeln!(s, "|---|---|--:|--:|--:|--:|--:|--:|:-:|");
    for o in outcomes {
        let _ = writeln!(
            s,
            "| {} | {} | {:.1} ms | {:.1} ms | {:.2}× | {:.1} MiB | {:.1} MiB | {:.2} | {} |",
            o.name,
            o.description,
            o.protoc_ms,
            o.iprotoc_ms,
            o.protoc_ms / o.iprotoc_ms,
            o.protoc_kib as f64 / 1024.0,
            o.iprotoc_kib as f64 / 1024.0,
            o.iprotoc_kib as f64 / o.protoc_kib as f64,
            if o.identical { "yes" } else { "**no**" }
        );
    }
    let sized: Vec<&Outcome> = outcomes.iter().filter(|o| o.messages.is_some()).collect();
    let steps: Vec<(&Outcome, &Outcome)> = sized
        .iter()
        .flat_map(|a| sized.iter().map(move |b| (*a, *b)))
        .filter(|(a, b)| b.messages == a.messages.map(|m| m * 10))
        .collect();
    if !steps.is_empty() {
        let _ = writeln!(
            s,
            "\nGrowth: time for 10× the messages divided by the time for 1× (linear = 10).\n"
        );
        let _ = writeln!(s, "| from → to | protoc | iprotoc |");
        let _ = writeln!(s, "|---|--:|--:|");
        for (a, b) in steps {
            let _ = writeln!(
                s,
                "| {} → {} | {:.2} | {:.2} |",
                a.messages.unwrap_or(0),
                b.messages.unwrap_or(0),
                b.protoc_ms / a.protoc_ms,
                b.iprotoc_ms / a.iprotoc_ms
            );
        }
    }
    s
}

/// The results as tab-separated values, for other tools.
fn tsv(outcomes: &[Outcome]) -> String {
    let mut s =
        String::from("case\tmessages\tprotoc_ms\tiprotoc_ms\tprotoc_kib\tiprotoc_kib\tidentical\n");
    for o in outcomes {
        let _ = writeln!(
            s,
            "{}\t{}\t{:.3}\t{:.3}\t{}\t{}\t{}",
            o.name,
            o.messages.map(|m| m.to_string()).unwrap_or_default(),
            o.protoc_ms,
            o.iprotoc_ms,
            o.protoc_kib,
            o.iprotoc_kib,
            o.identical
        );
    }
    s
}

/// A log-log plot of wall time against messages for both tools, as a self-contained SVG.
fn svg_plot(outcomes: &[Outcome]) -> String {
    let pts: Vec<(f64, f64, f64)> = outcomes
        .iter()
        .filter_map(|o| o.messages.map(|m| (m as f64, o.protoc_ms, o.iprotoc_ms)))
        .collect();
    let (w, h) = (640.0, 420.0);
    let (left, right, top, bottom) = (70.0, 20.0, 40.0, 60.0);
    if pts.is_empty() {
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\"/>\n"
        );
    }
    let lg = f64::log10;
    let x_lo = lg(pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min)).floor();
    let x_hi = lg(pts.iter().map(|p| p.0).fold(0.0, f64::max))
        .ceil()
        .max(x_lo + 1.0);
    let ys = pts.iter().flat_map(|p| [p.1, p.2]);
    let y_lo = lg(ys.clone().fold(f64::INFINITY, f64::min)).floor();
    let y_hi = lg(ys.fold(0.0, f64::max)).ceil().max(y_lo + 1.0);
    let px = |x: f64| left + (lg(x) - x_lo) / (x_hi - x_lo) * (w - left - right);
    let py = |y: f64| h - bottom - (lg(y) - y_lo) / (y_hi - y_lo) * (h - top - bottom);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">Wall time against schema size (log-log, median)</text>",
        w / 2.0
    );
    // Grid and tick labels at each power of ten.
    for e in (x_lo as i32)..=(x_hi as i32) {
        let x = px(10f64.powi(e));
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#ddd\"/><text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            h - bottom,
            h - bottom + 16.0,
            10u64.pow(e as u32)
        );
    }
    for e in (y_lo as i32)..=(y_hi as i32) {
        let y = py(10f64.powi(e));
        let label = if e >= 3 {
            format!("{} s", 10u64.pow(e as u32 - 3))
        } else if e >= 0 {
            format!("{} ms", 10u64.pow(e as u32))
        } else {
            format!("{} ms", 10f64.powi(e))
        };
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>",
            w - right,
            left - 6.0,
            y + 4.0
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">messages in the generated schema set</text>",
        (left + w - right) / 2.0,
        h - 18.0
    );
    let _ = writeln!(
        s,
        "<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">wall time</text>",
        (top + h - bottom) / 2.0
    );
    for (label, color, pick, ly) in [
        ("protoc", "#d62728", 1usize, 0.0),
        ("iprotoc", "#1f77b4", 2usize, 18.0),
    ] {
        let coords: Vec<String> = pts
            .iter()
            .map(|p| {
                let y = if pick == 1 { p.1 } else { p.2 };
                format!("{:.1},{:.1}", px(p.0), py(y))
            })
            .collect();
        let _ = writeln!(
            s,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>",
            coords.join(" ")
        );
        for c in &coords {
            let (x, y) = c.split_once(',').expect("pair");
            let _ = writeln!(
                s,
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"3\" fill=\"{color}\"/>"
            );
        }
        let _ = writeln!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{label}</text>",
            left + 14.0,
            top + 14.0 + ly,
            left + 34.0,
            top + 14.0 + ly,
            left + 40.0,
            top + 18.0 + ly
        );
    }
    let _ = writeln!(s, "</svg>");
    s
}
