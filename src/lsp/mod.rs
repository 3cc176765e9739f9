//! `iprotoc lsp`: a language server over stdio (or any [`lsp_server::Connection`]).
//!
//! Three threads. The main thread reads the client's messages, keeps the open documents' texts,
//! and answers requests from the last [`Analysis`] built. A worker thread builds analyses and
//! diagnostics (with a helper for the analysis): after each change it
//! takes the newest snapshot (older ones pending are dropped: a stale check is never started),
//! parses the changed texts (only those: [`ParseCache`]), then at the same time runs the compiler
//! on the edited file as `iprotoc check` does (same include directories, same style, every lint
//! rule) and publishes its diagnostics, and builds the analysis on a second thread and
//! publishes it; then it checks every file that imports the edited one. When a newer change
//! arrives between two steps, the rest of the old work is folded into the new one. A request
//! about a position in a file waits for the first analysis that holds that file's last change
//! (never for a check); the others are answered at once from the last analysis.
//!
//! Crates: rust-analyzer's `lsp-server` for the transport. For the protocol types, `ls-types`
//! (the maintained fork of `lsp-types`, whose last release is from 2024): both have LSP 3.17's
//! type hierarchy requests and items, neither has `typeHierarchyProvider` in
//! `ServerCapabilities` (open pull requests in both), so [`capabilities`] adds it to the JSON.
// The shell: it reads the workspace's files and talks on stdio.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

mod analysis;
mod features;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{json, Value};

pub use analysis::{Analysis, Snapshot};

use crate::diagnostics::{Diagnostic, Severity};
use crate::driver::{self, Options, ParseCache};
use crate::lines::{LineIndex, Utf16Position};
use crate::lint::Lints;
use crate::lower::Style;

/// How the server is set up: what `iprotoc check` is given on its command line.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `-I` directories, in order; relative ones are taken from the workspace root. None: the
    /// workspace root (as `check` defaults to `.`).
    pub includes: Vec<PathBuf>,
    /// `--style`: how inheritance is lowered (proto3 files need oneof style); `None`: the
    /// project file's `style`, else extension style.
    pub style: Option<Style>,
}

/// The most schema files read from the workspace at start (a guard against opening `/`).
pub const MAX_WORKSPACE_FILES: usize = 50_000;

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run_stdio(config: Config) -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    serve(connection, config)?;
    io.join().map_err(|e| e.to_string())
}

/// The server's capabilities, `typeHierarchyProvider` included.
pub fn capabilities() -> Value {
    json!({
        "positionEncoding": "utf-16",
        "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
        "definitionProvider": true,
        "referencesProvider": true,
        "hoverProvider": true,
        "documentSymbolProvider": true,
        "workspaceSymbolProvider": true,
        "completionProvider": { "triggerCharacters": ["."] },
        "renameProvider": { "prepareProvider": true },
        "documentFormattingProvider": true,
        "typeHierarchyProvider": true,
    })
}

/// Serves one client on `connection`: the initialize handshake, then every message until `exit`.
pub fn serve(connection: Connection, config: Config) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let root = root_of(&params).unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let settings = settings(&config, &root, &params);
    let result = json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "iprotoc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let snapshot = scan_workspace(&settings.includes);
    let mut server = Server::new(connection.sender.clone(), snapshot, settings.options);
    loop {
        let msg = crossbeam_channel::select! {
            recv(connection.receiver) -> msg => match msg {
                Ok(msg) => msg,
                Err(_) => break,
            },
            recv(server.ready) -> _ => {
                server.retry();
                continue;
            }
        };
        match msg {
            Message::Request(req) => {
                if req.method == "shutdown" {
                    // Nothing is left unanswered.
                    server.answer_waiting();
                }
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| e.to_string())?
                {
                    break;
                }
                server.request(req);
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    break;
                }
                server.notification(n);
            }
            Message::Response(_) => {}
        }
    }
    server.stop();
    Ok(())
}

/// What the server checks with: the include directories and the compile options (style, lint)
/// that `iprotoc check` would be given.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The include directories, absolute, in search order.
    pub includes: Vec<PathBuf>,
    /// The options of every check: `--style`, and the lint rules `check` runs.
    pub options: Options,
}

