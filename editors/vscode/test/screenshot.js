#!/usr/bin/env node
// Draws the pictures of docs/editors.md from what the editor would really show: the source is
// coloured by the extension's TextMate grammar (through vscode-textmate, as in grammar.js), and
// the hover and the diagnostic come from a real `iprotoc lsp` spoken to over stdio. Only the
// frame (colours of VS Code's Dark+ theme, the popup's box) is drawn here.
//
//   node test/screenshot.js [IPROTOC] [OUT_DIR]
//
// IPROTOC defaults to the repository's target/debug/iprotoc, OUT_DIR to docs/editors.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = __dirname;
const repo = path.resolve(here, "../../..");
const iprotoc = path.resolve(process.argv[2] || path.join(repo, "target/debug/iprotoc"));
const outDir = path.resolve(process.argv[3] || path.join(repo, "docs/editors"));

// --- The language server, over stdio -------------------------------------------------------

class Server {
  constructor(bin, cwd) {
    this.proc = spawn(bin, ["lsp"], { cwd, stdio: ["pipe", "pipe", "inherit"] });
    this.buf = Buffer.alloc(0);
    this.next = 1;
    this.waiting = new Map();
    this.notes = [];
    this.noteWaiters = [];
    this.proc.stdout.on("data", (d) => this.read(d));
  }
  read(data) {
    this.buf = Buffer.concat([this.buf, data]);
    for (;;) {
      const head = this.buf.indexOf("\r\n\r\n");
      if (head < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.slice(0, head).toString())[1]);
      if (this.buf.length < head + 4 + len) return;
      const msg = JSON.parse(this.buf.slice(head + 4, head + 4 + len).toString());
      this.buf = this.buf.slice(head + 4 + len);
      if (msg.id !== undefined && this.waiting.has(msg.id)) {
        this.waiting.get(msg.id)(msg);
        this.waiting.delete(msg.id);
      } else if (msg.method) {
        this.notes.push(msg);
        this.noteWaiters.forEach((w) => w());
      }
    }
  }
  send(msg) {
    const body = JSON.stringify({ jsonrpc: "2.0", ...msg });
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  request(method, params) {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ id, method, params });
    });
  }
  notify(method, params) {
    this.send({ method, params });
  }
  // The next publishDiagnostics for `uri` whose `found` is true.
  diagnostics(uri, found) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no diagnostics within 20 s")), 20000);
      const look = () => {
        const hit = this.notes.find(
          (n) => n.method === "textDocument/publishDiagnostics" && n.params.uri === uri &&
            found(n.params.diagnostics),
        );
        if (hit) {
          clearTimeout(timer);
          resolve(hit.params.diagnostics);
        }
      };
      this.noteWaiters.push(look);
      look();
    });
  }
  async stop() {
    await this.request("shutdown", null);
    this.notify("exit", null);
  }
}

// --- Colours: VS Code's Dark+ theme, by TextMate scope ------------------------------------

const theme = [
  [/^comment/, "#6A9955"],
  [/^string/, "#CE9178"],
  [/^constant\.numeric/, "#B5CEA8"],
  [/^constant/, "#4FC1FF"],
  [/^(keyword|storage)/, "#569CD6"],
  [/^(entity\.name\.type|support\.type|entity\.other\.inherited-class)/, "#4EC9B0"],
  [/^(variable|entity\.name)/, "#9CDCFE"],
];
function colour(scopes) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const [re, c] of theme) if (re.test(scopes[i])) return c;
  }
  return "#D4D4D4";
}

async function tokenizer() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const file = path.join(here, "../syntaxes/iproto.tmLanguage.json");
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s) => new oniguruma.OnigScanner(s),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === "source.iproto" ? vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file) : null,
  });
  return registry.loadGrammar("source.iproto");
}

// --- Drawing -------------------------------------------------------------------------------

const CH = 8.4; // width of one character of 14 px monospace
const LH = 20; // line height
const PAD = 12;
const GUTTER = 44;
const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const FONT = "font-family=\"Menlo, Consolas, 'DejaVu Sans Mono', monospace\" font-size=\"14\"";

