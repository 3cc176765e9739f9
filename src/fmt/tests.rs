use super::*;

fn fmt(text: &str) -> String {
    let out = format_source(FileId(0), text).unwrap_or_else(|d| panic!("{d:?}"));
    let again = format_source(FileId(0), &out).unwrap();
    assert_eq!(again, out, "not idempotent on\n{out}");
    out
}

#[test]
fn smoke() {
    let out = fmt("syntax='proto2';package  zoo;message Animal{required float weight=1;}\nmessage Cat:Animal=5{optional bool x=1[deprecated=true,(a.b).c={a:1 b<c:2>}];}");
    println!("{out}");
}
