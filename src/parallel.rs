//! A deterministic parallel map over the cores, for the stages that handle files independently
//! (parsing, building each file's descriptor before options are interpreted).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Below this much source text (bytes) in all, a stage is not worth a thread: spawning and, on a
/// busy machine, waiting for the helper to be scheduled costs more than the work it would take.
pub(crate) const MIN_PARALLEL_BYTES: usize = 256 * 1024;

/// Applies `f` to every item on up to `available_parallelism` threads and returns the results in
/// the items' order, whatever the threads' timing. Runs inline when `work_bytes` (the source
/// size the items stand for) is under [`MIN_PARALLEL_BYTES`], for fewer than two items, or on
/// one core. A panic in `f` is passed on.
pub(crate) fn map<I: Send, T: Send>(
    items: Vec<I>,
    work_bytes: usize,
    f: impl Fn(I) -> T + Sync,
) -> Vec<T> {
    let threads = if work_bytes < MIN_PARALLEL_BYTES {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(items.len())
    };
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    // Each thread takes the next untaken item and keeps (position, result).
    let slots: Vec<Mutex<Option<I>>> = items.into_iter().map(|x| Mutex::new(Some(x))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(i) else {
                return mine;
            };
            let item = slot
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("each slot is taken once");
            mine.push((i, f(item)));
        }
    };
    let mut results: Vec<Option<T>> = (0..slots.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut runs = vec![work()];
        for h in helpers {
            runs.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        for (i, r) in runs.into_iter().flatten() {
            results[i] = Some(r);
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}