/// The one place the server's include directories and lint settings come from, the same as
/// `iprotoc check`'s: the command line's `-I` (relative directories from the workspace `root`)
/// and the client's `initializationOptions.includePaths`; without any, the `include` list of the
/// project file (`iprotoc.toml`, the nearest one walking up from `root`); without that, the
/// workspace root, as `check` defaults to `.`. Every lint rule runs, as `check` runs them, with
/// the project file's `[lint]` levels applied; its `style` applies unless `--style` was given.
/// A project file that cannot be read is reported on stderr (the client's log) and ignored.
pub fn settings(config: &Config, root: &Path, init: &Value) -> Settings {
    let absolute = |d: &Path| {
        if d.is_absolute() {
            d.to_path_buf()
        } else {
            root.join(d)
        }
    };
    let mut includes: Vec<PathBuf> = config.includes.iter().map(|d| absolute(d)).collect();
    if let Some(extra) = init
        .pointer("/initializationOptions/includePaths")
        .and_then(Value::as_array)
    {
        includes.extend(extra.iter().filter_map(Value::as_str).map(|d| root.join(d)));
    }
    let project = crate::project::Settings::for_file(root).unwrap_or_else(|e| {
        eprintln!("iprotoc lsp: {}", e.diagnostic().message);
        crate::project::Settings::default()
    });
    if includes.is_empty() {
        // The project file's directories are relative to the current directory (or absolute).
        let cwd = std::env::current_dir().unwrap_or_default();
        includes.extend(project.includes.iter().map(|d| cwd.join(d)));
    }
    if includes.is_empty() {
        includes.push(root.to_path_buf());
    }
    let mut lint = Lints::All;
    project.apply_lints(&mut lint);
    Settings {
        includes,
        options: Options {
            style: config.style.or(project.style).unwrap_or_default(),
            lint,
            skip_proto_files: true,
            ..Options::default()
        },
    }
}

/// The workspace root the client names (`workspaceFolders`, else `rootUri`).
fn root_of(params: &Value) -> Option<PathBuf> {
    let uri = params
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| params.get("rootUri"))
        .and_then(Value::as_str)?;
    uri_to_path(uri)
}

/// A `file:` URI's path.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let uri: ls_types::Uri = uri.parse().ok()?;
    uri.to_file_path().map(|p| p.into_owned())
}

/// The `file:` URI of a path (made absolute from the current directory).
pub fn path_to_uri(path: &Path) -> String {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    ls_types::Uri::from_file_path(&abs).map_or_else(
        || format!("file://{}", abs.display()),
        |u| u.as_str().to_string(),
    )
}

/// The protoc name of a path: relative to the first include directory that holds it, else its
/// file name.
fn name_of(includes: &[PathBuf], path: &Path) -> String {
    for dir in includes {
        if let Ok(rel) = path.strip_prefix(dir) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if !parts.is_empty() {
                return parts.join("/");
            }
        }
    }
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Every `.proto` and `.iproto` file under the include directories (hidden directories,
/// `target` and `node_modules` skipped), read from disk; a name found in two directories is the
/// first one's, as protoc finds it.
pub fn scan_workspace(includes: &[PathBuf]) -> Snapshot {
    let mut snapshot = Snapshot {
        includes: includes.to_vec(),
        ..Snapshot::default()
    };
    for dir in includes {
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let path = e.path();
                let file_name = e.file_name().to_string_lossy().into_owned();
                let Ok(kind) = e.file_type() else { continue };
                if kind.is_dir() {
                    if !file_name.starts_with('.')
                        && file_name != "target"
                        && file_name != "node_modules"
                    {
                        stack.push(path);
                    }
                } else if kind.is_file()
                    && (file_name.ends_with(".proto") || file_name.ends_with(".iproto"))
                    && snapshot.files.len() < MAX_WORKSPACE_FILES
                {
                    let name = name_of(includes, &path);
                    if snapshot.files.contains_key(&name) {
                        continue;
                    }
                    if let Ok(bytes) = std::fs::read(&path) {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        snapshot.files.insert(name.clone(), Arc::from(text));
                        snapshot.paths.insert(name, path);
                    }
                }
            }
        }
    }
    snapshot
}

