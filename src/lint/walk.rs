//! Collects the declarations of one file as written, with their scopes, so each rule is a loop
//! over one list. Nodes lowering generated (`Origin::Generated`) are skipped, although rules run
//! on pre-lowering trees where there are none: the rule set must never judge generated code.

use std::sync::Arc;

use crate::ast::{self, Ident, Origin};
use crate::resolve::symbols::qualify;

/// A message, or the message of a group (named as written).
pub(crate) struct MessageDecl<'a> {
    /// Its name as written.
    pub name: &'a Ident,
}

/// A field of a message, oneof or extend block.
pub(crate) struct FieldDecl<'a> {
    /// The field.
    pub field: &'a ast::Field,
    /// The scope its type names are looked up from (the enclosing message, or the package for a
    /// top-level extend), shared by the fields of one scope.
    pub scope: Arc<str>,
}

/// Every declaration of a file that rules look at, in source order.
#[derive(Default)]
pub(crate) struct Decls<'a> {
    pub package: Option<&'a ast::Package>,
    pub imports: Vec<&'a ast::Import>,
    pub messages: Vec<MessageDecl<'a>>,
    pub enums: Vec<&'a ast::Enum>,
    pub fields: Vec<FieldDecl<'a>>,
    pub oneofs: Vec<&'a ast::Oneof>,
    pub services: Vec<&'a ast::Service>,
}

/// The declarations of `file` (whose package is `package`).
pub(crate) fn decls<'a>(file: &'a ast::File, package: &str) -> Decls<'a> {
    let mut d = Decls::default();
    for item in &file.items {
        match item {
            ast::FileItem::Package(p) => {
                d.package.get_or_insert(p);
            }
            ast::FileItem::Import(i) => d.imports.push(i),
            ast::FileItem::Message(m) => d.message(m, package),
            ast::FileItem::Enum(e) => d.enum_(e),
            ast::FileItem::Extend(x) => d.extend(x, &Arc::from(package)),
            ast::FileItem::Service(s) => d.services.push(s),
            ast::FileItem::Option(_) | ast::FileItem::Empty(_) => {}
        }
    }
    d
}

impl<'a> Decls<'a> {
    /// Every rpc, with its service, in source order.
    pub fn rpcs(&self) -> impl Iterator<Item = (&'a ast::Service, &'a ast::Rpc)> + '_ {
        self.services.iter().flat_map(|&s| {
            s.items.iter().filter_map(move |item| match item {
                ast::ServiceItem::Rpc(r) => Some((s, r)),
                _ => None,
            })
        })
    }

    /// Every enum value, with its enum, in source order.
    pub fn enum_values(&self) -> impl Iterator<Item = (&'a ast::Enum, &'a ast::EnumValue)> + '_ {
        self.enums
            .iter()
            .flat_map(|&e| e.values().map(move |v| (e, v)))
    }

    fn message(&mut self, m: &'a ast::Message, scope: &str) {
        if m.origin == Origin::Generated {
            return;
        }
        self.messages.push(MessageDecl { name: &m.name });
        self.body(&m.items, &Arc::from(qualify(scope, &m.name.name)));
    }

    fn enum_(&mut self, e: &'a ast::Enum) {
        if e.origin != Origin::Generated {
            self.enums.push(e);
        }
    }

    fn body(&mut self, items: &'a [ast::MessageItem], scope: &Arc<str>) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.field(f, scope),
                ast::MessageItem::Oneof(o) if o.origin == Origin::Source => {
                    self.oneofs.push(o);
                    for item in &o.items {
                        if let ast::OneofItem::Field(f) = item {
                            self.field(f, scope);
                        }
                    }
                }
                ast::MessageItem::Message(n) => self.message(n, scope),
                ast::MessageItem::Enum(e) => self.enum_(e),
                ast::MessageItem::Extend(x) => self.extend(x, scope),
                _ => {}
            }
        }
    }

    fn extend(&mut self, x: &'a ast::Extend, scope: &Arc<str>) {
        if x.origin == Origin::Generated {
            return;
        }
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                self.field(f, scope);
            }
        }
    }

    fn field(&mut self, f: &'a ast::Field, scope: &Arc<str>) {
        if f.origin == Origin::Generated {
            return;
        }
        self.fields.push(FieldDecl {
            field: f,
            scope: Arc::clone(scope),
        });
        if let ast::FieldType::Group { items, .. } = &f.ty {
            self.messages.push(MessageDecl { name: &f.name });
            self.body(items, &Arc::from(qualify(scope, &f.name.name)));
        }
    }
}
