//! A deterministic parallel map over the cores, for the stages that handle files independently
//! (parsing, building, encoding and validating each file), on rayon's thread pool.

use std::error::Error as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// Below this much source text (bytes) in all, a stage is not worth a thread: spawning and, on a
/// busy machine, waiting for the helper to be scheduled costs more than the work it would take.
pub(crate) const MIN_PARALLEL_BYTES: usize = 256 * 1024;

/// Whether work standing for `work_bytes` of source should use helper threads.
fn worth_threads(work_bytes: usize) -> bool {
    work_bytes >= MIN_PARALLEL_BYTES && threads() > 1
}

/// How many threads the stages may use: rayon's (the global pool, or the pool this runs in).
/// Where no thread can be started (a pids limit in a CI container, `RLIMIT_NPROC`), 1: every stage
/// then runs on the calling thread, and rayon is never touched again (its lazily started global
/// pool would panic).
fn threads() -> usize {
    static POOL_USABLE: OnceLock<bool> = OnceLock::new();
    let usable =
        *POOL_USABLE.get_or_init(|| pool_usable(rayon::ThreadPoolBuilder::new().build_global()));
    if usable {
        rayon::current_num_threads()
    } else {
        1
    }
}

/// Whether starting the global pool left one to use: it started, or it had been started before
/// (by an embedding program, or an earlier call); not when its threads could not be created.
fn pool_usable(started: Result<(), rayon::ThreadPoolBuildError>) -> bool {
    match started {
        Ok(()) => true,
        // Only the "could not start a thread" error carries an I/O error as its source.
        Err(e) => e.source().is_none(),
    }
}

/// [`map`] for work that is not measured in bytes of source: on the pool when the caller says
/// it is `worth` the threads (and there is more than one), else inline.
pub(crate) fn map_when<I: Send, T: Send>(
    items: Vec<I>,
    worth: bool,
    f: impl Fn(I) -> T + Sync + Send,
) -> Vec<T> {
    if items.len() < 2 || !worth || threads() < 2 {
        return items.into_iter().map(f).collect();
    }
    use rayon::prelude::*;
    items.into_par_iter().with_max_len(1).map(f).collect()
}

/// Applies `f` to every item on all cores and returns the results in the items' order, whatever
/// the threads' timing. Runs inline when `work_bytes` (the source size the items stand for) is
/// under [`MIN_PARALLEL_BYTES`], for fewer than two items, or on one core. The threads are
/// rayon's global pool: started by the first stage that needs them and reused by the next ones
/// (a thread started per stage cost each stage its start-up and a fresh allocator heap: a few
/// hundred page faults each). A panic in `f` is passed on.
pub(crate) fn map<I: Send, T: Send>(
    items: Vec<I>,
    work_bytes: usize,
    f: impl Fn(I) -> T + Sync + Send,
) -> Vec<T> {
    map_when(items, work_bytes >= MIN_PARALLEL_BYTES, f)
}

/// [`map`] for items produced one by one on this thread (files read through a resolver that need
/// not be `Sync`), overlapping production with the mapping: once the items produced so far stand
/// for [`MIN_PARALLEL_BYTES`], they are handed to the pool as they come, while this thread
/// produces the rest. Each item comes with the size it stands for. Results are in production
/// order, whatever the threads' timing; below the threshold, or on one core, it is a plain
/// sequential map that does not touch the pool (so a small compile starts no thread at all).
/// A panic in `f` is passed on.
pub(crate) fn map_as_produced<I: Send, T: Send>(
    mut produce: impl Iterator<Item = (I, usize)>,
    f: impl Fn(I) -> T + Sync + Send,
) -> Vec<T> {
    // Hold the items until they stand for enough work: a small compile never touches the pool,
    // whose first use starts its threads.
    let mut held = Vec::new();
    let mut bytes = 0;
    for (item, size) in produce.by_ref() {
        bytes += size;
        held.push(item);
        if bytes >= MIN_PARALLEL_BYTES {
            break;
        }
    }
    if !worth_threads(bytes) {
        return held
            .into_iter()
            .chain(produce.map(|(item, _)| item))
            .map(f)
            .collect();
    }
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::new());
    let mut count = 0;
    rayon::in_place_scope(|scope| {
        let (f, done) = (&f, &done);
        let spawn = |i: usize, item: I| {
            scope.spawn(move |_| {
                let r = f(item);
                done.lock().unwrap_or_else(|e| e.into_inner()).push((i, r));
            })
        };
        for item in held.into_iter().chain(produce.map(|(item, _)| item)) {
            spawn(count, item);
            count += 1;
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|&(i, _)| i);
    debug_assert_eq!(done.len(), count);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The drops [`drop_in_background`] handed to the pool that have not finished yet.
static PENDING_DROPS: AtomicUsize = AtomicUsize::new(0);

/// Waits until every drop handed to the pool so far has finished: a measurement of live memory
/// (the tests' counting allocator) must not see an earlier compilation's frees land in its own.
/// Call it from a thread outside the pool (it waits by yielding, not by running pool work).
#[cfg(feature = "internals")]
pub fn wait_for_background_drops() {
    while PENDING_DROPS.load(Ordering::Acquire) > 0 {
        std::thread::yield_now();
    }
}

/// Drops `value` on the pool when work standing for `work_bytes` uses it (freeing a large
/// compilation's trees is milliseconds of work that nothing waits for), else here.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T, work_bytes: usize) {
    if worth_threads(work_bytes) {
        PENDING_DROPS.fetch_add(1, Ordering::Relaxed);
        rayon::spawn(move || {
            drop(value);
            PENDING_DROPS.fetch_sub(1, Ordering::Release);
        });
    } else {
        drop(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pool whose threads cannot start is unusable; one started before is usable.
    #[test]
    fn a_pool_that_cannot_start_threads_is_not_used() {
        let failed = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .spawn_handler(|_| Err(std::io::Error::other("no threads here")))
            .build()
            .map(|_| ());
        assert!(!pool_usable(failed));
        assert!(threads() >= 1);
        // The global pool exists now, so starting it again reports "already initialized".
        assert!(pool_usable(rayon::ThreadPoolBuilder::new().build_global()));
    }

    /// Results come back in production order, above and below the threshold.
    #[test]
    fn map_as_produced_keeps_production_order() {
        for (n, size) in [(0, 0), (5, 10), (200, MIN_PARALLEL_BYTES / 50)] {
            let got = map_as_produced((0..n).map(|i| (i, size)), |i: usize| {
                // Uneven work, so that helpers finish out of order.
                std::hint::black_box((0..(i % 7) * 1000).sum::<usize>());
                i * 2
            });
            assert_eq!(got, (0..n).map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
