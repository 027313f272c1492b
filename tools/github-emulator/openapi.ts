// Validates request and response bodies against GitHub's OpenAPI description (the committed
// subset). OpenAPI 3.0 is not JSON Schema: `nullable` is mapped to a "null" type here.
// Validators are compiled lazily: most test files touch a handful of operations.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

type Schema = { [key: string]: unknown };

interface OperationSpec {
  operationId?: string;
  externalDocs?: { url?: string };
  parameters?: { $ref?: string; name?: string; in?: string }[];
  requestBody?: { content?: { [type: string]: { schema?: Schema } } };
  responses?: {
    [status: string]: {
      $ref?: string;
      content?: { [type: string]: { schema?: Schema } };
    };
  };
}

export interface OperationInfo {
  operationId: string;
  docsUrl: string;
  /** The operation takes `page`/`per_page`: the emulator paginates exactly those. */
  paginated: boolean;
}

const DOCS_FALLBACK = "https://docs.github.com/rest";

/** Deep copy mapping `nullable: true` to JSON Schema and making $refs point into the "gh" schema. */
export function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== "object") return value;
  const src = value as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === "nullable") continue;
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/"))
      out[k] = `gh${v}`;
    else if (k === "properties" && v && typeof v === "object") {
      // Keys here are field names, not keywords: map the values only.
      out[k] = Object.fromEntries(
        Object.entries(v as Schema).map(([n, s]) => [n, toJsonSchema(s)]),
      );
    } else out[k] = toJsonSchema(v);
  }
  if (src.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly paths: {
    [template: string]: { [method: string]: OperationSpec };
  };
  private readonly responses: {
    [name: string]: NonNullable<OperationSpec["responses"]>[string];
  };
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(subset: {
    paths: { [p: string]: { [m: string]: OperationSpec } };
    components: {
      responses?: OperationValidatorResponses;
      [kind: string]: unknown;
    };
  }) {
    // strict: false because OpenAPI adds keywords (discriminator, readOnly, x-…) that ajv does not know.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ components: toJsonSchema(subset.components) }, "gh");
    this.paths = subset.paths;
    this.responses = (subset.components.responses ??
      {}) as OperationValidatorResponses;
  }

  operation(method: string, template: string): OperationInfo | undefined {
    const op = this.paths[template]?.[method.toLowerCase()];
    if (!op) return undefined;
    const params = op.parameters ?? [];
    return {
      operationId: op.operationId ?? `${method} ${template}`,
      docsUrl: op.externalDocs?.url ?? DOCS_FALLBACK,
      paginated: params.some(
        (p) => p.$ref === "#/components/parameters/page" || p.name === "page",
      ),
    };
  }

  /** Error messages when the JSON body does not match the operation's request schema. */
  validateRequest(method: string, template: string, body: unknown): string[] {
    const schema =
      this.paths[template]?.[method.toLowerCase()]?.requestBody?.content?.[
        "application/json"
      ]?.schema;
    if (!schema) return [];
    const fn = this.compile(`req ${method} ${template}`, schema);
    return fn && !fn(body) ? formatErrors(fn.errors) : [];
  }

  /**
   * Why the response does not match the description, or undefined when it does. Statuses the
   * operation does not declare must be errors shaped like GitHub's `basic-error`.
   */
  validateResponse(
    method: string,
    template: string,
    status: number,
    body: unknown,
  ): string | undefined {
    const op = this.paths[template]?.[method.toLowerCase()];
    if (!op)
      return `no operation ${method} ${template} in the OpenAPI description`;
    let declared = op.responses?.[String(status)];
    if (declared?.$ref)
      declared =
        this.responses[declared.$ref.replace("#/components/responses/", "")];
    if (!declared) {
      if (status < 400)
        return `status ${status} is not declared for ${method} ${template}`;
      return this.validateBasicError(body);
    }
    const schema = declared.content?.["application/json"]?.schema;
    if (!schema && status >= 400) {
      // e.g. the 409s of the selected-repositories endpoints: declared without content, yet
      // GitHub sends its usual error object.
      return this.validateBasicError(body);
    }
    if (!schema)
      return body === undefined
        ? undefined
        : `status ${status} of ${method} ${template} has no body`;
    if (body === undefined)
      return `status ${status} of ${method} ${template} needs a JSON body`;
    const fn = this.compile(`res ${status} ${method} ${template}`, schema);
    return fn && !fn(body) ? formatErrors(fn.errors).join("; ") : undefined;
  }

  /**
   * Why the body is not GitHub's `basic-error` object (message, documentation_url, url, status),
   * the shape of its errors and of its `moved_permanently` and `temporary_redirect` answers.
   */
  validateBasicError(body: unknown): string | undefined {
    const fn = this.compile("basic-error", {
      $ref: "gh#/components/schemas/basic-error",
    });
    return fn && !fn(body) ? formatErrors(fn.errors).join("; ") : undefined;
  }

  private compile(key: string, schema: Schema): ValidateFunction | null {
    if (!this.cache.has(key))
      this.cache.set(key, this.ajv.compile(toJsonSchema(schema) as Schema));
    return this.cache.get(key) ?? null;
  }
}

type OperationValidatorResponses = {
  [name: string]: NonNullable<OperationSpec["responses"]>[string];
};

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    if (e.keyword === "required")
      return `"${String(e.params.missingProperty)}" wasn't supplied.`;
    const where = e.instancePath
      ? e.instancePath.slice(1).replace(/\//g, ".")
      : "body";
    return `${where} ${e.message ?? "is invalid"}.`;
  });
}
