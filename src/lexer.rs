//! Tokens (logos) and the adapter LALRPOP wants. (stub: owned by the parser work)
