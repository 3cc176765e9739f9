//! The server over an in-memory connection, as an editor drives it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

use super::{path_to_uri, serve, Config};
use crate::lines::LineIndex;

const ANIMAL: &str = "\
syntax = \"proto2\";
package zoo;

// What every animal has.
message Animal {
  // Weight in kilograms.
  required float weight = 1;
  optional string pet_name = 2;
}

message Cat : Animal = 100 {
  optional bool declawed = 1;
}

message Kitten : Cat {
  optional string toy = 1;
}
";

const HOUSE: &str = "\
syntax = \"proto2\";
package zoo.house;

import \"zoo/animal.iproto\";

message House {
  optional zoo.Animal pet = 1;
  optional Cat cat = 2;
}
";

const FOOD: &str = "\
syntax = \"proto2\";
package zoo.food;

message Bowl {
  optional string brand = 1;
}
";

/// A client talking to a server thread over an in-memory connection.
struct Client {
    conn: Connection,
    next_id: i32,
    /// Notifications received while waiting for something else.
    inbox: Vec<Notification>,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    root: PathBuf,
    _dir: tempfile::TempDir,
}

impl Client {
    /// A workspace with `files` on disk, and an initialized server on it.
    fn start(files: &[(&str, &str)]) -> Client {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for (name, text) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || serve(server_side, Config::default()));
        let mut c = Client {
            conn: client_side,
            next_id: 0,
            inbox: Vec::new(),
            server: Some(server),
            root,
            _dir: dir,
        };
        let init = c.request(
            "initialize",
            json!({ "capabilities": {}, "rootUri": path_to_uri(&c.root.clone()) }),
        );
        assert_eq!(init["capabilities"]["typeHierarchyProvider"], json!(true));
        c.notify("initialized", json!({}));
        c
    }

    fn uri(&self, name: &str) -> String {
        path_to_uri(&self.root.join(name))
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .unwrap();
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .unwrap()
            {
                Message::Response(r) if r.id == id => {
                    return match r.response_result {
                        Ok(v) => v,
                        Err(e) => json!({ "error": e.message }),
                    };
                }
                Message::Notification(n) => self.inbox.push(n),
                _ => {}
            }
        }
    }

    /// Waits for a notification `method` that `accept` takes (received before or after now).
    fn wait_for(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self
            .inbox
            .iter()
            .position(|n| n.method == method && accept(&n.params))
        {
            return self.inbox.remove(at).params;
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left).unwrap() {
                Message::Notification(n) if n.method == method && accept(&n.params) => {
                    return n.params
                }
                Message::Notification(n) => self.inbox.push(n),
                _ => {}
            }
        }
    }

    /// The next diagnostics published for `name`.
    fn diagnostics(&mut self, name: &str) -> Vec<Value> {
        let uri = self.uri(name);
        let p = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == json!(uri)
        });
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn open(&mut self, name: &str, text: &str) -> Vec<Value> {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "iproto", "version": 1, "text": text } }),
        );
        self.diagnostics(name)
    }

    /// A request about the position of the `nth` occurrence of `needle` in `text` (plus `skip`
    /// characters).
    fn at(&mut self, method: &str, name: &str, text: &str, needle: &str, skip: usize) -> Value {
        let position = pos(text, needle, skip);
        let uri = self.uri(name);
        self.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": position, "context": { "includeDeclaration": true } }),
        )
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        assert_eq!(server.join().unwrap(), Ok(()));
    }
}

/// The LSP position of the first occurrence of `needle` in `text`, `skip` characters in.
fn pos(text: &str, needle: &str, skip: usize) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"))
        + skip;
    let p = LineIndex::new(text).position(text, offset as u32);
    json!({ "line": p.line, "character": p.column })
}

fn range_of(text: &str, needle: &str) -> Value {
    let start = pos(text, needle, 0);
    let end = pos(text, needle, needle.len());
    json!({ "start": start, "end": end })
}

fn workspace() -> Client {
    Client::start(&[
        ("zoo/animal.iproto", ANIMAL),
        ("zoo/house.iproto", HOUSE),
        ("zoo/food.iproto", FOOD),
    ])
}

