//! Lint: rules about schemas that compile but are unsafe to evolve or off-style.
//!
//! Every rule lives in its own file, has a stable SCREAMING_SNAKE id, a one-line summary and a doc
//! (what it checks, why it matters, an example and the fix), and reports [`Diagnostic`] warnings
//! whose code is the rule id. [`rules`] is the registry; [`lint`] runs a selection of them over
//! the files of a compilation.
//!
//! Rules read the **user's source** — the trees as parsed, before lowering — so nothing lowering
//! generates (the root's `Type` enum and its `TYPE_…` values, the discriminator, the extension
//! ranges, the `extend` blocks and `oneof subtype`) can ever trigger one. The inheritance rules
//! also look at the hierarchy analysis (tags as allocated), and one at what lowering reports it
//! generated ([`crate::lower::GeneratedDiscriminator`]), to say exactly what the compiler did. So
//! there are two entry points: [`lint`] before lowering (which rewrites the parsed trees in
//! place), [`lint_generated`] after it.
//!
//! A finding is silenced by `// iprotoc:lint:ignore RULE_ID` at the end of the line it is
//! reported on, or in the block of `//` comment lines directly above that line (see
//! [`ignore`]).
//!
//! Two groups: [`Group::Inheritance`] (wire-format safety of hierarchies; `iprotoc compile`
//! reports these too) and [`Group::Style`] (buf's STANDARD naming and structure rules, with buf's
//! ids; `iprotoc check` only). Which run is chosen with [`Lints`].

pub mod ignore;
mod walk;

mod directory_same_package;
mod discriminator_implicit;
mod enum_first_value_zero;
mod enum_no_allow_alias;
mod enum_pascal_case;
mod enum_value_prefix;
mod enum_value_upper_snake_case;
mod enum_zero_value_suffix;
mod field_lower_snake_case;
mod field_not_required;
mod field_of_subclass_type;
mod file_lower_snake_case;
mod import_no_public;
mod import_no_weak;
mod message_pascal_case;
mod oneof_lower_snake_case;
mod package_defined;
mod package_directory_match;
mod package_lower_snake_case;
mod package_same_directory;
mod package_version_suffix;
mod rpc_pascal_case;
mod rpc_request_response_unique;
mod rpc_request_standard_name;
mod rpc_response_standard_name;
mod service_pascal_case;
mod service_suffix;
mod subclass_tag_unpinned;
mod syntax_specified;

use std::collections::BTreeMap;

use crate::ast::{self, FullIdent};
use crate::diagnostics::Diagnostic;
use crate::lower::hierarchy::{self, Analysis};
use crate::lower::GeneratedDiscriminator;
use crate::resolve::symbols::{Lookup, LookupMode, SymbolTable};
use crate::source::{FileId, SourceFile, Span};

use walk::Decls;

/// Which lint rules run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lints {
    /// None (the library default: a build script compiles, it does not lint).
    #[default]
    Off,
    /// Only the inheritance group: what `iprotoc compile` reports.
    Inheritance,
    /// Every rule: what `iprotoc check` reports.
    All,
}

impl Lints {
    /// Whether a rule of `group` runs.
    pub fn includes(self, group: Group) -> bool {
        match self {
            Lints::Off => false,
            Lints::Inheritance => group == Group::Inheritance,
            Lints::All => true,
        }
    }
}

/// A family of rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Hierarchies that are unsafe to evolve: reported by `compile` and `check`.
    Inheritance,
    /// `.iproto`-specific advice reported by `check` only.
    Iproto,
    /// buf's STANDARD naming and structure rules: reported by `check` only.
    Style,
}

impl Group {
    /// `inheritance`, `iproto` or `style`.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Inheritance => "inheritance",
            Group::Iproto => "iproto",
            Group::Style => "style",
        }
    }
}

/// One lint rule.
pub struct Rule {
    /// The stable id, also the diagnostic code (`SUBCLASS_TAG_UNPINNED`).
    pub id: &'static str,
    /// Which family it belongs to.
    pub group: Group,
    /// One line: what it asks for.
    pub summary: &'static str,
    /// Markdown: what it checks, why it matters, an example and the fix.
    pub doc: &'static str,
    /// What it reads, and the function that appends its findings (warnings with `code == id`).
    check: Check,
}

