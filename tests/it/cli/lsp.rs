//! `iprotoc lsp` as an editor runs it: the real binary, JSON-RPC over its stdin and stdout
//! (Content-Length framing), from `initialize` to `exit`.
// Tests start binaries and write workspaces: the IO that clippy.toml keeps out of the core.

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{json, Value};

const OPTIONS: &str = "\
syntax = \"proto2\";
package acme.opts;
import \"google/protobuf/descriptor.proto\";
extend google.protobuf.MessageOptions {
  optional string owner = 50001;
}
";

const SHAPES: &str = "\
syntax = \"proto2\";
package acme;
import \"acme/opts.proto\";

// A shape on the canvas.
message Shape {
  option (acme.opts.owner) = \"graphics\";
  optional string label = 1;
}

message Circle : Shape = 100 {
  optional double radius = 1;
}
";

/// A running `iprotoc lsp` and the messages it sent.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Message>,
    inbox: Vec<Notification>,
    next_id: i32,
    root: PathBuf,
}

impl Server {
    fn start(root: &Path, args: &[&str]) -> Server {
        let mut child = crate::support::cli::command(root)
            .arg("lsp")
            .args(args)
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("iprotoc lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(m)) = Message::read(&mut reader) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let mut s = Server {
            child,
            stdin,
            messages,
            inbox: Vec::new(),
            next_id: 0,
            root: root.to_path_buf(),
        };
        let uri = s.uri("");
        let init = s.request("initialize", json!({ "capabilities": {}, "rootUri": uri }));
        assert_eq!(init["capabilities"]["typeHierarchyProvider"], json!(true));
        assert_eq!(init["serverInfo"]["name"], json!("iprotoc"));
        s.notify("initialized", json!({}));
        s
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.root.join(name).display())
            .trim_end_matches('/')
            .to_string()
    }

    fn send(&mut self, m: Message) {
        m.write(&mut self.stdin).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Request::new(id.clone(), method.into(), params).into());
        loop {
            match self.messages.recv_timeout(Duration::from_secs(60)).unwrap() {
                Message::Response(r) if r.id == id => {
                    return r
                        .response_result
                        .unwrap_or_else(|e| json!({ "error": e.message }))
                }
                Message::Notification(n) => self.inbox.push(n),
                _ => {}
            }
        }
    }

    fn diagnostics(&mut self, name: &str) -> Vec<Value> {
        let uri = self.uri(name);
        let is = |n: &Notification| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == json!(uri)
        };
        let n = match self.inbox.iter().position(is) {
            Some(at) => self.inbox.remove(at),
            None => loop {
                match self.messages.recv_timeout(Duration::from_secs(60)).unwrap() {
                    Message::Notification(n) if is(&n) => break n,
                    Message::Notification(n) => self.inbox.push(n),
                    _ => {}
                }
            },
        };
        n.params["diagnostics"].as_array().cloned().unwrap()
    }

    fn at(&mut self, method: &str, name: &str, line: u32, character: u32) -> Value {
        let uri = self.uri(name);
        self.request(
            method,
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": character },
                "context": { "includeDeclaration": false },
            }),
        )
    }

    /// `shutdown`, `exit`, and the process ends with status 0.
    fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let proto = dir.path().join("proto/acme");
    std::fs::create_dir_all(&proto).unwrap();
    std::fs::write(proto.join("opts.proto"), OPTIONS).unwrap();
    std::fs::write(proto.join("shapes.iproto"), SHAPES).unwrap();
    dir
}