/// A unit of work for the checker thread.
struct Job {
    snapshot: Arc<Snapshot>,
    /// Files whose text changed (or that were opened): they and their importers are checked.
    changed: BTreeSet<String>,
}

/// The state the main thread keeps.
struct Server {
    sender: Sender<Message>,
    snapshot: Snapshot,
    /// Open documents: URI → protoc name.
    open: HashMap<String, String>,
    /// The generation at which each file's text last changed.
    changed_at: HashMap<String, u64>,
    /// Requests about a file whose last change the last analysis does not hold yet: answered
    /// when one that does is built (requests about other files do not wait for them).
    waiting: Vec<Request>,
    /// A message each time the checker thread publishes an analysis.
    ready: Receiver<()>,
    /// The last analysis built.
    latest: Arc<Mutex<Option<Arc<Analysis>>>>,
    jobs: Option<Sender<Job>>,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn new(sender: Sender<Message>, snapshot: Snapshot, options: Options) -> Server {
        let latest = Arc::new(Mutex::new(None));
        let (jobs, rx) = crossbeam_channel::unbounded();
        let (ready_tx, ready) = crossbeam_channel::unbounded();
        let worker = {
            let latest = Arc::clone(&latest);
            let sender = sender.clone();
            std::thread::Builder::new()
                .name("iprotoc-lsp-check".into())
                .spawn(move || check_loop(&rx, &sender, &latest, &ready_tx, &options))
                .ok()
        };
        let mut server = Server {
            sender,
            snapshot,
            open: HashMap::new(),
            changed_at: HashMap::new(),
            waiting: Vec::new(),
            ready,
            latest,
            jobs: Some(jobs),
            worker,
        };
        // The first analysis, so workspace-wide requests work before any document is opened.
        server.submit(BTreeSet::new());
        server
    }

    fn stop(&mut self) {
        self.jobs.take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }

