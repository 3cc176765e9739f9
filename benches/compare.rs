//! iprotoc against protoc and protox: wall time, CPU time and peak memory on the same work.
//!
//! ```text
//! cargo bench --bench compare                   # the full run (a few minutes)
//! cargo bench --bench compare -- --quick        # smaller sizes, fewer runs (~30 s)
//! cargo bench --bench compare -- --out docs/perf   # also write results.md/.tsv and the two plots
//! cargo bench --bench compare -- --dump /tmp/s --sizes 5000   # only write a generated schema
//! ```
//!
//! Options: `--googleapis PACKAGES` / `--no-googleapis`, `--protox PATH` / `--no-protox`,
//! `--runs N` (timed runs per tool and case, default 7; 3 with `--quick`),
//! `--sizes 10,100,…` (messages per generated set; `none` for the corpus only), `--corpus DIR` (default `../shared/corpus`,
//! or `$IPROTOC_CORPUS`; skipped when absent), `--no-corpus`, `--script DIR` (also write the
//! corpus runs as shell scripts in DIR, for profilers).
//!
//! The tools compile the same files with `--include_imports -o FILE`; the harness compares each
//! output with protoc's (a benchmark of wrong output would be worthless) and reports it: iprotoc's
//! must be the same bytes; protox's, which differs, is compared file by file, with the
//! descriptor fields where it differs (`support/set_diff.rs`).
//!
//! - **Generated schema sets** (`support/schema_gen.rs`): `.iproto` files with inheritance.
//!   iprotoc compiles them as written; protoc and protox compile the lowered `.proto` files,
//!   which iprotoc writes once, untimed, before the runs. The sets are clean: the harness fails
//!   if `iprotoc check` (every lint rule) or the timed compile prints anything on them.
//! - **Small file**: the smallest generated set (one input file importing the options file and
//!   `descriptor.proto`), i.e. a one-file compile: the startup cost.
//! - **Corpus**: the valid files of `corpus/manifest.tsv`, one run of each tool per set of include
//!   roots (split where files of a set define the same names and cannot be compiled together).
//!   The `_wkt` root is for protoc only (iprotoc has the well-known types built in), and protoc
//!   gets iprotoc's own copy of them (`wkt/`, protoc 36.2's) so both compile the same text. Files
//!   that iprotoc rejects on their own are left out of both tools' lists and counted in the
//!   report. Time is the sum over the runs; memory the largest peak. protox is not run on it.
//! - **Corpus, fewest runs**: the same files in as few runs as they can be compiled in — the
//!   nearest the corpus comes to "compiled in one run", since its projects define the same names.
//!   Runs are merged (their include roots joined) only where both tools accept the union, write
//!   the same bytes, and protoc's output holds exactly the descriptors of the separate runs.
//! - **Googleapis-scale** (`support/googleapis_gen.rs`): ~7,200 plain `.proto` files, 63 MB, of
//!   googleapis' shape, compiled whole by the three tools (checked clean as the generated sets, but for buf's style
//!   rules, which googleapis does not follow either).
//!
//! Wall time is the median of the runs; the tools' order rotates from run to run (with two,
//! ABBA), so a load change on the machine hits them alike. CPU time is the child's user + system
//! time over all its threads (`wait4`'s rusage), median of the same runs; CPU / wall says how many
//! cores it kept busy. The generated sets are timed in rounds, every size once per
//! round, so that a slow spell of the machine hits every size alike and the growth ratios
//! between sizes hold. Peak memory is each child's `ru_maxrss` from `wait4`, taken from each
//! case's untimed first run; since Linux counts the spawning process's own peak into it, those
//! runs are made while this process is small: the corpus first, then the generated sets
//! smallest first, each as soon as it is written, then the googleapis-scale set (whose outputs,
//! compared in this process, are larger than anything before them; its tools' peaks are larger
//! still).
//!
//! `--out DIR` writes `results.md`, `results.tsv`, and two log-log plots against MB of source:
//! `time-vs-size.svg` (wall and CPU) and `memory-vs-size.svg` (peak RSS), the three tools over
//! the generated sizes, the googleapis-scale case as marked points.
// Tests read fixtures and run binaries: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "support/googleapis_gen.rs"]
mod googleapis_gen;
#[path = "support/plot.rs"]
mod plot;
#[path = "support/schema_gen.rs"]
mod schema_gen;
#[path = "support/set_diff.rs"]
mod set_diff;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use set_diff::SetDiff;

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

