//! protoc's code-generation interface, as `iprotoc compile` offers it: `--NAME_out`,
//! `--NAME_opt` and `--plugin` on the command line, the `CodeGeneratorRequest` a plugin reads
//! (byte for byte what protoc 36.2 sends for the lowered files), and what is done with its
//! `CodeGeneratorResponse`.
//!
//! The pieces, in the order the CLI uses them:
//!
//! - [`expand_argument_files`]: `@file` arguments, one argument per line (protoc's rule).
//! - [`extract_generator_flags`]: clap cannot declare `--*_out` flags for any name, so they are
//!   taken out of the arguments before clap parses the rest.
//! - [`request`]: the request, from the compilation's files encoded both ways protoc encodes them
//!   ([`crate::driver::EncodedFile`]).
//! - [`run`] and [`Response::parse`]: the plugin as a child process, stdin to stdout.
//! - [`GeneratorContext`]: a response's files applied to one output location (insertion points
//!   included), in memory, so that the CLI writes every output at once or none.
//!
//! This module does no IO of its own except [`run`] (a child process) and
//! [`expand_argument_files`] (reads the argument files).
// The shell around the core: it does the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::descriptor::wire::{parse_fields, put_bytes, put_varint_field, WireValue};
use crate::driver::EncodedFile;
use crate::protobuf::descriptor_fields as tag;
use crate::protobuf::Edition;

/// The generators compiled into protoc 36.2 (`protoc --help`), by flag name, with the language
/// they generate. They are not plugins: no `protoc-gen-cpp` exists to run.
pub const BUILTIN_GENERATORS: &[(&str, &str)] = &[
    ("cpp", "C++"),
    ("csharp", "C#"),
    ("java", "Java"),
    ("kotlin", "Kotlin"),
    ("objc", "Objective-C"),
    ("php", "PHP"),
    ("pyi", "Python type stub"),
    ("python", "Python"),
    ("rbs", "Ruby type signature"),
    ("ruby", "Ruby"),
    ("rust", "Rust"),
];

/// The language of a built-in generator of protoc, if `name` (`python` for `--python_out`) is one.
pub fn builtin_generator(name: &str) -> Option<&'static str> {
    BUILTIN_GENERATORS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, lang)| *lang)
}

/// The version a request announces in `compiler_version`: protoc 36.2's own numbers (protoc
/// sends `PROTOBUF_VERSION`, 7036002 for 36.2), whose request iprotoc reproduces, with the suffix
/// `iprotoc` so that a plugin printing it (`protoc v7.36.2-iprotoc`) tells who ran it.
pub const COMPILER_VERSION: (u64, u64, u64, &str) = (7, 36, 2, "iprotoc");

/// `CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL`.
pub const FEATURE_PROTO3_OPTIONAL: u64 = 1;
/// `CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS`.
pub const FEATURE_SUPPORTS_EDITIONS: u64 = 2;

/// Replaces each `@FILE` argument by the lines of FILE, one argument per line, as protoc does
/// (no quoting or expansion; the file is read from the working directory). A `\r` ending a line
/// is dropped, and so are empty lines. `args[0]` (the program) is kept as it is.
pub fn expand_argument_files(args: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let mut out = Vec::with_capacity(args.len());
    for (i, arg) in args.into_iter().enumerate() {
        let file = arg.to_str().and_then(|s| s.strip_prefix('@'));
        match file {
            Some(file) if i > 0 => {
                let text = std::fs::read(file)
                    .map_err(|e| format!("Failed to open argument file: {file}: {e}"))?;
                let text = String::from_utf8(text)
                    .map_err(|_| format!("argument file {file} is not UTF-8 text"))?;
                for line in text.split('\n') {
                    let line = line.strip_suffix('\r').unwrap_or(line);
                    if !line.is_empty() {
                        out.push(OsString::from(line));
                    }
                }
            }
            _ => out.push(arg),
        }
    }
    Ok(out)
}

/// One `--NAME_out=[PARAMS:]LOCATION` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputDirective {
    /// The flag as written, without its value (`--es_out`).
    pub flag: String,
    /// The generator's name (`es`): the plugin is `protoc-gen-es`.
    pub name: String,
    /// What came before the first `:` of the value (empty without one).
    pub parameter: String,
    /// Where the files go: a directory (a name ending in `.zip`, `.jar` or `.srcjar` is an
    /// archive for protoc).
    pub location: String,
}

