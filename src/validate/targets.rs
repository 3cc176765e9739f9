//! Options (and features) against the definitions of the fields they set: which kinds of element
//! a field may be set on (`targets`), and in which editions (`feature_support`).
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `OPTION_TARGET` | an option or feature set on a kind of element its definition's `targets` leaves out (`features.field_presence` on a message, a custom option declared for fields on a file) | `ValidateTargetConstraints` (command_line_interface.cc) |
//! | `FEATURE_NOT_INTRODUCED` | an option or feature newer than the file's edition (`features.enforce_naming_style` in 2023) | `FeatureResolver::ValidateFeatureLifetimes` |
//! | `OPTION_REMOVED` | an option or feature removed in the file's edition (`java_multiple_files` in 2024) | `FeatureResolver::ValidateFeatureLifetimes` |
//! | `OPTION_DEPRECATED` (warning) | an option or feature deprecated in the file's edition | `FeatureResolver::ValidateFeatureLifetimes` |
//!
//! Targets are checked by protoc's command line once every file has built, so
//! `OPTION_TARGET` is only reported when no other validation error was found. Both walk the
//! element's interpreted options (source-retention ones included) as protoc's
//! reflection does: every field set, recursing into message fields, looking each definition up
//! in [`super::schema`]. Targets apply to every option protoc can see in the compilation
//! (custom options included); lifetimes only to `descriptor.proto`'s fields, which protoc's
//! reflection knows for certain (see `compiled_into_protoc`). In proto2/proto3 files features are already an error of their own
//! (`FEATURES_OUTSIDE_EDITIONS`), so their lifetimes are not checked.

use super::schema::FieldDef;
use super::{tag, Checker, Edition, ElementOptions, FileCx};
use crate::descriptor::wire::{parse_fields, WireField, WireValue};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use std::borrow::Cow;

/// `FieldOptions.OptionTargetType`: the kind of element an options message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `TARGET_TYPE_FILE`
    File = 1,
    /// `TARGET_TYPE_EXTENSION_RANGE`
    ExtensionRange = 2,
    /// `TARGET_TYPE_MESSAGE`
    Message = 3,
    /// `TARGET_TYPE_FIELD`
    Field = 4,
    /// `TARGET_TYPE_ONEOF`
    Oneof = 5,
    /// `TARGET_TYPE_ENUM`
    Enum = 6,
    /// `TARGET_TYPE_ENUM_ENTRY`
    EnumEntry = 7,
    /// `TARGET_TYPE_SERVICE`
    Service = 8,
    /// `TARGET_TYPE_METHOD`
    Method = 9,
}

impl Target {
    /// How protoc names it in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Target::File => "file",
            Target::ExtensionRange => "extension range",
            Target::Message => "message",
            Target::Field => "field",
            Target::Oneof => "oneof",
            Target::Enum => "enum",
            Target::EnumEntry => "enum entry",
            Target::Service => "service",
            Target::Method => "method",
        }
    }

    /// The number of `features` in this kind's options message.
    pub fn features_field(self) -> u32 {
        match self {
            Target::File | Target::ExtensionRange => 50,
            Target::Message => 12,
            Target::Field => 21,
            Target::Oneof => 1,
            Target::Enum => 7,
            Target::EnumEntry => 2,
            Target::Service => 34,
            Target::Method => 35,
        }
    }

    /// The kind of element whose options are at this descriptor path (`[4, 0, 2, 1, 8]`: a
    /// field's), by walking the path from the file down.
    pub fn of_options_path(path: &[i32]) -> Option<Target> {
        #[derive(Clone, Copy)]
        enum At {
            File,
            Message,
            Enum,
            Service,
            Leaf(Target),
        }
        let mut at = At::File;
        let mut rest = path;
        loop {
            match (at, rest) {
                (At::File, [8]) => return Some(Target::File),
                (At::File, [4, _, tail @ ..]) => (at, rest) = (At::Message, tail),
                (At::File, [5, _, tail @ ..]) => (at, rest) = (At::Enum, tail),
                (At::File, [6, _, tail @ ..]) => (at, rest) = (At::Service, tail),
                (At::File, [7, _, tail @ ..]) => (at, rest) = (At::Leaf(Target::Field), tail),
                (At::Message, [7]) => return Some(Target::Message),
                (At::Message, [3, _, tail @ ..]) => rest = tail,
                (At::Message, [4, _, tail @ ..]) => (at, rest) = (At::Enum, tail),
                (At::Message, [2 | 6, _, tail @ ..]) => {
                    (at, rest) = (At::Leaf(Target::Field), tail)
                }
                (At::Message, [5, _, tail @ ..]) => {
                    (at, rest) = (At::Leaf(Target::ExtensionRange), tail)
                }
                (At::Message, [8, _, tail @ ..]) => (at, rest) = (At::Leaf(Target::Oneof), tail),
                (At::Enum, [3]) => return Some(Target::Enum),
                (At::Enum, [2, _, tail @ ..]) => (at, rest) = (At::Leaf(Target::EnumEntry), tail),
                (At::Service, [3]) => return Some(Target::Service),
                (At::Service, [2, _, tail @ ..]) => (at, rest) = (At::Leaf(Target::Method), tail),
                (At::Leaf(t), [n]) if *n == t.options_tag() => return Some(t),
                _ => return None,
            }
        }
    }

    /// The field number of `options` in an element of this kind.
    fn options_tag(self) -> i32 {
        match self {
            Target::File => 8,
            Target::Message => 7,
            Target::Field => 8,
            Target::Oneof => 2,
            Target::Enum => 3,
            Target::EnumEntry => 3,
            Target::Service => 3,
            Target::Method => 4,
            Target::ExtensionRange => 3,
        }
    }

    /// The options message of this kind of element.
    pub fn options_message(self) -> &'static str {
        match self {
            Target::File => "google.protobuf.FileOptions",
            Target::ExtensionRange => "google.protobuf.ExtensionRangeOptions",
            Target::Message => "google.protobuf.MessageOptions",
            Target::Field => "google.protobuf.FieldOptions",
            Target::Oneof => "google.protobuf.OneofOptions",
            Target::Enum => "google.protobuf.EnumOptions",
            Target::EnumEntry => "google.protobuf.EnumValueOptions",
            Target::Service => "google.protobuf.ServiceOptions",
            Target::Method => "google.protobuf.MethodOptions",
        }
    }
}

