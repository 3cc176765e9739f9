//! The answers to the client's requests, computed from one [`Analysis`]. Each takes the file (an
//! index in [`Analysis::files`]) and a byte offset, and returns the LSP result as JSON.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::analysis::{Analysis, Def, Registration, TagSource, Target};
use super::{lsp_range, path_to_uri};
use crate::ast::{FullIdent, Ident};

use crate::protobuf::names::{self, json_name};
use crate::resolve::symbols::{Lookup, SymbolKind};
use crate::source::Span;

/// The URI and range of a span of file `file` (`None` for the built-in well-known types, which
/// have no file to open).
fn location(a: &Analysis, file: usize, span: Span) -> Option<Value> {
    let f = &a.files[file];
    let path = f.path.as_ref()?;
    Some(json!({
        "uri": path_to_uri(path),
        "range": lsp_range(&f.lines, a.text(file), span),
    }))
}

/// `line N` of a span's start in file `file` (1-based, as editors show it).
fn line_of(a: &Analysis, file: usize, span: Span) -> String {
    let p = a.files[file].lines.position(a.text(file), span.start);
    format!("line {}", p.line + 1)
}

/// The hover of a registry statement whose class no file of the workspace declares.
fn describe_registration(r: &Registration) -> String {
    let tag = r
        .tag
        .map_or_else(|| "an invalid tag".to_string(), |t| format!("tag {t}"));
    format!(
        "class `{}`, registered by the root `{}` with {tag}\n\nNo file of the workspace declares it: its tag is kept for it.\n",
        r.class, r.root
    )
}

