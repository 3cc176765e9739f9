//! The symbol table and protobuf's name lookup rules.