    fn submit(&mut self, changed: BTreeSet<String>) {
        self.snapshot.generation += 1;
        for name in &changed {
            self.changed_at
                .insert(name.clone(), self.snapshot.generation);
        }
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job {
                snapshot: Arc::new(self.snapshot.clone()),
                changed,
            });
        }
    }

    fn analysis(&self) -> Option<Arc<Analysis>> {
        self.latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn name_for(&mut self, uri: &str) -> String {
        if let Some(n) = self.open.get(uri) {
            return n.clone();
        }
        match uri_to_path(uri) {
            Some(path) => {
                let name = name_of(&self.snapshot.includes, &path);
                self.snapshot.paths.insert(name.clone(), path);
                name
            }
            None => uri.to_string(),
        }
    }

    fn notification(&mut self, n: Notification) {
        let p = &n.params;
        let uri = p
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let text = p
                    .pointer("/textDocument/text")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let name = self.name_for(&uri);
                self.open.insert(uri, name.clone());
                self.snapshot.files.insert(name.clone(), Arc::from(text));
                self.submit(BTreeSet::from([name]));
            }
            "textDocument/didChange" => {
                let Some(name) = self.open.get(&uri).cloned() else {
                    return;
                };
                let mut text = self
                    .snapshot
                    .files
                    .get(&name)
                    .map_or_else(String::new, |t| t.to_string());
                let changes = p
                    .get("contentChanges")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for c in changes {
                    let new = c.get("text").and_then(Value::as_str).unwrap_or("");
                    match c.get("range") {
                        Some(range) => {
                            let lines = LineIndex::new(&text);
                            let at = |key: &str| {
                                let pos = position(range.get(key));
                                lines.offset(&text, pos) as usize
                            };
                            let (start, end) = (at("start"), at("end"));
                            if start <= end && end <= text.len() {
                                text.replace_range(start..end, new);
                            }
                        }
                        None => text = new.to_string(),
                    }
                }
                self.snapshot.files.insert(name.clone(), Arc::from(text));
                self.submit(BTreeSet::from([name]));
            }
            "textDocument/didClose" => {
                if let Some(name) = self.open.remove(&uri) {
                    // Back to the text on disk (or gone, if it never was saved).
                    match self.snapshot.paths.get(&name).map(std::fs::read) {
                        Some(Ok(bytes)) => {
                            let text = String::from_utf8_lossy(&bytes).into_owned();
                            self.snapshot.files.insert(name.clone(), Arc::from(text));
                        }
                        _ => {
                            self.snapshot.files.remove(&name);
                        }
                    }
                    self.submit(BTreeSet::from([name]));
                }
            }
            _ => {}
        }
    }

    /// Answers the waiting requests whose file the last analysis now holds.
    fn retry(&mut self) {
        for req in std::mem::take(&mut self.waiting) {
            self.request(req);
        }
    }

    /// Answers every waiting request from the last analysis, however old.
    fn answer_waiting(&mut self) {
        for req in std::mem::take(&mut self.waiting) {
            self.answer(req);
        }
    }

    /// Answers a request now, unless it is about a position in a file whose last change the
    /// last analysis does not hold yet: it then waits for that analysis (an answer from older
    /// text would point at the wrong places). Other files' requests never wait for it.
    fn request(&mut self, req: Request) {
        let positional = !matches!(
            req.method.as_str(),
            "textDocument/formatting"
                | "workspace/symbol"
                | "typeHierarchy/supertypes"
                | "typeHierarchy/subtypes"
        );
        if positional {
            let file = req
                .params
                .pointer("/textDocument/uri")
                .and_then(Value::as_str)
                .and_then(|u| self.open.get(u));
            let changed = file.and_then(|f| self.changed_at.get(f)).copied();
            let built = self.analysis().map(|a| a.generation);
            if changed.is_some_and(|c| built.is_none_or(|b| b < c)) {
                self.waiting.push(req);
                return;
            }
        }
        self.answer(req);
    }

    fn answer(&mut self, req: Request) {
        let analysis = self.analysis();
        let uri = req
            .params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .map(str::to_string);
        let file = uri.as_ref().map(|u| self.name_for(u));
        let result = match req.method.as_str() {
            "textDocument/formatting" => {
                let text = file.as_ref().and_then(|f| self.snapshot.files.get(f));
                Ok(text.map_or(Value::Null, |t| features::format(t)))
            }
            "workspace/symbol" => Ok(analysis.as_deref().map_or(json!([]), |a| {
                let query = req
                    .params
                    .get("query")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                features::workspace_symbols(a, query)
            })),
            "typeHierarchy/supertypes" | "typeHierarchy/subtypes" => {
                Ok(analysis.as_deref().map_or(Value::Null, |a| {
                    let full = req
                        .params
                        .pointer("/item/data")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    features::hierarchy(a, full, req.method == "typeHierarchy/supertypes")
                }))
            }
            method => match (analysis.as_deref(), file) {
                (Some(a), Some(name)) => match a.by_name.get(&name) {
                    Some(&i) => {
                        let pos = position(req.params.get("position"));
                        let offset = a.files[i].lines.offset(a.text(i), pos);
                        self.at_position(method, a, i, offset, &req.params)
                    }
                    None => Ok(Value::Null),
                },
                _ => Ok(Value::Null),
            },
        };
        let response = match result {
            Ok(value) => Response::new_ok(req.id, value),
            Err((code, message)) => Response::new_err(req.id, code, message),
        };
        let _ = self.sender.send(response.into());
    }

    /// The requests about one position of one file.
    fn at_position(
        &self,
        method: &str,
        a: &Analysis,
        i: usize,
        offset: u32,
        params: &Value,
    ) -> Result<Value, (i32, String)> {
        Ok(match method {
            "textDocument/definition" => features::definition(a, i, offset),
            "textDocument/references" => {
                let with_decl = params
                    .pointer("/context/includeDeclaration")
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                features::references(a, i, offset, with_decl)
            }
            "textDocument/hover" => features::hover(a, i, offset),
            "textDocument/documentSymbol" => features::document_symbols(a, i),
            "textDocument/completion" => features::completion(a, i, offset),
            "textDocument/prepareTypeHierarchy" => features::prepare_hierarchy(a, i, offset),
            "textDocument/prepareRename" => features::prepare_rename(a, i, offset),
            "textDocument/rename" => {
                let new_name = params.get("newName").and_then(Value::as_str).unwrap_or("");
                let (edit, warning) = features::rename(a, i, offset, new_name)?;
                if let Some(w) = warning {
                    let n = Notification::new(
                        "window/showMessage".into(),
                        json!({ "type": 2, "message": w }),
                    );
                    let _ = self.sender.send(n.into());
                }
                edit
            }
            _ => {
                return Err((
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("unknown request {method}"),
                ))
            }
        })
    }
}