/// `textDocument/definition`: the declaration a name refers to, or the file an import names.
pub fn definition(a: &Analysis, i: usize, offset: u32) -> Value {
    match a.at(i, offset) {
        Some(Target::Name { full, .. }) => a
            .def(&full)
            .and_then(|d| location(a, d.file, d.name_span))
            .unwrap_or(Value::Null),
        Some(Target::Import {
            target: Some(j), ..
        }) => location(a, j, Span::default()).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// `textDocument/references`: every name that refers to the declaration at the position, in
/// every file (its declaration first, when asked for).
pub fn references(a: &Analysis, i: usize, offset: u32, with_declaration: bool) -> Value {
    let Some(Target::Name { full, .. }) = a.at(i, offset) else {
        return Value::Null;
    };
    let mut out = Vec::new();
    if with_declaration {
        if let Some(d) = a.def(&full) {
            out.extend(location(a, d.file, d.name_span));
        }
    }
    for (file, span) in a.references(&full) {
        out.extend(location(a, file, span));
    }
    Value::Array(out)
}

/// The markdown a hover shows for a declaration.
fn describe(a: &Analysis, d: &Def) -> String {
    let mut text = format!("```iproto\n{}\n```\n", d.detail);
    let kind = d.kind.describe();
    text.push_str(&format!("\n{kind} `{}`", d.full));
    if let Some(file) = a.files.get(d.file) {
        text.push_str(&format!(" in `{}`", file.name));
    }
    text.push('\n');
    match d.kind {
        SymbolKind::Field | SymbolKind::Extension => {
            if let Some(n) = d.number {
                text.push_str(&format!("\nnumber: {n}"));
            }
            if let Some(j) = &d.json_name {
                text.push_str(&format!("  \nJSON name: `{j}`"));
            }
            text.push('\n');
        }
        SymbolKind::EnumValue => {
            if let Some(n) = d.number {
                text.push_str(&format!("\nnumber: {n}\n"));
            }
        }
        SymbolKind::Message => {
            if let Some(c) = a.classes.get(&d.full) {
                let mut lines = Vec::new();
                match (&c.parent, c.tag) {
                    (Some(_), Some((tag, TagSource::Registered))) => {
                        lines.push(format!("tag: {tag} ({})", TagSource::Registered.describe()));
                        if let Some(r) = a.registration(&d.full) {
                            let statement = a.text(r.file).get(r.span.range()).unwrap_or("");
                            lines.push(format!(
                                "registered by `{}`: `{}` in `{}`, {}",
                                r.root,
                                statement.trim(),
                                a.files[r.file].name,
                                line_of(a, r.file, r.span),
                            ));
                        }
                    }
                    (Some(_), Some((tag, source))) => {
                        lines.push(format!("tag: {tag} ({})", source.describe()))
                    }
                    (Some(_), None) => lines.push("tag: none yet (see the diagnostics)".into()),
                    (None, _) => lines.push("root of its hierarchy".into()),
                }
                if let Some(p) = &c.parent {
                    lines.push(format!("parent: `{p}`"));
                    lines.push(format!("root: `{}`", a.root_of(&d.full)));
                }
                if !c.children.is_empty() {
                    let kids: Vec<String> = c.children.iter().map(|k| format!("`{k}`")).collect();
                    lines.push(format!("subclasses: {}", kids.join(", ")));
                }
                let missing = a.registered_not_declared(&d.full);
                if !missing.is_empty() {
                    let names: Vec<String> = missing
                        .iter()
                        .map(|r| match r.tag {
                            Some(t) => format!("`{}` = {t}", r.class),
                            None => format!("`{}`", r.class),
                        })
                        .collect();
                    lines.push(format!(
                        "registered, declared in no file of the workspace: {}",
                        names.join(", ")
                    ));
                }
                text.push('\n');
                text.push_str(&lines.join("  \n"));
                text.push('\n');
            }
        }
        _ => {}
    }
    if let Some(doc) = &d.doc {
        text.push_str("\n---\n");
        text.push_str(doc.trim());
        text.push('\n');
    }
    text
}

/// `textDocument/hover`.
pub fn hover(a: &Analysis, i: usize, offset: u32) -> Value {
    let f = &a.files[i];
    match a.at(i, offset) {
        Some(Target::Name { full, span, .. }) => match a.def(&full) {
            Some(d) => json!({
                "contents": { "kind": "markdown", "value": describe(a, d) },
                "range": lsp_range(&f.lines, a.text(i), span),
            }),
            None => Value::Null,
        },
        Some(Target::Registration(k)) => {
            let r = &a.registrations[k];
            json!({
                "contents": { "kind": "markdown", "value": describe_registration(r) },
                "range": lsp_range(&f.lines, a.text(i), r.name_span),
            })
        }
        Some(Target::Import { target, span }) => {
            let value = match target {
                Some(j) => format!("imports `{}`", a.files[j].name),
                None => "not found on the include path".to_string(),
            };
            json!({
                "contents": { "kind": "markdown", "value": value },
                "range": lsp_range(&f.lines, a.text(i), span),
            })
        }
        None => Value::Null,
    }
}

/// LSP's `SymbolKind` for a declaration.
fn symbol_kind(kind: SymbolKind) -> u32 {
    match kind {
        SymbolKind::Package => 4,
        SymbolKind::Message => 5,    // Class
        SymbolKind::Enum => 10,      // Enum
        SymbolKind::EnumValue => 22, // EnumMember
        SymbolKind::Field | SymbolKind::Extension => 8,
        SymbolKind::Oneof => 8,
        SymbolKind::Service => 11, // Interface
        SymbolKind::Method => 6,
    }
}

/// `textDocument/documentSymbol`: the file's declarations as a tree.
pub fn document_symbols(a: &Analysis, i: usize) -> Value {
    let f = &a.files[i];
    let text = a.text(i);
    // Children by container, in source order.
    let mut children: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for &d in &f.defs {
        children.entry(a.defs[d].container).or_default().push(d);
    }
    fn node(
        a: &Analysis,
        d: usize,
        children: &BTreeMap<Option<usize>, Vec<usize>>,
        f: &super::analysis::FileInfo,
        text: &str,
    ) -> Value {
        let def = &a.defs[d];
        let kids: Vec<Value> = children
            .get(&Some(d))
            .map(|k| k.iter().map(|&c| node(a, c, children, f, text)).collect())
            .unwrap_or_default();
        let name = def.full.rsplit('.').next().unwrap_or(&def.full);
        json!({
            "name": name,
            "detail": def.detail,
            "kind": symbol_kind(def.kind),
            "range": lsp_range(&f.lines, text, def.span),
            "selectionRange": lsp_range(&f.lines, text, def.name_span),
            "children": kids,
        })
    }
    let top = children.get(&None).cloned().unwrap_or_default();
    Value::Array(
        top.iter()
            .map(|&d| node(a, d, &children, f, text))
            .collect(),
    )
}

/// The most workspace symbols answered at once.
const MAX_WORKSPACE_SYMBOLS: usize = 500;

/// `workspace/symbol`: messages, enums, services and rpcs whose full name contains the query
/// (ignoring case), exact name matches first.
pub fn workspace_symbols(a: &Analysis, query: &str) -> Value {
    let q = query.to_ascii_lowercase();
    let mut hits: Vec<&Def> = a
        .defs
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                SymbolKind::Message | SymbolKind::Enum | SymbolKind::Service | SymbolKind::Method
            ) && d.full.to_ascii_lowercase().contains(&q)
        })
        .collect();
    let simple = |d: &Def| d.full.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    hits.sort_by_key(|d| (simple(d) != q, d.full.len(), d.full.clone()));
    Value::Array(
        hits.into_iter()
            .filter_map(|d| {
                let loc = location(a, d.file, d.name_span)?;
                let container = d.full.rsplit_once('.').map_or("", |(c, _)| c);
                Some(json!({
                    "name": d.full.rsplit('.').next().unwrap_or(&d.full),
                    "kind": symbol_kind(d.kind),
                    "location": loc,
                    "containerName": container,
                }))
            })
            .take(MAX_WORKSPACE_SYMBOLS)
            .collect(),
    )
}

