//! Finding declarations in the NEW source by name, to put breaking-change errors on the user's
//! `.iproto` lines. (When the descriptor builder's `SpanMap`s are available this can map
//! descriptor paths instead; names are enough for everything compared here.)

use std::collections::{HashMap, HashSet};

use crate::protobuf::names::map_entry_name;
use crate::ast;
use crate::resolve::symbols::qualify;
use crate::source::{FileId, SourceMap, Span};

/// A file and a span in it.
pub type Place = (FileId, Span);

/// Declarations of the new source, by fully qualified name.
#[derive(Debug, Default)]
pub struct Locator {
    /// Messages and enums: the name.
    types: HashMap<String, Place>,
    /// (message, field name): the field's name.
    fields: HashMap<(String, String), Place>,
    /// (enum, value name): the value's name.
    values: HashMap<(String, String), Place>,
    /// Classes: the `: Base` part and the pinned tag, if any.
    bases: HashMap<String, (Place, Option<Place>)>,
    /// Messages whose source declares a nested `enum Type` itself: a plain message that only
    /// looks like a lowered root, compared field by field like any other.
    own_type_enum: HashSet<String>,
    /// (scope, extendee's last name part): the extendee of an `extend` block.
    extends: HashMap<(String, String), Place>,
    /// Where to report what has no place left in the new source: the first file's start.
    fallback: Option<Place>,
}

impl Locator {
    /// Parses the `inputs` of `sources` (the new version) and indexes their declarations.
    pub fn new(sources: &SourceMap, inputs: &[FileId]) -> Locator {
        let mut l = Locator {
            fallback: inputs.first().map(|&f| (f, Span::new(0, 0))),
            ..Locator::default()
        };
        for &id in inputs {
            let (tree, _) = crate::parse::parse(id, &sources.get(id).text);
            let package = tree.package_name();
            for item in &tree.items {
                match item {
                    ast::FileItem::Message(m) => l.add_message(id, m, &package),
                    ast::FileItem::Enum(e) => l.enum_(id, e, &package),
                    ast::FileItem::Extend(x) => l.extend(id, x, &package),
                    _ => {}
                }
            }
        }
        l
    }

    fn add_message(&mut self, id: FileId, m: &ast::Message, scope: &str) {
        let full = qualify(scope, &m.name.name);
        self.types.insert(full.clone(), (id, m.name.span));
        if let Some(b) = &m.base {
            self.bases.insert(
                full.clone(),
                ((id, b.span), b.tag.as_ref().map(|t| (id, t.span))),
            );
        }
        self.body(id, &m.items, &full);
    }

    fn body(&mut self, id: FileId, items: &[ast::MessageItem], full: &str) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.add_field(id, f, full),
                ast::MessageItem::Oneof(o) => {
                    for i in &o.items {
                        if let ast::OneofItem::Field(f) = i {
                            self.add_field(id, f, full);
                        }
                    }
                }
                ast::MessageItem::Message(n) => self.add_message(id, n, full),
                ast::MessageItem::Enum(e) => {
                    if e.name.name == "Type" {
                        self.own_type_enum.insert(full.to_string());
                    }
                    self.enum_(id, e, full)
                }
                ast::MessageItem::Extend(x) => self.extend(id, x, full),
                _ => {}
            }
        }
    }

    /// Extensions are indexed like fields of the scope they are declared in (protobuf puts them
    /// in that scope's namespace, so they cannot clash with its fields).
    fn extend(&mut self, id: FileId, x: &ast::Extend, scope: &str) {
        if let Some(last) = x.extendee.parts.last() {
            self.extends
                .entry((scope.to_string(), last.name.clone()))
                .or_insert((id, x.extendee.span));
        }
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                self.add_field(id, f, scope);
            }
        }
    }

    fn add_field(&mut self, id: FileId, f: &ast::Field, msg: &str) {
        let name = match &f.ty {
            // A group's field is named after the group in lower case.
            ast::FieldType::Group { items, .. } => {
                let group = qualify(msg, &f.name.name);
                self.types.insert(group.clone(), (id, f.name.span));
                self.body(id, items, &group);
                f.name.name.to_ascii_lowercase()
            }
            // A map's entry message is where its key and value are: the map field.
            ast::FieldType::Map(_) => {
                let entry = qualify(msg, &map_entry_name(&f.name.name));
                self.types.insert(entry, (id, f.name.span));
                f.name.name.clone()
            }
            _ => f.name.name.clone(),
        };
        self.fields
            .insert((msg.to_string(), name), (id, f.name.span));
    }

    fn enum_(&mut self, id: FileId, e: &ast::Enum, scope: &str) {
        let full = qualify(scope, &e.name.name);
        self.types.insert(full.clone(), (id, e.name.span));
        for item in &e.items {
            if let ast::EnumItem::Value(v) = item {
                self.values
                    .insert((full.clone(), v.name.name.clone()), (id, v.name.span));
            }
        }
    }

    /// A message or enum (or, when it is gone, the nearest enclosing one that is not).
    pub fn message(&self, full: &str) -> Option<Place> {
        let mut name = full;
        loop {
            if let Some(&p) = self.types.get(name) {
                return Some(p);
            }
            match name.rfind('.') {
                Some(i) => name = &name[..i],
                None => return self.fallback,
            }
        }
    }

    /// A field by name, else its message.
    pub fn field(&self, msg: &str, name: &str) -> Option<Place> {
        self.fields
            .get(&(msg.to_string(), name.to_string()))
            .copied()
            .or_else(|| self.message(msg))
    }

    /// An enum value by name, else its enum.
    pub fn enum_value(&self, enum_: &str, value: &str) -> Option<Place> {
        self.values
            .get(&(enum_.to_string(), value.to_string()))
            .copied()
            .or_else(|| self.message(enum_))
    }

    /// Whether the new source declares `message` as a plain message (known, without `: Base`).
    pub(crate) fn is_plain_message(&self, message: &str) -> bool {
        self.types.contains_key(message) && !self.bases.contains_key(message)
    }

    /// Whether the new source declares `message` (known) and its own nested `enum Type`.
    pub(crate) fn declares_type_enum(&self, message: &str) -> bool {
        self.own_type_enum.contains(message)
    }

    /// An `extend` block of `scope` for `extendee` (fully qualified), else `extendee`, else the
    /// nearest enclosing declaration of `scope`.
    pub(crate) fn extend_block(&self, scope: &str, extendee: &str) -> Option<Place> {
        let last = extendee.rsplit('.').next().unwrap_or(extendee);
        self.extends
            .get(&(scope.to_string(), last.to_string()))
            .or_else(|| self.types.get(scope))
            .or_else(|| self.types.get(extendee))
            .copied()
            .or_else(|| self.message(scope))
    }

    /// A class's tag if pinned, else its `: Base`, else its name.
    pub fn tag(&self, class: &str) -> Option<Place> {
        match self.bases.get(class) {
            Some((_, Some(tag))) => Some(*tag),
            Some((base, None)) => Some(*base),
            None => self.message(class),
        }
    }
}

