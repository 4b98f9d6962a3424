import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** A key of the ring: its id and its 32 bytes (base64). */
export interface CodecKey {
  id: string;
  key: string;
}

/** A partition as read back: its JSON and when it was written (seconds since the epoch). */
export interface DecodedPartition {
  json: string;
  writtenAt: number;
}

/**
 * Turns a partition's JSON into what a distributed store keeps, and back: deflated, with the
 * time it was written, then (with keys) encrypted with AES-256-GCM under the ring's first key,
 * the storage key as associated data. A value copied under another key, tampered with, written
 * under a key no longer in the ring, or not ours at all decodes to `undefined`.
 *
 * Stored forms: `z1.<base64>` (compressed only) and `e1.<key id>.<base64 of iv, tag, ciphertext>`.
 *
 * @example
 * ```ts
 * const codec = new TokenCacheCodec([{ id: '2026-12', key: process.env.TOKEN_CACHE_KEY! }]);
 * const stored = codec.encode('iw:client:user:uid.utid', json, Math.floor(Date.now() / 1000));
 * codec.decode('iw:client:user:uid.utid', stored)?.json; // json
 * ```
 */
export class TokenCacheCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer } | undefined;

  constructor(keys: readonly CodecKey[] = []) {
    this.keys = new Map(keys.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
    for (const [id, key] of this.keys) {
      if (key.length !== 32) throw new Error(`Token cache key "${id}" is not 32 bytes.`);
    }
    this.current = keys[0] && { id: keys[0].id, key: this.keys.get(keys[0].id)! };
  }

  /** `true` when values are encrypted. */
  get encrypts(): boolean {
    return this.current !== undefined;
  }

  encode(storageKey: string, json: string, writtenAt: number): string {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(writtenAt >>> 0);
    const plain = Buffer.concat([header, deflateRawSync(Buffer.from(json, 'utf8'))]);
    if (!this.current) return `z1.${plain.toString('base64')}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(storageKey, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return `e1.${this.current.id}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  /** `true` when `stored` was sealed with the current (first) key, or, with no keys, only compressed. */
  sealedWithCurrentKey(stored: string): boolean {
    return this.current ? stored.startsWith(`e1.${this.current.id}.`) : stored.startsWith('z1.');
  }

  /** The partition, or `undefined` when `stored` does not decrypt or parse (never throws). */
  decode(storageKey: string, stored: string): DecodedPartition | undefined {
    try {
      let plain: Buffer;
      if (stored.startsWith('z1.')) {
        // An unencrypted value where keys are configured may have been planted: refuse it.
        if (this.current) return undefined;
        plain = Buffer.from(stored.slice(3), 'base64');
      } else if (stored.startsWith('e1.')) {
        const dot = stored.indexOf('.', 3);
        const key = this.keys.get(stored.slice(3, dot));
        if (dot < 0 || !key) return undefined;
        const sealed = Buffer.from(stored.slice(dot + 1), 'base64');
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
        decipher.setAAD(Buffer.from(storageKey, 'utf8'));
        decipher.setAuthTag(sealed.subarray(12, 28));
        plain = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
      } else {
        return undefined;
      }
      const json = inflateRawSync(plain.subarray(4)).toString('utf8');
      JSON.parse(json);
      return { json, writtenAt: plain.readUInt32BE(0) };
    } catch {
      return undefined;
    }
  }
}
