//! The library's stages one at a time — load and parse, symbols, lowering, descriptors — for the
//! tests that look between them (descriptor parity and source info, lowering with errors, the
//! corpus suite), and the one in-memory compile helper for the rest: the tests' one loader.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use iprotoc::ast;

use iprotoc::descriptor::{build_phased, Built, DescriptorOptions, FileInput};
use iprotoc::diagnostics::{render, Diagnostic, Format};
use iprotoc::driver::{compile, Options, Output};
use iprotoc::fs::FsResolver;
use iprotoc::lower::{lower_file, Style};
use iprotoc::resolve::symbols::SymbolTable;
use iprotoc::source::{FileId, FileResolver, ResolveError, ResolvedFile, SourceFile, SourceMap};
use iprotoc::MemoryResolver;
use prost::Message as _;

/// Compiles `inputs` among `files` (name, contents) held in memory, the whole pipeline.
pub fn compile_files<T: AsRef<[u8]>>(
    files: &[(&str, T)],
    inputs: &[&str],
    options: &Options,
) -> Output {
    let mut resolver = MemoryResolver::new();
    for (name, contents) in files {
        resolver.add(*name, contents.as_ref());
    }
    let inputs: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
    compile(&resolver, &inputs, options)
}

/// Compiles one file, `name` with `text`, from memory.
pub fn compile_one(name: &str, text: impl AsRef<[u8]>, options: &Options) -> Output {
    compile_files(&[(name, text.as_ref())], &[name], options)
}

/// One loaded file: its id, its name, its tree, and the files its imports name, in order.
pub struct File {
    pub id: FileId,
    pub name: String,
    pub ast: ast::File,
    pub deps: Vec<Option<FileId>>,
}

/// Files loaded for one compilation, each after the files it imports.
pub struct Loaded {
    pub sources: SourceMap,
    pub files: Vec<File>,
    /// The files asked for, in the order asked.
    pub inputs: Vec<FileId>,
}

/// Loads `names` and, depth first, everything they import, from the include directories
/// `roots` and then protoc's own (for the well-known types). Fails on a file that is missing,
/// an import cycle, or a syntax error.
pub fn load(roots: &[impl AsRef<Path>], names: &[impl AsRef<str>]) -> Result<Loaded, String> {
    let mut dirs: Vec<PathBuf> = roots.iter().map(|r| r.as_ref().to_path_buf()).collect();
    dirs.push(crate::support::protoc::include());
    let resolver = FsResolver::new(dirs);
    let mut l = Loaded {
        sources: SourceMap::new(),
        files: Vec::new(),
        inputs: Vec::new(),
    };
    let mut index = HashMap::new();
    for name in names {
        let id = l.load_one(&resolver, name.as_ref(), &mut index)?;
        l.inputs.push(id);
    }
    Ok(l)
}

impl Loaded {
    fn load_one(
        &mut self,
        resolver: &dyn FileResolver,
        name: &str,
        index: &mut HashMap<String, Option<FileId>>,
    ) -> Result<FileId, String> {
        if let Some(id) = index.get(name) {
            return id.ok_or_else(|| format!("import cycle at {name}"));
        }
        let found = resolver.open(name).map_err(|e| format!("{name}: {e}"))?;
        let text = String::from_utf8_lossy(&found.contents).into_owned();
        let id = self
            .sources
            .add(SourceFile::new(name, found.display_path, text.clone()));
        index.insert(name.to_string(), None);
        let (file, diags) = iprotoc::parse::parse(id, &text);
        if let Some(d) = diags.iter().find(|d| d.is_error()) {
            return Err(format!("{name}: parse error: {}", d.message));
        }
        let mut deps = Vec::new();
        for item in &file.items {
            if let ast::FileItem::Import(i) = item {
                deps.push(Some(self.load_one(resolver, &i.path.to_text(), index)?));
            }
        }
        index.insert(name.to_string(), Some(id));
        self.files.push(File {
            id,
            name: name.to_string(),
            ast: file,
            deps,
        });
        Ok(id)
    }

