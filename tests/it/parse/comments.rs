//! Comment attachment, checked by example. The comparison with protoc's `SourceCodeInfo` on the
//! real-world corpus is `tests/corpus/comments.rs`.

use iprotoc::ast::*;
use iprotoc::parse::parse;
use iprotoc::source::FileId;

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
