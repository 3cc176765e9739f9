//! `breaking`: each `tests/breaking/<case>/` holds `old.iproto` and `new.iproto` (both compiled
//! as `zoo/v1/zoo.iproto`). Each side is lowered by iprotoc and its descriptor set built by the
//! vendored protoc from the lowered text, exactly what `--against` reads; the NEW side is located
//! in the new `.iproto`. The first line of `new.iproto`, `// expect: CODE…`, lists the codes the
//! comparison must report (none: compatible). One snapshot per case holds the findings.

use std::path::Path;

use iprotoc::breaking::{self, Locator};
use iprotoc::diagnostics::{render, Format};
use iprotoc::driver::{Options, Output};
use iprotoc::Style;
use prost::Message as _;
use prost_types::{FileDescriptorProto, FileDescriptorSet};

use crate::support;
use crate::support::stages::compile_one;

const NAME: &str = "zoo/v1/zoo.iproto";

/// Lowers `text` with iprotoc, then has protoc build the descriptors of the lowered file.
fn lowered_descriptors(text: &str, style: Style) -> (Output, Vec<FileDescriptorProto>) {
    let out = compile_one(
        NAME,
        text,
        &Options {
            style,
            ..Options::default()
        },
    );
    assert!(!out.has_errors(), "{}", out.render(Format::Human, false));
    let lowered = &out.proto_files[0];
    let files = [(lowered.name.as_str(), lowered.text.as_str())];
    let bytes = support::protoc::descriptor_set_of(&files, &[], &[&lowered.name])
        .unwrap_or_else(|e| panic!("protoc rejects the lowered file: {e}"));
    (
        out,
        FileDescriptorSet::decode(bytes.as_slice()).unwrap().file,
    )
}

fn run(
    old: &str,
    new: &str,
    old_style: Style,
    new_style: Style,
) -> (Output, Vec<iprotoc::diagnostics::Diagnostic>) {
    let (_, old_fds) = lowered_descriptors(old, old_style);
    let (out, new_fds) = lowered_descriptors(new, new_style);
    let id = out.sources.find(NAME).unwrap();
    let found = breaking::compare(&old_fds, &new_fds, &Locator::new(&out.sources, &[id]));
    (out, found)
}

#[test]
fn pairs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let old = std::fs::read_to_string(case.join("old.iproto")).unwrap();
        let new = std::fs::read_to_string(case.join("new.iproto")).unwrap();
        let expect = new
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect:"))
            .unwrap_or_else(|| panic!("{name}: new.iproto starts with `// expect: CODE…`"));
        let mut want: Vec<&str> = expect.split_whitespace().collect();
        want.sort();
        for (os, ns) in [
            (Style::Extensions, Style::Extensions),
            (Style::Oneof, Style::Oneof),
        ] {
            let (out, found) = run(&old, &new, os, ns);
            let mut got: Vec<&str> = found.iter().map(|d| d.code).collect();
            got.sort();
            assert_eq!(
                got,
                want,
                "{name} ({os:?}):\n{}",
                render(&found, &out.sources, Format::Short, false)
            );
            assert!(found
                .iter()
                .all(|d| d.is_error() && d.primary.is_some() && !d.help.is_empty()));
            if os == Style::Extensions {
                let text = render(&found, &out.sources, Format::Human, false);
                insta::assert_snapshot!(
                    format!("breaking_{name}"),
                    format!("{}\n==========\n{}", new.trim_end(), text.trim_end())
                );
            }
        }
    }
}

#[test]
fn switching_style_is_not_a_break() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking/tag_changed/old.iproto"),
    )
    .unwrap();
    let (_, found) = run(&text, &text, Style::Extensions, Style::Oneof);
    assert!(found.is_empty(), "{found:?}");
    let (_, found) = run(&text, &text, Style::Oneof, Style::Extensions);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn hierarchies_are_recovered_from_lowered_descriptors() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking/tag_changed/new.iproto"),
    )
    .unwrap();
    for style in [Style::Extensions, Style::Oneof] {
        let (_, fds) = lowered_descriptors(&text, style);
        let refs: Vec<&FileDescriptorProto> = fds.iter().collect();
        let hs = breaking::hierarchy::of(&refs);
        let h = &hs["zoo.v1.Animal"];
        assert_eq!(h.discriminator, Some(("type".to_string(), 99)));
        let tags: Vec<(&str, i32, &str)> = h
            .classes
            .iter()
            .map(|(c, k)| (c.as_str(), k.tag, k.parent.as_str()))
            .collect();
        assert_eq!(
            tags,
            [
                ("zoo.v1.Bird", 100, "zoo.v1.Animal"),
                ("zoo.v1.Cat", 101, "zoo.v1.Animal"),
                ("zoo.v1.Kitten", 102, "zoo.v1.Cat"),
            ],
            "{style:?}"
        );
    }
}

/// Elements are matched by full name, never by file path: with OLD's file renamed (moved to
/// another directory, or built with another `-I`) every change is still found, an unrenamed
/// unchanged file is no change, and the summary counts what both versions share.
#[test]
fn files_are_matched_by_full_name_not_path() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking/tag_changed");
    let old = std::fs::read_to_string(case.join("old.iproto")).unwrap();
    let new = std::fs::read_to_string(case.join("new.iproto")).unwrap();
    let (_, mut old_fds) = lowered_descriptors(&old, Style::Extensions);
    let (out, new_fds) = lowered_descriptors(&new, Style::Extensions);
    let id = out.sources.find(NAME).unwrap();
    let locate = Locator::new(&out.sources, &[id]);
    let (by_path, summary) = breaking::compare_summarized(&old_fds, &new_fds, &locate);
    assert_eq!(summary.files, 1);
    assert!(summary.unmatched.is_empty());
    old_fds[0].name = Some("somewhere/else/animals.proto".to_string());
    let (by_name, moved) = breaking::compare_summarized(&old_fds, &new_fds, &locate);
    let codes = |d: &[iprotoc::diagnostics::Diagnostic]| -> Vec<String> {
        d.iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    };
    assert_eq!(codes(&by_name), codes(&by_path));
    assert_eq!(
        by_name
            .iter()
            .filter(|d| d.code == "SUBCLASS_TAG_CHANGED")
            .count(),
        2
    );
    assert_eq!(moved, summary);
    // The same version under another file name: nothing changed, and something was compared
    // (old.iproto has Animal, Cat, Kitten and Animal.Type).
    let (_, same_fds) = lowered_descriptors(&old, Style::Extensions);
    let (found, s) = breaking::compare_summarized(&old_fds, &same_fds, &locate);
    assert!(found.is_empty(), "{found:?}");
    assert!(
        s.files == 1 && s.hierarchies == 1 && s.messages == 3 && s.enums == 1,
        "{s:?}"
    );
    // OLD sharing nothing with the new files compares nothing: `breaking` refuses that.
    old_fds[0].package = Some("farm.v1".to_string());
    let (_, none) = breaking::compare_summarized(&old_fds, &new_fds, &locate);
    assert_eq!(none.files, 0);
    assert_eq!(none.unmatched, [new_fds[0].name().to_string()]);
}
