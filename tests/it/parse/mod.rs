//! Lexing and parsing: the grammar, comments, syntax errors and their recovery, and the checks
//! protoc's parser makes beyond the grammar.

mod comments;
mod errors;
mod grammar;
mod rules;