/// The scalar types, offered by completion.
const SCALARS: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

/// The keywords offered by completion.
const KEYWORDS: &[&str] = &[
    "syntax",
    "edition",
    "package",
    "import",
    "option",
    "message",
    "enum",
    "service",
    "rpc",
    "returns",
    "stream",
    "extend",
    "extensions",
    "reserved",
    "oneof",
    "map",
    "optional",
    "required",
    "repeated",
    "group",
    "to",
    "max",
    "public",
    "weak",
    "true",
    "false",
];

/// `textDocument/completion`: keywords, scalar types, and every message and enum of the
/// workspace, written as it resolves from the position's scope, with the import added when its
/// file is not imported yet.
pub fn completion(a: &Analysis, i: usize, offset: u32) -> Value {
    let f = &a.files[i];
    let scope = a.scope_at(i, offset);
    let mut items: Vec<Value> = Vec::new();
    for k in KEYWORDS {
        items.push(json!({ "label": k, "kind": 14, "sortText": format!("2{k}") }));
    }
    for s in SCALARS {
        items.push(json!({ "label": s, "kind": 25, "sortText": format!("1{s}") }));
    }
    // Where a new import goes: after the last import, else after the package or syntax line.
    let text = a.text(i);
    let anchor = f
        .imports
        .last()
        .map(|imp| imp.statement.end)
        .or_else(|| {
            f.ast.items.iter().find_map(|it| match it {
                crate::ast::FileItem::Package(p) => Some(p.span.end),
                _ => None,
            })
        })
        .or_else(|| f.ast.syntax.as_ref().map(|s| s.span.end));
    for d in &a.defs {
        if !matches!(d.kind, SymbolKind::Message | SymbolKind::Enum) {
            continue;
        }
        let Some(file) = a.files.get(d.file) else {
            continue;
        };
        let insert = if d.file == i || a.can_see(i, d.file) {
            shortest_name(a, i, &scope, &d.full)
        } else {
            // Not imported yet: written relative to the package both share (what resolves once
            // the import is added, unless a nearer name shadows it).
            let mut ours = scope.split('.').peekable();
            let mut rest: Vec<&str> = d.full.split('.').collect();
            while rest.len() > 1 && ours.peek().is_some_and(|p| Some(p) == rest.first()) {
                ours.next();
                rest.remove(0);
            }
            rest.join(".")
        };
        let mut item = json!({
            "label": insert,
            "kind": if d.kind == SymbolKind::Message { 7 } else { 13 },
            "detail": d.full,
            "sortText": format!("0{insert}"),
        });
        if d.file != i && !a.can_see(i, d.file) {
            if let Some(at) = anchor {
                let edit_at = lsp_range(&f.lines, text, Span::new(at as usize, at as usize));
                item["additionalTextEdits"] = json!([{
                    "range": edit_at,
                    "newText": format!("\nimport \"{}\";", file.name),
                }]);
                item["detail"] = json!(format!("{} (adds import \"{}\")", d.full, file.name));
            }
        }
        items.push(item);
    }
    json!({ "isIncomplete": false, "items": items })
}

