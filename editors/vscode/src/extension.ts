// The iprotoc extension: starts `iprotoc lsp` over stdio for .iproto and .proto files.
// Highlighting comes from the TextMate grammar in syntaxes/ and needs no server.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const config = vscode.workspace.getConfiguration("iprotoc");
  const command = config.get<string>("path", "iprotoc");
  const args = ["lsp", ...config.get<string[]>("extraArgs", [])];
  return { command, args, transport: TransportKind.stdio };
}

async function start(): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "iproto" },
      { scheme: "file", language: "proto" },
      { scheme: "untitled", language: "iproto" },
      { scheme: "untitled", language: "proto" },
    ],
    // The server's import path, as `-I` of `iprotoc check` (empty: the workspace root).
    initializationOptions: {
      includePaths: vscode.workspace.getConfiguration("iprotoc").get<string[]>("includePaths", []),
    },
    synchronize: {
      // The lint configuration `check` reads is looked for beside the schemas.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{iproto,proto,toml}"),
    },
  };
  client = new LanguageClient("iprotoc", "iprotoc", serverOptions(), clientOptions);
  try {
    await client.start();
  } catch (e) {
    const path = vscode.workspace.getConfiguration("iprotoc").get<string>("path", "iprotoc");
    void vscode.window.showErrorMessage(
      `iprotoc: could not start \`${path} lsp\` (${e}). Set "iprotoc.path" to the iprotoc executable.`,
    );
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("iprotoc.restartServer", async () => {
      await client?.stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (["iprotoc.path", "iprotoc.extraArgs", "iprotoc.includePaths"].some((k) =>
          e.affectsConfiguration(k),
        )) {
        await client?.stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
