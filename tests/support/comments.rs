//! Comment triples of a parsed file and of protoc's source info: shared by the comment tests
//! and the corpus suite.

use std::path::Path;

use iprotoc::ast::*;
use prost::Message as _;

/// Every non-empty comment triple in the tree, as (leading, trailing, detached).
pub type Triple = (Option<String>, Option<String>, Vec<String>);

pub fn collect(file: &File) -> Vec<Triple> {
    let mut out = Vec::new();
    let mut add = |c: &Comments| {
        if c.leading.is_some() || c.trailing.is_some() || !c.leading_detached.is_empty() {
            out.push((
                c.leading.clone(),
                c.trailing.clone(),
                c.leading_detached.clone(),
            ));
        }
    };
    fn message_items(items: &[MessageItem], add: &mut dyn FnMut(&Comments)) {
        for i in items {
            match i {
                MessageItem::Field(f) => field(f, add),
                MessageItem::Oneof(o) => {
                    add(&o.comments);
                    for i in &o.items {
                        match i {
                            OneofItem::Field(f) => field(f, add),
                            OneofItem::Option(o) => add(&o.comments),
                            OneofItem::Empty(_) => {}
                        }
                    }
                }
                MessageItem::Message(m) => message(m, add),
                MessageItem::Enum(e) => enumeration(e, add),
                MessageItem::Extend(e) => extend(e, add),
                MessageItem::Extensions(e) => add(&e.comments),
                MessageItem::Reserved(r) => add(&r.comments),
                MessageItem::Option(o) => add(&o.comments),
                MessageItem::Subclass(s) => add(&s.comments),
            }
        }
    }
    fn field(f: &Field, add: &mut dyn FnMut(&Comments)) {
        add(&f.comments);
        if let FieldType::Group { items, .. } = &f.ty {
            message_items(items, add);
        }
    }
    fn message(m: &Message, add: &mut dyn FnMut(&Comments)) {
        add(&m.comments);
        message_items(&m.items, add);
    }
    fn enumeration(e: &Enum, add: &mut dyn FnMut(&Comments)) {
        add(&e.comments);
        for i in &e.items {
            match i {
                EnumItem::Value(v) => add(&v.comments),
                EnumItem::Option(o) => add(&o.comments),
                EnumItem::Reserved(r) => add(&r.comments),
            }
        }
    }
    fn extend(e: &Extend, add: &mut dyn FnMut(&Comments)) {
        add(&e.comments);
        for i in &e.items {
            if let ExtendItem::Field(f) = i {
                field(f, add);
            }
        }
    }
    if let Some(s) = &file.syntax {
        add(&s.comments);
    }
    for i in &file.items {
        match i {
            FileItem::Package(p) => add(&p.comments),
            FileItem::Import(i) => add(&i.comments),
            FileItem::Option(o) => add(&o.comments),
            FileItem::Message(m) => message(m, &mut add),
            FileItem::Enum(e) => enumeration(e, &mut add),
            FileItem::Extend(e) => extend(e, &mut add),
            FileItem::Service(s) => {
                add(&s.comments);
                for i in &s.items {
                    match i {
                        ServiceItem::Rpc(r) => {
                            add(&r.comments);
                            for o in r.body.iter().flat_map(|b| &b.options) {
                                add(&o.comments);
                            }
                        }
                        ServiceItem::Option(o) => add(&o.comments),
                    }
                }
            }
            FileItem::Empty(_) => {}
        }
    }
    out
}

/// The locations of `info` that carry a comment.
pub fn commented(
    info: prost_types::SourceCodeInfo,
) -> impl Iterator<Item = prost_types::source_code_info::Location> {
    info.location.into_iter().filter(|l| {
        l.leading_comments.is_some()
            || l.trailing_comments.is_some()
            || !l.leading_detached_comments.is_empty()
    })
}

/// The comments protoc records for the last file of `name` compiled with `--include_source_info`
/// (`roots`: include directories under `corpus`, separated by `:`).
pub fn protoc_comments(corpus: &Path, roots: &str, name: &str) -> Option<Vec<Triple>> {
    let roots: Vec<std::path::PathBuf> = roots.split(':').map(|r| corpus.join(r)).collect();
    let roots: Vec<&Path> = roots.iter().map(|r| r.as_path()).collect();
    let set =
        crate::support::protoc::descriptor_set(&roots, &["--include_source_info", name]).ok()?;
    let set = prost_types::FileDescriptorSet::decode(set.as_slice()).ok()?;
    let info = set.file.last()?.source_code_info.clone()?;
    Some(
        commented(info)
            .map(|l| {
                (
                    l.leading_comments,
                    l.trailing_comments,
                    l.leading_detached_comments,
                )
            })
            .collect(),
    )
}
