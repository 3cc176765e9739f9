//! The index behind "did you mean": every symbol of a compilation by its simple name, so that a
//! near-miss search reads a few candidates instead of the whole symbol table.
//!
//! A suggestion is a symbol whose simple name is within [`typo_distance`] of the last part of
//! what was written (at most a third of its length in edits, at least one), or equal to it in
//! another scope. Candidates come in two stages:
//!
//! 1. [`SuggestionIndex::near`]: symmetric deletion indexes (SymSpell) over the first and over
//!    the last [`PREFIX`] characters of the distinct simple names, lowercased: every variant of
//!    such a prefix (suffix) with up to 2 characters deleted points to the names that have it.
//!    Two names within 2 edits (insertions, deletions, substitutions, adjacent swaps) have
//!    prefixes, and suffixes, that share a variant with at most 2 deletions on each side, so
//!    every name within 2 edits is among the names found through the prefix, and among those
//!    found through the suffix: the smaller of the two sets is the candidates (with names that
//!    are not near, which the ranking drops). Names that share a prefix by the thousand
//!    (`Animal1` … `Animal9999`) differ at the end, and the other way round. For a query of up to
//!    8 characters (at most 2 edits allowed) this stage is the whole search.
//! 2. [`SuggestionIndex::by_length`], only for a longer query that stage 1 found nothing within 2
//!    edits for: the names whose length is within the allowed edits of the query's.
//!
//! The caller ranks candidates exactly as a scan of every symbol did (`Resolver::suggest`), and
//! counts them: a file's searches stop suggesting only after reading more than [`WORK_PER_NAME`]
//! candidates per symbol and per search on average. Stage 1 reads a name's few near neighbours;
//! only names built by the thousand to share both their first and their last ten characters
//! (or, in stage 2, one length, none within 2 edits of each other but all within a third of
//! their length) can run into the budget.
//!
//! [`typo_distance`]: crate::diagnostics::typo_distance

use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::resolve::symbols::{Symbol, SymbolTable};

/// How many candidates a file's near-miss searches may read, per symbol of the compilation and
/// per search, before later searches stop suggesting (their error is still reported).
pub const WORK_PER_NAME: usize = 1024;

/// How many leading characters of a name the deletion index holds.
pub const PREFIX: usize = 10;

/// Every symbol of a compilation by simple name, for near-miss searches.
pub struct SuggestionIndex {
    /// The symbols of each distinct lowercase simple name, sorted by full name.
    groups: Vec<Vec<(Box<str>, Symbol)>>,
    /// Distinct lowercase simple names to their group.
    by_name: HashMap<Box<str>, u32>,
    /// Hashes of the deletion variants (up to 2 characters deleted) of the names' prefixes, to
    /// their groups (a collision only adds a candidate).
    prefixes: HashMap<u64, Vec<u32>>,
    /// The same for the names' suffixes.
    suffixes: HashMap<u64, Vec<u32>>,
    /// Groups by the length of their name in characters.
    by_len: Vec<Vec<u32>>,
    /// Hashes variants (fixed, so runs are reproducible).
    hasher: foldhash::fast::FixedState,
}