// `lines` of source, from line `first` (0-based) on, with an optional squiggle {line, start,
// end, colour} and popup {line, col, text: [{text, bold, code}] rows}.
function draw(grammar, all, first, count, { squiggle, popup }) {
  let rule = vsctm.INITIAL;
  const rows = [];
  for (let i = 0; i < first + count && i < all.length; i++) {
    const r = grammar.tokenizeLine(all[i], rule);
    rule = r.ruleStack;
    if (i >= first) rows.push({ n: i, line: all[i], tokens: r.tokens });
  }
  const width = 760;
  let height = PAD * 2 + rows.length * LH;
  let svg = "";
  rows.forEach((row, k) => {
    const y = PAD + k * LH + 15;
    svg += `<text x="${GUTTER - 12}" y="${y}" fill="#858585" text-anchor="end">${row.n + 1}</text>`;
    svg += `<text x="${GUTTER}" y="${y}" xml:space="preserve">`;
    for (const t of row.tokens) {
      const text = row.line.slice(t.startIndex, t.endIndex);
      if (text === "") continue;
      const x = GUTTER + t.startIndex * CH;
      svg += `<tspan x="${x.toFixed(1)}" fill="${colour(t.scopes)}">${esc(text)}</tspan>`;
    }
    svg += `</text>\n`;
    if (squiggle && squiggle.line === row.n) {
      const x0 = GUTTER + squiggle.start * CH;
      const x1 = GUTTER + squiggle.end * CH;
      let d = `M${x0.toFixed(1)} ${y + 4}`;
      for (let x = x0, up = true; x < x1; x += 3, up = !up) d += ` L${(x + 3).toFixed(1)} ${up ? y + 2 : y + 4}`;
      svg += `<path d="${d}" stroke="${squiggle.colour}" fill="none" stroke-width="1.2"/>\n`;
    }
  });
  if (popup) {
    const k = rows.findIndex((r) => r.n === popup.line);
    const textRows = popup.rows;
    const w = Math.min(width - 40, 24 + CH * Math.max(...textRows.map((r) => r.text.length)));
    const h = 16 + textRows.length * LH;
    const x = Math.min(GUTTER + popup.col * CH, width - w - 10);
    const y = PAD + (k + 1) * LH + 4;
    svg += `<rect x="${x}" y="${y}" width="${w.toFixed(1)}" height="${h}" fill="#252526" stroke="#454545"/>\n`;
    height = Math.max(height, y + h + PAD);
    textRows.forEach((r, i) => {
      const ty = y + 8 + i * LH + 14;
      if (r.rule) {
        svg += `<line x1="${x}" x2="${(x + w).toFixed(1)}" y1="${ty - 5}" y2="${ty - 5}" stroke="#454545"/>\n`;
        return;
      }
      const fill = r.code ? "#4EC9B0" : r.error ? "#F48771" : "#CCCCCC";
      const weight = r.bold ? ' font-weight="bold"' : "";
      svg += `<text x="${x + 12}" y="${ty}" fill="${fill}"${weight} xml:space="preserve">${esc(r.text)}</text>\n`;
    });
  }
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ${FONT}>\n` +
    `<rect width="100%" height="100%" fill="#1E1E1E"/>\n`;
  return head + svg + "</svg>\n";
}

// A hover's markdown as popup rows: code blocks in the type colour, `**bold**` lines bold, the
// rest as plain text (inline backticks dropped).
function markdownRows(md) {
  const rows = [];
  let code = false;
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) {
      code = !code;
      continue;
    }
    if (!code && line.trim() === "") continue;
    if (!code && /^-{3,}$/.test(line.trim())) {
      rows.push({ text: "", rule: true });
      continue;
    }
    const bold = /^\*\*.*\*\*$/.test(line.trim());
    let text = line.replace(/\*\*/g, "").replace(/`/g, "").trimEnd();
    // Wrap prose at 76 columns, as the popup's width does.
    while (!code && text.length > 76) {
      const cut = text.lastIndexOf(" ", 76);
      if (cut <= 0) break;
      rows.push({ text: text.slice(0, cut), code, bold });
      text = text.slice(cut + 1);
    }
    rows.push({ text, code, bold });
  }
  return rows;
}

async function main() {
  if (!fs.existsSync(iprotoc)) throw new Error(`${iprotoc} not found: run \`cargo build\` first`);
  fs.mkdirSync(outDir, { recursive: true });
  const grammar = await tokenizer();
  const examples = path.join(repo, "examples");
  const file = path.join(examples, "zoo.iproto");
  const uri = "file://" + file;
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split("\n");

  const server = new Server(iprotoc, examples);
  await server.request("initialize", {
    processId: null,
    rootUri: "file://" + examples,
    capabilities: { textDocument: { hover: { contentFormat: ["markdown"] } } },
  });
  server.notify("initialized", {});
  server.notify("textDocument/didOpen", {
    textDocument: { uri, languageId: "iproto", version: 1, text },
  });
  await server.diagnostics(uri, () => true);

  // 1. Hover on a class whose tag the compiler allocated.
  const line = lines.findIndex((l) => l.startsWith("message Kitten"));
  const col = lines[line].indexOf("Kitten");
  const hover = await server.request("textDocument/hover", {
    textDocument: { uri },
    position: { line, character: col + 2 },
  });
  const md = hover.result && hover.result.contents && hover.result.contents.value;
  if (!md) throw new Error(`no hover at ${line + 1}:${col + 3}: ${JSON.stringify(hover)}`);
  const hoverSvg = draw(grammar, lines, 20, 22, {
    popup: { line, col, rows: markdownRows(md) },
  });
  fs.writeFileSync(path.join(outDir, "hover.svg"), hoverSvg);

  // 2. An edit that gives Dog the tag Cat already has: the error appears as you type.
  const dog = lines.findIndex((l) => l.startsWith("message Dog"));
  const at = lines[dog].indexOf("105");
  server.notify("textDocument/didChange", {
    textDocument: { uri, version: 2 },
    contentChanges: [
      { range: { start: { line: dog, character: at }, end: { line: dog, character: at + 3 } }, text: "100" },
    ],
  });
  const diags = await server.diagnostics(uri, (ds) => ds.some((d) => d.severity === 1));
  const err = diags.find((d) => d.severity === 1);
  const edited = lines.slice();
  edited[dog] = edited[dog].slice(0, at) + "100" + edited[dog].slice(at + 3);
  const message = [`${err.message}  iprotoc(${err.code})`];
  for (const r of err.relatedInformation || []) {
    message.push(`  ${path.basename(r.location.uri)}:${r.location.range.start.line + 1}: ${r.message}`);
  }
  const errSvg = draw(grammar, edited, 20, 17, {
    squiggle: {
      line: err.range.start.line,
      start: err.range.start.character,
      end: err.range.end.character,
      colour: "#F14C4C",
    },
    popup: {
      line: err.range.start.line,
      col: err.range.start.character,
      rows: message.map((t, i) => ({ text: t, error: i === 0 })),
    },
  });
  fs.writeFileSync(path.join(outDir, "diagnostic.svg"), errSvg);
  await server.stop();
  console.log(`wrote ${path.join(outDir, "hover.svg")} and diagnostic.svg`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
