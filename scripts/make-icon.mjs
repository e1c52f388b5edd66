// Regenerates build/icon.png (512x512) and the page's renderer/public/favicon.ico
// (16, 32 and 48 px): a small multilayer perceptron on a dark rounded square. Drawn
// with signed distances so edges are anti-aliased at every size without any image
// library; run `node scripts/make-icon.mjs` after changing the design.
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

// The design is laid out on a 512-unit square; `size` pixels sample it, with coverage measured in pixels.
function render(size) {
  const scale = size / SIZE;
  const at = (d) => cover(d * scale);
  const pixels = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    pixels[row] = 0; // PNG filter type: none
    for (let x = 0; x < size; x++) {
      const px = (x + 0.5) / scale;
      const py = (y + 0.5) / scale;
      const t = (px + py) / (2 * SIZE);
      const rgb = [30 - 14 * t, 34 - 14 * t, 52 - 22 * t];
      for (const [a, b] of edges) blend(rgb, [120, 140, 210], 0.45 * at(segment(px, py, a, b) - 3));
      for (const layer of nodes) {
        for (const node of layer) {
          const d = Math.hypot(px - node.x, py - node.y) - NODE_RADIUS;
          blend(rgb, [18, 20, 30], at(d - 6)); // dark halo separates nodes from the lines behind
          blend(rgb, node.color, at(d));
          blend(rgb, [255, 255, 255], 0.35 * at(Math.hypot(px - node.x + 9, py - node.y + 9) - 9));
        }
      }
      const o = row + 1 + x * 4;
      for (let c = 0; c < 3; c++) pixels[o + c] = Math.round(Math.min(255, Math.max(0, rgb[c])));
      pixels[o + 3] = Math.round(255 * at(roundedRect(px, py)));
    }
  }
  return png(size, pixels);
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

function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// An ICO file whose images are PNGs (read by every browser since Internet Explorer 11).
function ico(images) {
  const head = Buffer.alloc(6 + 16 * images.length);
  head.writeUInt16LE(1, 2); // type: icon
  head.writeUInt16LE(images.length, 4);
  let offset = head.length;
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    head[entry] = size % 256;
    head[entry + 1] = size % 256;
    head.writeUInt16LE(1, entry + 4); // colour planes
    head.writeUInt16LE(32, entry + 6); // bits per pixel
    head.writeUInt32LE(data.length, entry + 8);
    head.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...images.map(({ data }) => data)]);
}

function write(relative, bytes) {
  const target = new URL(relative, import.meta.url);
  mkdirSync(new URL('.', target), { recursive: true });
  writeFileSync(target, bytes);
  console.log(`wrote ${target.pathname} (${bytes.length} bytes)`);
}

write('../build/icon.png', render(SIZE));
write('../renderer/public/favicon.ico', ico([16, 32, 48].map((size) => ({ size, data: render(size) }))));
