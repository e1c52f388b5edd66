// Regenerates build/icon.png (512x512): a small multilayer perceptron on a dark
// rounded square. Drawn with signed distances so edges are anti-aliased without
// any image library; run `node scripts/make-icon.mjs` after changing the design.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const MARGIN = 16;
const CORNER = 104;

const layers = [
  { x: 128, count: 3, color: [122, 162, 255] },
  { x: 256, count: 4, color: [167, 139, 250] },
  { x: 384, count: 2, color: [52, 211, 153] },
];
const NODE_RADIUS = 30;
const SPACING = 104;

const nodes = layers.map(({ x, count, color }) =>
  Array.from({ length: count }, (_, i) => ({ x, y: SIZE / 2 + (i - (count - 1) / 2) * SPACING, color })),
);
const edges = nodes.slice(1).flatMap((layer, l) => nodes[l].flatMap((a) => layer.map((b) => [a, b])));

// Coverage of a shape whose signed distance at the pixel centre is d (negative inside).
const cover = (d) => Math.min(1, Math.max(0, 0.5 - d));

function roundedRect(px, py) {
  const half = SIZE / 2 - MARGIN;
  const qx = Math.abs(px - SIZE / 2) - (half - CORNER);
  const qy = Math.abs(py - SIZE / 2) - (half - CORNER);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - CORNER;
}

function segment(px, py, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.min(1, Math.max(0, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

function blend(dst, rgb, alpha) {
  for (let c = 0; c < 3; c++) dst[c] += (rgb[c] - dst[c]) * alpha;
}

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  pixels[row] = 0; // PNG filter type: none
  for (let x = 0; x < SIZE; x++) {
    const px = x + 0.5;
    const py = y + 0.5;
    const t = (px + py) / (2 * SIZE);
    const rgb = [30 - 14 * t, 34 - 14 * t, 52 - 22 * t];
    for (const [a, b] of edges) blend(rgb, [120, 140, 210], 0.45 * cover(segment(px, py, a, b) - 3));
    for (const layer of nodes) {
      for (const node of layer) {
        const d = Math.hypot(px - node.x, py - node.y) - NODE_RADIUS;
        blend(rgb, [18, 20, 30], cover(d - 6)); // dark halo separates nodes from the lines behind
        blend(rgb, node.color, cover(d));
        blend(rgb, [255, 255, 255], 0.35 * cover(Math.hypot(px - node.x + 9, py - node.y + 9) - 9));
      }
    }
    const o = row + 1 + x * 4;
    for (let c = 0; c < 3; c++) pixels[o + c] = Math.round(Math.min(255, Math.max(0, rgb[c])));
    pixels[o + 3] = Math.round(255 * cover(roundedRect(px, py)));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);

const target = new URL('../build/icon.png', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, png);
console.log(`wrote ${target.pathname} (${png.length} bytes)`);