#[test]
fn diagnostics_follow_partial_edits_with_utf16_columns() {
    let mut c = workspace();
    // An unknown type after a comment with characters of two and four bytes (one and two
    // UTF-16 units) on the same line.
    let text = "syntax = \"proto2\";\npackage zoo.food;\nmessage Bowl { /* é𝄞 */ optional Brnd brand = 1; }\n";
    let diags = c.open("zoo/food.iproto", text);
    let errors: Vec<&Value> = diags.iter().filter(|d| d["severity"] == json!(1)).collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    assert_eq!(errors[0]["range"], range_of(text, "Brnd"));
    // Line 2: `message Bowl { /* é𝄞 */ optional ` is 34 UTF-16 units (37 bytes).
    assert_eq!(errors[0]["range"]["start"]["character"], json!(34));
    // Fix it with a partial edit: replace `Brnd` with `string`.
    let uri = c.uri("zoo/food.iproto");
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": range_of(text, "Brnd"), "text": "string" }],
        }),
    );
    let diags = c.diagnostics("zoo/food.iproto");
    assert!(
        diags.iter().all(|d| d["severity"] != json!(1)),
        "{diags:#?}"
    );
    c.shutdown();
}

#[test]
fn an_edit_reports_in_the_files_that_import_it() {
    let mut c = workspace();
    assert!(c
        .open("zoo/house.iproto", HOUSE)
        .iter()
        .all(|d| d["severity"] != json!(1)));
    // Rename Animal in its own file, unsaved: the importer now names a type that is gone.
    let broken = ANIMAL
        .replace("message Animal {", "message Beast {")
        .replace(": Animal", ": Beast");
    let diags = c.open("zoo/animal.iproto", &broken);
    assert!(
        diags.iter().all(|d| d["severity"] != json!(1)),
        "{diags:#?}"
    );
    let house = c.diagnostics("zoo/house.iproto");
    let errors: Vec<&Value> = house.iter().filter(|d| d["severity"] == json!(1)).collect();
    assert_eq!(errors.len(), 1, "{house:#?}");
    assert_eq!(errors[0]["range"], range_of(HOUSE, "zoo.Animal"));
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("zoo.Animal"));
    c.shutdown();
}

#[test]
fn lint_runs_as_check_runs_it() {
    let mut c = workspace();
    // Kitten's tag is not pinned: SUBCLASS_TAG_UNPINNED, as `iprotoc check` says.
    let diags = c.open("zoo/animal.iproto", ANIMAL);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"SUBCLASS_TAG_UNPINNED"), "{codes:?}");
    let unpinned = diags
        .iter()
        .find(|d| d["code"] == json!("SUBCLASS_TAG_UNPINNED"))
        .unwrap();
    assert_eq!(unpinned["severity"], json!(2));
    assert_eq!(unpinned["range"]["start"]["line"], json!(14));
    c.shutdown();
}

#[test]
fn definition_and_references_across_files() {
    let mut c = workspace();
    c.open("zoo/house.iproto", HOUSE);
    let def = c.at(
        "textDocument/definition",
        "zoo/house.iproto",
        HOUSE,
        "zoo.Animal",
        5,
    );
    assert_eq!(def["uri"], json!(c.uri("zoo/animal.iproto")));
    assert_eq!(def["range"], pos_range(ANIMAL, "Animal {", 0, 6));
    // `zoo` of `zoo.Animal` is a package: no declaration to go to.
    let def = c.at(
        "textDocument/definition",
        "zoo/house.iproto",
        HOUSE,
        "zoo.Animal",
        1,
    );
    assert_eq!(def, Value::Null);
    // The import goes to the file.
    let def = c.at(
        "textDocument/definition",
        "zoo/house.iproto",
        HOUSE,
        "zoo/animal",
        2,
    );
    assert_eq!(def["uri"], json!(c.uri("zoo/animal.iproto")));
    // A base.
    let def = c.at(
        "textDocument/definition",
        "zoo/animal.iproto",
        ANIMAL,
        ": Cat",
        3,
    );
    assert_eq!(def["range"], pos_range(ANIMAL, "Cat :", 0, 3));

    let refs = c.at(
        "textDocument/references",
        "zoo/animal.iproto",
        ANIMAL,
        "Animal {",
        0,
    );
    let refs = refs.as_array().unwrap();
    let animal = c.uri("zoo/animal.iproto");
    let house = c.uri("zoo/house.iproto");
    let mut got: Vec<(String, Value)> = refs
        .iter()
        .map(|r| (r["uri"].as_str().unwrap().to_string(), r["range"].clone()))
        .collect();
    got.sort_by_key(|(u, r)| (u.clone(), r.to_string()));
    let mut want = vec![
        (animal.clone(), pos_range(ANIMAL, "Animal {", 0, 6)),
        (animal.clone(), range_of(ANIMAL, "Animal = 100")),
        (house.clone(), pos_range(HOUSE, "zoo.Animal", 4, 10)),
    ];
    want.sort_by_key(|(u, r)| (u.clone(), r.to_string()));
    // `Animal = 100` names only `Animal`.
    want[1].1 = pos_range(ANIMAL, "Animal = 100", 0, 6);
    want.sort_by_key(|(u, r)| (u.clone(), r.to_string()));
    assert_eq!(got, want);
    c.shutdown();
}

