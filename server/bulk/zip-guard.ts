/**
 * An XLSX file is a ZIP archive. Before handing one to the spreadsheet reader (which inflates
 * every part in memory), its central directory is read to refuse archives that would inflate
 * far beyond what a 20,000-row sheet needs ("zip bombs"). Declared sizes can lie, so the parts
 * are then inflated once with a hard output cap to measure what they really hold.
 */
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;

export interface ZipSummary {
  entries: number;
  uncompressedBytes: number;
  /** Where each part's compressed data sits, for measuring its real size. */
  parts: { method: number; localHeader: number; compressedBytes: number }[];
}

/** Reads the sizes the archive declares; null when it is not a readable ZIP (or uses ZIP64). */
export function summarizeZip(buf: Uint8Array): ZipSummary | null {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || dirOffset === 0xffffffff) return null;
  let p = dirOffset;
  let total = 0;
  const parts: ZipSummary['parts'] = [];
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || view.getUint32(p, true) !== CENTRAL_ENTRY) return null;
    const size = view.getUint32(p + 24, true);
    if (size === 0xffffffff) return null;
    total += size;
    parts.push({ method: view.getUint16(p + 10, true), compressedBytes: view.getUint32(p + 20, true), localHeader: view.getUint32(p + 42, true) });
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return { entries, uncompressedBytes: total, parts };
}

/**
 * The bytes the parts really inflate to, stopping as soon as `limit` is passed (then
 * `limit + 1`); null when a part cannot be read.
 */
export function measureInflated(buf: Uint8Array, zip: ZipSummary, limit: number): number | null {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let total = 0;
  for (const part of zip.parts) {
    const h = part.localHeader;
    if (h + 30 > buf.length || view.getUint32(h, true) !== LOCAL_ENTRY) return null;
    const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
    const data = buf.subarray(start, start + part.compressedBytes);
    if (part.method === 0) total += data.length;
    else if (part.method === 8) {
      try {
        total += inflateRawSync(data, { maxOutputLength: limit - total + 1 }).length;
      } catch (err) {
        if (err instanceof RangeError) return limit + 1;
        return null;
      }
    } else return null;
    if (total > limit) return limit + 1;
  }
  return total;
}

export const isZip = (buf: Uint8Array) => buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
