//! The lexer on arbitrary text: never panics, every token and diagnostic span lies inside the
//! text on character boundaries, and tokens are in order.
#![no_main]

use iprotoc::lexer;
use iprotoc::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lexed = lexer::lex(FileId(0), &text);
    let mut last = 0;
    for (start, _, end) in &lexed.tokens {
        assert!(start <= end && *end <= text.len());
        assert!(text.is_char_boundary(*start) && text.is_char_boundary(*end));
        assert!(*start >= last, "tokens out of order");
        last = *start;
    }
    for d in &lexed.diagnostics {
        if let Some(p) = &d.primary {
            assert!(p.location.span.start <= p.location.span.end);
            assert!(p.location.span.end as usize <= text.len());
        }
    }
});
