import { SNAPSHOT_FORMAT, type RankingSnapshot } from "./ranking-snapshot";
import { runToEnd, type Steps } from "./steps";

export class SnapshotFormatError extends Error {
  override name = "SnapshotFormatError";
}

type TypedArrayField =
  | "productTypeOf"
  | "prices"
  | "flags"
  | "popularity"
  | "popularOrder"
  | "typeOffsets"
  | "typeMembers"
  | "candidateOffsets"
  | "candidates"
  | "candidateScores"
  | "candidateOrders"
  | "candidateReasons"
  | "similarOffsets"
  | "similar"
  | "similarScores";

type TypedArrayConstructor =
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Uint8ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

const TYPED_FIELDS: Readonly<Record<TypedArrayField, TypedArrayConstructor>> = {
  productTypeOf: Int32Array,
  prices: Float64Array,
  flags: Uint8Array,
  popularity: Float32Array,
  popularOrder: Uint32Array,
  typeOffsets: Uint32Array,
  typeMembers: Uint32Array,
  candidateOffsets: Uint32Array,
  candidates: Uint32Array,
  candidateScores: Float32Array,
  candidateOrders: Uint32Array,
  candidateReasons: Uint8Array,
  similarOffsets: Uint32Array,
  similar: Uint32Array,
  similarScores: Float32Array,
};

/** Characters in each part of serializeSnapshotSteps but the last: a few milliseconds to encode or write. */
export const SNAPSHOT_PART_CHARS = 256 * 1024;

/**
 * JSON text for storage or transfer. Typed arrays are written as base64 of their bytes
 * (little-endian, as on every platform Node and browsers run on): exact, about a third the size
 * of number lists, and parsed without creating a JavaScript number per element.
 */
export function serializeSnapshot(snapshot: RankingSnapshot): string {
  return runToEnd(serializeSnapshotSteps(snapshot)).join("");
}

/**
 * serializeSnapshot's text in parts of `partChars` characters (the last may be shorter),
 * yielding as parts complete: a large shop's text is megabytes, which the server encodes and
 * stores a part at a time between storefront requests.
 */
export function* serializeSnapshotSteps(snapshot: RankingSnapshot, partChars = SNAPSHOT_PART_CHARS): Steps<string[]> {
  const parts: string[] = [];
  let pending = "";
  /** Whether a part was completed. */
  const add = (text: string) => {
    pending += text;
    const completed = pending.length >= partChars;
    while (pending.length >= partChars) {
      parts.push(pending.slice(0, partChars));
      pending = pending.slice(partChars);
    }
    return completed;
  };
  const { format, version, builtAt, orderCount, productIds, titles, productTypes } = snapshot;
  const header = JSON.stringify({ format, version, builtAt, orderCount, productIds, titles, productTypes });
  if (add(`${header.slice(0, -1)},"arrays":{`)) yield;
  // Base64 of whole 3-byte groups ends without padding, so the slices' texts join into the array's.
  const sliceBytes = Math.max(3, Math.floor((partChars * 3) / 4 / 3) * 3);
  let first = true;
  for (const field of Object.keys(TYPED_FIELDS) as TypedArrayField[]) {
    const array = snapshot[field];
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    add(`${first ? "" : ","}${JSON.stringify(field)}:"`);
    first = false;
    for (let start = 0; start < bytes.length; start += sliceBytes) {
      if (add(encodeBase64(bytes.subarray(start, start + sliceBytes)))) yield;
    }
    add('"');
  }
  add("}}");
  if (pending) parts.push(pending);
  return parts;
}

