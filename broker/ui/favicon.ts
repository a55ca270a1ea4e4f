// The pages' icon, drawn in code (a 16×16 ICO): a white "S" on the Rijkshuisstijl blue, so no binary file is needed.

/** The glyph, one string per row ('#' white, '.' blue). */
const GLYPH = [
  '................',
  '................',
  '.....######.....',
  '....########....',
  '...###....###...',
  '...###..........',
  '....#####.......',
  '.....######.....',
  '.......#####....',
  '..........###...',
  '...###....###...',
  '....########....',
  '.....######.....',
  '................',
  '................',
  '................',
];

/** Lintblauw (#154273), the Rijkshuisstijl blue, as B, G, R, A. */
const BLUE = [0x73, 0x42, 0x15, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];

/**
 * The icon as an ICO file: one 16×16 32-bit bitmap (rows bottom-up, as BMP stores them) with an
 * all-opaque AND mask.
 */
export function faviconIco(): Uint8Array<ArrayBuffer> {
  const size = 16;
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    const row = GLYPH[size - 1 - y]!;
    for (let x = 0; x < size; x++) {
      Buffer.from(row[x] === '#' ? WHITE : BLUE).copy(pixels, (y * size + x) * 4);
    }
  }
  const mask = Buffer.alloc(size * 4); // 1 bit per pixel, rows padded to 32 bits; 0 = opaque
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0); // header size
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // height counts the XOR bitmap and the AND mask
  info.writeUInt16LE(1, 12); // planes
  info.writeUInt16LE(32, 14); // bits per pixel
  info.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([info, pixels, mask]);
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt8(0, 8); // no palette
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(header.length, 18); // offset of the image
  return new Uint8Array(Buffer.concat([header, image]));
}
