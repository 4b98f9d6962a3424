import type { RunningEmulator } from '../../src/index';
import { useEmulator } from '../../src/testing';

/** A request the emulator must refuse, and how: the status and the error it names. */
export interface MalformedRequest {
  name: string;
  method?: string;
  /** `/T/` at the start stands for the emulator's tenant. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  /** Expected `error` (Entra shape) or `error.code` (Graph shape); absent for HTML pages. */
  error?: string;
  aadsts?: number;
}

/** Sends `c` to the emulator and checks the answer has the status and the shape of the error asked for. */
export async function expectRefusedInShape(emulator: RunningEmulator, c: MalformedRequest): Promise<void> {
  const res = await fetch(emulator.baseUrl + c.path.replace(/^\/T\//, `/${emulator.tenantId}/`), {
    method: c.method ?? 'GET',
    headers: c.headers,
    body: c.body,
    redirect: 'manual',
  });
  expect(res.status).toBe(c.status);
  const text = await res.text();
  if (c.error === undefined) {
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).toMatch(/AADSTS\d+/);
    return;
  }
  const body = JSON.parse(text) as Record<string, unknown> & { error: unknown };
  if (typeof body.error === 'object') {
    expect(body.error).toMatchObject({
      code: c.error,
      message: expect.any(String),
      innerError: expect.any(Object),
    });
    return;
  }
  expect(body).toMatchObject({
    error: c.error,
    error_description: expect.stringMatching(/^AADSTS\d+: /),
    error_codes: c.aadsts ? [c.aadsts] : [expect.any(Number)],
    timestamp: expect.any(String),
    trace_id: expect.any(String),
    correlation_id: expect.any(String),
  });
  // Entra's x-ms-request-id header is the body's trace_id, and the description repeats both ids.
  expect(res.headers.get('x-ms-request-id')).toBe(body.trace_id);
  expect(body.error_description).toContain(`\r\nTrace ID: ${String(body.trace_id)}\r\n`);
}

/**
 * The malformed-request specs' outer `describe`, with the same title in every spec file: one test
 * per case against an emulator of its own, then the tests `more` registers against it.
 */
export function describeMalformedRequests(
  cases: MalformedRequest[],
  more: (emu: () => RunningEmulator) => void = () => undefined,
): void {
  describe('malformed requests get an error in the right shape and never break the server', () => {
    const emu = useEmulator({ resetBeforeEach: false });

    it.each(cases)('$name → $status', (c) => expectRefusedInShape(emu(), c));
    more(emu);
  });
}
