// The benchmark chart: its text is there and escaped, its PNG is a real image of the intended size,
// and the same figures give the same bytes (BENCHMARKS.md and the README are committed, so a
// rerun with unchanged figures must not show a diff).
import { chartPng, chartSvg, type ChartSeries } from "../../bench/chart";

const WIDTH = 1200;
const HEIGHT = 500;
const PNG_SIGNATURE = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
]);

function points(
  wallSeconds: number[],
  perSecret: number[],
): ChartSeries["points"] {
  return [10, 100, 1000].map((secrets, i) => ({
    secrets,
    createWallMs: wallSeconds[i]! * 1000,
    requestsPerSecret: perSecret[i]!,
  }));
}

const SERIES: ChartSeries[] = [
  {
    label: "provider (--parallel 8)",
    points: points([12, 20, 385], [1.2, 1.04, 1.008]),
  },
  {
    label: "terraform-like (model)",
    points: points([1.4, 12, 121], [3.0, 3.0, 3.0]),
  },
  {
    label: "gh v2.83.0 (real)",
    points: points([0.24, 0.53, 2.0], [1.2, 1.04, 1.008]),
  },
];

/** Width and height from the IHDR chunk, which the PNG format puts first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Text content of every <text> element, entities left as they are. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

test("the SVG names every series, both panels, the title and the footnote", () => {
  const svg = chartSvg(SERIES, "Creating N secrets", "measured on 2 CPUs");
  const shown = texts(svg);
  for (const s of SERIES) expect(shown).toContain(s.label);
  expect(shown).toContain("create: wall time against N");
  expect(shown).toContain("create: requests per secret");
  expect(shown).toContain("Creating N secrets");
  expect(shown).toContain("measured on 2 CPUs");
  expect(svg).toMatch(/^<svg [^>]*width="1200" height="500"/);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
});

test("the wall-time axis has decade ticks covering the data, N ticks at the data's N", () => {
  const shown = texts(chartSvg(SERIES, "t"));
  for (const tick of ["0.1 s", "1 s", "10 s", "100 s", "1,000 s"])
    expect(shown).toContain(tick);
  expect(shown).not.toContain("0.01 s");
  expect(shown).not.toContain("10,000 s");
  // Once under each panel.
  expect(shown.filter((t) => t === "1,000")).toHaveLength(2);
  expect(shown.filter((t) => t === "100")).toHaveLength(2);
});

test("the bars carry their values", () => {
  const shown = texts(chartSvg(SERIES, "t"));
  expect(shown.filter((t) => t === "1.008")).toHaveLength(2);
  expect(shown.filter((t) => t === "3.0")).toHaveLength(3);
});

test("labels, title and footnote are escaped for XML", () => {
  const nasty = "a <b> & 'c'";
  const svg = chartSvg(
    [{ label: nasty, points: SERIES[0]!.points }],
    "title <&>",
    'foot "<&>"',
  );
  expect(svg).not.toContain("<b>");
  expect(svg).not.toContain(" & ");
  expect(svg).not.toContain("<&>");
  const shown = texts(svg);
  expect(shown).toContain("a &lt;b&gt; &amp; &apos;c&apos;");
  expect(shown).toContain("title &lt;&amp;&gt;");
  expect(shown).toContain("foot &quot;&lt;&amp;&gt;&quot;");
  // resvg rejects malformed XML, so this also proves the document parses.
  expect(pngSize(chartPng([{ label: nasty, points: [] }], "t <&>"))).toEqual({
    width: WIDTH,
    height: HEIGHT,
  });
});

test("the PNG is a PNG of the intended size", () => {
  const png = chartPng(SERIES, "Creating N secrets", "footnote");
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(pngSize(png)).toEqual({ width: WIDTH, height: HEIGHT });
});

test("rendering twice gives identical bytes", () => {
  expect(chartSvg(SERIES, "t", "f")).toBe(chartSvg(SERIES, "t", "f"));
  expect(chartPng(SERIES, "t", "f").equals(chartPng(SERIES, "t", "f"))).toBe(
    true,
  );
});

test("a series of one point still renders", () => {
  const one: ChartSeries[] = [
    {
      label: "only",
      points: [{ secrets: 10, createWallMs: 1500, requestsPerSecret: 1.2 }],
    },
  ];
  const svg = chartSvg(one, "t");
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  const shown = texts(svg);
  expect(shown).toContain("only");
  expect(shown).toContain("1 s");
  expect(shown).toContain("10 s");
  expect(shown).toContain("1.2");
  // The first series' marker is a circle: one in the legend, one on the plot; and one bar.
  expect(svg.match(/<circle /g)).toHaveLength(2);
  expect(svg).toMatch(
    /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[1-9][\d.]*" fill="#0072B2"\/>/,
  );
  const png = chartPng(one, "t");
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(pngSize(png)).toEqual({ width: WIDTH, height: HEIGHT });
});