impl OutputDirective {
    /// The plugin program's name: `protoc-gen-NAME`.
    pub fn plugin_name(&self) -> String {
        format!("protoc-gen-{}", self.name)
    }

    /// Whether the location names an archive (protoc writes `.zip`, `.jar` and `.srcjar`).
    pub fn is_archive(&self) -> bool {
        [".zip", ".jar", ".srcjar"]
            .iter()
            .any(|ext| self.location.ends_with(ext))
    }
}

/// The generator flags of a command line: every `--NAME_out` and `--NAME_opt`, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GeneratorFlags {
    /// The `--NAME_out` flags.
    pub outputs: Vec<OutputDirective>,
    /// The `--NAME_opt` flags: generator name and value.
    pub options: Vec<(String, String)>,
}

impl GeneratorFlags {
    /// The parameter a generator receives: its `--NAME_out` parameter, then every
    /// `--NAME_opt` value for that name, joined with commas (protoc's order).
    pub fn parameter(&self, directive: &OutputDirective) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if !directive.parameter.is_empty() {
            parts.push(&directive.parameter);
        }
        let opts: Vec<&str> = self
            .options
            .iter()
            .filter(|(n, _)| *n == directive.name)
            .map(|(_, v)| v.as_str())
            .collect();
        let opts = opts.join(",");
        if !opts.is_empty() {
            parts.push(&opts);
        }
        parts.join(",")
    }

    /// The first `--NAME_opt` whose NAME has no `--NAME_out` (protoc: "Unknown flag").
    /// `--cpp_opt` alone is allowed, as protoc allows it.
    pub fn unmatched_option(&self) -> Option<&str> {
        self.options
            .iter()
            .map(|(n, _)| n.as_str())
            .find(|n| *n != "cpp" && !self.outputs.iter().any(|o| o.name == *n))
    }
}

/// The flags of iprotoc's own that end in `_out` (and protoc flags iprotoc does not take, left
/// for clap to reject): never generators.
const NOT_GENERATORS: &[&str] = &["proto", "descriptor_set", "dependency", "edition_defaults"];

/// Takes every `--NAME_out` and `--NAME_opt` flag, in both `--x_out=V` and `--x_out V` forms,
/// out of `args` (which clap then parses), stopping at `--`. `--proto_out` and
/// `--descriptor_set_out` are iprotoc's own and stay. An error names a flag without its value.
pub fn extract_generator_flags(
    args: Vec<OsString>,
) -> Result<(Vec<OsString>, GeneratorFlags), String> {
    let mut rest = Vec::with_capacity(args.len());
    let mut flags = GeneratorFlags::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let Some(text) = arg.to_str() else {
            rest.push(arg);
            continue;
        };
        if text == "--" {
            rest.push(arg);
            rest.extend(it);
            break;
        }
        let Some(body) = text.strip_prefix("--") else {
            rest.push(arg);
            continue;
        };
        let (flag, inline) = match body.split_once('=') {
            Some((f, v)) => (f, Some(v)),
            None => (body, None),
        };
        let (name, is_out) = if let Some(n) = flag.strip_suffix("_out") {
            (n, true)
        } else if let Some(n) = flag.strip_suffix("_opt") {
            (n, false)
        } else {
            rest.push(arg);
            continue;
        };
        if name.is_empty() || NOT_GENERATORS.contains(&name) {
            rest.push(arg);
            continue;
        }
        let value = match inline {
            Some(v) => v.to_string(),
            None => match it.next() {
                Some(v) if !v.to_str().is_some_and(|v| v.starts_with('-')) => v
                    .into_string()
                    .map_err(|_| format!("the value of --{flag} is not UTF-8"))?,
                _ => return Err(format!("Missing value for flag: --{flag}")),
            },
        };
        if is_out {
            let (parameter, location) = match value.split_once(':') {
                Some((p, l)) => (p.to_string(), l.to_string()),
                None => (String::new(), value),
            };
            if location.is_empty() {
                return Err(format!("--{flag} needs an output directory"));
            }
            flags.outputs.push(OutputDirective {
                flag: format!("--{flag}"),
                name: name.to_string(),
                parameter,
                location,
            });
        } else {
            flags.options.push((name.to_string(), value));
        }
    }
    Ok((rest, flags))
}