/// The range of `needle`'s characters `from..to`.
fn pos_range(text: &str, needle: &str, from: usize, to: usize) -> Value {
    json!({ "start": pos(text, needle, from), "end": pos(text, needle, to) })
}

#[test]
fn hover_says_tag_origin_parent_root_and_subclasses() {
    let mut c = workspace();
    c.open("zoo/animal.iproto", ANIMAL);
    let hover = |c: &mut Client, needle: &str, skip: usize| -> String {
        let h = c.at(
            "textDocument/hover",
            "zoo/animal.iproto",
            ANIMAL,
            needle,
            skip,
        );
        h["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let cat = hover(&mut c, "Cat :", 0);
    assert!(cat.contains("tag: 100 (pinned)"), "{cat}");
    assert!(cat.contains("parent: `zoo.Animal`"), "{cat}");
    assert!(cat.contains("root: `zoo.Animal`"), "{cat}");
    assert!(cat.contains("subclasses: `zoo.Kitten`"), "{cat}");
    let kitten = hover(&mut c, "Kitten :", 0);
    assert!(kitten.contains("tag: 101 (allocated)"), "{kitten}");
    assert!(kitten.contains("parent: `zoo.Cat`"), "{kitten}");
    assert!(kitten.contains("root: `zoo.Animal`"), "{kitten}");
    let animal = hover(&mut c, "Animal {", 0);
    assert!(animal.contains("root of its hierarchy"), "{animal}");
    assert!(animal.contains("subclasses: `zoo.Cat`"), "{animal}");
    assert!(animal.contains("What every animal has."), "{animal}");
    let field = hover(&mut c, "pet_name", 0);
    assert!(field.contains("number: 2"), "{field}");
    assert!(field.contains("JSON name: `petName`"), "{field}");
    // A type reference: full name and the declaration's doc comment.
    let base = hover(&mut c, ": Animal", 2);
    assert!(base.contains("message `zoo.Animal`"), "{base}");
    assert!(base.contains("What every animal has."), "{base}");
    c.shutdown();
}

#[test]
fn document_and_workspace_symbols() {
    let mut c = workspace();
    c.open("zoo/animal.iproto", ANIMAL);
    let uri = c.uri("zoo/animal.iproto");
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Animal", "Cat", "Kitten"]);
    let fields: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["weight", "pet_name"]);
    assert_eq!(
        symbols[0]["selectionRange"],
        pos_range(ANIMAL, "Animal {", 0, 6)
    );

    let found = c.request("workspace/symbol", json!({ "query": "bow" }));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["name"], json!("Bowl"));
    assert_eq!(found[0]["location"]["uri"], json!(c.uri("zoo/food.iproto")));
    c.shutdown();
}