/** Inverse of serializeSnapshot; throws SnapshotFormatError for anything it did not write. */
export function deserializeSnapshot(text: string): RankingSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SnapshotFormatError("The snapshot is not JSON.");
  }
  if (!isRecord(data) || data.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotFormatError(`Expected a snapshot in format ${SNAPSHOT_FORMAT}.`);
  }
  const { version, builtAt, orderCount, productIds, titles, productTypes, arrays } = data;
  if (
    typeof version !== "string" ||
    typeof builtAt !== "number" ||
    typeof orderCount !== "number" ||
    !isStringArray(productIds) ||
    !isStringArray(titles) ||
    !isStringArray(productTypes) ||
    !isRecord(arrays)
  ) {
    throw new SnapshotFormatError("The snapshot is missing fields.");
  }
  const decoded = {} as Record<TypedArrayField, Int32Array | Uint32Array | Uint8Array | Float32Array | Float64Array>;
  for (const [field, Constructor] of Object.entries(TYPED_FIELDS) as [TypedArrayField, TypedArrayConstructor][]) {
    const encoded = arrays[field];
    if (typeof encoded !== "string") throw new SnapshotFormatError(`The snapshot has no ${field}.`);
    const bytes = decodeBase64(encoded);
    if (bytes.byteLength % Constructor.BYTES_PER_ELEMENT !== 0) throw new SnapshotFormatError(`${field} has a partial element.`);
    decoded[field] = new Constructor(bytes.buffer, bytes.byteOffset, bytes.byteLength / Constructor.BYTES_PER_ELEMENT);
  }
  const count = productIds.length;
  const candidateOffsets = decoded.candidateOffsets as Uint32Array;
  const similarOffsets = decoded.similarOffsets as Uint32Array;
  if (
    titles.length !== count ||
    decoded.productTypeOf.length !== count ||
    decoded.prices.length !== count ||
    decoded.popularity.length !== count ||
    candidateOffsets.length !== count + 1 ||
    candidateOffsets[count] !== decoded.candidates.length ||
    decoded.candidateScores.length !== decoded.candidates.length ||
    similarOffsets.length !== count + 1 ||
    similarOffsets[count] !== decoded.similar.length
  ) {
    throw new SnapshotFormatError("The snapshot's arrays do not agree in length.");
  }
  const positions = new Map<string, number>();
  productIds.forEach((id, position) => positions.set(id, position));
  return Object.freeze({
    format: SNAPSHOT_FORMAT,
    version,
    builtAt,
    orderCount,
    productIds,
    titles,
    productTypes,
    productTypeOf: decoded.productTypeOf as Int32Array,
    prices: decoded.prices as Float64Array,
    flags: decoded.flags as Uint8Array,
    popularity: decoded.popularity as Float32Array,
    popularOrder: decoded.popularOrder as Uint32Array,
    typeOffsets: decoded.typeOffsets as Uint32Array,
    typeMembers: decoded.typeMembers as Uint32Array,
    candidateOffsets,
    candidates: decoded.candidates as Uint32Array,
    candidateScores: decoded.candidateScores as Float32Array,
    candidateOrders: decoded.candidateOrders as Uint32Array,
    candidateReasons: decoded.candidateReasons as Uint8Array,
    similarOffsets,
    similar: decoded.similar as Uint32Array,
    similarScores: decoded.similarScores as Float32Array,
    positions,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

// Core stays free of Node's Buffer and the browser's atob so it runs anywhere unchanged.
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0));
const PAD = 61; // "="

export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const triple = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o] = ALPHABET_CODES[triple >>> 18] as number;
    out[o + 1] = ALPHABET_CODES[(triple >>> 12) & 63] as number;
    out[o + 2] = ALPHABET_CODES[(triple >>> 6) & 63] as number;
    out[o + 3] = ALPHABET_CODES[triple & 63] as number;
    o += 4;
  }
  if (whole < bytes.length) {
    const second = whole + 1 < bytes.length;
    const triple = ((bytes[whole] as number) << 16) | (second ? (bytes[whole + 1] as number) << 8 : 0);
    out[o] = ALPHABET_CODES[triple >>> 18] as number;
    out[o + 1] = ALPHABET_CODES[(triple >>> 12) & 63] as number;
    out[o + 2] = second ? (ALPHABET_CODES[(triple >>> 6) & 63] as number) : PAD;
    out[o + 3] = PAD;
  }
  // The output is ASCII, so Latin-1 decoding is exact and runs natively.
  return new TextDecoder("latin1").decode(out);
}

export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new SnapshotFormatError("Invalid base64 length.");
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let out = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const value = code === 61 ? 0 : code < 128 ? LOOKUP[code] ?? -1 : -1;
      if (value < 0) throw new SnapshotFormatError("Invalid base64 character.");
      triple = (triple << 6) | value;
    }
    if (out < bytes.length) bytes[out++] = (triple >> 16) & 255;
    if (out < bytes.length) bytes[out++] = (triple >> 8) & 255;
    if (out < bytes.length) bytes[out++] = triple & 255;
  }
  return bytes;
}
