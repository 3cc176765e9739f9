//! Broken token soup from a fixed seed, like protocompile's `pathological3.proto`: shared by the
//! tests of error recovery (`tests/it/parse/errors.rs`) and of memory growth (`tests/it/linear.rs`).

/// xorshift64*: a fixed, dependency-free sequence for the generators below.
pub fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed;
    move || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// About `bytes` of broken token soup, like protocompile's `pathological3.proto`: statement
/// fragments, brackets (more `}` than openers, so that the lexer's nesting limit does not cut
/// the file short), nested comment starts, bad characters.
pub fn token_soup(seed: u64, bytes: usize) -> String {
    const PIECES: &[&str] = &[
        ";",
        ";;;;",
        "}",
        "}",
        "}",
        "}",
        "}",
        "}",
        "{",
        "message a {",
        "extend",
        "option (x) = {",
        "a:",
        "O{x:",
        "=",
        "/*/*x*/",
        "/**/",
        "//c\n",
        "\"s\"",
        "1",
        "0x",
        "09",
        "1e",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "int32 f = 1",
        "reserved 5 to max",
        "enum E {",
        "\u{7f}",
        "\u{ff}",
        "\n",
        " ",
    ];
    let mut next = rng(seed);
    let mut out = String::with_capacity(bytes + 32);
    while out.len() < bytes {
        out.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
    }
    out
}