#[test]
fn completion_offers_types_as_they_resolve_and_adds_imports() {
    let mut c = workspace();
    c.open("zoo/house.iproto", HOUSE);
    let result = c.at(
        "textDocument/completion",
        "zoo/house.iproto",
        HOUSE,
        "Cat cat",
        0,
    );
    let items = result["items"].as_array().unwrap();
    let item = |label: &str| items.iter().find(|i| i["label"] == json!(label)).cloned();
    // From zoo.house, zoo.Animal is written `Animal`; its file is imported.
    let animal = item("Animal").expect("Animal offered");
    assert!(animal.get("additionalTextEdits").is_none());
    // zoo.food.Bowl's file is not imported: accepting it adds the import.
    let bowl = item("food.Bowl").expect("food.Bowl offered");
    let edit = &bowl["additionalTextEdits"][0];
    assert_eq!(edit["newText"], json!("\nimport \"zoo/food.iproto\";"));
    assert_eq!(edit["range"]["start"], pos(HOUSE, "\n\nmessage House", 0));
    assert!(item("message").is_some() && item("int32").is_some());
    c.shutdown();
}

#[test]
fn type_hierarchy_across_files() {
    let house = format!("{HOUSE}\nmessage Dog : zoo.Animal {{}}\n");
    let mut c = Client::start(&[("zoo/animal.iproto", ANIMAL), ("zoo/house.iproto", &house)]);
    c.open("zoo/animal.iproto", ANIMAL);
    let items = c.at(
        "textDocument/prepareTypeHierarchy",
        "zoo/animal.iproto",
        ANIMAL,
        "Cat :",
        1,
    );
    let cat = items[0].clone();
    assert_eq!(cat["name"], json!("Cat"));
    assert_eq!(cat["detail"], json!("zoo.Cat = 100 (pinned)"));
    let up = c.request("typeHierarchy/supertypes", json!({ "item": cat }));
    assert_eq!(up[0]["name"], json!("Animal"));
    let down = c.request("typeHierarchy/subtypes", json!({ "item": up[0] }));
    let mut names: Vec<(String, String)> = down
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
            ("Cat".to_string(), c.uri("zoo/animal.iproto")),
            ("Dog".to_string(), c.uri("zoo/house.iproto")),
        ]
    );
    let leaves = c.request("typeHierarchy/subtypes", json!({ "item": down[0] }));
    assert_eq!(leaves[0]["name"], json!("Kitten"));
    c.shutdown();
}

#[test]
fn rename_across_files_and_json_name_warning() {
    let mut c = workspace();
    c.open("zoo/animal.iproto", ANIMAL);
    let uri = c.uri("zoo/animal.iproto");
    let edit = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": pos(ANIMAL, "Animal {", 0), "newName": "Beast" }),
    );
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(
        changes[&c.uri("zoo/animal.iproto")]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let house = &changes[&c.uri("zoo/house.iproto")];
    assert_eq!(house[0]["range"], pos_range(HOUSE, "zoo.Animal", 4, 10));
    assert_eq!(house[0]["newText"], json!("Beast"));

    let edit = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": pos(ANIMAL, "pet_name", 1), "newName": "nickname" }),
    );
    assert_eq!(
        edit["changes"][&uri][0]["range"],
        range_of(ANIMAL, "pet_name")
    );
    let warning = c.wait_for("window/showMessage", |_| true);
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("`petName` to `nickname`"),
        "{warning}"
    );
    let bad = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": pos(ANIMAL, "pet_name", 1), "newName": "no way" }),
    );
    assert!(bad["error"].as_str().unwrap().contains("not an identifier"));
    c.shutdown();
}

#[test]
fn formatting_gives_fmt_layout() {
    let mut c = workspace();
    let messy =
        "syntax = \"proto2\";\npackage zoo.food;\nmessage   Bowl {optional string brand = 1;}\n";
    c.open("zoo/food.iproto", messy);
    let uri = c.uri("zoo/food.iproto");
    let edits = c.request("textDocument/formatting", json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }));
    let want = crate::fmt::format_source(crate::source::FileId(0), messy).unwrap();
    assert_ne!(want, messy);
    assert_eq!(edits[0]["newText"], json!(want));
    c.shutdown();
}

