//! Building descriptors: byte parity with protoc, source info, and the span maps that locate
//! descriptor paths in the source. (Name resolution and option errors are fixtures under
//! `tests/ui/resolve/` and `tests/ui/options/`.)

mod parity;
mod source_info;

use iprotoc::descriptor::{build_phased, DescriptorOptions, FileInput};
use iprotoc::source::{SourceFile, SourceMap};

/// The span map of a built file locates each element's name, number and type.
#[test]
fn spans_locate_elements() {
    let text = "syntax = \"proto3\";\nmessage M {\n  int32 count = 7;\n}\n";
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("s.proto", "s.proto", text));
    let (file, _) = iprotoc::parse::parse(id, text);
    let inputs = [FileInput {
        id,
        name: "s.proto",
        deps: &[],
    }];
    let trees = vec![std::borrow::Cow::Borrowed(&file)];
    let (built, phased) = build_phased(
        &inputs,
        trees,
        &sources,
        &DescriptorOptions::default(),
        None,
    );
    let diags: Vec<_> = [phased.parse, phased.link, phased.options].concat();
    assert!(diags.is_empty());
    let spans = &built.spans[0];
    let at = |path: &[i32]| &text[spans[path].range()];
    assert_eq!(at(&[4, 0, 1]), "M");
    assert_eq!(at(&[4, 0, 2, 0, 1]), "count");
    assert_eq!(at(&[4, 0, 2, 0, 3]), "7");
    assert_eq!(at(&[4, 0, 2, 0, 5]), "int32");
}
