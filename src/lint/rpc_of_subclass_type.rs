//! `RPC_OF_SUBCLASS_TYPE`: an rpc whose request or response type is a subclass.

use super::field_of_subclass_type::{short, subclasses};
use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "RPC_OF_SUBCLASS_TYPE",
    group: Group::Inheritance,
    summary: "use the root of a hierarchy as an rpc's request or response type, not a subclass: a subclass message lacks the inherited fields",
    doc: DOC,
    check: Check::Source(check),
};

const DOC: &str = r#"**What:** an rpc whose request or response type is a subclass — a message that inherits
from another — instead of the root of its hierarchy. The same hazard as `FIELD_OF_SUBCLASS_TYPE`,
for rpc types.

**Why:** after lowering, the message `Cat` holds only the fields declared in `Cat`; the fields it
inherits live in the root `Animal`, and a whole cat is an `Animal` with `type = TYPE_CAT` and its
`Cat` part attached. An rpc that takes or returns `Cat` sends no `weight` and no `name`, which is
almost never what was meant. It compiles, so this rule warns.

**Example:**

```proto
message Animal { optional string name = 1; }
message Cat : Animal = 100 { optional bool declawed = 1; }
service Shelter {
  rpc Adopt(Cat) returns (Animal);   // warning: the request holds no `name`
}
```

**Fix:** take (or return) the root and check its `type` where a cat is required, or wrap the
root in a request message of its own:

```proto
message AdoptRequest { optional Animal cat = 1; }
service Shelter {
  rpc Adopt(AdoptRequest) returns (Animal);
}
```"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let subclasses = subclasses(cx);
    if subclasses.is_empty() {
        return;
    }
    for f in cx.inputs() {
        let package = f.package();
        for (service, rpc) in f.decls.rpcs() {
            let scope = crate::resolve::symbols::qualify(package, &service.name.name);
            for (what, ty) in [("request", &rpc.input), ("response", &rpc.output)] {
                let Some(full) = cx.resolve_type(f, ty, &scope) else {
                    continue;
                };
                let Some(sub) = subclasses.get(&full) else {
                    continue;
                };
                let root = short(&sub.root, package);
                out.push(
                    Diagnostic::warning(
                        RULE.id,
                        format!(
                            "the {what} type of rpc `{}` is `{}`, a subclass of `{root}`: it holds only the fields `{}` declares, not the ones it inherits",
                            rpc.name.name,
                            ty.to_text(),
                            sub.name
                        ),
                    )
                    .at(f.id(), ty.span, format!("a subclass of `{root}`"))
                    .note(format!(
                        "after lowering, a whole `{}` is the root message `{root}` with `type = {}`; the `{}` message is only its subclass part",
                        sub.name, sub.value, sub.name
                    ))
                    .help(format!(
                        "use `{root}` (and check its `type`), or a {what} message with a field of type `{root}`"
                    )),
                );
            }
        }
    }
}
