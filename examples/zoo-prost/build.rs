//! Lowers the schemas with iprotoc in oneof style (prost cannot read extensions) and hands the
//! descriptor set to tonic-prost-build, which generates the prost messages and the tonic service.
//! No protoc binary is involved.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fds = iprotoc::Config::new()
        .include("proto") // keeper/v1/*.iproto, *.proto
        .include("..") // zoo.iproto (examples/)
        .style(iprotoc::Style::Oneof)
        .include_source_info(true) // comments become doc comments
        .compile(&["../zoo.iproto", "proto/keeper/v1/keeper.iproto"])?; // also writes the .proto tree into OUT_DIR
    tonic_prost_build::configure().compile_fds(fds)?;
    Ok(())
}
