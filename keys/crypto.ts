// Key generation and PEM encoding shared by the PKI toolkit (ECDSA P-256 through WebCrypto).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Generates an extractable ECDSA P-256 key pair. */
export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify']);
}

/** Encodes a private key as PKCS#8 PEM (what Node's TLS and OpenSSL read). */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Imports a PKCS#8 PEM private key with its public half, for signing certificates and CRLs. */
export async function importKeyPair(privatePem: string, cert: x509.X509Certificate): Promise<CryptoKeyPair> {
  const der = x509.PemConverter.decodeFirst(privatePem);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, EC_ALGORITHM, true, ['sign']);
  const publicKey = await cert.publicKey.export(EC_ALGORITHM, ['verify']);
  return { privateKey, publicKey };
}

/** A random positive serial number of 16 bytes, hex. */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, no leading zero byte
  return Buffer.from(bytes).toString('hex');
}

export { x509 };
