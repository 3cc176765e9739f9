//! Building descriptors: name resolution and option errors, byte parity with protoc, and source
//! info.

mod errors;
mod parity;
mod source_info;