/// A field on the way to a finding: its name and whether it is an extension.
pub(crate) type Step = (String, bool);

/// What one walk found.
struct Finding {
    /// The fields from the options message down to the one found (for locating it).
    chain: Vec<Step>,
    code: &'static str,
    warning: bool,
    message: String,
    help: String,
}

/// Checks the targets and lifetimes of an element's options.
pub(crate) fn check_element(ck: &mut Checker, f: &FileCx, el: &ElementOptions) {
    let (options_path, opts, target) = (el.path, el.opts, el.target);
    let mut findings = Vec::new();
    walk(
        ck,
        f,
        target.options_message(),
        &opts.fields,
        target,
        Chain::Root,
        true,
        &mut findings,
    );
    let mut locator = Locator::new(f, options_path, findings.len());
    for x in findings {
        let span = locator.locate(&x.chain);
        let d = if x.warning {
            Diagnostic::warning(x.code, x.message)
        } else {
            Diagnostic::error(x.code, x.message)
        };
        let d = d.at(f.id, span, "").help(x.help);
        if x.code == "OPTION_TARGET" {
            ck.after_build.push(d);
        } else {
            ck.push(d);
        }
    }
}

/// The fields on the way down from the options message to the one being walked, as a list
/// linked through the walk's frames: borrowed while walking, turned into [`Step`]s only for a
/// finding.
#[derive(Clone, Copy)]
pub(crate) enum Chain<'c> {
    /// The options message itself.
    Root,
    /// A field (its name, and whether it is an extension) below `parent`.
    Step(&'c Chain<'c>, &'c str, bool),
}

impl Chain<'_> {
    /// The steps, outermost first.
    pub(crate) fn to_steps(self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut at = self;
        while let Chain::Step(parent, name, is_ext) = at {
            steps.push((name.to_string(), is_ext));
            at = *parent;
        }
        steps.reverse();
        steps
    }
}

