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
mod field_shadows_base_field;
mod file_lower_snake_case;
mod import_no_public;
mod import_no_weak;
mod import_unused;
mod lint_ignore_unused;
mod message_pascal_case;
mod oneof_lower_snake_case;
mod package_defined;
mod package_directory_match;
mod package_lower_snake_case;
mod package_same_directory;
mod package_version_suffix;
mod rpc_of_subclass_type;
mod rpc_pascal_case;
mod rpc_request_response_unique;
mod rpc_request_standard_name;
mod rpc_response_standard_name;
mod service_pascal_case;
mod service_suffix;
mod subclass_tag_unpinned;
mod syntax_specified;

use std::collections::{BTreeMap, HashSet};

use crate::ast::{self, FullIdent};
use crate::diagnostics::Diagnostic;
use crate::lower::hierarchy::{self, Analysis};
use crate::lower::GeneratedDiscriminator;
use crate::resolve::symbols::{Lookup, LookupMode, SymbolTable};
use crate::source::{FileId, SourceFile, Span};

use walk::Decls;

pub use lint_ignore_unused::ID as LINT_IGNORE_UNUSED;

/// How a lint rule's findings are treated, as in rustc: `-A` allows (the rule does not run),
/// `-W` warns, `-D` denies (its findings are errors: exit 1, nothing written).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The rule does not run.
    Allow,
    /// Findings are warnings.
    Warn,
    /// Findings are errors.
    Deny,
}

impl Level {
    /// `allow`, `warn` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// Which lint rules run, and at which [`Level`]: one level per rule (`iprotoc check
/// --list-rules` lists them).
///
/// Start from a preset ([`Lints::Off`], [`Lints::Inheritance`] — what `iprotoc compile` runs —
/// or [`Lints::All`] — what `iprotoc check` runs) and change it rule by rule or group by group
/// with [`Lints::set`], as `-A/-W/-D RULE|GROUP` and the `[lint]` table of `iprotoc.toml` do.
///
/// ```
/// use iprotoc::{Level, Lints};
/// let mut lints = Lints::Inheritance;
/// lints.set("naming", Level::Warn).unwrap();
/// lints.set("FIELD_LOWER_SNAKE_CASE", Level::Deny).unwrap();
/// assert_eq!(lints.level("FIELD_LOWER_SNAKE_CASE"), Some(Level::Deny));
/// assert_eq!(lints.level("MESSAGE_PASCAL_CASE"), Some(Level::Warn));
/// assert_eq!(lints.level("PACKAGE_DEFINED"), Some(Level::Allow));
/// assert!(lints.set("FIELD_LOWER_SNAKE", Level::Warn).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lints {
    /// Bit `i`: rule `RULES[i]` runs.
    on: u128,
    /// Bit `i`: rule `RULES[i]`'s findings are errors (a subset of `on`).
    deny: u128,
}

impl Default for Lints {
    /// [`Lints::Off`]: a library compile lints nothing unless asked.
    fn default() -> Self {
        Lints::Off
    }
}

// The presets keep the names they had when `Lints` was an enum of three presets.
#[allow(non_upper_case_globals)]
impl Lints {
    /// No rule runs.
    pub const Off: Lints = Lints { on: 0, deny: 0 };
    /// What `iprotoc compile` and a build script run: the inheritance rules (unsafe
    /// hierarchies) and protoc's own warning (the protoc group), as warnings.
    pub const Inheritance: Lints = Lints {
        on: preset_bits(false),
        deny: 0,
    };
    /// What `iprotoc check` runs: every rule, as warnings.
    pub const All: Lints = Lints {
        on: preset_bits(true),
        deny: 0,
    };
}

/// The rules a preset turns on: every rule, or only the ones `compile` runs.
const fn preset_bits(all: bool) -> u128 {
    let mut bits = 0;
    let mut i = 0;
    while i < RULE_LIST.len() {
        if all || matches!(RULE_LIST[i].group, Group::Inheritance | Group::Protoc) {
            bits |= 1 << i;
        }
        i += 1;
    }
    bits
}

// Each rule has one bit.
const _: () = assert!(RULE_LIST.len() <= 128);

impl Lints {
    /// Whether no rule runs.
    pub fn is_off(self) -> bool {
        self.on == 0
    }

    /// Whether some rule outside `group` runs.
    pub fn any_outside(self, group: Group) -> bool {
        RULES
            .iter()
            .enumerate()
            .any(|(i, r)| r.group != group && self.on & (1 << i) != 0)
    }

    /// The level of the rule `id` (`None`: no such rule).
    pub fn level(self, id: &str) -> Option<Level> {
        RULES.iter().position(|r| r.id == id).map(|i| self.at(i))
    }

