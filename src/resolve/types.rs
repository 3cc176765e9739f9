//! Resolving a name written in a file (a field type, an extendee, an rpc type, an option's
//! extension) to a symbol, with protoc's error messages and a did-you-mean.
//!
//! The lookup itself is [`SymbolTable::lookup`]; this module adds what a file sees (itself, its
//! direct imports and, transitively, their public imports — protoc's `DescriptorBuilder`
//! `dependencies_`) and turns failures into [`Diagnostic`]s worded as protoc words them.

use std::collections::{HashMap, HashSet};

use crate::ast::FullIdent;
use crate::diagnostics::Diagnostic;
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
        let mode = match expect {
            Expect::Any => LookupMode::Any,
            Expect::Type | Expect::Message => LookupMode::Types,
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
                let other = self
                    .names
                    .get(&file)
                    .cloned()
                    .unwrap_or_else(|| descriptor_name(&self.sources.get(file).name));
                Err(Box::new(Diagnostic::error(
                    "NOT_IMPORTED",
                    format!(
                        "\"{full_name}\" seems to be defined in \"{other}\", which is not imported by \"{}\".  To use it here, please add the necessary import.",
                        self.file_name
                    ),
                )
                .at(self.file, name.span, "defined in a file this one does not import")
                .help(format!("add `import \"{other}\";` to this file"))))
            }
            Lookup::NotFound => {
                let mut d =
                    Diagnostic::error("UNKNOWN_TYPE", format!("\"{}\" is not defined.", written()))
                        .at(self.file, name.span, "not found");
                if let Some(s) = self.suggest(name, scope, expect) {
                    d = d.help(format!("did you mean \"{s}\"?"));
                }
                Err(Box::new(d))
            }
        }
    }

    /// The visible symbol of the right kind whose name is closest to what was written.
    fn suggest(&self, name: &FullIdent, scope: &str, expect: Expect) -> Option<String> {
        let written = name.to_text();
        let written = written.trim_start_matches('.');
        let last = name.parts.last()?.name.as_str();
        let mut best: Option<(usize, String)> = None;
        for (full, sym) in self.symbols.sorted() {
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
            let d = edit_distance(written, relative).min(edit_distance(last, simple));
            let limit = (written.len().max(3) / 3).max(1);
            if d <= limit && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, relative.to_string()));
            }
        }
        best.map(|(_, n)| n)
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

/// Levenshtein distance (case-insensitive), for suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("Foo", "Fooo"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn relative_names_drop_the_shared_scope() {
        assert_eq!(relative_name("pkg.A.B", "pkg.A.C"), "B");
        assert_eq!(relative_name("pkg.B", "pkg.A"), "B");
        assert_eq!(relative_name("other.B", "pkg.A"), "other.B");
    }
}
