//! The project file, `iprotoc.toml`: the settings `iprotoc check`, `iprotoc compile`, build
//! scripts ([`crate::Config`]) and editors share for the schemas beside it.
//!
//! ```toml
//! # iprotoc.toml
//! include = ["proto", "third_party"]   # relative to this file
//! style = "oneof"                      # or "extensions"
//!
//! [lint]
//! allow = ["naming"]                   # rule ids or group names
//! warn = ["FIELD_LOWER_SNAKE_CASE"]
//! deny = ["inheritance", "warnings"]   # `warnings`: every warning fails the run
//! ```
//!
//! **Where it is found:** the nearest `iprotoc.toml` walking up from the directory of the first
//! input file (for a name that is not a path on disk, from the current directory), up to the
//! root of the file system; `--config FILE` (or [`crate::Config::config_file`]) names one
//! instead, and `--no-config` ignores them.
//!
//! **Order:** each command starts from its own defaults (`compile`: the inheritance rules and
//! protoc's unused-import warning; `check`: every rule), then applies the file — groups first,
//! then single rules, each in the order `allow`, `warn`, `deny`, so that
//! `allow = ["naming"]` with `warn = ["FIELD_LOWER_SNAKE_CASE"]` keeps that one rule — then the
//! command line's `-A/-W/-D`, left to right (the last one wins).
//!
//! Editors get the same settings for a file with [`Settings::for_file`].
// The shell around the core: it reads files, which clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{self, Diagnostic, Format};
use crate::lint::{self, Level, Lints};
use crate::lower::Style;
use crate::source::{SourceFile, SourceMap, Span};

/// The project file's name.
pub const FILE_NAME: &str = "iprotoc.toml";

/// The settings of a project file (all empty when there is none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The file they come from (`None`: no project file).
    pub file: Option<PathBuf>,
    /// Include directories, in order, resolved against the file's directory (empty: none given).
    pub includes: Vec<PathBuf>,
    /// How inheritance is lowered, if the file says.
    pub style: Option<Style>,
    /// The lint levels, in the order they apply ([`Settings::apply_lints`]).
    pub lint: Vec<(String, Level)>,
}

impl Settings {
    /// The settings that apply to `path` (a schema file, or a directory): the nearest
    /// `iprotoc.toml` walking up from it (see the module doc), or empty settings when there is
    /// none. This is what the language server calls to lint a file as `iprotoc check` would.
    pub fn for_file(path: &Path) -> Result<Settings, Error> {
        match find(path) {
            Some(file) => Settings::load(&file),
            None => Ok(Settings::default()),
        }
    }

    /// Reads and checks the project file at `file`.
    pub fn load(file: &Path) -> Result<Settings, Error> {
        let text = std::fs::read_to_string(file).map_err(|e| Error {
            diagnostic: Box::new(Diagnostic::error(
                "CONFIG_UNREADABLE",
                format!("cannot read {}: {e}", file.display()),
            )),
            sources: SourceMap::new(),
        })?;
        let dir = file.parent().unwrap_or(Path::new(""));
        let mut settings = Settings::parse(&text, &file.to_string_lossy(), dir)?;
        settings.file = Some(file.to_path_buf());
        Ok(settings)
    }

