// The device entry compiled the way mcconfig compiles it for each platform: main.ts with
// "./hardware" and "./network" bound to that platform's modules (as the manifest binds
// them), against the SDK's declarations of the modules it imports (src/device/types/sdk/
// mirrors the ones @moddable/typings lacks or gets wrong). The SDK is not in CI, so the
// mirrors live in the repository; with $MODDABLE set they are compared to the SDK's own.
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = process.cwd();
const BINDINGS: Record<string, Record<string, string>> = {
  esp32: { "./hardware": "./hardware-esp32", "./network": "./network-esp32" },
  lin: { "./hardware": "./hardware-sim", "./network": "./network-host" },
};

function deviceProgram(platform: string, extra?: { file: string; text: string }): readonly ts.Diagnostic[] {
  const config = ts.readConfigFile(path.join(ROOT, "tsconfig.device.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const host = ts.createCompilerHost(parsed.options);
  const bindings = BINDINGS[platform];
  const deviceDir = path.join(ROOT, "src/device");
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, options) =>
    literals.map((literal) => {
      const bound = path.dirname(containingFile) === deviceDir ? bindings[literal.text] : undefined;
      return ts.resolveModuleName(bound ?? literal.text, containingFile, options, host);
    });
  const roots = parsed.fileNames.filter((f) => !/\/(hardware|network)\.d\.ts$/.test(f));
  if (extra) {
    const readFile = host.readFile.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => (f === extra.file ? extra.text : readFile(f));
    host.fileExists = ((exists) => (f: string) => f === extra.file || exists(f))(host.fileExists.bind(host));
    host.getSourceFile = (f, version, ...rest) => (f === extra.file ? ts.createSourceFile(f, extra.text, version) : getSourceFile(f, version, ...rest));
    roots.push(extra.file);
  }
  const program = ts.createProgram({ rootNames: roots, options: parsed.options, host });
  return ts.getPreEmitDiagnostics(program);
}

function describeDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" });
}

/** A declaration file's declarations, without comments and layout. */
function declarations(text: string): string {
  const source = ts.createSourceFile("x.d.ts", text, ts.ScriptTarget.Latest, false);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

describe("device entry compiled per platform against the SDK's declarations", function () {
  this.timeout(120_000);

  for (const platform of Object.keys(BINDINGS)) {
    it(`${platform}: main.ts with its platform's hardware and network modules compiles`, () => {
      const diagnostics = deviceProgram(platform);
      assert.equal(diagnostics.length, 0, describeDiagnostics(diagnostics));
    });
  }

  it("the check bites: code written against onewire as it was wrongly declared (read() without a count) fails", () => {
    const file = path.join(ROOT, "src/device/__typecheck_probe.ts");
    const text = 'import OneWire from "onewire";\nexport const byte: number = new OneWire({ pin: 4 }).read();\nexport const rom: ArrayBuffer = new OneWire({ pin: 4 }).search()[0];\n';
    const messages = deviceProgram("esp32", { file, text })
      .filter((d) => d.file?.fileName === file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    assert.ok(messages.some((m) => /Expected 1 arguments, but got 0/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /not assignable to type 'number'/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /in type 'Uint8Array<ArrayBufferLike>' but required in type 'ArrayBuffer'/.test(m)), messages.join("\n"));
  });

  it("src/device/types/sdk/onewire.d.ts declares what the SDK's onewire.d.ts declares (needs $MODDABLE)", function () {
    const moddable = process.env.MODDABLE;
    const sdkFile = moddable && path.join(moddable, "modules/drivers/onewire/onewire.d.ts");
    if (!sdkFile || !existsSync(sdkFile)) {
      console.log("      (skipped: $MODDABLE is not set to a Moddable SDK checkout)");
      this.skip();
    }
    const ours = readFileSync(path.join(ROOT, "src/device/types/sdk/onewire.d.ts"), "utf8");
    assert.equal(declarations(ours), declarations(readFileSync(sdkFile, "utf8")));
  });
});