    /// Whether a rule of `group` runs.
    pub fn includes(self, group: Group) -> bool {
        RULES
            .iter()
            .enumerate()
            .any(|(i, r)| r.group == group && self.on & (1 << i) != 0)
    }

    fn at(self, i: usize) -> Level {
        if self.deny & (1 << i) != 0 {
            Level::Deny
        } else if self.on & (1 << i) != 0 {
            Level::Warn
        } else {
            Level::Allow
        }
    }

    fn set_at(&mut self, i: usize, level: Level) {
        let bit = 1u128 << i;
        self.on &= !bit;
        self.deny &= !bit;
        match level {
            Level::Allow => {}
            Level::Warn => self.on |= bit,
            Level::Deny => {
                self.on |= bit;
                self.deny |= bit;
            }
        }
    }

    /// Sets the level of a rule (by id) or of every rule of a group (by name, as `--list-rules` lists them);
    /// ids and names are case-insensitive, `-` and `_` alike. The meta-name `warnings` is not a
    /// rule or group (it is about every warning, lint or not): it is refused here, and the
    /// command line and [`ProjectSettings`](crate::ProjectSettings) handle it.
    pub fn set(&mut self, name: &str, level: Level) -> Result<(), UnknownLint> {
        match lookup(name) {
            Some(Selector::Rule(i)) => self.set_at(i, level),
            Some(Selector::Group(g)) => {
                for (i, r) in RULES.iter().enumerate() {
                    if g.contains(r) {
                        self.set_at(i, level);
                    }
                }
            }
            None => return Err(UnknownLint::new(name)),
        }
        Ok(())
    }
}

/// The meta-name for "every warning" in `-A/-W/-D warnings` and `iprotoc.toml`.
pub const WARNINGS: &str = "warnings";

/// A rule id or group name that names neither, with the near names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLint {
    /// The name as given.
    pub name: String,
    /// Rule ids and group names spelled close to it, closest first (at most three).
    pub near: Vec<&'static str>,
}

impl UnknownLint {
    /// The near names of `name`.
    pub fn new(name: &str) -> Self {
        UnknownLint {
            name: name.to_string(),
            near: near_names(name),
        }
    }
}

