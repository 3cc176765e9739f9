//! Lowers inheritance to plain protobuf. (stub: owned by the lowering work)
