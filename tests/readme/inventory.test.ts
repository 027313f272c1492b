// Every fenced block of the README (and examples/*/README.md) is held to a checker of its language,
// or to a skip with its reason: nothing is passed over in silence. The test prints the whole
// inventory: each block, how it is checked (with the declarations a partial block is given),
// whether a test runs it through the real CLI, and what is skipped, with counts.
import * as fs from "node:fs";
import * as path from "node:path";
import { repositoryRoot } from "../../tools/pulumi-cli";
import {
  allBlocks,
  blocksOf,
  describeBlock,
  parseMarker,
  type Block,
} from "./blocks";
import { checkers, runs } from "./checkers";
import { goSource, pythonSource, typescriptSource } from "./preludes";

const blocks = allBlocks();

/** The declarations a partial block is given, in its language. */
function declarations(block: Block): Record<string, string> {
  switch (block.language) {
    case "typescript":
      return typescriptSource(block).declared;
    case "python":
      return pythonSource(block).declared;
    case "go":
      return goSource(block).declared;
    default:
      return {};
  }
}

describe("reading the blocks", () => {
  test("fences, info strings, indentation, the heading and the marker on the line before (blank lines between)", () => {
    const text = [
      "# Title",
      "",
      "## Section",
      "",
      "<!-- readme-check: id demo; needs config, value -->",
      "",
      "```ts",
      "new X();",
      "```",
      "",
      "- a list:",
      "",
      "  ~~~sh",
      "  npm test # run",
      "  ~~~",
      "",
      "````",
      "```ts",
      "inside",
      "```",
      "````",
    ].join("\n");
    expect(
      blocksOf("DOC.md", text).map(
        ({ line, info, language, code, heading, marker }) => ({
          line,
          info,
          language,
          code,
          heading,
          marker,
        }),
      ),
    ).toEqual([
      {
        line: 8,
        info: "ts",
        language: "typescript",
        code: "new X();",
        heading: "Section",
        marker: { needs: ["config", "value"], id: "demo" },
      },
      {
        line: 14,
        info: "sh",
        language: "shell",
        code: "npm test # run",
        heading: "Section",
        marker: { needs: [] },
      },
      {
        line: 18,
        info: "",
        language: "text",
        code: "```ts\ninside\n```",
        heading: "Section",
        marker: { needs: [] },
      },
    ]);
  });

  test("a marker clause of no known form, and a fence never closed, fail", () => {
    expect(() => parseMarker("need config", "DOC.md:1")).toThrow(
      'DOC.md:1: readme-check marker clause "need config" is none of "needs NAME, …", "id NAME", "skip REASON"',
    );
    expect(() => parseMarker("skip", "DOC.md:1")).toThrow(/clause "skip"/);
    expect(() => blocksOf("DOC.md", "```ts\nopen")).toThrow(
      "DOC.md:1: a fence that is never closed",
    );
  });
});

describe("every block of the README is checked, or skipped with its reason", () => {
  test("there are blocks, and the documents are the README and examples/'s", () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks[0]!.document).toBe("README.md");
  });

  test.each(blocks.map((block) => ({ block, name: describeBlock(block) })))(
    "$name has a checker for its language, or a skip with a reason",
    ({ block }) => {
      const checker = block.language ? checkers[block.language] : undefined;
      if (block.marker.skip) {
        // A reason, not a word; and a skipped block is run by no test.
        expect(block.marker.skip).toMatch(/\S+\s+\S+\s+\S+/);
        expect(block.marker.id).toBeUndefined();
      } else {
        expect({
          block: describeBlock(block),
          checkedBy:
            checker?.test ??
            "no checker for its language: add one (tests/readme/checkers.ts), or mark the block skip with a reason",
        }).toEqual({ block: describeBlock(block), checkedBy: checker?.test });
        expect(fs.existsSync(path.join(repositoryRoot, checker!.test))).toBe(
          true,
        );
      }
      // Needs are declared by a language's prelude, which throws on a name it cannot declare.
      if (block.marker.needs.length)
        expect(Object.keys(declarations(block))).toEqual(
          expect.arrayContaining(block.marker.needs),
        );
    },
  );

  test("ids are unique, and every block a run test needs is there", () => {
    const ids = blocks.flatMap((b) => (b.marker.id ? [b.marker.id] : []));
    expect(ids).toEqual([...new Set(ids)]);
    expect(ids).toEqual(expect.arrayContaining(Object.keys(runs)));
    for (const test of new Set(Object.values(runs)))
      expect(fs.existsSync(path.join(repositoryRoot, test))).toBe(true);
  });
});

// The inventory, printed once the checks above ran.
afterAll(() => {
  const lines = blocks.map((block) => {
    if (block.marker.skip)
      return `${describeBlock(block)}: SKIPPED: ${block.marker.skip}`;
    const checker = block.language ? checkers[block.language] : undefined;
    if (!checker) return `${describeBlock(block)}: NO CHECKER (failed above)`;
    const declared = Object.values(declarations(block));
    const run = block.marker.id ? runs[block.marker.id] : undefined;
    return [
      `${describeBlock(block)}: ${checker.how}`,
      declared.length
        ? ` · partial, its needs declared as: ${declared.join(" ")}`
        : "",
      run
        ? ` · run through the real Pulumi CLI against the emulator by ${run}`
        : "",
    ].join("");
  });
  const skipped = blocks.filter((b) => b.marker.skip).length;
  const partial = blocks.filter(
    (b) => !b.marker.skip && b.marker.needs.length,
  ).length;
  const ran = blocks.filter((b) => b.marker.id && runs[b.marker.id]).length;
  console.log(
    [
      `README blocks: ${blocks.length}; checked ${blocks.length - skipped} (${partial} of them partial, with declared needs), ${ran} also run through the real CLI; skipped ${skipped}`,
      ...lines,
    ].join("\n"),
  );
});