/// The plugins named by `--plugin` flags: `protoc-gen-NAME=PATH`, or `PATH` alone, whose file
/// name is the plugin's name (protoc's rule). A later flag for the same name wins.
pub fn plugin_paths(flags: &[String]) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    for value in flags {
        let (name, path) = match value.split_once('=') {
            Some((n, p)) => (n.to_string(), p.to_string()),
            None => (
                value.rsplit('/').next().unwrap_or(value).to_string(),
                value.clone(),
            ),
        };
        out.insert(name, PathBuf::from(path));
    }
    out
}

/// The serialized `CodeGeneratorRequest` protoc 36.2 sends a plugin, for a compilation whose
/// files are `files` (each after its imports) and whose inputs are `inputs` (lowered names, in
/// command-line order), with `parameter` (omitted when empty).
///
/// Fields in number order: `file_to_generate` (1), `parameter` (2), `compiler_version` (3),
/// `proto_file` (15): for each input, the files its `import option`s bring (each with its
/// imports), then the input with its imports, depth first, each file once; the inputs
/// themselves with source-retention options stripped, every other file with them kept. Then
/// `source_file_descriptors` (17): the inputs again, their options kept. Source info and
/// `json_name` come as the files were encoded (protoc always includes both).
pub fn request(files: &[EncodedFile], inputs: &[String], parameter: &str) -> Vec<u8> {
    let by_name: HashMap<&str, &EncodedFile> = files.iter().map(|f| (f.name.as_str(), f)).collect();
    let mut order: Vec<&EncodedFile> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for input in inputs {
        let Some(file) = by_name.get(input.as_str()) else {
            continue;
        };
        for dep in imports(&file.stripped, 15) {
            if let Some(d) = by_name.get(dep.as_str()) {
                transitive(d, &by_name, &mut seen, &mut order);
            }
        }
        transitive(file, &by_name, &mut seen, &mut order);
    }
    let to_generate: HashSet<&str> = inputs.iter().map(String::as_str).collect();
    let size = order
        .iter()
        .map(|f| f.retained.len() + f.stripped.len() + 12)
        .sum::<usize>();
    let mut out = Vec::with_capacity(size + 64);
    for input in inputs {
        put_bytes(&mut out, 1, input.as_bytes());
    }
    if !parameter.is_empty() {
        put_bytes(&mut out, 2, parameter.as_bytes());
    }
    let (major, minor, patch, suffix) = COMPILER_VERSION;
    let mut version = Vec::new();
    put_varint_field(&mut version, 1, major);
    put_varint_field(&mut version, 2, minor);
    put_varint_field(&mut version, 3, patch);
    put_bytes(&mut version, 4, suffix.as_bytes());
    put_bytes(&mut out, 3, &version);
    for f in &order {
        let bytes = if to_generate.contains(f.name.as_str()) {
            &f.stripped
        } else {
            &f.retained
        };
        put_bytes(&mut out, 15, bytes);
    }
    for f in &order {
        if to_generate.contains(f.name.as_str()) {
            put_bytes(&mut out, 17, &f.retained);
        }
    }
    out
}

/// protoc's `GetTransitiveDependencies`: the file's imports first (depth first, in import
/// order), then the file, each once.
fn transitive<'a>(
    file: &'a EncodedFile,
    by_name: &HashMap<&str, &'a EncodedFile>,
    seen: &mut HashSet<&'a str>,
    order: &mut Vec<&'a EncodedFile>,
) {
    // An explicit stack: a long import chain must not overflow the call stack.
    if !seen.insert(&file.name) {
        return;
    }
    let mut stack: Vec<(&EncodedFile, Vec<String>, usize)> =
        vec![(file, imports(&file.stripped, 3), 0)];
    while let Some((f, deps, next)) = stack.last_mut() {
        if let Some(dep) = deps.get(*next) {
            *next += 1;
            if let Some(d) = by_name.get(dep.as_str()) {
                if seen.insert(&d.name) {
                    let deps = imports(&d.stripped, 3);
                    stack.push((d, deps, 0));
                }
            }
        } else {
            order.push(f);
            stack.pop();
        }
    }
}

