//! Runs LALRPOP over `grammar/`, writing the generated parser into `OUT_DIR` (included by
//! `src/parse.rs` as `grammar/iproto.lalrpop` → `OUT_DIR/iproto.rs`), and links the `iprotoc`
//! binary statically where it can ([`static_link`]).
// A build script talks to cargo on stdout: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=grammar");
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .set_in_dir("grammar")
        .emit_rerun_directives(true)
        .process()
        .expect("LALRPOP failed to process grammar/");
    static_link();
}

/// Links the `iprotoc` binary as a static PIE on Linux with glibc, as protoc is shipped: a
/// compile of one small file is mostly process start-up, and a dynamically linked binary spends
/// it loading and binding its shared libraries (`iprotoc --version`: 1.1 ms static against
/// 2.2 ms dynamic on the 2-core benchmark machine; docs/performance.md). The library, the tests
/// and every crate that depends on iprotoc link as they always do.
///
/// rustc links glibc statically only with `-C target-feature=+crt-static`, a flag cargo would
/// also pass to the proc-macro crates, which cannot be static. So the binary's link alone is
/// changed: `-static-pie`, and a directory of small linker scripts that stand for the shared
/// libraries rustc names (`libc.so`, `libgcc_s.so`, …) and point at their static archives. When
/// those archives are not installed (glibc's `libc.a` comes with `libc6-dev` or
/// `glibc-static`), when cross-compiling, or with `IPROTOC_DYNAMIC_LINK=1`, nothing changes.
fn static_link() {
    println!("cargo:rerun-if-env-changed=IPROTOC_DYNAMIC_LINK");
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    let wanted = env("CARGO_FEATURE_CLI") == "1"
        && env("CARGO_CFG_TARGET_OS") == "linux"
        && env("CARGO_CFG_TARGET_ENV") == "gnu"
        && env("HOST") == env("TARGET")
        && !env("CARGO_CFG_TARGET_FEATURE")
            .split(',')
            .any(|f| f == "crt-static")
        && env("IPROTOC_DYNAMIC_LINK") != "1";
    if !wanted {
        return;
    }
    let archive = |name: &str| -> Option<PathBuf> {
        let out = Command::new("cc")
            .arg(format!("-print-file-name={name}"))
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
        // The driver prints the bare name when it has no such file.
        (path.is_absolute() && path.is_file()).then_some(path)
    };
    let (Some(c), Some(m), Some(gcc), Some(gcc_eh)) = (
        archive("libc.a"),
        archive("libm.a"),
        archive("libgcc.a"),
        archive("libgcc_eh.a"),
    ) else {
        println!("cargo:warning=libc.a not found: iprotoc is linked dynamically (slower start-up)");
        return;
    };
    let dir = Path::new(&env("OUT_DIR")).join("static-link");
    let shown = |p: &Path| p.display().to_string();
    let scripts = [
        (
            "libc.so",
            format!("GROUP({} {} {})", shown(&c), shown(&gcc_eh), shown(&gcc)),
        ),
        (
            "libgcc_s.so",
            format!("INPUT({} {})", shown(&gcc_eh), shown(&gcc)),
        ),
        ("libm.so", format!("INPUT({})", shown(&m))),
    ];
    // Since glibc 2.34 these live in libc itself (their archives are empty, or gone); rustc
    // still names them.
    let stubs = ["pthread", "dl", "rt", "util"].map(|lib| {
        let input = archive(&format!("lib{lib}.a")).map_or_else(String::new, |p| shown(&p));
        (format!("lib{lib}.so"), format!("INPUT({input})"))
    });
    std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
    let scripts = scripts.map(|(name, script)| (name.to_string(), script));
    for (name, script) in scripts.into_iter().chain(stubs) {
        std::fs::write(dir.join(name), script + "\n").expect("OUT_DIR is writable");
    }
    // `-L` applies to every `-l` of the link line, wherever it stands, so these scripts are
    // found before the system's shared libraries.
    println!("cargo:rustc-link-arg-bins=-L{}", dir.display());
    println!("cargo:rustc-link-arg-bins=-static-pie");
}
