//! Finding declarations in the NEW source by name, to put breaking-change errors on the user's
//! `.iproto` lines. (When the descriptor builder's `SpanMap`s are available this can map
//! descriptor paths instead; names are enough for everything compared here.)

use std::collections::HashMap;

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
                ast::MessageItem::Enum(e) => self.enum_(id, e, full),
                _ => {}
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

    /// A class's tag if pinned, else its `: Base`, else its name.
    pub fn tag(&self, class: &str) -> Option<Place> {
        match self.bases.get(class) {
            Some((_, Some(tag))) => Some(*tag),
            Some((base, None)) => Some(*base),
            None => self.message(class),
        }
    }
}
