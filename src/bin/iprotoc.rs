//! The `iprotoc` binary: the allocator, then the command line of [`iprotoc::cli`].

use std::process::ExitCode;

/// A faster allocator for the command line (see docs/performance.md); the library sets none.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option numbers for `mi_option_purge_delay` and `mi_option_arena_reserve`
/// (`mimalloc.h`; numbers are kept stable across versions: retired options stay as `deprecated_`
/// placeholders). The tests below check them against mimalloc's defaults.
#[cfg(feature = "mimalloc")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
#[cfg(feature = "mimalloc")]
const MI_OPTION_ARENA_RESERVE: libmimalloc_sys::mi_option_t = 23;

/// How much address space mimalloc reserves for its first arena, in KiB (its default is 1 GiB).
#[cfg(feature = "mimalloc")]
const ARENA_RESERVE_KIB: std::ffi::c_long = 8 * 1024;

/// How long mimalloc keeps freed pages before returning them to the OS (its default: 1,000 ms).
const PURGE_DELAY_MS: std::ffi::c_long = 20;

/// Tunes mimalloc for a short-lived compiler process (docs/performance.md):
/// - Freed pages go back to the OS after 20 ms instead of a second. A compile frees a lot
///   before its peak (token vectors, each file's tree once its descriptor is built, parse-time
///   temporaries), so returning them soon keeps the peak down; returning them at once (0 ms)
///   made the pages that are reused within the same stage fault in again. On the
///   googleapis-scale set: 0 ms took 3.90 s of CPU at a 405 MiB peak, 20 ms 3.43 s at 412 MiB,
///   1,000 ms 3.30 s at 428 MiB (means of 4 runs).
/// - The first arena reserves 8 MiB instead of 1 GiB. mimalloc sets up a bitmap for all of it,
///   which is about 40 of the 240 page faults of a one-file compile; a compile that needs more
///   gets further arenas, each larger than the last. This one only counts if it is set before
///   mimalloc starts: see `TUNE_ALLOCATOR_EARLY`.
fn tune_allocator() {
    #[cfg(feature = "mimalloc")]
    // SAFETY: setting an option is a plain store mimalloc allows at any time, even before it
    // has started.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_RESERVE, ARENA_RESERVE_KIB);
    };
}

/// Runs [`tune_allocator`] before `main`, and before mimalloc's own start-up (which reserves its
/// first arena): the loader runs `.init_array` entries with a priority before the plain ones,
/// mimalloc's constructor among them. Elsewhere `main` tunes it, and the arena size applies from
/// the second arena on. Not in unit tests, which read mimalloc's defaults.
#[cfg(all(feature = "mimalloc", target_os = "linux", not(test)))]
#[used]
#[link_section = ".init_array.00100"]
static TUNE_ALLOCATOR_EARLY: extern "C" fn() = {
    extern "C" fn run() {
        tune_allocator()
    }
    run
};

fn main() -> ExitCode {
    tune_allocator();
    iprotoc::cli::run()
}

#[cfg(all(test, feature = "mimalloc"))]
mod tests {
    /// `MI_OPTION_PURGE_DELAY` names the purge delay: mimalloc v3's default for it is 1000 ms
    /// (`options.c`), and its neighbours' defaults differ.
    #[test]
    fn purge_delay_option_number() {
        // SAFETY: reading an option has no preconditions.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
        // The number before it is the (deprecated) eager-commit delay, the one after it NUMA
        // nodes; neither is 1000 by default.
        let before = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY - 1) };
        let after = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY + 1) };
        assert!(before != 1000 && after != 1000);
    }

    /// `MI_OPTION_ARENA_RESERVE` names the first arena's reservation: 1 GiB by default, in KiB.
    #[test]
    fn arena_reserve_option_number() {
        // SAFETY: reading an option has no preconditions.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_ARENA_RESERVE) };
        assert_eq!(default, 1024 * 1024);
    }
}
