// Screenshot comparison for the browser suite: a page's 1280×800 screenshot against the one stored in
// docs/screenshots/, pixel by pixel (pixelmatch) within a tolerance. Regions that legitimately
// change from run to run (ports, temporary paths, "since …" times, the spend windows that depend on
// today's date) are painted over identically in both images before comparing, so the stored
// screenshots stay clean for the docs. A missing stored screenshot, or UPDATE_SCREENSHOTS=1, writes
// the new one; a failed comparison writes the actual and a diff image to the artefacts folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** Per-pixel colour distance pixelmatch tolerates (0..1), and the share of pixels allowed to differ. */
export const PIXEL_THRESHOLD = 0.1;
export const MAX_DIFF_RATIO = 0.005;

/** Bounding boxes (page pixels) of the elements that match any of the selectors, within the viewport. */
export async function volatileBoxes(page, selectors) {
  if (selectors.length === 0) return [];
  return page.$$eval(selectors.join(', '), (elements) =>
    elements
      .map((element) => element.getBoundingClientRect())
      .filter((box) => box.width > 0 && box.height > 0)
      .map((box) => ({ x: Math.floor(box.left), y: Math.floor(box.top), width: Math.ceil(box.width) + 1, height: Math.ceil(box.height) + 1 })),
  );
}

function paint(png, boxes) {
  for (const box of boxes) {
    for (let y = Math.max(0, box.y); y < Math.min(png.height, box.y + box.height); y += 1) {
      for (let x = Math.max(0, box.x); x < Math.min(png.width, box.x + box.width); x += 1) {
        const offset = (y * png.width + x) * 4;
        png.data[offset] = 255;
        png.data[offset + 1] = 0;
        png.data[offset + 2] = 255;
        png.data[offset + 3] = 255;
      }
    }
  }
}

/**
 * Compares `actual` (PNG bytes) with docs/screenshots/<name>.png. Returns a sentence for the report;
 * throws when the images differ by more than the tolerance.
 */
export function compareWithStored({ actual, name, storedDir, artefactsDir, boxes, update }) {
  const storedPath = join(storedDir, `${name}.png`);
  if (update || !existsSync(storedPath)) {
    writeFileSync(storedPath, actual);
    return `${name}.png ${update ? 'updated' : 'stored (there was none)'}`;
  }
  const expected = PNG.sync.read(readFileSync(storedPath));
  const shot = PNG.sync.read(actual);
  if (expected.width !== shot.width || expected.height !== shot.height) {
    mkdirSync(artefactsDir, { recursive: true });
    writeFileSync(join(artefactsDir, `${name}.actual.png`), actual);
    throw new Error(`${name}: ${shot.width}×${shot.height}, stored ${expected.width}×${expected.height} (actual in ${artefactsDir})`);
  }
  paint(expected, boxes);
  paint(shot, boxes);
  const diff = new PNG({ width: shot.width, height: shot.height });
  const different = pixelmatch(expected.data, shot.data, diff.data, shot.width, shot.height, { threshold: PIXEL_THRESHOLD });
  const ratio = different / (shot.width * shot.height);
  if (ratio > MAX_DIFF_RATIO) {
    mkdirSync(artefactsDir, { recursive: true });
    writeFileSync(join(artefactsDir, `${name}.actual.png`), actual);
    writeFileSync(join(artefactsDir, `${name}.diff.png`), PNG.sync.write(diff));
    throw new Error(
      `${name}: ${different} pixels (${(ratio * 100).toFixed(2)}%) differ from docs/screenshots/${name}.png, more than ${(MAX_DIFF_RATIO * 100).toFixed(1)}% — diff in ${join(artefactsDir, `${name}.diff.png`)}; UPDATE_SCREENSHOTS=1 stores the new look`,
    );
  }
  return `${name}: ${(ratio * 100).toFixed(3)}% of pixels differ`;
}
