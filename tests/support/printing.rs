//! Printing and round trips through the parser, shared by the printer tests and the corpus suite.

use iprotoc::parse::parse;
use iprotoc::print::print_file;
use iprotoc::source::FileId;
use prost::Message as _;

/// Parses `text`, failing on any error.
pub fn parse_ok(name: &str, text: &str) -> Result<iprotoc::ast::File, String> {
    let (file, diags) = parse(FileId(0), text);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(format!("{name}: {}", errors.join("; ")))
    }
}

/// parse → print → parse → print: the two printed texts are identical. Returns the first.
pub fn print_stable(name: &str, text: &str) -> Result<String, String> {
    let printed = print_file(&parse_ok(name, text)?, None);
    let reparsed = parse_ok(name, &printed).map_err(|e| format!("{e}\n{printed}"))?;
    let again = print_file(&reparsed, None);
    if again != printed {
        return Err(format!(
            "{name}: printing is not stable:\n--- first\n{printed}\n--- second\n{again}"
        ));
    }
    Ok(printed)
}

/// A comment's text up to what `//` lines cannot express: a block comment (`/* x */`, text
/// ` x `) prints as `// x ` and reads back as ` x \n`, and blank lines lose their spaces.
pub fn normalized(text: &str) -> String {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.join("\n")
}

/// Every comment protoc records for a file (path, leading, trailing, detached), from a
/// descriptor set compiled with `--include_source_info`, [`normalized`].
pub fn comments_of(set: &[u8]) -> Vec<(Vec<i32>, iprotoc::ast::Comments)> {
    let set = prost_types::FileDescriptorSet::decode(set).unwrap();
    let info = set.file[0].source_code_info.clone().unwrap_or_default();
    crate::support::comments::commented(info)
        .map(|l| {
            let comments = iprotoc::ast::Comments::new(iprotoc::ast::CommentText {
                leading_detached: l
                    .leading_detached_comments
                    .iter()
                    .map(|c| normalized(c))
                    .collect(),
                leading: l.leading_comments.as_deref().map(normalized),
                trailing: l.trailing_comments.as_deref().map(normalized),
            });
            (l.path, comments)
        })
        .collect()
}
