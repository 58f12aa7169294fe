/**
 * Tunables of the simulated TCP, per node. The defaults are Zephyr's (v3.7/v4.x `subsys/net/ip`)
 * for an Ethernet interface, so a board's stream behaves as on a device out of the box.
 */

export interface TcpParams {
  /** Initial retransmission timeout, ms: `CONFIG_NET_TCP_INIT_RETRANSMISSION_TIMEOUT` (200). */
  initialRtoMs: number;
  /**
   * Scale each connection's RTO by a random factor in [1, 1.5) as `CONFIG_NET_TCP_RANDOMIZED_RTO`
   * (default y) does: `rto * (512 + rand8) >> 9`.
   */
  randomizedRto: boolean;
  /**
   * Retransmissions before giving up with -ETIMEDOUT: `CONFIG_NET_TCP_RETRY_COUNT` (9). Data
   * backs off by 1.5x per retry as Zephyr's `tcp_resend_data` does; SYN and SYN-ACK are resent at
   * a fixed RTO, as Zephyr's send queue does.
   */
  retries: number;
  /**
   * Send buffer, bytes. Zephyr with `CONFIG_NET_TCP_MAX_SEND_WINDOW_SIZE=0` uses
   * `NET_BUF_TX_COUNT (36) * NET_BUF_DATA_SIZE (128) / 3 = 1536`.
   */
  sendBuffer: number;
  /**
   * When true (Zephyr), `write` also stops at the peer's advertised window: Zephyr's
   * `net_tcp_queue` accepts at most `send_win - queued` bytes. A host stack (the broker's node)
   * sets it false and buffers up to `sendBuffer` whatever the peer advertises.
   */
  sendBufferFollowsPeerWindow: boolean;
  /**
   * Largest receive window advertised, bytes: `NET_BUF_RX_COUNT (36) * NET_BUF_DATA_SIZE (128) / 3
   * = 1536` with `CONFIG_NET_TCP_MAX_RECV_WINDOW_SIZE=0`.
   */
  recvWindow: number;
  /** TIME-WAIT duration, ms: `CONFIG_NET_TCP_TIME_WAIT_DELAY` (1500). */
  timeWaitMs: number;
  /** Nagle's algorithm until `setNoDelay(true)` (Zephyr's `tcp_nodelay` is false by default). */
  nagle: boolean;
}

export const ZEPHYR_TCP: Readonly<TcpParams> = Object.freeze({
  initialRtoMs: 200,
  randomizedRto: true,
  retries: 9,
  sendBuffer: 1536,
  sendBufferFollowsPeerWindow: true,
  recvWindow: 1536,
  timeWaitMs: 1500,
  nagle: true,
});

/** A host (Linux-like) stack, for the embedded broker's node: 64 KiB buffers, no window coupling. */
export const HOST_TCP: Readonly<Partial<TcpParams>> = Object.freeze({
  sendBuffer: 65536,
  sendBufferFollowsPeerWindow: false,
  recvWindow: 65535,
});

/** Zephyr's persist-timer ceiling (`ZWP_MAX_DELAY_MS`). */
export const ZWP_MAX_DELAY_MS = 120_000;
