// Checks answers against docs/openapi.yaml: the document itself against the OpenAPI 3.1
// schema (@seriousme/openapi-schema-validator), each response body against its
// operation's schema for that status and media type (Ajv, JSON Schema 2020-12, the
// dialect of OpenAPI 3.1). An undocumented path, method, status or content type fails.
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const DOC_PATH = fileURLToPath(new URL("../../docs/openapi.yaml", import.meta.url));
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

export interface ContractAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

export class OpenApiContract {
  readonly document: any;
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; regex: RegExp }>;
  /** "GET /api/status 200" for every answer checked. */
  readonly seen = new Set<string>();

  constructor() {
    this.document = parse(readFileSync(DOC_PATH, "utf8"));
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(this.document, "openapi.json");
    this.templates = Object.keys(this.document.paths).map((template) => ({
      template,
      regex: new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$"),
    }));
  }

  /** The document against the OpenAPI schema of its version; resolves with the errors. */
  static async validateDocument(): Promise<{ valid: boolean; version: string; errors: unknown }> {
    const validator = new Validator();
    const result = await validator.validate(DOC_PATH);
    return { valid: result.valid, version: validator.version, errors: result.errors };
  }

  /** Every operation as "METHOD /path". */
  operations(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries<any>(this.document.paths)) for (const method of Object.keys(item)) out.push(`${method.toUpperCase()} ${path}`);
    return out;
  }

  /** An error answered outside any documented path (404, 405): the error envelope. */
  checkError(answer: ContractAnswer): void {
    this.validate("openapi.json#/components/schemas/ErrorResponse", `${answer.status}`, JSON.parse(answer.text), answer.text);
  }

  /** Throws, saying what differs, when `answer` is not what the document says. */
  check(method: string, path: string, answer: ContractAnswer): void {
    const found = this.templates.find((t) => t.regex.test(path));
    if (!found) throw new Error(`${path} is not in the OpenAPI document`);
    const lower = method.toLowerCase();
    const op: Operation | undefined = this.document.paths[found.template][lower];
    if (!op) throw new Error(`${method} ${found.template} is not in the OpenAPI document`);
    const status = String(answer.status);
    const response = op.responses[status];
    if (!response) throw new Error(`${method} ${found.template} answered ${status}, which the document does not list (${Object.keys(op.responses).join(", ")})`);
    this.seen.add(`${method} ${found.template} ${status}`);
    if (!response.content) return;
    const contentType = (answer.headers["Content-Type"] ?? answer.headers["content-type"] ?? "").split(";")[0].trim();
    if (!response.content[contentType]) throw new Error(`${method} ${found.template} ${status}: content type "${contentType}" is not documented (${Object.keys(response.content).join(", ")})`);
    const ref = "openapi.json#/" + pointer("paths", found.template, lower, "responses", status, "content", contentType, "schema");
    const body = contentType === "application/json" ? JSON.parse(answer.text) : answer.text;
    this.validate(ref, `${method} ${path} ${status}`, body, answer.text);
  }

  private validate(ref: string, what: string, body: unknown, text: string): void {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (!validate(body)) {
      throw new Error(`${what} does not match the document: ${this.ajv.errorsText(validate.errors, { separator: "; " })}\n${text.slice(0, 600)}`);
    }
  }
}
