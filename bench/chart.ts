// The chart in BENCHMARKS.md and the README: for each tool, the wall time of creating N secrets
// and the requests each secret cost, side by side. The SVG is the source; the PNG is what the
// README shows, rasterised here so it reads the same whatever fonts the viewer has.

export interface ChartSeries {
  label: string;
  points: {
    secrets: number;
    createWallMs: number;
    requestsPerSecret: number;
  }[];
}

const WIDTH = 1200;
const HEIGHT = 500;
const FONT = "DejaVu Sans";

// Okabe-Ito, without its yellow (unreadable on white) unless there are eight series.
const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#000000",
  "#F0E442",
];
// A second cue besides colour, for print and for the colour-blind.
const MARKERS = ["circle", "square", "triangle", "diamond"] as const;
type Marker = (typeof MARKERS)[number];

const INK = "#222222";
const AXIS = "#444444";
const GRID = "#dddddd";
const MINOR_GRID = "#f0f0f0";

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A coordinate with one decimal: short output, and the same bytes on every machine. */
function c(v: number): string {
  const s = v.toFixed(1).replace(/\.0$/, "");
  return s === "-0" ? "0" : s;
}

function text(
  x: number,
  y: number,
  content: string,
  attrs: Record<string, string | number> = {},
): string {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === "number" ? c(v) : v}"`)
    .join("");
  return `<text x="${c(x)}" y="${c(y)}"${extra}>${escapeXml(content)}</text>`;
}

function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  stroke: string,
  width = 1,
): string {
  return `<line x1="${c(x1)}" y1="${c(y1)}" x2="${c(x2)}" y2="${c(y2)}" stroke="${stroke}" stroke-width="${width}"/>`;
}

function marker(kind: Marker, x: number, y: number, fill: string): string {
  const r = 4.5;
  const edge = `fill="${fill}" stroke="#ffffff" stroke-width="1"`;
  switch (kind) {
    case "circle":
      return `<circle cx="${c(x)}" cy="${c(y)}" r="${r}" ${edge}/>`;
    case "square":
      return `<rect x="${c(x - r)}" y="${c(y - r)}" width="${2 * r}" height="${2 * r}" ${edge}/>`;
    case "triangle":
      return `<path d="M${c(x)} ${c(y - r * 1.2)}L${c(x + r * 1.2)} ${c(y + r)}L${c(x - r * 1.2)} ${c(y + r)}Z" ${edge}/>`;
    case "diamond":
      return `<path d="M${c(x)} ${c(y - r * 1.3)}L${c(x + r * 1.3)} ${c(y)}L${c(x)} ${c(y + r * 1.3)}L${c(x - r * 1.3)} ${c(y)}Z" ${edge}/>`;
  }
}

/** Thousands separated by commas, not by the machine's locale. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** At most three decimals, at least one: 3.0, 1.2, 1.04, 1.008. */
function ratio(v: number): string {
  return v
    .toFixed(3)
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, ".0");
}

function decadeLabel(exp: number): string {
  return exp < 0 ? `${(10 ** exp).toFixed(-exp)} s` : `${grouped(10 ** exp)} s`;
}

/** Width of a string in DejaVu Sans, generously: only to keep labels from colliding. */
function textWidth(content: string, size: number): number {
  return content.length * size * 0.6;
}

function colour(i: number, count: number): string {
  const usable = count >= PALETTE.length ? PALETTE.length : PALETTE.length - 1;
  return PALETTE[i % usable]!;
}

function distinctNs(series: ChartSeries[]): number[] {
  const ns = new Set<number>();
  for (const s of series) for (const p of s.points) ns.add(p.secrets);
  return [...ns].sort((a, b) => a - b);
}