#[test]
fn the_path_of_a_name_is_the_include_relative_one() {
    let root = Path::new("/w");
    let includes = vec![root.join("proto"), root.to_path_buf()];
    assert_eq!(
        super::name_of(&includes, &root.join("proto/zoo/a.iproto")),
        "zoo/a.iproto"
    );
    assert_eq!(
        super::name_of(&includes, &root.join("x/b.proto")),
        "x/b.proto"
    );
    assert_eq!(
        super::name_of(&includes, Path::new("/elsewhere/c.proto")),
        "c.proto"
    );
}

/// A root registering two classes of another package's file, and one no file declares.
const REGISTRY_ROOT: &str = "\
syntax = \"proto2\";
package zoo;

message Animal {
  required float weight = 1;
  subclass zoo.cats.Cat = 100;
  subclass .zoo.cats.Kitten = 101;
  subclass zoo.birds.Parrot = 102;
}

message Dog : Animal {}
";

const REGISTERED: &str = "\
syntax = \"proto2\";
package zoo.cats;

import \"zoo/animal.iproto\";

message Cat : zoo.Animal {
  optional bool declawed = 1;
}

message Kitten : Cat {
  optional string toy = 1;
}
";

fn registry_workspace() -> Client {
    Client::start(&[
        ("zoo/animal.iproto", REGISTRY_ROOT),
        ("zoo/cats/cat.iproto", REGISTERED),
    ])
}

/// The (uri, range) of each location of a list, sorted.
fn locations(v: &Value) -> Vec<(String, Value)> {
    let mut got: Vec<(String, Value)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["uri"].as_str().unwrap().to_string(), r["range"].clone()))
        .collect();
    got.sort_by_key(|(u, r)| (u.clone(), r.to_string()));
    got
}

#[test]
fn registered_subclasses_go_to_definition_and_are_referenced() {
    let mut c = registry_workspace();
    // Both files are sound: the registry matches the classes.
    let errors = |diags: Vec<Value>| -> Vec<Value> {
        diags
            .into_iter()
            .filter(|d| d["severity"] == json!(1))
            .collect()
    };
    let root = "zoo/animal.iproto";
    let cats = "zoo/cats/cat.iproto";
    assert_eq!(errors(c.open(root, REGISTRY_ROOT)), Vec::<Value>::new());
    assert_eq!(errors(c.open(cats, REGISTERED)), Vec::<Value>::new());

    // The registry line's last part goes to the class, in a file the root does not import.
    let def = c.at(
        "textDocument/definition",
        root,
        REGISTRY_ROOT,
        "zoo.cats.Cat",
        10,
    );
    assert_eq!(def["uri"], json!(c.uri(cats)));
    assert_eq!(def["range"], pos_range(REGISTERED, "Cat :", 0, 3));
    // A leading dot is allowed.
    let def = c.at(
        "textDocument/definition",
        root,
        REGISTRY_ROOT,
        ".zoo.cats.Kitten",
        12,
    );
    assert_eq!(def["range"], pos_range(REGISTERED, "Kitten :", 0, 6));
    // `zoo.cats` is a package: nowhere to go. Parrot is declared nowhere.
    let def = c.at(
        "textDocument/definition",
        root,
        REGISTRY_ROOT,
        "zoo.cats.Cat",
        5,
    );
    assert_eq!(def, Value::Null);
    let def = c.at(
        "textDocument/definition",
        root,
        REGISTRY_ROOT,
        "zoo.birds.Parrot",
        11,
    );
    assert_eq!(def, Value::Null);

    // References of Cat, from its declaration: itself, Kitten's base, the registry line.
    let refs = c.at("textDocument/references", cats, REGISTERED, "Cat :", 1);
    let want = {
        let mut w = vec![
            (c.uri(cats), pos_range(REGISTERED, "Cat :", 0, 3)),
            (c.uri(cats), pos_range(REGISTERED, ": Cat", 2, 5)),
            (c.uri(root), pos_range(REGISTRY_ROOT, "zoo.cats.Cat", 9, 12)),
        ];
        w.sort_by_key(|(u, r)| (u.clone(), r.to_string()));
        w
    };
    assert_eq!(locations(&refs), want);
    // And from the registry line, the same.
    let refs = c.at(
        "textDocument/references",
        root,
        REGISTRY_ROOT,
        "zoo.cats.Cat",
        10,
    );
    assert_eq!(locations(&refs), want);

    // A rename of the class renames its registration too.
    let uri = c.uri(cats);
    let edit = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": pos(REGISTERED, "Cat :", 0), "newName": "Feline" }),
    );
    let in_root = edit["changes"][&c.uri(root)].as_array().unwrap();
    assert_eq!(in_root.len(), 1, "{edit}");
    assert_eq!(
        in_root[0]["range"],
        pos_range(REGISTRY_ROOT, "zoo.cats.Cat", 9, 12)
    );
    assert_eq!(edit["changes"][&uri].as_array().unwrap().len(), 2, "{edit}");
    c.shutdown();
}