/// The shortest suffix of `full` that resolves to it from `scope` in file `i`, else `.full`.
fn shortest_name(a: &Analysis, i: usize, scope: &str, full: &str) -> String {
    let parts: Vec<&str> = full.split('.').collect();
    for k in (0..parts.len()).rev() {
        let ident = FullIdent {
            absolute: false,
            parts: parts[k..]
                .iter()
                .map(|p| Ident {
                    name: p.to_string(),
                    span: Span::default(),
                })
                .collect(),
            span: Span::default(),
        };
        if matches!(a.lookup_type(i, &ident, scope), Lookup::Found(found, _) if found == full) {
            return parts[k..].join(".");
        }
    }
    format!(".{full}")
}

/// A type hierarchy item for a class.
fn hierarchy_item(a: &Analysis, full: &str) -> Option<Value> {
    let d = a.def(full)?;
    let f = &a.files[d.file];
    let path = f.path.as_ref()?;
    let text = a.text(d.file);
    let detail = match a.classes.get(full).and_then(|c| c.tag) {
        Some((tag, source)) => format!("{full} = {tag} ({})", source.describe()),
        None => full.to_string(),
    };
    Some(json!({
        "name": full.rsplit('.').next().unwrap_or(full),
        "kind": 5,
        "detail": detail,
        "uri": path_to_uri(path),
        "range": lsp_range(&f.lines, text, d.span),
        "selectionRange": lsp_range(&f.lines, text, d.name_span),
        "data": full,
    }))
}

/// A type hierarchy item for a registered class that no file declares: its registry statement.
fn registered_item(a: &Analysis, r: &Registration) -> Option<Value> {
    let f = &a.files[r.file];
    let path = f.path.as_ref()?;
    let text = a.text(r.file);
    let detail = match r.tag {
        Some(tag) => format!("{} = {tag} (registered, declared in no file)", r.class),
        None => format!("{} (registered, declared in no file)", r.class),
    };
    Some(json!({
        "name": r.class.rsplit('.').next().unwrap_or(&r.class),
        "kind": 5,
        "detail": detail,
        "uri": path_to_uri(path),
        "range": lsp_range(&f.lines, text, r.span),
        "selectionRange": lsp_range(&f.lines, text, r.name_span),
        "data": r.class,
    }))
}

/// `textDocument/prepareTypeHierarchy`: the message at the position (declared or named there).
pub fn prepare_hierarchy(a: &Analysis, i: usize, offset: u32) -> Value {
    match a.at(i, offset) {
        Some(Target::Registration(k)) => {
            registered_item(a, &a.registrations[k]).map_or(Value::Null, |item| json!([item]))
        }
        Some(Target::Name { full, .. })
            if a.def(&full).is_some_and(|d| d.kind == SymbolKind::Message) =>
        {
            hierarchy_item(a, &full).map_or(Value::Null, |item| json!([item]))
        }
        _ => Value::Null,
    }
}

/// `typeHierarchy/supertypes` (the parent) or `typeHierarchy/subtypes` (the direct
/// subclasses, in every file) of the class an item names. A root's subtypes also list the
/// classes it registers that no file of the workspace declares (at their registry statement:
/// their parent is unknown, the root is their nearest known ancestor), and such a class's
/// supertype is that root.
pub fn hierarchy(a: &Analysis, full: &str, supertypes: bool) -> Value {
    let Some(c) = a.classes.get(full) else {
        if supertypes && a.def(full).is_none() {
            let roots = a.registrations.iter().filter(|r| r.class == full);
            return Value::Array(roots.filter_map(|r| hierarchy_item(a, &r.root)).collect());
        }
        return json!([]);
    };
    if supertypes {
        return Value::Array(
            c.parent
                .iter()
                .filter_map(|n| hierarchy_item(a, n))
                .collect(),
        );
    }
    let mut items: Vec<Value> = c
        .children
        .iter()
        .filter_map(|n| hierarchy_item(a, n))
        .collect();
    if c.parent.is_none() {
        items.extend(
            a.registered_not_declared(full)
                .into_iter()
                .filter_map(|r| registered_item(a, r)),
        );
    }
    Value::Array(items)
}