#[test]
fn an_editor_session_over_stdio() {
    let dir = workspace();
    let root = dir.path().canonicalize().unwrap();
    // The include directory as `check` takes it: `-I proto`, relative to the workspace root.
    let mut s = Server::start(&root, &["-I", "proto"]);
    let name = "proto/acme/shapes.iproto";
    let uri = s.uri(name);
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "iproto", "version": 1, "text": SHAPES } }),
    );
    let diags = s.diagnostics(name);
    assert!(
        diags.iter().all(|d| d["severity"] != json!(1)),
        "{diags:#?}"
    );

    // A partial edit that breaks the base's name: `Shape = 100` -> `Shap = 100` (line 10).
    s.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 10, "character": 21 }, "end": { "line": 10, "character": 22 } },
                "text": "",
            }],
        }),
    );
    let diags = s.diagnostics(name);
    let error = diags
        .iter()
        .find(|d| d["severity"] == json!(1))
        .expect("an error");
    assert_eq!(
        error["range"]["start"],
        json!({ "line": 10, "character": 17 })
    );
    assert_eq!(error["source"], json!("iprotoc"));
    // And back.
    s.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 3 },
            "contentChanges": [{
                "range": { "start": { "line": 10, "character": 21 }, "end": { "line": 10, "character": 21 } },
                "text": "e",
            }],
        }),
    );
    let diags = s.diagnostics(name);
    assert!(
        diags.iter().all(|d| d["severity"] != json!(1)),
        "{diags:#?}"
    );

    // Definition of an option name: the extension in the other file.
    let def = s.at("textDocument/definition", name, 6, 20);
    assert_eq!(def["uri"], json!(s.uri("proto/acme/opts.proto")));
    assert_eq!(def["range"]["start"], json!({ "line": 4, "character": 18 }));
    // Definition of an import: the file.
    let def = s.at("textDocument/definition", name, 2, 10);
    assert_eq!(def["uri"], json!(s.uri("proto/acme/opts.proto")));
    // References of Shape (declaration excluded): Circle's base.
    let refs = s.at("textDocument/references", name, 5, 9);
    assert_eq!(refs.as_array().unwrap().len(), 1, "{refs}");
    assert_eq!(
        refs[0]["range"]["start"],
        json!({ "line": 10, "character": 17 })
    );
    // Hover on Circle: pinned tag, parent, root.
    let hover = s.at("textDocument/hover", name, 10, 9);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("tag: 100 (pinned)") && text.contains("parent: `acme.Shape`"),
        "{text}"
    );
    // Hover on a field: number and JSON name.
    let hover = s.at("textDocument/hover", name, 11, 20);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("number: 1") && text.contains("JSON name: `radius`"),
        "{text}"
    );
    // Symbols.
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(symbols.as_array().unwrap().len(), 2);
    let found = s.request("workspace/symbol", json!({ "query": "circle" }));
    assert_eq!(found[0]["name"], json!("Circle"));
    // Completion inside Circle's body offers Shape and the keywords.
    let items = s.at("textDocument/completion", name, 11, 2);
    let labels: Vec<&str> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"Shape") && labels.contains(&"repeated"),
        "{labels:?}"
    );
    // Type hierarchy.
    let prepared = s.at("textDocument/prepareTypeHierarchy", name, 10, 9);
    let supers = s.request("typeHierarchy/supertypes", json!({ "item": prepared[0] }));
    assert_eq!(supers[0]["name"], json!("Shape"));
    let subs = s.request("typeHierarchy/subtypes", json!({ "item": supers[0] }));
    assert_eq!(subs[0]["name"], json!("Circle"));
    // Rename Shape: the declaration and the base.
    let edit = s.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 5, "character": 9 }, "newName": "Figure" }),
    );
    assert_eq!(edit["changes"][&uri].as_array().unwrap().len(), 2, "{edit}");
    // Formatting: fmt's layout, as one edit of the whole file; once applied, nothing to change.
    let format = json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } });
    let edits = s.request("textDocument/formatting", format.clone());
    let formatted = iprotoc::fmt::format_source(iprotoc::source::FileId(0), SHAPES).unwrap();
    assert_ne!(formatted, SHAPES);
    assert_eq!(edits[0]["newText"], json!(formatted));
    assert_eq!(
        edits[0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    assert_eq!(
        edits[0]["range"]["end"],
        json!({ "line": 13, "character": 0 })
    );
    s.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": formatted }] }),
    );
    assert_eq!(s.request("textDocument/formatting", format), json!([]));
    s.stop();
}

#[test]
fn the_examples_as_an_editor_sees_them() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut s = Server::start(&examples, &[]);
    let text = std::fs::read_to_string(examples.join("zoo.iproto")).unwrap();
    let uri = s.uri("zoo.iproto");
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "iproto", "version": 1, "text": text } }),
    );
    // `iprotoc check -I examples examples/zoo.iproto` finds no error and warns about the
    // unpinned tag; so does the server.
    let diags = s.diagnostics("zoo.iproto");
    assert!(
        diags.iter().all(|d| d["severity"] != json!(1)),
        "{diags:#?}"
    );
    assert!(diags
        .iter()
        .any(|d| d["code"] == json!("SUBCLASS_TAG_UNPINNED")));
    let line = text
        .lines()
        .position(|l| l.starts_with("message Kitten"))
        .unwrap() as u32;
    let hover = s.at("textDocument/hover", "zoo.iproto", line, 9);
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("tag: 101 (allocated)"), "{value}");
    assert!(value.contains("root: `zoo.Animal`"), "{value}");
    s.stop();
}

/// A root whose registry names classes of another package's file (DESIGN: hierarchies across
/// files), one of them declared nowhere.
const ROOT: &str = "\
syntax = \"proto2\";
package acme;

message Shape {
  optional string label = 1;
  subclass acme.round.Circle = 100;
  subclass acme.round.Ring = 101;
  subclass acme.poly.Square = 102;
}
";

const ROUND: &str = "\
syntax = \"proto2\";
package acme.round;
import \"acme/shape.iproto\";

message Circle : acme.Shape {
  optional double radius = 1;
}

message Ring : Circle {
  optional double inner = 1;
}
";

