/**
 * A board on the host network, in real time, for tests against real peers (mosquitto and its
 * clients). Apart from board.ts so that kernel tests do not load the network stack.
 */
import type { KConfig } from '../../src/kernel/kernel.ts';
import { HostInterface } from '../../src/net/host/index.ts';
import { net_if_attach } from '../../src/net/net_if.ts';
import { RedirectInterface } from '../../src/net/redirect.ts';
import { runBoard, type BoardRun } from './board.ts';

/**
 * Runs `main` as a board on the host network. With `redirect`, the board's connections to
 * `addr:port` go to 127.0.0.1:`to` instead, as `zsim run --broker` does, so that a board built
 * for its simulated peer's address reaches a local mosquitto.
 */
export function hostBoard(
  main: () => unknown,
  opts: { config?: KConfig; timeLimitMs: number; module?: () => void; redirect?: { addr: string; port: number; to: number } },
): Promise<BoardRun> {
  const r = opts.redirect;
  return runBoard(main, {
    realtime: true,
    timeLimitMs: opts.timeLimitMs,
    config: opts.config,
    module: opts.module,
    setup: (k, sim) => {
      const host = new HostInterface({ sim });
      net_if_attach(k, r ? new RedirectInterface(host, [{ addr: r.addr, port: r.port, to: { family: 4, addr: '127.0.0.1', port: r.to } }]) : host);
    },
  });
}
