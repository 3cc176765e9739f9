//! protoc's semantic checks over built descriptors.

mod declarations;
mod features;
mod numbers;
mod rules;
