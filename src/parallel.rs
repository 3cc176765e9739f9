//! A deterministic parallel map over the cores, for the stages that handle files independently
//! (parsing, building each file's descriptor before options are interpreted).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

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

/// [`map`] for items produced one by one on this thread (files read through a resolver that need
/// not be `Sync`), overlapping production with the mapping: once the items produced so far stand
/// for [`MIN_PARALLEL_BYTES`], helper threads start mapping them while this thread produces the
/// rest, then this thread joins in. Each item comes with the size it stands for. Results are in
/// production order, whatever the threads' timing; below the threshold, or on one core, it is
/// a plain sequential map. A panic in `f` is passed on.
pub(crate) fn map_as_produced<I: Send, T: Send>(
    produce: impl Iterator<Item = (I, usize)>,
    f: impl Fn(I) -> T + Sync,
) -> Vec<T> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Items not yet taken, with their positions, and whether production has ended.
    let queue: Mutex<(VecDeque<(usize, I)>, bool)> = Mutex::new((VecDeque::new(), false));
    let ready = Condvar::new();
    let lock = || queue.lock().unwrap_or_else(|e| e.into_inner());
    let work = || {
        let mut mine = Vec::new();
        loop {
            let mut q = lock();
            let (i, item) = loop {
                if let Some(next) = q.0.pop_front() {
                    break next;
                }
                if q.1 {
                    return mine;
                }
                q = ready.wait(q).unwrap_or_else(|e| e.into_inner());
            };
            drop(q);
            mine.push((i, f(item)));
        }
    };
    let mut count = 0;
    let mut runs = std::thread::scope(|scope| {
        let mut helpers = Vec::new();
        let mut bytes = 0;
        for (item, size) in produce {
            lock().0.push_back((count, item));
            ready.notify_one();
            count += 1;
            bytes += size;
            if helpers.is_empty() && bytes >= MIN_PARALLEL_BYTES {
                helpers = (1..cores).map(|_| scope.spawn(work)).collect();
            }
        }
        lock().1 = true;
        ready.notify_all();
        let mut runs = vec![work()];
        for h in helpers {
            runs.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        runs
    });
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (i, r) in runs.drain(..).flatten() {
        results[i] = Some(r);
    }
    results
        .into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