/// What can be renamed: a message, an enum or a field, declared in a file of the workspace.
fn renamable(a: &Analysis, i: usize, offset: u32) -> Option<(&Def, Span)> {
    let Some(Target::Name { full, span, .. }) = a.at(i, offset) else {
        return None;
    };
    let d = a.def(&full)?;
    let ok = matches!(
        d.kind,
        SymbolKind::Message | SymbolKind::Enum | SymbolKind::Field
    ) && a.files[d.file].path.is_some();
    ok.then_some((d, span))
}

/// `textDocument/prepareRename`.
pub fn prepare_rename(a: &Analysis, i: usize, offset: u32) -> Value {
    match renamable(a, i, offset) {
        Some((d, span)) => json!({
            "range": lsp_range(&a.files[i].lines, a.text(i), span),
            "placeholder": d.full.rsplit('.').next().unwrap_or(&d.full),
        }),
        None => Value::Null,
    }
}

/// Whether `name` is a protobuf identifier.
fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `textDocument/rename` of a message, enum or field, in every file that names it; with a
/// warning when the rename changes what ProtoJSON writes (a field's JSON name, a class's
/// `Type` value).
pub fn rename(
    a: &Analysis,
    i: usize,
    offset: u32,
    new_name: &str,
) -> Result<(Value, Option<String>), (i32, String)> {
    const INVALID_PARAMS: i32 = -32602;
    const REQUEST_FAILED: i32 = -32803;
    if !is_ident(new_name) {
        return Err((INVALID_PARAMS, format!("`{new_name}` is not an identifier")));
    }
    let Some((d, _)) = renamable(a, i, offset) else {
        return Err((
            REQUEST_FAILED,
            "only a message, an enum or a field can be renamed".into(),
        ));
    };
    let old = d.full.rsplit('.').next().unwrap_or(&d.full).to_string();
    let mut spans: Vec<(usize, Span)> = vec![(d.file, d.name_span)];
    spans.extend(a.references(&d.full));
    let mut changes: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (file, span) in spans {
        let f = &a.files[file];
        let Some(path) = &f.path else {
            return Err((
                REQUEST_FAILED,
                format!("`{}` is named in a built-in file", d.full),
            ));
        };
        changes.entry(path_to_uri(path)).or_default().push(json!({
            "range": lsp_range(&f.lines, a.text(file), span),
            "newText": new_name,
        }));
    }
    let warning = match d.kind {
        SymbolKind::Field if d.json_name.as_deref() == Some(json_name(&old).as_str()) => {
            let (before, after) = (json_name(&old), json_name(new_name));
            (before != after).then(|| {
                format!("renaming `{old}` changes its JSON name from `{before}` to `{after}`: ProtoJSON written before will not be read into it (add `[json_name = \"{before}\"]` to keep it)")
            })
        }
        SymbolKind::Message if a.classes.get(&d.full).is_some_and(|c| c.parent.is_some()) => {
            let (before, after) = (
                format!("TYPE_{}", names::generated_upper_snake(&old)),
                format!("TYPE_{}", names::generated_upper_snake(new_name)),
            );
            (before != after).then(|| {
                format!("renaming class `{old}` changes its value in the root's `Type` enum from `{before}` to `{after}`: ProtoJSON names enum values, so JSON written before will not read back (the wire format does not change)")
            })
        }
        _ => None,
    };
    Ok((json!({ "changes": changes }), warning))
}

/// `textDocument/formatting`: the whole file as `iprotoc fmt` writes it (nothing when the file
/// does not parse, or is already formatted).
pub fn format(text: &str) -> Value {
    match crate::fmt::format_source(crate::source::FileId(0), text) {
        Ok(formatted) if formatted != text => {
            let lines = crate::lines::LineIndex::new(text);
            json!([{
                "range": lsp_range(&lines, text, Span::new(0, text.len())),
                "newText": formatted,
            }])
        }
        Ok(_) => json!([]),
        Err(_) => Value::Null,
    }
}
