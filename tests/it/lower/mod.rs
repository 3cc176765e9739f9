//! Lowering inheritance to plain protobuf: fixtures, wire compatibility of the two styles, and
//! property tests over generated schemas.

mod fixtures;
mod properties;
mod retired;
mod wire;
