//! Which files a file's own declarations use: the files its type names (field types, map values,
//! extendees, rpc types) and its custom option names resolve to. Oneof style reverses the
//! imports of a hierarchy across files (the parent's file imports its subclasses' files), and a
//! subclass's file keeps its import of the parent's file only when this says it uses it.

use std::collections::HashSet;

use crate::ast::{self, FullIdent};
use crate::resolve::symbols::{qualify, Lookup, LookupMode, SymbolTable};
use crate::source::FileId;

/// A name of the file that resolved to a symbol of another file, with where it was written.
#[derive(Clone, Debug)]
pub struct Use {
    /// The file that declares what it names.
    pub file: FileId,
    /// What it names (full name).
    pub full: String,
    /// Where the name is written.
    pub span: crate::source::Span,
}

/// Every name of `tree` (file `file`) that resolves to a symbol of another file, in source order.
pub fn uses(
    file: FileId,
    tree: &ast::File,
    symbols: &SymbolTable,
    visible: &dyn Fn(FileId) -> bool,
) -> Vec<Use> {
    let package = tree.package_name();
    let mut w = Walker {
        file,
        symbols,
        visible,
        out: Vec::new(),
        seen: HashSet::new(),
    };
    for item in &tree.items {
        match item {
            ast::FileItem::Option(o) => w.option(&o.option, &package),
            ast::FileItem::Message(m) => w.message(m, &package),
            ast::FileItem::Enum(e) => w.enumeration(e, &package),
            ast::FileItem::Extend(x) => w.extend(x, &package),
            ast::FileItem::Service(s) => {
                let scope = qualify(&package, &s.name.name);
                for item in &s.items {
                    match item {
                        ast::ServiceItem::Rpc(r) => {
                            w.name(&r.input, &package, LookupMode::Types);
                            w.name(&r.output, &package, LookupMode::Types);
                            if let Some(body) = &r.body {
                                for o in &body.options {
                                    w.option(&o.option, &scope);
                                }
                            }
                        }
                        ast::ServiceItem::Option(o) => w.option(&o.option, &scope),
                    }
                }
            }
            _ => {}
        }
    }
    w.out
}

struct Walker<'a> {
    file: FileId,
    symbols: &'a SymbolTable,
    visible: &'a dyn Fn(FileId) -> bool,
    out: Vec<Use>,
    seen: HashSet<(u32, u32)>,
}

impl Walker<'_> {
    fn name(&mut self, name: &FullIdent, scope: &str, mode: LookupMode) {
        if let Lookup::Found(full, sym) = self.symbols.lookup(name, scope, mode, self.visible) {
            if sym.file != self.file && self.seen.insert((name.span.start, name.span.end)) {
                self.out.push(Use {
                    file: sym.file,
                    full,
                    span: name.span,
                });
            }
        }
    }

    /// An option's name (every extension in it, `(a).(b.c)` too) and, in an aggregate value,
    /// each extension (`[pkg.ext]: 1`) and `Any` type (`[type.googleapis.com/pkg.M] { … }`):
    /// protoc looks each of them up, which makes their files used.
    fn option(&mut self, o: &ast::OptionAssign, scope: &str) {
        for part in &o.name.parts {
            if let ast::OptionNamePart::Extension(n, _) = part {
                self.name(n, scope, LookupMode::Any);
            }
        }
        if let ast::Constant::Aggregate(m) = &o.value {
            self.message_value(m, scope);
        }
    }

    /// The names in a text-format message value (nesting is bounded by the lexer's limit).
    fn message_value(&mut self, m: &ast::MessageValue, scope: &str) {
        for f in &m.fields {
            match &f.name {
                ast::FieldValueName::Field(_) => {}
                ast::FieldValueName::Extension(n) => self.name(n, scope, LookupMode::Any),
                // protoc resolves the type of an `Any` by its full name, and only under the two
                // prefixes it knows.
                ast::FieldValueName::AnyType {
                    domain, type_name, ..
                } if matches!(domain.as_str(), "type.googleapis.com" | "type.googleprod.com") => {
                    let full = ast::FullIdent {
                        absolute: true,
                        ..type_name.clone()
                    };
                    self.name(&full, scope, LookupMode::Types);
                }
                ast::FieldValueName::AnyType { .. } => {}
            }
            self.text_value(&f.value, scope);
        }
    }

    fn text_value(&mut self, v: &ast::TextValue, scope: &str) {
        match v {
            ast::TextValue::Scalar(_) => {}
            ast::TextValue::Message(m) => self.message_value(m, scope),
            ast::TextValue::List(items, _) => {
                for item in items {
                    self.text_value(item, scope);
                }
            }
        }
    }

    fn options(&mut self, os: &[ast::OptionAssign], scope: &str) {
        for o in os {
            self.option(o, scope);
        }
    }

    fn message(&mut self, m: &ast::Message, scope: &str) {
        let full = qualify(scope, &m.name.name);
        self.body(&m.items, &full);
    }

    fn body(&mut self, items: &[ast::MessageItem], full: &str) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.field(f, full),
                ast::MessageItem::Oneof(o) => {
                    for item in &o.items {
                        match item {
                            ast::OneofItem::Field(f) => self.field(f, full),
                            ast::OneofItem::Option(opt) => self.option(&opt.option, full),
                            ast::OneofItem::Empty(_) => {}
                        }
                    }
                }
                ast::MessageItem::Message(n) => self.message(n, full),
                ast::MessageItem::Enum(e) => self.enumeration(e, full),
                ast::MessageItem::Extend(x) => self.extend(x, full),
                ast::MessageItem::Extensions(x) => self.options(&x.options, full),
                ast::MessageItem::Option(o) => self.option(&o.option, full),
                _ => {}
            }
        }
    }

    fn field(&mut self, f: &ast::Field, scope: &str) {
        match &f.ty {
            ast::FieldType::Named(n) => self.name(n, scope, LookupMode::Types),
            ast::FieldType::Map(map) => self.name(&map.value, scope, LookupMode::Types),
            ast::FieldType::Group { items, .. } => {
                self.body(items, &qualify(scope, &f.name.name));
            }
        }
        self.options(&f.options, scope);
    }

    fn enumeration(&mut self, e: &ast::Enum, scope: &str) {
        let full = qualify(scope, &e.name.name);
        for item in &e.items {
            match item {
                ast::EnumItem::Value(v) => self.options(&v.options, &full),
                ast::EnumItem::Option(o) => self.option(&o.option, &full),
                _ => {}
            }
        }
    }

    fn extend(&mut self, x: &ast::Extend, scope: &str) {
        self.name(&x.extendee, scope, LookupMode::Types);
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                self.field(f, scope);
            }
        }
    }
}
