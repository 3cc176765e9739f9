//! Ranges of numbers (field numbers, tags, extension and reserved ranges), as lowering and
//! validation both search them: which range of a list holds a number, without a pass over the
//! list for each number (a schema controls both sizes).

/// For each number, the first range of a list (in declaration order) that holds it: the list cut
/// into disjoint pieces, each labelled with the first range covering it (one sweep with a heap of
/// the open ranges), then binary-searched. "The first range that holds `n`" for each of `m`
/// numbers costs `O((n + m) log n)` instead of `O(n · m)`, overlapping ranges included.
#[derive(Debug, Default)]
pub struct FirstRange {
    /// Disjoint pieces `(lo, hi, range)`, inclusive bounds, ascending.
    pieces: Vec<(i64, i64, usize)>,
}

impl FirstRange {
    /// Indexes `ranges` (inclusive bounds; inverted ones hold nothing), in declaration order.
    pub fn new(ranges: impl Iterator<Item = (i64, i64)>) -> Self {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut sorted: Vec<(i64, i64, usize)> = ranges
            .enumerate()
            .filter(|(_, (lo, hi))| lo <= hi)
            .map(|(i, (lo, hi))| (lo, hi, i))
            .collect();
        sorted.sort_unstable();
        // Every place where the set of open ranges may change: starts, and one past each end.
        let mut cuts: Vec<i64> = sorted
            .iter()
            .flat_map(|&(lo, hi, _)| [lo, hi.saturating_add(1)])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut open: BinaryHeap<Reverse<(usize, i64)>> = BinaryHeap::new();
        let mut next = 0;
        let mut pieces: Vec<(i64, i64, usize)> = Vec::new();
        for w in cuts.windows(2) {
            let (lo, hi) = (w[0], w[1] - 1);
            while let Some(&(start, end, i)) = sorted.get(next) {
                if start > lo {
                    break;
                }
                open.push(Reverse((i, end)));
                next += 1;
            }
            while open.peek().is_some_and(|Reverse((_, end))| *end < lo) {
                open.pop();
            }
            let Some(&Reverse((i, _))) = open.peek() else {
                continue;
            };
            match pieces.last_mut() {
                Some(last) if last.2 == i && last.1 + 1 == lo => last.1 = hi,
                _ => pieces.push((lo, hi, i)),
            }
        }
        FirstRange { pieces }
    }

    /// The first range that holds `n`.
    pub fn get(&self, n: i64) -> Option<usize> {
        let k = self.pieces.partition_point(|&(lo, _, _)| lo <= n);
        let &(_, hi, i) = self.pieces.get(k.checked_sub(1)?)?;
        (n <= hi).then_some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::FirstRange;

    #[test]
    fn first_range_is_the_first_in_declaration_order_that_holds_the_number() {
        // Every list of up to three ranges over 0..6, inverted ones included.
        let ranges: Vec<(i64, i64)> = (0..6)
            .flat_map(|lo| (0..6).map(move |hi| (lo, hi)))
            .collect();
        let mut lists: Vec<Vec<(i64, i64)>> = vec![vec![]];
        for len in 1..=3 {
            let mut next = Vec::new();
            for l in lists.iter().filter(|l| l.len() == len - 1) {
                for &r in &ranges {
                    let mut l = l.clone();
                    l.push(r);
                    next.push(l);
                }
            }
            lists.extend(next);
        }
        for list in lists {
            let index = FirstRange::new(list.iter().copied());
            for n in -1..8 {
                let first = list.iter().position(|&(lo, hi)| lo <= n && n <= hi);
                assert_eq!(index.get(n), first, "{list:?} at {n}");
            }
        }
        let wide = FirstRange::new([(1, i32::MAX as i64), (5, 5)].into_iter());
        assert_eq!(wide.get(i32::MAX as i64), Some(0));
        assert_eq!(wide.get(0), None);
    }
}
