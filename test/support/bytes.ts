/**
 * Pieces of bytes (a snapshot as its encoder hands it over) as one buffer, placed `offset` bytes
 * into a larger one (as a pooled Buffer may be).
 */
export function joined(pieces: readonly Uint8Array[], offset = 0): Uint8Array {
  const total = pieces.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(offset + total);
  let at = offset;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out.subarray(offset);
}