/// A unit of work the tools do: each list of invocations is run in sequence (the corpus has
/// one invocation per include-root group) and counts as one run.
struct Case {
    name: String,
    /// Messages (generated sets) or files (corpus), for the linearity table.
    messages: Option<usize>,
    /// Bytes of source: the plots' x axis.
    bytes: usize,
    /// The googleapis-scale case (marked apart on the plots).
    googleapis: bool,
    description: String,
    protoc: Vec<Invocation>,
    iprotoc: Vec<Invocation>,
    /// Empty where protox is not measured (the corpus; or protox is not installed).
    protox: Vec<Invocation>,
    /// iprotoc must print nothing on this case (the generated sets are clean: a diagnostic
    /// would mean the benchmark measures rendering warnings no clean schema pays for).
    quiet: bool,
}

impl Case {
    /// The measured tools, protoc first (the reference every output is compared with).
    fn tools(&self) -> Vec<(&'static str, &[Invocation])> {
        let mut t: Vec<(&'static str, &[Invocation])> =
            vec![("protoc", &self.protoc), ("iprotoc", &self.iprotoc)];
        if !self.protox.is_empty() {
            t.push(("protox", &self.protox));
        }
        t
    }
}

/// One tool's result on a case.
struct ToolStats {
    tool: &'static str,
    /// Median wall time of the timed runs.
    wall_ms: f64,
    /// Median CPU time (user + system of the child, all threads, from `wait4`) of the timed runs.
    cpu_ms: f64,
    /// Peak RSS of the untimed first run.
    kib: u64,
    /// Every run succeeded.
    ok: bool,
    /// Its output against protoc's (`None` for protoc itself).
    diff: Option<SetDiff>,
}

/// The measured result of a case.
struct Outcome {
    name: String,
    messages: Option<usize>,
    bytes: usize,
    googleapis: bool,
    description: String,
    /// protoc, iprotoc and, where measured, protox.
    tools: Vec<ToolStats>,
}

impl Outcome {
    fn tool(&self, name: &str) -> Option<&ToolStats> {
        self.tools.iter().find(|t| t.tool == name)
    }
}

/// Runs the invocations of one tool once: total wall and CPU time, largest peak, all succeeded.
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
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Fails the benchmark if iprotoc printed anything on its last run (its stderr is in
/// `scratch/stderr.txt`): the generated sets are clean, and a diagnostic there means the
/// benchmark would time rendering it.
fn assert_quiet(case: &str, what: &str, scratch: &Path) {
    let err = fs::read_to_string(scratch.join("stderr.txt")).unwrap_or_default();
    assert!(
        err.is_empty(),
        "{case}: iprotoc {what} printed diagnostics on a generated set, which must be clean \
         (fix benches/support/*_gen.rs):\n{}",
        err.lines().take(20).collect::<Vec<_>>().join("\n")
    );
}

/// Runs each tool once, untimed: warms the file cache, compares each tool's output with
/// protoc's, and measures peak memory (see `main` for why memory comes from this run only).
/// Returns each tool's result, times not yet filled in.
fn warm_up(case: &Case, scratch: &Path) -> Vec<ToolStats> {
    eprintln!("{}: {}", case.name, case.description);
    let mut stats = Vec::new();
    for (tool, invs) in case.tools() {
        let s = run_all(invs, scratch);
        if tool == "iprotoc" && case.quiet {
            assert_quiet(&case.name, "compile", scratch);
        }
        stats.push(ToolStats {
            tool,
            wall_ms: 0.0,
            cpu_ms: 0.0,
            kib: s.max_rss_kib,
            ok: s.ok,
            diff: None,
        });
    }
    // Each tool's outputs against protoc's, one run (invocation) at a time.
    for (k, (tool, invs)) in case.tools().into_iter().enumerate().skip(1) {
        let mut total: Option<SetDiff> = None;
        for (p, i) in case.protoc.iter().zip(invs) {
            let reference = fs::read(&p.output).unwrap_or_default();
            let d = set_diff::compare(&reference, &fs::read(&i.output).unwrap_or_default());
            if !d.identical {
                let shown: Vec<&str> = i.args.iter().take(12).map(String::as_str).collect();
                let more = i.args.len().saturating_sub(shown.len());
                let more = if more > 0 {
                    format!(" … ({more} more arguments)")
                } else {
                    String::new()
                };
                eprintln!("  different output: {tool} {}{more}", shown.join(" "));
            }
            total = Some(match total {
                None => d,
                Some(mut t) => {
                    t.identical &= d.identical;
                    t.same_files += d.same_files;
                    t.files += d.files;
                    t.missing += d.missing;
                    t.differing_count += d.differing_count;
                    t.differing.extend(d.differing);
                    t.differing.truncate(3);
                    for (path, n) in d.paths {
                        *t.paths.entry(path).or_default() += n;
                    }
                    t
                }
            });
        }
        if let Some(t) = total.as_mut() {
            t.identical &= stats[0].ok && stats[k].ok;
        }
        stats[k].diff = total;
    }
    stats
}

/// Times `runs` rounds over `cases`: each round runs every case once with each tool, the tools'
/// order rotating from round to round (with two tools: ABBA, protoc first on even rounds).
/// Taking the cases in turn, rather than one case's runs back to back, spreads every case's runs
/// over the same minutes, so a slow spell of the machine hits every size alike and the growth
/// ratios between sizes are not skewed by when each size happened to run. Fills in each tool's
/// median wall and CPU times.
fn time_rounds(cases: &[&Case], stats: &mut [&mut Vec<ToolStats>], runs: usize, scratch: &Path) {
    // times[case][tool] = (walls, cpus)
    let mut times: Vec<Vec<(Vec<f64>, Vec<f64>)>> = cases
        .iter()
        .map(|c| vec![(Vec::new(), Vec::new()); c.tools().len()])
        .collect();
    for r in 0..runs {
        for (case, t) in cases.iter().zip(&mut times) {
            let tools = case.tools();
            for k in 0..tools.len() {
                let which = (k + r) % tools.len();
                let s = run_all(tools[which].1, scratch);
                t[which].0.push(s.wall.as_secs_f64() * 1e3);
                t[which].1.push(s.cpu.as_secs_f64() * 1e3);
            }
        }
        eprintln!("  round {} of {runs} done", r + 1);
    }
    for (st, t) in stats.iter_mut().zip(times) {
        for (s, (walls, cpus)) in st.iter_mut().zip(t) {
            s.wall_ms = median(walls);
            s.cpu_ms = median(cpus);
        }
    }
}

/// The outcome of a case from its measured tools.
fn outcome(case: &Case, tools: Vec<ToolStats>) -> Outcome {
    let o = Outcome {
        name: case.name.clone(),
        messages: case.messages,
        bytes: case.bytes,
        googleapis: case.googleapis,
        description: case.description.clone(),
        tools,
    };
    for t in &o.tools {
        eprintln!(
            "{}: {} {:.1} ms wall, {:.1} ms cpu, peak {} KiB, same bytes as protoc: {}",
            o.name,
            t.tool,
            t.wall_ms,
            t.cpu_ms,
            t.kib,
            t.diff.as_ref().map_or("-".to_string(), |d| d.summary(3))
        );
    }
    o
}

/// Paths of the tools and protoc's include directory (for the well-known types).
struct Tools {
    iprotoc: PathBuf,
    protoc: PathBuf,
    protoc_include: PathBuf,
    /// protox's CLI, when it is measured.
    protox: Option<PathBuf>,
}

/// Runs `iprotoc check` (every lint rule but the groups in `allow`) over `files` under the
/// include root `src` of `dir` and fails the benchmark if it prints anything: the generated sets
/// must be clean.
fn assert_check_clean(tools: &Tools, case: &str, dir: &Path, allow: &[&str], files: &[String]) {
    let out = Command::new(&tools.iprotoc)
        .args(["check", "-I", "src"])
        .args(allow.iter().flat_map(|g| ["-A", g]))
        .args(files)
        .current_dir(dir)
        .stdout(Stdio::null())
        .output()
        .expect("run iprotoc check");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && err.is_empty(),
        "{case}: `iprotoc check` is not clean on a generated set (fix benches/support/*_gen.rs):\n{}",
        err.lines().take(20).collect::<Vec<_>>().join("\n")
    );
}

/// Writes a generated schema set under `dir/src` and its lowered `.proto` files under
/// `dir/lowered` (with iprotoc, untimed), checks that `iprotoc check` finds nothing to say about
/// it, and returns the case: iprotoc compiles the `.iproto` files, protoc and protox the lowered
/// `.proto` files.
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
    let name = if messages <= 10 {
        format!("small ({messages} messages)")
    } else {
        format!("generated {messages}")
    };
    assert_check_clean(tools, &name, dir, &[], &all);
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
    pargs.extend(proto_inputs.iter().cloned());
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
    // protox has the well-known types built in.
    let protox = tools.protox.as_ref().map(|program| {
        let mut xargs: Vec<String> = ["-I", "lowered", "--include-imports", "-o", "protox.pb"]
            .map(String::from)
            .to_vec();
        xargs.extend(proto_inputs.iter().cloned());
        Invocation {
            program: program.clone(),
            args: xargs,
            cwd: dir.to_path_buf(),
            output: dir.join("protox.pb"),
        }
    });
    Case {
        name,
        messages: Some(messages),
        bytes: schema.bytes(),
        googleapis: false,
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
        protox: protox.into_iter().collect(),
        quiet: true,
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
            // The corpus is not on the plots (its runs are of many sizes).
            bytes: 0,
            googleapis: false,
            description: format!(
                "{kept} of {valid} valid files in {} runs ({how})",
                batches.len()
            ),
            protoc,
            iprotoc,
            protox: Vec::new(),
            quiet: false,
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
    for (field, file) in set_diff::fields(&bytes)? {
        if field != 1 {
            return None;
        }
        let name = set_diff::fields(file)?
            .into_iter()
            .find(|&(f, _)| f == 1)?
            .1;
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(file, &mut h);
        out.insert(
            String::from_utf8_lossy(name).into_owned(),
            std::hash::Hasher::finish(&h),
        );
    }
    Some(out)
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

/// Writes the googleapis-scale set (`support/googleapis_gen.rs`) under `dir/src`, one file at a
/// time (this process stays small, see `main`), checks that `iprotoc check` finds nothing to say
/// about it, and measures protoc, iprotoc and protox (when installed) compiling all of it with
/// `--include_imports -o`: a first untimed run each for peak memory and the comparison with
/// protoc's output, then `runs` rounds, the tools' order rotating from round to round.
fn googleapis_case(
    tools: &Tools,
    packages: usize,
    dir: &Path,
    runs: usize,
    scratch: &Path,
) -> Outcome {
    let src = dir.join("src");
    let written = googleapis_gen::write(packages, |name, text| {
        let path = src.join(name);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(&path, text).expect("write schema");
    });
    let name = "googleapis-scale".to_string();
    // Every rule but buf's style rules, which googleapis does not follow (it follows Google's
    // API design guide: unprefixed values in nested enums, `Get` returning the resource, one
    // `Operation` response for many RPCs, unversioned `google.api`), and neither does this set.
    assert_check_clean(tools, &name, dir, &["style"], &written.inputs);
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
    // protox has its own well-known types: it cannot parse protoc 36.2's `descriptor.proto`
    // (extension declarations), so it does not get `wkt/`.
    let protox = tools.protox.as_deref().map(|protox| {
        inv(
            protox,
            &["-I", "src", "--include-imports", "-o"],
            "protox.pb",
        )
    });
    let case = Case {
        name,
        messages: None,
        bytes: written.bytes,
        googleapis: true,
        description: format!(
            "{} files in {packages} packages, {:.1} MB of source",
            written.inputs.len(),
            written.bytes as f64 / 1e6
        ),
        protoc: vec![inv(
            &tools.protoc,
            &["-I", "src", "-I", &wkt, "--include_imports", "-o"],
            "protoc.pb",
        )],
        iprotoc: vec![inv(
            &tools.iprotoc,
            &["compile", "-I", "src", "--include_imports", "-o"],
            "iprotoc.pb",
        )],
        protox: protox.into_iter().collect(),
        quiet: true,
    };
    let mut stats = warm_up(&case, scratch);
    time_rounds(&[&case], &mut [&mut stats], runs, scratch);
    let _ = fs::remove_dir_all(&src);
    outcome(&case, stats)
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
        protox: args.protox.clone(),
    };
    let version = Command::new(&tools.protoc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let scratch = tempfile::tempdir().expect("temp dir");
    eprintln!(
        "iprotoc: {}\nprotoc: {} ({version})\nprotox: {}\nruns per case: {}\n",
        tools.iprotoc.display(),
        tools.protoc.display(),
        tools
            .protox
            .as_ref()
            .map_or("not measured".to_string(), |p| p.display().to_string()),
        args.runs
    );

    // Peak memory comes from each case's untimed first run, made while this process is still
    // small: Linux carries the spawning process's peak RSS into the child's `ru_maxrss` (the
    // child starts as a copy of it), so once the 50,000-message set has been generated every
    // child would report at least this harness's ~80 MB. Hence the corpus first, then the
    // generated sets smallest first, each warmed up as soon as it is written, then the
    // googleapis-scale set (see there). Only then are the generated sets timed, in rounds over
    // all sizes (`time_rounds`).
    let mut corpus_outcomes = Vec::new();
    if let Some(corpus) = &args.corpus {
        let cases = corpus_cases(&tools, corpus, scratch.path());
        if let Some(dir) = &args.script {
            write_scripts(&cases, dir);
        }
        for case in &cases {
            let mut stats = warm_up(case, scratch.path());
            time_rounds(&[case], &mut [&mut stats], args.runs, scratch.path());
            corpus_outcomes.push(outcome(case, stats));
        }
    }
    let mut sizes = args.sizes.clone();
    sizes.sort_unstable();
    let mut generated = Vec::new();
    for n in sizes {
        let dir = scratch.path().join(format!("gen-{n}"));
        let case = generated_case(&tools, n, &dir);
        let stats = warm_up(&case, scratch.path());
        generated.push((case, stats));
    }
    // The googleapis-scale set last: comparing its three 17 MB outputs grows this process to
    // ~40 MB, which every later child's `ru_maxrss` would report (a first version ran it before
    // the generated sets and measured 38 MiB for every tool on the small ones). Its tools peak
    // far above what generating the largest set costs this process.
    let googleapis = args.googleapis.map(|packages| {
        googleapis_case(
            &tools,
            packages,
            &scratch.path().join("googleapis"),
            args.runs,
            scratch.path(),
        )
    });
    if !generated.is_empty() {
        eprintln!(
            "timing the generated sets: {} rounds over all sizes",
            args.runs
        );
    }
    let (cases, mut stats): (Vec<&Case>, Vec<Vec<ToolStats>>) = generated
        .iter_mut()
        .map(|(c, s)| (&*c, std::mem::take(s)))
        .unzip();
    {
        let mut refs: Vec<&mut Vec<ToolStats>> = stats.iter_mut().collect();
        time_rounds(&cases, &mut refs, args.runs, scratch.path());
    }
    let mut outcomes: Vec<Outcome> = cases
        .iter()
        .zip(stats)
        .map(|(case, s)| outcome(case, s))
        .collect();
    outcomes.extend(corpus_outcomes);
    outcomes.extend(googleapis);

    let report = report(&outcomes, &version, args.runs);
    println!("{report}");
    if let Some(out) = &args.out {
        fs::create_dir_all(out).expect("mkdir --out");
        fs::write(out.join("results.md"), &report).expect("write results.md");
        fs::write(out.join("results.tsv"), tsv(&outcomes)).expect("write results.tsv");
        fs::write(out.join("time-vs-size.svg"), time_plot(&outcomes)).expect("write svg");
        fs::write(out.join("memory-vs-size.svg"), memory_plot(&outcomes)).expect("write svg");
        eprintln!(
            "wrote {}/results.md, results.tsv, time-vs-size.svg, memory-vs-size.svg",
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

/// The results as a Markdown report: a row per case and tool, then the linearity of each tool.
fn report(outcomes: &[Outcome], version: &str, runs: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "protoc: {version}; median of {runs} runs, the tools' order rotating (generated sets: in rounds over all sizes); cpu = user + system of the child over all its threads (`wait4`); cpu / wall = how many cores were busy; peak = max RSS of the first, untimed run\n"
    );
    let _ = writeln!(
        s,
        "| case | input | tool | wall | cpu | cpu / wall | peak | wall vs protoc | peak vs protoc | same bytes as protoc |"
    );
    let _ = writeln!(s, "|---|---|---|--:|--:|--:|--:|--:|--:|:-:|");
    for o in outcomes {
        let Some(p) = o.tool("protoc") else { continue };
        for (k, t) in o.tools.iter().enumerate() {
            let (name, input) = if k == 0 {
                (o.name.as_str(), o.description.as_str())
            } else {
                ("", "")
            };
            let _ = writeln!(
                s,
                "| {name} | {input} | {}{} | {} | {} | {:.2} | {:.1} MiB | {:.2} | {:.2} | {} |",
                t.tool,
                if t.ok { "" } else { " (failed)" },
                ms(t.wall_ms),
                ms(t.cpu_ms),
                t.cpu_ms / t.wall_ms,
                t.kib as f64 / 1024.0,
                t.wall_ms / p.wall_ms,
                t.kib as f64 / p.kib as f64,
                t.diff.as_ref().map_or("—".to_string(), |d| d.summary(3))
            );
        }
    }
    let sized: Vec<&Outcome> = outcomes.iter().filter(|o| o.messages.is_some()).collect();
    let steps: Vec<(&Outcome, &Outcome)> = sized
        .iter()
        .flat_map(|a| sized.iter().map(move |b| (*a, *b)))
        .filter(|(a, b)| b.messages == a.messages.map(|m| m * 10))
        .collect();
    if !steps.is_empty() {
        let tools: Vec<&str> = steps[0].0.tools.iter().map(|t| t.tool).collect();
        let _ = writeln!(
            s,
            "\nGrowth: wall time for 10× the messages divided by the time for 1× (linear = 10).\n"
        );
        let _ = writeln!(s, "| from → to | {} |", tools.join(" | "));
        let _ = writeln!(s, "|---|{}", "--:|".repeat(tools.len()));
        for (a, b) in steps {
            let cells: Vec<String> = tools
                .iter()
                .map(|t| match (a.tool(t), b.tool(t)) {
                    (Some(x), Some(y)) => format!("{:.2}", y.wall_ms / x.wall_ms),
                    _ => "—".to_string(),
                })
                .collect();
            let _ = writeln!(
                s,
                "| {} → {} | {} |",
                a.messages.unwrap_or(0),
                b.messages.unwrap_or(0),
                cells.join(" | ")
            );
        }
    }
    s
}

/// A duration in ms, with a thousands separator and a precision fit for its size.
fn ms(v: f64) -> String {
    if v >= 1000.0 {
        let n = v.round() as u64;
        format!("{},{:03} ms", n / 1000, n % 1000)
    } else {
        format!("{v:.1} ms")
    }
}

/// The results as tab-separated values, for other tools: a row per case and tool.
fn tsv(outcomes: &[Outcome]) -> String {
    let mut s = String::from(
        "case\tmessages\tsource_bytes\ttool\twall_ms\tcpu_ms\tcpu_per_wall\tpeak_kib\tsame_as_protoc\tsame_files\tfiles\n",
    );
    for o in outcomes {
        for t in &o.tools {
            let _ = writeln!(
                s,
                "{}\t{}\t{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{}\t{}\t{}\t{}",
                o.name,
                o.messages.map(|m| m.to_string()).unwrap_or_default(),
                o.bytes,
                t.tool,
                t.wall_ms,
                t.cpu_ms,
                t.cpu_ms / t.wall_ms,
                t.kib,
                t.diff
                    .as_ref()
                    .map_or("", |d| if d.identical { "yes" } else { "no" }),
                t.diff
                    .as_ref()
                    .map(|d| d.same_files.to_string())
                    .unwrap_or_default(),
                t.diff
                    .as_ref()
                    .map(|d| d.files.to_string())
                    .unwrap_or_default(),
            );
        }
    }
    s
}

/// The colour of each tool on the plots.
fn color(tool: &str) -> &'static str {
    match tool {
        "protoc" => "#d62728",
        "iprotoc" => "#1f77b4",
        _ => "#2ca02c",
    }
}

/// The plots' x axis: MB of source, at each power of ten.
fn mb_tick(e: i32) -> String {
    if e >= 0 {
        format!("{} MB", 10u64.pow(e as u32))
    } else {
        format!("{} MB", 10f64.powi(e))
    }
}

/// Lines of `value` (of a tool's result) against MB of source over the generated sets, one per
/// tool, and the googleapis-scale case as marked points.
fn series_and_markers(
    outcomes: &[Outcome],
    value: impl Fn(&ToolStats) -> f64,
    label_suffix: &str,
    dashed: bool,
) -> (Vec<plot::Series>, Vec<plot::Marker>) {
    let mut series = Vec::new();
    let mut markers = Vec::new();
    for tool in ["protoc", "iprotoc", "protox"] {
        let points: Vec<(f64, f64)> = outcomes
            .iter()
            .filter(|o| o.messages.is_some())
            .filter_map(|o| o.tool(tool).map(|t| (o.bytes as f64 / 1e6, value(t))))
            .collect();
        if !points.is_empty() {
            series.push(plot::Series {
                label: format!("{tool}{label_suffix}"),
                color: color(tool),
                dashed,
                points,
            });
        }
        for o in outcomes.iter().filter(|o| o.googleapis) {
            if let Some(t) = o.tool(tool) {
                markers.push(plot::Marker {
                    label: if dashed {
                        String::new()
                    } else {
                        tool.to_string()
                    },
                    color: color(tool),
                    x: o.bytes as f64 / 1e6,
                    y: value(t),
                    filled: dashed,
                });
            }
        }
    }
    (series, markers)
}

/// Wall time (solid) and CPU time (dashed) against input size, log-log.
fn time_plot(outcomes: &[Outcome]) -> String {
    let (mut series, mut markers) = series_and_markers(outcomes, |t| t.wall_ms, " wall", false);
    let (cpu, cpu_markers) = series_and_markers(outcomes, |t| t.cpu_ms, " cpu", true);
    series.extend(cpu);
    markers.extend(cpu_markers);
    plot::log_log(
        &plot::Plot {
            title: "Time against input size (log-log, median)",
            x_label: "MB of source (generated schema sets; squares: the googleapis-scale set)",
            y_label: "time",
            x_tick: mb_tick,
            y_tick: |e| {
                if e >= 3 {
                    format!("{} s", 10u64.pow(e as u32 - 3))
                } else if e >= 0 {
                    format!("{} ms", 10u64.pow(e as u32))
                } else {
                    format!("{} ms", 10f64.powi(e))
                }
            },
            note: "squares: the googleapis-scale set, wall (hollow) and cpu (filled)",
        },
        &series,
        &markers,
    )
}

/// Peak memory against input size, log-log.
fn memory_plot(outcomes: &[Outcome]) -> String {
    let (series, markers) =
        series_and_markers(outcomes, |t| t.kib as f64 / 1024.0, " peak RSS", false);
    plot::log_log(
        &plot::Plot {
            title: "Peak memory against input size (log-log)",
            x_label: "MB of source (generated schema sets; squares: the googleapis-scale set)",
            y_label: "peak RSS",
            x_tick: mb_tick,
            y_tick: |e| {
                if e >= 3 {
                    format!("{},{:03} MiB", 10u64.pow(e as u32 - 3), 0)
                } else if e >= 0 {
                    format!("{} MiB", 10u64.pow(e as u32))
                } else {
                    format!("{} MiB", 10f64.powi(e))
                }
            },
            note: "squares: the googleapis-scale set",
        },
        &series,
        &markers,
    )
}
