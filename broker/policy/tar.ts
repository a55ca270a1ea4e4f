// A minimal reader and writer for the gzipped ustar archives `opa build` writes (bundle.tar.gz).
import { gunzipSync, gzipSync } from 'node:zlib';
import { PolicyBundleInvalidError } from './errors.ts';

const BLOCK = 512;
/** Larger bundles are refused; the default bundle is well under 1 MiB (gzip-bomb guard). */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

/** One regular file of an archive; `name` has no leading slash. */
export interface ArchiveFile {
  readonly name: string;
  readonly content: Buffer;
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length).toString('utf8');
  const nul = raw.indexOf('\0');
  return nul === -1 ? raw : raw.slice(0, nul);
}

function paxPath(content: Buffer): string | undefined {
  // PAX records are "<len> key=value\n"; only `path` matters for bundle file names.
  for (const line of content.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/s.exec(line);
    if (match !== null) return match[1];
  }
  return undefined;
}

/**
 * Unpacks a gzipped tar into its regular files, in archive order.
 *
 * @throws PolicyBundleInvalidError (ERR_POLICY_BUNDLE_INVALID) when it is not a gzipped tar, is too
 *   large, or holds a link, a device or the same file twice.
 */
export function readTarGz(archive: Uint8Array): ArchiveFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    throw new PolicyBundleInvalidError('The bundle is not a gzipped tar archive.', { cause: error });
  }
  const files: ArchiveFile[] = [];
  const seen = new Set<string>();
  let nextName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = field(header, 156, 1);
    if (!Number.isSafeInteger(size) || size < 0 || at + BLOCK + size > tar.length) {
      throw new PolicyBundleInvalidError('The bundle archive is truncated or corrupt.');
    }
    const content = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      nextName = paxPath(content);
      continue;
    }
    if (type === 'g' || type === '5') continue;
    if (type !== '0' && type !== '') {
      throw new PolicyBundleInvalidError(`The bundle archive holds an entry of type "${type}".`);
    }
    const prefix = field(header, 345, 155);
    const plain = prefix === '' ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`;
    const name = (nextName ?? plain).replace(/^\/+/, '');
    nextName = undefined;
    if (seen.has(name)) throw new PolicyBundleInvalidError(`The bundle archive holds ${name} twice.`);
    seen.add(name);
    files.push({ name, content: Buffer.from(content) });
  }
  return files;
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

function header(name: string, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new PolicyBundleInvalidError(`File name too long: ${name}`);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o600, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0' + '00', 257, 'ascii');
  const sum = block.reduce((total, b) => total + b, 0);
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return block;
}

/**
 * Packs files into a gzipped ustar archive the way `opa build` does: names with a leading slash,
 * mode 0600, owner 0 and time 0, so the same files give the same bytes.
 */
export function writeTarGz(files: readonly ArchiveFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(header(`/${file.name}`, file.content.length), file.content);
    const pad = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}
