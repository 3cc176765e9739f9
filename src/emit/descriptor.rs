//! Builds `prost_types::FileDescriptorProto`s from lowered files. (stub: owned by the descriptor work)