    /// Reads the text of a project file; `name` is how diagnostics name it, and `dir` is the
    /// directory include paths are relative to.
    pub fn parse(text: &str, name: &str, dir: &Path) -> Result<Settings, Error> {
        let fail = |code: &'static str, message: String, span: Option<std::ops::Range<usize>>| {
            let mut sources = SourceMap::new();
            let id = sources.add(SourceFile::new(name, name, text));
            let mut d = Diagnostic::error(code, message);
            if let Some(r) = span {
                d = d.at(id, Span::new(r.start, r.end.max(r.start)), "");
            }
            Error {
                diagnostic: Box::new(d),
                sources,
            }
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            fail(
                "CONFIG_INVALID",
                match e.span() {
                    Some(_) => e.message().to_string(),
                    None => format!("{name}: {}", e.message()),
                },
                e.span(),
            )
        })?;
        let style = match raw.style {
            None => None,
            Some(s) => Some(match s.get_ref().as_str() {
                "extensions" => Style::Extensions,
                "oneof" => Style::Oneof,
                other => {
                    return Err(fail(
                        "CONFIG_INVALID",
                        format!("unknown style `{other}`: expected `extensions` or `oneof`"),
                        Some(s.span()),
                    ))
                }
            }),
        };
        let includes = raw
            .include
            .unwrap_or_default()
            .into_iter()
            .map(|p| relative_to(dir, Path::new(&p)))
            .collect();
        let mut lint = Vec::new();
        let table = raw.lint.unwrap_or_default();
        let lists = [
            (Level::Allow, table.allow.unwrap_or_default()),
            (Level::Warn, table.warn.unwrap_or_default()),
            (Level::Deny, table.deny.unwrap_or_default()),
        ];
        for (_, names) in &lists {
            for n in names {
                if !lint::is_known(n.get_ref()) {
                    let unknown = lint::UnknownLint::new(n.get_ref());
                    return Err(fail(
                        "CONFIG_UNKNOWN_LINT",
                        unknown.to_string(),
                        Some(n.span()),
                    ));
                }
            }
        }
        // Groups (and `warnings`) first, then rules; each in the order allow, warn, deny.
        for rules in [false, true] {
            for (level, names) in &lists {
                for n in names {
                    if lint::rule(&n.get_ref().to_ascii_uppercase()).is_some() == rules {
                        lint.push((n.get_ref().clone(), *level));
                    }
                }
            }
        }
        Ok(Settings {
            file: None,
            includes,
            style,
            lint,
        })
    }

    /// Applies the file's lint levels to `lints` (a command's defaults) and returns the level
    /// of `warnings` it sets, if any (`deny`: every warning fails the run; `allow`: warnings are
    /// not shown).
    pub fn apply_lints(&self, lints: &mut Lints) -> Option<Level> {
        let mut warnings = None;
        for (name, level) in &self.lint {
            if name.trim().eq_ignore_ascii_case(lint::WARNINGS) {
                warnings = Some(*level);
            } else {
                // Checked when the file was read.
                let _ = lints.set(name, *level);
            }
        }
        warnings
    }
}

/// `path` joined to `dir`, made relative to the current directory when it is inside it (so
/// diagnostics and `-I` lists read as the user typed them).
fn relative_to(dir: &Path, path: &Path) -> PathBuf {
    let joined = dir.join(path);
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rest) = joined.strip_prefix(&cwd) {
            return if rest.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                rest.to_path_buf()
            };
        }
    }
    joined
}

/// The nearest `iprotoc.toml` walking up from `start` (a file: from its directory; an absolute
/// path not on disk: from its directory if that exists; another path not on disk, such as a
/// name relative to `-I`: from the current directory).
pub fn find(start: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    // A file (or a file not saved yet, as an editor may ask about): its directory.
    let parent = start.parent().filter(|p| p.is_dir());
    let dir = if start.is_dir() {
        start.to_path_buf()
    } else if let Some(parent) = parent.filter(|_| start.is_file() || start.is_absolute()) {
        parent.to_path_buf()
    } else {
        PathBuf::new()
    };
    let mut at = cwd.join(dir);
    loop {
        let candidate = at.join(FILE_NAME);
        if candidate.is_file() {
            return Some(relative_to(&at, Path::new(FILE_NAME)));
        }
        if !at.pop() {
            return None;
        }
    }
}

/// A project file that cannot be read, is not valid TOML, or has an unknown key, style or lint
/// name: one diagnostic, located in the file when it was read.
#[derive(Clone, Debug)]
pub struct Error {
    diagnostic: Box<Diagnostic>,
    sources: SourceMap,
}