/// What a rule reads.
#[derive(Clone, Copy)]
enum Check {
    /// The parsed trees, their declarations and hierarchies, and the symbols ([`lint`]).
    Source(fn(&Context<'_>, &mut Vec<Diagnostic>)),
    /// What lowering generated in the input files ([`lint_generated`]).
    Generated(fn(&[GeneratedInput<'_>], &mut Vec<Diagnostic>)),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

static RULES: &[Rule] = &[
    subclass_tag_unpinned::RULE,
    field_of_subclass_type::RULE,
    discriminator_implicit::RULE,
    directory_same_package::RULE,
    enum_first_value_zero::RULE,
    enum_no_allow_alias::RULE,
    enum_pascal_case::RULE,
    enum_value_prefix::RULE,
    enum_value_upper_snake_case::RULE,
    enum_zero_value_suffix::RULE,
    field_lower_snake_case::RULE,
    field_not_required::RULE,
    file_lower_snake_case::RULE,
    import_no_public::RULE,
    import_no_weak::RULE,
    message_pascal_case::RULE,
    oneof_lower_snake_case::RULE,
    package_defined::RULE,
    package_directory_match::RULE,
    package_lower_snake_case::RULE,
    package_same_directory::RULE,
    package_version_suffix::RULE,
    rpc_pascal_case::RULE,
    rpc_request_response_unique::RULE,
    rpc_request_standard_name::RULE,
    rpc_response_standard_name::RULE,
    service_pascal_case::RULE,
    service_suffix::RULE,
    syntax_specified::RULE,
];

/// Every rule: the inheritance rules first, then the rest by id.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One file of the compilation, as the lint sees it.
pub struct LintInput<'a> {
    /// Its id.
    pub id: FileId,
    /// Its text and protoc name.
    pub source: &'a SourceFile,
    /// The tree as parsed (before lowering).
    pub ast: &'a ast::File,
    /// Which files it can see (itself, its imports, their public imports).
    pub visible: &'a (dyn Fn(FileId) -> bool + Sync),
    /// Whether it was named on the command line: only inputs are linted; imports are read to
    /// resolve names.
    pub is_input: bool,
}

/// One input file, as the rules that read what lowering generated see it ([`lint_generated`]).
pub struct GeneratedInput<'a> {
    /// Its id.
    pub id: FileId,
    /// Its text (for `iprotoc:lint:ignore` comments).
    pub source: &'a SourceFile,
    /// The discriminators lowering generated in it.
    pub discriminators: &'a [GeneratedDiscriminator],
}

/// A file being linted: its input, its declarations and its hierarchies.
pub(crate) struct LintFile<'a> {
    pub input: &'a LintInput<'a>,
    pub decls: Decls<'a>,
    pub analysis: Analysis<'a>,
}

impl LintFile<'_> {
    fn id(&self) -> FileId {
        self.input.id
    }

    /// The protoc name (`zoo/v1/animals.iproto`).
    fn name(&self) -> &str {
        &self.input.source.name
    }

    /// The file's package, empty when none.
    fn package(&self) -> &str {
        &self.analysis.package
    }

    /// Where file-level findings go: the `package` statement, else `syntax`, else the start.
    fn header_span(&self) -> Span {
        if let Some(p) = self.decls.package {
            return p.name.span;
        }
        self.input
            .ast
            .syntax
            .as_ref()
            .map_or(Span::new(0, 0), |s| s.span)
    }
}

/// What rules read: every file of the compilation and the symbols.
pub(crate) struct Context<'a> {
    files: Vec<LintFile<'a>>,
    symbols: &'a SymbolTable,
}

impl<'a> Context<'a> {
    /// The files named on the command line, which are the ones linted.
    fn inputs(&self) -> impl Iterator<Item = &LintFile<'a>> {
        self.files.iter().filter(|f| f.input.is_input)
    }

