import { MessageChannel } from 'node:worker_threads';

/**
 * Resolves after one turn of the event loop, so I/O that completed meanwhile is handled. Through
 * a MessagePort, which no fake-timer library replaces (Jest's and Vitest's fake `setImmediate`
 * and `setTimeout` would never fire unless the test advanced them). @internal
 */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.once('message', () => {
      port1.close();
      resolve();
    });
    port2.postMessage(undefined);
  });
}
