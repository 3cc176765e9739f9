//! Oneofs, including the synthetic ones behind proto3 `optional`.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `ONEOF_EMPTY` | a oneof without fields | `CrossLinkMessage` |
//! | `ONEOF_NOT_CONSECUTIVE` | a oneof's fields interleaved with other fields (the parser never produces this; hand-built descriptors can) | `CrossLinkMessage` |
//! | `ONEOF_INDEX_OUT_OF_RANGE` | a field pointing at a oneof that does not exist | `BuildFieldOrExtension` |
//! | `ONEOF_FIELD_LABEL` | a oneof member that is not `LABEL_OPTIONAL` | `CrossLinkField` |
//! | `PROTO3_OPTIONAL_MISPLACED` | `proto3_optional` outside proto3, or not alone in its oneof | `BuildFieldOrExtension`, `CrossLinkMessage` |
//! | `SYNTHETIC_ONEOF_ORDER` | a real oneof after a synthetic one | `CrossLinkMessage` |

use super::{sub, tag, Checker, Edition, FileCx, MessageCx};
use crate::diagnostics::Diagnostic;

/// Oneof rules of one message.
pub(crate) fn check_message(ck: &mut Checker, f: &FileCx, mx: &MessageCx) {
    let (m, path, full_name) = (mx.proto, mx.path, mx.full_name);
    let opath = |i: usize| sub(path, &[tag::MSG_ONEOF, i as i32]);
    let fpath = |i: usize, c: i32| sub(path, &[tag::MSG_FIELD, i as i32, c]);
    let n_oneofs = m.oneof_decl.len();
    let mut counts = vec![0usize; n_oneofs];
    let mut optional_members = vec![0usize; n_oneofs];
    let mut last_index: Option<i32> = None;
    let mut done = vec![false; n_oneofs];
    for (i, field) in m.field.iter().enumerate() {
        let fname = field.name.as_deref().unwrap_or("");
        let Some(o) = field.oneof_index else {
            if let Some(prev) = last_index.take() {
                if let Some(d) = done.get_mut(prev as usize) {
                    *d = true;
                }
            }
            if field.proto3_optional == Some(true) {
                misplaced_optional(ck, f, &fpath(i, tag::FIELD_LABEL), fname);
            }
            continue;
        };
        if o < 0 || o as usize >= n_oneofs {
            ck.push(
                Diagnostic::error(
                    "ONEOF_INDEX_OUT_OF_RANGE",
                    format!(
                        "FieldDescriptorProto.oneof_index {o} is out of range for type \"{}\".",
                        m.name.as_deref().unwrap_or("")
                    ),
                )
                .at(f.id, f.span(&fpath(i, tag::FIELD_NAME)), "no such oneof"),
            );
            continue;
        }
        let oi = o as usize;
        if let Some(prev) = last_index {
            if prev != o {
                if let Some(d) = done.get_mut(prev as usize) {
                    *d = true;
                }
            }
        }
        if done[oi] {
            let prev_field = &m.field[i - 1];
            let oname = m.oneof_decl[oi].name.as_deref().unwrap_or("");
            let pname = prev_field.name.as_deref().unwrap_or("");
            ck.push(
                Diagnostic::error(
                    "ONEOF_NOT_CONSECUTIVE",
                    format!(
                        "Fields in the same oneof must be defined consecutively. \"{pname}\" \
                         cannot be defined before the completion of the \"{oname}\" oneof \
                         definition."
                    ),
                )
                .at(
                    f.id,
                    f.span(&fpath(i - 1, tag::FIELD_NAME)),
                    "interrupts the oneof",
                )
                .also(f.id, f.span(&opath(oi)), "oneof declared here")
                .help(format!("move `{pname}` out of the middle of `{oname}`")),
            );
        }
        last_index = Some(o);
        counts[oi] += 1;
        if field.proto3_optional == Some(true) {
            optional_members[oi] += 1;
            if f.edition != Edition::PROTO3 {
                ck.push(
                    Diagnostic::error(
                        "PROTO3_OPTIONAL_MISPLACED",
                        format!(
                            "The [proto3_optional=true] option may only be set on proto3fields, \
                             not {}",
                            super::qualify(full_name, fname)
                        ),
                    )
                    .at(
                        f.id,
                        f.span(&fpath(i, tag::FIELD_LABEL)),
                        "only valid in proto3",
                    ),
                );
            }
        }
        if field.label.is_some()
            && field.label != Some(prost_types::field_descriptor_proto::Label::Optional as i32)
        {
            ck.push(
                Diagnostic::error(
                    "ONEOF_FIELD_LABEL",
                    "Fields of oneofs must themselves have label LABEL_OPTIONAL.",
                )
                .at(
                    f.id,
                    f.span(&fpath(i, tag::FIELD_LABEL)),
                    "not allowed in a oneof",
                )
                .help("remove the label: oneof members are always singular"),
            );
        }
    }
    let synthetic: Vec<bool> = (0..n_oneofs)
        .map(|i| counts[i] == 1 && optional_members[i] == 1)
        .collect();
    for (i, field) in m.field.iter().enumerate() {
        if field.proto3_optional == Some(true) {
            if let Some(o) = field.oneof_index {
                if (o as usize) < n_oneofs && !synthetic[o as usize] {
                    let fname = field.name.as_deref().unwrap_or("");
                    misplaced_optional(ck, f, &fpath(i, tag::FIELD_LABEL), fname);
                }
            }
        }
    }
    for (i, o) in m.oneof_decl.iter().enumerate() {
        let oname = o.name.as_deref().unwrap_or("");
        if counts[i] == 0 {
            ck.push(
                Diagnostic::error("ONEOF_EMPTY", "Oneof must have at least one field.")
                    .at(
                        f.id,
                        f.span(&sub(&opath(i), &[tag::ONEOF_NAME])),
                        "empty oneof",
                    )
                    .help(format!("add a field to `{oname}` or remove it")),
            );
        }
    }
    if let Some(first_synth) = synthetic.iter().position(|&s| s) {
        for (i, &synth) in synthetic.iter().enumerate().skip(first_synth + 1) {
            if !synth {
                ck.push(
                    Diagnostic::error(
                        "SYNTHETIC_ONEOF_ORDER",
                        "Synthetic oneofs must be after all other oneofs",
                    )
                    .at(
                        f.id,
                        f.span(&opath(i)),
                        "declared after a synthetic oneof",
                    ),
                );
            }
        }
    }
}

fn misplaced_optional(ck: &mut Checker, f: &FileCx, at: &[i32], fname: &str) {
    ck.push(
        Diagnostic::error(
            "PROTO3_OPTIONAL_MISPLACED",
            "Fields with proto3_optional set must be a member of a one-field oneof",
        )
        .at(f.id, f.span(at), format!("`{fname}` is proto3 optional")),
    );
}