impl SuggestionIndex {
    /// Indexes every symbol of `table`.
    pub fn new(table: &SymbolTable) -> Self {
        let mut index = SuggestionIndex {
            groups: Vec::new(),
            by_name: HashMap::new(),
            prefixes: HashMap::new(),
            suffixes: HashMap::new(),
            by_len: Vec::new(),
            hasher: foldhash::fast::FixedState::with_seed(0),
        };
        for (full, sym) in table.iter() {
            let simple = full.rsplit('.').next().unwrap_or(full);
            let key = lower(simple);
            let next = index.groups.len() as u32;
            let g = *index.by_name.entry(key.clone().into()).or_insert(next);
            if g == next {
                index.groups.push(Vec::new());
                let len = key.chars().count();
                if index.by_len.len() <= len {
                    index.by_len.resize(len + 1, Vec::new());
                }
                index.by_len[len].push(g);
                for v in variants(&prefix(&key), 2) {
                    let h = index.hasher.hash_one(&v);
                    index.prefixes.entry(h).or_default().push(g);
                }
                for v in variants(&suffix(&key), 2) {
                    let h = index.hasher.hash_one(&v);
                    index.suffixes.entry(h).or_default().push(g);
                }
            }
            index.groups[g as usize].push((full.into(), *sym));
        }
        for g in &mut index.groups {
            g.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        for gs in index
            .prefixes
            .values_mut()
            .chain(index.suffixes.values_mut())
        {
            gs.sort_unstable();
            gs.dedup();
        }
        index
    }

    /// Stage 1: the symbols whose simple name may be within `max_edits` (at most 2) of `last`:
    /// every one that is, and some that are not.
    pub fn near(&self, last: &str, max_edits: usize) -> Vec<(&str, &Symbol)> {
        let key = lower(last);
        let found = |map: &HashMap<u64, Vec<u32>>, part: String| {
            let mut groups: Vec<u32> = Vec::new();
            for v in variants(&part, max_edits.min(2)) {
                if let Some(gs) = map.get(&self.hasher.hash_one(&v)) {
                    groups.extend(gs);
                }
            }
            groups.sort_unstable();
            groups.dedup();
            let symbols: usize = groups.iter().map(|&g| self.groups[g as usize].len()).sum();
            (symbols, groups)
        };
        let by_prefix = found(&self.prefixes, prefix(&key));
        let by_suffix = found(&self.suffixes, suffix(&key));
        self.symbols_of(if by_suffix.0 < by_prefix.0 {
            by_suffix.1
        } else {
            by_prefix.1
        })
    }

    /// Stage 2: the symbols whose simple name's length is within `max_edits` of `last`'s.
    pub fn by_length(&self, last: &str, max_edits: usize) -> Vec<(&str, &Symbol)> {
        let len = last.chars().count();
        let lo = len.saturating_sub(max_edits);
        let hi = len.saturating_add(max_edits);
        let groups = (lo..=hi)
            .filter_map(|l| self.by_len.get(l))
            .flatten()
            .copied()
            .collect();
        self.symbols_of(groups)
    }

    /// The symbols of some groups, in group order (each group's by full name).
    fn symbols_of(&self, mut groups: Vec<u32>) -> Vec<(&str, &Symbol)> {
        groups.sort_unstable();
        groups.dedup();
        groups
            .into_iter()
            .flat_map(|g| self.groups[g as usize].iter().map(|(f, s)| (&**f, s)))
            .collect()
    }

    /// The symbols whose simple name is exactly `simple`.
    pub fn named<'s>(&'s self, simple: &'s str) -> impl Iterator<Item = (&'s str, &'s Symbol)> {
        self.by_name
            .get(lower(simple).as_str())
            .into_iter()
            .flat_map(|&g| self.groups[g as usize].iter().map(|(f, s)| (&**f, s)))
            .filter(move |(full, _)| full.rsplit('.').next() == Some(simple))
    }
}

/// ASCII-lowercased, as `typo_distance` compares letters.
fn lower(s: &str) -> String {
    s.chars().map(|c| c.to_ascii_lowercase()).collect()
}

/// The first [`PREFIX`] characters.
fn prefix(s: &str) -> String {
    s.chars().take(PREFIX).collect()
}

/// The last [`PREFIX`] characters.
fn suffix(s: &str) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(PREFIX)).collect()
}

/// `s` with every choice of up to `k` characters deleted (itself included), duplicates removed.
fn variants(s: &str, k: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = vec![s.to_string()];
    let mut frontier = vec![chars];
    for _ in 0..k {
        let mut next = Vec::new();
        for c in &frontier {
            for i in 0..c.len() {
                let mut d = c.clone();
                d.remove(i);
                next.push(d);
            }
        }
        next.sort_unstable();
        next.dedup();
        out.extend(next.iter().map(|c| c.iter().collect::<String>()));
        frontier = next;
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::typo_distance;

    #[test]
    fn variants_delete_up_to_k_characters() {
        assert_eq!(variants("ab", 1), ["a", "ab", "b"]);
        assert_eq!(variants("abc", 2).len(), 7);
        assert_eq!(variants("aa", 2), ["", "a", "aa"]);
    }

    /// Any two names within the allowed edits share a deletion variant (the index misses none):
    /// checked over every pair of a small alphabet's words.
    #[test]
    fn the_deletion_index_finds_every_near_name() {
        let alphabet = ['a', 'b', 'C'];
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = words
                .iter()
                .filter(|w| w.len() < 5)
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
            words.sort();
            words.dedup();
        }
        for q in words.iter().filter(|w| !w.is_empty()) {
            let k = (q.chars().count() / 3).max(1);
            for part in [prefix, suffix] {
                let qv: std::collections::HashSet<String> =
                    variants(&part(&lower(q)), k.min(2)).into_iter().collect();
                for w in &words {
                    if typo_distance(q, w).is_some_and(|d| d <= 2) {
                        assert!(
                            variants(&part(&lower(w)), 2).iter().any(|v| qv.contains(v)),
                            "{q} and {w}"
                        );
                    }
                }
            }
        }
    }
}