/// The string values of top-level field `number` of a serialized `FileDescriptorProto`
/// (3: `dependency`, 15: `option_dependency`).
fn imports(file: &[u8], number: u32) -> Vec<String> {
    top_level(file)
        .into_iter()
        .filter(|(n, _)| *n == number)
        .filter_map(|(_, v)| match v {
            WireValue::Bytes(b) => String::from_utf8(b).ok(),
            _ => None,
        })
        .collect()
}

/// The top-level fields of a message, without parsing inside them (`None` if malformed).
fn top_level(bytes: &[u8]) -> Vec<(u32, WireValue)> {
    // `parse_fields` parses groups recursively but keeps length-delimited values as bytes,
    // which is all a top-level scan needs.
    parse_fields(bytes)
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.number, f.value))
        .collect()
}

/// A serialized `FileDescriptorSet` of the given files (each as encoded), dropping their
/// `source_code_info` unless `source_info`: what `-o` writes when the compilation kept source
/// info only for plugins.
pub fn descriptor_set<'a>(files: impl IntoIterator<Item = &'a [u8]>, source_info: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        if source_info {
            put_bytes(&mut out, 1, f);
        } else {
            put_bytes(&mut out, 1, &without_field(f, 9));
        }
    }
    out
}

/// The message's bytes without its top-level field `number` (length-delimited), byte for byte
/// otherwise.
fn without_field(bytes: &[u8], number: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        let start = pos;
        let Some(tag) = crate::descriptor::wire::get_varint(bytes, &mut pos) else {
            return bytes.to_vec();
        };
        let skip = match tag & 7 {
            0 => crate::descriptor::wire::get_varint(bytes, &mut pos).map(|_| 0),
            1 => Some(8),
            2 => crate::descriptor::wire::get_varint(bytes, &mut pos)
                .and_then(|l| usize::try_from(l).ok()),
            5 => Some(4),
            // Groups do not occur at the top of a descriptor.
            _ => None,
        };
        let Some(skip) = skip else {
            return bytes.to_vec();
        };
        pos = pos.saturating_add(skip).min(bytes.len());
        if tag >> 3 != u64::from(number) {
            out.extend_from_slice(&bytes[start..pos]);
        }
    }
    out
}

/// What the inputs use that a plugin must declare support for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputFeatures {
    /// The first input that is a proto3 file with `optional` fields.
    pub proto3_optional: Option<String>,
    /// Each editions input (edition 2023 or later) with its edition number
    /// (`Edition` enum: 1000 is 2023).
    pub editions: Vec<(String, i32)>,
}

impl InputFeatures {
    /// Reads the features of the files to generate (their stripped encodings).
    pub fn of<'a>(inputs: impl IntoIterator<Item = &'a EncodedFile>) -> InputFeatures {
        let mut out = InputFeatures::default();
        for f in inputs {
            let fields = top_level(&f.stripped);
            let edition = fields.iter().find_map(|(n, v)| match (n, v) {
                (n, WireValue::Varint(e)) if *n == tag::FILE_EDITION as u32 => Some(*e as i32),
                _ => None,
            });
            if let Some(e) = edition.filter(|&e| e >= Edition::E2023.number()) {
                out.editions.push((f.name.clone(), e));
            }
            let proto3 = fields.iter().any(|(n, v)| {
                *n == tag::FILE_SYNTAX as u32 && matches!(v, WireValue::Bytes(b) if b == b"proto3")
            });
            if proto3 && out.proto3_optional.is_none() {
                use prost::Message as _;
                let has_optional = prost_types::FileDescriptorProto::decode(f.stripped.as_slice())
                    .is_ok_and(|d| d.message_type.iter().any(message_has_proto3_optional));
                if has_optional {
                    out.proto3_optional = Some(f.name.clone());
                }
            }
        }
        out
    }
}

