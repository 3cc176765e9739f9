//! Attaches comments to declarations following protoc's rules. (stub: owned by the parser work)