/// Calls `each` with every field number of `fields` and its occurrences, in number order
/// (reflection's `ListFields`), so that the pieces of singular messages can be merged. Fields in strictly increasing order (the usual case) need no
/// grouping, so no allocation.
fn for_each_number<'w>(fields: &'w [WireField], mut each: impl FnMut(u32, &[&'w WireField])) {
    if fields.windows(2).all(|w| w[0].number < w[1].number) {
        for field in fields {
            each(field.number, std::slice::from_ref(&field));
        }
        return;
    }
    // Grouped by one stable sort (each number's occurrences keep their order), not by a pass
    // over every field for each number.
    let mut sorted: Vec<&WireField> = fields.iter().collect();
    sorted.sort_by_key(|f| f.number);
    for occurrences in sorted.chunk_by(|a, b| a.number == b.number) {
        each(occurrences[0].number, occurrences);
    }
}

/// Walks one (options) message: `chain` is the way down from the options message.
#[allow(clippy::too_many_arguments)]
fn walk(
    ck: &Checker,
    f: &FileCx,
    message: &str,
    fields: &[WireField],
    target: Target,
    chain: Chain,
    lifetimes: bool,
    out: &mut Vec<Finding>,
) {
    for_each_number(fields, |number, occurrences| {
        if number == tag::UNINTERPRETED_OPTION as u32 {
            return;
        }
        let Some(def) = ck.schema.field(ck.messages, message, number as i32) else {
            return;
        };
        let here = Chain::Step(
            &chain,
            def.proto.name.as_deref().unwrap_or(""),
            def.proto.extendee.is_some(),
        );
        let targets = def.targets();
        if !targets.is_empty() && !def.allows(target) {
            out.push(Finding {
                chain: here.to_steps(),
                code: "OPTION_TARGET",
                warning: false,
                message: format!(
                    "Option {} cannot be set on an entity of type `{}`.",
                    def.full_name,
                    target.describe()
                ),
                help: format!(
                    "its definition allows it only on: {}",
                    targets
                        .iter()
                        .filter_map(|t| target_name(*t))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        // Features in proto2/proto3 are an error of their own.
        let lifetimes = lifetimes
            && !(message.starts_with("google.protobuf.")
                && message.ends_with("Options")
                && number == target.features_field()
                && !f.edition.is_editions());
        if lifetimes && compiled_into_protoc(&def) {
            lifetime(&def, f.edition, &|| here.to_steps(), out);
        }
        let Some(inner) = def.message_type() else {
            return;
        };
        let bodies: Vec<Cow<[WireField]>> = occurrences
            .iter()
            .filter_map(|o| match &o.value {
                WireValue::Bytes(b) => parse_fields(b).map(Cow::Owned),
                WireValue::Group(g) => Some(Cow::Borrowed(&g[..])),
                _ => None,
            })
            .collect();
        if def.is_repeated() || bodies.len() == 1 {
            for body in &bodies {
                walk(ck, f, inner, body, target, here, lifetimes, out);
            }
        } else {
            let merged: Vec<WireField> = bodies.iter().flat_map(|b| b.iter().cloned()).collect();
            walk(ck, f, inner, &merged, target, here, lifetimes, out);
        }
    });
}

/// Whether protoc's own reflection knows the field (so checks its `feature_support`). The
/// `pb.*` language features are compiled into protoc too, but in protoc's own version, which
/// may lack features a newer `cpp_features.proto` declares (protoc then sees unknown fields and
/// checks nothing), so only `descriptor.proto`'s fields are checked.
fn compiled_into_protoc(def: &FieldDef) -> bool {
    def.full_name.starts_with("google.protobuf.")
}

/// The edition lifetime (`feature_support`) findings of one option; `chain` builds the way down
/// to it, only for a finding.
fn lifetime(
    def: &FieldDef,
    edition: Edition,
    chain: &dyn Fn() -> Vec<Step>,
    out: &mut Vec<Finding>,
) {
    let Some(support) = def.feature_support() else {
        return;
    };
    let ed = edition.number();
    let name = &def.full_name;
    if let Some(intro) = support.introduced.filter(|&i| ed < i) {
        out.push(Finding {
            chain: chain(),
            code: "FEATURE_NOT_INTRODUCED",
            warning: false,
            message: format!(
                "{name} wasn't introduced until edition {} and can't be used in edition {}",
                Edition::from_number(intro).name(),
                edition.name()
            ),
            help: format!(
                "remove it, or move the file to `edition = \"{}\";`",
                Edition::from_number(intro).name()
            ),
        });
    }
    if let Some(removed) = support.removed.filter(|&r| ed >= r) {
        out.push(Finding {
            chain: chain(),
            code: "OPTION_REMOVED",
            warning: false,
            message: format!(
                "{name} has been removed in edition {}{}",
                Edition::from_number(removed).name(),
                support
                    .removal_error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
            help: "remove it".into(),
        });
    } else if let Some(dep) = support.deprecated.filter(|&d| ed >= d) {
        out.push(Finding {
            chain: chain(),
            code: "OPTION_DEPRECATED",
            warning: true,
            message: format!(
                "{name} has been deprecated in edition {}: {}",
                Edition::from_number(dep).name(),
                support.deprecation_warning
            ),
            help: "remove it before it is removed".into(),
        });
    }
}

fn target_name(t: i32) -> Option<&'static str> {
    [
        Target::File,
        Target::ExtensionRange,
        Target::Message,
        Target::Field,
        Target::Oneof,
        Target::Enum,
        Target::EnumEntry,
        Target::Service,
        Target::Method,
    ]
    .into_iter()
    .find(|x| *x as i32 == t)
    .map(Target::describe)
}

/// Where the option setting the field at the end of `chain` was written: the first option
/// whose name matches the most of the chain (an extension part matches by its last name
/// component), else all of the element's options.
pub(crate) fn locate(f: &FileCx, options_path: &[i32], chain: &[Step]) -> Span {
    let fallback = f.span(options_path);
    let Some(opts) = f.opts(options_path) else {
        return fallback;
    };
    let matched = |name: &[String]| {
        name.iter()
            .zip(chain)
            .take_while(|(written, (simple, is_ext))| {
                if *is_ext {
                    written
                        .strip_prefix('(')
                        .and_then(|s| s.strip_suffix(')'))
                        .is_some_and(|s| s.rsplit('.').next() == Some(simple.as_str()))
                } else {
                    *written == simple
                }
            })
            .count()
    };
    let mut best: Option<(usize, Span)> = None;
    for w in &opts.written {
        let n = matched(&w.name);
        if n > 0 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, w.span));
        }
    }
    best.map(|(_, s)| s).unwrap_or(fallback)
}

/// [`locate`] for many findings on one element: with many findings and many options written, the
/// options are indexed once by every prefix of their names, so that each finding costs a few
/// lookups instead of a pass over the options.
pub(crate) struct Locator<'f, 'a> {
    f: &'f FileCx<'a>,
    options_path: &'f [i32],
    /// The first written option with each prefix of a name, components as a chain matches them
    /// (`(pkg.ext)` as the extension's simple name); `None`: search in place.
    first: Option<foldhash::HashMap<Vec<(bool, &'a str)>, usize>>,
}

impl<'f, 'a> Locator<'f, 'a> {
    /// A locator for `findings` findings on the element whose options are at `options_path`.
    pub fn new(f: &'f FileCx<'a>, options_path: &'f [i32], findings: usize) -> Self {
        let written = f.opts(options_path).map_or(&[][..], |o| &o.written[..]);
        let first = (findings > 1 && written.len() > super::Lookups::LINEAR_MAX).then(|| {
            let mut first = foldhash::HashMap::default();
            for (i, w) in written.iter().enumerate() {
                let mut prefix = Vec::with_capacity(w.name.len());
                for part in w.name.iter() {
                    prefix.push(match part.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
                        Some(ext) => (true, ext.rsplit('.').next().unwrap_or(ext)),
                        None => (false, part.as_str()),
                    });
                    first.entry(prefix.clone()).or_insert(i);
                }
            }
            first
        });
        Locator {
            f,
            options_path,
            first,
        }
    }

    /// Where the option setting the field at the end of `chain` was written ([`locate`]).
    pub fn locate(&mut self, chain: &[Step]) -> Span {
        let Some(first) = &self.first else {
            return locate(self.f, self.options_path, chain);
        };
        let key: Vec<(bool, &str)> = chain.iter().map(|(s, ext)| (*ext, s.as_str())).collect();
        let written = self.f.opts(self.options_path).map_or(&[][..], |o| &o.written[..]);
        (1..=key.len())
            .rev()
            .find_map(|k| first.get(&key[..k]))
            .map(|&i| written[i].span)
            .unwrap_or_else(|| self.f.span(self.options_path))
    }
}

#[cfg(test)]
mod tests {
    use super::Target;

    #[test]
    fn options_paths() {
        assert_eq!(Target::of_options_path(&[8]), Some(Target::File));
        assert_eq!(Target::of_options_path(&[4, 0, 7]), Some(Target::Message));
        assert_eq!(
            Target::of_options_path(&[4, 0, 3, 1, 2, 0, 8]),
            Some(Target::Field)
        );
        assert_eq!(
            Target::of_options_path(&[4, 0, 4, 0, 3]),
            Some(Target::Enum)
        );
        assert_eq!(
            Target::of_options_path(&[5, 0, 2, 1, 3]),
            Some(Target::EnumEntry)
        );
        assert_eq!(
            Target::of_options_path(&[4, 0, 8, 0, 2]),
            Some(Target::Oneof)
        );
        assert_eq!(
            Target::of_options_path(&[4, 0, 5, 0, 3]),
            Some(Target::ExtensionRange)
        );
        assert_eq!(
            Target::of_options_path(&[6, 0, 2, 0, 4]),
            Some(Target::Method)
        );
        assert_eq!(Target::of_options_path(&[7, 0, 8]), Some(Target::Field));
        assert_eq!(Target::of_options_path(&[4, 0]), None);
    }
}