fn message_has_proto3_optional(m: &prost_types::DescriptorProto) -> bool {
    m.field.iter().any(|f| f.proto3_optional == Some(true))
        || m.nested_type.iter().any(message_has_proto3_optional)
}

/// One file of a plugin's response.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseFile {
    /// Relative to the output location; empty: more content for the file before.
    pub name: String,
    /// Insert `content` at `@@protoc_insertion_point(NAME)` of file `name` instead.
    pub insertion_point: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// A decoded `CodeGeneratorResponse` (prost-types 0.14 lacks its edition fields).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The plugin's error message, if it failed.
    pub error: Option<String>,
    /// Bits of `CodeGeneratorResponse.Feature`.
    pub supported_features: u64,
    /// `minimum_edition` (an `Edition` number), 0 when not set.
    pub minimum_edition: i32,
    /// `maximum_edition`, 0 when not set.
    pub maximum_edition: i32,
    /// The files.
    pub files: Vec<ResponseFile>,
}

impl Response {
    /// Decodes a response (empty bytes are an empty response).
    pub fn parse(bytes: &[u8]) -> Result<Response, String> {
        let fields = parse_fields(bytes).ok_or("it is not a CodeGeneratorResponse")?;
        let mut r = Response::default();
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        for f in fields {
            match (f.number, f.value) {
                (1, WireValue::Bytes(b)) => r.error = Some(text(b)),
                (2, WireValue::Varint(v)) => r.supported_features = v,
                (3, WireValue::Varint(v)) => r.minimum_edition = v as i32,
                (4, WireValue::Varint(v)) => r.maximum_edition = v as i32,
                (15, WireValue::Bytes(b)) => {
                    let inner = parse_fields(&b).ok_or("a file in it is malformed")?;
                    let mut file = ResponseFile::default();
                    for g in inner {
                        match (g.number, g.value) {
                            (1, WireValue::Bytes(b)) => file.name = text(b),
                            (2, WireValue::Bytes(b)) => file.insertion_point = text(b),
                            (15, WireValue::Bytes(b)) => file.content = b,
                            _ => {}
                        }
                    }
                    r.files.push(file);
                }
                _ => {}
            }
        }
        Ok(r)
    }

    /// The checks protoc makes of a response against the files to generate, in its order:
    /// proto3 `optional` needs `FEATURE_PROTO3_OPTIONAL`; an editions file needs
    /// `FEATURE_SUPPORTS_EDITIONS` and its edition within the declared range. protoc's messages.
    pub fn unsupported(&self, plugin: &str, inputs: &InputFeatures) -> Option<String> {
        if self.supported_features & FEATURE_PROTO3_OPTIONAL == 0 {
            if let Some(file) = &inputs.proto3_optional {
                return Some(format!(
                    "{file}: is a proto3 file that contains optional fields, but code generator \
                     {plugin} hasn't been updated to support optional fields in proto3. Please \
                     ask the owner of this code generator to support proto3 optional."
                ));
            }
        }
        for (file, edition) in &inputs.editions {
            if self.supported_features & FEATURE_SUPPORTS_EDITIONS == 0 {
                return Some(format!(
                    "{file}: is an editions file, but code generator {plugin} hasn't been \
                     updated to support editions yet.  Please ask the owner of this code \
                     generator to add support or switch back to proto2/proto3."
                ));
            }
            if *edition < self.minimum_edition {
                return Some(format!(
                    "{file}: is a file using edition {}, which isn't supported by code \
                     generator {plugin}.  Please upgrade your file to at least edition {}.",
                    Edition::from_number(*edition).short_name(),
                    Edition::from_number(self.minimum_edition).short_name()
                ));
            }
            if *edition > self.maximum_edition {
                return Some(format!(
                    "{file}: is a file using edition {}, which isn't supported by code \
                     generator {plugin}.  Please ask the owner of this code generator to add \
                     support or switch back to a maximum of edition {}.",
                    Edition::from_number(*edition).short_name(),
                    Edition::from_number(self.maximum_edition).short_name()
                ));
            }
        }
        None
    }
}

/// Why a plugin produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// It could not be started (not found, not executable).
    NotFound(String),
    /// It exited with a non-zero status.
    Status(i32),
    /// It was killed by a signal.
    Signal(i32),
    /// Talking to it failed.
    Io(String),
}

