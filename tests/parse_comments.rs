//! Comment attachment, checked by example and against protoc's `SourceCodeInfo` on the corpus.

use std::collections::BTreeMap;
use std::path::Path;

use iprotoc::ast::*;
use iprotoc::parse::parse;
use iprotoc::source::FileId;
use prost::Message as _;

/// Every non-empty comment triple in the tree, as (leading, trailing, detached).
type Triple = (Option<String>, Option<String>, Vec<String>);

fn collect(file: &File) -> Vec<Triple> {
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
                MessageItem::Empty(_) => {}
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
                EnumItem::Empty(_) => {}
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
                        ServiceItem::Empty(_) => {}
                    }
                }
            }
            FileItem::Empty(_) => {}
        }
    }
    out
}

#[test]
fn comments_by_example() {
    let text = "// detached\n\n// leading of syntax\nsyntax = \"proto3\"; // trailing of syntax\n\n/* block\n * leading\n */\nmessage A { // trailing of A\n  int32 a = 1; /* trailing a */\n  // leading b\n  int32 b = 2;\n  // before }\n}\n// at the end\n";
    let (file, diags) = parse(FileId(0), text);
    assert!(diags.is_empty());
    let s = file.syntax.as_ref().unwrap();
    assert_eq!(s.comments.leading_detached, [" detached\n"]);
    assert_eq!(s.comments.leading.as_deref(), Some(" leading of syntax\n"));
    assert_eq!(
        s.comments.trailing.as_deref(),
        Some(" trailing of syntax\n")
    );
    let FileItem::Message(a) = &file.items[0] else {
        panic!()
    };
    assert_eq!(a.comments.leading.as_deref(), Some(" block\n leading\n"));
    assert_eq!(a.comments.trailing.as_deref(), Some(" trailing of A\n"));
    let MessageItem::Field(fa) = &a.items[0] else {
        panic!()
    };
    assert_eq!(fa.comments.trailing.as_deref(), Some(" trailing a "));
    let MessageItem::Field(fb) = &a.items[1] else {
        panic!()
    };
    assert_eq!(fb.comments.leading.as_deref(), Some(" leading b\n"));
    // protoc: a comment right before `}` trails the last declaration.
    assert_eq!(fb.comments.trailing.as_deref(), Some(" before }\n"));
    assert_eq!(file.trailing_comments, [" at the end\n"]);
}

fn protoc_comments(corpus: &Path, roots: &str, name: &str, out: &Path) -> Option<Vec<Triple>> {
    let protoc = protoc_bin_vendored::protoc_bin_path().ok()?;
    let mut cmd = std::process::Command::new(protoc);
    for r in roots.split(':') {
        cmd.arg("-I").arg(corpus.join(r));
    }
    cmd.arg("--include_source_info")
        .arg("-o")
        .arg(out)
        .arg(name);
    if !cmd.output().ok()?.status.success() {
        return None;
    }
    let set = prost_types::FileDescriptorSet::decode(std::fs::read(out).ok()?.as_slice()).ok()?;
    let info = set.file.last()?.source_code_info.clone()?;
    Some(
        info.location
            .into_iter()
            .filter(|l| {
                l.leading_comments.is_some()
                    || l.trailing_comments.is_some()
                    || !l.leading_detached_comments.is_empty()
            })
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

/// Compares the comments of every corpus file with protoc's, as multisets (paths aside).
#[test]
fn comments_match_protoc_on_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv"))
        .expect("the shared corpus is missing (../shared/corpus/manifest.tsv)");
    let tmp = tempfile::tempdir().unwrap();
    let (mut same, mut total, mut ours_n, mut theirs_n, mut missing) = (0, 0, 0, 0, 0);
    let mut examples = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[5] != "yes" {
            continue;
        }
        let out = tmp.path().join("out.pb");
        let Some(theirs) = protoc_comments(&corpus, cols[1], cols[4], &out) else {
            continue;
        };
        let bytes = std::fs::read(corpus.join(cols[0]).join(cols[2])).unwrap();
        let (file, _) = parse(FileId(0), &String::from_utf8_lossy(&bytes));
        let ours = collect(&file);
        total += 1;
        let mut count: BTreeMap<&Triple, i64> = BTreeMap::new();
        for t in &theirs {
            *count.entry(t).or_default() += 1;
        }
        for t in &ours {
            *count.entry(t).or_default() -= 1;
        }
        let diff: i64 = count.values().map(|v| v.abs()).sum();
        if diff == 0 {
            same += 1;
        } else {
            missing += diff;
            if examples.len() < 10 {
                let first = count.iter().find(|(_, v)| **v != 0).unwrap();
                examples.push(format!("{}: {:?} x{}", cols[2], first.0, first.1));
            }
        }
        ours_n += ours.len();
        theirs_n += theirs.len();
    }
    eprintln!(
        "comments: {same}/{total} files identical to protoc; {ours_n} commented nodes here, {theirs_n} in protoc, {missing} differences\n{}",
        examples.join("\n")
    );
    assert!(total > 400, "protoc ran on only {total} files");
    assert_eq!(
        same,
        total,
        "files whose comments differ from protoc's:\n{}",
        examples.join("\n")
    );
}
