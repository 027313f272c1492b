// The fenced code blocks of the README (and of examples/*/README.md), with what the line before
// each says about it. Every block is checked by the checker of its language (see checkers below);
// a block that cannot stand alone says so in a marker, an HTML comment on the line before its
// fence (blank lines between are allowed), which Markdown does not show:
//
//   <!-- readme-check: needs config, value, RepoSecret -->
//       The block uses names it does not declare; the checker declares them with its language's
//       prelude (preludes.ts) and checks the block with them, so a partial block is still checked.
//   <!-- readme-check: id plugin-program -->
//       A name for the block, by which a test that runs it finds it (runs.ts).
//   <!-- readme-check: skip <reason> -->
//       Not checked, for the reason given; listed and counted in the inventory test's output.
//
// Clauses combine with ";": `<!-- readme-check: id accounts; needs config, RepoSecret -->`.
import * as fs from "node:fs";
import * as path from "node:path";
import { repositoryRoot } from "../../tools/pulumi-cli";

export type Language =
  "typescript" | "python" | "go" | "yaml" | "json" | "shell" | "text";

const languages: Record<string, Language> = {
  ts: "typescript",
  typescript: "typescript",
  py: "python",
  python: "python",
  go: "go",
  golang: "go",
  yaml: "yaml",
  yml: "yaml",
  json: "json",
  sh: "shell",
  bash: "shell",
  shell: "shell",
  console: "shell",
  text: "text",
  txt: "text",
  plaintext: "text",
  "": "text",
};

export interface Marker {
  needs: string[];
  id?: string;
  skip?: string;
}

export interface Block {
  /** Relative to the repository, e.g. README.md. */
  document: string;
  /** 1-based line of the block's first line of code. */
  line: number;
  /** The fence's info string as written (`ts`, `sh`…). */
  info: string;
  /** Undefined for a language no checker knows: the inventory test fails on it. */
  language: Language | undefined;
  code: string;
  /** The heading the block is under. */
  heading: string;
  marker: Marker;
}

/** "README.md:123 (TypeScript on the plugin)": how tests and messages name a block. */
export function where(block: Block, line = block.line): string {
  return `${block.document}:${line}`;
}

export function describeBlock(block: Block): string {
  return `${where(block)} ${block.info || "(no language)"} under "${block.heading}"${block.marker.id ? ` [${block.marker.id}]` : ""}`;
}

/** The README and every README of examples/: the documents whose blocks users copy. */
export function documents(): string[] {
  const examples = path.join(repositoryRoot, "examples");
  const found = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name === "README.md")
        found.push(path.relative(repositoryRoot, file));
    }
  };
  if (fs.existsSync(examples)) walk(examples);
  return found.sort((a, b) =>
    a === "README.md" ? -1 : b === "README.md" ? 1 : a.localeCompare(b),
  );
}

const markerPattern = /^\s*<!--\s*readme-check:\s*(.*?)\s*-->\s*$/;

export function parseMarker(text: string, at: string): Marker {
  const marker: Marker = { needs: [] };
  for (const clause of text
    .split(";")
    .map((c) => c.trim())
    .filter(Boolean)) {
    const [word, ...rest] = clause.split(/\s+/);
    const argument = rest.join(" ").trim();
    if (word === "needs" && argument)
      marker.needs.push(...argument.split(/\s*,\s*/).filter(Boolean));
    else if (word === "id" && /^[\w-]+$/.test(argument)) marker.id = argument;
    else if (word === "skip" && argument) marker.skip = argument;
    else
      throw new Error(
        `${at}: readme-check marker clause "${clause}" is none of "needs NAME, …", "id NAME", "skip REASON"`,
      );
  }
  return marker;
}

/** The fenced blocks of one document, in order. */
export function blocksOf(document: string, text?: string): Block[] {
  const lines = (
    text ?? fs.readFileSync(path.join(repositoryRoot, document), "utf8")
  ).split("\n");
  const blocks: Block[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading_ = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading_) {
      heading = heading_[1]!.trim();
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/.exec(line);
    if (!fence) continue;
    const [, indent, ticks, info] = fence as unknown as [
      string,
      string,
      string,
      string,
    ];
    const closing = new RegExp(`^\\s*${ticks[0]}{${ticks.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end]!)) end++;
    if (end === lines.length)
      throw new Error(`${document}:${i + 1}: a fence that is never closed`);
    // The marker: the last non-blank line before the fence.
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    const markerText =
      before >= 0 ? markerPattern.exec(lines[before]!)?.[1] : undefined;
    blocks.push({
      document,
      line: i + 2,
      info,
      language: languages[info.toLowerCase()],
      code: lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join("\n"),
      heading,
      marker:
        markerText === undefined
          ? { needs: [] }
          : parseMarker(markerText, `${document}:${before + 1}`),
    });
    i = end;
  }
  return blocks;
}

/** Every block of every document. */
export function allBlocks(): Block[] {
  return documents().flatMap((document) => blocksOf(document));
}

/** Blocks of one language that are checked (not skipped). */
export function checkedBlocks(language: Language): Block[] {
  return allBlocks().filter(
    (block) => block.language === language && !block.marker.skip,
  );
}

/** The block a run test runs, by its marker's id; fails when the README lost it. */
export function blockById(id: string): Block {
  const found = allBlocks().filter((block) => block.marker.id === id);
  if (found.length !== 1)
    throw new Error(
      `${found.length} README blocks have id ${id} (readme-check marker): the run test of that program needs exactly one`,
    );
  return found[0]!;
}