/// Runs a plugin: `program` (a path, or a bare name looked up on `PATH` when `search_path`),
/// the request on its stdin, its stdout returned; its stderr goes to ours, as with protoc.
pub fn run(program: &Path, search_path: bool, request: &[u8]) -> Result<Vec<u8>, RunError> {
    // protoc runs a path given with --plugin as it is (no PATH search, even without a `/`).
    let program: PathBuf = if search_path || program.components().count() > 1 {
        program.to_path_buf()
    } else {
        Path::new(".").join(program)
    };
    let mut child = Command::new(&program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| RunError::NotFound(e.to_string()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let mut stdout = child.stdout.take().expect("piped");
    // Write on another thread while this one reads, so a plugin that writes before it has read
    // everything cannot deadlock with us.
    let output = std::thread::scope(|s| {
        let writer = s.spawn(move || {
            // A plugin that exits without reading its input is not an error in itself (its
            // exit status says how it went): a broken pipe is ignored.
            let r = stdin.write_all(request);
            drop(stdin);
            match r {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
                _ => Ok(()),
            }
        });
        let mut out = Vec::new();
        let read = stdout.read_to_end(&mut out).map_err(|e| e.to_string());
        let written = writer.join().unwrap_or(Ok(()));
        read.and(written).map(|_| out)
    });
    let status = child.wait().map_err(|e| RunError::Io(e.to_string()))?;
    if !status.success() {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            if let Some(sig) = status.signal() {
                return Err(RunError::Signal(sig));
            }
        }
        return Err(RunError::Status(status.code().unwrap_or(-1)));
    }
    output.map_err(RunError::Io)
}

/// The files of one output location, in memory, as protoc's `GeneratorContext` keeps them:
/// generators sharing a location share one, so one can insert into another's files.
#[derive(Clone, Debug, Default)]
pub struct GeneratorContext {
    /// Relative name → contents, sorted by name.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl GeneratorContext {
    /// Applies a response's files: a named file is created (twice is an error), a nameless
    /// one continues the file before it, and one with an insertion point is inserted, as
    /// protoc does: before the line holding `@@protoc_insertion_point(NAME)`, each line indented
    /// like it (or right before `/* @@protoc_insertion_point(NAME) */` written inline).
    pub fn apply(&mut self, files: Vec<ResponseFile>) -> Result<(), String> {
        // Nameless chunks continue the chunk before them.
        let mut chunks: Vec<ResponseFile> = Vec::new();
        for f in files {
            if f.name.is_empty() && f.insertion_point.is_empty() {
                match chunks.last_mut() {
                    Some(last) => last.content.extend_from_slice(&f.content),
                    None => {
                        return Err(
                            "First file chunk returned by plugin did not specify a file name."
                                .into(),
                        )
                    }
                }
            } else {
                chunks.push(f);
            }
        }
        for chunk in chunks {
            if !crate::fs::is_safe_name(&chunk.name) {
                return Err(format!(
                    "Output file names must be relative paths inside the output directory, \
                     without `..` ({:?}).",
                    chunk.name
                ));
            }
            if chunk.insertion_point.is_empty() {
                if self.files.contains_key(&chunk.name) {
                    return Err(format!(
                        "{}: Tried to write the same file twice.",
                        chunk.name
                    ));
                }
                self.files.insert(chunk.name, chunk.content);
            } else {
                let Some(target) = self.files.get_mut(&chunk.name) else {
                    return Err(format!(
                        "{}: Tried to insert into file that doesn't exist.",
                        chunk.name
                    ));
                };
                insert(target, &chunk.insertion_point, chunk.content).map_err(|()| {
                    format!(
                        "{}: insertion point \"{}\" not found.",
                        chunk.name, chunk.insertion_point
                    )
                })?;
            }
        }
        Ok(())
    }
}

/// Inserts `data` at the insertion point `point` of `target` (protoc's rules, see
/// [`GeneratorContext::apply`]).
fn insert(target: &mut Vec<u8>, point: &str, mut data: Vec<u8>) -> Result<(), ()> {
    if data.last().is_some_and(|&b| b != b'\n') {
        data.push(b'\n');
    }
    let magic = format!("@@protoc_insertion_point({point})");
    let at = find(target, magic.as_bytes()).ok_or(())?;
    let pos = if at > 3 && &target[at - 3..at - 1] == b"/*" {
        at - 3
    } else {
        target[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
    };
    let indent: Vec<u8> = target[pos..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .copied()
        .collect();
    let mut inserted = Vec::with_capacity(data.len());
    for line in data.split_inclusive(|&b| b == b'\n') {
        inserted.extend_from_slice(&indent);
        inserted.extend_from_slice(line);
    }
    target.splice(pos..pos, inserted);
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// An argument list written as one line (none of its arguments holds a space).
    fn argv(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn generator_flags_come_out_in_both_forms() {
        let (rest, flags) = extract_generator_flags(argv(
            "iprotoc compile --es_out=target=ts:gen -I proto --go_out gen/go --es_opt \
             import_extension=js --go_opt=paths=source_relative --proto_out=lowered \
             --descriptor_set_out x.pb zoo.iproto -- --x_out=y",
        ))
        .unwrap();
        let want = "iprotoc compile -I proto --proto_out=lowered --descriptor_set_out x.pb \
                    zoo.iproto -- --x_out=y";
        assert_eq!(rest, argv(want));
        let es = &flags.outputs[0];
        assert_eq!(
            (es.flag.as_str(), es.name.as_str(), es.parameter.as_str()),
            ("--es_out", "es", "target=ts")
        );
        assert_eq!(es.location, "gen");
        assert_eq!(es.plugin_name(), "protoc-gen-es");
        let go = &flags.outputs[1];
        assert_eq!(
            (go.parameter.as_str(), go.location.as_str()),
            ("", "gen/go")
        );
        assert_eq!(flags.parameter(es), "target=ts,import_extension=js");
        assert_eq!(flags.parameter(go), "paths=source_relative");
        assert_eq!(flags.unmatched_option(), None);
    }

    #[test]
    fn generator_flag_errors() {
        let err = extract_generator_flags(os(&["iprotoc", "compile", "--es_out"])).unwrap_err();
        assert_eq!(err, "Missing value for flag: --es_out");
        let err =
            extract_generator_flags(os(&["iprotoc", "compile", "--es_out", "-I"])).unwrap_err();
        assert_eq!(err, "Missing value for flag: --es_out");
        let err =
            extract_generator_flags(os(&["iprotoc", "compile", "--es_out=opt:"])).unwrap_err();
        assert!(err.contains("output directory"), "{err}");
        let (_, flags) =
            extract_generator_flags(os(&["iprotoc", "--go_opt=x", "--cpp_opt=y"])).unwrap();
        assert_eq!(flags.unmatched_option(), Some("go"));
        // `--dependency_out` is protoc's, not a generator's: left for clap to reject.
        let (rest, flags) = extract_generator_flags(os(&["--dependency_out=d"])).unwrap();
        assert_eq!((rest.len(), flags.outputs.len()), (1, 0));
    }

    #[test]
    fn plugin_flags_name_their_plugin() {
        let paths = plugin_paths(&[
            "protoc-gen-es=node_modules/.bin/protoc-gen-es".into(),
            "/usr/local/bin/protoc-gen-go".into(),
            "protoc-gen-x".into(),
        ]);
        assert_eq!(
            paths["protoc-gen-es"],
            PathBuf::from("node_modules/.bin/protoc-gen-es")
        );
        assert_eq!(
            paths["protoc-gen-go"],
            PathBuf::from("/usr/local/bin/protoc-gen-go")
        );
        assert_eq!(paths["protoc-gen-x"], PathBuf::from("protoc-gen-x"));
    }

    #[test]
    fn argument_files_give_one_argument_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("args.txt");
        std::fs::write(&file, "-I\nproto dir\r\n\n--es_out=gen\n").unwrap();
        let arg = format!("@{}", file.display());
        let args = expand_argument_files(os(&["iprotoc", "compile", &arg, "a.iproto"])).unwrap();
        assert_eq!(
            args,
            os(&[
                "iprotoc",
                "compile",
                "-I",
                "proto dir",
                "--es_out=gen",
                "a.iproto"
            ])
        );
        let missing = format!("@{}", dir.path().join("nope").display());
        let err = expand_argument_files(os(&["iprotoc", &missing])).unwrap_err();
        assert!(err.starts_with("Failed to open argument file"), "{err}");
    }

    #[test]
    fn insertion_points_follow_protoc() {
        let mut cx = GeneratorContext::default();
        let file = |name: &str, point: &str, content: &str| ResponseFile {
            name: name.into(),
            insertion_point: point.into(),
            content: content.as_bytes().to_vec(),
        };
        cx.apply(vec![
            file(
                "a.txt",
                "",
                "class A {\n  // @@protoc_insertion_point(body)\n}\n",
            ),
            file("", "", "x /* @@protoc_insertion_point(inline) */ y\n"),
        ])
        .unwrap();
        cx.apply(vec![
            file("a.txt", "body", "int x;\nint y;"),
            file("a.txt", "body", "int z;\n"),
            file("a.txt", "inline", "1 "),
        ])
        .unwrap();
        assert_eq!(
            String::from_utf8(cx.files["a.txt"].clone()).unwrap(),
            "class A {\n  int x;\n  int y;\n  int z;\n  // @@protoc_insertion_point(body)\n}\n\
             x 1 \n/* @@protoc_insertion_point(inline) */ y\n"
        );
        let err = cx.apply(vec![file("a.txt", "", "again")]).unwrap_err();
        assert!(err.contains("same file twice"), "{err}");
        let err = cx.apply(vec![file("b.txt", "p", "x")]).unwrap_err();
        assert!(err.contains("doesn't exist"), "{err}");
        let err = cx.apply(vec![file("a.txt", "nope", "x")]).unwrap_err();
        assert!(err.contains("\"nope\" not found"), "{err}");
        let err = cx.apply(vec![file("../escape.txt", "", "x")]).unwrap_err();
        assert!(err.contains("relative paths"), "{err}");
        let err = cx.apply(vec![file("", "", "x")]).unwrap_err();
        assert!(err.contains("did not specify a file name"), "{err}");
    }

    #[test]
    fn responses_decode_with_their_edition_fields() {
        let mut file = Vec::new();
        put_bytes(&mut file, 1, b"a.ts");
        put_bytes(&mut file, 15, b"export {}\n");
        let mut bytes = Vec::new();
        put_varint_field(&mut bytes, 2, 3);
        put_varint_field(&mut bytes, 3, 1000);
        put_varint_field(&mut bytes, 4, 1001);
        put_bytes(&mut bytes, 15, &file);
        let r = Response::parse(&bytes).unwrap();
        assert_eq!(
            (r.supported_features, r.minimum_edition, r.maximum_edition),
            (3, 1000, 1001)
        );
        assert_eq!(r.files[0].name, "a.ts");
        assert_eq!(Response::parse(&[]).unwrap(), Response::default());
        let inputs = InputFeatures {
            proto3_optional: None,
            editions: vec![("e.proto".into(), 1001)],
        };
        assert_eq!(r.unsupported("protoc-gen-x", &inputs), None);
        let old = Response {
            maximum_edition: 1000,
            ..r.clone()
        };
        let msg = old.unsupported("protoc-gen-x", &inputs).unwrap();
        assert!(msg.contains("edition 2024") && msg.contains("maximum of edition 2023"));
        let none = Response::default();
        assert!(none
            .unsupported("protoc-gen-x", &inputs)
            .unwrap()
            .contains("hasn't been updated to support editions"));
    }

    #[test]
    fn dropping_source_info_leaves_the_rest_byte_for_byte() {
        let mut f = Vec::new();
        put_bytes(&mut f, 1, b"a.proto");
        put_bytes(&mut f, 9, b"\x0a\x00");
        put_bytes(&mut f, 12, b"proto3");
        let mut expected = Vec::new();
        put_bytes(&mut expected, 1, b"a.proto");
        put_bytes(&mut expected, 12, b"proto3");
        assert_eq!(without_field(&f, 9), expected);
        let set = descriptor_set([f.as_slice()], true);
        assert_eq!(&set[2..], f.as_slice());
    }
}
