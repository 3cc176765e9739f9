//! The parser (lexer, grammar, comment attachment, depth check) on arbitrary text: never panics,
//! and a file with errors always says where.
#![no_main]

use iprotoc::parse;
use iprotoc::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (_tree, diags) = parse::parse(FileId(0), &text);
    for d in &diags {
        if let Some(p) = &d.primary {
            assert!(p.location.span.start <= p.location.span.end);
            assert!(p.location.span.end as usize <= text.len());
        }
    }
});