    /// The fully qualified name (no dot) of the message or enum `name` means when written in
    /// `scope` of `file`.
    fn resolve_type(&self, file: &LintFile<'_>, name: &FullIdent, scope: &str) -> Option<String> {
        match self
            .symbols
            .lookup(name, scope, LookupMode::Types, file.input.visible)
        {
            Lookup::Found(full, sym) if sym.kind.is_type() => Some(full),
            _ => None,
        }
    }
}

/// Runs the rules `lints` selects over the input files and returns their findings, minus the
/// ones an `iprotoc:lint:ignore` comment silences, sorted by position.
pub fn lint(files: &[LintInput<'_>], symbols: &SymbolTable, lints: Lints) -> Vec<Diagnostic> {
    if lints == Lints::Off {
        return Vec::new();
    }
    // Each file's hierarchies and declarations depend only on it and the symbols: on all cores.
    let bytes = files.iter().map(|f| f.source.text.len()).sum();
    let cx = Context {
        files: crate::parallel::map(files.iter().collect(), bytes, |input| {
            let mut ignored = Vec::new();
            let analysis =
                hierarchy::analyze(input.id, input.ast, symbols, input.visible, &mut ignored);
            LintFile {
                input,
                decls: walk::decls(input.ast, &analysis.package),
                analysis,
            }
        }),
        symbols,
    };
    // The rules are independent of each other: each runs on a core of its own. Results come back
    // in registry order.
    let by_id: BTreeMap<FileId, &SourceFile> = files.iter().map(|f| (f.id, f.source)).collect();
    let selected: Vec<_> = RULES
        .iter()
        .filter(|r| lints.includes(r.group))
        .filter_map(|r| match r.check {
            Check::Source(check) => Some((r, check)),
            Check::Generated(_) => None,
        })
        .collect();
    let found = crate::parallel::map(selected, bytes, |(rule, check)| {
        let mut found = Vec::new();
        check(&cx, &mut found);
        keep_reported(rule, &by_id, &mut found);
        found
    });
    // Freeing every file's analysis is a few milliseconds on a large compilation: on all cores.
    crate::parallel::map(cx.files, bytes, drop);
    let mut out: Vec<Diagnostic> = found.into_iter().flatten().collect();
    crate::diagnostics::sort(&mut out);
    out
}

/// Runs the rules `lints` selects that read what lowering generated ([`Check::Generated`]) over
/// the input files, like [`lint`].
pub fn lint_generated(files: &[GeneratedInput<'_>], lints: Lints) -> Vec<Diagnostic> {
    if lints == Lints::Off {
        return Vec::new();
    }
    let by_id: BTreeMap<FileId, &SourceFile> = files.iter().map(|f| (f.id, f.source)).collect();
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| lints.includes(r.group)) {
        if let Check::Generated(check) = rule.check {
            let mut found = Vec::new();
            check(files, &mut found);
            keep_reported(rule, &by_id, &mut found);
            out.extend(found);
        }
    }
    crate::diagnostics::sort(&mut out);
    out
}

/// Drops the findings an `iprotoc:lint:ignore` directive silences.
fn keep_reported(
    rule: &Rule,
    sources: &BTreeMap<FileId, &SourceFile>,
    found: &mut Vec<Diagnostic>,
) {
    debug_assert!(found.iter().all(|d| d.code == rule.id));
    found.retain(|d| {
        let Some(p) = &d.primary else { return true };
        sources
            .get(&p.location.file)
            .is_none_or(|src| !ignore::is_ignored(src, p.location.span.start, d.code))
    });
}

/// A naming rule over one file: each of `names` that `convert` spells differently is a finding
/// `{what} name `x` should be {case}`, with the spelling to use.
fn check_names<'n>(
    rule: &Rule,
    file: FileId,
    names: impl IntoIterator<Item = &'n ast::Ident>,
    (what, case): (&str, &str),
    convert: fn(&str) -> String,
    out: &mut Vec<Diagnostic>,
) {
    for name in names {
        let want = convert(&name.name);
        if want == name.name {
            continue;
        }
        let d = Diagnostic::warning(
            rule.id,
            format!("{what} name `{}` should be {case}", name.name),
        )
        .at(file, name.span, format!("not {case}"));
        out.push(if want.is_empty() {
            d
        } else {
            d.help(format!("rename it to `{want}`"))
        });
    }
}
