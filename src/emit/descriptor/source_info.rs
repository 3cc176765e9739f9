//! `SourceCodeInfo` from the spans the builder recorded.
//!
//! protoc's parser adds a location each time it starts parsing an element (its
//! `LocationRecorder`s), so locations come in source order, an element before its parts. Spans
//! are `[line, column, end_column]` (or `[line, column, end_line, end_column]` across lines), zero
//! based, columns counted in bytes with tabs advancing to the next multiple of 8, as protoc's
//! tokenizer counts them.
//!
//! This is a first cut: it orders locations by start and path depth, and does not yet attach
//! comments or reproduce protoc's extra locations for interpreted options.

use prost_types::source_code_info::Location;
use prost_types::SourceCodeInfo;

use crate::ast;
use crate::source::{SourceFile, Span, SpanMap};

/// Builds the `SourceCodeInfo` of a file.
pub fn source_code_info(file: &ast::File, spans: &SpanMap, source: &SourceFile) -> SourceCodeInfo {
    let _ = file;
    let mut entries: Vec<(&Vec<i32>, &Span)> = spans.iter().collect();
    entries.sort_by(|a, b| {
        (a.1.start, a.0.len(), std::cmp::Reverse(a.1.end), a.0).cmp(&(
            b.1.start,
            b.0.len(),
            std::cmp::Reverse(b.1.end),
            b.0,
        ))
    });
    let mut location = Vec::with_capacity(entries.len() + 1);
    let text_end = source.text.trim_end().len() as u32;
    let first = source.text.len() - source.text.trim_start().len();
    location.push(Location {
        path: vec![],
        span: span_of(source, Span::new(first, text_end as usize)),
        ..Default::default()
    });
    for (path, span) in entries {
        location.push(Location {
            path: path.clone(),
            span: span_of(source, *span),
            ..Default::default()
        });
    }
    SourceCodeInfo { location }
}

/// protoc's `[line, col, end_col]` / `[line, col, end_line, end_col]`.
pub fn span_of(source: &SourceFile, span: Span) -> Vec<i32> {
    let (l1, c1) = position(source, span.start);
    let (l2, c2) = position(source, span.end);
    if l1 == l2 {
        vec![l1, c1, c2]
    } else {
        vec![l1, c1, l2, c2]
    }
}

/// Zero-based line and protoc column (tabs to the next multiple of 8) of a byte offset.
fn position(source: &SourceFile, offset: u32) -> (i32, i32) {
    let offset = offset.min(source.text.len() as u32);
    let (line, _) = source.line_col(offset);
    let start = source.line_starts()[line as usize] as usize;
    let mut col = 0;
    for b in source.text[start..offset as usize].bytes() {
        if b == b'\t' {
            col += 8 - col % 8;
        } else {
            col += 1;
        }
    }
    (line as i32, col)
}