/// An LSP position from JSON (missing parts are zero).
fn position(v: Option<&Value>) -> Utf16Position {
    let get = |k: &str| {
        v.and_then(|v| v.get(k))
            .and_then(Value::as_u64)
            .unwrap_or(0) as u32
    };
    Utf16Position {
        line: get("line"),
        column: get("character"),
    }
}

/// The checker thread: analyses and diagnostics, newest snapshot first.
fn check_loop(
    jobs: &Receiver<Job>,
    sender: &Sender<Message>,
    latest: &Mutex<Option<Arc<Analysis>>>,
    ready: &Sender<()>,
    options: &Options,
) {
    let cache = ParseCache::new();
    // Files still to check, carried over when newer work arrives.
    let mut pending: BTreeSet<String> = BTreeSet::new();
    while let Ok(mut job) = jobs.recv() {
        // Only the newest snapshot counts; the older ones' changed files are kept.
        pending.append(&mut job.changed);
        while let Ok(mut newer) = jobs.try_recv() {
            pending.append(&mut newer.changed);
            job = newer;
        }
        let edited: Vec<String> = std::mem::take(&mut pending).into_iter().collect();
        // The changed texts are parsed once, here; then two threads share the parse cache: this
        // one checks the edited files and publishes their diagnostics (what the user looks
        // at), the other builds the workspace analysis and publishes it (what requests wait
        // for). Neither waits for the other.
        let resolver = analysis::SnapshotResolver::new(&job.snapshot);
        let policy = crate::load::CommentPolicy {
            all: true,
            printed: None,
        };
        drop(crate::load::load(&resolver, &edited, policy, Some(&cache)));
        let (analysis, checked) = std::thread::scope(|s| {
            // Built even when a newer change arrives meanwhile, so requests waiting for an
            // analysis that holds their file's change get one however fast the typing.
            let builder = std::thread::Builder::new()
                .name("iprotoc-lsp-analysis".into())
                .spawn_scoped(s, || {
                    let analysis = Arc::new(Analysis::build(&job.snapshot, &cache));
                    *latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&analysis));
                    let _ = ready.send(());
                    analysis
                });
            let checked = edited.is_empty()
                || match check(&job.snapshot, &edited, options, &cache, jobs) {
                    Some(by_file) => {
                        for (name, diags) in by_file {
                            publish(sender, &job.snapshot, &name, diags);
                        }
                        true
                    }
                    None => false,
                };
            let analysis = match builder {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to spare: built here.
                Err(_) => {
                    let analysis = Arc::new(Analysis::build(&job.snapshot, &cache));
                    *latest.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&analysis));
                    let _ = ready.send(());
                    analysis
                }
            };
            (analysis, checked)
        });
        if !checked {
            // A newer change arrived during a check of several files: done again on it.
            pending.extend(edited);
            continue;
        }
        // Then every file that imports them, together.
        let mut importers: BTreeSet<String> = BTreeSet::new();
        for name in &edited {
            if let Some(&i) = analysis.by_name.get(name) {
                for j in analysis.importers(i) {
                    importers.insert(analysis.files[j].name.clone());
                }
            }
        }
        for name in &edited {
            importers.remove(name);
        }
        let importers: Vec<String> = importers.into_iter().collect();
        if !importers.is_empty() {
            let done = jobs.is_empty()
                && match check(&job.snapshot, &importers, options, &cache, jobs) {
                    Some(by_file) => {
                        for (name, diags) in by_file {
                            publish(sender, &job.snapshot, &name, diags);
                        }
                        true
                    }
                    None => false,
                };
            if !done {
                // Done again on the newer text.
                pending.extend(importers);
            }
        }
        cache.sweep();
    }
}

