/**
 * A second app instance in its own process, for the tests that share a token cache between
 * instances: token acquisition built from the options in `IW_INSTANCE_OPTIONS` (JSON), driven over
 * IPC. Requests: `{ id, scopes, user }` → `{ id, accessToken }` or `{ id, error }`. Events:
 * `{ event: 'invalidated', partition, at }` when another instance's change reaches this one, and
 * `{ event: 'ready' }` once its invalidation channel listens.
 */
import { normalizeOptions } from '../../../src/options/normalize-options';
import { createTokenAcquisition } from '../../../src/token-acquisition/create-token-acquisition';
import type { SignedInUser } from '../../../src/token-acquisition/signed-in-user';
import { DistributedTokenCacheStore } from '../../../src/token-cache/distributed-token-cache.store';

interface Request {
  id: number;
  scopes?: string[];
  user?: SignedInUser;
  exit?: true;
}

const options = normalizeOptions(
  JSON.parse(process.env.IW_INSTANCE_OPTIONS ?? '{}'),
  {},
  { warn: () => undefined },
);
const { tokens, cache } = createTokenAcquisition(options);
const send = (message: object) => process.send?.(message);

async function main(): Promise<void> {
  const store = cache.store;
  if (store instanceof DistributedTokenCacheStore) {
    store.onInvalidate((partition) => send({ event: 'invalidated', partition, at: Date.now() }));
    await store.ready;
  }
  process.on('message', (request: Request) => {
    if (request.exit) {
      void (store instanceof DistributedTokenCacheStore ? store.close() : Promise.resolve()).then(() =>
        process.exit(0),
      );
      return;
    }
    tokens.getAccessTokenForUser(request.scopes ?? [], { user: request.user }).then(
      (token) => send({ id: request.id, accessToken: token.accessToken }),
      (error: { code?: string; message?: string }) =>
        send({ id: request.id, error: error.code ?? error.message ?? String(error) }),
    );
  });
  send({ event: 'ready' });
}

void main();