impl Error {
    /// The diagnostic.
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }

    /// The sources it points into (the project file).
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The diagnostic rendered in `format`.
    pub fn render(&self, format: Format, color: bool) -> String {
        diagnostics::render(
            std::slice::from_ref(&self.diagnostic),
            &self.sources,
            format,
            color,
        )
    }

    /// Takes the diagnostic and its sources apart.
    pub fn into_parts(self) -> (Diagnostic, SourceMap) {
        (*self.diagnostic, self.sources)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(Format::Short, false).trim_end())
    }
}

impl std::error::Error for Error {}

/// `iprotoc.toml` as written: unknown keys are errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    include: Option<Vec<String>>,
    style: Option<toml::Spanned<String>>,
    lint: Option<RawLint>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLint {
    allow: Option<Vec<toml::Spanned<String>>>,
    warn: Option<Vec<toml::Spanned<String>>>,
    deny: Option<Vec<toml::Spanned<String>>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, Error> {
        Settings::parse(text, "iprotoc.toml", Path::new("/p"))
    }

    #[test]
    fn reads_every_key() {
        let s = parse(
            "include = [\"proto\", \"../x\"]\nstyle = \"oneof\"\n[lint]\nallow = [\"FIELD_LOWER_SNAKE_CASE\", \"naming\"]\ndeny = [\"warnings\"]\n",
        )
        .unwrap();
        assert_eq!(
            s.includes,
            [PathBuf::from("/p/proto"), PathBuf::from("/p/../x")]
        );
        assert_eq!(s.style, Some(Style::Oneof));
        // Groups and `warnings` first, then rules.
        assert_eq!(
            s.lint,
            [
                ("naming".to_string(), Level::Allow),
                ("warnings".to_string(), Level::Deny),
                ("FIELD_LOWER_SNAKE_CASE".to_string(), Level::Allow),
            ]
        );
        let mut lints = Lints::All;
        assert_eq!(s.apply_lints(&mut lints), Some(Level::Deny));
        assert_eq!(lints.level("MESSAGE_PASCAL_CASE"), Some(Level::Allow));
        assert_eq!(lints.level("PACKAGE_DEFINED"), Some(Level::Warn));
    }

    #[test]
    fn a_rule_beats_its_group_whatever_the_list() {
        let s =
            parse("[lint]\nwarn = [\"FIELD_LOWER_SNAKE_CASE\"]\nallow = [\"naming\"]\n").unwrap();
        let mut lints = Lints::All;
        s.apply_lints(&mut lints);
        assert_eq!(lints.level("FIELD_LOWER_SNAKE_CASE"), Some(Level::Warn));
        assert_eq!(lints.level("ENUM_PASCAL_CASE"), Some(Level::Allow));
    }

    fn error_at(text: &str) -> (String, String) {
        let e = parse(text).unwrap_err();
        let short = e.render(Format::Short, false);
        (e.diagnostic().code.to_string(), short)
    }

    #[test]
    fn errors_say_where() {
        let (code, short) = error_at("include = [\"a\"]\nstyel = \"oneof\"\n");
        assert_eq!(code, "CONFIG_INVALID");
        assert!(
            short.starts_with("iprotoc.toml:2:1: error[CONFIG_INVALID]"),
            "{short}"
        );
        assert!(short.contains("styel"), "{short}");

        let (code, short) = error_at("[lint]\ndeny = [\n  \"FIELD_LOWER_SNAKE\",\n]\n");
        assert_eq!(code, "CONFIG_UNKNOWN_LINT");
        assert!(
            short.starts_with("iprotoc.toml:3:3: error[CONFIG_UNKNOWN_LINT]"),
            "{short}"
        );
        assert!(short.contains("`FIELD_LOWER_SNAKE_CASE`"), "{short}");

        let (_, short) = error_at("style = \"flat\"\n");
        assert!(
            short.starts_with("iprotoc.toml:1:9: error[CONFIG_INVALID]"),
            "{short}"
        );

        let (_, short) = error_at("include = [\n");
        assert!(short.starts_with("iprotoc.toml:"), "{short}");
        assert!(short.contains("error[CONFIG_INVALID]"), "{short}");
    }
}