#[test]
fn hover_says_a_tag_came_from_the_registry_and_where() {
    let mut c = registry_workspace();
    let root = "zoo/animal.iproto";
    let cats = "zoo/cats/cat.iproto";
    c.open(cats, REGISTERED);
    let hover = |c: &mut Client, name: &str, text: &str, needle: &str, skip: usize| {
        let h = c.at("textDocument/hover", name, text, needle, skip);
        h["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let cat = hover(&mut c, cats, REGISTERED, "Cat :", 0);
    assert!(cat.contains("tag: 100 (registered by the root)"), "{cat}");
    assert!(
        cat.contains(
            "registered by `zoo.Animal`: `subclass zoo.cats.Cat = 100;` in `zoo/animal.iproto`, line 6"
        ),
        "{cat}"
    );
    assert!(cat.contains("parent: `zoo.Animal`"), "{cat}");
    assert!(cat.contains("subclasses: `zoo.cats.Kitten`"), "{cat}");
    // Kitten's parent is in its own file, its root in another: its tag is registered too.
    let kitten = hover(&mut c, cats, REGISTERED, "Kitten :", 0);
    assert!(
        kitten.contains("tag: 101 (registered by the root)"),
        "{kitten}"
    );
    assert!(kitten.contains("line 7"), "{kitten}");
    assert!(kitten.contains("root: `zoo.Animal`"), "{kitten}");
    // On the registry line, the class's hover.
    let on_line = hover(&mut c, root, REGISTRY_ROOT, "zoo.cats.Cat", 10);
    assert_eq!(on_line, cat);
    // The same-file class skips the registered tags.
    let dog = hover(&mut c, root, REGISTRY_ROOT, "Dog :", 0);
    assert!(dog.contains("tag: 103 (allocated)"), "{dog}");
    // The root lists its subclasses in every file, and what it registers that nobody declares.
    let animal = hover(&mut c, root, REGISTRY_ROOT, "Animal {", 0);
    assert!(animal.contains("root of its hierarchy"), "{animal}");
    assert!(
        animal.contains("subclasses: `zoo.Dog`, `zoo.cats.Cat`"),
        "{animal}"
    );
    assert!(
        animal.contains("declared in no file of the workspace: `zoo.birds.Parrot` = 102"),
        "{animal}"
    );
    let parrot = hover(&mut c, root, REGISTRY_ROOT, "zoo.birds.Parrot", 12);
    assert!(
        parrot.contains("registered by the root `zoo.Animal` with tag 102"),
        "{parrot}"
    );
    c.shutdown();
}

#[test]
fn type_hierarchy_includes_registered_classes_across_files() {
    let mut c = registry_workspace();
    let root = "zoo/animal.iproto";
    let cats = "zoo/cats/cat.iproto";
    c.open(root, REGISTRY_ROOT);
    let names = |v: &Value| -> Vec<(String, String, String)> {
        let mut n: Vec<(String, String, String)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["name"].as_str().unwrap().to_string(),
                    i["uri"].as_str().unwrap().to_string(),
                    i["detail"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        n.sort();
        n
    };
    let animal = c.at(
        "textDocument/prepareTypeHierarchy",
        root,
        REGISTRY_ROOT,
        "Animal {",
        0,
    );
    let subs = c.request("typeHierarchy/subtypes", json!({ "item": animal[0] }));
    assert_eq!(
        names(&subs),
        [
            (
                "Cat".to_string(),
                c.uri(cats),
                "zoo.cats.Cat = 100 (registered by the root)".to_string()
            ),
            (
                "Dog".to_string(),
                c.uri(root),
                "zoo.Dog = 103 (allocated)".to_string()
            ),
            (
                "Parrot".to_string(),
                c.uri(root),
                "zoo.birds.Parrot = 102 (registered, declared in no file)".to_string()
            ),
        ]
    );
    // Parrot's item is its registry line; its supertype the root.
    let parrot = subs
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == json!("Parrot"))
        .unwrap()
        .clone();
    assert_eq!(
        parrot["selectionRange"],
        range_of(REGISTRY_ROOT, "zoo.birds.Parrot")
    );
    let up = c.request("typeHierarchy/supertypes", json!({ "item": parrot }));
    assert_eq!(names(&up)[0].0, "Animal");
    // From the registered side: Kitten's supertype is Cat, Cat's is the root in the other file.
    let kitten = c.at(
        "textDocument/prepareTypeHierarchy",
        cats,
        REGISTERED,
        "Kitten :",
        0,
    );
    let up = c.request("typeHierarchy/supertypes", json!({ "item": kitten[0] }));
    assert_eq!(names(&up)[0].0, "Cat");
    let up = c.request("typeHierarchy/supertypes", json!({ "item": up[0] }));
    assert_eq!(names(&up)[0].0, "Animal");
    assert_eq!(names(&up)[0].1, c.uri(root));
    // Prepared from the registry line, Cat's item is its declaration.
    let cat = c.at(
        "textDocument/prepareTypeHierarchy",
        root,
        REGISTRY_ROOT,
        "zoo.cats.Cat",
        10,
    );
    assert_eq!(cat[0]["uri"], json!(c.uri(cats)));
    let down = c.request("typeHierarchy/subtypes", json!({ "item": cat[0] }));
    assert_eq!(names(&down)[0].0, "Kitten");
    c.shutdown();
}

#[test]
fn a_hover_answers_while_another_files_slow_check_runs() {
    let mut c = workspace();
    // The analysis knows the workspace once the first file's check is published.
    c.open("zoo/animal.iproto", ANIMAL);
    // A file large enough that checking it takes far longer than answering a hover.
    let mut big = String::from("syntax = \"proto2\";\npackage zoo.big;\n");
    for i in 0..4000 {
        big.push_str(&format!(
            "message M{i} {{\n  optional string name = 1;\n  repeated M{i} children = 2;\n  optional int64 count = 3;\n}}\n"
        ));
    }
    let big_uri = c.uri("zoo/big.iproto");
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": big_uri, "languageId": "iproto", "version": 1, "text": big } }),
    );
    let hover = c.at(
        "textDocument/hover",
        "zoo/animal.iproto",
        ANIMAL,
        "pet_name",
        0,
    );
    // The answer came from the last analysis, before the big file's check was done.
    let value = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(value.contains("JSON name: `petName`"), "{hover}");
    assert!(
        !c.inbox
            .iter()
            .any(|n| n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == json!(big_uri)),
        "the hover waited for the big file's check"
    );
    // And the check does finish.
    let diags = c.diagnostics("zoo/big.iproto");
    assert!(
        diags.iter().all(|d| d["severity"] != json!(1)),
        "{diags:#?}"
    );
    c.shutdown();
}

#[test]
fn a_request_right_after_an_edit_is_answered_from_the_edited_text() {
    let mut c = workspace();
    c.open("zoo/animal.iproto", ANIMAL);
    // A new first line moves every position one line down; the hover and the definition are
    // sent at once, before the edit's check or analysis is done.
    let line = "// A new first line.\n";
    let edited = format!("{line}{ANIMAL}");
    let uri = c.uri("zoo/animal.iproto");
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "text": line,
            }],
        }),
    );
    let hover = c.at(
        "textDocument/hover",
        "zoo/animal.iproto",
        &edited,
        "pet_name",
        1,
    );
    let value = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(value.contains("JSON name: `petName`"), "{hover}");
    let def = c.at(
        "textDocument/definition",
        "zoo/animal.iproto",
        &edited,
        ": Cat",
        3,
    );
    assert_eq!(def["range"], pos_range(&edited, "Cat :", 0, 3));
    c.shutdown();
}
