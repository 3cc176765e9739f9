//! Resolving a name written in a file (a field type, an extendee, an rpc type, an option's
//! extension) to a symbol, with protoc's error messages and a did-you-mean.
//!
//! The lookup itself is [`SymbolTable::lookup`]; this module adds what a file sees (itself, its
//! direct imports and, transitively, their public imports — protoc's `DescriptorBuilder`
//! `dependencies_`) and turns failures into [`Diagnostic`]s worded as protoc words them.
//!
//! A name defined in a file this one does not import gets protoc's "seems to be defined in"
//! error with the exact `import` line to add, also when the file is a built-in one that the
//! compilation never loaded (`google.protobuf.Timestamp` without its import: protoc only says
//! "is not defined"). Any other unknown name gets a did-you-mean: a type of that simple name
//! (visible, else in a file to import), else a visible near miss by
//! [`crate::diagnostics::typo_distance`]. All of this runs only when a lookup fails.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::ast::FullIdent;
use crate::diagnostics::{typo_distance, Diagnostic};
use crate::resolve::suggest::{SuggestionIndex, WORK_PER_NAME};
use crate::resolve::symbols::{Lookup, LookupMode, Symbol, SymbolKind, SymbolTable};
use crate::source::{FileId, SourceMap};

/// What a reference must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A message or an enum (a field type).
    Type,
    /// A message (an extendee, an rpc input or output).
    Message,
    /// Anything (an option's extension name; the caller checks the kind).
    Any,
}

/// Resolves names as seen from one file.
pub struct Resolver<'a> {
    /// Every symbol of the compilation.
    pub symbols: &'a SymbolTable,
    /// The file doing the lookups.
    pub file: FileId,
    /// Files whose symbols it may use.
    pub visible: &'a HashSet<FileId>,
    /// For file names in messages.
    pub sources: &'a SourceMap,
    /// The looking-up file's name as in its descriptor.
    pub file_name: &'a str,
    /// Descriptor names of the compilation's files (`.iproto` inputs already renamed).
    pub names: &'a HashMap<FileId, String>,
    /// The compilation's index for near-miss searches, built on the first one
    /// ([`SuggestionIndex`]); shared by every file's resolver.
    pub suggestions: &'a OnceLock<SuggestionIndex>,
    /// How many near-miss searches this file has made.
    pub searches: AtomicUsize,
    /// How many candidates they have read (see [`WORK_PER_NAME`]).
    pub work: AtomicUsize,
}

