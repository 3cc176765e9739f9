//! How fast `iprotoc lsp` answers an editor: the server runs in-process over an in-memory
//! connection (the same code as over stdio, without the pipe), and each figure is the time from
//! sending a message to receiving its answer.
//!
//! ```text
//! cargo bench --bench lsp            # every workload, 20 rounds each
//! cargo bench --bench lsp -- 5       # 5 rounds each
//! ```
//!
//! Workloads: `examples/` (zoo.iproto opened and edited); a generated file of 10,000 lines; a
//! file imported by 1,000 others (edited: its own diagnostics, then all of its importers').
//! Figures: `diagnostics` is a one-character `didChange` until the edited file's
//! `publishDiagnostics` arrives; `importers` until the last importer's; `hover` is a request
//! sent right after the edit until its response (it waits for the analysis of the edited text),
//! `definition` one sent after the hover's answer.
// Benchmarks write workspaces and time things: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::path::Path;
use std::time::{Duration, Instant};

use iprotoc::lsp::{path_to_uri, serve, Config};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

struct Client {
    conn: Connection,
    next: i32,
    /// Notifications received while waiting for a response, with when they arrived.
    inbox: std::collections::VecDeque<(Instant, Message)>,
}

impl Client {
    fn start(root: &Path) -> (Client, std::thread::JoinHandle<Result<(), String>>) {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || serve(server, Config::default()));
        let mut c = Client {
            conn,
            next: 0,
            inbox: Default::default(),
        };
        c.request(
            "initialize",
            json!({ "capabilities": {}, "rootUri": path_to_uri(root) }),
        );
        c.notify("initialized", json!({}));
        (c, handle)
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.into(), params);
        self.conn.sender.send(n.into()).unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let r = Request::new(id.clone(), method.into(), params);
        self.conn.sender.send(r.into()).unwrap();
        loop {
            match self.wait() {
                (_, Message::Response(r)) if r.id == id => {
                    return r.response_result.unwrap_or(Value::Null)
                }
                (at, Message::Notification(n)) => self.inbox.push_back((at, n.into())),
                _ => {}
            }
        }
    }

    fn recv(&mut self) -> (Instant, Message) {
        match self.inbox.pop_front() {
            Some(m) => m,
            None => self.wait(),
        }
    }

    fn wait(&self) -> (Instant, Message) {
        let m = self
            .conn
            .receiver
            .recv_timeout(Duration::from_secs(600))
            .expect("the server answers");
        (Instant::now(), m)
    }

    /// Waits until diagnostics were published for every one of `uris`; when the last arrived.
    fn diagnostics(&mut self, uris: &[String]) -> Instant {
        let mut left: std::collections::HashSet<&str> = uris.iter().map(|u| u.as_str()).collect();
        let mut last = Instant::now();
        while !left.is_empty() {
            if let (at, Message::Notification(n)) = self.recv() {
                if n.method == "textDocument/publishDiagnostics" {
                    left.remove(n.params["uri"].as_str().unwrap_or(""));
                    last = at;
                }
            }
        }
        last
    }

    fn stop(mut self, handle: std::thread::JoinHandle<Result<(), String>>) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        handle.join().unwrap().unwrap();
    }
}

/// Median and maximum of some durations, in milliseconds.
fn summary(mut d: Vec<Duration>) -> String {
    d.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:8.2} ms   max {:8.2} ms",
        ms(d[d.len() / 2]),
        ms(*d.last().unwrap())
    )
}

