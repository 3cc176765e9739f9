#!/usr/bin/env node
// Tokenizes every .iproto and .proto file of the repository's examples/ (and test/fixtures/,
// contextual keywords) with the extension's
// TextMate grammar, through vscode-textmate and vscode-oniguruma (the libraries VS Code itself
// uses), and compares the tokens with the snapshots in test/snapshots/.
//
//   node test/grammar.js            compare (exit 1 on any difference, listing the files)
//   node test/grammar.js --update   rewrite the snapshots
//
// A snapshot has each source line, then one line per token: its text and its scopes (without
// the root scope).
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = __dirname;
const root = path.resolve(here, "..");
const examples = path.resolve(root, "../../examples");
const snapshots = path.join(here, "snapshots");
const update = process.argv.includes("--update");

function schemaFiles(dir) {
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    // Build outputs (examples/zoo-prost/target) and dependencies are not the repository's files.
    if (name === "target" || name === "node_modules" || name.startsWith(".")) continue;
    if (fs.statSync(p).isDirectory()) out.push(...schemaFiles(p));
    else if (/\.(i?proto)$/.test(name)) out.push(p);
  }
  return out;
}

async function main() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammars = {
    "source.iproto": path.join(root, "syntaxes/iproto.tmLanguage.json"),
    "source.proto.iprotoc": path.join(root, "syntaxes/proto.tmLanguage.json"),
  };
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      const file = grammars[scope];
      if (!file) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });

  const files = [...schemaFiles(examples), ...schemaFiles(path.join(here, "fixtures"))];
  if (files.length === 0) throw new Error(`no schema files under ${examples}`);
  const differ = [];
  const seen = new Set();
  for (const file of files) {
    const scope = file.endsWith(".iproto") ? "source.iproto" : "source.proto.iprotoc";
    const grammar = await registry.loadGrammar(scope);
    let rule = vsctm.INITIAL;
    let out = "";
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const r = grammar.tokenizeLine(line, rule);
      out += `> ${line}\n`;
      for (const t of r.tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        if (text.trim() === "") continue;
        const scopes = t.scopes.slice(1).join(" ");
        out += `  ${JSON.stringify(text)}: ${scopes || "-"}\n`;
      }
      rule = r.ruleStack;
    }
    const rel = file.startsWith(examples + path.sep)
      ? path.relative(examples, file)
      : path.join("fixtures", path.relative(path.join(here, "fixtures"), file));
    const snap = path.join(snapshots, rel.replace(/[\\/]/g, "__") + ".snap");
    seen.add(path.basename(snap));
    if (update) {
      fs.mkdirSync(snapshots, { recursive: true });
      fs.writeFileSync(snap, out);
    } else if (!fs.existsSync(snap) || fs.readFileSync(snap, "utf8") !== out) {
      differ.push(rel);
    }
  }
  const stale = fs.existsSync(snapshots)
    ? fs.readdirSync(snapshots).filter((n) => !seen.has(n))
    : [];
  if (update) {
    for (const n of stale) fs.unlinkSync(path.join(snapshots, n));
    console.log(`wrote ${files.length} snapshots`);
    return;
  }
  if (differ.length || stale.length) {
    for (const f of differ) console.error(`tokens differ from the snapshot: ${f}`);
    for (const n of stale) console.error(`snapshot without a file: ${n}`);
    console.error("(run `npm run test:update` and review the diff if the change is intended)");
    process.exit(1);
  }
  console.log(`${files.length} files tokenized as in their snapshots`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