/// The diagnostics `iprotoc check` gives each of `names`, as LSP diagnostics: the files compiled
/// together, and those of a batch with errors again one by one (the compiler stops at a stage
/// with errors, so one file's error would hide another's findings). `None` when newer work
/// arrived meanwhile.
fn check(
    snapshot: &Snapshot,
    names: &[String],
    options: &Options,
    cache: &ParseCache,
    jobs: &Receiver<Job>,
) -> Option<Vec<(String, Vec<Value>)>> {
    let resolver = analysis::SnapshotResolver::new(snapshot);
    let out = driver::compile_cached(&resolver, names, options, Some(cache));
    if names.len() == 1 || !out.has_errors() {
        return Some(
            names
                .iter()
                .map(|n| (n.clone(), of_file(&out, n)))
                .collect(),
        );
    }
    let mut result = Vec::new();
    for name in names {
        if !jobs.is_empty() {
            return None;
        }
        let out =
            driver::compile_cached(&resolver, std::slice::from_ref(name), options, Some(cache));
        result.push((name.clone(), of_file(&out, name)));
    }
    Some(result)
}

/// The diagnostics of one compilation located in file `name` (and those located nowhere, such
/// as an input that could not be read, at its start).
fn of_file(out: &driver::Output, name: &str) -> Vec<Value> {
    let id = out.sources.find(name);
    let mut lines: HashMap<crate::source::FileId, LineIndex> = HashMap::new();
    out.diagnostics
        .iter()
        .filter(|d| match &d.primary {
            Some(l) => Some(l.location.file) == id,
            None => true,
        })
        .map(|d| to_lsp(d, &out.sources, &mut lines))
        .collect()
}

/// Sends `textDocument/publishDiagnostics` for one file (an empty list clears it).
fn publish(sender: &Sender<Message>, snapshot: &Snapshot, name: &str, diags: Vec<Value>) {
    let Some(path) = snapshot.paths.get(name) else {
        return;
    };
    let n = Notification::new(
        "textDocument/publishDiagnostics".into(),
        json!({ "uri": path_to_uri(path), "diagnostics": diags }),
    );
    let _ = sender.send(n.into());
}

/// A diagnostic as LSP shows it: help and note lines under the message, secondary labels as
/// related information.
fn to_lsp(
    d: &Diagnostic,
    sources: &crate::source::SourceMap,
    lines: &mut HashMap<crate::source::FileId, LineIndex>,
) -> Value {
    let mut range = |file, span: crate::source::Span| {
        let f = sources.get(file);
        let ix = lines.entry(file).or_insert_with(|| LineIndex::new(&f.text));
        lsp_range(ix, &f.text, span)
    };
    let zero =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    let mut message = d.message.clone();
    if let Some(l) = d.primary.as_ref().filter(|l| !l.message.is_empty()) {
        message.push_str(&format!(" ({})", l.message));
    }
    for h in &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    for n in &d.notes {
        message.push_str(&format!("\nnote: {n}"));
    }
    let related: Vec<Value> = d
        .secondary
        .iter()
        .filter(|l| !sources.get(l.location.file).display_path.starts_with("<built-in>"))
        .map(|l| {
            let f = sources.get(l.location.file);
            json!({
                "location": {
                    "uri": path_to_uri(Path::new(&f.display_path)),
                    "range": range(l.location.file, l.location.span),
                },
                "message": if l.message.is_empty() { "here".to_string() } else { l.message.clone() },
            })
        })
        .collect();
    let primary = d
        .primary
        .as_ref()
        .map_or(zero, |l| range(l.location.file, l.location.span));
    json!({
        "range": primary,
        "severity": if d.severity == Severity::Error { 1 } else { 2 },
        "code": d.code,
        "source": "iprotoc",
        "message": message,
        "relatedInformation": related,
    })
}

/// An LSP range of a span.
pub(crate) fn lsp_range(lines: &LineIndex, text: &str, span: crate::source::Span) -> Value {
    let p = |o| {
        let p = lines.position(text, o);
        json!({ "line": p.line, "character": p.column })
    };
    json!({ "start": p(span.start), "end": p(span.end) })
}
