//! A generator of valid `.iproto` schemas with hierarchies, driven by [`arbitrary`] bytes.
//!
//! Shared by the property tests (`tests/it/lower/properties.rs`, which feed it proptest's bytes)
//! and the structure-aware fuzz target (`fuzz/fuzz_targets/structured.rs`, which feeds it
//! libFuzzer's).
//! Everything it generates must compile: proto2, proto3 (oneof style only) or editions files with
//! messages nested in messages, subclasses (`: Base`, `: Base = TAG`) of top-level and nested
//! classes, scalar / message / enum / map fields, enums, declared extension ranges, reserved
//! numbers (some inside the subclass range) and comments.
//!
//! Every message is called `K<n>` and every enum `E<n>`, so names are unique in the file and the
//! generated `TYPE_K<n>` values and `k<n>` field names never collide.
#![allow(dead_code)]

use arbitrary::{Result, Unstructured};

/// The file's syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Proto2,
    Proto3,
    Editions,
}

/// protobuf's largest field number.
pub const MAX: u32 = 536_870_911;

/// A field's type.
#[derive(Clone, Debug)]
pub enum Type {
    Scalar(&'static str),
    Message(usize),
    Enum(usize),
    Map(&'static str, Box<Type>),
}

/// A field of a generated message.
#[derive(Clone, Debug)]
pub struct Field {
    pub number: u32,
    /// `optional`, `required`, `repeated` or empty.
    pub label: &'static str,
    pub ty: Type,
    /// In a oneof of this index (`o<index>` in its message), if any.
    pub oneof: Option<u32>,
    pub deprecated: bool,
}

/// A message (a class when it has a base or subclasses).
#[derive(Clone, Debug)]
pub struct Msg {
    /// `K<index>`.
    pub name: String,
    /// The message it is declared in.
    pub container: Option<usize>,
    pub base: Option<usize>,
    pub pinned: Option<u32>,
    pub fields: Vec<Field>,
    /// A declared `extensions lo to hi;` (proto2 and editions).
    pub range: Option<(u32, u32)>,
    /// `reserved` numbers and ranges.
    pub reserved: Vec<(u32, u32)>,
    /// A comment before the declaration.
    pub comment: Option<String>,
}

/// An enum.
#[derive(Clone, Debug)]
pub struct Enum {
    pub name: String,
    pub container: Option<usize>,
    pub values: usize,
}

/// A generated schema.
#[derive(Clone, Debug)]
pub struct Schema {
    pub syntax: Syntax,
    pub package: Option<String>,
    pub msgs: Vec<Msg>,
    pub enums: Vec<Enum>,
}

const SCALARS: &[&str] = &[
    "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
    "sfixed64", "bool", "string", "bytes", "double", "float",
];
const MAP_KEYS: &[&str] = &["int32", "int64", "uint32", "string", "bool", "fixed64"];

impl Schema {
    /// Generates a schema from `u` (any bytes give a valid schema; few bytes a small one).
    pub fn generate(u: &mut Unstructured<'_>) -> Result<Schema> {
        let syntax = *u.choose(&[Syntax::Proto2, Syntax::Proto3, Syntax::Editions])?;
        let package = match u.int_in_range(0..=2)? {
            0 => None,
            1 => Some("p".to_string()),
            _ => Some("a.b".to_string()),
        };
        let mut s = Schema {
            syntax,
            package,
            msgs: Vec::new(),
            enums: Vec::new(),
        };
        let count = u.int_in_range(1..=24)?;
        for _ in 0..count {
            if !s.msgs.is_empty() && u.ratio(1, 5)? {
                let container = s.pick_container(u)?;
                let name = format!("E{}", s.enums.len());
                let values = u.int_in_range(1..=4)?;
                s.enums.push(Enum {
                    name,
                    container,
                    values,
                });
            } else {
                s.add_message(u)?;
            }
        }
        // Fields come last so they can refer to anything.
        for i in 0..s.msgs.len() {
            s.add_fields(u, i)?;
        }
        Ok(s)
    }

    fn pick_container(&self, u: &mut Unstructured<'_>) -> Result<Option<usize>> {
        // Keep nesting shallow enough for protoc (32 levels): at most 6 here.
        Ok(if u.ratio(1, 3)? {
            let c = u.choose_index(self.msgs.len())?;
            (self.depth(c) < 6).then_some(c)
        } else {
            None
        })
    }

    fn depth(&self, mut i: usize) -> usize {
        let mut d = 1;
        while let Some(c) = self.msgs[i].container {
            d += 1;
            i = c;
        }
        d
    }

    fn add_message(&mut self, u: &mut Unstructured<'_>) -> Result<usize> {
        let container = if self.msgs.is_empty() {
            None
        } else {
            self.pick_container(u)?
        };
        let base = if !self.msgs.is_empty() && u.ratio(2, 3)? {
            Some(u.choose_index(self.msgs.len())?)
        } else {
            None
        };
        let range = if self.syntax != Syntax::Proto3 && u.ratio(1, 6)? {
            let lo = *u.choose(&[200, 1000, 5000, 18_990])?;
            // A range reaching into 19000–19999 must go on past it, or it has too few tags.
            let hi = if lo > 18_000 || u.ratio(1, 2)? {
                MAX
            } else {
                lo + 499
            };
            Some((lo, hi))
        } else {
            None
        };
        let mut reserved = Vec::new();
        if u.ratio(1, 4)? {
            reserved.push((91, u.int_in_range(91..=98)?));
        }
        if range.is_none() && u.ratio(1, 4)? {
            let lo = u.int_in_range(100..=110)?;
            let hi = lo + u.int_in_range(0..=3)?;
            // A class's reservations among its subclass tags retire them in the whole hierarchy
            // (SUBCLASS_TAG_RETIRED): not over a tag pinned in it already.
            let pinned_there = base.is_some_and(|b| {
                let root = self.root_of(b);
                self.msgs.iter().any(|m| {
                    m.pinned.is_some_and(|t| lo <= t && t <= hi)
                        && m.base.is_some_and(|mb| self.root_of(mb) == root)
                })
            });
            if !pinned_there {
                reserved.push((lo, hi));
            }
        }
        let i = self.msgs.len();
        self.msgs.push(Msg {
            name: format!("K{i}"),
            container,
            base,
            pinned: None,
            fields: Vec::new(),
            range,
            reserved,
            comment: u.ratio(1, 4)?.then(|| format!("K{i} says hello.")),
        });
        if let Some(b) = base {
            if u.ratio(1, 3)? {
                self.msgs[i].pinned = self.pick_free_tag(u, b)?;
            }
        }
        Ok(i)
    }

    /// A pinned tag for a new subclass of `parent`: in its range, outside 19000–19999, not
    /// reserved in the parent or the root, and not pinned already in the hierarchy.
    fn pick_free_tag(&self, u: &mut Unstructured<'_>, parent: usize) -> Result<Option<u32>> {
        let (lo, hi) = self.subclass_range(parent);
        let root = self.root_of(parent);
        for _ in 0..4 {
            let tag = match u.int_in_range(0..=3)? {
                0 => hi,
                1 => lo.saturating_add(u.int_in_range(1000..=30_000)?).min(hi),
                _ => lo + u.int_in_range(0..=40)?,
            };
            // Reserved in the parent or the root (TAG_RESERVED), or in any class of the hierarchy
            // without a range of its own (a retired tag: SUBCLASS_TAG_RETIRED).
            let reserves = |m: usize| {
                self.msgs[m]
                    .reserved
                    .iter()
                    .any(|&(a, b)| a <= tag && tag <= b)
            };
            let taken = (19_000..=19_999).contains(&tag)
                || [parent, root].iter().any(|&m| reserves(m))
                || (0..self.msgs.len()).any(|m| {
                    (m == root || self.msgs[m].base.is_some_and(|b| self.root_of(b) == root))
                        && reserves(m)
                })
                || self.msgs.iter().any(|m| {
                    m.pinned == Some(tag) && m.base.is_some_and(|b| self.root_of(b) == root)
                });
            if !taken {
                return Ok(Some(tag));
            }
        }
        Ok(None)
    }

    /// The range subclasses of `m` take their tags from.
    pub fn subclass_range(&self, m: usize) -> (u32, u32) {
        self.msgs[m].range.unwrap_or((100, MAX))
    }

    /// The root of `m`'s hierarchy (`m` itself when it has no base).
    pub fn root_of(&self, mut m: usize) -> usize {
        while let Some(b) = self.msgs[m].base {
            m = b;
        }
        m
    }

    /// Whether any message inherits from `m`.
    pub fn has_subclasses(&self, m: usize) -> bool {
        self.msgs.iter().any(|x| x.base == Some(m))
    }

    /// Whether the file uses inheritance at all.
    pub fn has_inheritance(&self) -> bool {
        self.msgs.iter().any(|m| m.base.is_some())
    }

    fn add_fields(&mut self, u: &mut Unstructured<'_>, i: usize) -> Result<()> {
        let count = u.int_in_range(0..=6)?;
        let mut number = 0;
        let mut oneofs = 0;
        for _ in 0..count {
            number += u.int_in_range(1..=12)?;
            if number > 90 {
                break;
            }
            let ty = self.pick_type(u, true)?;
            let is_map = matches!(ty, Type::Map(..));
            // A oneof's fields are written together: join the previous field's oneof or open a
            // new one.
            let previous = self.msgs[i].fields.last().and_then(|f| f.oneof);
            let oneof = if !is_map && u.ratio(1, 6)? {
                if previous.is_none() || u.ratio(1, 2)? {
                    oneofs += 1;
                }
                Some(oneofs)
            } else {
                None
            };
            let label = if is_map || oneof.is_some() {
                ""
            } else {
                match (self.syntax, u.int_in_range(0..=5)?) {
                    (_, 0 | 1) => "repeated",
                    (Syntax::Proto2, 2) => "required",
                    (Syntax::Proto2, _) => "optional",
                    (Syntax::Proto3, 2) => "optional",
                    _ => "",
                }
            };
            let deprecated = u.ratio(1, 10)?;
            self.msgs[i].fields.push(Field {
                number,
                label,
                ty,
                oneof,
                deprecated,
            });
        }
        // Numbers reserved below 99 must not be used by a field.
        let reserved = self.msgs[i].reserved.clone();
        self.msgs[i].fields.retain(|f| {
            !reserved
                .iter()
                .any(|&(a, b)| a <= f.number && f.number <= b)
        });
        Ok(())
    }

    fn pick_type(&self, u: &mut Unstructured<'_>, allow_map: bool) -> Result<Type> {
        Ok(match u.int_in_range(0..=9)? {
            0..=5 => Type::Scalar(u.choose(SCALARS)?),
            6 | 7 => Type::Message(u.choose_index(self.msgs.len())?),
            8 if !self.enums.is_empty() => Type::Enum(u.choose_index(self.enums.len())?),
            9 if allow_map => Type::Map(u.choose(MAP_KEYS)?, Box::new(self.pick_type(u, false)?)),
            _ => Type::Scalar("string"),
        })
    }

    /// Appends, at the end of the file, an unpinned subclass `K<n>` of `parent` with one field;
    /// returns its index.
    pub fn append_subclass(&mut self, parent: usize) -> usize {
        let i = self.msgs.len();
        self.msgs.push(Msg {
            name: format!("K{i}"),
            container: None,
            base: Some(parent),
            pinned: None,
            fields: vec![Field {
                number: 1,
                label: if self.syntax == Syntax::Proto2 {
                    "optional"
                } else {
                    ""
                },
                ty: Type::Scalar("int32"),
                oneof: None,
                deprecated: false,
            }],
            range: None,
            reserved: Vec::new(),
            comment: None,
        });
        i
    }

    /// `K3`, `K0.K3`: the message's name inside its package.
    pub fn path(&self, m: usize) -> String {
        match self.msgs[m].container {
            Some(c) => format!("{}.{}", self.path(c), self.msgs[m].name),
            None => self.msgs[m].name.clone(),
        }
    }

    /// The fully qualified name without the leading dot (`p.K0.K3`).
    pub fn full_name(&self, m: usize) -> String {
        match &self.package {
            Some(p) => format!("{p}.{}", self.path(m)),
            None => self.path(m),
        }
    }

    fn enum_full_name(&self, e: usize) -> String {
        let local = match self.enums[e].container {
            Some(c) => format!("{}.{}", self.path(c), self.enums[e].name),
            None => self.enums[e].name.clone(),
        };
        match &self.package {
            Some(p) => format!("{p}.{local}"),
            None => local,
        }
    }

    /// How a reference to message `m` is written: the simple name for a top-level message, else
    /// the fully qualified name.
    fn message_ref(&self, m: usize) -> String {
        if self.msgs[m].container.is_none() {
            self.msgs[m].name.clone()
        } else {
            format!(".{}", self.full_name(m))
        }
    }

    fn type_text(&self, ty: &Type) -> String {
        match ty {
            Type::Scalar(s) => s.to_string(),
            Type::Message(m) => self.message_ref(*m),
            Type::Enum(e) => format!(".{}", self.enum_full_name(*e)),
            Type::Map(k, v) => format!("map<{k}, {}>", self.type_text(v)),
        }
    }

    /// The `.iproto` text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(match self.syntax {
            Syntax::Proto2 => "syntax = \"proto2\";\n",
            Syntax::Proto3 => "syntax = \"proto3\";\n",
            Syntax::Editions => "edition = \"2023\";\n",
        });
        if let Some(p) = &self.package {
            out.push_str(&format!("package {p};\n"));
        }
        for m in (0..self.msgs.len()).filter(|&m| self.msgs[m].container.is_none()) {
            self.render_message(m, 0, &mut out);
        }
        for e in (0..self.enums.len()).filter(|&e| self.enums[e].container.is_none()) {
            self.render_enum(e, 0, &mut out);
        }
        out
    }

    fn render_enum(&self, e: usize, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        let name = &self.enums[e].name;
        out.push_str(&format!("{pad}enum {name} {{\n"));
        for v in 0..self.enums[e].values {
            out.push_str(&format!("{pad}  {name}_V{v} = {v};\n"));
        }
        out.push_str(&format!("{pad}}}\n"));
    }

    fn render_message(&self, m: usize, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        let msg = &self.msgs[m];
        if let Some(c) = &msg.comment {
            out.push_str(&format!("{pad}// {c}\n"));
        }
        out.push_str(&format!("{pad}message {}", msg.name));
        if let Some(b) = msg.base {
            out.push_str(&format!(" : {}", self.message_ref(b)));
            if let Some(t) = msg.pinned {
                out.push_str(&format!(" = {t}"));
            }
        }
        out.push_str(" {\n");
        let mut open_oneof = None;
        for f in &msg.fields {
            if open_oneof != f.oneof {
                if open_oneof.is_some() {
                    out.push_str(&format!("{pad}  }}\n"));
                }
                if let Some(o) = f.oneof {
                    out.push_str(&format!("{pad}  oneof o{o} {{\n"));
                }
                open_oneof = f.oneof;
            }
            let inner = if f.oneof.is_some() { "    " } else { "  " };
            let label = if f.label.is_empty() {
                String::new()
            } else {
                format!("{} ", f.label)
            };
            let options = if f.deprecated {
                " [deprecated = true]"
            } else {
                ""
            };
            out.push_str(&format!(
                "{pad}{inner}{label}{} f{} = {}{options};\n",
                self.type_text(&f.ty),
                f.number,
                f.number
            ));
        }
        if open_oneof.is_some() {
            out.push_str(&format!("{pad}  }}\n"));
        }
        for &(a, b) in &msg.reserved {
            if a == b {
                out.push_str(&format!("{pad}  reserved {a};\n"));
            } else {
                out.push_str(&format!("{pad}  reserved {a} to {b};\n"));
            }
        }
        if let Some((lo, hi)) = msg.range {
            let hi = if hi == MAX {
                "max".to_string()
            } else {
                hi.to_string()
            };
            out.push_str(&format!("{pad}  extensions {lo} to {hi};\n"));
        }
        for n in (0..self.msgs.len()).filter(|&n| self.msgs[n].container == Some(m)) {
            self.render_message(n, depth + 1, out);
        }
        for e in (0..self.enums.len()).filter(|&e| self.enums[e].container == Some(m)) {
            self.render_enum(e, depth + 1, out);
        }
        out.push_str(&format!("{pad}}}\n"));
    }
}
