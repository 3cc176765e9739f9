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

use crate::ast::FullIdent;
use crate::diagnostics::{typo_distance, Diagnostic};
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
    /// How many near-miss searches this file has made (see [`MAX_SUGGESTION_SEARCHES`]).
    pub searches: AtomicUsize,
}

/// How many unknown names of one file get a "did you mean" from the whole compilation: each such
/// search reads every symbol, so without a limit a file of thousands of unknown names cost their
/// number times the size of the symbol table (20,000 took 86 s). Later ones still get their
/// error, and the help that needs no search (a well-known type's import line).
pub const MAX_SUGGESTION_SEARCHES: usize = 64;

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
            .symbols
            .iter()
            .filter(|(full, sym)| {
                wanted(sym.kind)
                    && !self.visible.contains(&sym.file)
                    && full.rsplit('.').next() == Some(last)
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

    /// Whether this file may still search the whole compilation for a near miss. A file's
    /// lookups happen in one order on one thread, so which names get one is deterministic.
    fn may_search(&self) -> bool {
        self.searches.fetch_add(1, Ordering::Relaxed) < MAX_SUGGESTION_SEARCHES
    }

    /// The visible symbol of the right kind whose name is closest to what was written, and how
    /// far it is (0: its simple name is the one written, in another scope).
    fn suggest(&self, name: &FullIdent, scope: &str, expect: Expect) -> Option<(usize, String)> {
        let written = name.to_text();
        let written = written.trim_start_matches('.');
        let last = name.parts.last()?.name.as_str();
        let mut best: Option<(usize, &str)> = None;
        for (full, sym) in self.symbols.iter() {
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
