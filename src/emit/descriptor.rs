//! Builds `prost_types::FileDescriptorProto`s from lowered files. (stub: owned by the descriptor work)
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap, SpanMap};

/// One file to build.
pub struct FileInput<'a> {
    /// Its id in the source map.
    pub id: FileId,
    /// Name in the descriptor (`zoo.proto`).
    pub name: &'a str,
    /// The lowered tree.
    pub ast: &'a ast::File,
    /// For each `import` statement in source order: the file it resolved to.
    pub deps: &'a [Option<FileId>],
}

/// Descriptor options.
#[derive(Clone, Copy, Debug, Default)]
pub struct DescriptorOptions {
    /// Fill `source_code_info`.
    pub include_source_info: bool,
}

/// Built descriptors.
#[derive(Clone, Debug, Default)]
pub struct Built {
    /// One per input, same order.
    pub files: Vec<prost_types::FileDescriptorProto>,
    /// Where each element was written, per file.
    pub spans: Vec<SpanMap>,
    /// Each file serialized exactly as protoc serializes it.
    pub encoded: Vec<Vec<u8>>,
}

impl Built {
    /// A serialized `FileDescriptorSet` of the files at these indices, in the order given.
    pub fn descriptor_set(&self, indices: impl IntoIterator<Item = usize>) -> Vec<u8> {
        let mut out = Vec::new();
        for i in indices {
            prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut out);
            prost::encoding::encode_varint(self.encoded[i].len() as u64, &mut out);
            out.extend_from_slice(&self.encoded[i]);
        }
        out
    }
}

/// Builds descriptors for files in dependency order.
pub fn build(
    files: &[FileInput],
    sources: &SourceMap,
    opts: &DescriptorOptions,
) -> (Built, Vec<Diagnostic>) {
    let _ = (sources, opts);
    let files: Vec<_> = files
        .iter()
        .map(|f| prost_types::FileDescriptorProto {
            name: Some(f.name.to_string()),
            ..Default::default()
        })
        .collect();
    let spans = files.iter().map(|_| SpanMap::new()).collect();
    let encoded = files.iter().map(prost::Message::encode_to_vec).collect();
    (
        Built {
            files,
            spans,
            encoded,
        },
        Vec::new(),
    )
}
