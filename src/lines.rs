//! Byte offsets ↔ (line, column) positions, with columns counted in UTF-16 code units as the
//! Language Server Protocol counts them (its default `positionEncoding`), or in UTF-8 bytes as
//! protoc's source info does.
//!
//! A leaf: it knows text and nothing of the compiler, so any stage (or tool) that speaks positions
//! can use it. Offsets past the end, or inside a character, are clamped to a character boundary,
//! and positions past the end of a line to the line's end, as LSP asks of a server.

/// The start of every line of one text, for conversions in both directions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of each line (the first is 0).
    starts: Vec<u32>,
    /// The text's length in bytes.
    len: u32,
}

/// A zero-based line and a zero-based column in UTF-16 code units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utf16Position {
    /// The line.
    pub line: u32,
    /// The column, in UTF-16 code units.
    pub column: u32,
}

impl LineIndex {
    /// Indexes the lines of `text` (`\n` ends a line; a `\r` before it belongs to the line).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex {
            starts,
            len: text.len() as u32,
        }
    }

    /// How many lines the text has (an empty text has one).
    #[cfg(test)]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The line holding byte `offset` and the byte offset of that line's start.
    fn line_of(&self, offset: u32) -> (usize, u32) {
        let offset = offset.min(self.len);
        let line = match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        };
        (line, self.starts.get(line).copied().unwrap_or(0))
    }

    /// The LSP position of byte `offset` in `text` (the text this index was built from).
    pub fn position(&self, text: &str, offset: u32) -> Utf16Position {
        let (line, start) = self.line_of(offset);
        let mut end = offset.min(self.len) as usize;
        while end > start as usize && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text
            .get(start as usize..end)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum::<usize>());
        Utf16Position {
            line: line as u32,
            column: column as u32,
        }
    }

    /// The byte offset of an LSP position in `text`: a column past the line's end is the line's
    /// end (before its `\r\n`), a line past the last is the end of the text, and a column inside a
    /// surrogate pair is the start of that character.
    pub fn offset(&self, text: &str, position: Utf16Position) -> u32 {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.len;
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.len, |&e| e);
        let line = text.get(start as usize..end as usize).unwrap_or("");
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            let next = units + c.len_utf16() as u32;
            if next > position.column {
                return start + i as u32;
            }
            units = next;
        }
        start + line.len() as u32
    }

    /// The one-based line and one-based UTF-8 byte column of `offset`, as compilers print them.
    #[cfg(test)]
    pub fn line_col_bytes(&self, offset: u32) -> (u32, u32) {
        let (line, start) = self.line_of(offset);
        (line as u32 + 1, offset.min(self.len) - start + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, column: u32) -> Utf16Position {
        Utf16Position { line, column }
    }

    #[test]
    fn ascii_positions_round_trip() {
        let text = "ab\ncd\n";
        let ix = LineIndex::new(text);
        assert_eq!(ix.line_count(), 3);
        for offset in 0..=text.len() as u32 {
            let p = ix.position(text, offset);
            assert_eq!(ix.offset(text, p), offset, "{p:?}");
        }
        assert_eq!(ix.position(text, 4), pos(1, 1));
        assert_eq!(ix.position(text, 6), pos(2, 0));
    }

    #[test]
    fn columns_count_utf16_units_not_bytes() {
        // é is 2 bytes and 1 unit; 𝄞 is 4 bytes and 2 units (a surrogate pair).
        let text = "// é𝄞x\nmessage A {}";
        let ix = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(ix.position(text, x), pos(0, 6));
        assert_eq!(ix.offset(text, pos(0, 6)), x);
        // Inside the surrogate pair: the start of the character.
        let clef = text.find('𝄞').unwrap() as u32;
        assert_eq!(ix.offset(text, pos(0, 5)), clef);
        // Inside a UTF-8 sequence: clamped back to the character.
        assert_eq!(ix.position(text, clef + 1), pos(0, 4));
        let a = text.find('A').unwrap() as u32;
        assert_eq!(ix.position(text, a), pos(1, 8));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd";
        let ix = LineIndex::new(text);
        assert_eq!(ix.offset(text, pos(0, 99)), 2, "before the \\r\\n");
        assert_eq!(ix.offset(text, pos(9, 0)), text.len() as u32);
        assert_eq!(ix.position(text, 999), pos(1, 2));
        assert_eq!(ix.line_col_bytes(4), (2, 1));
    }
}