impl Resolver<'_> {
    /// Resolves `name` from `scope` (the innermost enclosing scope's full name, no leading dot).
    /// On success returns the full name (no leading dot) and the symbol.
    pub fn resolve(
        &self,
        name: &FullIdent,
        scope: &str,
        expect: Expect,
    ) -> Result<(String, Symbol), Box<Diagnostic>> {
        // protoc looks up field types among types only (`LOOKUP_TYPES`), but extendees and
        // rpc types among every symbol (`LOOKUP_ALL`): a method, field, extension, oneof or enum
        // value of the name in an inner scope (the rpc or extension itself, a sibling) hides the
        // message outside, and the name is then not a message type.
        let mode = match expect {
            Expect::Any | Expect::Message => LookupMode::Any,
            Expect::Type => LookupMode::Types,
        };
        let visible = |f: FileId| self.visible.contains(&f);
        // The name as written, for the messages: built only on failure.
        let written = || name.to_text();
        match self.symbols.lookup(name, scope, mode, &visible) {
            Lookup::Found(full, sym) => {
                let ok = match expect {
                    Expect::Any => true,
                    Expect::Type => sym.kind.is_type(),
                    Expect::Message => sym.kind == SymbolKind::Message,
                };
                if ok {
                    return Ok((full, sym));
                }
                let written = written();
                let (code, message) = if expect == Expect::Message {
                    (
                        "NOT_A_MESSAGE",
                        format!("\"{written}\" is not a message type."),
                    )
                } else {
                    ("NOT_A_TYPE", format!("\"{written}\" is not a type."))
                };
                Err(Box::new(
                    Diagnostic::error(code, message)
                        .at(
                            self.file,
                            name.span,
                            format!("this is a {}", sym.kind.describe()),
                        )
                        .also(sym.file, sym.span, format!("\"{full}\" is defined here")),
                ))
            }
            Lookup::Undefined { resolved } => {
                let written = written();
                if let Some(d) = self.builtin_not_imported(&resolved, expect) {
                    return Err(self.not_imported(name, &resolved, d.file));
                }
                Err(Box::new(Diagnostic::error(
                "UNKNOWN_TYPE",
                format!(
                    "\"{written}\" is resolved to \"{resolved}\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \".{written}\") to start from the outermost scope."
                ),
            )
            .at(self.file, name.span, "not found in the scope its first part names")
            .help(format!(
                "write \".{written}\" to search from the outermost scope"
            ))))
            }
            Lookup::NotImported { full_name, file } => {
                let import = &self.sources.get(file).name;
                let mut d = self.not_imported(name, &full_name, import);
                if let Some(other) = self.names.get(&file) {
                    // protoc names the file as its descriptor does.
                    d.message = not_imported_message(&full_name, other, self.file_name);
                }
                Err(d)
            }
            Lookup::NotFound => {
                // A built-in file defines it (`google.protobuf.Timestamp` without its import).
                let builtin = candidates(name, scope).find_map(|full| {
                    let d = self.builtin_not_imported(&full, expect)?;
                    Some((full, d))
                });
                if let Some((full, d)) = builtin {
                    return Err(self.not_imported(name, &full, d.file));
                }
                let mut d =
                    Diagnostic::error("UNKNOWN_TYPE", format!("\"{}\" is not defined.", written()))
                        .at(self.file, name.span, "not found");
                // What it most likely means, best first: a visible type of that simple name, a
                // type of that simple name in a file not imported, a visible near miss.
                let search = self.may_search();
                let visible = search.then(|| self.suggest(name, scope, expect)).flatten();
                if let Some((_, s)) = visible.as_ref().filter(|(d, _)| *d == 0) {
                    d = d.help(format!("did you mean \"{s}\"?"));
                } else if let Some((full, import)) =
                    search.then(|| self.elsewhere(name, expect)).flatten()
                {
                    d = d
                        .help(format!("did you mean \"{full}\" (from \"{import}\")?"))
                        .help(format!("add import \"{import}\";"));
                } else if let Some((_, s)) = visible {
                    d = d.help(format!("did you mean \"{s}\"?"));
                }
                Err(Box::new(d))
            }
        }
    }

    /// protoc's error for a name defined in a file this one does not import, with the import
    /// line to add (`import` is the name to write in it, as the user writes it: `.iproto` kept).
    fn not_imported(&self, name: &FullIdent, full_name: &str, import: &str) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(
                "NOT_IMPORTED",
                not_imported_message(full_name, &descriptor_name(import), self.file_name),
            )
            .at(
                self.file,
                name.span,
                format!("defined in \"{import}\", which this file does not import"),
            )
            .help(format!("add import \"{import}\";")),
        )
    }

    /// The built-in file that defines `full` as what `expect` asks for, when this file cannot
    /// see it (it is not in the compilation, or not imported).
    fn builtin_not_imported(
        &self,
        full: &str,
        expect: Expect,
    ) -> Option<super::builtin::Definition> {
        let d = super::builtin::definition(full)?;
        let wanted = match expect {
            Expect::Type => d.kind.is_type(),
            Expect::Message => d.kind == SymbolKind::Message,
            Expect::Any => true,
        };
        let visible = self
            .symbols
            .get(full)
            .is_some_and(|s| self.visible.contains(&s.file));
        (wanted && !visible).then_some(d)
    }

    /// A type with the name's last part as its simple name, in a file this one cannot see: one
    /// of the compilation's files it does not import, else a commonly used built-in file. Its
    /// full name and the name to import.
    fn elsewhere(&self, name: &FullIdent, expect: Expect) -> Option<(String, String)> {
        if expect == Expect::Any {
            return None;
        }
        let last = name.parts.last()?.name.as_str();
        let wanted = |kind: SymbolKind| match expect {
            Expect::Message => kind == SymbolKind::Message,
            _ => kind.is_type(),
        };
        // The first by name, when several files define one.
        let in_compilation = self
            .index()
            .named(last)
            .filter(|(_, sym)| {
                self.work.fetch_add(1, Ordering::Relaxed);
                wanted(sym.kind) && !self.visible.contains(&sym.file)
            })
            .min_by_key(|(full, _)| *full);
        if let Some((full, sym)) = in_compilation {
            return Some((full.to_string(), self.sources.get(sym.file).name.clone()));
        }
        let (full, file) = super::builtin::type_named(last)?;
        let kind = super::builtin::definition(&full)?.kind;
        wanted(kind).then(|| (full, file.to_string()))
    }

    /// The visible symbol of the right kind whose name is closest to `name` (written relative to
    /// `scope`), for a caller that words its own error.
    pub fn near_miss(&self, name: &FullIdent, scope: &str, expect: Expect) -> Option<String> {
        if !self.may_search() {
            return None;
        }
        self.suggest(name, scope, expect).map(|(_, s)| s)
    }

    /// Whether this file may still search for a near miss: while its searches have read at
    /// most [`WORK_PER_NAME`] candidates per symbol and per search, on average. A file's lookups
    /// happen in one order on one thread, so which names get one is deterministic.
    fn may_search(&self) -> bool {
        let searches = self.searches.fetch_add(1, Ordering::Relaxed) + 1;
        self.work.load(Ordering::Relaxed)
            <= WORK_PER_NAME.saturating_mul(self.symbols.count().saturating_add(searches))
    }

    /// The compilation's suggestion index, built on first use.
    fn index(&self) -> &SuggestionIndex {
        self.suggestions
            .get_or_init(|| SuggestionIndex::new(self.symbols))
    }

    /// The visible symbol of the right kind whose name is closest to what was written, and how
    /// far it is (0: its simple name is the one written, in another scope).
    fn suggest(&self, name: &FullIdent, scope: &str, expect: Expect) -> Option<(usize, String)> {
        let written = name.to_text();
        let written = written.trim_start_matches('.');
        let last = name.parts.last()?.name.as_str();
        // Only symbols whose simple name is near the last part (or equal to it) can be the
        // nearest: the index gives those (`suggest.rs`), each ranked as a scan of every symbol
        // ranked it. Those within 2 edits first; further ones only if there are none.
        let max_edits = (last.chars().count() / 3).max(1);
        let index = self.index();
        let best = self.nearest(index.near(last, max_edits), written, last, scope, expect);
        if max_edits <= 2 || best.as_ref().is_some_and(|(d, _)| *d <= 2) {
            return best;
        }
        self.nearest(
            index.by_length(last, max_edits),
            written,
            last,
            scope,
            expect,
        )
    }

    /// The nearest of `candidates` to what was written, and how far (counting them as work).
    fn nearest(
        &self,
        candidates: Vec<(&str, &Symbol)>,
        written: &str,
        last: &str,
        scope: &str,
        expect: Expect,
    ) -> Option<(usize, String)> {
        self.work.fetch_add(candidates.len(), Ordering::Relaxed);
        let mut best: Option<(usize, &str)> = None;
        for (full, sym) in candidates {
            let wanted = match expect {
                Expect::Type => sym.kind.is_type(),
                Expect::Message => sym.kind == SymbolKind::Message,
                Expect::Any => sym.kind == SymbolKind::Extension,
            };
            if !wanted || !self.visible.contains(&sym.file) {
                continue;
            }
            // Compare the written name with the symbol's name relative to the scope, and with its
            // last component, so both `Foo` and `pkg.Foo` find `pkg.Fooo`.
            let relative = relative_name(full, scope);
            let simple = full.rsplit('.').next().unwrap_or(full);
            let same = (last == simple).then_some(0);
            let d = match (
                typo_distance(written, relative),
                same.or(typo_distance(last, simple)),
            ) {
                (Some(a), Some(b)) => a.min(b),
                (Some(d), None) | (None, Some(d)) => d,
                (None, None) => continue,
            };
            // The nearest; between equally near ones, the first by name.
            if best.is_none_or(|b| (d, relative) < b) {
                best = Some((d, relative));
            }
        }
        best.map(|(d, n)| (d, n.to_string()))
    }
}