    /// Where the file `id` is in [`Loaded::files`] (and so in a built descriptor set).
    pub fn position(&self, id: FileId) -> usize {
        self.files.iter().position(|f| f.id == id).unwrap()
    }

    /// The descriptor builder over every file (no lowering, which leaves plain `.proto` files
    /// alone, and no validation).
    pub fn build(&self, include_source_info: bool) -> (Built, Vec<Diagnostic>) {
        let inputs: Vec<FileInput> = self
            .files
            .iter()
            .map(|f| FileInput {
                id: f.id,
                name: &f.name,
                deps: &f.deps,
            })
            .collect();
        let trees = self.files.iter().map(|f| Cow::Borrowed(&f.ast)).collect();
        let options = DescriptorOptions {
            include_source_info,
            ..Default::default()
        };
        let (built, phased) = build_phased(&inputs, trees, &self.sources, &options, None);
        let mut diags = phased.parse;
        diags.extend(phased.link);
        diags.extend(phased.options);
        (built, diags)
    }

    /// [`Loaded::build`], failing with the first error.
    pub fn build_ok(&self, include_source_info: bool) -> Result<Built, String> {
        let (built, diags) = self.build(include_source_info);
        match diags.iter().find(|d| d.is_error()) {
            Some(d) => Err(format!("{}: {}", d.code, d.message)),
            None => Ok(built),
        }
    }

    /// The symbol table of every file, which must build without a diagnostic.
    pub fn symbols(&self) -> SymbolTable {
        let (symbols, diags) = SymbolTable::build(self.files.iter().map(|f| (f.id, &f.ast)));
        assert!(diags.is_empty(), "{}", self.render(&diags));
        symbols
    }

    /// Lowers the file `id` in `style`, seeing itself and what it imports.
    pub fn lower(
        &self,
        symbols: &SymbolTable,
        id: FileId,
        style: Style,
    ) -> (ast::File, Vec<Diagnostic>) {
        let file = &self.files[self.position(id)];
        let visible = |f: FileId| f == id || file.deps.contains(&Some(f));
        lower_file(id, &file.ast, symbols, &visible, style)
    }

    /// `diags` rendered for a person.
    pub fn render(&self, diags: &[Diagnostic]) -> String {
        render(diags, &self.sources, Format::Human, false)
    }
}

/// The first place two descriptor sets differ, as a readable path.
pub fn first_difference(ours: &[u8], theirs: &[u8]) -> String {
    let decode = |bytes| prost_types::FileDescriptorSet::decode(bytes).ok();
    let (Some(a), Some(b)) = (decode(ours), decode(theirs)) else {
        return "undecodable".into();
    };
    let a = format!("{a:#?}");
    let b = format!("{b:#?}");
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    for i in 0..al.len().max(bl.len()) {
        if al.get(i) != bl.get(i) {
            let context: Vec<&str> = bl[i.saturating_sub(3)..(i + 1).min(bl.len())].to_vec();
            return format!(
                "line {i}: ours {:?} protoc {:?}\n      context: {}",
                al.get(i).map(|s| s.trim()),
                bl.get(i).map(|s| s.trim()),
                context.join(" | ")
            );
        }
    }
    "same structure, different bytes (option encoding or editions fields)".into()
}

/// The fixture directory `tests/<dir>`, from the package root.
pub fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir)
}

/// The include directories' resolver, with one file's text replaced.
pub struct Overlay<'a> {
    /// The include directories.
    pub inner: &'a FsResolver,
    /// The file whose text is replaced.
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
}

impl FileResolver for Overlay<'_> {
    fn open(&self, name: &str) -> Result<ResolvedFile, ResolveError> {
        if name == self.name {
            return Ok(ResolvedFile {
                name: name.to_string(),
                display_path: name.to_string(),
                contents: self.text.as_bytes().to_vec(),
            });
        }
        self.inner.open(name)
    }
}