/// Opens `name` in the workspace at `root`, then edits it `rounds` times (inserting and removing
/// a space at the start of line `edit_line`), timing diagnostics (of the file, and of
/// `importers`), and a hover and a definition at `(line, character)`.
fn measure(
    label: &str,
    root: &Path,
    name: &str,
    importers: &[String],
    edit_line: u32,
    at: (u32, u32),
    rounds: usize,
) {
    let (mut c, handle) = Client::start(root);
    let uri = path_to_uri(&root.join(name));
    let text = std::fs::read_to_string(root.join(name)).unwrap();
    let started = Instant::now();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "iproto", "version": 1, "text": text } }),
    );
    c.diagnostics(std::slice::from_ref(&uri));
    let opened = started.elapsed();
    if !importers.is_empty() {
        c.diagnostics(importers);
    }
    let (mut diags, mut all, mut hovers, mut defs) = (vec![], vec![], vec![], vec![]);
    let position = json!({ "line": at.0, "character": at.1 });
    for round in 0..rounds {
        let (start, end, new) = if round % 2 == 0 {
            (0, 0, " ")
        } else {
            (0, 1, "")
        };
        let t = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": round + 2 },
                "contentChanges": [{
                    "range": {
                        "start": { "line": edit_line, "character": start },
                        "end": { "line": edit_line, "character": end },
                    },
                    "text": new,
                }],
            }),
        );
        let h = Instant::now();
        c.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": position }),
        );
        hovers.push(h.elapsed());
        let d = Instant::now();
        c.request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": uri }, "position": position }),
        );
        defs.push(d.elapsed());
        diags.push(c.diagnostics(std::slice::from_ref(&uri)) - t);
        if !importers.is_empty() {
            all.push(c.diagnostics(importers) - t);
        }
    }
    println!("{label}");
    println!(
        "  open + first diagnostics  {:8.2} ms",
        opened.as_secs_f64() * 1000.0
    );
    println!("  diagnostics after an edit {}", summary(diags));
    if !all.is_empty() {
        println!("  ... and of all importers  {}", summary(all));
    }
    println!("  hover                     {}", summary(hovers));
    println!("  definition                {}", summary(defs));
    c.stop(handle);
}

/// A file of about `lines` lines: messages with fields of each other's types, enums, and a
/// hierarchy.
fn big_file(lines: usize) -> String {
    let mut s = String::from(
        "syntax = \"proto2\";\npackage big;\n\nmessage Base {\n  optional string id = 1;\n}\n\n",
    );
    let mut i: usize = 0;
    let mut count = s.lines().count();
    while count < lines {
        let before = s.len();
        s.push_str(&format!(
            "// Message number {i}.\nmessage M{i} : Base = {tag} {{\n  optional string name = 1;\n  optional int64 count = 2;\n  repeated M{prev} children = 3;\n  optional E{i} kind = 4;\n  map<string, Base> named = 5;\n}}\n\nenum E{i} {{\n  E{i}_UNSPECIFIED = 0;\n  E{i}_ONE = 1;\n}}\n\n",
            tag = 100 + i,
            prev = i.saturating_sub(1),
        ));
        count += s[before..].lines().count();
        i += 1;
    }
    s
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    // `Kitten : Cat` in zoo.iproto: line 39 (0-based 38), the base name.
    measure(
        "examples/zoo.iproto",
        &examples,
        "zoo.iproto",
        &[],
        0,
        (38, 17),
        rounds,
    );

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let big = big_file(10_000);
    std::fs::write(root.join("big.iproto"), &big).unwrap();
    // `repeated M0 children` in M1: a reference to a declaration far away.
    let line = big
        .lines()
        .position(|l| l.contains("repeated M0 children"))
        .unwrap() as u32;
    measure(
        &format!("generated file of {} lines", big.lines().count()),
        &root,
        "big.iproto",
        &[],
        0,
        (line, 12),
        rounds,
    );

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("common.iproto"),
        "syntax = \"proto2\";\npackage common;\n\nmessage Shared {\n  optional string id = 1;\n}\n\nmessage Sub : Shared = 100 {}\n",
    )
    .unwrap();
    let mut importers = Vec::new();
    for i in 0..1000 {
        let name = format!("user{i}.iproto");
        std::fs::write(
            root.join(&name),
            format!("syntax = \"proto2\";\npackage user{i};\nimport \"common.iproto\";\n\nmessage User{i} {{\n  optional common.Shared shared = 1;\n  optional common.Sub sub = 2;\n}}\n"),
        )
        .unwrap();
        importers.push(path_to_uri(&root.join(name)));
    }
    measure(
        "a file imported by 1,000 others",
        &root,
        "common.iproto",
        &importers,
        0,
        (7, 15),
        rounds.min(5),
    );
}