/// The name a descriptor gives a file: `.iproto` inputs become `.proto`.
pub fn descriptor_name(name: &str) -> String {
    match name.strip_suffix(".iproto") {
        Some(stem) => format!("{stem}.proto"),
        None => name.to_string(),
    }
}

/// `full` written relative to `scope` where the scope is a prefix of it.
fn relative_name<'n>(full: &'n str, scope: &str) -> &'n str {
    let mut s = scope;
    loop {
        if s.is_empty() {
            return full;
        }
        if let Some(rest) = full.strip_prefix(s).and_then(|r| r.strip_prefix('.')) {
            return rest;
        }
        match s.rfind('.') {
            Some(i) => s = &s[..i],
            None => s = "",
        }
    }
}

/// protoc's message for a name defined in `other`, a file `file` does not import.
fn not_imported_message(full_name: &str, other: &str, file: &str) -> String {
    format!(
        "\"{full_name}\" seems to be defined in \"{other}\", which is not imported by \"{file}\".  To use it here, please add the necessary import."
    )
}

/// The full names a relative `name` may stand for from `scope`, innermost first (protoc's search
/// order); just the name for an absolute one.
fn candidates<'n>(name: &'n FullIdent, scope: &'n str) -> impl Iterator<Item = String> + 'n {
    let written = name.to_text();
    let written = written.trim_start_matches('.').to_string();
    let mut scope = Some(if name.absolute { "" } else { scope });
    std::iter::from_fn(move || {
        let s = scope?;
        scope = match s.rfind('.') {
            Some(i) => Some(&s[..i]),
            None if s.is_empty() => None,
            None => Some(""),
        };
        Some(if s.is_empty() {
            written.clone()
        } else {
            format!("{s}.{written}")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of the given `.proto` text's symbols (one file, id 0).
    fn table(text: &str) -> SymbolTable {
        let (ast, diags) = crate::parse::parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        SymbolTable::build([(FileId(0), &ast)]).0
    }

    fn ident(text: &str) -> FullIdent {
        let absolute = text.starts_with('.');
        FullIdent {
            absolute,
            parts: text
                .trim_start_matches('.')
                .split('.')
                .map(|p| crate::ast::Ident {
                    name: p.to_string(),
                    span: crate::source::Span::default(),
                })
                .collect(),
            span: crate::source::Span::default(),
        }
    }

    /// The search as it was before the index: every symbol of the table as a candidate, ranked by
    /// the same function.
    fn scan(
        r: &Resolver,
        name: &FullIdent,
        scope: &str,
        expect: Expect,
    ) -> Option<(usize, String)> {
        let written = name.to_text();
        let written = written.trim_start_matches('.');
        let last = name.parts.last()?.name.as_str();
        r.nearest(r.symbols.iter().collect(), written, last, scope, expect)
    }

    fn resolver<'a>(
        symbols: &'a SymbolTable,
        visible: &'a HashSet<FileId>,
        sources: &'a SourceMap,
        names: &'a HashMap<FileId, String>,
        index: &'a OnceLock<SuggestionIndex>,
    ) -> Resolver<'a> {
        Resolver {
            symbols,
            file: FileId(0),
            visible,
            sources,
            file_name: "t.proto",
            names,
            suggestions: index,
            searches: AtomicUsize::new(0),
            work: AtomicUsize::new(0),
        }
    }

    /// Deterministic pseudo-random numbers (splitmix64).
    fn rng(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut x = seed;
        move |n| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) % n
        }
    }

    /// The index finds what the scan of every symbol found, over generated tables of nested
    /// messages and enums with names of every length, and queries that are typos of them (or
    /// not), written simple, dotted or absolute, from every scope.
    #[test]
    fn indexed_suggestions_are_the_scans() {
        let mut next = rng(7);
        let alphabet = ['a', 'b', 'c', 'A', 'B', 'x', '_', '1'];
        let word = |next: &mut dyn FnMut(u64) -> u64, len: u64| -> String {
            let mut w = String::from("M");
            for _ in 0..len {
                w.push(alphabet[next(alphabet.len() as u64) as usize]);
            }
            w
        };
        let mut checked = 0;
        for round in 0..30 {
            let mut text = String::from("syntax = \"proto2\";\npackage p.q;\n");
            let mut names = Vec::new();
            let mut scopes = vec![String::from("p.q")];
            for i in 0..40 {
                let (l1, l2) = (1 + next(14), 1 + next(6));
                let name = format!("{}{i}", word(&mut next, l1));
                let nested = format!("{}{i}", word(&mut next, l2));
                let kind = if next(3) == 0 { "enum" } else { "message" };
                if kind == "enum" {
                    text.push_str(&format!("enum {name} {{ {name}_V = 0; }}\n"));
                } else {
                    text.push_str(&format!("message {name} {{ message {nested} {{}} }}\n"));
                    names.push(nested.clone());
                    scopes.push(format!("p.q.{name}"));
                }
                names.push(name);
            }
            let symbols = table(&text);
            let visible: HashSet<FileId> = [FileId(0)].into();
            let (sources, file_names) = (SourceMap::new(), HashMap::new());
            let index = OnceLock::new();
            let r = resolver(&symbols, &visible, &sources, &file_names, &index);
            for _ in 0..200 {
                // A typo of a name (insert, delete, change, swap), or a fresh word.
                let base = names[next(names.len() as u64) as usize].clone();
                let mut chars: Vec<char> = base.chars().collect();
                for _ in 0..next(4) {
                    let at = next(chars.len() as u64 + 1) as usize;
                    match next(4) {
                        0 => chars.insert(at, alphabet[next(8) as usize]),
                        1 if at < chars.len() => {
                            chars.remove(at);
                        }
                        2 if at < chars.len() => chars[at] = alphabet[next(8) as usize],
                        3 if at + 1 < chars.len() => chars.swap(at, at + 1),
                        _ => {}
                    }
                }
                let mut q: String = chars.into_iter().collect();
                if q.is_empty() || next(10) == 0 {
                    let l = 1 + next(16);
                    q = word(&mut next, l);
                }
                let q = match next(4) {
                    0 => format!("q.{q}"),
                    1 => format!(".p.q.{q}"),
                    _ => q,
                };
                let scope = &scopes[next(scopes.len() as u64) as usize];
                for expect in [Expect::Type, Expect::Message] {
                    let name = ident(&q);
                    assert_eq!(
                        r.suggest(&name, scope, expect),
                        scan(&r, &name, scope, expect),
                        "round {round}: {q} from {scope}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 30 * 200 * 2);
    }

    /// n unknown names over m symbols read O(n + m) candidates, not n * m, and every one gets
    /// its suggestion: names that are typos of the symbols (the common case) and long names of
    /// one length (which the deletion index does not hold).
    #[test]
    fn suggestion_work_is_linear_and_every_name_gets_one() {
        for (m, long) in [(1_000, false), (1_000, true), (4_000, false)] {
            let name = |i: usize| {
                if long {
                    format!("AnimalKingdomMember{i:05}")
                } else {
                    format!("Animal{i}")
                }
            };
            let mut text = String::from("syntax = \"proto2\";\n");
            for i in 0..m {
                text.push_str(&format!("message {} {{}}\n", name(i)));
            }
            let symbols = table(&text);
            let visible: HashSet<FileId> = [FileId(0)].into();
            let (sources, file_names) = (SourceMap::new(), HashMap::new());
            let index = OnceLock::new();
            let r = resolver(&symbols, &visible, &sources, &file_names, &index);
            let n = m;
            let mut suggested = 0;
            for i in 0..n {
                // A dropped letter: `Animl12`, `AnimalKingdomMembr00012`.
                let typo = name(i).replacen("al", "l", 1).replacen("er", "r", 1);
                assert!(
                    r.may_search(),
                    "m = {m}, long = {long}, search {i}: {} read",
                    r.work.load(Ordering::Relaxed)
                );
                if let Some((_, s)) = r.suggest(&ident(&typo), "", Expect::Type) {
                    assert_eq!(s, name(i), "{typo}");
                    suggested += 1;
                }
            }
            assert_eq!(suggested, n);
            let work = r.work.load(Ordering::Relaxed);
            // Each search reads its own name's near neighbours (a few hundred in a dense
            // numbered namespace), where a scan read all m.
            assert!(
                work <= 128 * (n + m),
                "{work} candidates read for n = m = {m}"
            );
        }
    }

    #[test]
    fn candidates_follow_protocs_search_order() {
        let name = |text: &str| {
            let absolute = text.starts_with('.');
            let parts = text
                .trim_start_matches('.')
                .split('.')
                .map(|p| crate::ast::Ident {
                    name: p.to_string(),
                    span: crate::source::Span::default(),
                })
                .collect();
            FullIdent {
                absolute,
                parts,
                span: crate::source::Span::default(),
            }
        };
        let all = |text: &str, scope: &str| candidates(&name(text), scope).collect::<Vec<_>>();
        assert_eq!(all("T", "a.b"), ["a.b.T", "a.T", "T"]);
        assert_eq!(all("x.T", ""), ["x.T"]);
        assert_eq!(all(".x.T", "a.b"), ["x.T"]);
    }

    #[test]
    fn relative_names_drop_the_shared_scope() {
        assert_eq!(relative_name("pkg.A.B", "pkg.A.C"), "B");
        assert_eq!(relative_name("pkg.B", "pkg.A"), "B");
        assert_eq!(relative_name("other.B", "pkg.A"), "other.B");
    }
}