impl std::fmt::Display for UnknownLint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no lint rule or group `{}`", self.name)?;
        match self.near.as_slice() {
            [] => write!(f, " (`iprotoc check --list-rules` lists them)"),
            [one] => write!(f, "; did you mean `{one}`?"),
            many => write!(
                f,
                "; did you mean one of {}?",
                many.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl std::error::Error for UnknownLint {}

/// What a name given to [`Lints::set`] selects.
enum Selector {
    Rule(usize),
    Group(&'static GroupInfo),
}

fn lookup(name: &str) -> Option<Selector> {
    let norm = name.trim().replace('-', "_");
    if let Some(i) = RULES.iter().position(|r| r.id.eq_ignore_ascii_case(&norm)) {
        return Some(Selector::Rule(i));
    }
    GROUPS
        .iter()
        .find(|g| g.name.eq_ignore_ascii_case(&norm))
        .map(Selector::Group)
}

/// Whether `name` is a rule id, a group name or [`WARNINGS`].
pub fn is_known(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(WARNINGS) || lookup(name).is_some()
}

/// The rule ids and group names closest to `name` (edit distance at most a third of its
/// length, at least 2, or starting with it), closest first, at most three.
pub fn near_names(name: &str) -> Vec<&'static str> {
    let norm = name.trim().replace('-', "_").to_ascii_uppercase();
    let limit = (norm.len() / 3).max(2);
    let mut scored: Vec<(usize, &'static str)> = RULES
        .iter()
        .map(|r| r.id)
        .chain(GROUPS.iter().map(|g| g.name))
        .chain([WARNINGS])
        .filter_map(|cand| {
            let upper = cand.to_ascii_uppercase();
            let d = edit_distance(&norm, &upper);
            // A name cut short (`SUBCLASS_TAG`) is near whatever it is the start of.
            let cut_short = norm.len() >= 4 && upper.starts_with(&norm);
            (d <= limit || cut_short).then_some((d, cand))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Levenshtein distance over bytes.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(ca != cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// A family of rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Hierarchies that are unsafe to evolve: reported by `compile` and `check`.
    Inheritance,
    /// Warnings protoc itself gives (an unused import): reported by `compile` and `check`.
    Protoc,
    /// `.iproto`-specific advice reported by `check` only.
    Iproto,
    /// buf's STANDARD naming and structure rules: reported by `check` only.
    Style,
}

impl Group {
    /// `inheritance`, `protoc`, `iproto` or `style`.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Inheritance => "inheritance",
            Group::Protoc => "protoc",
            Group::Iproto => "iproto",
            Group::Style => "style",
        }
    }
}

/// A group of rules that `-A/-W/-D` and `iprotoc.toml` can name: each family ([`Group`]),
/// and a few cross-cutting sets.
pub struct GroupInfo {
    /// The name (`naming`).
    pub name: &'static str,
    /// One line: what is in it.
    pub summary: &'static str,
    /// The family its rules come from, or the ids it holds (`None` and empty: every rule).
    family: Option<Group>,
    ids: &'static [&'static str],
}

impl GroupInfo {
    /// Whether `rule` is in the group.
    pub fn contains(&self, rule: &Rule) -> bool {
        match self.family {
            Some(g) => rule.group == g,
            None => self.ids.is_empty() || self.ids.contains(&rule.id),
        }
    }
}

static GROUPS: &[GroupInfo] = &[
    GroupInfo {
        name: "all",
        summary: "every rule",
        family: None,
        ids: &[],
    },
    GroupInfo {
        name: "inheritance",
        summary: "hierarchies that are unsafe to evolve (on in `compile` and `check`)",
        family: Some(Group::Inheritance),
        ids: &[],
    },
    GroupInfo {
        name: "protoc",
        summary: "warnings protoc itself gives (on in `compile` and `check`)",
        family: Some(Group::Protoc),
        ids: &[],
    },
    GroupInfo {
        name: "iproto",
        summary: "iprotoc-specific advice (on in `check`)",
        family: Some(Group::Iproto),
        ids: &[],
    },
    GroupInfo {
        name: "style",
        summary: "buf's STANDARD naming and structure rules (on in `check`)",
        family: Some(Group::Style),
        ids: &[],
    },
    GroupInfo {
        name: "naming",
        summary: "how names are spelled (the naming rules of `style`)",
        family: None,
        ids: &[
            "ENUM_PASCAL_CASE",
            "ENUM_VALUE_PREFIX",
            "ENUM_VALUE_UPPER_SNAKE_CASE",
            "ENUM_ZERO_VALUE_SUFFIX",
            "FIELD_LOWER_SNAKE_CASE",
            "FILE_LOWER_SNAKE_CASE",
            "MESSAGE_PASCAL_CASE",
            "ONEOF_LOWER_SNAKE_CASE",
            "PACKAGE_LOWER_SNAKE_CASE",
            "PACKAGE_VERSION_SUFFIX",
            "RPC_PASCAL_CASE",
            "RPC_REQUEST_STANDARD_NAME",
            "RPC_RESPONSE_STANDARD_NAME",
            "SERVICE_PASCAL_CASE",
            "SERVICE_SUFFIX",
        ],
    },
    GroupInfo {
        name: "imports",
        summary: "how files import each other",
        family: None,
        ids: &["IMPORT_NO_PUBLIC", "IMPORT_NO_WEAK", "IMPORT_UNUSED"],
    },
];

/// Every group `-A/-W/-D` and `iprotoc.toml` can name.
pub fn groups() -> &'static [GroupInfo] {
    GROUPS
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
    /// The `iprotoc:lint:ignore` directives and what the other rules found
    /// ([`LINT_IGNORE_UNUSED`]).
    Directives,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

const RULE_LIST: &[Rule] = &[
    subclass_tag_unpinned::RULE,
    field_of_subclass_type::RULE,
    rpc_of_subclass_type::RULE,
    field_shadows_base_field::RULE,
    import_unused::RULE,
    discriminator_implicit::RULE,
    lint_ignore_unused::RULE,
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

static RULES: &[Rule] = RULE_LIST;

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
/// ones an `iprotoc:lint:ignore` comment silences, sorted by position. A denied rule's findings
/// are errors. With [`LINT_IGNORE_UNUSED`] on, the directives that name no rule, or that name a
/// rule this pass ran and silence none of its findings, are findings too.
pub fn lint(files: &[LintInput<'_>], symbols: &SymbolTable, lints: Lints) -> Vec<Diagnostic> {
    if lints.is_off() {
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
    let inputs: BTreeMap<FileId, &SourceFile> = files
        .iter()
        .filter(|f| f.is_input)
        .map(|f| (f.id, f.source))
        .collect();
    let selected: Vec<_> = RULES
        .iter()
        .enumerate()
        .filter(|&(i, _)| lints.at(i) != Level::Allow)
        .filter_map(|(i, r)| match r.check {
            Check::Source(check) => Some((r, lints.at(i), check)),
            _ => None,
        })
        .collect();
    let ran: Vec<&str> = selected.iter().map(|(r, _, _)| r.id).collect();
    let found = crate::parallel::map(selected, bytes, |(rule, level, check)| {
        let mut found = Vec::new();
        check(&cx, &mut found);
        let used = keep_reported(rule, level, &inputs, &mut found);
        (found, used)
    });
    // Freeing every file's analysis is a few milliseconds on a large compilation: on all cores.
    crate::parallel::map(cx.files, bytes, drop);
    let mut out = Vec::new();
    let mut used = HashSet::new();
    for (found, u) in found {
        out.extend(found);
        used.extend(u);
    }
    judge_directives(&inputs, &ran, &used, true, lints, &mut out);
    crate::diagnostics::sort(&mut out);
    out
}

/// Runs the rules `lints` selects that read what lowering generated ([`Check::Generated`]) over
/// the input files, like [`lint`].
pub fn lint_generated(files: &[GeneratedInput<'_>], lints: Lints) -> Vec<Diagnostic> {
    if lints.is_off() {
        return Vec::new();
    }
    let inputs: BTreeMap<FileId, &SourceFile> = files.iter().map(|f| (f.id, f.source)).collect();
    let mut out = Vec::new();
    let mut used = HashSet::new();
    let mut ran = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        let level = lints.at(i);
        if level == Level::Allow {
            continue;
        }
        if let Check::Generated(check) = rule.check {
            let mut found = Vec::new();
            check(files, &mut found);
            used.extend(keep_reported(rule, level, &inputs, &mut found));
            out.extend(found);
            ran.push(rule.id);
        }
    }
    judge_directives(&inputs, &ran, &used, false, lints, &mut out);
    crate::diagnostics::sort(&mut out);
    out
}

/// A directive that silenced something: its file, the start of its line, the rule.
type UsedDirective = (FileId, u32, &'static str);

/// Drops the findings an `iprotoc:lint:ignore` directive silences, makes the rest errors when
/// the rule is denied, and returns the directives that silenced something.
fn keep_reported(
    rule: &Rule,
    level: Level,
    sources: &BTreeMap<FileId, &SourceFile>,
    found: &mut Vec<Diagnostic>,
) -> Vec<UsedDirective> {
    debug_assert!(found.iter().all(|d| d.code == rule.id));
    let mut used = Vec::new();
    found.retain(|d| {
        let Some(p) = &d.primary else { return true };
        let by = sources
            .get(&p.location.file)
            .and_then(|src| ignore::ignored_by(src, p.location.span.start, d.code));
        match by {
            Some(line) => {
                used.push((p.location.file, line, rule.id));
                false
            }
            None => true,
        }
    });
    if level == Level::Deny {
        for d in found.iter_mut() {
            d.severity = crate::diagnostics::Severity::Error;
            d.notes.push(format!(
                "`{}` is denied by the lint configuration (`-D`, or `deny` in iprotoc.toml)",
                rule.id
            ));
        }
    }
    used
}

/// [`LINT_IGNORE_UNUSED`]: the directives of the input files that name no known rule (when
/// `unknown`), or that name a rule of `ran` and silenced none of its findings (not in `used`).
fn judge_directives(
    inputs: &BTreeMap<FileId, &SourceFile>,
    ran: &[&str],
    used: &HashSet<UsedDirective>,
    unknown: bool,
    lints: Lints,
    out: &mut Vec<Diagnostic>,
) {
    let Some(i) = RULES.iter().position(|r| r.id == LINT_IGNORE_UNUSED) else {
        return;
    };
    let level = lints.at(i);
    if level == Level::Allow {
        return;
    }
    let mut found = Vec::new();
    for (&file, src) in inputs {
        for d in ignore::directives(src) {
            if d.id == LINT_IGNORE_UNUSED {
                continue;
            }
            match rule(d.id) {
                None if unknown => {
                    let near = near_names(d.id);
                    let finding = Diagnostic::warning(
                        LINT_IGNORE_UNUSED,
                        format!(
                            "`iprotoc:lint:ignore` names `{}`, which is no lint rule",
                            d.id
                        ),
                    )
                    .at(file, d.span, "no such rule");
                    found.push(match near.first() {
                        Some(n) => finding.help(format!("did you mean `{n}`?")),
                        None => finding.help("`iprotoc check --list-rules` lists the rules"),
                    });
                }
                Some(r) if ran.contains(&r.id) && !used.contains(&(file, d.line, r.id)) => {
                    found.push(
                        Diagnostic::warning(
                            LINT_IGNORE_UNUSED,
                            format!("`iprotoc:lint:ignore {}` silences nothing", r.id),
                        )
                        .at(file, d.span, format!("no `{}` finding here", r.id))
                        .note("a directive silences findings on its own line, or, in the `//` comment lines directly above a declaration, on that declaration's first line")
                        .help("remove it, or move it to the line the finding is reported on"),
                    );
                }
                _ => {}
            }
        }
    }
    keep_reported(&RULES[i], level, inputs, &mut found);
    out.extend(found);
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