/** Legend entries laid out in centred rows; returns the SVG and the height it took. */
function legend(
  series: ChartSeries[],
  top: number,
): { svg: string[]; height: number } {
  const size = 14;
  const swatch = 30;
  const gap = 28;
  const rowHeight = 22;
  const maxRow = WIDTH - 80;
  const widths = series.map((s) => swatch + 8 + textWidth(s.label, size));
  const rows: number[][] = [];
  let row: number[] = [];
  let rowWidth = 0;
  widths.forEach((w, i) => {
    if (row.length > 0 && rowWidth + gap + w > maxRow) {
      rows.push(row);
      row = [];
      rowWidth = 0;
    }
    rowWidth += (row.length > 0 ? gap : 0) + w;
    row.push(i);
  });
  if (row.length > 0) rows.push(row);
  const svg: string[] = [];
  rows.forEach((indices, r) => {
    const total =
      indices.reduce((sum, i) => sum + widths[i]!, 0) +
      gap * (indices.length - 1);
    let x = (WIDTH - total) / 2;
    const y = top + r * rowHeight;
    for (const i of indices) {
      const fill = colour(i, series.length);
      svg.push(line(x, y, x + swatch, y, fill, 2.5));
      svg.push(marker(MARKERS[i % MARKERS.length]!, x + swatch / 2, y, fill));
      svg.push(
        text(x + swatch + 8, y + size * 0.36, series[i]!.label, {
          "font-size": size,
          fill: INK,
        }),
      );
      x += widths[i]! + gap;
    }
  });
  return { svg, height: rows.length * rowHeight };
}

const TICK_SIZE = 13;
const AXIS_TITLE_SIZE = 14;

/**
 * The plot inside a panel's area: its left edge moves right past the widest y tick label, so a
 * long label ("1,000 s") never runs into the rotated axis title.
 */
function plotBox(area: Box, yLabels: string[]): Box {
  const widest = Math.max(0, ...yLabels.map((l) => textWidth(l, TICK_SIZE)));
  return { ...area, left: area.left + AXIS_TITLE_SIZE + 14 + widest + 9 };
}

/** Panel title, axis lines and axis titles shared by both panels. */
function frame(area: Box, box: Box, title: string, yTitle: string): string[] {
  const midY = (box.top + box.bottom) / 2;
  // The baseline of the rotated title; its glyphs stand to the left of it.
  const yTitleX = area.left + AXIS_TITLE_SIZE + 4;
  return [
    text((box.left + box.right) / 2, box.top - 14, title, {
      "font-size": 16,
      "font-weight": "bold",
      "text-anchor": "middle",
      fill: INK,
    }),
    line(box.left, box.top, box.left, box.bottom, AXIS),
    line(box.left, box.bottom, box.right, box.bottom, AXIS),
    text((box.left + box.right) / 2, box.bottom + 44, "N (secrets created)", {
      "font-size": AXIS_TITLE_SIZE,
      "text-anchor": "middle",
      fill: INK,
    }),
    text(yTitleX, midY, yTitle, {
      "font-size": AXIS_TITLE_SIZE,
      "text-anchor": "middle",
      fill: INK,
      transform: `rotate(-90 ${c(yTitleX)} ${c(midY)})`,
    }),
  ];
}

function xTickLabel(x: number, box: Box, n: number): string[] {
  return [
    line(x, box.bottom, x, box.bottom + 5, AXIS),
    text(x, box.bottom + 20, grouped(n), {
      "font-size": TICK_SIZE,
      "text-anchor": "middle",
      fill: INK,
    }),
  ];
}

function yTickLabel(y: number, box: Box, label: string): string[] {
  return [
    line(box.left - 5, y, box.left, y, AXIS),
    text(box.left - 9, y + TICK_SIZE * 0.35, label, {
      "font-size": TICK_SIZE,
      "text-anchor": "end",
      fill: INK,
    }),
  ];
}

