#!/usr/bin/env node
// Checks the packaged extension (`npm run package` writes iprotoc-VERSION.vsix, through
// @vscode/vsce): the .vsix is a zip archive, read here with Node's own zlib, and it must hold
// what VS Code needs to run the extension and nothing of the sources or the tests:
//
// - the manifest, with the same `main`, languages and grammars as package.json;
// - every file the manifest names: the client (`main`), each grammar, each language
//   configuration;
// - every production dependency of package-lock.json (the language client and what it
//   requires), at the version the lock file pins, and no development dependency;
// - no TypeScript source, test, source map or nested .vsix;
// - each grammar and language configuration as in the repository (valid JSON, same bytes);
// - the client loads: `out/extension.js` from the archive is run in a sandbox whose `require`
//   serves `vscode` as a stub and everything else from the unpacked archive only.
//
//   node test/package.js [FILE.vsix]     (default: iprotoc-VERSION.vsix beside package.json)
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const zlib = require("zlib");
const Module = require("module");

const root = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
const vsix = process.argv[2] || path.join(root, `${manifest.name}-${manifest.version}.vsix`);

const failures = [];
function check(ok, message) {
  if (!ok) failures.push(message);
}

/// The entries of a zip archive: name -> contents (stored or deflated).
function unzip(bytes) {
  // The end of central directory record: its signature, searched from the end (a comment may
  // follow it).
  let end = -1;
  for (let i = bytes.length - 22; i >= 0; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${vsix}: not a zip archive`);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map();
  for (let k = 0; k < count; k++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`${vsix}: bad central directory`);
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLen = bytes.readUInt16LE(at + 28);
    const extraLen = bytes.readUInt16LE(at + 30);
    const commentLen = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString("utf8", at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    const data = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(data, data + size);
    if (name.endsWith("/")) continue;
    if (method === 0) files.set(name, raw);
    else if (method === 8) files.set(name, zlib.inflateRawSync(raw));
    else throw new Error(`${vsix}: ${name}: compression method ${method}`);
  }
  return files;
}

function main() {
  if (!fs.existsSync(vsix)) {
    console.error(`${vsix} is missing: run \`npm run package\` first`);
    process.exit(1);
  }
  const files = unzip(fs.readFileSync(vsix));
  const has = (p) => files.has(`extension/${path.posix.normalize(p)}`);
  const get = (p) => files.get(`extension/${path.posix.normalize(p)}`);

  check(files.has("extension.vsixmanifest"), "extension.vsixmanifest is missing");
  check(has("package.json"), "extension/package.json is missing");
  const packed = has("package.json") ? JSON.parse(get("package.json").toString("utf8")) : {};
  for (const key of ["name", "version", "main", "engines", "contributes"]) {
    check(
      JSON.stringify(packed[key]) === JSON.stringify(manifest[key]),
      `package.json in the archive differs in \`${key}\``,
    );
  }

  // What the manifest names: the client, the grammars, the language configurations.
  const named = [manifest.main];
  for (const g of manifest.contributes.grammars) named.push(g.path);
  for (const l of manifest.contributes.languages) if (l.configuration) named.push(l.configuration);
  for (const p of named) {
    check(has(p), `${p} (named by package.json) is not in the archive`);
    if (!has(p) || p === manifest.main) continue;
    const want = fs.readFileSync(path.join(root, p));
    check(get(p).equals(want), `${p} in the archive differs from the repository's`);
    try {
      JSON.parse(get(p).toString("utf8"));
    } catch (e) {
      check(false, `${p} in the archive is not valid JSON: ${e.message}`);
    }
  }
  const grammarScopes = new Set(
    manifest.contributes.grammars.map((g) => JSON.parse(get(g.path)?.toString("utf8") ?? "{}").scopeName),
  );
  for (const g of manifest.contributes.grammars) {
    check(grammarScopes.has(g.scopeName), `no grammar in the archive has the scope ${g.scopeName}`);
  }

  // Production dependencies in, development dependencies out.
  let production = 0;
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (!where.startsWith("node_modules/")) continue;
    const pkg = `${where}/package.json`;
    if (entry.dev || entry.devOptional) {
      check(!has(pkg), `the development dependency ${where} is in the archive`);
      continue;
    }
    production++;
    check(has(pkg), `the dependency ${where} is not in the archive`);
    if (has(pkg)) {
      const version = JSON.parse(get(pkg).toString("utf8")).version;
      check(version === entry.version, `${where} is ${version} in the archive, ${entry.version} in the lock`);
    }
  }
  check(production > 0, "package-lock.json lists no production dependency (the language client)");

  // Nothing of the sources or the tests.
  for (const name of files.keys()) {
    const rel = name.replace(/^extension\//, "");
    if (rel.startsWith("node_modules/") || !name.startsWith("extension/")) continue;
    check(
      !/^(src|test)\//.test(rel) && !rel.endsWith(".map") && !rel.endsWith(".vsix") && !rel.endsWith(".ts"),
      `${rel} should not be packaged (.vscodeignore)`,
    );
  }

  // The client loads from the archive alone, with a stub for the `vscode` module (which only
  // VS Code provides), and exports activate/deactivate.
  if (has(manifest.main)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iprotoc-vsix-"));
    try {
      for (const [name, data] of files) {
        if (!name.startsWith("extension/")) continue;
        const target = path.join(dir, name);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, data);
      }
      const main = path.join(dir, "extension", manifest.main);
      // Any member of the stub is a constructible, extendable stub again.
      const stubOf = () =>
        new Proxy(function () {}, {
          get: (target, key) => (key === "prototype" ? target.prototype : stubOf()),
          construct: () => stubOf(),
          apply: () => stubOf(),
        });
      const stub = stubOf();
      const original = Module._load;
      Module._load = function (request, parent, isMain) {
        if (request === "vscode") return stub;
        const resolved = Module._resolveFilename(request, parent, isMain);
        if (path.isAbsolute(resolved) && !resolved.startsWith(dir)) {
          throw new Error(`${request} resolved outside the archive: ${resolved}`);
        }
        return original.apply(this, arguments);
      };
      try {
        const ext = require(main);
        check(typeof ext.activate === "function", `${manifest.main} exports no activate()`);
        check(typeof ext.deactivate === "function", `${manifest.main} exports no deactivate()`);
      } catch (e) {
        check(false, `${manifest.main} does not load from the archive: ${e.message}`);
      } finally {
        Module._load = original;
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  if (failures.length) {
    console.error(`${path.basename(vsix)}:`);
    for (const f of failures) console.error(`  ${f}`);
    process.exit(1);
  }
  console.log(`${path.basename(vsix)}: ${files.size} files, ${production} production dependencies, client loads`);
}

main();
