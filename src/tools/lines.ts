/**
 * Splits a byte stream into lines as mosquitto_pub `-l` does: each `\n` ends a message (the `\n`
 * is not sent, a `\r` before it is), empty lines are zero-length messages, and a last line
 * without `\n` is still sent at EOF.
 */
import type { Readable } from 'node:stream';

export interface LineSink {
  line(bytes: Uint8Array): void;
  /** EOF (or a read error, given). */
  end(err?: Error): void;
}

/** Feeds `stream`'s lines to `sink` as they arrive; returns a function that stops reading. */
export function readLines(stream: Readable, sink: LineSink): () => void {
  let pending: Buffer = Buffer.alloc(0);
  let ended = false;
  const onData = (chunk: Buffer | string): void => {
    let buf = Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
      // A copy: the chunk's memory may be reused by the stream.
      sink.line(new Uint8Array(buf.subarray(0, nl)));
      buf = buf.subarray(nl + 1);
    }
    pending = buf;
  };
  const finish = (err?: Error): void => {
    if (ended) return;
    ended = true;
    if (pending.length > 0) sink.line(new Uint8Array(pending));
    pending = Buffer.alloc(0);
    sink.end(err);
  };
  const onEnd = (): void => finish();
  const onError = (e: Error): void => finish(e);
  stream.on('data', onData);
  stream.once('end', onEnd);
  stream.once('error', onError);
  return () => {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
    stream.pause();
  };
}