function wallPanel(series: ChartSeries[], area: Box): string[] {
  // A log axis cannot show zero; such a point would be a failed measurement anyway.
  const plotted = series.map((s) =>
    s.points
      .filter((p) => p.secrets > 0 && p.createWallMs > 0)
      .sort((a, b) => a.secrets - b.secrets),
  );
  const ns = distinctNs(series).filter((n) => n > 0);
  const seconds = plotted.flat().map((p) => p.createWallMs / 1000);
  let lowExp = seconds.length
    ? Math.floor(Math.log10(Math.min(...seconds)))
    : 0;
  let highExp = seconds.length
    ? Math.ceil(Math.log10(Math.max(...seconds)))
    : 1;
  if (highExp <= lowExp) highExp = lowExp + 1;
  // Keep room above the top line and below the bottom one when they sit on a decade.
  if (seconds.length && Math.max(...seconds) === 10 ** highExp) highExp += 1;
  if (seconds.length && Math.min(...seconds) === 10 ** lowExp) lowExp -= 1;
  const decades: number[] = [];
  for (let e = lowExp; e <= highExp; e++) decades.push(e);
  const box = plotBox(area, decades.map(decadeLabel));
  const out = frame(
    area,
    box,
    "create: wall time against N",
    "wall time (s, log scale)",
  );

  const logNs = ns.map(Math.log10);
  const minX = logNs.length ? Math.min(...logNs) : 0;
  const maxX = logNs.length ? Math.max(...logNs) : 1;
  // The outer N values sit inside the axis, not on its ends.
  const pad = maxX > minX ? (maxX - minX) * 0.12 : 0.5;
  const xOf = (n: number) =>
    box.left +
    ((Math.log10(n) - (minX - pad)) / (maxX - minX + 2 * pad)) *
      (box.right - box.left);
  const yOf = (ms: number) =>
    box.bottom -
    ((Math.log10(ms / 1000) - lowExp) / (highExp - lowExp)) *
      (box.bottom - box.top);

  const grid: string[] = [];
  const ticks: string[] = [];
  for (const e of decades) {
    const y = yOf(10 ** e * 1000);
    if (e > lowExp) grid.push(line(box.left, y, box.right, y, GRID));
    ticks.push(...yTickLabel(y, box, decadeLabel(e)));
    if (e < highExp)
      for (let m = 2; m <= 9; m++) {
        const ym = yOf(m * 10 ** e * 1000);
        grid.push(line(box.left, ym, box.right, ym, MINOR_GRID));
      }
  }
  for (const n of ns) {
    const x = xOf(n);
    grid.push(line(x, box.top, x, box.bottom, MINOR_GRID));
    ticks.push(...xTickLabel(x, box, n));
  }
  // Gridlines first, so the axes and data are drawn over them.
  out.unshift(...grid);
  out.push(...ticks);

  plotted.forEach((points, i) => {
    const fill = colour(i, series.length);
    if (points.length > 1)
      out.push(
        `<polyline points="${points.map((p) => `${c(xOf(p.secrets))},${c(yOf(p.createWallMs))}`).join(" ")}" fill="none" stroke="${fill}" stroke-width="2.5" stroke-linejoin="round"/>`,
      );
    for (const p of points)
      out.push(
        marker(
          MARKERS[i % MARKERS.length]!,
          xOf(p.secrets),
          yOf(p.createWallMs),
          fill,
        ),
      );
  });
  return out;
}

/** A round step for a linear axis from 0 to max, about five ticks. */
function linearStep(max: number): number {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const f of [1, 2, 2.5, 5])
    if (f * magnitude >= raw) return f * magnitude;
  return 10 * magnitude;
}