#[test]
fn registered_subclasses_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let acme = dir.path().join("acme");
    std::fs::create_dir_all(&acme).unwrap();
    std::fs::write(acme.join("shape.iproto"), ROOT).unwrap();
    std::fs::write(acme.join("round.iproto"), ROUND).unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut s = Server::start(&root, &[]);
    let (shape, round) = ("acme/shape.iproto", "acme/round.iproto");
    for (name, text) in [(shape, ROOT), (round, ROUND)] {
        let uri = s.uri(name);
        s.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "iproto", "version": 1, "text": text } }),
        );
        let diags = s.diagnostics(name);
        assert!(
            diags.iter().all(|d| d["severity"] != json!(1)),
            "{name}: {diags:#?}"
        );
    }
    // Definition of `Circle` in `subclass acme.round.Circle = 100;` (line 5): the class, in a
    // file the root does not import.
    let def = s.at("textDocument/definition", shape, 5, 23);
    assert_eq!(def["uri"], json!(s.uri(round)));
    assert_eq!(def["range"]["start"], json!({ "line": 4, "character": 8 }));
    // References of Circle (declaration excluded): Ring's base and the registry line.
    let refs = s.at("textDocument/references", round, 4, 9);
    let mut got: Vec<(String, Value)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["uri"].as_str().unwrap().to_string(),
                r["range"]["start"].clone(),
            )
        })
        .collect();
    got.sort_by_key(|(u, p)| (u.clone(), p.to_string()));
    let mut want = vec![
        (s.uri(round), json!({ "line": 8, "character": 15 })),
        (s.uri(shape), json!({ "line": 5, "character": 22 })),
    ];
    want.sort_by_key(|(u, p)| (u.clone(), p.to_string()));
    assert_eq!(got, want);
    // Hover on Ring: its tag is the registered one, and where it is registered.
    let hover = s.at("textDocument/hover", round, 8, 9);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("tag: 101 (registered by the root)")
            && text.contains("`subclass acme.round.Ring = 101;` in `acme/shape.iproto`, line 7")
            && text.contains("root: `acme.Shape`"),
        "{text}"
    );
    // Type hierarchy from the root: Circle in the other file, and Square, declared nowhere, at
    // its registry line.
    let prepared = s.at("textDocument/prepareTypeHierarchy", shape, 3, 9);
    let subs = s.request("typeHierarchy/subtypes", json!({ "item": prepared[0] }));
    let mut names: Vec<(String, String)> = subs
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().into(),
                i["uri"].as_str().unwrap().into(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("Circle".to_string(), s.uri(round)),
            ("Square".to_string(), s.uri(shape)),
        ]
    );
    // Ring's supertypes lead back to the root across the files.
    let ring = s.at("textDocument/prepareTypeHierarchy", round, 8, 9);
    let up = s.request("typeHierarchy/supertypes", json!({ "item": ring[0] }));
    assert_eq!(up[0]["name"], json!("Circle"));
    let up = s.request("typeHierarchy/supertypes", json!({ "item": up[0] }));
    assert_eq!(up[0]["name"], json!("Shape"));
    assert_eq!(up[0]["uri"], json!(s.uri(shape)));
    s.stop();
}

/// The server reads the project file as `iprotoc check` does: its `include` list finds the
/// imports, and its `[lint]` levels choose the rules (a naming rule allowed, an inheritance rule
/// denied, so its finding is an error).
#[test]
fn the_project_file_sets_includes_and_lint_levels() {
    let dir = tempfile::tempdir().unwrap();
    let acme = dir.path().join("proto/acme");
    std::fs::create_dir_all(&acme).unwrap();
    std::fs::write(
        dir.path().join("iprotoc.toml"),
        "include = [\"proto\"]\n[lint]\nallow = [\"naming\"]\ndeny = [\"FIELD_OF_SUBCLASS_TYPE\"]\n",
    )
    .unwrap();
    let base = "syntax = \"proto2\";\npackage acme;\nmessage Shape { optional int32 Sides = 1; }\nmessage Circle : Shape = 100 { optional float radius = 1; }\n";
    let user = "syntax = \"proto2\";\npackage acme;\nimport \"acme/base.iproto\";\nmessage Drawing {\n  optional Circle first = 1;\n}\n";
    std::fs::write(acme.join("base.iproto"), base).unwrap();
    std::fs::write(acme.join("user.iproto"), user).unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut s = Server::start(&root, &[]);
    let mut found = Vec::new();
    for (name, text) in [
        ("proto/acme/base.iproto", base),
        ("proto/acme/user.iproto", user),
    ] {
        let uri = s.uri(name);
        s.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "iproto", "version": 1, "text": text } }),
        );
        found.push(s.diagnostics(name));
    }
    // base.iproto: `Sides` breaks FIELD_LOWER_SNAKE_CASE, which the file allows (the other rules
    // still run: the implicit discriminator is reported).
    let codes: Vec<&Value> = found[0].iter().map(|d| &d["code"]).collect();
    assert!(
        !codes.contains(&&json!("FIELD_LOWER_SNAKE_CASE"))
            && codes.contains(&&json!("DISCRIMINATOR_IMPLICIT")),
        "{:#?}",
        found[0]
    );
    // user.iproto: the import resolves through `include`, and the denied rule is an error.
    let codes: Vec<(&Value, &Value)> = found[1]
        .iter()
        .map(|d| (&d["code"], &d["severity"]))
        .collect();
    assert_eq!(
        codes,
        vec![(&json!("FIELD_OF_SUBCLASS_TYPE"), &json!(1))],
        "{:#?}",
        found[1]
    );
    s.stop();
}
