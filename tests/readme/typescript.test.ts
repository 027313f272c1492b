// Every TypeScript block of the README, type-checked as a user's program (a partial block with the
// declarations its marker names: preludes.ts) in both layouts `pulumi new typescript` has written:
// the older commonjs + node (node10) and the current nodenext. Against the package as `npm pack`
// makes it, installed into a project with what the README's `npm install` commands install. One
// program per layout holds every block, each a module of its own.
import type * as ts from "typescript";
import { packageName } from "../support/packed";
import { checkedBlocks, describeBlock, where, type Block } from "./blocks";
import { typescriptSource, type Source } from "./preludes";
import {
  compiler,
  formatDiagnostic,
  project,
  templateLayouts,
  typecheck,
  type Checked,
  type Layout,
} from "./projects";
import { npmInstalled } from "./shell";

jest.setTimeout(180_000);

const typescript = compiler();
const blocks = checkedBlocks("typescript").map((block) => ({
  block,
  file: `${block.document.replace(/\W/g, "_")}_${block.line}.ts`,
  source: typescriptSource(block),
}));

const checked = new Map<string, Checked>();

/** A diagnostic as `README.md:LINE:COLUMN: error TSnnnn: …`, in the block's own lines. */
function inReadme(
  diagnostic: ts.Diagnostic,
  block: Block,
  source: Source,
): string {
  return formatDiagnostic(typescript, diagnostic, (_, line, column) =>
    line > source.offset
      ? `${where(block, block.line + line - source.offset - 1)}:${column}`
      : `${where(block)} (the declaration of its needs: ${Object.keys(source.declared).join(", ")})`,
  );
}

function check(layout: Layout): Checked {
  let result = checked.get(layout.name);
  if (!result) {
    // The project has what the README's `npm install` commands install, and what `pulumi new
    // typescript` does (@types/node, typescript): a block that imports anything else fails.
    const proj = project(layout, {
      alongside: npmInstalled(checkedBlocks("shell")).filter(
        (name) => name !== packageName,
      ),
    });
    result = typecheck(
      proj,
      Object.fromEntries(blocks.map(({ file, source }) => [file, source.text])),
      typescript,
      // The blocks and the package's declarations; the template's check of every library is
      // tests/readme/entry-points.test.ts's.
      "ours",
    );
    checked.set(layout.name, result);
  }
  return result;
}

afterAll(() => {
  if (checked.size)
    console.log(
      `type-checked ${blocks.length} TypeScript blocks of the README in ${checked.size} layouts: ${[
        ...checked,
      ]
        .map(([name, c]) => `${name} ${(c.ms / 1000).toFixed(1)} s`)
        .join(", ")}`,
    );
});

test("the README has TypeScript blocks to check", () => {
  expect(blocks.length).toBeGreaterThan(0);
});

describe.each(templateLayouts)("$name: $what", (layout) => {
  test.each(blocks.map((b) => ({ ...b, name: describeBlock(b.block) })))(
    "$name type-checks",
    ({ block, file, source }) => {
      const diagnostics = check(layout).diagnostics.get(file) ?? [];
      expect(diagnostics.map((d) => inReadme(d, block, source))).toEqual([]);
    },
  );

  test("nothing else fails: options, global declarations, the package's own declarations", () => {
    const files = new Set(blocks.map((b) => b.file));
    const others = [...check(layout).diagnostics]
      .filter(([file]) => !files.has(file))
      .flatMap(([file, list]) =>
        list.map((d) => `${file}: ${formatDiagnostic(typescript, d)}`),
      );
    expect(others).toEqual([]);
  });
});
