import type { ChildProcess, StdioNull, StdioPipe } from 'node:child_process';

/** The nginx binary; with `install`, Debian's nginx-light is installed when missing. */
export function nginxPath(options?: { install?: boolean }): string;

/** nginx.conf: TLS on 127.0.0.1:`port` (`dir`/cert.pem, key.pem), round-robin over `upstreams`. */
export function nginxConfig(options: {
  dir: string;
  port: number;
  upstreams: readonly number[];
  runAsRoot?: boolean;
}): string;

/** nginx running in front of the upstreams. */
export interface NginxProxy {
  /** `https://localhost:<port>` */
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves once nginx accepts connections; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Ends nginx (SIGTERM) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts nginx with {@link nginxConfig} once `nginx -t` accepted it. */
export function startNginx(options: {
  port: number;
  upstreams: readonly number[];
  certificatePem: string;
  privateKeyPem: string;
  install?: boolean;
  stdio?: StdioNull | StdioPipe;
}): NginxProxy;