function requestsPanel(series: ChartSeries[], area: Box): string[] {
  const ns = distinctNs(series);
  const values = series.flatMap((s) =>
    s.points.map((p) => p.requestsPerSecret),
  );
  // Headroom for the value labels above the tallest bar.
  const peak = Math.max(0, ...values) * 1.1;
  const step = peak > 0 ? linearStep(peak) : 0.25;
  const top = Math.max(step, Math.ceil(peak / step) * step);
  const tickValues: number[] = [];
  for (let t = 0; t <= Math.round(top / step); t++) tickValues.push(t * step);
  // Rounded, or 0.1 + 0.2 would print as 0.30000000000000004.
  const tickLabel = (v: number) => String(Number(v.toFixed(3)));
  const box = plotBox(area, tickValues.map(tickLabel));
  const out = frame(
    area,
    box,
    "create: requests per secret",
    "requests per secret",
  );
  const yOf = (v: number) => box.bottom - (v / top) * (box.bottom - box.top);

  const grid: string[] = [];
  const ticks: string[] = [];
  for (const v of tickValues) {
    const y = yOf(v);
    if (v > 0) grid.push(line(box.left, y, box.right, y, GRID));
    ticks.push(...yTickLabel(y, box, tickLabel(v)));
  }
  out.unshift(...grid);
  out.push(...ticks);

  const groupWidth = (box.right - box.left) / Math.max(ns.length, 1);
  // Every series keeps its slot in every group, so colours line up across N.
  // Capped, or a lone series would draw one bar as wide as the panel.
  const slot = Math.min((groupWidth * 0.8) / Math.max(series.length, 1), 64);
  const barWidth = slot * 0.86;
  const labelSize = 12;
  const widest = Math.max(
    0,
    ...values.map((v) => textWidth(ratio(v), labelSize)),
  );
  // Labels wider than their slot would run into the neighbour's: leave them all out instead.
  const labelled = widest <= slot;
  ns.forEach((n, g) => {
    const centre = box.left + (g + 0.5) * groupWidth;
    const groupLeft = centre - (slot * series.length) / 2;
    out.push(...xTickLabel(centre, box, n));
    series.forEach((s, i) => {
      const p = s.points.find((q) => q.secrets === n);
      if (!p) return;
      const x = groupLeft + i * slot + (slot - barWidth) / 2;
      const y = yOf(Math.max(p.requestsPerSecret, 0));
      out.push(
        `<rect x="${c(x)}" y="${c(y)}" width="${c(barWidth)}" height="${c(box.bottom - y)}" fill="${colour(i, series.length)}"/>`,
      );
      if (labelled)
        out.push(
          text(x + barWidth / 2, y - 5, ratio(p.requestsPerSecret), {
            "font-size": labelSize,
            "text-anchor": "middle",
            fill: INK,
          }),
        );
    });
  });
  return out;
}

/** An SVG document: two panels side by side. */
export function chartSvg(
  series: ChartSeries[],
  title: string,
  footnote?: string,
): string {
  const body: string[] = [];
  body.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  body.push(
    text(WIDTH / 2, 32, title, {
      "font-size": 22,
      "font-weight": "bold",
      "text-anchor": "middle",
      fill: INK,
    }),
  );
  const key = legend(series, 60);
  body.push(...key.svg);
  // The panels move down when the legend needs a second row.
  const plotTop = 60 + key.height + 42;
  const plotBottom = footnote ? 400 : 412;
  body.push(
    ...wallPanel(series, {
      left: 12,
      top: plotTop,
      right: 575,
      bottom: plotBottom,
    }),
  );
  body.push(
    ...requestsPanel(series, {
      left: 625,
      top: plotTop,
      right: 1185,
      bottom: plotBottom,
    }),
  );
  if (footnote)
    body.push(
      text(WIDTH / 2, HEIGHT - 14, footnote, {
        "font-size": 12,
        "text-anchor": "middle",
        fill: "#555555",
      }),
    );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="'${FONT}', sans-serif">`,
    ...body.map((e) => `  ${e}`),
    "</svg>",
    "",
  ].join("\n");
}

/** The SVG rasterised to PNG by @resvg/resvg-js (system font DejaVu Sans, present under /usr/share/fonts). */
export function chartPng(
  series: ChartSeries[],
  title: string,
  footnote?: string,
): Buffer {
  // Loaded here, not at the top: the native binding costs nothing to callers that want only SVG.
  const { Resvg } =
    require("@resvg/resvg-js") as typeof import("@resvg/resvg-js");
  const svg = chartSvg(series, title, footnote);
  return new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
    fitTo: { mode: "original" },
  })
    .render()
    .asPng();
}
