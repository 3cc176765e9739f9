//! Lowers `../zoo.iproto` with iprotoc in oneof style (prost cannot read extensions) and hands the
//! descriptor set to prost-build. No protoc binary is involved.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fds = iprotoc::Config::new()
        .include("..")
        .style(iprotoc::Style::Oneof)
        .include_source_info(true) // comments become doc comments
        .compile(&["../zoo.iproto"])?; // also writes OUT_DIR/zoo.proto
    prost_build::Config::new().compile_fds(fds)?;
    Ok(())
}
